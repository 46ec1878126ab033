// The npm package in real bundlers, as a web developer uses it: `npm pack ./pkg`, the
// tarball installed offline into a throwaway project, copied into each app's own
// node_modules (beside Vite, @vitejs/plugin-vue, Vue, webpack, esbuild, Rollup and its two
// plugins from this repository's node_modules, linked in as the host's own), the apps of
// tests/bundlers/ built by `vite build` (the command a developer runs), webpack 5 (its
// Node API, with tests/bundlers/webpack.config.js), esbuild (its command line, as a
// package.json script gives it) or Rollup 4 (`rollup -c`, with
// tests/bundlers/rollup.config.js), dist/ served on loopback, and each app used in
// Debian's Chromium by a visitor who fills in the form and sends it to the delivery
// tests' receiver (another origin, which verifies the signature with npm's
// standardwebhooks and stores the submission once).
//
// - element/: `import 'consent-form'` and nothing else (the import that only defines the
//   element must survive the bundler's tree-shaking: "sideEffects"), and a preload link
//   of node_modules' wasm that Vite rewrites; by Vite and by webpack;
// - mount/: import('consent-form') (a chunk of its own), then mount() with a
//   configuration object (texts, a captcha hook); by Vite and by webpack;
// - vue/: Vue single-file components compiled by @vitejs/plugin-vue with
//   isCustomElement (docs/embedding.md's vite.config.js): the element with bound
//   attributes, the events, the child JSON as <component is="script">, and beside it
//   mount() on a component's <div> (ConsentFormBox.vue); built, and on Vite's dev server;
// - vue-script/: a <script type="application/json"> in an SFC template: dropped by the
//   build, refused by the dev server.
// - element/ again, by esbuild without --format=esm (an IIFE, import.meta empty): the
//   load error and the console's reason, the rest of the bundle running.
// - asset/: docs/embedding.md's webpack asset module (`import wasm from
//   'consent-form/consent_form_bg.wasm'`, given to load({ wasm })), by webpack with its
//   own webpack.config.js.
// - the Vite and esbuild (ESM) builds of element/ with a <link data-consent-form> naming
//   a second origin's wasm: fetched from there, not from beside the bundle.
// - three tools each installed in a package of its own (tests/bundlers/<tool>/, by
//   scripts/setup), each building the app beside it (<tool>/app/: the element and
//   mount() on one page): Parcel 2 (`parcel build index.html`, nothing configured; the
//   page's preload link rewritten), Bun's bundler (`bun build ./index.html
//   --target=browser --splitting`; the wasm imported as a file and given to load()), and
//   the Angular CLI (`ng build`, ahead-of-time, production; angular.json's "assets" copies
//   the wasm); Bun's runtime importing the package.
//
// For each build: no warning, the wasm emitted under a hashed name (esbuild: copied
// beside the bundle under its own name, which the package's `new URL()` looks for; the
// very bytes of pkg/ either way), and the page fetching it from there once (nothing from
// node_modules).
// Run: node --test tests/e2e/bundlers.test.mjs (after `npm run build`).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { freePort, launchChromium, nodeBinary, requireBuild, root, withoutNode } from './server.mjs';
import { startServers } from '../delivery/lib/server.mjs';
import { assertStored, fillAndSend, turnsEnglish } from './visitor.mjs';
import { openPage, sends, serveProcess, shadow, title, wasmFetched } from './ssr-host.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'consent-form-bundlers-'));
/** Where `npm install` put the package once; each app's project gets a copy of it. */
const installed = join(scratch, 'installed');
const run = (command, args, options = {}) =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
};
// What a host project has installed besides the package (linked from this repository's
// node_modules: the same versions package-lock.json pins).
const TOOLS = [
  'vite', '@vitejs/plugin-vue', 'vue', 'webpack', 'esbuild',
  'rollup', '@rollup/plugin-node-resolve', '@web/rollup-plugin-import-meta-assets',
];
/** An app's project folder. */
const app = (name) => join(scratch, name);
const pkgWasm = readFileSync(join(root, 'pkg/consent_form_bg.wasm'));

let servers;
let browser;
/**
 * A second origin on loopback, as a CDN: the wasm at /consent-form/0.1.0/… with
 * `Access-Control-Allow-Origin: *`, and at /no-cors/… without it. Its origin, and the
 * paths it was asked for.
 */
let cdn;
const cdnServed = [];
/** Every path the page server was asked for, in order. */
const served = [];
/** Each app's `vite build`: its output and how long it took. */
const builds = new Map();

/**
 * A host project <name>/ made of tests/bundlers/<source> (and `extra` files), the
 * receiver's URL put in, with the installed package in its node_modules and the tools
 * beside it.
 */
function layout(source, name, endpoint, extra = [], { tool } = {}) {
  const dir = app(name);
  cpSync(join(root, 'tests/bundlers', source), dir, { recursive: true });
  for (const file of extra) cpSync(join(root, 'tests/bundlers', file), join(dir, file));
  const fill = (folder) => {
    for (const file of readdirSync(folder)) {
      const path = join(folder, file);
      if (statSync(path).isDirectory()) fill(path);
      else writeFileSync(path, readFileSync(path, 'utf8').replaceAll('__ENDPOINT__', endpoint));
    }
  };
  fill(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `host-${name}`, private: true, type: 'module' }));
  cpSync(join(installed, 'node_modules'), join(dir, 'node_modules'), { recursive: true });
  if (tool) {
    // A tool in a package of its own (tests/bundlers/<tool>/, installed by scripts/setup):
    // all it installed, linked in as the host's own.
    const modules = join(root, 'tests/bundlers', tool, 'node_modules');
    for (const entry of readdirSync(modules)) {
      if (entry !== 'consent-form' && (entry === '.bin' || !entry.startsWith('.'))) symlinkSync(join(modules, entry), join(dir, 'node_modules', entry));
    }
    return dir;
  }
  for (const tool of TOOLS) {
    mkdirSync(dirname(join(dir, 'node_modules', tool)), { recursive: true });
    symlinkSync(join(root, 'node_modules', tool), join(dir, 'node_modules', tool));
  }
  return dir;
}

/**
 * The tools that come in packages of their own (tests/bundlers/<tool>/package.json),
 * each with the file that shows it installed.
 */
const OWN_TOOLS = {
  parcel: 'parcel/lib/bin.js',
  bun: 'bun/bin/bun.exe',
  angular: '@angular/cli/bin/ng.js',
  angular22: '@angular/cli/bin/ng.js',
};
for (const [tool, file] of Object.entries(OWN_TOOLS)) {
  if (!existsSync(join(root, 'tests/bundlers', tool, 'node_modules', file))) {
    throw new Error(`${tool} is not installed: run scripts/setup (npm ci --prefix tests/bundlers/${tool})`);
  }
}

/**
 * The Angular CLIs, each building tests/bundlers/angular/app/ on the Node it needs:
 * Angular 21 (tests/bundlers/angular/) on this process's Node (20 here), Angular 22
 * (tests/bundlers/angular22/) on Node 24 (tests/node/; skipped, saying why, without it).
 */
const ANGULAR = [
  { name: 'angular-app', tool: 'angular', version: 21, node: Number(process.versions.node.split('.')[0]) },
  { name: 'angular22-app', tool: 'angular22', version: 22, node: 24 },
];

/**
 * A build by a tool's own command line in the app's folder, as its developer runs it
 * (`command` and `args`, with `env` added): its output and how long it took.
 */
function cliBuild(name, command, args, env = {}) {
  const started = performance.now();
  const out = spawnSync(command, args, {
    cwd: app(name), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1', ...env },
  });
  const ms = performance.now() - started;
  const output = `${out.stdout}${out.stderr}`;
  assert.equal(out.status, 0, `${[command, ...args].join(' ')} in ${name} failed:\n${output}`);
  return { output, ms };
}

/** `parcel build index.html` (its public URL the app's folder on the test's server). */
function parcelBuild(name) {
  const { output, ms } = cliBuild(name, process.execPath, [join(app(name), 'node_modules/parcel/lib/bin.js'), 'build', 'index.html', '--public-url', `/${name}/`]);
  builds.set(name, { output, ms, done: /Built in/ });
}

/** Bun's bundler for the browser, as its docs give it for an HTML entry point. */
const BUN = ['build', './index.html', '--outdir=dist', '--target=browser', '--splitting', '--minify'];

function bunBuild(name, args = BUN) {
  const { output, ms } = cliBuild(name, join(app(name), 'node_modules/bun/bin/bun.exe'), args);
  builds.set(name, { output, ms, done: /Bundled \d+ modules/ });
}

/**
 * `ng build` (the production configuration, ahead-of-time), under the app's folder on the
 * test's server (or `base`), run by `node` (Angular 22's CLI needs Node 22.22 or 24.15).
 */
function ngBuild(name, node = process.execPath, base = ['--base-href', `/${name}/`]) {
  const { output, ms } = cliBuild(name, node, [join(app(name), 'node_modules/@angular/cli/bin/ng.js'), 'build', ...base], { NG_CLI_ANALYTICS: 'false' });
  builds.set(name, { output, ms, done: /Application bundle generation complete/ });
}

/** `vite build --base /<name>/` in the app's folder, as its developer runs it. */
function viteBuild(name) {
  const started = performance.now();
  const out = spawnSync(process.execPath, [join(app(name), 'node_modules/vite/bin/vite.js'), 'build', '--base', `/${name}/`], {
    cwd: app(name), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1' },
  });
  const ms = performance.now() - started;
  const output = `${out.stdout}${out.stderr}`;
  assert.equal(out.status, 0, `vite build ${name} failed:\n${output}`);
  builds.set(name, { output, ms });
  return output;
}

/**
 * webpack 5 (its Node API, as webpack-cli calls it) with the app's webpack.config.js,
 * then dist/index.html written as html-webpack-plugin would: the page with the bundle as
 * a deferred classic script.
 */
async function webpackBuild(name) {
  const { default: webpack } = await import('webpack');
  const dir = app(name);
  const { default: config } = await import(pathToFileURL(join(dir, 'webpack.config.js')).href);
  const started = performance.now();
  const stats = await new Promise((resolve, reject) => webpack(config, (err, result) => (err ? reject(err) : resolve(result))));
  const ms = performance.now() - started;
  const { warnings, errors } = stats.toJson({ all: false, warnings: true, errors: true });
  const output = stats.toString({ colors: false });
  assert.deepEqual(errors, [], output);
  builds.set(name, { output, ms, warnings });
  // webpack reads no HTML: the page's preload link of node_modules' wasm (which Vite
  // rewrites) would be a 404 here, and is left out.
  writePage(name, (page) => {
    const classic = page.replace('<script type="module" src="./main.js"></script>', '<script defer src="./main.js"></script>');
    assert.notEqual(classic, page);
    return classic.replace(PRELOAD, '');
  });
}

/**
 * esbuild's command line, as a host's package.json script gives it (docs/embedding.md,
 * "From npm"): ES module output, which keeps the package's `import.meta.url` (esbuild's
 * default for the browser, an IIFE, makes it undefined and the package throws
 * `Invalid URL` as it loads); import() as a chunk of its own (`--splitting`); and the
 * package's wasm named as a second entry point, which the `copy` loader copies into
 * dist/, and `--entry-names=[name]` beside the bundle under its own name, where the
 * package's `new URL('consent_form_bg.wasm', import.meta.url)` looks for it. esbuild does
 * not follow that `new URL()` itself (evanw/esbuild#795).
 */
const ESBUILD = [
  'main.js', 'consent-form/consent_form_bg.wasm', '--bundle', '--format=esm', '--splitting', '--minify',
  '--loader:.wasm=copy', '--entry-names=[name]', '--outdir=dist',
];

/**
 * `esbuild <args>` in the app's folder, then dist/index.html: the app's page, whose
 * preload link now names the copied wasm (its name is known: no hash), unless `edit`
 * writes it otherwise.
 */
function esbuildBuild(name, args = ESBUILD, edit = (page) => page.replace('/node_modules/consent-form/consent_form_bg.wasm', 'consent_form_bg.wasm')) {
  const started = performance.now();
  const out = spawnSync(join(app(name), 'node_modules/esbuild/bin/esbuild'), args, {
    cwd: app(name), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' },
  });
  const ms = performance.now() - started;
  const output = `${out.stdout}${out.stderr}`;
  assert.equal(out.status, 0, `esbuild ${name} failed:\n${output}`);
  builds.set(name, { output, ms, done: /Done in \d+ms/ });
  writePage(name, edit);
}

/** `rollup -c` in the app's folder (tests/bundlers/rollup.config.js), then dist/index.html. */
function rollupBuild(name) {
  const started = performance.now();
  const out = spawnSync(process.execPath, [join(app(name), 'node_modules/rollup/dist/bin/rollup'), '-c'], {
    cwd: app(name), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1' },
  });
  const ms = performance.now() - started;
  const output = `${out.stdout}${out.stderr}`;
  assert.equal(out.status, 0, `rollup ${name} failed:\n${output}`);
  builds.set(name, { output, ms, done: /created dist in/ });
  // Rollup reads no HTML either, and the wasm's name is hashed: no preload link.
  writePage(name, (page) => page.replace(PRELOAD, ''));
}

/** The preload link of node_modules' wasm in an app's index.html (Vite rewrites it). */
const PRELOAD = / *<link rel="preload"[^>]*>\n/;

/** dist/index.html of a bundler that reads no HTML: the app's page as `edit` changes it. */
function writePage(name, edit) {
  writeFileSync(join(app(name), 'dist/index.html'), edit(readFileSync(join(app(name), 'index.html'), 'utf8')));
}

/** Which bundler built an app (its name's prefix). */
const bundlerOf = (name) => /^(webpack|esbuild|rollup|parcel|bun|angular)\d*-/.exec(name)?.[1] ?? 'vite';

/** Where an app's build is, which the page server serves (Angular's: dist/<project>/browser/). */
const distOf = (name) => join(app(name), bundlerOf(name) === 'angular' ? 'dist/host/browser' : 'dist');

/**
 * Where a host serves the wasm itself (load({ wasm }) names it): a hashed name under a
 * path of its own, and the same bytes as application/octet-stream (a server that does not
 * know .wasm).
 */
const HOSTED = '/static/wasm/consent_form_bg.3f9a1c07.wasm';
const OCTET = '/static/octet/consent_form_bg.wasm';

/** The page server's own answers: each app's dist/ under /<name>/, and the wasm at HOSTED and OCTET. */
function serve(path) {
  served.push(path);
  if (path === HOSTED) return { type: 'application/wasm', body: pkgWasm };
  if (path === OCTET) return { type: 'application/octet-stream', body: pkgWasm };
  const match = /^\/([\w-]+)\/(.*)$/.exec(path);
  if (!match) return null;
  const dist = distOf(match[1]);
  const file = normalize(join(dist, match[2] || 'index.html'));
  if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) return null;
  return { type: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(file) };
}

before(() => {
  requireBuild();
  const [packed] = JSON.parse(run('npm', ['pack', join(root, 'pkg'), '--pack-destination', scratch, '--json']));
  mkdirSync(installed);
  writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'host', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(scratch, packed.filename)], { cwd: installed });
});

before(async () => {
  servers = await startServers({ serve });
  browser = await launchChromium();
  for (const name of ['element', 'mount', 'vue', 'vue-script']) {
    layout(name, name, servers.endpoint);
    viteBuild(name);
  }
  for (const name of ['element', 'mount']) {
    layout(name, `webpack-${name}`, servers.endpoint, ['webpack.config.js']);
    await webpackBuild(`webpack-${name}`);
    layout(name, `esbuild-${name}`, servers.endpoint);
    esbuildBuild(`esbuild-${name}`);
    layout(name, `rollup-${name}`, servers.endpoint, ['rollup.config.js']);
    rollupBuild(`rollup-${name}`);
  }
  // docs/embedding.md's webpack asset-module example (tests/bundlers/asset/, with its
  // own webpack.config.js): the wasm imported as a file, its URL given to load().
  layout('asset', 'webpack-asset', servers.endpoint);
  await webpackBuild('webpack-asset');
  // The mistake esbuild does not warn of: its default output for the browser, an IIFE
  // (loaded as a classic script), in which import.meta is an empty object.
  layout('element', 'esbuild-iife', servers.endpoint);
  esbuildBuild('esbuild-iife', ESBUILD.filter((a) => a !== '--format=esm' && a !== '--splitting'), (page) =>
    page.replace(PRELOAD, '').replace('<script type="module" src="./main.js"></script>', '<script defer src="./main.js"></script>'));
  // The same IIFE with load({ wasm }) (tests/bundlers/load/): esbuild's plainest command,
  // no wasm in dist/; the host serves it from a place of its own.
  layout('load', 'esbuild-load', servers.endpoint);
  esbuildBuild('esbuild-load', ['main.js', '--bundle', '--minify', '--outdir=dist'], (page) => page);
  // Parcel 2, Bun and the Angular CLI, each installed in a package of its own
  // (tests/bundlers/<tool>/), building the app beside it (tests/bundlers/<tool>/app/).
  layout('parcel/app', 'parcel-app', servers.endpoint, [], { tool: 'parcel' });
  parcelBuild('parcel-app');
  layout('bun/app', 'bun-app', servers.endpoint, [], { tool: 'bun' });
  bunBuild('bun-app');
  for (const { name, tool, node } of ANGULAR) {
    if (nodeBinary(node)) {
      layout('angular/app', name, servers.endpoint, [], { tool });
      ngBuild(name, nodeBinary(node));
    }
  }
  // Angular 22 with server rendering (tests/bundlers/angular22/ssr-app/, its page the
  // other Angular app's), served by its own server at its root.
  if (nodeBinary(24)) {
    layout('angular22/ssr-app', 'angular22-ssr', servers.endpoint, [], { tool: 'angular22' });
    cpSync(join(root, 'tests/bundlers/angular/app/src/index.html'), join(app('angular22-ssr'), 'src/index.html'));
    ngBuild('angular22-ssr', nodeBinary(24), []);
  }
});

before(async () => {
  const server = createServer((req, res) => {
    cdnServed.push(req.url);
    const cors = req.url === '/consent-form/0.1.0/consent_form_bg.wasm';
    if (!cors && req.url !== '/no-cors/consent_form_bg.wasm') {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/wasm', ...(cors ? { 'access-control-allow-origin': '*' } : {}) });
    res.end(pkgWasm);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cdn = { server, origin: `http://127.0.0.1:${server.address().port}` };
});

after(async () => {
  await browser?.close();
  await servers?.close();
  cdn?.server.closeAllConnections();
  await new Promise((resolve) => (cdn ? cdn.server.close(resolve) : resolve()));
  rmSync(scratch, { recursive: true, force: true });
});

/** A fresh visitor on `url`; every console warning or error and page error is kept. */
async function open(url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const failed = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  const wasm = [];
  const wasmUrls = [];
  const requested = [];
  page.on('request', (r) => {
    const { pathname } = new URL(r.url());
    requested.push(pathname);
    if (pathname.endsWith('.wasm')) {
      wasm.push(pathname);
      wasmUrls.push(r.url());
    }
  });
  await page.goto(url);
  return { context, page, problems, wasm, wasmUrls, requested, failed };
}

/** Polls `check` in the page until it returns something truthy. */
function until(page, check, arg) {
  return page.waitForFunction(check, arg, { timeout: 30_000, polling: 50 }).then((h) => h.jsonValue());
}

/**
 * Where each bundler writes the scripts and the wasm under dist/ (Angular: under
 * dist/host/browser/), and the wasm's name: content-hashed (Vite, Rollup:
 * assets/consent_form_bg-<hash>.wasm; webpack: <hash>.wasm; Parcel, Bun: beside the
 * bundle) or, copied by esbuild or Angular's assets, its own.
 */
const OUTPUT = {
  vite: { js: 'assets/', wasm: 'assets/', named: /^consent_form_bg-[\w-]{8,}\.wasm$/ },
  webpack: { js: '', wasm: '', named: /^[0-9a-f]{16,}\.wasm$/ },
  esbuild: { js: '', wasm: '', named: /^consent_form_bg\.wasm$/ },
  rollup: { js: '', wasm: 'assets/', named: /^consent_form_bg-[\w-]{8,}\.wasm$/ },
  parcel: { js: '', wasm: '', named: /^consent_form_bg\.[0-9a-f]{8,}\.wasm$/ },
  bun: { js: '', wasm: '', named: /^consent_form_bg-[0-9a-z]{8,}\.wasm$/ },
  // Copied by angular.json's "assets" under its own name.
  angular: { js: '', wasm: '', named: /^consent_form_bg\.wasm$/ },
};

/** What the build wrote for the wasm: one file, named as above, the bytes of pkg/. Its URL path. */
function emittedWasm(name) {
  const { wasm: folder, named } = OUTPUT[bundlerOf(name)];
  const files = existsSync(join(distOf(name), folder)) ? readdirSync(join(distOf(name), folder)) : [];
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `one wasm in dist/${folder}: ${files.join(' ')}`);
  assert.match(wasm[0], named, ['esbuild', 'angular'].includes(bundlerOf(name)) ? 'its own name' : 'a content-hashed name');
  assert.ok(readFileSync(join(distOf(name), folder, wasm[0])).equals(pkgWasm), 'the bytes of pkg/consent_form_bg.wasm');
  return `/${name}/${folder}${wasm[0]}`;
}

/**
 * The JavaScript files a build emitted, as { file (under dist/), text }: the page's entry
 * script (named in dist/index.html) first.
 */
function scripts(name) {
  const dist = distOf(name);
  const folder = OUTPUT[bundlerOf(name)].js;
  const files = readdirSync(join(dist, folder)).filter((f) => f.endsWith('.js')).map((f) => folder + f);
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  // (Parcel's page is minified: its attributes unquoted.)
  const entry = /<script\b[^>]*\bsrc="?([^" >]+)/.exec(html)[1].replace(`/${name}/`, '').replace(/^\.\//, '');
  assert.ok(files.includes(entry), `${entry} among ${files.join(' ')}`);
  return [entry, ...files.filter((f) => f !== entry)].map((file) => ({ file, text: readFileSync(join(dist, file), 'utf8') }));
}

/**
 * The build said nothing but its report: no warning (webpack: none in its stats), no
 * deprecation, no error, and it said it was done (Vite: "built in", esbuild: "Done in",
 * Rollup: "created dist in").
 */
function assertQuietBuild(name) {
  const { output, warnings, done = /built in/ } = builds.get(name);
  if (warnings) assert.deepEqual(warnings, [], output);
  else assert.match(output, done, output);
  // (The lists of files written: a hash may spell anything.)
  const said = output.split('\n').filter((line) => !/^\s*dist\//.test(line)).join('\n');
  assert.doesNotMatch(said, /warn|deprecat|error|\(!\)|import\.meta/i, output);
}

const ELEMENT = { how: "`import 'consent-form'` only", text: 'Gửi yêu cầu', captcha: undefined };
const MOUNT = { how: "mount() with a configuration object, from import('consent-form')", text: 'Gọi lại cho tôi', captcha: 'mount-token-contact' };
const BUILT = [
  { name: 'element', bundler: 'Vite', ...ELEMENT },
  { name: 'mount', bundler: 'Vite', ...MOUNT },
  { name: 'webpack-element', bundler: 'webpack 5', ...ELEMENT },
  { name: 'webpack-mount', bundler: 'webpack 5', ...MOUNT },
  { name: 'esbuild-element', bundler: 'esbuild', ...ELEMENT },
  { name: 'esbuild-mount', bundler: 'esbuild', ...MOUNT },
  { name: 'rollup-element', bundler: 'Rollup 4', ...ELEMENT },
  { name: 'rollup-mount', bundler: 'Rollup 4', ...MOUNT },
  { name: 'webpack-asset', bundler: 'webpack 5', ...ELEMENT, how: "the docs' asset module (`import wasm from 'consent-form/consent_form_bg.wasm'`) given to load({ wasm })" },
];

for (const { name, bundler, how, text, captcha } of BUILT) {
  test(`${bundler} build, ${how}: the wasm emitted${bundler === 'esbuild' ? ' (copied)' : ' hashed'} and fetched from dist/, a submission stored`, async () => {
    assertQuietBuild(name);
    const wasmPath = emittedWasm(name);
    const chunks = scripts(name);
    if (name.endsWith('mount')) {
      // import(): the package in a chunk of its own, not in the page's entry script.
      assert.equal(chunks.length, 2, chunks.map((c) => c.file).join(' '));
      assert.doesNotMatch(chunks[0].text, /customElements/, `${chunks[0].file}: the entry without the package`);
      assert.match(chunks[1].text, /customElements\.define/);
    } else {
      assert.equal(chunks.length, 1, chunks.map((c) => c.file).join(' '));
      assert.match(chunks[0].text, /customElements\.define/, 'the import kept ("sideEffects")');
    }
    const { context, page, problems, wasm, requested } = await open(`${servers.pageOrigin}/${name}/`);
    try {
      // (No form: what the page said is why.)
      await page.locator('#form #cf-title').waitFor({ timeout: 30_000 }).catch((e) => assert.fail(`${e.message}\n${problems.join('\n')}`));
      assert.equal(await page.textContent('#form #cf-title'), 'Đăng ký nhận tư vấn');
      assert.equal(await page.textContent('#form button[type=submit]'), text);
      assert.deepEqual([...new Set(wasm)], [wasmPath], 'the page fetched the emitted wasm');
      if (name === 'webpack-asset') {
        assert.equal(await page.evaluate(() => window.wasmUrl), `${servers.pageOrigin}${wasmPath}`, 'the URL webpack gave the import, which load() was given');
      }
      assert.equal(served.filter((p) => p === wasmPath).length, 1, 'downloaded once');
      if (name === 'element' || name === 'esbuild-element') {
        // index.html's preload link of node_modules' file, rewritten by Vite to the same
        // emitted file (esbuild's page names the copy: consent_form_bg.wasm), and used by
        // the module's fetch: the one download above.
        const html = readFileSync(join(app(name), 'dist/index.html'), 'utf8');
        const href = name === 'element' ? wasmPath : 'consent_form_bg.wasm';
        assert.match(html, new RegExp(`<link rel="preload" href="${href}" as="fetch" type="application/wasm" crossorigin>`), html);
      }
      assert.deepEqual(served.filter((p) => p.includes('node_modules')), [], 'nothing asked of node_modules');
      for (const { file } of chunks) assert.ok(requested.includes(`/${name}/${file}`), `${file} loaded`);

      await fillAndSend(page, '#form', `Nguyễn Văn ${name}`);
      const id = await until(page, () => document.getElementById('sent').textContent);
      const heard = await page.evaluate(() => window.heard);
      assert.deepEqual(heard.map((h) => [h.type, h.id]), [['consent-form:submit', id], ['consent-form:success', id]], 'each event heard once');
      assertStored(servers.state, id, `Nguyễn Văn ${name}`, captcha);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

test("esbuild without --format=esm: esbuild says nothing, the page goes on, and the form says why it cannot load", async () => {
  assertQuietBuild('esbuild-iife');
  const { context, page, problems, wasm } = await open(`${servers.pageOrigin}/esbuild-iife/`);
  try {
    const note = page.locator('#form [part~=load-error]');
    await note.waitFor({ timeout: 30_000 }).catch((e) => assert.fail(`${e.message}\n${problems.join('\n')}`));
    assert.match(await note.textContent(), /^Không tải được biểu mẫu\./);
    // The host's own code, after the package in the same bundle, ran.
    assert.deepEqual(await page.evaluate(() => window.heard), []);
    assert.deepEqual(wasm, [], 'nothing fetched: there is no URL to fetch');
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /^console\.error: consent-form: could not find its WebAssembly module: import\.meta\.url is empty \(.*Invalid URL\)\. Say where it is with load\(\{ wasm: url \}\), or bundle it as an ES module \(esbuild: --format=esm/);
  } finally {
    await context.close();
  }
});

/** The page of the load app (tests/bundlers/load/) with load({ wasm }) called for each of `wasm`. */
const loadPage = (...wasm) => `${servers.pageOrigin}/esbuild-load/?${new URLSearchParams(wasm.map((w) => ['wasm', w]))}`;

/**
 * Both forms of the load app's page rendered (the element's and mount()'s), the wasm
 * fetched once from `url` and from nowhere else, and a submission from `sel` stored.
 */
async function rendersAndSends({ page, problems, wasmUrls }, url, sel, name) {
  for (const form of ['#form', '#box']) {
    await page.locator(`${form} #cf-title`).waitFor({ timeout: 30_000 }).catch((e) => assert.fail(`${e.message}\n${problems.join('\n')}`));
  }
  assert.equal(await page.textContent('#box button[type=submit]'), 'Gọi lại cho tôi');
  assert.deepEqual(wasmUrls, [url], 'the wasm fetched once, from where load() said');
  await fillAndSend(page, sel, name);
  const id = await until(page, () => document.getElementById('sent').textContent);
  assert.deepEqual((await page.evaluate(() => window.heard)).map((h) => [h.type, h.id]), [['consent-form:submit', id], ['consent-form:success', id]]);
  assertStored(servers.state, id, name);
}

test('esbuild IIFE (no import.meta.url) with load({ wasm }): the wasm from a path and hashed name of the host\'s own; the element and mount() render, a submission from each is stored', async () => {
  assertQuietBuild('esbuild-load');
  assert.deepEqual(readdirSync(join(app('esbuild-load'), 'dist')).filter((f) => f.endsWith('.wasm')), [], 'no wasm in dist/');
  const visit = await open(loadPage(HOSTED));
  try {
    await rendersAndSends(visit, `${servers.pageOrigin}${HOSTED}`, '#form', 'Phạm Văn Đường');
    await fillAndSend(visit.page, '#box', 'Phạm Thị Hộp');
    await until(visit.page, () => window.heard.filter((h) => h.type === 'consent-form:success').length === 2);
    const box = (await visit.page.evaluate(() => window.heard)).filter((h) => h.target === 'box');
    assert.deepEqual(box.map((h) => h.type), ['consent-form:submit', 'consent-form:success']);
    assertStored(servers.state, box[1].id, 'Phạm Thị Hộp');
    assert.deepEqual(visit.problems, []);
  } finally {
    await visit.context.close();
  }
});

test('load({ wasm }) naming a second origin (a CDN answering with CORS): fetched from there once, a submission stored', async () => {
  const url = `${cdn.origin}/consent-form/0.1.0/consent_form_bg.wasm`;
  const visit = await open(loadPage(url));
  try {
    await rendersAndSends(visit, url, '#box', 'Võ Thị CDN');
    assert.deepEqual(visit.problems, []);
  } finally {
    await visit.context.close();
  }
});

test('the markup way: <link rel="preload" … data-consent-form> in the head names the CDN\'s wasm; the IIFE bundle without load() renders from it, one download, and sends', async () => {
  const url = `${cdn.origin}/consent-form/0.1.0/consent_form_bg.wasm`;
  const dist = join(app('esbuild-iife'), 'dist');
  const link = `<link rel="preload" href="${url}" as="fetch" type="application/wasm" crossorigin data-consent-form>`;
  writeFileSync(join(dist, 'link.html'), readFileSync(join(dist, 'index.html'), 'utf8').replace('</head>', `  ${link}\n</head>`));
  const before = cdnServed.length;
  const { context, page, problems, wasmUrls } = await open(`${servers.pageOrigin}/esbuild-iife/link.html`);
  try {
    await page.locator('#form #cf-title').waitFor({ timeout: 30_000 }).catch((e) => assert.fail(`${e.message}\n${problems.join('\n')}`));
    assert.deepEqual(wasmUrls, [url], 'the preload, which the module\'s fetch used');
    assert.deepEqual(cdnServed.slice(before), ['/consent-form/0.1.0/consent_form_bg.wasm'], 'one download');
    await fillAndSend(page, '#form', 'Đỗ Văn Link');
    const id = await until(page, () => document.getElementById('sent').textContent);
    assertStored(servers.state, id, 'Đỗ Văn Link');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

for (const name of ['element', 'esbuild-element']) {
  test(`the markup way with an ES module build (${name === 'element' ? 'Vite' : 'esbuild --format=esm'}): <link … data-consent-form> names the CDN's wasm, fetched from there once rather than from beside the bundle; a submission stored`, async () => {
    const url = `${cdn.origin}/consent-form/0.1.0/consent_form_bg.wasm`;
    const dist = join(app(name), 'dist');
    const link = `<link rel="preload" href="${url}" as="fetch" type="application/wasm" crossorigin data-consent-form>`;
    // The build's own preload of its wasm left out (it would be a second, unused download).
    writeFileSync(join(dist, 'link.html'), readFileSync(join(dist, 'index.html'), 'utf8').replace(PRELOAD, '').replace('</head>', `  ${link}\n</head>`));
    const before = cdnServed.length;
    const { context, page, problems, wasmUrls } = await open(`${servers.pageOrigin}/${name}/link.html`);
    try {
      assert.match(await page.evaluate(() => document.querySelector('script[src]').type), /^module$/);
      await page.locator('#form #cf-title').waitFor({ timeout: 30_000 }).catch((e) => assert.fail(`${e.message}\n${problems.join('\n')}`));
      assert.deepEqual(wasmUrls, [url], 'the link\'s wasm, not the one beside the bundle');
      assert.deepEqual(cdnServed.slice(before), ['/consent-form/0.1.0/consent_form_bg.wasm'], 'one download');
      await fillAndSend(page, '#form', `Đỗ Thị Link ${name}`);
      const id = await until(page, () => document.getElementById('sent').textContent);
      assertStored(servers.state, id, `Đỗ Thị Link ${name}`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

test('load({ wasm }) with a server that sends the wasm as application/octet-stream: the glue warns and compiles it without streaming; the form renders', async () => {
  const visit = await open(loadPage(OCTET));
  try {
    for (const form of ['#form', '#box']) await visit.page.locator(`${form} #cf-title`).waitFor({ timeout: 30_000 });
    assert.deepEqual(visit.wasmUrls, [`${servers.pageOrigin}${OCTET}`]);
    assert.equal(visit.problems.length, 1, visit.problems.join('\n'));
    assert.match(visit.problems[0], /^console\.warning: `WebAssembly\.instantiateStreaming` failed because your server does not serve Wasm with `application\/wasm` MIME type/);
  } finally {
    await visit.context.close();
  }
});

const WRONG = [
  { what: 'a 404', path: () => '/static/wasm/consent_form_bg.missing.wasm', why: /failed to fetch Wasm: 404 Not Found/ },
  { what: 'an HTML page', path: () => '/esbuild-load/index.html', why: /expected magic word 00 61 73 6d/ },
  { what: 'another origin without CORS', path: () => `${cdn.origin}/no-cors/consent_form_bg.wasm`, why: /Failed to fetch/ },
];
for (const { what, path, why } of WRONG) {
  test(`load({ wasm }) naming ${what}: both forms show the load error (the element with Try again), and the console and consent-form:error name the URL`, async () => {
    const url = new URL(path(), servers.pageOrigin).href;
    const { context, page, problems } = await open(loadPage(path()));
    try {
      for (const form of ['#form', '#box']) {
        const note = page.locator(`${form} [part~=load-error]`);
        await note.waitFor({ timeout: 30_000 }).catch((e) => assert.fail(`${e.message}\n${problems.join('\n')}`));
        assert.match(await note.textContent(), /^Không tải được biểu mẫu\./);
      }
      assert.equal(await page.textContent('#form [part~=retry]'), 'Thử lại');
      const reason = `consent-form: could not load its WebAssembly module from ${url}: `;
      // (Chromium's own lines besides: the 404, the CORS refusal; the glue's warning.)
      const errors = problems.filter((p) => p.startsWith('console.error: consent-form:'));
      assert.equal(errors.length, 1, problems.join('\n'));
      assert.ok(errors[0].startsWith(`console.error: ${reason}`), errors[0]);
      assert.match(errors[0], why);
      const heard = await until(page, () => window.heard.length === 2 && window.heard);
      for (const h of heard) {
        assert.equal(h.type, 'consent-form:error');
        assert.equal(h.load_failed, true);
        assert.ok(`consent-form: ${h.reason}`.startsWith(reason), h.reason);
      }
      assert.deepEqual(heard.map((h) => h.target).sort(), ['box', 'form']);
    } finally {
      await context.close();
    }
  });
}

test('load({ wasm }) given twice with different URLs: the console says so, naming both; the module loads once, from the first', async () => {
  const other = `${cdn.origin}/consent-form/0.1.0/consent_form_bg.wasm`;
  const { context, page, problems, wasmUrls } = await open(loadPage(HOSTED, other));
  try {
    for (const form of ['#form', '#box']) await page.locator(`${form} #cf-title`).waitFor({ timeout: 30_000 });
    assert.deepEqual(wasmUrls, [`${servers.pageOrigin}${HOSTED}`]);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.equal(problems[0], `console.error: consent-form: load() came too late for ${other}: the WebAssembly module loads once, from ${servers.pageOrigin}${HOSTED} (docs/embedding.md)`);
    // Once loaded: the same place again, as a path or a URL, resolves and says nothing;
    // another place says so again; anything but { wasm } is refused.
    const again = await page.evaluate(async ([path, url]) => {
      const said = [];
      for (const arg of [{ wasm: path }, { wasm: new URL(path, location.href) }, { wasm: url }, path, { url: path }]) {
        said.push(await window.loadAgain(arg).then(() => 'loaded', (e) => `${e.name}: ${e.message}`));
      }
      return said;
    }, [HOSTED, other]);
    const refused = 'TypeError: consent-form: load() takes { wasm: url }';
    assert.deepEqual(again, ['loaded', 'loaded', 'loaded', refused, refused]);
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.equal(problems[1], problems[0]);
  } finally {
    await context.close();
  }
});

/**
 * The Vue app (tests/bundlers/vue/App.vue) at `url`: the form renders with the child
 * JSON's text, follows the bound locale and the JSON changed in the app's state, and a
 * visitor's submission is heard once by each @ handler and stored. The same for the
 * mount() component (ConsentFormBox.vue) beside it, mounted again for the locale.
 */
async function useVueApp(url, { name, captcha }) {
  const { context, page, problems, wasm, requested } = await open(url);
  try {
    await page.locator('#form #cf-title').waitFor({ timeout: 30_000 });
    assert.equal(await page.textContent('#form #cf-title'), 'Đăng ký nhận tư vấn');
    assert.equal(await page.textContent('#form button[type=submit]'), 'Gọi lại cho tôi', 'the child JSON’s text');
    assert.equal(await page.evaluate(() => document.querySelectorAll('#form > script[type="application/json"]').length), 1);
    await page.locator('#box #cf-title').waitFor({ timeout: 30_000 });
    assert.equal(await page.textContent('#box button[type=submit]'), 'Gọi lại cho tôi', 'the object’s text');

    // The locale in the app's state: Vue sets the attribute, the form follows.
    await page.evaluate(() => (window.vueState.locale.value = 'en'));
    await turnsEnglish(page, '#form');
    // The JSON in the app's state: Vue rewrites the script's text, the form follows.
    await page.evaluate(() => (window.vueState.submitText.value = 'Call me back'));
    await until(page, () => document.getElementById('form').shadowRoot.querySelector('button[type=submit]')?.textContent === 'Call me back');
    // The box mounted again for the new locale: one form, in English.
    await until(page, () => document.getElementById('box').shadowRoot.querySelector('button[type=submit]')?.textContent === 'Call me back');
    assert.equal(await page.evaluate(() => document.getElementById('box').shadowRoot.querySelectorAll('form').length), 1);
    assert.equal(await page.textContent('#box #cf-title'), 'Request a consultation');

    await fillAndSend(page, '#form', name);
    const sent = await until(page, () => window.vueState.sent.value.length > 0 && window.vueState.sent.value);
    await page.waitForTimeout(200);
    const submitted = await page.evaluate(() => window.vueState.submitted.value);
    assert.equal(submitted.length, 1, '@consent-form:submit heard once');
    assert.equal(sent.length, 1, '@consent-form:success heard once');
    assert.equal(sent[0].id, submitted[0].id);
    assert.equal(sent[0].status, 201);
    assert.equal(await page.textContent('#sent'), sent[0].id, 'the template shows what the handler got');
    assertStored(servers.state, sent[0].id, name, captcha);

    // The box: its component's @consent-form:success fell through to its <div>.
    await fillAndSend(page, '#box', `${name} (mount)`);
    const boxSent = await until(page, () => window.vueState.boxSent.value.length > 0 && window.vueState.boxSent.value);
    await page.waitForTimeout(200);
    assert.equal((await page.evaluate(() => window.vueState.boxSent.value)).length, 1, 'heard once');
    assertStored(servers.state, boxSent[0].id, `${name} (mount)`, 'vue-box-token-contact');
    assert.equal((await page.evaluate(() => window.vueState.sent.value)).length, 1, 'not heard by the element’s handler');

    // v-if false: Vue removes the element and the box, whose forms are destroyed.
    const element = await page.$('#form');
    const box = await page.$('#box');
    await page.evaluate(() => (window.vueState.shown.value = false));
    await until(page, (el) => !el.isConnected && el.shadowRoot.childNodes.length === 0, element);
    await until(page, (el) => !el.isConnected && el.shadowRoot.childNodes.length === 0, box);

    assert.deepEqual(problems, [], 'no Vue warning, no error');
    return { wasm, requested };
  } finally {
    await context.close();
  }
}

test('Vite build, Vue single-file components (@vitejs/plugin-vue, isCustomElement): bound attributes, @ events heard once, the child JSON as <component is="script">; mount() on a component\'s <div>', async () => {
  assertQuietBuild('vue');
  const wasmPath = emittedWasm('vue');
  const { wasm } = await useVueApp(`${servers.pageOrigin}/vue/`, { name: 'Trần Thị SFC', captcha: 'vue-sfc-token-contact' });
  assert.deepEqual(wasm, [wasmPath], 'the page fetched the emitted wasm, once');
  assert.deepEqual(served.filter((p) => p.includes('node_modules')), [], 'nothing asked of node_modules');
  // Vue's compiler: the production build of the runtime, no template compiler in the bundle.
  const js = readdirSync(join(app('vue'), 'dist/assets')).filter((f) => f.endsWith('.js'));
  const bundle = js.map((f) => readFileSync(join(app('vue'), 'dist/assets', f), 'utf8')).join('\n');
  assert.doesNotMatch(bundle, /Failed to resolve component/, 'the production runtime');
});

test("Vite's dev server, the same Vue components: the package's wasm found from its pre-bundled copy, submissions stored", async () => {
  const { createServer } = await import('vite');
  const dir = layout('vue', 'vue-dev', '/leads');
  const port = await freePort();
  const logged = [];
  const started = performance.now();
  const dev = await createServer({
    root: dir,
    logLevel: 'warn',
    customLogger: {
      info: () => {}, warn: (m) => logged.push(m), warnOnce: (m) => logged.push(m), error: (m) => logged.push(m),
      clearScreen: () => {}, hasErrorLogged: () => false, hasWarned: false,
    },
    // A developer's proxy to their back end: the key service and the receiver.
    server: { host: '127.0.0.1', port, strictPort: true, proxy: { '/api': servers.pageOrigin, '/leads': new URL(servers.endpoint).origin } },
  });
  await dev.listen();
  try {
    const { wasm, requested } = await useVueApp(`http://127.0.0.1:${port}/`, { name: 'Lê Văn Dev', captcha: 'vue-sfc-token-contact' });
    // Vite serves the package pre-bundled (node_modules/.vite/deps/), whose new URL(…)
    // it rewrote to the installed package's file.
    assert.ok(requested.some((p) => p.startsWith('/node_modules/.vite/deps/consent-form.js')), requested.join(' '));
    assert.deepEqual(wasm, ['/node_modules/consent-form/consent_form_bg.wasm']);
    const res = await fetch(`http://127.0.0.1:${port}${wasm[0]}`);
    assert.equal(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(pkgWasm), 'the installed package’s wasm');
    assert.deepEqual(logged, [], 'Vite warned of nothing');
  } finally {
    await dev.close();
  }
  process.stdout.write(`vite dev server: started, used and closed in ${(performance.now() - started).toFixed(0)} ms\n`);
});

test('a <script type="application/json"> in an SFC template: `vite build` drops it without a word, the dev server refuses the component', async () => {
  assertQuietBuild('vue-script');
  const bundle = readdirSync(join(app('vue-script'), 'dist/assets')).filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(join(app('vue-script'), 'dist/assets', f), 'utf8')).join('\n');
  assert.doesNotMatch(bundle, /Gọi lại cho tôi/, 'the JSON is not in the bundle');
  const { context, page, problems } = await open(`${servers.pageOrigin}/vue-script/`);
  try {
    await page.locator('#form #cf-title').waitFor({ timeout: 30_000 });
    assert.equal(await page.evaluate(() => document.querySelector('#form > script')), null, 'no child script');
    assert.equal(await page.textContent('#form button[type=submit]'), 'Gửi yêu cầu', 'the default text, not the JSON’s');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }

  const { createServer } = await import('vite');
  const dev = await createServer({ root: app('vue-script'), logLevel: 'silent', server: { middlewareMode: true, ws: false } });
  try {
    await assert.rejects(dev.transformRequest('/App.vue'), (e) => /^Tags with side effect \(<script> and <style>\) are ignored/.test(e.message));
  } finally {
    await dev.close();
  }
});

/**
 * A visit of an app whose page has the element (#form) and a <div> that mount() fills
 * (#box): both forms render, the wasm is fetched once from the build (`wasmPath`),
 * nothing from node_modules, nothing answers 404, a submission from each is stored.
 * `before(visit)` runs once both forms show.
 */
async function useBothForms(name, wasmPath, { captcha, before: first } = {}) {
  const visit = await open(`${servers.pageOrigin}/${name}/`);
  const { page, problems, failed } = visit;
  try {
    for (const form of ['#form', '#box']) {
      await page.locator(`${form} #cf-title`).waitFor({ timeout: 30_000 }).catch((e) => assert.fail(`${e.message}\n${[...problems, ...failed].join('\n')}`));
    }
    assert.equal(await page.textContent('#form button[type=submit]'), 'Gửi yêu cầu');
    assert.equal(await page.textContent('#box button[type=submit]'), 'Gọi lại cho tôi', 'mount()’s texts');
    assert.deepEqual([...new Set(visit.wasmUrls)], [`${servers.pageOrigin}${wasmPath}`], 'the wasm fetched from the build');
    if (first) await first(visit);
    await fillAndSend(page, '#form', `Nguyễn Văn ${name}`);
    const id = await until(page, () => document.getElementById('sent').textContent);
    assertStored(servers.state, id, `Nguyễn Văn ${name}`, captcha);
    await fillAndSend(page, '#box', `Trần Thị ${name}`);
    await until(page, () => window.heard.filter((h) => h.type === 'consent-form:success').length === 2);
    const heard = await page.evaluate(() => window.heard);
    assert.deepEqual(heard.map((h) => [h.type, h.target]), [
      ['consent-form:submit', 'form'], ['consent-form:success', 'form'], ['consent-form:submit', 'box'], ['consent-form:success', 'box'],
    ], 'each event heard once');
    assertStored(servers.state, heard[3].id, `Trần Thị ${name}`);
    assert.deepEqual(served.filter((p) => p === wasmPath), [wasmPath], 'downloaded once');
    assert.deepEqual(served.filter((p) => p.includes('node_modules')), [], 'nothing asked of node_modules');
    assert.deepEqual(failed, [], 'nothing answered 4xx or 5xx');
    assert.deepEqual(problems, []);
  } finally {
    await visit.context.close();
  }
}

test('Parcel 2 build (`parcel build index.html`, nothing configured), the element and mount(): the wasm emitted hashed, the page\'s preload link rewritten to it, fetched once; a submission from each form stored', async () => {
  assertQuietBuild('parcel-app');
  const wasmPath = emittedWasm('parcel-app');
  const chunks = scripts('parcel-app');
  assert.equal(chunks.length, 1, chunks.map((c) => c.file).join(' '));
  assert.match(chunks[0].text, /customElements\.define/);
  const html = readFileSync(join(distOf('parcel-app'), 'index.html'), 'utf8');
  assert.match(html, new RegExp(`<link rel="?preload"? href="?${wasmPath}"? as="?fetch"? type="?application/wasm"? crossorigin>`), html);
  await useBothForms('parcel-app', wasmPath);
});

test('Bun build (`bun build ./index.html --target=browser --splitting`), the element and mount(), the wasm imported as a file and given to load({ wasm }): emitted hashed, fetched once; a submission from each form stored', async () => {
  assertQuietBuild('bun-app');
  const wasmPath = emittedWasm('bun-app');
  const chunks = scripts('bun-app');
  assert.equal(chunks.length, 1, chunks.map((c) => c.file).join(' '));
  assert.match(chunks[0].text, /customElements\.define/);
  await useBothForms('bun-app', wasmPath);
});

test("Bun's runtime imports the package (no DOM): it loads and defines nothing", () => {
  const script = `
const cf = await import('consent-form');
console.log(JSON.stringify({ exports: Object.keys(cf).sort(), element: typeof cf.ConsentFormElement, dom: typeof customElements }));`;
  const out = JSON.parse(run(join(app('bun-app'), 'node_modules/bun/bin/bun.exe'), ['-e', script], { cwd: app('bun-app') }));
  assert.deepEqual(out, { exports: ['ConsentFormElement', 'load', 'mount'], element: 'function', dom: 'undefined' });
});

for (const { name, version, node } of ANGULAR) {
  test(`Angular ${version} CLI build on Node ${node} (\`ng build\`: @angular/build's application builder, ahead-of-time, production), the wasm copied by angular.json's assets: the element with [attr.locale] and [captcha], mount() in afterNextRender; fetched once; a submission from each form stored`, { skip: withoutNode(node) }, async () => {
    assertQuietBuild(name);
    const wasmPath = emittedWasm(name);
    const chunks = scripts(name);
    // import('consent-form') in afterNextRender: a lazy chunk, not in main-<hash>.js.
    assert.doesNotMatch(chunks[0].text, /customElements\.define/, `${chunks[0].file}: the entry without the package`);
    assert.equal(chunks.filter((c) => /customElements\.define/.test(c.text)).length, 1, chunks.map((c) => c.file).join(' '));
    // Ahead-of-time: no template compiler in the build.
    assert.doesNotMatch(chunks.map((c) => c.text).join('\n'), /JIT compiler unavailable|ɵcompileComponent/);
    await useBothForms(name, wasmPath, {
      captcha: 'angular-token-contact',
      // The bound attribute: the locale changed in the component's signal.
      before: async ({ page }) => {
        await page.evaluate(() => window.ngState.locale.set('en'));
        await turnsEnglish(page, '#form');
      },
    });
  });
}

/** The Angular SSR app's server (`node dist/host/server/server.mjs`) on Node `major`. */
function ssrServer(major) {
  return serveProcess({
    name: 'node dist/host/server/server.mjs', node: nodeBinary(major), cwd: app('angular22-ssr'), ready: '/',
    args: () => ['dist/host/server/server.mjs'],
    env: (port) => ({ ...process.env, PORT: String(port), NG_KEYS_URL: `${servers.pageOrigin}/api/keys` }),
  });
}

/** The element with its attributes in the HTML the Angular SSR app's server on `origin` wrote, marked for hydration. */
async function ssrHtml(origin) {
  const html = await (await fetch(`${origin}/`)).text();
  assert.match(html, new RegExp(`<consent-form id="contact" kind="contact" endpoint="${servers.endpoint}" policy-url="/chinh-sach-bao-mat" controller="Công ty TNHH Ví Dụ" key-url="/api/keys" locale="vi"></consent-form>`), html);
  assert.match(html, /<app-contact [^>]*\bngh="0"[^>]*ng-server-context="ssr"/, 'rendered for hydration');
}

test("Angular 22 server rendering on Node 24 (`ng build` with outputMode \"server\", @angular/ssr, the express server `ng new --ssr` writes): the element with its attributes in the server's HTML, hydrated (that element kept) without an error, the form renders, follows [attr.locale], a submission stored", { skip: withoutNode(24) }, async () => {
  assertQuietBuild('angular22-ssr');
  assert.deepEqual(readdirSync(join(app('angular22-ssr'), 'dist/host/browser')).filter((f) => f.endsWith('.wasm')), ['consent_form_bg.wasm']);
  const server = await ssrServer(24);
  servers.state.pageOrigin = server.origin; // the receiver answers CORS for this server's page
  try {
    await ssrHtml(server.origin);
    const { context, page, problems, responses } = await openPage(browser, server.origin, '/');
    try {
      assert.equal(await title(page, '#contact'), 'Đăng ký nhận tư vấn');
      assert.ok(await page.evaluate(() => document.getElementById('contact') === window.firstElement), 'the server’s element, hydrated (not replaced)');
      assert.deepEqual(await shadow(page, '#contact'), { forms: 1, title: 'Đăng ký nhận tư vấn' });
      await page.evaluate(() => window.ngState.locale.set('en'));
      await turnsEnglish(page, '#contact');
      await sends(servers.state, page, '#contact', 'Nguyễn Văn Angular SSR');
      const paths = await wasmFetched(responses, /^\/consent_form_bg\.wasm$/, 'the wasm angular.json copied');
      assert.equal(paths.length, 1, `fetched once: ${paths.join(' ')}`);
      assert.deepEqual(responses.filter((r) => r.status >= 400), []);
      assert.deepEqual(problems, [], 'no hydration error (NG05…), no error');
    } finally {
      await context.close();
    }
  } finally {
    servers.state.pageOrigin = null;
    await server.stop();
    assert.doesNotMatch(server.output(), /\berror\b|warn/i, `the server's output:\n${server.output()}`);
  }
});

test("the same Angular 22 server on Node 22: the element with its attributes in its HTML, marked for hydration", { skip: withoutNode(24) || withoutNode(22) }, async () => {
  const server = await ssrServer(22);
  try {
    await ssrHtml(server.origin);
  } finally {
    await server.stop();
    assert.doesNotMatch(server.output(), /\berror\b|warn/i, `the server's output:\n${server.output()}`);
  }
});

test('timings', () => {
  const command = {
    vite: 'vite build', webpack: 'webpack', esbuild: 'esbuild', rollup: 'rollup -c',
    parcel: 'parcel build', bun: 'bun build', angular: 'ng build',
  };
  for (const [name, { ms }] of builds) process.stdout.write(`${command[bundlerOf(name)]} ${name}: ${ms.toFixed(0)} ms\n`);
});
