//! Copies of the hash chain's head kept outside the database, so that the owner need not
//! remember to copy it: at start and then every hour (`RECEIVER_CHAIN_WITNESS_EVERY`),
//! when the head has changed, the receiver logs it and, with `RECEIVER_CHAIN_WITNESS`,
//! posts it to a URL the owner chose — a service on another host, a chat channel's
//! incoming webhook — where whoever can write to the database cannot change it.
//! `receiver verify-chain --copied HASH` later shows that nothing chained up to a copy
//! was inserted, removed or changed.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::chain::Head;
use crate::clock;
use crate::store::Store;

/// How often the head is looked at by default.
pub const EVERY: Duration = Duration::from_secs(3600);

/// How long a post may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Where copies of the head are posted. The URL may hold a secret (a webhook's path), so
/// only its host is ever shown.
#[derive(Clone)]
pub struct Witness {
    client: reqwest::Client,
    url: reqwest::Url,
}

impl fmt::Debug for Witness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Witness({})", self.host())
    }
}

/// What is posted: the head, and a line of text that chat webhooks (Slack, Google Chat,
/// Mattermost) show as it is.
#[derive(Serialize)]
struct HeadCopy<'a> {
    text: String,
    chain: &'a Head,
    at: &'a str,
}

impl Witness {
    /// A witness at `url` (`https://`, or `http://` on a private network or for a
    /// test), which must not carry credentials.
    pub fn new(url: &str) -> Result<Witness, String> {
        let url = crate::outbound::check_url(url)?;
        let client = crate::outbound::client(TIMEOUT)?;
        Ok(Witness { client, url })
    }

    /// The URL's host (and port), as logs show it.
    pub fn host(&self) -> String {
        match (self.url.host_str(), self.url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            _ => String::new(),
        }
    }

    /// Posts `head` as seen at `at`; `Err` says why it was not taken (never the URL's
    /// path).
    async fn post(&self, head: &Head, at: &str) -> Result<(), String> {
        let copy = HeadCopy {
            text: format!(
                "consent-form receiver: chain head {} links, {} at {at}",
                head.count, head.hash
            ),
            chain: head,
            at,
        };
        let response = self
            .client
            .post(self.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(&copy).unwrap_or_default())
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    format!("no answer within {} s", TIMEOUT.as_secs())
                } else {
                    "unreachable".to_owned()
                }
            })?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("answered HTTP {}", status.as_u16()))
        }
    }
}

/// Looks at the head now and then every `every`: when it changed since the last copy
/// taken (or at start), logs it and posts it to `witness`, if any. A copy not taken is
/// tried again at the next look.
pub fn spawn(
    store: Store,
    witness: Option<Witness>,
    every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut copied: Option<String> = None;
        loop {
            look(&store, witness.as_ref(), &mut copied).await;
            tokio::time::sleep(every).await;
        }
    })
}

async fn look(store: &Store, witness: Option<&Witness>, copied: &mut Option<String>) {
    let head = match store.head().await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("{} chain head: cannot read it: {e}", clock::now_rfc3339());
            return;
        }
    };
    if head.count == 0 || copied.as_deref() == Some(head.hash.as_str()) {
        return;
    }
    let at = clock::now_rfc3339();
    let outcome = match witness {
        None => {
            *copied = Some(head.hash.clone());
            "logged only: set RECEIVER_CHAIN_WITNESS to copy it elsewhere".to_owned()
        }
        Some(w) => match w.post(&head, &at).await {
            Ok(()) => {
                *copied = Some(head.hash.clone());
                format!("copied to {}", w.host())
            }
            Err(why) => format!(
                "NOT copied to {}: {why}; tried again at the next look",
                w.host()
            ),
        },
    };
    eprintln!(
        "{at} chain head: {} links, {} ({outcome})",
        head.count, head.hash
    );
}
