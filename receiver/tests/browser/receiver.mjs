// What the receiver's browser tests share: the receiver binary started on a free
// loopback port (and, from the form's own tests, the port and Chromium).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { root } from '../../../tests/e2e/server.mjs';

export { freePort, launchChromium, root } from '../../../tests/e2e/server.mjs';
const targetDir = process.env.CARGO_TARGET_DIR ?? `${root}target`;
/** The receiver built by `cargo test -p receiver` (or `cargo build -p receiver`). */
export const binary = process.env.RECEIVER_BIN ?? `${targetDir}/debug/receiver`;
/** The owner token the receivers started here are given. */
export const token = randomBytes(24).toString('hex');

/**
 * Starts the receiver on `port` with `database` (serving www/ and pkg/), `env` added to
 * its environment; resolves to { url, stop(), log() } once it listens.
 */
export function startReceiver(port, database, env = {}) {
  const child = spawn(binary, ['--www', `${root}www`, '--pkg', `${root}pkg`], {
    env: {
      PORT: String(port),
      DATABASE_URL: database,
      RECEIVER_OWNER_TOKEN: token,
      RECEIVER_INSECURE_COOKIE: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.once('exit', () => child.exitCode === null && child.kill());
  let out = '';
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (\S+)/);
      if (m) {
        resolve({
          url: `${m[1]}/`,
          log: () => log,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', done);
              child.kill('SIGTERM');
              // Graceful shutdown waits for open requests; do not wait forever.
              setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`the receiver exited (${code}):\n${log}`)));
  });
}
