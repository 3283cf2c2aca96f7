//! The handle every store function that writes is given.

use std::sync::Arc;

use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::data_changes::{Change, DataChanges};
use crate::engine::Tx;
#[cfg(test)]
use crate::group_commit::GroupStats;
use crate::group_commit::{self, Member, WriteQueue, WriteTurn};

/// One database and what its writers share: the pool, the line writers wait
/// in for SQLite's one write transaction (with the open group commit, see
/// `group_commit`), and the bound on simultaneous password checks. Made once
/// at start-up (each test makes its own) and cloned cheaply; nothing of it
/// lives in a process-wide static, so two databases in one process (tests,
/// `accord-dev`) never share a line.
///
/// It is an [`crate::Engine`], so the read functions, which take
/// `&impl Engine`, take a `&Db` as well.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    writes: Arc<WriteQueue>,
    password_checks: Arc<Semaphore>,
}

/// The database a `Db` is: the embedded SQLite file, or a PostgreSQL
/// server that several replicas may share.
#[derive(Clone, Debug)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A write's own transaction, holding what lets it write: the process's
/// write turn and, on PostgreSQL, the database's write lock (see
/// `store_postgres::editing::lock_for_write`). Dropped without `commit`, it
/// rolls back, then gives up the turn.
pub(crate) struct Write {
    // Declared before the turn: the transaction ends before the turn is
    // given up, as when both were locals.
    transaction: WriteTransaction,
    _turn: WriteTurn,
}

/// A write transaction on either engine (a write's own, or a group's).
pub(crate) enum WriteTransaction {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl WriteTransaction {
    /// A PostgreSQL transaction holding the database's write lock, which
    /// every replica's writes take (`store_postgres::editing::lock_for_write`).
    pub(crate) async fn postgres_locked(pool: &PgPool) -> Result<WriteTransaction, sqlx::Error> {
        let mut transaction = pool.begin().await?;
        store_postgres::editing::lock_for_write(&mut transaction).await?;
        Ok(WriteTransaction::Postgres(transaction))
    }

    /// The transaction's connection, for the write's statements.
    pub(crate) fn tx(&mut self) -> Tx<'_> {
        match self {
            WriteTransaction::Sqlite(transaction) => Tx::Sqlite(transaction),
            WriteTransaction::Postgres(transaction) => Tx::Postgres(transaction),
        }
    }

    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            WriteTransaction::Sqlite(transaction) => transaction.commit().await,
            WriteTransaction::Postgres(transaction) => transaction.commit().await,
        }
    }

    /// Runs a transaction-control statement (a savepoint's), which both
    /// engines read alike. It has no columns or parameters to check, so it
    /// is not a `query!` macro.
    pub(crate) async fn run_control(&mut self, statement: &'static str) -> Result<(), sqlx::Error> {
        match self {
            WriteTransaction::Sqlite(transaction) => {
                sqlx::raw_sql(statement).execute(&mut **transaction).await.map(drop)
            }
            WriteTransaction::Postgres(transaction) => {
                sqlx::raw_sql(statement).execute(&mut **transaction).await.map(drop)
            }
        }
    }
}

impl Write {
    /// The transaction's connection, for the write's statements.
    pub(crate) fn tx(&mut self) -> Tx<'_> {
        self.transaction.tx()
    }

    /// Commits a write that changes nothing readers are shown (accounts,
    /// a rejected suggestion); `Db::commit` commits one that does.
    pub(crate) async fn commit_changing_no_page(self) -> Result<(), sqlx::Error> {
        self.transaction.commit().await
    }
}

impl Db {
    pub fn new(pool: SqlitePool) -> Db {
        Db::with_pool(Pool::Sqlite(pool))
    }

    /// A `Db` on PostgreSQL, for a site whose replicas share one database.
    pub fn postgres(pool: PgPool) -> Db {
        Db::with_pool(Pool::Postgres(pool))
    }

    fn with_pool(pool: Pool) -> Db {
        // Each password check holds 19 MiB and ~50 ms of a core: as many at
        // a time as there are cores, the rest wait in line.
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        use std::hash::BuildHasher;
        // Names this process among the replicas of a site on PostgreSQL, in
        // what it announces (`replica_changes`): random, drawn at start.
        let replica = std::collections::hash_map::RandomState::new().hash_one(std::process::id());
        Db {
            pool,
            writes: Arc::new(WriteQueue::new(replica)),
            password_checks: Arc::new(Semaphore::new(cores.max(1))),
        }
    }

    /// The SQLite pool, for what has no PostgreSQL statements yet
    /// (docs/SCALING.md lists it); on PostgreSQL an error that says so.
    pub fn sqlite_pool(&self) -> Result<&SqlitePool, sqlx::Error> {
        match &self.pool {
            Pool::Sqlite(pool) => Ok(pool),
            Pool::Postgres(_) => Err(sqlx::Error::Configuration(
                "this operation has no PostgreSQL statements yet (docs/SCALING.md)".into(),
            )),
        }
    }

    /// The PostgreSQL pool, if the site runs on PostgreSQL.
    pub fn postgres_pool(&self) -> Option<&PgPool> {
        match &self.pool {
            Pool::Sqlite(_) => None,
            Pool::Postgres(pool) => Some(pool),
        }
    }

    /// Closes the pool: waits for its connections to finish and close.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }

    pub(crate) fn engine_ref(&self) -> crate::engine::EngineRef<'_> {
        match &self.pool {
            Pool::Sqlite(pool) => crate::engine::EngineRef::Sqlite(pool),
            Pool::Postgres(pool) => crate::engine::EngineRef::Postgres(pool),
        }
    }

    /// Begins a write of its own (every write but a status change, which
    /// joins the group commit), once this process's writers ahead of it
    /// are done (and their open group committed); on PostgreSQL, also once
    /// every other replica's are.
    pub(crate) async fn begin_write(&self) -> Result<Write, sqlx::Error> {
        let turn = self.write_turn().await;
        Ok(Write {
            transaction: self.begin_locked().await?,
            _turn: turn,
        })
    }

    /// A transaction that may write: on PostgreSQL it holds the database's
    /// write lock, which every replica's writes take
    /// (`store_postgres::editing::lock_for_write`). The caller holds this
    /// process's turn.
    async fn begin_locked(&self) -> Result<WriteTransaction, sqlx::Error> {
        match &self.pool {
            Pool::Sqlite(pool) => Ok(WriteTransaction::Sqlite(pool.begin().await?)),
            Pool::Postgres(pool) => WriteTransaction::postgres_locked(pool).await,
        }
    }

    /// Commits a write of what readers are shown, and records `change` (what
    /// it wrote, see `data_changes`) once it is stored. On PostgreSQL the
    /// change is announced inside the transaction, so every other replica
    /// hears of it when, and only if, it commits.
    pub(crate) async fn commit(&self, write: Write, change: Change) -> Result<(), sqlx::Error> {
        match write.transaction {
            WriteTransaction::Sqlite(transaction) => transaction.commit().await?,
            WriteTransaction::Postgres(mut transaction) => {
                crate::replica_changes::announce_change(&mut transaction, self.replica(), &change).await?;
                transaction.commit().await?
            }
        }
        self.data_committed(change);
        Ok(())
    }

    /// This process's name among a site's replicas (`replica_changes`).
    pub fn replica(&self) -> u64 {
        self.writes.replica
    }

    /// Writers queue in the process for SQLite's one write transaction.
    ///
    /// When several connections of the pool try at once, the losers get
    /// SQLITE_BUSY and SQLite's busy handler puts their threads to sleep for
    /// 1, 2, 5 … up to 100 ms before retrying, so sixteen editors saving at
    /// once spent most of their time asleep (measured: 274 writes/s alone,
    /// 19/s beside readers). Queueing writers here instead hands the lock
    /// over the moment it is free; the busy timeout still covers other
    /// processes (the CLI, a backup). Status changes share transactions
    /// (group commit); every other write takes this turn. On PostgreSQL the
    /// same line keeps a process's writers from each holding a connection
    /// while they wait for the database's write lock, and lets status
    /// changes share it.
    pub async fn write_turn(&self) -> WriteTurn {
        self.writes.write_turn().await
    }

    /// A place in the open group transaction, for a status change.
    pub(crate) async fn join_group(&self) -> Result<Member, sqlx::Error> {
        let db = self.clone();
        group_commit::join(&self.writes, move || async move { db.begin_locked().await }).await
    }

    /// A number that moves after every committed write of what readers are
    /// shown (commitments, statuses, sources, translations, revisions; not
    /// sessions, sign-in failures, accounts or pending suggestions), and
    /// only then: a refused or failed write leaves it where it was. Writes
    /// by other processes (the CLI) do not move it, except through the
    /// outside-writes watcher.
    pub fn data_version(&self) -> u64 {
        self.writes.data_changes.step()
    }

    /// What each committed write changed (see `data_changes`): the page
    /// cache keeps pages by it, so a write makes stale only the pages that
    /// show what it wrote.
    pub fn data_changes(&self) -> DataChanges {
        self.writes.data_changes.clone()
    }

    /// Called by a write function once its transaction committed a change
    /// readers see (the group commit calls it for status changes), naming
    /// what changed: when in doubt, more (`Change::Everything`), never less.
    pub(crate) fn data_committed(&self, change: Change) {
        self.writes.data_changes.record(&change);
    }

    /// `data_committed` for a write no request answers for (another
    /// process's): owed to readers at once (`DataChanges::record_published`).
    pub(crate) fn data_committed_outside_requests(&self, change: Change) {
        self.writes.data_changes.record_published(&change);
    }

    /// The group commits made through this handle.
    #[cfg(test)]
    pub(crate) fn group_stats(&self) -> GroupStats {
        self.writes.stats()
    }

    /// A turn to check a password, or `None` when the line did not move
    /// within [`crate::users::PASSWORD_CHECK_WAIT`]. Without the bound, a
    /// burst of sign-in posts ran hundreds of checks at once on the blocking
    /// pool (measured: 64 at once took 1.24 GB).
    pub async fn wait_for_password_check(&self) -> Option<SemaphorePermit<'_>> {
        tokio::time::timeout(crate::users::PASSWORD_CHECK_WAIT, self.password_checks.acquire())
            .await
            .ok()?
            .ok()
    }
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("pool", &self.pool).finish_non_exhaustive()
    }
}

/// The database file, its `-wal` and `-shm`, and backups hold every
/// editor's password hash and session (hashed) and every unpublished
/// suggestion: readable and writable by their owner only (mode 0600).
///
/// SQLite creates a missing database with 0644 less the umask, so the file
/// is created here first, already 0600; SQLite then gives the `-wal` and
/// `-shm` it creates the mode of the database file. A file made by an
/// earlier version, and its `-wal`/`-shm`, are narrowed to 0600 as well.
pub fn make_owner_only(database: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(OWNER_ONLY)
            .open(database)
        {
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(error),
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut name = database.as_os_str().to_owned();
            name.push(suffix);
            let path = std::path::PathBuf::from(name);
            match std::fs::metadata(&path) {
                Ok(meta) if meta.permissions().mode() & 0o777 != OWNER_ONLY => {
                    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(OWNER_ONLY))?
                }
                Ok(_) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => return Err(error),
            }
        }
    }
    Ok(())
}

/// Read and write for the owner, nothing for anyone else.
pub const OWNER_ONLY: u32 = 0o600;
