// consent-form: the module a host page loads. It loads the WebAssembly once, defines
// the <consent-form> element and exports mount(element, config) for JavaScript hosts.
import init, { mount as mountWasm } from './consent_form.js';

let ready;
// Where the module comes from: what load({ wasm }) was given, else the page's
// <link data-consent-form href="…">, else (undefined) the glue's own default, beside it.
let given;
// Where the current or last load fetched it from: a URL's href, or the object given.
let from;

// Where the glue finds the module by default: beside this file. None where a bundler has
// made this module part of a classic script, whose import.meta has no url (esbuild's
// default output, an IIFE): the page goes on, and the form says why it cannot load.
let WASM_URL = null;
try {
  WASM_URL = new URL('consent_form_bg.wasm', import.meta.url).href;
} catch {
  // The glue's own new URL() fails the same way, in load(): failure() says why.
}
// The folder of this copy's files, for the developer (a bare import.meta.url would be
// the build machine's path in a webpack bundle).
const SELF = WASM_URL?.slice(0, WASM_URL.lastIndexOf('/') + 1);
// The package's version: scripts/package-json.mjs writes it in place of the name.
const VERSION = 'CONSENT_FORM_VERSION';

/** A URL (string or URL) as its absolute href, resolved as fetch() resolves it; anything else as it is. */
function href(src) {
  try {
    return typeof src == 'string' || src instanceof URL ? new URL(src, document.baseURI).href : src;
  } catch {
    return src;
  }
}

/** `from` for the developer: the URL, a Request's or Response's, or what it was. */
const where = (src) => (typeof src == 'string' ? src : src?.url || 'the module given to load()');

/**
 * Loads and instantiates the WebAssembly module once; later calls share the promise.
 * `options.wasm`, where the module is (what wasm-bindgen's init() takes: a URL, a
 * Request, a Response or a promise of one, a WebAssembly.Module, its bytes), is for
 * before the first form loads: given another place once it is loading, it says so on
 * the console and keeps the first. A failed load is logged once, for the developer,
 * and the next call tries again.
 */
export function load(options) {
  // On a server (server rendering): said plainly, not as `document is not defined`.
  if (typeof document == 'undefined') {
    return Promise.reject(new Error('consent-form: load() and mount() run in the browser, not on a server: call them where the page runs (useEffect, onMounted, afterNextRender; docs/embedding.md)'));
  }
  if (options !== undefined && !('wasm' in Object(options))) {
    return Promise.reject(new TypeError('consent-form: load() takes { wasm: url }'));
  }
  const wasm = href(options?.wasm ?? undefined);
  if (wasm !== undefined) {
    if (ready && wasm !== from) {
      console.error(`consent-form: load() came too late for ${where(wasm)}: the WebAssembly module loads once, from ${where(from)} (docs/embedding.md)`);
    } else {
      given = wasm;
    }
  }
  if (!ready) {
    const src = given ?? (document.querySelector('link[data-consent-form]')?.href || undefined);
    from = src ?? WASM_URL;
    ready = init({ module_or_path: src }).catch((err) => {
      ready = undefined;
      console.error(`consent-form: ${failure(err)}`, err);
      throw err;
    });
  }
  return ready;
}

/** Why the module could not load, for the developer (`reason` of consent-form:error). */
function failure(err) {
  const why = String(err?.message ?? err).replace(/\.$/, '');
  if (from === null) {
    return `could not find its WebAssembly module: import.meta.url is empty (${why}). Say where it is with load({ wasm: url }), or bundle it as an ES module (esbuild: --format=esm; docs/embedding.md).`;
  }
  const csp = /security policy|CSP|unsafe-eval/i.test(why)
    ? " The page's Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src (docs/embedding.md)."
    : '';
  return `could not load its WebAssembly module from ${where(from)}: ${why}.${csp}`;
}

/**
 * Shows in `element`'s shadow root that the form could not load (the texts
 * `load_failed` and `load_retry`, which `texts` in the configuration may replace),
 * then the element's own children (a host's fallback, such as a phone number to
 * call), with a button that tries again when `retry` is given; dispatches
 * consent-form:error.
 */
function unavailable(element, config, err, retry) {
  let json;
  try {
    json = JSON.parse(element.querySelector(':scope>script[type="application/json"]')?.textContent);
  } catch {
    // None, or a broken one: the form reports that once it loads.
  }
  const texts = { ...config?.texts, ...json?.texts };
  const en = /^en/.test(element.getAttribute('locale') ?? json?.locale ?? config?.locale);
  try {
    const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('button{font:inherit;min-height:44px;min-width:44px}');
    root.adoptedStyleSheets = [sheet];
    const note = document.createElement('p');
    note.setAttribute('part', 'load-error');
    note.setAttribute('role', 'alert');
    // The form's language, not the page's: a screen reader picks its voice by it; both
    // read left to right.
    note.lang = en ? 'en' : 'vi';
    note.dir = 'ltr';
    note.textContent = texts.load_failed || (en ? 'The form could not be loaded.' : 'Không tải được biểu mẫu.');
    if (retry) {
      const button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('part', 'button retry');
      button.textContent = texts.load_retry || (en ? 'Try again' : 'Thử lại');
      button.onclick = retry;
      note.append(' ', button);
    }
    root.replaceChildren(note, document.createElement('slot'));
  } catch {
    // No shadow root for this element: the console and the event say it.
  }
  const detail = { id: null, reason: failure(err), will_retry: false, load_failed: true };
  element.dispatchEvent(new CustomEvent('consent-form:error', { bubbles: true, composed: true, detail }));
}

/**
 * Renders a form into `element` (its open shadow root) with `config`, after the module
 * has loaded. Resolves to a handle whose destroy() removes the form — its own only: a
 * later mount on the same element replaces the form and makes this handle stale.
 *
 * `options.signal`, an AbortSignal, ties the form to its caller (a framework's effect,
 * aborted in its cleanup): aborted before the form is rendered, none is, and the promise
 * rejects with the signal's reason; aborted later, the form is destroyed. Mounts on one
 * element take effect in the order they are called, and an effect's cleanup may run
 * before its mount has resolved (React's StrictMode): with the signal, a mount whose
 * effect is gone never replaces the live form, whatever order the mounts arrive in.
 */
export async function mount(element, config, options) {
  if (typeof document == 'undefined') return load();
  // Another key (`{ sigal }`), the signal itself, or no object: the form would not be
  // tied to the signal meant.
  if (options != null && (typeof options != 'object' || options instanceof AbortSignal || Object.keys(options).some((k) => k != 'signal'))) {
    const given = options instanceof AbortSignal ? 'the AbortSignal itself' : typeof options == 'object' ? `{ ${Object.keys(options)} }` : typeof options;
    throw new TypeError(`consent-form: mount() takes { signal } as its third argument, not ${given}`);
  }
  const signal = options?.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`consent-form: mount()'s options.signal must be an AbortSignal (controller.signal), not ${Object.prototype.toString.call(signal).slice(8, -1)}`);
  }
  signal?.throwIfAborted();
  // A <consent-form> of the page given to mount(): this call's form is the one, not the
  // bare element's (nor its load error), which would replace it or say it is misconfigured.
  const own = element?.localName === 'consent-form';
  if (own) {
    element._token = null;
    // Kept, so that taken off the page and put back later (Vue's KeepAlive, a tab panel
    // rendered again) the element makes its form again with this configuration.
    element._config = config ?? null;
  }
  try {
    await load();
  } catch (err) {
    if (!signal?.aborted) unavailable(element, config, err, null);
    throw err;
  }
  signal?.throwIfAborted();
  let handle = mountWasm(element, config ?? null);
  if (own) {
    // Its attributes' changes now refresh this form, and taking it off the page removes it.
    // The element makes a new form when put back on the page: this mount's handle acts
    // on whichever form the element has, until another mount() replaces this one.
    const mine = (element._handle = element._mount = handle);
    const act = (what) => () => {
      if (element._mount === mine) element._handle?.[what]();
    };
    handle = { destroy: act('destroy'), refresh: act('refresh'), free: () => mine.free() };
  }
  signal?.addEventListener('abort', () => handle.destroy(), { once: true });
  return handle;
}

// The attributes whose change updates the form: the string settings (KEYS in
// src/config/from_json.rs, kebab-case; a test in src/config.rs keeps the two equal).
const ATTRIBUTES = [
  'kind', 'endpoint', 'locale', 'policy-url', 'policy-version', 'controller', 'key-url', 'secret',
  'controller-contact', 'withdraw-endpoint', 'minors',
];

/** The text of `element`'s child JSON configuration (of each, if several), as read at mount. */
function configText(element) {
  return [...element.querySelectorAll(':scope>script[type="application/json"]')].map((s) => s.textContent).join('\0');
}

// Imported where there is no DOM (a framework's server rendering, Node, a test runner),
// the module still loads: the element's class then has a stand-in base and nothing is
// defined; `load()` and `mount()` are for the browser only.
const Base = typeof HTMLElement === 'undefined' ? class {} : HTMLElement;

/** The <consent-form> custom element. */
export class ConsentFormElement extends Base {
  /** The folder of the copy of this module that defined the element. */
  static src = SELF;
  /** Its version. */
  static version = VERSION;

  static get observedAttributes() {
    return ATTRIBUTES;
  }

  connectedCallback() {
    const token = (this._token = {});
    // The child JSON added, edited, replaced or removed later updates the form, as a
    // changed attribute does (a framework rendering the configuration into the element).
    this._observer ??= new MutationObserver(() => {
      const json = configText(this);
      if (json !== this._json) {
        this._json = json;
        this._handle?.refresh?.();
      }
    });
    this._observer.observe(this, { childList: true, subtree: true, characterData: true });
    // Loaded after the script that defined the element has run (a microtask later), so a
    // host's bundle that imports the package may still say where the module is.
    Promise.resolve().then(load).then(
      () => {
        if (this._token === token && this.isConnected && !this._handle) {
          // Try again pressed: the form replaces the button, and focus goes to it (named
          // by its heading, as after "send another") rather than back to the top of the page.
          const retried = this.shadowRoot?.activeElement;
          this._json = configText(this);
          this._handle = mountWasm(this, this._config ?? null);
          // Focusable this once, as src/dom.rs's `focus` makes it: until focus leaves it.
          if (retried) setTimeout(() => {
            const form = this.shadowRoot?.querySelector('form');
            if (form) {
              form.tabIndex = -1;
              form.onblur = () => form.removeAttribute('tabindex');
              form.focus();
            }
          });
        }
      },
      (err) => {
        if (this._token === token && this.isConnected) {
          unavailable(this, this._config ?? null, err, () => this.connectedCallback());
        }
      },
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
        this._observer?.disconnect();
        this._handle?.destroy();
        this._handle = null;
      }
    });
  }

  attributeChangedCallback() {
    this._handle?.refresh?.();
  }
}

// Loaded twice from two URLs (a snippet pasted twice, from two versions; two of the
// site's bundles that each include the package), the module runs twice: the first copy
// defines the element, and the second says so, with both versions (a copy older than
// this wording has none).
const defined = typeof customElements !== 'undefined' && customElements.get('consent-form');
if (defined === undefined) {
  customElements.define('consent-form', ConsentFormElement);
} else if (defined) {
  const [first, then] = [defined.src ?? 'another script', SELF ?? 'a bundle'];
  const which = defined.version == VERSION ? `the same version ${VERSION} from ${first} and from ${then}`
    : defined.version ? `${defined.version} from ${first} and ${VERSION} from ${then}` : `from ${first} and from ${then}`;
  console.warn(`consent-form: loaded twice, ${which}: the first copy defines <consent-form> and this one does nothing. Load it once (two snippets pasted, or two of the site's bundles that each include the package?).`);
}
