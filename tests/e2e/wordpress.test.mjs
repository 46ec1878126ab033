// The WordPress plugin (wordpress/consent-form/) on a real WordPress: Debian's
// `wordpress` package (6.1), copied into a temporary directory with a wp-config.php of
// its own, on a throwaway MariaDB (temporary datadir, unix socket, no network) and PHP's
// own web server on loopback. The plugin is installed from the zip a site owner uploads
// (scripts/wordpress-plugin), activated, and put on a page with its shortcode; then a
// visitor in Chromium sends the contact form on that page. With WORDPRESS=6.5 or nightly
// (scripts/test runs all three): WordPress 6.5.5 or 6.7-alpha, WordPress Playground's
// build (tests/wordpress/: its zip and its static files put together, its SQLite file left
// out) on the same MariaDB, in Twenty Twenty-Four; only the install, the visitor's
// submission and withdrawal, the owner's list, the privacy tools and the strict CSP run
// there (the others are `debianOnly`). Asserted: the theme is a block theme; each of the
// plugin's files is fetched once; no module comes before WordPress's import map, and in
// Firefox the form renders and the theme's menu (WordPress's own modules, 6.5+) opens on
// the form's page, and in a classic theme (import map in the footer) the theme's module
// importing @wordpress/interactivity runs; the page's element
// has the plugin's routes, WordPress's privacy page and the site's name; the submission
// is one row in MariaDB whose stored bytes verify with the official `standardwebhooks`
// against the visitor's key; a retry is 200 and not stored twice; a changed body, another
// visitor and a body that is not JSON are 401, a GET 405, a signed but invalid payload
// 422; a withdrawal from the receipt is one dated row; the admin (logged in through
// wp-login.php) sees the submission, its receipt with the exact consent texts, and a CSV
// where `=cmd…` is defused and the phone is not; WordPress's personal-data exporter finds
// it by e-mail, and its eraser empties the personal data and keeps the proof (id, body
// SHA-256, times, each consent as given or refused with its text's hash, the
// withdrawal); WordPress's debug log has nothing from the plugin nor naming it, nor any
// of its texts translated before init (which 6.7 warns of). The owner's search
// finds a submission by its phone written any usual way (after an upgrade from database
// version 1) or its e-mail, and stays an index lookup on 10,000 submissions (it prints
// the times); the Erase on a callback request's receipt is refused without a nonce, to
// an editor, without who/why/confirmation, and otherwise keeps the proof and says by
// whom and why, once; the pages are in Vietnamese when WPLANG is vi. The retention
// period: submissions inserted with an old received_at; a bad period refused on the
// settings page, the text/period mismatch warned; the list's dry-run count and a
// receipt's due date; wp-cron.php erasing the due ones oldest first as the controller
// (one batch, then its continuation), the proof kept, the recent ones untouched, a second
// run and a run with the period off changing nothing; the event removed on deactivation.
// The hash chain: every record linked (the hashes recomputed apart from the plugin by
// the documented recipe), the head e-mailed once, a row changed, removed or inserted by
// hand named by verifying, a rewritten chain shown by a kept head (also on the owner's
// page, in steps: through admin-ajax with JavaScript, a page per step without); every
// report the same verified in one go and in steps; an update from version 1 linking the
// rows already there; 10,000 linked at an update in steps (the rest by the event it
// schedules) and verified in one go and in steps (it prints the times). The phone
// columns of an update from version 1 filled in steps by their event, a step failed
// by the database undone whole and done again, the owner told meanwhile what a search by
// phone cannot find yet, and rows with no phone never read again. Under a strict
// Content-Security-Policy (a nonce per request, 'strict-dynamic', given through
// WordPress's filters by a mu-plugin): the owner's Verify records runs its script, the
// visitor's form renders and sends, and no violation is the plugin's (WordPress's own are
// printed).
// Multisite: a second WordPress made a network (subdomains) in its own database, the
// plugin network-activated; a site on a domain of its own takes a visitor's submission
// into its own tables only (its key cookie is its host's), and deleting it drops them.
// A third made a network on subdirectories (served through a router standing in for
// WordPress's .htaccess rules): one visitor sends two sites' forms, each stored in its
// own site's table, each site's key cookie its own, one site's key refused by the other.
// The captcha check (every version): a fake siteverify on loopback the settings point
// the plugin at; the visitor's form with a captcha hook, the provider down (503,
// Retry-After 5) then back, the form's retry stored once with outcome passed, a resend
// not verified again; signed requests: no token 422, a refused token 422 with its codes,
// a provider failing, slow or unreachable 503, a late submission stored as expired, a
// withdrawal not checked, the wp-config.php constant winning, the secret never shown or
// logged.
// Run: [WORDPRESS=6.5|nightly|beta] node --test tests/e2e/wordpress.test.mjs (after `npm
// run build`; scripts/setup installs wordpress, mariadb-server, php-mysql, tests/wordpress/).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { fakeSiteverify, freePort, launchChromium, launchFirefox, requireBuild, root } from './server.mjs';

// WORDPRESS=6.5, beta or nightly: that build of WordPress Playground's
// (tests/wordpress/, `src/wordpress/wp-<name>.zip` + its static files in `public/wp-<name>/`)
// instead of Debian's; the tests marked `debianOnly` are then skipped.
const builds = join(root, 'tests/wordpress/node_modules/@wp-playground/wordpress-builds');
const build = process.env.WORDPRESS || undefined;
if (build && !existsSync(join(builds, `src/wordpress/wp-${build}.zip`))) {
  throw new Error(`WORDPRESS=${build}: no ${builds}/src/wordpress/wp-${build}.zip (scripts/setup installs tests/wordpress/)`);
}
/** What a version other than Debian's skips: all but the install, the visitor's form, the
 *  withdrawal, the owner's list and receipt, the privacy tools and the strict CSP. */
const debianOnly = { skip: build ? `on Debian's WordPress only (WORDPRESS=${build})` : false };
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
// The WordPress installed: its version, its theme, whether that is a block theme, whether
// it has script modules (6.5+).
const site = {};

/** Runs a command; its stdout. */
const run = (command, args, options = {}) => execFileSync(command, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...options });

/** One SQL statement on the test's MariaDB (database `db`): its rows, tab-separated. */
const sql = (query, db = 'wp') => run('mariadb', ['--no-defaults', '-S', socket, '-u', 'root', '-N', '-B', db, '-e', query]).trim();

/** Runs PHP code inside the WordPress in `dir` (after wp-load.php, as an admin; `preamble`
 *  first, e.g. the request's host a multisite network picks its site by); its output. */
function wpEval(code, dir = wp, preamble = '') {
  const file = join(scratch, `eval-${randomBytes(4).toString('hex')}.php`);
  writeFileSync(file, `<?php\n${preamble}require ${JSON.stringify(join(dir, 'wp-load.php'))};\nwp_set_current_user(1);\n${code}\n`);
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

let pluginZip;

/** wp-config.php for the WordPress in `dir` on database `db`; `site` is what sets its address. */
function writeConfig(dir, db, site) {
  const salts = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT']
    .map((name) => `define('${name}', '${createHash('sha256').update(dir + name).digest('hex')}');`).join('\n');
  writeFileSync(join(dir, 'wp-config.php'), `<?php
define('DB_NAME', '${db}');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', ${JSON.stringify(`localhost:${socket}`)});
define('DB_CHARSET', 'utf8mb4');
$table_prefix = 'wp_';
${salts}
${site}
define('WP_DEBUG', true);
define('WP_DEBUG_LOG', ${JSON.stringify(debugLog)});
define('WP_DEBUG_DISPLAY', false);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
`);
}

/** Debian's WordPress copied into `dir` (or the build WORDPRESS names: its zip, then its
 *  static files), with its own wp-config.php, and the plugin from its zip. */
function installWordPressFiles(port, dir = wp, db = 'wp') {
  if (build) {
    run('unzip', ['-q', join(builds, `src/wordpress/wp-${build}.zip`), '-d', dir]);
    cpSync(join(builds, `public/wp-${build}`), dir, { recursive: true });
    // Playground's SQLite database file: unused (no db.php drop-in), MariaDB it is.
    rmSync(join(dir, 'wp-content/database'), { recursive: true, force: true });
  } else {
    cpSync('/usr/share/wordpress', dir, { recursive: true });
  }
  writeConfig(dir, db, `define('WP_HOME', 'http://127.0.0.1:${port}');\ndefine('WP_SITEURL', 'http://127.0.0.1:${port}');`);
  pluginZip ??= run('bash', [join(root, 'scripts/wordpress-plugin')], { cwd: root }).trim();
  run('unzip', ['-q', join(root, pluginZip), '-d', join(dir, 'wp-content/plugins')]);
}

before(async () => {
  requireBuild();
  const port = await freePort();
  base = `http://127.0.0.1:${port}/`;
  await startMariaDb();
  installWordPressFiles(port);
  // WordPress installed as its installer does, then the plugin activated as the Plugins
  // screen does, and two pages: WordPress's privacy policy (published) and one with the form.
  // The step of verifying and linking the chain, set by the tests (an option) in every
  // request, through the plugin's filter.
  mkdirSync(join(wp, 'wp-content/mu-plugins'), { recursive: true });
  writeFileSync(join(wp, 'wp-content/mu-plugins/consent-form-test-step.php'), `<?php
add_filter('consent_form_chain_step', fn ($limits) => get_option('consent_form_test_step') ?: $limits);
add_filter('consent_form_phones_step', fn ($limits) => get_option('consent_form_test_phones_step') ?: $limits);
// Every test's requests come from 127.0.0.1: no rate limit unless a test sets one.
add_filter('consent_form_rate_limit', fn () => (int) get_option('consent_form_test_rate', 0));
// A text of the plugin's translated before init is not translated (its translations are
// loaded at init), and WordPress 6.7 warns of it: logged on every version, for pluginLogLines.
add_filter('gettext_consent-form', function ($translation, $text) {
    if (!did_action('init')) error_log("consent-form: translated before init: $text");
    return $translation;
}, 10, 2);
`);
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
echo json_encode(['page' => get_permalink($page), 'privacy' => get_privacy_policy_url(), 'version' => get_bloginfo('version'), 'theme' => get_stylesheet(), 'blockTheme' => wp_is_block_theme(), 'scriptModules' => function_exists('wp_register_script_module')]);
`));
  assert.equal(setup.error, undefined, setup.error);
  contactPage = setup.page;
  Object.assign(site, setup);
  console.log(`WordPress ${site.version}${build ? ` (WORDPRESS=${build})` : " (Debian's)"}, theme ${site.theme}`);
  sent.privacy = setup.privacy;
  php = phpServer(['-d', `error_log=${join(scratch, 'php.log')}`, '-S', `127.0.0.1:${port}`, '-t', wp]);
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

/**
 * `php` with `args` (a `-S` server) with two workers. php -S forks its workers and does
 * not stop them when it is stopped, so the server leads a process group of its own and
 * `kill()` stops the group: no worker outlives the test holding its port and directory.
 */
function phpServer(args) {
  const server = spawn('php', args, {
    env: { ...process.env, PHP_CLI_SERVER_WORKERS: '2' },
    stdio: 'ignore',
    detached: true,
  });
  return {
    kill() {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

/** Console errors and page errors of a page, as they come. */
function problemsOf(page) {
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && !m.location().url?.endsWith('/favicon.ico') && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

/** The size of WordPress's debug log so far. */
const logSize = () => (existsSync(debugLog) ? readFileSync(debugLog).length : 0);

/**
 * The lines of WordPress's debug log (from byte `from`) that are the plugin's: from its
 * files, or naming it (a notice of WordPress's own about the plugin's text domain, hooks
 * or functions), the test's temporary directory taken out of them first.
 */
function pluginLogLines(from = 0) {
  const log = existsSync(debugLog) ? readFileSync(debugLog).subarray(from).toString('utf8') : '';
  return log.split('\n').filter((l) => /consent[-_]form/i.test(l.replaceAll(scratch, '')));
}

const route = (name) => (r) => r.url().includes(`consent-form/v1/${name}`);

/**
 * A new browser context (with `options`, e.g. JavaScript off) logged in through
 * wp-login.php; its first page. A refused login is tried once more, and the refusal's
 * reason printed: it is the test's setup, not what the test checks (CI once saw a login
 * sent back to wp-login.php, likely the race below).
 */
async function logIn(user, password, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  for (let attempt = 1; ; attempt++) {
    const refusal = await tryLogIn(page, user, password, options.javaScriptEnabled !== false);
    if (!refusal) return { context, page };
    if (attempt === 2) throw new Error(refusal);
    console.log(`${refusal}; trying once more`);
  }
}

/** Logs `page` in as `user` (`scripts`: the page runs its JavaScript); undefined once on wp-admin, else why not. */
async function tryLogIn(page, user, password, scripts) {
  await page.goto(`${base}wp-login.php`);
  // wp-login.php focuses and selects #user_login 200 ms after it runs its script: were
  // that to fall between fill()'s focus of #user_pass and its typing, the password would
  // land in #user_login. Wait for it first.
  if (scripts) await page.waitForFunction(() => document.activeElement?.id === 'user_login');
  await page.locator('#user_login').fill(user);
  await page.locator('#user_pass').fill(password);
  const answer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('wp-login.php'));
  await page.locator('#wp-submit').click();
  const status = (await answer).status();
  // Whichever comes first: wp-admin, or the login page with its reason.
  const arrived = await Promise.race([
    page.waitForURL(/wp-admin/).then(() => true, () => false),
    page.locator('#login_error').waitFor().then(() => false, () => new Promise(() => {})),
  ]);
  if (arrived) return undefined;
  const shown = page.locator('#login_error');
  const said = await ((await shown.count()) ? shown : page.locator('body')).innerText().catch((e) => e.message);
  return `logging in as ${user} was refused (HTTP ${status}, at ${page.url()}): ${said.replace(/\s+/g, ' ').slice(0, 400)}`;
}

/** The ids of the rows the owner's list shows for a search typed as $typed. */
async function searchIds(page, typed) {
  await page.goto(`${base}wp-admin/admin.php?page=consent-form&s=${encodeURIComponent(typed)}`);
  return page.locator('#consent-form-submissions tr[data-id]').evaluateAll((rows) => rows.map((r) => r.dataset.id));
}

test('a visitor sends the contact form on a WordPress page; the plugin verifies it and stores it once, in MariaDB', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const problems = problemsOf(page);
  const fetched = [];
  page.on('request', (r) => r.url().includes('/plugins/consent-form/pkg/') && fetched.push(r.url().replace(/^.*\/pkg\//, '')));
  await page.goto(contactPage);

  // The element as the shortcode renders it: the plugin's routes, WordPress's privacy
  // page, the site's name (escaped, not markup), English as the site is, the module.
  const form = page.locator('consent-form');
  // In a block theme: Debian's 6.1 has Twenty Twenty-Three, the builds Twenty Twenty-Four.
  assert.equal(site.blockTheme, true);
  assert.equal(site.theme, build ? 'twentytwentyfour' : 'twentytwentythree');
  assert.equal(await form.getAttribute('kind'), 'contact');
  assert.equal(await form.getAttribute('policy-url'), sent.privacy);
  assert.equal(await form.getAttribute('controller'), 'Công ty TNHH Ví Dụ <b>&</b>');
  assert.equal(await form.getAttribute('locale'), 'en');
  assert.match(await form.getAttribute('endpoint'), /consent-form\/v1\/submissions$/);
  assert.equal(await page.locator('script[type=module][src*="consent-form/pkg/consent-form.js"]').count(), 1);
  assert.equal(await page.locator('link[rel=preload][href$="consent_form_bg.wasm"]').count(), 1);
  assert.equal(await page.locator('link[rel=modulepreload][href$="/pkg/consent_form.js"]').count(), 1);

  await form.locator('[name=name]').fill('Lê Minh Tuấn');
  // Each of the plugin's files fetched once: what is preloaded is what the module imports.
  assert.deepEqual(fetched.map((f) => f.replace(/\?.*/, '')).sort(), ['consent-form.js', 'consent_form.js', 'consent_form_bg.wasm'], fetched.join(' '));
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

/** The plugin's modules and the page's import maps, in document order: 'module' or 'importmap' each. */
const modulesInOrder = (page) => page.evaluate(() => [...document.querySelectorAll('script[type=importmap], script[type=module], link[rel=modulepreload]')]
  .map((e) => (e.type === 'importmap' ? 'importmap' : 'module')));

/**
 * A classic theme, as many sites have: the content between wp_head() and wp_footer(); from
 * WordPress 6.5, a module of its own that imports @wordpress/interactivity through
 * WordPress's import map (printed in the footer) and says so on <html>.
 */
function installClassicTheme() {
  const dir = join(wp, 'wp-content/themes/consent-form-test-classic');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'style.css'), '/*\nTheme Name: Consent Form Test Classic\n*/\n');
  writeFileSync(join(dir, 'index.php'), `<!doctype html>
<html><head><meta charset="utf-8"><?php wp_head(); ?></head>
<body><?php while (have_posts()) { the_post(); the_content(); } wp_footer(); ?></body></html>
`);
  writeFileSync(join(dir, 'functions.php'), `<?php
add_action('wp_enqueue_scripts', function () {
    if (function_exists('wp_enqueue_script_module')) {
        wp_enqueue_script_module('consent-form-test-theme', get_theme_file_uri('theme.js'), ['@wordpress/interactivity']);
    }
});
`);
  writeFileSync(join(dir, 'theme.js'), "import { store } from '@wordpress/interactivity';\ndocument.documentElement.dataset.themeModule = typeof store;\n");
}

test("on the form's page WordPress's own modules still work, in Firefox too: a block theme's menu opens, a classic theme's module runs", async () => {
  // WordPress 6.5+ gives its modules (the navigation block's, through the Interactivity
  // API) an import map; a browser that takes one import map only (Firefox ESR 153)
  // ignores it once a module is loaded or preloaded before it, and WordPress's modules
  // then fail. In Chromium, which merges import maps: no module before one.
  const before = (order) => order.slice(0, order.lastIndexOf('importmap') + 1).filter((e) => e === 'module');
  const firefox = await launchFirefox();
  const page = await firefox.newPage({ viewport: { width: 375, height: 800 } });
  const problems = problemsOf(page);
  const chromium = await browser.newPage();
  try {
    // The block theme: its navigation's menu opens (WordPress's modules from 6.5).
    await chromium.goto(contactPage);
    assert.deepEqual(before(await modulesInOrder(chromium)), [], (await modulesInOrder(chromium)).join(' '));
    await page.goto(contactPage);
    await page.locator('consent-form [name=name]').waitFor({ timeout: 30_000 });
    await page.locator('.wp-block-navigation__responsive-container-open').click();
    await page.locator('.wp-block-navigation__responsive-container.is-menu-open').waitFor({ timeout: 5_000 });

    // A classic theme: WordPress prints its import map and modules in the footer.
    installClassicTheme();
    wpEval("switch_theme('consent-form-test-classic');");
    await chromium.goto(contactPage);
    const order = await modulesInOrder(chromium);
    assert.deepEqual(before(order), [], order.join(' '));
    assert.equal(await chromium.locator('link[rel=modulepreload][href$="/pkg/consent_form.js"]').count(), 1);
    await page.goto(contactPage);
    await page.locator('consent-form [name=name]').waitFor({ timeout: 30_000 });
    if (site.scriptModules) {
      assert.ok(order.includes('importmap'), order.join(' '));
      await page.waitForFunction(() => document.documentElement.dataset.themeModule === 'function', null, { timeout: 5_000 });
    }
    assert.deepEqual(problems, []);
  } finally {
    wpEval(`switch_theme(${JSON.stringify(site.theme)});`);
    await chromium.close();
    await firefox.close();
  }
});

test('the site owner, logged in, sees the submission, its receipt and a CSV with formulas defused', async () => {
  const { id, payload } = sent;
  // As on a site updated from the plugin's first version, whose table has no phone
  // columns: the first request after the update adds them and fills them from the bodies.
  // Nor a hash chain (version 3): the update makes it and links the rows stored before.
  sql(`ALTER TABLE wp_consent_form_submissions DROP COLUMN phone, DROP COLUMN guardian_phone`);
  sql(`DROP TABLE wp_consent_form_chain`);
  sql(`UPDATE wp_options SET option_value = '1' WHERE option_name = 'consent_form_db_version'`);
  const { context: admin, page } = await logIn('admin', 'correct horse battery');
  assert.equal(sql(`SELECT option_value FROM wp_options WHERE option_name = 'consent_form_db_version'`), '4');
  assert.equal(sql(`SELECT GROUP_CONCAT(row_kind ORDER BY seq) FROM wp_consent_form_chain`), 'submission,event');
  assert.equal(sql(`SELECT CONCAT_WS(',', phone, IFNULL(guardian_phone, 'none')) FROM wp_consent_form_submissions WHERE id = '${id}'`), '+84902666984,none');
  assert.equal(sql(`SELECT COUNT(DISTINCT index_name) FROM information_schema.statistics WHERE table_name = 'wp_consent_form_submissions' AND index_name IN ('phone', 'guardian_phone')`), '2');

  // The search box finds it by its phone typed as people say it, and by e-mail in any
  // case; another number, another address, a name: nothing.
  await page.goto(`${base}wp-admin/admin.php?page=consent-form`);
  await page.locator('#consent-form-search-input').fill('0902 666 984');
  await Promise.all([page.waitForURL(/[?&]s=0902/), page.locator('#consent-form-search-submit').click()]);
  assert.deepEqual(await page.locator('#consent-form-submissions tr[data-id]').evaluateAll((rows) => rows.map((r) => r.dataset.id)), [id]);
  assert.match(await page.locator('#consent-form-search-result').innerText(), /^1 submission with \+84902666984\./);
  for (const typed of ['+84 902-666-984', '84902666984', '0902.666.984', '(+84) 902 666 984', '0084 902 666 984', ' 0902666984 ', email.toUpperCase()]) {
    assert.deepEqual(await searchIds(page, typed), [id], typed);
  }
  for (const typed of ['0902 666 985', '+84 902 666 98', '0902 666 9840', 'tuan@example.com', '902']) {
    assert.deepEqual(await searchIds(page, typed), [], typed);
    assert.match(await page.locator('#consent-form-submissions tbody').innerText(), /No submission found/);
  }
  assert.deepEqual(await searchIds(page, 'Lê Minh Tuấn'), []);
  assert.match(await page.locator('#consent-form-search-notice').innerText(), /neither a Vietnamese phone number nor an e-mail address/);
  assert.equal(await page.locator('#consent-form-search-input').inputValue(), 'Lê Minh Tuấn');

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

test('the search stays an index lookup on 10,000 submissions: the rows sought, no body read', debianOnly, async (t) => {
  const { id, admin } = sent;
  // 9,999 more submissions: copies of the visitor's, each with its own id, phone and
  // e-mail, one in ten with a parent's phone, one a minute back in time.
  const phone = (prefix) => `CONCAT('${prefix}', LPAD(seq, 7, '0'))`;
  sql(`INSERT INTO wp_consent_form_submissions (id, received_at, form, submitted_at, locale, email, phone, guardian_phone, body, body_sha256, webhook_timestamp, webhook_signature, consents)
    SELECT CONCAT('msg_bulk', LPAD(seq, 12, '0')), received_at - INTERVAL seq MINUTE, form, submitted_at, locale, CONCAT('p', seq, '@example.vn'),
      ${phone('+8490')}, IF(seq % 10 = 0, ${phone('+8491')}, NULL),
      REPLACE(REPLACE(body, '+84902666984', ${phone('+8490')}), '${email}', CONCAT('p', seq, '@example.vn')), body_sha256, webhook_timestamp, webhook_signature, consents
    FROM wp_consent_form_submissions JOIN seq_1_to_9999 WHERE id = '${id}'`);
  sql('ANALYZE TABLE wp_consent_form_submissions');
  assert.equal(sql('SELECT COUNT(*) FROM wp_consent_form_submissions'), '10000');

  // consent_form_list as the owner's page calls it: the rows sought, each search 20 times.
  const measured = JSON.parse(wpEval(`
global $wpdb;
$out = [];
foreach (['0900 001 234', '+84 910 001 230', 'P77@EXAMPLE.VN', '0902 666 984'] as $typed) {
  $terms = consent_form_search_terms($typed);
  $start = hrtime(true);
  for ($i = 0; $i < 20; $i++) { $found = consent_form_list($terms, 50, 0); }
  $ms = (hrtime(true) - $start) / 20 / 1e6;
  $plan = $wpdb->get_results('EXPLAIN ' . $wpdb->last_query, ARRAY_A);
  $out[$typed] = ['ids' => array_column($found['rows'], 'id'), 'total' => $found['total'], 'ms' => $ms, 'plan' => $plan];
}
// For comparison: finding the number in the bodies, as a search without the columns would.
$start = hrtime(true);
$wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->prefix}consent_form_submissions WHERE body LIKE '%+84900001234%'");
$out['body scan'] = ['ms' => (hrtime(true) - $start) / 1e6];
echo json_encode($out);
`));
  const bulk = (n) => `msg_bulk${String(n).padStart(12, '0')}`;
  assert.deepEqual(measured['0900 001 234'].ids, [bulk(1234)]);
  assert.deepEqual(measured['+84 910 001 230'].ids, [bulk(1230)]);
  assert.deepEqual(measured['P77@EXAMPLE.VN'].ids, [bulk(77)]);
  assert.deepEqual(measured['0902 666 984'].ids, [id]);
  for (const typed of ['0900 001 234', '+84 910 001 230', 'P77@EXAMPLE.VN']) {
    const [plan] = measured[typed].plan;
    assert.notEqual(plan.type, 'ALL', `${typed}: ${JSON.stringify(plan)}`);
    assert.match(plan.key ?? '', /phone|email/, `${typed}: ${JSON.stringify(plan)}`);
    assert.ok(Number(plan.rows) <= 2, `${typed}: ${JSON.stringify(plan)}`);
  }
  // The owner's page with a search, through WordPress and PHP's web server.
  const start = performance.now();
  const response = await admin.request.get(`${base}wp-admin/admin.php?page=consent-form&s=${encodeURIComponent('0910 001 230')}`);
  const pageMs = performance.now() - start;
  assert.equal(response.status(), 200);
  assert.match(await response.text(), new RegExp(`data-id="${bulk(1230)}"`));
  const ms = (n) => `${n.toFixed(2)} ms`;
  t.diagnostic(`10,000 submissions: search by phone ${ms(measured['0900 001 234'].ms)}, by a parent's phone ${ms(measured['+84 910 001 230'].ms)}, by e-mail ${ms(measured['P77@EXAMPLE.VN'].ms)} (count + page of 50); a LIKE over the bodies ${ms(measured['body scan'].ms)}; the whole admin page with a search ${ms(pageMs)}`);
  // The hash chain over them, as on a site updated from before the chain with 10,000
  // records: in steps of 1,000 records (the test's mu-plugin sets the plugin's filter),
  // the first in the request that updates, the rest in the event it schedules, one step
  // each time it runs; then verified in one request and in steps, the same report.
  const records = () => Number(sql('SELECT COUNT(*) FROM wp_consent_form_submissions')) + Number(sql('SELECT COUNT(*) FROM wp_consent_form_events'));
  const links = () => Number(sql('SELECT COUNT(*) FROM wp_consent_form_chain'));
  const linkedBefore = links();
  wpEval(`update_option('consent_form_test_step', ['seconds' => 30, 'records' => 1000]);`);
  const updated = JSON.parse(wpEval(`
update_option('consent_form_db_version', '2');
$start = hrtime(true);
consent_form_maybe_upgrade();
echo json_encode(['ms' => (hrtime(true) - $start) / 1e6, 'backlog' => consent_form_chain_backlog(), 'next' => wp_next_scheduled('consent_form_chain_link')]);`));
  assert.equal(links(), linkedBefore + 1000);
  assert.equal(updated.backlog.kind, 'submission');
  assert.ok(updated.next > 0, 'the event that goes on linking is scheduled');
  const backlogLeft = () => sql(`SELECT COUNT(*) FROM wp_options WHERE option_name = 'consent_form_chain_backlog'`) === '1';
  let cronRuns = 0;
  const linkStart = performance.now();
  // Each run as wp-cron.php runs a due event (not wp-cron.php itself: the site's other
  // events, due since activation, belong to other tests): unscheduled, then its hook.
  while (backlogLeft()) {
    assert.ok(cronRuns++ < 20, 'linking ends');
    assert.equal(wpEval(`
$at = wp_next_scheduled('consent_form_chain_link');
if ($at === false || $at > time()) { echo 'not due'; return; }
wp_unschedule_event($at, 'consent_form_chain_link');
do_action('consent_form_chain_link');
echo 'ran';`), 'ran');
  }
  const linkMs = updated.ms + performance.now() - linkStart;
  assert.ok(cronRuns >= 9, `${cronRuns} runs of the event`);
  assert.equal(links(), records());
  assert.equal(sql(`SELECT COUNT(*) FROM wp_options WHERE option_name = 'cron' AND option_value LIKE '%consent_form_chain_link%'`), '0', 'no event left');
  const chained = JSON.parse(wpEval(`
$start = hrtime(true);
$whole = consent_form_chain_verify();
$oneMs = (hrtime(true) - $start) / 1e6;
$start = hrtime(true);
$state = consent_form_chain_verify_begin();
for ($steps = 0; $state['phase'] !== 'done'; $steps++) {
  $state = unserialize(serialize(consent_form_chain_verify_step($state, consent_form_chain_step_limits())));
}
$stepMs = (hrtime(true) - $start) / 1e6;
// Steps with no time at all: each still takes one batch (a step always gets on), no more.
$state = consent_form_chain_verify_begin();
$longest = 0;
for ($timed = 0; $state['phase'] !== 'done' && $timed < 1000; $timed++) {
  $start = hrtime(true);
  $state = consent_form_chain_verify_step($state, ['seconds' => 0, 'records' => 0]);
  $longest = max($longest, (hrtime(true) - $start) / 1e6);
}
echo json_encode(['whole' => $whole, 'stepped' => $state['report'], 'steps' => $steps, 'oneMs' => $oneMs, 'stepMs' => $stepMs, 'timed' => ['report' => $state['report'], 'steps' => $timed, 'longest' => $longest]]);`));
  assert.deepEqual(chained.whole.counts, { changed: 0, missing: 0, unlinked: 0 });
  assert.equal(chained.whole.links, records());
  assert.deepEqual(chained.stepped, chained.whole);
  assert.ok(chained.steps >= 20, `${chained.steps} steps`);
  assert.deepEqual(chained.timed.report, chained.whole);
  // The links 500 at a time, then each table's rows 5,000 at a time, each until a batch
  // is short (10,001 links: 21 steps; 10,000 submissions: 3; 1 event: 1).
  const batches = (n, size) => Math.floor(n / size) + 1;
  const submissionCount = Number(sql('SELECT COUNT(*) FROM wp_consent_form_submissions'));
  assert.equal(chained.timed.steps, batches(chained.whole.links, 500) + batches(submissionCount, 5000) + batches(records() - submissionCount, 5000));
  assert.ok(chained.timed.longest < 1000, `the longest step took ${chained.timed.longest} ms`);
  // And as the owner's page does it: each step a request to admin-ajax.php (none
  // without the page's nonce).
  const nonce = (await (await admin.request.get(`${base}wp-admin/admin.php?page=consent-form`)).text()).match(/name="_wpnonce" value="([0-9a-f]+)"/)[1];
  const forged = await admin.request.post(`${base}wp-admin/admin-ajax.php`, { form: { action: 'consent_form_verify', _wpnonce: '0123456789', kept: '' } });
  assert.equal(forged.status(), 403);
  assert.equal((await forged.json()).success, false);
  const ajaxStart = performance.now();
  let ajax = { run: '' };
  let requests = 0;
  do {
    const response = await admin.request.post(`${base}wp-admin/admin-ajax.php`, { form: { action: 'consent_form_verify', _wpnonce: nonce, kept: '', run: ajax.run } });
    assert.equal(response.status(), 200);
    ({ data: ajax } = await response.json());
    requests++;
  } while (!ajax.done);
  const ajaxMs = performance.now() - ajaxStart;
  assert.match(ajax.html, new RegExp(`data-whole="yes"`));
  assert.equal(ajax.progress, `Verified: ${records()} links; no record was changed, removed or inserted past the plugin.`);
  assert.ok(requests >= 20, `${requests} requests`);
  t.diagnostic(`hash chain over ${chained.whole.links} records: linking them at the update in steps of 1,000 (one in the update's request, ${cronRuns} runs of the event) ${ms(linkMs)}; verifying in one request ${ms(chained.oneMs)}, in ${chained.steps} steps of 1,000 ${ms(chained.stepMs)}, through admin-ajax.php as the owner's page does (${requests} requests) ${ms(ajaxMs)}`);
  wpEval(`delete_option('consent_form_test_step');`);
  // The bulk's links are the chain's last: removed with them, the chain stays whole.
  sql(`DELETE FROM wp_consent_form_chain WHERE row_kind = 'submission' AND row_key LIKE 'msg\\_bulk%'`);
  sql(`DELETE FROM wp_consent_form_submissions WHERE id LIKE 'msg\\_bulk%'`);
  assert.equal(sql('SELECT COUNT(*) FROM wp_consent_form_submissions'), '1');
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

  // Gone: the body (every field, the consent texts), the e-mail address, the phone numbers.
  const [hex, storedEmail, storedPhone, guardianPhone, erasedAt, sha, consents, receivedAt] = sql(
    `SELECT HEX(body), email, phone, guardian_phone, erased_at, body_sha256, consents, received_at FROM wp_consent_form_submissions WHERE id = '${id}'`,
  ).split('\t');
  assert.equal(hex, 'NULL');
  assert.equal(storedEmail, 'NULL');
  assert.equal(storedPhone, 'NULL');
  assert.equal(guardianPhone, 'NULL');
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
  assert.match(await list.locator('li[data-kind=erased]').innerText(), /personal data erased, at the request of the person concerned\. Reason: WordPress: Erase Personal Data$/);
  assert.equal(await list.locator('#consent-form-erasure').getAttribute('data-by'), 'principal');

  // WordPress's debug log has no notice, warning or error from the plugin.
  assert.deepEqual(pluginLogLines(), []);
  await admin.close();
});

// Security review: PCRE's `$` matches before a final line feed, so the shared checks
// (www/php/lib/checks.php) took "tuan@example.vn\n" for an e-mail address and
// "+84902666984\n" for a phone. Stored so, a submission is found neither by the owner's
// search nor by WordPress's privacy exporter and eraser, which compare exact values.
test('a phone or an e-mail address ending in a line feed is refused, not stored where the search and the privacy tools cannot find it', async () => {
  const { payload, endpoint, page, resign } = sent;
  for (const [field, value] of [['email', `${email}\n`], ['phone', `${payload.fields.phone}\n`]]) {
    const message = { ...payload, id: `msg_${randomBytes(16).toString('hex')}`, fields: { ...payload.fields, [field]: value } };
    const answer = await page.request.post(endpoint, resign(message));
    const stored = sql(`SELECT COUNT(*) FROM wp_consent_form_submissions WHERE id = '${message.id}'`);
    const found = stored === '1' && field === 'email' ? JSON.parse(wpEval(`
$exporters = apply_filters('wp_privacy_personal_data_exporters', []);
echo json_encode(call_user_func($exporters['consent-form']['callback'], ${JSON.stringify(email)}, 1));
`)).data.filter((d) => d.item_id?.includes(message.id) || JSON.stringify(d).includes(message.id)).length : null;
    assert.equal(answer.status(), 422, `${field}: ${answer.status()}, stored ${stored}, found by the exporter: ${found}`);
    assert.deepEqual((await answer.json()).details, [field === 'email' ? 'fields.email must be an e-mail address' : 'fields.phone must be a Vietnamese number in E.164']);
    assert.equal(stored, '0');
  }
});

test('an address that makes more requests a minute than the limit gets 429 with Retry-After on every route, its earlier requests answered', async () => {
  const { payload, endpoint, page, resign } = sent;
  const keys = endpoint.replace(/submissions$/, 'keys');
  wpEval("update_option('consent_form_test_rate', 3);");
  try {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await page.request.post(keys)).status());
    assert.deepEqual(statuses, [200, 200, 200], 'the minute’s three requests, at once');
    for (const route of [keys, endpoint, endpoint.replace(/submissions$/, 'withdrawals')]) {
      const message = { ...payload, id: `msg_${randomBytes(16).toString('hex')}` };
      const answer = route === keys ? await page.request.post(route) : await page.request.post(route, resign(message));
      assert.equal(answer.status(), 429, route);
      assert.deepEqual(await answer.json(), { error: 'rate_limited' });
      const after = Number(answer.headers()['retry-after']);
      assert.ok(after >= 1 && after <= 20, `Retry-After ${after}: the next request's turn, 20 s at 3 a minute`);
      assert.equal(answer.headers()['cache-control'], 'no-store');
    }
  } finally {
    wpEval("delete_option('consent_form_test_rate');");
  }
  assert.equal((await page.request.post(keys)).status(), 200, 'no limit again');
});

test("the owner finds a callback request (no e-mail) by a parent's phone and erases it from its receipt: the proof kept, by whom and why shown", debianOnly, async () => {
  const { page: visitor, payload, endpoint, resign } = sent;
  // A callback request for a visitor under 16 with a parent's agreement and no e-mail
  // (which WordPress's privacy tools cannot find), signed with the visitor's key and sent
  // to the plugin's route as the form sends it.
  const fields = {
    name: 'Trần Thị Hoa', phone: '+84912345678',
    callback_date: new Date(Date.now() + 31 * 3600_000).toISOString().slice(0, 10), callback_window: '09:00-11:00',
    guardian_name: 'Trần Văn Nam', guardian_phone: '+84987654321',
  };
  const consultation = payload.consents.find((c) => c.purpose === 'consultation');
  const guardianText = 'Tôi là cha, mẹ hoặc người giám hộ hợp pháp của người điền biểu mẫu này.';
  const callback = {
    ...payload, id: `msg_${randomBytes(16).toString('hex')}`, form: 'callback', submitted_at: new Date().toISOString(), fields,
    guardian: { text: guardianText, text_sha256: createHash('sha256').update(guardianText).digest('hex') },
    consents: [{ ...consultation, record: { ...consultation.record, processing: { ...consultation.record.processing, data_types: Object.keys(fields) } } }],
  };
  const stored = await visitor.request.post(endpoint, resign(callback));
  assert.equal(stored.status(), 200, await stored.text());
  const { id } = callback;
  const personal = () => sql(`SELECT CONCAT_WS('|', IFNULL(HEX(body), 'NULL'), IFNULL(email, 'NULL'), IFNULL(phone, 'NULL'), IFNULL(guardian_phone, 'NULL'), IFNULL(erased_at, 'NULL')) FROM wp_consent_form_submissions WHERE id = '${id}'`);
  const before = personal();
  assert.match(before, /\|NULL\|\+84912345678\|\+84987654321\|NULL$/);

  // The owner finds it by the parent's phone or the visitor's, as said on the phone; the
  // erased submission's phone finds nothing any more.
  const { context: admin, page } = await logIn('admin', 'correct horse battery');
  assert.deepEqual(await searchIds(page, '0987 654 321'), [id]);
  assert.deepEqual(await searchIds(page, '+84 912-345-678'), [id]);
  assert.deepEqual(await searchIds(page, '0902 666 984'), []);

  // Its receipt has the Erase form: who decided, why, a confirmation, a nonce.
  await page.goto(`${base}wp-admin/admin.php?page=consent-form&receipt=${id}`);
  const form = page.locator('#consent-form-erase form');
  assert.match(await page.locator('#consent-form-erase').innerText(), /cannot be undone/);
  assert.equal(await form.locator('textarea[name=reason]').getAttribute('maxlength'), '2000');
  const nonce = await form.locator('input[name=_wpnonce]').inputValue();
  const erase = `${base}wp-admin/admin-post.php`;
  const post = (context, data) => context.request.post(erase, { form: { action: 'consent_form_erase', id, ...data }, maxRedirects: 0 });
  const complete = { _wpnonce: nonce, by: 'controller', reason: 'Hồ sơ trùng lặp', confirm: '1' };

  // Refused, nothing erased: no nonce (403); a user without manage_options, even with a
  // nonce of their own (403); a missing or wrong "by", no reason, a reason of 2001
  // characters, no confirmation (back to the receipt, saying why).
  assert.equal((await post(admin, { ...complete, _wpnonce: '' })).status(), 403);
  assert.equal((await post(admin, { ...complete, _wpnonce: undefined })).status(), 403);
  const editorId = wpEval(`echo wp_insert_user(['user_login' => 'editor', 'user_pass' => 'editor password 1', 'user_email' => 'editor@example.vn', 'role' => 'editor']);`).trim();
  const editor = await logIn('editor', 'editor password 1');
  const cookie = (await editor.context.cookies()).find((c) => c.name.startsWith('wordpress_logged_in_'));
  const editorNonce = wpEval(`$_COOKIE[LOGGED_IN_COOKIE] = ${JSON.stringify(decodeURIComponent(cookie.value))}; wp_set_current_user(${editorId}); echo wp_create_nonce('consent_form_erase_${id}');`).trim();
  assert.equal((await post(editor.context, { ...complete, _wpnonce: editorNonce })).status(), 403);
  await editor.context.close();
  for (const [data, problem] of [
    [{ by: undefined }, 'by'], [{ by: 'admin' }, 'by'], [{ reason: ' \n ' }, 'reason'],
    [{ reason: 'ả'.repeat(2001) }, 'long'], [{ confirm: undefined }, 'confirm'],
  ]) {
    const refused = await post(admin, Object.fromEntries(Object.entries({ ...complete, ...data }).filter(([, v]) => v !== undefined)));
    assert.equal(refused.status(), 303, problem);
    assert.match(refused.headers().location, new RegExp(`receipt=${id}&erase_error=${problem}$`), problem);
  }
  await page.goto(`${base}wp-admin/admin.php?page=consent-form&receipt=${id}&erase_error=long`);
  assert.match(await page.locator('#consent-form-notice').innerText(), /at most 2000 characters/);
  assert.equal(personal(), before);
  assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_events WHERE submission_id = '${id}'`), '0');

  // Erased through the form, with a reason of exactly 2000 characters (line breaks and
  // markup kept as typed, shown as text).
  await page.goto(`${base}wp-admin/admin.php?page=consent-form&receipt=${id}`);
  const head = 'Phụ huynh gọi điện yêu cầu xóa <b>ngay</b>.\n';
  const reason = head + 'ả'.repeat(2000 - [...head].length);
  assert.equal([...reason].length, 2000);
  await form.locator('input[name=by][value=controller]').check();
  await form.locator('textarea[name=reason]').fill(reason);
  await form.locator('input[name=confirm]').check();
  await Promise.all([page.waitForURL(/erased=now/), form.locator('input[type=submit]').click()]);
  assert.equal(await page.locator('#consent-form-notice').getAttribute('data-notice'), 'now');
  const after = personal();
  assert.match(after, /^NULL\|NULL\|NULL\|NULL\|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  const [kind, detail, at] = sql(`SELECT kind, HEX(body), received_at FROM wp_consent_form_events WHERE submission_id = '${id}'`).split('\t');
  assert.equal(kind, 'erased');
  assert.equal(at, after.split('|')[4]);
  assert.deepEqual(JSON.parse(Buffer.from(detail, 'hex').toString('utf8')), { by: 'controller', reason });
  // The proof is kept: the hash of what was signed, the consents with their texts' hashes.
  assert.equal(sql(`SELECT body_sha256 FROM wp_consent_form_submissions WHERE id = '${id}'`), createHash('sha256').update(resign(callback).data).digest('hex'));
  assert.equal(JSON.parse(sql(`SELECT consents FROM wp_consent_form_submissions WHERE id = '${id}'`))[0].text_sha256, consultation.text_sha256);
  // The receipt says when, by whom, why; nothing the person typed is left on it.
  const erasure = page.locator('#consent-form-erasure');
  assert.equal(await erasure.getAttribute('data-by'), 'controller');
  const [atCell, byCell, reasonCell] = await erasure.locator('td').allInnerTexts();
  assert.equal(atCell, `${at.replace(' ', 'T')}+00:00`);
  assert.equal(byCell, 'by decision of the controller');
  assert.equal(reasonCell, reason);
  assert.equal(await page.locator('#consent-form-erasure b').count(), 0);
  assert.equal(await page.locator('#consent-form-erase').count(), 0);
  assert.doesNotMatch(await page.content(), /Trần|912345678|987654321/);

  // Erasing it again: nothing changes, and the receipt says so.
  const twice = await post(admin, complete);
  assert.equal(twice.status(), 303);
  assert.match(twice.headers().location, /erased=before$/);
  await page.goto(twice.headers().location);
  assert.match(await page.locator('#consent-form-notice').innerText(), /Nothing changed: this submission’s personal data had already been erased/);
  assert.equal(personal(), after);
  assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_events WHERE submission_id = '${id}'`), '1');
  // Nor can a search find it any more.
  assert.deepEqual(await searchIds(page, '0987 654 321'), []);

  assert.deepEqual(pluginLogLines(), []);
  await admin.close();
  await sent.context.close();
});

test('the shortcode follows the site: Vietnamese on a Vietnamese site, attributes over settings, every attribute escaped', debianOnly, () => {
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

test("the owner's pages in Vietnamese on a site whose language is Vietnamese (WPLANG vi)", debianOnly, async () => {
  // Settings → General → Site Language stores WPLANG only for a language WordPress has
  // installed (Debian's package has none), so it is written as it would store it.
  const saved = sql(`SELECT option_value FROM wp_options WHERE option_name = 'WPLANG'`);
  sql(`INSERT INTO wp_options (option_name, option_value, autoload) VALUES ('WPLANG', 'vi', 'yes') ON DUPLICATE KEY UPDATE option_value = 'vi'`);
  const { context, page } = await logIn('admin', 'correct horse battery');
  try {
    await page.goto(`${base}wp-admin/admin.php?page=consent-form`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
    assert.equal(await page.locator('.wrap h1').innerText(), 'Yêu cầu gửi qua biểu mẫu đồng ý');
    assert.equal(await page.locator('#consent-form-search-submit').inputValue(), 'Tìm yêu cầu');
    assert.equal(await page.locator('#consent-form-csv').innerText(), 'Tải về CSV');
    assert.match(await page.locator('#consent-form-retention').innerText(), /^Chưa đặt thời hạn lưu trữ: không có gì tự bị xóa\./);
    assert.match(await page.locator('#consent-form-chain').innerText(), /^Hồ sơ: chuỗi băm có \d+ mắt xích\. Đầu chuỗi: [0-9a-f]{64}/);
    assert.equal(await page.locator('#consent-form-verify-submit').inputValue(), 'Kiểm tra hồ sơ');
    assert.match(await page.locator('#toplevel_page_consent-form').innerText(), /Biểu mẫu đồng ý/);
    assert.match(await page.locator('#consent-form-submissions thead').innerText(), /Nhận lúc\s+Biểu mẫu\s+Họ tên\s+Điện thoại\s+Email\s+Sự đồng ý/);
    assert.match(await page.locator('#consent-form-submissions tbody').innerText(), /Đã xóa theo yêu cầu/);
    assert.match(await page.locator('#consent-form-submissions [data-state=withdrawn]').innerText(), /^marketing: đã rút lại$/);
    await page.goto(`${base}wp-admin/admin.php?page=consent-form&s=Tu%E1%BA%A5n`);
    assert.match(await page.locator('#consent-form-search-notice').innerText(), /không phải số điện thoại Việt Nam hay địa chỉ email/);
    // An erased receipt: who decided and why, in Vietnamese.
    await page.goto(`${base}wp-admin/admin.php?page=consent-form&receipt=${sent.id}`);
    assert.equal(await page.locator('.consent-form-receipt h1').innerText(), 'Biên nhận sự đồng ý');
    assert.equal((await page.locator('#consent-form-erasure td').allInnerTexts())[1], 'theo yêu cầu của chủ thể dữ liệu');
  } finally {
    await context.close();
    if (saved === '') sql(`DELETE FROM wp_options WHERE option_name = 'WPLANG'`);
    else sql(`UPDATE wp_options SET option_value = '${saved}' WHERE option_name = 'WPLANG'`);
  }
});

/** The text each link covers, as docs/wordpress.md's recipe says (a submission's captcha outcome last, when it has one), made by MariaDB: [{ seq, kind, key, hash, text }]. */
function chainAsStored() {
  const submission = `CONCAT_WS(CHAR(10), 'submission', s.id, s.received_at, s.form, s.submitted_at, s.locale, s.body_sha256, s.webhook_timestamp, s.webhook_signature, s.consents, s.captcha)`; // CONCAT_WS leaves a NULL captcha out
  const event = `CONCAT_WS(CHAR(10), 'event', e.seq, e.submission_id, e.kind, e.purpose, e.received_at, IFNULL(e.webhook_id, ''), IFNULL(e.webhook_timestamp, ''), IFNULL(e.webhook_signature, ''), SHA2(IFNULL(e.body, ''), 256))`;
  const rows = sql(`SELECT c.seq, c.row_kind, c.row_key, c.hash, HEX(IF(c.row_kind = 'submission', ${submission}, ${event}))
    FROM wp_consent_form_chain c
    LEFT JOIN wp_consent_form_submissions s ON c.row_kind = 'submission' AND s.id = c.row_key
    LEFT JOIN wp_consent_form_events e ON c.row_kind = 'event' AND e.seq = c.row_key
    ORDER BY c.seq`);
  return rows.split('\n').map((line) => {
    const [seq, kind, key, hash, hex] = line.split('\t');
    return { seq: Number(seq), kind, key, hash, text: Buffer.from(hex, 'hex').toString('utf8') };
  });
}

/** The hashes the recipe gives for `links`' texts, one after another. */
function chainHashes(links) {
  let previous = '0'.repeat(64);
  return links.map(({ text }) => (previous = createHash('sha256').update(`${previous}\n${text}`).digest('hex')));
}

test('the hash chain: every record linked as stored; verifying names a record changed, removed or inserted past the plugin; a head kept elsewhere shows a rewritten chain; the head is e-mailed once a day when it changed', debianOnly, async () => {
  // Verified in one go and in steps of two records (the state carried from one step to
  // the next as the owner's page keeps it, serialized): the same report.
  const verify = (kept = '') => {
    const { whole, stepped, steps } = JSON.parse(wpEval(`
$whole = consent_form_chain_verify(${JSON.stringify(kept)});
$state = consent_form_chain_verify_begin(${JSON.stringify(kept)});
for ($steps = 0; $state['phase'] !== 'done'; $steps++) {
  $state = unserialize(serialize(consent_form_chain_verify_step($state, ['seconds' => 30, 'records' => 2])));
}
echo json_encode(['whole' => $whole, 'stepped' => $state['report'], 'steps' => $steps]);`));
    assert.deepEqual(stepped, whole, `verified in ${steps} steps as in one`);
    assert.ok(steps >= (whole.links + 2) / 2, `${steps} steps`);
    return whole;
  };
  const count = (table) => Number(sql(`SELECT COUNT(*) FROM wp_consent_form_${table}`));
  const none = { changed: 0, missing: 0, unlinked: 0 };

  // Every submission and event so far (stored by the visitor's requests, the owner's
  // erasures, WordPress's eraser) has its link; the recipe, outside PHP, gives its hashes.
  const linked = count('submissions') + count('events');
  assert.ok(linked >= 5, `${linked} records`);
  assert.equal(count('chain'), linked);
  let report = verify();
  assert.deepEqual(report.counts, none);
  assert.equal(report.links, linked);
  const links = chainAsStored();
  assert.deepEqual(chainHashes(links), links.map((l) => l.hash), 'the documented recipe');
  assert.equal(report.head, links.at(-1).hash);
  const kept = report.head;

  // A read the database fails stops the step, which is not taken (not "no more links"):
  // asked again once the database answers, it goes on, to the same report.
  const failing = JSON.parse(wpEval(`
global $wpdb;
$wpdb->suppress_errors(true);
$state = consent_form_chain_verify_step(consent_form_chain_verify_begin(), ['records' => 2]);
$wpdb->query('RENAME TABLE wp_consent_form_chain TO wp_consent_form_chain_away');
try {
  consent_form_chain_verify_step($state, ['records' => 2]);
  $threw = '';
} catch (RuntimeException $e) {
  $threw = $e->getMessage();
} finally {
  $wpdb->query('RENAME TABLE wp_consent_form_chain_away TO wp_consent_form_chain');
}
while ($state['phase'] !== 'done') {
  $state = consent_form_chain_verify_step($state, ['records' => 2]);
}
echo json_encode(['threw' => $threw, 'report' => $state['report']]);`));
  assert.match(failing.threw, /wp_consent_form_chain' doesn't exist/);
  assert.deepEqual(failing.report, report);

  // The head goes to the site's admin address, once while it does not change.
  const mailHead = () => JSON.parse(wpEval(`
$mails = [];
add_filter('pre_wp_mail', function ($sent, $mail) use (&$mails) { $mails[] = $mail; return true; }, 10, 2);
$head = consent_form_chain_mail_head();
echo json_encode(['head' => $head, 'mails' => $mails]);`));
  let mailed = mailHead();
  assert.equal(mailed.mails.length, 1);
  assert.equal(mailed.mails[0].to, 'admin@example.vn');
  assert.match(mailed.mails[0].subject, new RegExp(`Consent records: ${linked} links$`));
  assert.ok(mailed.mails[0].message.includes(`\n${kept}\n`), mailed.mails[0].message);
  assert.deepEqual(mailHead().mails, []);
  assert.equal(sql(`SELECT COUNT(*) FROM wp_options WHERE option_name = 'cron' AND option_value LIKE '%consent_form_chain_head%'`), '1', 'the daily event is scheduled');

  // Changed past the plugin: a submission's time moved by a day.
  const [first] = links.filter((l) => l.kind === 'submission');
  sql(`UPDATE wp_consent_form_submissions SET received_at = received_at - INTERVAL 1 DAY WHERE id = '${first.key}'`);
  report = verify();
  assert.deepEqual(report.counts, { ...none, changed: 1 });
  assert.deepEqual(report.changed, [`submission ${first.key} (link ${first.seq})`]);
  sql(`UPDATE wp_consent_form_submissions SET received_at = received_at + INTERVAL 1 DAY WHERE id = '${first.key}'`);

  // Removed: a withdrawal deleted; put back as it was, the chain is whole again.
  const withdrawal = links.find((l) => l.kind === 'event' && l.text.includes('\nwithdrawn\n'));
  sql(`CREATE TABLE chain_saved AS SELECT * FROM wp_consent_form_events WHERE seq = ${withdrawal.key}`);
  sql(`DELETE FROM wp_consent_form_events WHERE seq = ${withdrawal.key}`);
  report = verify();
  assert.deepEqual(report.counts, { ...none, missing: 1 });
  assert.deepEqual(report.missing, [`event ${withdrawal.key} (link ${withdrawal.seq})`]);
  sql(`INSERT INTO wp_consent_form_events SELECT * FROM chain_saved`);
  sql(`DROP TABLE chain_saved`);

  // Inserted past the plugin: a withdrawal written by hand.
  sql(`INSERT INTO wp_consent_form_events (submission_id, kind, purpose, received_at, body) VALUES ('${first.key}', 'withdrawn', 'call_recording', UTC_TIMESTAMP(), '{}')`);
  const forged = sql(`SELECT MAX(seq) FROM wp_consent_form_events`);
  report = verify();
  assert.deepEqual(report.counts, { ...none, unlinked: 1 });
  assert.deepEqual(report.unlinked, [`event ${forged}`]);
  sql(`DELETE FROM wp_consent_form_events WHERE seq = ${forged}`);
  assert.deepEqual(verify().counts, none);

  // A new record through the plugin: linked after the kept head, which stays link n.
  const stored = JSON.parse(wpEval(`
$payload = ['id' => 'msg_chain_after_head', 'form' => 'callback', 'submitted_at' => gmdate('c'), 'locale' => 'vi', 'fields' => ['name' => 'Lê Văn Ba', 'phone' => '+84912345678'],
  'consents' => [['purpose' => 'consultation', 'granted' => true, 'text_sha256' => str_repeat('a', 64)]]];
echo json_encode(consent_form_store_submission($payload, wp_json_encode($payload), ['webhook-timestamp' => (string) time(), 'webhook-signature' => 'v1,test'], time()));`));
  assert.equal(stored, null);
  report = verify(kept);
  assert.deepEqual(report.counts, none);
  assert.equal(report.links, linked + 1);
  assert.equal(report.kept, linked);
  assert.equal(report.first_problem, null);

  // Whoever can write to the database can rewrite the chain after changing a record (the
  // recipe is public): verified alone it is whole, but the kept head is in it no more.
  const before = chainAsStored();
  const consents = sql(`SELECT HEX(consents) FROM wp_consent_form_submissions WHERE id = '${first.key}'`);
  sql(`UPDATE wp_consent_form_submissions SET consents = REPLACE(consents, '"granted":true', '"granted":false') WHERE id = '${first.key}'`);
  const rewritten = chainHashes(chainAsStored());
  for (const [i, link] of before.entries()) sql(`UPDATE wp_consent_form_chain SET hash = '${rewritten[i]}' WHERE seq = ${link.seq}`);
  report = verify(kept);
  assert.deepEqual(report.counts, none);
  assert.equal(report.kept, 0);

  // The owner's page says both, with the head pasted into it: verified in steps of two
  // records (the plugin's filter, set by the test's mu-plugin), each asked for by the
  // page's script, which says how far it is in a live region, the button disabled until
  // the report shows.
  // And an update whose linking is not done (as its first step leaves it on a big site):
  // three withdrawals stored before the chain, the backlog at them. Verifying links them
  // first, instead of naming them as inserted past the plugin.
  const eventsBefore = sql('SELECT MAX(seq) FROM wp_consent_form_events');
  sql(`INSERT INTO wp_consent_form_events (submission_id, kind, purpose, received_at, body) VALUES ${['a', 'b', 'c'].map((x) => `('${first.key}', 'withdrawn', 'backlog_${x}', UTC_TIMESTAMP(), '{}')`).join(', ')}`);
  wpEval(`update_option('consent_form_chain_backlog', ['kind' => 'event', 'after' => ['seq' => ${eventsBefore}]], false);
update_option('consent_form_test_step', ['seconds' => 30, 'records' => 2]);`);
  // Linking while the database fails the read of the rows: nothing linked, the backlog
  // kept (not taken for done).
  assert.equal(wpEval(`
global $wpdb;
$wpdb->suppress_errors(true);
$wpdb->query('RENAME TABLE wp_consent_form_events TO wp_consent_form_events_away');
try {
  echo json_encode(consent_form_link_unlinked());
} finally {
  $wpdb->query('RENAME TABLE wp_consent_form_events_away TO wp_consent_form_events');
}`), 'false');
  assert.equal(sql(`SELECT COUNT(*) FROM wp_options WHERE option_name = 'consent_form_chain_backlog'`), '1');
  assert.equal(count('chain'), linked + 1);
  wpEval(`wp_clear_scheduled_hook('consent_form_chain_link');`); // as after a deactivation
  const { context, page } = await logIn('admin', 'correct horse battery');
  const steps = [];
  page.on('request', (r) => r.url().endsWith('/admin-ajax.php') && steps.push(r.postDataBuffer()?.toString() ?? ''));
  try {
    await page.goto(`${base}wp-admin/admin.php?page=consent-form`);
    assert.equal(await page.locator('#consent-form-chain').getAttribute('data-links'), String(linked + 1));
    assert.equal(await page.locator('#consent-form-chain-head').innerText(), rewritten.at(-1));
    assert.equal(await page.locator('#consent-form-verify-status').getAttribute('role'), 'status');
    assert.match(await page.locator('#consent-form-chain-backlog').innerText(), /still being linked/);
    const linkEvent = () => sql(`SELECT COUNT(*) FROM wp_options WHERE option_name = 'cron' AND option_value LIKE '%consent_form_chain_link%'`);
    assert.equal(linkEvent(), '1', "the owner's visit schedules the linking that has no event");
    await page.locator('#consent-form-kept').fill(kept);
    const statuses = [];
    await page.exposeFunction('noteStatus', (text, disabled) => statuses.push([text, disabled]));
    await page.evaluate(() => {
      const button = document.getElementById('consent-form-verify-submit');
      new MutationObserver(() => window.noteStatus(document.getElementById('consent-form-verify-status').textContent, button.disabled))
        .observe(document.getElementById('consent-form-verify-status'), { childList: true, characterData: true, subtree: true });
    });
    await page.locator('#consent-form-verify-submit').click();
    await page.locator('#consent-form-verified').waitFor();
    assert.equal(await page.locator('#consent-form-verified').getAttribute('data-whole'), 'yes');
    assert.match(await page.locator('#consent-form-verified [data-kept="0"]').innerText(), /No link has the head you kept/);
    assert.ok(steps.length >= (linked + 1) / 2, `${steps.length} steps`);
    assert.ok(statuses.some(([text, disabled]) => /^Linking the records stored before the hash chain first/.test(text) && disabled), JSON.stringify(statuses));
    assert.ok(statuses.some(([text, disabled]) => text.startsWith(`Verifying: 2 of ${linked + 4} links checked`) && disabled), JSON.stringify(statuses));
    assert.match(await page.locator('#consent-form-verify-status').innerText(), new RegExp(`^Verified: ${linked + 4} links`));
    assert.equal(sql(`SELECT COUNT(*) FROM wp_options WHERE option_name = 'consent_form_chain_backlog'`), '0');
    assert.equal(linkEvent(), '0', 'linking done, its event is gone');
    assert.equal(await page.locator('#consent-form-verify-submit').isDisabled(), false);
    assert.ok(page.url().endsWith('page=consent-form'), page.url());
    // Without the nonce, nothing is verified.
    await page.goto(`${base}wp-admin/admin.php?page=consent-form&verify=1&kept=${kept}`);
    assert.equal(await page.locator('#consent-form-verified').count(), 0);
  } finally {
    await context.close();
  }
  // Without JavaScript: each step a page, with a button to go on, until the report.
  const noScript = await logIn('admin', 'correct horse battery', { javaScriptEnabled: false });
  try {
    const { page } = noScript;
    await page.goto(`${base}wp-admin/admin.php?page=consent-form`);
    await page.locator('#consent-form-kept').fill(kept);
    await Promise.all([page.waitForURL(/[?&]verify=/), page.locator('#consent-form-verify-submit').click()]);
    let pages = 1;
    while (await page.locator('#consent-form-verify-continue').count()) {
      assert.match(await page.locator('#consent-form-verify-status').innerText(), /^Verifying: /);
      await Promise.all([page.waitForNavigation(), page.locator('#consent-form-verify-continue').click()]);
      pages++;
    }
    assert.ok(pages >= (linked + 4) / 2, `${pages} pages`);
    assert.equal(await page.locator('#consent-form-chain-backlog').count(), 0);
    assert.equal(await page.locator('#consent-form-verified').getAttribute('data-whole'), 'yes');
    assert.match(await page.locator('#consent-form-verified [data-kept="0"]').innerText(), /No link has the head you kept/);
    // The last page again: the same report, no step more.
    await page.reload();
    assert.match(await page.locator('#consent-form-verified [data-kept="0"]').innerText(), /No link has the head you kept/);
  } finally {
    await noScript.context.close();
    wpEval(`delete_option('consent_form_test_step');`);
  }

  // Put back as it was: the record and the links; the test's record goes with its link.
  sql(`UPDATE wp_consent_form_submissions SET consents = UNHEX('${consents}') WHERE id = '${first.key}'`);
  for (const link of before) sql(`UPDATE wp_consent_form_chain SET hash = '${link.hash}' WHERE seq = ${link.seq}`);
  sql(`DELETE FROM wp_consent_form_chain WHERE row_kind = 'event' AND row_key IN (SELECT seq FROM wp_consent_form_events WHERE purpose LIKE 'backlog\\_%')`);
  sql(`DELETE FROM wp_consent_form_events WHERE purpose LIKE 'backlog\\_%'`);
  sql(`DELETE FROM wp_consent_form_submissions WHERE id = 'msg_chain_after_head'`);
  sql(`DELETE FROM wp_consent_form_chain WHERE row_kind = 'submission' AND row_key = 'msg_chain_after_head'`);
  assert.deepEqual(verify(kept).counts, none);
});

test('the retention period: the daily run erases, as the controller, what was received longer ago than the period, oldest first, and only that', debianOnly, async (t) => {
  // Submissions as the plugin stores them, received at a time the test sets (SQL, UTC):
  // the only way to make one two years old without moving the site's clock.
  const consentText = 'Tôi đồng ý để Công ty liên hệ tư vấn.';
  const consents = JSON.stringify([{ purpose: 'consultation', granted: true, text_sha256: createHash('sha256').update(consentText).digest('hex'), record_id: null, policy_url: null, policy_version: null }]);
  const insert = (id, receivedAt, n = 0) => {
    const body = JSON.stringify({ id, form: 'contact', fields: { name: `Khách hàng ${n}`, phone: `+849000${String(n).padStart(5, '0')}`, email: `khach${n}@example.vn` }, consents: [{ purpose: 'consultation', granted: true, text: consentText }] });
    sql(`INSERT INTO wp_consent_form_submissions (id, received_at, form, submitted_at, locale, email, phone, body, body_sha256, webhook_timestamp, webhook_signature, consents)
      VALUES ('${id}', ${receivedAt}, 'contact', '2024-01-01T00:00:00Z', 'vi', 'khach${n}@example.vn', '+849000${String(n).padStart(5, '0')}', CONVERT(UNHEX('${Buffer.from(body).toString('hex')}') USING utf8mb4), '${createHash('sha256').update(body).digest('hex')}', '1700000000', 'v1,x', '${consents}')`);
    return id;
  };
  const due = {
    old: insert('msg_ret_25_months', 'UTC_TIMESTAMP() - INTERVAL 25 MONTH', 1),
    justDue: insert('msg_ret_24_months_2_days', 'UTC_TIMESTAMP() - INTERVAL 24 MONTH - INTERVAL 2 DAY', 2),
  };
  const notDue = {
    soon: insert('msg_ret_24_months_less_2_days', 'UTC_TIMESTAMP() - INTERVAL 24 MONTH + INTERVAL 2 DAY', 3),
    recent: insert('msg_ret_1_day', 'UTC_TIMESTAMP() - INTERVAL 1 DAY', 4),
  };
  // A backlog: 600 submissions three years old, one a minute apart (6 batches of 100).
  const backlog = 600;
  sql(`INSERT INTO wp_consent_form_submissions (id, received_at, form, submitted_at, locale, email, phone, body, body_sha256, webhook_timestamp, webhook_signature, consents)
    SELECT CONCAT('msg_ret_backlog', LPAD(seq, 8, '0')), received_at - INTERVAL 11 MONTH - INTERVAL seq MINUTE, form, submitted_at, locale, email, phone, body, body_sha256, webhook_timestamp, webhook_signature, consents
    FROM wp_consent_form_submissions JOIN seq_1_to_${backlog} WHERE id = '${due.old}'`);
  // An old one erased on request before: the period leaves it as it is.
  const onRequest = insert('msg_ret_erased_before', 'UTC_TIMESTAMP() - INTERVAL 30 MONTH', 5);
  wpEval(`consent_form_erase(${JSON.stringify(onRequest)}, 'principal', 'thư yêu cầu');`);
  const personal = (id) => sql(`SELECT CONCAT_WS('|', IFNULL(HEX(body), 'NULL'), IFNULL(email, 'NULL'), IFNULL(phone, 'NULL'), IFNULL(erased_at, 'NULL')) FROM wp_consent_form_submissions WHERE id = '${id}'`);
  const snapshot = () => sql('CHECKSUM TABLE wp_consent_form_submissions, wp_consent_form_events');
  const run = () => JSON.parse(wpEval(`do_action(CONSENT_FORM_RETENTION_HOOK); echo json_encode(get_option('consent_form_retention_last'));`));

  // The rule, through the plugin's own functions: calendar months (a day the month has
  // not got moves to the 1st of the next), days of 24 h; and a run at `now` erases
  // exactly what is due by then (due(r) <= now exactly when r <= cutoff(now)).
  const rule = JSON.parse(wpEval(`
$m = fn ($n) => ['count' => $n, 'unit' => 'months'];
$t = fn ($s) => strtotime($s . ' UTC');
$out = [
  '31 March + 1 month' => gmdate('c', consent_form_retention_due($t('2025-03-31 10:00:00'), $m(1))),
  '10 March + 24 months' => gmdate('c', consent_form_retention_due($t('2025-03-10 08:30:00'), $m(24))),
  '29 February + 12 months' => gmdate('c', consent_form_retention_due($t('2024-02-29 12:00:00'), $m(12))),
  '31 January + 1 month' => gmdate('c', consent_form_retention_due($t('2025-01-31 23:00:00'), $m(1))),
  '1 day' => gmdate('c', consent_form_retention_due($t('2025-03-31 10:00:00'), ['count' => 1, 'unit' => 'days'])),
  'mismatches' => 0,
];
mt_srand(7);
foreach ([$m(1), $m(13), $m(24), ['count' => 30, 'unit' => 'days']] as $p) {
  for ($k = 0; $k < 20000; $k++) {
    $r = $t('2023-01-01 00:00:00') + mt_rand(0, 800 * 86400);
    $now = consent_form_retention_due($r, $p) + (mt_rand(0, 1) ? mt_rand(-2, 2) : mt_rand(-3 * 86400, 3 * 86400));
    if ((consent_form_retention_due($r, $p) <= $now) !== ($r <= consent_form_retention_cutoff($now, $p))) $out['mismatches']++;
  }
}
echo json_encode($out);
`));
  assert.deepEqual(rule, {
    '31 March + 1 month': '2025-05-01T00:00:00+00:00',
    '10 March + 24 months': '2027-03-10T08:30:00+00:00',
    '29 February + 12 months': '2025-03-01T00:00:00+00:00',
    '31 January + 1 month': '2025-03-01T00:00:00+00:00',
    '1 day': '2025-04-01T10:00:00+00:00',
    mismatches: 0,
  });

  // Deactivating removes the daily event; activating schedules it again.
  const scheduled = () => Number(wpEval("echo (int) wp_next_scheduled('consent_form_retention');"));
  assert.ok(scheduled() > 0);
  wpEval(`require_once ABSPATH . 'wp-admin/includes/plugin.php'; deactivate_plugins('consent-form/consent-form.php');`);
  assert.equal(scheduled(), 0);
  wpEval(`require_once ABSPATH . 'wp-admin/includes/plugin.php'; activate_plugin('consent-form/consent-form.php');`);
  assert.ok(scheduled() > 0);
  // Saving the settings schedules it when it is not (here saved outside the admin pages).
  wpEval(`update_option('consent_form_settings', consent_form_settings()); wp_clear_scheduled_hook(CONSENT_FORM_RETENTION_HOOK);`);
  assert.equal(scheduled(), 0);
  wpEval(`update_option('consent_form_settings', ['policy_version' => '2026-11'] + consent_form_settings());`);
  assert.ok(scheduled() > 0);

  // Off (the default): the list says nothing is erased by itself, a receipt that it is
  // never due, and a run erases nothing.
  const { context, page } = await logIn('admin', 'correct horse battery');
  await page.goto(`${base}wp-admin/admin.php?page=consent-form`);
  assert.equal(await page.locator('#consent-form-retention').getAttribute('data-due'), 'off');
  assert.match(await page.locator('#consent-form-retention').innerText(), /No retention period is set: nothing is erased by itself/);
  await page.goto(`${base}wp-admin/admin.php?page=consent-form&receipt=${due.old}`);
  assert.equal(await page.locator('#consent-form-due td').innerText(), 'never by itself: no retention period is set');
  const before = snapshot();
  assert.equal(run().erased, 0);
  assert.equal(snapshot(), before);

  // The settings page: the period is a whole number of months or days; anything else is
  // refused with a message and the period stays as it was.
  const settings = async (count, unit, text) => {
    await page.goto(`${base}wp-admin/admin.php?page=consent-form-settings`);
    await page.locator('#consent-form-retention-count').fill(count);
    await page.locator('#consent-form-retention-unit').selectOption(unit);
    await page.locator('#consent-form-retention').fill(text);
    await Promise.all([page.waitForURL(/settings-updated=true/), page.locator('#submit').click()]);
  };
  const saved = () => wpEval(`$s = consent_form_settings(); echo $s['retention_count'] . ' ' . $s['retention_unit'];`);
  for (const [count, unit] of [['24 tháng', 'months'], ['-3', 'months'], ['1.5', 'months'], ['1201', 'months'], ['36526', 'days'], ['99999999999', 'days'], ['<b>2</b>', 'months']]) {
    await settings(count, unit, '');
    const message = page.locator('#setting-error-retention_count');
    assert.match(await message.innerText(), new RegExp(`whole number of months \\(1 to 1200\\) or days \\(1 to 36525\\).*“${count.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').slice(0, 40)}” was not saved`), count);
    assert.equal(await page.locator('#setting-error-retention_count b').count(), 0, count);
    assert.equal(saved(), '0 months', count);
  }
  // The period without a retention text for the visitor, and the text without a period: warned.
  await settings('24', 'months', '');
  assert.equal(await page.locator('#setting-error-retention_count').count(), 0);
  assert.equal(saved(), '24 months');
  assert.match(await page.locator('#consent-form-retention-warning').innerText(), /A retention period is set \(24 months after receipt\) but the retention text is empty/);
  await settings('', 'months', 'tối đa 24 tháng kể từ khi nhận, hoặc đến khi bạn yêu cầu xóa');
  assert.equal(saved(), '0 months');
  assert.match(await page.locator('#consent-form-retention-warning').innerText(), /no retention period is set: nothing is erased by itself/);
  await settings(' 24 ', 'months', 'tối đa 24 tháng kể từ khi nhận, hoặc đến khi bạn yêu cầu xóa');
  assert.equal(saved(), '24 months');
  assert.equal(await page.locator('#consent-form-retention-warning').count(), 0);
  assert.ok(scheduled() > 0);

  // The dry run on the list: what the next run will erase, nothing erased by counting.
  const expected = 2 + backlog;
  await page.goto(`${base}wp-admin/admin.php?page=consent-form`);
  assert.equal(await page.locator('#consent-form-retention').getAttribute('data-due'), String(expected));
  assert.match(await page.locator('#consent-form-retention').innerText(), new RegExp(`Retention period: 24 months after receipt\\. The next run \\(.+\\) will erase ${expected} submissions, received on or before `));
  assert.equal(snapshot(), before);
  // A receipt says when it is due: 24 calendar months after it was received (UTC).
  const receivedSoon = sql(`SELECT received_at FROM wp_consent_form_submissions WHERE id = '${notDue.soon}'`);
  const [y, mo, d, h, mi, s] = receivedSoon.split(/[- :]/).map(Number);
  const dueSoon = new Date(Date.UTC(y + 2, mo - 1, d, h, mi, s)).toISOString().replace('.000Z', '+00:00');
  await page.goto(`${base}wp-admin/admin.php?page=consent-form&receipt=${notDue.soon}`);
  assert.equal(await page.locator('#consent-form-due').getAttribute('data-due'), dueSoon);
  assert.equal(await page.locator('#consent-form-due td').innerText(), `${dueSoon} (24 months after receipt; the first daily run from then erases it)`);

  // A run that has more than its time allows (here none: one batch) stops after a batch
  // and leaves the rest to a run a minute later, scheduled then; it erased the oldest.
  const partial = JSON.parse(wpEval(`
add_filter('consent_form_retention_seconds', fn () => 0);
do_action(CONSENT_FORM_RETENTION_HOOK);
$next = array_filter(_get_cron_array(), fn ($events) => isset($events[CONSENT_FORM_RETENTION_HOOK]));
echo json_encode(['last' => get_option('consent_form_retention_last'), 'runs' => array_map(fn ($at, $events) => ['in' => $at - time(), 'schedule' => array_values($events[CONSENT_FORM_RETENTION_HOOK])[0]['schedule']], array_keys($next), $next)]);
`));
  assert.equal(partial.last.erased, 100);
  assert.equal(partial.last.left, expected - 100);
  const continuation = partial.runs.filter((r) => r.schedule === false);
  assert.equal(continuation.length, 1, JSON.stringify(partial.runs));
  assert.ok(continuation[0].in > 0 && continuation[0].in <= 60, JSON.stringify(partial.runs));
  assert.equal(sql(`SELECT MIN(received_at) FROM wp_consent_form_submissions WHERE erased_at IS NULL AND id LIKE 'msg\\_ret\\_%'`),
    sql(`SELECT received_at FROM wp_consent_form_submissions WHERE id LIKE 'msg\\_ret\\_%' ORDER BY received_at LIMIT 100, 1`));
  // The continuation is not due for a minute: moved to now, as if a minute had passed.
  wpEval(`
$crons = _get_cron_array();
foreach ($crons as $at => $events) {
  if (isset($events[CONSENT_FORM_RETENTION_HOOK]) && array_values($events[CONSENT_FORM_RETENTION_HOOK])[0]['schedule'] === false) {
    $crons[time() - 1][CONSENT_FORM_RETENTION_HOOK] = $events[CONSENT_FORM_RETENTION_HOOK];
    unset($crons[$at][CONSENT_FORM_RETENTION_HOOK]);
    if (!$crons[$at]) unset($crons[$at]);
  }
}
ksort($crons);
_set_cron_array($crons);
`);

  // WP-Cron's own path, as a system cron runs it (the site has DISABLE_WP_CRON): the
  // daily event is due, wp-cron.php runs it.
  const started = performance.now();
  const cron = await fetch(`${base}wp-cron.php`);
  const cronMs = performance.now() - started;
  assert.equal(cron.status, 200);
  const last = JSON.parse(wpEval(`echo json_encode(get_option('consent_form_retention_last'));`));
  // Both runs due (the continuation and the daily one): the first erased the rest, the
  // second found nothing left; none is left to continue.
  assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_submissions WHERE erased_at IS NOT NULL AND id LIKE 'msg\\_ret\\_%' AND id <> '${onRequest}'`), String(expected));
  assert.equal(last.left, 0);
  assert.equal(JSON.parse(wpEval(`echo json_encode(array_values(array_filter(_get_cron_array(), fn ($e) => isset($e[CONSENT_FORM_RETENTION_HOOK]))));`)).length, 1);
  assert.ok(scheduled() > Date.now() / 1000 + 23 * 3600, 'the next daily run is a day later');

  // Erased: the personal data; kept: the hash of what was signed, the consents, and an
  // erasure event by the controller naming the rule.
  for (const id of [due.old, due.justDue]) {
    assert.match(personal(id), /^NULL\|NULL\|NULL\|\d{4}-/, id);
    assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_submissions WHERE id = '${id}' AND body_sha256 <> '' AND consents = '${consents}'`), '1', id);
    const [kind, detail] = sql(`SELECT kind, HEX(body) FROM wp_consent_form_events WHERE submission_id = '${id}'`).split('\t');
    assert.equal(kind, 'erased', id);
    assert.deepEqual(JSON.parse(Buffer.from(detail, 'hex').toString('utf8')), { by: 'controller', reason: 'retention period: 24 months after receipt' }, id);
  }
  assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_submissions WHERE id LIKE 'msg\\_ret\\_backlog%' AND body IS NULL AND email IS NULL AND phone IS NULL AND erased_at IS NOT NULL`), String(backlog));
  // Oldest first: the erasure events' order is the submissions' order of receipt.
  const order = sql(`SELECT s.received_at FROM wp_consent_form_events e JOIN wp_consent_form_submissions s ON s.id = e.submission_id WHERE e.kind = 'erased' AND e.body LIKE '%retention period%' ORDER BY e.seq`).split('\n');
  assert.equal(order.length, expected);
  assert.deepEqual(order, [...order].sort());
  // Untouched: the recent ones, and the one erased on request before (its one event).
  for (const id of Object.values(notDue)) {
    assert.match(personal(id), /^[0-9A-F]+\|khach\d@example\.vn\|\+849000\d+\|NULL$/, id);
    assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_events WHERE submission_id = '${id}'`), '0', id);
  }
  const kept = sql(`SELECT HEX(body) FROM wp_consent_form_events WHERE submission_id = '${onRequest}'`).split('\n');
  assert.deepEqual(kept.map((hex) => JSON.parse(Buffer.from(hex, 'hex').toString('utf8'))), [{ by: 'principal', reason: 'thư yêu cầu' }]);

  // A second run changes nothing.
  const afterFirst = snapshot();
  const second = run();
  assert.equal(second.erased, 0);
  assert.equal(snapshot(), afterFirst);

  // The list and the receipt say so; the next run will erase one received a day minus
  // 12 hours ago two years back (due before the next run, not now): counted, not erased now.
  await page.goto(`${base}wp-admin/admin.php?page=consent-form&receipt=${due.old}`);
  assert.equal(await page.locator('.consent-form-receipt h2').first().innerText(), 'Erased: retention period over');
  assert.equal((await page.locator('#consent-form-erasure td').allInnerTexts()).slice(1).join('|'), 'by decision of the controller|retention period: 24 months after receipt');
  assert.equal(await page.locator('#consent-form-due').count(), 0);
  const tonight = insert('msg_ret_due_before_next_run', 'UTC_TIMESTAMP() + INTERVAL 12 HOUR - INTERVAL 24 MONTH', 6);
  await page.goto(`${base}wp-admin/admin.php?page=consent-form`);
  assert.equal(await page.locator('#consent-form-retention').getAttribute('data-due'), '1');
  assert.match(await page.locator('#consent-form-retention').innerText(), /will erase 1 submission, .* Last run: .*, 0 erased\./);
  assert.match(await page.locator(`#consent-form-submissions tr[data-id="${due.old}"]`).innerText(), /Erased: retention period over/);
  assert.equal(run().erased, 0);
  assert.doesNotMatch(personal(tonight), /^NULL/);

  // Off again: nothing is erased, however old.
  await settings('', 'months', '');
  const offBefore = snapshot();
  assert.equal(run().erased, 0);
  assert.equal(snapshot(), offBefore);
  await page.goto(`${base}wp-admin/admin.php?page=consent-form`);
  assert.equal(await page.locator('#consent-form-retention').getAttribute('data-due'), 'off');

  assert.deepEqual(pluginLogLines(), []);
  t.diagnostic(`retention: ${expected - 100} submissions erased by one run through wp-cron.php (batches of 100) in ${cronMs.toFixed(0)} ms`);
  await context.close();
  sql(`DELETE FROM wp_consent_form_events WHERE submission_id LIKE 'msg\\_ret\\_%'`);
  sql(`DELETE FROM wp_consent_form_submissions WHERE id LIKE 'msg\\_ret\\_%'`);
});

test('an update from version 1 fills the phone columns in steps (WP-Cron), each undone whole if it fails, each row looked at once; the owner is told what phone search cannot find yet', debianOnly, async () => {
  // 30 submissions as version 1 stored them (no phone columns: NULL), in id order; four
  // sent with an e-mail and no phone, which no fill can give one.
  const v1 = Array.from({ length: 30 }, (_, n) => {
    const pad = (width) => String(n).padStart(width, '0');
    const id = `msg_v1_${pad(3)}`;
    const fields = n % 7 === 3 ? { name: `Khách ${n}`, email: `v1-${n}@example.vn` } : { name: `Khách ${n}`, phone: `+8490000${pad(4)}` };
    if (n % 5 === 0 && fields.phone) fields.guardian_phone = `+8491000${pad(4)}`;
    return { id, fields, body: JSON.stringify({ id, form: 'contact', fields }) };
  });
  const filled = () => sql(`SELECT GROUP_CONCAT(CONCAT_WS(':', id, IFNULL(phone, '-'), IFNULL(guardian_phone, '-')) ORDER BY id) FROM wp_consent_form_submissions WHERE id LIKE 'msg\\_v1\\_%'`).split(',');
  const expected = (upTo) => v1.map(({ id, fields }, n) => `${id}:${n <= upTo ? fields.phone ?? '-' : '-'}:${n <= upTo ? fields.guardian_phone ?? '-' : '-'}`);
  const position = () => sql(`SELECT option_value FROM wp_options WHERE option_name = 'consent_form_phones_backlog'`);
  const fillEvent = () => sql(`SELECT COUNT(*) FROM wp_options WHERE option_name = 'cron' AND option_value LIKE '%consent_form_fill_phones%'`);
  const toFill = `phone IS NULL AND guardian_phone IS NULL AND body IS NOT NULL`;
  assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_submissions WHERE ${toFill}`), '0', 'no other row to fill');
  const chainCounts = () => JSON.parse(wpEval(`echo json_encode(consent_form_chain_verify()['counts']);`));
  const chainBefore = chainCounts(); // the tests before leave links whose rows they removed
  sql(`INSERT INTO wp_consent_form_submissions (id, received_at, form, submitted_at, locale, email, body, body_sha256, webhook_timestamp, webhook_signature, consents) VALUES ${v1.map(({ id, fields, body }) => `('${id}', UTC_TIMESTAMP(), 'contact', '2025-06-01T09:00:00Z', 'vi', ${fields.email ? `'${fields.email}'` : 'NULL'}, '${body}', SHA2('${body}', 256), '1748768400', 'v1,test', '[]')`).join(', ')}`);
  assert.deepEqual(filled(), expected(-1));

  // The update, in steps of four rows (the plugin's filter, set by the test's mu-plugin):
  // the first step in the request that updates, the rest left to the event.
  wpEval(`update_option('consent_form_test_phones_step', ['seconds' => 30, 'records' => 4]);`);
  wpEval(`update_option('consent_form_db_version', '1'); consent_form_maybe_upgrade();`);
  assert.equal(sql(`SELECT option_value FROM wp_options WHERE option_name = 'consent_form_db_version'`), '4');
  assert.deepEqual(filled(), expected(3));
  assert.match(position(), /"msg_v1_003"/);
  assert.equal(fillEvent(), '1', 'the event that goes on is scheduled');

  // The owner's page says how many are not ready for phone search; a search by phone
  // does not say "nothing found" as if it had looked everywhere.
  const { context, page } = await logIn('admin', 'correct horse battery');
  try {
    await page.goto(`${base}wp-admin/admin.php?page=consent-form`);
    assert.equal(await page.locator('#consent-form-phones').getAttribute('data-left'), '26');
    assert.match(await page.locator('#consent-form-phones').innerText(), /^26 older submissions are still being prepared for the search by phone.*a search by phone may miss them/);
    assert.deepEqual(await searchIds(page, '0900 00 0020'), []);
    assert.match(await page.locator('#consent-form-search-result').innerText(), /^0 submissions with \+84900000020\. Not searched yet: 26 older submissions/);
    assert.match(await page.locator('#consent-form-submissions tbody').innerText(), /^None found so far/);
    assert.doesNotMatch(await page.locator('#consent-form-submissions tbody').innerText(), /No submission found/);
    assert.deepEqual(await searchIds(page, '0900 00 0001'), ['msg_v1_001']);
    // In Vietnamese on a Vietnamese site.
    const savedLang = sql(`SELECT option_value FROM wp_options WHERE option_name = 'WPLANG'`);
    sql(`INSERT INTO wp_options (option_name, option_value, autoload) VALUES ('WPLANG', 'vi', 'yes') ON DUPLICATE KEY UPDATE option_value = 'vi'`);
    try {
      await page.goto(`${base}wp-admin/admin.php?page=consent-form&s=0900000020`);
      assert.match(await page.locator('#consent-form-phones').innerText(), /^Còn 26 yêu cầu cũ đang được chuẩn bị để tìm được theo số điện thoại/);
      assert.match(await page.locator('#consent-form-search-result').innerText(), /Chưa tìm trong 26 yêu cầu cũ/);
      assert.match(await page.locator('#consent-form-submissions tbody').innerText(), /^Chưa tìm thấy yêu cầu nào, nhưng/);
    } finally {
      if (savedLang === '') sql(`DELETE FROM wp_options WHERE option_name = 'WPLANG'`);
      else sql(`UPDATE wp_options SET option_value = '${savedLang}' WHERE option_name = 'WPLANG'`);
    }

    // Each run as wp-cron.php runs the due event: unscheduled, then its hook.
    const runEvent = () => wpEval(`
global $wpdb;
$wpdb->suppress_errors(true);
$at = wp_next_scheduled('consent_form_fill_phones');
if ($at === false || $at > time()) { echo 'not due'; return; }
wp_unschedule_event($at, 'consent_form_fill_phones');
do_action('consent_form_fill_phones');
echo 'ran';`);
    // A step that fails in the middle: the database refuses the update of its third row
    // (a trigger), after two were written. The step is undone whole, the position stays,
    // the event goes on, and the log says why.
    wpEval(`global $wpdb; $wpdb->query("CREATE TRIGGER wp_test_fill_fails BEFORE UPDATE ON wp_consent_form_submissions FOR EACH ROW IF NEW.id = 'msg_v1_006' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'test: the disk is full'; END IF");`);
    try {
      assert.equal(runEvent(), 'ran');
    } finally {
      sql('DROP TRIGGER wp_test_fill_fails');
    }
    assert.deepEqual(filled(), expected(3), 'the failed step left nothing');
    assert.match(position(), /"msg_v1_003"/);
    assert.equal(fillEvent(), '1', 'the event goes on');
    assert.match(readFileSync(debugLog, 'utf8'), /consent-form: filling the phone columns stopped, to go on at the next run: test: the disk is full/);

    // Then step after step until none is left: four rows each (26: seven runs, the last
    // one short); deactivating the plugin meanwhile removes the event, activating it
    // again brings it back.
    let runs = 0;
    while (position() !== '') {
      assert.ok(runs++ < 10, 'filling ends');
      assert.equal(runEvent(), 'ran');
      const upTo = Math.min(29, 3 + 4 * runs);
      assert.deepEqual(filled(), expected(upTo), `after run ${runs}`);
      if (runs === 3) {
        await page.goto(`${base}wp-admin/admin.php?page=consent-form`);
        assert.equal(await page.locator('#consent-form-phones').getAttribute('data-left'), String(29 - upTo));
        assert.equal(wpEval(`require_once ABSPATH . 'wp-admin/includes/plugin.php'; deactivate_plugins('consent-form/consent-form.php'); echo wp_next_scheduled('consent_form_fill_phones') === false ? 'gone' : 'kept';`), 'gone');
        assert.equal(wpEval(`require_once ABSPATH . 'wp-admin/includes/plugin.php'; $activated = activate_plugin('consent-form/consent-form.php'); echo is_wp_error($activated) ? $activated->get_error_message() : (wp_next_scheduled('consent_form_fill_phones') ? 'back' : 'missing');`), 'back');
      }
    }
    assert.equal(runs, 7);
    assert.deepEqual(filled(), expected(29));
    assert.equal(fillEvent(), '0', 'done: no event left');

    // Done: no notice, the search finds them all and says nothing more.
    await page.goto(`${base}wp-admin/admin.php?page=consent-form`);
    assert.equal(await page.locator('#consent-form-phones').count(), 0);
    assert.deepEqual(await searchIds(page, '0900 00 0020'), ['msg_v1_020']);
    assert.deepEqual(await searchIds(page, '0910 00 0025'), ['msg_v1_025']);
    assert.match(await page.locator('#consent-form-search-result').innerText(), /^1 submission with \+84910000025\. All submissions$/);
  } finally {
    await context.close();
  }

  // Done is done: the rows with no phone (still matching "no phone, a body") are not
  // read again, neither by the install a re-activation runs nor by the event run once
  // more; nothing changes.
  const before = sql(`SELECT COUNT(*), SHA2(GROUP_CONCAT(CONCAT_WS(':', id, IFNULL(phone, '-'), IFNULL(guardian_phone, '-')) ORDER BY id), 256) FROM wp_consent_form_submissions`);
  assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_submissions WHERE ${toFill}`), '4');
  const read = JSON.parse(wpEval(`
$read = [];
add_filter('query', function ($query) use (&$read) {
  if (preg_match('/SELECT id, body FROM \\S*consent_form_submissions/', $query)) $read[] = $query;
  return $query;
});
consent_form_install();
do_action('consent_form_fill_phones');
echo json_encode($read);`));
  assert.deepEqual(read, []);
  assert.equal(sql(`SELECT option_value FROM wp_options WHERE option_name = 'consent_form_db_version'`), '4');
  assert.equal(position(), '');
  assert.equal(fillEvent(), '0');
  assert.equal(sql(`SELECT COUNT(*), SHA2(GROUP_CONCAT(CONCAT_WS(':', id, IFNULL(phone, '-'), IFNULL(guardian_phone, '-')) ORDER BY id), 256) FROM wp_consent_form_submissions`), before);

  // Put back: the rows and their links (the chain's last, linked at the update).
  wpEval(`delete_option('consent_form_test_phones_step');`);
  sql(`DELETE FROM wp_consent_form_chain WHERE row_kind = 'submission' AND row_key LIKE 'msg\\_v1\\_%'`);
  sql(`DELETE FROM wp_consent_form_submissions WHERE id LIKE 'msg\\_v1\\_%'`);
  assert.deepEqual(chainCounts(), chainBefore);
});

test("under a strict Content-Security-Policy with a nonce per request, given through WordPress's filters: the owner's page's script runs and the visitor's form renders and sends, nothing of the plugin's refused", async () => {
  // A CSP plugin as a site may have one: a nonce per request in the policy (no
  // 'unsafe-inline', 'strict-dynamic': no script runs without the nonce, whatever its
  // origin), given to WordPress's script tags through wp_script_attributes and
  // wp_inline_script_attributes; for the browsers that have the test's cookie only.
  writeFileSync(join(wp, 'wp-content/mu-plugins/consent-form-test-csp.php'), `<?php
if (($_COOKIE['consent_form_test_csp'] ?? '') !== '1') return;
$nonce = base64_encode(random_bytes(18));
add_filter('wp_script_attributes', fn ($attributes) => $attributes + ['nonce' => $nonce]);
add_filter('wp_inline_script_attributes', fn ($attributes) => $attributes + ['nonce' => $nonce]);
header("Content-Security-Policy: default-src 'self'; script-src 'nonce-$nonce' 'strict-dynamic' 'wasm-unsafe-eval' 'report-sample'; style-src 'self' 'nonce-$nonce' 'report-sample'; img-src 'self' data:; object-src 'none'; base-uri 'none'");
`);
  const cookie = { name: 'consent_form_test_csp', value: '1', url: base };
  const logFrom = logSize();
  // Every violation, with the element it is about (through shadow roots) and whether
  // that is the plugin's: inside its page (.wrap) or its element, or its files.
  const watch = async (page) => {
    await page.addInitScript(() => {
      window.violations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        let node = e.target;
        let plugin = /\/plugins\/consent-form\//.test(e.blockedURI) || /consent-form/.test(e.sourceFile ?? '') && e.sourceFile.includes('/plugins/');
        for (let n = node; n && !plugin; n = n.parentNode ?? n.host) {
          if (n.nodeType === 1 && (n.matches('.wrap, consent-form') || /\/plugins\/consent-form\//.test(n.getAttribute('src') ?? n.getAttribute('href') ?? ''))) plugin = true;
        }
        window.violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, element: node?.nodeType === 1 ? node.outerHTML.slice(0, 120) : String(node?.nodeName), plugin });
      });
    });
  };
  try {
    let receipt;
    // The visitor's page: the form's module loads, the wasm compiles, the form renders
    // and sends.
    const context2 = await browser.newContext();
    try {
      await context2.addCookies([cookie]);
      const page = await context2.newPage();
      await watch(page);
      const response = await page.goto(contactPage);
      assert.match(response.headers()['content-security-policy'] ?? '', /'strict-dynamic'/);
      const form = page.locator('consent-form');
      await form.locator('[name=name]').fill('Phạm Thu Hà', { timeout: 20_000 }).catch(async (e) => {
        throw new Error(`${e.message}\nviolations: ${JSON.stringify(await page.evaluate(() => window.violations))}`);
      });
      await form.locator('[name=phone]').fill('0903 111 222');
      await form.locator('[name=consent-consultation]').check();
      const posted = page.waitForResponse(route('submissions'), { timeout: 30_000 });
      await form.locator('button[type=submit]').click();
      const sentResponse = await posted;
      assert.equal(sentResponse.status(), 200);
      receipt = JSON.parse(sentResponse.request().postData()).id;
      await form.locator('.cf-receipt').waitFor();
      assert.equal(await page.evaluate(() => document.querySelector('consent-form').shadowRoot?.querySelectorAll('[style]').length ?? 0), 0);
      const violations = await page.evaluate(() => window.violations);
      assert.deepEqual(violations.filter((v) => v.plugin), []);
      console.log(`front page: ${violations.length} violations by WordPress ${site.version} itself: ${JSON.stringify(violations.map((v) => `${v.directive} ${v.sample || v.blocked}`))}`);
    } finally {
      await context2.close();
    }
    // The owner's page: Verify records goes through the page's script (admin-ajax.php),
    // not the page without JavaScript (?verify=).
    const { context, page } = await logIn('admin', 'correct horse battery');
    try {
      await context.addCookies([cookie]);
      await watch(page);
      const problems = problemsOf(page);
      const steps = [];
      page.on('request', (r) => r.url().endsWith('/admin-ajax.php') && steps.push(r.url()));
      const response = await page.goto(`${base}wp-admin/admin.php?page=consent-form`);
      assert.match(response.headers()['content-security-policy'] ?? '', /script-src 'nonce-[^']+' 'strict-dynamic'/);
      await page.locator('#consent-form-verify-submit').click();
      await page.locator('#consent-form-verified').waitFor({ timeout: 20_000 });
      assert.match(await page.locator('#consent-form-verify-status').innerText(), /^(Verified: \d+ links?;|Not whole: \d+ links? checked\.)/);
      assert.ok(steps.length >= 1, 'verified through admin-ajax.php');
      assert.ok(page.url().endsWith('page=consent-form'), page.url());
      const violations = await page.evaluate(() => window.violations);
      assert.deepEqual(violations.filter((v) => v.plugin), []);
      console.log(`owner's page: ${violations.length} violations by WordPress ${site.version} itself: ${JSON.stringify(violations.map((v) => `${v.directive} ${v.sample || v.blocked}`))}`);
      assert.deepEqual(problems.filter((p) => /consent-form/.test(p)), []);
      // A receipt: its styles (a file) apply, nothing of the plugin's refused.
      await page.goto(`${base}wp-admin/admin.php?page=consent-form&receipt=${receipt}`);
      assert.equal(await page.locator('.consent-form-receipt .consent-form-text').first().evaluate((e) => getComputedStyle(e).whiteSpace), 'pre-wrap');
      assert.deepEqual((await page.evaluate(() => window.violations)).filter((v) => v.plugin), []);
    } finally {
      await context.close();
    }
    assert.deepEqual(pluginLogLines(logFrom), []);

  } finally {
    rmSync(join(wp, 'wp-content/mu-plugins/consent-form-test-csp.php'));
  }
});

/**
 * A WordPress made a multisite network in its own database `db` on the test's MariaDB,
 * installed as wp-admin/network.php does it, at http://<name>.test:<port>/, on
 * subdomains or subdirectories. Resolves to { dir, db, port, domain, host }: `host` is
 * the wpEval preamble that picks the network's main site.
 */
async function installNetwork(name, db, title, subdomains) {
  const dir = join(scratch, name);
  const port = await freePort();
  const domain = `${name}.test:${port}`;
  sql(`CREATE DATABASE ${db} CHARACTER SET utf8mb4`);
  installWordPressFiles(port, dir, db);
  writeConfig(dir, db, `define('WP_HOME', 'http://${domain}');\ndefine('WP_SITEURL', 'http://${domain}');\ndefine('WP_ALLOW_MULTISITE', true);`);
  const installer = join(scratch, `install-${name}.php`);
  writeFileSync(installer, `<?php
define('WP_INSTALLING', true);
require ${JSON.stringify(join(dir, 'wp-load.php'))};
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('${title}', 'admin', 'admin@example.vn', false, '', 'correct horse battery');
require_once ABSPATH . 'wp-admin/includes/network.php';
foreach ($wpdb->tables('ms_global') as $table => $prefixed) { $wpdb->$table = $prefixed; }
install_network();
$network = populate_network(1, '${domain}', 'admin@example.vn', '${title}', '/', ${subdomains});
echo is_wp_error($network) && $network->get_error_code() !== 'no_wildcard_dns' ? $network->get_error_message() : 'ok';
`);
  assert.equal(run('php', [installer]).trim(), 'ok');
  writeConfig(dir, db, `define('MULTISITE', true);
define('SUBDOMAIN_INSTALL', ${subdomains});
define('DOMAIN_CURRENT_SITE', '${domain}');
define('PATH_CURRENT_SITE', '/');
define('SITE_ID_CURRENT_SITE', 1);
define('BLOG_ID_CURRENT_SITE', 1);`);
  return { dir, db, port, domain, host: `$_SERVER['HTTP_HOST'] = '${domain}'; $_SERVER['REQUEST_URI'] = '/';\n` };
}

/**
 * Serves a network's WordPress on php -S (through `router`, if given) and waits until its
 * main site answers; a Chromium that resolves `names` to 127.0.0.1. Resolves to
 * { server, browser }.
 */
async function serveNetwork({ dir, port, domain }, names, router) {
  const server = phpServer(['-S', `127.0.0.1:${port}`, '-t', dir, ...(router ? [router] : [])]);
  // fetch() cannot set Host: node:http can.
  const answers = () => new Promise((resolve) => {
    get({ host: '127.0.0.1', port, path: '/', headers: { host: domain } }, (r) => resolve(r.resume().statusCode < 500))
      .on('error', () => resolve(false));
  });
  try {
    await until(`php -S (${domain})`, answers);
  } catch (err) {
    server.kill();
    throw err;
  }
  const browser = await launchChromium([`--host-resolver-rules=${names.map((n) => `MAP ${n} 127.0.0.1`).join(', ')}`]);
  return { server, browser };
}

test('multisite: network-activated, a site with a domain of its own takes submissions (its key cookie is its own), stores them in its own tables, and deleting the site drops them', debianOnly, async () => {
  // A second WordPress, a network of sites on subdomains (wp.test on this port), in its
  // own database on the same MariaDB, installed as wp-admin/network.php does it. Its
  // second site has a domain of its own, as an agency gives a client's shop
  // (cuahang.test): the browser resolves both to 127.0.0.1. WordPress's COOKIE_DOMAIN is
  // then the network's, which the browser refuses from cuahang.test.
  const { dir, db, port, domain, host } = await installNetwork('wp', 'wpnet', 'Mạng Ví Dụ', true);
  const created = JSON.parse(wpEval(`
require_once ABSPATH . 'wp-admin/includes/plugin.php';
$activated = activate_plugin('consent-form/consent-form.php', '', true);
if (is_wp_error($activated)) { echo json_encode(['error' => $activated->get_error_message()]); exit; }
$site2 = wpmu_create_blog('site2.wp.test', '/', 'Cửa hàng Hai', 1);
echo json_encode(is_wp_error($site2) ? ['error' => $site2->get_error_message()] : ['site2' => $site2, 'network' => is_plugin_active_for_network('consent-form/consent-form.php')]);
`, dir, host));
  assert.equal(created.error, undefined, created.error);
  assert.equal(created.network, true);
  // Its own domain, set as Sites → Edit does (with the port WordPress's API would strip).
  sql(`UPDATE wp_blogs SET domain = 'cuahang.test:${port}' WHERE blog_id = ${created.site2}`, db);
  sql(`UPDATE wp_${created.site2}_options SET option_value = 'http://cuahang.test:${port}' WHERE option_name IN ('siteurl', 'home')`, db);
  const setup = { ...created, ...JSON.parse(wpEval(`
switch_to_blog(${created.site2});
$page = wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Gọi lại', 'post_content' => '[consent_form kind="contact" policy_url="/chinh-sach"]']);
echo json_encode(['page' => get_permalink($page)]);
`, dir, host)) };
  assert.match(setup.page, new RegExp(`^http://cuahang\\.test:${port}/`));
  const { server, browser: resolving } = await serveNetwork({ dir, port, domain }, ['wp.test', 'cuahang.test']);
  try {
    const context = await resolving.newContext({ viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    const problems = problemsOf(page);
    await page.goto(setup.page);
    const form = page.locator('consent-form');
    assert.match(await form.getAttribute('endpoint'), /consent-form\/v1\/submissions$/);
    await form.locator('[name=name]').fill('Trần Thị Hai');
    await form.locator('[name=phone]').fill('0912 345 678');
    await form.locator('[name=consent-consultation]').check();
    const posted = page.waitForResponse(route('submissions'), { timeout: 30_000 });
    await form.locator('button[type=submit]').click();
    const response = await posted;
    assert.equal(response.status(), 200);
    assert.match(response.url(), new RegExp(`^http://cuahang\\.test:${port}/`));
    await form.locator('.cf-receipt').waitFor();
    const { id } = JSON.parse(response.request().postData());
    assert.deepEqual(problems, []);

    // Stored in site 2's table, and nowhere else; site 2's owner lists it, the main site's does not.
    const prefix = `wp_${setup.site2}_`;
    assert.equal(sql(`SELECT id FROM ${prefix}consent_form_submissions`, db), id);
    const mainTable = sql(`SHOW TABLES LIKE 'wp\\_consent\\_form\\_submissions'`, db);
    if (mainTable) assert.equal(sql(`SELECT COUNT(*) FROM wp_consent_form_submissions`, db), '0');
    const listed = (blog) => JSON.parse(wpEval(`switch_to_blog(${blog}); echo json_encode($wpdb->get_col("SELECT id FROM " . consent_form_tables()['submissions']));`, dir, host));
    assert.deepEqual(listed(setup.site2), [id]);
    assert.deepEqual(listed(1), []);
    await context.close();

    // The network's admin deletes site 2: its consent records go with its other tables.
    wpEval(`require_once ABSPATH . 'wp-admin/includes/ms.php'; wpmu_delete_blog(${setup.site2}, true);`, dir, host);
    assert.equal(sql(`SHOW TABLES LIKE 'wp\\_${setup.site2}\\_posts'`, db), '', 'WordPress dropped the site');
    assert.equal(sql(`SHOW TABLES LIKE 'wp\\_${setup.site2}\\_consent\\_form\\_%'`, db), '');
  } finally {
    await resolving.close();
    server.kill();
  }
});

test('multisite on subdirectories: each site takes its own submissions with a key cookie of its own, and a key one site gave does not sign for another', debianOnly, async () => {
  // A third WordPress, a network on subdirectories (wpsub.test/ and wpsub.test/hai/), as
  // a school or a chain of shops runs one. php -S has no rewrite rules: a router does
  // what the .htaccess WordPress gives such a network does. Every site is on the same
  // host, so any cookie for the root path reaches all of them.
  const { dir, db, port, domain, host } = await installNetwork('wpsub', 'wpsub', 'Trường Ví Dụ', false);
  const created = JSON.parse(wpEval(`
require_once ABSPATH . 'wp-admin/includes/plugin.php';
$activated = activate_plugin('consent-form/consent-form.php', '', true);
if (is_wp_error($activated)) { echo json_encode(['error' => $activated->get_error_message()]); exit; }
$site2 = wpmu_create_blog('${domain}', '/hai/', 'Cơ sở Hai', 1);
echo json_encode(is_wp_error($site2) ? ['error' => $site2->get_error_message()] : ['site2' => $site2]);
`, dir, host));
  assert.equal(created.error, undefined, created.error);
  // The port, which WordPress's API strips from a new site's domain, put back.
  sql(`UPDATE wp_blogs SET domain = '${domain}' WHERE blog_id = ${created.site2}`, db);
  sql(`UPDATE wp_${created.site2}_options SET option_value = 'http://${domain}/hai' WHERE option_name IN ('siteurl', 'home')`, db);
  // Each site with pretty permalinks (…/hai/wp-json/…) and a page with the form.
  const pages = JSON.parse(wpEval(`
$pages = [];
foreach ([1, ${created.site2}] as $blog) {
  switch_to_blog($blog);
  update_option('permalink_structure', '/%postname%/');
  delete_option('rewrite_rules');
  $page = wp_insert_post(['post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Liên hệ', 'post_name' => 'lien-he', 'post_content' => '[consent_form kind="contact" policy_url="/chinh-sach"]']);
  $pages[$blog] = get_permalink($page);
  restore_current_blog();
}
echo json_encode($pages);
`, dir, host));
  assert.equal(pages[1], `http://${domain}/lien-he/`);
  assert.equal(pages[created.site2], `http://${domain}/hai/lien-he/`);
  const { server, browser: resolving } = await serveNetwork({ dir, port, domain }, ['wpsub.test'], join(root, 'tests/e2e/wordpress-subdirectories.php'));
  try {
    // One visitor, one browser: the main site's form and site 2's open side by side.
    const context = await resolving.newContext({ viewport: { width: 375, height: 800 } });
    const sites = [];
    for (const [blog, name] of [[1, 'Nguyễn Văn Một'], [created.site2, 'Trần Thị Hai']]) {
      const page = await context.newPage();
      const problems = problemsOf(page);
      await page.goto(pages[blog]);
      const form = page.locator('consent-form');
      await form.locator('[name=name]').fill(name);
      await form.locator('[name=phone]').fill('0912 345 678');
      await form.locator('[name=consent-consultation]').check();
      sites.push({ blog, page, form, problems, endpoint: new URL(await form.getAttribute('endpoint'), pages[blog]).href, keyUrl: new URL(await form.getAttribute('key-url'), pages[blog]).href });
    }
    assert.equal(sites[1].endpoint, `http://${domain}/hai/wp-json/consent-form/v1/submissions`);
    // Site 2 sends first, then the main site: neither's key is lost to the other's.
    for (const site of [sites[1], sites[0]]) {
      const posted = site.page.waitForResponse(route('submissions'), { timeout: 30_000 });
      await site.form.locator('button[type=submit]').click();
      const response = await posted;
      assert.equal(response.status(), 200, `site ${site.blog}: ${response.status()} ${response.url()} ${await response.text().catch((e) => e.message)}`);
      await site.form.locator('.cf-receipt').waitFor();
      site.id = JSON.parse(response.request().postData()).id;
      assert.deepEqual(site.problems, []);
    }
    const stored = (prefix) => sql(`SELECT id FROM ${prefix}consent_form_submissions`, db);
    assert.equal(stored('wp_'), sites[0].id);
    assert.equal(stored(`wp_${created.site2}_`), sites[1].id);

    // Each site's keys in a cookie of its own, for its own path.
    const cookies = (await context.cookies()).filter((c) => c.name.startsWith('consent_form_keys'));
    assert.deepEqual(cookies.map((c) => [c.name, c.path]).sort(), [['consent_form_keys_1', '/'], [`consent_form_keys_${created.site2}`, '/hai/']]);

    // A key the main site gave signs nothing for site 2, though the browser holds both.
    // (From inside the pages: only Chromium resolves wpsub.test.)
    const post = (site, url, init) => site.page.evaluate(async ([url, init]) => {
      const response = await fetch(url, { method: 'POST', ...init });
      return [response.status, await response.text()];
    }, [url, init]);
    const [, keyText] = await post(sites[0], sites[0].keyUrl, {});
    const key = JSON.parse(keyText);
    const message = { id: `msg_${randomBytes(16).toString('hex')}` };
    const text = JSON.stringify(message);
    const at = new Date();
    const signed = {
      body: text,
      headers: {
        'content-type': 'application/json',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(key.secret).sign(message.id, at, text),
      },
    };
    const [elsewhere, why] = await post(sites[1], sites[1].endpoint, signed);
    assert.equal(elsewhere, 401, why);
    // The same body on the site that gave the key gets past the signature (and is refused as a payload).
    const [home, refusal] = await post(sites[0], sites[0].endpoint, signed);
    assert.equal(home, 422, refusal);
    await context.close();
  } finally {
    await resolving.close();
    server.kill();
  }
});

// Security review: a right-to-left override (U+202E) or an isolate in what a visitor
// sends reorders how the owner's pages show it: in the receipt's line of a withdrawal,
// the question confirmed is followed by the message id and the SHA-256, which it could
// show reversed. The owner's pages show these controls as \u{…}, as the receiver's
// printable receipt does; the stored bytes are unchanged. Last: its submission would be
// found by the searches and counted by the lists of the tests before.
test("the owner's list and receipt show bidirectional controls in a visitor's text as \\u{…}, not reordered", async () => {
  const { payload, endpoint } = sent;
  // A visitor's own session (the pages of the tests before are closed): a key, and what
  // it signs.
  const visitor = await browser.newContext();
  const page = await visitor.newPage();
  const key = await (await page.request.post(endpoint.replace(/submissions$/, 'keys'))).json();
  const resign = (m) => {
    const data = JSON.stringify(m);
    const at = new Date();
    return { data, headers: { 'content-type': 'application/json', 'webhook-id': m.id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(key.secret).sign(m.id, at, data) } };
  };
  const name = 'Tr\u202EnA năV nễyugN\u202C';
  const message = { ...payload, id: `msg_${randomBytes(16).toString('hex')}`, fields: { ...payload.fields, name } };
  assert.equal((await page.request.post(endpoint, resign(message))).status(), 200);
  const text = 'Rút lại \u2067đồng ý\u2069 \u202E?';
  const withdrawal = {
    id: `msg_${randomBytes(16).toString('hex')}`, withdraws: message.id, purpose: 'marketing',
    withdrawn_at: new Date().toISOString(), locale: 'vi', text, text_sha256: createHash('sha256').update(text).digest('hex'),
  };
  const answer = await page.request.post(endpoint.replace(/submissions$/, 'withdrawals'), resign(withdrawal));
  assert.equal(answer.status(), 200, await answer.text());
  const { context: admin, page: owner } = await logIn('admin', 'correct horse battery');
  for (const path of ['admin.php?page=consent-form', `admin.php?page=consent-form&receipt=${message.id}`]) {
    await owner.goto(`${base}wp-admin/${path}`);
    const html = await owner.content();
    for (const c of ['\u202E', '\u202C', '\u2067', '\u2069']) assert.ok(!html.includes(c), `${path}: ${JSON.stringify(c)} is in the page`);
    assert.ok(html.includes('Tr\\u{202e}nA năV nễyugN\\u{202c}'), path);
  }
  assert.match(await owner.locator('li[data-kind=withdrawn]').innerText(), /Rút lại \\u\{2067\}đồng ý\\u\{2069\} \\u\{202e\}\?/);
  await admin.close();
  await visitor.close();
});

/** Sets the plugin's captcha settings (the secret and the siteverify URL), as the settings page saves them. */
const captchaSettings = (secret, url) => wpEval(`
$settings = get_option('consent_form_settings', []);
update_option('consent_form_settings', array_merge(is_array($settings) ? $settings : [], ['captcha_secret' => ${JSON.stringify(secret)}, 'captcha_verify_url' => ${JSON.stringify(url)}]));`);

/** A submission's stored captcha outcome (JSON), or null; and how many rows have its id. */
const storedCaptcha = (id) => {
  const [rows, outcome] = sql(`SELECT COUNT(*), IFNULL(MAX(captcha), 'NULL') FROM wp_consent_form_submissions WHERE id = '${id}'`).split('\t');
  return { rows: Number(rows), outcome: outcome === 'NULL' ? null : JSON.parse(outcome) };
};

test("a captcha secret set: the visitor's form with a captcha hook, the provider down (503, Retry-After 5), the form's retry verified and stored once with its outcome, a resend not verified again", async () => {
  const secret = `0x4AAAAAAA${randomBytes(12).toString('hex')}`;
  const fake = await fakeSiteverify(secret);
  captchaSettings(secret, fake.url);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const problems = problemsOf(page);
    await page.goto(contactPage);
    const form = page.locator('consent-form');
    await form.locator('[name=name]').fill('Phạm Thu Hà');
    await form.locator('[name=phone]').fill('0913 456 789');
    await form.locator('[name=email]').fill('ha.captcha@example.vn');
    await form.locator('[name=consent-consultation]').check();
    // The page's captcha hook (docs/embedding.md, "Captcha"): a token per press.
    await form.evaluate((element) => {
      element.captcha = async ({ id, form: kind }) => `tok-${kind}-${id}`;
    });
    fake.mode = 'down';
    const first = page.waitForResponse(route('submissions'), { timeout: 30_000 });
    await form.locator('button[type=submit]').click();
    const refused = await first;
    assert.equal(refused.status(), 503);
    assert.equal(refused.headers()['retry-after'], '5');
    const { id, captcha: token } = JSON.parse(refused.request().postData());
    assert.equal(token, `tok-contact-${id}`);
    assert.equal(storedCaptcha(id).rows, 0, 'nothing stored while the provider is down');
    assert.equal(fake.seen.length, 1);
    // The provider back: the form sends the same bytes again after Retry-After.
    fake.mode = 'up';
    const retried = await page.waitForResponse(route('submissions'), { timeout: 30_000 });
    assert.equal(retried.status(), 200);
    assert.equal(retried.request().postData(), refused.request().postData());
    await form.locator('.cf-receipt').waitFor();
    assert.deepEqual(storedCaptcha(id), { rows: 1, outcome: { outcome: 'passed', hostname: '127.0.0.1' } });
    // What the provider was sent: form-encoded secret, the token, the visitor's address.
    assert.equal(fake.seen.length, 2);
    for (const call of fake.seen) {
      assert.equal(call.method, 'POST');
      assert.match(call.type, /^application\/x-www-form-urlencoded(;|$)/);
      assert.deepEqual(call.form, { secret, response: token, remoteip: '127.0.0.1' });
    }
    // A resend of the stored submission (its token redeemed): 200 as before, the provider not asked.
    const headers = { 'content-type': 'application/json', ...Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, retried.request().headers()[h]])) };
    const again = await page.request.post(retried.url(), { headers, data: retried.request().postData() });
    assert.equal(again.status(), 200);
    assert.deepEqual(await again.json(), { ok: true, id });
    assert.equal(fake.seen.length, 2, 'a resend is not verified again');
    assert.equal(storedCaptcha(id).rows, 1);
    assert.deepEqual(problems.filter((p) => !/503/.test(p)), []);

    // The owner's receipt and WordPress's exporter show the outcome.
    const { context: admin, page: owner } = await logIn('admin', 'correct horse battery');
    await owner.goto(`${base}wp-admin/admin.php?page=consent-form&receipt=${id}`);
    const row = owner.locator('#consent-form-captcha');
    assert.equal(await row.getAttribute('data-outcome'), 'passed');
    assert.equal((await row.locator('td').innerText()).trim(), 'passed — 127.0.0.1');
    await admin.close();
    const exported = JSON.parse(wpEval(`
$exporters = apply_filters('wp_privacy_personal_data_exporters', []);
echo json_encode(call_user_func($exporters['consent-form']['callback'], 'ha.captcha@example.vn', 1));`));
    assert.equal(Object.fromEntries(exported.data[0].data.map((d) => [d.name, d.value])).Captcha, 'passed — 127.0.0.1');
    sent.captchaId = id;
  } finally {
    await context.close();
    captchaSettings('', '');
    await fake.close();
  }
});

test('a captcha secret set: no token 422 captcha_missing; a token the provider refuses 422 captcha_failed with its codes; a provider unreachable, slow, failing or not answering its JSON 503; a late submission from the outbox stored as expired; withdrawals not checked; the wp-config.php constant wins; the secret never shown or logged', async () => {
  const { payload, endpoint } = sent;
  const secret = `0x4AAAAAAA${randomBytes(12).toString('hex')}`;
  const fake = await fakeSiteverify(secret);
  captchaSettings(secret, fake.url);
  const logFrom = logSize();
  const visitor = await browser.newContext();
  const mu = join(wp, 'wp-content/mu-plugins/consent-form-test-captcha.php');
  try {
    const page = await visitor.newPage();
    const key = await (await page.request.post(endpoint.replace(/submissions$/, 'keys'))).json();
    const signed = (m) => {
      const data = JSON.stringify(m);
      const at = new Date();
      return { data, headers: { 'content-type': 'application/json', 'webhook-id': m.id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(key.secret).sign(m.id, at, data) } };
    };
    const tokens = [];
    const message = (changes = {}) => {
      const token = `tok-${randomBytes(8).toString('hex')}`;
      tokens.push(token);
      return { ...payload, id: `msg_${randomBytes(16).toString('hex')}`, submitted_at: new Date().toISOString(), captcha: token, ...changes };
    };
    const send = async (m) => {
      const answer = await page.request.post(endpoint, signed(m));
      return { status: answer.status(), body: await answer.json(), retryAfter: answer.headers()['retry-after'] };
    };

    // No token: final 422, the provider not asked, nothing stored.
    const { captcha: _, ...tokenless } = message();
    let answer = await send(tokenless);
    assert.equal(answer.status, 422);
    assert.equal(answer.body.error, 'captcha_missing');
    assert.equal(fake.seen.length, 0);
    assert.equal(storedCaptcha(tokenless.id).rows, 0);

    // The provider refuses the token: 422 with its error codes; nothing stored.
    const bad = message({ captcha: 'bad-token' });
    answer = await send(bad);
    assert.deepEqual([answer.status, answer.body], [422, { error: 'captcha_failed', details: ['invalid-input-response'] }]);
    assert.equal(storedCaptcha(bad.id).rows, 0);

    // A good one passes; the same token on a fresh submission is refused (redeemed).
    const good = message();
    answer = await send(good);
    assert.deepEqual([answer.status, answer.body], [200, { ok: true, id: good.id }]);
    assert.deepEqual(storedCaptcha(good.id).outcome, { outcome: 'passed', hostname: '127.0.0.1' });
    const reused = message({ captcha: good.captcha });
    answer = await send(reused);
    assert.deepEqual([answer.status, answer.body], [422, { error: 'captcha_failed', details: ['timeout-or-duplicate'] }]);

    // Late from the visitor's outbox (pressed 10 minutes ago, past the token's 300 s):
    // refused as expired by the provider, stored with outcome expired — a bad token is
    // refused even late.
    const late = message({ captcha: good.captcha, submitted_at: new Date(Date.now() - 600_000).toISOString() });
    answer = await send(late);
    assert.deepEqual([answer.status, answer.body], [200, { ok: true, id: late.id }]);
    assert.deepEqual(storedCaptcha(late.id), { rows: 1, outcome: { outcome: 'expired', 'error-codes': ['timeout-or-duplicate'] } });
    const lateBad = message({ captcha: 'bad-late', submitted_at: late.submitted_at });
    answer = await send(lateBad);
    assert.deepEqual([answer.status, answer.body], [422, { error: 'captcha_failed', details: ['invalid-input-response'] }]);

    // The provider failing, answering a page, or too slow (5 s): 503 with Retry-After 5,
    // nothing stored; so too when nothing listens at the URL.
    for (const mode of ['down', 'html', 'slow']) {
      fake.mode = mode;
      const m = message();
      const started = Date.now();
      answer = await send(m);
      assert.deepEqual([answer.status, answer.body, answer.retryAfter], [503, { error: 'unavailable' }, '5'], mode);
      if (mode === 'slow') assert.ok(Date.now() - started < 6_900, `answered after ${Date.now() - started} ms: the call timed out at 5 s`);
      assert.equal(storedCaptcha(m.id).rows, 0, mode);
    }
    fake.mode = 'up';
    captchaSettings(secret, `http://127.0.0.1:${await freePort()}/siteverify`);
    const unreachable = message();
    answer = await send(unreachable);
    assert.deepEqual([answer.status, answer.retryAfter], [503, '5']);
    captchaSettings(secret, fake.url);
    // …and, the provider back, the same message stored.
    answer = await send(unreachable);
    assert.equal(answer.status, 200);
    assert.deepEqual(storedCaptcha(unreachable.id), { rows: 1, outcome: { outcome: 'passed', hostname: '127.0.0.1' } });

    // A withdrawal is not captcha-checked: recorded, the provider not asked.
    const asked = fake.seen.length;
    const text = 'Rút lại đồng ý nhận tin tiếp thị?';
    const withdrawal = { id: `msg_${randomBytes(16).toString('hex')}`, withdraws: late.id, purpose: 'marketing', withdrawn_at: new Date().toISOString(), locale: 'vi', text, text_sha256: createHash('sha256').update(text).digest('hex') };
    const withdrawn = await page.request.post(endpoint.replace(/submissions$/, 'withdrawals'), signed(withdrawal));
    assert.equal(withdrawn.status(), 200, await withdrawn.text());
    assert.equal(fake.seen.length, asked);

    // CONSENT_FORM_CAPTCHA_SECRET in wp-config.php (here a mu-plugin) wins over the setting.
    const constant = `0x4AAAAAAAconst${randomBytes(8).toString('hex')}`;
    writeFileSync(mu, `<?php\ndefine('CONSENT_FORM_CAPTCHA_SECRET', ${JSON.stringify(constant)});\n`);
    answer = await send(message());
    assert.deepEqual([answer.status, answer.body.details], [422, ['invalid-input-secret']], 'the constant was sent');
    assert.equal(fake.seen.at(-1).form.secret, constant);
    fake.secret = constant;
    const byConstant = message();
    assert.equal((await send(byConstant)).status, 200);

    // The settings page says where the secret is set and never shows it; saved with the
    // field empty, the secret stays.
    const { context: admin, page: owner } = await logIn('admin', 'correct horse battery');
    await owner.goto(`${base}wp-admin/admin.php?page=consent-form-settings`);
    assert.equal(await owner.locator('#consent-form-captcha-state').getAttribute('data-from'), 'constant');
    rmSync(mu);
    await owner.goto(`${base}wp-admin/admin.php?page=consent-form-settings`);
    assert.equal(await owner.locator('#consent-form-captcha-state').getAttribute('data-from'), 'settings');
    assert.equal(await owner.locator('#consent-form-captcha-secret').inputValue(), '');
    assert.equal(await owner.locator('#consent-form-captcha-verify-url').inputValue(), fake.url);
    assert.ok(!(await owner.content()).includes(secret), 'the secret is not in the page');
    await Promise.all([owner.waitForURL(/settings-updated=true/), owner.locator('#submit').click()]).catch(async (e) => {
      const invalid = await owner.locator('input:invalid, select:invalid').evaluateAll((fields) => fields.map((f) => `${f.id}: ${f.validationMessage}`)).catch(() => []);
      throw new Error(`${e.message}\nat ${owner.url()}, invalid fields ${JSON.stringify(invalid)}: ${(await owner.locator('body').innerText()).slice(0, 2000)}`);
    });
    assert.ok(!(await owner.content()).includes(secret), 'the secret is not in the page');
    assert.equal(wpEval("echo consent_form_settings()['captcha_secret'];"), secret, 'kept');
    // The late one's receipt: expired, to review.
    await owner.goto(`${base}wp-admin/admin.php?page=consent-form&receipt=${late.id}`);
    assert.equal(await owner.locator('#consent-form-captcha').getAttribute('data-outcome'), 'expired');
    assert.match(await owner.locator('#consent-form-captcha td').innerText(), /^token expired on arrival .*review it \(timeout-or-duplicate\)$/);
    await admin.close();

    // The links of the submissions stored with an outcome cover it (the documented recipe).
    const links = chainAsStored();
    const ours = [sent.captchaId, good.id, late.id, unreachable.id, byConstant.id].filter(Boolean);
    for (const i of links.keys()) {
      if (links[i].kind !== 'submission' || !ours.includes(links[i].key)) continue;
      assert.ok(links[i].text.endsWith(`\n${JSON.stringify(storedCaptcha(links[i].key).outcome)}`), links[i].text);
      assert.equal(createHash('sha256').update(`${links[i - 1]?.hash ?? '0'.repeat(64)}\n${links[i].text}`).digest('hex'), links[i].hash, links[i].key);
    }
    // The failed calls are logged with their reason; neither the secret nor a token is.
    const logged = pluginLogLines(logFrom);
    assert.ok(logged.some((l) => l.includes('siteverify answered HTTP 500')), logged.join('\n'));
    for (const hidden of [secret, constant, 'bad-token', ...tokens]) assert.ok(!logged.some((l) => l.includes(hidden)), hidden);
  } finally {
    rmSync(mu, { force: true });
    await visitor.close();
    captchaSettings('', '');
    await fake.close();
  }
});
