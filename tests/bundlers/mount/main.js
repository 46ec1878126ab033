// A host that renders the form from code, with a configuration object (texts and a
// captcha hook, which attributes cannot carry), and loads the package only then, with
// import(), as the docs' React and Vue components do: the bundler makes it a chunk of
// its own, fetched on demand. The endpoint's placeholder is the test's receiver.
const host = document.getElementById('form');
window.heard = [];
for (const type of ['consent-form:submit', 'consent-form:success']) {
  host.addEventListener(type, (e) => {
    window.heard.push({ type, ...e.detail });
    if (type === 'consent-form:success') document.getElementById('sent').textContent = e.detail.id;
  });
}
import('consent-form')
  .then(({ mount }) => mount(host, {
    kind: 'contact',
    endpoint: '__ENDPOINT__',
    key_url: '/api/keys',
    policy_url: '/privacy.html',
    policy_version: '2026-01',
    controller: 'Công ty TNHH Ví Dụ',
    texts: { submit: 'Gọi lại cho tôi' },
    captcha: ({ form }) => `mount-token-${form}`,
  }))
  // A failed load is logged by the package and shown in the element.
  .catch(() => {});
