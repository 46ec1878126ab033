'use client';
// The docs' Next.js component (docs/embedding.md, "Next.js"): a Client Component, so
// that it can hold state, a ref and an effect. Next renders it on the server too: the
// <consent-form> tag and its attributes are in the streamed HTML; the module is imported
// in the effect, in the browser only, and the form appears when it defines the element.
import { useEffect, useRef, useState } from 'react';
import type { ConsentFormElement, Locale, SuccessDetail } from 'consent-form';
import { keyUrl } from './settings';

export function ContactForm({ endpoint, controller, policyUrl }: { endpoint: string; controller: string; policyUrl: string }) {
  const form = useRef<ConsentFormElement>(null);
  const [locale, setLocale] = useState<Locale>('vi');
  const [sent, setSent] = useState<string[]>([]);
  useEffect(() => {
    void import('consent-form'); // defines <consent-form>; in the browser only
    const el = form.current;
    if (!el) return;
    const onSuccess = (e: CustomEvent<SuccessDetail>) => setSent((ids) => [...ids, e.detail.id]);
    el.addEventListener('consent-form:success', onSuccess);
    return () => el.removeEventListener('consent-form:success', onSuccess);
  }, []);
  return (
    <section>
      <consent-form ref={form} id="contact" kind="contact" endpoint={endpoint} locale={locale}
        policy-url={policyUrl} controller={controller} key-url={keyUrl} />
      <button type="button" id="locale" onClick={() => setLocale(locale === 'vi' ? 'en' : 'vi')}>
        {locale === 'vi' ? 'English' : 'Tiếng Việt'}
      </button>
      <output id="sent">{sent.join(' ')}</output>
    </section>
  );
}
