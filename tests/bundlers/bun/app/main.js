// The package imported as any other: it defines <consent-form> (the element in
// index.html) and exports mount(), which renders a form into the <div>. Bun's bundler
// does not follow the package's `new URL('consent_form_bg.wasm', import.meta.url)`
// (it writes no wasm, and the form would fetch a file that is not there): the wasm
// imported as a file gives its URL in the build (Bun emits it under a hashed name),
// and load() says it before the first form loads. The endpoint's placeholder is the
// test's receiver.
import wasm from 'consent-form/consent_form_bg.wasm';
import { load, mount } from 'consent-form';

load({ wasm });

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
