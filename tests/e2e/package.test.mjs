// pkg/ as the npm package a host installs: `npm pack ./pkg` (after `npm run build`), the
// tarball installed offline into a throwaway host project, then used three ways — as
// Node imports it (a framework's server rendering: no DOM, no crash; on Node 20, 24 and
// 22, by import and by require()), as TypeScript
// resolves it (`moduleResolution: bundler`, `--strict`), and in Chromium from the
// project's node_modules through an import map, where the form must render with its
// WebAssembly fetched from beside the entry module.
// Run: node --test tests/e2e/package.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { launchChromium, nodeBinary, requireBuild, root, withoutNode } from './server.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'consent-form-package-'));
const app = join(scratch, 'host-app');
const installed = join(app, 'node_modules', 'consent-form');
const run = (command, args, options = {}) =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
let tarball;

before(() => {
  requireBuild();
  const [packed] = JSON.parse(run('npm', ['pack', join(root, 'pkg'), '--pack-destination', scratch, '--json']));
  tarball = join(scratch, packed.filename);
  run('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'host-app', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: app });
});

after(() => rmSync(scratch, { recursive: true, force: true }));

test("the package holds what a host ships, its types and its licences, nothing else, at Cargo.toml's version", () => {
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  assert.equal(manifest.version, /^version = "([^"]+)"/m.exec(cargo)[1]);
  assert.deepEqual(readdirSync(installed).sort(), ['LICENSE-APACHE', 'LICENSE-MIT', 'consent-form.d.ts', 'consent-form.js', 'consent_form.js', 'consent_form_bg.wasm', 'package.json']);
});

// A host's server runs Node 24 (the active LTS) or 22 as often as 20: the import on each
// (tests/node/ pins 24 and 22; a missing one is skipped, saying so). The same file by
// require() too, as a CommonJS server loads it (require() of an ES module: unflagged
// since Node 20.19 and 22.12).
for (const major of [20, 24, 22]) {
  test(`imported where there is no DOM (server rendering), by Node ${major}: it loads and defines nothing, by import and by require()`, { skip: withoutNode(major) }, () => {
    const node = nodeBinary(major);
    const script = `
import * as cf from 'consent-form';
import { createRequire } from 'node:module';
const required = createRequire(import.meta.url)('consent-form');
const wasm = import.meta.resolve('consent-form/consent_form_bg.wasm');
console.log(JSON.stringify({
  node: process.versions.node, exports: Object.keys(cf).sort(), element: typeof cf.ConsentFormElement, wasm,
  required: Object.keys(required).sort(), same: required.mount === cf.mount, defined: typeof customElements,
}));`;
    const out = JSON.parse(run(node, ['--input-type=module', '-e', script], { cwd: app }));
    assert.equal(out.node.split('.')[0], String(major));
    assert.deepEqual(out.exports, ['ConsentFormElement', 'load', 'mount']);
    assert.equal(out.element, 'function');
    assert.ok(out.wasm.endsWith('/node_modules/consent-form/consent_form_bg.wasm'), out.wasm);
    assert.deepEqual(out.required, out.exports);
    assert.ok(out.same, 'require() gives the same module');
    assert.equal(out.defined, 'undefined');
    process.stdout.write(`# Node ${out.node}: imported and required\n`);
  });
}

test("TypeScript finds the package's types by its name, and they still refuse a wrong kind", () => {
  writeFileSync(join(app, 'app.ts'), `
import { mount, type ConsentFormConfig, type ConsentFormElement } from 'consent-form';
const config: ConsentFormConfig = {
  kind: 'callback',
  endpoint: '/api/leads',
  key_url: '/api/consent-key',
  policy_url: '/chinh-sach-bao-mat',
  controller: 'Công ty TNHH Ví Dụ',
};
export async function show(place: HTMLElement): Promise<void> {
  const handle = await mount(place, config);
  handle.destroy();
  const element = document.querySelector('consent-form') as ConsentFormElement | null;
  element?.addEventListener('consent-form:success', (event) => console.log(event.detail.id));
}
// @ts-expect-error: not a kind of form
export const wrong: ConsentFormConfig = { ...config, kind: 'newsletter' };
`);
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'ES2022', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] },
    files: ['app.ts'],
  }));
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', app]);
});

test('in Chromium, from node_modules through an import map: the form renders, its wasm fetched from beside the entry', async () => {
  writeFileSync(join(app, 'index.html'), `<!doctype html>
<html lang="vi"><meta charset="utf-8"><title>Host</title><link rel="icon" href="data:,">
<script type="importmap">{"imports": {"consent-form": "/node_modules/consent-form/consent-form.js"}}</script>
<script type="module">import 'consent-form';</script>
<consent-form kind="callback" endpoint="/api/leads" policy-url="/chinh-sach" controller="Công ty TNHH Ví Dụ"
  secret="whsec_${Buffer.alloc(32, 7).toString('base64')}"></consent-form>
`);
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const served = [];
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(app, path === '/' ? 'index.html' : path);
    served.push(path);
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const form = page.locator('consent-form');
    await form.locator('input[name=phone]').waitFor();
    assert.equal(await form.locator('[name=consent-consultation]').isChecked(), false);
    assert.ok(served.includes('/node_modules/consent-form/consent_form_bg.wasm'), served.join(' '));
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
  }
});
