// Next.js (App Router) as a host builds and serves it: the app in tests/frameworks/next/
// (its own package, installed by scripts/setup with `npm ci --prefix`), with pkg/ packed
// by `npm pack` and installed into its node_modules as the package `consent-form`, is
// built by `next build` (Turbopack, Next 16's default) and served by `next start`, built
// again by `next build --webpack`, and run on `next dev` (Turbopack, React's
// development build in StrictMode). Each time, in Debian's Chromium, against the delivery
// tests' receiver on another origin (which verifies each signature with npm's
// standardwebhooks):
//
// - `/`, a Server Component page rendered at each request: its response streams (the
//   <consent-form> of the Client Component in the first chunks, a second element, written
//   by the Server Component inside <Suspense>, more than a second later); hydration keeps
//   the server's element, with no warning; the form renders in its shadow root, and so
//   does the late one; `locale` changed from the component's state; a visitor's
//   submission stored, `consent-form:success` heard through the ref's listener;
// - `<Link>` away and back: the element removed and its form destroyed, then a new
//   element with a new, empty form, without a page load;
// - `/mounted`: mount() in an effect with a signal aborted by its cleanup (StrictMode's
//   double effect in development): one form, mounted again for a new locale, a submission
//   stored, the form destroyed by navigating away;
// - `/pages-ssr`, a Pages Router page beside the App Router, rendered at each request
//   (getServerSideProps): the element in the HTML Next rendered, kept by hydration;
//   mount() in an effect; a submission from each stored (the static export: the same
//   page rendered at build time, `/pages-router`);
// - the wasm fetched from Next's build (`/_next/static/media/consent_form_bg.<hash>.wasm`,
//   the very bytes of pkg/), once a document; nothing answered 404.
// The Turbopack build is served once more under a nonce Content-Security-Policy
// (proxy.ts): no violation on `/`, `/mounted` and `/pages-ssr`, the form's adopted
// stylesheet applied. Two more Turbopack builds, each into a folder of its own
// (next.config.mjs, CONSENT_FORM_NEXT): a static export (`output: 'export'`) served by a
// plain static server, and the app under basePath /shop with assetPrefix /shop-assets
// (the wasm fetched under the prefix); in each, both routers' pages render and send.
// Run: node --test tests/e2e/nextjs.test.mjs (after `npm run build` and scripts/setup).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, requireBuild, root } from './server.mjs';
import { startServers } from '../delivery/lib/server.mjs';
import { assertStored, fillAndSend, turnsEnglish } from './visitor.mjs';
import { awayAndBack, installPackage, openPage, run, sends as sendsTo, serveProcess, shadow, staticServer, title, until, wasmFetched as wasmAt } from './ssr-host.mjs';

const appDir = join(root, 'tests/frameworks/next');
const nextBin = join(appDir, 'node_modules/next/dist/bin/next');
const scratch = mkdtempSync(join(tmpdir(), 'consent-form-next-'));
/** How long the Server Component holds its <Suspense> boundary's content back. */
const DELAY_MS = 1500;

let servers;
let browser;
let env;

before(async () => {
  requireBuild();
  // A build from nothing, as on a clean clone (.next is gitignored): what CI meets.
  rmSync(join(appDir, '.next'), { recursive: true, force: true });
  if (!existsSync(nextBin)) {
    throw new Error('Next.js is not installed: run scripts/setup (npm ci --prefix tests/frameworks/next)');
  }
  // The package as a host gets it: packed, and installed by npm from the tarball.
  installPackage(appDir, scratch);
  servers = await startServers();
  browser = await launchChromium();
  env = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: '1',
    CONSENT_FORM_ENDPOINT: servers.endpoint,
    CONSENT_FORM_KEYS_URL: `${servers.pageOrigin}/api/keys`,
    CONSENT_FORM_DELAY_MS: String(DELAY_MS),
  };
});

after(async () => {
  await browser?.close();
  await servers?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** `next <args>` in the app's folder (with `more` in its environment), to its end; its output, or an error with it. */
function next(args, more = {}) {
  const started = performance.now();
  const out = run(process.execPath, [nextBin, ...args], { cwd: appDir, env: { ...env, ...more } });
  return { out, seconds: (performance.now() - started) / 1000 };
}

/**
 * Starts `next <args> -p <port>` (with `more` in its environment, and the app under
 * `base`, its basePath) and waits until it answers; { origin, output(), stop() }.
 */
function serve(args, { more = {}, base = '' } = {}) {
  return serveProcess({
    name: `next ${args.join(' ')}`, cwd: appDir,
    // The policy page: static, so `next dev` compiles little before answering.
    ready: `${base}/chinh-sach-bao-mat`,
    args: (port) => [nextBin, ...args, '-p', String(port), '-H', '127.0.0.1'],
    env: () => ({ ...env, ...more }),
  });
}

/** The page's raw response, chunk by chunk as it arrived: { headers, chunks: [{ ms, text }] }. */
function streamed(url) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    request(url, (res) => {
      const chunks = [];
      res.setEncoding('utf8');
      res.on('data', (text) => chunks.push({ ms: performance.now() - started, text }));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, chunks }));
      res.on('error', reject);
    }).on('error', reject).end();
  });
}

/** A fresh visitor on `origin`+`path`: { context, page, problems, responses } (ssr-host.mjs). */
const open = (origin, path) => openPage(browser, origin, path);

/** The page's own requests for the wasm (under the build's assetPrefix `prefix`), each checked to be pkg/'s bytes. */
function wasmFetched(responses, prefix = '') {
  return wasmAt(responses, new RegExp(`^${prefix}/_next/static/media/consent_form_bg\\.[\\w-]+\\.wasm$`), 'the wasm from Next’s build');
}

/**
 * The server-rendered HTML of the Pages Router page `path` (under `base`) has the element
 * with its attributes; /pages-ssr is rendered at each request (getServerSideProps).
 */
async function pagesRouterHtml(origin, base = '', path = '/pages-ssr') {
  const res = await fetch(`${origin}${base}${path}`);
  assert.equal(res.status, 200);
  if (path === '/pages-ssr') assert.match(res.headers.get('cache-control'), /no-store/, 'rendered at each request');
  assert.match(await res.text(), new RegExp(`<consent-form id="contact" kind="contact" endpoint="${servers.endpoint}" policy-url="/chinh-sach-bao-mat" controller="Công ty TNHH Ví Dụ" key-url="${base}/api/keys"></consent-form>`));
}

/** A visitor sends form `selector` of `page` as `name`: the page's listener shows its id, and the receiver stored it once, its signature valid. */
function sends(page, selector, name) {
  return sendsTo(servers.state, page, selector, name);
}

/**
 * A Pages Router page (components/pages-contact.tsx) open in `page`: the parser's element
 * kept by hydration and upgraded, the form mount() put in the effect's <div>, and a
 * visitor's submission from each stored.
 */
async function usePagesRouter(page, name) {
  assert.equal(await title(page, '#contact'), 'Đăng ký nhận tư vấn');
  assert.ok(await page.evaluate(() => document.getElementById('contact') === window.firstElement), 'the server’s element, hydrated (not replaced)');
  assert.deepEqual(await shadow(page, '#contact'), { forms: 1, title: 'Đăng ký nhận tư vấn' });
  assert.equal(await title(page, '#mounted'), 'Đăng ký nhận tư vấn');
  assert.equal(await page.textContent('#mounted button[type=submit]'), 'Gọi lại cho tôi');
  assert.equal((await shadow(page, '#mounted')).forms, 1, 'one form (StrictMode’s double effect in development)');
  await fillAndSend(page, '#contact', name);
  const [id] = (await until(page, () => document.getElementById('sent').textContent)).split(' ');
  assertStored(servers.state, id, name, undefined);
  await fillAndSend(page, '#mounted', `${name} (mount)`);
  const ids = (await until(page, () => document.getElementById('sent').textContent.split(' ').length === 2 && document.getElementById('sent').textContent)).split(' ');
  assert.equal(ids[0], id);
  assertStored(servers.state, ids[1], `${name} (mount)`, undefined);
  await page.waitForTimeout(200);
  assert.equal(await page.textContent('#sent'), ids.join(' '), 'each listener called once');
}

const MODES = [
  { name: 'next build (Turbopack) + next start', build: ['build'], serve: ['start'], csp: true },
  { name: 'next build --webpack + next start', build: ['build', '--webpack'], serve: ['start'] },
  { name: 'next dev (Turbopack, StrictMode)', build: null, serve: ['dev'] },
];

/** `next <args>` (a build, with `more` in its environment), which must warn of nothing. */
function quietBuild(args, more = {}) {
  const { out, seconds } = next(args, more);
  // Next's advice to keep .next/cache between CI runs (printed where CI is set, on a
  // build from nothing) is about the build machine, not the package: every other
  // warning fails the test.
  const warned = out.split('\n').filter((line) => /warn|⚠/i.test(line) && !/No build cache found/.test(line));
  assert.deepEqual(warned, [], `no warning from next build:\n${out}`);
  const variant = Object.entries(more).map(([k, v]) => `${k}=${v} `).join('');
  process.stdout.write(`# ${variant}next ${args.join(' ')}: ${seconds.toFixed(0)} s\n`);
  return out;
}

for (const mode of MODES) {
  test(mode.name, async (t) => {
    if (mode.build) quietBuild(mode.build);
    const started = performance.now();
    const server = await serve(mode.serve);
    servers.state.pageOrigin = server.origin; // the receiver answers CORS for Next's pages
    try {
      await t.test('the Server Component page streams: the element first, the <Suspense> content over a second later', async () => {
        const { status, headers, chunks } = await streamed(`${server.origin}/`);
        assert.equal(status, 200);
        assert.equal(headers['transfer-encoding'], 'chunked');
        const at = (needle) => chunks.findIndex((c) => c.text.includes(needle));
        const html = chunks.map((c) => c.text).join('');
        assert.match(html, new RegExp(`<consent-form id="contact" kind="contact" endpoint="${servers.endpoint}" locale="vi" policy-url="/chinh-sach-bao-mat" controller="Công ty TNHH Ví Dụ" key-url="/api/keys"></consent-form>`));
        assert.match(html, /<consent-form id="callback" kind="callback" endpoint="[^"]+" policy-url="\/chinh-sach-bao-mat" controller="Công ty TNHH Ví Dụ" key-url="\/api\/keys"><\/consent-form>/);
        const [contact, loading, callback] = [at('<consent-form id="contact"'), at('id="loading"'), at('<consent-form id="callback"')];
        assert.ok(contact >= 0 && loading >= 0 && callback > contact, `chunks: ${chunks.map((c) => c.text.length).join(', ')}`);
        // The late part waits DELAY_MS from the render's start; the shell may flush late on
        // a busy machine (its gap measured 842 ms once at load 8), so the gap is asked to be
        // clear, not the whole delay: a page sent in one piece has its parts at once.
        const gap = chunks[callback].ms - chunks[contact].ms;
        assert.ok(chunks[callback].ms >= DELAY_MS, `the late element came ${chunks[callback].ms.toFixed(0)} ms after the request`);
        assert.ok(gap > DELAY_MS / 4, `the late element came ${gap.toFixed(0)} ms after the first (streamed)`);
      });

      const { context, page, problems, responses } = await open(server.origin, '/');
      try {
        await t.test('hydrated without a warning: the server’s element kept, the form in its shadow root, the late element too', async () => {
          assert.equal(await title(page, '#contact'), 'Đăng ký nhận tư vấn');
          assert.ok(await page.evaluate(() => document.getElementById('contact') === window.firstElement), 'the server’s element, hydrated (not replaced)');
          assert.deepEqual(await shadow(page, '#contact'), { forms: 1, title: 'Đăng ký nhận tư vấn' });
          await title(page, '#callback');
          assert.equal((await shadow(page, '#callback')).forms, 1);
          assert.equal(await page.locator('#loading').count(), 0, 'the fallback replaced');
        });

        await t.test('locale from client state, a submission, consent-form:success heard through the ref', async () => {
          await page.click('#locale');
          await turnsEnglish(page, '#contact');
          assert.equal((await shadow(page, '#contact')).forms, 1);
          await sends(page, '#contact', 'Nguyễn Văn Next');
          await page.waitForTimeout(200);
          assert.match(await page.textContent('#sent'), /^msg_\S+$/, 'the listener called once');
        });

        await t.test('<Link> away destroys the form; <Link> back renders a new element and a new, empty form, with no page load', async () => {
          await awayAndBack(page, { sel: '#contact', back: '#to-home' });
          await title(page, '#callback');
        });

        await t.test('mount() with a signal: one form, mounted again for a new locale, a submission, destroyed by navigating away', async () => {
          await page.click('#to-mounted');
          assert.equal(await title(page, '#mounted'), 'Đăng ký nhận tư vấn');
          assert.equal(await page.textContent('#mounted button[type=submit]'), 'Gọi lại cho tôi');
          assert.deepEqual(await shadow(page, '#mounted'), { forms: 1, title: 'Đăng ký nhận tư vấn' });
          await page.click('#locale');
          await until(page, () => document.getElementById('mounted').shadowRoot.querySelector('button[type=submit]')?.textContent === 'Call me back');
          assert.deepEqual(await shadow(page, '#mounted'), { forms: 1, title: 'Request a consultation' });
          await sends(page, '#mounted', 'Trần Thị Mount');
          await page.waitForTimeout(200);
          assert.match(await page.textContent('#sent'), /^msg_\S+$/, 'the listener called once');
          const div = await page.$('#mounted');
          await page.click('#to-policy');
          await until(page, (el) => !el.isConnected && el.shadowRoot.childNodes.length === 0, div);
          assert.equal(await page.evaluate(() => window.samePage), true, 'client-side navigation');
        });

        await t.test('Pages Router (getServerSideProps): the element in the server-rendered page kept by hydration, mount() in an effect, a submission from each stored', async () => {
          await pagesRouterHtml(server.origin);
          // A full page load: the Pages Router's own document (the module loads again).
          await page.goto(`${server.origin}/pages-ssr`);
          await usePagesRouter(page, 'Lê Thị Pages');
        });

        await t.test('the wasm from Next’s build, fetched once a page; nothing 404; no warning, no error', async () => {
          const wasm = await wasmFetched(responses);
          assert.equal(wasm.length, 2, `fetched once by each document (the App Router's, the Pages Router's): ${wasm.join(' ')}`);
          assert.deepEqual(responses.filter((r) => r.status >= 400), []);
          assert.deepEqual(problems, [], 'no hydration warning, no error');
          process.stdout.write(`# ${mode.name}: wasm at ${wasm[0]}; served and tested in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
        });
      } finally {
        await context.close();
      }
    } finally {
      await server.stop();
      assert.doesNotMatch(server.output(), /\berror\b|⨯/i, `next ${mode.serve[0]}'s output:\n${server.output()}`);
    }
    if (mode.csp) await t.test('the same build under a nonce Content-Security-Policy (proxy.ts): the forms render and send, nothing refused', () => underCsp(mode));
  });
}

/**
 * `next start` of the build just made, with proxy.ts setting Next's documented policy
 * (a nonce per request, 'strict-dynamic', 'wasm-unsafe-eval', style-src without
 * 'unsafe-inline'): the App Router pages render both forms, a submission is stored, and
 * the browser reports no violation.
 */
async function underCsp(mode) {
  const receiver = new URL(servers.endpoint).origin;
  const server = await serve(mode.serve, { more: { CONSENT_FORM_CSP: receiver } });
  servers.state.pageOrigin = server.origin;
  try {
    const res = await fetch(`${server.origin}/`);
    const policy = res.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    assert.ok(nonce, `a nonce in the policy: ${policy}`);
    assert.match(policy, /script-src 'self' 'nonce-[^']+' 'strict-dynamic' 'wasm-unsafe-eval';/);
    assert.match(policy, /style-src 'self' 'nonce-[^']+';/);
    assert.doesNotMatch(policy, /unsafe-inline/);
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.ok(scripts.length > 0 && scripts.every((tag) => tag.includes(`nonce="${nonce}"`)), `Next put the nonce on its scripts:\n${scripts.join('\n')}`);

    const { context, page, problems, responses } = await open(server.origin, '/');
    try {
      assert.equal(await title(page, '#contact'), 'Đăng ký nhận tư vấn');
      await title(page, '#callback');
      // The form's styles, a constructed stylesheet adopted by its shadow root (no <style>,
      // no style attribute), apply under style-src without 'unsafe-inline'.
      assert.deepEqual(await page.evaluate(() => {
        const root = document.getElementById('contact').shadowRoot;
        return {
          adopted: root.adoptedStyleSheets.length,
          inline: root.querySelectorAll('style, [style]').length,
          minHeight: getComputedStyle(root.querySelector('input[name=name]')).minHeight,
        };
      }), { adopted: 1, inline: 0, minHeight: '44px' });
      await sends(page, '#contact', 'Phan Văn Nonce');
      assert.deepEqual(await page.evaluate(() => window.violations), [], 'no violation');
      await page.goto(`${server.origin}/mounted`);
      assert.equal(await title(page, '#mounted'), 'Đăng ký nhận tư vấn');
      assert.deepEqual(await page.evaluate(() => window.violations), [], 'no violation');
      // The Pages Router page rendered at each request: Next puts the nonce on its scripts too.
      await page.goto(`${server.origin}/pages-ssr`);
      assert.equal(await title(page, '#contact'), 'Đăng ký nhận tư vấn');
      assert.equal(await title(page, '#mounted'), 'Đăng ký nhận tư vấn');
      assert.deepEqual(await page.evaluate(() => window.violations), [], 'no violation');
      assert.equal((await wasmFetched(responses)).length, 3, 'once a document');
      assert.deepEqual(responses.filter((r) => r.status >= 400), []);
      assert.deepEqual(problems, [], 'nothing refused on the console');
    } finally {
      await context.close();
    }
  } finally {
    await server.stop();
    assert.doesNotMatch(server.output(), /\berror\b|⨯/i, `next start's output:\n${server.output()}`);
  }
}

test('output: \'export\' (next build, Turbopack) served by a plain static server: the pages render, a submission from each router stored, nothing 404', async () => {
  const dir = join(appDir, 'out-export');
  rmSync(dir, { recursive: true, force: true });
  quietBuild(['build'], { CONSENT_FORM_NEXT: 'export' });
  assert.ok(existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'pages-router.html')), 'the pages exported');
  assert.ok(!existsSync(join(dir, 'pages-ssr.html')), 'not the page rendered at each request');
  const served = [];
  const server = await staticServer(dir, served, env.CONSENT_FORM_KEYS_URL);
  servers.state.pageOrigin = server.origin;
  try {
    const { context, page, problems, responses } = await open(server.origin, '/');
    try {
      assert.equal(await title(page, '#contact'), 'Đăng ký nhận tư vấn');
      assert.ok(await page.evaluate(() => document.getElementById('contact') === window.firstElement), 'the exported element, hydrated (not replaced)');
      await title(page, '#callback');
      await sends(page, '#contact', 'Ngô Văn Export');
      await page.click('#to-mounted');
      assert.equal(await title(page, '#mounted'), 'Đăng ký nhận tư vấn');
      await pagesRouterHtml(server.origin, '', '/pages-router');
      await page.goto(`${server.origin}/pages-router`);
      await usePagesRouter(page, 'Ngô Thị Export');
      assert.equal((await wasmFetched(responses)).length, 2, 'once a document');
      assert.deepEqual(responses.filter((r) => r.status >= 400), []);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  } finally {
    await server.close();
  }
});

test('basePath /shop and assetPrefix /shop-assets (next build, Turbopack; next start): the wasm fetched under the prefix, the pages render and send, nothing 404', async () => {
  const more = { CONSENT_FORM_NEXT: 'prefix' };
  rmSync(join(appDir, '.next-prefix'), { recursive: true, force: true });
  quietBuild(['build'], more);
  const server = await serve(['start'], { more, base: '/shop' });
  servers.state.pageOrigin = server.origin;
  try {
    const html = await (await fetch(`${server.origin}/shop`)).text();
    const srcs = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(srcs.length > 0 && srcs.every((src) => src.startsWith('/shop-assets/_next/')), `scripts under the prefix: ${srcs.join(' ')}`);
    assert.match(html, /<consent-form id="contact" [^>]*key-url="\/shop\/api\/keys">/);
    await pagesRouterHtml(server.origin, '/shop');
    const { context, page, problems, responses } = await open(server.origin, '/shop');
    try {
      assert.equal(await title(page, '#contact'), 'Đăng ký nhận tư vấn');
      await title(page, '#callback');
      await sends(page, '#contact', 'Đinh Văn Prefix');
      await page.click('#to-mounted');
      assert.equal(await title(page, '#mounted'), 'Đăng ký nhận tư vấn');
      assert.equal(new URL(page.url()).pathname, '/shop/mounted');
      await page.goto(`${server.origin}/shop/pages-ssr`);
      await usePagesRouter(page, 'Đinh Thị Prefix');
      const wasm = await wasmFetched(responses, '/shop-assets');
      assert.equal(wasm.length, 2, `once a document: ${wasm.join(' ')}`);
      assert.deepEqual(responses.filter((r) => r.status >= 400), []);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  } finally {
    await server.stop();
    assert.doesNotMatch(server.output(), /\berror\b|⨯/i, `next start's output:\n${server.output()}`);
  }
});
