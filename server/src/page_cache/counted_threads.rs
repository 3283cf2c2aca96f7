//! The CPU time spent by the threads that work for editors' writes
//! outside the thread polling the request, for their turns
//! (`write_turns`).
//!
//! sqlx runs each SQLite connection on a thread of its own, and a save's
//! statements, its commit and the queries of the pages it renders again
//! run there; the store names those threads
//! (`store::CONNECTION_THREAD_PREFIX`). The writes themselves, with every
//! task they spawn, run on the writes' runtime (`write_runtime`), whose
//! threads are named too. This finds the threads by name among the
//! process's (`/proc/self/task`) and reads each one's CPU clock. Elsewhere
//! than on Linux no thread is found, and only the request's own threads
//! are counted.

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How often the list of threads is read again: connections are opened
/// and closed by the pool now and then, not on every request.
const RESCAN_EVERY: Duration = Duration::from_secs(1);

/// The threads whose names start with one of some prefixes, and their CPU
/// time.
pub struct CountedThreads {
    prefixes: &'static [&'static str],
    known: Mutex<Known>,
}

struct Known {
    /// Thread ids, as `/proc/self/task` lists them.
    threads: Vec<i32>,
    scanned_at: Option<Instant>,
}

/// The CPU time of each thread at one moment.
#[derive(Debug)]
pub struct Snapshot {
    threads: Vec<(i32, Duration)>,
}

impl CountedThreads {
    pub fn new(prefixes: &'static [&'static str]) -> CountedThreads {
        CountedThreads {
            prefixes,
            known: Mutex::new(Known {
                threads: Vec::new(),
                scanned_at: None,
            }),
        }
    }

    fn known(&self) -> MutexGuard<'_, Known> {
        // Only ever replaced whole.
        self.known.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The CPU time each of the threads has used so far.
    pub fn snapshot(&self) -> Snapshot {
        let threads = {
            let mut known = self.known();
            if known.scanned_at.is_none_or(|at| at.elapsed() >= RESCAN_EVERY) {
                known.threads = threads_named(self.prefixes);
                known.scanned_at = Some(Instant::now());
            }
            known.threads.clone()
        };
        Snapshot {
            threads: threads
                .into_iter()
                .filter_map(|thread| Some((thread, thread_cpu_time(thread)?)))
                .collect(),
        }
    }

    /// The CPU time the threads of `since` have used after it was taken
    /// (a thread that has ended since counts nothing, a new one is not in
    /// it).
    pub fn spent_since(&self, since: &Snapshot) -> Duration {
        since
            .threads
            .iter()
            .filter_map(|(thread, then)| Some(thread_cpu_time(*thread)?.saturating_sub(*then)))
            .sum()
    }
}

/// The ids of this process's threads whose names start with one of
/// `prefixes`.
#[cfg(target_os = "linux")]
fn threads_named(prefixes: &[&str]) -> Vec<i32> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Vec::new();
    };
    tasks
        .filter_map(|task| {
            let task = task.ok()?;
            let id: i32 = task.file_name().to_str()?.parse().ok()?;
            let name = std::fs::read_to_string(task.path().join("comm")).ok()?;
            prefixes.iter().any(|prefix| name.starts_with(prefix)).then_some(id)
        })
        .collect()
}

#[cfg(not(target_os = "linux"))]
fn threads_named(_prefixes: &[&str]) -> Vec<i32> {
    Vec::new()
}

/// The CPU time thread `thread` of this process has used, from its CPU
/// clock; `None` if it has ended (or the system refuses).
#[cfg(target_os = "linux")]
fn thread_cpu_time(thread: i32) -> Option<Duration> {
    // Linux names a thread's CPU clock by its id: the bits glibc's
    // `pthread_getcpuclockid` computes (the id inverted, shifted left by
    // three, then "per thread" and "scheduler time").
    let clock: libc::clockid_t = ((!thread) << 3) | 6;
    super::write_turns::cpu_clock_time(clock)
}

#[cfg(not(target_os = "linux"))]
fn thread_cpu_time(_thread: i32) -> Option<Duration> {
    None
}

/// A thread named `name` standing for a connection's: told a
/// duration, it works that much CPU time and says so.
#[cfg(all(test, target_os = "linux"))]
pub(super) struct WorkingThread {
    work: std::sync::mpsc::Sender<Duration>,
    done: std::sync::mpsc::Receiver<()>,
    handle: std::thread::JoinHandle<()>,
    id: i32,
}

#[cfg(all(test, target_os = "linux"))]
impl WorkingThread {
    /// Returns once the thread runs (and so has its name).
    pub(super) fn start(name: &str) -> WorkingThread {
        let (work, told) = std::sync::mpsc::channel::<Duration>();
        let (report, done) = std::sync::mpsc::channel();
        let (started, id) = std::sync::mpsc::channel();
        let handle = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                // SAFETY: gettid has no preconditions.
                started.send(unsafe { libc::gettid() }).unwrap();
                while let Ok(amount) = told.recv() {
                    super::write_turns::spin_cpu(amount);
                    report.send(()).unwrap();
                }
            })
            .unwrap();
        let id = id.recv().unwrap();
        WorkingThread { work, done, handle, id }
    }

    pub(super) fn work(&self, amount: Duration) {
        self.work.send(amount).unwrap();
        self.done.recv().unwrap();
    }

    pub(super) fn end(self) {
        drop(self.work);
        self.handle.join().unwrap();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn the_cpu_time_of_threads_with_a_prefix_is_counted_and_others_are_not() {
        let threads = CountedThreads::new(&["conn-threads-t", "also-counted"]);
        let before = threads.snapshot();
        assert!(before.threads.is_empty(), "{before:?}");

        let counted = WorkingThread::start("conn-threads-t1");
        let also = WorkingThread::start("also-counted");
        let other = WorkingThread::start("another-thread");
        // Found once the list is read again.
        threads.known().scanned_at = None;
        let snapshot = threads.snapshot();
        let mut found: Vec<i32> = snapshot.threads.iter().map(|(id, _)| *id).collect();
        found.sort_unstable();
        let mut expected = vec![counted.id, also.id];
        expected.sort_unstable();
        assert_eq!(found, expected, "not {}", other.id);

        // What they work after the snapshot is counted, the other's not.
        counted.work(Duration::from_millis(5));
        also.work(Duration::from_millis(3));
        other.work(Duration::from_millis(5));
        let spent = threads.spent_since(&snapshot);
        assert!(spent >= Duration::from_millis(8), "{spent:?}");
        assert!(spent < Duration::from_millis(20), "{spent:?}");

        counted.end();
        also.end();
        other.end();
        assert_eq!(
            threads.spent_since(&snapshot),
            Duration::ZERO,
            "an ended thread counts nothing"
        );
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn the_stores_connection_threads_are_found_and_their_queries_counted() {
        let pool = store::connect("sqlite::memory:").await.unwrap();
        // One connection throughout: the pool opens another when the last
        // one has not been handed back yet, and a thread newer than the
        // snapshot is not in it.
        let mut connection = pool.acquire().await.unwrap();
        sqlx::query("SELECT 1").execute(&mut *connection).await.unwrap();
        let threads = CountedThreads::new(&[store::CONNECTION_THREAD_PREFIX]);
        let snapshot = threads.snapshot();
        assert!(!snapshot.threads.is_empty(), "no connection thread found");
        // A query that keeps SQLite busy for a while, on a connection's
        // thread: its CPU time is counted.
        let sum: i64 = sqlx::query_scalar(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT sum(i) FROM n",
        )
        .fetch_one(&mut *connection)
        .await
        .unwrap();
        assert_eq!(sum, 300_000 * 300_001 / 2);
        let spent = threads.spent_since(&snapshot);
        assert!(spent >= Duration::from_millis(1), "{spent:?}");
        drop(connection);
        pool.close().await;
    }
}
