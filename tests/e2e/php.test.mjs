// The PHP host example (www/php/) on PHP's own web server on loopback: a visitor in
// Chromium sends the contact form, api/keys.php hands the page a key for its session,
// api/leads.php verifies the signature with www/php/lib/verify_lead.php and stores the
// signed bytes once; then the answers the form relies on: a repeat is 200 and not
// stored twice, a changed body or another session is 401, a signed but invalid payload
// is 422, another body under a stored id is 409. Run: node --test tests/e2e/php.test.mjs
// (after `npm run build`; needs php-cli, which scripts/setup installs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { freePort, launchChromium, requireBuild, root } from './server.mjs';

let php;
let url;
let browser;
const leads = mkdtempSync(join(tmpdir(), 'consent-form-php-leads-'));
const stored = () => readdirSync(leads).filter((f) => f.endsWith('.json'));

before(async () => {
  requireBuild();
  const port = await freePort();
  // The repository is the web root: the page at /www/php/form.html loads /pkg/.
  php = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', root], {
    env: { ...process.env, LEADS_DIR: leads },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  php.stdout.on('data', (d) => (log += d));
  php.stderr.on('data', (d) => (log += d));
  php.once('error', (e) => (log += `${e.message} (scripts/setup installs php-cli)`));
  url = `http://127.0.0.1:${port}/www/php/`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}form.html`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 100) throw new Error(`php -S did not answer:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  php?.kill();
  rmSync(leads, { recursive: true, force: true });
});

test('a visitor sends the contact form to the PHP example, which verifies, checks and stores it once', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && !m.location().url?.endsWith('/favicon.ico') && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${url}form.html`);
  const form = page.locator('consent-form');
  await form.locator('[name=name]').fill('Lê Minh Tuấn');
  await form.locator('[name=phone]').fill('090 266 6984');
  await form.locator('[name=email]').fill('tuan@example.vn');
  await form.locator('[name=consent-consultation]').check();
  const posted = page.waitForResponse((r) => r.url().endsWith('/api/leads.php'), { timeout: 30_000 });
  await form.locator('button[type=submit]').click();
  const response = await posted;
  assert.equal(response.status(), 200);
  await form.locator('.cf-receipt').waitFor();
  const request = response.request();
  const body = request.postData();
  const id = JSON.parse(body).id;

  // Stored once, as the signed bytes with their headers.
  assert.deepEqual(stored(), [`${id}.json`]);
  const record = JSON.parse(readFileSync(join(leads, `${id}.json`), 'utf8'));
  assert.equal(record.body, body);
  assert.equal(record['webhook-id'], id);
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
  const signed = (payload) => {
    const text = JSON.stringify(payload);
    const at = new Date();
    return [text, {
      'content-type': 'application/json',
      'webhook-id': payload.id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': new Webhook(key.secret).sign(payload.id, at, text),
    }];
  };
  const sent = JSON.parse(body);
  const refused = { ...sent, id: 'msg_php0example0refused0', consents: sent.consents.map((c) => ({ ...c, granted: false })) };
  again = await post(...signed(refused));
  assert.equal(again.status(), 422);
  assert.deepEqual(await again.json(), { error: 'invalid_payload', details: ['the consultation consent must be granted'] });
  const traversal = { ...sent, id: 'msg_../../../../tmp/x' };
  again = await post(...signed(traversal));
  assert.equal(again.status(), 422);
  // Another body under the stored id: refused, the stored one kept.
  again = await post(...signed({ ...sent, fields: { ...sent.fields, name: 'Someone Else' } }));
  assert.equal(again.status(), 409);
  assert.deepEqual(stored(), [`${id}.json`]);
  assert.equal(JSON.parse(readFileSync(join(leads, `${id}.json`), 'utf8')).body, body);

  assert.deepEqual(problems, []);
  await context.close();
});
