//! Tamper evidence across records: a hash chain over every submission and event the
//! receiver stores, so that an owner who copied its head somewhere they cannot change
//! (an e-mail to their lawyer, a public timestamp) can show later that no record
//! chained before it was inserted, removed or changed.
//!
//! Each row gets a link in the append-only `chain` table (schema 6), in the order the
//! receiver links them: `hash = SHA-256(previous hash ‖ digest)` as lower-case hex
//! text (the first link's previous hash is empty), where `digest` is the SHA-256 of
//! the row's canonical JSON ([`submission_digest`], [`event_digest`]). A submission's
//! digest holds its `body_sha256`, not its body, and an event's the SHA-256 of its
//! detail as it was when linked (kept in the link), so an erasure on request — which
//! empties a body and redacts details — leaves the chain whole.
//!
//! Each row is linked in the transaction that stores it (migration 6 linked the rows
//! stored before it), so a row without a link was written past the receiver.
//! `receiver verify-chain` recomputes the chain from the database, names the first link
//! that does not match, and reports rows without a link and erasures without their
//! `erased` event (or the reverse).
//!
//! Anyone who can write to the database can compute links too. With a chain key
//! (`RECEIVER_CHAIN_KEY`, kept apart from the database) each link also gets a MAC,
//! `HMAC-SHA256(key, hash)` (schema 7, [`ChainKeys`]): a row added and linked past the
//! receiver, by someone without the key, then fails verification.

use consent_form::signing::{push_hex, sha256_hex};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::store::{EventRow, SubmissionRow};

/// A submission's link, as `row_kind`.
pub const SUBMISSION: &str = "submission";
/// An event's link, as `row_kind`.
pub const EVENT: &str = "event";

/// The digest of a submission: SHA-256 of `["submission", seq, id, received_at, form,
/// submitted_at, locale, body_sha256, signature_timestamp, captcha]` as compact JSON.
/// Not the body (erased on request) nor `erased_at` and `proof` (set by an erasure).
pub fn submission_digest(row: &SubmissionRow) -> String {
    let canonical = serde_json::json!([
        SUBMISSION,
        row.seq,
        row.id,
        row.received_at,
        row.form,
        row.submitted_at,
        row.locale,
        row.body_sha256,
        row.signature_timestamp,
        row.captcha,
    ]);
    sha256_hex(&canonical.to_string())
}

/// The digest of an event whose detail had SHA-256 `detail_sha256` when linked:
/// SHA-256 of `["event", seq, submission_id, kind, purpose, at, recorded_at, actor,
/// detail_sha256]` as compact JSON.
pub fn event_digest(row: &EventRow, detail_sha256: &str) -> String {
    let e = &row.event;
    let canonical = serde_json::json!([
        EVENT,
        row.seq,
        e.submission_id,
        e.kind,
        e.purpose,
        e.at,
        e.recorded_at,
        e.actor,
        detail_sha256,
    ]);
    sha256_hex(&canonical.to_string())
}

/// The hash of a link: SHA-256 of the previous link's hash (hex; empty for the first)
/// followed by the digest (hex), as text.
pub fn next_hash(previous: &str, digest: &str) -> String {
    sha256_hex(&format!("{previous}{digest}"))
}

/// A link of the chain, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Its place in the chain (ascending; not always consecutive on PostgreSQL).
    pub seq: i64,
    /// [`SUBMISSION`] or [`EVENT`].
    pub row_kind: String,
    /// The row's `seq` in its table.
    pub row_seq: i64,
    /// An event's detail's SHA-256 when it was linked; `None` for a submission.
    pub detail_sha256: Option<String>,
    /// The row's digest.
    pub digest: String,
    /// The chain's hash up to this link.
    pub hash: String,
    /// `<key id>:<HMAC-SHA256(key, hash) as hex>` when the receiver had a chain key.
    pub mac: Option<String>,
}

/// The link for `row` after the link whose hash is `previous` ("" for the first).
pub fn submission_link(row: &SubmissionRow, previous: &str) -> Link {
    let digest = submission_digest(row);
    Link {
        seq: 0,
        row_kind: SUBMISSION.to_owned(),
        row_seq: row.seq,
        detail_sha256: None,
        hash: next_hash(previous, &digest),
        digest,
        mac: None,
    }
}

/// The link for `row` after the link whose hash is `previous` ("" for the first).
pub fn event_link(row: &EventRow, previous: &str) -> Link {
    let detail_sha256 = sha256_hex(&row.event.detail);
    let digest = event_digest(row, &detail_sha256);
    Link {
        seq: 0,
        row_kind: EVENT.to_owned(),
        row_seq: row.seq,
        detail_sha256: Some(detail_sha256),
        hash: next_hash(previous, &digest),
        digest,
        mac: None,
    }
}

/// A row just stored, read back to be linked.
pub enum Stored {
    /// A submission.
    Submission(SubmissionRow),
    /// An event.
    Event(EventRow),
}

impl Stored {
    /// Its link after the link whose hash is `previous` ("" for the first).
    pub fn link(&self, previous: &str) -> Link {
        match self {
            Stored::Submission(row) => submission_link(row, previous),
            Stored::Event(row) => event_link(row, previous),
        }
    }
}

/// The keys the links' MACs are made with: `RECEIVER_CHAIN_KEY`, one or more
/// `whsec_…` of at least 32 bytes separated by spaces or commas. The first keys new
/// links; each is tried when verifying, so a replaced key stays listed after the new
/// one. `Debug` shows only the keys' ids.
#[derive(Clone)]
pub struct ChainKeys(Vec<ChainKey>);

#[derive(Clone)]
struct ChainKey {
    bytes: Vec<u8>,
    /// The first 8 hex digits of `HMAC-SHA256(key, "consent-form chain key id")`:
    /// names the key in each MAC without revealing it.
    id: String,
}

fn hmac_hex(key: &[u8], text: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(m) => m,
        // HMAC takes a key of any length; never reached.
        Err(_) => return String::new(),
    };
    mac.update(text);
    let mut out = String::with_capacity(64);
    push_hex(&mut out, &mac.finalize().into_bytes());
    out
}

/// What a link's MAC says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MacCheck {
    /// Made with one of the keys over this hash.
    Valid,
    /// Made with a key of this id, which is not among the keys given.
    UnknownKey(String),
    /// Not a MAC of this hash under the key it names.
    Wrong,
}

impl ChainKeys {
    /// Reads the keys; the error never contains them.
    pub fn parse(text: &str) -> Result<ChainKeys, String> {
        let mut keys = Vec::new();
        for (n, part) in text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .enumerate()
        {
            let bytes = crate::keys::KeySecret::parse(part)
                .map_err(|why| format!("key {}: {why}", n + 1))?
                .into_bytes();
            let id = hmac_hex(&bytes, b"consent-form chain key id")[..8].to_owned();
            keys.push(ChainKey { bytes, id });
        }
        if keys.is_empty() {
            return Err("no key given (whsec_ and 32 random bytes in base64: echo whsec_$(openssl rand -base64 32))".into());
        }
        Ok(ChainKeys(keys))
    }

    /// The id of the key new links are keyed with.
    pub fn id(&self) -> &str {
        &self.0[0].id
    }

    /// The MAC of a link whose hash is `hash`, with the first key: `<id>:<hex>`.
    pub fn mac(&self, hash: &str) -> String {
        let key = &self.0[0];
        format!("{}:{}", key.id, hmac_hex(&key.bytes, hash.as_bytes()))
    }

    /// Checks `mac` against the link hash `hash`. (Verification runs offline on a copy
    /// of the database, so the comparison need not be constant-time.)
    pub fn check(&self, hash: &str, mac: &str) -> MacCheck {
        let (id, hex) = mac.split_once(':').unwrap_or(("", mac));
        match self.0.iter().find(|k| k.id == id) {
            None => MacCheck::UnknownKey(id.to_owned()),
            Some(key) if hmac_hex(&key.bytes, hash.as_bytes()) == hex => MacCheck::Valid,
            Some(_) => MacCheck::Wrong,
        }
    }
}

impl std::fmt::Debug for ChainKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.0.iter().map(|k| k.id.as_str()).collect();
        write!(f, "ChainKeys({})", ids.join(", "))
    }
}

/// The last link, as `GET /owner/chain` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Head {
    /// How many links (= rows chained).
    pub count: i64,
    /// The hash of the last link; empty when nothing is chained.
    pub hash: String,
    /// The last link's place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last: Option<LastLink>,
}

/// What the last link chains.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LastLink {
    /// The link's `seq`.
    pub seq: i64,
    /// `submission` or `event`.
    pub row_kind: String,
    /// The row's `seq` in its table.
    pub row_seq: i64,
}

/// A row a link names, as read back.
pub enum Chained<'a> {
    /// A submission.
    Submission(&'a SubmissionRow),
    /// An event, and whether its submission was erased.
    Event(&'a EventRow, bool),
}

/// Recomputes the chain link by link.
#[derive(Debug, Default)]
pub struct Verifier {
    previous: String,
    /// Links checked so far.
    pub count: i64,
    /// The last link checked.
    pub last: Option<LastLink>,
    /// Each verified link's hash and its place (1 for the first).
    pub hashes_seen: std::collections::HashMap<String, i64>,
    /// What the links' MACs showed.
    pub keying: Keying,
    keys: Option<ChainKeys>,
}

/// What the links' MACs showed.
#[derive(Debug, Default)]
pub struct Keying {
    /// Links without a MAC before the first with one (linked before the chain key was
    /// set).
    pub unkeyed_before: i64,
    /// Links with a MAC (checked when the keys were given).
    pub keyed: i64,
    /// Whether the MACs were checked (keys given).
    pub checked: bool,
    /// The ids of the keys the MACs name, in the order first seen.
    pub key_ids: Vec<String>,
    /// The first link whose MAC is wrong, names an unknown key, or is missing after a
    /// link that had one.
    pub problem: Option<String>,
}

impl Verifier {
    /// A verifier that checks the links' MACs with `keys` (none: it reports them
    /// unchecked).
    pub fn with_keys(keys: Option<ChainKeys>) -> Verifier {
        Verifier {
            keying: Keying {
                checked: keys.is_some(),
                ..Keying::default()
            },
            keys,
            ..Verifier::default()
        }
    }

    /// Notes what `link`'s MAC shows (its hash already verified).
    fn check_mac(&mut self, link: &Link, at: &str) {
        let k = &mut self.keying;
        let Some(mac) = &link.mac else {
            if k.keyed == 0 {
                k.unkeyed_before += 1;
            } else if k.problem.is_none() {
                k.problem = Some(format!(
                    "{at} has no MAC, though the links before it have: written past the \
                     receiver, or the receiver ran without RECEIVER_CHAIN_KEY"
                ));
            }
            return;
        };
        k.keyed += 1;
        let id = mac.split_once(':').map_or("", |(id, _)| id);
        if !k.key_ids.iter().any(|seen| seen == id) {
            k.key_ids.push(id.to_owned());
        }
        let Some(keys) = &self.keys else { return };
        let problem = match keys.check(&link.hash, mac) {
            MacCheck::Valid => return,
            MacCheck::UnknownKey(id) => format!(
                "{at} is keyed with key {id}, which is not among RECEIVER_CHAIN_KEY's \
                 (list a replaced key after the new one)"
            ),
            MacCheck::Wrong => format!(
                "{at}: its MAC does not match: linked past the receiver by someone without \
                 the chain key"
            ),
        };
        k.problem.get_or_insert(problem);
    }

    /// The hash the links checked so far add up to.
    pub fn hash(&self) -> &str {
        &self.previous
    }

    /// Checks `link` against the row it names (`None`: no such row) and the links
    /// before it; `Err` says what does not match.
    pub fn check(&mut self, link: &Link, row: Option<Chained<'_>>) -> Result<(), String> {
        let at = format!("link {} ({} seq {})", link.seq, link.row_kind, link.row_seq);
        let digest = match row {
            None => return Err(format!("{at}: the row is gone (deleted)")),
            Some(Chained::Submission(row)) if link.row_kind == SUBMISSION => {
                if row.erased_at.is_some() && !row.body.is_empty() {
                    return Err(format!(
                        "{at}: submission {} is marked erased but has a body (changed)",
                        row.id
                    ));
                }
                if row.erased_at.is_none() && sha256_hex(&row.body) != row.body_sha256 {
                    return Err(format!(
                        "{at}: submission {}'s body does not match its body_sha256 (changed)",
                        row.id
                    ));
                }
                submission_digest(row)
            }
            Some(Chained::Event(row, erased)) if link.row_kind == EVENT => {
                let now = sha256_hex(&row.event.detail);
                let kept = link.detail_sha256.as_deref().unwrap_or_default();
                // Redacted by an erasure after it was linked: the detail linked is kept.
                let redacted = erased
                    && serde_json::from_str::<serde_json::Value>(&row.event.detail)
                        .is_ok_and(|d| d["redacted"] == serde_json::Value::Bool(true));
                if now != kept && !redacted {
                    return Err(format!(
                        "{at}: the event's detail changed since it was linked (of submission {})",
                        row.event.submission_id
                    ));
                }
                event_digest(row, kept)
            }
            Some(_) => return Err(format!("{at}: unknown row kind")),
        };
        if digest != link.digest {
            return Err(format!("{at}: the row changed since it was linked"));
        }
        if next_hash(&self.previous, &link.digest) != link.hash {
            return Err(format!(
                "{at}: its hash does not follow from the link before (a link inserted, \
                 removed or rewritten)"
            ));
        }
        self.check_mac(link, &at);
        self.previous = link.hash.clone();
        self.count += 1;
        self.hashes_seen.insert(link.hash.clone(), self.count);
        self.last = Some(LastLink {
            seq: link.seq,
            row_kind: link.row_kind.clone(),
            row_seq: link.row_seq,
        });
        Ok(())
    }
}

/// The submissions (up to [`ERASURE_MISMATCH_LIMIT`]) whose erasure mark and `erased`
/// event disagree, as `id, erased_at, at of the erased event`: marked erased with no
/// such event (emptied outside the receiver), or with the event and not marked (the
/// data put back, say from a backup taken before the erasure). Both backends run it.
pub const ERASURE_MISMATCHES: &str = "SELECT s.id, s.erased_at,
       (SELECT MIN(e.at) FROM events e WHERE e.submission_id = s.id AND e.kind = 'erased')
     FROM submissions s
     WHERE (s.erased_at IS NULL) = EXISTS
       (SELECT 1 FROM events e WHERE e.submission_id = s.id AND e.kind = 'erased')
     ORDER BY s.seq LIMIT 20";

/// How many erasure mismatches [`ERASURE_MISMATCHES`] names at most.
pub const ERASURE_MISMATCH_LIMIT: usize = 20;

/// A submission whose erasure mark and `erased` event disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureMismatch {
    /// The submission's id.
    pub id: String,
    /// Its `erased_at`.
    pub erased_at: Option<String>,
    /// When its `erased` event says it was erased.
    pub event_at: Option<String>,
}

impl ErasureMismatch {
    /// What is wrong, in a line.
    pub fn describe(&self) -> String {
        match (&self.erased_at, &self.event_at) {
            (Some(at), None) => format!(
                "submission {} is marked erased at {at} but has no `erased` event: it was \
                 emptied outside the receiver",
                self.id
            ),
            (None, Some(at)) => format!(
                "submission {} has an `erased` event at {at} but its data is there: put \
                 back after the erasure (a backup restored?); a new erasure request erases it \
                 again",
                self.id
            ),
            _ => format!("submission {}: erasure mark and event disagree", self.id),
        }
    }
}

impl Verifier {
    /// What verify-chain found: the links checked so far, with the first `mismatch`,
    /// the rows without a link and the erasure mismatches found beside them.
    pub fn verified(
        self,
        mismatch: Option<String>,
        unlinked: i64,
        erasures: Vec<ErasureMismatch>,
    ) -> Verified {
        Verified {
            head: Head {
                count: self.count,
                hash: self.previous,
                last: self.last,
            },
            mismatch,
            unlinked,
            erasures,
            hashes_seen: self.hashes_seen,
            keying: self.keying,
        }
    }
}

impl Keying {
    /// The report's lines on the MACs.
    fn report(&self) -> String {
        let links = |n: i64| format!("{n} link{}", if n == 1 { "" } else { "s" });
        let mut out = String::new();
        if self.keyed > 0 {
            out.push_str(&format!(
                "keyed: a MAC on {} (key {}), {}\n",
                links(self.keyed),
                self.key_ids.join(", "),
                if !self.checked {
                    "NOT CHECKED: give the chain key (RECEIVER_CHAIN_KEY) to check them"
                } else if self.problem.is_none() {
                    "each made with the chain key"
                } else {
                    "checked with the chain key"
                }
            ));
            if self.unkeyed_before > 0 {
                out.push_str(&format!(
                    "no MAC on the first {}: linked before the receiver had a chain key\n",
                    links(self.unkeyed_before)
                ));
            }
        } else if self.checked && self.unkeyed_before > 0 {
            out.push_str(&format!(
                "keyed: no MAC on any of the {}: linked while the receiver had no chain key\n",
                links(self.unkeyed_before)
            ));
        }
        if let Some(problem) = &self.problem {
            out.push_str(&format!("KEY MISMATCH: {problem}\n"));
        }
        out
    }
}

/// What `receiver verify-chain` found.
#[derive(Debug)]
pub struct Verified {
    /// The chain recomputed up to the first mismatch (all of it when there is none).
    pub head: Head,
    /// The first link that does not match, and why.
    pub mismatch: Option<String>,
    /// Rows stored but not linked (each is linked as it is stored; a row stored by
    /// hand, outside the receiver, is not).
    pub unlinked: i64,
    /// Submissions whose erasure mark and `erased` event disagree.
    pub erasures: Vec<ErasureMismatch>,
    /// Each verified link's hash and its place (1 for the first).
    pub hashes_seen: std::collections::HashMap<String, i64>,
    /// What the links' MACs showed.
    pub keying: Keying,
}

impl Verified {
    /// Whether every link matched and, if a head copied earlier is given, it is one
    /// of the verified links.
    pub fn ok(&self, copied: Option<&str>) -> bool {
        self.mismatch.is_none()
            && self.keying.problem.is_none()
            && self.unlinked == 0
            && self.erasures.is_empty()
            && copied.is_none_or(|h| self.hashes_seen.contains_key(h))
    }

    /// The report, one line per finding; with `copied`, a head copied earlier, whether
    /// it is one of the verified links.
    pub fn report(&self, copied: Option<&str>) -> String {
        let mut out = String::new();
        match &self.mismatch {
            Some(why) => out.push_str(&format!(
                "MISMATCH at {why}\n{} links before it verified, up to hash {}\n",
                self.head.count,
                if self.head.hash.is_empty() {
                    "(none)"
                } else {
                    &self.head.hash
                }
            )),
            None => out.push_str(&format!(
                "chain verified: {} links, head {}\n",
                self.head.count,
                if self.head.hash.is_empty() {
                    "(empty)"
                } else {
                    &self.head.hash
                }
            )),
        }
        if let Some(copied) = copied {
            match self.hashes_seen.get(copied) {
                Some(n) => out.push_str(&format!(
                    "the copied head {copied} is link {n} of the verified chain: nothing \
                     chained up to it was inserted, removed or changed\n"
                )),
                None => out.push_str(&format!(
                    "NOT FOUND: the copied head {copied} is not among the verified links\n"
                )),
            }
        }
        out.push_str(&self.keying.report());
        for e in &self.erasures {
            out.push_str(&format!("ERASURE MISMATCH: {}\n", e.describe()));
        }
        if self.erasures.len() >= ERASURE_MISMATCH_LIMIT {
            out.push_str(&format!(
                "(the first {ERASURE_MISMATCH_LIMIT} erasure mismatches; there may be more)\n"
            ));
        }
        if self.unlinked > 0 {
            out.push_str(&format!(
                "NOT CHAINED: {} row{} without a link: the receiver chains each row in \
                 the transaction that stores it, so these were written past it (a record \
                 added by hand?)\n",
                self.unlinked,
                if self.unlinked == 1 { "" } else { "s" }
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_follow_the_documented_recipe() {
        let first = "whsec_Y2hhaW4ga2V5IGZvciB0aGUgdGVzdHMsIDMyIGJ5dGVzIQ==";
        let second = "whsec_YW5vdGhlciBjaGFpbiBrZXksIGFsc28gMzIgYnl0ZXMh";
        let keys = ChainKeys::parse(&format!("{first}, {second}")).unwrap();
        let raw = b"chain key for the tests, 32 bytes!";
        let hmac = |key: &[u8], text: &[u8]| {
            let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
            m.update(text);
            let mut hex = String::new();
            push_hex(&mut hex, &m.finalize().into_bytes());
            hex
        };
        let id = &hmac(raw, b"consent-form chain key id")[..8];
        assert_eq!(keys.id(), id);
        let hash = "9f".repeat(32);
        let mac = keys.mac(&hash);
        assert_eq!(mac, format!("{id}:{}", hmac(raw, hash.as_bytes())));
        assert_eq!(keys.check(&hash, &mac), MacCheck::Valid);
        assert_eq!(keys.check(&"9e".repeat(32), &mac), MacCheck::Wrong);
        // Made with the second (replaced) key: still valid.
        let old = ChainKeys::parse(second).unwrap();
        assert_eq!(keys.check(&hash, &old.mac(&hash)), MacCheck::Valid);
        assert_eq!(old.check(&hash, &mac), MacCheck::UnknownKey(id.to_owned()));
        assert_eq!(
            format!("{keys:?}"),
            format!("ChainKeys({id}, {})", old.id())
        );
        assert!(ChainKeys::parse("")
            .unwrap_err()
            .starts_with("no key given"));
    }

    #[test]
    fn hashes_follow_the_documented_recipe() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(next_hash("", "ab"), sha256_hex("ab"));
        assert_eq!(next_hash("01", "ab"), sha256_hex("01ab"));
    }
}
