// Real tabs of one browser (pages of one Playwright context: one localStorage, one
// Web Locks manager) on the demo page, in Debian's Chromium: a request refused for good
// is held by the form of the tab that sent it; another tab lists it under "Not sent"
// only once that tab is gone — closed, or navigated away (the back/forward cache on) —
// not while it reloads, and without a reload of its own; back from the cache, that tab
// shows it again and the other tab's list lets it go at once. Under the form of the other kind its line leads to the form
// that takes it. A page and its same-origin iframe (one sessionStorage) keep an id each
// across a reload. A tab whose sessionStorage the browser copied from such a tab (its
// "Duplicate tab", or window.open from it) is a tab of its own: it neither shows that
// request as its own nor sends it, and lists it once the first tab closes. A submission
// being sent when its tab reloads is sent again at once by the reloaded page.
// Run: node --test tests/e2e/tabs.test.mjs (after `npm run build`); with BROWSER=firefox
// in Debian's Firefox ESR (see demo.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browserName, launchBrowser, startServer } from './server.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A context whose backend refuses every submission for good (422, with its words). */
async function refusing(b = browser) {
  const context = await b.newContext({ viewport: { width: 1000, height: 900 } });
  await context.route('**/api/leads', (route) => route.request().method() === 'POST'
    ? route.fulfill({ status: 422, contentType: 'application/json', body: '{"error":"need is too long"}' })
    : route.continue());
  return context;
}

/** A tab on the demo page whose contact form `name` has just sent (consultation agreed). */
async function sentIn(context, name) {
  const page = await context.newPage();
  await page.goto(server.url);
  const form = page.locator('#contact');
  await form.locator('[name=name]').fill(name);
  await form.locator('[name=phone]').fill('0902 666 984');
  await form.locator('[name=consent-consultation]').check();
  await form.locator('button[type=submit]').click();
  return page;
}

/** A tab on the demo page whose contact form sent a request the backend refused. */
async function refusedIn(context) {
  const page = await sentIn(context, 'Lý Thị Mai');
  await page.locator('#contact .cf-status[data-state=failed]').waitFor({ timeout: 15_000 });
  return page;
}

/** Another tab on the demo page, both forms rendered and their lists read. */
async function anotherTab(context) {
  const tab = await context.newPage();
  await tab.goto(server.url);
  await tab.locator('#contact input[name=name]').waitFor();
  await tab.locator('#callback input[name=name]').waitFor();
  // Time to read the outbox and ask for the locks (a few milliseconds are enough).
  await tab.waitForTimeout(1500);
  return tab;
}

test('a request held by the form of an open tab is listed in another tab once that tab closes, and leads from the callback form to the contact form', async () => {
  const context = await refusing();
  const sender = await refusedIn(context);
  const tab = await anotherTab(context);
  assert.equal(await tab.locator('[data-unsent]').count(), 0, 'not listed while the tab that holds it is open');

  await sender.close();
  // Listed without a reload, under both forms for its endpoint.
  const line = tab.locator('#contact [data-unsent]');
  await line.locator('[data-act=put-back]').waitFor({ timeout: 10_000 });
  const id = await line.getAttribute('data-unsent');
  const other = tab.locator(`#callback [data-unsent="${id}"]`);
  await other.waitFor();
  assert.equal(await other.locator('[data-act=put-back]').count(), 0, 'no callback form takes a consultation request');
  const goTo = other.locator('[data-act=go-to]');
  assert.equal((await goTo.textContent()).trim(), 'Đi tới biểu mẫu “Đăng ký nhận tư vấn”');
  await goTo.click();
  const focused = await tab.evaluate(() => [document.activeElement?.id, document.activeElement?.shadowRoot?.activeElement?.id]);
  assert.deepEqual(focused, ['contact', `cf-put-back-${id}`], 'focus on the contact form’s own “put back”');
  await context.close();
});

test('a tab that reloads keeps its request: another tab does not list it meanwhile, and does once the tab closes', async () => {
  const context = await refusing();
  const sender = await refusedIn(context);
  const tab = await anotherTab(context);
  await sender.reload();
  // The reloaded form shows its refusal again, with what was typed.
  await sender.locator('#contact .cf-status[data-state=failed]').waitFor({ timeout: 15_000 });
  assert.equal(await sender.locator('#contact [name=name]').inputValue(), 'Lý Thị Mai');
  // Longer than the other tab's five seconds of grace.
  await tab.waitForTimeout(7000);
  assert.equal(await tab.locator('[data-unsent]').count(), 0, 'not listed while the reloaded tab shows it');
  await sender.close();
  await tab.locator('#contact [data-unsent] [data-act=put-back]').waitFor({ timeout: 10_000 });
  await context.close();
});

test('a submission being sent when its tab reloads is sent by the reloaded page at once, not after the send’s lease ran out', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  // The first POST is never answered: it is under way when the tab reloads.
  const posts = [];
  await context.route('**/api/leads', (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    posts.push(route.request().headers()['webhook-id']);
    return posts.length === 1 ? undefined : route.continue();
  });
  const page = await sentIn(context, 'Đỗ Thu Hà');
  for (let i = 0; i < 100 && posts.length === 0; i++) await page.waitForTimeout(100);
  assert.equal(posts.length, 1, 'the send is under way');
  // A lease is 2 × timeout_ms + 1 s (31 s by default): the reloaded page must not wait it out.
  const delivered = page.waitForResponse((r) => r.url().endsWith('/api/leads') && r.request().method() === 'POST',
    { timeout: 10_000 });
  await page.reload();
  const response = await delivered;
  assert.equal(response.status(), 200);
  assert.deepEqual(posts, [posts[0], posts[0]], 'the same submission, sent again');
  await context.close();
});

test('a tab in the back/forward cache does not keep its request from the other tabs', async () => {
  // Playwright turns Chromium's cache off by default; a visitor's browser has it on.
  // (Firefox, over WebDriver BiDi, keeps its own on, but see below.)
  const { chromium } = await import('playwright-core');
  const cached = browserName === 'firefox' ? browser : await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  // Closed even when an assertion fails: an open browser would keep the test running.
  try {
    const context = await refusing(cached);
    const sender = await refusedIn(context);
    await sender.evaluate(() => {
      window.cameBack = 'no';
      addEventListener('pageshow', (e) => (window.cameBack = e.persisted ? 'from the cache' : 'reloaded'));
    });
    const tab = await anotherTab(context);
    assert.equal(await tab.locator('[data-unsent]').count(), 0);
    // The visitor follows a link away from the page of the refused request.
    await sender.goto(`${server.url}privacy.html`);
    await tab.locator('#contact [data-unsent] [data-act=put-back]').waitFor({ timeout: 10_000 });
    // Back again, from the cache: the form still shows it, and holds it again — a tab
    // opened now does not list it.
    // (Gone back at once: the other tab, which has just listed it, would look again at
    // its form's lock only five seconds later; 4 s leaves a busy machine room, and took
    // 99 ms here.)
    const back = Date.now();
    await sender.goBack({ waitUntil: 'commit' });
    // The tab that listed it meanwhile takes it out of both forms' lists at once — the
    // page back says so to the other tabs, a `storage` event — and says why: it would
    // otherwise be listed twice.
    while (Date.now() - back < 4000 && (await tab.locator('[data-unsent]').count()) > 0) await tab.waitForTimeout(50);
    assert.equal(await tab.locator('[data-unsent]').count(), 0, `out of the other tab's lists (${Date.now() - back} ms after going back)`);
    await sender.locator('#contact .cf-status[data-state=failed]').waitFor({ timeout: 15_000 });
    // Firefox keeps no page in its cache that holds a Web Lock when it is left (its
    // logs: "blocked due to having active lock requests"; docs/delivery.md): there the
    // page is loaded anew, and the same must hold.
    assert.equal(await sender.evaluate(() => window.cameBack), browserName === 'firefox' ? undefined : 'from the cache');
    const third = await anotherTab(context);
    assert.equal(await third.locator('[data-unsent]').count(), 0, 'held again once the page is back');
    // Said once, by the one form that speaks for the lists of this endpoint.
    const news = await tab.locator('[data-waiting-news]').allInnerTexts();
    assert.equal(news.filter((said) => /đang được mở lại ở một thẻ khác/.test(said)).length, 1, JSON.stringify(news));
  } finally {
    if (cached !== browser) await cached.close();
  }
});

/** A tab that `page` opens on the demo page with `window.open`: the browser copies
 * `page`'s sessionStorage into it (the tab id, the drafts), as the HTML standard says. */
async function openedFrom(page) {
  const [tab] = await Promise.all([
    page.waitForEvent('popup'),
    page.evaluate((url) => { window.open(url); }, server.url),
  ]);
  return tab;
}

/** What the browser's "Duplicate tab" makes of `page` (Playwright cannot press it): a
 * new tab of the same context whose sessionStorage is a copy of `page`'s before any
 * script of the page runs. */
async function duplicateOf(page) {
  const copy = await page.evaluate(() => Object.entries(sessionStorage));
  const tab = await page.context().newPage();
  await tab.addInitScript((entries) => {
    for (const [key, value] of entries) sessionStorage.setItem(key, value);
  }, copy);
  await tab.goto(server.url);
  return tab;
}

/** `tab` with both forms rendered, its id decided (up to a second) and its lists read. */
async function ready(tab) {
  await tab.locator('#contact input[name=name]').waitFor();
  await tab.locator('#callback input[name=name]').waitFor();
  await tab.waitForTimeout(3000);
  return tab;
}

/** The Web Locks of the contact forms of the context's tabs: held, and asked for by a
 * form (exclusive; other tabs' lists ask to share one, waiting for its form to go). */
async function contactLocks(page) {
  return page.evaluate(async () => {
    const { held, pending } = await navigator.locks.query();
    const contact = (locks) => locks.filter((l) => l.name.endsWith('#contact:contact'));
    return {
      held: contact(held).map((l) => l.name),
      pending: contact(pending).filter((l) => l.mode === 'exclusive').map((l) => l.name),
    };
  });
}

for (const [how, copy] of [['opened with window.open', openedFrom], ['duplicated', duplicateOf]]) {
  test(`a tab ${how} from a tab whose form holds a request is a tab of its own: it lists that request once the first tab closes`, async () => {
    const context = await refusing();
    const sender = await refusedIn(context);
    assert.equal(await sender.evaluate(() => sessionStorage.length > 0), true);
    const tab = await ready(await copy(sender));
    // The copy has its own tab id: its contact form holds a lock of its own, not
    // waiting behind the first tab's.
    const locks = await contactLocks(tab);
    assert.equal(new Set(locks.held).size, 2, JSON.stringify(locks));
    assert.deepEqual(locks.pending, [], JSON.stringify(locks));
    // The request is the first tab's: not shown by the copy's form as its own, nor
    // listed while the first tab shows it.
    assert.equal(await tab.locator('#contact .cf-status[data-state=failed]').count(), 0, 'not shown as the copy\'s own');
    assert.equal(await tab.locator('[data-unsent]').count(), 0, 'not listed while the first tab is open');
    assert.equal(await sender.locator('#contact .cf-status[data-state=failed]').count(), 1, 'still the first tab\'s');
    await sender.close();
    await tab.locator('#contact [data-unsent] [data-act=put-back]').waitFor({ timeout: 10_000 });
    await context.close();
  });
}

test('a request sent anew from the tab whose form held it is not taken for its own by a tab opened from it', async () => {
  const context = await refusing();
  const sender = await refusedIn(context);
  const tab = await ready(await openedFrom(sender));
  // The backend now accepts.
  let accepted = 0;
  await context.unroute('**/api/leads');
  await context.route('**/api/leads', (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    accepted++;
    return route.fulfill({ status: 200, contentType: 'application/json', body: '{"ok":true}' });
  });
  const form = sender.locator('#contact');
  const consent = form.locator('[name=consent-consultation]');
  if (!(await consent.isChecked())) await consent.check();
  await form.locator('button[type=submit]').click();
  await form.locator('.cf-status[data-state=sent]').waitFor({ timeout: 15_000 });
  await tab.waitForTimeout(3000);
  assert.equal(accepted, 1, 'sent once');
  assert.equal(await tab.locator('#contact .cf-status[data-state=sent]').count(), 0, 'no receipt in the other tab');
  assert.equal(await tab.locator('[data-unsent]').count(), 0);
  await context.close();
});

/** The demo page at /framed.html, with the demo page itself (/) in a same-origin iframe
 * below its forms: two frames of one tab, one sessionStorage, each with both forms. */
async function framed(context) {
  const demo = await (await fetch(server.url)).text();
  const html = demo.replace('</main>', '<iframe id="frame" src="/" style="width:1000px;height:1600px"></iframe></main>');
  await context.route(`${server.url}framed.html`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  const page = await context.newPage();
  await page.goto(`${server.url}framed.html`);
  return page;
}

/** Sends the contact form of `root` (a page or frame locator) as `name`; the backend refuses. */
async function refuseIn(root, name) {
  const form = root.locator('#contact');
  await form.locator('[name=name]').fill(name);
  await form.locator('[name=phone]').fill('0902 666 984');
  await form.locator('[name=consent-consultation]').check();
  await form.locator('button[type=submit]').click();
  await form.locator('.cf-status[data-state=failed]').waitFor({ timeout: 15_000 });
}

test('a page and its same-origin iframe each keep their own tab id across a reload: each form shows its own held request again, listed nowhere', async () => {
  const context = await refusing();
  const page = await framed(context);
  const frame = page.frameLocator('#frame');
  await frame.locator('#callback input[name=name]').waitFor();
  await page.locator('#callback input[name=name]').waitFor();
  await refuseIn(frame, 'Lý Thị Mai');
  await refuseIn(page, 'Trần Văn An');
  await page.reload();
  // Each form shows its own refusal again, with what was typed there.
  for (const [root, name] of [[frame, 'Lý Thị Mai'], [page, 'Trần Văn An']]) {
    await root.locator('#contact .cf-status[data-state=failed]').waitFor({ timeout: 15_000 });
    assert.equal(await root.locator('#contact [name=name]').inputValue(), name);
  }
  // Longer than the five seconds of grace after which a request whose form is gone is
  // listed: neither is, in either frame.
  await page.waitForTimeout(7000);
  assert.equal(await page.locator('[data-unsent]').count(), 0, 'not under "Not sent" of the top page');
  assert.equal(await frame.locator('[data-unsent]').count(), 0, 'not under "Not sent" of the iframe');
  await context.close();
});
