// What a React 19 + TypeScript host writes (docs/embedding.md, "React, Vue, Angular"),
// checked beyond what runs: the JSX declaration the docs tell hosts to copy and the docs'
// component are tests/frameworks/react-app.tsx's (the same `tsc -p tests/types` program,
// and driven in Chromium by tests/e2e/frameworks.test.mjs). Here: every attribute typed,
// and each `@ts-expect-error` line must be refused, under --strict with @types/react.
import type { ConsentFormAttributes } from '../../src/js/consent-form.js';

// --- what the declaration accepts: every attribute, the locales' regional forms ---
export const everyAttribute = (
  <consent-form
    kind="contact"
    endpoint="/api/leads"
    policy-url="/chinh-sach-bao-mat"
    policy-version="2026-01"
    controller="Công ty TNHH Ví Dụ"
    controller-contact="dpo@example.vn"
    key-url="/api/consent-key"
    withdraw-endpoint="/api/withdrawals"
    locale="vi-VN"
    minors="guardian"
  />
);

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
