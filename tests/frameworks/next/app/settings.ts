// Where the forms send, read on the server at each request: the test's receiver (another
// origin) in CONSENT_FORM_ENDPOINT; a host would write its own.
export const endpoint = () => process.env.CONSENT_FORM_ENDPOINT ?? '/api/leads';
export const controller = 'Công ty TNHH Ví Dụ';
export const policyUrl = '/chinh-sach-bao-mat';
/** The app's basePath (next.config.mjs), which a path in an attribute must carry: Next adds it to <Link> only. */
export const basePath = process.env.CONSENT_FORM_BASE_PATH ?? '';
/** The Route Handler that issues signing keys (app/api/keys/route.ts). */
export const keyUrl = `${basePath}/api/keys`;
/** A static export renders each page once, at build time: no request to wait for. */
export const exported = process.env.CONSENT_FORM_NEXT === 'export';
