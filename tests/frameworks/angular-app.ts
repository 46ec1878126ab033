// An Angular component embedding <consent-form> as docs/embedding.md ("React, Vue,
// Angular") tells a host to write it: the docs' component, with the endpoint taken from
// `settings` (the test's receiver) where the docs write a constant, and the test's hook
// on `window`. `npx tsc -p tests/types` type-checks this file under --strict against
// Angular's own types; tests/e2e/frameworks.test.mjs compiles it with TypeScript (its
// decorators, as Angular's JIT compiler reads them), serves it with npm's Angular and
// drives it in Chromium.
import { Component, CUSTOM_ELEMENTS_SCHEMA, ElementRef, ViewChild, signal } from '@angular/core';
import type { CaptchaHook, ConsentFormElement, Locale, SuccessDetail } from '../../src/js/consent-form.js';

/** Where the form sends (the test sets its receiver before bootstrapping). */
export const settings = { endpoint: '/api/leads' };

// --- the docs' component ---
@Component({
  selector: 'app-contact',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    @if (shown()) {
      <consent-form #form id="form" kind="contact" [attr.endpoint]="endpoint" [attr.locale]="locale()"
        policy-url="/privacy.html" policy-version="2026-01" controller="Công ty TNHH Ví Dụ"
        key-url="/api/keys" [captcha]="captcha"></consent-form>
    }
    <p id="sent">{{ sent().at(-1) }}</p>`,
})
export class ContactComponent {
  endpoint = settings.endpoint;
  locale = signal<Locale>('vi');
  shown = signal(true);
  sent = signal<string[]>([]);
  // The captcha hook is a function: a property, not an attribute.
  captcha: CaptchaHook = ({ form }) => `angular-token-${form}`;
  #element?: ConsentFormElement;
  #onSuccess = (e: CustomEvent<SuccessDetail>) => this.sent.update((ids) => [...ids, e.detail.id]);

  // A setter: Angular calls it with each element @if renders, and with undefined when it
  // goes, so the listener follows the element.
  @ViewChild('form') set form(ref: ElementRef<ConsentFormElement> | undefined) {
    this.#element?.removeEventListener('consent-form:success', this.#onSuccess);
    this.#element = ref?.nativeElement;
    this.#element?.addEventListener('consent-form:success', this.#onSuccess);
  }

  constructor() {
    // In the browser only (server rendering has no custom elements). The test serves
    // pkg/ at /src/js/ (a host's copy of pkg/).
    if (typeof window !== 'undefined') void import('../../src/js/consent-form.js');
    // --- the test's hook, not the docs' ---
    (globalThis as { ngState?: ContactComponent }).ngState = this;
  }
}
