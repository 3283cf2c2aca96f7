//! One write transaction at a time, shared by the writers queued behind
//! each other (group commit).
//!
//! SQLite runs one write transaction at a time, so writers take turns
//! ([`crate::Db::write_turn`]). During an editors' rush most of a turn was spent on
//! round trips to the connection's thread that did no work of the writer's
//! own: `BEGIN`, `COMMIT`, and the WAL pages each commit writes.
//!
//! PostgreSQL's writes take turns too, across every replica of a site: each
//! write transaction first takes the database's write lock
//! (`store_postgres::editing::lock_for_write`; side by side, writes
//! deadlocked on the count tables the triggers keep). There a turn's own
//! round trips were `BEGIN`, the lock, the announcement to the other
//! replicas and `COMMIT`, each a message to the server and back. The same
//! queue serves both engines: a group on PostgreSQL takes the lock once, and
//! announces its members' changes just before its commit.
//!
//! A status
//! change (`join`) therefore joins the transaction that is
//! already open, if any, inside a savepoint of its own: its changes are kept
//! or undone alone, as if it had its own transaction. The writer that finds
//! nobody queued behind it (or a full group) commits, and only then is every
//! member told that its change is stored. So nothing is acknowledged before
//! it is durable, and a failed commit fails every member of its group.
//!
//! Writers that need a transaction of their own (every other write) take
//! [`crate::Db::write_turn`], which first commits any open group.
//!
//! A request can be dropped at any await (its client went away). The steps
//! that must not stop half-way (a member's savepoint, its keeping or
//! undoing, a group's announcement and commit, and the wait for it) run on
//! tasks of their own (`run_whole`), which finish whether or not anybody
//! still waits for them. Otherwise a dropped request could leave a group
//! open with nobody to commit it (on PostgreSQL holding the write lock that
//! every replica's writes wait for), or a commit the database made that this
//! process never recorded.

use std::future::Future;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::data_changes::{Change, DataChanges};
use crate::db::WriteTransaction;
use crate::engine::Tx;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{oneshot, Mutex, OwnedMutexGuard};

/// The most changes one commit carries: enough to spare sixteen editors
/// most of their commits, few enough that none waits long for the others.
const MAX_GROUP: usize = 16;

/// How long a member waits for its group's commit before it takes the turn
/// and commits the group itself. Only a writer cancelled while queued (its
/// request dropped) can leave a group without a committer.
const COMMIT_WAIT: Duration = Duration::from_millis(50);

/// Why a group's commit failed, for each of its members.
type CommitResult = Result<(), String>;

struct OpenGroup {
    tx: WriteTransaction,
    /// The members whose changes are in `tx`, waiting for its commit, each
    /// with what it changed (recorded once the commit is stored).
    members: Vec<(oneshot::Sender<CommitResult>, Change)>,
    /// A member's savepoint is open: that member was cancelled before it
    /// could keep or undo its change.
    member_open: bool,
}

pub(crate) struct Group {
    open: Option<OpenGroup>,
}

/// The line a database's writers wait in, and its open group. One per
/// database, owned by its [`crate::Db`] (never a process-wide static).
pub(crate) struct WriteQueue {
    group: Arc<Mutex<Group>>,
    /// Writers waiting for their turn; the one holding it leaves its group
    /// open for them instead of committing.
    queued: AtomicUsize,
    /// Commits made, and the changes they stored (read by the tests).
    commits: AtomicU64,
    changes: AtomicU64,
    /// What every committed write of what readers are shown changed (see
    /// [`crate::Db::data_changes`]).
    pub(crate) data_changes: DataChanges,
    /// This process's name among a site's replicas, in what its writes on
    /// PostgreSQL announce (`replica_changes`).
    pub(crate) replica: u64,
}

impl WriteQueue {
    pub(crate) fn new(replica: u64) -> WriteQueue {
        WriteQueue {
            group: Arc::new(Mutex::new(Group { open: None })),
            queued: AtomicUsize::new(0),
            commits: AtomicU64::new(0),
            changes: AtomicU64::new(0),
            data_changes: DataChanges::default(),
            replica,
        }
    }
}

/// Counts a writer as queued until it has its turn (or is cancelled).
struct Queued<'a> {
    queue: &'a WriteQueue,
    waiting: bool,
}

impl Queued<'_> {
    fn new(queue: &WriteQueue) -> Queued<'_> {
        queue.queued.fetch_add(1, Ordering::SeqCst);
        Queued { queue, waiting: true }
    }

    fn leave(&mut self) {
        if std::mem::take(&mut self.waiting) {
            self.queue.queued.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.leave();
    }
}

/// The turn to write, with no group transaction open.
pub struct WriteTurn {
    _group: OwnedMutexGuard<Group>,
}

/// How many commits stored how many members' changes, on one database.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GroupStats {
    pub commits: u64,
    pub changes: u64,
}

impl WriteQueue {
    /// Waits for the turn to write, then commits the open group, if any, so
    /// the caller can run a transaction of its own.
    pub(crate) async fn write_turn(self: &Arc<Self>) -> WriteTurn {
        let mut queued = Queued::new(self);
        let group = self.group.clone().lock_owned().await;
        queued.leave();
        let queue = self.clone();
        let group = run_whole(async move {
            let mut group = group;
            queue.commit_group(&mut group).await;
            group
        })
        .await;
        WriteTurn { _group: group }
    }

    /// The group commits made through this queue.
    #[cfg(test)]
    pub(crate) fn stats(&self) -> GroupStats {
        GroupStats {
            commits: self.commits.load(Ordering::Relaxed),
            changes: self.changes.load(Ordering::Relaxed),
        }
    }

    /// Commits the open group and tells its members how it went.
    async fn commit_group(&self, group: &mut Group) {
        let Some(mut open) = group.open.take() else {
            return;
        };
        if open.member_open {
            // A cancelled member's half-done change is undone, never stored.
            if let Err(error) = undo_member(&mut open.tx).await {
                fail_members(open, &error);
                return;
            }
        }
        let members = std::mem::take(&mut open.members);
        if let Err(error) = self.announce(&mut open.tx, &members).await {
            open.members = members;
            fail_members(open, &error);
            return;
        }
        let result = open.tx.commit().await.map_err(|error| error.to_string());
        match &result {
            Ok(()) => {
                self.commits.fetch_add(1, Ordering::Relaxed);
                self.changes.fetch_add(members.len() as u64, Ordering::Relaxed);
                // Only kept changes are members: a group whose every member
                // was refused stored nothing readers see. Each member's
                // change is recorded before any member is told it is stored.
                for (_, change) in &members {
                    self.data_changes.record(change);
                }
            }
            Err(error) => tracing::error!(%error, members = members.len(), "group commit failed"),
        }
        for (member, _) in members {
            // A member that stopped waiting has nobody to tell.
            let _ = member.send(result.clone());
        }
    }

    /// On PostgreSQL, announces each member's change inside the group's
    /// transaction: the other replicas hear of it when, and only if, the
    /// group commits. (SQLite's site has no other replicas.)
    async fn announce(
        &self,
        tx: &mut WriteTransaction,
        members: &[(oneshot::Sender<CommitResult>, Change)],
    ) -> Result<(), sqlx::Error> {
        if let WriteTransaction::Postgres(transaction) = tx {
            for (_, change) in members {
                crate::replica_changes::announce_change(transaction, self.replica, change).await?;
            }
        }
        Ok(())
    }
}

/// Runs `step` on a task of its own and waits for it: if the caller is
/// dropped meanwhile, the step still runs to its end (see the module's
/// comment). A panic in the step is the caller's again.
async fn run_whole<T: Send + 'static>(step: impl Future<Output = T> + Send + 'static) -> T {
    match tokio::spawn(step).await {
        Ok(done) => done,
        Err(stopped) => match stopped.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            // Only a runtime shutting down cancels a task; nothing waits
            // for this caller's answer then either.
            Err(cancelled) => panic!("a write step was cancelled: {cancelled}"),
        },
    }
}

/// Rolls the group back and tells its members their changes are lost.
fn fail_members(open: OpenGroup, error: &sqlx::Error) {
    tracing::error!(%error, members = open.members.len(), "group transaction failed");
    for (member, _) in open.members {
        let _ = member.send(Err(error.to_string()));
    }
    // Dropping the transaction rolls it back.
}

// Transaction control has no columns or parameters to check, so these
// statements are not `query!` macros; both engines read them alike. (On
// PostgreSQL a member's failed statement leaves the whole transaction
// refusing statements until `ROLLBACK TO` the member's savepoint.)
async fn undo_member(tx: &mut WriteTransaction) -> Result<(), sqlx::Error> {
    tx.run_control("ROLLBACK TO member").await?;
    tx.run_control("RELEASE member").await
}

/// A writer's place in the group transaction: its turn, with its own
/// savepoint open. Run the change on [`Member::tx`], then hand its result,
/// and what it changed, to [`Member::finish`]. A member dropped before that (its request was
/// cancelled) leaves its savepoint open, and the next writer undoes it.
pub struct Member {
    queue: Arc<WriteQueue>,
    group: OwnedMutexGuard<Group>,
    finished: bool,
}

impl Drop for Member {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        // Cancelled mid-change: once this turn is released, undo the change
        // and commit what the members before it stored, so that neither
        // they nor the write lock wait for the next writer.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let queue = self.queue.clone();
            runtime.spawn(async move {
                let mut group = queue.group.clone().lock_owned().await;
                queue.commit_group(&mut group).await;
            });
        }
    }
}

/// Waits for the turn in `queue`, then joins the open group transaction
/// (or opens one with `begin`) inside a savepoint of its own. What runs on the
/// member's transaction sees the changes of the members before it, like a
/// transaction that began after theirs committed.
pub(crate) async fn join<Begun>(
    queue: &Arc<WriteQueue>,
    begin: impl FnOnce() -> Begun + Send + 'static,
) -> Result<Member, sqlx::Error>
where
    Begun: Future<Output = Result<WriteTransaction, sqlx::Error>> + Send + 'static,
{
    let mut queued = Queued::new(queue);
    let group = queue.group.clone().lock_owned().await;
    queued.leave();
    // A member made for a caller that is gone by then is dropped unfinished,
    // which undoes its savepoint and commits the group (`Member`'s `Drop`).
    run_whole(open_savepoint(queue.clone(), group, begin)).await
}

/// `join`'s steps once it has the turn: undoes a cancelled member's change,
/// opens the group if none is open, and the member's savepoint.
async fn open_savepoint<Begun>(
    queue: Arc<WriteQueue>,
    mut group: OwnedMutexGuard<Group>,
    begin: impl FnOnce() -> Begun,
) -> Result<Member, sqlx::Error>
where
    Begun: Future<Output = Result<WriteTransaction, sqlx::Error>>,
{
    if let Some(open) = group.open.as_mut().filter(|open| open.member_open) {
        match undo_member(&mut open.tx).await {
            Ok(()) => open.member_open = false,
            Err(error) => {
                if let Some(open) = group.open.take() {
                    fail_members(open, &error);
                }
            }
        }
    }
    let open = match group.open.as_mut() {
        Some(open) => open,
        None => group.open.insert(OpenGroup {
            tx: begin().await?,
            members: Vec::new(),
            member_open: false,
        }),
    };
    if let Err(error) = open.tx.run_control("SAVEPOINT member").await {
        if let Some(open) = group.open.take() {
            fail_members(open, &error);
        }
        return Err(error);
    }
    open.member_open = true;
    Ok(Member {
        queue,
        group,
        finished: false,
    })
}

impl Member {
    /// The group's transaction, for this member's change.
    pub fn tx(&mut self) -> Tx<'_> {
        match self.group.open.as_mut() {
            Some(open) => open.tx.tx(),
            // `join` returns a member only with its group open, and only
            // `finish` (which consumes the member) closes it.
            None => unreachable!("a member's group is open"),
        }
    }

    /// Keeps the change if `result` is `Ok` (undoes it otherwise), and
    /// returns `result` once the change is committed; `changed` names what
    /// a kept change wrote (see `data_changes`). The commit is this
    /// member's to make unless another writer is already queued to join.
    pub async fn finish<T, E>(self, result: Result<T, E>, changed: impl FnOnce(&T) -> Change) -> Result<T, E>
    where
        E: From<sqlx::Error>,
    {
        let change = result.as_ref().ok().map(changed);
        let queue = self.queue.clone();
        run_whole(async move {
            match self.settle(change).await? {
                None => Ok(()),
                Some(stored) => wait_for_commit(&queue, stored).await,
            }
        })
        .await?;
        result
    }

    /// Keeps the change (`change` names what it wrote) or undoes it (`None`),
    /// and commits the group unless another writer is queued to join it;
    /// then how the kept change's commit will be told.
    async fn settle(mut self, change: Option<Change>) -> Result<Option<oneshot::Receiver<CommitResult>>, sqlx::Error> {
        self.finished = true;
        let Some(open) = self.group.open.as_mut() else {
            return Err(sqlx::Error::Protocol("the group transaction is gone".into()));
        };
        let kept = match change {
            Some(_) => open.tx.run_control("RELEASE member").await,
            None => undo_member(&mut open.tx).await,
        };
        open.member_open = false;
        if let Err(error) = kept {
            if let Some(open) = self.group.open.take() {
                fail_members(open, &error);
            }
            return Err(error);
        }
        let mut stored = None;
        if let Some(change) = change {
            let (tell, told) = oneshot::channel();
            open.members.push((tell, change));
            stored = Some(told);
        }
        // Commit now unless a writer is already queued to join; a group
        // with nothing to store is ended at once (it may hold the write
        // lock, SQLite's or PostgreSQL's, for a change that was undone).
        if self.queue.queued.load(Ordering::SeqCst) == 0 || open.members.is_empty() || open.members.len() >= MAX_GROUP {
            let queue = self.queue.clone();
            queue.commit_group(&mut self.group).await;
        }
        Ok(stored)
    }
}

/// Waits until the member's group is committed.
async fn wait_for_commit(queue: &WriteQueue, mut stored: oneshot::Receiver<CommitResult>) -> Result<(), sqlx::Error> {
    let failed = |error: String| sqlx::Error::Protocol(format!("the commit failed: {error}"));
    loop {
        match tokio::time::timeout(COMMIT_WAIT, &mut stored).await {
            Ok(Ok(told)) => return told.map_err(failed),
            Ok(Err(_)) => return Err(sqlx::Error::Protocol("the group transaction was dropped".into())),
            Err(_) => {
                // Nobody committed in time (the writer expected next was
                // cancelled): commit the group ourselves, unless it was
                // committed while we waited for the turn.
                let mut group = queue.group.lock().await;
                if let Ok(told) = stored.try_recv() {
                    return told.map_err(failed);
                }
                queue.commit_group(&mut group).await;
            }
        }
    }
}
