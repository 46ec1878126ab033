// docs/embedding.md's Angular component, server rendered (`ng build` with
// `outputMode: "server"`, @angular/ssr) and hydrated in the browser: the server writes
// <consent-form> with its attributes; the package is imported in afterNextRender, which
// runs in the browser only, after hydration, and the element upgrades there.
import { Component, CUSTOM_ELEMENTS_SCHEMA, afterNextRender, signal } from '@angular/core';
import type { Locale } from 'consent-form';

@Component({
  selector: 'app-contact',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <consent-form id="contact" kind="contact" endpoint="__ENDPOINT__" [attr.locale]="locale()"
      policy-url="/chinh-sach-bao-mat" controller="Công ty TNHH Ví Dụ"
      key-url="/api/keys"></consent-form>
    <output id="sent">{{ sent() }}</output>`,
})
export class ContactComponent {
  locale = signal<Locale>('vi');
  sent = signal('');

  constructor() {
    afterNextRender(async () => {
      // --- for the test, not the docs ---
      (window as unknown as { ngState: ContactComponent }).ngState = this;
      document.addEventListener('consent-form:success', (e) => this.sent.set((e as CustomEvent<{ id: string }>).detail.id));
      // --- the docs' line ---
      await import('consent-form');
    });
  }
}
