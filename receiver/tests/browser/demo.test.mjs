// The demo on the reference receiver, in Chromium: the real component (pkg/) fetches a
// key from /api/keys, signs and posts to /api/leads, and the receiver stores one record
// per submission with the consents as ticked. Then the receiver restarts with another
// key secret (the browser's cached key is now unknown to it): the next submission gets
// a 401, the component fetches a new key, signs again and is stored — nothing lost.
//
// Run by scripts/test after `cargo test -p receiver` (which builds the binary) and
// `npm run build` (pkg/): node --test receiver/tests/browser/demo.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { binary, freePort, launchChromium, root, startReceiver, token } from './receiver.mjs';

async function records(url) {
  const res = await fetch(`${url}owner/records?limit=100`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  return (await res.json()).records;
}

test('the demo forms post to the receiver, which stores each submission once, and a 401 makes the form fetch a new key', { timeout: 180_000 }, async () => {
  assert.ok(existsSync(binary), `${binary} is missing: run cargo test -p receiver (or cargo build -p receiver)`);
  assert.ok(existsSync(`${root}pkg/consent_form_bg.wasm`), 'pkg/ is not built: run npm run build');
  mkdirSync(`${root}target/receiver-browser`, { recursive: true });
  const database = `sqlite:${root}target/receiver-browser/demo-${Date.now()}.sqlite3`;
  const port = await freePort();
  let receiver = await startReceiver(port, database);

  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const statuses = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/api/leads')) statuses.push(r.status());
    });
    await page.goto(receiver.url);

    // The contact form.
    const contact = page.locator('#contact');
    await contact.locator('[name=name]').fill('Nguyễn Thị Hồng');
    await contact.locator('[name=phone]').fill('0902 666 984');
    await contact.locator('[name=email]').fill('hong@anhduong.vn');
    await contact.locator('[name=consent-consultation]').check();
    const posted = page.waitForResponse((r) => r.url().endsWith('/api/leads'), { timeout: 30_000 });
    await contact.locator('button[type=submit]').click();
    const response = await posted;
    assert.equal(response.status(), 200, `HTTP ${response.status()}`);
    const sent = JSON.parse(response.request().postData());
    await contact.locator('.cf-receipt').waitFor();

    let stored = await records(receiver.url);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].id, sent.id);
    assert.equal(stored[0].fields.phone, '+84902666984');
    assert.equal(stored[0].consent_state.consultation, 'active');
    assert.equal(stored[0].consent_state.marketing, 'refused');
    assert.deepEqual(stored[0].payload, sent, 'stored exactly as sent');

    // Restart with another (random) key secret on the same port and database: the key
    // the page cached is now unknown.
    await receiver.stop();
    receiver = await startReceiver(port, database);

    const callback = page.locator('#callback');
    await callback.locator('[name=name]').fill('Trần Văn Bình');
    await callback.locator('[name=phone]').fill('+84 838 221 234');
    const days = await callback.locator('[name=callback_date] option').evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
    await callback.locator('[name=callback_date]').selectOption(days[0]);
    const windows = await callback.locator('[name=callback_window] option').evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
    await callback.locator('[name=callback_window]').selectOption(windows[0]);
    await callback.locator('[name=consent-consultation]').check();
    await callback.locator('[name=consent-call_recording]').check();
    const accepted = page.waitForResponse((r) => r.url().endsWith('/api/leads') && r.status() === 200, { timeout: 60_000 });
    await callback.locator('button[type=submit]').click();
    await accepted;
    await callback.locator('.cf-receipt').waitFor();
    assert.deepEqual(statuses, [200, 401, 200], 'one 401, then a new key and success');
    assert.match(receiver.log(), /POST \/api\/leads 401 .* bad_signature/);

    stored = await records(receiver.url);
    assert.equal(stored.length, 2);
    const cb = stored.find((r) => r.form === 'callback');
    assert.equal(cb.consent_state.call_recording, 'active');
    assert.equal(cb.fields.callback_date, days[0]);
    assert.equal(cb.fields.phone, '+84838221234');
  } finally {
    await browser.close();
    await receiver.stop();
  }
});
