//! The HTTP application: routes, shared state, and the layers around them (body
//! limit, timeout, CORS, per-IP rate limit, request log).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use consent_form::payload::MAX_BODY_BYTES;
use consent_form::signing::{Secret, HEADER_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;

use crate::captcha::Verifier;
use crate::config::{Config, OwnerToken};
use crate::error::{redact_ids, ApiError, LogNote};
use crate::keys::KeyIssuer;
use crate::rate_limit::RateLimiter;
use crate::store::Store;
use crate::{clock, erasure, hold, issue, leads, owner, withdrawals};

/// How long a request may take, body included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest URI (path and query) answered: far more than any route needs.
pub const MAX_URI_BYTES: usize = 8192;

/// What every handler shares.
pub struct AppState {
    /// The records.
    pub store: Store,
    /// Issues and recognises session keys.
    pub keys: KeyIssuer,
    /// The secret of pages that embed it, if accepted.
    pub inline_secret: Option<Secret>,
    /// The owner endpoints' token; `None` turns them off.
    pub owner_token: Option<OwnerToken>,
    /// Per-IP limit of /api and /owner requests.
    pub limiter: Option<RateLimiter>,
    /// Whether the client IP comes from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// Whether the session cookie is `Secure`.
    pub secure_cookie: bool,
    /// Whether every request is logged.
    pub log_requests: bool,
    /// Verifies captcha tokens, if configured.
    pub captcha: Option<Verifier>,
}

/// The state as handlers receive it.
pub type Shared = Arc<AppState>;

impl AppState {
    /// The state for `config` with `store`; fails if the captcha's HTTP client cannot
    /// be built.
    pub fn new(config: &Config, store: Store) -> Result<AppState, String> {
        let captcha = match &config.captcha {
            Some(c) => Some(Verifier::new(c.verify_url.clone(), c.secret.clone())?),
            None => None,
        };
        Ok(AppState {
            store,
            keys: KeyIssuer::new(
                config.key_secret.clone(),
                config.key_ttl.as_secs(),
                config.key_grace.as_secs(),
            ),
            inline_secret: config.inline_secret.clone(),
            owner_token: config.owner_token.clone(),
            limiter: config.rate_limit.map(RateLimiter::new),
            trust_proxy: config.trust_proxy,
            secure_cookie: config.secure_cookie,
            log_requests: config.log_requests,
            captcha,
        })
    }
}

/// The whole application.
pub fn router(config: &Config, state: Shared) -> Router {
    let api = Router::new()
        .route("/api/keys", post(issue::keys))
        .route("/api/leads", post(leads::receive))
        .route("/api/withdrawals", post(withdrawals::receive));
    let api = if config.allow_origins.is_empty() {
        api
    } else {
        let origins: Vec<HeaderValue> = config
            .allow_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        api.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::POST])
                .allow_headers([
                    header::CONTENT_TYPE,
                    header::HeaderName::from_static(HEADER_ID),
                    header::HeaderName::from_static(HEADER_TIMESTAMP),
                    header::HeaderName::from_static(HEADER_SIGNATURE),
                ])
                .expose_headers([header::RETRY_AFTER])
                .max_age(Duration::from_secs(600)),
        )
    };
    let owner = Router::new()
        .route("/owner/records", get(owner::list))
        .route("/owner/records/{id}", get(owner::one))
        .route("/owner/records/{id}/receipt", get(owner::receipt))
        .route("/owner/records/{id}/events", post(owner::add_event))
        .route("/owner/records/{id}/erase", post(erasure::erase))
        .route("/owner/records/{id}/hold", post(hold::hold))
        .route("/owner/records/{id}/release", post(hold::release))
        .route("/owner/export", get(owner::export))
        .route("/owner/chain", get(owner::chain))
        .layer(middleware::map_response(sandboxed));
    let limited = api.merge(owner).layer(middleware::from_fn_with_state(
        Arc::clone(&state),
        rate_limit,
    ));

    let mut files = Router::new();
    if let Some(pkg) = &config.pkg_dir {
        files = files.nest_service("/pkg", ServeDir::new(pkg));
    }
    let files = match &config.www_dir {
        Some(www) => files.fallback_service(ServeDir::new(www)),
        None => files.fallback(not_found),
    };
    let files = files.layer(middleware::map_response(revalidate));

    let routes = limited
        .merge(files)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(Arc::clone(&state));
    // Around the whole router, not route by route (`Router::layer` wraps each route's
    // handlers, inside the method router): only there does a 405 carry the `Allow`
    // header the method router adds, which the refusal's message repeats.
    Router::new()
        .fallback_service(routes)
        .layer(middleware::from_fn(json_refusals))
        .layer(middleware::from_fn_with_state(Arc::clone(&state), log))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found("nothing here")
}

/// Every refusal as JSON: a URI over [`MAX_URI_BYTES`] is refused here (414
/// `uri_too_long`), and the refusals made by the layers rather than the handlers — a
/// method a route does not take (405, with its `Allow`), the timeout (408), a static
/// file not found (404) — which come without a body, get the JSON the handlers give.
async fn json_refusals(request: Request, next: Next) -> Response {
    let uri = request.uri();
    let len = uri.path().len() + uri.query().map_or(0, |q| q.len() + 1);
    if len > MAX_URI_BYTES {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the URI has {len} bytes, more than {MAX_URI_BYTES}"),
        )
        .into_response();
    }
    let response = next.run(request).await;
    let status = response.status();
    // Ours already (an ApiError leaves its code for the log), or not a refusal.
    if response.extensions().get::<LogNote>().is_some()
        || !(status.is_client_error() || status.is_server_error())
        || response.headers().contains_key(header::CONTENT_TYPE)
    {
        return response;
    }
    let (code, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            let allow = response
                .headers()
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            (
                "method_not_allowed",
                format!("this path does not take that method; it takes: {allow}"),
            )
        }
        StatusCode::REQUEST_TIMEOUT => (
            "timeout",
            format!("the request took more than {} s", REQUEST_TIMEOUT.as_secs()),
        ),
        StatusCode::NOT_FOUND => ("not_found", "nothing here".to_owned()),
        other if other.is_client_error() => (
            "refused",
            other.canonical_reason().unwrap_or("refused").to_owned(),
        ),
        other => (
            "server_error",
            other
                .canonical_reason()
                .unwrap_or("server error")
                .to_owned(),
        ),
    };
    let allow = response.headers().get(header::ALLOW).cloned();
    let mut refusal = ApiError::new(status, code, message).into_response();
    if let Some(allow) = allow {
        refusal.headers_mut().insert(header::ALLOW, allow);
    }
    refusal
}

/// Every owner answer gets `Content-Security-Policy: sandbox` (added to the receipt's
/// own policy): shown in a browser it has an opaque origin, so a script of a page of
/// this origin that opens it in a window or a frame cannot read it.
async fn sandboxed(mut response: Response) -> Response {
    response.headers_mut().append(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    response
}

/// Static files: let the browser cache them but ask every time (the demo rebuilds
/// pkg/ while it runs).
async fn revalidate(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The client's address: the peer, or behind a trusted proxy the last address in
/// `X-Forwarded-For` (the one the proxy added).
pub fn client_ip(
    state: &AppState,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> Option<IpAddr> {
    if state.trust_proxy {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .next_back();
        if forwarded.is_some() {
            return forwarded;
        }
    }
    peer.map(|p| p.ip())
}

async fn rate_limit(State(state): State<Shared>, request: Request, next: Next) -> Response {
    if let Some(limiter) = &state.limiter {
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        if let Some(ip) = client_ip(&state, request.headers(), peer) {
            if let Err(wait) = limiter.check(ip, Instant::now()) {
                let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
                let mut e = ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    format!("too many requests from this address; try again in {secs} s"),
                );
                e.retry_after = Some(secs.max(1));
                return e.into_response();
            }
        }
    }
    next.run(request).await
}

/// One line per request on stderr: time, method, path (no query), status, duration,
/// and the handler's note, with every message id replaced by its reference
/// ([`redact_ids`]). No header, body, cookie, address or message id is logged.
async fn log(State(state): State<Shared>, request: Request, next: Next) -> Response {
    if !state.log_requests {
        return next.run(request).await;
    }
    let started = Instant::now();
    let method = request.method().clone();
    let path: String = redact_ids(request.uri().path()).chars().take(200).collect();
    let response = next.run(request).await;
    let note = response
        .extensions()
        .get::<LogNote>()
        .map(|n| format!(" {}", redact_ids(&n.0)))
        .unwrap_or_default();
    eprintln!(
        "{} {} {} {} {:.1}ms{}",
        clock::now_rfc3339(),
        method,
        path.escape_debug(),
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0,
        note
    );
    response
}
