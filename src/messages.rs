//! Every text the form shows, in Vietnamese and English, each overridable by the host.
//!
//! A host overrides a text by its name in `texts`, e.g.
//! `{"texts": {"submit": "Đăng ký ngay"}}`. Texts may hold placeholders in braces —
//! `{controller}`, `{label}`, `{n}` … — filled in when shown.

use std::borrow::Cow;

use crate::config::ByName;
use crate::locale::Locale;

macro_rules! texts {
    ($($key:ident $name:literal { $vi:literal, $en:literal })*) => {
        /// The name of a text. [`Key::name`] is what a host writes in `texts`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key {
            $( #[doc = $name] $key, )*
        }

        /// Every name, then every Vietnamese and every English text, each ended by a NUL:
        /// three strings and their ends (two bytes a text) instead of a table of
        /// pointers and lengths (eight bytes a text, which gzip hardly shrinks).
        static NAMES: Packed = Packed::new(concat!($($name, "\0",)*));
        static VI: Packed = Packed::new(concat!($($vi, "\0",)*));
        static EN: Packed = Packed::new(concat!($($en, "\0",)*));

        impl Key {
            /// Every text, in table order.
            pub const ALL: &'static [Key] = &[ $( Key::$key, )* ];
        }
    };
}

texts! {
    TitleContact "title_contact" { "Đăng ký nhận tư vấn", "Request a consultation" }
    TitleCallback "title_callback" { "Yêu cầu gọi lại", "Request a callback" }
    Intro "intro" {
        "Các mục có dấu * là bắt buộc.",
        "Fields marked * are required."
    }
    LabelCompany "label_company" { "Tên công ty", "Company" }
    LabelName "label_name" { "Họ và tên", "Full name" }
    LabelIndustry "label_industry" { "Ngành nghề kinh doanh", "Line of business" }
    LabelNeed "label_need" { "Nhu cầu cụ thể", "What you need" }
    LabelPhone "label_phone" { "Số điện thoại", "Phone number" }
    LabelEmail "label_email" { "Email", "E-mail" }
    LabelCallbackDate "label_callback_date" { "Ngày gọi lại", "Day to call you" }
    LabelCallbackWindow "label_callback_window" { "Khung giờ (giờ Việt Nam)", "Time (Vietnam time)" }
    LabelTopic "label_topic" { "Nội dung cần trao đổi", "What to talk about" }
    LabelGuardianName "label_guardian_name" {
        "Họ và tên cha, mẹ hoặc người giám hộ",
        "Parent's or guardian's full name"
    }
    LabelGuardianPhone "label_guardian_phone" {
        "Số điện thoại của cha, mẹ hoặc người giám hộ",
        "Parent's or guardian's phone number"
    }
    HintPhone "hint_phone" { "Ví dụ: 0902 666 984 hoặc +84 902 666 984", "For example 0902 666 984 or +84 902 666 984" }
    HintEmail "hint_email" { "Ví dụ: ten@congty.vn", "For example name@company.vn" }
    Optional "optional" { "không bắt buộc", "optional" }
    Required "required" { "bắt buộc", "required" }
    Choose "choose" { "— Chọn —", "— Choose —" }
    DayFirst "day_first" {
        "Chọn ngày trước, rồi chọn khung giờ.",
        "Choose a day first, then a time."
    }
    NoSlots "no_slots" {
        "Hiện không còn khung giờ trống. Vui lòng chọn ngày khác.",
        "No time left on this day. Please pick another day."
    }
    NoDays "no_days" {
        "Hiện chưa thể hẹn giờ gọi lại: không còn khung giờ trống nào. Vui lòng quay lại sau hoặc liên hệ trực tiếp với {controller}.",
        "No callback can be booked right now: no time is free. Please come back later or contact {controller} directly."
    }
    ErrRequired "err_required" { "Vui lòng nhập {label}.", "Please enter your {label}." }
    ErrChoose "err_choose" { "Vui lòng chọn {label}.", "Please choose a {label}." }
    ErrTooLong "err_too_long" {
        "Quá dài: tối đa {n} ký tự (hiện có {len}).",
        "Too long: at most {n} characters (now {len})."
    }
    ErrTooLongOne "err_too_long_one" {
        "Quá dài: tối đa {n} ký tự (hiện có {len}).",
        "Too long: at most {n} character (now {len})."
    }
    CharsLeft "chars_left" { "Còn {n} ký tự.", "{n} characters left." }
    CharsLeftOne "chars_left_one" { "Còn {n} ký tự.", "{n} character left." }
    ErrSlot "err_slot" {
        "Khung giờ này đã qua. Vui lòng chọn khung giờ khác.",
        "That time has passed. Please pick a later one."
    }
    ErrDay "err_day" {
        "Ngày {value} không còn khung giờ trống. Vui lòng chọn ngày khác.",
        "No time is left on {value}. Please pick another day."
    }
    UseCorrection "use_correction" { "Dùng {value}", "Use {value}" }
    EmailSuggestion "email_suggestion" { "Có phải bạn muốn nhập {value}?", "Did you mean {value}?" }
    PhoneOk "phone_ok" { "Số hợp lệ: {value}", "Valid number: {value}" }
    PhoneTwoNumbers "phone_two_numbers" {
        "Có vẻ bạn đã nhập hai số. Vui lòng chỉ nhập một số.",
        "This looks like two numbers. Please enter one."
    }
    PhoneNote "phone_note" {
        "Vui lòng chỉ nhập số điện thoại, không kèm ghi chú.",
        "Please enter the number only, without a note."
    }
    PhoneOldLandline "phone_old_landline" {
        "Số di động hợp lệ: {value}. Nếu đây là số máy bàn cũ ở TP. Hồ Chí Minh, số mới là {landline}.",
        "Valid mobile number: {value}. If this is an old Ho Chi Minh City landline, it is now {landline}."
    }
    ConsentsHeading "consents_heading" { "Sự đồng ý của bạn", "Your consent" }
    ConsentsIntro "consents_intro" {
        "Mỗi mục là một lựa chọn riêng. Chỉ mục đầu tiên là cần thiết để chúng tôi liên hệ theo yêu cầu của bạn; các mục khác bạn có thể để trống mà vẫn gửi được.",
        "Each item is a separate choice. Only the first is needed for us to reply to your request; you can leave the others unticked and still send."
    }
    ConsentNeeded "consent_needed" { "cần để gửi yêu cầu", "needed to send the request" }
    ConsentOptional "consent_optional" { "tùy chọn", "optional" }
    ConsultationText "consultation_text" {
        "Tôi đồng ý để {controller} sử dụng thông tin tôi điền trong biểu mẫu này để liên hệ và tư vấn theo yêu cầu của tôi.",
        "I agree that {controller} uses the information in this form to contact me and answer my request."
    }
    AgeStatement "age_statement" {
        "Tôi từ đủ 16 tuổi trở lên, hoặc cha mẹ hay người giám hộ của tôi đang cùng tôi điền biểu mẫu này và cũng đồng ý.",
        "I am 16 or older, or my parent or guardian is filling in this form with me and agrees too."
    }
    MarketingText "marketing_text" {
        "Tôi đồng ý nhận thông tin về sản phẩm, ưu đãi và sự kiện của {controller} qua {channels}, {frequency}.",
        "I agree to receive news of {controller}'s products, offers and events by {channels}, {frequency}."
    }
    CallRecordingText "call_recording_text" {
        "Tôi đồng ý để {controller} ghi âm cuộc gọi với tôi để bảo đảm chất lượng dịch vụ.",
        "I agree that {controller} records calls with me to assure the quality of its service."
    }
    ConsultationPurpose "consultation_purpose" {
        "Liên hệ lại và tư vấn theo yêu cầu bạn gửi.",
        "Contacting you and answering the request you send."
    }
    MarketingPurpose "marketing_purpose" {
        "Gửi thông tin sản phẩm, ưu đãi và sự kiện (tiếp thị).",
        "Sending news of products, offers and events (marketing)."
    }
    CallRecordingPurpose "call_recording_purpose" {
        "Ghi âm cuộc gọi để kiểm tra và nâng cao chất lượng tư vấn.",
        "Recording calls to check and improve the quality of advice."
    }
    ConsultationMethod "consultation_method" {
        "Lưu trong hệ thống của {controller}; nhân viên tư vấn đọc yêu cầu và liên hệ bạn qua điện thoại hoặc email.",
        "Stored in {controller}'s systems; an adviser reads your request and contacts you by phone or e-mail."
    }
    MarketingMethod "marketing_method" {
        "Lưu trong danh sách nhận tin của {controller}; tin được gửi qua {channels}.",
        "Kept on {controller}'s mailing list; messages are sent by {channels}."
    }
    CallRecordingMethod "call_recording_method" {
        "Cuộc gọi được ghi âm và lưu trong hệ thống của {controller}; chỉ người kiểm tra chất lượng được nghe lại.",
        "Calls are recorded and stored in {controller}'s systems; only quality reviewers listen to them."
    }
    CustomMethod "custom_method" {
        "Lưu trong hệ thống của {controller} và chỉ dùng cho mục đích trên.",
        "Stored in {controller}'s systems and used for this purpose only."
    }
    CustomConsequence "custom_consequence" {
        "Không đồng ý không ảnh hưởng đến yêu cầu của bạn.",
        "Refusing does not affect your request."
    }
    ConsultationConsequence "consultation_consequence" {
        "Bạn có thể nhận cuộc gọi, tin nhắn hoặc email về yêu cầu này. Nếu không đồng ý, chúng tôi không thể liên hệ và yêu cầu sẽ không được gửi.",
        "You may receive calls, messages or e-mail about this request. Without this consent we cannot contact you and the request is not sent."
    }
    MarketingConsequence "marketing_consequence" {
        "Bạn sẽ nhận thông tin quảng cáo; mỗi tin đều có cách hủy đăng ký. Không đồng ý không ảnh hưởng đến yêu cầu tư vấn.",
        "You will receive promotional messages, each with a way to unsubscribe. Refusing does not affect your request."
    }
    CallRecordingConsequence "call_recording_consequence" {
        "Giọng nói và nội dung cuộc gọi được lưu lại. Nếu không đồng ý, cuộc gọi vẫn diễn ra nhưng không được ghi âm.",
        "Your voice and what is said are stored. If you refuse, the call still happens, unrecorded."
    }
    ConsultationData "consultation_data" {
        "Các thông tin bạn điền trong biểu mẫu: {fields}.",
        "What you fill in on this form: {fields}."
    }
    MarketingData "marketing_data" { "{fields}.", "{fields}." }
    CallRecordingData "call_recording_data" {
        "Bản ghi âm cuộc gọi (giọng nói, nội dung), số điện thoại.",
        "The call recording (voice, content), phone number."
    }
    NoticeDetails "notice_details" { "Chi tiết", "Details" }
    NoticePurpose "notice_purpose" { "Mục đích", "Purpose" }
    NoticeData "notice_data" { "Dữ liệu sử dụng", "Data used" }
    NoticeController "notice_controller" { "Bên kiểm soát dữ liệu", "Data controller" }
    NoticeRecipients "notice_recipients" { "Tổ chức khác được chia sẻ", "Shared with" }
    NoticeNoRecipients "notice_no_recipients" { "Không chia sẻ với bên thứ ba.", "Not shared with third parties." }
    NoticeMethod "notice_method" { "Cách xử lý", "How it is processed" }
    NoticeConsequences "notice_consequences" { "Hậu quả có thể xảy ra", "Possible consequences" }
    NoticeRetention "notice_retention" { "Thời gian xử lý và lưu trữ", "When processing starts and ends" }
    NoticeRights "notice_rights" { "Quyền của bạn", "Your rights" }
    DefaultRetention "default_retention" {
        "Từ khi bạn gửi biểu mẫu đến khi hoàn thành mục đích, hoặc khi bạn rút lại đồng ý hay yêu cầu xóa.",
        "From when you send the form until the purpose is fulfilled, or until you withdraw consent or ask for deletion."
    }
    Rights "rights" {
        "Bạn có quyền xem, sửa, xóa dữ liệu và rút lại đồng ý bất cứ lúc nào, dễ dàng như khi đồng ý, bằng cách liên hệ {controller}. Việc rút lại không ảnh hưởng đến việc xử lý hợp pháp trước đó.",
        "You may see, correct and delete your data and withdraw consent at any time, as easily as you gave it, by contacting {controller}. Withdrawal does not undo earlier lawful processing."
    }
    RightsWithButton "rights_with_button" {
        "Bạn có quyền xem, sửa, xóa dữ liệu và rút lại đồng ý bất cứ lúc nào, dễ dàng như khi đồng ý: bấm “{button}” trong biên nhận hoặc trong danh sách các đồng ý bạn đã gửi từ thiết bị này, hoặc liên hệ {controller}. Việc rút lại không ảnh hưởng đến việc xử lý hợp pháp trước đó.",
        "You may see, correct and delete your data and withdraw consent at any time, as easily as you gave it: press “{button}” on the receipt or in the list of consents you gave from this device, or contact {controller}. Withdrawal does not undo earlier lawful processing."
    }
    RightsWithButtonReceipt "rights_with_button_receipt" {
        "Bạn có quyền xem, sửa, xóa dữ liệu và rút lại đồng ý bất cứ lúc nào, dễ dàng như khi đồng ý: bấm “{button}” trong biên nhận, hoặc liên hệ {controller}. Việc rút lại không ảnh hưởng đến việc xử lý hợp pháp trước đó.",
        "You may see, correct and delete your data and withdraw consent at any time, as easily as you gave it: press “{button}” on the receipt, or contact {controller}. Withdrawal does not undo earlier lawful processing."
    }
    Sensitive "sensitive" { "Dữ liệu cá nhân nhạy cảm", "Sensitive personal data" }
    SensitivePoliticalOrReligiousViews "sensitive_political_or_religious_views" {
        "quan điểm chính trị, quan điểm tôn giáo", "political or religious views"
    }
    SensitiveHealth "sensitive_health" {
        "tình trạng sức khỏe và đời tư ghi trong hồ sơ bệnh án", "health and medical records"
    }
    SensitiveRacialOrEthnicOrigin "sensitive_racial_or_ethnic_origin" {
        "nguồn gốc chủng tộc, nguồn gốc dân tộc", "racial or ethnic origin"
    }
    SensitiveGenetic "sensitive_genetic" { "đặc điểm di truyền", "genetic characteristics" }
    SensitiveBiometric "sensitive_biometric" {
        "thuộc tính vật lý, đặc điểm sinh học riêng", "biometric or physical characteristics"
    }
    SensitiveSexLife "sensitive_sex_life" {
        "đời sống tình dục, xu hướng tình dục", "sex life or sexual orientation"
    }
    SensitiveCriminalRecord "sensitive_criminal_record" {
        "dữ liệu về tội phạm, hành vi phạm tội", "criminal records"
    }
    SensitiveBankCustomer "sensitive_bank_customer" {
        "thông tin khách hàng của tổ chức tín dụng, ngân hàng, trung gian thanh toán",
        "customer data of banks, credit institutions and payment services"
    }
    SensitiveLocation "sensitive_location" {
        "vị trí xác định qua dịch vụ định vị", "location found by location services"
    }
    SensitiveOther "sensitive_other" {
        "dữ liệu cá nhân nhạy cảm khác theo quy định của pháp luật",
        "other personal data the law names as sensitive"
    }
    DefaultFrequency "default_frequency" { "không quá 4 lần mỗi tháng", "at most 4 times a month" }
    ChannelEmail "channel_email" { "email", "e-mail" }
    ChannelSms "channel_sms" { "tin nhắn SMS", "SMS" }
    ChannelPhone "channel_phone" { "điện thoại", "phone" }
    ChannelZalo "channel_zalo" { "Zalo", "Zalo" }
    And "and" { "và", "and" }
    PolicyLink "policy_link" { "Chính sách bảo mật đầy đủ", "Full privacy policy" }
    NewTab "new_tab" { " (mở trong thẻ mới)", " (opens in a new tab)" }
    Submit "submit" { "Gửi yêu cầu", "Send request" }
    Sending "sending" { "Đang gửi…", "Sending…" }
    SubmitQueued "submit_queued" { "Đã lưu, sẽ tự động gửi", "Saved, will send automatically" }
    SummaryTitle "summary_title" { "Vui lòng kiểm tra lại {n} mục sau:", "Please check these {n} items:" }
    SummaryTitleOne "summary_title_one" { "Vui lòng kiểm tra lại mục sau:", "Please check this item:" }
    MinorLabel "minor_label" { "Tôi dưới 16 tuổi", "I am under 16" }
    MinorHint "minor_hint" {
        "Khi đó, cha, mẹ hoặc người giám hộ của bạn cần ghi tên, số điện thoại và tự đánh dấu đồng ý bên dưới.",
        "Then your parent or guardian gives their name and phone number below, and ticks their own agreement."
    }
    GuardianHeading "guardian_heading" { "Cha, mẹ hoặc người giám hộ", "Parent or guardian" }
    GuardianText "guardian_text" {
        "Tôi là cha, mẹ hoặc người giám hộ hợp pháp của người điền biểu mẫu này. Tôi đã đọc các thông tin ở trên và đồng ý với những lựa chọn đồng ý đã được đánh dấu.",
        "I am the parent or legal guardian of the person filling in this form. I have read the information above and agree to the consents ticked."
    }
    ErrGuardian "err_guardian" {
        "Người dưới 16 tuổi chỉ gửi được khi cha, mẹ hoặc người giám hộ đánh dấu đồng ý.",
        "Someone under 16 can send this only when their parent or guardian ticks their agreement."
    }
    ErrConsultation "err_consultation" {
        "Để gửi yêu cầu, bạn cần đồng ý cho chúng tôi liên hệ tư vấn (mục đầu tiên).",
        "To send the request, agree that we may contact you about it (the first item)."
    }
    StatusSent "status_sent" { "Đã gửi. Cảm ơn bạn, chúng tôi sẽ sớm liên hệ!", "Sent. Thank you, we will be in touch soon!" }
    StatusQueued "status_queued" {
        "Chưa gửi được ({reason}). Yêu cầu đã được lưu trên thiết bị này và sẽ tự động gửi khi có thể — bạn không cần nhập lại.",
        "Not sent yet ({reason}). Your request is saved on this device and will be sent automatically — no need to type it again."
    }
    StatusQueuedPage "status_queued_page" {
        "Chưa gửi được ({reason}). Trình duyệt này không cho lưu yêu cầu, vì vậy xin giữ trang này mở: yêu cầu sẽ tự động gửi khi có thể.",
        "Not sent yet ({reason}). This browser will not let us save it, so please keep this page open: it will be sent automatically as soon as possible."
    }
    StatusFailed "status_failed" {
        "Không gửi được: {reason}. Thông tin bạn nhập vẫn còn nguyên: hãy thử lại sau hoặc liên hệ trực tiếp với {controller}.",
        "Could not send: {reason}. What you typed is kept: try again later or contact {controller} directly."
    }
    Retry "retry" { "Thử lại", "Try again" }
    ReasonOffline "reason_offline" { "không có kết nối mạng", "no network connection" }
    ReasonServer "reason_server" { "máy chủ tạm thời không phản hồi", "the server is not answering for now" }
    ReasonRefused "reason_refused" { "máy chủ từ chối yêu cầu (mã {status})", "the server refused it (code {status})" }
    ReasonKey "reason_key" { "không lấy được khóa ký", "the signing key could not be fetched" }
    ReasonBrowser "reason_browser" { "trình duyệt không hỗ trợ", "this browser lacks a needed feature" }
    ReasonCaptcha "reason_captcha" {
        "chưa xác minh được bạn không phải là robot",
        "the check that you are not a robot did not complete"
    }
    ReceiptTitle "receipt_title" { "Biên nhận sự đồng ý", "Consent receipt" }
    ReceiptIntro "receipt_intro" {
        "Đây là những gì bạn đã chọn. Bạn có thể in hoặc tải về để lưu lại.",
        "This is what you chose. Print it or download it to keep."
    }
    ReceiptIntroUnkept "receipt_intro_unkept" {
        "Đây là những gì bạn đã chọn. Trình duyệt này không lưu biên nhận trên thiết bị: hãy in hoặc tải về để giữ lại.",
        "This is what you chose. This browser keeps no copy on this device: print it or download it to keep."
    }
    ReceiptId "receipt_id" { "Mã yêu cầu", "Submission id" }
    ReceiptTime "receipt_time" { "Thời điểm", "Time" }
    ReceiptController "receipt_controller" { "Bên kiểm soát dữ liệu", "Data controller" }
    ReceiptPolicy "receipt_policy" { "Chính sách", "Policy" }
    ReceiptConsent "receipt_consent" { "Nội dung đồng ý", "Consent" }
    ReceiptChoice "receipt_choice" { "Lựa chọn của bạn", "Your choice" }
    Agreed "agreed" { "Đồng ý", "Agreed" }
    Refused "refused" { "Không đồng ý", "Refused" }
    Print "print" { "In biên nhận", "Print receipt" }
    Download "download" { "Tải về (JSON)", "Download (JSON)" }
    Another "another" { "Gửi yêu cầu khác", "Send another request" }
    Honeypot "honeypot" { "Không điền vào ô này", "Leave this empty" }
    WithdrawButton "withdraw_button" { "Rút lại đồng ý", "Withdraw consent" }
    WithdrawConfirm "withdraw_confirm" {
        "Rút lại đồng ý: “{purpose}”? Từ bây giờ {controller} sẽ ngừng xử lý dữ liệu của bạn cho mục đích này; việc xử lý trước đó vẫn hợp pháp.",
        "Withdraw your consent: “{purpose}”? From now on {controller} stops processing your data for this purpose; what was done before stays lawful."
    }
    WithdrawYes "withdraw_yes" { "Xác nhận rút lại", "Yes, withdraw" }
    WithdrawNo "withdraw_no" { "Không, giữ nguyên", "No, keep it" }
    WithdrawSending "withdraw_sending" { "Đang gửi yêu cầu rút lại đồng ý…", "Sending your withdrawal…" }
    WithdrawDone "withdraw_done" { "Đã rút lại lúc {time}", "Withdrawn at {time}" }
    WithdrawQueued "withdraw_queued" {
        "Chưa gửi được yêu cầu rút lại ({reason}); sẽ tự động gửi lại.",
        "Your withdrawal is not sent yet ({reason}); it will be retried automatically."
    }
    WithdrawNotActive "withdraw_not_active" {
        "sự đồng ý này không còn hiệu lực, có thể đã được rút lại trước đó",
        "this consent is no longer active; it may have been withdrawn already"
    }
    WithdrawFailed "withdraw_failed" {
        "Không rút lại được: {reason}. Hãy liên hệ trực tiếp với {controller}.",
        "Could not withdraw: {reason}. Please contact {controller} directly."
    }
    HistoryTitle "history_title" {
        "Các đồng ý bạn đã gửi từ thiết bị này",
        "Consents you gave from this device"
    }
    HistoryIntro "history_intro" {
        "Bạn có thể rút lại bất kỳ đồng ý nào dưới đây, bất cứ lúc nào; việc xử lý trước khi rút lại vẫn hợp pháp. Danh sách chỉ lưu trong trình duyệt này: thời điểm gửi, mã yêu cầu và các đồng ý — không lưu thông tin bạn đã nhập.",
        "You can withdraw any consent below at any time; what was done before stays lawful. This list is kept in this browser only: when you sent the form, its id and your consents — nothing you typed."
    }
    HistorySent "history_sent" { "Gửi lúc {time}", "Sent at {time}" }
    HistoryWithdrawn "history_withdrawn" {
        "Đã rút lại lúc {time} ngày {dd}/{mm}/{yyyy}",
        "Withdrawn on {dd}/{mm}/{yyyy} at {time}"
    }
    HistoryNotActive "history_not_active" {
        "Không còn hiệu lực: nơi nhận cho biết đồng ý này đã được rút lại trước đó.",
        "No longer active: the recipient says this consent was already withdrawn."
    }
    HistoryForget "history_forget" { "Xóa danh sách này khỏi thiết bị", "Remove this list from this device" }
    HistoryForgetNote "history_forget_note" {
        "Xóa danh sách không rút lại đồng ý nào: để rút lại, hãy bấm “Rút lại đồng ý” trước.",
        "Removing the list withdraws nothing: to withdraw a consent, press its “Withdraw consent” first."
    }
    WaitingTitle "waiting_title" { "Đang chờ gửi", "Waiting to be sent" }
    WaitingIntro "waiting_intro" {
        "Đã lưu trên thiết bị này và sẽ tự động gửi khi có thể: bạn không cần điền lại.",
        "Saved on this device and sent automatically when possible: no need to fill in the form again."
    }
    WaitingSince "waiting_since" { "Đang chờ gửi từ {time}", "Waiting since {time}" }
    WaitingReason "waiting_reason" { "Chưa gửi được: {reason}.", "Not sent yet: {reason}." }
    WaitingSend "waiting_send" { "Gửi ngay", "Send now" }
    WaitingSent "waiting_sent" {
        "Đã gửi yêu cầu lưu lúc {time}.",
        "Your request saved at {time} has been sent."
    }
    WaitingRefused "waiting_refused" {
        "Không gửi được yêu cầu lưu lúc {time}: {reason}. Yêu cầu vẫn được giữ bên dưới để bạn sửa và gửi lại, hoặc hãy liên hệ {controller}.",
        "Your request saved at {time} could not be sent: {reason}. It is kept below for you to correct and send again, or contact {controller}."
    }
    WaitingPassed "waiting_passed" { "Thời gian gọi lại bạn chọn đã qua.", "The time you chose for the call has passed." }
    WaitingNewTime "waiting_new_time" { "Chọn lại thời gian", "Choose another time" }
    KindContact "kind_contact" { "Yêu cầu tư vấn", "Consultation request" }
    KindCallback "kind_callback" { "Yêu cầu gọi lại", "Callback request" }
    UnsentTitle "unsent_title" { "Chưa gửi được", "Not sent" }
    UnsentIntro "unsent_intro" {
        "Những yêu cầu này sẽ không tự động gửi. Thông tin bạn đã nhập được giữ trên thiết bị này 30 ngày: hãy đưa lại vào biểu mẫu để sửa và gửi lại, hoặc xóa đi.",
        "These will not be sent automatically. What you typed is kept on this device for 30 days: put it back into the form to correct it and send it again, or delete it."
    }
    UnsentSince "unsent_since" { "Điền lúc {time}", "Filled in at {time}" }
    UnsentReason "unsent_reason" { "Không gửi được: {reason}.", "Not sent: {reason}." }
    UnsentPutBack "unsent_put_back" { "Đưa lại vào biểu mẫu", "Put back into the form" }
    UnsentDelete "unsent_delete" { "Xóa", "Delete" }
    UnsentPutBackDone "unsent_put_back_done" {
        "Yêu cầu điền lúc {time} đã được đưa lại vào biểu mẫu: hãy kiểm tra, đánh dấu lại các đồng ý rồi gửi.",
        "Your request filled in at {time} is back in the form: check it, tick your consents again and send it."
    }
    UnsentDeleted "unsent_deleted" {
        "Đã xóa yêu cầu điền lúc {time} khỏi thiết bị này.",
        "Your request filled in at {time} was deleted from this device."
    }
    UnsentReopened "unsent_reopened" {
        "Yêu cầu điền lúc {time} đang được mở lại ở một thẻ khác: bạn có thể sửa và gửi lại ở đó.",
        "Your request filled in at {time} is open again in another tab: you can correct it and send it again there."
    }
    UnsentReplaceAsk "unsent_replace_ask" {
        "Biểu mẫu đang có thông tin bạn đã nhập. Thay bằng yêu cầu này?",
        "The form holds what you have typed. Replace it with this request?"
    }
    UnsentReplace "unsent_replace" { "Thay thông tin đã nhập", "Replace what I typed" }
    UnsentKeep "unsent_keep" { "Giữ thông tin đã nhập", "Keep what I typed" }
    UnsentOtherForm "unsent_other_form" {
        "Bạn có thể đưa yêu cầu này lại vào biểu mẫu “{form}” để sửa và gửi lại.",
        "It can be put back into the “{form}” form to correct it and send it again."
    }
    UnsentGoTo "unsent_go_to" { "Đi tới biểu mẫu “{form}”", "Go to the “{form}” form" }
}

/// Texts joined into one string, each ended by a NUL, with where each ends.
struct Packed {
    all: &'static str,
    ends: [u16; Key::ALL.len()],
}

impl Packed {
    /// Finds the ends at compile time; fails the build unless there is one text per key
    /// and all of them fit in 64 KiB.
    const fn new(all: &'static str) -> Packed {
        let bytes = all.as_bytes();
        assert!(bytes.len() <= u16::MAX as usize);
        let mut ends = [0; Key::ALL.len()];
        let (mut at, mut n) = (0, 0);
        while at < bytes.len() {
            if bytes[at] == 0 {
                assert!(n < ends.len(), "more texts than keys");
                ends[n] = at as u16;
                n += 1;
            }
            at += 1;
        }
        assert!(n == ends.len(), "fewer texts than keys");
        Packed { all, ends }
    }

    /// The text of `key`.
    fn get(&'static self, key: Key) -> &'static str {
        let i = key as usize;
        let start = match i {
            0 => 0,
            _ => usize::from(self.ends[i - 1]) + 1,
        };
        // Always a character boundary: every text ends before an ASCII NUL.
        self.all
            .get(start..usize::from(self.ends[i]))
            .unwrap_or_default()
    }
}

impl Key {
    /// The name a host uses in `texts`.
    pub fn name(self) -> &'static str {
        NAMES.get(self)
    }

    /// Finds a text by its name.
    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.iter().copied().find(|k| k.name() == name)
    }

    /// The built-in text in `locale`.
    pub fn default_text(self, locale: Locale) -> &'static str {
        match locale {
            Locale::Vi => VI.get(self),
            Locale::En => EN.get(self),
        }
    }
}

/// The texts of one form: the built-in ones in its language, with the host's overrides.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Texts {
    locale: Locale,
    overrides: ByName<String>,
}

impl Texts {
    /// Texts in `locale` with the host's `overrides` (keyed by [`Key::name`]).
    pub fn new(locale: Locale, overrides: ByName<String>) -> Texts {
        Texts { locale, overrides }
    }

    /// The language.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// A text that holds no placeholders (see [`placeholders`]), as overridden or
    /// built in; one that does is shown through [`Texts::fill`].
    pub fn get(&self, key: Key) -> &str {
        debug_assert!(
            placeholders(key.name()).is_empty(),
            "`{}` is filled with {:?}: show it with Texts::fill",
            key.name(),
            placeholders(key.name())
        );
        self.text(key)
    }

    fn text(&self, key: Key) -> &str {
        self.overrides
            .get(key.name())
            .map(String::as_str)
            .unwrap_or_else(|| key.default_text(self.locale))
    }

    /// A text with its `{placeholders}` filled in from `values`: exactly the
    /// placeholders [`placeholders`] lists for it (checked in debug builds, so that the
    /// list the configuration is checked against stays the one the form fills). Where
    /// the text counts something in `{n}` and the count is 1, its singular form
    /// (`…_one`) is used: the host's if given, else the built-in one — unless the host
    /// reworded only the usual form, whose wording then wins.
    pub fn fill(&self, key: Key, values: &[(&str, &str)]) -> String {
        debug_assert_fills(key.name(), values.iter().map(|(name, _)| *name));
        let one = values
            .iter()
            .any(|&(name, value)| name == "n" && value == "1");
        let key = match ONE_FORMS.iter().find(|(usual, _)| *usual == key) {
            Some(&(usual, singular))
                if one
                    && (self.named(singular.name()).is_some()
                        || self.named(usual.name()).is_none()) =>
            {
                singular
            }
            _ => key,
        };
        fill(self.text(key), values)
    }

    /// The host's text named `name`, if it gave one: for the texts whose built-in
    /// wording lives with the logic that words them (see [`crate::wording`]).
    pub fn named(&self, name: &str) -> Option<&str> {
        self.overrides.get(name).map(String::as_str)
    }
}

/// The texts that count something in `{n}`, with their singular form for a count of 1
/// ("1 character left.").
const ONE_FORMS: [(Key, Key); 3] = [
    (Key::SummaryTitle, Key::SummaryTitleOne),
    (Key::CharsLeft, Key::CharsLeftOne),
    (Key::ErrTooLong, Key::ErrTooLongOne),
];

/// The texts the entry module (src/js/consent-form.js) words itself, in place of the
/// form when the WebAssembly module cannot load: the wasm never shows them, but a host
/// may give them in `texts` with the others.
pub const ENTRY_TEXT_NAMES: &[&str] = &["load_failed", "load_retry"];

/// Whether a host may give a text named `name`: one of [`Key`]'s, one of those the
/// logic modules word themselves ([`crate::wording::TEXT_NAMES`]), or one of the entry
/// module's ([`ENTRY_TEXT_NAMES`]).
pub fn is_text_name(name: &str) -> bool {
    Key::from_name(name).is_some()
        || crate::wording::TEXT_NAMES
            .iter()
            .chain([&ENTRY_TEXT_NAMES])
            .any(|names| names.contains(&name))
}

/// The placeholders of the texts that the form shows through [`notices`]: every
/// consent sentence and notice text is filled with the same three.
///
/// [`notices`]: crate::notices
const NOTICE: &[&str] = &["controller", "channels", "frequency"];
/// Those of a day's label (`day_format`); `receipt_time_format` has these too.
const DAY: &[&str] = &["weekday", "month", "d", "dd", "m", "mm", "yyyy"];

/// Which texts are filled with which placeholders: the one list, for [`Key`]'s texts
/// and for those [`crate::wording`] words. A text not listed takes none. The
/// configuration refuses a placeholder its text is not filled with; [`Texts::fill`]
/// and the wording's fills check in debug builds that they fill exactly these, and
/// the phone and e-mail tests that each error's placeholders are these.
const FILLED: &[(&[&str], &[&str])] = &[
    (
        &[
            "consultation_text",
            "age_statement",
            "marketing_text",
            "call_recording_text",
            "consultation_purpose",
            "marketing_purpose",
            "call_recording_purpose",
            "consultation_method",
            "marketing_method",
            "call_recording_method",
            "custom_method",
            "custom_consequence",
            "consultation_consequence",
            "marketing_consequence",
            "call_recording_consequence",
            "call_recording_data",
        ],
        NOTICE,
    ),
    (&["consultation_data", "marketing_data"], &["fields"]),
    (&["rights", "guardian_text", "no_days"], &["controller"]),
    (
        &["rights_with_button", "rights_with_button_receipt"],
        &["controller", "button"],
    ),
    (&["err_required", "err_choose"], &["label"]),
    (&["err_too_long", "err_too_long_one"], &["n", "len"]),
    (
        &[
            "chars_left",
            "chars_left_one",
            "summary_title",
            "summary_title_one",
        ],
        &["n"],
    ),
    (
        &["err_day", "use_correction", "email_suggestion", "phone_ok"],
        &["value"],
    ),
    (&["phone_old_landline"], &["value", "landline"]),
    (
        &[
            "status_queued",
            "status_queued_page",
            "withdraw_queued",
            "waiting_reason",
            "unsent_reason",
        ],
        &["reason"],
    ),
    (
        &["status_failed", "withdraw_failed"],
        &["reason", "controller"],
    ),
    (&["reason_refused"], &["status"]),
    (&["withdraw_confirm"], &["purpose", "controller"]),
    (
        &[
            "withdraw_done",
            "history_sent",
            "waiting_since",
            "waiting_sent",
            "unsent_since",
            "unsent_put_back_done",
            "unsent_deleted",
            "unsent_reopened",
        ],
        &["time"],
    ),
    (&["waiting_refused"], &["time", "reason", "controller"]),
    (&["unsent_other_form", "unsent_go_to"], &["form"]),
    (&["history_withdrawn"], &["time", "dd", "mm", "yyyy"]),
    // Worded by the checks and the calendar (crate::wording).
    (
        &[
            "phone_plus_first",
            "phone_letter_o",
            "phone_letter",
            "phone_bad_char",
            "email_local_space",
            "email_local_accent",
            "email_local_char",
            "email_domain_space",
            "email_domain_comma",
            "email_domain_char",
        ],
        &["ch", "n"],
    ),
    (
        &[
            "phone_incomplete",
            "phone_too_short",
            "phone_too_long",
            "phone_too_short_one",
            "phone_too_long_one",
        ],
        &["count"],
    ),
    (
        &["phone_foreign", "phone_plus_zero", "phone_unknown_country"],
        &["code"],
    ),
    (&["phone_unknown_prefix"], &["prefix"]),
    (
        &["phone_obsolete_mobile", "phone_obsolete_landline"],
        &["value"],
    ),
    (&["email_label_hyphen"], &["label"]),
    (&["day_format"], DAY),
    (
        &["receipt_time_format"],
        &[
            "time", "offset", "weekday", "month", "d", "dd", "m", "mm", "yyyy",
        ],
    ),
];

/// The placeholders the text named `name` is filled with (none for a text not in
/// `FILLED`, or an unknown name).
pub fn placeholders(name: &str) -> &'static [&'static str] {
    FILLED
        .iter()
        .find(|(names, _)| names.contains(&name))
        .map_or(&[], |(_, placeholders)| placeholders)
}

/// In debug builds, that the text `name` is filled with exactly its [`placeholders`].
pub(crate) fn debug_assert_fills<'a>(name: &str, filled: impl Iterator<Item = &'a str>) {
    if cfg!(debug_assertions) {
        let mut filled: Vec<&str> = filled.collect();
        let mut listed = placeholders(name).to_vec();
        filled.sort_unstable();
        listed.sort_unstable();
        assert_eq!(
            filled, listed,
            "`{name}` is filled with other placeholders than messages::FILLED lists"
        );
    }
}

/// The texts a host may give as `""` to leave out (see docs/embedding.md): the age
/// statement, for a host that checks age in another way. Every other text must say
/// something.
pub const MAY_BE_EMPTY: &[&str] = &["age_statement"];

/// The `{name}`s in `text` (names of lower-case letters and `_`) that the text named
/// `name` is not filled with: they would show as written.
pub fn unknown_placeholders<'t>(name: &str, text: &'t str) -> Vec<&'t str> {
    let known = placeholders(name);
    text.split('{')
        .skip(1)
        .filter_map(|after| after.split_once('}'))
        .map(|(name, _)| name)
        .filter(|name| {
            !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                && !known.contains(name)
        })
        .collect()
}

/// Replaces each `{name}` in `template` with its value; unknown names stay as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Joins items as a person writes a list: "a, b và c" / "a, b and c".
pub fn join_list(texts: &Texts, items: &[Cow<'_, str>]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => {
            let head: Vec<&str> = init.iter().map(|s| s.as_ref()).collect();
            format!("{} {} {}", head.join(", "), texts.get(Key::And), last)
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found() {
        for (i, key) in Key::ALL.iter().enumerate() {
            assert_eq!(Key::from_name(key.name()), Some(*key));
            assert!(
                Key::ALL[..i].iter().all(|k| k.name() != key.name()),
                "{} twice",
                key.name()
            );
        }
        assert_eq!(Key::from_name("nope"), None);
    }

    #[test]
    fn both_languages_have_every_text_with_the_same_placeholders() {
        let placeholders = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}'))
                .map(|(n, _)| n.to_owned())
                .collect();
            v.sort();
            v
        };
        for key in Key::ALL {
            let (vi, en) = (key.default_text(Locale::Vi), key.default_text(Locale::En));
            assert!(
                !vi.trim().is_empty() && !en.trim().is_empty(),
                "{}",
                key.name()
            );
            assert_eq!(placeholders(vi), placeholders(en), "{}", key.name());
        }
    }

    #[test]
    fn every_default_placeholder_is_one_its_text_is_filled_with_and_typos_are_found() {
        for key in Key::ALL {
            for locale in [Locale::Vi, Locale::En] {
                let text = key.default_text(locale);
                assert_eq!(
                    unknown_placeholders(key.name(), text),
                    Vec::<&str>::new(),
                    "{}",
                    key.name()
                );
            }
        }
        assert_eq!(
            unknown_placeholders("submit", "Gửi cho {controler} {n} {Tên} {}"),
            ["controler", "n"]
        );
        assert_eq!(
            unknown_placeholders("status_failed", "{reason}, {controller}, {status}"),
            ["status"]
        );
        assert_eq!(
            unknown_placeholders("no_such_text", "{controller}"),
            ["controller"]
        );
    }

    #[test]
    fn the_placeholder_list_names_each_text_once_and_only_texts() {
        let mut seen = Vec::new();
        for (names, placeholders) in FILLED {
            assert!(!placeholders.is_empty());
            for name in *names {
                assert!(is_text_name(name), "{name} is not a text");
                assert!(!seen.contains(name), "{name} listed twice");
                seen.push(name);
            }
        }
        // A text's singular form is filled as its usual form is.
        for (usual, one) in ONE_FORMS {
            assert_eq!(placeholders(usual.name()), placeholders(one.name()));
        }
    }

    /// The placeholders docs/embedding.md gives for each text are those it is filled
    /// with: its table "Placeholders", and the texts of the checks and dates.
    #[test]
    fn the_documented_placeholders_are_the_ones_filled() {
        let docs = include_str!("../docs/embedding.md");
        let rows = |heading: &str| -> Vec<(Vec<String>, Vec<String>)> {
            let section = docs
                .split_once(heading)
                .unwrap_or_else(|| panic!("docs/embedding.md has {heading}"))
                .1;
            let section = section.split("\n#").next().unwrap_or_default();
            section
                .lines()
                .filter(|l| l.starts_with("| `"))
                .map(|row| {
                    let cells: Vec<&str> = row.split(" | ").collect();
                    let ticked = |cell: &str| -> Vec<String> {
                        cell.split('`')
                            .skip(1)
                            .step_by(2)
                            .map(str::to_owned)
                            .collect()
                    };
                    let names = ticked(cells[0].trim_start_matches("| "))
                        .into_iter()
                        .filter(|n| is_text_name(n))
                        .collect();
                    let last = cells.last().copied().unwrap_or_default();
                    let placeholders = ticked(last)
                        .into_iter()
                        .filter_map(|p| Some(p.strip_prefix('{')?.strip_suffix('}')?.to_owned()))
                        .collect();
                    (names, placeholders)
                })
                .collect()
        };
        let mut documented = Vec::new();
        for heading in ["### Placeholders", "### Texts of the checks and dates"] {
            for (names, mut listed) in rows(heading) {
                listed.sort_unstable();
                for name in names {
                    let mut filled = placeholders(&name).to_vec();
                    filled.sort_unstable();
                    assert_eq!(listed, filled, "docs/embedding.md on `{name}`");
                    documented.push(name);
                }
            }
        }
        for (names, _) in FILLED {
            for name in *names {
                assert!(
                    documented.iter().any(|d| d == name),
                    "docs/embedding.md gives no placeholders for `{name}`"
                );
            }
        }
    }
    /// The single-quoted strings in `text` from `from` to the next `until`: a list in a
    /// shipped JavaScript or TypeScript file.
    pub(crate) fn quoted_items<'a>(text: &'a str, from: &str, until: &str) -> Vec<&'a str> {
        let start = text
            .find(from)
            .unwrap_or_else(|| panic!("{from} not found"));
        let end = start + text[start..].find(until).expect("the list ends");
        text[start..end].split('\'').skip(1).step_by(2).collect()
    }

    #[test]
    fn the_typescript_text_names_are_the_texts() {
        // `TextName` in the shipped .d.ts lists exactly the names `texts` accepts.
        let dts = include_str!("js/consent-form.d.ts");
        let mut declared = quoted_items(dts, "export type TextName =", ";");
        let mut names: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
        names.extend(crate::wording::TEXT_NAMES.iter().copied().flatten());
        names.extend(ENTRY_TEXT_NAMES);
        declared.sort_unstable();
        names.sort_unstable();
        assert_eq!(declared, names);
    }

    #[test]
    fn overrides_and_placeholders() {
        let texts = Texts::new(
            Locale::En,
            [("retry".to_owned(), "Again, {controller}".to_owned())].into(),
        );
        assert_eq!(texts.fill(Key::Retry, &[]), "Again, {controller}");
        assert_eq!(
            texts.fill(Key::Rights, &[("controller", "ACME")]),
            Key::Rights
                .default_text(Locale::En)
                .replace("{controller}", "ACME")
        );
        assert_eq!(texts.get(Key::Print), "Print receipt");
        assert_eq!(fill("a {x} {y} {", &[("x", "1")]), "a 1 {y} {");
    }

    #[test]
    fn a_count_of_one_takes_the_singular_form() {
        let en = Texts::new(Locale::En, ByName::default());
        assert_eq!(
            en.fill(Key::SummaryTitle, &[("n", "1")]),
            "Please check this item:"
        );
        assert_eq!(
            en.fill(Key::SummaryTitle, &[("n", "2")]),
            "Please check these 2 items:"
        );
        assert_eq!(en.fill(Key::CharsLeft, &[("n", "1")]), "1 character left.");
        assert_eq!(
            en.fill(Key::CharsLeft, &[("n", "11")]),
            "11 characters left."
        );
        let host = |pairs: &[(&str, &str)]| {
            let overrides: ByName<String> = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            Texts::new(Locale::En, overrides)
        };
        // The host's singular form; their usual form alone wins over the built-in one.
        let both = host(&[("chars_left", "{n} to go"), ("chars_left_one", "one to go")]);
        assert_eq!(both.fill(Key::CharsLeft, &[("n", "1")]), "one to go");
        assert_eq!(both.fill(Key::CharsLeft, &[("n", "3")]), "3 to go");
        let usual = host(&[("chars_left", "{n} to go")]);
        assert_eq!(usual.fill(Key::CharsLeft, &[("n", "1")]), "1 to go");
    }

    #[test]
    fn lists_read_naturally() {
        let vi = Texts::new(Locale::Vi, ByName::new());
        let items: Vec<Cow<str>> = vec!["email".into(), "SMS".into(), "Zalo".into()];
        assert_eq!(join_list(&vi, &items), "email, SMS và Zalo");
        assert_eq!(join_list(&vi, &items[..1]), "email");
    }
}
