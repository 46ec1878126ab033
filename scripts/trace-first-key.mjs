// Not a benchmark: how many wasm functions V8 compiles (on their first call) during a
// page's first two keystrokes, and how long that takes, for one build or several
// alternated. Each run is a fresh bench page (bench-init-page.mjs's); two seconds after
// the form is interactive, two keys are typed into its focused name field, each
// followed by a frame, under a performance trace whose `wasm.CompileLazy` events are
// counted. Prints the function indices too (see bench-init-trace.mjs for naming them).
//   node scripts/trace-first-key.mjs <pkg dir> [<pkg dir> …]   (RUNS=3, KIND=contact,
//   SLOW=4 for the CPU 4× slower)
import { readFileSync } from 'node:fs';
import { launchChromium, startServer } from '../tests/e2e/server.mjs';
import { openTab, page } from './bench-init-page.mjs';

const dirs = process.argv.slice(2);
if (!dirs.length) throw new Error('usage: node scripts/trace-first-key.mjs <pkg dir> [<pkg dir> …]');
const runs = Number(process.env.RUNS ?? 3);
const kind = process.env.KIND ?? 'contact';
const server = await startServer();
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  for (const [i, dir] of dirs.entries()) {
    await context.route(`${server.url}first-key-${i}.html`, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: page(kind, `/first-key-pkg${i}`) }));
    await context.route(`${server.url}first-key-pkg${i}/*`, (route) => {
      const file = new URL(route.request().url()).pathname.split('/').pop();
      route.fulfill({ contentType: file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript', body: readFileSync(`${dir}/${file}`) });
    });
  }
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  for (let run = 0; run < runs; run++) {
    for (const [i, dir] of dirs.entries()) {
      const tab = await openTab(context);
      if (process.env.SLOW) {
        const cdp = await context.newCDPSession(tab);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.SLOW) });
      }
      await tab.goto(`${server.url}first-key-${i}.html`);
      await tab.waitForFunction(() => window.__result, null, { timeout: 30_000 });
      await tab.waitForTimeout(2000);
      await browser.startTracing(tab, { categories: ['v8.wasm', 'disabled-by-default-v8.wasm.detailed'] });
      for (const key of ['N', 'g']) {
        await tab.keyboard.press(key);
        await tab.evaluate(frame);
      }
      const { traceEvents } = JSON.parse((await browser.stopTracing()).toString());
      await tab.close();
      const lazy = traceEvents.filter((e) => e.name === 'wasm.CompileLazy');
      const ms = lazy.reduce((sum, e) => sum + (e.dur ?? 0), 0) / 1000;
      console.log(`${kind} ${dir}: ${lazy.length} functions compiled, ${ms.toFixed(1)} ms; indices ${lazy.map((e) => e.args?.func_index).join(',')}`);
    }
  }
} finally {
  await browser.close();
  await server.stop();
}
