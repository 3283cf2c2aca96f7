//! Editors' writes take turns while readers are being answered (issue 17,
//! point 2).
//!
//! When every core is busy, each millisecond the server spends on a save is
//! one its readers do not get, and sixteen editors saving back to back
//! would take a quarter of the machine from them. So while readers are
//! being answered, an editor's write (any request but GET and HEAD that
//! carries the session cookie) runs in a *window*:
//!
//! - every write waiting when a window opens runs in it, together (so the
//!   store's group commit can take them in one transaction);
//! - a write that arrives while a window runs waits for the next one;
//! - the next window opens after a pause that leaves the writes `share` of
//!   one core's time: a window whose writes spent `c` of CPU time is
//!   followed by a pause of `c × (1 − share) / share`, never more than
//!   [`MAX_PAUSE`].
//!
//! CPU time, not the time a window takes: on a busy machine a save spends
//! most of its time waiting for a core or the disk, and charging that to
//! the editors would make a lone save wait for the readers' sake when it
//! costs them almost nothing. What is counted is the CPU the threads
//! polling the request spend in it (`Turn::run`), and, while the window is
//! open, the CPU of the threads that work for writes (`counted_threads`):
//! the writes' runtime's, where the server runs each write with every task
//! it spawns (`write_runtime`: its handling and the pages it renders again,
//! Leptos's resources included), and the database connections' (SQLite's
//! own work on a save's statements, its commit and the refreshed pages'
//! queries, and whatever else queries beside them: the few readers'
//! renders, the JSON API, exports). Not counted: hyper's reading and
//! writing of the request. So `share` is set by measuring what the readers
//! keep (docs/PERFORMANCE.md, issue 17, eighth to tenth parts).
//!
//! With no reader answered recently (the page cache tells the turns of
//! each page it serves from memory, `reader_answered`), writes do not wait
//! at all, so editors alone save as fast as before. A window that runs
//! longer than [`MAX_WINDOW`] is waiting on something other than the CPU
//! (a client sending its form slowly, say) and stops holding the next one
//! back, so a write waits at most about `MAX_WINDOW` + `MAX_PAUSE` for its
//! turn.
//! Unlike lowering the writes' thread priority (tried and taken back,
//! docs/PERFORMANCE.md, "Issue 17, seventh part"), a write that runs runs
//! at everyone's priority (on the writes' own runtime, `write_runtime.rs`,
//! sharing the readers' database pool), so nothing a reader or an
//! editor's page needs is ever held by a slowed task, and a
//! write whose client leaves stops with its request.
//!
//! Time is tokio's clock, so the tests can move it.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

use super::counted_threads::{CountedThreads, Snapshot};

/// The longest pause between two windows, however long the last one ran.
pub const MAX_PAUSE: Duration = Duration::from_secs(1);

/// The longest a window holds the next one back: past it, the writes
/// waiting open the next window beside it.
pub const MAX_WINDOW: Duration = Duration::from_millis(250);

/// The smallest share writes can be given.
pub const MIN_SHARE: f64 = 0.01;

/// Readers count as being answered if one was within this long.
pub const READERS_RECENT: Duration = Duration::from_millis(100);

/// The turns of editors' writes (see the module's documentation).
pub struct WriteTurns {
    /// How much of the time writes may run while readers are answered:
    /// from just above 0 to 1 (1: writes never wait).
    share: f64,
    state: Mutex<State>,
    /// When a reader was last answered: milliseconds after `origin`, plus
    /// one (0: never). Set on every page served from memory, so kept to
    /// one relaxed atomic.
    last_reader: AtomicU64,
    origin: Instant,
    /// The database connections' threads, whose CPU time during a window is
    /// charged to it (`None`: only the requests' own threads count).
    database: Option<CountedThreads>,
    /// Bumped whenever a window opens or closes, under `state`'s lock.
    events: watch::Sender<u64>,
}

#[derive(Debug)]
struct State {
    /// Windows opened so far.
    opened: u64,
    /// Writes let into the current window that have not ended.
    in_window: usize,
    /// Writes waiting for the next window.
    waiting: usize,
    window_began: Instant,
    /// CPU time the current window's writes have spent so far (see
    /// `Turn::run`).
    window_cpu: Duration,
    /// The database threads' CPU times when the current window opened,
    /// until it is charged to it.
    window_database: Option<Snapshot>,
    /// When the next window may open.
    reopen_at: Instant,
}

/// A write's turn: while it is held the write runs. Dropping it (the
/// write ended, or its request was dropped) ends its part of the window.
#[must_use = "the turn ends when it is dropped"]
pub struct Turn<'a> {
    /// The window it runs in, by number; `None`: the write did not take
    /// part in a window.
    window: Option<(&'a WriteTurns, u64)>,
    /// CPU time the write has spent (`Turn::run`).
    spent: Duration,
}

impl WriteTurns {
    /// Turns that leave writes `share` of the time while readers are
    /// answered: at least `MIN_SHARE`; above 1, at or below 0, or not a
    /// number, it is taken as 1 (writes never wait). Only the CPU time of
    /// the threads polling the writes is charged.
    pub fn new(share: f64) -> WriteTurns {
        WriteTurns::charging_database(share, None)
    }

    /// `new`, also charging each window the CPU time that the database
    /// connections' threads (named with `store::CONNECTION_THREAD_PREFIX`)
    /// and the writes' runtime's threads (`write_runtime::THREAD_NAME`)
    /// spend while it is open.
    pub fn with_counted_threads(share: f64) -> WriteTurns {
        const COUNTED: &[&str] = &[store::CONNECTION_THREAD_PREFIX, super::write_runtime::THREAD_NAME];
        WriteTurns::charging_database(share, Some(CountedThreads::new(COUNTED)))
    }

    fn charging_database(share: f64, database: Option<CountedThreads>) -> WriteTurns {
        let share = if share > 0.0 && share <= 1.0 {
            share.max(MIN_SHARE)
        } else {
            1.0
        };
        let now = Instant::now();
        WriteTurns {
            share,
            state: Mutex::new(State {
                opened: 0,
                in_window: 0,
                waiting: 0,
                window_began: now,
                window_cpu: Duration::ZERO,
                window_database: None,
                reopen_at: now,
            }),
            last_reader: AtomicU64::new(0),
            origin: now,
            database,
            events: watch::Sender::new(0),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // Every change under the lock is a few counters set together, with
        // nothing that can panic between them.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A reader was just answered.
    pub fn reader_answered(&self) {
        let at = u64::try_from(self.origin.elapsed().as_millis())
            .unwrap_or(u64::MAX - 1)
            .saturating_add(1);
        // Most readers come within the same millisecond as the last: no
        // store, so the line is not taken from the other cores.
        if self.last_reader.load(Ordering::Relaxed) != at {
            self.last_reader.store(at, Ordering::Relaxed);
        }
    }

    /// Whether a reader was answered within `READERS_RECENT` before `now`.
    pub(super) fn readers_answered(&self, now: Instant) -> bool {
        match self.last_reader.load(Ordering::Relaxed) {
            0 => false,
            at => now.saturating_duration_since(self.origin + Duration::from_millis(at - 1)) < READERS_RECENT,
        }
    }

    /// Waits for a write's turn.
    pub async fn take(&self) -> Turn<'_> {
        if self.share >= 1.0 {
            return Turn {
                window: None,
                spent: Duration::ZERO,
            };
        }
        let mut events = self.events.subscribe();
        let ticket = {
            let mut state = self.state();
            events.borrow_and_update();
            let now = Instant::now();
            if !self.readers_answered(now) {
                return Turn {
                    window: None,
                    spent: Duration::ZERO,
                };
            }
            if let Some(window) = self.open_if_due(&mut state, now, 1) {
                return Turn {
                    window: Some((self, window)),
                    spent: Duration::ZERO,
                };
            }
            state.waiting += 1;
            state.opened
        };
        // From here the write is counted: in `waiting` until a window
        // opens, then in that window. `Waiting` undoes the right one if
        // the request is dropped while it waits.
        let mut waiting = Waiting {
            turns: self,
            ticket: Some(ticket),
        };
        loop {
            let wake_at = {
                let mut state = self.state();
                events.borrow_and_update();
                let now = Instant::now();
                if state.opened > ticket {
                    // Let into the window opened after it came.
                    waiting.ticket = None;
                    return Turn {
                        window: Some((self, ticket + 1)),
                        spent: Duration::ZERO,
                    };
                }
                if !self.readers_answered(now) {
                    state.waiting -= 1;
                    waiting.ticket = None;
                    return Turn {
                        window: None,
                        spent: Duration::ZERO,
                    };
                }
                if let Some(window) = self.open_if_due(&mut state, now, 0) {
                    waiting.ticket = None;
                    return Turn {
                        window: Some((self, window)),
                        spent: Duration::ZERO,
                    };
                }
                // Look again when the next window is due, or when readers
                // may have stopped.
                state.next_window_due().min(now + READERS_RECENT)
            };
            tokio::select! {
                _ = events.changed() => {}
                _ = tokio::time::sleep_until(wake_at) => {}
            }
        }
    }

    /// Opens the next window if it is due (see `State::next_window_due`),
    /// with every waiting write and `newcomers` in it; returns its number.
    /// Writes still running in a window given up on end on their own.
    fn open_if_due(&self, state: &mut State, now: Instant, newcomers: usize) -> Option<u64> {
        if now < state.next_window_due() {
            return None;
        }
        // A window given up on has not been charged its database time yet:
        // what it spent so far lengthens the next pause.
        let carried = match (&self.database, state.window_database.take()) {
            (Some(database), Some(since)) => database.spent_since(&since),
            _ => Duration::ZERO,
        };
        state.opened += 1;
        state.in_window = state.waiting + newcomers;
        state.waiting = 0;
        state.window_began = now;
        state.window_cpu = carried;
        state.window_database = self.database.as_ref().map(CountedThreads::snapshot);
        self.events.send_modify(|n| *n += 1);
        Some(state.opened)
    }

    /// When the next window may open (for the page cache's tests).
    #[cfg(test)]
    pub(super) fn next_window_due(&self) -> Instant {
        self.state().next_window_due()
    }

    /// A write of window `window` ended, having spent `cpu`; the last one
    /// of the current window sets the pause.
    fn leave_window(&self, window: u64, cpu: Duration) {
        let mut state = self.state();
        // A write of a window given up on (it ran past `MAX_WINDOW`) is
        // charged to the current one: its CPU lengthens the next pause.
        state.window_cpu += cpu;
        if window != state.opened {
            return;
        }
        state.in_window -= 1;
        if state.in_window == 0 {
            if let (Some(database), Some(since)) = (&self.database, state.window_database.take()) {
                state.window_cpu += database.spent_since(&since);
            }
            let now = Instant::now();
            state.reopen_at = now + self.pause_after(state.window_cpu);
            self.events.send_modify(|n| *n += 1);
        }
    }

    /// The pause after a window whose writes spent `cpu`: long enough
    /// that they had `share` of one core's time.
    fn pause_after(&self, cpu: Duration) -> Duration {
        let factor = (1.0 - self.share) / self.share;
        Duration::from_secs_f64((cpu.as_secs_f64() * factor).min(MAX_PAUSE.as_secs_f64()))
    }
}

impl State {
    /// When the next window may open: once the current one has closed and
    /// its pause is over, or once it has run `MAX_WINDOW` (a write that
    /// slow is waiting on something other than the CPU, such as a client
    /// sending its form slowly, and must not hold the other editors).
    fn next_window_due(&self) -> Instant {
        if self.in_window == 0 {
            self.reopen_at
        } else {
            self.window_began + MAX_WINDOW
        }
    }
}

impl Turn<'_> {
    /// Runs `work` (the write), charging to this turn's window the CPU
    /// time each poll of it takes on the thread that polls it: the
    /// request's handling and the pages it renders again, not the time it
    /// waits for the CPU, the disk or the database's thread.
    pub async fn run<F: Future>(&mut self, work: F) -> F::Output {
        if self.window.is_none() {
            return work.await;
        }
        let mut work = std::pin::pin!(work);
        std::future::poll_fn(|context| {
            let before = thread_cpu_time();
            let polled = work.as_mut().poll(context);
            if let (Some(before), Some(after)) = (before, thread_cpu_time()) {
                self.charge(after.saturating_sub(before));
            }
            polled
        })
        .await
    }

    fn charge(&mut self, cpu: Duration) {
        self.spent += cpu;
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        if let Some((turns, window)) = self.window {
            turns.leave_window(window, self.spent);
        }
    }
}

/// The CPU time the calling thread has used so far, if the system tells
/// (a sandbox may refuse: the write is then charged nothing).
pub(super) fn thread_cpu_time() -> Option<Duration> {
    cpu_clock_time(libc::CLOCK_THREAD_CPUTIME_ID)
}

/// Works `amount` of CPU time on the calling thread (for the tests that
/// charge a turn, and their stand-ins for connection threads).
#[cfg(test)]
pub(super) fn spin_cpu(amount: Duration) {
    let cpu = || thread_cpu_time().expect("the thread's CPU clock");
    let began = cpu();
    let mut x = 0u64;
    while cpu() - began < amount {
        x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
    }
}

/// The time of CPU clock `clock`, if the system tells.
pub(super) fn cpu_clock_time(clock: libc::clockid_t) -> Option<Duration> {
    let mut now = std::mem::MaybeUninit::<libc::timespec>::uninit();
    // SAFETY: the pointer is to a `timespec` this function owns, which
    // `clock_gettime` fills when it returns 0.
    let read = unsafe { libc::clock_gettime(clock, now.as_mut_ptr()) };
    if read != 0 {
        return None;
    }
    // SAFETY: it returned 0, so it filled the `timespec`.
    let now = unsafe { now.assume_init() };
    Some(Duration::new(
        u64::try_from(now.tv_sec).ok()?,
        u32::try_from(now.tv_nsec).ok()?,
    ))
}

/// A write waiting for its window, which the window may already count.
struct Waiting<'a> {
    turns: &'a WriteTurns,
    /// The number of windows opened when it came; `None` once it has its
    /// turn (or goes without), when there is nothing to undo.
    ticket: Option<u64>,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let Some(ticket) = self.ticket else {
            return;
        };
        // Dropped while waiting: leave whichever it was counted in.
        let counted_in_window = {
            let mut state = self.turns.state();
            if state.opened > ticket {
                true
            } else {
                state.waiting -= 1;
                false
            }
        };
        if counted_in_window {
            self.turns.leave_window(ticket + 1, Duration::ZERO);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// Turns at `share`, shared with spawned writes, one reader just
    /// answered.
    fn turns_after_a_reader(share: f64) -> Arc<WriteTurns> {
        let turns = Arc::new(WriteTurns::new(share));
        turns.reader_answered();
        turns
    }

    /// Whether `task` is still waiting after the runtime has run every
    /// other task it can (with the clock paused, nothing moves time).
    async fn still_waiting<T>(task: &tokio::task::JoinHandle<T>) -> bool {
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        !task.is_finished()
    }

    #[tokio::test(start_paused = true)]
    async fn with_no_reader_answered_writes_never_wait() {
        let turns = WriteTurns::new(0.1);
        let first = turns.take().await;
        // Another write while the first runs: no window, no wait.
        let second = tokio::time::timeout(Duration::ZERO, turns.take()).await;
        assert!(second.is_ok(), "a write waited with no reader about");
        assert!(first.window.is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn a_share_of_one_lets_every_write_run_at_once() {
        let turns = WriteTurns::new(1.0);
        turns.reader_answered();
        let first = turns.take().await;
        turns.reader_answered();
        let second = tokio::time::timeout(Duration::ZERO, turns.take()).await;
        assert!(second.is_ok_and(|turn| turn.window.is_none()) && first.window.is_none());
        // Out of range is taken as 1 too.
        for share in [0.0, -1.0, 1.5, f64::NAN] {
            assert_eq!(WriteTurns::new(share).share, 1.0, "{share}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn while_readers_are_answered_a_write_waits_for_the_window_and_the_pause_after_it() {
        let turns = turns_after_a_reader(0.2);
        let first = turns.take().await;
        assert!(first.window.is_some(), "the first write opens a window");

        let waiter = {
            let turns = turns.clone();
            tokio::spawn(async move {
                let turn = turns.take().await;
                let began = Instant::now();
                drop(turn);
                began
            })
        };
        assert!(still_waiting(&waiter).await, "a write arriving during a window waits");
        // The window's write spent 10 ms of CPU (in 30 ms); at a share of
        // 0.2 the pause is 4 × 10 ms.
        tokio::time::advance(Duration::from_millis(30)).await;
        turns.reader_answered();
        let closed_at = Instant::now();
        let mut first = first;
        first.charge(Duration::from_millis(10));
        drop(first);
        assert!(still_waiting(&waiter).await, "the next window waits for the pause");
        tokio::time::advance(Duration::from_millis(30)).await;
        turns.reader_answered();
        assert!(still_waiting(&waiter).await, "30 ms of a 40 ms pause");
        let began = waiter.await.unwrap();
        let paused = began.duration_since(closed_at);
        assert!(
            paused.abs_diff(Duration::from_millis(40)) < Duration::from_micros(1),
            "{paused:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn every_write_waiting_when_a_window_opens_runs_in_it_and_later_ones_wait() {
        let turns = turns_after_a_reader(0.5);
        let first = turns.take().await;
        let spawn_write = || {
            let turns = turns.clone();
            tokio::spawn(async move {
                let turn = turns.take().await;
                // Holds its turn until told to end.
                std::future::pending::<()>().await;
                drop(turn);
            })
        };
        let waiting: Vec<_> = (0..3).map(|_| spawn_write()).collect();
        for write in &waiting {
            assert!(still_waiting(write).await);
        }
        tokio::time::advance(Duration::from_millis(2)).await;
        turns.reader_answered();
        // Its write spent 1 ms of CPU: at a share of 0.5, a pause of 1 ms.
        let mut first = first;
        first.charge(Duration::from_millis(1));
        drop(first);
        assert!(still_waiting(&waiting[0]).await, "the pause");
        tokio::time::advance(Duration::from_millis(1)).await;
        turns.reader_answered();
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        {
            let state = turns.state();
            assert_eq!((state.opened, state.in_window, state.waiting), (2, 3, 0), "{state:?}");
        }
        // A write arriving now waits for the window after this one.
        let late = spawn_write();
        assert!(still_waiting(&late).await);
        assert_eq!(turns.state().waiting, 1);
        late.abort();
        let _ = late.await;
        assert_eq!(turns.state().waiting, 0, "a dropped waiter is no longer counted");
        // The three are in the window whether or not they have run yet;
        // their requests dropped, the window closes.
        for write in waiting {
            write.abort();
            let _ = write.await;
        }
        assert_eq!(turns.state().in_window, 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_write_that_opens_a_window_takes_the_waiting_writes_in_with_it() {
        let turns = turns_after_a_reader(0.5);
        let first = turns.take().await;
        let (ended, _) = tokio::sync::watch::channel(());
        let waiting: Vec<_> = (0..2)
            .map(|_| {
                let (turns, mut ended) = (turns.clone(), ended.subscribe());
                tokio::spawn(async move {
                    let turn = turns.take().await;
                    let _ = ended.changed().await;
                    drop(turn);
                })
            })
            .collect();
        for write in &waiting {
            assert!(still_waiting(write).await);
        }
        // A window that spent no CPU has no pause after it: the moment it
        // closes, before the waiting writes wake, a new one comes and opens
        // the next window. All three are in it.
        turns.reader_answered();
        drop(first);
        let newcomer = tokio::time::timeout(Duration::ZERO, turns.take())
            .await
            .expect("the pause is over");
        {
            let state = turns.state();
            assert_eq!((state.opened, state.in_window, state.waiting), (2, 3, 0), "{state:?}");
        }
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        assert_eq!(turns.state().opened, 2, "the waiting writes ran in that window");
        ended.send_replace(());
        for write in waiting {
            write.await.unwrap();
        }
        drop(newcomer);
        assert_eq!(turns.state().in_window, 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_write_stops_waiting_when_readers_stop() {
        let turns = turns_after_a_reader(0.1);
        let _held = turns.take().await;
        let write = {
            let turns = turns.clone();
            tokio::spawn(async move {
                let arrived = Instant::now();
                let turn = turns.take().await;
                (arrived.elapsed(), turn.window.is_some())
            })
        };
        assert!(still_waiting(&write).await);
        // No reader after it came: it runs once readers count as gone.
        let (waited, in_window) = write.await.unwrap();
        assert_eq!(waited, READERS_RECENT);
        assert!(!in_window);
        assert_eq!(turns.state().waiting, 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_window_held_open_past_the_longest_window_no_longer_holds_the_next() {
        let turns = Arc::new(WriteTurns::new(0.1));
        let readers_keep_coming = {
            let turns = turns.clone();
            tokio::spawn(async move {
                loop {
                    turns.reader_answered();
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            })
        };
        tokio::task::yield_now().await;
        // A write whose client sends its form slowly.
        let slow = turns.take().await;
        let began = Instant::now();
        let next = turns.take().await;
        assert_eq!(began.elapsed(), MAX_WINDOW, "the next window opens beside the slow one");
        assert_eq!(turns.state().opened, 2);
        // The slow write ending does not close the window after it, but
        // what it spent lengthens that window's pause.
        let mut slow = slow;
        slow.charge(Duration::from_millis(50));
        drop(slow);
        assert_eq!(turns.state().in_window, 1);
        let closed_at = Instant::now();
        drop(next);
        assert_eq!(turns.state().in_window, 0);
        let pause = turns.state().reopen_at.duration_since(closed_at);
        assert!(
            pause.abs_diff(Duration::from_millis(450)) < Duration::from_micros(1),
            "{pause:?}"
        );
        readers_keep_coming.abort();
    }

    #[tokio::test(start_paused = true)]
    async fn a_write_counted_in_a_window_and_dropped_before_it_runs_leaves_it() {
        let turns = turns_after_a_reader(0.5);
        let first = turns.take().await;
        let waiter = {
            let turns = turns.clone();
            tokio::spawn(async move {
                let _turn = turns.take().await;
                std::future::pending::<()>().await;
            })
        };
        assert!(still_waiting(&waiter).await);
        // The window closes with no pause, and a newcomer opens the next
        // with the waiter in it; the waiter's request is dropped before it
        // wakes.
        turns.reader_answered();
        drop(first);
        let newcomer = tokio::time::timeout(Duration::ZERO, turns.take())
            .await
            .expect("no pause");
        assert_eq!(turns.state().in_window, 2);
        waiter.abort();
        let _ = waiter.await;
        assert_eq!(turns.state().in_window, 1);
        drop(newcomer);
        assert_eq!(turns.state().in_window, 0);
    }

    #[tokio::test]
    async fn a_turn_is_charged_the_cpu_its_write_spends_not_the_time_it_waits() {
        let turns = WriteTurns::new(0.5);
        turns.reader_answered();
        let mut turn = turns.take().await;
        // Waiting costs no CPU.
        turn.run(tokio::time::sleep(Duration::from_millis(50))).await;
        assert!(turn.spent < Duration::from_millis(5), "{:?}", turn.spent);
        // Work does, on whichever thread runs it.
        turn.run(async { spin_cpu(Duration::from_millis(20)) }).await;
        assert!(turn.spent >= Duration::from_millis(20), "{:?}", turn.spent);
        assert!(turn.spent < Duration::from_millis(45), "{:?}", turn.spent);
        // The window's pause follows from it: at 0.5, as long again.
        let spent = turn.spent;
        let before = Instant::now();
        drop(turn);
        let after = Instant::now();
        let reopen_at = turns.state().reopen_at;
        assert!(reopen_at >= before + spent && reopen_at <= after + spent, "{spent:?}");
    }

    #[test]
    fn the_pause_leaves_writes_their_share_and_is_bounded() {
        let turns = WriteTurns::new(0.1);
        let close = |a: Duration, b: Duration| a.abs_diff(b) < Duration::from_micros(1);
        assert!(close(
            turns.pause_after(Duration::from_millis(10)),
            Duration::from_millis(90)
        ));
        assert_eq!(turns.pause_after(Duration::from_millis(500)), MAX_PAUSE);
        let quarter = WriteTurns::new(0.25).pause_after(Duration::from_millis(4));
        assert!(close(quarter, Duration::from_millis(12)), "{quarter:?}");
        // However small the share asked for, the pause stays a number.
        for tiny in [1e-30, f64::MIN_POSITIVE, 5e-324] {
            let turns = WriteTurns::new(tiny);
            assert_eq!(turns.share, MIN_SHARE);
            assert_eq!(turns.pause_after(Duration::from_millis(20)), MAX_PAUSE);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_reader_long_gone_does_not_make_the_first_write_after_a_quiet_spell_wait() {
        let turns = turns_after_a_reader(0.1);
        let _held = turns.take().await;
        // The count of readers moved before the quiet spell; what counts
        // is when.
        tokio::time::advance(Duration::from_secs(60)).await;
        let second = tokio::time::timeout(Duration::ZERO, turns.take())
            .await
            .expect("no reader about: no wait");
        assert!(second.window.is_none());
    }

    #[cfg(target_os = "linux")]
    #[tokio::test(start_paused = true)]
    async fn the_database_threads_cpu_during_a_window_lengthens_its_pause() {
        use super::super::counted_threads::WorkingThread;
        // A thread standing for a connection's: it works 10 ms of CPU when
        // told, as SQLite does for a save.
        let connection = WorkingThread::start("turns-db-test1");
        let turns = WriteTurns::charging_database(0.5, Some(CountedThreads::new(&["turns-db-test"])));
        turns.reader_answered();
        let turn = turns.take().await;
        assert!(turn.window.is_some());
        connection.work(Duration::from_millis(10));
        let closed_at = Instant::now();
        drop(turn);
        // At a share of 0.5 the pause is as long as the CPU charged: the
        // connection's 10 ms, though the write's own thread spent none.
        let pause = turns.state().reopen_at.duration_since(closed_at);
        assert!(pause >= Duration::from_millis(10), "{pause:?}");
        assert!(pause < Duration::from_millis(40), "{pause:?}");
        // Without the connections counted, the same window leaves no pause.
        let turns = WriteTurns::new(0.5);
        turns.reader_answered();
        let turn = turns.take().await;
        connection.work(Duration::from_millis(10));
        let closed_at = Instant::now();
        drop(turn);
        assert!(turns.state().reopen_at.duration_since(closed_at) < Duration::from_millis(1));
        connection.end();
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn a_task_a_write_spawns_on_the_writes_runtime_is_charged_to_its_window() {
        use super::super::write_runtime::WriteRuntime;
        // As a Leptos resource of a page the write renders again: a task
        // of its own, working 10 ms of CPU.
        let write = || async {
            tokio::spawn(async { spin_cpu(Duration::from_millis(10)) })
                .await
                .unwrap()
        };
        let runtime = WriteRuntime::with_thread_name(1, "turns-wr-test").unwrap();
        // Its thread named (a thread names itself once it runs).
        runtime.run(async {}).await;
        let turns = WriteTurns::charging_database(0.5, Some(CountedThreads::new(&["turns-wr-test"])));
        turns.reader_answered();
        let mut turn = turns.take().await;
        assert!(turn.window.is_some());
        turn.run(runtime.run(write())).await;
        let closed_at = Instant::now();
        drop(turn);
        let pause = turns.state().reopen_at.duration_since(closed_at);
        assert!(pause >= Duration::from_millis(9), "{pause:?}");
        assert!(pause < Duration::from_millis(40), "{pause:?}");
        // Run where it arrives, the spawned task is polled outside the
        // turn and missed.
        let turns = WriteTurns::new(0.5);
        turns.reader_answered();
        let mut turn = turns.take().await;
        turn.run(write()).await;
        let closed_at = Instant::now();
        drop(turn);
        assert!(turns.state().reopen_at.duration_since(closed_at) < Duration::from_millis(2));
    }
}
