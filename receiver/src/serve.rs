//! The HTTP/1.1 server loop: what `axum::serve` does, plus a deadline on every
//! request's headers. `axum::serve` gives hyper no timer, so a client that connects and
//! sends nothing, or its headers a byte at a time (slowloris), kept its connection for
//! ever; the per-IP rate limit counts requests, so one address could hold every file
//! descriptor and no visitor's submission got in.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower_http::add_extension::AddExtension;

/// How long a client has to send a request's headers, counted from when the receiver
/// waits for them: from the connection's start, and after each answer on a kept-alive
/// connection (so an idle connection is closed after it too). The body has the
/// router's own 30 s.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Serves `router` on `listener` until `shutdown` completes, then waits for the requests
/// under way. Each request carries the peer's [`ConnectInfo`].
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors or the like: wait rather than spin.
                    eprintln!("{} accept error: {e}", crate::clock::now_rfc3339());
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service: AddExtension<Router, ConnectInfo<SocketAddr>> =
            AddExtension::new(router.clone(), ConnectInfo(peer));
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A connection's error (reset, timeout) is the client's business.
            let _: Result<(), hyper::Error> = connection.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
}
