//! Connections cannot be held open for free (issue 15, point 6): the accept
//! loop of the real server (`server::listener::serve_connections`, what
//! `accord serve` runs) on a real TCP port, driven with raw sockets.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::routing::get;
use axum::Router;
use server::listener::{serve_connections, ConnectionLimits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use crate::support::{self, both_engines};

/// A small app: the listener is what is tested, not the pages.
fn app() -> Router {
    Router::new()
        .route("/", get(|| async { "ok" }))
        // Larger than the kernel's socket buffers on both ends, so a client
        // that does not read leaves the server's write stuck.
        .route("/large", get(|| async { vec![b'x'; LARGE_BODY] }))
        .route(
            "/peer",
            get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
        )
}

const LARGE_BODY: usize = 64 << 20;

/// Serves `app()` on a free port within `limits` until the sender is used
/// or dropped; the handle ends when the loop has returned.
async fn start(limits: ConnectionLimits) -> (SocketAddr, oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let served = tokio::spawn(serve_connections(
        listener,
        app().into_make_service_with_connect_info::<SocketAddr>(),
        None,
        limits,
        async move {
            let _ = stopped.await;
        },
    ));
    (addr, stop, served)
}

/// Reads one whole response (head and a Content-Length body) from `stream`,
/// returning its status line and body; `None` if the connection closed or
/// nothing came within `within`.
async fn read_response(stream: &mut TcpStream, within: Duration) -> Option<(String, String)> {
    let mut bytes = Vec::new();
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
            let length: usize = head
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .unwrap_or(0);
            if bytes.len() >= end + 4 + length {
                let body = String::from_utf8_lossy(&bytes[end + 4..end + 4 + length]).into_owned();
                return Some((head.lines().next().unwrap_or_default().to_owned(), body));
            }
        }
        let mut chunk = [0u8; 4096];
        match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
            Ok(Ok(n)) if n > 0 => bytes.extend_from_slice(&chunk[..n]),
            _ => return None,
        }
    }
}

/// Waits up to `within` for the peer to close `stream`, reading and
/// discarding anything it sends; the time it took, or `None`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut sink = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut sink)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => continue,
            Err(_) => return None,
        }
    }
}

const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nHost: accord.test\r\n\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickled_request_head_is_closed_at_the_deadline_while_readers_are_served() {
    const TRICKLERS: usize = 8;
    let deadline = Duration::from_secs(2);
    let (addr, _stop, _served) = start(ConnectionLimits {
        header_read_timeout: deadline,
        max_connections: 64,
        ..ConnectionLimits::default()
    })
    .await;

    // Each trickler sends a request head one byte a second, never ending it
    // (the head below is longer than any deadline lets it send), and notes
    // when the server closed its connection.
    let head = b"GET / HTTP/1.1\r\nHost: accord.test\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let tricklers: Vec<_> = (0..TRICKLERS)
        .map(|_| {
            tokio::spawn(async move {
                let mut stream = TcpStream::connect(addr).await.unwrap();
                let started = Instant::now();
                let mut sink = [0u8; 256];
                for byte in head {
                    if stream.write_all(&[*byte]).await.is_err() {
                        return Some(started.elapsed());
                    }
                    match tokio::time::timeout(Duration::from_secs(1), stream.read(&mut sink)).await {
                        Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
                        // Hyper answers 408 before closing; the close is what counts.
                        Ok(Ok(_)) => continue,
                        Err(_) => continue,
                    }
                }
                None
            })
        })
        .collect();

    // Meanwhile a reader asks for the page over and over, a new connection
    // each time, until every trickler has been closed.
    let reader = tokio::spawn(async move {
        let (mut served, mut failed) = (0u32, 0u32);
        let until = Instant::now() + deadline + Duration::from_secs(2);
        while Instant::now() < until {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            stream.write_all(REQUEST).await.unwrap();
            match read_response(&mut stream, Duration::from_secs(1)).await {
                Some((status, body)) if status.contains(" 200 ") && body == "ok" => served += 1,
                _ => failed += 1,
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        (served, failed)
    });

    let mut close_times = Vec::new();
    for trickler in tricklers {
        let closed = trickler.await.unwrap();
        let closed = closed.expect("a connection trickling its request head was never closed");
        close_times.push(closed);
    }
    let (served, failed) = reader.await.unwrap();
    let slowest = close_times.iter().max().unwrap();
    println!(
        "deadline {deadline:?}; {TRICKLERS} tricklers closed after {:?} .. {slowest:?}; reader: {served} served, {failed} failed",
        close_times.iter().min().unwrap()
    );
    for closed in &close_times {
        assert!(
            *closed >= deadline - Duration::from_millis(100) && *closed <= deadline + Duration::from_millis(1500),
            "a trickler was closed after {closed:?}, the deadline is {deadline:?}"
        );
    }
    assert_eq!(failed, 0, "the reader was refused during the attack");
    assert!(served >= 10, "the reader was served only {served} times");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_kept_alive_connection_is_closed_after_the_timeout() {
    let timeout = Duration::from_secs(1);
    let (addr, _stop, _served) = start(ConnectionLimits {
        header_read_timeout: timeout,
        max_connections: 64,
        ..ConnectionLimits::default()
    })
    .await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    // Two requests on the connection: it is kept alive between them.
    for _ in 0..2 {
        stream.write_all(REQUEST).await.unwrap();
        let (status, _) = read_response(&mut stream, Duration::from_secs(2))
            .await
            .expect("an answer");
        assert!(status.contains(" 200 "), "{status}");
    }
    let closed = closed_within(&mut stream, timeout * 5)
        .await
        .expect("an idle kept-alive connection was never closed");
    println!("idle timeout {timeout:?}; closed after {closed:?} idle");
    assert!(
        closed >= timeout - Duration::from_millis(100) && closed <= timeout + Duration::from_secs(1),
        "closed after {closed:?} idle, the timeout is {timeout:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_beyond_the_cap_is_served_only_when_another_closes() {
    let (addr, _stop, _served) = start(ConnectionLimits {
        header_read_timeout: Duration::from_secs(30),
        max_connections: 2,
        ..ConnectionLimits::default()
    })
    .await;
    // Two connections take both slots, saying nothing (well within the
    // head deadline). The first is checked to be served, so both are
    // accepted before the third arrives.
    let mut first = TcpStream::connect(addr).await.unwrap();
    first.write_all(REQUEST).await.unwrap();
    assert!(read_response(&mut first, Duration::from_secs(2)).await.is_some());
    let second = TcpStream::connect(addr).await.unwrap();

    let mut third = TcpStream::connect(addr).await.unwrap();
    third.write_all(REQUEST).await.unwrap();
    let early = read_response(&mut third, Duration::from_secs(1)).await;
    assert!(
        early.is_none(),
        "a third connection was served beyond a cap of two: {early:?}"
    );

    drop(second);
    let started = Instant::now();
    let (status, _) = read_response(&mut third, Duration::from_secs(3))
        .await
        .expect("the waiting connection was not served once a slot was free");
    println!("third connection served {:?} after a slot was freed", started.elapsed());
    assert!(status.contains(" 200 "), "{status}");
}

/// A connection to `addr` from `from` (another loopback address is another peer).
async fn connect_from(from: &str, addr: SocketAddr) -> TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket.connect(addr).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_peer_beyond_its_share_is_closed_while_another_peer_is_served() {
    const CAP: usize = 3;
    let (addr, _stop, _served) = start(ConnectionLimits {
        header_read_timeout: Duration::from_secs(30),
        max_connections: 64,
        max_connections_per_address: CAP,
        ..ConnectionLimits::default()
    })
    .await;
    // The first peer's connections, each checked to be served (so accepted
    // and counted) and then held open, idle.
    let mut held = Vec::new();
    for _ in 0..CAP {
        let mut stream = connect_from("127.0.0.1", addr).await;
        stream.write_all(REQUEST).await.unwrap();
        assert!(read_response(&mut stream, Duration::from_secs(2)).await.is_some());
        held.push(stream);
    }
    let mut beyond = connect_from("127.0.0.1", addr).await;
    let _ = beyond.write_all(REQUEST).await;
    let closed = closed_within(&mut beyond, Duration::from_secs(3)).await;
    println!("connection {} from one peer closed after {closed:?}", CAP + 1);
    assert!(
        closed.is_some(),
        "a connection beyond the per-address cap of {CAP} was kept open"
    );

    let mut other = connect_from("127.0.0.2", addr).await;
    other.write_all(REQUEST).await.unwrap();
    let (status, _) = read_response(&mut other, Duration::from_secs(2))
        .await
        .expect("another peer was not served while the first held its share");
    assert!(status.contains(" 200 "), "{status}");

    // Closing one gives the first peer its place back.
    drop(held.pop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut again = connect_from("127.0.0.1", addr).await;
    again.write_all(REQUEST).await.unwrap();
    assert!(
        read_response(&mut again, Duration::from_secs(2)).await.is_some(),
        "the first peer was not served again once one of its connections closed"
    );
}

/// The trusted reverse proxy brings every reader, one connection per
/// request in flight: it is not held to one client's share, while a client
/// that reaches the server past it still is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trusted_proxy_is_not_held_to_one_clients_share() {
    const CAP: usize = 2;
    let (addr, _stop, _served) = start(ConnectionLimits {
        header_read_timeout: Duration::from_secs(30),
        max_connections: 64,
        max_connections_per_address: CAP,
        uncapped_peers: server::client_address::TrustedProxies::parse("127.0.0.3").unwrap(),
        ..ConnectionLimits::default()
    })
    .await;
    let mut held = Vec::new();
    for n in 0..CAP * 3 {
        let mut stream = connect_from("127.0.0.3", addr).await;
        stream.write_all(REQUEST).await.unwrap();
        assert!(
            read_response(&mut stream, Duration::from_secs(2)).await.is_some(),
            "the proxy's connection {} was not served",
            n + 1
        );
        held.push(stream);
    }
    for _ in 0..CAP {
        let mut stream = connect_from("127.0.0.1", addr).await;
        stream.write_all(REQUEST).await.unwrap();
        assert!(read_response(&mut stream, Duration::from_secs(2)).await.is_some());
        held.push(stream);
    }
    let mut beyond = connect_from("127.0.0.1", addr).await;
    let _ = beyond.write_all(REQUEST).await;
    assert!(
        closed_within(&mut beyond, Duration::from_secs(3)).await.is_some(),
        "a client past the proxy kept more than its share"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_reads_its_response_is_closed_after_the_write_timeout() {
    let write_timeout = Duration::from_secs(1);
    let (addr, _stop, _served) = start(ConnectionLimits {
        header_read_timeout: Duration::from_secs(30),
        max_connections: 64,
        write_timeout,
        ..ConnectionLimits::default()
    })
    .await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /large HTTP/1.1\r\nHost: accord.test\r\n\r\n")
        .await
        .unwrap();
    // Read nothing for a while: the server's write stalls once the buffers fill.
    tokio::time::sleep(write_timeout * 3).await;
    // Then drain: a server that gave up ends the stream short of the body;
    // one still waiting sends the whole body and keeps the connection open.
    let mut received = 0usize;
    let mut sink = vec![0u8; 1 << 16];
    let ended = loop {
        match tokio::time::timeout(Duration::from_secs(3), stream.read(&mut sink)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break true,
            Ok(Ok(n)) => received += n,
            Err(_) => break false,
        }
    };
    println!(
        "a client that did not read for {:?} received {received} of {LARGE_BODY} body bytes; closed: {ended}",
        write_timeout * 3
    );
    assert!(
        ended && received < LARGE_BODY,
        "the stalled connection was not closed ({received} bytes received)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_know_the_peer_address_and_shutdown_lets_the_loop_end() {
    let (addr, stop, served) = start(ConnectionLimits::default()).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /peer HTTP/1.1\r\nHost: accord.test\r\n\r\n")
        .await
        .unwrap();
    let (status, body) = read_response(&mut stream, Duration::from_secs(2))
        .await
        .expect("an answer");
    assert!(status.contains(" 200 "), "{status}");
    assert_eq!(body, stream.local_addr().unwrap().to_string());

    // Shutdown closes the idle kept-alive connection and the loop returns.
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), served)
        .await
        .expect("the loop did not end after shutdown")
        .unwrap();
    assert!(closed_within(&mut stream, Duration::from_secs(1)).await.is_some());
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "still accepting after shutdown"
    );
}

/// The same promise kept by `accord serve` itself, its deadline set as an
/// operator sets it (ACCORD_HEADER_READ_TIMEOUT): connections trickling a
/// request head faster than any per-read timeout would notice (a byte every
/// 250 ms) are cut off at the deadline, counted from the connection's start,
/// while a reader's health checks keep being answered.
// SQLite-only: the real binary over a SQLite file; the engine plays no part in the listener's deadline.
#[test]
fn the_real_server_cuts_off_trickled_request_heads_at_its_configured_deadline() {
    use std::io::{ErrorKind, Read, Write};
    const TRICKLERS: usize = 6;
    let deadline = Duration::from_secs(1);
    let folder = std::env::temp_dir().join(format!(
        "accord-connections-{}-{}",
        std::process::id(),
        support::free_port()
    ));
    std::fs::create_dir_all(&folder).unwrap();
    let (server, port) = support::spawn_server_with(&folder.join("accord.db"), &[("ACCORD_HEADER_READ_TIMEOUT", "1")]);
    // Stopped however the test ends.
    struct Serving(std::process::Child);
    impl Drop for Serving {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _server = Serving(server);

    let tricklers: Vec<_> = (0..TRICKLERS)
        .map(|_| {
            std::thread::spawn(move || {
                let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
                let started = Instant::now();
                // The pause between bytes: reads wait this long for the close.
                stream.set_read_timeout(Some(Duration::from_millis(250))).unwrap();
                let head =
                    b"GET /healthz HTTP/1.1\r\nHost: accord.test\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
                let mut sink = [0u8; 256];
                for byte in head {
                    if stream.write_all(&[*byte]).is_err() {
                        return Some(started.elapsed());
                    }
                    match stream.read(&mut sink) {
                        Ok(0) => return Some(started.elapsed()),
                        Ok(_) => {}
                        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                        Err(_) => return Some(started.elapsed()),
                    }
                }
                None
            })
        })
        .collect();
    let reader = std::thread::spawn(move || {
        let (mut served, mut failed) = (0u32, 0u32);
        let until = Instant::now() + deadline + Duration::from_secs(2);
        while Instant::now() < until {
            let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
            let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: accord.test\r\nConnection: close\r\n\r\n");
            let mut answer = String::new();
            match stream.read_to_string(&mut answer) {
                Ok(_) if answer.starts_with("HTTP/1.1 200") => served += 1,
                _ => failed += 1,
            }
        }
        (served, failed)
    });

    let close_times: Vec<Duration> = tricklers
        .into_iter()
        .map(|t| {
            t.join()
                .unwrap()
                .expect("accord serve never closed a connection trickling its request head")
        })
        .collect();
    let (served, failed) = reader.join().unwrap();
    println!(
        "accord serve, deadline {deadline:?}: {TRICKLERS} tricklers closed after {:?} .. {:?}; reader: {served} served, {failed} failed",
        close_times.iter().min().unwrap(),
        close_times.iter().max().unwrap()
    );
    for closed in &close_times {
        assert!(
            *closed >= deadline - Duration::from_millis(100) && *closed <= deadline + Duration::from_millis(1000),
            "a trickler was closed after {closed:?}, the deadline is {deadline:?}"
        );
    }
    assert_eq!(failed, 0, "the reader was refused during the attack");
    assert!(served >= 10, "the reader was served only {served} times");
    let _ = std::fs::remove_dir_all(&folder);
}

/// One request over a new connection (closed after it), answered as
/// `(status code, headers by lower-case name, body)`.
async fn over_tcp(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut bytes = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut bytes))
        .await
        .expect("an answer within 30 s")
        .unwrap();
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a whole head");
    let head = String::from_utf8(bytes[..end].to_vec()).unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    (status, headers, bytes[end + 4..].to_vec())
}

both_engines!(kept_pages_answered_before_the_router_are_the_routers_own_answers);
/// Issue 17, point 4: the connection loop answers readers' requests for
/// kept pages from the page cache before the router sees them
/// (`PageCache::serve_kept`). Whatever a reader sends (a tracking
/// parameter, a validator, compression, HEAD, a cookie, which takes the
/// router's path), the answer over TCP is the router's own answer, and a
/// saved edit is in it.
async fn kept_pages_answered_before_the_router_are_the_routers_own_answers(db: store::Db) {
    use axum::body::Body;
    use axum::http::Request;
    let mut test_site = support::TestSite::of(db).await;
    let state = support::state_of(
        support::another_handle(&test_site.db),
        &format!("{}/", support::SITE),
        "target/site",
    );
    test_site.db = state.db.clone();
    let site = server::site_with_limits(state, server::Limits::default());
    assert!(site.kept_pages.is_some(), "the default limits keep pages");
    test_site.app = site.router.clone();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    // Counts the requests the connection loop passes to the router.
    let routed = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = {
        let routed = routed.clone();
        site.router.clone().layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                routed.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                next.run(request)
            },
        ))
    };
    let routed_so_far = || routed.load(std::sync::atomic::Ordering::SeqCst);
    let served = tokio::spawn(serve_connections(
        listener,
        counted.into_make_service_with_connect_info::<SocketAddr>(),
        site.kept_pages.clone(),
        ConnectionLimits::default(),
        async move {
            let _ = stopped.await;
        },
    ));
    // What the answers may differ by: the connection's own headers.
    let comparable = |headers: Vec<(String, String)>| -> Vec<(String, String)> {
        let mut kept: Vec<(String, String)> = headers
            .into_iter()
            .filter(|(name, _)| {
                !matches!(
                    name.as_str(),
                    "date" | "connection" | "content-length" | "transfer-encoding"
                )
            })
            .collect();
        kept.sort();
        kept
    };
    let router_answer = |method: &str, path: &str, headers: &[(&str, &str)]| {
        let mut request = Request::builder().method(method).uri(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(Body::empty()).unwrap();
        let app = site.router.clone();
        async move {
            let answer = support::respond(&app, request).await;
            let headers = answer
                .headers
                .iter()
                .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap().to_owned()))
                .collect();
            (answer.status.as_u16(), comparable(headers), answer.body.to_vec())
        }
    };
    let same_as_router = |method: &'static str, path: &'static str, headers: Vec<(&'static str, String)>| {
        let router_answer = &router_answer;
        async move {
            let headers: Vec<(&str, &str)> = headers.iter().map(|(name, value)| (*name, value.as_str())).collect();
            let (status, tcp_headers, body) = over_tcp(addr, method, path, &headers).await;
            let tcp = (status, comparable(tcp_headers), body);
            let routed = router_answer(method, path, &headers).await;
            assert_eq!(tcp.0, routed.0, "{method} {path} {headers:?}");
            assert_eq!(tcp.1, routed.1, "{method} {path} {headers:?}");
            assert!(tcp.2 == routed.2, "{method} {path} {headers:?}: the same body");
            tcp
        }
    };
    // Kept by a reader through the router.
    router_answer("GET", "/", &[]).await;
    let (status, headers, before) = same_as_router("GET", "/", vec![]).await;
    assert_eq!(status, 200);
    let tag = headers.iter().find(|(name, _)| name == "etag").unwrap().1.clone();
    same_as_router("GET", "/?utm_source=newsletter", vec![]).await;
    let (status, _, _) = same_as_router("GET", "/", vec![("if-none-match", tag)]).await;
    assert_eq!(status, 304);
    let (_, headers, _) = same_as_router("GET", "/", vec![("accept-encoding", "gzip".to_owned())]).await;
    assert!(headers.contains(&("content-encoding".to_owned(), "gzip".to_owned())));
    let (_, _, body) = same_as_router("HEAD", "/", vec![]).await;
    assert!(body.is_empty());
    assert_eq!(routed_so_far(), 0, "every answer above came from the connection loop");
    let (status, _, _) = over_tcp(addr, "GET", "/", &[("cookie", "theme=dark")]).await;
    assert_eq!(status, 200);
    assert_eq!(
        routed_so_far(),
        1,
        "a reader with some other cookie is served by the router"
    );

    let editor = test_site.sign_in("alice").await;
    let version = test_site.version_of(&test_site.slug).await.to_string();
    let source = test_site.source_id.to_string();
    let saved = test_site
        .post_form(
            "/api/update_status",
            &[
                ("slug", test_site.slug.as_str()),
                ("version", &version),
                ("party", "all"),
                ("status", "in_progress"),
                ("effective_on", "2026-03-01"),
                ("note", "Negotiators met in Seoul."),
                ("source_ids[]", &source),
            ],
            Some(&editor),
        )
        .await;
    assert!(saved.status.is_redirection(), "{}", saved.text());
    let (_, _, after) = same_as_router("GET", "/", vec![]).await;
    assert!(after != before, "the saved status is on the page");
    stop.send(()).unwrap();
    served.await.unwrap();
}
