// Compares two builds of pkg/ on the bench-init page (not a test): runs them in
// alternation in one headless Chromium, so a busy machine slows both alike, and prints
// each one's median and p95 per form kind, and the median of the paired differences.
//   node scripts/bench-init-ab.mjs <pkg dir A> <pkg dir B> [runs]
// CPU=1 adds the renderer main thread's CPU time over the same spans (from a trace,
// whose overhead both builds pay): less sensitive to other processes than wall time.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium, startServer } from '../tests/e2e/server.mjs';
import { openTab, page as benchPage, stats } from './bench-init-page.mjs';

const cpu = Boolean(process.env.CPU);
// With CPU=1 the page marks where the timed spans start and end.
const page = (kind, pkg) => !cpu ? benchPage(kind, pkg) : benchPage(kind, pkg)
  .replace('const t0 = performance.now();', "performance.mark('cf-start');\nconst t0 = performance.now();")
  .replace('const interactive = performance.now() - t0;', "const interactive = performance.now() - t0;\nperformance.mark('cf-interactive');")
  .replace('window.__result =', "performance.mark('cf-painted');\nwindow.__result =");

/** The main thread's CPU ms between two marks of a trace (slices cut in proportion). */
function cpuMs(traceEvents) {
  const mark = (name) => traceEvents.find((e) => e.name === name && e.cat.includes('user_timing'));
  const start = mark('cf-start');
  const out = {};
  for (const [measure, name] of [['cpu-interactive', 'cf-interactive'], ['cpu-painted', 'cf-painted']]) {
    const end = mark(name);
    let sum = 0;
    let until = 0;
    const slices = traceEvents
      .filter((e) => e.ph === 'X' && e.cat.split(',').includes('toplevel') && e.pid === start.pid && e.tid === start.tid)
      .sort((a, b) => a.ts - b.ts);
    for (const e of slices) {
      if (e.ts < until) continue; // nested in the slice before (a microtask checkpoint in a task)
      until = e.ts + e.dur;
      const from = Math.max(e.ts, start.ts);
      const to = Math.min(e.ts + e.dur, end.ts);
      if (to > from && e.dur > 0) sum += (e.tdur ?? e.dur) * ((to - from) / e.dur);
    }
    out[measure] = sum / 1000;
  }
  return out;
}

const [dirA, dirB] = process.argv.slice(2, 4).map((d) => d && resolve(d));
const runs = Number(process.argv[4] ?? 20);
if (!dirA || !dirB) {
  console.error('usage: node scripts/bench-init-ab.mjs <pkg dir A> <pkg dir B> [runs]');
  process.exit(2);
}

const types = { js: 'text/javascript', wasm: 'application/wasm', ts: 'text/plain' };
const server = await startServer();
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  for (const [name, dir] of [['A', dirA], ['B', dirB]]) {
    await context.route(`${server.url}ab-${name}/*`, (route) => {
      const file = new URL(route.request().url()).pathname.split('/').pop();
      const type = types[file.split('.').pop()] ?? 'application/octet-stream';
      route.fulfill({ contentType: type, body: readFileSync(`${dir}/${file}`) });
    });
  }
  console.log(`bench-init-ab: A=${dirA} B=${dirB}, ${runs} runs each per kind, alternating`);
  console.log('kind       measure          build   median      p95   (ms)   median B-A');
  for (const kind of ['contact', 'callback']) {
    const results = { A: [], B: [] };
    for (const name of ['A', 'B']) {
      const url = `${server.url}ab-${kind}-${name}.html`;
      await context.route(url, (route) =>
        route.fulfill({ contentType: 'text/html; charset=utf-8', body: page(kind, `/ab-${name}`) }));
    }
    for (let i = 0; i < runs + 2; i++) {
      const order = i % 2 ? ['B', 'A'] : ['A', 'B'];
      for (const name of order) {
        const tab = await openTab(context);
        if (cpu) await browser.startTracing(tab, { categories: ['toplevel', 'blink.user_timing'] });
        await tab.goto(`${server.url}ab-${kind}-${name}.html`);
        const result = await tab.waitForFunction(() => window.__result, null, { timeout: 30_000 }).then((h) => h.jsonValue());
        if (cpu) Object.assign(result, cpuMs(JSON.parse((await browser.stopTracing()).toString()).traceEvents));
        await tab.close();
        if (i >= 2) results[name].push(result); // the first pages are warm-up
      }
    }
    for (const measure of ['interactive', 'painted', ...(cpu ? ['cpu-interactive', 'cpu-painted'] : [])]) {
      const diff = stats(results.B.map((b, i) => b[measure] - results.A[i][measure])).median;
      for (const name of ['A', 'B']) {
        const s = stats(results[name].map((r) => r[measure]));
        const f = (n) => n.toFixed(1).padStart(8);
        const tail = name === 'B' ? `   ${diff >= 0 ? '+' : ''}${diff.toFixed(1)}` : '';
        console.log(`${kind.padEnd(10)} ${measure.padEnd(16)} ${name}    ${f(s.median)} ${f(s.p95)}${tail}`);
      }
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
