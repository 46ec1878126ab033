// Starting what serves the demo (www/, pkg/, /api/keys, /api/leads) on a free loopback
// port, for the Playwright tests and scripts/bench-init. When the demo server changes,
// only startServer() changes.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, before } from 'node:test';

export const root = new URL('../../', import.meta.url).pathname;

/** Fails early, with what to do, if pkg/ has not been built. */
export function requireBuild() {
  if (!existsSync(`${root}pkg/consent_form_bg.wasm`) || !existsSync(`${root}pkg/consent-form.js`)) {
    throw new Error('pkg/ is not built: run `npm run build` first');
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the demo server on a free port and waits until it answers.
 * Resolves to { url, stop(), output() }.
 */
export async function startServer() {
  requireBuild();
  const port = await freePort();
  // The node demo server while it exists; else scripts/serve (the Rust receiver, which
  // may compile first: hence the patience).
  const node = existsSync(`${root}scripts/serve.mjs`);
  const [command, args, patience] = node
    ? [process.execPath, ['scripts/serve.mjs'], 15_000]
    : ['bash', ['scripts/serve'], 20 * 60_000];
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never outlive the test process, even when it dies.
  const killChild = () => child.exitCode === null && child.kill();
  process.once('exit', killChild);
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + patience;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the demo server exited (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`the demo server did not answer on ${url} within ${patience / 1000} s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    output: () => log,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Debian's Chromium, headless, as the project's Playwright scripts launch it. */
export async function launchChromium(extraArgs = []) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs,
    ],
  });
}

/**
 * For a test file: starts the demo server and Chromium before its tests and stops both
 * after them. Returns { server, browser }, filled in by the time the tests run.
 */
export function demoInChromium() {
  const demo = { server: null, browser: null };
  before(async () => {
    demo.server = await startServer();
    demo.browser = await launchChromium();
  });
  after(async () => {
    await demo.browser?.close();
    await demo.server?.stop();
  });
  return demo;
}
