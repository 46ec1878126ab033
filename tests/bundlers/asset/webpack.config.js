// The webpack.config.js of docs/embedding.md's asset-module example ("Where the wasm
// is"): the package's wasm imported as a file whose URL webpack gives.
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  context: fileURLToPath(new URL('.', import.meta.url)),
  entry: './main.js',
  output: { path: fileURLToPath(new URL('dist', import.meta.url)), clean: true },
  module: { rules: [{ test: /consent_form_bg\.wasm$/, type: 'asset/resource' }] },
  performance: { assetFilter: (file) => !file.endsWith('.wasm') },
};
