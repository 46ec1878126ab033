// A Vue host's vite.config.js, as docs/embedding.md gives it: the template compiler
// told that <consent-form> is not a Vue component. Nothing else is needed for the
// package (Vite copies its wasm into the build by itself).
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [
    vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === 'consent-form' } } }),
  ],
});
