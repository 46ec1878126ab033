// consent-form: the module a host page loads. It loads the WebAssembly once, defines
// the <consent-form> element and exports mount(element, config) for JavaScript hosts.
import init, { mount as mountWasm } from './consent_form.js';

let ready;

/** Loads and instantiates the WebAssembly module once; later calls share the promise. */
export function load() {
  ready ??= init();
  return ready;
}

/**
 * Renders a form into `element` (its open shadow root) with `config`, after the module
 * has loaded. Resolves to a handle whose destroy() removes the form — its own only: a
 * later mount on the same element replaces the form and makes this handle stale.
 */
export async function mount(element, config) {
  await load();
  return mountWasm(element, config ?? null);
}

// The attributes whose change updates the form: the string settings (KEYS in
// src/config/from_json.rs, kebab-case; a test in src/config.rs keeps the two equal).
const ATTRIBUTES = [
  'kind', 'endpoint', 'locale', 'policy-url', 'policy-version', 'controller', 'key-url', 'secret',
  'controller-contact', 'withdraw-endpoint', 'minors',
];

/** The <consent-form> custom element. */
export class ConsentFormElement extends HTMLElement {
  static get observedAttributes() {
    return ATTRIBUTES;
  }

  connectedCallback() {
    const token = (this._token = {});
    load().then(
      () => {
        if (this._token === token && this.isConnected && !this._handle) {
          this._handle = mountWasm(this, null);
        }
      },
      (err) => console.error('consent-form: could not load its WebAssembly module', err),
    );
  }

  // Taken off the page, the element's form goes. Moved (taken off and put back in the
  // same task: appendChild or insertBefore of an attached element, a framework
  // reordering or portalling it), it keeps its form as the visitor left it: the boxes
  // ticked, the receipt shown, a submission on its way.
  disconnectedCallback() {
    this._token = null;
    queueMicrotask(() => {
      if (!this.isConnected) {
        this._handle?.destroy();
        this._handle = null;
      }
    });
  }

  attributeChangedCallback() {
    this._handle?.refresh?.();
  }
}

if (!customElements.get('consent-form')) {
  customElements.define('consent-form', ConsentFormElement);
}
