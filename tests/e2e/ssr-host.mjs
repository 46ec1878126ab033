// What the tests of server-rendering frameworks as hosts share (tests/e2e/nextjs.test.mjs,
// tests/e2e/nuxt.test.mjs): pkg/ packed and installed into the app's own package, the
// framework's server started as a process of its own, a plain static server for a
// static build, and a visitor in Chromium whose console, errors and responses are kept.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { freePort, root } from './server.mjs';
import { assertStored, fillAndSend } from './visitor.mjs';

/** pkg/'s wasm: what each app must serve, byte for byte. */
export const pkgWasm = () => readFileSync(join(root, 'pkg/consent_form_bg.wasm'));

/** `command args` to its end; its output (stdout), or an error with all it printed. */
export function run(command, args, options = {}) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...options });
  } catch (e) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${e.stdout}\n${e.stderr}`);
  }
}

/**
 * The package as a host gets it: pkg/ packed by `npm pack` into `scratch`, and installed
 * by npm from the tarball into `appDir`'s node_modules as `consent-form` (not saved: the
 * app's package.json and lock stay as committed).
 */
export function installPackage(appDir, scratch) {
  const [packed] = JSON.parse(run('npm', ['pack', join(root, 'pkg'), '--pack-destination', scratch, '--json']));
  run('npm', ['install', '--no-save', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(scratch, packed.filename)], { cwd: appDir });
}

/**
 * Starts `node <args>` in `cwd` (with `env`), on a free loopback port given to `args(port)`
 * and in `env(port)`, and waits until `origin + ready` answers 2xx; { origin, output(), stop() }.
 * `node`: the binary (this process's unless given: nodeBinary() of server.mjs).
 */
export async function serveProcess({ name, node = process.execPath, cwd, args, env, ready }) {
  const port = await freePort();
  // Its own process group: a dev server runs the server in a child of its own.
  const child = spawn(node, args(port), {
    cwd, env: env(port), stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  const kill = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // gone already
    }
  };
  process.once('exit', kill);
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${log}`);
    try {
      if ((await fetch(`${origin}${ready}`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      kill();
      throw new Error(`${name} did not answer on ${origin}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    origin,
    output: () => log,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      kill();
    }),
  };
}

/** A fresh visitor of `browser` on `origin`+`path`; console warnings and errors, page errors, and every response kept. */
export async function openPage(browser, origin, path) {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The first <consent-form id="contact"> the page has: the HTML parser's.
  await page.addInitScript(() => new MutationObserver((_, observer) => {
    window.firstElement ??= document.getElementById('contact') ?? undefined;
    if (window.firstElement) observer.disconnect();
  }).observe(document, { childList: true, subtree: true }));
  // What a Content-Security-Policy refused (the event is composed: out of shadow roots too).
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.effectiveDirective} ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`), true);
  });
  const problems = [];
  const responses = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => responses.push({ url: r.url(), status: r.status() }));
  await page.goto(origin + path);
  return { context, page, problems, responses };
}

/** The form's heading in `sel`'s shadow root, once there is one. */
export async function title(page, sel) {
  const heading = page.locator(`${sel} #cf-title`);
  await heading.waitFor({ timeout: 60_000 });
  return heading.textContent();
}

/** How many forms `sel`'s shadow root holds, and its heading's text. */
export function shadow(page, sel) {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel)?.shadowRoot;
    return { forms: root?.querySelectorAll('form').length ?? null, title: root?.getElementById('cf-title')?.textContent ?? null };
  }, sel);
}

/** `check(arg)` in the page, until it is truthy; its value. */
export function until(page, check, arg) {
  return page.waitForFunction(check, arg, { timeout: 60_000, polling: 50 }).then((h) => h.jsonValue());
}

/**
 * A visitor sends form `selector` of `page` as `name`: the page's listener shows its id
 * in #sent, and the receiver (its `state`) stored it once, its signature valid.
 */
export async function sends(state, page, selector, name) {
  await fillAndSend(page, selector, name);
  const id = await until(page, () => document.getElementById('sent').textContent);
  assertStored(state, id, name, undefined);
}

/**
 * The page's own requests for the wasm, each answered 200 at a path `path` matches and
 * checked to be pkg/'s bytes; their paths.
 */
export async function wasmFetched(responses, path, what) {
  const bytes = pkgWasm();
  const wasm = responses.filter((r) => r.url.endsWith('.wasm'));
  for (const { url, status } of wasm) {
    assert.equal(status, 200, url);
    assert.match(new URL(url).pathname, path, what);
    assert.ok(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(bytes), `${url}: the very bytes of pkg/`);
  }
  return wasm.map((r) => new URL(r.url).pathname);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml', '.json': 'application/json',
};

/**
 * A plain static server (node:http) of `dir`, as a static host serves a framework's
 * static build: a path is the file, else the file with `.html`, else the folder's
 * index.html, else 404.html with 404; each path asked is pushed to `served`. The host's
 * key service is proxied onto its origin (a static host cannot issue keys): POST
 * /api/keys is passed to `keysUrl`, the test's key issuer.
 */
export async function staticServer(dir, served, keysUrl) {
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    served.push(pathname);
    if (req.method === 'POST' && pathname === '/api/keys') {
      const answer = await fetch(keysUrl, { method: 'POST' });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      return res.end(await answer.text());
    }
    const base = normalize(join(dir, decodeURIComponent(pathname)));
    const file = [base, `${base}.html`, join(base, 'index.html')].find((f) => f.startsWith(dir) && existsSync(f) && statSync(f).isFile());
    // (Next's router asks for a link's page with HEAD before it fetches its data.)
    const head = req.method === 'HEAD';
    if ((req.method !== 'GET' && !head) || !file) {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      return res.end(head ? undefined : readFileSync(join(dir, '404.html')));
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(head ? undefined : readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

/**
 * A client-side link away (`away`, until `arrived` is on the page) destroys the form of
 * `sel`; the link back (`back`) renders a new `sel` with a new, empty form, in the
 * state's first locale (`heading`), and neither was a page load.
 */
export async function awayAndBack(page, { sel, away = '#to-policy', arrived = '#policy', back, heading = 'Đăng ký nhận tư vấn' }) {
  await page.evaluate(() => (window.samePage = true));
  const element = await page.$(sel);
  await page.click(away);
  await page.locator(arrived).waitFor();
  await until(page, (el) => !el.isConnected && el.shadowRoot.childNodes.length === 0, element);
  await page.click(back);
  assert.equal(await title(page, sel), heading, 'a new form, in the state’s first locale');
  assert.ok(await element.evaluate((el, sel) => el !== document.querySelector(sel), sel), `a new ${sel}`);
  assert.equal(await page.inputValue(`${sel} input[name=name]`), '');
  assert.deepEqual(await shadow(page, sel), { forms: 1, title: heading });
  assert.equal(await page.evaluate(() => window.samePage), true, 'client-side navigation');
}
