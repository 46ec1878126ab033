// Benchmark (not a test): time from the module's init() resolving — load() in
// consent-form.js — to an interactive form (its first input present in the shadow
// root and taking focus), and to the next painted frame, in headless Chromium.
// Each run is a fresh page. Prints median and p95 per form kind. Target: under 30 ms.
//   scripts/bench-init [runs]        (needs `npm run build`; RUNS env works too)
import { launchChromium, startServer } from '../tests/e2e/server.mjs';

const runs = Number(process.argv[2] ?? process.env.RUNS ?? 20);

// The page under test: the <consent-form> element as a host writes it, created only
// after load() has resolved, so that what is timed is the form, not the download.
// Like a host page, it has text of its own, laid out before the form comes.
const page = (kind) => `<!doctype html><html lang="vi"><meta charset="utf-8"><body>
<h1>Công ty TNHH Ví Dụ</h1><p>Thiết kế website, SEO và quảng cáo trực tuyến cho doanh nghiệp Việt Nam.</p>
<script type="module">
document.body.offsetHeight;
import { load } from '/pkg/consent-form.js';
await load();
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
  // The element mounts in a microtask after connectedCallback: look for the shadow root
  // on each microtask (a task later if it takes long), then watch it.
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
await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
window.__result = { interactive, painted: performance.now() - t0 };
</script>`;

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: at(0.5), p95: at(0.95), min: sorted[0], max: sorted[sorted.length - 1] };
}

const server = await startServer();
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  console.log(`bench-init: ${runs} runs per kind, headless Chromium ${browser.version()}, fresh page each run`);
  console.log('kind       measure       median      p95      min      max   (ms)');
  for (const kind of ['contact', 'callback']) {
    const interactive = [];
    const painted = [];
    const url = `${server.url}bench-${kind}.html`;
    await context.route(url, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: page(kind) }));
    for (let i = 0; i < runs + 2; i++) {
      const tab = await context.newPage();
      await tab.goto(url);
      const result = await tab.waitForFunction(() => window.__result, null, { timeout: 30_000 }).then((h) => h.jsonValue());
      await tab.close();
      if (i < 2) continue; // warm-up: the browser's first pages are slower
      interactive.push(result.interactive);
      painted.push(result.painted);
    }
    for (const [name, values] of [['interactive', interactive], ['painted', painted]]) {
      const s = stats(values);
      const f = (n) => n.toFixed(1).padStart(8);
      console.log(`${kind.padEnd(10)} ${name.padEnd(12)}${f(s.median)} ${f(s.p95)} ${f(s.min)} ${f(s.max)}`);
    }
  }
  console.log('interactive = first input in the shadow root and focused; painted = after the next frame. Target: < 30 ms.');
} finally {
  await browser.close();
  await server.stop();
}
