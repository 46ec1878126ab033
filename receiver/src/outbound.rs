//! The HTTP requests the receiver makes itself: to the captcha provider
//! ([`crate::captcha`]) and to the chain's witness ([`crate::witness`]). TLS is rustls on
//! ring with the system's CA certificates; redirects are not followed.

use std::time::Duration;

/// Checks a URL the receiver will post to: absolute `https://` (or `http://`, for a
/// private network or a local fake), with no credentials in it. The error does not
/// repeat the URL, whose path may be a secret (a webhook's).
pub fn check_url(text: &str) -> Result<reqwest::Url, String> {
    let url = reqwest::Url::parse(text.trim()).map_err(|e| format!("not a URL ({e})"))?;
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none() {
        return Err(format!(
            "must be an https:// URL with a host, not {}:",
            url.scheme()
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("the URL must not carry credentials".into());
    }
    Ok(url)
}

/// A client whose requests give up after `timeout`.
pub fn client(timeout: Duration) -> Result<reqwest::Client, String> {
    // reqwest's rustls needs a process-wide crypto provider; an Err means one is
    // installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}
