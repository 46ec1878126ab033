// The Next.js host app of tests/e2e/nextjs.test.mjs. Nothing here is needed for the
// form: Next's bundlers (Turbopack, and webpack with --webpack) find the package's
// WebAssembly through its `new URL('consent_form_bg.wasm', import.meta.url)` themselves.
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** @type {import('next').NextConfig} */
export default {
  // StrictMode in development (Next's default for the App Router, said here to be sure):
  // effects run, are cleaned up, and run again.
  reactStrictMode: true,
  // This app is a folder of a repository with a lockfile of its own at the top: without
  // these, Next guesses the repository as its root and warns.
  turbopack: { root: here },
  outputFileTracingRoot: here,
};
