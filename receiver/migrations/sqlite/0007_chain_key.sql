-- consent-form receiver, schema 7: each link may carry a MAC, `<key id>:<hex of
-- HMAC-SHA256(chain key, hash)>`, made with the receiver's chain key
-- (RECEIVER_CHAIN_KEY), which is kept apart from the database. Whoever can write to
-- the database can compute a link's hash, but not its MAC: a row added and linked
-- past the receiver then fails `receiver verify-chain`. NULL: linked while the
-- receiver had no chain key (every link before this migration).
ALTER TABLE chain ADD COLUMN mac TEXT;
