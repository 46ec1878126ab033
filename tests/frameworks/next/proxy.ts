// Next's documented Content-Security-Policy with a nonce per request, as
// docs/embedding.md gives it: the proxy makes a nonce, gives Next the policy in the
// request's headers (Next then puts the nonce on its own scripts) and sends it in the
// response. The form needs 'wasm-unsafe-eval' in script-src, and the endpoint and key
// service in connect-src; its styles are a constructed stylesheet, which style-src does
// not govern.
// In the test, only where CONSENT_FORM_CSP is set when `next start` runs (the test's
// receiver, on another origin, in connect-src); a host writes its policy as it is.
import { NextResponse, type NextRequest } from 'next/server';

export function proxy(request: NextRequest) {
  const receiver = process.env.CONSENT_FORM_CSP;
  if (!receiver) return NextResponse.next();
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const dev = process.env.NODE_ENV === 'development';
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    `connect-src 'self' ${receiver}`,
    "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'",
  ].join('; ');
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: [{
    source: '/((?!api|_next/static|_next/image|favicon.ico|icon.svg).*)',
    missing: [{ type: 'header', key: 'next-router-prefetch' }, { type: 'header', key: 'purpose', value: 'prefetch' }],
  }],
};
