// Benchmark (not a test): time from the module's init() resolving — load() in
// consent-form.js — to an interactive form (its first input present in the shadow
// root and taking focus), and to the next painted frame, in headless Chromium.
// Each run is a fresh page. Prints median and p95 per form kind. Target: under 30 ms.
//   scripts/bench-init [runs]        (needs `npm run build`; RUNS env works too;
//   each new tab first settles, see openTab in bench-init-page.mjs)
//   CPU_SLOWDOWN=4 scripts/bench-init: the CPU slowed down 4× (Chromium's throttling, as
//   Lighthouse's mobile profile does for a mid-range phone); the target is for 1×.
//   CHROMIUM_ARGS='--js-flags=--no-wasm-lazy-compilation' scripts/bench-init: flags for
//   Chromium, space-separated (this one shows what compiling on first call costs).
import { launchChromium, startServer } from '../tests/e2e/server.mjs';
import { openTab, page, stats } from './bench-init-page.mjs';

const runs = Number(process.argv[2] ?? process.env.RUNS ?? 20);
const slowdown = Number(process.env.CPU_SLOWDOWN ?? 1);

const server = await startServer();
const browser = await launchChromium(process.env.CHROMIUM_ARGS?.split(' ') ?? []);
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  console.log(`bench-init: ${runs} runs per kind, headless Chromium ${browser.version()}, fresh page each run${slowdown > 1 ? `, CPU ${slowdown}× slower` : ''}`);
  console.log('kind       measure       median      p95      min      max   (ms)');
  for (const kind of ['contact', 'callback']) {
    const interactive = [];
    const painted = [];
    const url = `${server.url}bench-${kind}.html`;
    await context.route(url, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: page(kind) }));
    for (let i = 0; i < runs + 2; i++) {
      const tab = await openTab(context);
      if (slowdown > 1) {
        const cdp = await context.newCDPSession(tab);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
      }
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
