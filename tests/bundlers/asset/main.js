// docs/embedding.md, "Where the wasm is", webpack 5: the wasm's URL from an asset
// module (the rule in webpack.config.js), given to load() before the form loads.
import wasm from 'consent-form/consent_form_bg.wasm';
import { load } from 'consent-form';

load({ wasm });
// For the test: the URL webpack gave.
window.wasmUrl = wasm;

window.heard = [];
for (const type of ['consent-form:submit', 'consent-form:success']) {
  document.addEventListener(type, (e) => {
    window.heard.push({ type, ...e.detail });
    if (type === 'consent-form:success') document.getElementById('sent').textContent = e.detail.id;
  });
}
