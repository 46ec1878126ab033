// Issue 5, point 4 (never lost, never doubled) and point 6 (bad answers): the built
// component in Chromium against the loopback receiver of lib/server.mjs, one scenario
// per behaviour. Every scenario also asserts that the page had no error and no panic.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServers } from './lib/server.mjs';
import { launch, newContext, openForms, submit, waitFor, standing, outbox, until } from './lib/browser.mjs';

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
beforeEach(async () => {
  await servers.setMode('ok');
  servers.setKeyMode('ok');
  servers.state.retryAfter = '1';
});

/** A context with one page of `forms` forms; `done()` asserts no page error and closes it. */
async function scene(config = {}, forms = 1) {
  const { context, events, errors } = await newContext(browser);
  const page = await openForms(context, servers, { forms, config: { timeout_ms: 1500, ...config } });
  return {
    context, page, events, errors,
    async done() {
      assert.deepEqual(errors, [], 'no page error, no panic');
      await context.close();
    },
  };
}

/** Where the keyboard's focus is in form `host` (the focused element's text) and what is locked. */
async function focusAndLocks(page, host) {
  return page.evaluate((host) => {
    const root = document.getElementById(host).shadowRoot;
    const consents = [...root.querySelectorAll('input[type=checkbox][name^=consent-]')];
    return {
      focused: root.activeElement?.textContent.trim() ?? null,
      readonly: [...root.querySelectorAll('[readonly]')].map((e) => e.name),
      consentsLocked: consents.length > 0 && consents.every((c) => c.getAttribute('aria-disabled') === 'true'),
    };
  }, host);
}

const attemptsOf = (id) => servers.state.captured.filter((c) => c.id === id);
const submitted = (events) => events.filter((e) => e.type === 'consent-form:submit').map((e) => e.detail.id);
const storedTimes = (id) => servers.state.stored.filter((s) => s === id).length;

// ------------------------------------------------------------------ point 4

test('the outbox holds the submission before the first attempt and lets go only on 2xx', async () => {
  await servers.setMode('hang');
  const s = await scene();
  await submit(s.page, 'f0', { name: 'Phạm Thu Hà' });
  const id = (await until(() => submitted(s.events)[0], 5000, 'the submit event'));
  await until(() => attemptsOf(id).length === 1, 5000, 'the first attempt to reach the receiver');
  // While the first attempt hangs at the receiver, the entry is already stored.
  const held = await outbox(s.page);
  assert.equal(held.length, 1);
  assert.equal(held[0].receipt.id, id);
  assert.equal(held[0].attempts, 0, 'stored before the first attempt ended');
  // The hang outlasts timeout_ms: the attempt is abandoned, the entry stays.
  const queued = await waitFor(s.page, 'f0', ['queued'], 5000);
  assert.match(queued.text, /saved on this device/);
  assert.equal((await outbox(s.page)).length, 1);
  const timeoutEvent = s.events.find((e) => e.type === 'consent-form:error');
  assert.match(timeoutEvent.detail.reason, /no answer within 1500 ms/);
  assert.equal(timeoutEvent.detail.will_retry, true);
  await servers.setMode('ok');
  const sent = await waitFor(s.page, 'f0', ['sent'], 10_000);
  assert.equal(sent.id, id);
  assert.deepEqual(await outbox(s.page), [], 'gone from the outbox after the 2xx');
  assert.equal(storedTimes(id), 1);
  assert.ok(s.events.some((e) => e.type === 'consent-form:success' && e.detail.id === id));
  await s.done();
});

test('5xx, 408 and 429 are retried with the same id, a fresh timestamp and signature, honouring Retry-After', async () => {
  await servers.setMode('503');
  servers.state.retryAfter = '2';
  const s = await scene();
  await submit(s.page, 'f0');
  const id = await until(() => submitted(s.events)[0], 5000, 'the submit event');
  // Counted by the component's own attempts (its error events), not by POSTs at the
  // server: Chromium itself resends a request once when a reused connection answers 408.
  const failures = (n) => () => s.events.filter((e) => e.type === 'consent-form:error').length >= n;
  await until(failures(2), 10_000, 'two attempts answered 503');
  // The HTTP-date form, 3 s after the moment of the answer (so at least 2 whole seconds).
  servers.state.retryAfter = () => new Date(Date.now() + 3000).toUTCString();
  await until(failures(3), 10_000, 'a third attempt');
  await servers.setMode('429');
  servers.state.retryAfter = '1';
  await until(failures(4), 10_000, 'a fourth attempt (429)');
  await servers.setMode('408');
  await until(failures(5), 20_000, 'a fifth attempt (408)');
  await servers.setMode('500');
  await until(failures(6), 30_000, 'a sixth attempt (500)');
  await servers.setMode('ok');
  const sent = await waitFor(s.page, 'f0', ['sent'], 60_000);
  assert.equal(sent.id, id);

  const tries = attemptsOf(id);
  assert.ok(tries.length >= 7, `${tries.length} attempts`);
  assert.deepEqual(tries.map((t) => t.mode).slice(0, 2), ['503', '503']);
  // Each attempt is signed afresh: all verify, no signature repeats, timestamps never go back.
  assert.ok(tries.every((t) => t.verified), 'every attempt verifies with npm standardwebhooks');
  // Timestamps are whole seconds: two attempts within one second carry the same timestamp
  // and so, rightly, the same signature. Each new timestamp gets a new signature.
  assert.equal(
    new Set(tries.map((t) => t.signature)).size,
    new Set(tries.map((t) => t.timestamp)).size,
    'signed afresh: one signature per timestamp',
  );
  assert.equal(new Set(tries.map((t) => t.bodyB64)).size, 1, 'the very same body bytes each time');
  for (let i = 1; i < tries.length; i++) assert.ok(Number(tries[i].timestamp) >= Number(tries[i - 1].timestamp));
  assert.ok(Number(tries[tries.length - 1].timestamp) > Number(tries[0].timestamp), 'the timestamp moved on');
  // Retry-After: 2 s after the first two 503s; the third 503 named a date ≥ 2 s ahead.
  assert.ok(tries[1].at - tries[0].at >= 1900, `waited ${tries[1].at - tries[0].at} ms after Retry-After: 2`);
  assert.ok(tries[2].at - tries[1].at >= 1900, `waited ${tries[2].at - tries[1].at} ms after Retry-After: 2`);
  assert.ok(tries[3].at - tries[2].at >= 1900, `waited ${tries[3].at - tries[2].at} ms after a Retry-After date`);
  assert.equal(storedTimes(id), 1);
  assert.deepEqual(await outbox(s.page), []);
  const errors = s.events.filter((e) => e.type === 'consent-form:error');
  assert.ok(errors.length >= 6 && errors.every((e) => e.detail.will_retry && e.detail.id === id),
    `${errors.length} error events for attempts ${tries.map((t) => t.mode)}: ${JSON.stringify(errors.map((e) => e.detail.reason))}`);
  assert.ok(errors.some((e) => /HTTP 503 \(retry after 2 s\)/.test(e.detail.reason)), 'the reason names the status and wait');
  await s.done();
});

test('backoff grows exponentially with full jitter', async () => {
  await servers.setMode('500');
  const s = await scene();
  await submit(s.page, 'f0');
  const id = await until(() => submitted(s.events)[0], 5000, 'the submit event');
  await until(() => attemptsOf(id).length >= 6, 60_000, 'six attempts');
  await servers.setMode('ok');
  await waitFor(s.page, 'f0', ['sent'], 60_000);
  const tries = attemptsOf(id);
  // Wait n follows attempt n: uniform in [0, 1 s · 2^(n-1)], plus up to 300 ms that spread
  // tabs' timers apart, plus the time an attempt takes.
  const gaps = tries.slice(1).map((t, i) => t.at - tries[i].at);
  gaps.slice(0, 5).forEach((gap, i) => {
    const ceiling = 1000 * 2 ** i;
    assert.ok(gap <= ceiling + 300 + 500, `wait ${i + 1} was ${gap} ms, above ${ceiling} ms + 800 ms`);
  });
  assert.ok(gaps.slice(0, 5).reduce((a, b) => a + b, 0) >= 1500, 'the waits grew (five full-jitter waits: 15.5 s on average)');
  console.log(`backoff waits observed (ms): ${gaps.join(', ')}`);
  await s.done();
});

test('other 4xx are final, shown with the reason; what was typed stays and can be sent again', async () => {
  for (const mode of ['400', '403', '422']) {
    await servers.setMode(mode);
    const s = await scene();
    await submit(s.page, 'f0', { name: 'Đỗ Minh Tâm', phone: '0912 345 678' });
    const failed = await waitFor(s.page, 'f0', ['failed', 'sent'], 10_000);
    assert.equal(failed.phase, 'failed');
    assert.match(failed.text, new RegExp(`code ${mode}`), failed.text);
    assert.match(failed.text, /What you typed is kept/);
    assert.equal(failed.values.name, 'Đỗ Minh Tâm');
    const id = submitted(s.events)[0];
    // Kept, held (never sent again as it is), until this form sends anew.
    const kept = await outbox(s.page);
    assert.deepEqual(kept.map((e) => e.receipt.id), [id], 'a refused submission is kept');
    assert.ok(kept[0].held_ms > 0, 'held, not to be sent');
    assert.equal(attemptsOf(id).length, 1, 'no retry after a final 4xx');
    const error = s.events.find((e) => e.type === 'consent-form:error');
    assert.equal(error.detail.will_retry, false);
    // What the endpoint said, for the developer: JSON's error, plain text's start (on one
    // line, cut at 300 characters), never an HTML page.
    const said = {
      400: 'the endpoint answered HTTP 400',
      403: `the endpoint answered HTTP 403: Origin not allowed ${'x'.repeat(281)}`,
      422: 'the endpoint answered HTTP 422: field `age` is not part of the contact form',
    }[mode];
    assert.equal(error.detail.reason, said);
    // The send button, which kept the keyboard's focus throughout, now says "Try again";
    // it sends again at once, as a new submission, with what the form holds now.
    assert.equal((await focusAndLocks(s.page, 'f0')).focused, 'Try again');
    assert.equal((await focusAndLocks(s.page, 'f0')).readonly.length, 0, 'editable again');
    await servers.setMode('ok');
    await s.page.keyboard.press('Enter');
    const sent = await waitFor(s.page, 'f0', ['sent'], 10_000);
    assert.notEqual(sent.id, id, 'a new submission, a new id');
    assert.equal(storedTimes(sent.id), 1);
    assert.deepEqual(await outbox(s.page), [], 'the refused one went with the new submission');
    await s.done();
  }
});

test("a visitor whose clock is 2 hours ahead still delivers: the key URL's `now` corrects the timestamp", async () => {
  const { context, events, errors } = await newContext(browser);
  await context.addInitScript(() => {
    const real = Date.now;
    Date.now = () => real() + 2 * 3600 * 1000;
  });
  const page = await openForms(context, servers, { config: { timeout_ms: 1500 } });
  assert.ok(await page.evaluate(() => Date.now() - performance.timeOrigin - performance.now() > 3600e3), 'the page clock is off');
  await submit(page, 'f0', { name: 'Đỗ Văn Lâm' });
  const id = await until(() => submitted(events)[0], 5000, 'the submit event');
  const sent = await waitFor(page, 'f0', ['sent'], 10_000);
  assert.equal(sent.id, id);
  const tries = attemptsOf(id);
  assert.equal(tries.length, 1, 'accepted at the first attempt');
  assert.ok(tries[0].verified, 'npm standardwebhooks accepts the timestamp');
  const off = Number(tries[0].timestamp) - tries[0].at / 1000;
  assert.ok(Math.abs(off) < 3, `signed with the server's time (off by ${off.toFixed(1)} s)`);
  assert.equal(storedTimes(id), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('no browser storage: the visitor is told to keep the page open, and it is sent while it is', async () => {
  await servers.setMode('503');
  servers.state.retryAfter = '1';
  const { context, events, errors } = await newContext(browser);
  await context.addInitScript(() => {
    Storage.prototype.setItem = function setItem() {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  const page = await openForms(context, servers, { config: { timeout_ms: 1500 } });
  await submit(page, 'f0', { name: 'Lý Thị Mai' });
  const id = await until(() => submitted(events)[0], 5000, 'the submit event');
  const queued = await waitFor(page, 'f0', ['queued'], 10_000);
  assert.match(queued.text, /keep this page open/);
  assert.doesNotMatch(queued.text, /saved on this device/, 'it is not saved on the device');
  assert.deepEqual(await outbox(page), [], 'nothing in localStorage');
  await servers.setMode('ok');
  const sent = await waitFor(page, 'f0', ['sent'], 15_000);
  assert.equal(sent.id, id);
  assert.equal(storedTimes(id), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a key from key-url is fetched once, and again only when it is about to expire', async () => {
  await servers.setMode('ok');
  const sendBoth = async (s, pause = 0) => {
    await submit(s.page, 'f0');
    assert.equal((await waitFor(s.page, 'f0', ['sent', 'failed'], 10_000)).phase, 'sent');
    await new Promise((resolve) => setTimeout(resolve, pause));
    await submit(s.page, 'f1');
    assert.equal((await waitFor(s.page, 'f1', ['sent', 'failed'], 10_000)).phase, 'sent');
  };
  const s = await scene({}, 2);
  let before = servers.state.keyRequests;
  await sendBoth(s);
  assert.equal(servers.state.keyRequests - before, 1, 'two submissions, one key');
  await s.done();

  // A key with 6 s to live is not used in its last 5: one second later it is fetched anew.
  servers.state.keyTtlMs = 6_000;
  try {
    const t = await scene({}, 2);
    before = servers.state.keyRequests;
    await sendBoth(t, 1_500);
    assert.equal(servers.state.keyRequests - before, 2, 'fetched again before it expired');
    await t.done();
  } finally {
    servers.state.keyTtlMs = 10 * 60_000;
  }
});

test('a 401 with a fetched key: the key is fetched again once, then the 401 is final', async () => {
  await servers.setMode('401');
  const s = await scene();
  const keysBefore = servers.state.keyRequests;
  await submit(s.page, 'f0');
  const failed = await waitFor(s.page, 'f0', ['failed', 'sent'], 10_000);
  assert.equal(failed.phase, 'failed');
  assert.match(failed.text, /code 401/);
  const id = submitted(s.events)[0];
  assert.equal(attemptsOf(id).length, 2, 'tried again once with a new key');
  assert.equal(servers.state.keyRequests - keysBefore, 2, 'the key was fetched again');
  await s.done();
});

test('connection refused: saved and will be sent; sent once the server is back', async () => {
  await servers.setMode('refuse');
  const s = await scene();
  await submit(s.page, 'f0');
  const queued = await waitFor(s.page, 'f0', ['queued'], 10_000);
  assert.match(queued.text, /Not sent yet \(the server is not answering for now\)/);
  // While it waits, what it carries cannot be changed (a change would never be sent), and
  // the keyboard's focus stays on the button, which says it will send by itself.
  assert.deepEqual(await focusAndLocks(s.page, 'f0'), {
    focused: 'Saved, will send automatically', readonly: ['company', 'name', 'need', 'phone', 'email'], consentsLocked: true,
  });
  await s.page.fill('#f0 input[name=name]', 'Changed meanwhile', { timeout: 1000 }).catch(() => {});
  assert.notEqual((await standing(s.page, 'f0')).values.name, 'Changed meanwhile');
  const error = s.events.find((e) => e.type === 'consent-form:error');
  assert.match(error.detail.reason, /network error/);
  assert.equal(servers.state.captured.filter((c) => c.id === submitted(s.events)[0]).length, 0);
  await servers.setMode('ok');
  const sent = await waitFor(s.page, 'f0', ['sent'], 15_000);
  assert.equal(storedTimes(sent.id), 1);
  await s.done();
});

test('offline: "no network connection"; back online, everything waiting is sent at once', async () => {
  const s = await scene();
  await s.context.setOffline(true);
  await submit(s.page, 'f0');
  const queued = await waitFor(s.page, 'f0', ['queued'], 10_000);
  assert.match(queued.text, /no network connection/);
  // Let the backoff grow until the next try is far off.
  const far = await until(async () => {
    const [entry] = await outbox(s.page);
    return entry && entry.next_ms - Date.now() > 2500 ? entry : null;
  }, 60_000, 'a retry more than 2.5 s away');
  assert.equal(far.network_failure, true);
  const back = Date.now();
  await s.context.setOffline(false);
  const sent = await waitFor(s.page, 'f0', ['sent'], 10_000);
  const took = Date.now() - back;
  assert.ok(Date.now() < far.next_ms, `sent ${took} ms after "online", before the backoff's next try`);
  assert.equal(storedTimes(sent.id), 1);
  await s.done();
});

test('a reload keeps the submission queued, shows it, and sends it', async () => {
  await servers.setMode('refuse');
  const s = await scene();
  await submit(s.page, 'f0', { name: 'Võ Thị Sáu' });
  const id = await until(() => submitted(s.events)[0], 5000, 'the submit event');
  await waitFor(s.page, 'f0', ['queued'], 10_000);
  await s.page.reload();
  await s.page.waitForFunction(() => window.cfReady === true);
  const after = await waitFor(s.page, 'f0', ['queued'], 10_000);
  assert.equal(after.values.name, 'Võ Thị Sáu', 'what was typed is still shown');
  // …with the boxes as the waiting submission has them (the draft keeps no ticks), locked.
  const ticks = await s.page.evaluate(() => [...document.getElementById('f0').shadowRoot
    .querySelectorAll('input[type=checkbox][name^=consent-]')].map((c) => [c.name, c.checked]));
  assert.deepEqual(ticks, [['consent-consultation', true], ['consent-marketing', false], ['consent-call_recording', false]]);
  assert.equal((await focusAndLocks(s.page, 'f0')).consentsLocked, true);
  await servers.setMode('ok');
  const sent = await waitFor(s.page, 'f0', ['sent'], 15_000);
  assert.equal(sent.id, id, 'the same submission, not a new one');
  assert.equal(storedTimes(id), 1);
  // Its success event comes from the form that shows it, after the reload.
  const success = await until(() => s.events.find((e) => e.type === 'consent-form:success' && e.detail.id === id),
    5000, 'the success event');
  assert.equal(success.host, 'f0');
  await s.done();
});

test('the outbox is flushed on page load: a tab closed while waiting is sent by the next page', async () => {
  await servers.setMode('refuse');
  const { context, events, errors } = await newContext(browser);
  const first = await openForms(context, servers, { config: { timeout_ms: 1500 } });
  await submit(first, 'f0');
  const id = await until(() => submitted(events)[0], 5000, 'the submit event');
  await waitFor(first, 'f0', ['queued'], 10_000);
  await first.close();
  await servers.setMode('ok');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(storedTimes(id), 0, 'nobody sent it while no page was open');
  const next = await openForms(context, servers, { config: { timeout_ms: 1500 } });
  await until(() => storedTimes(id) === 1, 10_000, 'the next page to send it');
  await until(async () => (await outbox(next)).length === 0, 5000, 'an empty outbox');
  // The new tab's own form was never involved: it is still empty and editable.
  assert.equal((await standing(next, 'f0')).phase, 'editing');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a tab closed while waiting: the next tab lists the request as waiting, and says when it is sent', async () => {
  await servers.setMode('503');
  servers.state.retryAfter = '600';
  const { context, events, errors } = await newContext(browser);
  const first = await openForms(context, servers, { config: { timeout_ms: 1500 } });
  await submit(first, 'f0', { name: 'Đặng Thùy Trâm' });
  const id = await until(() => submitted(events)[0], 5000, 'the submit event');
  await waitFor(first, 'f0', ['queued'], 10_000);
  // The phone's browser drops the tab (and its sessionStorage); the visitor comes back.
  await first.close();
  const next = await openForms(context, servers, { config: { timeout_ms: 1500 } });
  const listed = () => next.evaluate(() => {
    const root = document.getElementById('f0').shadowRoot;
    return {
      ids: [...root.querySelectorAll('[data-waiting]')].map((e) => e.dataset.waiting),
      text: root.querySelector('[part=waiting]')?.textContent ?? '',
      news: root.querySelector('[data-waiting-news]')?.textContent ?? '',
      status: root.querySelector('.cf-status')?.dataset.state,
      focused: root.activeElement?.id ?? null,
    };
  });
  const shown = await until(async () => { const l = await listed(); return l.ids.length ? l : null; }, 5000, 'the list');
  assert.deepEqual(shown.ids, [id]);
  assert.match(shown.text, /Waiting to be sent/);
  assert.match(shown.text, /Consultation request — Waiting since/);
  assert.doesNotMatch(shown.text, /Đặng Thùy Trâm|902 666 984/, 'nothing typed');
  assert.equal(shown.status, 'editing', 'the form is fresh');
  // The retry is ten minutes away; the server is back; the visitor presses "Send now".
  await servers.setMode('ok');
  await next.click('#f0 #cf-waiting-send');
  const sent = await until(async () => { const l = await listed(); return l.ids.length === 0 && l.news ? l : null; }, 5000, 'sent');
  assert.match(sent.news, /Your request saved at .* has been sent\./);
  assert.equal(sent.focused, 'cf-waiting-news', 'focus on what became of it');
  assert.equal(storedTimes(id), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a tab closed while waiting, then refused for good: the next tab lists it as not sent, and it goes back into the form', async () => {
  await servers.setMode('503');
  servers.state.retryAfter = '600';
  const { context, events, errors } = await newContext(browser);
  const first = await openForms(context, servers, { config: { timeout_ms: 1500 } });
  await submit(first, 'f0', { name: 'Trịnh Công Sơn', phone: '0912 345 678' });
  const id = await until(() => submitted(events)[0], 5000, 'the submit event');
  await waitFor(first, 'f0', ['queued'], 10_000);
  // The tab is closed; later the backend refuses it for good.
  await first.close();
  await servers.setMode('422');
  const next = await openForms(context, servers, { config: { timeout_ms: 1500 } });
  const listed = () => next.evaluate(() => {
    const root = document.getElementById('f0').shadowRoot;
    return {
      waiting: [...root.querySelectorAll('[data-waiting]')].map((e) => e.dataset.waiting),
      unsent: [...root.querySelectorAll('[data-unsent]')].map((e) => e.dataset.unsent),
      text: root.querySelector('[part=waiting]')?.textContent ?? '',
      news: root.querySelector('[data-waiting-news]')?.textContent ?? '',
      focused: root.activeElement?.id ?? null,
    };
  });
  await until(async () => (await listed()).waiting.length === 1, 5000, 'listed as waiting');
  await next.click('#f0 #cf-waiting-send');
  const refused = await until(async () => { const l = await listed(); return l.unsent.length ? l : null; }, 5000, 'listed as not sent');
  assert.deepEqual(refused.unsent, [id]);
  assert.deepEqual(refused.waiting, []);
  assert.match(refused.text, /Not sent: the server refused it \(code 422\) — field `age` is not part of the contact form\./);
  assert.match(refused.news, /could not be sent: .*It is kept below/);
  assert.doesNotMatch(refused.text, /Trịnh Công Sơn/, 'nothing typed is shown');
  assert.equal(attemptsOf(id).length, 2, 'tried once by each tab, and no more');
  const kept = await outbox(next);
  assert.equal(kept.length, 1);
  assert.ok(kept[0].held_ms > 0);
  // Put back: what was typed fills the form, the consents are to be ticked anew.
  await next.click(`#f0 [data-unsent='${id}'] [data-act=put-back]`);
  const back = await until(async () => { const l = await listed(); return l.unsent.length === 0 && l.focused ? l : null; }, 5000, 'back in the form');
  assert.equal(back.focused, 'cf-company', 'focus on the first field');
  assert.match(back.news, /is back in the form/);
  const form = await standing(next, 'f0');
  assert.equal(form.values.name, 'Trịnh Công Sơn');
  assert.equal(form.phase, 'failed', 'the status line says why it was refused');
  assert.equal(await next.evaluate(() => document.getElementById('f0').shadowRoot
    .querySelector('input[name=consent-consultation]').checked), false);
  // The backend accepts it now: sent as a new submission; the old one is gone.
  await servers.setMode('ok');
  await next.check('#f0 input[name=consent-consultation]');
  await next.click('#f0 button[type=submit]');
  const sent = await waitFor(next, 'f0', ['sent'], 10_000);
  assert.notEqual(sent.id, id);
  assert.equal(storedTimes(sent.id), 1);
  assert.equal(storedTimes(id), 0);
  assert.deepEqual(await outbox(next), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('put back into the form in one tab, a request leaves the list of another open tab at once; sent anew, it is never listed there', async () => {
  await servers.setMode('503');
  servers.state.retryAfter = '600';
  const { context, events, errors } = await newContext(browser);
  const first = await openForms(context, servers, { config: { timeout_ms: 1500 } });
  await submit(first, 'f0', { name: 'Văn Cao', phone: '0912 345 678' });
  const id = await until(() => submitted(events)[0], 5000, 'the submit event');
  await waitFor(first, 'f0', ['queued'], 10_000);
  await first.close();
  await servers.setMode('422');
  // Two tabs of the site are open; the visitor works in the first.
  const here = await openForms(context, servers, { config: { timeout_ms: 1500 } });
  const there = await openForms(context, servers, { config: { timeout_ms: 1500 } });
  const listed = (page) => page.evaluate(() => {
    const root = document.getElementById('f0').shadowRoot;
    return {
      waiting: [...root.querySelectorAll('[data-waiting]')].map((e) => e.dataset.waiting),
      unsent: [...root.querySelectorAll('[data-unsent]')].map((e) => e.dataset.unsent),
    };
  });
  await until(async () => (await listed(there)).waiting.length === 1, 5000, 'listed as waiting in the other tab');
  await here.click('#f0 #cf-waiting-send');
  await until(async () => (await listed(there)).unsent.length === 1, 5000, 'the other tab to hear it was refused');
  await here.click(`#f0 [data-unsent='${id}'] [data-act=put-back]`);
  assert.equal((await standing(here, 'f0')).values.name, 'Văn Cao');
  await until(async () => { const l = await listed(there); return l.unsent.length + l.waiting.length === 0; },
    2000, 'the other tab to let it go');
  // Sent anew from the first tab: delivered, it never shows in the other as waiting.
  await servers.setMode('ok');
  await here.check('#f0 input[name=consent-consultation]');
  await here.click('#f0 button[type=submit]');
  const sent = await waitFor(here, 'f0', ['sent'], 10_000);
  assert.notEqual(sent.id, id);
  await new Promise((r) => setTimeout(r, 500));
  assert.deepEqual(await listed(there), { waiting: [], unsent: [] });
  assert.equal((await standing(there, 'f0')).phase, 'editing', "the other tab's form is untouched");
  assert.deepEqual(await outbox(there), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the outbox is flushed when the page becomes visible again', async () => {
  await servers.setMode('503');
  servers.state.retryAfter = '600';
  const s = await scene();
  await submit(s.page, 'f0');
  const id = await until(() => submitted(s.events)[0], 5000, 'the submit event');
  const [entry] = await until(async () => {
    const list = await outbox(s.page);
    return list.length && list[0].next_ms > Date.now() + 500_000 ? list : null;
  }, 10_000, 'a retry 10 minutes away');
  await servers.setMode('ok');
  // A phone that slept in the background: the time has come, but the timer has not fired.
  await s.page.evaluate(({ key }) => {
    const entry = JSON.parse(localStorage.getItem(key));
    entry.next_ms = Date.now() - 1;
    localStorage.setItem(key, JSON.stringify(entry));
  }, { key: `consent-form:outbox:v2:${entry.receipt.id}` });
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(storedTimes(id), 0, 'no timer would have sent it yet');
  await s.page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await waitFor(s.page, 'f0', ['sent'], 5000);
  assert.equal(storedTimes(id), 1);
  await s.done();
});

test('a submission delivered by another tab shows as sent in the tab that made it', async () => {
  await servers.setMode('503');
  servers.state.retryAfter = '600';
  const { context, events, errors } = await newContext(browser);
  const maker = await openForms(context, servers, { config: { timeout_ms: 1500 } });
  const other = await openForms(context, servers, { config: { timeout_ms: 1500 } });
  await submit(maker, 'f0', { name: 'Bùi Thị Xuân' });
  const id = await until(() => submitted(events)[0], 5000, 'the submit event');
  await waitFor(maker, 'f0', ['queued'], 10_000);
  await servers.setMode('ok');
  // The other tab wakes first (its page became visible) and finds the entry due.
  await other.evaluate((key) => {
    const entry = JSON.parse(localStorage.getItem(key));
    entry.next_ms = Date.now() - 1;
    localStorage.setItem(key, JSON.stringify(entry));
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, `consent-form:outbox:v2:${id}`);
  await until(() => storedTimes(id) === 1, 5000, 'the other tab to deliver it');
  const sent = await waitFor(maker, 'f0', ['sent'], 5000);
  assert.equal(sent.id, id, 'the maker shows the receipt of its own submission');
  assert.equal((await standing(other, 'f0')).phase, 'editing', "the other tab's form is untouched");
  assert.ok(events.some((e) => e.type === 'consent-form:success' && e.page === maker && e.detail.id === id),
    'the success event fires in the tab that made it');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a page that removes the form right after submit (a SPA going to its thank-you page) still hears the outcome', async () => {
  const s = await scene();
  await s.page.fill('#f0 input[name=name]', 'Lý Thị Mai');
  await s.page.fill('#f0 input[name=phone]', '0902 666 984');
  await s.page.check('#f0 input[name=consent-consultation]');
  // Removed in the same task as the click: every event comes after the form is gone.
  await s.page.evaluate(() => {
    const form = document.getElementById('f0');
    form.shadowRoot.querySelector('button[type=submit]').click();
    form.remove();
  });
  const id = await until(() => submitted(s.events)[0], 5000, 'the submit event');
  await until(() => storedTimes(id) === 1, 10_000, 'the submission to be stored');
  const success = await until(
    () => s.events.find((e) => e.type === 'consent-form:success' && e.detail?.id === id),
    5000,
    'the success event on document',
  );
  assert.ok(success.detail.status >= 200 && success.detail.status < 300, `a 2xx (${success.detail.status})`);
  await s.done();
});

/**
 * Adds a `<consent-form id="ce">` element (configured by its child JSON, as the scene's
 * forms are) to the page of `s`, and waits until its form is shown.
 */
async function addElement(s, config = {}) {
  await s.page.evaluate((conf) => {
    const el = document.createElement('consent-form');
    el.id = 'ce';
    const json = document.createElement('script');
    json.type = 'application/json';
    json.textContent = JSON.stringify(conf);
    el.append(json);
    document.getElementById('forms').append(el);
  }, {
    kind: 'contact', locale: 'en', policy_url: '/privacy.html', controller: 'Công ty TNHH Thử Nghiệm',
    endpoint: servers.endpoint, key_url: '/api/keys', timeout_ms: 1500, min_fill_ms: 0, ...config,
  });
  await s.page.waitForSelector('#ce button[type=submit]');
}

/**
 * What a host page does when `consent-form:submit` reaches `document` (once): `remove`
 * the element (the `<consent-form>` destroys its form when it leaves the page), `later`
 * the same in a `setTimeout(…, 0)`, or `destroy` the `mount()` handle of `f0` in one.
 */
async function onSubmit(page, what) {
  await page.evaluate((what) => {
    document.addEventListener('consent-form:submit', (e) => {
      const target = e.target;
      if (what === 'remove') target.remove();
      else if (what === 'later') setTimeout(() => target.remove(), 0);
      else setTimeout(() => { window.cfHandles[0].destroy(); window.cfHandles.destroyed = true; }, 0);
    }, { once: true });
  }, what);
}

const eventsOf = (events, id) => events.filter((e) => e.detail?.id === id).map((e) => e.type);

test('a form removed or destroyed as consent-form:submit fires: its outcome still reaches document', async () => {
  for (const what of ['remove', 'later', 'destroy']) {
    const s = await scene();
    const host = what === 'destroy' ? 'f0' : 'ce';
    if (host === 'ce') await addElement(s);
    await onSubmit(s.page, what);
    await submit(s.page, host, { name: 'Lý Thị Mai' });
    const id = await until(() => submitted(s.events)[0], 5000, `${what}: the submit event`);
    await until(() => storedTimes(id) === 1, 10_000, `${what}: the submission to be stored`);
    const success = await until(
      () => s.events.find((e) => e.type === 'consent-form:success' && e.detail?.id === id),
      5000,
      `${what}: the success event on document`,
    );
    assert.ok(success.detail.status >= 200 && success.detail.status < 300, `${what}: a 2xx (${success.detail.status})`);
    // A removed element's events go to document itself; a destroyed form's host is still
    // on the page, and they come from it.
    assert.equal(success.host, what === 'destroy' ? 'f0' : '', what);
    const gone = await s.page.evaluate(() => !document.getElementById('ce')
      && document.getElementById('f0').shadowRoot.childElementCount === (window.cfHandles.destroyed ? 0 : 1));
    assert.ok(gone, `${what}: the form is gone`);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(eventsOf(s.events, id), ['consent-form:submit', 'consent-form:success'], `${what}: once each`);
    await s.done();
  }
});

test('a form removed as consent-form:submit fires: each retry\'s error, then the success, reach document', async () => {
  await servers.setMode('503');
  servers.state.retryAfter = '1';
  const s = await scene();
  await addElement(s);
  await onSubmit(s.page, 'remove');
  await submit(s.page, 'ce', { name: 'Trịnh Văn Bảo' });
  const id = await until(() => submitted(s.events)[0], 5000, 'the submit event');
  const failure = await until(
    () => s.events.find((e) => e.type === 'consent-form:error' && e.detail?.id === id),
    10_000,
    'the error event of the 503 on document',
  );
  assert.equal(failure.host, '');
  assert.equal(failure.detail.will_retry, true);
  assert.match(failure.detail.reason, /HTTP 503/);
  await servers.setMode('ok');
  await until(() => s.events.some((e) => e.type === 'consent-form:success' && e.detail?.id === id), 10_000,
    'the success event on document');
  assert.equal(storedTimes(id), 1);
  const seen = eventsOf(s.events, id);
  assert.equal(seen[0], 'consent-form:submit');
  assert.equal(seen[seen.length - 1], 'consent-form:success');
  assert.ok(seen.slice(1, -1).every((t) => t === 'consent-form:error'), seen.join(', '));
  assert.equal(seen.filter((t) => t === 'consent-form:success').length, 1);
  await s.done();
});

test('three tabs back online at once: every submission stored once, every tab told', async () => {
  const { context, events, errors } = await newContext(browser);
  const tabs = [];
  for (let i = 0; i < 3; i++) tabs.push(await openForms(context, servers, { config: { timeout_ms: 1500 } }));
  let rounds = 0;
  for (; rounds < 3; rounds++) {
    await context.setOffline(true);
    for (const tab of tabs) await submit(tab, 'f0');
    for (const tab of tabs) await waitFor(tab, 'f0', ['queued'], 10_000);
    await context.setOffline(false);
    for (const tab of tabs) await waitFor(tab, 'f0', ['sent'], 15_000);
    for (const tab of tabs) await tab.locator('#f0').getByRole('button', { name: 'Send another request' }).click();
  }
  const ids = submitted(events);
  assert.equal(ids.length, 9);
  assert.equal(new Set(ids).size, 9);
  for (const id of ids) assert.equal(storedTimes(id), 1, `${id} stored once`);
  const deliveries = ids.map((id) => servers.state.deliveries.get(id) ?? 0);
  const doubled = deliveries.filter((n) => n > 1).length;
  console.log(`multi-tab: ${ids.length} submissions in 3 tabs, ${ids.length} stored once each; `
    + `${doubled} delivered more than once (deduplicated by id at the receiver)`);
  assert.deepEqual(await outbox(tabs[0]), []);
  assert.deepEqual(errors, []);
  await context.close();
});

// ------------------------------------------------------------------ point 6

test('bad answers from the endpoint: a clear state, no panic, nothing lost, and the console says it (an error when refused or most likely the setup)', async () => {
  const cases = [
    // [mode, phase expected, status text, developer reason, console level of the submission's line]
    ['html-200', 'sent', /Sent/, null],
    ['huge-200', 'sent', /Sent/, null],
    ['html-500', 'queued', /the server is not answering for now/, /HTTP 500/, 'warning'],
    ['huge-500', 'queued', /the server is not answering for now/, /HTTP 500/, 'warning'],
    ['html-400', 'failed', /code 400/, /HTTP 400/, 'error'],
    ['redirect', 'failed', /code 3xx/, /redirect, which is not followed/, 'error'],
    ['no-cors', 'queued', /the server is not answering for now/, /most likely CORS/, 'error'],
  ];
  for (const [mode, phase, text, reason, level] of cases) {
    await servers.setMode(mode);
    const strayBefore = servers.state.stray.length;
    const s = await scene();
    const said = [];
    s.page.on('console', (m) => /^consent-form: msg_\w+ (not sent yet|refused)/.test(m.text()) && said.push(m.type()));
    const start = Date.now();
    await submit(s.page, 'f0');
    const got = await waitFor(s.page, 'f0', ['sent', 'queued', 'failed'], 10_000);
    const took = Date.now() - start;
    assert.equal(got.phase, phase, `${mode}: ${got.text}`);
    assert.match(got.text, text, mode);
    assert.ok(took < 5000, `${mode}: a state within ${took} ms`);
    if (reason) {
      const error = await until(() => s.events.find((e) => e.type === 'consent-form:error'), 5000, 'an error event');
      assert.match(error.detail.reason, reason, mode);
      assert.equal(error.detail.will_retry, phase === 'queued', mode);
      assert.equal(await until(() => said[0], 2000, 'the console line'), level, mode);
    }
    if (mode === 'redirect') {
      assert.deepEqual(servers.state.stray.slice(strayBefore).filter((r) => r.includes('/elsewhere')), [],
        'the redirect was not followed');
    }
    if (phase === 'queued') {
      // Nothing lost: once the server behaves, it is sent.
      await servers.setMode('ok');
      const sent = await waitFor(s.page, 'f0', ['sent'], 15_000);
      assert.equal(storedTimes(sent.id), 1, mode);
    }
    await s.done();
  }
});

test('a key-url on another origin: warned of once at mount, and it works when its keys need no cookie', async () => {
  const { context, events, errors } = await newContext(browser);
  const warnings = [];
  context.on('page', (page) => page.on('console', (msg) => {
    if (msg.type() === 'warning') warnings.push(msg.text());
  }));
  const keyUrl = servers.endpoint.replace(/\/leads$/, '/keys');
  const page = await openForms(context, servers, { config: { key_url: keyUrl, timeout_ms: 1500 } });
  const origin = new URL(keyUrl).origin;
  const warning = await until(() => warnings.find((w) => w.includes('key-url')), 5000, 'the warning');
  assert.ok(warning.includes(`another origin (${origin})`), warning);
  assert.ok(warning.includes('`secret`'), warning);
  // A refresh (what each attribute change does) that finds the same does not warn again.
  await page.evaluate(() => { window.cfHandles[0].refresh(); window.cfHandles[0].refresh(); });
  await page.waitForTimeout(300);
  assert.equal(warnings.filter((w) => w.includes('key-url')).length, 1, warnings.join('\n'));
  const asked = servers.state.keyRequests;
  await submit(page, 'f0');
  const sent = await waitFor(page, 'f0', ['sent', 'queued', 'failed'], 10_000);
  assert.equal(sent.phase, 'sent', sent.text);
  assert.equal(servers.state.keyRequests, asked + 1, 'the key came from the other origin');
  assert.equal(storedTimes(sent.id), 1);
  assert.ok(events.some((e) => e.type === 'consent-form:success' && e.detail.id === sent.id));
  assert.deepEqual(errors, []);
  await context.close();
});

test('bad answers from the key URL: saved and will be sent, the reason for the developer (a console error when the key URL answered without a key), no panic', async () => {
  // (A key URL that cannot be reached at all is a network problem: the offline test covers it.)
  const keyText = /the signing key could not be fetched/;
  // What the console says of the submission: an error when the key URL gave no key
  // (most likely the host's setup), a warning when the request timed out.
  const cases = [
    ['html', /did not answer JSON/, keyText, 'error'],
    ['404', /answered HTTP 404/, keyText, 'error'],
    ['huge', /answered more than 16384 bytes/, keyText, 'error'],
    ['huge-chunked', /answered more than 16384 bytes|did not answer in time/, keyText, 'error'],
    ['redirect', /answered with a redirect/, keyText, 'error'],
    ['500', /answered HTTP 500/, keyText, 'error'],
    ['hang', /no answer within 1500 ms/, /the server is not answering for now/, 'warning'],
  ];
  for (const [keyMode, reason, visitorText, level] of cases) {
    servers.setKeyMode(keyMode);
    const s = await scene();
    const said = [];
    s.page.on('console', (m) => m.text().includes('kept and retried') && said.push(m.type()));
    const start = Date.now();
    await submit(s.page, 'f0');
    const got = await waitFor(s.page, 'f0', ['sent', 'queued', 'failed'], 10_000);
    assert.equal(got.phase, 'queued', `${keyMode}: ${got.text}`);
    assert.match(got.text, visitorText, keyMode);
    assert.ok(Date.now() - start < 5000, keyMode);
    const error = await until(() => s.events.find((e) => e.type === 'consent-form:error'), 5000, 'an error event');
    assert.match(error.detail.reason, reason, keyMode);
    if (level) assert.equal(await until(() => said[0], 2000, 'the console line'), level, keyMode);
    servers.setKeyMode('ok');
    const sent = await waitFor(s.page, 'f0', ['sent'], 15_000);
    assert.equal(storedTimes(sent.id), 1, keyMode);
    await s.done();
  }
});
