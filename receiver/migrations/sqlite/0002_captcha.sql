-- consent-form receiver, SQLite schema 2: the captcha check's outcome, when the
-- receiver verifies captchas (CAPTCHA_SECRET). JSON: {"outcome": "passed" | "expired",
-- "error-codes": [...], "hostname": "..."}; NULL when no check was made.
ALTER TABLE submissions ADD COLUMN captcha TEXT;
