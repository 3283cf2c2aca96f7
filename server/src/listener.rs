//! The loop that accepts TCP connections and serves HTTP/1.1 on them, so
//! that a connection costs its holder something: a request's header must
//! arrive within a deadline, a kept-alive connection that sends nothing is
//! closed after the same deadline, and no more than a set number of
//! connections are served at once. `axum::serve` sets none of these (a
//! client trickling a header one byte at a time held its connection for
//! as long as it liked).
//!
//! HTTP/1.1 only, as before (axum's `http2` feature was never on): the
//! reverse proxy in front (docs/DEPLOY.md) speaks HTTP/1.1 to its upstream.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::connect_info::IntoMakeServiceWithConnectInfo;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::Service;

/// How long a connection may take and how many may be open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// A request's header must be complete this long after the connection
    /// starts waiting for it. hyper starts the clock as soon as a
    /// connection waits for a request, the first one or the next on a
    /// kept-alive connection, and does not restart it per byte received:
    /// so this is also the idle keep-alive timeout, and a header trickled
    /// a byte at a time is cut off at the deadline however steady it is.
    pub header_read_timeout: Duration,
    /// Connections served at once. When this many are open the server
    /// stops accepting: further connections wait in the kernel's accept
    /// backlog (they are neither refused nor reset) and are served, in
    /// order, as open ones close. Closing them at once instead would turn
    /// a burst of honest readers into errors; waiting costs the server
    /// nothing, as the kernel holds them.
    pub max_connections: usize,
}

impl ConnectionLimits {
    /// The header-read (and idle keep-alive) deadline unless set otherwise.
    pub const DEFAULT_HEADER_READ_TIMEOUT_SECS: u64 = 10;
    /// Connections served at once unless set otherwise.
    pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(Self::DEFAULT_HEADER_READ_TIMEOUT_SECS),
            max_connections: Self::DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` resolves;
/// then stops accepting, lets each request in flight finish (a connection
/// idle or still reading a header is closed) and returns when every
/// connection has closed. Handlers find the client's address with
/// `ConnectInfo<SocketAddr>`, as `into_make_service_with_connect_info` gives it.
pub async fn serve_connections(
    listener: TcpListener,
    mut app: IntoMakeServiceWithConnectInfo<Router, SocketAddr>,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    tokio::pin!(shutdown);
    loop {
        // A slot is taken before accepting, so beyond the cap connections
        // stay in the backlog rather than being accepted and left unread.
        let slot = tokio::select! {
            biased;
            () = &mut shutdown => break,
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
        };
        let (stream, remote) = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    wait_after_accept_error(error).await;
                    continue;
                }
            },
        };
        let service = app
            .call(remote)
            .await
            .unwrap_or_else(|never: Infallible| match never {});
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
        tokio::spawn(async move {
            // Deadlines passed and clients gone are routine: not worth a
            // line in the log each, where a flood of them would drown the rest.
            if let Err(error) = connection.await {
                tracing::debug!(%remote, %error, "connection ended");
            }
            drop(slot);
        });
    }
    // New connections are refused from here on.
    drop(listener);
    graceful.shutdown().await;
}

/// A connection that failed before it was accepted concerns that client
/// alone; anything else (no file descriptors left) would fail again at
/// once, so the loop pauses rather than spinning.
async fn wait_after_accept_error(error: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(error.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        return;
    }
    tracing::error!(%error, "could not accept a connection; trying again in a second");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
