// The Nuxt host app of tests/e2e/nuxt.test.mjs (docs/embedding.md, "Nuxt"). The
// lines the form needs are `isCustomElement` (Vue's template compiler then leaves
// <consent-form> to the browser instead of looking for a Vue component of that name) and,
// for `nuxt dev`, `optimizeDeps.exclude`. Nuxt's Vite build finds the package's
// WebAssembly through its `new URL('consent_form_bg.wasm', import.meta.url)` by itself.
export default defineNuxtConfig({
  compatibilityDate: '2026-01-01',
  devtools: { enabled: false },
  telemetry: false,
  vue: {
    compilerOptions: { isCustomElement: (tag) => tag === 'consent-form' },
  },
  // `nuxt dev` (Vite 7's dependency optimizer) would copy the package's code into
  // node_modules/.cache/vite/client/deps/ without its wasm, and the module would fetch
  // the wasm from there: a 404, and no form. Excluded, the module is served
  // from the installed package, the wasm beside it.
  vite: { optimizeDeps: { exclude: ['consent-form'] } },
  runtimeConfig: {
    // Where the form's key-url asks for signing keys (server/api/keys.post.ts); set by
    // NUXT_CONSENT_FORM_KEYS_URL at run time.
    consentFormKeysUrl: '',
    public: {
      // Where the forms send: NUXT_PUBLIC_CONSENT_FORM_ENDPOINT (the test's receiver, on
      // another origin); a host would write its own.
      consentFormEndpoint: '/api/leads',
    },
  },
  app: {
    head: { htmlAttrs: { lang: 'vi' }, title: 'Công ty TNHH Ví Dụ', link: [{ rel: 'icon', href: 'data:,' }] },
  },
});
