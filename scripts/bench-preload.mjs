// Benchmark (not a test): how much sooner the form shows when the page preloads the
// wasm (and the two modules), on a slow network emulated by Chromium. Each run is a
// fresh context with the cache off; the two pages alternate. Prints medians and runs.
//   node scripts/bench-preload.mjs [runs] [round trip ms] [kbit/s]
//   ONLY_WASM=1 …: the page preloads the wasm only, not the modules.
//   CPU_SLOWDOWN=4 …: the CPU slowed down 4× too (Chromium's throttling, as Lighthouse's
//   mobile profile does for a mid-range phone).
// The demo's server sends pkg/ uncompressed: 3,630 kbit/s moves the 420 KB wasm in the
// time its 185 KB gzip takes at 1,600 kbit/s. Needs `npm run build`.
import { launchChromium, startServer } from '../tests/e2e/server.mjs';

const runs = Number(process.argv[2] ?? 6);
const rtt = Number(process.argv[3] ?? 150);
const kbps = Number(process.argv[4] ?? 3630);
const slowdown = Number(process.env.CPU_SLOWDOWN ?? 1);
const modules = process.env.ONLY_WASM
  ? ''
  : '<link rel="modulepreload" href="/pkg/consent-form.js"><link rel="modulepreload" href="/pkg/consent_form.js">';
const page = (preload) => `<!doctype html><html lang="vi"><meta charset="utf-8"><title>preload</title>
${preload ? `${modules}<link rel="preload" href="/pkg/consent_form_bg.wasm" as="fetch" type="application/wasm" crossorigin>` : ''}
<script type="module" src="/pkg/consent-form.js"></script>
<body><h1>Công ty TNHH Ví Dụ</h1><consent-form kind="contact" endpoint="/api/leads" policy-url="/privacy.html"
controller="Công ty TNHH Ví Dụ" key-url="/api/keys"></consent-form>`;

const server = await startServer();
const browser = await launchChromium();
const times = { plain: [], preload: [] };
try {
  for (let i = 0; i < runs; i++) {
    for (const variant of i % 2 ? ['preload', 'plain'] : ['plain', 'preload']) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      const cdp = await context.newCDPSession(tab);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      const bytes = (kbps * 1000) / 8;
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: rtt, downloadThroughput: bytes, uploadThroughput: bytes,
      });
      if (slowdown > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
      const url = `${server.url}bench-preload-${variant}.html`;
      await context.route(url, (r) => r.fulfill({ contentType: 'text/html; charset=utf-8', body: page(variant === 'preload') }));
      await tab.goto(url);
      await tab.waitForFunction(
        () => document.querySelector('consent-form')?.shadowRoot?.querySelector('input[name=name]'),
        null, { timeout: 60_000, polling: 10 },
      );
      times[variant].push(await tab.evaluate(() => performance.now()));
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`bench-preload: ${runs} runs each, round trip ${rtt} ms, ${kbps} kbit/s, ${slowdown > 1 ? `CPU ${slowdown}× slower, ` : ''}${process.env.ONLY_WASM ? 'the wasm preloaded' : 'the wasm and both modules preloaded'}`);
for (const [name, a] of Object.entries(times)) {
  console.log(`${name.padEnd(8)} median ${median(a).toFixed(0).padStart(5)} ms   runs ${a.map((x) => x.toFixed(0)).join(' ')}`);
}
console.log('ms from navigation to the form\'s first input');
