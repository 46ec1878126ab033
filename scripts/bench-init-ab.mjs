// Compares two builds of pkg/ on the bench-init page (not a test): runs them in
// alternation in one headless Chromium, so a busy machine slows both alike, and prints
// each one's median and p95 per form kind, and the median of the paired differences.
//   node scripts/bench-init-ab.mjs <pkg dir A> <pkg dir B> [runs]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium, startServer } from '../tests/e2e/server.mjs';
import { page, stats } from './bench-init-page.mjs';

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
  console.log('kind       measure      build   median      p95   (ms)   median B-A');
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
        const tab = await context.newPage();
        await tab.goto(`${server.url}ab-${kind}-${name}.html`);
        const result = await tab.waitForFunction(() => window.__result, null, { timeout: 30_000 }).then((h) => h.jsonValue());
        await tab.close();
        if (i >= 2) results[name].push(result); // the first pages are warm-up
      }
    }
    for (const measure of ['interactive', 'painted']) {
      const diff = stats(results.B.map((b, i) => b[measure] - results.A[i][measure])).median;
      for (const name of ['A', 'B']) {
        const s = stats(results[name].map((r) => r[measure]));
        const f = (n) => n.toFixed(1).padStart(8);
        const tail = name === 'B' ? `   ${diff >= 0 ? '+' : ''}${diff.toFixed(1)}` : '';
        console.log(`${kind.padEnd(10)} ${measure.padEnd(12)} ${name}    ${f(s.median)} ${f(s.p95)}${tail}`);
      }
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
