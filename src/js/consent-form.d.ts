// TypeScript types for consent-form.js. Documentation: docs/embedding.md.

/** Which form: a consultation request or a callback request. */
export type FormKind = 'contact' | 'callback';

/** The visitor's language: Vietnamese (default) or English. Region tags (`vi-VN`, `en-US`) work too. */
export type Locale = 'vi' | 'en' | `vi-${string}` | `en-${string}`;

/** Fields of `kind="contact"`, in the order shown. The payload's `fields` keys. */
export type ContactField = 'company' | 'name' | 'industry' | 'need' | 'phone' | 'email';

/** Fields of `kind="callback"`, in the order shown. */
export type CallbackField = 'name' | 'phone' | 'callback_date' | 'callback_window' | 'topic';

/** Any field name. */
export type FieldName = ContactField | CallbackField;

/**
 * A field's settings. `phone`, `callback_date` and `callback_window` cannot be hidden
 * or made optional.
 */
export interface FieldSettings {
  /** Whether the visitor must fill it in. Defaults: `name`, `phone`, `callback_date`, `callback_window`. */
  required?: boolean;
  /** Hides an optional field. */
  hidden?: boolean;
}

/** The built-in purposes. `consultation` is always asked, first, and required to submit. */
export type BuiltInPurpose = 'consultation' | 'marketing' | 'call_recording';

/** Sensitive personal data categories (Decree 13/2023, Art. 2.4). */
export type SensitiveCategory =
  | 'political_or_religious_views'
  | 'health'
  | 'racial_or_ethnic_origin'
  | 'genetic'
  | 'biometric'
  | 'sex_life'
  | 'criminal_record'
  | 'bank_customer'
  | 'location'
  | 'other';

/** A purpose the host defines, e.g. sharing with a named partner. Its box is `consent-<id>`. */
export interface CustomPurpose {
  /** Lower-case letters, digits and `_`. */
  id: string;
  /** The sentence the visitor agrees to. */
  text: string;
  /** What is done, to which data, by whom, for how long. */
  details?: string;
  /** The data this purpose uses, in words. */
  data?: string;
  /** Organisations that receive the data for this purpose. */
  recipients?: string[];
  /** What may follow from agreeing, in words. */
  consequences?: string;
  /** How the data is processed for it, in words. Default: stored by the controller, used for this purpose only. */
  method?: string;
  /** Sensitive data it involves; flagged next to the box. */
  sensitive?: SensitiveCategory[];
}

/** A marketing channel. */
export type MarketingChannel = 'email' | 'sms' | 'phone' | 'zalo';

/** How marketing reaches the visitor (shown in the marketing consent, as the law asks). */
export interface MarketingSettings {
  /** At least one channel. Default: all four. */
  channels: MarketingChannel[];
  /** How often, in words. Default: "at most 4 times a month" in the visitor's language. */
  frequency?: string;
}

/** When callbacks can be made, in Vietnam's time (Asia/Ho_Chi_Minh). */
export interface BusinessHours {
  /** Working days, 1 = Monday … 7 = Sunday. Default `[1, 2, 3, 4, 5, 6]`. */
  days?: number[];
  /** Windows offered, `"HH:MM-HH:MM"`. Default `["08:00-10:00", "10:00-12:00", "13:30-15:30", "15:30-17:30"]`. */
  windows?: string[];
  /** How many days ahead, today included (1–90). Default 14. */
  days_ahead?: number;
  /** A window is offered only if it ends at least this many minutes from now. Default 30. */
  lead_minutes?: number;
  /** Days off, `"YYYY-MM-DD"`. */
  holidays?: string[];
}

/** The name of an overridable text (see docs/embedding.md for the placeholders each takes). */
export type TextName =
  | 'title_contact' | 'title_callback' | 'intro'
  | 'label_company' | 'label_name' | 'label_industry' | 'label_need' | 'label_phone' | 'label_email'
  | 'label_callback_date' | 'label_callback_window' | 'label_topic' | 'label_guardian_name' | 'label_guardian_phone'
  | 'hint_phone' | 'hint_email' | 'optional' | 'required' | 'choose' | 'day_first' | 'no_slots' | 'no_days'
  | 'err_required' | 'err_choose' | 'err_too_long' | 'err_too_long_one' | 'chars_left' | 'chars_left_one' | 'err_slot' | 'err_day'
  | 'use_correction' | 'email_suggestion' | 'phone_ok' | 'phone_two_numbers' | 'phone_note' | 'phone_old_landline'
  | 'consents_heading' | 'consents_intro' | 'consent_needed' | 'consent_optional'
  | 'consultation_text' | 'age_statement' | 'marketing_text' | 'call_recording_text'
  | 'consultation_purpose' | 'marketing_purpose' | 'call_recording_purpose'
  | 'consultation_method' | 'marketing_method' | 'call_recording_method' | 'custom_method' | 'custom_consequence'
  | 'consultation_consequence' | 'marketing_consequence' | 'call_recording_consequence'
  | 'consultation_data' | 'marketing_data' | 'call_recording_data'
  | 'notice_details' | 'notice_purpose' | 'notice_data' | 'notice_method' | 'notice_controller' | 'notice_recipients'
  | 'notice_no_recipients' | 'notice_consequences' | 'notice_retention' | 'notice_rights'
  | 'default_retention' | 'rights' | 'rights_with_button' | 'rights_with_button_receipt' | 'sensitive' | 'default_frequency'
  | 'sensitive_political_or_religious_views' | 'sensitive_health' | 'sensitive_racial_or_ethnic_origin'
  | 'sensitive_genetic' | 'sensitive_biometric' | 'sensitive_sex_life' | 'sensitive_criminal_record'
  | 'sensitive_bank_customer' | 'sensitive_location' | 'sensitive_other'
  | 'channel_email' | 'channel_sms' | 'channel_phone' | 'channel_zalo' | 'and'
  | 'policy_link' | 'new_tab' | 'submit' | 'sending' | 'submit_queued' | 'summary_title' | 'summary_title_one'
  | 'minor_label' | 'minor_hint' | 'guardian_heading' | 'guardian_text' | 'err_guardian' | 'err_consultation'
  | 'status_sent' | 'status_queued' | 'status_queued_page' | 'status_failed' | 'retry'
  | 'reason_offline' | 'reason_server' | 'reason_refused' | 'reason_key' | 'reason_browser' | 'reason_captcha'
  | 'receipt_title' | 'receipt_intro' | 'receipt_intro_unkept' | 'receipt_id' | 'receipt_time' | 'receipt_controller' | 'receipt_policy'
  | 'receipt_consent' | 'receipt_choice'
  | 'agreed' | 'refused' | 'print' | 'download' | 'another' | 'honeypot'
  | 'phone_empty' | 'phone_too_long_input' | 'phone_plus_first' | 'phone_letter_o' | 'phone_letter'
  | 'phone_bad_char' | 'phone_incomplete' | 'phone_too_short' | 'phone_too_short_one' | 'phone_too_long' | 'phone_too_long_one' | 'phone_foreign'
  | 'phone_plus_zero' | 'phone_unknown_country' | 'phone_unknown_prefix'
  | 'phone_obsolete_mobile' | 'phone_obsolete_landline'
  | 'email_empty' | 'email_too_long' | 'email_missing_at' | 'email_multiple_at' | 'email_empty_local'
  | 'email_local_too_long' | 'email_local_space' | 'email_local_accent' | 'email_local_char'
  | 'email_empty_domain' | 'email_domain_space' | 'email_domain_comma' | 'email_domain_char'
  | 'email_empty_label' | 'email_label_too_long' | 'email_label_hyphen' | 'email_single_label'
  | 'email_numeric_tld'
  | 'weekday_1' | 'weekday_2' | 'weekday_3' | 'weekday_4' | 'weekday_5' | 'weekday_6' | 'weekday_7'
  | 'month_1' | 'month_2' | 'month_3' | 'month_4' | 'month_5' | 'month_6'
  | 'month_7' | 'month_8' | 'month_9' | 'month_10' | 'month_11' | 'month_12'
  | 'day_format' | 'receipt_time_format'
  | 'withdraw_button' | 'withdraw_confirm' | 'withdraw_yes' | 'withdraw_no' | 'withdraw_sending'
  | 'withdraw_done' | 'withdraw_queued' | 'withdraw_not_active' | 'withdraw_failed'
  | 'history_title' | 'history_intro' | 'history_sent' | 'history_withdrawn' | 'history_not_active' | 'history_forget'
  | 'history_forget_note'
  | 'waiting_title' | 'waiting_intro' | 'waiting_since' | 'waiting_reason' | 'waiting_send' | 'waiting_sent'
  | 'waiting_refused' | 'waiting_passed' | 'waiting_new_time' | 'kind_contact' | 'kind_callback'
  | 'unsent_title' | 'unsent_intro' | 'unsent_since' | 'unsent_reason' | 'unsent_put_back' | 'unsent_delete'
  | 'unsent_put_back_done' | 'unsent_deleted' | 'unsent_replace_ask' | 'unsent_replace'
  | 'unsent_keep' | 'unsent_other_form' | 'unsent_go_to' | 'unsent_reopened'
  | 'load_failed' | 'load_retry';

/**
 * The configuration: the object given to mount(), or the JSON in the element's child
 * `<script type="application/json">`. Keys are snake_case; an unknown key is an error.
 * Attributes (kebab-case: `policy-url`, `key-url`…) are read last and win.
 * Required: `endpoint`, `policy_url`, `controller`, and one of `key_url` or `secret`.
 */
export interface ConsentFormConfig {
  /** Default `"contact"`. */
  kind?: FormKind;
  /** Where submissions are posted: an http(s) URL or a path on this site (`/…`, `./…`). */
  endpoint?: string;
  /** Default `"vi"`. */
  locale?: Locale;
  /** The full privacy policy (http(s) URL or path). */
  policy_url?: string;
  /** The policy's version, recorded with each consent. */
  policy_version?: string;
  /** The organisation that controls the data, named in every notice. */
  controller?: string;
  /** Where to POST for a short-lived signing key `{ "secret": "whsec_…", "expires_at": … }` (recommended). */
  key_url?: string;
  /** An inline `whsec_…` secret instead of key_url: proves integrity only, anyone can read it. */
  secret?: string;
  /** How to reach the controller about one's data (e-mail, phone or page): shown where the visitor's rights are, and in the records. */
  controller_contact?: string;
  /** Where the receipt posts a visitor's withdrawal of a consent (same rules as `endpoint`; signed with the same key). Without it the receipt has no withdraw button and the visitor withdraws by contacting the controller. */
  withdraw_endpoint?: string;
  /**
   * Visitors under 16 (Decree 13/2023, Art. 20). `declare` (default): the consultation
   * consent includes an age declaration (`age_statement`). `guardian`: a box "I am under
   * 16"; ticked, the visitor's parent or guardian gives their name and phone
   * (`guardian_name`, `guardian_phone`) and ticks their own agreement, sent as `guardian`.
   */
  minors?: 'declare' | 'guardian';
  /** Per-field settings. */
  fields?: Partial<Record<FieldName, FieldSettings>>;
  /** The purposes asked, in order. Default `["consultation", "marketing", "call_recording"]`. */
  purposes?: Array<BuiltInPurpose | CustomPurpose>;
  /** Text overrides by name; `{placeholders}` are filled in. */
  texts?: Partial<Record<TextName, string>>;
  /** Options of the `industry` select. Default: a Vietnamese (or English) list of 12. */
  industries?: string[];
  /** When callbacks can be made. */
  business_hours?: BusinessHours;
  /** Marketing channels and frequency. */
  marketing?: MarketingSettings;
  /** How long the data is kept, in words (shown in the notices). */
  retention?: string;
  /** Organisations the data is shared with for the consultation. */
  recipients?: string[];
  /** Shortest plausible fill time in ms (anti-spam; a faster submit is delayed quietly). Default 2500. */
  min_fill_ms?: number;
  /** How long one request (to the endpoint or the key URL) may take, in ms, before it is abandoned and retried. Default 15000; kept within 100–600000. */
  timeout_ms?: number;
  /** The captcha hook (only here or as the element's `captcha` property: JSON cannot hold a function). */
  captcha?: CaptchaHook;
}

/** What the captcha hook is called with when the visitor presses send. */
export interface CaptchaDetail {
  /** The id the submission will have (`msg_…`), e.g. for the provider's `cData`. */
  id: string;
  /** Which form. */
  form: FormKind;
}

/**
 * The host's captcha hook: called once per press, after the form is complete; returns the
 * provider's token (1–8192 printable ASCII characters) or a promise of it, within 2 minutes.
 * The token goes into the signed payload as `captcha`. If it throws, rejects, times out or
 * gives no token, nothing is sent: the visitor is asked to try again (what they typed is
 * kept) and `consent-form:error` says why.
 */
export type CaptchaHook = (detail: CaptchaDetail) => string | Promise<string>;

/**
 * What mount() resolves to. Of a `<consent-form>`, it also acts on the form the element
 * makes again when taken off the page and put back.
 */
export interface FormHandle {
  /**
   * Removes the form and frees its resources. Calling it twice is harmless. A stale handle
   * (another mount() on the same element has replaced its form) does nothing: it never
   * removes the form mounted after it.
   */
  destroy(): void;
  /** Reads the element's attributes and child JSON again and updates the form (not if stale). */
  refresh(): void;
  /** Frees the handle itself (wasm-bindgen); call destroy() first to remove the form. */
  free(): void;
}

/** Detail of `consent-form:submit`, dispatched just before the first delivery attempt. */
export interface SubmitDetail {
  /** The submission id (`msg_…`): the Standard Webhooks `webhook-id` and idempotency key. */
  id: string;
  /** Which form sent it. */
  form: FormKind;
}

/** Detail of `consent-form:success`: the endpoint accepted the submission. */
export interface SuccessDetail {
  /** The submission id. */
  id: string;
  /** The 2xx HTTP status it answered with. */
  status: number;
}

/** Detail of `consent-form:error`: a delivery attempt failed, or the module could not load. */
export interface ErrorDetail {
  /** The submission id, if one was made. */
  id: string | null;
  /** What went wrong, in English, for the developer. */
  reason: string;
  /**
   * true: kept in the outbox and retried; false: refused for good (a submission is then
   * kept on the device, unsent, for the visitor to put back into the form or delete).
   */
  will_retry: boolean;
  /** true: the WebAssembly module could not load, so no form is shown (`id` is null). */
  load_failed?: true;
}

/** Detail of `consent-form:withdraw`: the withdraw-endpoint accepted a withdrawal made on the receipt. */
export interface WithdrawDetail {
  /** The withdrawal's own id (`msg_…`): its `webhook-id`. */
  id: string;
  /** The id of the submission whose consent was withdrawn. */
  submission_id: string;
  /** The purpose withdrawn (`marketing`, …). */
  purpose: string;
}

/** The events the form dispatches; they bubble and are composed (they reach `document`). */
export interface ConsentFormEventMap {
  'consent-form:submit': CustomEvent<SubmitDetail>;
  'consent-form:success': CustomEvent<SuccessDetail>;
  'consent-form:error': CustomEvent<ErrorDetail>;
  'consent-form:withdraw': CustomEvent<WithdrawDetail>;
}

/**
 * Where the WebAssembly module is: what wasm-bindgen's `init()` takes as `module_or_path`.
 * A URL (absolute, or relative to the page), a `Request`, a `Response` or a promise of
 * one, a compiled `WebAssembly.Module`, or the module's bytes.
 */
export type WasmSource = string | URL | Request | Response | Promise<Response> | WebAssembly.Module | BufferSource;

/** What load() takes. */
export interface LoadOptions {
  /**
   * Where the module is, when not beside `consent-form.js` (a CDN, a bundler's hashed
   * asset, a bundle without `import.meta.url`). Say it before the first form loads: the
   * module loads once per page, and a different place given later is refused with a
   * console error. Wins over a `<link data-consent-form href="…">` in the page.
   * The key must be there: `load({})` (a misspelt `{ wsam }`) is refused with a TypeError;
   * `undefined` or `null` in it is the default place.
   */
  wasm: WasmSource | null | undefined;
}

/**
 * Loads and instantiates the WebAssembly module once (its init()); later calls share the
 * promise. The element and mount() call it; call it first, with `options.wasm`, to say
 * where the module is. Rejects with a TypeError when given anything but `{ wasm }`.
 */
export function load(options?: LoadOptions): Promise<unknown>;

/** What mount() takes besides the configuration. */
export interface MountOptions {
  /**
   * Ties the form to its caller, e.g. a framework's effect that aborts it in its cleanup:
   * aborted before the form is rendered, none is and mount() rejects with the signal's
   * reason; aborted later, the form is destroyed. So a mount whose effect is gone never
   * replaces the live form, whatever order the mounts resolve in.
   */
  signal?: AbortSignal;
}

/**
 * Renders a form into `element`'s open shadow root, after the module has loaded. The
 * element's child JSON and attributes are read too, attributes last. A wrong
 * configuration shows a message for the developer in place of the form (and on the
 * console); the promise still resolves. It rejects, saying why, when `element` is no
 * element (`null`, a selector string) or one that cannot have a shadow root (`<li>`,
 * `<form>`: mount into a `<div>` there), and when `options.signal` is aborted first.
 * Mounting again on the same element replaces the form there and makes the earlier
 * handle stale. Given a `<consent-form>` of the page, it configures that element's form
 * (the bare element makes none of its own).
 */
export function mount(element: HTMLElement, config?: ConsentFormConfig | null, options?: MountOptions): Promise<FormHandle>;

/**
 * The attributes of `<consent-form>`, as a framework's templates write them (JSX, Vue,
 * Angular): each is the JSON key of the same name with `_` for `-`, and a present
 * attribute wins over the child JSON. React with TypeScript: docs/embedding.md,
 * "React, Vue, Angular".
 */
export interface ConsentFormAttributes {
  kind?: FormKind;
  endpoint?: string;
  locale?: Locale;
  'policy-url'?: string;
  'policy-version'?: string;
  controller?: string;
  'key-url'?: string;
  secret?: string;
  'controller-contact'?: string;
  'withdraw-endpoint'?: string;
  minors?: 'declare' | 'guardian';
}

/** The `<consent-form>` custom element; changing an observed attribute updates the form. */
export class ConsentFormElement extends HTMLElement {
  static readonly observedAttributes: string[];
  /** The captcha hook; set it any time before the visitor presses send. One given to mount() wins. */
  captcha?: CaptchaHook;
}

declare global {
  interface HTMLElementTagNameMap {
    'consent-form': ConsentFormElement;
  }
  // Any element may host a form (mount()), and the events bubble to document and window.
  interface HTMLElementEventMap extends ConsentFormEventMap {}
  interface DocumentEventMap extends ConsentFormEventMap {}
  interface WindowEventMap extends ConsentFormEventMap {}
}
