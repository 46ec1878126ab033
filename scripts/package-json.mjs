// Writes pkg/package.json and copies the licence texts beside it, which makes pkg/ an
// npm package: `npm pack ./pkg` gives the tarball a host installs (`npm install
// consent-form-<version>.tgz`), at the version of Cargo.toml; and writes that version
// into pkg/consent-form.js (which says it when loaded twice). Run by scripts/build after
// the files are in pkg/.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const cargo = readFileSync(new URL('Cargo.toml', root), 'utf8');
const version = /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/m.exec(cargo)?.[1];
if (!version) throw new Error('package-json: no version in the [package] table of Cargo.toml');
const { description, license } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

const manifest = {
  name: 'consent-form',
  version,
  description,
  license,
  type: 'module',
  main: './consent-form.js',
  types: './consent-form.d.ts',
  exports: {
    '.': { types: './consent-form.d.ts', default: './consent-form.js' },
    // For a bundler or server that must name the file (a preload link, a copy step).
    './consent_form_bg.wasm': './consent_form_bg.wasm',
    './package.json': './package.json',
  },
  // Importing the entry defines <consent-form>: a bundler must keep it even when
  // nothing it exports is used.
  sideEffects: ['./consent-form.js'],
  files: ['consent-form.js', 'consent-form.d.ts', 'consent_form.js', 'consent_form_bg.wasm', 'LICENSE-MIT', 'LICENSE-APACHE'],
  keywords: ['consent', 'form', 'custom-element', 'web-component', 'webassembly', 'vietnam', 'pdpl'],
};
writeFileSync(new URL('pkg/package.json', root), `${JSON.stringify(manifest, null, 2)}\n`);
for (const license of ['LICENSE-MIT', 'LICENSE-APACHE']) copyFileSync(new URL(license, root), new URL(`pkg/${license}`, root));
// The entry module's version, in place of its name (which terser may have copied).
const entry = new URL('pkg/consent-form.js', root);
const code = readFileSync(entry, 'utf8');
if (!code.includes('CONSENT_FORM_VERSION')) throw new Error('package-json: no CONSENT_FORM_VERSION in pkg/consent-form.js');
writeFileSync(entry, code.replaceAll('CONSENT_FORM_VERSION', version));
