// Where the first mount's time goes (not a benchmark): loads the bench page once per
// kind in headless Chromium with a performance trace, and prints the main thread's
// events between the element's creation and the focused input, by name (total ms and
// count), plus the top-level slices in order. Needs pkg/ (npm run build).
//   node scripts/bench-init-trace.mjs [kind] [runs]
import { readFileSync } from 'node:fs';
import { launchChromium, startServer } from '../tests/e2e/server.mjs';
import { openTab, page as benchPage } from './bench-init-page.mjs';

// PKG=<dir>: trace that build instead of pkg/ (e.g. one built with names, see below).
// NAMES=<file.json>: { "<function index>": "name" } to name the lazily compiled functions.
const pkgDir = process.env.PKG;
const names = process.env.NAMES ? JSON.parse(readFileSync(process.env.NAMES, 'utf8')) : null;

const kind = process.argv[2] ?? 'contact';
const runs = Number(process.argv[3] ?? 3);

// The bench page, with marks around what it times.
const page = benchPage(kind, pkgDir ? '/trace-pkg' : '/pkg')
  .replace('const t0 = performance.now();', "await new Promise((r) => setTimeout(r, 50));\nperformance.mark('cf-start');\nconst t0 = performance.now();")
  .replace('const interactive = performance.now() - t0;', "const interactive = performance.now() - t0;\nperformance.mark('cf-interactive');")
  .replace('window.__result =', "performance.mark('cf-painted');\nwindow.__result =");

const categories = [
  'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8', 'v8.wasm',
  'disabled-by-default-v8.compile', 'disabled-by-default-v8.wasm.detailed', 'blink', 'loading',
];

const server = await startServer();
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const url = `${server.url}trace-${kind}.html`;
  await context.route(url, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: page }));
  if (pkgDir) {
    await context.route(`${server.url}trace-pkg/*`, (route) => {
      const file = new URL(route.request().url()).pathname.split('/').pop();
      const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
      route.fulfill({ contentType: type, body: readFileSync(`${pkgDir}/${file}`) });
    });
  }
  for (let i = 0; i < runs; i++) {
    const tab = await openTab(context);
    await browser.startTracing(tab, { categories });
    await tab.goto(url);
    const result = await tab.waitForFunction(() => window.__result, null, { timeout: 30_000 }).then((h) => h.jsonValue());
    const buffer = await browser.stopTracing();
    await tab.close();
    const { traceEvents } = JSON.parse(buffer.toString());
    const mark = (name) => traceEvents.find((e) => e.name === name && e.cat.includes('user_timing'));
    const start = mark('cf-start');
    const end = mark('cf-interactive');
    const painted = mark('cf-painted');
    if (!start || !end) { console.log('no marks'); continue; }
    const pid = start.pid;
    const tid = start.tid;
    const inWindow = (e, to) => e.pid === pid && e.tid === tid && e.ts >= start.ts && e.ts <= to.ts && e.ph === 'X';
    console.log(`\nrun ${i + 1}: interactive ${result.interactive.toFixed(1)} ms, painted ${result.painted.toFixed(1)} ms`);
    for (const [label, to] of [['to interactive', end], ['to painted', painted]]) {
      const events = traceEvents.filter((e) => inWindow(e, to));
      const by = new Map();
      for (const e of events) {
        const name = e.name === 'FunctionCall' || e.name === 'EvaluateScript' ? `${e.name}` : e.name;
        const s = by.get(name) ?? { ms: 0, n: 0 };
        s.ms += (e.dur ?? 0) / 1000; s.n++; by.set(name, s);
      }
      console.log(`  ${label} (${((to.ts - start.ts) / 1000).toFixed(1)} ms): events by name (inclusive, nested counted twice)`);
      for (const [name, s] of [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, 22)) {
        if (s.ms >= 0.2) console.log(`    ${s.ms.toFixed(2).padStart(7)}  ${String(s.n).padStart(5)}x  ${name}`);
      }
    }
    // The slices in order as a tree (a slice nests in the last one that spans it), down
    // to `depth` levels, slices of at least `min` ms; wasm.CompileLazy summed per parent.
    const depth = Number(process.env.DEPTH ?? 4);
    const min = Number(process.env.MIN ?? 0.5) * 1000;
    const events = traceEvents.filter((e) => inWindow(e, painted)).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const roots = [];
    const stack = [];
    for (const e of events) {
      const node = { e, children: [], lazy: 0, lazyN: 0 };
      while (stack.length && stack.at(-1).e.ts + stack.at(-1).e.dur < e.ts + e.dur) stack.pop();
      const parent = stack.at(-1);
      if (parent && e.name === 'wasm.CompileLazy') {
        for (const p of stack) { p.lazy += e.dur; p.lazyCpu = (p.lazyCpu ?? 0) + (e.tdur ?? 0); p.lazyN++; }
      }
      (parent ? parent.children : roots).push(node);
      stack.push(node);
    }
    const at = (t) => ((t - start.ts) / 1000).toFixed(1).padStart(6);
    const show = (node, level) => {
      const { e } = node;
      if (e.dur < min || level > depth) return;
      if (e.name === 'wasm.CompileLazy' && level > 0) return;
      const lazy = node.lazyN ? `  [lazy wasm compile ${(node.lazy / 1000).toFixed(1)} ms, cpu ${(node.lazyCpu / 1000).toFixed(1)}, ${node.lazyN} functions]` : '';
      const arg = process.env.ARGS && e.args && Object.keys(e.args).length ? ' ' + JSON.stringify(e.args).slice(0, 200) : '';
      console.log(`    +${at(e.ts)} ${'  '.repeat(level)}${(e.dur / 1000).toFixed(2).padStart(6)} (cpu ${((e.tdur ?? 0) / 1000).toFixed(2)}) ${e.name}${lazy}${arg}`);
      if (names && process.env.LAZY) {
        const own = node.children.filter((c) => c.e.name === 'wasm.CompileLazy').sort((x, y) => y.e.dur - x.e.dur);
        for (const c of own.slice(0, Number(process.env.LAZY))) {
          const n = names[c.e.args?.func_index] ?? c.e.args?.func_index;
          console.log(`           ${'  '.repeat(level + 1)}${(c.e.dur / 1000).toFixed(2).padStart(6)} compile ${String(n).slice(0, 120)}`);
        }
      }
      for (const c of node.children) show(c, level + 1);
    };
    console.log(`  slices from start (ms), >= ${min / 1000} ms, ${depth} levels:`);
    for (const r of roots) show(r, 0);
  }
} finally {
  await browser.close();
  await server.stop();
}
