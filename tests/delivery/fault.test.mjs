// Issue 5, point 5: the fault test. Visitors in Chromium submit SUBMISSIONS contact
// forms through the UI (fill in, tick, send; on the receipt, "Send another request"),
// spread over TABS tabs of FORMS forms each, while the loopback receiver fails on
// purpose in stretches: it refuses connections (stops listening), answers 500, answers
// 503 with Retry-After, hangs past the timeout, stores a submission and then drops the
// connection. In the middle one tab is reloaded while it has submissions waiting. In
// the end every submission must be stored exactly once: none lost, none doubled.
//
// Environment: CF_FAULT_SUBMISSIONS (default 200), CF_FAULT_TABS (2), CF_FAULT_FORMS (8),
// CF_FAULT_DEADLINE_S (600).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServers } from './lib/server.mjs';
import { launch, newContext, openForms, submit, standing, outbox } from './lib/browser.mjs';

const SUBMISSIONS = Number(process.env.CF_FAULT_SUBMISSIONS ?? 200);
const TABS = Number(process.env.CF_FAULT_TABS ?? 2);
const FORMS = Number(process.env.CF_FAULT_FORMS ?? 8);
// The deadline only catches a stuck run: it takes 120–190 s on the 2-core build machine,
// and ran past the old 300 s (199 of 200 done) when the browser had one core to itself.
const DEADLINE_MS = Number(process.env.CF_FAULT_DEADLINE_S ?? 600) * 1000;
const TIMEOUT_MS = 1000;

// The receiver's behaviour over time, repeated until every submission has been made.
const SCHEDULE = [
  ['ok', 2500], ['refuse', 3000], ['ok', 2000], ['500', 3000], ['ok', 2000], ['503', 3000],
  ['ok', 2000], ['hang', 3000], ['ok', 1500], ['store-then-drop', 2000],
];

let servers;
let browser;

before(async () => {
  servers = await startServers();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await servers?.close();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * One lock per page: Playwright's fill/click move the focus, so a page's UI is driven by
 * one visitor at a time. `run(fn, true)` goes before every waiting visitor (the reload).
 */
function lock() {
  let busy = false;
  const normal = [];
  const urgent = [];
  const next = () => {
    const job = urgent.shift() ?? normal.shift();
    busy = Boolean(job);
    job?.();
  };
  return (fn, priority = false) => new Promise((resolve, reject) => {
    (priority ? urgent : normal).push(() => Promise.resolve().then(fn).then(resolve, reject).finally(next));
    if (!busy) next();
  });
}

test(`fault test: ${SUBMISSIONS} submissions through a failing receiver, with a reload`, async () => {
  const { context, events, errors } = await newContext(browser);
  const tabs = [];
  for (let t = 0; t < TABS; t++) {
    const page = await openForms(context, servers, { forms: FORMS, config: { timeout_ms: TIMEOUT_MS } });
    tabs.push({ page, lock: lock() });
  }
  const started = Date.now();
  let reserved = 0;
  let finished = false;
  const failedSeen = [];
  const receipts = new Set(); // ids whose receipt a visitor saw
  const modeTime = new Map();
  let reload = null;
  // Set by the reloader when no failure stretch has caught tab 0 with a submission
  // waiting for a while: it holds the receiver failing until one does.
  let forcing = false;

  // The receiver's stretches of failure.
  const faults = (async () => {
    for (let i = 0; !finished && reserved < SUBMISSIONS; i++) {
      const [mode, ms] = SCHEDULE[i % SCHEDULE.length];
      while (forcing) await sleep(50);
      if (mode === '503') servers.state.retryAfter = '1';
      await servers.setMode(mode);
      const from = Date.now();
      while (!finished && reserved < SUBMISSIONS && (Date.now() - from < ms || forcing)) await sleep(50);
      modeTime.set(mode, (modeTime.get(mode) ?? 0) + Date.now() - from);
    }
    await servers.setMode('ok');
  })();

  // A reload of tab 0 in the middle, during a failure stretch, while some of its forms
  // show a submission saved and waiting.
  const reloader = (async () => {
    while (!finished && reserved < SUBMISSIONS * 0.4) await sleep(50);
    const tab = tabs[0];
    const force_after = Date.now() + 20_000;
    while (!finished) {
      if (!forcing && Date.now() > force_after) {
        // On a fast machine the stretches may never catch tab 0 waiting: make one.
        forcing = true;
        await servers.setMode('500');
      }
      const mode = servers.state.mode;
      if (mode !== 'ok') {
        const done = await tab.lock(async () => {
          const shown = {};
          for (let f = 0; f < FORMS; f++) {
            const { phase } = await standing(tab.page, `f${f}`);
            shown[phase] = (shown[phase] ?? 0) + 1;
          }
          if (!shown.queued) return false;
          const inOutbox = (await outbox(tab.page)).length;
          await tab.page.reload();
          await tab.page.waitForFunction(() => window.cfReady === true, null, { timeout: 30_000 });
          reload = { at_s: (Date.now() - started) / 1000, mode, 'shared outbox entries': inOutbox, 'its forms': shown, submittedSoFar: reserved };
          return true;
        }, true);
        if (done) {
          forcing = false;
          return;
        }
      }
      await sleep(100);
    }
    forcing = false;
  })();

  // One visitor per form, each submitting again and again until SUBMISSIONS are made.
  const submitsFrom = (page, host) => events.filter((e) => e.type === 'consent-form:submit' && e.page === page && e.host === host).length;
  const visitor = async (tab, host) => {
    // A reservation is one of the SUBMISSIONS this visitor has promised to make; it is
    // used up by the next submit event from this form, however late that arrives.
    let holding = null;
    while (!finished) {
      if (holding && submitsFrom(tab.page, host) > holding.baseline) holding = null;
      let where;
      try {
        where = await standing(tab.page, host);
      } catch {
        await sleep(100); // reloading
        continue;
      }
      if (where.phase === 'sent') {
        receipts.add(where.id);
        if (!holding && reserved >= SUBMISSIONS) return;
        try {
          await tab.lock(() => tab.page.locator(`#${host}`).getByRole('button', { name: 'Send another request' }).click({ timeout: 5000 }));
        } catch {
          await sleep(100);
        }
      } else if (where.phase === 'editing') {
        if (!holding) {
          if (reserved >= SUBMISSIONS) return;
          reserved++;
          holding = { baseline: submitsFrom(tab.page, host) };
        }
        try {
          await tab.lock(() => submit(tab.page, host));
        } catch {
          // A reload got in the way: look again.
        }
        const end = Date.now() + 3000;
        while (Date.now() < end && submitsFrom(tab.page, host) === holding.baseline) await sleep(20);
      } else if (where.phase === 'failed') {
        failedSeen.push({ host, text: where.text });
        return;
      } else {
        await sleep(100);
      }
    }
  };
  const submittedIds = () => events.filter((e) => e.type === 'consent-form:submit').map((e) => e.detail.id);

  const visitors = [];
  for (const tab of tabs) for (let f = 0; f < FORMS; f++) visitors.push(visitor(tab, `f${f}`));
  const all = Promise.all(visitors);
  let timer;
  const deadline = new Promise((r) => { timer = setTimeout(() => r('deadline'), DEADLINE_MS); });
  const outcome = await Promise.race([all.then(() => 'done'), deadline]);
  clearTimeout(timer);
  finished = true;
  await faults;
  await reloader;

  // Every submission made must now be stored; wait for the last ones to arrive.
  const ids = submittedIds();
  const stored = () => new Set(servers.state.stored);
  const drainEnd = Date.now() + 60_000;
  while (Date.now() < drainEnd && !ids.every((id) => stored().has(id))) await sleep(100);
  const elapsed = Date.now() - started;

  const storedList = servers.state.stored;
  const storedSet = new Set(storedList);
  const submittedSet = new Set(ids);
  const lost = ids.filter((id) => !storedSet.has(id));
  const extra = [...storedSet].filter((id) => !submittedSet.has(id));
  const storedTwice = storedList.length - storedSet.size;
  const deliveries = [...servers.state.deliveries.values()];
  const fetches = events.filter((e) => e.type === 'fetch');
  const endpointAttempts = fetches.filter((e) => e.detail.method === 'POST' && e.detail.url === servers.endpoint).length;
  const keyFetches = fetches.filter((e) => e.detail.url.endsWith('/api/keys')).length;
  const probes = fetches.filter((e) => e.detail.method === 'HEAD').length;
  const byMode = {};
  for (const c of servers.state.captured) byMode[c.mode] = (byMode[c.mode] ?? 0) + 1;
  const leftInOutbox = (await Promise.all(tabs.map((t) => outbox(t.page)))).flat().length;

  const figures = {
    submissions: ids.length,
    'distinct ids submitted': submittedSet.size,
    'distinct ids stored': storedSet.size,
    'stored more than once': storedTwice,
    lost: lost.length,
    'stored but never submitted': extra.length,
    'attempts (POSTs the browser made to the endpoint)': endpointAttempts,
    'POSTs that reached the receiver': servers.state.requests,
    'POSTs by receiver mode': byMode,
    'repeat deliveries answered as duplicates': servers.state.duplicates,
    'ids delivered more than once': deliveries.filter((n) => n > 1).length,
    'most deliveries of one id': Math.max(0, ...deliveries),
    'key fetches': keyFetches,
    'CORS probes after network errors': probes,
    'receiver mode time (ms)': Object.fromEntries(modeTime),
    reload,
    'receipts seen by the visitors': receipts.size,
    'forms that ended failed': failedSeen.length,
    'left in outbox': leftInOutbox,
    'tabs x forms': `${TABS} x ${FORMS}`,
    'request timeout (ms)': TIMEOUT_MS,
    'elapsed (s)': (elapsed / 1000).toFixed(1),
    result: outcome,
  };
  console.log(`fault test figures:\n${JSON.stringify(figures, null, 2)}`);

  assert.equal(outcome, 'done', `the run finished before the ${DEADLINE_MS / 1000} s deadline`);
  assert.equal(ids.length, SUBMISSIONS, 'submissions made');
  assert.equal(submittedSet.size, SUBMISSIONS, 'each with its own id');
  assert.deepEqual(lost, [], 'none lost');
  assert.equal(storedTwice, 0, 'none stored twice');
  assert.deepEqual(extra, [], 'nothing stored that was not submitted');
  assert.equal(storedSet.size, SUBMISSIONS);
  assert.deepEqual(failedSeen, [], 'no form ended failed: every fault was temporary');
  assert.ok(reload && reload['its forms'].queued > 0, 'a tab was reloaded while its forms had submissions waiting');
  assert.equal(leftInOutbox, 0, 'the outbox is empty');
  assert.ok(endpointAttempts > SUBMISSIONS, 'faults forced retries');
  for (const mode of ['500', '503', 'hang', 'store-then-drop']) assert.ok(byMode[mode] > 0, `the receiver was hit in mode ${mode}`);
  assert.ok((modeTime.get('refuse') ?? 0) > 0, 'connections were refused for a while');
  assert.ok(servers.state.captured.filter((c) => c.mode === 'ok' || c.mode === 'store-then-drop').every((c) => c.verified),
    'every delivery verified with npm standardwebhooks');
  assert.deepEqual(errors, [], 'no page error, no panic');
  await context.close();
});
