// The framework notes of docs/embedding.md ("React, Vue, Angular"), run for real: a Vue 3
// app (its browser ESM build, templates compiled in the page), a React 19 app
// (development build, StrictMode, TSX compiled by TypeScript), a React 18.3 app (its own
// package, tests/frameworks/react18/: development build in StrictMode, production build,
// server rendering) and an Angular 22 app
// (zoneless, its component compiled by TypeScript and Angular's JIT compiler in the page,
// npm's ES modules found through an import map) render <consent-form> as the
// docs say, in Debian's Chromium, against pkg/ and the delivery tests' loopback receiver
// (another origin, which verifies each signature with npm's standardwebhooks). Each app
// changes an attribute from its own state, hears the events the way the docs say, is
// filled in and sent by a visitor, re-renders and removes the element.
// Run: node --test tests/e2e/frameworks.test.mjs (after `npm run build`, and scripts/setup,
// which installs React 18 with `npm ci --prefix tests/frameworks/react18`).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import ts from 'typescript';
import { launchChromium, requireBuild, root } from './server.mjs';
import { startServers } from '../delivery/lib/server.mjs';
import { assertStored, fillAndSend, turnsEnglish } from './visitor.mjs';

const modules = `${root}node_modules/`;
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
};
const file = (path) => ({ type: TYPES[extname(path)] ?? 'application/octet-stream', body: readFileSync(path) });

// npm's react, react-dom and scheduler are CommonJS only. Each is served as an ES module
// (as a bundler would wrap it): its CommonJS body in a function given `module`,
// `exports`, `require` (the modules it requires, imported) and `process.env.NODE_ENV`,
// then its exports named. The page's import map finds them. React 19 is the root's;
// React 18.3 is tests/frameworks/react18/'s (its own package: npm cannot install both
// side by side), served from its development build or its production build.
const REACT18_MODULES = `${root}tests/frameworks/react18/node_modules/`;
const REACT = {
  19: {
    dir: modules, at: '/cjs/', env: 'development', files: {
      react: 'react/cjs/react.development.js',
      'react/jsx-dev-runtime': 'react/cjs/react-jsx-dev-runtime.development.js',
      'react-dom': 'react-dom/cjs/react-dom.development.js',
      'react-dom/client': 'react-dom/cjs/react-dom-client.development.js',
      scheduler: 'scheduler/cjs/scheduler.development.js',
    },
  },
  '18-dev': {
    dir: REACT18_MODULES, at: '/react18/dev/', env: 'development', files: {
      react: 'react/cjs/react.development.js',
      'react/jsx-dev-runtime': 'react/cjs/react-jsx-dev-runtime.development.js',
      'react-dom': 'react-dom/cjs/react-dom.development.js',
      'react-dom/client': 'react-dom/client.js',
      scheduler: 'scheduler/cjs/scheduler.development.js',
    },
  },
  '18-prod': {
    dir: REACT18_MODULES, at: '/react18/prod/', env: 'production', files: {
      react: 'react/cjs/react.production.min.js',
      'react/jsx-runtime': 'react/cjs/react-jsx-runtime.production.min.js',
      'react-dom': 'react-dom/cjs/react-dom.production.min.js',
      'react-dom/client': 'react-dom/client.js',
      scheduler: 'scheduler/cjs/scheduler.production.min.js',
    },
  },
};

function commonJsAsModule({ dir, at, env, files }, name) {
  const source = readFileSync(dir + files[name], 'utf8');
  const required = [...new Set([...source.matchAll(/\brequire\((["'])([^"']+)\1\)/g)].map((m) => m[2]))];
  const exported = [...new Set([...source.matchAll(/\bexports\.([A-Za-z_$][\w$]*)\s*=[^=]/g)].map((m) => m[1]))];
  for (const r of required) assert.ok(files[r], `${name} requires ${r}, which the test does not serve`);
  return [
    ...required.map((r, i) => `import required${i} from '${at}${r}.js';`),
    `const module = { exports: {} };`,
    `const modules = { ${required.map((r, i) => `${JSON.stringify(r)}: required${i}`).join(', ')} };`,
    `(function (module, exports, require, process) {\n${source}\n})(module, module.exports, (n) => modules[n], { env: { NODE_ENV: '${env}' } });`,
    `export default module.exports;`,
    `export const { ${exported.join(', ')} } = module.exports;`,
  ].join('\n');
}

// npm's Angular ships ES modules (its FESM builds), as does rxjs: the page finds each
// module a package exports through an import map written from the packages' own
// `exports`, choosing the conditions a browser bundler would.
const ANGULAR = ['@angular/core', '@angular/common', '@angular/compiler', '@angular/platform-browser', 'rxjs', 'tslib'];
const CONDITIONS = ['es2015', 'module', 'browser', 'import', 'default'];

function angularImportMap() {
  const pick = (target) => {
    if (typeof target === 'string' || target === null) return target;
    const condition = CONDITIONS.find((c) => c in target);
    return condition ? pick(target[condition]) : null;
  };
  const imports = {};
  for (const name of ANGULAR) {
    const { exports } = JSON.parse(readFileSync(`${modules}${name}/package.json`, 'utf8'));
    for (const [subpath, target] of Object.entries(exports)) {
      const file = pick(target);
      if (subpath.includes('*') || subpath.endsWith('/') || subpath.includes('testing') || !/\.m?js$/.test(file ?? '')) continue;
      imports[name + subpath.slice(1)] = `/ng/${name}/${file.slice(2)}`;
    }
  }
  return `<script type="importmap">${JSON.stringify({ imports })}</script>`;
}

/** The React app's TSX (react-app.tsx, React 19's; react18/app.tsx) as JavaScript: TypeScript's JSX transform. */
const REACT_APPS = { 19: 'tests/frameworks/react-app.tsx', 18: 'tests/frameworks/react18/app.tsx' };
const compiled = { ms: 0, bytes: 0 };
function reactApp(react, { production = false, module = ts.ModuleKind.ES2022 } = {}) {
  const started = performance.now();
  const { outputText } = ts.transpileModule(readFileSync(root + REACT_APPS[react], 'utf8'), {
    // React's development runtime (react/jsx-dev-runtime), or the production one.
    compilerOptions: { jsx: production ? ts.JsxEmit.ReactJSX : ts.JsxEmit.ReactJSXDev, target: ts.ScriptTarget.ES2022, module },
  });
  compiled.ms = performance.now() - started;
  compiled.bytes = outputText.length;
  return outputText;
}

/** tests/frameworks/angular-app.ts as JavaScript: its decorators as TypeScript emits them for Angular. */
function angularApp() {
  return ts.transpileModule(readFileSync(`${root}tests/frameworks/angular-app.ts`, 'utf8'), {
    compilerOptions: { experimentalDecorators: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
  }).outputText;
}

/**
 * The app's HTML as a server renders it (Next.js, Remix…): the React app compiled to
 * CommonJS and rendered in Node by its React's react-dom/server, for `query`. What React
 * prints while rendering goes to `ssrWarnings` (the test wants none).
 */
const ssrWarnings = [];
function serverRender(react, query) {
  const requireApp = createRequire(root + REACT_APPS[react]); // its React: 19 at the root, 18 in react18/
  const app = { exports: {} };
  new Function('module', 'exports', 'require', reactApp(react, { module: ts.ModuleKind.CommonJS }))(app, app.exports, requireApp);
  const { renderToString } = requireApp('react-dom/server');
  const { error, warn } = console;
  console.error = console.warn = (...args) => ssrWarnings.push(args.join(' '));
  try {
    return renderToString(app.exports.page(query));
  } finally {
    Object.assign(console, { error, warn });
  }
}

/** The page server's own answers: the two apps, Vue's builds, React as modules, pkg/ at /src/js/. */
function serve(path, url) {
  if (path === '/f/vue.html') return file(`${root}tests/frameworks${path.slice(2)}`);
  if (path === '/f/angular.html') {
    const html = readFileSync(`${root}tests/frameworks/angular.html`, 'utf8');
    return { type: TYPES['.html'], body: html.replace(/<!-- IMPORT MAP:.*-->/, angularImportMap()) };
  }
  // rxjs's ES modules import each other without the `.js` a browser needs (bundlers add
  // it): the server adds it, as they would.
  const ng = /^\/ng\/((?:@angular\/[a-z-]+|rxjs|tslib)\/[\w./-]+?)(\.m?js)?$/.exec(path);
  if (ng && !ng[1].includes('..')) return file(modules + ng[1] + (ng[2] ?? '.js'));
  // The React apps' pages; -ssr: with the server's HTML in #root. React 18's page names
  // its build (?build=prod: the production build) in its import map.
  const reactPage = /^\/f\/(react|react18)(-ssr)?\.html$/.exec(path);
  if (reactPage) {
    const [, name, ssr] = reactPage;
    let html = readFileSync(`${root}tests/frameworks/${name}.html`, 'utf8');
    if (name === 'react18') html = html.replaceAll('BUILD', url.searchParams.get('build') === 'prod' ? 'prod' : 'dev');
    if (ssr) html = html.replace('<div id="root"></div>', `<div id="root">${serverRender(name === 'react' ? 19 : 18, url.searchParams)}</div>`);
    return { type: TYPES['.html'], body: html };
  }
  if (path === '/vendor/vue.esm-browser.js' || path === '/vendor/vue.esm-browser.prod.js') {
    return file(`${modules}vue/dist${path.slice(7)}`);
  }
  if (path === '/tests/frameworks/react-app.js') return { type: TYPES['.js'], body: reactApp(19) };
  if (path === '/tests/frameworks/react18/app.js') {
    return { type: TYPES['.js'], body: reactApp(18, { production: url.searchParams.get('build') === 'prod' }) };
  }
  if (path === '/tests/frameworks/angular-app.js') return { type: TYPES['.js'], body: angularApp() };
  // The app imports ../../src/js/consent-form.js (what tests/types compiles against): a
  // host's copy of pkg/ there.
  if (/^\/src\/js\/[\w.-]+$/.test(path)) return file(`${root}pkg/${path.slice(8)}`);
  const cjs = /^\/(cjs|react18\/dev|react18\/prod)\/(.+)\.js$/.exec(path);
  const react = cjs && { cjs: REACT[19], 'react18/dev': REACT['18-dev'], 'react18/prod': REACT['18-prod'] }[cjs[1]];
  if (react?.files[cjs[2]]) return { type: TYPES['.js'], body: commonJsAsModule(react, cjs[2]) };
  return null;
}

let servers;
let browser;
before(async () => {
  requireBuild();
  if (!existsSync(`${REACT18_MODULES}react-dom/package.json`)) {
    throw new Error('React 18 is not installed: run scripts/setup (npm ci --prefix tests/frameworks/react18)');
  }
  servers = await startServers({ serve });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await servers?.close();
});

/** A fresh visitor on `path`; every console warning or error and page error is kept. */
async function open(path, { init = null } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  const problems = [];
  const logged = [];
  page.on('console', (m) => {
    logged.push(`${m.type()}: ${m.text()}`);
    if ((m.type() === 'error' || m.type() === 'warning') && !(m.location().url ?? '').endsWith('/favicon.ico')) {
      problems.push(`console.${m.type()}: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${servers.pageOrigin}${path}`);
  return { context, page, problems, logged };
}

/** The form's heading, once the element's shadow root shows one. */
async function title(page, sel = 'consent-form') {
  const heading = page.locator(`${sel} #cf-title`);
  await heading.waitFor({ timeout: 30_000 });
  return heading.textContent();
}

/** How many forms the element's shadow root holds, and its heading's text (null if none). */
function shadow(page, sel = 'consent-form') {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel)?.shadowRoot;
    return { forms: root?.querySelectorAll('form').length ?? null, title: root?.getElementById('cf-title')?.textContent ?? null };
  }, sel);
}

/** Polls `check` in the page until it returns something truthy. */
function until(page, check, arg) {
  return page.waitForFunction(check, arg, { timeout: 30_000, polling: 50 }).then((h) => h.jsonValue());
}

const VUE_RUNS = [
  // The development build is the one that warns; the production build is the one that
  // ships. One defines the element after the app has mounted, the other before.
  { way: 'element', build: 'vue.esm-browser.js', define: 'last' },
  { way: 'element', build: 'vue.esm-browser.prod.js', define: 'first' },
  // A component calling mount() on its <div>: the configuration as an object.
  { way: 'mount', build: 'vue.esm-browser.js', define: 'last' },
];

for (const { way, build, define } of VUE_RUNS) {
  const how = way === 'element' ? `<consent-form>, element defined ${define}` : 'mount() with a signal, aborted in onBeforeUnmount';
  test(`Vue 3 (${build}, ${how}): a bound locale, @consent-form:submit and :success, v-if`, async () => {
    const q = new URLSearchParams({ vue: `/vendor/${build}`, endpoint: servers.endpoint, define, way });
    const { context, page, problems } = await open(`/f/vue.html?${q}`);
    const submitText = () => page.textContent('#form button[type=submit]');
    try {
      assert.equal(await title(page, '#form'), 'Đăng ký nhận tư vấn');
      assert.deepEqual(await shadow(page, '#form'), { forms: 1, title: 'Đăng ký nhận tư vấn' });
      if (way === 'mount') assert.equal(await submitText(), 'Gọi lại cho tôi', 'the object’s texts');

      // The locale in the app's state: Vue sets the attribute (or the component mounts
      // again), the form follows.
      await page.evaluate(() => (window.vueState.locale.value = 'en'));
      await turnsEnglish(page, '#form', { element: way === 'element' });
      if (way === 'element') {
        assert.equal(await page.getAttribute('#form', 'endpoint'), servers.endpoint);
      } else {
        assert.equal(await submitText(), 'Call me back');
        assert.equal((await shadow(page, '#form')).forms, 1, 'mounted again: the new form replaced the old');
      }

      await fillAndSend(page, '#form', 'Trần Thị Vue');
      const sent = await until(page, () => window.vueState.sent.value.length > 0 && window.vueState.sent.value);
      const submitted = await page.evaluate(() => window.vueState.submitted.value);
      assert.equal(submitted.length, 1, '@consent-form:submit heard once');
      assert.equal(submitted[0].type, 'consent-form:submit');
      assert.match(submitted[0].id, /^msg_/);
      assert.equal(submitted[0].form, 'contact');
      assert.equal(sent.length, 1, '@consent-form:success heard once');
      assert.equal(sent[0].type, 'consent-form:success');
      assert.equal(sent[0].id, submitted[0].id);
      assert.equal(sent[0].status, 201);
      assert.equal(await page.textContent('#sent'), sent[0].id, 'the template shows what the handler got');
      assertStored(servers.state, sent[0].id, 'Trần Thị Vue', 'vue-token-contact');

      // v-if false: Vue removes the element, whose form is destroyed (its shadow root emptied).
      const element = await page.$('#form');
      await page.evaluate(() => (window.vueState.shown.value = false));
      await until(page, (el) => !el.isConnected && el.shadowRoot.childNodes.length === 0, element);
      // Shown again: a new element, a new, empty form.
      await page.evaluate(() => (window.vueState.shown.value = true));
      assert.equal(await title(page, '#form'), 'Request a consultation');
      assert.equal(await page.inputValue('#form input[name=name]'), '');

      assert.deepEqual(problems, [], 'no Vue warning, no error');
    } finally {
      await context.close();
    }
  });
}

test('Vue 3 without isCustomElement warns "Failed to resolve component: consent-form" (what the docs tell hosts to avoid)', async () => {
  const q = new URLSearchParams({ vue: '/vendor/vue.esm-browser.js', endpoint: servers.endpoint, tell: '0' });
  const { context, page, problems } = await open(`/f/vue.html?${q}`);
  try {
    await title(page);
    assert.ok(problems.some((p) => p.includes('Failed to resolve component: consent-form')), problems.join('\n'));
  } finally {
    await context.close();
  }
});

test('Vue 3 drops a <script type="application/json"> written in a template (why the docs send Vue hosts to mount())', async () => {
  for (const build of ['vue.esm-browser.js', 'vue.esm-browser.prod.js']) {
    const q = new URLSearchParams({ vue: `/vendor/${build}`, endpoint: servers.endpoint, way: 'json' });
    const { context, page, problems } = await open(`/f/vue.html?${q}`);
    try {
      await title(page, '#form');
      assert.equal(await page.evaluate(() => document.querySelector('#form > script')), null, `${build}: no child script`);
      assert.equal(await page.textContent('#form button[type=submit]'), 'Gửi yêu cầu', `${build}: the default text, not the JSON's`);
      const warned = problems.some((p) => p.includes('Tags with side effect (<script> and <style>) are ignored'));
      assert.equal(warned, !build.includes('prod'), `${build}: ${problems.join('\n')}`);
    } finally {
      await context.close();
    }
  }
});

const REACT_RUNS = [
  // React 19 (react-app.tsx). listener: the docs' component (a ref, addEventListener in an
  // effect). prop: React 19's 'onconsent-form:success' prop, a new function at each render,
  // and a child JSON configuration rendered by React. ssr: the HTML rendered in Node, then
  // hydrated. mount: mount() on the component's <div> in an effect, with a signal its
  // cleanup aborts.
  { react: 19, events: 'listener' },
  { react: 19, events: 'prop' },
  { react: 19, events: 'prop', ssr: true },
  { react: 19, events: 'mount' },
  // React 18.3 (react18/app.tsx). listener: the docs' React 18 component (string
  // attributes, `class`, the captcha hook and the listener set in an effect through a ref,
  // the child JSON as dangerouslySetInnerHTML), in the development build and in the
  // production build, and rendered on the server and hydrated; mount: the same mount()
  // component as React 19's.
  { react: 18, events: 'listener' },
  { react: 18, events: 'listener', build: 'prod' },
  { react: 18, events: 'listener', ssr: true },
  { react: 18, events: 'mount' },
];

for (const { react, events, ssr = false, build = 'dev' } of REACT_RUNS) {
  const how = events === 'mount' ? 'mount() in an effect' : `events by ${events}${ssr ? ', rendered on the server and hydrated' : ''}`;
  // What holds the form: the element, or the <div> mount() rendered into.
  const sel = events === 'mount' ? 'div.consent-form' : 'consent-form';
  // The configuration beyond attributes (child JSON, mount()'s object) and a captcha hook:
  // all but React 19's plain listener component have them.
  const configured = react === 18 || events !== 'listener';
  const token = configured ? `react${react === 18 ? '18' : ''}-token-contact` : undefined;
  const version = react === 18 ? `React 18.3 (${build === 'prod' ? 'production build' : 'StrictMode'})` : 'React 19 (StrictMode)';
  test(`${version}, ${how}: a changed prop and configuration, a keyed move, a submission, unmount`, async () => {
    const path = `/f/${react === 18 ? 'react18' : 'react'}${ssr ? '-ssr' : ''}.html`;
    const query = new URLSearchParams({ endpoint: servers.endpoint, events, build });
    // The first <consent-form> the page has: for server-rendered HTML, the parser's.
    const first = () => new MutationObserver((_, observer) => {
      window.firstElement ??= document.querySelector('consent-form') ?? undefined;
      if (window.firstElement) observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
    const { context, page, problems, logged } = await open(`${path}?${query}`, { init: first });
    const submitText = () => page.textContent(`${sel} button[type=submit]`);
    try {
      if (ssr) {
        // The server's HTML had the element, with its attributes and child JSON, before any script.
        const response = await (await fetch(`${servers.pageOrigin}${path}?${query}`)).text();
        assert.match(response, /<consent-form (class="contact-form" )?kind="contact" endpoint="[^"]+" locale="vi" policy-url="\/privacy.html"[^>]*><script type="application\/json">\{"texts":\{"submit":"Gọi lại cho tôi"\}\}<\/script>/);
        assert.deepEqual(ssrWarnings, [], 'React rendered on the server without a warning');
      }
      // The module is imported in the component's effect: React created the element before
      // it was defined, and the form appears when it is.
      assert.equal(await title(page, sel), 'Đăng ký nhận tư vấn');
      // StrictMode mounted, cleaned up and mounted again: still one form.
      assert.deepEqual(await shadow(page, sel), { forms: 1, title: 'Đăng ký nhận tư vấn' });
      if (ssr) {
        // Hydrated: React kept the element the HTML had (a client render would replace it).
        assert.ok(await page.evaluate(() => document.querySelector('consent-form') === window.firstElement), 'the server’s element, hydrated');
      }
      if (events !== 'mount') {
        assert.equal(await page.getAttribute(sel, 'policy-url'), '/privacy.html', 'a hyphenated prop is an attribute');
      }
      if (react === 18 && events !== 'mount') {
        // `class`, which React 18 writes as the attribute class: the page's style applies.
        assert.equal(await page.getAttribute(sel, 'class'), 'contact-form');
        assert.equal(await page.$eval(sel, (el) => getComputedStyle(el).outlineColor), 'rgb(0, 128, 0)');
      }

      // A changed prop: React sets the attribute (or the effect mounts again), the form follows.
      await page.evaluate(() => window.reactApp.setLocale('en'));
      await turnsEnglish(page, sel, { element: events !== 'mount' });
      if (configured) {
        // The configuration in React's state (the child JSON React renders, or the object
        // given to mount()): read at mount, read again when React changes it.
        assert.equal(await submitText(), 'Gọi lại cho tôi');
        await page.evaluate(() => window.reactApp.setConfig({ texts: { submit: 'Call me back' } }));
        await until(page, (sel) => document.querySelector(sel).shadowRoot.querySelector('button[type=submit]')?.textContent === 'Call me back', sel);
        if (events !== 'mount') assert.equal(await page.evaluate(() => document.querySelectorAll('consent-form > script').length), 1);
        assert.deepEqual(await shadow(page, sel), { forms: 1, title: 'Request a consultation' });
      }

      // A keyed reorder moves the element (insertBefore): it keeps its form as the visitor
      // left it, the very same one (a new form would restore the typed name from its
      // draft, but not a consent ticked).
      await page.fill(`${sel} input[name=name]`, 'Lê Văn React');
      await page.check(`${sel} input[name=consent-consultation]`);
      const element = await page.$(sel);
      await page.evaluate((sel) => {
        window.formBefore = document.querySelector(sel).shadowRoot.querySelector('form');
        window.removed = [];
        new MutationObserver((records) => records.forEach((r) => r.removedNodes.forEach((n) => window.removed.push(n.nodeName))))
          .observe(document.querySelector('main'), { childList: true });
        window.reactApp.setNoteFirst(true);
      }, sel);
      await until(page, () => document.querySelector('main').firstElementChild.id === 'note');
      assert.deepEqual(await page.evaluate(() => window.removed), [events === 'mount' ? 'DIV' : 'CONSENT-FORM'], 'React moved the element (took it off, put it back)');
      assert.ok(await element.evaluate((el, sel) => el === document.querySelector(sel), sel), 'the same element, moved');
      assert.equal(await page.inputValue(`${sel} input[name=name]`), 'Lê Văn React');
      assert.equal(await page.isChecked(`${sel} input[name=consent-consultation]`), true, 'the consent still ticked');
      assert.ok(await page.evaluate((sel) => document.querySelector(sel).shadowRoot.querySelector('form') === window.formBefore, sel), 'the same form');
      assert.deepEqual(await shadow(page, sel), { forms: 1, title: 'Request a consultation' });

      await fillAndSend(page, sel, 'Lê Văn React');
      await until(page, () => document.getElementById('sent').textContent);
      await page.waitForTimeout(200);
      const ids = await page.textContent('#sent');
      assert.match(ids, /^msg_\S+$/, events === 'prop'
        ? 'onSent called once, through the listener React added for the prop (and moved at each render)'
        : 'onSent called once, through the listener the effect added (StrictMode added it twice, removed it once)');
      assertStored(servers.state, ids, 'Lê Văn React', token);

      // Unmounted: React removes the element; its form is destroyed, and the effect's
      // cleanup removed the listener (an event dispatched on the element reaches no one).
      await page.evaluate(() => window.reactApp.setShown(false));
      await until(page, (el) => !el.isConnected && el.shadowRoot.childNodes.length === 0, element);
      if (events !== 'prop') {
        await element.evaluate((el) => el.dispatchEvent(new CustomEvent('consent-form:success', { detail: { id: 'msg_late', status: 200 } })));
        await page.waitForTimeout(100);
        assert.equal(await page.textContent('#sent'), ids, 'no handler left on the removed element');
      }
      // Mounted again: a new element, a new form.
      await page.evaluate(() => window.reactApp.setShown(true));
      assert.equal(await title(page, sel), 'Request a consultation');
      assert.equal(await page.inputValue(`${sel} input[name=name]`), '');
      assert.equal((await shadow(page, sel)).forms, 1);

      assert.deepEqual(problems, [], 'no React warning, no error');
      assert.equal(logged.some((line) => line.includes('React DevTools')), build === 'dev', `React’s ${build} build ran`);
      assert.equal(await page.evaluate(() => window.reactVersion), react === 18 ? '18.3.1' : undefined);
    } finally {
      await context.close();
    }
    assert.ok(compiled.bytes > 0);
    process.stdout.write(`# ${REACT_APPS[react]} compiled by TypeScript in ${compiled.ms.toFixed(0)} ms (${compiled.bytes} bytes)\n`);
  });
}

test('React 18 drops a function prop (the captcha hook, onconsent-form:success) without a word, writes className as "classname" and hidden={false} as hidden="false", and its server escapes a script\'s text child: what the docs tell React 18 hosts', async () => {
  const path = '/f/react18-ssr.html';
  const query = new URLSearchParams({ endpoint: servers.endpoint, events: 'misused' });
  const first = () => new MutationObserver(() => {
    window.firstElement ??= document.getElementById('text-child') ?? undefined;
  }).observe(document, { childList: true, subtree: true });
  const { context, page, problems } = await open(`${path}?${query}`, { init: first });
  try {
    const response = await (await fetch(`${servers.pageOrigin}${path}?${query}`)).text();
    assert.match(response, /<script type="application\/json">\{&quot;texts&quot;:/, 'the server escaped the text child');
    assert.equal(await title(page, '#props'), 'Đăng ký nhận tư vấn');
    const props = await page.$eval('#props', (el) => ({
      captcha: typeof el.captcha, attributes: el.getAttributeNames().filter((n) => !['id', 'kind', 'endpoint', 'policy-url', 'controller', 'key-url'].includes(n)),
    }));
    assert.deepEqual(props, { captcha: 'undefined', attributes: ['classname'] }, 'no captcha hook, no listener, className as "classname"');

    // Sent: the receiver stores it without a captcha token, and the handler given as a
    // prop is never called (a listener on document hears the success).
    await page.evaluate(() => document.addEventListener('consent-form:success', (e) => (window.heard = e.detail.id)));
    await fillAndSend(page, '#props', 'Lê Văn Props');
    const id = await until(page, () => window.heard);
    await page.waitForTimeout(200);
    assert.equal(await page.textContent('#sent'), '', 'the onconsent-form:success prop: no handler');
    assertStored(servers.state, id, 'Lê Văn Props', undefined);

    // hidden={false}: the attribute hidden="false", which hides the element.
    assert.equal(await page.getAttribute('#hidden', 'hidden'), 'false');
    assert.equal(await page.isVisible('#hidden'), false);

    // The text child: the server's HTML has the escaped JSON, the client's render has not —
    // React 18 reports the mismatch and renders the page again in the browser (the server's
    // element thrown away).
    assert.equal(await page.textContent('#text-child button[type=submit]'), 'Gọi lại cho tôi');
    assert.equal(await page.evaluate(() => document.getElementById('text-child') === window.firstElement), false, 'a new element');
    assert.ok(problems.some((p) => p.includes('Text content does not match server-rendered HTML')), problems.join('\n'));
  } finally {
    await context.close();
  }
});

test("mount()'s signal: a mount whose effect is gone never renders, whatever order the mounts arrive in; aborting later destroys the form", async () => {
  const { context, page, problems } = await open('/privacy.html');
  try {
    const seen = await page.evaluate(async (endpoint) => {
      const { mount } = await import('/pkg/consent-form.js');
      const config = { kind: 'contact', endpoint, policy_url: '/privacy.html', controller: 'Công ty TNHH Ví Dụ', key_url: '/api/keys' };
      const forms = (el) => el.shadowRoot?.querySelectorAll('form').length ?? 0;
      const settle = () => new Promise((r) => setTimeout(r, 100));
      const div = () => document.body.appendChild(document.createElement('div'));
      const seen = {};
      // StrictMode's order gone wrong: the second effect's mount is called first, the
      // first effect's (already cleaned up) last.
      const el = div();
      const first = new AbortController();
      const second = new AbortController();
      first.abort();
      const live = mount(el, config, { signal: second.signal });
      const stale = mount(el, config, { signal: first.signal }).then(() => 'resolved', (e) => e.name);
      seen.stale = await stale;
      await live;
      await settle();
      seen.formsWhileLive = forms(el);
      second.abort();
      await settle();
      seen.afterAbort = { forms: forms(el), nodes: el.shadowRoot.childNodes.length };
      // Aborted while it waits for the module (here: in the same task as the call).
      const other = div();
      const cleanup = new AbortController();
      const pending = mount(other, config, { signal: cleanup.signal }).then(() => 'resolved', (e) => e.name);
      cleanup.abort();
      seen.abortedWhileLoading = await pending;
      await settle();
      seen.formsAbortedWhileLoading = forms(other);
      // The controller itself, a likely slip, is refused with what to give.
      seen.wrong = await mount(div(), config, { signal: new AbortController() }).then(() => 'resolved', (e) => `${e.name}: ${e.message}`);
      // A misspelt key, or no object: the form would silently not be tied to the signal.
      seen.misspelt = await mount(div(), config, { sigal: new AbortController().signal }).then(() => 'resolved', (e) => `${e.name}: ${e.message}`);
      seen.notAnObject = await mount(div(), config, 'signal').then(() => 'resolved', (e) => `${e.name}: ${e.message}`);
      // The signal itself, not in an object: it has no keys of its own, so it is no `{ sigal }`.
      seen.bare = await mount(div(), config, new AbortController().signal).then(() => 'resolved', (e) => `${e.name}: ${e.message}`);
      seen.none = await mount(div(), config, null).then(() => 'resolved', (e) => `${e.name}: ${e.message}`);
      return seen;
    }, servers.endpoint);
    assert.deepEqual(seen, {
      stale: 'AbortError',
      formsWhileLive: 1,
      afterAbort: { forms: 0, nodes: 0 },
      abortedWhileLoading: 'AbortError',
      formsAbortedWhileLoading: 0,
      wrong: "TypeError: consent-form: mount()'s options.signal must be an AbortSignal (controller.signal), not AbortController",
      misspelt: 'TypeError: consent-form: mount() takes { signal } as its third argument, not { sigal }',
      notAnObject: 'TypeError: consent-form: mount() takes { signal } as its third argument, not string',
      bare: 'TypeError: consent-form: mount() takes { signal } as its third argument, not the AbortSignal itself',
      none: 'resolved',
    });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('Angular (standalone, zoneless, JIT): [attr.locale] from a signal, [captcha] as a property, events by addEventListener on a @ViewChild, @if', async () => {
  const q = new URLSearchParams({ endpoint: servers.endpoint });
  const { context, page, problems, logged } = await open(`/f/angular.html?${q}`);
  try {
    assert.equal(await title(page, '#form'), 'Đăng ký nhận tư vấn');
    assert.deepEqual(await shadow(page, '#form'), { forms: 1, title: 'Đăng ký nhận tư vấn' });
    assert.ok(logged.includes('log: Angular is running in development mode.'), 'Angular itself ran');

    // The locale in a signal: Angular sets the attribute, the form follows.
    await page.evaluate(() => window.ngState.locale.set('en'));
    await turnsEnglish(page, '#form');
    assert.equal(await page.getAttribute('#form', 'endpoint'), servers.endpoint);

    const sendAndHear = async (name, count) => {
      await fillAndSend(page, '#form', name);
      const sent = await until(page, (n) => window.ngState.sent().length >= n && window.ngState.sent(), count);
      const submitted = await page.evaluate(() => window.submitted);
      assert.equal(submitted.length, count, 'consent-form:submit heard once per submission');
      assert.equal(sent.length, count, 'consent-form:success heard once per submission');
      const [last, lastSubmitted] = [sent.at(-1), submitted.at(-1)];
      assert.equal(lastSubmitted.type, 'consent-form:submit');
      assert.equal(last, lastSubmitted.id, 'the handler got the id submitted');
      // The handler set a signal; Angular (no zone.js) shows it.
      await until(page, (id) => document.getElementById('sent').textContent === id, last);
      assertStored(servers.state, last, name, 'angular-token-contact');
    };
    await sendAndHear('Trần Thị Angular', 1);

    // @if false: Angular removes the element, whose form is destroyed.
    const element = await page.$('#form');
    await page.evaluate(() => window.ngState.shown.set(false));
    await until(page, (el) => !el.isConnected && el.shadowRoot.childNodes.length === 0, element);
    // Shown again: a new element and a new, empty form, which the @ViewChild setter
    // listens to (and no longer to the old one).
    await page.evaluate(() => window.ngState.shown.set(true));
    assert.equal(await title(page, '#form'), 'Request a consultation');
    assert.equal(await page.inputValue('#form input[name=name]'), '');
    await sendAndHear('Lê Văn Angular', 2);

    assert.deepEqual(problems, [], 'no Angular warning, no error');
  } finally {
    await context.close();
  }
});

test("Angular refuses (consent-form:success) in a template (a 'global target'), [locale] sets nothing the form reads, and a child <script type=\"application/json\"> is dropped: what the docs tell Angular hosts", async () => {
  const colon = await open(`/f/angular.html?${new URLSearchParams({ endpoint: servers.endpoint, template: 'colon' })}`);
  try {
    const error = await until(colon.page, () => window.ngError);
    assert.match(error, /Unexpected global target 'consent-form' defined for 'success' event/);
    assert.equal(await colon.page.locator('consent-form').count(), 0, 'the app did not render at all');
  } finally {
    await colon.context.close();
  }
  const prop = await open(`/f/angular.html?${new URLSearchParams({ endpoint: servers.endpoint, template: 'prop' })}`);
  try {
    assert.equal(await title(prop.page, '#prop'), 'Đăng ký nhận tư vấn', 'still Vietnamese');
    assert.equal(await prop.page.getAttribute('#prop', 'locale'), null, 'no attribute set');
    assert.deepEqual(prop.problems, [], 'and no word of it');
  } finally {
    await prop.context.close();
  }
  const json = await open(`/f/angular.html?${new URLSearchParams({ endpoint: servers.endpoint, template: 'json' })}`);
  try {
    await title(json.page, '#json');
    assert.equal(await json.page.evaluate(() => document.querySelector('#json > script')), null, 'no child script');
    assert.equal(await json.page.textContent('#json button[type=submit]'), 'Gửi yêu cầu', "the default text, not the JSON's");
    assert.deepEqual(json.problems, [], 'Angular drops it without a word');
  } finally {
    await json.context.close();
  }
});
