<?php
namespace ConsentForm;

// What a submission or a withdrawal must be, beyond its signature: the checks both PHP
// hosts share (www/php/api/, and the WordPress plugin, wordpress/consent-form/). Pure
// functions: each returns what is wrong, in words; none if nothing.

/** Whether $id is a message id: msg_ and 16 to 64 of A-Z a-z 0-9 _ - (safe in a file name and a URL). */
function is_message_id($id): bool
{
    return is_string($id) && preg_match('/^msg_[A-Za-z0-9_-]{16,64}$/D', $id) === 1;
}

// A Vietnamese number in E.164, as schema/payload.schema.json's $defs.phone: +84, then
// 8 to 10 digits not starting with 0 (mobiles +849…, landlines +8428…, 1800/1900
// numbers +841800…).
const PHONE_E164 = '/^\+84[1-9][0-9]{7,9}$/D';
// Each form's fields and the most characters each may have (docs/payload.md, "fields").
const FORM_FIELDS = [
    'contact' => ['company' => 200, 'name' => 200, 'industry' => 200, 'need' => 2000, 'phone' => 40, 'email' => 254],
    'callback' => ['name' => 200, 'phone' => 40, 'callback_date' => 10, 'callback_window' => 11, 'topic' => 500],
];
// A parent's or guardian's name and phone: on either form, only with `guardian`.
const GUARDIAN_FIELDS = ['guardian_name' => 200, 'guardian_phone' => 40];
// What the form requires when the page sets no `required`: if yours does, say the same here.
const REQUIRED = ['contact' => ['name', 'phone'], 'callback' => ['name', 'phone', 'callback_date', 'callback_window']];
const MAX_CONSENTS = 16;
const MAX_TEXT_CHARS = 8000;

/** The number of characters (not bytes) of a UTF-8 string. */
function chars(string $text): int
{
    return (int) preg_match_all('/./su', $text);
}

/** Whether $text has at least one character that is not a space. */
function not_blank($text): bool
{
    return is_string($text) && preg_match('/\S/u', $text) === 1;
}

/**
 * What is wrong with the fields of a $form ("contact" or "callback") sent at
 * $submittedAt: only that form's fields (and a guardian's), the required ones present,
 * none blank or too long, each in its format.
 */
function field_problems(string $form, array $fields, string $submittedAt): array
{
    $found = [];
    $known = FORM_FIELDS[$form] + GUARDIAN_FIELDS;
    foreach (REQUIRED[$form] as $name) {
        if (!array_key_exists($name, $fields)) {
            $found[] = "fields.$name is required";
        }
    }
    foreach ($fields as $name => $value) {
        $label = 'fields.' . $name;
        if (!is_string($name) || !isset($known[$name])) {
            $found[] = json_encode((string) $name, JSON_UNESCAPED_UNICODE) . " is not a field of the $form form";
        } elseif (!not_blank($value)) {
            $found[] = "$label must be text, not blank (leave an empty field out)";
        } elseif (chars($value) > $known[$name]) {
            $found[] = "$label has more than {$known[$name]} characters";
        } elseif (($name === 'phone' || $name === 'guardian_phone') && !preg_match(PHONE_E164, $value)) {
            $found[] = "$label must be a Vietnamese number in E.164";
        } elseif ($name === 'email' && !preg_match('/^[^@\s]+@[^@\s]+\.[^@\s]+$/uD', $value)) {
            $found[] = "$label must be an e-mail address";
        } elseif ($name === 'callback_date') {
            $day = preg_match('/^([0-9]{4})-([0-9]{2})-([0-9]{2})$/D', $value, $m) && checkdate((int) $m[2], (int) $m[3], (int) $m[1]);
            if (!$day) {
                $found[] = "$label must be a date YYYY-MM-DD";
            } elseif ($value < vietnam_date($submittedAt)) {
                $found[] = "$label is before the day the form was sent";
            }
        } elseif ($name === 'callback_window'
            && !(preg_match('/^((?:[01][0-9]|2[0-3]):[0-5][0-9])-((?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/D', $value, $m) && $m[1] < $m[2])) {
            $found[] = "$label must be HH:MM-HH:MM with the start before the end";
        }
    }
    return $found;
}

/** The day (YYYY-MM-DD) in Vietnam at the RFC 3339 time $at; '' if it is not one. */
function vietnam_date(string $at): string
{
    try {
        return (new \DateTimeImmutable($at))->setTimezone(new \DateTimeZone('Asia/Ho_Chi_Minh'))->format('Y-m-d');
    } catch (\Exception $e) {
        return '';
    }
}

/**
 * What is wrong with the parent's or guardian's part of a payload (a visitor under 16,
 * where the host set minors: guardian): their agreement ($guardian, the text they
 * ticked and its SHA-256) and their name and phone in $fields come together or not at
 * all.
 */
function guardian_problems(array $fields, $guardian): array
{
    $found = [];
    $name = array_key_exists('guardian_name', $fields);
    $phone = array_key_exists('guardian_phone', $fields);
    if ($guardian === null && ($name || $phone)) {
        $found[] = "fields.guardian_name and fields.guardian_phone come only with guardian, the parent's or guardian's agreement";
    }
    if ($guardian !== null) {
        $text = is_array($guardian) ? ($guardian['text'] ?? null) : null;
        if (!not_blank($text) || chars($text) > MAX_TEXT_CHARS || ($guardian['text_sha256'] ?? null) !== hash('sha256', $text)) {
            $found[] = "guardian needs its text and the text's SHA-256";
        }
    }
    if (($guardian !== null || $name || $phone) && !($name && $phone)) {
        $found[] = 'guardian comes with both fields.guardian_name and fields.guardian_phone';
    }
    return $found;
}

/**
 * What is wrong with the consents: one entry per purpose shown, each with its text and
 * the text's SHA-256; the consultation consent granted, its notice listing every field
 * sent among its data types; marketing stating its channels and frequency.
 */
function consent_problems($consents, array $fields): array
{
    if (!is_array($consents) || $consents === [] || array_keys($consents) !== range(0, count($consents) - 1)) {
        return ['consents must be a list with the consultation consent'];
    }
    if (count($consents) > MAX_CONSENTS) {
        return ['consents has more than ' . MAX_CONSENTS . ' entries'];
    }
    $found = [];
    $seen = [];
    $consultation = null;
    foreach ($consents as $i => $consent) {
        $purpose = is_array($consent) ? ($consent['purpose'] ?? null) : null;
        $text = is_array($consent) ? ($consent['text'] ?? null) : null;
        if (!is_string($purpose) || !preg_match('/^[a-z][a-z0-9_]{0,63}$/D', $purpose)) {
            $found[] = "consents[$i] needs a purpose id";
            continue;
        }
        if (isset($seen[$purpose])) {
            $found[] = "consents[$i]: the $purpose consent appears more than once";
        }
        $seen[$purpose] = true;
        if (!not_blank($text) || chars($text) > MAX_TEXT_CHARS || !is_bool($consent['granted'] ?? null)
            || ($consent['text_sha256'] ?? null) !== hash('sha256', $text)) {
            $found[] = "consents[$i] needs its text, granted and the text's SHA-256";
            continue;
        }
        $processing = $consent['record']['processing'] ?? null;
        if ($purpose === 'consultation' && $consultation === null) {
            $consultation = $consent;
        }
        if ($purpose === 'marketing'
            && !(is_array($processing['marketing']['channels'] ?? null) && $processing['marketing']['channels'] !== []
                && not_blank($processing['marketing']['frequency'] ?? null))) {
            $found[] = 'the marketing consent must state its channels and frequency';
        }
    }
    if ($consultation === null || $consultation['granted'] !== true) {
        $found[] = 'the consultation consent must be granted';
    } else {
        $types = $consultation['record']['processing']['data_types'] ?? null;
        foreach (array_keys($fields) as $name) {
            if (!is_array($types) || !in_array((string) $name, $types, true)) {
                $found[] = "fields.$name is not among the data types of the consultation notice";
            }
        }
    }
    return $found;
}

/**
 * What is wrong with a verified payload, in words; none if nothing. The essentials of
 * Payload::validate (docs/payload.md, "What a valid payload is"); not the consent
 * records' agreement with their entries, nor the phone numbering plan: validate against
 * schema/payload.schema.json for the shapes too.
 */
function payload_problems(array $payload): array
{
    $found = [];
    if (!is_message_id($payload['id'] ?? null)) {
        $found[] = 'id must be msg_ and 16 to 64 of A-Z a-z 0-9 _ -';
    }
    $form = $payload['form'] ?? null;
    if (!in_array($form, ['contact', 'callback'], true)) {
        $found[] = 'form must be "contact" or "callback"';
    }
    $submittedAt = $payload['submitted_at'] ?? null;
    if (!is_string($submittedAt) || vietnam_date($submittedAt) === ''
        || !preg_match('/^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$/D', $submittedAt)) {
        $found[] = 'submitted_at must be an RFC 3339 time';
        $submittedAt = '';
    }
    if (!in_array($payload['locale'] ?? null, ['vi', 'en'], true)) {
        $found[] = 'locale must be "vi" or "en"';
    }
    $fields = $payload['fields'] ?? null;
    if (!is_array($fields)) {
        $found[] = 'fields must be an object';
        $fields = [];
    } elseif (is_string($form) && isset(FORM_FIELDS[$form])) {
        $found = array_merge($found, field_problems($form, $fields, $submittedAt));
    }
    $found = array_merge($found, guardian_problems($fields, $payload['guardian'] ?? null));
    $found = array_merge($found, consent_problems($payload['consents'] ?? null, $fields));
    if (array_key_exists('captcha', $payload)
        && !(is_string($payload['captcha']) && preg_match('/^[!-~]{1,8192}$/D', $payload['captcha']))) {
        $found[] = 'captcha must be 1 to 8192 printable ASCII characters';
    }
    return $found;
}

/** What is wrong with a verified withdrawal, in words; none if nothing. */
function withdrawal_problems(array $withdrawal): array
{
    $found = [];
    foreach (['id', 'withdraws'] as $key) {
        if (!is_message_id($withdrawal[$key] ?? null)) {
            $found[] = "$key must be msg_ and 16 to 64 of A-Z a-z 0-9 _ -";
        }
    }
    if (($withdrawal['withdraws'] ?? null) === ($withdrawal['id'] ?? null)) {
        $found[] = 'withdraws must name the submission, not this message';
    }
    if (!preg_match('/^[a-z][a-z0-9_]{0,63}$/D', (string) ($withdrawal['purpose'] ?? ''))) {
        $found[] = 'purpose must be a purpose id';
    }
    $text = $withdrawal['text'] ?? null;
    if (!is_string($text) || trim($text) === '' || ($withdrawal['text_sha256'] ?? null) !== hash('sha256', $text)) {
        $found[] = 'text must be the question confirmed, with its SHA-256';
    }
    return $found;
}
