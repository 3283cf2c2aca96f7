//! The loop that accepts TCP connections and serves HTTP/1.1 on them, so
//! that a connection costs its holder something: a request's header must
//! arrive within a deadline, a kept-alive connection that sends nothing is
//! closed after the same deadline, a write that makes no progress (a
//! client not reading its response) fails after a deadline, no more than a
//! set number of connections are served at once, and no more than a
//! smaller number from one address group. `axum::serve` sets none of these (a
//! client trickling a header one byte at a time held its connection for
//! as long as it liked).
//!
//! HTTP/1.1 only, as before (axum's `http2` feature was never on): the
//! reverse proxy in front (docs/DEPLOY.md) speaks HTTP/1.1 to its upstream.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::connect_info::IntoMakeServiceWithConnectInfo;
use axum::Router;
use domain::ClientAddress;
use futures_util::future::Either;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_io_timeout::TimeoutStream;

use crate::page_cache::PageCache;
use tower::Service;

/// How long a connection may take and how many may be open.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// Connections served at once from one address group (an IPv4 address,
    /// an IPv6 /64: `domain::ClientAddress::group`). A further connection
    /// from that group is closed at once, unread, so one client cannot
    /// take every slot of `max_connections` from the others.
    pub max_connections_per_address: usize,
    /// Peers the per-address cap does not apply to: the trusted reverse
    /// proxies (`--trusted-proxies`), through which every reader comes, one
    /// connection per request in flight. Any other peer, including a
    /// client that reaches Accord past the proxy, keeps its cap.
    pub uncapped_peers: crate::client_address::TrustedProxies,
    /// A write that makes no progress for this long fails and the
    /// connection is closed: a client that sends a request for a large
    /// response and never reads it would otherwise hold its slot (and any
    /// turn its handler holds, such as an export's) for ever.
    pub write_timeout: Duration,
}

impl ConnectionLimits {
    /// The header-read (and idle keep-alive) deadline unless set otherwise.
    pub const DEFAULT_HEADER_READ_TIMEOUT_SECS: u64 = 10;
    /// Connections served at once unless set otherwise.
    pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
    /// Connections from one address group unless set otherwise.
    pub const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS: usize = 64;
    /// The write deadline unless set otherwise.
    pub const DEFAULT_WRITE_TIMEOUT_SECS: u64 = 30;
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(Self::DEFAULT_HEADER_READ_TIMEOUT_SECS),
            max_connections: Self::DEFAULT_MAX_CONNECTIONS,
            max_connections_per_address: Self::DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
            uncapped_peers: Default::default(),
            write_timeout: Duration::from_secs(Self::DEFAULT_WRITE_TIMEOUT_SECS),
        }
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` resolves,
/// answering readers' requests for kept pages from `kept_pages` first;
/// then stops accepting, lets each request in flight finish (a connection
/// idle or still reading a header is closed) and returns when every
/// connection has closed. Handlers find the client's address with
/// `ConnectInfo<SocketAddr>`, as `into_make_service_with_connect_info` gives it.
pub async fn serve_connections(
    listener: TcpListener,
    mut app: IntoMakeServiceWithConnectInfo<Router, SocketAddr>,
    kept_pages: Option<Arc<PageCache>>,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let per_address = Arc::new(Mutex::new(HashMap::<String, usize>::new()));
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
        let share = if limits.uncapped_peers.trusts(remote.ip()) {
            limits.max_connections
        } else {
            limits.max_connections_per_address
        };
        let Some(address_slot) = AddressSlot::take(&per_address, remote.ip(), share) else {
            // Dropping the stream closes it: this group already holds its share.
            tracing::debug!(%remote, "connection closed: too many from this address");
            continue;
        };
        let mut stream = TimeoutStream::new(stream);
        stream.set_write_timeout(Some(limits.write_timeout));
        let service = app
            .call(remote)
            .await
            .unwrap_or_else(|never: Infallible| match never {});
        // A reader's request for a page kept and current is answered from
        // memory before the router sees it (`PageCache::serve_kept`).
        let kept = kept_pages.clone();
        let service = tower::service_fn(move |request: axum::http::Request<hyper::body::Incoming>| {
            match kept.as_ref().and_then(|cache| cache.serve_kept(&request)) {
                Some(response) => Either::Left(std::future::ready(Ok::<_, Infallible>(response))),
                None => Either::Right(tower::ServiceExt::oneshot(service.clone(), request)),
            }
        });
        let connection =
            graceful.watch(http.serve_connection(TokioIo::new(Box::pin(stream)), TowerToHyperService::new(service)));
        tokio::spawn(async move {
            // Deadlines passed and clients gone are routine: not worth a
            // line in the log each, where a flood of them would drown the rest.
            if let Err(error) = connection.await {
                tracing::debug!(%remote, %error, "connection ended");
            }
            drop(slot);
            drop(address_slot);
        });
    }
    // New connections are refused from here on.
    drop(listener);
    graceful.shutdown().await;
}

/// One connection's place in its address group's count, given back when
/// the connection ends.
struct AddressSlot {
    counts: Arc<Mutex<HashMap<String, usize>>>,
    group: String,
}

impl AddressSlot {
    /// A place for a connection from `peer`, or `None` if its group already
    /// has `cap` connections open.
    fn take(counts: &Arc<Mutex<HashMap<String, usize>>>, peer: IpAddr, cap: usize) -> Option<AddressSlot> {
        let group = ClientAddress(peer).group();
        let mut open = counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = open.entry(group.clone()).or_insert(0);
        if *count >= cap {
            return None;
        }
        *count += 1;
        Some(AddressSlot {
            counts: Arc::clone(counts),
            group,
        })
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = self.counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // Groups with nothing open are forgotten, so the map holds at most
        // one entry per open connection.
        if let Some(count) = open.get_mut(&self.group) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.group);
            }
        }
    }
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
