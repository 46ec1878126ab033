// A React 18.3 app embedding <consent-form> as docs/embedding.md ("React 18") tells a host
// to. React 18 sets every prop of a custom element as a string attribute — never a
// property —, drops a function (an event handler, the captcha hook) without a word, and
// has no event props for custom elements. So: attributes as strings, `class` (React 18
// writes `className` as an attribute named "classname"), and the captcha hook and the
// listeners set on the element in an effect, through a ref. The child JSON is given as
// `dangerouslySetInnerHTML`: React 18's server escapes a script's text child (`"` becomes
// `&quot;`, which a script does not decode).
//
// React 18 is installed apart from the root's React 19: tests/frameworks/react18/package.json,
// `npm ci --prefix tests/frameworks/react18` (scripts/setup). `npx tsc -p
// tests/frameworks/react18` type-checks this file under --strict with @types/react 18;
// tests/e2e/frameworks.test.mjs compiles it with TypeScript's JSX transform and drives it in
// Chromium with React 18's development build (StrictMode) and its production build, and
// renders it on the server with react-dom/server in Node.
import { StrictMode, useCallback, useEffect, useRef, useState, version } from 'react';
import type { DetailedHTMLProps, HTMLAttributes, ReactElement } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import type {
  CaptchaHook, ConsentFormAttributes, ConsentFormConfig, ConsentFormElement, Locale, SuccessDetail,
} from '../../../src/js/consent-form.js';

// --- the declaration the docs tell React 18 hosts to copy (React 19's, and `class`) ---
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'consent-form': DetailedHTMLProps<HTMLAttributes<ConsentFormElement>, ConsentFormElement> &
        ConsentFormAttributes & { class?: string };
    }
  }
}

/** The configuration as a script's text: `<` escaped, so no text in it can end the script. */
const json = (config: ConsentFormConfig) => ({ __html: JSON.stringify(config).replace(/</g, '\\u003c') });

// --- the docs' React 18 component (its endpoint a prop here, where the docs write a constant) ---
export function ContactForm({ onSent, captcha, endpoint, locale, config }: {
  onSent: (id: string) => void; captcha: CaptchaHook; endpoint: string; locale: Locale; config: ConsentFormConfig;
}) {
  const form = useRef<ConsentFormElement>(null);
  useEffect(() => {
    // In the browser only. The test serves pkg/ at /src/js/ (a host's copy of pkg/).
    void import('../../../src/js/consent-form.js');
    const el = form.current;
    if (!el) return;
    el.captcha = captcha; // a function: a property, which React 18 never sets
    const sent = (e: CustomEvent<SuccessDetail>) => onSent(e.detail.id);
    el.addEventListener('consent-form:success', sent);
    return () => el.removeEventListener('consent-form:success', sent);
  }, [onSent, captcha]);
  return (
    <consent-form ref={form} class="contact-form" kind="contact" endpoint={endpoint} locale={locale}
      policy-url="/privacy.html" controller="Công ty TNHH Ví Dụ" key-url="/api/keys">
      <script type="application/json" dangerouslySetInnerHTML={json(config)} />
    </consent-form>
  );
}

// --- mount() on a <div> of the component's own: React 19's component, unchanged ---
export function ContactFormMounted({ onSent, captcha, endpoint, locale, config }: {
  onSent: (id: string) => void; captcha: CaptchaHook; endpoint: string; locale: Locale; config: ConsentFormConfig;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const stop = new AbortController();
    const sent = (e: CustomEvent<SuccessDetail>) => onSent(e.detail.id);
    el.addEventListener('consent-form:success', sent, { signal: stop.signal });
    import('../../../src/js/consent-form.js')
      .then(({ mount }) => mount(el, {
        ...config, kind: 'contact', endpoint, locale, policy_url: '/privacy.html',
        controller: 'Công ty TNHH Ví Dụ', key_url: '/api/keys', captcha,
      }, { signal: stop.signal }))
      .catch((err: unknown) => {
        if (!stop.signal.aborted) throw err;
      });
    return () => stop.abort();
  }, [onSent, captcha, endpoint, locale, config]);
  return <div ref={host} className="consent-form" />;
}

// --- what the docs tell React 18 hosts not to write, and what React 18 does with it:
// the captcha hook and a handler as props (both dropped: no property, no listener, no
// word), `className` (an attribute named "classname"), `hidden={false}` (the attribute
// hidden="false", which hides), and the child JSON as a text child (escaped by the
// server). tests/e2e/frameworks.test.mjs checks each. ---
export function Misused({ onSent, endpoint, config }: { onSent: (id: string) => void; endpoint: string; config: ConsentFormConfig }) {
  useEffect(() => {
    void import('../../../src/js/consent-form.js');
  }, []);
  const attributes = { endpoint, 'policy-url': '/privacy.html', controller: 'Công ty TNHH Ví Dụ', 'key-url': '/api/keys' } as const;
  return (
    <>
      <consent-form id="props" kind="contact" {...attributes} className="contact-form"
        // @ts-expect-error: the captcha hook is not an attribute (React 18 would drop it)
        captcha={() => 'react18-prop-token'}
        {...{ 'onconsent-form:success': (e: CustomEvent<SuccessDetail>) => onSent(e.detail.id) }} />
      <consent-form id="hidden" kind="callback" {...attributes} hidden={false} />
      <consent-form id="text-child" kind="contact" {...attributes}>
        <script type="application/json">{JSON.stringify(config)}</script>
      </consent-form>
    </>
  );
}

// --- what @types/react 18 refuses with the declaration above, as 19 does (tests/types/react.tsx) ---
export const refused = [
  // @ts-expect-error: kind is contact or callback
  <consent-form kind="newsletter" endpoint="/api/leads" />,
  // @ts-expect-error: an attribute the element does not have (policy_url is the JSON key)
  <consent-form policy_url="/privacy" endpoint="/api/leads" />,
];

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
    reactVersion?: string;
  }
}

type FormProps = { onSent: (id: string) => void; captcha: CaptchaHook; endpoint: string; locale: Locale; config: ConsentFormConfig };

function App({ endpoint, Form }: { endpoint: string; Form: (props: FormProps) => ReactElement }) {
  const [locale, setLocale] = useState<Locale>('vi');
  const [shown, setShown] = useState(true);
  const [noteFirst, setNoteFirst] = useState(false);
  const [config, setConfig] = useState<ConsentFormConfig>({ texts: { submit: 'Gọi lại cho tôi' } });
  const [sent, setSent] = useState<string[]>([]);
  const onSent = useCallback((id: string) => setSent((ids) => [...ids, id]), []);
  const captcha = useCallback<CaptchaHook>(({ form }) => `react18-token-${form}`, []);
  useEffect(() => {
    window.reactApp = { setLocale, setShown, setNoteFirst, setConfig };
    window.reactVersion = version; // the React the import map found
  }, []);
  // Keyed siblings: putting the note first makes React move the form's element.
  const note = <p key="note" id="note">Liên hệ với chúng tôi</p>;
  const form = shown
    ? <Form key="form" onSent={onSent} captcha={captcha} endpoint={endpoint} locale={locale} config={config} />
    : null;
  return (
    <main>
      {noteFirst ? [note, form] : [form, note]}
      <output id="sent">{sent.join(' ')}</output>
    </main>
  );
}

const FORMS: Record<string, (props: FormProps) => ReactElement> = {
  listener: ContactForm, mount: ContactFormMounted, misused: Misused,
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

// In the browser. Query: endpoint (the receiver), events=mount (ContactFormMounted rather
// than ContactForm) or events=misused. HTML rendered by the server is hydrated.
if (typeof document !== 'undefined') {
  const root = document.getElementById('root')!;
  const query = new URLSearchParams(location.search);
  if (root.hasChildNodes()) hydrateRoot(root, page(query));
  else createRoot(root).render(page(query));
}
