// The page's key-url: a host's own endpoint issuing short-lived signing keys. Here it
// asks the test's key issuer (CONSENT_FORM_KEYS_URL) and passes its answer on.
export async function POST(): Promise<Response> {
  const issuer = process.env.CONSENT_FORM_KEYS_URL;
  if (!issuer) return Response.json({ error: 'CONSENT_FORM_KEYS_URL is not set' }, { status: 500 });
  const answer = await fetch(issuer, { method: 'POST', cache: 'no-store' });
  return new Response(await answer.text(), {
    status: answer.status,
    headers: { 'content-type': answer.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-store' },
  });
}
