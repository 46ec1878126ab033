// The demo's second host: a page that mounts the form from JavaScript.
import { mount } from '/pkg/consent-form.js';

// mount() rejects when the module cannot load; the element then shows visitors why,
// and the console and `consent-form:error` tell the developer. A host catches it (here
// the message is all; a host might show its own phone number beside it).
const handle = await mount(document.getElementById('callback'), {
  kind: 'callback',
  endpoint: '/api/leads',
  locale: 'vi',
  policy_url: '/privacy.html',
  policy_version: '2026-01',
  controller: 'Công ty TNHH Ví Dụ',
  controller_contact: 'dpo@vidu.vn, 028 3822 1234',
  key_url: '/api/keys',
  withdraw_endpoint: '/api/withdrawals',
}).catch(() => null);
window.consentFormDemo = { handle };

for (const type of ['consent-form:submit', 'consent-form:success', 'consent-form:error', 'consent-form:withdraw']) {
  document.addEventListener(type, (event) => console.log(type, event.detail));
}
