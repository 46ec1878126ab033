// The PHP host example (www/php/) on PHP's own web server on loopback: a visitor in
// Chromium sends the contact form, api/keys.php hands the page a key for its session,
// api/leads.php verifies the signature with www/php/lib/verify_lead.php and stores the
// signed bytes once; then the answers the form relies on: a repeat is 200 and not
// stored twice, a changed body or another session is 401, a signed but invalid payload
// is 422, another body under a stored id is 409; a consent withdrawn from the receipt
// through api/withdrawals.php, recorded once beside the submission; and a visitor
// under 16's submission with their parent's or guardian's agreement stored, the
// guardian's fields without it 422; every kind of number the form sends accepted
// (toll-free 1800 numbers too) and the essentials Payload::validate checks refused
// (a missing phone, fields of another form, duplicate consents, …); records written
// for PHP's user only (0700, 0600); and without LEADS_DIR nothing stored, 503. With
// CAPTCHA_SECRET set, against a fake siteverify on loopback: no token 422, a refused
// token 422 with its codes, the provider down 503 then the retry stored once with its
// outcome, a resend not verified again, a late submission stored as expired, a
// withdrawal not checked.
// Run: node --test tests/e2e/php.test.mjs (after `npm run build`; needs php-cli, which
// scripts/setup installs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { fakeSiteverify, freePort, launchChromium, requireBuild, root } from './server.mjs';

let php;
let url;
let browser;
const scratch = mkdtempSync(join(tmpdir(), 'consent-form-php-leads-'));
// LEADS_DIR does not exist yet: the example creates it, for PHP's user only.
const leads = join(scratch, 'records');

/** The stored files: submissions (msg_….json) and withdrawals (msg_….<purpose>.withdrawn.json). */
const stored = () => (existsSync(leads) ? readdirSync(leads) : []).filter((f) => f.endsWith('.json')).sort();
const mode = (path) => statSync(path).mode & 0o777;
const read = (file) => JSON.parse(readFileSync(join(leads, file), 'utf8'));

before(async () => {
  requireBuild();
  // Every test's requests come from 127.0.0.1: no rate limit but in the test of it.
  ({ server: php, base: url } = await startPhp({ ...process.env, LEADS_DIR: leads, RATE_LIMIT: '0' }));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  php?.kill();
  rmSync(scratch, { recursive: true, force: true });
});

/** PHP's built-in server on a free port, serving the repository; its base URL and process. */
async function startPhp(env) {
  const port = await freePort();
  // The repository is the web root: the page at /www/php/form.html loads /pkg/.
  const server = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', root], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  server.once('error', (e) => (log += `${e.message} (scripts/setup installs php-cli)`));
  const base = `http://127.0.0.1:${port}/www/php/`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}form.html`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 100) throw new Error(`php -S did not answer:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { server, base, log: () => log };
}

/** $payload as the form would send it, signed with a session key from api/keys.php. */
function signed(key, payload) {
  const text = JSON.stringify(payload);
  const at = new Date();
  return [text, {
    'content-type': 'application/json',
    'webhook-id': payload.id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(key.secret).sign(payload.id, at, text),
  }];
}

/** A visitor on the example's page: fills in the contact form, ticks what is asked, sends it. */
async function send(page, { marketing = false } = {}) {
  await page.goto(`${url}form.html`);
  const form = page.locator('consent-form');
  await form.locator('[name=name]').fill('Lê Minh Tuấn');
  await form.locator('[name=phone]').fill('090 266 6984');
  await form.locator('[name=email]').fill('tuan@example.vn');
  await form.locator('[name=consent-consultation]').check();
  if (marketing) await form.locator('[name=consent-marketing]').check();
  const posted = page.waitForResponse((r) => r.url().endsWith('/api/leads.php'), { timeout: 30_000 });
  await form.locator('button[type=submit]').click();
  const response = await posted;
  assert.equal(response.status(), 200);
  await form.locator('.cf-receipt').waitFor();
  return { form, request: response.request(), body: response.request().postData() };
}

/** Console errors and page errors of a page, as they come. */
function problemsOf(page) {
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && !m.location().url?.endsWith('/favicon.ico') && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

test('a visitor sends the contact form to the PHP example, which verifies, checks and stores it once', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const problems = problemsOf(page);
  const { request, body } = await send(page);
  const id = JSON.parse(body).id;

  // Stored once, as the signed bytes with their headers.
  assert.deepEqual(stored(), [`${id}.json`]);
  const record = read(`${id}.json`);
  assert.equal(record.body, body);
  assert.equal(record['webhook-id'], id);
  // Personal data: the directory and the file for PHP's user only.
  assert.equal(mode(leads).toString(8), '700');
  assert.equal(mode(join(leads, `${id}.json`)).toString(8), '600');
  assert.equal(record['webhook-signature'], request.headers()['webhook-signature']);

  // The form's retry of the same delivery: 200 again, nothing stored twice.
  const headers = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': request.headers()['webhook-timestamp'],
    'webhook-signature': request.headers()['webhook-signature'],
  };
  const post = (data, h = headers, api = page.request) => api.post(`${url}api/leads.php`, { headers: h, data });
  let again = await post(body);
  assert.equal(again.status(), 200);
  assert.deepEqual(await again.json(), { ok: true, id });
  assert.deepEqual(stored(), [`${id}.json`]);

  // One byte changed: the signature no longer holds.
  again = await post(body.replace('Lê Minh Tuấn', 'Lê Minh Tuân'));
  assert.equal(again.status(), 401);
  assert.deepEqual(await again.json(), { error: 'bad_signature' });
  // The same request from another visitor (no session, so no key): 401 as well.
  const stranger = await browser.newContext();
  again = await post(body, headers, stranger.request);
  assert.equal(again.status(), 401);
  assert.deepEqual(await again.json(), { error: 'no_session' });
  await stranger.close();

  // Signed with this session's own key (from api/keys.php, as the page got it), but
  // not what the form sends: checked after the signature.
  const key = await (await page.request.post(`${url}api/keys.php`)).json();
  assert.match(key.secret, /^whsec_/);
  assert.ok(key.expires_at > key.now);
  const sent = JSON.parse(body);
  const refused = { ...sent, id: 'msg_php0example0refused0', consents: sent.consents.map((c) => ({ ...c, granted: false })) };
  again = await post(...signed(key, refused));
  assert.equal(again.status(), 422);
  assert.deepEqual(await again.json(), { error: 'invalid_payload', details: ['the consultation consent must be granted'] });
  const traversal = { ...sent, id: 'msg_../../../../tmp/x' };
  again = await post(...signed(key, traversal));
  assert.equal(again.status(), 422);
  // Another body under the stored id: refused, the stored one kept.
  again = await post(...signed(key, { ...sent, fields: { ...sent.fields, name: 'Someone Else' } }));
  assert.equal(again.status(), 409);
  assert.deepEqual(stored(), [`${id}.json`]);
  assert.equal(read(`${id}.json`).body, body);

  assert.deepEqual(problems, []);
  await context.close();
});

test('a visitor withdraws marketing from the receipt; the PHP example records it once, beside the unchanged submission', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const problems = problemsOf(page);
  const { form, body } = await send(page, { marketing: true });
  const submission = JSON.parse(body);
  const line = form.locator('.cf-receipt tr[data-purpose=marketing]');
  await line.locator('button.cf-withdraw').click();
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/withdrawals.php'), { timeout: 30_000 });
  await line.locator('#cf-wd-yes-marketing').click();
  const response = await answered;
  assert.equal(response.status(), 200);
  await line.locator('.cf-withdraw-state[data-state=done]').waitFor();
  const request = response.request();
  const message = JSON.parse(request.postData());
  assert.equal(message.withdraws, submission.id);
  assert.equal(message.purpose, 'marketing');

  // The dated event: the signed message in a file of its own; the submission unchanged.
  const file = `${submission.id}.marketing.withdrawn.json`;
  assert.ok(stored().includes(file), stored().join(', '));
  const event = read(file);
  assert.equal(event.body, request.postData());
  assert.equal(event['webhook-id'], message.id);
  assert.match(event.received_at, /^\d{4}-\d\d-\d\dT/);
  assert.equal(read(`${submission.id}.json`).body, body);

  const post = (data, headers) => page.request.post(`${url}api/withdrawals.php`, { headers, data });
  // The form's retry: 200 with the first answer's time, stored once.
  let again = await post(request.postData(), {
    'content-type': 'application/json',
    ...Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, request.headers()[h]])),
  });
  assert.equal(again.status(), 200);
  assert.deepEqual(await again.json(), {
    ok: true, id: message.id, withdraws: submission.id, purpose: 'marketing', recorded_at: event.received_at,
  });
  assert.equal(stored().filter((f) => f.endsWith('.withdrawn.json')).length, 1);

  const key = await (await page.request.post(`${url}api/keys.php`)).json();
  const withdrawal = (changes) => {
    const w = { ...message, id: `msg_${randomBytes(16).toString('hex')}`, ...changes };
    return { ...w, text_sha256: createHash('sha256').update(w.text).digest('hex') };
  };
  // Withdrawn already; refused, so never active; an unknown submission; an id reused.
  again = await post(...signed(key, withdrawal({})));
  assert.equal(again.status(), 409);
  assert.match((await again.json()).message, /was withdrawn at/);
  again = await post(...signed(key, withdrawal({ purpose: 'call_recording' })));
  assert.equal(again.status(), 409);
  assert.deepEqual(await again.json(), { error: 'not_active', message: 'The consent “call_recording” was refused or not asked.' });
  again = await post(...signed(key, withdrawal({ withdraws: `msg_${randomBytes(16).toString('hex')}` })));
  assert.equal(again.status(), 404);
  again = await post(...signed(key, withdrawal({ id: message.id, text: `${message.text} ` })));
  assert.equal(again.status(), 409);
  assert.deepEqual(await again.json(), { error: 'id_reused' });
  // A text that is not the one hashed: refused before anything is looked up.
  again = await post(...signed(key, { ...withdrawal({}), text: 'something else' }));
  assert.equal(again.status(), 422);
  assert.equal(stored().filter((f) => f.endsWith('.withdrawn.json')).length, 1);
  assert.equal(read(file).body, request.postData());

  assert.deepEqual(problems, []);
  await context.close();
});

test("a visitor under 16: the PHP example stores their parent's or guardian's agreement with the guardian's name and phone, and refuses those fields without it", async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const problems = problemsOf(page);
  // A submission as the form sends it, made into a guardian's one (minors: guardian):
  // their name and phone among the fields, their agreement to the text they ticked.
  const { body } = await send(page);
  const sent = JSON.parse(body);
  const text = 'Tôi là cha, mẹ hoặc người giám hộ hợp pháp của người điền biểu mẫu này. '
    + 'Tôi đã đọc các thông tin ở trên và đồng ý với những lựa chọn đồng ý đã được đánh dấu.';
  // The consultation notice lists the guardian's fields among its data types, as the
  // form's does when minors is guardian.
  const consents = sent.consents.map((c) => (c.purpose !== 'consultation' ? c : {
    ...c,
    record: {
      ...c.record,
      processing: { ...c.record.processing, data_types: [...c.record.processing.data_types, 'guardian_name', 'guardian_phone'] },
    },
  }));
  const guarded = (changes = {}) => ({
    ...sent,
    id: `msg_${randomBytes(16).toString('hex')}`,
    consents,
    fields: { ...sent.fields, guardian_name: 'Trần Thị Lan', guardian_phone: '+84912345678' },
    guardian: { text, text_sha256: createHash('sha256').update(text).digest('hex') },
    ...changes,
  });
  const key = await (await page.request.post(`${url}api/keys.php`)).json();
  const post = (data, headers) => page.request.post(`${url}api/leads.php`, { headers, data });

  // Accepted and stored once, as the signed bytes.
  const accepted = guarded();
  const [signedBody, headers] = signed(key, accepted);
  let answer = await post(signedBody, headers);
  assert.equal(answer.status(), 200, await answer.text());
  assert.deepEqual(await answer.json(), { ok: true, id: accepted.id });
  const record = read(`${accepted.id}.json`);
  assert.equal(record.body, signedBody);
  const stored = JSON.parse(record.body);
  assert.deepEqual(stored.guardian, accepted.guardian);
  assert.equal(stored.fields.guardian_name, 'Trần Thị Lan');
  assert.equal(stored.fields.guardian_phone, '+84912345678');

  // Refused (422, with what is wrong), and nothing stored.
  const refused = async (payload, details) => {
    const answer = await post(...signed(key, payload));
    assert.equal(answer.status(), 422, payload.id);
    assert.deepEqual(await answer.json(), { error: 'invalid_payload', details });
    assert.ok(!readdirSync(leads).includes(`${payload.id}.json`));
  };
  // The guardian's name and phone without their agreement.
  await refused(guarded({ guardian: undefined }), [
    "fields.guardian_name and fields.guardian_phone come only with guardian, the parent's or guardian's agreement",
  ]);
  // The agreement without the guardian's phone.
  await refused(guarded({ fields: { ...sent.fields, guardian_name: 'Trần Thị Lan' } }), [
    'guardian comes with both fields.guardian_name and fields.guardian_phone',
  ]);
  // A text that is not the one hashed; a phone as typed, not in E.164.
  await refused(guarded({ guardian: { ...accepted.guardian, text: `${text} ` } }), [
    "guardian needs its text and the text's SHA-256",
  ]);
  await refused(guarded({ fields: { ...accepted.fields, guardian_phone: '0912 345 678' } }), [
    'fields.guardian_phone must be a Vietnamese number in E.164',
  ]);

  assert.deepEqual(problems, []);
  await context.close();
});

test('the PHP example accepts every number the form sends and checks the essentials Payload::validate checks', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const problems = problemsOf(page);
  const { body } = await send(page);
  const sent = JSON.parse(body);
  const key = await (await page.request.post(`${url}api/keys.php`)).json();
  const post = (data, headers) => page.request.post(`${url}api/leads.php`, { headers, data });
  const fresh = (changes) => ({ ...sent, id: `msg_${randomBytes(16).toString('hex')}`, ...changes });

  // Numbers the form sends in E.164: a toll-free 1800 number (typed "1800 1234"), a
  // Hanoi landline, a mobile. Accepted and stored.
  for (const phone of ['+8418001234', '+842438221234', '+84902666984']) {
    const payload = fresh({ fields: { ...sent.fields, phone } });
    const answer = await post(...signed(key, payload));
    assert.equal(answer.status(), 200, `${phone}: ${await answer.text()}`);
    assert.equal(JSON.parse(read(`${payload.id}.json`).body).fields.phone, phone);
  }

  // Refused (422, with what is wrong), and nothing stored.
  const refused = async (payload, details) => {
    const answer = await post(...signed(key, payload));
    assert.equal(answer.status(), 422, JSON.stringify(payload.fields));
    assert.deepEqual(await answer.json(), { error: 'invalid_payload', details });
    assert.ok(!stored().includes(`${payload.id}.json`));
  };
  const { phone, ...withoutPhone } = sent.fields;
  assert.ok(phone);
  await refused(fresh({ fields: withoutPhone }), ['fields.phone is required']);
  await refused(fresh({ fields: ['a'] }), [
    'fields.name is required',
    'fields.phone is required',
    '"0" is not a field of the contact form',
    'fields.0 is not among the data types of the consultation notice',
  ]);
  await refused(fresh({ fields: { ...sent.fields, password: 'x' } }), [
    '"password" is not a field of the contact form',
    'fields.password is not among the data types of the consultation notice',
  ]);
  await refused(fresh({ fields: { ...sent.fields, name: '  ' } }), ['fields.name must be text, not blank (leave an empty field out)']);
  await refused(fresh({ fields: { ...sent.fields, phone: '+840902666984' } }), ['fields.phone must be a Vietnamese number in E.164']);
  await refused(fresh({ fields: { ...sent.fields, email: 'an.vidu.vn' } }), ['fields.email must be an e-mail address']);
  await refused(fresh({ fields: { ...sent.fields, callback_date: '2099-01-01' } }), [
    '"callback_date" is not a field of the contact form',
    'fields.callback_date is not among the data types of the consultation notice',
  ]);
  await refused(fresh({ consents: [...sent.consents, sent.consents[1]] }), ['consents[3]: the marketing consent appears more than once']);
  await refused(fresh({ consents: sent.consents.slice(1) }), ['the consultation consent must be granted']);
  await refused(fresh({ locale: 'fr', captcha: '' }), ['locale must be "vi" or "en"', 'captcha must be 1 to 8192 printable ASCII characters']);

  assert.deepEqual(problems, []);
  await context.close();
});

// Security review: PCRE's `$` also matches before a final line feed. A value ending in
// one passed every anchored check, and was stored: a phone or e-mail that WordPress's
// search and privacy exporter/eraser (which compare exact values) never find, a
// "marketing\n" consent that escaped the marketing checks.
test('the PHP example refuses values that end with a line feed (PCRE $ matches before one)', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const problems = problemsOf(page);
  const { body } = await send(page, { marketing: true });
  const sent = JSON.parse(body);
  const key = await (await page.request.post(`${url}api/keys.php`)).json();
  const fresh = (changes) => ({ ...sent, id: `msg_${randomBytes(16).toString('hex')}`, ...changes });
  const refused = async (endpoint, payload, details) => {
    const before = stored();
    const [data, headers] = signed(key, payload);
    const answer = await page.request.post(`${url}api/${endpoint}`, { headers, data });
    assert.equal(answer.status(), 422, `${JSON.stringify(details)}: ${answer.status()}`);
    assert.deepEqual((await answer.json()).details, details);
    assert.deepEqual(stored(), before, 'nothing stored');
  };
  await refused('leads.php', fresh({ fields: { ...sent.fields, phone: '+84902666984\n' } }), ['fields.phone must be a Vietnamese number in E.164']);
  await refused('leads.php', fresh({ fields: { ...sent.fields, email: 'tuan@example.vn\n' } }), ['fields.email must be an e-mail address']);
  await refused('leads.php', fresh({ captcha: 'token\n' }), ['captcha must be 1 to 8192 printable ASCII characters']);
  const marketing = sent.consents.findIndex((c) => c.purpose === 'marketing');
  const consents = sent.consents.map((c, i) => (i === marketing ? { ...c, purpose: 'marketing\n' } : c));
  await refused('leads.php', fresh({ consents }), [`consents[${marketing}] needs a purpose id`]);
  const text = 'Rút lại đồng ý?';
  const withdrawal = {
    id: `msg_${randomBytes(16).toString('hex')}`, withdraws: sent.id, purpose: 'marketing\n',
    withdrawn_at: new Date().toISOString(), locale: 'vi', text, text_sha256: createHash('sha256').update(text).digest('hex'),
  };
  await refused('withdrawals.php', withdrawal, ['purpose must be a purpose id']);
  await refused('withdrawals.php', { ...withdrawal, purpose: 'marketing', withdraws: `${sent.id}\n` }, ['withdraws must be msg_ and 16 to 64 of A-Z a-z 0-9 _ -']);
  assert.deepEqual(problems, []);
  await context.close();
});

// Security review: what the outbox keeps in localStorage is read back and shown. A
// receipt's policy link written there as `javascript:` (by a script, or a page, of the
// same origin) was a link that ran script in the page when clicked; the configuration
// itself refuses such a URL.
test('a receipt read back from the outbox shows no link to a policy URL the configuration would refuse', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const problems = problemsOf(page);
  await page.goto(`${url}form.html`);
  const form = page.locator('consent-form');
  await form.locator('[name=name]').fill('Lê Minh Tuấn');
  await form.locator('[name=phone]').fill('090 266 6984');
  await form.locator('[name=consent-consultation]').check();
  // The backend is down: the submission waits in the outbox.
  await page.route('**/api/leads.php', (route) => route.fulfill({ status: 503, body: '{}' }));
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/leads.php'));
  await form.locator('button[type=submit]').click();
  await refused;
  const planted = 'javascript:document.title="pwned"';
  const changed = await page.evaluate((planted) => {
    let n = 0;
    for (const key of Object.keys(localStorage).filter((k) => k.startsWith('consent-form:outbox:'))) {
      const entry = JSON.parse(localStorage.getItem(key));
      entry.receipt.policy_url = planted;
      localStorage.setItem(key, JSON.stringify(entry));
      n += 1;
    }
    return n;
  }, planted);
  assert.equal(changed, 1);
  // Back up: the page, reloaded, sends what waited and shows its receipt as kept.
  await page.unroute('**/api/leads.php');
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/leads.php') && r.status() === 200, { timeout: 30_000 });
  await page.reload();
  await sent;
  await form.locator('.cf-receipt').waitFor();
  const policy = form.locator('.cf-receipt-policy');
  assert.equal(await policy.textContent().then((t) => t.includes(planted)), true, 'the URL is shown as text');
  assert.equal(await policy.getAttribute('href'), null, 'and is no link');
  problems.splice(0, problems.length, ...problems.filter((p) => !/503/.test(p)));
  assert.deepEqual(problems, []);
  await context.close();
});

test('an address that makes more requests a minute than the limit gets 429 with Retry-After from every api/ script, its earlier requests answered and nothing more stored', async () => {
  const dir = join(scratch, 'limited');
  const { server, base } = await startPhp({ ...process.env, LEADS_DIR: dir, RATE_LIMIT: '3' });
  const context = await browser.newContext();
  try {
    const statuses = [];
    let key;
    for (let i = 0; i < 3; i++) {
      const answer = await context.request.post(`${base}api/keys.php`);
      statuses.push(answer.status());
      key = await answer.json();
    }
    assert.deepEqual(statuses, [200, 200, 200], 'the minute’s three requests, at once');
    for (const script of ['keys', 'leads', 'withdrawals']) {
      const [data, headers] = signed(key, { id: `msg_${randomBytes(16).toString('hex')}` });
      const answer = await context.request.post(`${base}api/${script}.php`, { headers, data });
      assert.equal(answer.status(), 429, script);
      assert.deepEqual(await answer.json(), { error: 'rate_limited' });
      const after = Number(answer.headers()['retry-after']);
      assert.ok(after >= 1 && after <= 20, `Retry-After ${after}: the next request's turn, 20 s at 3 a minute`);
    }
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.json')), [], 'nothing stored');
    assert.equal(mode(join(dir, '.rate')), 0o700, 'the counts for PHP’s user only');
  } finally {
    await context.close();
    server.kill();
  }
});

test('behind a reverse proxy (TRUST_PROXY=1) each visitor has a count of their own, by the address the proxy added to X-Forwarded-For; without it the header is not believed', async () => {
  const keys = async (base, forwarded) => {
    const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': forwarded } });
    try {
      return (await context.request.post(`${base}api/keys.php`)).status();
    } finally {
      await context.close();
    }
  };
  const proxied = await startPhp({ ...process.env, LEADS_DIR: join(scratch, 'proxied'), RATE_LIMIT: '1', TRUST_PROXY: '1' });
  try {
    // The proxy appends the visitor's address; what a visitor wrote before it is not theirs to choose.
    assert.equal(await keys(proxied.base, '198.51.100.7, 203.0.113.5'), 200, 'the first visitor');
    assert.equal(await keys(proxied.base, '198.51.100.8, 203.0.113.5'), 429, 'the same visitor again, whatever they wrote first');
    assert.equal(await keys(proxied.base, '203.0.113.6'), 200, 'another visitor, their own count');
  } finally {
    proxied.server.kill();
  }
  const direct = await startPhp({ ...process.env, LEADS_DIR: join(scratch, 'direct'), RATE_LIMIT: '1' });
  try {
    assert.equal(await keys(direct.base, '203.0.113.5'), 200);
    assert.equal(await keys(direct.base, '203.0.113.6'), 429, 'the same peer, whatever the header says');
  } finally {
    direct.server.kill();
  }
});

test('the PHP example without LEADS_DIR stores nothing, anywhere, and answers 503 so that the form keeps the submission', async () => {
  // A submission as the form sends it (from the configured example), then the same
  // example started without LEADS_DIR.
  const sender = await browser.newContext();
  const { body } = await send(await sender.newPage());
  await sender.close();
  const { LEADS_DIR, ...env } = process.env;
  assert.equal(LEADS_DIR, undefined);
  const { server, base, log } = await startPhp(env);
  const context = await browser.newContext();
  try {
    const key = await (await context.request.post(`${base}api/keys.php`)).json();
    const payload = { ...JSON.parse(body), id: `msg_${randomBytes(16).toString('hex')}` };
    const [data, headers] = signed(key, payload);
    const answer = await context.request.post(`${base}api/leads.php`, { headers, data });
    assert.equal(answer.status(), 503, await answer.text());
    assert.equal(answer.headers()['retry-after'], '60');
    assert.equal((await answer.json()).error, 'not_configured');
    // Not in the temporary directory (the old default), nor anywhere else we know of.
    assert.ok(!existsSync(join(tmpdir(), 'consent-form-leads', `${payload.id}.json`)));
    assert.ok(!stored().includes(`${payload.id}.json`));
    assert.match(log(), /set LEADS_DIR/);
  } finally {
    await context.close();
    server.kill();
  }
});

test('with CAPTCHA_SECRET set, the PHP example verifies each new submission’s captcha token with the provider (a fake siteverify on loopback) before storing it, as the receiver does', async () => {
  const sender = await browser.newContext();
  const { body } = await send(await sender.newPage(), { marketing: true });
  await sender.close();
  const secret = `0x4AAAAAAA${randomBytes(12).toString('hex')}`;
  const fake = await fakeSiteverify(secret);
  const dir = join(scratch, 'captcha');
  const { server, base, log } = await startPhp({ ...process.env, LEADS_DIR: dir, RATE_LIMIT: '0', CAPTCHA_SECRET: secret, CAPTCHA_VERIFY_URL: fake.url });
  const context = await browser.newContext();
  try {
    const key = await (await context.request.post(`${base}api/keys.php`)).json();
    const message = (changes = {}) => ({ ...JSON.parse(body), id: `msg_${randomBytes(16).toString('hex')}`, submitted_at: new Date().toISOString(), captcha: `tok-${randomBytes(8).toString('hex')}`, ...changes });
    const post = async (script, m) => {
      const [data, headers] = signed(key, m);
      const answer = await context.request.post(`${base}api/${script}.php`, { headers, data });
      return { status: answer.status(), body: await answer.json(), retryAfter: answer.headers()['retry-after'], data, headers };
    };
    const record = (id) => (existsSync(join(dir, `${id}.json`)) ? JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) : null);

    // No token: 422 captcha_missing, the provider not asked, nothing stored.
    const { captcha: _, ...tokenless } = message();
    let answer = await post('leads', tokenless);
    assert.deepEqual([answer.status, answer.body.error], [422, 'captcha_missing']);
    assert.equal(fake.seen.length, 0);
    assert.equal(record(tokenless.id), null);
    // Refused: 422 with the provider's codes.
    answer = await post('leads', message({ captcha: 'bad-token' }));
    assert.deepEqual([answer.status, answer.body], [422, { error: 'captcha_failed', details: ['invalid-input-response'] }]);
    // The provider down: 503 with Retry-After 5, nothing stored; back, the same message stored once.
    const good = message();
    fake.mode = 'down';
    answer = await post('leads', good);
    assert.deepEqual([answer.status, answer.body, answer.retryAfter], [503, { error: 'unavailable' }, '5']);
    assert.equal(record(good.id), null);
    fake.mode = 'up';
    answer = await post('leads', good);
    assert.deepEqual([answer.status, answer.body], [200, { ok: true, id: good.id }]);
    assert.deepEqual(record(good.id).captcha, { outcome: 'passed', hostname: '127.0.0.1' });
    assert.match(fake.seen.at(-1).type, /^application\/x-www-form-urlencoded/);
    assert.deepEqual(fake.seen.at(-1).form, { secret, response: good.captcha, remoteip: '127.0.0.1' });
    // A resend of the stored one: 200, the provider not asked again.
    const asked = fake.seen.length;
    const resent = await context.request.post(`${base}api/leads.php`, { headers: answer.headers, data: answer.data });
    assert.equal(resent.status(), 200);
    assert.equal(fake.seen.length, asked);
    // Its token again on a fresh submission: refused; on one pressed 10 minutes ago: stored, expired.
    answer = await post('leads', message({ captcha: good.captcha }));
    assert.deepEqual([answer.status, answer.body.details], [422, ['timeout-or-duplicate']]);
    const late = message({ captcha: good.captcha, submitted_at: new Date(Date.now() - 600_000).toISOString() });
    answer = await post('leads', late);
    assert.equal(answer.status, 200);
    assert.deepEqual(record(late.id).captcha, { outcome: 'expired', 'error-codes': ['timeout-or-duplicate'] });
    // A withdrawal: recorded, not captcha-checked.
    const before = fake.seen.length;
    const text = 'Rút lại đồng ý nhận tin tiếp thị?';
    answer = await post('withdrawals', { id: `msg_${randomBytes(16).toString('hex')}`, withdraws: late.id, purpose: 'marketing', withdrawn_at: new Date().toISOString(), locale: 'vi', text, text_sha256: createHash('sha256').update(text).digest('hex') });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(fake.seen.length, before);
    // The failed call logged with its reason; neither the secret nor a token.
    assert.match(log(), /siteverify answered HTTP 500/);
    assert.ok(!log().includes(secret) && !log().includes(good.captcha));
  } finally {
    await context.close();
    server.kill();
    await fake.close();
  }
});
