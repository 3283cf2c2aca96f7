//! Threads of their own for editors' writes, so that their turns are
//! charged everything a write costs (issue 17, point 2).
//!
//! A write's request renders again the pages it made stale, and a render is
//! not one future: Leptos runs the page and each of its resources as tasks
//! of their own (`tokio::spawn`, through `any_spawner`), which the thread
//! polling the request never sees. `tokio::spawn` puts a task on the
//! runtime that spawns it, so a write run here keeps its whole family of
//! tasks on these threads, whose names (`THREAD_NAME`) the turns read the
//! CPU clocks of (`counted_threads`), as they read the database
//! connections'. What runs here is what takes a write turn: a request
//! other than GET and HEAD that carries the session cookie (an editor's
//! save, or a post with a made-up cookie, refused and charged like a
//! save). Readers' pages never run here.
//!
//! The runtime is tokio's own, with as many workers as there are cores:
//! with no readers to yield to, editors save as fast as before.
//!
//! What the turns miss: a thread the runtime starts for blocking work
//! during a window is counted from the next window on (the list of
//! threads is read at most once a second), and a write whose client goes
//! away stops at its next await, the end of that step charged to no
//! window.

use std::future::Future;

/// The name of every thread of the writes' runtime (at most 15 bytes, the
/// length Linux keeps).
pub const THREAD_NAME: &str = "accord-write";

/// A tokio runtime for editors' writes (see the module's documentation).
pub struct WriteRuntime {
    /// Always `Some` until dropped.
    runtime: Option<tokio::runtime::Runtime>,
}

impl WriteRuntime {
    /// A runtime of `workers` threads (at least one).
    pub fn new(workers: usize) -> std::io::Result<WriteRuntime> {
        WriteRuntime::with_thread_name(workers, THREAD_NAME)
    }

    /// `new` with threads named `name` (the tests', which must not count
    /// each other's threads).
    pub(super) fn with_thread_name(workers: usize, name: &'static str) -> std::io::Result<WriteRuntime> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers.max(1))
            .thread_name(name)
            .enable_all()
            .build()?;
        Ok(WriteRuntime { runtime: Some(runtime) })
    }

    /// Runs `work` on the writes' threads, with every task it spawns, and
    /// returns its output. Dropped before it ends (the client went away),
    /// it stops `work` at its next await, as a request's future would be
    /// stopped; a panic in `work` goes on in the caller, as if `work` had
    /// run there.
    pub async fn run<F>(&self, work: F) -> F::Output
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let Some(runtime) = &self.runtime else {
            return work.await;
        };
        // The write logs as if it ran here: in the caller's span, to the
        // caller's subscriber (a test's, set for its own thread, included).
        use tracing::instrument::{Instrument, WithSubscriber};
        let dispatch = tracing::dispatcher::get_default(|dispatch| dispatch.clone());
        let task = runtime.spawn(work.instrument(tracing::Span::current()).with_subscriber(dispatch));
        let _stop_if_dropped = AbortOnDrop(task.abort_handle());
        match task.await {
            Ok(output) => output,
            Err(failure) if failure.is_panic() => std::panic::resume_unwind(failure.into_panic()),
            // Cancelled only by this future's drop (which no longer polls
            // it) or by the runtime's shutdown, when the server is exiting
            // and no one waits for the answer.
            Err(_) => std::future::pending().await,
        }
    }
}

impl Drop for WriteRuntime {
    fn drop(&mut self) {
        // Dropping a runtime blocks until its tasks end, which a runtime's
        // own thread (where the server drops it) must not do.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn thread_name() -> String {
        std::thread::current().name().unwrap_or_default().to_owned()
    }

    #[tokio::test]
    async fn a_write_and_the_tasks_it_spawns_run_on_the_writes_threads() {
        let runtime = WriteRuntime::new(2).unwrap();
        let (own, spawned, nested) = runtime
            .run(async {
                let spawned = tokio::spawn(async {
                    let nested = tokio::spawn(async { thread_name() }).await.unwrap();
                    (thread_name(), nested)
                });
                let own = thread_name();
                let (spawned, nested) = spawned.await.unwrap();
                (own, spawned, nested)
            })
            .await;
        assert_eq!([own, spawned, nested], [THREAD_NAME; 3]);
        assert_ne!(thread_name(), THREAD_NAME, "the caller stays where it was");
    }

    #[tokio::test]
    async fn a_write_logs_to_its_callers_subscriber() {
        let runtime = WriteRuntime::new(1).unwrap();
        let logged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let writer = {
            let logged = logged.clone();
            move || LogLine(logged.clone())
        };
        let subscriber = tracing_subscriber::fmt().with_writer(writer).with_ansi(false).finish();
        // Set for this thread only, as the site tests set theirs.
        let _guard = tracing::subscriber::set_default(subscriber);
        runtime
            .run(async { tracing::info!("saved on the writes' thread") })
            .await;
        let text = String::from_utf8(logged.lock().unwrap().clone()).unwrap();
        assert!(text.contains("saved on the writes' thread"), "{text:?}");
    }

    struct LogLine(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for LogLine {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_write_whose_caller_goes_away_stops() {
        let runtime = WriteRuntime::new(1).unwrap();
        let (dropped, told) = tokio::sync::oneshot::channel::<()>();
        let (started, began) = tokio::sync::oneshot::channel::<()>();
        let mut write = Box::pin(runtime.run(async move {
            // Held until the write's future is dropped.
            let _dropped = dropped;
            let _ = started.send(());
            std::future::pending::<()>().await;
        }));
        tokio::select! {
            _ = &mut write => panic!("the write never ends on its own"),
            started = began => started.expect("the write runs"),
        }
        drop(write);
        // Its future dropped, the sender it held goes with it.
        let stopped = tokio::time::timeout(Duration::from_secs(5), told).await;
        assert!(stopped.expect("stopped within 5 s").is_err());
    }

    #[tokio::test]
    async fn a_panicking_write_panics_in_its_caller() {
        let runtime = WriteRuntime::new(1).unwrap();
        let caller = tokio::spawn(async move {
            runtime
                .run(async {
                    panic!("a write's own panic");
                })
                .await
        });
        let failure = caller.await.unwrap_err();
        assert!(failure.is_panic());
        let message = failure.into_panic();
        assert_eq!(message.downcast_ref::<&str>(), Some(&"a write's own panic"));
    }

    #[tokio::test]
    async fn dropping_the_runtime_inside_another_does_not_panic() {
        let runtime = WriteRuntime::new(1).unwrap();
        // A task still running when the runtime goes.
        runtime
            .run(async {
                drop(tokio::spawn(std::future::pending::<()>()));
            })
            .await;
        drop(runtime);
    }
}
