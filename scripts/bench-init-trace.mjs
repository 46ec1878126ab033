// Where the first mount's time goes (not a benchmark): loads the bench page once per
// kind in headless Chromium with a performance trace, and prints the main thread's
// events between the element's creation and the focused input, by name (total ms and
// count), plus the top-level slices in order. Needs pkg/ (npm run build).
//   node scripts/bench-init-trace.mjs [kind] [runs]
import { launchChromium, startServer } from '../tests/e2e/server.mjs';

const kind = process.argv[2] ?? 'contact';
const runs = Number(process.argv[3] ?? 3);

const page = `<!doctype html><html lang="vi"><meta charset="utf-8"><body>
<h1>Công ty TNHH Ví Dụ</h1><p>Thiết kế website, SEO và quảng cáo trực tuyến cho doanh nghiệp Việt Nam.</p>
<script type="module">
document.body.offsetHeight;
import { load } from '/pkg/consent-form.js';
await load();
await new Promise((r) => setTimeout(r, 50));
performance.mark('cf-start');
const t0 = performance.now();
const el = document.createElement('consent-form');
for (const [k, v] of Object.entries({ kind: '${kind}', endpoint: '/api/leads', 'policy-url': '/privacy.html',
  controller: 'Công ty TNHH Ví Dụ', 'key-url': '/api/keys' })) el.setAttribute(k, v);
document.body.append(el);
const ready = () => {
  const input = el.shadowRoot?.querySelector('input[name=name]');
  if (!input) return false;
  input.focus();
  return el.shadowRoot.activeElement === input;
};
await new Promise((resolve) => {
  let spins = 0;
  const check = () => {
    if (ready()) return resolve();
    if (!el.shadowRoot) return ++spins < 1000 ? queueMicrotask(check) : setTimeout(check, 0);
    const watch = new MutationObserver(() => ready() && (watch.disconnect(), resolve()));
    watch.observe(el.shadowRoot, { childList: true, subtree: true });
  };
  check();
});
const interactive = performance.now() - t0;
performance.mark('cf-interactive');
await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
performance.mark('cf-painted');
window.__result = { interactive, painted: performance.now() - t0 };
</script>`;

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
  for (let i = 0; i < runs; i++) {
    const tab = await context.newPage();
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
    // top-level slices in order (not nested in another slice of the window)
    const events = traceEvents.filter((e) => inWindow(e, painted)).sort((a, b) => a.ts - b.ts);
    let until = 0;
    console.log('  top-level slices (ms from start):');
    for (const e of events) {
      if (e.ts < until) continue;
      until = e.ts + (e.dur ?? 0);
      if ((e.dur ?? 0) >= 300) {
        console.log(`    +${((e.ts - start.ts) / 1000).toFixed(1).padStart(6)}  ${((e.dur) / 1000).toFixed(2).padStart(7)}  ${e.name} ${e.args?.data?.functionName ?? ''}`);
      }
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
