// A host's webpack.config.js (webpack 5, production). Nothing in it is needed for the
// package: webpack emits the wasm that the package's `new URL('consent_form_bg.wasm',
// import.meta.url)` names as an asset of the build, and rewrites the URL to it.
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  context: fileURLToPath(new URL('.', import.meta.url)),
  entry: './main.js',
  output: { path: fileURLToPath(new URL('dist', import.meta.url)), clean: true },
  // Optional: webpack's size hint counts every asset, and warns that the wasm (the form
  // itself, 467 KiB raw, about 190 KB gzip) is over its 244 KiB. It is fetched after
  // the page's scripts have run and does not hold up the page.
  performance: { assetFilter: (file) => !file.endsWith('.wasm') },
};
