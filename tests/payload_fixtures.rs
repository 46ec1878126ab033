//! Payloads built the way the form builds them, shared by the payload tests
//! (`#[path = "payload_fixtures.rs"] mod fixtures;`). On its own it tests nothing.
#![allow(dead_code)]

use consent_form::consent::{Channel, Controller, MarketingTerms, Notice, Policy, Purpose};
use consent_form::fields::{FieldName, FormKind};
use consent_form::locale::Locale;
use consent_form::payload::{Payload, Rfc3339};
use consent_form::signing::MessageId;

/// 2026-11-23T16:07:05.123+07:00.
pub const SUBMITTED_MS: i64 = 1_795_424_825_123;

pub fn controller() -> Controller {
    Controller {
        name: "Công ty TNHH Giải pháp Số Ví Dụ".into(),
        contact: Some("privacy@vidu.vn".into()),
    }
}

pub fn policy() -> Policy {
    Policy {
        url: "https://vidu.vn/chinh-sach-bao-mat".into(),
        version: Some("2026-01-01".into()),
    }
}

/// The rights a form with `withdraw-endpoint` records as the withdrawal method
/// (`rights_with_button`).
const WITHDRAW: &str =
    "Bạn có quyền xem, sửa, xóa dữ liệu và rút lại đồng ý bất cứ lúc nào, dễ dàng như khi \
     đồng ý: bấm “Rút lại đồng ý” trong biên nhận hoặc trong danh sách các đồng ý bạn đã gửi \
     từ thiết bị này, hoặc liên hệ Công ty TNHH Giải pháp Số Ví Dụ (privacy@vidu.vn). Việc \
     rút lại không ảnh hưởng đến việc xử lý hợp pháp trước đó.";

pub fn consultation(form: FormKind, fields: &[FieldName]) -> Notice {
    let data: Vec<String> = fields.iter().map(|f| f.as_str().to_owned()).collect();
    Notice {
        purpose: Purpose::Consultation,
        text: format!(
            "Tôi đồng ý để Công ty TNHH Giải pháp Số Ví Dụ sử dụng thông tin tôi điền trong biểu \
             mẫu này để liên hệ và tư vấn theo yêu cầu của tôi.\n\
             Mục đích: liên hệ và tư vấn theo yêu cầu ({}).\n\
             Dữ liệu sử dụng: {}.\n\
             Bên kiểm soát dữ liệu: Công ty TNHH Giải pháp Số Ví Dụ (privacy@vidu.vn).\n\
             Tổ chức khác được chia sẻ: không chia sẻ với bên thứ ba.\n\
             Hậu quả có thể xảy ra: nếu không đồng ý, chúng tôi không thể liên hệ lại với bạn.\n\
             Thời gian xử lý và lưu trữ: từ khi bạn gửi đến khi hoàn tất tư vấn, tối đa 24 tháng, \
             hoặc đến khi bạn yêu cầu xóa.",
            form.as_str(),
            data.join(", ")
        ),
        language: Locale::Vi,
        description: "Liên hệ và tư vấn theo yêu cầu của bạn".into(),
        data_types: data,
        sensitive: false,
        sensitive_categories: vec![],
        controller: controller(),
        recipients: vec![],
        consequences: "Nếu không đồng ý, chúng tôi không thể liên hệ lại với bạn.".into(),
        retention: "Đến khi hoàn tất tư vấn, tối đa 24 tháng, hoặc đến khi bạn yêu cầu xóa.".into(),
        withdrawal: WITHDRAW.into(),
        marketing: None,
    }
}

pub fn marketing() -> Notice {
    Notice {
        purpose: Purpose::Marketing,
        text: "Tôi đồng ý nhận thông tin về sản phẩm, ưu đãi và sự kiện của Công ty TNHH Giải \
               pháp Số Ví Dụ qua email và Zalo, tối đa 2 lần mỗi tháng.\n\
               Dữ liệu sử dụng: họ tên, email, số điện thoại.\n\
               Hậu quả có thể xảy ra: bạn có thể nhận tin không mong muốn; từ chối không ảnh \
               hưởng đến yêu cầu tư vấn.\n\
               Thời gian: đến khi bạn rút lại sự đồng ý (liên kết hủy trong mỗi tin)."
            .into(),
        language: Locale::Vi,
        description: "Gửi thông tin sản phẩm, ưu đãi và sự kiện".into(),
        data_types: vec!["name".into(), "email".into(), "phone".into()],
        sensitive: false,
        sensitive_categories: vec![],
        controller: controller(),
        recipients: vec![],
        consequences: "Bạn có thể nhận tin không mong muốn.".into(),
        retention: "Đến khi bạn rút lại sự đồng ý.".into(),
        withdrawal: WITHDRAW.into(),
        marketing: Some(MarketingTerms {
            channels: vec![Channel::Email, Channel::Zalo],
            frequency: "tối đa 2 lần mỗi tháng".into(),
        }),
    }
}

pub fn call_recording() -> Notice {
    Notice {
        purpose: Purpose::CallRecording,
        text: "Tôi đồng ý để cuộc gọi tư vấn được ghi âm nhằm kiểm tra và nâng cao chất lượng \
               tư vấn. Bản ghi được lưu 90 ngày rồi xóa; bạn có thể từ chối mà vẫn được gọi lại."
            .into(),
        language: Locale::Vi,
        description: "Ghi âm cuộc gọi để kiểm tra chất lượng tư vấn".into(),
        data_types: vec!["call_audio".into(), "phone".into()],
        sensitive: false,
        sensitive_categories: vec![],
        controller: controller(),
        recipients: vec![],
        consequences: "Giọng nói của bạn được lưu trong 90 ngày.".into(),
        retention: "90 ngày kể từ cuộc gọi.".into(),
        withdrawal: WITHDRAW.into(),
        marketing: None,
    }
}

pub fn id() -> MessageId {
    MessageId::from_random([
        0x5a, 0x17, 0xc3, 0x09, 0x44, 0xee, 0x81, 0x2d, 0x90, 0x6b, 0x3f, 0xa2, 0x58, 0x11, 0xd7,
        0x0c,
    ])
}

/// A typical contact submission: every field, consultation and call recording given,
/// marketing refused.
pub fn contact() -> Payload {
    let at = Rfc3339::from_unix_millis(SUBMITTED_MS, 420).unwrap();
    let mut p = Payload::new(id(), FormKind::Contact, at, Locale::Vi);
    let values = [
        (FieldName::Company, "Công ty Cổ phần Thương mại Hòa Bình"),
        (FieldName::Name, "Nguyễn Thị Minh Khai"),
        (FieldName::Industry, "Bán lẻ"),
        (
            FieldName::Need,
            "Cần tư vấn thiết kế website bán hàng và tích hợp thanh toán.",
        ),
        (FieldName::Phone, "+84902666984"),
        (FieldName::Email, "minh.khai@hoabinh.vn"),
    ];
    for (f, v) in values {
        p.fields.insert(f, v.to_owned());
    }
    p.push_consent(
        &consultation(FormKind::Contact, FormKind::Contact.fields()),
        &policy(),
        true,
    );
    p.push_consent(&marketing(), &policy(), false);
    p.push_consent(&call_recording(), &policy(), true);
    p
}

/// A callback request on the day after submission, only the required consent given.
pub fn callback() -> Payload {
    let at = Rfc3339::from_unix_millis(SUBMITTED_MS, 420).unwrap();
    let mut p = Payload::new(
        MessageId::from_random([9; 16]),
        FormKind::Callback,
        at,
        Locale::Vi,
    );
    let values = [
        (FieldName::Name, "Trần Văn Ba"),
        (FieldName::Phone, "+842838221234"),
        (FieldName::CallbackDate, "2026-11-24"),
        (FieldName::CallbackWindow, "09:00-10:30"),
        (FieldName::Topic, "Gia hạn tên miền"),
    ];
    for (f, v) in values {
        p.fields.insert(f, v.to_owned());
    }
    let mut shown = FormKind::Callback.fields().to_vec();
    shown.retain(|f| p.fields.contains_key(f));
    p.push_consent(&consultation(FormKind::Callback, &shown), &policy(), true);
    p.push_consent(&call_recording(), &policy(), false);
    p
}

/// Replaces `p`'s (granted) consultation entry with one whose notice lists `fields`
/// as the data used.
pub fn consultation_listing(p: &mut Payload, fields: &[FieldName]) {
    let entry = consent_form::payload::ConsentEntry::new(
        &consultation(p.form, fields),
        &policy(),
        true,
        &p.id,
        &p.submitted_at,
    );
    if let Some(c) = p
        .consents
        .iter_mut()
        .find(|c| c.purpose == Purpose::Consultation)
    {
        *c = entry;
    }
}

/// The contact submission of a visitor under 16 (`minors: "guardian"`): their mother's
/// name, phone and agreement, and a consultation notice that lists them.
pub fn contact_with_guardian() -> Payload {
    let mut p = contact();
    p.fields
        .insert(FieldName::GuardianName, "Trần Thị Lan".to_owned());
    p.fields
        .insert(FieldName::GuardianPhone, "+84912345678".to_owned());
    let shown: Vec<FieldName> = FormKind::Contact
        .fields()
        .iter()
        .copied()
        .chain(FieldName::GUARDIAN)
        .collect();
    consultation_listing(&mut p, &shown);
    p.guardian = Some(consent_form::payload::GuardianConsent::new(
        "Tôi là cha, mẹ hoặc người giám hộ hợp pháp của người điền biểu mẫu này. Tôi đã đọc \
         các thông tin ở trên và đồng ý với những lựa chọn đồng ý đã được đánh dấu."
            .to_owned(),
    ));
    p
}
