// A host that serves the package's wasm from a place of its own (another path, a CDN)
// and says where, before the first form loads. A real host writes the URL here; the
// test gives it in the page's query (?wasm=…, twice to give two).
import { load, mount } from 'consent-form';

const query = new URLSearchParams(location.search);
for (const wasm of query.getAll('wasm')) load({ wasm }).catch(() => {});
// For the test: load() again, once the forms have loaded.
window.loadAgain = load;

window.heard = [];
for (const type of ['consent-form:submit', 'consent-form:success', 'consent-form:error']) {
  document.addEventListener(type, (e) => {
    window.heard.push({ type, target: e.target.id, ...e.detail });
    if (type === 'consent-form:success') document.getElementById('sent').textContent = e.detail.id;
  });
}
mount(document.getElementById('box'), {
  kind: 'contact',
  endpoint: '__ENDPOINT__',
  key_url: '/api/keys',
  policy_url: '/privacy.html',
  policy_version: '2026-01',
  controller: 'Công ty TNHH Ví Dụ',
  texts: { submit: 'Gọi lại cho tôi' },
})
  // A failed load is logged by the package and shown in the element.
  .catch(() => {});
