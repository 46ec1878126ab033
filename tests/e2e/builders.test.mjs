// The snippet pasted where Vietnamese site owners paste things, in Debian's Chromium: a
// page builder's HTML box (LadiPage, Haravan, Sapo: the HTML set by innerHTML after the
// page loaded, then each <script> re-created so that it runs), the same box rendered
// twice (a builder's preview), jQuery's .html() and .append() (jQuery 3.7.1 runs the
// scripts itself), a Google Tag Manager Custom HTML tag (appended to <body> after
// DOMContentLoaded, its scripts re-created one after the other) and an old tag's
// document.write, a sandboxed iframe with and without allow-same-origin, and snippets
// pasted broken (a typo in the JSON, no endpoint, the script twice from two versions).
//
// Pages and the three files are served by the delivery tests' page server
// (tests/delivery/lib/server.mjs); each visitor's submission goes to its receiver on
// another origin, which verifies the signature and stores it once.
// Run: node --test tests/e2e/builders.test.mjs (after `npm run build`); with
// BROWSER=firefox in Debian's Firefox ESR (see demo.test.mjs), whose own messages, where
// they differ from Chromium's, are expected word for word.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { browserName, launchBrowser, requireBuild, root } from './server.mjs';
import { startServers } from '../delivery/lib/server.mjs';
import { assertStored, fillAndSend } from './visitor.mjs';

let servers;
let browser;
const firefox = browserName === 'firefox';
/** Every path the page server was asked for, in order. */
const served = [];

const JQUERY = readFileSync(join(root, 'node_modules/jquery/dist/jquery.min.js'));
const PKG = join(process.env.CF_PKG_DIR ?? join(root, 'pkg'));
/** The built package's version (pkg/package.json). */
const version = () => JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8')).version;
const JS = 'text/javascript; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

/** The snippet a site owner pastes: the module script and the element, with a fallback inside. */
function snippet(id, { src = '/pkg/consent-form.js', key = '/api/keys', attrs = '', json = null, classic = false } = {}) {
  return `${classic ? `<script>import('${src}')</script>` : `<script type="module" src="${src}"></script>`}
<consent-form id="${id}" kind="contact" endpoint="${servers.endpoint}" policy-url="/privacy.html"
  controller="Công ty TNHH Ví Dụ" key-url="${key}"${attrs}>
  ${json === null ? '' : `<script type="application/json">${json}</script>`}
  <p>Hoặc gọi <a href="tel:+842838221234">028 3822 1234</a>.</p>
</consent-form>`;
}

// Heard by every page: the form's events, and the module's runs (each instance of
// consent-form.js fetched is a request; each define() a call).
const LISTEN = `
window.heard = [];
for (const type of ['consent-form:submit', 'consent-form:success', 'consent-form:error']) {
  document.addEventListener(type, (e) => heard.push({ type, id: e.detail.id, form: e.target.id, reason: e.detail.reason }));
}
window.defined = 0;
const define = customElements.define;
customElements.define = function (...args) { window.defined++; return define.apply(this, args); };
`;

// How page builders (LadiPage's HTML box, Haravan's and Sapo's custom HTML) and tag
// managers make pasted HTML run: innerHTML does not run scripts, so each one is
// re-created, attributes and text copied. `inOrder`: one after the other, each external
// one once it has loaded (Google Tag Manager's Custom HTML), else all at once.
const PASTE = `
window.paste = async function (box, html, inOrder) {
  box.innerHTML = html;
  for (const old of [...box.querySelectorAll('script')]) {
    const script = document.createElement('script');
    for (const a of old.attributes) script.setAttribute(a.name, a.value);
    script.text = old.text;
    const loaded = script.src && inOrder ? new Promise((r) => { script.onload = script.onerror = r; }) : null;
    old.replaceWith(script);
    await loaded;
  }
};
`;

/** `text` as a JavaScript string inside an inline <script> (no `</script>` in it). */
const inline = (text) => JSON.stringify(text).replaceAll('</', '<\\/');

/** The test pages, by path: (url) => HTML. */
const PAGES = {
  // A builder's HTML box, filled after the page loaded.
  '/b/box.html': () => `<!doctype html><meta charset="utf-8"><title>LadiPage</title>
<script src="/b/listen.js"></script><script src="/b/paste.js"></script>
<div id="box"></div><div id="box2"></div>
<script>addEventListener('load', () => setTimeout(async () => {
  await paste(document.getElementById('box'), ${inline(snippet('f1'))});
  if (location.search === '?twice') await paste(document.getElementById('box2'), ${inline(snippet('f2'))});
}, 50));</script>`,
  // jQuery 3.7.1: .html() into one box, .append() into another.
  '/b/jquery.html': () => `<!doctype html><meta charset="utf-8"><title>jQuery</title>
<script src="/b/listen.js"></script><script src="/vendor/jquery.min.js"></script>
<div id="box"><p>cũ</p></div><div id="box2"></div>
<script>$(function () {
  $('#box').html(${inline(snippet('f1'))});
  $('#box2').append(${inline(snippet('f2'))});
});</script>`,
  // The snippet for any jQuery (a classic inline script that imports the module), by
  // jQuery 3.7.1, and as jQuery 1.x and 2.x run pasted scripts (emulated: they run
  // only classic ones, inline ones by an indirect eval; a type="module" one never).
  '/b/jquery-classic.html': () => `<!doctype html><meta charset="utf-8"><title>jQuery</title>
<script src="/b/listen.js"></script><script src="/vendor/jquery.min.js"></script>
<div id="box"></div><div id="box2"></div>
<script>$(function () {
  $('#box').html(${inline(snippet('f1', { classic: true }))});
  const old = document.getElementById('box2');
  old.innerHTML = ${inline(snippet('f2', { classic: true }))};
  for (const script of old.querySelectorAll('script')) {
    if (/^$|\\/(?:java|ecma)script/i.test(script.type) && !script.src) window.eval.call(window, script.text);
  }
});</script>`,
  // The module snippet as jQuery 1.x and 2.x treat it: never run.
  '/b/jquery-old.html': () => `<!doctype html><meta charset="utf-8"><title>jQuery 1</title>
<script src="/b/listen.js"></script>
<div id="box"></div>
<script>addEventListener('load', () => {
  const box = document.getElementById('box');
  box.innerHTML = ${inline(snippet('f1'))};
  for (const script of box.querySelectorAll('script')) {
    if (/^$|\\/(?:java|ecma)script/i.test(script.type) && !script.src) window.eval.call(window, script.text);
  }
  window.pasted = true;
});</script>`,
  // Broken snippets: a typo in the JSON, no endpoint, the JSON's quotes made curly (pasted
  // through a word processor or a chat app).
  '/b/broken.html': () => `<!doctype html><meta charset="utf-8"><title>Broken</title>
<script src="/b/listen.js"></script>
${snippet('f1', { json: '{"texts": {"submit": "Gửi ngay"},}' })}
${snippet('f2').replace(/endpoint="[^"]*"/, '')}
${snippet('f3', { attrs: ' locale="en"', json: '{"texts": {"submit": "Send"}, "purposes": ["marketing",]}' })}
${snippet('f4', { json: '{“texts”: {“submit”: “Gửi ngay”}}' })}`,
  // Google Tag Manager's Custom HTML tag: appended to <body> after DOMContentLoaded.
  '/b/gtm.html': () => `<!doctype html><meta charset="utf-8"><title>GTM</title>
<script src="/b/listen.js"></script><script src="/b/paste.js"></script>
<p>Trang</p>
${snippet('f0').replace(/^<script[^>]*><\/script>/, '')}
<script>document.addEventListener('DOMContentLoaded', () => setTimeout(() => {
  const tag = document.createElement('div');
  document.body.appendChild(tag);
  paste(tag, ${inline(snippet('f1'))}, true);
}));</script>`,
  // A builder's preview: the page in a sandboxed frame (?sandbox=… its tokens, ?src=,
  // ?key= and ?withdraw= the snippet's script, key-url and withdraw-endpoint).
  '/b/sandbox.html': (url) => `<!doctype html><meta charset="utf-8"><title>Xem trước</title>
<iframe id="frame" sandbox="${url.searchParams.get('sandbox')}" style="width:100%;height:1500px"
  src="/b/framed.html?${url.searchParams}"></iframe>`,
  '/b/framed.html': (url) => `<!doctype html><meta charset="utf-8"><title>HTML box</title>
<script src="/b/listen.js"></script>
${snippet('f1', {
    src: url.searchParams.get('src'), key: url.searchParams.get('key'),
    attrs: url.searchParams.get('withdraw') ? ` withdraw-endpoint="${url.searchParams.get('withdraw')}"` : '',
  })}`,
  // Pasted twice, from two URLs (?v2=/v2/: the same version's files elsewhere; /v0/:
  // another version's).
  '/b/versions.html': (url) => `<!doctype html><meta charset="utf-8"><title>Two versions</title>
<script src="/b/listen.js"></script>
${snippet('f1')}
${snippet('f2', { src: `${url.searchParams.get('v2') ?? '/v2/'}consent-form.js` })}`,
  // An old tag's document.write while the page is parsed.
  '/b/write.html': () => `<!doctype html><meta charset="utf-8"><title>document.write</title>
<script src="/b/listen.js"></script>
<p>Trang</p>
<script>document.write(${inline(snippet('f1'))});</script>
<p>Cuối trang</p>`,
  // mount() into a <consent-form> of the page (a framework that renders the tag and
  // passes its configuration as an object): the object's form, not the bare element's.
  '/b/mount-element.html': () => `<!doctype html><meta charset="utf-8"><title>mount</title>
<script src="/b/listen.js"></script>
<consent-form id="f1"></consent-form>
<script type="module">
  import { mount } from '/pkg/consent-form.js';
  window.handle = await mount(document.getElementById('f1'), { kind: 'contact', endpoint: ${inline(servers.endpoint)},
    policy_url: '/privacy.html', controller: 'Công ty TNHH Ví Dụ', key_url: '/api/keys' });
</script>`,
};

/**
 * The three files under another path: `/cdn/` answers with CORS (as a CDN does), `/v2/`
 * as the same version's at another URL, `/v0/` as version 0.0.1's.
 */
function pkgFile(path) {
  const match = /^\/(cdn|v2|v0)\/(consent-form\.js|consent_form\.js|consent_form_bg\.wasm)$/.exec(path);
  if (!match) return null;
  let body = readFileSync(join(PKG, match[2]));
  if (match[1] === 'v0' && match[2] === 'consent-form.js') body = String(body).replaceAll(version(), '0.0.1');
  const type = match[2].endsWith('.wasm') ? 'application/wasm' : JS;
  return { type, body, headers: match[1] === 'cdn' ? { 'access-control-allow-origin': '*' } : {} };
}

function serve(path, url) {
  served.push(url.pathname + url.search);
  const file = pkgFile(path);
  if (file) return file;
  if (path === '/b/listen.js') return { type: JS, body: LISTEN };
  if (path === '/b/paste.js') return { type: JS, body: PASTE };
  if (path === '/vendor/jquery.min.js') return { type: JS, body: JQUERY };
  const page = PAGES[path];
  return page ? { type: HTML, body: page(url) } : null;
}

before(async () => {
  requireBuild();
  servers = await startServers({ serve });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await servers?.close();
});

/** A fresh visitor on `path`; every console warning or error and page error is kept. */
async function open(path) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    const favicon = (m.location().url ?? '').endsWith('/favicon.ico');
    // Over WebDriver BiDi, Playwright names a console.warn call by its method, `warn`.
    const type = m.type() === 'warn' ? 'warning' : m.type();
    if ((type === 'error' || type === 'warning') && !favicon) problems.push(`console.${type}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  served.length = 0;
  await page.goto(`${servers.pageOrigin}${path}`);
  return { context, page, problems };
}

/** The form `#id` in `frame` shows; else fails with what the page said. */
async function formShows(frame, id, problems) {
  await frame.locator(`#${id} #cf-title`).waitFor({ timeout: 15_000 })
    .catch((e) => assert.fail(`${e.message}\n${problems.join('\n')}`));
  assert.equal(await frame.textContent(`#${id} #cf-title`), 'Đăng ký nhận tư vấn');
}

/** A visitor sends form `#id` in `frame`: its success heard once, the receiver stored it once. Its id. */
async function sends(frame, id) {
  const name = `Nguyễn Văn ${id}`;
  await fillAndSend(frame, `#${id}`, name);
  const handle = await frame.waitForFunction(
    (form) => window.heard.find((h) => h.type === 'consent-form:success' && h.form === form)?.id,
    id, { timeout: 30_000, polling: 50 },
  );
  const sent = await handle.jsonValue();
  assert.deepEqual(
    (await frame.evaluate(() => window.heard)).filter((h) => h.id === sent).map((h) => h.type),
    ['consent-form:submit', 'consent-form:success'],
  );
  assertStored(servers.state, sent, name);
  return sent;
}

/** How many times the page fetched the entry module. */
const entryFetches = () => served.filter((p) => p.endsWith('/consent-form.js')).length;

/**
 * On `path`, each form of `ids` renders and a visitor sends it (each stored once); the
 * element is defined once, the entry module fetched once, and nothing said on the console.
 */
async function formsSend(path, ids) {
  const { context, page, problems } = await open(path);
  try {
    const sent = [];
    for (const id of ids) {
      await formShows(page, id, problems);
      sent.push(await sends(page, id));
    }
    assert.equal(new Set(sent).size, ids.length, 'a submission of its own for each form');
    assert.equal(await page.evaluate(() => window.defined), 1, 'one definition');
    assert.equal(entryFetches(), 1, 'the module fetched once: the same URL is one module');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
}

test('a builder’s HTML box (innerHTML after load, scripts re-created): the module runs once, the form renders and sends', () =>
  formsSend('/b/box.html', ['f1']));

test('the box rendered twice (a builder’s preview): one definition, no error, both forms send', () =>
  formsSend('/b/box.html?twice', ['f1', 'f2']));

test('jQuery 3.7.1: $(box).html(snippet) and .append(snippet) run the module once; both forms render and send', () =>
  formsSend('/b/jquery.html', ['f1', 'f2']));

test('the snippet for any jQuery, `<script>import(…)</script>`: by jQuery 3.7.1’s .html(), and by the indirect eval of jQuery 1.x and 2.x (emulated), both forms send', () =>
  formsSend('/b/jquery-classic.html', ['f1', 'f2']));

test('the module snippet as jQuery 1.x and 2.x treat it (emulated): never run, the fallback stays', async () => {
  const { context, page, problems } = await open('/b/jquery-old.html');
  try {
    await page.waitForFunction(() => window.pasted);
    await page.waitForTimeout(1000);
    assert.equal(await page.evaluate(() => customElements.get('consent-form')), undefined);
    assert.equal(entryFetches(), 0);
    assert.equal((await page.textContent('#f1')).trim(), 'Hoặc gọi 028 3822 1234.');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// The tag's own form, then an element in the page's own HTML upgraded by the tag's script.
test('Google Tag Manager’s Custom HTML (appended to <body> after DOMContentLoaded, scripts re-created in order): its form, and one in the page’s HTML, render and send', () =>
  formsSend('/b/gtm.html', ['f1', 'f0']));

test('document.write of the snippet while the page is parsed (an old tag): the form renders and sends', () =>
  formsSend('/b/write.html', ['f1']));

test('mount(element, config) on a <consent-form> of the page: the object configures it, with no error for the bare element, and it sends', () =>
  formsSend('/b/mount-element.html', ['f1']));

test('a mount()ed <consent-form> taken off the page and put back later (Vue’s KeepAlive, a tab panel): the object’s form again, what was typed with it, no error, it sends, and mount()’s handle removes it', async () => {
  const { context, page, problems } = await open('/b/mount-element.html');
  try {
    await formShows(page, 'f1', problems);
    await page.fill('#f1 input[name=name]', 'Trần Thị Giữ');
    // Kept off the page for longer than a task, as KeepAlive keeps a deactivated view.
    await page.evaluate(async () => {
      const form = document.getElementById('f1');
      const keep = document.createElement('div');
      keep.append(form);
      await new Promise((r) => setTimeout(r, 100));
      document.body.append(form);
    });
    await formShows(page, 'f1', problems);
    assert.equal(await page.inputValue('#f1 input[name=name]'), 'Trần Thị Giữ', 'what was typed is back');
    await sends(page, 'f1');
    // mount()'s handle acts on the form made again: its destroy() removes it.
    await page.evaluate(() => window.handle.destroy());
    assert.equal(await page.evaluate(() => document.getElementById('f1').shadowRoot.childNodes.length), 0, 'the handle removed the form');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a key-url that answers a login page: the console says why nothing is sent, as an error, as consent-form:error does, not only the visitor’s line', async () => {
  servers.setKeyMode('html');
  const { context, page, problems } = await open('/b/write.html');
  try {
    await formShows(page, 'f1', problems);
    await fillAndSend(page, '#f1', 'Nguyễn Văn Khóa');
    const heard = await (await page.waitForFunction(() => window.heard.find((h) => h.type === 'consent-form:error'), null, { timeout: 15_000 })).jsonValue();
    assert.equal(heard.reason, 'signing key unavailable: /api/keys did not answer JSON');
    await page.waitForTimeout(100);
    // An error, not a warning: retrying changes nothing until the key-url is fixed.
    assert.ok(problems.includes(`console.error: consent-form: ${heard.id} not sent yet, kept and retried: ${heard.reason}`), problems.join('\n'));
  } finally {
    servers.setKeyMode('ok');
    await context.close();
  }
});

/** The form’s frame in /b/sandbox.html with `sandbox` tokens, the snippet’s script `src`, `key`-url and `withdraw`-endpoint (if any). */
async function framed(sandbox, src, key, withdraw = '') {
  const opened = await open(`/b/sandbox.html?${new URLSearchParams({ sandbox, src, key, withdraw })}`);
  const frame = await (await opened.page.waitForSelector('#frame')).contentFrame();
  await frame.waitForLoadState();
  return { ...opened, frame };
}

/** What the status line under form `#id` in `frame` says. */
const statusOf = (frame, id) => frame.evaluate((form) => document.getElementById(form).shadowRoot.querySelector('[role=status]')?.textContent ?? '', id);

// What the developer reads in a frame with an opaque origin (as the console prints it).
const OPAQUE = /^console\.warning: consent-form: this page has an opaque origin \(origin "null": a sandboxed iframe without allow-same-origin/;

test('a sandboxed frame without allow-same-origin, files without CORS: the module is refused; the fallback shows and the console says why', async () => {
  const { context, page, problems, frame } = await framed('allow-scripts allow-forms', '/pkg/consent-form.js', '/api/keys');
  try {
    await frame.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.endsWith('/consent-form.js')));
    await page.waitForTimeout(500);
    assert.equal(await frame.evaluate(() => customElements.get('consent-form')), undefined, 'not defined');
    assert.equal((await frame.textContent('#f1')).trim(), 'Hoặc gọi 028 3822 1234.', 'the fallback inside the element');
    // The browser's own message: Chromium's on the console, Firefox's as a page error
    // (its words, the only problem).
    if (firefox) {
      assert.deepEqual(problems, [
        `page error: The Same Origin Policy disallows reading the remote resource at ${servers.pageOrigin}/pkg/consent-form.js. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.`,
      ]);
    } else {
      assert.match(problems.join('\n'), /Access to script at '[^']+\/pkg\/consent-form\.js' from origin 'null' has been blocked by CORS policy/);
    }
  } finally {
    await context.close();
  }
});

test('a sandboxed frame without allow-same-origin, files with CORS: the form renders, says what it cannot keep, keeps what was typed through a failed send, and sends', async () => {
  servers.state.pageOrigin = 'null';
  // A key service that ties keys to no cookie and answers CORS for "null" (the receiver's).
  const key = servers.endpoint.replace(/leads$/, 'keys');
  const { context, problems, frame } = await framed('allow-scripts allow-forms', '/cdn/consent-form.js', key);
  try {
    await formShows(frame, 'f1', problems);
    assert.equal(await frame.evaluate(() => window.origin), 'null', 'an opaque origin');
    // Storage throws there: what the form does without it.
    assert.equal(await frame.evaluate(() => { try { return typeof localStorage; } catch (e) { return e.name; } }), 'SecurityError');
    await servers.setMode('503');
    await fillAndSend(frame, '#f1', 'Lê Thị Hộp Cát');
    await frame.waitForFunction(() => window.heard.some((h) => h.type === 'consent-form:error'), null, { timeout: 15_000 });
    const status = await statusOf(frame, 'f1');
    assert.match(status, /Trình duyệt này không cho lưu yêu cầu, vì vậy xin giữ trang này mở: yêu cầu sẽ tự động gửi khi có thể\./, status);
    assert.equal(await frame.inputValue('#f1 input[name=name]'), 'Lê Thị Hộp Cát', 'what was typed is still there');
    // Back up: the page that stayed open delivers it.
    await servers.setMode('ok');
    const sent = await (await frame.waitForFunction(() => window.heard.find((h) => h.type === 'consent-form:success')?.id, null, { timeout: 30_000, polling: 100 })).jsonValue();
    // Tried while the receiver answered 503, then delivered once, signature verified.
    const tries = servers.state.captured.filter((c) => c.id === sent);
    assert.deepEqual(tries.map((c) => [c.mode, c.verified]), [['503', true], ['ok', true]]);
    assert.deepEqual(servers.state.stored.filter((id) => id === sent), [sent]);
    assert.match(servers.state.storedBodies.get(sent), /Lê Thị Hộp Cát/);
    // The developer reads once, precisely, what such a page cannot do.
    const said = problems.filter((p) => OPAQUE.test(p));
    assert.equal(said.length, 1, problems.join('\n'));
    assert.match(said[0], /no localStorage or sessionStorage/);
    assert.match(said[0], /Origin: null/);
    assert.deepEqual(problems.filter((p) => !OPAQUE.test(p) && !/503|no localStorage: the submission is kept by this page only/.test(p)), []);
  } finally {
    servers.state.pageOrigin = null;
    await servers.setMode('ok');
    await context.close();
  }
});

test('a sandboxed frame without allow-same-origin, withdrawals offered: the notices’ rights name the receipt’s button and the controller, not a list of consents on this device, and each consent records the rights shown; the receipt says this browser keeps no copy of it, print or download it; with allow-same-origin neither', async () => {
  const withdraw = servers.endpoint.replace(/leads$/, 'withdrawals');
  const note = 'Trình duyệt này không lưu biên nhận trên thiết bị: hãy in hoặc tải về để giữ lại.';
  const list = 'trong biên nhận hoặc trong danh sách các đồng ý bạn đã gửi từ thiết bị này, hoặc liên hệ';
  const receiptOnly = 'dễ dàng như khi đồng ý: bấm “Rút lại đồng ý” trong biên nhận, hoặc liên hệ';
  for (const [sandbox, kept] of [['allow-scripts allow-forms', false], ['allow-scripts allow-same-origin allow-forms', true]]) {
    servers.state.pageOrigin = kept ? null : 'null';
    // Keys from the receiver, which ties them to no cookie and answers CORS for "null".
    const { context, problems, frame } = await framed(sandbox, '/cdn/consent-form.js', servers.endpoint.replace(/leads$/, 'keys'), withdraw);
    try {
      await formShows(frame, 'f1', problems);
      // The rights each consent's notice shows, by purpose.
      const consents = frame.locator('#f1 .cf-consent');
      const shown = {};
      for (let i = 0; i < await consents.count(); i++) {
        const consent = consents.nth(i);
        await consent.locator('summary').click();
        await consent.locator('details[open] dd').first().waitFor();
        shown[await consent.getAttribute('data-purpose')] = await consent.locator('details dl').evaluate((dl) =>
          [...dl.querySelectorAll('dt')].find((dt) => dt.textContent === 'Quyền của bạn')?.nextElementSibling?.textContent);
      }
      assert.deepEqual(Object.keys(shown).sort(), ['call_recording', 'consultation', 'marketing'], sandbox);
      for (const [purpose, rights] of Object.entries(shown)) {
        assert.equal(rights.includes(list), kept, `${sandbox} ${purpose}: ${rights}`);
        assert.equal(rights.includes(receiptOnly), !kept, `${sandbox} ${purpose}: ${rights}`);
      }
      const sent = await sends(frame, 'f1');
      // Each consent, given or refused, records the rights as shown, in its notice too.
      const body = JSON.parse(servers.state.storedBodies.get(sent));
      assert.equal(body.consents.length, 3, sandbox);
      for (const consent of body.consents) {
        const { withdrawal_method: method, notice } = consent.record.processing;
        assert.equal(method, shown[consent.purpose], `${sandbox} ${consent.purpose}: recorded as shown`);
        assert.ok(notice.text.includes(`\nQuyền của bạn: ${method}`), `${sandbox} ${consent.purpose}: in the notice recorded`);
      }
      const receipt = frame.locator('#f1 .cf-receipt');
      await receipt.waitFor();
      const intro = await receipt.locator('p:not([aria-hidden]):not(.cf-sr)').first().textContent();
      assert.equal(intro.includes(note), !kept, `${sandbox}: ${intro}`);
      assert.match(intro, /^Đây là những gì bạn đã chọn\./, sandbox);
      // The two ways to keep it, next to the note.
      assert.equal(await receipt.locator('button', { hasText: /^In biên nhận$|^Tải về/ }).count(), 2, sandbox);
    } finally {
      servers.state.pageOrigin = null;
      await context.close();
    }
  }
});

test('a sandboxed frame without allow-same-origin, key-url on the site (a cookie session): the developer reads why every send fails', async () => {
  servers.state.pageOrigin = 'null';
  const { context, problems, frame } = await framed('allow-scripts allow-forms', '/cdn/consent-form.js', '/api/keys');
  try {
    await formShows(frame, 'f1', problems);
    const said = problems.filter((p) => OPAQUE.test(p));
    assert.equal(said.length, 1, problems.join('\n'));
    assert.match(said[0], /key-url/);
    assert.match(said[0], /secret/);
    await fillAndSend(frame, '#f1', 'Lê Thị Khóa');
    await frame.waitForFunction(() => window.heard.some((h) => h.type === 'consent-form:error'), null, { timeout: 15_000 });
    assert.match(await statusOf(frame, 'f1'), /xin giữ trang này mở/);
    assert.equal(await frame.inputValue('#f1 input[name=name]'), 'Lê Thị Khóa');
  } finally {
    servers.state.pageOrigin = null;
    await context.close();
  }
});

test('sandbox="allow-scripts allow-same-origin": a frame like any other (storage, the site’s own key-url), the form sends', async () => {
  const { context, problems, frame } = await framed('allow-scripts allow-same-origin allow-forms', '/pkg/consent-form.js', '/api/keys');
  try {
    await formShows(frame, 'f1', problems);
    assert.notEqual(await frame.evaluate(() => window.origin), 'null');
    await sends(frame, 'f1');
    // (Chromium's own warning about the host's markup. Firefox's, "… can remove its
    // sandboxing.", never reaches WebDriver BiDi, which carries what scripts log and their errors.)
    assert.deepEqual(problems, firefox ? [] : ['console.warning: An iframe which has both allow-scripts and allow-same-origin for its sandbox attribute can escape its sandboxing.']);
  } finally {
    await context.close();
  }
});

test('the script loaded twice from two URLs (two snippets, two bundles; one version or two): one definition, the forms work, and the console names both folders and versions', async () => {
  const base = servers.pageOrigin;
  const hint = "the first copy defines <consent-form> and this one does nothing. Load it once (two snippets pasted, or two of the site's bundles that each include the package?).";
  for (const [v2, which] of [
    ['/v2/', `the same version ${version()} from ${base}/pkg/ and from ${base}/v2/`],
    ['/v0/', `${version()} from ${base}/pkg/ and 0.0.1 from ${base}/v0/`],
  ]) {
    const { context, page, problems } = await open(`/b/versions.html?v2=${v2}`);
    try {
      await formShows(page, 'f1', problems);
      await formShows(page, 'f2', problems);
      assert.equal(await page.evaluate(() => window.defined), 1, 'one definition');
      assert.equal(served.filter((p) => p.endsWith('.wasm')).length, 1, 'one wasm fetched');
      await sends(page, 'f2');
      assert.deepEqual(problems, [`console.warning: consent-form: loaded twice, ${which}: ${hint}`]);
    } finally {
      await context.close();
    }
  }
});

test('a broken snippet (a typo in the JSON, no endpoint, curly quotes): the developer’s message in place of each form, and on the console', async () => {
  const { context, page, problems } = await open('/b/broken.html');
  try {
    const message = async (id) => {
      await page.locator(`#${id} [part=config-error]`).waitFor({ timeout: 15_000 });
      assert.equal(await page.locator(`#${id} form`).count(), 0, 'no half-working form');
      return (await page.textContent(`#${id} [part=config-error]`)).replace(/\s+/g, ' ');
    };
    const f1 = await message('f1');
    // First a sentence for the visitor, in the form's language; then the developer's part.
    assert.match(f1, /^Biểu mẫu này tạm thời chưa dùng được\. Vui lòng liên hệ với chúng tôi bằng cách khác\.consent-form is not configured correctly, so the form is not shown\./);
    assert.match(f1, /<script type="application\/json"> is not valid JSON: .* at line 1, column 34/);
    assert.match(await message('f2'), /endpoint/);
    const f3 = await message('f3');
    assert.match(f3, /^This form cannot be used right now\. Please contact us another way\.consent-form is not/);
    assert.match(f3, /not valid JSON: .* at line 1, column 56/);
    assert.match(await message('f4'), /not valid JSON: a curly quote \(“ ” ‘ ’\): JSON needs straight double quotes \("\) at line 1, column 2/);
    const logged = problems.filter((p) => p.startsWith('console.error: consent-form: not configured correctly'));
    assert.equal(logged.length, 4, problems.join('\n'));
    assert.deepEqual(problems.filter((p) => !logged.includes(p)), []);
  } finally {
    await context.close();
  }
});
