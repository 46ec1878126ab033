-- consent-form receiver, PostgreSQL schema 2 (as SQLite's): the captcha check's
-- outcome, when the receiver verifies captchas (CAPTCHA_SECRET). JSON: {"outcome":
-- "passed" | "expired", "error-codes": [...], "hostname": "..."}; NULL when no check
-- was made.
ALTER TABLE submissions ADD COLUMN captcha TEXT;
