//! Which engine a store function runs on. A function that has both engines
//! behind it takes `&impl Engine`: a SQLite pool, a PostgreSQL pool or a
//! `Db`, so callers and tests pass what they hold, and the function sends
//! its SQL to the engine's own module (SQLite's beside it in `store`,
//! PostgreSQL's in `store-postgres`). docs/SCALING.md lists the functions
//! that have both so far; the rest still take a `&SqlitePool`.

use sqlx::{PgConnection, PgPool, SqliteConnection, SqlitePool};

/// A pool of one engine or the other.
#[derive(Clone, Copy, Debug)]
pub enum EngineRef<'a> {
    Sqlite(&'a SqlitePool),
    Postgres(&'a PgPool),
}

/// Something a store function can run its SQL on.
pub trait Engine: Sync {
    fn engine(&self) -> EngineRef<'_>;
}

impl Engine for SqlitePool {
    fn engine(&self) -> EngineRef<'_> {
        EngineRef::Sqlite(self)
    }
}

impl Engine for PgPool {
    fn engine(&self) -> EngineRef<'_> {
        EngineRef::Postgres(self)
    }
}

/// A reference to something that has an engine has it too (callers hold
/// `&SqlitePool`s and `State<Db>`s and pass them by reference).
impl<T: Engine + ?Sized> Engine for &T {
    fn engine(&self) -> EngineRef<'_> {
        (**self).engine()
    }
}

/// The connection of a write's open transaction, on one engine or the
/// other. A write's rules are written once over it (`editing`), and each
/// statement goes to its engine's SQL (`editing_statements`). Made from a
/// transaction with `Tx::from(&mut *transaction)`, passed on as `&mut Tx`.
pub enum Tx<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl<'c> From<&'c mut SqliteConnection> for Tx<'c> {
    fn from(connection: &'c mut SqliteConnection) -> Self {
        Tx::Sqlite(connection)
    }
}

impl<'c> From<&'c mut PgConnection> for Tx<'c> {
    fn from(connection: &'c mut PgConnection) -> Self {
        Tx::Postgres(connection)
    }
}

impl Engine for crate::Db {
    fn engine(&self) -> EngineRef<'_> {
        self.engine_ref()
    }
}
