// The page component of the Pages Router pages (pages/), beside the App Router (Next
// allows both in one app): the element in the page component, and mount() in an
// effect. Next renders the page on the server (pages/pages-ssr.ts at each request,
// pages/pages-router.tsx at build time) and hydrates it; the module is imported in the
// effect, in the browser only.
import Head from 'next/head';
import { useEffect, useRef, useState } from 'react';
import type { ConsentFormElement, SuccessDetail } from 'consent-form';
import { basePath, controller, endpoint, keyUrl, policyUrl } from '../app/settings';

/** The page's props: where the forms send, read on the server. */
export type Props = { endpoint: string };

/** What the server reads for the page (getServerSideProps or getStaticProps). */
export const props = async () => ({ props: { endpoint: endpoint() } });

export function PagesContact({ endpoint }: Props) {
  const form = useRef<ConsentFormElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [sent, setSent] = useState<string[]>([]);
  useEffect(() => {
    const [el, div] = [form.current, box.current];
    if (!el || !div) return;
    const stop = new AbortController();
    const heard = (e: CustomEvent<SuccessDetail>) => setSent((ids) => [...ids, e.detail.id]);
    el.addEventListener('consent-form:success', heard, { signal: stop.signal });
    div.addEventListener('consent-form:success', heard, { signal: stop.signal });
    // Defines <consent-form> (the element above upgrades) and mounts a second form.
    import('consent-form')
      .then(({ mount }) => mount(div, {
        kind: 'contact', endpoint, policy_url: policyUrl, controller, key_url: keyUrl,
        texts: { submit: 'Gọi lại cho tôi' },
      }, { signal: stop.signal }))
      .catch((err: unknown) => {
        if (!stop.signal.aborted) throw err;
      });
    return () => stop.abort();
  }, [endpoint]);
  return (
    <main>
      {/* The App Router's app/icon.svg is not the Pages Router's: without a link of its own the browser asks for /favicon.ico. */}
      <Head><link rel="icon" href={`${basePath}/icon.svg`} /></Head>
      <h1>Liên hệ (Pages Router)</h1>
      <consent-form ref={form} id="contact" kind="contact" endpoint={endpoint}
        policy-url={policyUrl} controller={controller} key-url={keyUrl} />
      <div ref={box} id="mounted" />
      <output id="sent">{sent.join(' ')}</output>
    </main>
  );
}
