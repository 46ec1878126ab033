'use client';
// mount() on the component's own <div>, as docs/embedding.md shows for React: the
// effect's cleanup aborts its mount (StrictMode's first effect in development, a new
// locale, navigating away), so a mount whose effect is gone never renders and a
// rendered form is destroyed.
import { useEffect, useRef, useState } from 'react';
import type { Locale, SuccessDetail } from 'consent-form';
import { keyUrl } from '../settings';

export function MountedForm({ endpoint, controller, policyUrl }: { endpoint: string; controller: string; policyUrl: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [locale, setLocale] = useState<Locale>('vi');
  const [sent, setSent] = useState<string[]>([]);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const stop = new AbortController();
    el.addEventListener('consent-form:success', (e: CustomEvent<SuccessDetail>) => {
      setSent((ids) => [...ids, e.detail.id]);
    }, { signal: stop.signal });
    import('consent-form')
      .then(({ mount }) => mount(el, {
        kind: 'contact', endpoint, locale, policy_url: policyUrl, controller, key_url: keyUrl,
        texts: { submit: locale === 'vi' ? 'Gọi lại cho tôi' : 'Call me back' },
      }, { signal: stop.signal }))
      .catch((err: unknown) => {
        if (!stop.signal.aborted) throw err;
      });
    return () => stop.abort();
  }, [endpoint, controller, policyUrl, locale]);
  return (
    <section>
      <div ref={host} id="mounted" />
      <button type="button" id="locale" onClick={() => setLocale(locale === 'vi' ? 'en' : 'vi')}>
        {locale === 'vi' ? 'English' : 'Tiếng Việt'}
      </button>
      <output id="sent">{sent.join(' ')}</output>
    </section>
  );
}
