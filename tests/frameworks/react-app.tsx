// A React 19 app embedding <consent-form> as docs/embedding.md ("React, Vue, Angular")
// tells a host to: the JSX declaration and the component are the docs' (the component
// takes its endpoint and locale as props here, where the docs write constants). `npx tsc
// -p tests/types` type-checks this file under --strict; tests/e2e/frameworks.test.mjs
// compiles it with TypeScript's own JSX transform, serves it with React's development
// build and drives it in Chromium, in StrictMode.
import { StrictMode, useCallback, useEffect, useRef, useState } from 'react';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import type { ConsentFormAttributes, ConsentFormConfig, ConsentFormElement, FormHandle, Locale, SuccessDetail } from '../../src/js/consent-form.js';

// --- the declaration the docs tell hosts to copy ---
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'consent-form': DetailedHTMLProps<HTMLAttributes<ConsentFormElement>, ConsentFormElement> &
        ConsentFormAttributes;
    }
  }
}

// --- the docs' component ---
export function ContactForm({ onSent, endpoint, locale }: { onSent: (id: string) => void; endpoint: string; locale: Locale }) {
  const form = useRef<ConsentFormElement>(null);
  useEffect(() => {
    // In the browser only. The test serves pkg/ at /src/js/ (a host's copy of pkg/).
    void import('../../src/js/consent-form.js');
    const el = form.current;
    if (!el) return;
    const sent = (e: CustomEvent<{ id: string }>) => onSent(e.detail.id);
    el.addEventListener('consent-form:success', sent);
    return () => el.removeEventListener('consent-form:success', sent);
  }, [onSent]);
  return (
    <consent-form ref={form} kind="contact" endpoint={endpoint} locale={locale}
      policy-url="/privacy.html" controller="Công ty TNHH Ví Dụ" key-url="/api/keys" />
  );
}

// --- React 19's own way (the docs' alternative): a prop named `on` + the event's name
// is a listener on a custom element, which React moves when the function changes and
// drops with the element. JSX cannot write the colon in a prop's name; a spread can.
// And the configuration beyond attributes as the child JSON, which React re-renders
// (the element reads it again when it changes). ---
export function ContactFormWithProp({ onSent, endpoint, locale, config }: { onSent: (id: string) => void; endpoint: string; locale: Locale; config: ConsentFormConfig }) {
  useEffect(() => {
    void import('../../src/js/consent-form.js');
  }, []);
  return (
    <consent-form kind="contact" endpoint={endpoint} locale={locale}
      policy-url="/privacy.html" controller="Công ty TNHH Ví Dụ" key-url="/api/keys"
      ref={(el) => {
        if (el) el.captcha = ({ form }) => `react-token-${form}`; // a function: a property, set through the ref
      }}
      {...{ 'onconsent-form:success': (e: CustomEvent<SuccessDetail>) => onSent(e.detail.id) }}>
      <script type="application/json">{JSON.stringify(config)}</script>
    </consent-form>
  );
}

// --- mount() on a <div> of the component's own: the configuration as an object (the
// docs' other way). The effect's cleanup aborts its mount: a mount not yet rendered never
// is (StrictMode's first effect, whose import() may resolve after the second's), a form
// rendered is destroyed. A new locale or configuration mounts again. ---
export function ContactFormMounted({ onSent, endpoint, locale, config }: { onSent: (id: string) => void; endpoint: string; locale: Locale; config: ConsentFormConfig }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const stop = new AbortController();
    const sent = (e: CustomEvent<SuccessDetail>) => onSent(e.detail.id);
    el.addEventListener('consent-form:success', sent, { signal: stop.signal });
    import('../../src/js/consent-form.js')
      .then(({ mount }) => mount(el, {
        ...config, kind: 'contact', endpoint, locale, policy_url: '/privacy.html',
        controller: 'Công ty TNHH Ví Dụ', key_url: '/api/keys', captcha: ({ form }) => `react-token-${form}`,
      }, { signal: stop.signal }))
      .catch((err: unknown) => {
        if (!stop.signal.aborted) throw err;
      });
    return () => stop.abort();
  }, [onSent, endpoint, locale, config]);
  return <div ref={host} className="consent-form" />;
}

// --- the host's app: what the test changes, as the app's own code would ---
export interface ReactControls {
  setLocale(locale: Locale): void;
  setShown(shown: boolean): void;
  setNoteFirst(first: boolean): void;
  setConfig(config: ConsentFormConfig): void;
}
declare global {
  interface Window {
    reactApp?: ReactControls;
  }
}

function App({ endpoint, Form }: { endpoint: string; Form: typeof ContactFormWithProp }) {
  const [locale, setLocale] = useState<Locale>('vi');
  const [shown, setShown] = useState(true);
  const [noteFirst, setNoteFirst] = useState(false);
  const [config, setConfig] = useState<ConsentFormConfig>({ texts: { submit: 'Gọi lại cho tôi' } });
  const [sent, setSent] = useState<string[]>([]);
  const onSent = useCallback((id: string) => setSent((ids) => [...ids, id]), []);
  useEffect(() => {
    window.reactApp = { setLocale, setShown, setNoteFirst, setConfig };
  }, []);
  // Keyed siblings: putting the note first makes React move the form's element.
  const note = <p key="note" id="note">Liên hệ với chúng tôi</p>;
  const form = shown ? <Form key="form" onSent={onSent} endpoint={endpoint} locale={locale} config={config} /> : null;
  return (
    <main>
      {noteFirst ? [note, form] : [form, note]}
      <output id="sent">{sent.join(' ')}</output>
    </main>
  );
}

const FORMS: Record<string, typeof ContactFormWithProp> = {
  listener: ContactForm, prop: ContactFormWithProp, mount: ContactFormMounted,
};

/** The whole app, as the server renders it (tests/e2e/frameworks.test.mjs, in Node) and the browser hydrates or renders it. */
export function page(query: URLSearchParams) {
  const endpoint = query.get('endpoint') ?? '/api/leads';
  return (
    <StrictMode>
      <App endpoint={endpoint} Form={FORMS[query.get('events') ?? 'listener'] ?? ContactForm} />
    </StrictMode>
  );
}

// In the browser. Query: endpoint (the receiver), events=prop (ContactFormWithProp rather
// than ContactForm) or events=mount (ContactFormMounted). HTML rendered by the server (ssr=1) is hydrated: the element arrives
// as an empty tag, before any script.
if (typeof document !== 'undefined') {
  const root = document.getElementById('root')!;
  const query = new URLSearchParams(location.search);
  if (root.hasChildNodes()) hydrateRoot(root, page(query));
  else createRoot(root).render(page(query));
}
