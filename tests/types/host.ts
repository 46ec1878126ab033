// What a host's TypeScript looks like with consent-form's types (src/js/consent-form.d.ts).
// `npx tsc -p tests/types` (scripts/test runs it) must compile this under --strict:
// every use below is allowed, and each `@ts-expect-error` line must be refused — if the
// types stopped refusing it, the compiler would fail on the unused directive.
import {
  load,
  mount,
  type CaptchaHook,
  type ConsentFormConfig,
  type ConsentFormElement,
  type FormHandle,
} from '../../src/js/consent-form.js';

declare const turnstile: { execute(el: string, opts: { callback(token: string): void }): void };
declare function showOwnForm(place: HTMLElement): void;

const captcha: CaptchaHook = ({ id, form }) =>
  new Promise<string>((resolve) => {
    console.log(`captcha for ${form} ${id}`);
    turnstile.execute('#cf-turnstile', { callback: resolve });
  });

const config: ConsentFormConfig = {
  kind: 'callback',
  endpoint: '/api/leads',
  key_url: '/api/consent-key',
  locale: 'vi-VN',
  policy_url: '/chinh-sach-bao-mat',
  policy_version: '2026-01',
  controller: 'Công ty TNHH Ví Dụ',
  controller_contact: 'dpo@vidu.vn',
  minors: 'guardian',
  fields: { topic: { required: true } },
  purposes: [
    'marketing',
    {
      id: 'share_clinic',
      text: 'Chia sẻ với Phòng khám X.',
      method: 'Gửi qua email mã hóa.',
      consequences: 'Phòng khám X có thể gọi cho bạn.',
      sensitive: ['health'],
    },
  ],
  texts: {
    submit: 'Gửi yêu cầu', age_statement: '', chars_left: 'Còn {n} ký tự.',
    phone_too_short: 'Thiếu {count} số.', email_missing_at: 'Thiếu @.', weekday_1: 'T2',
    day_format: '{weekday} {dd}/{mm}', receipt_time_format: '{time} {dd}/{mm}/{yyyy}',
    minor_label: 'Em dưới 16 tuổi', guardian_text: 'Tôi là phụ huynh và đồng ý.',
  },
  business_hours: { days: [1, 2, 3, 4, 5], windows: ['08:00-10:00'] },
  marketing: { channels: ['email', 'zalo'], frequency: '2 lần mỗi tháng' },
  min_fill_ms: 3000,
  timeout_ms: 10_000,
  captcha,
};

export async function start(): Promise<void> {
  await load();
  // Where the module is, before the first form loads: a CDN, a bundler's asset URL, a
  // fetch of one's own, a compiled module.
  await load({ wasm: 'https://cdn.example.com/consent-form/0.1.0/consent_form_bg.wasm' });
  await load({ wasm: new URL('/static/consent_form_bg.wasm', location.href) });
  await load({ wasm: fetch('/static/consent_form_bg.wasm', { integrity: 'sha384-…' }) });
  await load({ wasm: await WebAssembly.compileStreaming(fetch('/static/consent_form_bg.wasm')) });
  // @ts-expect-error: the URL inside { wasm }, not alone
  await load('https://cdn.example.com/consent_form_bg.wasm');
  // @ts-expect-error: load() refuses an object without `wasm` (a misspelt key, an empty object)
  await load({});
  await load({ wasm: undefined });
  const handle: FormHandle = await mount(document.querySelector<HTMLElement>('#form')!, config);
  handle.refresh();
  handle.destroy();
  // A framework's effect: the mount tied to a signal its cleanup aborts.
  const stop = new AbortController();
  await mount(document.querySelector<HTMLElement>('#form')!, config, { signal: stop.signal });
  stop.abort();
  // @ts-expect-error: the signal, not its controller
  await mount(document.querySelector<HTMLElement>('#form')!, config, { signal: stop });

  const el: ConsentFormElement = document.querySelector('consent-form')!;
  el.captcha = () => 'token-from-a-widget';
  el.addEventListener('consent-form:success', (e) => console.log(e.detail.id, e.detail.status.toFixed()));
  document.addEventListener('consent-form:error', (e) => {
    const retry: boolean = e.detail.will_retry;
    console.log(e.detail.id ?? 'no submission', e.detail.reason, retry);
    // The module could not load: the page shows a form of its own.
    if (e.detail.load_failed) showOwnForm(e.target as HTMLElement);
  });
  window.addEventListener('consent-form:submit', (e) => console.log(e.detail.form === 'callback'));
}

// What the types refuse.
// @ts-expect-error: not a form
export const wrongKind: ConsentFormConfig = { kind: 'newsletter' };
// @ts-expect-error: a misspelt key
export const misspelt: ConsentFormConfig = { endpiont: '/x' };
// @ts-expect-error: not a text name
export const wrongText: ConsentFormConfig = { texts: { sumbit: 'Gửi' } };
// @ts-expect-error: the hook gives a string, not a number
export const wrongHook: CaptchaHook = () => 42;
// @ts-expect-error: minors is declare or guardian
export const wrongMinors: ConsentFormConfig = { minors: 'parents' };
// @ts-expect-error: not a marketing channel
export const wrongChannel: ConsentFormConfig = { marketing: { channels: ['fax'] } };
