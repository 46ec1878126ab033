// The WordPress plugin (wordpress/consent-form/) on a real WordPress: Debian's
// `wordpress` package (6.1), copied into a temporary directory with a wp-config.php of
// its own, on a throwaway MariaDB (temporary datadir, unix socket, no network) and PHP's
// own web server on loopback. The plugin is installed from the zip a site owner uploads
// (scripts/wordpress-plugin), activated, and put on a page with its shortcode; then a
// visitor in Chromium sends the contact form on that page. Asserted: the page's element
// has the plugin's routes, WordPress's privacy page and the site's name; the submission
// is one row in MariaDB whose stored bytes verify with the official `standardwebhooks`
// against the visitor's key; a retry is 200 and not stored twice; a changed body, another
// visitor and a body that is not JSON are 401, a GET 405, a signed but invalid payload
// 422; a withdrawal from the receipt is one dated row; the admin (logged in through
// wp-login.php) sees the submission, its receipt with the exact consent texts, and a CSV
// where `=cmd…` is defused and the phone is not; WordPress's personal-data exporter finds
// it by e-mail, and its eraser empties the personal data and keeps the proof (id, body
// SHA-256, times, each consent as given or refused with its text's hash, the
// withdrawal); WordPress's debug log has nothing from the plugin.
// Run: node --test tests/e2e/wordpress.test.mjs (after `npm run build`; scripts/setup
// installs wordpress, mariadb-server, php-mysql).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { freePort, launchChromium, requireBuild, root } from './server.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'consent-form-wp-'));
const wp = join(scratch, 'wordpress');
const socket = join(scratch, 'mysqld.sock');
const debugLog = join(scratch, 'debug.log');
let mariadb;
let php;
let browser;
let base;
let contactPage;
const email = 'tuan@example.vn';
const company = "=cmd|' /C calc'!A0";
// Filled in by the first test, used by the next ones.
const sent = {};

/** Runs a command; its stdout. */
const run = (command, args, options = {}) => execFileSync(command, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...options });

/** One SQL statement on the test's MariaDB: its rows, tab-separated. */
const sql = (query) => run('mariadb', ['--no-defaults', '-S', socket, '-u', 'root', '-N', '-B', 'wp', '-e', query]).trim();

/** Runs PHP code inside this WordPress (after wp-load.php, as an admin); its output. */
function wpEval(code) {
  const file = join(scratch, `eval-${randomBytes(4).toString('hex')}.php`);
  writeFileSync(file, `<?php\nrequire ${JSON.stringify(join(wp, 'wp-load.php'))};\nwp_set_current_user(1);\n${code}\n`);
  try {
    return run('php', [file]);
  } finally {
    rmSync(file);
  }
}

async function until(what, check, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not come up in ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startMariaDb() {
  const datadir = join(scratch, 'db');
  // mariadbd refuses to run as root unless told to.
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  run('mariadb-install-db', ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...user]);
  mariadb = spawn('/usr/sbin/mariadbd', [
    '--no-defaults', `--datadir=${datadir}`, `--socket=${socket}`, '--skip-networking',
    `--pid-file=${join(scratch, 'mysqld.pid')}`, `--log-error=${join(scratch, 'mysqld.err')}`,
    '--innodb-buffer-pool-size=32M', '--skip-log-bin', ...user,
  ], { stdio: 'ignore' });
  await until('MariaDB', () => run('mariadb-admin', ['--no-defaults', '-S', socket, '-u', 'root', 'ping']).includes('alive'));
  run('mariadb', ['--no-defaults', '-S', socket, '-u', 'root', '-e', 'CREATE DATABASE wp CHARACTER SET utf8mb4']);
}

/** Debian's WordPress copied into the scratch directory, with its own wp-config.php, and the plugin from its zip. */
function installWordPressFiles(port) {
  cpSync('/usr/share/wordpress', wp, { recursive: true });
  const salts = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT']
    .map((name) => `define('${name}', '${randomBytes(32).toString('hex')}');`).join('\n');
  writeFileSync(join(wp, 'wp-config.php'), `<?php
define('DB_NAME', 'wp');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', ${JSON.stringify(`localhost:${socket}`)});
define('DB_CHARSET', 'utf8mb4');
$table_prefix = 'wp_';
${salts}
define('WP_HOME', 'http://127.0.0.1:${port}');
define('WP_SITEURL', 'http://127.0.0.1:${port}');
define('WP_DEBUG', true);
define('WP_DEBUG_LOG', ${JSON.stringify(debugLog)});
define('WP_DEBUG_DISPLAY', false);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
`);
  const zip = run('bash', [join(root, 'scripts/wordpress-plugin')], { cwd: root }).trim();
  run('unzip', ['-q', join(root, zip), '-d', join(wp, 'wp-content/plugins')]);
}

before(async () => {
  requireBuild();
  const port = await freePort();
  base = `http://127.0.0.1:${port}/`;
  await startMariaDb();
  installWordPressFiles(port);
  // WordPress installed as its installer does, then the plugin activated as the Plugins
  // screen does, and two pages: WordPress's privacy policy (published) and one with the form.
  const installer = join(scratch, 'install.php');
  writeFileSync(installer, `<?php
define('WP_INSTALLING', true);
require ${JSON.stringify(join(wp, 'wp-load.php'))};
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$result = wp_install('Công ty TNHH Ví Dụ <b>&</b>', 'admin', 'admin@example.vn', false, '', 'correct horse battery');
echo $result['user_id'];
`);
  assert.equal(run('php', [installer]).trim(), '1');
  const setup = JSON.parse(wpEval(`
require_once ABSPATH . 'wp-admin/includes/plugin.php';
$activated = activate_plugin('consent-form/consent-form.php');
if (is_wp_error($activated)) { echo json_encode(['error' => $activated->get_error_message()]); exit; }
wp_publish_post((int) get_option('wp_page_for_privacy_policy'));
$page = wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Liên hệ', 'post_content' => '[consent_form kind="contact"]']);
echo json_encode(['page' => get_permalink($page), 'privacy' => get_privacy_policy_url()]);
`));
  assert.equal(setup.error, undefined, setup.error);
  contactPage = setup.page;
  sent.privacy = setup.privacy;
  php = spawn('php', ['-d', `error_log=${join(scratch, 'php.log')}`, '-S', `127.0.0.1:${port}`, '-t', wp], {
    env: { ...process.env, PHP_CLI_SERVER_WORKERS: '2' },
    stdio: 'ignore',
  });
  await until('php -S', async () => (await fetch(base)).ok);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  php?.kill();
  if (mariadb && mariadb.exitCode === null) {
    const exited = new Promise((r) => mariadb.once('exit', r));
    mariadb.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (mariadb.exitCode === null) mariadb.kill('SIGKILL');
  }
  rmSync(scratch, { recursive: true, force: true });
});

/** Console errors and page errors of a page, as they come. */
function problemsOf(page) {
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && !m.location().url?.endsWith('/favicon.ico') && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

const route = (name) => (r) => r.url().includes(`consent-form/v1/${name}`);

test('a visitor sends the contact form on a WordPress page; the plugin verifies it and stores it once, in MariaDB', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const problems = problemsOf(page);
  await page.goto(contactPage);

  // The element as the shortcode renders it: the plugin's routes, WordPress's privacy
  // page, the site's name (escaped, not markup), English as the site is, the module.
  const form = page.locator('consent-form');
  assert.equal(await form.getAttribute('kind'), 'contact');
  assert.equal(await form.getAttribute('policy-url'), sent.privacy);
  assert.equal(await form.getAttribute('controller'), 'Công ty TNHH Ví Dụ <b>&</b>');
  assert.equal(await form.getAttribute('locale'), 'en');
  assert.match(await form.getAttribute('endpoint'), /consent-form\/v1\/submissions$/);
  assert.equal(await page.locator('script[type=module][src*="consent-form/pkg/consent-form.js"]').count(), 1);
  assert.equal(await page.locator('link[rel=preload][href$="consent_form_bg.wasm"]').count(), 1);

  await form.locator('[name=name]').fill('Lê Minh Tuấn');
  await form.locator('[name=phone]').fill('090 266 6984');
  await form.locator('[name=email]').fill(email);
  await form.locator('[name=company]').fill(company);
  await form.locator('[name=consent-consultation]').check();
  await form.locator('[name=consent-marketing]').check();
  const posted = page.waitForResponse(route('submissions'), { timeout: 30_000 });
  await form.locator('button[type=submit]').click();
  const response = await posted;
  assert.equal(response.status(), 200);
  await form.locator('.cf-receipt').waitFor();
  // The visitor's key: the key-url hands out the same key again while it has more than
  // half its life left (the key cookie travels with page.request).
  const key = await (await page.request.post(new URL(await form.getAttribute('key-url'), base).href)).json();
  const request = response.request();
  const body = request.postData();
  const payload = JSON.parse(body);
  const { id } = payload;
  Object.assign(sent, { id, body, payload, key, context, page, form, problems });

  // One row, holding the signed bytes; they verify with the visitor's key.
  assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_submissions`), '1');
  const [storedId, hex, timestamp, signature, storedEmail, sha] = sql(
    `SELECT id, HEX(body), webhook_timestamp, webhook_signature, email, body_sha256 FROM wp_consent_form_submissions`,
  ).split('\t');
  const stored = Buffer.from(hex, 'hex').toString('utf8');
  assert.equal(storedId, id);
  assert.equal(stored, body);
  assert.equal(storedEmail, email);
  assert.equal(sha, createHash('sha256').update(body).digest('hex'));
  assert.equal(signature, request.headers()['webhook-signature']);
  const verified = new Webhook(key.secret).verify(stored, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature });
  assert.equal(verified.fields.phone, '+84902666984');

  // The form's retry: 200 again, one row. A changed byte, another visitor (no key
  // cookie), a body that is not JSON: 401. A GET: 405.
  const headers = {
    'content-type': 'application/json',
    ...Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, request.headers()[h]])),
  };
  const endpoint = response.url();
  let again = await page.request.post(endpoint, { headers, data: body });
  assert.equal(again.status(), 200);
  assert.deepEqual(await again.json(), { ok: true, id });
  assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_submissions`), '1');
  again = await page.request.post(endpoint, { headers, data: body.replace('Lê Minh Tuấn', 'Lê Minh Tuân') });
  assert.equal(again.status(), 401);
  assert.deepEqual(await again.json(), { error: 'bad_signature' });
  const stranger = await browser.newContext();
  again = await stranger.request.post(endpoint, { headers, data: body });
  assert.equal(again.status(), 401);
  assert.deepEqual(await again.json(), { error: 'no_session' });
  await stranger.close();
  again = await page.request.post(endpoint, { headers, data: '{"not json' });
  assert.equal(again.status(), 401);
  again = await page.request.get(endpoint);
  assert.equal(again.status(), 405);

  // Signed with the visitor's key but not what the form sends: 422 with why; nothing stored.
  const resign = (message) => {
    const text = JSON.stringify(message);
    const at = new Date();
    return {
      data: text,
      headers: {
        'content-type': 'application/json',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(key.secret).sign(message.id, at, text),
      },
    };
  };
  sent.resign = resign;
  const refused = { ...payload, id: `msg_${randomBytes(16).toString('hex')}`, consents: payload.consents.map((c) => ({ ...c, granted: false })) };
  again = await page.request.post(endpoint, resign(refused));
  assert.equal(again.status(), 422);
  assert.deepEqual(await again.json(), { error: 'invalid_payload', details: ['the consultation consent must be granted'] });
  // Another body under the stored id: 409, the stored one kept.
  again = await page.request.post(endpoint, resign({ ...payload, fields: { ...payload.fields, name: 'Someone Else' } }));
  assert.equal(again.status(), 409);
  assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_submissions`), '1');
  sent.endpoint = endpoint;
  sent.headers = headers;
});

test('the visitor withdraws marketing from the receipt: one dated event, the submission unchanged', async () => {
  const { page, form, id, body } = sent;
  const line = form.locator('.cf-receipt tr[data-purpose=marketing]');
  await line.locator('button.cf-withdraw').click();
  const answered = page.waitForResponse(route('withdrawals'), { timeout: 30_000 });
  await line.locator('#cf-wd-yes-marketing').click();
  const response = await answered;
  assert.equal(response.status(), 200);
  await line.locator('.cf-withdraw-state[data-state=done]').waitFor();
  const message = JSON.parse(response.request().postData());
  assert.equal(message.withdraws, id);

  const rows = sql(`SELECT submission_id, kind, purpose, webhook_id, HEX(body), received_at FROM wp_consent_form_events`).split('\n');
  assert.equal(rows.length, 1);
  const [submission, kind, purpose, webhookId, hex, receivedAt] = rows[0].split('\t');
  assert.deepEqual([submission, kind, purpose, webhookId], [id, 'withdrawn', 'marketing', message.id]);
  assert.equal(Buffer.from(hex, 'hex').toString('utf8'), response.request().postData());
  assert.match(receivedAt, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  assert.equal(Buffer.from(sql(`SELECT HEX(body) FROM wp_consent_form_submissions`), 'hex').toString('utf8'), body);

  // Its retry: 200 with the first time; a second withdrawal of it: 409; an unknown submission: 404.
  const retry = await page.request.post(response.url(), {
    headers: { 'content-type': 'application/json', ...Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, response.request().headers()[h]])) },
    data: response.request().postData(),
  });
  assert.equal(retry.status(), 200);
  assert.equal((await retry.json()).recorded_at, `${receivedAt.replace(' ', 'T')}+00:00`);
  const other = (changes) => {
    const w = { ...message, id: `msg_${randomBytes(16).toString('hex')}`, ...changes };
    return sent.resign(w);
  };
  let again = await page.request.post(response.url(), other({}));
  assert.equal(again.status(), 409);
  assert.match((await again.json()).message, /was withdrawn at/);
  again = await page.request.post(response.url(), other({ withdraws: `msg_${randomBytes(16).toString('hex')}` }));
  assert.equal(again.status(), 404);
  assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_events`), '1');
  sent.withdrawalUrl = response.url();
  assert.deepEqual(sent.problems, []);
});

test('the site owner, logged in, sees the submission, its receipt and a CSV with formulas defused', async () => {
  const { id, payload } = sent;
  const admin = await browser.newContext();
  const page = await admin.newPage();
  await page.goto(`${base}wp-login.php`);
  await page.locator('#user_login').fill('admin');
  await page.locator('#user_pass').fill('correct horse battery');
  await Promise.all([page.waitForURL(/wp-admin/), page.locator('#wp-submit').click()]);

  await page.goto(`${base}wp-admin/admin.php?page=consent-form`);
  const row = page.locator(`#consent-form-submissions tr[data-id="${id}"]`);
  assert.equal(await row.count(), 1);
  const cells = await row.locator('td').allInnerTexts();
  assert.equal(cells[1], 'contact');
  assert.deepEqual(cells.slice(2, 5), ['Lê Minh Tuấn', '+84902666984', email]);
  assert.equal(await row.locator('[data-purpose=consultation]').getAttribute('data-state'), 'granted');
  assert.equal(await row.locator('[data-purpose=marketing]').getAttribute('data-state'), 'withdrawn');
  assert.equal(await row.locator('[data-purpose=call_recording]').getAttribute('data-state'), 'refused');

  // The receipt: each consent's exact text and hash, the withdrawal.
  await Promise.all([page.waitForURL(/receipt=/), row.locator('a', { hasText: 'Receipt' }).click()]);
  await page.locator('.consent-form-receipt h1').waitFor();
  for (const consent of payload.consents) {
    const line = page.locator(`.consent-form-receipt tr[data-purpose="${consent.purpose}"]`);
    const texts = await line.locator('td').allInnerTexts();
    assert.equal(texts[3], consent.text);
    assert.equal(texts[4], consent.text_sha256);
  }
  assert.match(await page.locator('li[data-kind=withdrawn]').innerText(), /withdrew “marketing”/);

  // The CSV, from the page's link (with its nonce); without the nonce, refused.
  await page.goto(`${base}wp-admin/admin.php?page=consent-form`);
  const href = await page.locator('#consent-form-csv').getAttribute('href');
  const csv = await admin.request.get(new URL(href.replaceAll('&amp;', '&'), base).href);
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /^text\/csv/);
  const text = (await csv.text()).replace(/^\uFEFF/, '');
  const [header, line] = text.split('\r\n');
  const columns = header.split(',');
  assert.ok(line.startsWith(`${id},`), line);
  assert.ok(line.includes(`,'${company},`), line); // defused: a leading '
  assert.ok(line.includes(',+84902666984,'), line); // a phone is a plain signed number: kept as is
  assert.ok(line.includes('consultation=granted;marketing=withdrawn;call_recording=refused'), line);
  assert.ok(columns.includes('company') && columns.at(-1) === 'erased_at');
  const forged = await admin.request.get(`${base}wp-admin/admin-post.php?action=consent_form_csv`);
  assert.equal(forged.status(), 403);
  // A visitor who is not logged in gets no list.
  const visitor = await browser.newContext();
  const list = await visitor.request.get(`${base}wp-admin/admin.php?page=consent-form`, { maxRedirects: 0 });
  assert.equal(list.status(), 302);
  await visitor.close();
  sent.admin = admin;
});

test("WordPress's privacy tools: the exporter finds the submission by e-mail; the eraser removes the personal data and keeps the proof", async () => {
  const { id, body, payload, endpoint, headers, page, admin } = sent;
  const exporters = JSON.parse(wpEval(`
$exporters = apply_filters('wp_privacy_personal_data_exporters', []);
echo json_encode(call_user_func($exporters['consent-form']['callback'], ${JSON.stringify(email.toUpperCase())}, 1));
`));
  assert.equal(exporters.done, true);
  assert.equal(exporters.data.length, 1);
  const exported = Object.fromEntries(exporters.data[0].data.map((d) => [d.name, d.value]));
  assert.equal(exported['Submission id'], id);
  assert.equal(exported.name, 'Lê Minh Tuấn');
  assert.equal(exported.company, company.replaceAll("'", '&#039;'));

  // As Tools → Erase Personal Data does: an erasure request, then each eraser until done.
  const erased = JSON.parse(wpEval(`
$request = wp_create_user_request(${JSON.stringify(email)}, 'remove_personal_data');
$erasers = apply_filters('wp_privacy_personal_data_erasers', []);
$page = 1;
do { $result = call_user_func($erasers['consent-form']['callback'], ${JSON.stringify(email)}, $page++); } while (!$result['done']);
echo json_encode($result);
`));
  assert.equal(erased.items_removed, true);
  assert.equal(erased.items_retained, true);

  // Gone: the body (every field, the consent texts) and the e-mail address.
  const [hex, storedEmail, erasedAt, sha, consents, receivedAt] = sql(
    `SELECT HEX(body), email, erased_at, body_sha256, consents, received_at FROM wp_consent_form_submissions WHERE id = '${id}'`,
  ).split('\t');
  assert.equal(hex, 'NULL');
  assert.equal(storedEmail, 'NULL');
  assert.match(erasedAt, /^\d{4}-/);
  assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_submissions WHERE CONCAT_WS('|', id, form, submitted_at, consents) LIKE '%Tuấn%' OR CONCAT_WS('|', consents) LIKE '%tuan@%'`), '0');
  // Kept: the id, the hash of what was signed, the times, each consent as given or
  // refused with its text's hash, the withdrawal, and the erasure as an event.
  assert.equal(sha, createHash('sha256').update(body).digest('hex'));
  assert.match(receivedAt, /^\d{4}-/);
  assert.deepEqual(
    JSON.parse(consents).map(({ purpose, granted, text_sha256: hash }) => ({ purpose, granted, hash })),
    payload.consents.map(({ purpose, granted, text_sha256: hash }) => ({ purpose, granted, hash })),
  );
  assert.equal(sql(`SELECT GROUP_CONCAT(kind ORDER BY seq) FROM wp_consent_form_events WHERE submission_id = '${id}'`), 'withdrawn,erased');

  // The form's retry of the erased submission: 200, not stored again.
  const again = await page.request.post(endpoint, { headers, data: body });
  assert.equal(again.status(), 200);
  assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_submissions WHERE body IS NOT NULL`), '0');
  // Erasing again finds nothing; the exporter finds nothing.
  const twice = JSON.parse(wpEval(`
$erasers = apply_filters('wp_privacy_personal_data_erasers', []);
echo json_encode(call_user_func($erasers['consent-form']['callback'], ${JSON.stringify(email)}, 1));
`));
  assert.equal(twice.items_removed, false);
  assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_events WHERE kind = 'erased'`), '1');

  // The owner's list says so, without the data; the receipt keeps the hashes.
  const list = await admin.newPage();
  await list.goto(`${base}wp-admin/admin.php?page=consent-form`);
  const row = list.locator(`#consent-form-submissions tr[data-id="${id}"]`);
  assert.match(await row.innerText(), /Erased on request/);
  assert.doesNotMatch(await list.content(), /Tuấn|tuan@example/);
  await list.goto(`${base}wp-admin/admin.php?page=consent-form&receipt=${id}`);
  assert.match(await list.content(), new RegExp(payload.consents[0].text_sha256));
  assert.match(await list.locator('li[data-kind=erased]').innerText(), /personal data erased \(by principal/);

  // WordPress's debug log has no notice, warning or error from the plugin.
  const log = existsSync(debugLog) ? readFileSync(debugLog, 'utf8') : '';
  assert.deepEqual(log.split('\n').filter((l) => l.includes('/plugins/consent-form/')), []);
  await admin.close();
  await sent.context.close();
});

test('the shortcode follows the site: Vietnamese on a Vietnamese site, attributes over settings, every attribute escaped', () => {
  // A site in Vietnamese (WordPress keeps WPLANG at en_US without the language pack,
  // so the site's language is set as the pack would set it).
  const html = wpEval(`
add_filter('locale', fn () => 'vi');
update_option('consent_form_settings', ['controller' => 'Settings "Co" <x>', 'policy_url' => 'https://vidu.vn/p?a=1&b=2', 'retention' => '24 tháng </script><script>alert(1)</script>']);
echo do_shortcode('[consent_form kind="callback" policy_version=\\'2026-01" onload="x\\']');
`);
  assert.match(html, /^<consent-form kind="callback" /);
  assert.match(html, / locale="vi"/);
  assert.match(html, / controller="Settings &quot;Co&quot; &lt;x&gt;"/);
  assert.match(html, / policy-url="https:\/\/vidu\.vn\/p\?a=1&#038;b=2"/);
  assert.match(html, / policy-version="2026-01&quot; onload=&quot;x"/);
  assert.doesNotMatch(html, / onload="/);
  assert.doesNotMatch(html, /<\/script><script>/);
  assert.match(html, /<script type="application\/json">\{"retention":"24 tháng \\u003C\/script\\u003E/);
});
