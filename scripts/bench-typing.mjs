// Benchmark (not a test): how long each keystroke takes in the form, in headless
// Chromium, field by field. Types as a visitor does, one key at a time (Playwright's
// keyboard; a Vietnamese letter with its marks comes as an input method gives it, by
// insertText), pastes a phone number, erases with Backspace, ticks a consent with
// Space, and times each of these interactions three ways:
//   handler  the time spent in the event's dispatch, from the first listener on the
//            page to the last (window capture to window bubble; for the `change` of a
//            checkbox, which stays in the shadow root, the shadow root's), Yew's
//            re-render and effects included (they run in a microtask right after its
//            listener), summed over the interaction's events (keydown … input, keyup)
//   frame    from the first event of the interaction to the task after the next frame
//            (requestAnimationFrame, then a MessageChannel message): style, layout and
//            paint of what changed included
//   inp      the Event Timing API's duration (as INP counts it; Chromium reports only
//            events of 16 ms or more, so "<16" means none did)
// Each run is a fresh page (bench-init-page.mjs's, after the form is interactive).
// Prints median, p95 and max per field, over all runs' keystrokes ("first key": the
// first keystroke of each page, in the name field, apart).
//   node scripts/bench-typing.mjs [runs]          (needs pkg/ built; RUNS env works too)
//   CPU_SLOWDOWN=4 node scripts/bench-typing.mjs   the CPU 4× slower, as Lighthouse's
//                                                  mobile profile
//   PKG=<dir> node scripts/bench-typing.mjs        another build of pkg/ (as a URL path
//                                                  of the demo server, or a directory)
//   PKGS=<dirA>,<dirB>: two builds alternated run by run (each run a fresh page of each),
//   so that a busy machine slows both alike; each field then prints for A and B.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { launchChromium, startServer } from '../tests/e2e/server.mjs';
import { openTab, page, stats } from './bench-init-page.mjs';

const runs = Number(process.argv[2] ?? process.env.RUNS ?? 5);
const slowdown = Number(process.env.CPU_SLOWDOWN ?? 1);
const builds = (process.env.PKGS ?? process.env.PKG ?? '').split(',').filter(Boolean).map((d) => resolve(d));

// What is typed: a name with Vietnamese letters, phone numbers, an e-mail address, and
// a long need (about 1,000 characters: pasted, then 60 more typed at its end).
const NAME = 'Nguyễn Thị Minh Khai';
const PHONE = '0912345678';
const PASTED_PHONE = '+84 912 345 678';
const EMAIL = 'minh.khai@gmail.com';
const LONG = ('Chúng tôi cần thiết kế lại website bán hàng, kết nối với phần mềm kho và '
  + 'tối ưu SEO cho khoảng 200 sản phẩm; ngân sách dự kiến trong quý tới. ').repeat(7);
const TAIL = ' Xin gọi lại sau 17 giờ, cảm ơn anh chị nhiều.';
const TOPIC = 'Hỏi về gói quảng cáo trực tuyến';

/** Listeners that time each interaction (installed once the form is interactive). */
function instrument() {
  const host = document.querySelector('consent-form');
  const root = host.shadowRoot;
  const done = [];
  let cur = null;
  let chain = 0;
  const finish = (id) => {
    if (!cur || chain !== id) return;
    cur.frame = performance.now() - cur.start;
    cur.handler = cur.events.reduce((sum, e) => sum + (e.end - e.start), 0);
    cur.types = cur.events.map((e) => e.type).join(' ');
    delete cur.events;
    done.push(cur);
    cur = null;
  };
  const seen = new WeakMap();
  const first = (e) => {
    if (seen.has(e)) return;
    const now = performance.now();
    if (!cur) {
      if (e.type === 'keyup') return; // a key's release after its frame: not an interaction of its own
      cur = { start: now, events: [] };
    }
    const rec = { type: e.type, start: now, end: now };
    seen.set(e, rec);
    cur.events.push(rec);
  };
  const last = (e) => {
    const rec = seen.get(e);
    if (!rec) return;
    rec.end = performance.now();
    // The frame after the last input or change handler.
    if (e.type === 'input' || e.type === 'change') {
      const id = ++chain;
      requestAnimationFrame(() => {
        const mc = new MessageChannel();
        mc.port1.onmessage = () => finish(id);
        mc.port2.postMessage(0);
      });
    }
  };
  for (const type of ['keydown', 'keypress', 'beforeinput', 'input', 'keyup', 'click', 'change']) {
    window.addEventListener(type, first, true);
    root.addEventListener(type, first, true);
    root.addEventListener(type, last, false);
    window.addEventListener(type, last, false);
  }
  const timings = [];
  new PerformanceObserver((list) => timings.push(...list.getEntries()))
    .observe({ type: 'event', durationThreshold: 16, buffered: true });
  window.__bench = {
    // Resolves with the interaction once its frame has come.
    next: () => new Promise((resolve) => {
      const poll = () => (done.length ? resolve(done.shift()) : setTimeout(poll, 5));
      poll();
    }),
    // The Event Timing entries so far, as {start, duration, processing}.
    timings: () => timings.splice(0).map((t) => ({
      name: t.name, start: t.startTime, duration: t.duration, processing: t.processingEnd - t.processingStart,
    })),
    // As a phone does when its keyboard opens: the field in view, not at an edge.
    // (Typing into a field at the viewport's bottom edge, headless Chromium presents
    // no frame for about 0.5 s while its main thread is idle: Event Timing durations of
    // 200–600 ms that no code of the page causes.)
    focus: (selector) => {
      const control = root.querySelector(selector);
      control.scrollIntoView({ block: 'center' });
      control.focus({ preventScroll: true });
    },
    // Forgets what came before the next interaction: a key that changed nothing
    // (Ctrl+A), the `change` of the field just left.
    reset: () => { cur = null; done.length = 0; },
  };
}

/** Types `text` one character at a time; each one is one interaction of `field`. */
async function typeText(tab, out, field, text) {
  for (const ch of text) {
    if (/^[\x20-\x7e]$/.test(ch)) await tab.keyboard.type(ch);
    else await tab.keyboard.insertText(ch);
    out.push({ field, ...(await tab.evaluate(() => window.__bench.next())) });
  }
}

async function press(tab, out, field, key, times = 1) {
  for (let i = 0; i < times; i++) {
    await tab.keyboard.press(key);
    out.push({ field, ...(await tab.evaluate(() => window.__bench.next())) });
  }
}

async function insert(tab, out, field, text) {
  await tab.keyboard.insertText(text);
  out.push({ field, ...(await tab.evaluate(() => window.__bench.next())) });
}

/** One run of `kind`: a fresh page, every field typed in; the interactions timed. */
async function run(context, url, kind) {
  const tab = await openTab(context);
  if (slowdown > 1) {
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
  }
  await tab.goto(url);
  await tab.waitForFunction(() => window.__result, null, { timeout: 30_000 });
  await tab.waitForTimeout(300); // the draft is read in a task after the first render
  await tab.evaluate(instrument);
  const out = [];
  // A visitor taps a field, then types: the page has settled (scrolled) meanwhile.
  const focus = async (selector) => {
    await tab.evaluate((s) => window.__bench.focus(s), selector);
    await tab.waitForTimeout(300);
    await tab.evaluate(() => window.__bench.reset());
  };
  await focus('#cf-name');
  await typeText(tab, out, 'name', NAME);
  // The page's first keystroke calls many of the wasm's functions for the first time,
  // which V8 compiles then: it has a row of its own.
  out[0].field = 'first key';
  await focus('#cf-phone');
  await typeText(tab, out, 'phone', PHONE);
  await press(tab, out, 'phone', 'Backspace', 3);
  await typeText(tab, out, 'phone', PHONE.slice(-3));
  await tab.keyboard.press('ControlOrMeta+A');
  await tab.evaluate(() => window.__bench.reset());
  await insert(tab, out, 'phone paste', PASTED_PHONE);
  if (kind === 'contact') {
    await focus('#cf-email');
    await typeText(tab, out, 'email', EMAIL);
    await focus('#cf-need');
    await insert(tab, out, 'need paste', LONG);
    await typeText(tab, out, 'need (long)', TAIL);
    await press(tab, out, 'need (long)', 'Backspace', 5);
  } else {
    await focus('#cf-topic');
    await typeText(tab, out, 'topic', TOPIC);
  }
  await focus('#cf-consent-consultation');
  await press(tab, out, 'consent', ' ', 3);
  await tab.waitForTimeout(300); // the last Event Timing entries come after their frame
  const timings = await tab.evaluate(() => window.__bench.timings());
  // DEBUG=1: each interaction's handler time, in order (field's initial, ms).
  if (process.env.DEBUG) console.log(kind, 'handlers', out.map((i) => `${i.field[0]}${i.handler.toFixed(0)}`).join(' '));
  await tab.close();
  // Each interaction's longest Event Timing entry among those that started in it.
  return out.map((i) => {
    const mine = timings.filter((t) => t.start >= i.start - 1 && t.start <= i.start + i.frame);
    return { ...i, inp: Math.max(0, ...mine.map((t) => t.duration)) };
  });
}

const types = { js: 'text/javascript', wasm: 'application/wasm', ts: 'text/plain' };
const server = await startServer();
const browser = await launchChromium(process.env.CHROMIUM_ARGS?.split(' ') ?? []);
try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const names = builds.length ? builds.map((_, i) => 'AB'[i]) : ['pkg'];
  for (const [i, dir] of builds.entries()) {
    await context.route(`${server.url}typing-${names[i]}/*`, (route) => {
      const file = new URL(route.request().url()).pathname.split('/').pop();
      route.fulfill({ contentType: types[file.split('.').pop()] ?? 'application/octet-stream', body: readFileSync(`${dir}/${file}`) });
    });
  }
  console.log(`bench-typing: ${runs} runs per kind${builds.length ? ` and build (${names.map((n, i) => `${n}=${builds[i]}`).join(', ')}; alternated)` : ''}, headless Chromium ${browser.version()}, fresh page each run${slowdown > 1 ? `, CPU ${slowdown}× slower` : ''}`);
  console.log('kind      field         build   n   handler median   p95    max | frame median   p95    max | inp max  ≥16  ≥50 (ms)');
  for (const kind of ['contact', 'callback']) {
    const results = Object.fromEntries(names.map((n) => [n, []]));
    for (const name of names) {
      const url = `${server.url}typing-${kind}-${name}.html`;
      const pkg = builds.length ? `/typing-${name}` : '/pkg';
      await context.route(url, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: page(kind, pkg) }));
    }
    for (let r = 0; r < runs + 1; r++) {
      const order = r % 2 ? [...names].reverse() : names;
      for (const name of order) {
        const got = await run(context, `${server.url}typing-${kind}-${name}.html`, kind);
        if (r > 0) results[name].push(...got); // the first run is warm-up
      }
    }
    const fields = [...new Set(results[names[0]].map((i) => i.field))];
    const f = (n) => n.toFixed(1).padStart(6);
    for (const field of fields) {
      for (const name of names) {
        const mine = results[name].filter((i) => i.field === field);
        const h = stats(mine.map((i) => i.handler));
        const fr = stats(mine.map((i) => i.frame));
        const inp = mine.map((i) => i.inp);
        const over = (t) => String(inp.filter((d) => d >= t).length).padStart(4);
        const inpMax = Math.max(...inp);
        console.log(`${kind.padEnd(9)} ${field.padEnd(13)} ${name.padEnd(5)} ${String(mine.length).padStart(3)}   ${f(h.median)}       ${f(h.p95)} ${f(h.max)} | ${f(fr.median)}     ${f(fr.p95)} ${f(fr.max)} | ${inpMax ? f(inpMax) : '   <16'} ${over(16)} ${over(50)}`);
      }
    }
  }
  console.log('handler = time in the event listeners (Yew\'s update, render and effects); frame = to after the next frame; inp = Event Timing duration (reported from 16 ms).');
} finally {
  await browser.close();
  await server.stop();
}
