// The delivery tests' page: mounts `forms` contact forms (ids f0, f1, …) with the JSON
// `config` from the query, and reports every consent-form:* event, and every request
// the component makes, to the test through the `cfEvent` binding the test exposes (it
// survives reloads).
import { mount } from '/pkg/consent-form.js';

const query = new URLSearchParams(location.search);
const count = Number(query.get('forms') ?? 1);
const config = {
  kind: 'contact',
  locale: 'en',
  policy_url: '/privacy.html',
  policy_version: '2026-01',
  controller: 'Công ty TNHH Thử Nghiệm',
  ...JSON.parse(query.get('config') ?? '{}'),
};

for (const type of ['consent-form:submit', 'consent-form:success', 'consent-form:error']) {
  document.addEventListener(type, (event) => {
    window.cfEvent?.(type, event.target?.id ?? '', event.detail ?? null);
  });
}

// Counts the component's requests (attempts, key fetches, probes) for the test's
// figures; the requests themselves are untouched.
const realFetch = window.fetch.bind(window);
window.fetch = (input, init) => {
  const method = (input instanceof Request ? input.method : init?.method) ?? 'GET';
  const url = input instanceof Request ? input.url : String(input);
  if (!url.includes('/pkg/')) window.cfEvent?.('fetch', '', { method, url });
  return realFetch(input, init);
};

const main = document.getElementById('forms');
window.cfHandles = [];
for (let i = 0; i < count; i++) {
  const host = document.createElement('section');
  host.id = `f${i}`;
  main.append(host);
  window.cfHandles.push(await mount(host, config));
}
window.cfReady = true;
