//! Three kinds of request, three sets of threads, so that the kernel can
//! keep readers fast while editors work (issue 17, points 2 and 5).
//!
//! - **Readers** (GET and HEAD with no cookie: every anonymous visitor)
//!   are answered on the threads the connection came in on, mostly from
//!   the page cache.
//! - **Writes** (any other method: saves, sign-ins, suggestions) run on the
//!   *write lane*, whose threads have a nice value of `WRITE_LANE_NICE`. A
//!   save costs the server far more than a kept page (the write with its
//!   triggers and group commit, then the pages it made stale rendered
//!   again before it is acknowledged, `page_cache::acknowledge_writes`);
//!   on a machine whose cores were all busy, sixteen editors saving back
//!   to back took a quarter of the readers' throughput
//!   (docs/PERFORMANCE.md). At a higher nice value the kernel gives the
//!   readers most of a busy CPU and the saves wait; on an idle machine a
//!   save runs as fast as before. Nothing is dropped: every write runs to
//!   its end and is answered, later under load.
//! - **Signed-in pages** (GET and HEAD with a cookie: an editor reading)
//!   run on a lane of their own at the readers' priority. Rendered among
//!   the readers' tasks, an editor's page waited behind dozens of them at
//!   each of its database queries, and the more the readers got of the
//!   CPU the longer it waited; on its own threads the kernel gives it a
//!   fair share at once.
//!
//! A lane is a Tokio runtime rather than a thread pool because these
//! handlers are async through and through (sessions, the store, renders).

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// The write lane's nice value (0 is the default, 19 the lowest). Chosen
/// with the bench's write runs on a 2-core machine (docs/PERFORMANCE.md,
/// issue 17, seventh part): beside sixteen editors saving back to back,
/// readers kept 0.73 of their rate at 0, 0.87 at 10, 0.91–0.96 at 15 and
/// 0.96 at 19, where a save's p99 passed a second and an editor's page
/// load 110 ms.
pub const WRITE_LANE_NICE: i32 = 15;

/// One lane: a runtime whose threads run at a given nice value.
pub struct Lane {
    runtime: tokio::runtime::Runtime,
}

impl Lane {
    /// Starts `threads` worker threads named `name` (and blocking threads
    /// as needed), each at nice `nice` where the system allows it (Linux);
    /// elsewhere they run at the process's own priority.
    pub fn start(name: &str, threads: usize, nice: i32) -> std::io::Result<Lane> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name(name)
            .on_thread_start(move || lower_this_threads_priority(nice))
            .enable_all()
            .build()?;
        Ok(Lane { runtime })
    }

    fn handle(&self) -> tokio::runtime::Handle {
        self.runtime.handle().clone()
    }

    /// Stops the lane's threads without waiting: call it once the server
    /// has answered its last request (a request's task ends before its
    /// answer is sent). Safe in async code, unlike dropping the runtime.
    fn stop(self) {
        self.runtime.shutdown_background();
    }
}

/// The two lanes `accord serve` runs: writes, and signed-in pages.
pub struct Lanes {
    writes: Lane,
    signed_in: Lane,
}

impl Lanes {
    /// Starts both lanes with `threads` threads each, the write lane at
    /// nice `write_nice`, the signed-in lane at the process's own.
    pub fn start(threads: usize, write_nice: i32) -> std::io::Result<Lanes> {
        Ok(Lanes {
            writes: Lane::start("accord-writes", threads, write_nice)?,
            signed_in: Lane::start("accord-signed-in", threads, 0)?,
        })
    }

    /// What the middleware needs (`run_in_lanes`).
    pub fn handle(&self) -> LanesHandle {
        LanesHandle {
            writes: self.writes.handle(),
            signed_in: self.signed_in.handle(),
        }
    }

    /// Stops both lanes' threads (see `Lane::stop`).
    pub fn stop(self) {
        self.writes.stop();
        self.signed_in.stop();
    }
}

/// Where the middleware runs each kind of request.
#[derive(Clone)]
pub struct LanesHandle {
    writes: tokio::runtime::Handle,
    signed_in: tokio::runtime::Handle,
}

/// Gives the calling thread the nice value `nice`. Linux keeps a nice
/// value per thread (`setpriority(2)`, NOTES), so this leaves the rest of
/// the process as it was. Raising one's own nice value needs no
/// privilege; 0 leaves the thread as it was started.
#[cfg(target_os = "linux")]
fn lower_this_threads_priority(nice: i32) {
    if nice == 0 {
        return;
    }
    // SAFETY: gettid and setpriority take and return plain integers and
    // touch no memory of ours.
    let result = unsafe {
        let thread = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, nice)
    };
    if result != 0 {
        tracing::warn!(
            error = %std::io::Error::last_os_error(),
            nice,
            "could not lower a lane thread's priority; it runs at the readers' priority"
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority(_nice: i32) {}

/// The middleware: a request that may write (any method but GET and HEAD)
/// is handled, to its answer, on the write lane; a GET or HEAD that
/// carries a cookie (a signed-in editor's) on the signed-in lane; readers'
/// requests stay where they are. A write's task runs to the end even if
/// the client goes away, so a write is never cut off half-way by a closed
/// connection (the store's writes are transactions either way).
pub async fn run_in_lanes(State(lanes): State<LanesHandle>, request: Request, next: Next) -> Response {
    let lane = if !matches!(*request.method(), Method::GET | Method::HEAD) {
        &lanes.writes
    } else if request.headers().contains_key(header::COOKIE) {
        &lanes.signed_in
    } else {
        return next.run(request).await;
    };
    match lane.spawn(next.run(request)).await {
        Ok(response) => response,
        Err(error) => {
            // A handler that panicked: its cause was printed by the panic
            // hook; the client gets a plain 500, the connection stays up.
            tracing::error!(%error, "a request's handler ended without an answer");
            let mut response = Response::new(axum::body::Body::from("The server could not complete this request.\n"));
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::routing::get;
    use axum::Router;
    use std::time::Duration;
    use tower::ServiceExt;

    /// How long a test waits for an answer before it fails.
    const ANSWER_LIMIT: Duration = Duration::from_secs(10);

    /// The nice value and name of the thread a handler ran on.
    async fn where_am_i() -> String {
        let nice = current_nice();
        let name = std::thread::current().name().unwrap_or("").to_owned();
        format!("{nice} {name}")
    }

    #[cfg(target_os = "linux")]
    fn current_nice() -> i32 {
        // SAFETY: plain integers in and out. getpriority can return -1 as
        // a value; errno tells it from an error, and the calling thread's
        // own priority never fails to read.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) }
    }

    #[cfg(not(target_os = "linux"))]
    fn current_nice() -> i32 {
        0
    }

    /// Readers' requests run where they came in, at the process's
    /// priority; a signed-in GET on the signed-in lane at that priority;
    /// writes on the write lane at `WRITE_LANE_NICE`, answered all the
    /// same; a panicking write is a 500, not a lost connection, and the
    /// lane goes on.
    #[test]
    fn each_kind_of_request_runs_on_its_lane_at_its_priority() {
        let lanes = Lanes::start(1, WRITE_LANE_NICE).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let reader_nice = current_nice();
        let app = Router::new()
            .route(
                "/",
                get(where_am_i).post(where_am_i).put(|| async {
                    if true {
                        panic!("a handler's bug");
                    }
                    ""
                }),
            )
            .layer(axum::middleware::from_fn_with_state(lanes.handle(), run_in_lanes));
        let answer = |method: &str, cookie: Option<&str>| {
            let mut request = axum::http::Request::builder().method(method).uri("/");
            if let Some(cookie) = cookie {
                request = request.header(header::COOKIE, cookie);
            }
            let request = request.body(Body::empty()).unwrap();
            let app = app.clone();
            runtime.block_on(async move {
                let response = tokio::time::timeout(ANSWER_LIMIT, app.oneshot(request))
                    .await
                    .unwrap()
                    .unwrap();
                let status = response.status();
                let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
                (status, String::from_utf8(body.to_vec()).unwrap())
            })
        };
        let here = std::thread::current().name().unwrap_or("").to_owned();
        assert_eq!(answer("GET", None), (StatusCode::OK, format!("{reader_nice} {here}")));
        assert_eq!(answer("HEAD", None).0, StatusCode::OK);
        assert_eq!(
            answer("GET", Some("id=editor")),
            (StatusCode::OK, format!("{reader_nice} accord-signed-in"))
        );
        let write_nice = if cfg!(target_os = "linux") {
            WRITE_LANE_NICE.max(reader_nice)
        } else {
            reader_nice
        };
        let written = format!("{write_nice} accord-writes");
        assert_eq!(answer("POST", None), (StatusCode::OK, written.clone()));
        assert_eq!(answer("POST", Some("id=editor")), (StatusCode::OK, written.clone()));
        assert_eq!(
            answer("PUT", None),
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The server could not complete this request.\n".to_owned()
            )
        );
        assert_eq!(answer("POST", None), (StatusCode::OK, written));
        lanes.stop();
    }
}
