// A page of the Pages Router beside the App Router (Next allows both in one app): the
// element in the page component, and mount() in an effect. Next renders the page on
// the server (here at build time, getStaticProps; getServerSideProps would at each
// request) and hydrates it; the module is imported in the effect, in the browser only.
import type { GetStaticProps } from 'next';
import Head from 'next/head';
import { useEffect, useRef, useState } from 'react';
import type { ConsentFormElement, SuccessDetail } from 'consent-form';
import { controller, endpoint, keyUrl, policyUrl } from '../app/settings';

type Props = { endpoint: string };

export const getStaticProps: GetStaticProps<Props> = async () => ({ props: { endpoint: endpoint() } });

export default function PagesRouter({ endpoint }: Props) {
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
      <Head><link rel="icon" href="data:," /></Head>
      <h1>Liên hệ (Pages Router)</h1>
      <consent-form ref={form} id="contact" kind="contact" endpoint={endpoint}
        policy-url={policyUrl} controller={controller} key-url={keyUrl} />
      <div ref={box} id="mounted" />
      <output id="sent">{sent.join(' ')}</output>
    </main>
  );
}
