// A real screen reader for tests/e2e/screen-reader.test.mjs: Orca (GNOME's), on a
// private Xvfb display with its own D-Bus session and AT-SPI bus, reading a headed
// Chromium or Firefox ESR; keys go to the display through xdotool, as a keyboard's
// would (through Orca's own key handling: browse and focus mode), and what Orca says
// is read from its debug log ("SPEECH OUTPUT" lines: what it sends to speech).
//
// Debian: apt-get install -y orca xvfb xdotool dbus-x11 at-spi2-core
// No speech synthesiser is needed, nor run: speech-dispatcher is kept from starting
// (SPEECHD_CMD=/bin/false), and Orca logs what it would say all the same. Orca 43 queues
// what it says (its speech-dispatcher backend never cancels one utterance for the
// next); only a key pressed stops what is being said. So the transcript is what a
// listener hears, in order, but for what a key press cut short.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The programs Orca's run needs, missing ones named with their Debian package. */
export function missingTools() {
  const need = [
    ['orca', 'orca'], ['Xvfb', 'xvfb'], ['xdotool', 'xdotool'], ['dbus-daemon', 'dbus-x11'],
  ];
  const missing = need.filter(([bin]) => {
    try {
      execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (!existsSync('/usr/libexec/at-spi-bus-launcher')) missing.push(['at-spi-bus-launcher', 'at-spi2-core']);
  return missing.map(([, pkg]) => pkg);
}

/** One spoken line of Orca's log: `text`, and whether it was the echo of a key pressed. */
function parse(line) {
  const m = line.match(/SPEECH OUTPUT: '(.*)'( voice=\w+)?( ?)(\{.*\})?\s*$/);
  // A key's echo is logged with a space before its voice ("'tab ' {…}").
  return m && { text: m[1], key: m[3] === ' ' };
}

/**
 * Starts Xvfb, a D-Bus session, the AT-SPI bus and Orca, then `browser` ('chromium' or
 * 'firefox', headed, on that display). Resolves to
 * { page, env, say(action, opts), key(...keys), type(text), click(selector),
 * focusWindow(), close(keepLogAs) }: `say` runs `action` and resolves to what Orca said
 * after it, as a list of utterances, key echoes left out, once it has been quiet for
 * `opts.quiet` ms and `opts.until(utterances)` holds (at most `opts.max` ms).
 */
export async function withOrca({ browser: which = 'chromium', locale = 'vi-VN' } = {}) {
  const children = [];
  const scratch = mkdtempSync(join(tmpdir(), 'consent-form-orca-'));
  const home = join(scratch, 'home');
  mkdirSync(home);
  mkdirSync(join(scratch, 'run'), { mode: 0o700 });
  const start = (command, args, env) => {
    const child = spawn('nice', ['-n', '10', command, ...args], { env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.output = () => out;
    children.push(child);
    return child;
  };
  const stopChildren = () => {
    for (const c of children.reverse()) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  };
  process.once('exit', stopChildren);
  const line = (child, stream) =>
    new Promise((resolve, reject) => {
      let s = '';
      stream.on('data', (d) => {
        s += d;
        if (s.includes('\n')) resolve(s.trim());
      });
      child.once('exit', (code) => reject(new Error(`${child.spawnargs.join(' ')} exited (${code}): ${child.output()}`)));
    });

  // The display: Xvfb picks a free one and says which on fd 3.
  const xvfb = start('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1000x24', '-nolisten', 'tcp'], process.env);
  const display = `:${await line(xvfb, xvfb.stdio[3])}`;
  const base = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_RUNTIME_DIR: join(scratch, 'run'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local/share'),
    DISPLAY: display,
    LANG: 'C.UTF-8',
    // No speech-dispatcher: its autospawn can hang Orca's start, and Orca logs what it
    // would say without it.
    SPEECHD_CMD: '/bin/false',
  };
  const dbus = start('dbus-daemon', ['--session', '--nofork', '--print-address=1'], base);
  const env = { ...base, DBUS_SESSION_BUS_ADDRESS: await line(dbus, dbus.stdout) };
  start('/usr/libexec/at-spi-bus-launcher', ['--launch-immediately'], env);

  // Orca's debug log is block-buffered and very detailed: each line is written at once
  // instead, and only at LEVEL_INFO (what it says and why).
  const prefs = join(scratch, 'orca-prefs');
  const logFile = join(scratch, 'orca.log');
  mkdirSync(prefs);
  writeFileSync(
    join(prefs, 'orca-customizations.py'),
    'import orca.debug as d\nif d.debugFile:\n    d.debugFile.reconfigure(line_buffering=True)\n    d.debugLevel = d.LEVEL_INFO\n',
  );
  const orca = start('orca', ['-u', prefs, '--debug-file', logFile], env);

  const said = [];
  let offset = 0;
  let rest = '';
  const read = () => {
    if (!existsSync(logFile)) return;
    const fd = openSync(logFile, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size <= offset) return;
      const buf = Buffer.alloc(size - offset);
      readSync(fd, buf, 0, buf.length, offset);
      offset = size;
      const lines = (rest + buf.toString('utf8')).split('\n');
      rest = lines.pop();
      for (const l of lines) {
        const u = parse(l);
        if (u) said.push(u);
      }
    } finally {
      closeSync(fd);
    }
  };
  for (let i = 0; !said.some((u) => u.text.startsWith('Screen reader on')); i++) {
    if (orca.exitCode !== null || i > 600) throw new Error(`Orca did not start: ${orca.output()}`);
    await sleep(100);
    read();
  }

  let browser;
  let page;
  if (which === 'chromium') {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: false,
      env,
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--force-renderer-accessibility',
        '--window-position=0,0', '--window-size=1280,1000',
      ],
    });
    const context = await browser.newContext({ viewport: null, locale });
    page = await context.newPage();
  } else {
    const require = createRequire(`${root}tests/e2e/firefox/package.json`);
    const { firefox } = require('playwright-core');
    browser = await firefox.launch({
      channel: 'moz-firefox',
      executablePath: process.env.FIREFOX ?? (existsSync('/usr/bin/firefox-esr') ? '/usr/bin/firefox-esr' : '/usr/bin/firefox'),
      headless: false,
      env: { ...env, GNOME_ACCESSIBILITY: '1', MOZ_ENABLE_WAYLAND: '0' },
      firefoxUserPrefs: { 'accessibility.force_disabled': 0, 'intl.accept_languages': 'vi-VN, vi' },
    });
    const context = await browser.newContext({ locale });
    page = await context.newPage();
  }

  const xdo = (...args) => execFileSync('xdotool', args, { env });
  // Keys go to X's focused window: the browser's. (Firefox has a second window of the
  // same class and size, never shown: the page's is the last, named by its title.)
  const focusWindow = () => {
    const windows = execFileSync('xdotool', ['search', '--onlyvisible', '--class', which], { env }).toString().trim().split('\n');
    xdo('windowfocus', '--sync', windows.at(-1));
  };
  const mark = () => {
    read();
    return said.length;
  };
  const words = (from) => said.slice(from).filter((u) => !u.key).map((u) => u.text);
  const settle = async (from, { quiet = 1200, max = 15_000, until = () => true } = {}) => {
    const begun = Date.now();
    let last = begun;
    let count = said.length;
    while ((Date.now() - last < quiet || !until(words(from))) && Date.now() - begun < max) {
      await sleep(100);
      read();
      if (said.length !== count) [count, last] = [said.length, Date.now()];
    }
    return words(from);
  };

  return {
    page,
    env,
    focusWindow,
    /** Runs `action`, resolves to what Orca said after it. */
    async say(action, opts) {
      const from = mark();
      await action();
      return settle(from, opts);
    },
    key: (...keys) => xdo('key', '--delay', '80', ...keys),
    /**
     * A real click (through X) in the middle of what `selector` finds: it gives the page,
     * not the browser's address bar, the keyboard (Firefox, after a navigation).
     */
    async click(selector) {
      const box = await page.locator(selector).first().boundingBox();
      const [x0, y0] = await page.evaluate(() => [
        window.mozInnerScreenX ?? window.screenX + (window.outerWidth - window.innerWidth),
        window.mozInnerScreenY ?? window.screenY + (window.outerHeight - window.innerHeight),
      ]);
      xdo('mousemove', '--sync', String(Math.round(x0 + box.x + box.width / 2)), String(Math.round(y0 + box.y + box.height / 2)), 'click', '1');
    },
    type: (text) => xdo('type', '--delay', '150', text),
    /** Orca's whole debug log so far. */
    logFile,
    async close(keepLog) {
      await browser.close().catch(() => {});
      if (keepLog) execFileSync('cp', [logFile, keepLog]);
      stopChildren();
      process.removeListener('exit', stopChildren);
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
