// A Server Component page: rendered on the server at each request and streamed. The
// shell (the heading, the Client Component's <consent-form>) is sent at once; the
// <Suspense> boundary's content (a second <consent-form>, written by this Server
// Component itself) arrives later in the same response.
import Link from 'next/link';
import { connection } from 'next/server';
import { Suspense } from 'react';
import { ContactForm } from './contact-form';
import { controller, endpoint, exported, keyUrl, policyUrl } from './settings';

async function Callback() {
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.CONSENT_FORM_DELAY_MS ?? 1500)));
  // Nothing on the client around it: the element upgrades when the Client Component
  // above has imported the module (one import defines the element for the whole page).
  return (
    <section id="later">
      <h2>Gọi lại cho tôi</h2>
      <consent-form id="callback" kind="callback" endpoint={endpoint()} policy-url={policyUrl}
        controller={controller} key-url={keyUrl} />
    </section>
  );
}

export default async function Home() {
  // Rendered at each request (the endpoint is read at run time), but for a static export.
  if (!exported) await connection();
  return (
    <main>
      <h1>Liên hệ</h1>
      <ContactForm endpoint={endpoint()} controller={controller} policyUrl={policyUrl} />
      <Suspense fallback={<p id="loading">Đang tải…</p>}>
        <Callback />
      </Suspense>
      <nav>
        <Link id="to-policy" href={policyUrl}>Chính sách bảo mật</Link>{' '}
        <Link id="to-mounted" href="/mounted">mount()</Link>
      </nav>
    </main>
  );
}
