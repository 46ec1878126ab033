// Debian's Chromium driven by playwright-core, and the test page's helpers: mounting
// forms, filling one in as a visitor, reading where it stands. Every page error, and
// any console line that looks like a Rust panic or a wasm trap, is collected so a test
// can assert there was none.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
      // Background tabs keep their timers: the tests switch tabs and reload.
      '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows'],
  });
}

/**
 * A fresh context (own storage, own preflight cache) whose pages report the form's DOM
 * events to `events` and their crashes to `errors`.
 */
export async function newContext(browser) {
  const context = await browser.newContext();
  const events = [];
  const errors = [];
  await context.exposeBinding('cfEvent', ({ page }, type, host, detail) => {
    events.push({ type, host, detail, page, at: Date.now() });
  });
  const watch = (page) => {
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('crash', () => errors.push('page crashed'));
    page.on('console', (msg) => {
      const text = msg.text();
      if (/panicked|RuntimeError|unreachable|memory access out of bounds/i.test(text)) errors.push(`console: ${text}`);
    });
  };
  context.on('page', watch);
  return { context, events, errors };
}

/** Opens the test page with `forms` forms configured by `config` (snake_case keys). */
export async function openForms(context, servers, { forms = 1, config = {} } = {}) {
  const page = await context.newPage();
  const conf = {
    endpoint: servers.endpoint, key_url: '/api/keys', timeout_ms: 2000, min_fill_ms: 0, ...config,
  };
  const q = new URLSearchParams({ forms: String(forms), config: JSON.stringify(conf) });
  await page.goto(`${servers.pageOrigin}/t/index.html?${q}`);
  await page.waitForFunction(() => window.cfReady === true, null, { timeout: 30_000 });
  return page;
}

let serial = 0;

/**
 * Fills form `host` (an element id) as a visitor would — name and phone, and `more`
 * fields if given (`{ company, email, need, industry: true }`) — ticks the consultation
 * consent (and marketing if asked), submits.
 */
export async function submit(page, host, { name, phone = '0902 666 984', marketing = false, more = {} } = {}) {
  serial++;
  const sel = `#${host}`;
  if (more.company) await page.fill(`${sel} input[name=company]`, more.company);
  await page.fill(`${sel} input[name=name]`, name ?? `Khách ${serial} Nguyễn`);
  if (more.industry) await page.selectOption(`${sel} select[name=industry]`, { index: 2 });
  if (more.need) await page.fill(`${sel} textarea[name=need]`, more.need);
  await page.fill(`${sel} input[name=phone]`, phone);
  if (more.email) await page.fill(`${sel} input[name=email]`, more.email);
  await page.check(`${sel} input[name=consent-consultation]`);
  if (marketing) await page.check(`${sel} input[name=consent-marketing]`);
  await page.click(`${sel} button[type=submit]`);
}

/** Where form `host` stands: `sent` (receipt shown), `queued`, `failed`, `sending` or `editing`, with the status text. */
export async function standing(page, host) {
  return page.evaluate((host) => {
    const root = document.getElementById(host)?.shadowRoot;
    if (!root) return { phase: 'missing', text: '' };
    const receipt = root.querySelector('.cf-receipt');
    if (receipt) {
      const id = receipt.querySelector('.cf-mono')?.textContent ?? '';
      return { phase: 'sent', text: receipt.textContent, id };
    }
    const status = root.querySelector('.cf-status');
    const text = status?.textContent ?? '';
    // editing, sending, queued or failed (sent shows the receipt instead).
    const phase = status?.dataset.state ?? 'editing';
    const values = Object.fromEntries([...root.querySelectorAll('input[name], textarea[name], select[name]')]
      .filter((e) => e.type !== 'checkbox').map((e) => [e.name, e.value]));
    return { phase, text, values };
  }, host);
}

/** Waits until form `host` is in one of `phases`; returns where it stands. */
export async function waitFor(page, host, phases, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  let last;
  while (Date.now() < until) {
    last = await standing(page, host);
    if (phases.includes(last.phase)) return last;
    await page.waitForTimeout(50);
  }
  throw new Error(`form #${host} did not reach ${phases.join('/')} in ${timeoutMs} ms; it is ${JSON.stringify(last)}`);
}

/** The outbox as stored in the page's localStorage: [{ id, attempts, ... }]. */
export async function outbox(page) {
  return page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('consent-form:outbox:'))
    .map((k) => {
      try { return JSON.parse(localStorage.getItem(k)); } catch { return { damaged: k }; }
    }));
}

/** Polls `check` until it returns a truthy value. */
export async function until(check, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
