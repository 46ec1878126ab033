// The owner's HTTP Basic credentials in a browser, and the scripts of the site's pages.
// The docs put the receiver on the site's own origin, and the owner endpoints take the
// token as a Basic password "so a browser can open a receipt". A browser then sends
// those credentials with every request to /owner/ from that origin — a script's too: a
// tag manager or an analytics script on any page of the site, run in the owner's
// browser, could read /owner/export, every record. Basic credentials are now taken only
// for a page the browser opens itself (a navigation to a document), and every owner
// answer is sandboxed (an opaque origin), so that a page that opens one cannot read it.
//
// Run by scripts/test after `cargo test -p receiver` (which builds the binary) and
// `npm run build` (pkg/): node --test receiver/tests/browser/owner.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { get } from 'node:http';
import { binary, freePort, launchChromium, root, startReceiver, token } from './receiver.mjs';

test("a page's script on the receiver's origin cannot use the owner's Basic credentials, nor read an owner page it opens", { timeout: 120_000 }, async () => {
  assert.ok(existsSync(binary), `${binary} is missing: run cargo test -p receiver (or cargo build -p receiver)`);
  mkdirSync(`${root}target/receiver-browser`, { recursive: true });
  const port = await freePort();
  const receiver = await startReceiver(port, `sqlite:${root}target/receiver-browser/owner-${Date.now()}.sqlite3`,
    { RECEIVER_RATE_LIMIT: 'off' });
  const { url } = receiver;
  const browser = await launchChromium();
  try {
    // The owner's browser: it has the token as Basic credentials for the site.
    const owner = await browser.newContext({ httpCredentials: { username: 'owner', password: token } });
    const page = await owner.newPage();
    // Opening an owner page works, as the docs say.
    const opened = await page.goto(`${url}owner/records`);
    assert.equal(opened.status(), 200);
    assert.deepEqual(JSON.parse(await page.locator('body').innerText()).records, []);

    // A script of the site's own page (here the demo's): fetch, an iframe, a window.
    await page.goto(url);
    const fetched = await page.evaluate(async () => {
      const r = await fetch('/owner/export?format=jsonl');
      return { status: r.status, body: (await r.text()).slice(0, 200) };
    });
    assert.equal(fetched.status, 403, `fetch: ${JSON.stringify(fetched)}`);
    assert.match(fetched.body, /basic_not_navigation/);

    const framed = await page.evaluate(() => new Promise((resolve) => {
      const frame = document.createElement('iframe');
      frame.src = '/owner/records';
      frame.onload = () => {
        try {
          resolve(`read: ${frame.contentDocument?.body?.innerText ?? 'nothing'}`);
        } catch (e) {
          resolve(`refused: ${e.name}`);
        }
      };
      document.body.append(frame);
    }));
    assert.doesNotMatch(framed, /records/, `iframe: ${framed}`);

    const popup = page.waitForEvent('popup');
    await page.evaluate(() => { window.opened = window.open('/owner/records'); });
    await (await popup).waitForLoadState();
    const read = await page.evaluate(() => {
      try {
        return `read: ${window.opened.document.body.innerText}`;
      } catch (e) {
        return `refused: ${e.name}`;
      }
    });
    assert.equal(read, 'refused: SecurityError', `window: ${read}`);

    // The owner's curl (no Sec-Fetch-* headers, unlike Node's fetch), with the token as a
    // Bearer or Basic: unchanged.
    for (const authorization of [`Bearer ${token}`, `Basic ${Buffer.from(`x:${token}`).toString('base64')}`]) {
      const status = await new Promise((resolve, reject) => {
        get(`${url}owner/export?format=jsonl`, { headers: { authorization } }, (r) => {
          r.resume();
          resolve(r.statusCode);
        }).once('error', reject);
      });
      assert.equal(status, 200, authorization.split(' ')[0]);
    }
  } finally {
    await browser.close();
    await receiver.stop();
  }
});
