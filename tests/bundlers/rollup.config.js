// A host's rollup.config.js (Rollup 4, run as `rollup -c`). For the package it needs
// one plugin besides node-resolve: @web/rollup-plugin-import-meta-assets, which emits the
// wasm that the package's `new URL('consent_form_bg.wasm', import.meta.url)` names
// (dist/assets/consent_form_bg-<hash>.wasm) and rewrites the URL to it. Rollup alone
// leaves the URL as it is, pointing beside the bundle, where nothing was written.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { importMetaAssets } from '@web/rollup-plugin-import-meta-assets';

export default {
  input: 'main.js',
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve(), importMetaAssets()],
};
