// Why bench-init lets each new tab settle (not a benchmark): opens a few tabs in headless
// Chromium, loads a blank page in each, and prints the CPU each browser process used in
// the 1.5 s that follow, from a trace. A "WebUI Top Renderer" with hundreds of ms is
// Chromium building its own omnibox popup for the new tab; on a small machine that work
// competes with whatever the page does meanwhile.
//   node scripts/bench-init-noise.mjs [tabs]
import { launchChromium } from '../tests/e2e/server.mjs';

const tabs = Number(process.argv[2] ?? 3);
const browser = await launchChromium();
try {
  const context = await browser.newContext();
  for (let i = 0; i < tabs; i++) {
    const tab = await context.newPage();
    await browser.startTracing(tab, { categories: ['devtools.timeline', 'v8', 'blink', 'toplevel'] });
    await tab.goto('data:text/html,<p>blank');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const { traceEvents } = JSON.parse((await browser.stopTracing()).toString());
    await tab.close();
    const names = new Map();
    for (const e of traceEvents) if (e.ph === 'M' && e.name === 'process_name') names.set(e.pid, e.args.name);
    // Thread CPU of the outermost slices only (a slice nested in another is in its time).
    const cpu = new Map();
    const ends = new Map();
    const slices = traceEvents.filter((e) => e.ph === 'X').sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    for (const e of slices) {
      const thread = `${e.pid}:${e.tid}`;
      if (e.ts < (ends.get(thread) ?? 0)) continue;
      ends.set(thread, e.ts + e.dur);
      cpu.set(e.pid, (cpu.get(e.pid) ?? 0) + (e.tdur ?? 0));
    }
    console.log(`tab ${i + 1}: CPU ms per process`);
    for (const [pid, us] of [...cpu].sort((a, b) => b[1] - a[1])) {
      console.log(`  ${(us / 1000).toFixed(1).padStart(8)}  ${String(names.get(pid) ?? pid).slice(0, 40)}`);
    }
  }
} finally {
  await browser.close();
}
