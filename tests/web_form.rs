//! The form in a real browser (headless Chrome and Firefox, `wasm-pack test`): what it
//! renders, how it answers a visitor, what it refuses and what it sends.
#![cfg(all(target_arch = "wasm32", feature = "ui"))]

mod web_support;

use consent_form::locale::Locale;
use consent_form::messages::{Key, Texts};
use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_support::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

fn texts(locale: Locale) -> Texts {
    Texts::new(locale, Default::default())
}

/// The names of the form's fields (not the consents, not the honeypot), in DOM order.
fn field_names(form: &Mounted) -> Vec<String> {
    form.attributes(".cf-field [name]", "name")
}

#[wasm_bindgen_test]
async fn the_contact_form_renders_its_fields_with_labels_and_the_right_keyboards() {
    let form = form("contact", "vi", "").await;
    assert_eq!(
        form.get("form").get_attribute("data-kind").as_deref(),
        Some("contact")
    );
    assert_eq!(form.text("h2"), texts(Locale::Vi).get(Key::TitleContact));
    assert_eq!(
        field_names(&form),
        ["company", "name", "industry", "need", "phone", "email"]
    );
    assert_eq!(
        form.attributes("input[type=checkbox]", "name"),
        [
            "consent-consultation",
            "consent-marketing",
            "consent-call_recording"
        ]
    );

    // (field, tag, type, inputmode, autocomplete)
    let expected = [
        (
            "company",
            "INPUT",
            Some("text"),
            Some("text"),
            Some("organization"),
        ),
        ("name", "INPUT", Some("text"), Some("text"), Some("name")),
        ("industry", "SELECT", None, None, None),
        ("need", "TEXTAREA", None, None, None),
        ("phone", "INPUT", Some("tel"), Some("tel"), Some("tel")),
        (
            "email",
            "INPUT",
            Some("email"),
            Some("email"),
            Some("email"),
        ),
    ];
    for (name, tag, kind, inputmode, autocomplete) in expected {
        let el = form.control(name);
        assert_eq!(el.tag_name(), tag, "{name}");
        if tag == "INPUT" {
            assert_eq!(el.get_attribute("type").as_deref(), kind, "{name} type");
            assert_eq!(
                el.get_attribute("inputmode").as_deref(),
                inputmode,
                "{name} inputmode"
            );
            assert_eq!(
                el.get_attribute("autocomplete").as_deref(),
                autocomplete,
                "{name} autocomplete"
            );
        }
        // A real label, tied by for=id, saying which field it is.
        let label = form.get(&format!("label[for='{}']", el.id()));
        let wanted = consent_form::validation::label(
            consent_form::fields::FieldName::parse(name).unwrap(),
            &texts(Locale::Vi),
        )
        .to_owned();
        assert!(
            label.text_content().unwrap().starts_with(&wanted),
            "label of {name}"
        );
    }
    // The industry select offers the Vietnamese default list after its empty choice.
    let industry: HtmlSelectElement = form.control("industry").unchecked_into();
    assert!(industry.length() > 5);
    assert_eq!(industry.value(), "");
    // Required fields say so to assistive technology (`aria-required`: see below).
    let required = |name| form.control(name).get_attribute("aria-required");
    assert_eq!(required("name").as_deref(), Some("true"));
    assert_eq!(required("phone").as_deref(), Some("true"));
    assert_eq!(required("email"), None);
}

/// The `names` of a fresh `kind` form say they are required, are not `:invalid` and have
/// no `aria-invalid` until a refused submit, after which they have.
async fn required_but_not_invalid_until_refused(kind: &str, names: [&str; 2]) {
    let form = form(kind, "vi", "").await;
    for name in names {
        let control = form.control(name);
        assert_eq!(
            control.get_attribute("aria-required").as_deref(),
            Some("true"),
            "{name} says it is required"
        );
        assert!(
            !control.matches(":invalid").unwrap(),
            "{name} is not invalid before the form shows an error"
        );
        assert!(control.get_attribute("aria-invalid").is_none());
    }
    // Once the form shows the error, it says so.
    form.submit().await;
    for name in names {
        assert_eq!(
            form.control(name).get_attribute("aria-invalid").as_deref(),
            Some("true"),
            "{name} after a refused submit"
        );
    }
}

#[wasm_bindgen_test]
async fn a_required_text_field_left_empty_is_not_announced_invalid_before_the_form_says_so() {
    // A native `required` on a text field left empty makes it `:invalid` at once (the
    // form's `novalidate` notwithstanding), and Firefox tells screen readers "invalid
    // entry" for the fresh form's name and phone (Orca: "Họ và tên (bắt buộc) entry
    // required. invalid entry."), with no message saying why. `aria-required` says
    // "required" without that.
    required_but_not_invalid_until_refused("contact", ["name", "phone"]).await;
}

#[wasm_bindgen_test]
async fn the_callback_form_renders_a_date_and_the_windows_of_that_date() {
    let form = form("callback", "en", "").await;
    assert_eq!(
        form.get("form").get_attribute("data-kind").as_deref(),
        Some("callback")
    );
    assert_eq!(form.text("h2"), texts(Locale::En).get(Key::TitleCallback));
    assert_eq!(
        field_names(&form),
        ["name", "phone", "callback_date", "callback_window", "topic"]
    );
    assert_eq!(
        form.attributes("input[type=checkbox]", "name"),
        [
            "consent-consultation",
            "consent-marketing",
            "consent-call_recording"
        ]
    );
    let topic = form.control("topic");
    assert_eq!(topic.get_attribute("autocomplete").as_deref(), Some("off"));

    let date: HtmlSelectElement = form.control("callback_date").unchecked_into();
    assert!(
        date.length() >= 2,
        "at least one day offered besides the empty choice"
    );
    let window: HtmlSelectElement = form.control("callback_window").unchecked_into();
    assert_eq!(window.length(), 1, "no windows before a day is chosen");
    let day_first = texts(Locale::En).get(Key::DayFirst).to_owned();
    assert_eq!(
        form.text(".cf-field[data-field=callback_window] .cf-hint"),
        day_first,
        "and the field says why"
    );
    let first_day = date.item(1).unwrap().get_attribute("value").unwrap();
    form.choose("callback_date", &first_day).await;
    assert!(form
        .find(".cf-field[data-field=callback_window] .cf-hint")
        .is_none());
    let window: HtmlSelectElement = form.control("callback_window").unchecked_into();
    assert!(window.length() >= 2, "the chosen day offers windows");
    let value = window.item(1).unwrap().get_attribute("value").unwrap();
    assert!(
        consent_form::schedule::Window::parse(&value).is_some(),
        "{value} is a HH:MM-HH:MM window"
    );
}

#[wasm_bindgen_test]
async fn a_required_select_left_empty_is_not_announced_invalid_before_the_form_says_so() {
    // A native `required` on a select with its empty choice makes it `:invalid` at once,
    // and Chromium tells screen readers "invalid entry" for the fresh callback day and
    // time, with no message saying why. `aria-required` says "required" without that.
    required_but_not_invalid_until_refused("callback", ["callback_date", "callback_window"]).await;
}

#[wasm_bindgen_test]
async fn a_box_ticked_under_words_the_host_then_changes_is_unticked() {
    // The host changes the controller after the visitor ticked marketing and call
    // recording: both sentences now name another company, which the visitor never
    // agreed to; the consultation box, left unticked, stays so.
    let mut form = form("contact", "vi", "").await;
    form.toggle("marketing").await;
    form.toggle("call_recording").await;
    let before = form.text("#cf-consent-marketing-text");
    form.host
        .set_attribute("controller", "Công ty Khác")
        .unwrap();
    form.handle.refresh();
    settle().await;
    settle().await;
    assert_ne!(form.text("#cf-consent-marketing-text"), before);
    assert!(!form.consent("marketing").checked(), "marketing unticked");
    assert!(!form.consent("call_recording").checked());
    // A change that leaves the sentences as they were keeps the boxes ticked.
    form.toggle("marketing").await;
    form.host
        .set_attribute("policy-version", "2026-02")
        .unwrap();
    form.handle.refresh();
    settle().await;
    settle().await;
    assert!(
        form.consent("marketing").checked(),
        "same words, still ticked"
    );
}

#[wasm_bindgen_test]
async fn every_consent_starts_unticked() {
    let custom = r#""purposes": ["marketing", "call_recording",
        {"id": "share_partner", "text": "Chia sẻ với đối tác ABC", "recipients": ["ABC"], "sensitive": ["health"]}]"#;
    for (kind, extra) in [("contact", ""), ("callback", ""), ("contact", custom)] {
        let form = form(kind, "vi", extra).await;
        let boxes = form.all("input[type=checkbox]");
        assert!(boxes.len() >= 3, "{kind}: {} boxes", boxes.len());
        for b in &boxes {
            let b: &HtmlInputElement = b.unchecked_ref();
            assert!(!b.checked(), "{} starts ticked", b.name());
            assert!(
                !b.has_attribute("checked"),
                "{} has a checked attribute",
                b.name()
            );
        }
        // The form says which one is needed to send, and that the others are optional.
        let t = texts(Locale::Vi);
        let tag = |purpose: &str| form.text(&format!("[data-purpose={purpose}] .cf-tag"));
        assert_eq!(
            tag("consultation"),
            format!("({})", t.get(Key::ConsentNeeded))
        );
        assert_eq!(
            tag("marketing"),
            format!("({})", t.get(Key::ConsentOptional))
        );
        if !extra.is_empty() {
            assert!(form.find("input[name='consent-share_partner']").is_some());
            assert_eq!(
                tag("share_partner"),
                format!("({})", t.get(Key::ConsentOptional))
            );
            // Sensitive data is flagged next to its box, and only there.
            assert_eq!(
                form.text("[data-purpose=share_partner] .cf-sensitive"),
                t.get(Key::Sensitive)
            );
            assert_eq!(form.all(".cf-sensitive").len(), 1);
        }
    }
}

#[wasm_bindgen_test]
async fn the_policy_link_says_it_opens_a_new_tab() {
    for (locale, words) in [("vi", "(mở trong thẻ mới)"), ("en", "(opens in a new tab)")] {
        let form = form("contact", locale, "").await;
        let link = form.find(".cf-policy").expect("the policy link");
        assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
        let name = link.text_content().unwrap_or_default();
        assert!(name.ends_with(words), "{name:?}");
        let said = form.find(".cf-policy .cf-sr").expect("said, not shown");
        assert_eq!(said.text_content().unwrap_or_default().trim(), words);
    }
}

#[wasm_bindgen_test]
async fn submit_is_refused_without_the_consultation_consent() {
    let submits = listen("consent-form:submit");
    let form = form("contact", "vi", "").await;
    form.type_into("name", "Nguyễn Văn A").await;
    form.fill("phone", "0902 666 984").await;
    form.toggle("marketing").await;
    form.toggle("call_recording").await;
    form.submit().await;

    // The summary appears, lists the missing consent and takes focus.
    let summary = form.get(".cf-summary");
    assert_eq!(
        form.focused().as_ref(),
        Some(summary.unchecked_ref::<Element>()),
        "the summary has focus"
    );
    let message = texts(Locale::Vi).get(Key::ErrConsultation).to_owned();
    assert!(summary.text_content().unwrap().contains(&message));
    assert_eq!(
        form.all(".cf-summary li").len(),
        1,
        "only the consent is missing"
    );
    assert_eq!(
        form.text(".cf-summary h3"),
        Key::SummaryTitleOne.default_text(Locale::Vi)
    );
    // Focus on it says its title, then its problems, once: a group named by its title
    // and described by its list — not an alert, whose live region Orca with Chromium
    // read again after the focus, in pieces and out of order
    // (tests/e2e/screen-reader.test.mjs).
    assert_eq!(summary.get_attribute("role").as_deref(), Some("group"));
    let title = summary.get_attribute("aria-labelledby").expect("named");
    assert_eq!(form.text(&format!("#{title}")), form.text(".cf-summary h3"));
    assert_eq!(form.description(&summary), message);
    // Its link leads to the checkbox.
    form.click(".cf-summary a").await;
    assert_eq!(
        form.focused().map(|e| e.id()),
        Some("cf-consent-consultation".to_owned())
    );

    let consultation = form.consent("consultation");
    assert_eq!(
        consultation.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(form.description(&consultation), message);
    assert!(form
        .find(".cf-status")
        .is_some_and(|s| s.text_content().unwrap_or_default().is_empty()));
    settle().await;
    assert!(submits.seen.borrow().is_empty(), "no submission was made");

    // Ticking it clears the error.
    form.toggle("consultation").await;
    assert!(form
        .consent("consultation")
        .get_attribute("aria-invalid")
        .is_none());
    assert!(form.find(".cf-summary").is_none());
}

#[wasm_bindgen_test]
async fn a_refused_submit_marks_every_wrong_field() {
    let form = form("contact", "en", "").await;
    form.type_into("email", "ten@").await;
    form.submit().await;
    let summary = form.get(".cf-summary");
    assert_eq!(
        form.focused().as_ref(),
        Some(summary.unchecked_ref::<Element>())
    );
    // name, phone (empty), email (broken), consultation.
    assert_eq!(
        form.all(".cf-summary li").len(),
        4,
        "{}",
        summary.text_content().unwrap()
    );
    assert_eq!(form.text(".cf-summary h3"), "Please check these 4 items:");
    for name in ["name", "phone", "email"] {
        let el = form.control(name);
        assert_eq!(
            el.get_attribute("aria-invalid").as_deref(),
            Some("true"),
            "{name}"
        );
        let error = form.text(&format!("#cf-{name}-error"));
        assert!(!error.is_empty());
        assert!(
            form.description(&el).contains(&error),
            "{name} is described by its error"
        );
    }
    for name in ["company", "need", "industry"] {
        assert!(
            form.control(name).get_attribute("aria-invalid").is_none(),
            "{name} is optional and empty"
        );
    }
    // A summary entry moves focus to its field.
    form.click(".cf-summary li:nth-child(2) a").await;
    assert_eq!(form.focused().map(|e| e.id()), Some("cf-phone".to_owned()));
}

#[wasm_bindgen_test]
async fn submit_goes_ahead_without_the_optional_consents() {
    let submits = listen("consent-form:submit");
    let form = form("contact", "vi", "").await;
    form.type_into("name", "Trần Thị B").await;
    form.fill("phone", "+84 902 666 984").await;
    form.toggle("consultation").await;
    assert!(!form.consent("marketing").checked() && !form.consent("call_recording").checked());
    form.submit().await;

    assert!(
        form.find(".cf-summary").is_none(),
        "nothing is reported missing"
    );
    assert!(
        wait_for(3000, || !submits.seen.borrow().is_empty()).await,
        "consent-form:submit fired"
    );
    let detail = submits.seen.borrow()[0].clone();
    assert_eq!(prop(&detail, "form"), "contact");
    assert!(
        prop(&detail, "id").starts_with("msg_"),
        "id {:?}",
        prop(&detail, "id")
    );
    // The form left editing: sending, or a status saying where it stands.
    let status = form.get(".cf-status");
    assert!(
        form.get("button[type=submit]").has_attribute("disabled")
            || !status.text_content().unwrap().is_empty(),
        "the form moved on from editing"
    );
    assert_eq!(status.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(status.get_attribute("aria-live").as_deref(), Some("polite"));
}

#[wasm_bindgen_test]
async fn phone_messages_in_both_languages() {
    for locale in [Locale::Vi, Locale::En] {
        let form = form("contact", locale.tag(), "").await;
        let expected = consent_form::phone::parse("0902 66")
            .unwrap_err()
            .message(locale);
        form.fill("phone", "0902 66").await;
        let phone = form.control("phone");
        assert_eq!(phone.get_attribute("aria-invalid").as_deref(), Some("true"));
        assert_eq!(form.text("#cf-phone-error"), expected, "{locale:?}");
        assert!(form.description(&phone).contains(&expected));

        // A valid number is accepted, confirmed and shown in national format.
        form.fill("phone", "+84 (0) 902.666.984").await;
        assert!(form.find("#cf-phone-error").is_none());
        assert!(phone.get_attribute("aria-invalid").is_none());
        assert_eq!(form.value("phone"), "0902 666 984");
        let ok = texts(locale).fill(Key::PhoneOk, &[("value", "0902 666 984")]);
        assert_eq!(form.text("#cf-phone-note"), ok);
    }
    let vi = consent_form::phone::parse("0902 66")
        .unwrap_err()
        .message(Locale::Vi);
    let en = consent_form::phone::parse("0902 66")
        .unwrap_err()
        .message(Locale::En);
    assert_ne!(vi, en);
}

#[wasm_bindgen_test]
async fn email_messages_and_typo_fix_in_both_languages() {
    for locale in [Locale::Vi, Locale::En] {
        let form = form("contact", locale.tag(), "").await;
        form.fill("email", "ten@@congty").await;
        let expected = consent_form::email::parse("ten@@congty")
            .unwrap_err()
            .message(locale);
        assert!(
            form.text("#cf-email-error").starts_with(&expected),
            "{locale:?}"
        );
        assert_eq!(
            form.control("email")
                .get_attribute("aria-invalid")
                .as_deref(),
            Some("true")
        );

        form.fill("email", "ten@gmial.com").await;
        let suggestion =
            consent_form::email::suggest("ten@gmial.com").expect("gmial.com has a suggestion");
        assert_eq!(
            form.text("#cf-email-note"),
            texts(locale).fill(Key::EmailSuggestion, &[("value", &suggestion)])
        );
        form.click(".cf-field[data-field=email] .cf-fix").await;
        assert_eq!(form.value("email"), suggestion);
        assert!(form.find(".cf-field[data-field=email] .cf-fix").is_none());
        assert_eq!(
            form.focused().map(|e| e.id()),
            Some("cf-email".to_owned()),
            "focus returns to the field"
        );
    }
}

#[wasm_bindgen_test]
async fn the_host_rewords_a_phone_and_an_email_error_and_a_weekday() {
    let texts_json = r#""texts": {"phone_too_short": "Thiếu {count} số rồi!",
        "email_missing_at": "Quên @ à?", "weekday_1": "Thứ 2"}"#;
    let contact = form("contact", "vi", texts_json).await;
    contact.fill("phone", "0902 666 98").await;
    assert_eq!(contact.text("#cf-phone-error"), "Thiếu 1 số rồi!");
    // Another phone error keeps its built-in message.
    contact.fill("phone", "+1 650 253 0000").await;
    let foreign = consent_form::phone::parse("+1 650 253 0000").unwrap_err();
    assert_eq!(contact.text("#cf-phone-error"), foreign.message(Locale::Vi));
    contact.fill("email", "ten").await;
    assert_eq!(contact.text("#cf-email-error"), "Quên @ à?");
    contact.fill("email", "ten@@congty.vn").await;
    let twice = consent_form::email::parse("ten@@congty.vn").unwrap_err();
    // (followed by "Did you mean ten@congty.vn?", as without the host's texts)
    assert!(contact
        .text("#cf-email-error")
        .starts_with(&twice.message(Locale::Vi)));
    drop(contact);

    // Monday by the host's name, the other days by theirs (Monday to Saturday are
    // offered within the default 14 days).
    let form = form("callback", "vi", texts_json).await;
    let date: HtmlSelectElement = form.control("callback_date").unchecked_into();
    let mut mondays = 0;
    for i in 1..date.length() {
        let option = date.item(i).unwrap();
        let value = option.get_attribute("value").unwrap();
        let day = consent_form::schedule::Day::parse(&value).unwrap();
        let (_, m, d) = day.ymd();
        let shown = option.text_content().unwrap();
        if day.weekday() == 1 {
            mondays += 1;
            assert_eq!(shown, format!("Thứ 2, {d:02}/{m:02}"));
        } else {
            assert_eq!(shown, day.label(Locale::Vi));
        }
    }
    assert!(mondays >= 1 && date.length() > 1 + mondays);
}

#[wasm_bindgen_test]
async fn an_obsolete_number_is_corrected_in_one_click() {
    let form = form("contact", "vi", "").await;
    // Still typing (the field not left yet): the offer comes with its reason, which the
    // field is described by, not as a bare button.
    form.type_into("phone", "0162 123 4567").await;
    let phone = form.control("phone");
    assert_eq!(phone.get_attribute("aria-invalid").as_deref(), Some("true"));
    let reason = form.get("#cf-phone-error").text_content().unwrap();
    assert!(reason.contains("0321 234 567"), "{reason}");
    assert!(phone
        .get_attribute("aria-describedby")
        .unwrap_or_default()
        .contains("cf-phone-error"));
    form.leave("phone").await;
    assert_eq!(phone.get_attribute("aria-invalid").as_deref(), Some("true"));
    let fix = form.get(".cf-field[data-field=phone] .cf-fix");
    let offer = texts(Locale::Vi).fill(Key::UseCorrection, &[("value", "0321 234 567")]);
    assert_eq!(fix.text_content().unwrap(), offer);
    assert_eq!(
        fix.get_attribute("type").as_deref(),
        Some("button"),
        "the fix does not submit"
    );

    form.click(".cf-field[data-field=phone] .cf-fix").await;
    assert_eq!(form.value("phone"), "0321 234 567");
    assert!(phone.get_attribute("aria-invalid").is_none());
    assert!(form.find("#cf-phone-error").is_none());
    assert!(form.find(".cf-field[data-field=phone] .cf-fix").is_none());
    assert_eq!(
        form.focused().map(|e| e.id()),
        Some("cf-phone".to_owned()),
        "focus returns to the field"
    );
}

#[wasm_bindgen_test]
async fn an_old_saigon_landline_is_taken_as_the_mobile_it_is_with_the_landline_offered() {
    for locale in [Locale::Vi, Locale::En] {
        let (sent, _subscription) = outbox_reports();
        let form = form("contact", locale.tag(), "").await;
        fill_contact(&form).await;
        form.fill("phone", "08 3822 1234").await;
        // Valid as typed (a mobile today): no error, and left as typed, so that the
        // question stays with the number it is about.
        let phone = form.control("phone");
        assert!(phone.get_attribute("aria-invalid").is_none(), "{locale:?}");
        assert!(form.find("#cf-phone-error").is_none(), "{locale:?}");
        assert_eq!(form.value("phone"), "08 3822 1234", "{locale:?}");
        let hint = texts(locale).fill(
            Key::PhoneOldLandline,
            &[("value", "0838 221 234"), ("landline", "028 3822 1234")],
        );
        assert_eq!(form.text("#cf-phone-note"), hint, "{locale:?}");
        assert!(form.description(&phone).contains(&hint));
        let offer = texts(locale).fill(Key::UseCorrection, &[("value", "028 3822 1234")]);
        assert_eq!(form.text(".cf-field[data-field=phone] .cf-fix"), offer);
        if locale == Locale::Vi {
            // Taken: the landline.
            form.click(".cf-field[data-field=phone] .cf-fix").await;
            assert_eq!(form.value("phone"), "028 3822 1234");
            assert!(form.find(".cf-field[data-field=phone] .cf-fix").is_none());
            form.submit().await;
            assert!(wait_for(5000, || !sent.borrow().is_empty()).await);
            assert_eq!(sent.borrow()[0].1["fields"]["phone"], "+842838221234");
        } else {
            // Not taken: the mobile, which is what was typed, is sent.
            form.submit().await;
            assert!(wait_for(5000, || !sent.borrow().is_empty()).await);
            assert_eq!(sent.borrow()[0].1["fields"]["phone"], "+84838221234");
        }
    }
}

#[wasm_bindgen_test]
async fn a_number_with_a_long_note_is_offered_in_one_click() {
    // Over the phone field's 40 characters: the number is offered without its note,
    // as with a short note, not refused as too long.
    let form = form("contact", "vi", "").await;
    form.type_into("phone", "0912 345 678 - anh Nam gọi sau giờ hành chính nhé")
        .await;
    assert_eq!(
        form.text("#cf-phone-error"),
        texts(Locale::Vi).get(Key::PhoneNote)
    );
    form.click(".cf-field[data-field=phone] .cf-fix").await;
    assert_eq!(form.value("phone"), "0912 345 678");
    assert!(form.find("#cf-phone-error").is_none());
}

/// Inserts `text` at the caret of the focused control the way a paste or an input
/// method does (through the browser's editing, which honours `maxlength`).
fn insert_text(text: &str) {
    let document: EditingDocument = document().unchecked_into();
    assert!(document.exec_command("insertText", false, text));
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The document, with `execCommand` (which web-sys leaves out).
    #[wasm_bindgen(extends = web_sys::Document)]
    type EditingDocument;
    #[wasm_bindgen(method, js_name = execCommand)]
    fn exec_command(this: &EditingDocument, command: &str, show_ui: bool, value: &str) -> bool;
}

#[wasm_bindgen_test]
async fn a_long_paste_is_kept_whole_and_the_field_counts_down_to_its_limit() {
    for locale in [Locale::Vi, Locale::En] {
        let form = form("contact", locale.tag(), "").await;
        let need = form.control("need");
        need.focus().unwrap();
        // 2,100 characters once composed, sent decomposed ("ầ" as a + ̂ + ̀), as some
        // Vietnamese input methods and macOS copies do: 3,080 UTF-16 units.
        let nfd =
            "Ca\u{0302}\u{0300}n tu\u{031B} va\u{0302}\u{0301}n thue\u{0302}\u{0301}".repeat(140);
        assert_eq!(nfd.encode_utf16().count(), 3080);
        insert_text(&nfd);
        settle().await;
        let kept = form.value("need");
        assert_eq!(
            kept,
            "Cần tư vấn thuế".repeat(140),
            "{locale:?}: all of it, composed"
        );
        // Over the limit, the field says so at once, before the visitor leaves it.
        let too_long = texts(locale).fill(Key::ErrTooLong, &[("n", "2000"), ("len", "2100")]);
        assert_eq!(form.text("#cf-need-error"), too_long, "{locale:?}");
        assert_eq!(need.get_attribute("aria-invalid").as_deref(), Some("true"));
        assert!(form.description(&need).contains(&too_long));

        // Cut back into the last tenth: how many are left; the error is gone.
        form.type_into("need", &"x".repeat(1_950)).await;
        assert!(form.find("#cf-need-error").is_none(), "{locale:?}");
        let left = texts(locale).fill(Key::CharsLeft, &[("n", "50")]);
        assert_eq!(form.text("#cf-need-note"), left, "{locale:?}");
        assert!(form.description(&need).contains(&left));
        // One left: the singular form.
        form.type_into("need", &"x".repeat(1_999)).await;
        let one = Key::CharsLeftOne.default_text(locale).replace("{n}", "1");
        assert_eq!(form.text("#cf-need-note"), one, "{locale:?}");
        assert!(locale == Locale::Vi || one == "1 character left.");
        // Further from the limit, no count.
        form.type_into("need", &"x".repeat(1_700)).await;
        assert!(form.find("#cf-need-note").is_none(), "{locale:?}");
    }
}

#[wasm_bindgen_test]
async fn a_mark_typed_or_pasted_decomposed_mid_text_keeps_the_caret_where_it_was() {
    let form = form("contact", "vi", "").await;
    for name in ["name", "need"] {
        let el = form.control(name);
        el.focus().unwrap();
        insert_text("Toi can tu van");
        settle().await;
        // Back after "To", an input method that sends decomposed text adds the
        // circumflex as a combining mark (U+0302): composed, "Tô" is still 2 long.
        let caret = |at: u32| match el.dyn_ref::<HtmlInputElement>() {
            Some(input) => input.set_selection_range(at, at).unwrap(),
            None => el
                .unchecked_ref::<web_sys::HtmlTextAreaElement>()
                .set_selection_range(at, at)
                .unwrap(),
        };
        caret(2);
        insert_text("\u{0302}");
        settle().await;
        assert_eq!(form.value(name), "Tôi can tu van", "{name}");
        // The next key lands after "Tô", not at the end.
        insert_text("\u{0301}");
        settle().await;
        insert_text("!");
        settle().await;
        assert_eq!(form.value(name), "Tố!i can tu van", "{name}");
    }
}

/// Sets text control `el` to `value` and dispatches `input` as an input method does
/// while it composes a word (`isComposing`: between `compositionstart` and
/// `compositionend`).
fn composing_input(el: &HtmlElement, value: &str) {
    match el.dyn_ref::<HtmlInputElement>() {
        Some(input) => input.set_value(value),
        None => el
            .unchecked_ref::<web_sys::HtmlTextAreaElement>()
            .set_value(value),
    }
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_is_composing(true);
    init.set_data(Some(value));
    init.set_input_type("insertCompositionText");
    el.dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

/// Dispatches `compositionend` on `el`, the input method having settled on `data`.
fn composition_end(el: &HtmlElement, data: &str) {
    let init = web_sys::CompositionEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_data(data);
    el.dispatch_event(
        &web_sys::CompositionEvent::new_with_event_init_dict("compositionend", &init).unwrap(),
    )
    .unwrap();
}

#[wasm_bindgen_test]
async fn an_input_methods_composition_is_left_alone_and_normalised_when_it_ends() {
    // Telex or VNI on a phone (Gboard, Laban Key), and Korean, Japanese or Chinese
    // input methods compose a word in the field, underlined, before they settle on
    // it. Some compose Vietnamese decomposed ("e" + U+0302 + U+0303): rewritten to
    // its composed form under the input method, the word breaks.
    let (sent, _subscription) = outbox_reports();
    let form = form("contact", "vi", "").await;
    fill_contact(&form).await;
    for (name, nfd, nfc) in [
        ("name", "Nguye\u{0302}\u{0303}n", "Nguyễn"),
        ("need", "Tu\u{031B} va\u{0302}\u{0301}n", "Tư vấn"),
    ] {
        let el = form.control(name);
        el.focus().unwrap();
        composing_input(&el, nfd);
        settle().await;
        assert_eq!(
            form.value(name),
            nfd,
            "{name}: not rewritten while composing"
        );
        // The form renders again meanwhile (a box ticked by a script, a countdown):
        // the field still holds what the input method put there.
        form.toggle("marketing").await;
        assert_eq!(form.value(name), nfd, "{name}: not rewritten by a render");
        // The word settled: composed once, the caret after it, and that is what the
        // form checks and sends.
        composition_end(&el, nfd);
        settle().await;
        assert_eq!(form.value(name), nfc, "{name}: composed when it ends");
        let caret = match el.dyn_ref::<HtmlInputElement>() {
            Some(input) => input.selection_start().unwrap(),
            None => el
                .unchecked_ref::<web_sys::HtmlTextAreaElement>()
                .selection_start()
                .unwrap(),
        };
        assert_eq!(caret, Some(nfc.encode_utf16().count() as u32), "{name}");
        form.toggle("marketing").await;
        assert_eq!(form.value(name), nfc, "{name}: the form holds it composed");
    }
    form.submit().await;
    assert!(wait_for(5000, || !sent.borrow().is_empty()).await);
    let fields = sent.borrow()[0].1["fields"].clone();
    assert_eq!(fields["name"], "Nguyễn");
    assert_eq!(fields["need"], "Tư vấn");
}

#[wasm_bindgen_test]
async fn the_count_of_characters_left_does_not_jump_while_an_input_method_composes() {
    let form = form("contact", "vi", "").await;
    let el = form.control("name");
    el.focus().unwrap();
    let before = "a".repeat(185);
    // 191 characters composed; 193 while "ễ" is still e + two combining marks.
    composing_input(&el, &format!("{before}Nguye\u{0302}\u{0303}n"));
    settle().await;
    let left = texts(Locale::Vi).fill(Key::CharsLeft, &[("n", "9")]);
    assert_eq!(form.text("#cf-name-note"), left, "while composing");
    composition_end(&el, "Nguye\u{0302}\u{0303}n");
    settle().await;
    assert_eq!(form.value("name"), format!("{before}Nguyễn"));
    assert_eq!(form.text("#cf-name-note"), left, "composed");
}

#[wasm_bindgen_test]
async fn hostile_strings_stay_text_in_fields_config_texts_and_the_receipt() {
    let extra = format!(
        r#""texts": {{"title_contact": "{h}", "intro": "{h}", "submit": "{h}"}},
           "industries": ["{h}", "<b>bold</b>"], "retention": "{h}", "recipients": ["{h}"],
           "purposes": ["marketing", {{"id": "partner", "text": "<script>window.cfPwned = 1</script>{h}",
                         "details": "{h}", "recipients": ["{h}"]}}]"#,
        h = HOSTILE
    );
    let form = form("contact", "vi", &extra).await;
    let hostile_elements = || form.all("img, script, b, iframe").len();
    assert_eq!(hostile_elements(), 0);
    assert_eq!(form.text("h2"), HOSTILE);
    assert_eq!(form.text("button[type=submit]"), HOSTILE);
    assert!(form.text("[data-purpose=partner] label").contains(HOSTILE));
    for name in ["company", "name", "need", "email"] {
        form.fill(name, HOSTILE).await;
        assert_eq!(form.value(name), HOSTILE, "{name} keeps the text as typed");
    }
    form.choose("industry", HOSTILE).await;
    assert_eq!(hostile_elements(), 0);
    // Back to a sendable form; the honeypot makes it end at the receipt without sending.
    form.fill("email", "").await;
    form.fill("phone", "0902 666 984").await;
    form.toggle("consultation").await;
    form.toggle("partner").await;
    form.type_into("cf-hp", "bot").await;
    form.submit().await;
    assert!(
        wait_for(3000, || form.find(".cf-receipt").is_some()).await,
        "the receipt shows"
    );
    assert_eq!(hostile_elements(), 0);
    let receipt = form.text(".cf-receipt");
    assert!(receipt.contains(HOSTILE), "{receipt}");
    assert!(
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"cfPwned".into())
            .unwrap()
            .is_undefined()
    );
}

#[wasm_bindgen_test]
async fn the_receipt_says_what_was_agreed_and_refused_and_takes_focus() {
    let form = form("callback", "en", "").await;
    form.type_into("name", "Lê Văn C").await;
    form.fill("phone", "0902666984").await;
    let date: HtmlSelectElement = form.control("callback_date").unchecked_into();
    let day = date.item(1).unwrap().get_attribute("value").unwrap();
    form.choose("callback_date", &day).await;
    let window: HtmlSelectElement = form.control("callback_window").unchecked_into();
    let slot = window.item(1).unwrap().get_attribute("value").unwrap();
    form.choose("callback_window", &slot).await;
    form.toggle("consultation").await;
    form.toggle("call_recording").await;
    form.type_into("cf-hp", "x").await; // the honeypot: a receipt without a send
    form.submit().await;
    assert!(wait_for(3000, || form.find(".cf-receipt").is_some()).await);
    let t = texts(Locale::En);
    let state = |purpose: &str| {
        form.text(&format!(
            ".cf-receipt tr[data-purpose={purpose}] td:last-child"
        ))
    };
    assert_eq!(state("consultation"), t.get(Key::Agreed));
    assert_eq!(state("marketing"), t.get(Key::Refused));
    assert_eq!(state("call_recording"), t.get(Key::Agreed));
    // Each choice with the notice it was made under (Decree 13: printable), one click
    // away on the screen and in a list only print shows.
    for purpose in ["consultation", "marketing", "call_recording"] {
        let row = format!(".cf-receipt tr[data-purpose={purpose}]");
        let on_screen = form.text(&format!("{row} details .cf-notice-rows"));
        let on_paper = form.text(&format!("{row} .cf-print-only"));
        assert_eq!(on_screen, on_paper, "{purpose}");
        for heading in [Key::NoticePurpose, Key::NoticeMethod, Key::NoticeRights] {
            assert!(
                on_paper.contains(&format!("{}: ", t.get(heading))),
                "{purpose}: {on_paper}"
            );
        }
        let print_only = form.get(&format!("{row} .cf-print-only"));
        assert_eq!(
            computed(&print_only, "display"),
            "none",
            "not on the screen"
        );
    }
    assert!(form.text(".cf-receipt .cf-mono").starts_with("msg_"));
    // The receipt's region, named with its heading's words (said once, not as the
    // region's name and again as the focused heading's; by `aria-label`: named by the
    // heading itself, Orca with Chromium said "region" alone).
    let focused = form.focused().expect("focus in the form");
    assert_eq!(focused.class_name(), "cf-receipt");
    assert_eq!(
        focused.get_attribute("aria-label").as_deref(),
        Some(form.text(".cf-receipt h2").as_str())
    );
    assert_eq!(form.text(".cf-receipt h2"), "Consent receipt");
    assert_eq!(form.get(".cf").get_attribute("lang").as_deref(), Some("en"));
}

#[wasm_bindgen_test]
async fn the_receipts_consents_table_heads_its_columns_in_both_languages_and_in_the_hosts_words() {
    // A screen reader moving through the consents' cells says the column of each.
    let overrides =
        r#""texts": {"receipt_consent": "Mục đích đồng ý", "receipt_choice": "Bạn chọn"}"#;
    for (lang, extra, expected) in [
        ("vi", "", ["Nội dung đồng ý", "Lựa chọn của bạn"]),
        ("en", "", ["Consent", "Your choice"]),
        ("vi", overrides, ["Mục đích đồng ý", "Bạn chọn"]),
    ] {
        let form = form("contact", lang, extra).await;
        contact_receipt(&form).await;
        let tables = form.all(".cf-receipt table");
        assert_eq!(tables.len(), 2);
        let headers = |table: &HtmlElement, selector: &str| -> Vec<(String, String)> {
            let found = table.query_selector_all(selector).unwrap();
            (0..found.length())
                .filter_map(|i| found.item(i)?.dyn_into::<Element>().ok())
                .map(|th| {
                    (
                        th.get_attribute("scope").unwrap_or_default(),
                        th.text_content().unwrap_or_default(),
                    )
                })
                .collect()
        };
        // The first table's headers head its rows; the second's, in its head, its columns.
        assert!(headers(&tables[0], "th")
            .iter()
            .all(|(scope, _)| scope == "row"));
        assert!(headers(&tables[0], "thead th").is_empty());
        assert_eq!(
            headers(&tables[1], "thead th"),
            expected.map(|t| ("col".to_owned(), t.to_owned())),
            "{lang} {extra}"
        );
        assert!(
            headers(&tables[1], "tbody th").is_empty(),
            "no other header"
        );
        for row in form.all(".cf-receipt tbody tr[data-purpose]") {
            assert_eq!(row.children().length(), 2, "a cell under each header");
        }
    }
}

/// What Tab visits: enabled, focusable, not taken out with tabindex=-1.
fn tab_stops(form: &Mounted) -> Vec<HtmlElement> {
    form.all("input, select, textarea, button, a[href], summary, [tabindex]")
        .into_iter()
        .filter(|e| {
            e.get_attribute("tabindex").as_deref() != Some("-1") && !e.has_attribute("disabled")
        })
        .collect()
}

fn describe(e: &HtmlElement) -> String {
    e.get_attribute("name")
        .unwrap_or_else(|| e.tag_name().to_lowercase())
}

#[wasm_bindgen_test]
async fn keyboard_reaches_every_control_in_reading_order() {
    for kind in ["contact", "callback"] {
        let form = form(kind, "vi", "").await;
        let stops = tab_stops(&form);
        let order: Vec<String> = stops.iter().map(describe).collect();
        let fields: Vec<&str> = match kind {
            "contact" => vec!["company", "name", "industry", "need", "phone", "email"],
            _ => vec!["name", "phone", "callback_date", "callback_window", "topic"],
        };
        let mut expected: Vec<String> = fields.iter().map(|s| s.to_string()).collect();
        for purpose in ["consultation", "marketing", "call_recording"] {
            expected.push(format!("consent-{purpose}"));
            expected.push("summary".into()); // its notice's details
        }
        expected.extend(["a".to_owned(), "submit".to_owned()]);
        let order: Vec<String> = order
            .into_iter()
            .map(|n| {
                if n == "button" {
                    "submit".to_owned()
                } else {
                    n
                }
            })
            .collect();
        assert_eq!(order, expected, "{kind}: Tab order is the reading order");
        for stop in &stops {
            let tabindex = stop
                .get_attribute("tabindex")
                .and_then(|t| t.parse::<i32>().ok())
                .unwrap_or(0);
            assert!(tabindex <= 0, "{} has a positive tabindex", describe(stop));
            stop.focus().unwrap();
            assert_eq!(
                form.focused().as_ref(),
                Some(stop.unchecked_ref::<Element>()),
                "{} takes focus",
                describe(stop)
            );
        }
        // The honeypot is out of the way of keyboards and screen readers.
        let honeypot = form.control("cf-hp");
        assert_eq!(honeypot.get_attribute("tabindex").as_deref(), Some("-1"));
        assert!(honeypot.closest("[aria-hidden=true]").unwrap().is_some());
    }
}

#[wasm_bindgen_test]
async fn keyboard_only_completion_submits() {
    // Synthetic key events do not act in browsers; what keys do is done here the way
    // the browser does it (Space on a checkbox = click, Enter in a field = implicit
    // submission = the form's submit button). Real keys: tests/e2e/demo.test.mjs.
    let submits = listen("consent-form:submit");
    let form = form("contact", "en", "").await;
    form.control("name").focus().unwrap();
    form.type_into("name", "Phạm D").await;
    form.control("phone").focus().unwrap();
    form.fill("phone", "0162 123 4567").await;
    let fix = form.get(".cf-field[data-field=phone] .cf-fix");
    fix.focus().unwrap();
    fix.click();
    settle().await;
    form.consent("consultation").focus().unwrap();
    form.consent("consultation").click();
    settle().await;
    assert!(form.consent("consultation").checked());
    let submit = form.get("button[type=submit]");
    assert_eq!(
        submit.get_attribute("type").as_deref(),
        Some("submit"),
        "Enter in a field submits through it"
    );
    submit.click();
    settle().await;
    assert!(
        wait_for(3000, || !submits.seen.borrow().is_empty()).await,
        "consent-form:submit fired"
    );
}

#[wasm_bindgen_test]
async fn touch_targets_are_at_least_44_px() {
    let form = form("contact", "vi", "").await;
    form.fill("phone", "0162 123 4567").await; // a fix button
    form.submit().await; // the error summary with its links
    let targets = form.all(
        ".cf-field input, select, textarea, button, summary, .cf-check, .cf-summary a, .cf-policy",
    );
    assert!(targets.len() > 15, "{} targets", targets.len());
    for t in targets {
        let h = t.offset_height();
        assert!(
            h >= 44,
            "{} {} is {h} px high",
            t.tag_name(),
            t.class_name()
        );
    }
}

/// `rgb(r, g, b)` or `rgba(r, g, b, a)` as (r, g, b, a).
fn rgba(css: &str) -> (f64, f64, f64, f64) {
    let inner = css
        .trim()
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')');
    let parts: Vec<f64> = inner
        .split(',')
        .map(|p| p.trim().parse().unwrap_or(0.0))
        .collect();
    assert!(parts.len() >= 3, "colour {css}");
    (
        parts[0],
        parts[1],
        parts[2],
        parts.get(3).copied().unwrap_or(1.0),
    )
}

fn luminance((r, g, b, _): (f64, f64, f64, f64)) -> f64 {
    let f = |c: f64| {
        let c = c / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
}

fn contrast(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The first opaque background at or above `el`.
fn background(el: &Element) -> (f64, f64, f64, f64) {
    let mut node = Some(el.clone());
    while let Some(e) = node {
        let bg = rgba(&computed(&e, "background-color"));
        if bg.3 > 0.99 {
            return bg;
        }
        node = e.parent_element();
    }
    (255.0, 255.0, 255.0, 1.0)
}

#[wasm_bindgen_test]
async fn text_colours_meet_wcag_aa_contrast() {
    let form = form("contact", "vi", "").await;
    form.fill("phone", "0162 123 4567").await;
    form.fill("email", "ten@gmial.com").await;
    form.submit().await;
    let selectors = [
        "h2",
        "label",
        ".cf-intro",
        ".cf-hint",
        ".cf-opt",
        ".cf-error",
        ".cf-note",
        ".cf-fix",
        "legend",
        ".cf-tag",
        "summary",
        ".cf-policy",
        ".cf-submit",
        ".cf-summary a",
        ".cf-summary h3",
        "input",
        "select",
    ];
    let mut checked = 0;
    for selector in selectors {
        for el in form.all(selector) {
            let fg = rgba(&computed(&el, "color"));
            let bg = background(&el);
            let ratio = contrast(fg, bg);
            assert!(ratio >= 4.5, "{selector}: {fg:?} on {bg:?} is {ratio:.2}:1");
            checked += 1;
        }
    }
    assert!(checked > 30, "{checked} elements checked");
    // Control borders are non-text: 3:1.
    for el in form.all("input[type=text], input[type=tel], select, textarea") {
        let border = rgba(&computed(&el, "border-top-color"));
        let ratio = contrast(border, background(&el.parent_element().unwrap()));
        assert!(
            ratio >= 3.0,
            "border of {}: {ratio:.2}:1",
            el.get_attribute("name").unwrap_or_default()
        );
    }
}

/// Computed styles that a page stylesheet would change if it could reach the form.
fn snapshot(form: &Mounted) -> Vec<String> {
    let props = [
        "display",
        "visibility",
        "color",
        "font-size",
        "font-family",
        "letter-spacing",
        "text-transform",
        "width",
        "height",
        "opacity",
        "background-color",
    ];
    form.all(".cf, h2, label, input, select, textarea, button, fieldset, p")
        .iter()
        .flat_map(|el| {
            props
                .iter()
                .map(move |p| format!("{} {p}: {}", el.tag_name(), computed(el, p)))
        })
        .collect()
}

/// Each rule of a stylesheet as the browser reads it back.
fn rules(sheet: &JsValue) -> Vec<String> {
    let list = js_sys::Reflect::get(sheet, &"cssRules".into()).unwrap();
    js_sys::Array::from(&list)
        .iter()
        .map(|rule| prop(&rule, "cssText"))
        .collect()
}

#[wasm_bindgen_test]
async fn the_stylesheet_the_form_adopts_means_what_its_source_says() {
    // The stylesheet is minified at compile time; the browser reads both the same.
    let form = form("contact", "vi", "").await;
    let adopted = js_sys::Reflect::get(&form.shadow(), &"adoptedStyleSheets".into()).unwrap();
    let shipped = js_sys::Array::from(&adopted).get(0);
    let source = web_sys::CssStyleSheet::new().unwrap();
    source
        .replace_sync(include_str!("../src/components/style.css"))
        .unwrap();
    let (shipped, source) = (rules(&shipped), rules(&source));
    assert!(source.len() > 50, "{} rules", source.len());
    for (shipped, source) in shipped.iter().zip(&source) {
        assert_eq!(shipped, source);
    }
    assert_eq!(shipped.len(), source.len());
}

#[wasm_bindgen_test]
async fn a_host_stylesheet_that_hides_or_restyles_inputs_does_not_reach_the_form() {
    let form = form("contact", "vi", "").await;
    let before = snapshot(&form);
    assert!(form.control("name").offset_height() >= 44);
    let hostile = page_style(
        "input, select, textarea, button, label, form, fieldset, p, h2 { display: none !important; visibility: hidden !important; }
         input, select, textarea, button { color: rgb(255, 0, 0) !important; font-size: 40px !important;
           width: 1px !important; height: 1px !important; opacity: 0 !important; background: red !important; }
         body, div { color: rgb(255, 0, 0) !important; font-size: 40px !important; letter-spacing: 9px !important;
           text-transform: uppercase !important; font-family: serif !important; }
         * { box-sizing: content-box !important; }
         html { font-size: 10px !important; line-height: 3 !important; }",
    );
    let after = snapshot(&form);
    hostile.remove();
    // The page's own inputs are hidden by that sheet: it works.
    let probe = document().create_element("input").unwrap();
    document().body().unwrap().append_child(&probe).unwrap();
    let again = page_style("input { display: none !important; }");
    assert_eq!(computed(&probe, "display"), "none");
    again.remove();
    probe.remove();

    assert_eq!(before.len(), after.len());
    let changed: Vec<_> = before.iter().zip(&after).filter(|(a, b)| a != b).collect();
    assert!(changed.is_empty(), "the page changed the form: {changed:?}");
}

#[wasm_bindgen_test]
async fn it_is_themed_through_custom_properties_and_parts() {
    let form = form("contact", "vi", "").await;
    let id = form.host.id();
    let theme = page_style(&format!(
        "#{id} {{ --cf-accent: rgb(0, 100, 0); --cf-font-size: 18px; }}
         #{id}::part(submit) {{ border-radius: 0px; }}
         #{id}::part(input) {{ background-color: rgb(250, 250, 240); }}"
    ));
    let submit = form.get(".cf-submit");
    assert_eq!(computed(&submit, "background-color"), "rgb(0, 100, 0)");
    assert_eq!(computed(&submit, "border-top-left-radius"), "0px");
    assert_eq!(
        computed(&form.control("name"), "background-color"),
        "rgb(250, 250, 240)"
    );
    assert_eq!(computed(&form.get(".cf"), "font-size"), "18px");
    theme.remove();
    assert_ne!(computed(&submit, "background-color"), "rgb(0, 100, 0)");
}

#[wasm_bindgen_test]
async fn theme_values_that_do_not_parse_fall_back_to_the_defaults_not_to_the_page() {
    let form = form("contact", "vi", "").await;
    let id = form.host.id();
    let cf = form.get(".cf");
    let props = ["font-size", "color", "font-family"];
    let before: Vec<String> = props.iter().map(|p| computed(&cf, p)).collect();
    // The page styles the element itself (which beats `:host`) and gives the theme's
    // properties values they cannot take: each falls back to the form's default.
    let sheet = page_style(&format!(
        "#{id} {{ font-size: 5px !important; color: rgb(255, 0, 0) !important;
           font-family: serif !important; --cf-font-size: banana; --cf-text: 12px; --cf-font: 3px; }}"
    ));
    let after: Vec<String> = props.iter().map(|p| computed(&cf, p)).collect();
    sheet.remove();
    assert_eq!(before, after);
    assert_eq!(after[0], "16px");
}

#[wasm_bindgen_test]
async fn a_field_in_error_shows_it_on_its_border_too() {
    let form = form("contact", "vi", "").await;
    form.fill("email", "ten@").await;
    form.type_into("need", &"a".repeat(2001)).await;
    form.submit().await;
    let callback = self::form("callback", "vi", "").await;
    callback.submit().await;
    let valid = computed(&form.control("company"), "border-top-width");
    let error = computed(&form.get(".cf-error"), "color");
    let controls = [
        form.control("name"),
        form.control("phone"),
        form.control("email"),
        form.control("need"),
        callback.control("callback_date"),
    ];
    for control in controls {
        let name = control.get_attribute("name").unwrap_or_default();
        assert_eq!(
            control.get_attribute("aria-invalid").as_deref(),
            Some("true"),
            "{name}"
        );
        // Wider than a valid field's: in forced colours (Windows high contrast), where
        // every border takes the same system colour, the width still tells.
        assert_eq!(
            computed(&control, "border-top-width"),
            "2px",
            "{name}: valid {valid}"
        );
        assert_eq!(computed(&control, "border-top-color"), error, "{name}");
    }
}

/// Dispatches an event of `kind` (bubbling, composed) at `el`: a press's `pointerdown`
/// or `pointerup`, as the form hears them.
fn pointer(el: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    let event = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    el.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn a_field_left_by_a_press_says_what_is_wrong_once_the_press_is_over() {
    let form = form("contact", "vi", "").await;
    let error = || form.find("#cf-phone-error").is_some();
    form.type_into("phone", "0902 66").await;
    // The press on the box below takes focus from the phone field: its message would
    // push the box from under the pointer before the release.
    let box_ = form.consent("marketing");
    pointer(&box_, "pointerdown");
    form.leave("phone").await;
    assert!(!error(), "no message while the button is down");
    pointer(&box_, "pointerup");
    box_.click();
    assert!(
        wait_for(500, error).await,
        "the message once the press is over"
    );
    assert!(form.consent("marketing").checked());
    // Left with the keyboard (no press): at once.
    form.type_into("email", "mai@").await;
    form.leave("email").await;
    assert!(form.find("#cf-email-error").is_some());
}

#[wasm_bindgen_test]
async fn the_form_reads_left_to_right_in_a_right_to_left_page() {
    let sheet = page_style("html { direction: rtl; }");
    document()
        .document_element()
        .unwrap()
        .set_attribute("dir", "rtl")
        .unwrap();
    let form = form("contact", "vi", "").await;
    let directions: Vec<String> = [".cf", "label", "input", ".cf-check", ".cf-intro"]
        .iter()
        .map(|s| computed(&form.get(s), "direction"))
        .collect();
    document()
        .document_element()
        .unwrap()
        .remove_attribute("dir")
        .unwrap();
    sheet.remove();
    assert_eq!(directions, ["ltr"; 5]);
}

/// What the outbox was given: (id, payload, receipt lines as (purpose, granted)), per report.
type Sent = std::rc::Rc<std::cell::RefCell<Vec<(String, serde_json::Value, Vec<(String, bool)>)>>>;

fn outbox_reports() -> (Sent, consent_form::outbox::Subscription) {
    let sent = Sent::default();
    let sink = sent.clone();
    let subscription = consent_form::outbox::subscribe(move |report| {
        let receipt = &report.entry.receipt;
        let lines = receipt
            .lines
            .iter()
            .map(|l| (l.purpose.clone(), l.granted))
            .collect();
        sink.borrow_mut().push((
            receipt.id.clone(),
            serde_json::from_str(&receipt.body).unwrap(),
            lines,
        ));
    });
    (sent, subscription)
}

/// Sets a checkbox the way a script would (no click to cancel), with its `change`.
fn script_sets(checkbox: &HtmlInputElement, checked: bool) {
    checkbox.set_checked(checked);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    checkbox
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn what_is_sent_is_what_was_on_screen_at_the_press() {
    let (sent, _subscription) = outbox_reports();
    let submits = listen("consent-form:submit");
    // Refused at the press: ticking consultation afterwards sends nothing.
    let refused = form("contact", "vi", "").await;
    refused.type_into("name", "Nguyễn Văn A").await;
    refused.fill("phone", "0902 666 984").await;
    refused.submit().await;
    refused.toggle("consultation").await;
    settle().await;
    assert!(submits.seen.borrow().is_empty(), "refused at the press");
    drop(refused);

    let form = form("contact", "vi", r#""min_fill_ms": 1500"#).await;
    form.type_into("name", "Nguyễn Văn A").await;
    form.fill("phone", "0902 666 984").await;
    let industry: HtmlSelectElement = form.control("industry").unchecked_into();
    let first = industry.item(1).unwrap().get_attribute("value").unwrap();
    let second = industry.item(2).unwrap().get_attribute("value").unwrap();
    form.choose("industry", &first).await;
    form.toggle("consultation").await;
    let submit = form.get("button[type=submit]");
    submit.focus().unwrap();
    form.submit().await;

    // Sending (the minimum fill time is not over): nothing can be changed, focus stays.
    assert_eq!(
        submit.get_attribute("aria-disabled").as_deref(),
        Some("true"),
        "sending"
    );
    assert!(
        !submit.has_attribute("disabled"),
        "not disabled: the focus would leave it"
    );
    for name in ["company", "name", "need", "phone", "email"] {
        assert!(
            form.control(name).has_attribute("readonly"),
            "{name} locked"
        );
    }
    for name in [
        "industry",
        "consent-consultation",
        "consent-marketing",
        "consent-call_recording",
    ] {
        assert_eq!(
            form.control(name).get_attribute("aria-disabled").as_deref(),
            Some("true"),
            "{name} locked"
        );
    }
    let marketing = form.consent("marketing");
    marketing.focus().unwrap();
    form.toggle("marketing").await;
    form.click("label[for='cf-consent-marketing']").await;
    assert!(
        !form.consent("marketing").checked(),
        "a click does not tick it"
    );
    assert_eq!(form.focused().map(|e| e.id()), Some(marketing.id()));
    form.choose("industry", &second).await;
    assert_eq!(form.value("industry"), first, "the select is put back");

    // What scripts (or a bypassed lock) change meanwhile is not sent either.
    script_sets(&form.consent("consultation"), false);
    script_sets(&form.consent("marketing"), true);
    form.type_into("name", "Người Khác").await;
    form.type_into("cf-hp", "x").await; // the honeypot, empty at the press
    assert!(
        wait_for(5000, || !submits.seen.borrow().is_empty()).await,
        "sent after the minimum fill time"
    );
    let id = prop(&submits.seen.borrow()[0], "id");
    assert!(wait_for(5000, || sent.borrow().iter().any(|s| s.0 == id)).await);
    let (_, body, lines) = sent.borrow().iter().find(|s| s.0 == id).unwrap().clone();
    assert_eq!(body["fields"]["name"], "Nguyễn Văn A");
    assert_eq!(body["fields"]["industry"], first.as_str());
    let granted: Vec<(String, bool)> = body["consents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["purpose"].as_str().unwrap().to_owned(),
                c["granted"].as_bool().unwrap(),
            )
        })
        .collect();
    let at_the_press = [
        ("consultation".to_owned(), true),
        ("marketing".to_owned(), false),
        ("call_recording".to_owned(), false),
    ];
    assert_eq!(granted, at_the_press, "the payload");
    assert_eq!(lines, at_the_press, "the receipt");

    // Out of sending, the form can be changed again, with what was typed kept.
    assert!(
        wait_for(5000, || !form.control("name").has_attribute("readonly")).await,
        "unlocked after sending"
    );
    assert!(form
        .consent("marketing")
        .get_attribute("aria-disabled")
        .is_none());
    assert!(form
        .control("industry")
        .get_attribute("aria-disabled")
        .is_none());
}

#[wasm_bindgen_test]
async fn send_another_request_focuses_the_fresh_form() {
    let form = form("contact", "en", "").await;
    contact_receipt(&form).await;
    let buttons = form.all(".cf-receipt button");
    let another = buttons.last().unwrap();
    assert_eq!(
        another.text_content().unwrap(),
        texts(Locale::En).get(Key::Another)
    );
    another.focus().unwrap();
    another.click();
    settle().await;
    assert!(form.find(".cf-receipt").is_none());
    assert_eq!(form.value("name"), "", "a fresh form");
    // The form, named by its heading (said once, not as the form landmark's name and
    // again as the focused heading's); the heading no longer takes focus.
    let focused = form.focused().expect("focus in the form");
    assert_eq!(focused.tag_name(), "FORM");
    assert_eq!(
        focused.get_attribute("aria-labelledby").as_deref(),
        Some("cf-title")
    );
    assert_eq!(focused.get_attribute("tabindex").as_deref(), Some("-1"));
    assert!(!form.get("#cf-title").has_attribute("tabindex"));
}

#[wasm_bindgen_test]
async fn each_details_disclosure_is_named_once_after_its_consent() {
    // Three "Details" alike: a screen reader tabbing to them must hear which consent
    // each is for, and "Details" once. Named by content ("Details: <sentence>", the word
    // on the screen hidden from screen readers), not by aria-labelledby or aria-label:
    // so named, a summary has Chromium give its content as its description, "Details"
    // heard again after the name (tests/e2e/a11y.test.mjs reads Chromium's own tree).
    for (locale, lang) in [(Locale::Vi, "vi"), (Locale::En, "en")] {
        let form = form("contact", lang, "").await;
        let t = texts(locale);
        let word = t.get(Key::NoticeDetails);
        let summaries = form.all(".cf-consent summary");
        assert_eq!(summaries.len(), 3);
        let mut names = Vec::new();
        for (summary, consent) in summaries.iter().zip(form.all(".cf-consent")) {
            let sentence = consent
                .query_selector(".cf-check > span > span")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap();
            assert!(!sentence.is_empty());
            for attribute in ["aria-labelledby", "aria-label", "aria-describedby"] {
                assert!(!summary.has_attribute(attribute), "{lang}: {attribute}");
            }
            let name = spoken_text(summary);
            assert_eq!(name, format!("{word}: {sentence}"), "{lang}");
            assert_eq!(name.matches(word).count(), 1, "{lang}: {name}");
            assert_eq!(summary.text_content().unwrap().matches(word).count(), 2);
            // On the screen, the word alone: the rest is a 1 px box.
            let shown = summary
                .query_selector("[aria-hidden=true]")
                .unwrap()
                .unwrap();
            assert_eq!(shown.text_content().unwrap(), word, "{lang}");
            let hidden: HtmlElement = summary
                .query_selector(".cf-sr")
                .unwrap()
                .unwrap()
                .unchecked_into();
            assert!(
                hidden.offset_width() <= 1 && hidden.offset_height() <= 1,
                "{lang}"
            );
            names.push(name);
        }
        names.dedup();
        assert_eq!(names.len(), 3, "{lang}: three notices, three names");
    }
}

#[wasm_bindgen_test]
async fn the_receipt_of_a_callback_names_the_booked_day_and_window_as_the_selects_showed_them() {
    for (locale, lang) in [(Locale::Vi, "vi"), (Locale::En, "en")] {
        let form = form("callback", lang, "").await;
        form.type_into("name", "Lê Văn C").await;
        form.fill("phone", "0902666984").await;
        let option = |name: &str| {
            let select: HtmlSelectElement = form.control(name).unchecked_into();
            let option = select.item(1).unwrap();
            (
                option.get_attribute("value").unwrap(),
                option.text_content().unwrap(),
            )
        };
        let (day, day_shown) = option("callback_date");
        form.choose("callback_date", &day).await;
        let (window, window_shown) = option("callback_window");
        form.choose("callback_window", &window).await;
        form.toggle("consultation").await;
        form.type_into("cf-hp", "x").await; // the honeypot: a receipt without a send
        form.submit().await;
        assert!(wait_for(3000, || form.find(".cf-receipt").is_some()).await);
        let t = texts(locale);
        let row = |field: &str| {
            let th = form.text(&format!(".cf-receipt tr[data-field={field}] th"));
            let td = form.text(&format!(".cf-receipt tr[data-field={field}] td"));
            (th, td)
        };
        assert_eq!(
            row("callback_date"),
            (t.get(Key::LabelCallbackDate).to_owned(), day_shown),
            "{lang}"
        );
        assert_eq!(
            form.get(".cf-receipt tr[data-field=callback_date] time")
                .get_attribute("datetime"),
            Some(day)
        );
        assert_eq!(
            row("callback_window"),
            (t.get(Key::LabelCallbackWindow).to_owned(), window_shown),
            "{lang}"
        );
    }
    // A contact form books no callback: no such rows.
    let form = form("contact", "vi", "").await;
    contact_receipt(&form).await;
    assert!(form.find(".cf-receipt tr[data-field]").is_none());
}

/// A callback form in Vietnamese whose draft (as a reload finds it) holds `date` and
/// `window`, open every day with no lead time, and windows `00:00-00:01` and
/// `00:01-24:00`: the first has passed (but in the first minute of a day), the
/// second lasts all day.
async fn callback_with_draft(date: &str, window: &str) -> Mounted {
    let host = fresh_host();
    let path = web_sys::window().unwrap().location().pathname().unwrap();
    let draft = format!(
        r#"{{"name": "Lê Văn C", "phone": "0902666984", "callback_date": "{date}", "callback_window": "{window}"}}"#
    );
    web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
        .set_item(
            &format!("consent-form:draft:{path}#{}:callback", host.id()),
            &draft,
        )
        .unwrap();
    let hours = r#""business_hours": {"days": [1, 2, 3, 4, 5, 6, 7],
        "windows": ["00:00-00:01", "00:01-24:00"], "lead_minutes": 0}"#;
    let form = mount_on(
        host,
        &format!("{{ {}, {hours} }}", base_json("callback", "vi")),
    )
    .await;
    assert!(wait_for(1000, || form.value("name") == "Lê Văn C").await);
    form
}

/// The targets of the error summary's links.
fn summary_links(form: &Mounted) -> Vec<String> {
    form.attributes(".cf-summary a", "href")
}

#[wasm_bindgen_test]
async fn a_day_or_window_that_passed_meanwhile_is_asked_for_again_where_it_shows() {
    use consent_form::schedule::Day;
    let t = texts(Locale::Vi);
    let now = js_sys::Date::now() as i64;

    // The whole day has passed (a visitor back the next day): the day select no longer
    // offers it, so it is the day the visitor is asked to change, and told which.
    let yesterday = Day::at(now - 86_400_000);
    let form = callback_with_draft(&yesterday.to_string(), "00:01-24:00").await;
    // The day select shows no day chosen: the time says to choose a day first, not that
    // "this day" has no time left.
    assert_eq!(form.value("callback_date"), "");
    assert_eq!(
        form.text("[data-field=callback_window] .cf-hint"),
        t.get(Key::DayFirst)
    );
    form.toggle("consultation").await;
    form.submit().await;
    assert!(wait_for(1000, || form.find(".cf-summary").is_some()).await);
    assert_eq!(summary_links(&form), ["#cf-callback_date"]);
    assert_eq!(form.value("callback_date"), "");
    assert_eq!(
        form.text("[data-field=callback_date] .cf-error"),
        t.fill(Key::ErrDay, &[("value", &yesterday.label(Locale::Vi))])
    );
    assert!(form
        .find("[data-field=callback_window] .cf-error")
        .is_none());
    assert_eq!(
        form.text("[data-field=callback_window] .cf-hint"),
        t.get(Key::DayFirst)
    );
    drop(form);

    // Only the window has passed: the day stays, and the window is asked for again.
    let today = Day::at(now);
    if Day::at(now - 2 * 60_000) != today {
        return; // the first minutes of a day: 00:00-00:01 has not passed yet
    }
    let form = callback_with_draft(&today.to_string(), "00:00-00:01").await;
    form.toggle("consultation").await;
    form.submit().await;
    assert!(wait_for(1000, || form.find(".cf-summary").is_some()).await);
    assert_eq!(summary_links(&form), ["#cf-callback_window"]);
    assert_eq!(form.value("callback_date"), today.to_string());
    assert_eq!(
        form.text("[data-field=callback_window] .cf-error"),
        t.get(Key::ErrSlot)
    );
    assert!(form.find("[data-field=callback_date] .cf-error").is_none());
}

/// A captcha hook (a JS function) that records what it is called with and answers with
/// `answer(call number, detail)`: a token, a promise, or anything else.
fn captcha_hook(
    answer: impl Fn(usize, &JsValue) -> Result<JsValue, JsValue> + 'static,
) -> (js_sys::Function, Rc<RefCell<Vec<JsValue>>>) {
    let calls = Rc::new(RefCell::new(Vec::new()));
    let seen = calls.clone();
    let hook =
        Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(move |detail: JsValue| {
            seen.borrow_mut().push(detail.clone());
            answer(seen.borrow().len(), &detail)
        });
    (hook.into_js_value().unchecked_into(), calls)
}

async fn fill_contact(form: &Mounted) {
    form.type_into("name", "Nguyễn Văn A").await;
    form.fill("phone", "0902 666 984").await;
    form.toggle("consultation").await;
}

/// Fills the contact form in, ticks the honeypot and sends: a receipt without a send.
async fn contact_receipt(form: &Mounted) {
    fill_contact(form).await;
    form.type_into("cf-hp", "x").await;
    form.submit().await;
    assert!(wait_for(3000, || form.find(".cf-receipt").is_some()).await);
}

#[wasm_bindgen_test]
async fn the_policy_is_recorded_and_shown_by_its_absolute_url() {
    // The base settings give policy_url "/privacy.html": a path on this page's site.
    let policy = format!(
        "{}/privacy.html",
        web_sys::window().unwrap().location().origin().unwrap()
    );
    let (sent, _subscription) = outbox_reports();
    let sending = form("contact", "en", "").await;
    fill_contact(&sending).await;
    sending.submit().await;
    assert!(wait_for(5000, || !sent.borrow().is_empty()).await);
    let (_, body, _) = sent.borrow()[0].clone();
    let consents = body["consents"].as_array().unwrap();
    assert_eq!(consents.len(), 3);
    for consent in consents {
        assert_eq!(consent["policy_url"], policy.as_str(), "{consent}");
        assert_eq!(
            consent["record"]["processing"]["notice"]["policy_url"],
            policy.as_str()
        );
    }
    drop(sending);
    // The receipt's link (the honeypot ends the form at its receipt).
    let form = form("contact", "en", "").await;
    contact_receipt(&form).await;
    let link = form.get(".cf-receipt a[target=_blank]");
    assert_eq!(link.get_attribute("href"), Some(policy.clone()));
    let new_tab = texts(Locale::En).get(Key::NewTab).to_owned();
    assert_eq!(link.text_content(), Some(format!("{policy}{new_tab}")));
}

#[wasm_bindgen_test]
async fn the_captcha_hooks_token_is_signed_and_sent() {
    let (sent, _subscription) = outbox_reports();
    let submits = listen("consent-form:submit");
    // A hook given to mount(), answering with a promise, as providers' APIs do.
    let (hook, calls) = captcha_hook(|_, detail| {
        let token = JsValue::from(format!("0.tok-{}", prop(detail, "id")));
        Ok(js_sys::Promise::resolve(&token).into())
    });
    let config = js_sys::JSON::parse(&format!("{{ {} }}", base_json("contact", "vi"))).unwrap();
    js_sys::Reflect::set(&config, &"captcha".into(), &hook).unwrap();
    let host = fresh_host();
    let handle = consent_form::mount(host.clone(), config).unwrap_or_else(|_| panic!("mount"));
    settle().await;
    let form = Mounted { host, handle };
    fill_contact(&form).await;
    assert!(calls.borrow().is_empty(), "not called before the press");
    form.submit().await;

    assert!(wait_for(5000, || !submits.seen.borrow().is_empty()).await);
    let id = prop(&submits.seen.borrow()[0], "id");
    assert!(wait_for(5000, || sent.borrow().iter().any(|s| s.0 == id)).await);
    assert_eq!(calls.borrow().len(), 1, "called once per press");
    let detail = calls.borrow()[0].clone();
    assert_eq!(prop(&detail, "id"), id, "with the submission's id");
    assert_eq!(prop(&detail, "form"), "contact");
    let (_, body, _) = sent.borrow().iter().find(|s| s.0 == id).unwrap().clone();
    assert_eq!(
        body["captcha"],
        format!("0.tok-{id}").as_str(),
        "in the body"
    );
}

#[wasm_bindgen_test]
async fn without_a_captcha_token_nothing_is_sent_and_the_visitor_tries_again() {
    let (sent, _subscription) = outbox_reports();
    let submits = listen("consent-form:submit");
    let errors = listen("consent-form:error");
    let form = form("contact", "en", "").await;
    // Set as the element's property, after mounting: a number, then a rejection,
    // then a token.
    let (hook, calls) = captcha_hook(|call, _| match call {
        1 => Ok(42.into()),
        2 => Ok(js_sys::Promise::reject(&js_sys::Error::new("widget not solved").into()).into()),
        _ => Ok("0.second-try".into()),
    });
    js_sys::Reflect::set(&form.host, &"captcha".into(), &hook).unwrap();
    fill_contact(&form).await;
    let failed = texts(Locale::En).get(Key::ReasonCaptcha).to_owned();

    for (attempt, why) in [
        (1, "the captcha hook gave a number, not a token"),
        (2, "the captcha hook failed: widget not solved"),
    ] {
        form.submit().await;
        assert!(
            wait_for(5000, || errors.seen.borrow().len() == attempt).await,
            "attempt {attempt}: consent-form:error"
        );
        let detail = errors.seen.borrow()[attempt - 1].clone();
        // The reason as the other failures give theirs (docs/embedding.md): what went
        // wrong, without the console's "consent-form: " prefix.
        let reason = prop(&detail, "reason");
        assert!(reason.starts_with(why), "{reason:?}");
        assert!(wait_for(2000, || form.text(".cf-status").contains(&failed)).await);
        assert!(submits.seen.borrow().is_empty(), "nothing sent");
        assert_eq!(form.value("name"), "Nguyễn Văn A", "what was typed is kept");
        assert!(form.consent("consultation").checked());
    }
    form.submit().await;
    assert!(wait_for(5000, || !submits.seen.borrow().is_empty()).await);
    let id = prop(&submits.seen.borrow()[0], "id");
    assert!(wait_for(5000, || sent.borrow().iter().any(|s| s.0 == id)).await);
    let (_, body, _) = sent.borrow().iter().find(|s| s.0 == id).unwrap().clone();
    assert_eq!(body["captcha"], "0.second-try");
    assert_eq!(calls.borrow().len(), 3);
}

#[wasm_bindgen_test]
async fn a_filled_honeypot_shows_a_receipt_and_sends_nothing() {
    let submits = listen("consent-form:submit");
    let (hook, calls) = captcha_hook(|_, _| Ok("0.never".into()));
    let form = form("contact", "vi", "").await;
    js_sys::Reflect::set(&form.host, &"captcha".into(), &hook).unwrap();
    let before = consent_form::outbox::entries().len();
    fill_contact(&form).await;
    // The field people never see: off screen, out of the tab order, named like no field
    // a browser or password manager fills in for a person.
    let trap = form.control("cf-hp");
    assert_eq!(trap.get_attribute("tabindex").as_deref(), Some("-1"));
    assert_eq!(trap.get_attribute("autocomplete").as_deref(), Some("off"));
    form.type_into("cf-hp", "http://spam.example").await;
    form.submit().await;

    assert!(
        wait_for(3000, || form.find(".cf-receipt").is_some()).await,
        "the bot sees success"
    );
    settle().await;
    assert!(submits.seen.borrow().is_empty(), "no consent-form:submit");
    assert_eq!(
        consent_form::outbox::entries().len(),
        before,
        "nothing in the outbox"
    );
    assert!(calls.borrow().is_empty(), "no captcha asked for");
}

#[wasm_bindgen_test]
async fn a_visitor_under_16_sends_with_their_guardians_name_phone_and_agreement() {
    // Without `minors: "guardian"`, no such box: the consultation consent declares age.
    let plain = form("contact", "en", "").await;
    assert!(plain.find("#cf-minor").is_none());
    drop(plain);

    let (sent, _subscription) = outbox_reports();
    let form = form("contact", "en", r#""minors": "guardian""#).await;
    let en = texts(Locale::En);
    let minor = form.get("#cf-minor").unchecked_into::<HtmlInputElement>();
    assert!(!minor.checked(), "unticked at first");
    assert!(form.find("#cf-guardian-heading").is_none());
    assert_eq!(form.description(&minor), en.get(Key::MinorHint));
    fill_contact(&form).await;

    // Under 16: the guardian's part, and nothing is sent without it.
    form.click("#cf-minor").await;
    assert_eq!(
        form.text("#cf-guardian-heading"),
        en.get(Key::GuardianHeading)
    );
    assert_eq!(
        field_names(&form),
        [
            "company",
            "name",
            "industry",
            "need",
            "phone",
            "email",
            "guardian_name",
            "guardian_phone"
        ]
    );
    let agreement = form
        .get("#cf-consent-guardian")
        .unchecked_into::<HtmlInputElement>();
    assert!(!agreement.checked());
    form.submit().await;
    assert_eq!(
        form.all(".cf-summary li").len(),
        3,
        "{}",
        form.text(".cf-summary")
    );
    assert!(form.text(".cf-summary").contains(en.get(Key::ErrGuardian)));
    assert_eq!(
        agreement.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(form.description(&agreement), en.get(Key::ErrGuardian));
    assert!(sent.borrow().is_empty());

    form.type_into("guardian_name", "Trần Thị Lan").await;
    form.fill("guardian_phone", "0912 345 678").await;
    assert_eq!(form.value("guardian_phone"), "0912 345 678");
    form.click("#cf-consent-guardian").await;
    let shown = form.text("#cf-consent-guardian-text");
    form.submit().await;
    assert!(wait_for(5000, || !sent.borrow().is_empty()).await);
    let (_, body, _) = sent.borrow()[0].clone();
    assert_eq!(body["fields"]["guardian_name"], "Trần Thị Lan");
    assert_eq!(body["fields"]["guardian_phone"], "+84912345678");
    assert_eq!(
        body["guardian"]["text"],
        shown.as_str(),
        "the text shown is the text sent"
    );
    let payload = consent_form::payload::Payload::from_body(body.to_string().as_bytes()).unwrap();
    payload.validate().expect("a valid payload");
    drop(form);

    // Unticked again: nothing of the guardian is sent, whatever was typed.
    let (sent, _subscription) = outbox_reports();
    let form = form_again().await;
    fill_contact(&form).await;
    form.click("#cf-minor").await;
    form.type_into("guardian_name", "Trần Thị Lan").await;
    form.click("#cf-minor").await;
    assert!(form.find("[name=guardian_name]").is_none());
    form.submit().await;
    assert!(wait_for(5000, || !sent.borrow().is_empty()).await);
    let (_, body, _) = sent.borrow()[0].clone();
    assert!(body["fields"].get("guardian_name").is_none(), "{body}");
    assert!(body.get("guardian").is_none(), "{body}");
    drop(form);

    // The receipt names the guardian and what they agreed to (the honeypot ends the
    // form at its receipt without sending).
    let form = form_again().await;
    fill_contact(&form).await;
    form.click("#cf-minor").await;
    form.type_into("guardian_name", "Trần Thị Lan").await;
    form.fill("guardian_phone", "0912 345 678").await;
    form.click("#cf-consent-guardian").await;
    let shown = form.text("#cf-consent-guardian-text");
    form.type_into("cf-hp", "x").await;
    form.submit().await;
    assert!(wait_for(3000, || form.find(".cf-receipt").is_some()).await);
    let row = form.text(".cf-receipt tr[data-guardian]");
    assert!(
        row.contains(&shown) && row.contains("Trần Thị Lan"),
        "{row}"
    );
}

/// A contact form in English that asks for a guardian.
async fn form_again() -> Mounted {
    form("contact", "en", r#""minors": "guardian""#).await
}

#[wasm_bindgen_test]
async fn the_error_summary_drops_the_guardians_entries_once_under_16_is_unticked() {
    // The summary holds what was wrong at the press, until the next press; but an
    // entry for a control the form no longer shows would link to nothing.
    let form = form_again().await;
    let en = texts(Locale::En);
    form.type_into("name", "Nguyễn Văn A").await;
    form.type_into("phone", "0912").await;
    form.toggle("consultation").await;
    form.click("#cf-minor").await;
    form.submit().await;
    assert_eq!(
        summary_links(&form),
        [
            "#cf-phone",
            "#cf-guardian_name",
            "#cf-guardian_phone",
            "#cf-consent-guardian"
        ]
    );
    let phone_entry = form.text(".cf-summary li");
    form.type_into("phone", "09123").await;

    // "Under 16" unticked: the guardian's part goes, and its entries at once; the
    // phone's stays as it was said at the press.
    form.click("#cf-minor").await;
    assert!(form.find("[name=guardian_name]").is_none());
    assert_eq!(
        summary_links(&form),
        ["#cf-phone"],
        "{}",
        form.text(".cf-summary")
    );
    assert_eq!(form.text(".cf-summary li"), phone_entry);
    assert_eq!(
        form.text(".cf-summary h3"),
        en.fill(Key::SummaryTitle, &[("n", "1")])
    );
    for link in summary_links(&form) {
        assert!(form.find(&link).is_some(), "{link} leads to a control");
    }
    // Ticked again, the guardian's empty part is back, and so are its entries.
    form.click("#cf-minor").await;
    assert_eq!(
        summary_links(&form).len(),
        4,
        "{}",
        form.text(".cf-summary")
    );
    // Unticked with the phone right: nothing is wrong any more, no summary.
    form.click("#cf-minor").await;
    form.type_into("phone", "0912 345 678").await;
    assert!(form.find(".cf-summary").is_none());
}

#[wasm_bindgen_test]
async fn two_presses_in_one_script_task_send_one_submission() {
    let (sent, _subscription) = outbox_reports();
    let submits = listen("consent-form:submit");
    let form = form("contact", "vi", "").await;
    fill_contact(&form).await;
    // A host's script (or a test of its own) asking twice before the form can answer:
    // no render, no microtask in between.
    let element: JsValue = form.get("form").into();
    let request = js_sys::Reflect::get(&element, &"requestSubmit".into())
        .unwrap()
        .unchecked_into::<js_sys::Function>();
    request.call0(&element).unwrap();
    request.call0(&element).unwrap();

    assert!(wait_for(5000, || !sent.borrow().is_empty()).await);
    // Long enough for a second one to have come as well.
    wait_for(1500, || sent.borrow().len() > 1).await;
    assert_eq!(sent.borrow().len(), 1, "one submission in the outbox");
    assert_eq!(submits.seen.borrow().len(), 1, "one consent-form:submit");
}

/// Fills text control `name` the way some autofill (a password manager, a browser's
/// contact autofill) does: the value set, then only `change`, no `input`.
fn autofill(form: &Mounted, name: &str, value: &str) {
    let el = form.control(name);
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        input.set_value(value);
    } else {
        el.unchecked_ref::<web_sys::HtmlTextAreaElement>()
            .set_value(value);
    }
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn what_autofill_puts_in_the_fields_with_change_alone_is_checked_and_sent() {
    let (sent, _subscription) = outbox_reports();
    let form = form("contact", "vi", "").await;
    autofill(&form, "name", "Nguyễn Văn A");
    autofill(&form, "phone", "0902 666 984");
    autofill(&form, "email", "an@vidu.vn");
    autofill(&form, "need", "Tư vấn website");
    settle().await;
    form.toggle("consultation").await;
    form.submit().await;

    // What the visitor sees in the fields is what the form checks: nothing is
    // reported missing under a field that shows a value.
    assert!(
        form.find(".cf-summary").is_none(),
        "nothing reported missing: {:?}",
        form.find(".cf-summary").and_then(|s| s.text_content())
    );
    assert!(
        wait_for(3000, || !sent.borrow().is_empty()).await,
        "the submission was made"
    );
    let fields = sent.borrow()[0].1["fields"].clone();
    assert_eq!(fields["name"], "Nguyễn Văn A");
    assert_eq!(fields["phone"], "+84902666984");
    assert_eq!(
        fields["email"], "an@vidu.vn",
        "an optional field filled in is sent"
    );
    assert_eq!(fields["need"], "Tư vấn website");
}

#[wasm_bindgen_test]
async fn the_error_summary_says_what_was_wrong_at_the_press_and_not_each_keystroke() {
    // The summary is an alert: each change of its words is read out at once, in full,
    // over what the visitor types. So it holds what was wrong at the press, until the
    // next press; the fields' own messages follow the typing.
    let form = form("contact", "en", "").await;
    form.submit().await;
    let said = form.text(".cf-summary");
    assert!(said.contains("Phone"), "{said}");
    for typed in ["0", "09", "091", "0912"] {
        form.type_into("phone", typed).await;
        assert_eq!(form.text(".cf-summary"), said, "after typing {typed}");
    }
    form.type_into("name", "An").await;
    assert_eq!(form.text(".cf-summary"), said, "after the name");
    let phone_error = form.text("#cf-phone-error");
    assert!(
        !said.contains(&phone_error),
        "the field says it: {phone_error}"
    );
    // The next press says what is wrong then, and focuses the summary again.
    form.submit().await;
    let now = form.text(".cf-summary");
    assert_ne!(now, said);
    assert!(now.contains(&phone_error), "{now}");
    assert!(!now.contains("Full name"), "{now}");
    assert_eq!(
        form.focused().as_ref(),
        Some(form.get(".cf-summary").unchecked_ref::<Element>())
    );
}

/// The width and right edge of `el`'s box (`getBoundingClientRect`).
fn rect(el: &Element) -> (f64, f64) {
    let get = js_sys::Reflect::get(el, &JsValue::from_str("getBoundingClientRect")).unwrap();
    let r = get.unchecked_ref::<js_sys::Function>().call0(el).unwrap();
    let n = |k: &str| {
        js_sys::Reflect::get(&r, &JsValue::from_str(k))
            .unwrap()
            .as_f64()
            .unwrap()
    };
    (n("width"), n("right"))
}

/// The elements of `form` whose box runs past the host's right edge (the host clips
/// them: `contain: content`), described. Not what a screen-reader-only box holds (a
/// Details' name and its sentence's `lang` span): clipped to 1 px, it is never seen.
fn cut_off(form: &Mounted) -> Vec<String> {
    let (_, right) = rect(&form.host);
    form.all("*")
        .iter()
        .filter(|e| {
            let (width, r) = rect(e);
            width > 0.0 && r > right + 1.0 && e.closest(".cf-sr").ok().flatten().is_none()
        })
        .map(|e| {
            format!(
                "{} {:?}",
                e.tag_name(),
                e.text_content().unwrap_or_default()
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_long_address_in_a_consent_wraps_on_a_phone_instead_of_being_cut_off() {
    // A host-defined purpose naming its partner by web address, a long controller
    // contact: on a 320 px phone each wraps; nothing of the words agreed to is cut off.
    let form = form(
        "contact",
        "vi",
        r#""controller_contact": "dpo@congtytnhhthuongmaidichvuvidu.com.vn",
           "purposes": ["marketing", {"id": "share", "recipients": ["https://doitac.congtybaohiemabcvietnam.com.vn"],
             "text": "Tôi đồng ý chia sẻ với https://doitac.congtybaohiemabcvietnam.com.vn/chinhsach"}]"#,
    )
    .await;
    form.host.set_attribute("style", "width: 320px").unwrap();
    for summary in form.all(".cf-consent summary") {
        summary.click();
    }
    settle().await;
    assert_eq!(cut_off(&form), Vec::<String>::new(), "the form");

    form.type_into("name", "Lê Văn C").await;
    form.fill("phone", "0902666984").await;
    form.toggle("consultation").await;
    form.toggle("share").await;
    form.type_into("cf-hp", "x").await; // the honeypot: a receipt without a send
    form.submit().await;
    assert!(wait_for(3000, || form.find(".cf-receipt").is_some()).await);
    for summary in form.all(".cf-receipt summary") {
        summary.click();
    }
    settle().await;
    assert_eq!(cut_off(&form), Vec::<String>::new(), "the receipt");
}

#[wasm_bindgen_test]
async fn a_receipt_that_comes_while_the_visitor_is_elsewhere_on_the_page_leaves_focus_there() {
    // The receipt comes a moment after the press (here the minimum fill time holds the
    // submission back; the outbox's later delivery, once back online, is the same):
    // meanwhile the visitor has moved on to another field of the page, typing there.
    let form = form("contact", "en", r#""min_fill_ms": 1500"#).await;
    fill_contact(&form).await;
    form.type_into("cf-hp", "x").await; // the honeypot: a receipt without a send
    form.submit().await;
    assert!(form.find(".cf-receipt").is_none(), "not yet");
    let elsewhere: HtmlInputElement = document().create_element("input").unwrap().unchecked_into();
    document().body().unwrap().append_child(&elsewhere).unwrap();
    elsewhere.focus().unwrap();
    assert!(wait_for(5000, || form.find(".cf-receipt").is_some()).await);
    settle().await;
    let active = document().active_element();
    elsewhere.remove();
    assert_eq!(
        active.map(|e| e.tag_name()),
        Some("INPUT".to_owned()),
        "focus stays where the visitor is"
    );
}

#[wasm_bindgen_test]
async fn the_live_region_that_said_sending_says_sent_when_the_receipt_comes() {
    // A screen reader hears a live region's words change, not one inserted with its
    // words: the form's status line stays through the receipt, and says it was sent —
    // for a visitor whose focus the receipt no longer takes (they went on elsewhere).
    let form = form("contact", "en", r#""min_fill_ms": 1000"#).await;
    fill_contact(&form).await;
    form.type_into("cf-hp", "x").await; // the honeypot: a receipt without a send
    form.submit().await;
    let status = form.get(".cf-status");
    assert!(wait_for(5000, || form.find(".cf-receipt").is_some()).await);
    settle().await;
    assert!(status.is_connected(), "the same live region");
    assert_eq!(status.get_attribute("role").as_deref(), Some("status"));
    assert_eq!(
        status.text_content().unwrap_or_default(),
        texts(Locale::En).get(Key::StatusSent)
    );
    // Said once: the receipt's own line is no second live region.
    assert_eq!(
        form.all("[role=status], [aria-live]").len(),
        1 + form.all("[data-withdraw-news]").len()
    );
}
