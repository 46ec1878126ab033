// The Next.js host app of tests/e2e/nextjs.test.mjs. Nothing here is needed for the
// form: Next's bundlers (Turbopack, and webpack with --webpack) find the package's
// WebAssembly through its `new URL('consent_form_bg.wasm', import.meta.url)` themselves.
//
// CONSENT_FORM_NEXT picks what else the test builds, each into a folder of its own so
// that builds do not overwrite each other:
// - unset: the app as it is (.next/);
// - `export`: a static export (`output: 'export'`, into out-export/), served by a plain
//   static server. Only `.tsx` files are routes then: the Route Handler
//   (app/api/keys/route.ts), the proxy (proxy.ts) and the page rendered at each request
//   (pages/pages-ssr.ts) need a server, which a static host has not (the test's static
//   server passes /api/keys on itself);
// - `prefix`: under `basePath` /shop, its assets under `assetPrefix` /shop-assets.
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const variant = process.env.CONSENT_FORM_NEXT ?? '';

// The types are checked by the app's own build; the other builds skip it (about 10 s each).
const checked = { typescript: { ignoreBuildErrors: true } };

const VARIANTS = {
  '': {},
  export: { output: 'export', distDir: 'out-export', pageExtensions: ['tsx'], ...checked },
  prefix: { basePath: '/shop', assetPrefix: '/shop-assets', distDir: '.next-prefix', ...checked },
};
if (!(variant in VARIANTS)) throw new Error(`CONSENT_FORM_NEXT=${variant}: use export or prefix, or leave it unset`);

/** @type {import('next').NextConfig} */
export default {
  // StrictMode in development (Next's default for the App Router, said here to be sure):
  // effects run, are cleaned up, and run again.
  reactStrictMode: true,
  // Next's dev indicator off: on a Pages Router page, `next dev`'s client sometimes gets
  // the server's first message before its router exists, and warns `[HMR] Invalid
  // message: {"type":"isrManifest",…} TypeError: Cannot read properties of undefined
  // (reading 'components')` (Next 16.4's handleStaticIndicator; seen once in four runs).
  devIndicators: false,
  // This app is a folder of a repository with a lockfile of its own at the top: without
  // these, Next guesses the repository as its root and warns.
  turbopack: { root: here },
  outputFileTracingRoot: here,
  // The pages' key-url and links under the basePath, in server and browser code alike.
  env: { CONSENT_FORM_BASE_PATH: VARIANTS[variant].basePath ?? '' },
  ...VARIANTS[variant],
};
