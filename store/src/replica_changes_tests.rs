//! Replicas on one PostgreSQL database hear of each other's writes: within
//! a second of the commit, only when it commits, never their own, and
//! everything when an announcement would be too long.

use std::time::{Duration, Instant};

use sqlx::Acquire;

use crate::data_changes::{Change, DataChanges, Shows};
use crate::postgres_test_database::TestDatabase;
use crate::replica_changes::{announce_change, decode, encode, follow_other_replicas};

/// Waits up to `limit` for `changes` to show `shows` changed after `seen`;
/// how long it took, if it did.
async fn heard_within(changes: &DataChanges, shows: &Shows, seen: u64, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if changes.changed_since(shows, seen) {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    None
}

#[test]
fn an_announcement_reads_back_as_the_change_it_announced() {
    let change = Change::Commitments {
        commitments: vec!["fta-phase-two".into(), "한중-fta".into()],
        summits: vec!["2025-11-01".into()],
    };
    assert_eq!(decode(&encode(7, &change)), Some((7, change)));
    assert_eq!(
        decode(&encode(u64::MAX, &Change::Everything)),
        Some((u64::MAX, Change::Everything))
    );
    assert_eq!(decode("not json"), None);
    assert_eq!(decode(r#"{"from":"1"}"#), None);
    let many = Change::Commitments {
        commitments: (0..2_000).map(|n| format!("commitment-{n}")).collect(),
        summits: vec!["s".into()],
    };
    assert_eq!(decode(&encode(1, &many)), Some((1, Change::Everything)));
}

/// Another replica of the site on `pool`, following what `this` announces.
pub(crate) struct OtherReplica {
    pub(crate) changes: DataChanges,
    stop: tokio::sync::oneshot::Sender<()>,
    follower: tokio::task::JoinHandle<()>,
}

impl OtherReplica {
    /// Starts following, and returns once it hears what `this` announces.
    pub(crate) async fn listening(pool: &sqlx::PgPool, this: u64) -> OtherReplica {
        let changes = DataChanges::default();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let follower = tokio::spawn(follow_other_replicas(
            pool.clone(),
            this.wrapping_add(1),
            changes.clone(),
            async {
                stopped.await.ok();
            },
        ));
        // The follower is listening once a foreign announcement is heard:
        // wait for a first one to arrive.
        let warm_up = Shows::Commitment("warm-up".into());
        let mut connection = pool.acquire().await.unwrap();
        for _ in 0..200 {
            announce_change(&mut connection, this, &Change::commitment("warm-up", "s"))
                .await
                .unwrap();
            if heard_within(&changes, &warm_up, 0, Duration::from_millis(20))
                .await
                .is_some()
            {
                return OtherReplica {
                    changes,
                    stop,
                    follower,
                };
            }
        }
        panic!("the follower never started listening");
    }

    /// Whether it hears, within a second, that `shows` changed after `seen`.
    pub(crate) async fn hears(&self, shows: &Shows, seen: u64) -> bool {
        heard_within(&self.changes, shows, seen, Duration::from_secs(1))
            .await
            .is_some()
    }

    pub(crate) async fn stop(self) {
        self.stop.send(()).unwrap();
        self.follower.await.unwrap();
    }
}

#[tokio::test]
async fn a_committed_write_reaches_the_other_replica_and_a_rolled_back_one_never_does() {
    let database = TestDatabase::migrated().await;
    let this = 1_u64;
    let replica = OtherReplica::listening(&database.pool, this).await;
    let other = this.wrapping_add(1);
    let other_changes = replica.changes.clone();
    let mut connection = database.pool.acquire().await.unwrap();

    // Rolled back: never heard.
    let rolled_back = Shows::Commitment("rolled-back".into());
    let seen = other_changes.step();
    let mut transaction = connection.begin().await.unwrap();
    announce_change(&mut transaction, this, &Change::commitment("rolled-back", "s"))
        .await
        .unwrap();
    transaction.rollback().await.unwrap();

    // Its own: ignored.
    let own = Shows::Commitment("own".into());
    announce_change(&mut connection, other, &Change::commitment("own", "s"))
        .await
        .unwrap();

    // Committed: heard, and only after the commit.
    let committed = Shows::Commitment("fta-phase-two".into());
    let mut transaction = connection.begin().await.unwrap();
    announce_change(
        &mut transaction,
        this,
        &Change::commitment("fta-phase-two", "2025-11-01"),
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        !other_changes.changed_since(&committed, seen),
        "heard before the commit"
    );
    transaction.commit().await.unwrap();
    let latency = heard_within(&other_changes, &committed, seen, Duration::from_secs(1)).await;
    assert!(latency.is_some(), "a committed write was not heard within a second");
    assert!(other_changes.changed_since(&Shows::Summit("2025-11-01".into()), seen));
    assert!(!other_changes.changed_since(&Shows::Commitment("another".into()), seen));
    // Notifications arrive in commit order: the rolled-back and the own
    // one, sent before, would have arrived by now.
    assert!(!other_changes.changed_since(&rolled_back, seen));
    assert!(!other_changes.changed_since(&own, seen));

    // Too long for a notification: everything.
    let before = other_changes.step();
    let many = Change::Commitments {
        commitments: (0..2_000).map(|n| format!("commitment-{n}")).collect(),
        summits: vec!["s".into()],
    };
    announce_change(&mut connection, this, &many).await.unwrap();
    let everything = heard_within(
        &other_changes,
        &Shows::Commitment("never-named".into()),
        before,
        Duration::from_secs(1),
    )
    .await;
    assert!(everything.is_some());

    replica.stop().await;
    drop(connection);
    database.drop_database().await;
}

#[tokio::test]
async fn a_lost_listening_connection_counts_as_everything_changed() {
    let database = TestDatabase::migrated().await;
    let changes = DataChanges::default();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let follower = tokio::spawn(follow_other_replicas(
        database.pool.clone(),
        2,
        changes.clone(),
        async {
            stopped.await.ok();
        },
    ));
    // Wait until the follower listens, then end its connection from outside.
    let mut listening = false;
    for _ in 0..200 {
        let count: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
        )
        .fetch_one(&database.pool)
        .await
        .unwrap();
        if count > 0 {
            listening = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(listening, "the follower never listened");
    let seen = changes.step();
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    )
    .execute(&database.pool)
    .await
    .unwrap();
    let heard = heard_within(
        &changes,
        &Shows::Commitment("anything".into()),
        seen,
        Duration::from_secs(3),
    )
    .await;
    assert!(
        heard.is_some(),
        "a lost connection was not counted as everything changed"
    );
    stop.send(()).unwrap();
    follower.await.unwrap();
    database.drop_database().await;
}
