//! The two engines side by side: SQLite's migrations and PostgreSQL's leave
//! the same logical schema, a site copies from one to the other, and the
//! triggers of both derive the same statuses, counts and history from the
//! same writes.

use chrono::NaiveDate;
use domain::Slug;
use sqlx::{Executor, SqlitePool};

use crate::generate::{generate, GenerateOptions};
use crate::page_comparison::compare_commitment_pages;
use crate::postgres_test_database::TestDatabase;
use crate::schema_report::{postgres_schema, sqlite_schema};
use crate::site_copy::{compare_sites, copy_site, CopyOptions, TableComparison, COUNT_TABLES, DERIVED_TABLES};
use crate::test_fixture::{handle_on, seeded};

fn mismatches(compared: &[TableComparison]) -> Vec<&TableComparison> {
    compared.iter().filter(|t| !t.matches()).collect()
}

fn rows_of<'a>(compared: &'a [TableComparison], table: &str) -> &'a TableComparison {
    compared
        .iter()
        .find(|t| t.table == table)
        .expect("the table was compared")
}

#[sqlx::test(migrations = "../migrations/sqlite")]
async fn both_engines_migrate_to_the_same_logical_schema(sqlite: SqlitePool) {
    let postgres = TestDatabase::migrated().await;
    let on_sqlite = sqlite_schema(&sqlite).await.unwrap();
    let on_postgres = postgres_schema(&postgres.pool).await.unwrap();
    let differences = on_sqlite.differences(&on_postgres);
    assert!(differences.is_empty(), "{}", differences.join("\n"));

    // The reports are not empty agreements: both see every table with its keys.
    assert_eq!(on_sqlite.tables.len(), 24, "{:?}", on_sqlite.tables.keys());
    let commitments = &on_postgres.tables["commitments"];
    assert_eq!(commitments.primary_key, ["id"]);
    assert!(commitments.unique.contains(&vec!["slug".to_string()]));
    assert!(commitments.columns["title_order"].generated);
    assert_eq!(commitments.foreign_keys.len(), 2);
    assert!(commitments
        .checks
        .iter()
        .any(|c| c.literals.contains("'people_to_people'")));
    assert_eq!(commitments.indexes.len(), on_sqlite.tables["commitments"].indexes.len());
    assert!(on_postgres.views.contains("status_ranks"));
    postgres.drop_database().await;
}

#[sqlx::test(migrations = "../migrations/sqlite")]
async fn a_schema_that_drifts_is_reported(sqlite: SqlitePool) {
    let postgres = TestDatabase::migrated().await;
    let on_sqlite = sqlite_schema(&sqlite).await.unwrap();
    for drift in [
        "ALTER TABLE summits ADD COLUMN slogan TEXT",
        "ALTER TABLE summits DROP COLUMN slogan",
        "ALTER TABLE suggestions DROP CONSTRAINT suggestions_state_check",
    ] {
        postgres.pool.execute(drift).await.unwrap();
        let differences = on_sqlite.differences(&postgres_schema(&postgres.pool).await.unwrap());
        let expected_clean = drift.contains("DROP COLUMN");
        assert_eq!(differences.is_empty(), expected_clean, "after {drift}: {differences:?}");
    }
    postgres.drop_database().await;
}

/// Writes that exercise every trigger's update and delete paths, in SQL
/// both engines run alike: titles and summaries edited, a due date moved
/// and removed, a theme and a summit changed, a summit's date moved,
/// back-dated and later status changes (one statement for several parties),
/// a source unlinked and a translation added, edited and removed.
const EDITS: &[&str] = &[
    "UPDATE commitments SET title = title || ' (edited)', summary = summary || ' 한중 정상회담 합의' WHERE id = 1",
    "UPDATE commitments SET due_on = '2026-03-31' WHERE id = 2",
    "UPDATE commitments SET due_on = NULL WHERE id = 3",
    "UPDATE commitments SET theme = CASE theme WHEN 'security' THEN 'economy' ELSE 'security' END WHERE id = 4",
    "UPDATE commitments SET summit_id = (SELECT max(id) FROM summits) WHERE id = 5",
    "UPDATE summits SET held_on = '2025-10-31' WHERE id = 1",
    "INSERT INTO status_updates (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at)
     SELECT commitment_id, party_id, 'stalled', '2025-11-15', 'back-dated', 'engines test', '2026-12-06T10:00:00Z'
     FROM commitment_parties WHERE commitment_id = 6 ORDER BY party_id",
    "INSERT INTO status_updates (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at)
     SELECT commitment_id, party_id, 'fulfilled', '2026-11-20', 'later', 'engines test', '2026-12-06T10:00:01Z'
     FROM commitment_parties WHERE commitment_id = 7 ORDER BY party_id LIMIT 1",
    "INSERT INTO status_updates (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at)
     SELECT commitment_id, party_id, 'in_progress', '2025-11-10', 'earlier than the last', 'engines test',
            '2026-12-06T10:00:02Z'
     FROM commitment_parties WHERE commitment_id = 7 ORDER BY party_id LIMIT 1",
    "DELETE FROM commitment_sources
     WHERE commitment_id = 8 AND source_id = (SELECT min(source_id) FROM commitment_sources WHERE commitment_id = 8)",
    "INSERT INTO commitment_translations (commitment_id, language, title, summary, translated_by, updated_at)
     SELECT id, 'zh', '电信诈骗合作', '双方同意加强合作', 'engines test', '2026-12-06 10:00'
     FROM commitments WHERE id = 9 AND language <> 'zh'",
    "UPDATE commitment_translations SET summary = summary || '。' WHERE commitment_id = 9 AND language = 'zh'",
    "DELETE FROM commitment_translations WHERE commitment_id = 10",
    // Both parties' statuses in one statement: PostgreSQL fires the nested
    // count steps in another order than SQLite (they must commute).
    "UPDATE commitment_parties SET status = 'stalled' WHERE commitment_id = 11",
    "UPDATE commitments SET theme = 'economy', due_on = '2026-08-31' WHERE id IN (12, 13)",
    // A date that is not a day: SQLite's cast takes its leading digits, and
    // so must PostgreSQL's sort keys (`sqlite_integer`).
    "UPDATE summits SET held_on = '2026-05-01 (to be confirmed)' WHERE id = 2",
];

/// Edits made on SQLite alone before a copy (ids past the seed's, among
/// the generated commitments).
const HISTORY_BEFORE_THE_COPY: &[&str] = &[
    "UPDATE commitments SET summit_id = (SELECT min(id) FROM summits) WHERE id IN (40, 41, 42)",
    "UPDATE commitments SET theme = 'multilateral' WHERE id IN (43, 44) AND theme <> 'multilateral'",
    "UPDATE commitments SET due_on = '2027-01-31' WHERE id IN (45, 46)",
    "UPDATE summits SET held_on = '2025-10-30' WHERE id = (SELECT max(id) FROM summits)",
    // Texts in other languages, of a commitment and of its summit.
    "INSERT INTO commitment_translations (commitment_id, language, title, summary, translated_by, updated_at)
     SELECT id, 'ko', '청소년·언론·싱크탱크 교류', '양측은 교류를 확대하기로 했다', 'engines test', '2026-12-01T07:00:00Z'
     FROM commitments WHERE id = 3 AND language <> 'ko'",
    "INSERT INTO summit_translations (summit_id, language, title, location, summary, translated_by)
     SELECT summit_id, 'zh', '中韩首脑会谈', '庆州', '摘要', 'engines test' FROM commitments WHERE id = 3",
    // Corrected sources, one listed and one cited, recorded to the
    // nanosecond (what sqlx writes, and more than PostgreSQL's timestamps
    // hold).
    "INSERT INTO source_versions (source_id, version, publisher, via, title, title_basis, dated_on, date_basis,
                                  url, quote, kind, language, correction_note, recorded_by, recorded_at)
     SELECT source_id, 2, publisher, via, title || ' (corrected)', title_basis, dated_on, date_basis, url, quote,
            kind, language, 'title corrected', 'engines test', '2026-12-01T08:00:00.123456789+00:00'
     FROM source_versions
     WHERE version = 1 AND source_id IN (SELECT min(source_id) FROM commitment_sources
                                         UNION SELECT max(source_id) FROM status_update_sources)",
];

/// Every commitment's page, read through the store from each engine,
/// is the same; and the pages compared show what they must (corrections,
/// citations, translations, long timelines), so that equality means
/// something.
async fn assert_pages_read_alike(sqlite: &SqlitePool, postgres: &sqlx::PgPool) {
    let pages = compare_commitment_pages(sqlite, postgres).await.unwrap();
    assert!(pages.matches(), "{pages:?}");
    assert!(pages.compared > 250, "{pages:?}");
    let busy = Slug::parse(crate::generate::BUSY_COMMITMENT_SLUG).unwrap();
    let record = crate::commitments::find_commitment_with_timeline(postgres, &busy, usize::MAX)
        .await
        .unwrap()
        .unwrap();
    assert!(record.timeline.len() >= 25, "{}", record.timeline.len());
    // A history page in the middle, as a reader paging back reads it.
    let middle = crate::commitments::list_history_page(postgres, &busy, Some(12), 5)
        .await
        .unwrap();
    assert_eq!(
        middle,
        crate::commitments::list_history_page(sqlite, &busy, Some(12), 5)
            .await
            .unwrap()
    );
    assert_eq!(middle.as_ref().map(|page| page.revisions.len()), Some(5));
    let mut corrected = 0;
    let mut cited = 0;
    let mut translated = 0;
    let mut summits_translated = 0;
    let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM commitments ORDER BY id")
        .fetch_all(sqlite)
        .await
        .unwrap();
    for slug in slugs {
        let record = crate::commitments::find_commitment_with_timeline(postgres, &Slug::parse(&slug).unwrap(), 200)
            .await
            .unwrap()
            .unwrap();
        corrected += record.sources.iter().filter(|s| !s.corrections.is_empty()).count();
        corrected += record
            .timeline
            .iter()
            .flat_map(|entry| &entry.sources)
            .filter(|s| s.later_correction.is_some())
            .count();
        cited += record.timeline.iter().map(|entry| entry.sources.len()).sum::<usize>();
        let slug = Slug::parse(&slug).unwrap();
        assert_eq!(
            crate::corrections::list_corrections(sqlite, Some(&slug), 50)
                .await
                .unwrap(),
            crate::corrections::list_corrections(postgres, Some(&slug), 50)
                .await
                .unwrap(),
            "{slug:?}"
        );
        assert_eq!(
            crate::commitments::list_recent_status_changes(sqlite, Some(&slug), 50)
                .await
                .unwrap(),
            crate::commitments::list_recent_status_changes(postgres, Some(&slug), 50)
                .await
                .unwrap(),
            "{slug:?}"
        );
        translated += usize::from(!record.commitment.translations.is_empty());
        summits_translated += usize::from(!record.summit.translations.is_empty());
    }
    assert!(corrected >= 2, "corrections shown: {corrected}");
    let corrections = crate::corrections::list_corrections(postgres, None, 50).await.unwrap();
    let sources_corrected = corrections
        .iter()
        .filter(|c| c.kind == domain::CorrectionKind::Source && !c.items.is_empty() && !c.changes.is_empty())
        .count();
    assert!(sources_corrected >= 1, "{corrections:?}");
    // The charts and the summits' listing compared have something in them.
    let today = chrono::Utc::now().date_naive();
    let chart = crate::listing::summit_status_history(postgres, None, today)
        .await
        .unwrap();
    assert!(chart.len() >= 12, "{chart:?}");
    assert!(chart
        .iter()
        .any(|snapshot| snapshot.counts.iter().filter(|n| **n > 0).count() >= 2));
    let listings = crate::listing::list_summit_listings(postgres).await.unwrap();
    let listed: Vec<(String, u64)> = listings
        .iter()
        .map(|l| (l.summit.slug.as_str().to_owned(), l.commitment_count))
        .collect();
    assert!(
        listings.len() >= 2 && listings.iter().map(|l| l.commitment_count).sum::<u64>() > 250,
        "{listed:?}"
    );
    assert!(cited > 100, "citations shown: {cited}");
    assert!(translated > 0, "translated commitments: {translated}");
    assert!(
        summits_translated > 0,
        "pages with a translated summit: {summits_translated}"
    );
}

async fn run_edits(sqlite: &SqlitePool, postgres: &sqlx::PgPool) {
    for edit in EDITS {
        let on_sqlite = sqlite.execute(*edit).await.unwrap().rows_affected();
        let on_postgres = postgres.execute(*edit).await.unwrap().rows_affected();
        assert_eq!(on_sqlite, on_postgres, "{edit}");
        assert!(
            on_sqlite > 0 || edit.contains("commitment_id = 10"),
            "the edit changed nothing: {edit}"
        );
    }
}

/// `accord-dev generate` writes the same site on either engine: the seeded
/// site with generated commitments and a busy one is the same, row for row,
/// compared as a copied site is; and PostgreSQL numbers its next rows after
/// the ids the generator gave.
#[sqlx::test(migrations = "../migrations/sqlite")]
async fn generating_on_postgres_writes_the_site_generating_on_sqlite_writes(sqlite: SqlitePool) {
    use chrono::TimeZone;
    let postgres = TestDatabase::migrated().await;
    let options = GenerateOptions {
        until: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        busy_updates: 25,
        batch: 100,
        recorded_at: chrono::Utc.with_ymd_and_hms(2026, 11, 2, 9, 30, 0).unwrap(),
        ..GenerateOptions::new(250, 4, 13)
    };
    seeded(&sqlite).await;
    let on_sqlite = generate(&sqlite, &options, |_| {}).await.unwrap();
    seeded(&postgres.pool).await;
    let mut batches = Vec::new();
    let on_postgres = generate(&postgres.pool, &options, |done| batches.push(done))
        .await
        .unwrap();
    assert_eq!(on_sqlite, on_postgres);
    // PostgreSQL's batches start at one commitment and double up to 100.
    assert_eq!(batches, [1, 3, 7, 15, 31, 63, 127, 227, 250]);

    let compared = compare_sites(&sqlite, &postgres.pool, false).await.unwrap();
    assert!(mismatches(&compared).is_empty(), "{:#?}", mismatches(&compared));
    assert!(rows_of(&compared, "status_updates").postgres_rows > 1_000);
    assert!(rows_of(&compared, "source_versions").postgres_rows > 250);

    for table in ["summits", "commitments", "sources", "status_updates"] {
        let (next, largest): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT nextval(pg_get_serial_sequence('{table}', 'id')), (SELECT max(id) FROM {table})"
        )))
        .fetch_one(&postgres.pool)
        .await
        .unwrap();
        assert_eq!(next, largest + 1, "{table}'s next id");
    }
    postgres.drop_database().await;
}

#[sqlx::test(migrations = "../migrations/sqlite")]
async fn a_copied_site_matches_and_both_engines_derive_the_same_data_from_the_same_writes(sqlite: SqlitePool) {
    seeded(&sqlite).await;
    let options = GenerateOptions {
        until: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        busy_updates: 25,
        ..GenerateOptions::new(250, 5, 11)
    };
    generate(&sqlite, &options, |_| {}).await.unwrap();
    // A site with a past: moves, theme and due-date changes and a summit's
    // new date leave rows at zero in SQLite's counts that a copy, which
    // replays only what is there now, never passes through.
    for edit in HISTORY_BEFORE_THE_COPY {
        sqlite.execute(*edit).await.unwrap();
    }
    let postgres = TestDatabase::migrated().await;

    let report = copy_site(&sqlite, &postgres.pool, CopyOptions { keep_sessions: true })
        .await
        .unwrap();
    let copied: u64 = report.tables.iter().map(|(_, rows)| rows).sum();
    assert!(copied > 1_000, "{report:?}");

    let compared = compare_sites(&sqlite, &postgres.pool, true).await.unwrap();
    assert!(mismatches(&compared).is_empty(), "{:#?}", mismatches(&compared));
    // The derived tables were filled by PostgreSQL, not copied (the counts
    // counted once at the end, the rest by the triggers).
    for table in DERIVED_TABLES {
        assert!(rows_of(&compared, table).postgres_rows > 0, "{table} is empty");
    }
    // More rows than one page (`PAGE_ROWS`) in the busiest tables.
    assert!(rows_of(&compared, "status_updates").postgres_rows > 1_200);
    // The copy rewrote what it wrote without the dead row versions its
    // replay left (each status change updated its commitment): the
    // commitments take no more room than a fresh copy of their rows.
    let (heap, fresh): (i64, i64) = sqlx::query_as(
        "SELECT pg_relation_size('commitments'),
                (SELECT sum(pg_column_size(c.*)) FROM commitments c)::bigint",
    )
    .fetch_one(&postgres.pool)
    .await
    .unwrap();
    assert!(
        heap < 2 * fresh,
        "commitments: {heap} bytes of heap for {fresh} bytes of rows"
    );

    // The title sort key, whose values differ by design, sorts alike.
    let by_title = "SELECT id FROM commitments ORDER BY title_order, summit_order, position, id";
    let on_sqlite: Vec<i64> = sqlx::query_scalar(by_title).fetch_all(&sqlite).await.unwrap();
    let on_postgres: Vec<i64> = sqlx::query_scalar(by_title).fetch_all(&postgres.pool).await.unwrap();
    assert_eq!(on_sqlite, on_postgres);
    assert_pages_read_alike(&sqlite, &postgres.pool).await;

    run_edits(&sqlite, &postgres.pool).await;
    let compared = compare_sites(&sqlite, &postgres.pool, true).await.unwrap();
    assert!(mismatches(&compared).is_empty(), "{:#?}", mismatches(&compared));
    // A page cannot show a summit whose date is not a day (on either
    // engine): the last edit's date is made a day again before the pages
    // are read.
    let a_day = "UPDATE summits SET held_on = '2026-05-01' WHERE id = 2";
    sqlite.execute(a_day).await.unwrap();
    postgres.pool.execute(a_day).await.unwrap();
    assert_pages_read_alike(&sqlite, &postgres.pool).await;

    // And a difference is found: one count changed behind the triggers' back.
    postgres
        .pool
        .execute("UPDATE status_totals SET count = count + 1 WHERE overall_status = 'not_yet_rated'")
        .await
        .unwrap();
    let compared = compare_sites(&sqlite, &postgres.pool, true).await.unwrap();
    let differing: Vec<&str> = mismatches(&compared).iter().map(|t| t.table.as_str()).collect();
    assert_eq!(differing, ["status_totals"]);

    // A page that reads differently is found: a translation changed on
    // PostgreSQL alone.
    postgres
        .pool
        .execute("UPDATE commitment_translations SET title = title || '!' WHERE commitment_id = 9")
        .await
        .unwrap();
    let pages = compare_commitment_pages(&sqlite, &postgres.pool).await.unwrap();
    let ninth: String = sqlx::query_scalar("SELECT slug FROM commitments WHERE id = 9")
        .fetch_one(&sqlite)
        .await
        .unwrap();
    assert_eq!(pages.differing, 1, "{pages:?}");
    assert_eq!(pages.first_differing, [Slug::parse(&ninth).unwrap()]);
    postgres.drop_database().await;
}

/// Each kept count table's rows other than zeros, as text, in order.
async fn kept_counts(postgres: &sqlx::PgPool) -> Vec<(String, String)> {
    let mut tables = Vec::new();
    for table in COUNT_TABLES {
        let rows: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT string_agg(k::text, '; ' ORDER BY k::text) FROM {table} k WHERE count <> 0"
        )))
        .fetch_one(postgres)
        .await
        .unwrap();
        tables.push((table.to_string(), rows.unwrap_or_default()));
    }
    tables
}

/// `accord migrate-db` counts the kept tables once, with
/// `recount_kept_tables()`, instead of stepping them with every row it
/// copies. On a site whose counts the triggers stepped through the seed
/// and every kind of edit, counting afresh changes nothing but the zeros.
#[tokio::test]
async fn counting_the_kept_tables_afresh_agrees_with_what_the_triggers_stepped() {
    let postgres = TestDatabase::migrated().await;
    seeded(&handle_on(&postgres.pool)).await;
    let seeded_counts = kept_counts(&postgres.pool).await;
    for edit in EDITS {
        postgres.pool.execute(*edit).await.unwrap();
    }
    let stepped = kept_counts(&postgres.pool).await;
    assert_ne!(stepped, seeded_counts, "the edits changed some counts");
    for (table, rows) in &stepped {
        assert!(!rows.is_empty(), "{table} holds counts");
    }
    sqlx::query("SELECT recount_kept_tables()")
        .execute(&postgres.pool)
        .await
        .unwrap();
    assert_eq!(kept_counts(&postgres.pool).await, stepped);
    for table in COUNT_TABLES {
        let zeros: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM {table} WHERE count = 0"
        )))
        .fetch_one(&postgres.pool)
        .await
        .unwrap();
        assert_eq!(zeros, 0, "a fresh count of {table} holds no zeros");
    }

    // Outside a copy the triggers keep stepping: a status change is counted.
    let before = kept_counts(&postgres.pool).await;
    postgres
        .pool
        .execute(
            "INSERT INTO status_updates (commitment_id, party_id, status, effective_on, note, recorded_by, recorded_at)
             SELECT commitment_id, party_id, 'not_fulfilled', '2026-11-25', 'after the recount', 'engines test',
                    '2026-12-07T10:00:00Z'
             FROM commitment_parties WHERE commitment_id = 1 ORDER BY party_id",
        )
        .await
        .unwrap();
    let after = kept_counts(&postgres.pool).await;
    let changed: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b != a)
        .map(|(b, _)| b.0.as_str())
        .collect();
    assert!(
        changed.contains(&"status_totals") && changed.contains(&"list_counts"),
        "{changed:?}"
    );
    postgres.drop_database().await;
}

#[sqlx::test(migrations = "../migrations/sqlite")]
async fn a_copy_goes_only_into_an_empty_database(sqlite: SqlitePool) {
    seeded(&sqlite).await;
    let postgres = TestDatabase::migrated().await;
    copy_site(&sqlite, &postgres.pool, CopyOptions { keep_sessions: false })
        .await
        .unwrap();
    let again = copy_site(&sqlite, &postgres.pool, CopyOptions { keep_sessions: false }).await;
    assert!(
        matches!(again, Err(crate::site_copy::SiteCopyError::TargetNotEmpty(1))),
        "{again:?}"
    );
    // New rows are numbered after the copied ones.
    let next: i64 = sqlx::query_scalar(
        "INSERT INTO parties (code, name, short_name, leader) VALUES ('jp', 'Japan', 'Japan', '-') RETURNING id",
    )
    .fetch_one(&postgres.pool)
    .await
    .unwrap();
    let most: i64 = sqlx::query_scalar("SELECT max(id) FROM parties WHERE code <> 'jp'")
        .fetch_one(&sqlite)
        .await
        .unwrap();
    assert_eq!(next, most + 1);
    postgres.drop_database().await;
}

#[sqlx::test(migrations = "../migrations/sqlite")]
async fn history_and_evidence_stay_append_only_on_postgres(sqlite: SqlitePool) {
    seeded(&sqlite).await;
    let postgres = TestDatabase::migrated().await;
    copy_site(&sqlite, &postgres.pool, CopyOptions { keep_sessions: false })
        .await
        .unwrap();
    for (refused, message) in [
        (
            "UPDATE status_updates SET note = 'rewritten'",
            "status history is append-only",
        ),
        ("DELETE FROM status_updates", "status history is append-only"),
        (
            "UPDATE sources SET quote = 'not what was said'",
            "a source is corrected by adding a version",
        ),
        ("DELETE FROM sources", "sources are evidence and are never deleted"),
        (
            "UPDATE source_versions SET quote = 'x'",
            "source versions are append-only",
        ),
        (
            "INSERT INTO commitment_translations (commitment_id, language, title, summary, translated_by, updated_at)
             SELECT id, language, 't', 's', 'x', '2026-12-06' FROM commitments WHERE id = 1",
            "a translation must be in another language than the original",
        ),
    ] {
        let error = postgres.pool.execute(refused).await.unwrap_err();
        assert!(error.to_string().contains(message), "{refused}: {error}");
        let error = sqlite.execute(refused).await.unwrap_err();
        assert!(error.to_string().contains(message), "SQLite, {refused}: {error}");
    }
    // PostgreSQL's TRUNCATE fires no row trigger; it is refused by its own.
    for (refused, message) in [
        ("TRUNCATE status_updates CASCADE", "status history is append-only"),
        ("TRUNCATE revisions", "revisions are append-only"),
        ("TRUNCATE source_versions", "source versions are append-only"),
        ("TRUNCATE sources CASCADE", "sources are evidence and are never deleted"),
    ] {
        let error = postgres.pool.execute(refused).await.unwrap_err();
        assert!(error.to_string().contains(message), "{refused}: {error}");
    }
    postgres.drop_database().await;
}

#[sqlx::test(migrations = "../migrations/sqlite")]
async fn both_engines_answer_the_summit_reads_alike(sqlite: SqlitePool) {
    seeded(&sqlite).await;
    let options = GenerateOptions {
        until: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        ..GenerateOptions::new(1_200, 1, 5)
    };
    generate(&sqlite, &options, |_| {}).await.unwrap();
    sqlite
        .execute(
            "INSERT INTO summit_translations (summit_id, language, title, location, summary, translated_by)
             VALUES (1, 'ko', '한중 정상회담', '경주', '요약', 'engines test'),
                    (1, 'zh', '中韩首脑会谈', '庆州', '摘要', 'engines test')",
        )
        .await
        .unwrap();
    let postgres = TestDatabase::migrated().await;
    copy_site(&sqlite, &postgres.pool, CopyOptions { keep_sessions: false })
        .await
        .unwrap();

    let on_sqlite = crate::summits::list_summits(&sqlite).await.unwrap();
    let on_postgres = crate::summits::list_summits(&postgres.pool).await.unwrap();
    assert!(on_sqlite.len() >= 4, "{}", on_sqlite.len());
    assert!(on_sqlite.iter().any(|s| !s.translations.is_empty()));
    assert_eq!(on_sqlite, on_postgres);
    assert_eq!(
        crate::summits::latest_summit(&sqlite).await.unwrap(),
        crate::summits::latest_summit(&postgres.pool).await.unwrap()
    );
    assert_eq!(
        crate::summits::count_summits(&sqlite).await.unwrap(),
        crate::summits::count_summits(&postgres.pool).await.unwrap()
    );
    crate::maintenance::ping(&postgres.pool).await.unwrap();
    let oldest = on_sqlite.last().unwrap().slug.clone();
    for (limit, also) in [(2, None), (1, Some(&oldest)), (100, None)] {
        let choices = crate::summits::newest_summits(&postgres.pool, limit, also)
            .await
            .unwrap();
        assert_eq!(
            choices,
            crate::summits::newest_summits(&sqlite, limit, also).await.unwrap()
        );
        assert!(choices.total >= 4 && !choices.time_zones.is_empty(), "{choices:?}");
    }
    let now = chrono::Utc::now();
    let days = crate::zone_days::ZoneDays::at(&postgres.pool, now).await.unwrap();
    assert_eq!(days, crate::zone_days::ZoneDays::at(&sqlite, now).await.unwrap());
    assert!(days.json().contains("Asia/Seoul"), "{}", days.json());
    postgres.drop_database().await;
}

#[sqlx::test(migrations = "../migrations/sqlite")]
async fn both_engines_find_the_same_commitments_for_a_search(sqlite: SqlitePool) {
    seeded(&sqlite).await;
    let options = GenerateOptions {
        until: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        ..GenerateOptions::new(300, 2, 3)
    };
    generate(&sqlite, &options, |_| {}).await.unwrap();
    // Korean and Chinese translations of the seeded commitments are part of
    // what a search reads (the fixture loads the English data set alone).
    sqlite
        .execute(
            "INSERT INTO commitment_translations (commitment_id, language, title, summary, translated_by, updated_at)
             SELECT id, 'ko', '전기통신 사기 및 온라인 도박 대응 협력 ' || id, '양측은 협력을 강화하기로 했다 (Kyŏngju)', 't', '2026-12-06'
             FROM commitments WHERE id <= 6 AND language <> 'ko'
             UNION ALL
             SELECT id, 'zh', '打击电信诈骗合作 ' || id, '双方同意加强合作，亚太经合组织', 't', '2026-12-06'
             FROM commitments WHERE id BETWEEN 4 AND 9 AND language <> 'zh'",
        )
        .await
        .unwrap();
    // Text that PostgreSQL's parser reads as tags, entities, hosts, paths,
    // addresses and numbers, where FTS5 sees words and digits.
    sqlite
        .execute(
            "UPDATE commitments SET summary = summary || ' <script>markuptag</script> &amp;entity '
                 || 'https://example.org/pathword/x.html mailbox@hostword.com 1.5 v2.0.1 anti-fraud x_y'
             WHERE id = 2",
        )
        .await
        .unwrap();
    let postgres = TestDatabase::migrated().await;
    copy_site(&sqlite, &postgres.pool, CopyOptions { keep_sessions: false })
        .await
        .unwrap();
    let days = crate::listing::ZoneDays::at(&sqlite, chrono::Utc::now()).await.unwrap();
    let mut found_something = 0;
    for text in [
        "script",
        "markuptag",
        "amp",
        "example",
        "pathword",
        "html",
        "mailbox",
        "hostword",
        "5",
        "anti",
        "y",
        "trade",
        "TRADE",
        "fraud",
        "fra",
        "telecom fraud",
        "currency swap",
        "apec",
        "gyeongju",
        "kyongju",
        "Kyŏngju",
        "youth exchanges",
        "phase two",
        "xi",
        "no such word anywhere",
        "전기통신",
        "사기",
        "도박",
        "협",
        "통신 사기",
        "诈骗",
        "电信诈骗合作",
        "亚太经合组织",
        "合",
        "fraud 사기",
        "---",
    ] {
        let search = domain::SearchText::parse(text).unwrap().unwrap();
        let query = domain::ListQuery {
            search: Some(search.clone()),
            ..Default::default()
        };
        let mut on_sqlite: Vec<i64> = crate::listing::match_commitments(&sqlite, &query, &days)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.id)
            .collect();
        on_sqlite.sort_unstable();
        let on_postgres = store_postgres::search::matching_ids(&postgres.pool, &search)
            .await
            .unwrap();
        assert_eq!(on_sqlite, on_postgres, "searching for {text:?}");
        if !on_sqlite.is_empty() {
            found_something += 1;
        }
    }
    assert!(found_something >= 30, "only {found_something} searches found anything");
    postgres.drop_database().await;
}

#[sqlx::test(migrations = "../migrations/sqlite")]
async fn both_engines_keep_and_check_accounts_alike(sqlite: SqlitePool) {
    use domain::Role;
    let postgres = TestDatabase::migrated().await;
    let now: chrono::DateTime<chrono::Utc> = "2026-12-06T10:00:00.123456789Z".parse().unwrap();
    // Names that NOCASE orders otherwise than a byte order or a locale
    // would: capitals, digits beside `_`, `-` and `.`.
    let names = ["zoe", "Alice", "a_b", "a1", "a-c", "b.d", "Bob"];
    for (i, name) in names.iter().enumerate() {
        let role = if i % 2 == 0 { Role::Editor } else { Role::Admin };
        let on_sqlite = crate::users::create_user(&sqlite, name, role, "a long enough password", now)
            .await
            .unwrap();
        let on_postgres = crate::users::create_user(&postgres.pool, name, role, "a long enough password", now)
            .await
            .unwrap();
        assert_eq!(on_sqlite, on_postgres, "{name}");
    }
    // A name taken in other capitals is refused on both.
    for taken in [
        crate::users::create_user(&sqlite, "ALICE", Role::Editor, "another long password", now).await,
        crate::users::create_user(&postgres.pool, "ALICE", Role::Editor, "another long password", now).await,
    ] {
        assert!(matches!(taken, Err(crate::users::UserError::NameTaken(_))), "{taken:?}");
    }
    let disable = "UPDATE users SET disabled_at = '2026-12-06T11:00:00+00:00' WHERE name = 'Bob'";
    sqlite.execute(disable).await.unwrap();
    postgres.pool.execute(disable).await.unwrap();

    let listed = crate::users::list_users(&postgres.pool).await.unwrap();
    assert_eq!(listed, crate::users::list_users(&sqlite).await.unwrap());
    let order: Vec<&str> = listed.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(order, ["a-c", "a1", "a_b", "Alice", "b.d", "Bob", "zoe"]);
    assert_eq!(listed[0].created_at, now);
    assert!(listed[5].disabled_at.is_some());

    for (name, password) in [
        ("alice", "a long enough password"),
        ("Alice", "a long enough password"),
        ("alice", "the wrong password"),
        ("nobody", "a long enough password"),
        ("bob", "a long enough password"),
    ] {
        let on_sqlite = crate::users::verify_credentials(&sqlite, name, password).await.unwrap();
        let on_postgres = crate::users::verify_credentials(&postgres.pool, name, password)
            .await
            .unwrap();
        assert_eq!(on_sqlite, on_postgres, "{name} / {password}");
    }
    assert!(
        crate::users::verify_credentials(&postgres.pool, "ALICE", "a long enough password")
            .await
            .unwrap()
            .is_some()
    );
    for id in 1..=8 {
        assert_eq!(
            crate::users::find_active_user(&sqlite, id).await.unwrap(),
            crate::users::find_active_user(&postgres.pool, id).await.unwrap(),
            "{id}"
        );
    }
    postgres.drop_database().await;
}

#[sqlx::test(migrations = "../migrations/sqlite")]
async fn both_engines_match_and_page_the_same_commitments_in_the_same_order(sqlite: SqlitePool) {
    const PER_PAGE: usize = 37;
    seeded(&sqlite).await;
    let options = GenerateOptions {
        until: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        ..GenerateOptions::new(400, 3, 7)
    };
    generate(&sqlite, &options, |_| {}).await.unwrap();
    // Titles whose order depends on how case is folded, and ties.
    sqlite
        .execute(
            "UPDATE commitments SET title = CASE id % 4 WHEN 0 THEN 'apec ' || title WHEN 1 THEN 'APEC ' || title
                                                   WHEN 2 THEN '_' || title ELSE title END
             WHERE id % 9 = 0",
        )
        .await
        .unwrap();
    let postgres = TestDatabase::migrated().await;
    copy_site(&sqlite, &postgres.pool, CopyOptions { keep_sessions: false })
        .await
        .unwrap();
    let summit: String = sqlx::query_scalar("SELECT slug FROM summits ORDER BY id DESC LIMIT 1")
        .fetch_one(&sqlite)
        .await
        .unwrap();
    // A day when some due dates have passed and others have not.
    let days = crate::listing::ZoneDays::at(&sqlite, "2026-06-15T12:00:00Z".parse().unwrap())
        .await
        .unwrap();
    let views: &[&[(&str, &str)]] = &[
        &[],
        &[("status", "in_progress")],
        &[("status", "not_yet_rated")],
        &[("party", "cn")],
        &[("party", "kr"), ("status", "stalled")],
        &[("theme", "economy")],
        &[("summit", summit.as_str())],
        &[("summit", summit.as_str()), ("status", "fulfilled")],
        &[("overdue", "1")],
        &[("overdue", "1"), ("party", "cn")],
        // The kept counts each count statement reads on both engines:
        // every month's dues by party and theme, one summit's one by one.
        &[("overdue", "1"), ("theme", "economy")],
        &[("overdue", "1"), ("party", "kr"), ("status", "stalled")],
        &[("overdue", "1"), ("status", "in_progress")],
        &[("overdue", "1"), ("summit", summit.as_str())],
        &[("party", "cn"), ("theme", "security"), ("summit", summit.as_str())],
        &[("status", "partly_fulfilled"), ("theme", "diplomacy")],
        &[("q", "trade")],
        &[("q", "cooperation"), ("theme", "security")],
        &[("q", "no-such-word-anywhere")],
    ];
    let mut found_something = 0;
    let mut listed_pages = 0;
    let mut drawn_charts = 0;
    for view in views {
        for sort in ["summit", "last_change", "due", "title"] {
            let mut pairs: Vec<(&str, &str)> = view.to_vec();
            pairs.push(("sort", sort));
            let query = domain::ListQuery::parse(pairs.iter().copied()).unwrap();
            let on_sqlite = crate::listing::match_commitments(&sqlite, &query, &days).await.unwrap();
            let on_postgres = crate::listing::match_commitments(&postgres.pool, &query, &days)
                .await
                .unwrap();
            let first_difference = on_sqlite.iter().zip(&on_postgres).position(|(a, b)| a != b);
            assert!(
                on_sqlite == on_postgres,
                "{pairs:?}: {} and {} matches, first difference at {first_difference:?}",
                on_sqlite.len(),
                on_postgres.len()
            );
            found_something += usize::from(on_sqlite.len() > 1);
            // Page by page, forward from the first and backward from the
            // last, each page and its neighbours' cursors the same.
            let all: Vec<i64> = on_sqlite.iter().map(|m| m.id).collect();
            for start in [None, Some(domain::PageCursor::Last)] {
                let mut query = query.clone();
                query.cursor = start.clone();
                let mut walked = Vec::new();
                for _ in 0..all.len() / PER_PAGE + 2 {
                    let on_sqlite = crate::listing::match_page(&sqlite, &query, &days, PER_PAGE as u32)
                        .await
                        .unwrap();
                    let on_postgres = crate::listing::match_page(&postgres.pool, &query, &days, PER_PAGE as u32)
                        .await
                        .unwrap();
                    assert_eq!(on_sqlite, on_postgres, "{pairs:?} at {:?}", query.cursor);
                    let backward = matches!(
                        query.cursor,
                        Some(domain::PageCursor::Last | domain::PageCursor::Before(_))
                    );
                    if backward {
                        walked.splice(0..0, on_sqlite.ids.iter().copied());
                    } else {
                        walked.extend(on_sqlite.ids.iter().copied());
                    }
                    query.cursor = if backward { on_sqlite.previous } else { on_sqlite.next };
                    if query.cursor.is_none() {
                        break;
                    }
                }
                assert_eq!(walked, all, "{pairs:?} from {start:?}");
            }
            // The whole list page (its counts, chart, summits, parties and
            // rows), as a reader's page and as the API's data.
            for purpose in [crate::listing::ListingUse::Page, crate::listing::ListingUse::Data] {
                let now = days.now();
                let on_sqlite = crate::listing::load_listing(&sqlite, &query, 20, "/".into(), now, purpose)
                    .await
                    .unwrap();
                let on_postgres = crate::listing::load_listing(&postgres.pool, &query, 20, "/".into(), now, purpose)
                    .await
                    .unwrap();
                assert!(on_sqlite == on_postgres, "{pairs:?} {purpose:?}: the list pages differ");
                listed_pages += 1;
                drawn_charts += usize::from(!on_sqlite.history.is_empty());
            }
            // An old numbered link.
            let numbered = domain::ListQuery {
                page: 3,
                ..query.clone()
            };
            assert_eq!(
                crate::listing::match_page(&sqlite, &numbered, &days, PER_PAGE as u32)
                    .await
                    .unwrap(),
                crate::listing::match_page(&postgres.pool, &numbered, &days, PER_PAGE as u32)
                    .await
                    .unwrap(),
                "{pairs:?} page 3"
            );
        }
    }
    assert_eq!(listed_pages, views.len() * 8);
    assert!(drawn_charts >= 20, "charts drawn: {drawn_charts}");
    assert!(
        found_something >= 40,
        "only {found_something} views found more than one"
    );
    postgres.drop_database().await;
}
