//! A PostgreSQL database of its own for each test, made on the server every
//! machine of this project runs (127.0.0.1:5432, trust authentication), and
//! migrated; dropped when the test is done with it.

use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool};

use crate::postgres::{connect_postgres, migrate_postgres};

/// Where the tests find a PostgreSQL server, as a role allowed to create
/// databases; `ACCORD_TEST_POSTGRES_URL` points elsewhere.
fn admin_url() -> String {
    std::env::var("ACCORD_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// `url` with its database name replaced by `database`.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(server, _)| server);
    match query {
        Some(query) => format!("{base}/{database}?{query}"),
        None => format!("{base}/{database}"),
    }
}

pub struct TestDatabase {
    pub pool: PgPool,
    name: String,
}

async fn admin() -> PgConnection {
    let url = admin_url();
    match PgConnection::connect(&url).await {
        Ok(connection) => connection,
        Err(error) => panic!(
            "PostgreSQL does not answer at {url} ({error}). The store's PostgreSQL tests need the server that \
             every machine of this project runs (docs/SCALING.md); start it with \
             `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, \
             or set ACCORD_TEST_POSTGRES_URL to another server."
        ),
    }
}

/// Drops the databases of test processes that are gone (a test that fails
/// panics before it drops its own); those of running ones are left alone.
async fn drop_leftovers(admin: &mut PgConnection) {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE datname LIKE 'accord\\_test\\_%'")
            .fetch_all(&mut *admin)
            .await
            .unwrap_or_default();
    for name in names {
        let pid = name.split('_').nth(2).and_then(|pid| pid.parse::<u32>().ok());
        let gone = pid.is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists());
        if gone && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                .execute(&mut *admin)
                .await
                .ok();
        }
    }
}

impl TestDatabase {
    /// A new, empty database, migrated.
    pub async fn migrated() -> TestDatabase {
        let database = TestDatabase::empty().await;
        migrate_postgres(&database.pool)
            .await
            .expect("the PostgreSQL migrations run");
        database
    }

    /// A new database with nothing in it.
    pub async fn empty() -> TestDatabase {
        let name = format!("accord_test_{}_{:016x}", std::process::id(), fastrand::u64(..));
        let mut admin = admin().await;
        drop_leftovers(&mut admin).await;
        // The name is made here, of letters, digits and underscores.
        sqlx::query(AssertSqlSafe(format!(
            "CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0"
        )))
        .execute(&mut admin)
        .await
        .expect("the test role may create databases");
        admin.close().await.ok();
        let pool = connect_postgres(&with_database(&admin_url(), &name), 4)
            .await
            .expect("the new database opens");
        TestDatabase { pool, name }
    }

    /// The database's URL, for a process of its own (`accord migrate-db`).
    pub fn url(&self) -> String {
        with_database(&admin_url(), &self.name)
    }

    /// Closes the pool and drops the database.
    pub async fn drop_database(self) {
        self.pool.close().await;
        let mut admin = admin().await;
        sqlx::query(AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        )))
        .execute(&mut admin)
        .await
        .expect("the test database is dropped");
    }
}

#[test]
fn a_url_gets_another_database() {
    assert_eq!(
        with_database("postgres://u@h:5432/postgres", "x"),
        "postgres://u@h:5432/x"
    );
    assert_eq!(
        with_database("postgres://u@h/postgres?sslmode=disable", "x"),
        "postgres://u@h/x?sslmode=disable"
    );
}
