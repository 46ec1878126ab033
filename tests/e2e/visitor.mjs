// What the framework and bundler tests share: a visitor sending the contact form, and
// the check that the delivery tests' receiver (tests/delivery/lib/server.mjs) stored it.
import assert from 'node:assert/strict';

/** A visitor fills in the contact form in `sel` (name, phone, the consultation consent) and sends it. */
export async function fillAndSend(page, sel, name) {
  await page.fill(`${sel} input[name=name]`, name);
  await page.fill(`${sel} input[name=phone]`, '0902 666 984');
  await page.check(`${sel} input[name=consent-consultation]`);
  await page.click(`${sel} button[type=submit]`);
}

/**
 * The receiver (its `state`) stored `id` once, with a verified signature, and it is the
 * visitor's (with the captcha token `captcha`, if given).
 */
export function assertStored(state, id, name, captcha) {
  assert.ok(state.stored.includes(id), `the receiver stored ${id} (it has ${state.stored.join(', ')})`);
  const captured = state.captured.filter((c) => c.id === id);
  assert.equal(captured.length, 1, 'sent once');
  assert.equal(captured[0].verified, true, 'its signature verified with standardwebhooks');
  const payload = JSON.parse(state.storedBodies.get(id));
  assert.equal(payload.id ?? id, id);
  assert.ok(JSON.stringify(payload).includes(name), 'the visitor’s name is in the payload');
  assert.equal(payload.captcha, captcha, 'the captcha hook’s token');
}

/**
 * The form in `sel` follows a locale the app changed to English in its state: once its
 * heading is no longer the Vietnamese one, it is the English one, and (unless `element`
 * is false, for a mount()ed form) the element's `locale` attribute says `en`.
 */
export async function turnsEnglish(page, sel, { element = true } = {}) {
  const heading = await page.waitForFunction((sel) => {
    const t = document.querySelector(sel)?.shadowRoot?.getElementById('cf-title')?.textContent;
    return t !== 'Đăng ký nhận tư vấn' && t;
  }, sel, { timeout: 60_000, polling: 50 });
  assert.equal(await heading.jsonValue(), 'Request a consultation');
  if (element) assert.equal(await page.getAttribute(sel, 'locale'), 'en');
}
