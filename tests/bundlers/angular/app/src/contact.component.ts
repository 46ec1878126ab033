// docs/embedding.md's Angular component as the Angular CLI builds it (`ng build`:
// @angular/build's application builder, ahead-of-time compiled, production): the
// element in the template with a bound attribute and the captcha hook as a property,
// and a form mounted from code into a <div> once the component has rendered. The
// package is imported when the component first renders (a chunk of its own).
import { Component, CUSTOM_ELEMENTS_SCHEMA, ElementRef, afterNextRender, signal, viewChild } from '@angular/core';
import type { CaptchaHook, Locale } from 'consent-form';

@Component({
  selector: 'app-contact',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <consent-form id="form" kind="contact" endpoint="__ENDPOINT__" [attr.locale]="locale()"
      policy-url="/privacy.html" policy-version="2026-01" controller="Công ty TNHH Ví Dụ"
      key-url="/api/keys" [captcha]="captcha"></consent-form>
    <div id="box" #box></div>
    <output id="sent">{{ sent() }}</output>`,
})
export class ContactComponent {
  locale = signal<Locale>('vi');
  sent = signal('');
  // A function: a property, not an attribute.
  captcha: CaptchaHook = ({ form }) => `angular-token-${form}`;
  box = viewChild.required<ElementRef<HTMLElement>>('box');

  constructor() {
    // In the browser only, after the first render (never on a server).
    afterNextRender(async () => {
      const { mount } = await import('consent-form');
      await mount(this.box().nativeElement, {
        kind: 'contact',
        endpoint: '__ENDPOINT__',
        key_url: '/api/keys',
        policy_url: '/privacy.html',
        policy_version: '2026-01',
        controller: 'Công ty TNHH Ví Dụ',
        texts: { submit: 'Gọi lại cho tôi' },
      });
    });
    // --- for the test, not the docs ---
    const w = window as unknown as { heard: unknown[]; ngState: ContactComponent };
    w.heard = [];
    w.ngState = this;
    for (const type of ['consent-form:submit', 'consent-form:success', 'consent-form:error']) {
      document.addEventListener(type, (e) => {
        const detail = (e as CustomEvent<{ id: string }>).detail;
        w.heard.push({ type, target: (e.target as HTMLElement).id, ...detail });
        if (type === 'consent-form:success') this.sent.set(detail.id);
      });
    }
  }
}
