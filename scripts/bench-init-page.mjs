// The page scripts/bench-init.mjs times (shared with bench-init-ab.mjs): the
// <consent-form> element as a host writes it, created only after load() has resolved,
// so that what is timed is the form, not the download. Like a host page, it has text
// of its own, laid out before the form comes. `pkg` is the URL path of the built pkg/.
export const page = (kind, pkg = '/pkg') => `<!doctype html><html lang="vi"><meta charset="utf-8"><body>
<h1>Công ty TNHH Ví Dụ</h1><p>Thiết kế website, SEO và quảng cáo trực tuyến cho doanh nghiệp Việt Nam.</p>
<script type="module">
document.body.offsetHeight;
import { load } from '${pkg}/consent-form.js';
await load();
const t0 = performance.now();
const el = document.createElement('consent-form');
for (const [k, v] of Object.entries({ kind: '${kind}', endpoint: '/api/leads', 'policy-url': '/privacy.html',
  controller: 'Công ty TNHH Ví Dụ', 'key-url': '/api/keys' })) el.setAttribute(k, v);
document.body.append(el);
const ready = () => {
  const input = el.shadowRoot?.querySelector('input[name=name]');
  if (!input) return false;
  input.focus();
  return el.shadowRoot.activeElement === input;
};
await new Promise((resolve) => {
  // The element mounts in a microtask after connectedCallback: look for the shadow root
  // on each microtask (a task later if it takes long), then watch it.
  let spins = 0;
  const check = () => {
    if (ready()) return resolve();
    if (!el.shadowRoot) return ++spins < 1000 ? queueMicrotask(check) : setTimeout(check, 0);
    const watch = new MutationObserver(() => ready() && (watch.disconnect(), resolve()));
    watch.observe(el.shadowRoot, { childList: true, subtree: true });
  };
  check();
});
const interactive = performance.now() - t0;
await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
window.__result = { interactive, painted: performance.now() - t0 };
</script>`;

/** Median, p95, min and max of `values`. */
export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { median: at(0.5), p95: at(0.95), min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Opens a tab and lets it settle before the caller loads the page: a new tab often makes
 *  Chromium build its own omnibox popup (a WebUI page in another process, about 0.5 s of
 *  CPU; `node scripts/bench-init-noise.mjs` shows it), which on a small machine would
 *  compete with the form for the cores. A visitor's tab did that long before the page
 *  loaded. SETTLE=<ms> changes the wait (SETTLE=0: none). */
export async function openTab(context) {
  const tab = await context.newPage();
  const settle = Number(process.env.SETTLE ?? 1500);
  if (settle > 0) await new Promise((resolve) => setTimeout(resolve, settle));
  return tab;
}
