// What a React 19 + TypeScript host writes (docs/embedding.md, "React, Vue, Angular"):
// the JSX declaration below is the one the docs tell hosts to copy, and the component is
// the docs' example. `npx tsc -p tests/types` (scripts/test) compiles it under --strict
// with @types/react; each `@ts-expect-error` line must be refused.
import { useEffect, useRef } from 'react';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { ConsentFormAttributes, ConsentFormElement } from '../../src/js/consent-form.js';

// --- the declaration hosts copy (a .d.ts of their own project) ---
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'consent-form': DetailedHTMLProps<HTMLAttributes<ConsentFormElement>, ConsentFormElement> &
        ConsentFormAttributes;
    }
  }
}

// --- the docs' component ---
export function ContactForm({ onSent }: { onSent: (id: string) => void }) {
  const form = useRef<ConsentFormElement>(null);
  useEffect(() => {
    // In the browser only (Next.js renders the empty tag on the server): defines the element.
    void import('../../src/js/consent-form.js');
    const el = form.current;
    if (!el) return;
    // JSX cannot bind an event whose name has a colon: listen on the element.
    const sent = (e: CustomEvent<{ id: string }>) => onSent(e.detail.id);
    el.addEventListener('consent-form:success', sent);
    return () => el.removeEventListener('consent-form:success', sent);
  }, [onSent]);
  return (
    <consent-form
      ref={form}
      kind="contact"
      endpoint="/api/leads"
      policy-url="/chinh-sach-bao-mat"
      controller="Công ty TNHH Ví Dụ"
      key-url="/api/consent-key"
      locale="vi-VN"
      minors="guardian"
    />
  );
}

// --- what the declaration refuses ---
export const wrongKind = (
  // @ts-expect-error: kind is contact or callback
  <consent-form kind="newsletter" endpoint="/api/leads" />
);
export const wrongLocale = (
  // @ts-expect-error: locale is vi or en (vi-VN, en-US)
  <consent-form locale="fr" endpoint="/api/leads" />
);
export const wrongMinors = (
  // @ts-expect-error: minors is declare or guardian
  <consent-form minors="yes" endpoint="/api/leads" />
);
export const typo = (
  // @ts-expect-error: an attribute the element does not have (policy_url is the JSON key)
  <consent-form policy_url="/privacy" endpoint="/api/leads" />
);

// Every attribute the element observes (src/js/consent-form.js ATTRIBUTES) is typed, and
// no other: this list fails to compile if one is missing on either side.
const observed = [
  'kind', 'endpoint', 'locale', 'policy-url', 'policy-version', 'controller', 'key-url', 'secret',
  'controller-contact', 'withdraw-endpoint', 'minors',
] as const satisfies readonly (keyof ConsentFormAttributes)[];
type Untyped = Exclude<keyof ConsentFormAttributes, (typeof observed)[number]>;
export const everyAttributeListed: [Untyped] extends [never] ? true : false = true;
