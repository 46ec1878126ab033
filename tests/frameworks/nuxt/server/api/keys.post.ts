// The page's key-url: a host's own endpoint issuing short-lived signing keys. Here it
// asks the test's key issuer (NUXT_CONSENT_FORM_KEYS_URL) and passes its answer on.
export default defineEventHandler(async (event) => {
  const issuer = useRuntimeConfig(event).consentFormKeysUrl;
  if (!issuer) throw createError({ statusCode: 500, statusMessage: 'NUXT_CONSENT_FORM_KEYS_URL is not set' });
  const answer = await fetch(issuer, { method: 'POST' });
  setResponseStatus(event, answer.status);
  setResponseHeaders(event, { 'content-type': answer.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-store' });
  return answer.text();
});
