//! The watcher moves a server's data version when another process (here,
//! another pool on the same file, as `accord import` opens) commits.

use std::time::Duration;

use crate::outside_writes::watch_for_outside_writes;

/// A migrated database in a file of its own (another process needs a file
/// to share), opened as the server opens it: its folder, URL and handle.
async fn server_on_a_file(name: &str) -> (std::path::PathBuf, String, crate::Db) {
    let folder = std::env::temp_dir().join(format!(
        "accord-{name}-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    std::fs::create_dir_all(&folder).unwrap();
    let url = format!("sqlite://{}", folder.join("accord.db").display());
    let server = crate::Db::new(crate::connect(&url).await.unwrap());
    crate::migrate(server.sqlite_pool().unwrap()).await.unwrap();
    (folder, url, server)
}

/// The server's watcher, asking every 20 ms until aborted.
fn watching(server: &crate::Db, url: &str) -> tokio::task::JoinHandle<()> {
    tokio::spawn(watch_for_outside_writes(
        server.clone(),
        url.to_owned(),
        Duration::from_millis(20),
        std::future::pending(),
    ))
}

#[tokio::test]
async fn a_commit_by_another_connection_moves_the_data_version() {
    let (folder, url, server) = server_on_a_file("outside-writes").await;
    let watcher = watching(&server, &url);
    // Let the watcher take its first reading.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let before = server.data_version();
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.data_version(), before, "nothing was written");

    let cli = crate::Db::new(crate::connect(&url).await.unwrap());
    crate::test_fixture::seeded(cli.sqlite_pool().unwrap()).await;
    cli.close().await;
    let mut moved = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        if server.data_version() != before {
            moved = true;
            break;
        }
    }
    watcher.abort();
    server.close().await;
    let _ = std::fs::remove_dir_all(&folder);
    assert!(moved, "the other connection's commit was not noticed");
    // What another process wrote is not known: every page is stale.
    let changes = server.data_changes();
    for shows in [
        crate::Shows::Commitment("any-commitment".into()),
        crate::Shows::Summit("any-summit".into()),
        crate::Shows::AnyCommitment,
    ] {
        assert!(changes.changed_since(&shows, before), "{shows:?}");
    }
}

/// Sign-ins, failed sign-ins and sessions change no page: another
/// connection writing them must not make the server's pages stale (an
/// anonymous visitor could otherwise empty the page cache every second).
#[tokio::test]
async fn writes_that_change_no_page_leave_the_data_version_alone() {
    let (folder, url, server) = server_on_a_file("outside-writes-quiet").await;
    crate::test_fixture::seeded(server.sqlite_pool().unwrap()).await;
    let watcher = watching(&server, &url);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let before = server.data_version();

    let other = crate::Db::new(crate::connect(&url).await.unwrap());
    for attempt in 0..5 {
        crate::logins::begin_login_attempt(&other, "someone", &format!("192.0.2.{attempt}"), 1_000 + attempt)
            .await
            .unwrap();
    }
    // Give the watcher several looks at the moved PRAGMA data_version.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let after_sign_ins = server.data_version();
    other.close().await;
    watcher.abort();
    server.close().await;
    let _ = std::fs::remove_dir_all(&folder);
    assert_eq!(after_sign_ins, before, "failed sign-ins made the pages stale");
}
