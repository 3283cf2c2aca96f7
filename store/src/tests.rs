//! Queries run against a fresh database built from the real migrations and
//! loaded with the shipped seed data.

use chrono::{NaiveDate, Utc};
use sqlx::SqlitePool;

use crate::test_fixture::{both_engines, on_engine};
use crate::Db;

use super::{commitments, listing, seed, summits};
use crate::test_fixture::{dataset, seeded};
use domain::{Slug, Status};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Every commitment's list row, in summit order.
async fn list_all(db: &Db) -> Vec<domain::CommitmentSummary> {
    let everything = domain::ListQuery {
        page: 1,
        ..Default::default()
    };
    let ids: Vec<i64> = listing::match_commitments(
        db,
        &everything,
        &listing::ZoneDays::at(db, date(2026, 11, 29).and_hms_opt(12, 0, 0).unwrap().and_utc())
            .await
            .unwrap(),
    )
    .await
    .unwrap()
    .into_iter()
    .map(|m| m.id)
    .collect();
    listing::summaries_by_ids(db, &ids).await.unwrap()
}

async fn commitment_id(db: &Db, slug: &str) -> i64 {
    on_engine!(db, |pool| sqlx::query_scalar(
        "SELECT id FROM commitments WHERE slug = $1"
    )
    .bind(slug)
    .fetch_one(pool)
    .await
    .unwrap())
}

async fn party_id(db: &Db, code: &str) -> i64 {
    on_engine!(db, |pool| sqlx::query_scalar("SELECT id FROM parties WHERE code = $1")
        .bind(code)
        .fetch_one(pool)
        .await
        .unwrap())
}

async fn count_sources(db: &Db) -> i64 {
    on_engine!(db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM sources")
        .fetch_one(pool)
        .await
        .unwrap())
}

/// Appends a status row the way the editing path will.
async fn append_status(db: &Db, slug: &str, party: &str, status: Status, on: NaiveDate) -> sqlx::Result<i64> {
    let commitment_id = commitment_id(db, slug).await;
    let party_id = party_id(db, party).await;
    on_engine!(db, |pool| sqlx::query_scalar(
        "INSERT INTO status_updates (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, 'test', 'tester', '2026-01-01T00:00:00Z') RETURNING id",
    )
    .bind(commitment_id)
    .bind(party_id)
    .bind(status.code())
    .bind(on.to_string())
    .fetch_one(pool)
    .await)
}

both_engines!(empty_database_has_no_summit);
async fn empty_database_has_no_summit(db: Db) {
    assert_eq!(summits::count_summits(&db).await.unwrap(), 0);
    assert_eq!(summits::latest_summit(&db).await.unwrap(), None);
    assert!(list_all(&db).await.is_empty());
    // The same reads find what is stored once there is something.
    let data = seeded(&db).await;
    assert_eq!(summits::count_summits(&db).await.unwrap(), 1);
    assert_eq!(
        summits::latest_summit(&db).await.unwrap().map(|s| s.slug),
        Some(data.summit.slug)
    );
    assert_eq!(list_all(&db).await.len(), data.commitments.len());
}

both_engines!(seed_loads_the_summit_and_every_commitment_in_order);
async fn seed_loads_the_summit_and_every_commitment_in_order(db: Db) {
    // The shipped seed rates everything Not yet rated on the summit's day:
    // here each commitment's first party gets a status and a day of its
    // own, so that a loader storing the wrong status or date is caught.
    let mut data = dataset();
    let statuses = [
        Status::InProgress,
        Status::Stalled,
        Status::PartlyFulfilled,
        Status::Fulfilled,
        Status::NotYetRated,
    ];
    let held_on = data.summit.held_on;
    for (i, commitment) in data.commitments.iter_mut().enumerate() {
        commitment.status[0].status = statuses[i % statuses.len()];
        commitment.status[0].effective_on = held_on + chrono::Duration::days(i as i64 + 1);
    }
    seed::insert_dataset(&db, &data, date(2025, 11, 2).and_hms_opt(9, 0, 0).unwrap().and_utc())
        .await
        .unwrap();
    assert_eq!(summits::count_summits(&db).await.unwrap(), 1);
    let summit = summits::latest_summit(&db).await.unwrap().unwrap();
    assert_eq!(summit.held_on, date(2025, 11, 1));
    assert_eq!(summit.slug, data.summit.slug);

    let list = list_all(&db).await;
    let slugs: Vec<_> = list.iter().map(|c| c.slug.clone()).collect();
    let expected: Vec<_> = data.commitments.iter().map(|c| c.slug.clone()).collect();
    assert_eq!(slugs, expected, "listed in the order of the summit record");
    assert!(
        list.len() > statuses.len(),
        "every status above is given to some commitment"
    );

    for (summary, seeded) in list.iter().zip(&data.commitments) {
        let owed: Vec<_> = summary.party_statuses.iter().map(|p| p.party.code.clone()).collect();
        let mut expected_owed = seeded.owed_by.clone();
        expected_owed.sort_by_key(|code| if code.as_str() == "cn" { 0 } else { 1 });
        assert_eq!(owed, expected_owed, "{}", seeded.slug);
        for party in &summary.party_statuses {
            let initial = seeded.status.iter().find(|s| s.party == party.party.code).unwrap();
            assert_eq!(party.status, initial.status);
            assert_eq!(party.since, Some(initial.effective_on));
        }
        let mut keys: Vec<&String> = seeded
            .sources
            .iter()
            .chain(seeded.status.iter().flat_map(|s| &s.sources))
            .collect();
        keys.sort();
        keys.dedup();
        assert_eq!(summary.source_count as usize, keys.len(), "{}", seeded.slug);
        assert_eq!(
            summary.last_changed_on,
            seeded.status.iter().map(|s| s.effective_on).max()
        );
        assert_eq!(summary.due_on, seeded.due_on);
    }
}

both_engines!(seeding_the_same_summit_twice_is_refused_and_changes_nothing);
async fn seeding_the_same_summit_twice_is_refused_and_changes_nothing(db: Db) {
    let data = seeded(&db).await;
    let before = count_sources(&db).await;
    let err = seed::insert_dataset(&db, &data, Utc::now()).await.unwrap_err();
    assert!(matches!(err, seed::SeedError::AlreadyLoaded(_)), "{err}");
    assert_eq!(before, count_sources(&db).await);
}

both_engines!(a_failing_seed_rolls_back_completely);
async fn a_failing_seed_rolls_back_completely(db: Db) {
    // Take an existing commitment slug so the insert fails half-way, after the
    // summit, parties and sources rows were written in the transaction.
    let first = dataset();
    seeded(&db).await;
    let mut second = dataset();
    second.summit.slug = Slug::parse("another-summit").unwrap();
    second.commitments.truncate(2);
    second.corrections.clear();
    second.commitments[0].slug = Slug::parse("a-fresh-commitment").unwrap();
    second.commitments[1].slug = first.commitments[0].slug.clone();
    let err = seed::insert_dataset(&db, &second, Utc::now()).await.unwrap_err();
    assert!(matches!(err, seed::SeedError::Database(_)), "{err}");
    assert_eq!(
        summits::count_summits(&db).await.unwrap(),
        1,
        "the new summit row was rolled back"
    );
    assert_eq!(
        count_sources(&db).await as usize,
        first.sources.len(),
        "no source of the failed load remains"
    );
}

both_engines!(an_inconsistent_dataset_is_refused_before_writing);
async fn an_inconsistent_dataset_is_refused_before_writing(db: Db) {
    let mut data = dataset();
    data.commitments[0].sources.push("no-such-source".into());
    let err = seed::insert_dataset(&db, &data, Utc::now()).await.unwrap_err();
    assert!(err.to_string().contains("no-such-source"), "{err}");
    assert_eq!(summits::count_summits(&db).await.unwrap(), 0);
}

both_engines!(detail_has_sources_timeline_and_summit);
async fn detail_has_sources_timeline_and_summit(db: Db) {
    let data = seeded(&db).await;
    let seeded = data.commitments.iter().find(|c| c.owed_by.len() == 2).unwrap();
    let record = commitments::find_commitment_by_slug(&db, &seeded.slug)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.commitment.title, seeded.title);
    assert_eq!(record.summit.slug, data.summit.slug);
    assert_eq!(record.timeline.len(), seeded.status.len());
    assert_eq!(record.sources.len() as i64, record.commitment.source_count);
    assert!(
        !record.sources.is_empty(),
        "the seed validates that a commitment cites sources"
    );
    for source in &record.sources {
        let shipped = data
            .sources
            .iter()
            .find(|s| s.quote == source.text.quote)
            .expect("quote stored verbatim");
        assert_eq!(source.text.publisher, shipped.publisher);
        assert_eq!(source.text.kind, shipped.kind);
    }
    for entry in &record.timeline {
        assert_eq!(entry.previous_status, None, "seeded entries are each party's first");
        assert!(!entry.sources.is_empty(), "every status change cites a source");
        assert_eq!(entry.recorded_by, seed::SEED_RECORDER);
        assert_eq!(entry.anchor(), format!("update-{}", entry.id));
    }
    match &seeded.proposed_by {
        domain::Proposer::Joint => assert_eq!(record.proposed_by, None),
        domain::Proposer::Party(code) => assert_eq!(record.proposed_by.unwrap().code, *code),
    }
}

both_engines!(unknown_slug_finds_nothing);
async fn unknown_slug_finds_nothing(db: Db) {
    let data = seeded(&db).await;
    // The same lookup finds a stored commitment…
    let known = &data.commitments.last().unwrap().slug;
    let found = commitments::find_commitment_by_slug(&db, known)
        .await
        .unwrap()
        .expect("a stored slug is found");
    assert_eq!(&found.commitment.slug, known);
    // …and nothing for a slug no commitment has.
    let slug = Slug::parse("no-such-commitment").unwrap();
    assert!(commitments::find_commitment_by_slug(&db, &slug)
        .await
        .unwrap()
        .is_none());
}

both_engines!(current_status_is_the_latest_by_effective_date);
async fn current_status_is_the_latest_by_effective_date(db: Db) {
    let data = seeded(&db).await;
    let slug = data
        .commitments
        .iter()
        .find(|c| c.owed_by.len() == 2)
        .unwrap()
        .slug
        .clone();
    append_status(&db, slug.as_str(), "kr", Status::InProgress, date(2026, 3, 1))
        .await
        .unwrap();
    // Recorded later but effective earlier: history, not the current status.
    append_status(&db, slug.as_str(), "kr", Status::Stalled, date(2026, 2, 1))
        .await
        .unwrap();

    let record = commitments::find_commitment_by_slug(&db, &slug).await.unwrap().unwrap();
    let kr = record
        .commitment
        .party_statuses
        .iter()
        .find(|p| p.party.code.as_str() == "kr")
        .unwrap();
    assert_eq!(kr.status, Status::InProgress);
    assert_eq!(kr.since, Some(date(2026, 3, 1)));
    assert_eq!(record.commitment.last_changed_on, Some(date(2026, 3, 1)));

    // Newest first, and each entry knows the party's status before it.
    let newest = &record.timeline[0];
    assert_eq!(
        (newest.status, newest.previous_status),
        (Status::InProgress, Some(Status::Stalled))
    );
    let middle = &record.timeline[1];
    assert_eq!(middle.status, Status::Stalled);
    let seeded_kr = data
        .commitments
        .iter()
        .find(|c| c.slug == slug)
        .unwrap()
        .status
        .iter()
        .find(|s| s.party.as_str() == "kr")
        .unwrap()
        .status;
    assert_eq!(
        middle.previous_status,
        Some(seeded_kr),
        "the seeded status came before it"
    );
    assert!(middle.sources.is_empty());
}

both_engines!(same_day_changes_are_ordered_by_recording);
async fn same_day_changes_are_ordered_by_recording(db: Db) {
    let data = seeded(&db).await;
    let slug = data.commitments[0].slug.clone();
    let party = data.commitments[0].owed_by[0].clone();
    append_status(&db, slug.as_str(), party.as_str(), Status::InProgress, date(2026, 5, 5))
        .await
        .unwrap();
    append_status(
        &db,
        slug.as_str(),
        party.as_str(),
        Status::PartlyFulfilled,
        date(2026, 5, 5),
    )
    .await
    .unwrap();
    let list = list_all(&db).await;
    let item = list.iter().find(|c| c.slug == slug).unwrap();
    let current = item.party_statuses.iter().find(|p| p.party.code == party).unwrap();
    assert_eq!(current.status, Status::PartlyFulfilled);
}

both_engines!(status_history_is_append_only);
async fn status_history_is_append_only(db: Db) {
    let data = seeded(&db).await;
    let history = || async {
        on_engine!(db, |pool| sqlx::query_as::<_, (i64, String, String)>(
            "SELECT id, status, effective_on FROM status_updates ORDER BY id"
        )
        .fetch_all(pool)
        .await
        .unwrap())
    };
    let before = history().await;
    let seeded_updates: usize = data.commitments.iter().map(|c| c.status.len()).sum();
    assert_eq!(before.len(), seeded_updates);
    let update = on_engine!(db, |pool| sqlx::query("UPDATE status_updates SET status = 'fulfilled'")
        .execute(pool)
        .await
        .map(|done| done.rows_affected()));
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = on_engine!(db, |pool| sqlx::query("DELETE FROM status_updates")
        .execute(pool)
        .await
        .map(|done| done.rows_affected()));
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert_eq!(history().await, before, "every row as it was");
    // Appending is what it allows.
    let slug = data.commitments[0].slug.as_str();
    let party = data.commitments[0].owed_by[0].as_str();
    append_status(&db, slug, party, Status::InProgress, date(2026, 1, 1))
        .await
        .unwrap();
    assert_eq!(history().await.len(), before.len() + 1);
}

both_engines!(a_status_needs_an_owing_party_and_a_known_status);
async fn a_status_needs_an_owing_party_and_a_known_status(db: Db) {
    let data = seeded(&db).await;
    let single = data
        .commitments
        .iter()
        .find(|c| c.owed_by.len() == 1)
        .expect("a one-party commitment");
    let other = if single.owed_by[0].as_str() == "cn" { "kr" } else { "cn" };
    let err = append_status(&db, single.slug.as_str(), other, Status::Fulfilled, date(2026, 1, 1)).await;
    // SQLite says "FOREIGN KEY constraint failed", PostgreSQL "violates
    // foreign key constraint".
    assert!(err.unwrap_err().to_string().to_lowercase().contains("foreign key"));
    // The party that owes it may have that status.
    append_status(
        &db,
        single.slug.as_str(),
        single.owed_by[0].as_str(),
        Status::Fulfilled,
        date(2026, 1, 1),
    )
    .await
    .unwrap();

    let commitment_id = commitment_id(&db, single.slug.as_str()).await;
    let party_id = party_id(&db, single.owed_by[0].as_str()).await;
    let bad_status = on_engine!(db, |pool| sqlx::query(
        "INSERT INTO status_updates (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at)
         VALUES ($1, $2, 'no_action', '2026-01-01', '', 'x', '2026-01-01T00:00:00Z')",
    )
    .bind(commitment_id)
    .bind(party_id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()));
    assert!(bad_status
        .unwrap_err()
        .to_string()
        .to_lowercase()
        .contains("check constraint"));
}

/// The maintenance counts (the backup check prints them) count what is
/// stored, not only an empty database's nothing. SQLite's: the backup
/// check is of a SQLite file (PostgreSQL's backups are `pg_dump`'s).
#[sqlx::test(migrations = "../migrations/sqlite")]
async fn maintenance_counts_the_rows_stored(pool: SqlitePool) {
    use super::maintenance::{count_rows, CountedTable};
    let data = seeded(&pool).await;
    let alice = crate::test_fixture::editor(&pool, "counter").await;
    let slug = &data.commitments[0].slug;
    let record = commitments::find_commitment_by_slug(&pool, slug)
        .await
        .unwrap()
        .unwrap();
    let change = domain::StatusChange {
        parties: domain::PartyChoice::AllOwing,
        status: Status::NotYetRated,
        effective_on: date(2026, 1, 1),
        note: "Checked again.".into(),
        source_ids: vec![record.sources[0].id],
        new_source: None,
        expected_version: record.version,
    };
    super::editing::record_status_change(
        &crate::Db::new(pool.clone()),
        slug,
        &change,
        &alice,
        date(2026, 1, 2).and_hms_opt(9, 0, 0).unwrap().and_utc(),
    )
    .await
    .unwrap();
    let mut connection = pool.acquire().await.unwrap();
    let seeded_updates: usize = data.commitments.iter().map(|c| c.status.len()).sum();
    assert_eq!(
        count_rows(&mut connection, CountedTable::Commitments).await.unwrap() as usize,
        data.commitments.len()
    );
    assert_eq!(
        count_rows(&mut connection, CountedTable::StatusUpdates).await.unwrap() as usize,
        seeded_updates + data.commitments[0].owed_by.len()
    );
    assert_eq!(count_rows(&mut connection, CountedTable::Revisions).await.unwrap(), 1);
}

#[tokio::test]
async fn connect_creates_the_folder_and_sets_wal_and_foreign_keys() {
    let folder = std::env::temp_dir().join(format!("accord-connect-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    let url = format!("sqlite://{}/nested/accord.db", folder.display());
    let pool = super::connect(&url).await.unwrap();
    super::migrate(&pool).await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(fk, 1);
    let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(timeout, 5000, "the 5 s busy timeout `connect` sets");
    // NORMAL (1): a commit survives the process's death, not a power cut
    // (docs/RELIABILITY.md says which).
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&pool).await.unwrap();
    assert_eq!(synchronous, 1, "synchronous=NORMAL");
    assert!(folder.join("nested/accord.db").exists());
    pool.close().await;
    std::fs::remove_dir_all(&folder).unwrap();
}

/// An in-memory database leaves no file behind: sqlx names it
/// `file:sqlx-in-memory-N`, which `connect` once made on disk.
#[tokio::test]
async fn connect_to_an_in_memory_database_makes_no_file() {
    let before: Vec<_> = std::fs::read_dir(".")
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    let pool = super::connect("sqlite::memory:").await.unwrap();
    let one: i64 = sqlx::query_scalar("SELECT 1").fetch_one(&pool).await.unwrap();
    assert_eq!(one, 1);
    pool.close().await;
    let made: Vec<_> = std::fs::read_dir(".")
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|name| !before.contains(name) && name.to_string_lossy().contains("memory"))
        .collect();
    assert!(made.is_empty(), "{made:?}");
}

/// A checkpoint while the pool stays open empties the `-wal` file, and the
/// size limit is set on every connection.
#[tokio::test]
async fn checkpoint_empties_the_wal_while_the_server_runs() {
    let folder = std::env::temp_dir().join(format!("accord-checkpoint-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let url = format!("sqlite://{}/accord.db", folder.display());
    let pool = super::connect(&url).await.unwrap();
    super::migrate(&pool).await.unwrap();
    let limit: i64 = sqlx::query_scalar("PRAGMA journal_size_limit")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(limit as u64, super::WAL_SIZE_LIMIT);
    for i in 0..200 {
        sqlx::query("INSERT INTO failed_logins (user_name, address, attempted_at) VALUES ('x', 'y', ?1)")
            .bind(i)
            .execute(&pool)
            .await
            .unwrap();
    }
    let wal = folder.join("accord.db-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0, "the writes went to the WAL");
    let mut checkpointer = super::open_checkpointer(&url).await.unwrap();
    let done = super::checkpoint_wal(&mut checkpointer).await.unwrap();
    assert!(!done.busy, "{done:?}");
    assert_eq!(done.wal_frames, done.copied_frames);
    assert_eq!(std::fs::metadata(&wal).unwrap().len(), 0, "TRUNCATE empties the file");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM failed_logins")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 200, "nothing lost");
    pool.close().await;
    std::fs::remove_dir_all(&folder).unwrap();
}

/// Password checks take turns, as many at once as there are cores; a check
/// that cannot get a turn within `PASSWORD_CHECK_WAIT` is refused (the
/// sign-in answers 429) instead of waiting without end.
#[tokio::test(start_paused = true)]
async fn password_checks_take_turns_and_a_long_wait_gives_up() {
    // No connection is opened: the turns are the Db's own.
    let pool = sqlx::SqlitePool::connect_lazy("sqlite::memory:").unwrap();
    let db = crate::Db::new(pool);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut turns = Vec::new();
    for _ in 0..cores {
        turns.push(db.wait_for_password_check().await.expect("a free turn"));
    }
    let started = tokio::time::Instant::now();
    assert!(db.wait_for_password_check().await.is_none(), "every turn is taken");
    assert_eq!(
        started.elapsed(),
        crate::users::PASSWORD_CHECK_WAIT,
        "it waited the whole time first"
    );
    turns.pop();
    assert!(
        db.wait_for_password_check().await.is_some(),
        "a turn given back is taken"
    );
}
