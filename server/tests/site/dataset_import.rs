//! `accord import` and `accord export`, run as the real binary on real
//! databases (a SQLite file, or a PostgreSQL database of the test's own),
//! with a running server for what a reader then sees. The data set
//! imported is a fictional summit kept under server/tests/fixtures (never
//! in seed/, never in the binary).

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{binary_on_both_engines, every_row, scratch, spawn_server_over, DatabaseByUrl, EngineKind};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/summit-2099-03-14.toml");
const FIXTURE_TEXT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/summit-2099-03-14-communique.txt"
);
const FIXTURE_TRANSLATIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/summit-2099-03-14.translations.toml"
);
const SEED_ARTICLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../seed/summit-2025-11-01-xinhua.txt");
const SEED_TRANSLATIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../seed/summit-2025-11-01.translations.toml"
);

/// Runs the real binary with `args` over `database`, logging everything it
/// logs (`RUST_LOG=debug`), as an operator would.
fn accord(args: &[&str], database: &DatabaseByUrl) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .env("DATABASE_URL", &database.url)
        .env("RUST_LOG", "debug")
        .output()
        .unwrap()
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn succeeded(output: std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{:?}\nstdout: {}\nstderr: {}",
        output.status,
        stdout(&output),
        stderr(&output)
    );
    stdout(&output)
}

/// A database on `engine` holding the shipped summit, as a new site's
/// first start leaves it.
async fn seeded_database(engine: EngineKind, folder: &Path) -> DatabaseByUrl {
    let database = DatabaseByUrl::new(engine, folder, "accord").await;
    let db = database.open().await;
    server::seed::seed_if_empty(&db).await.unwrap();
    db.close().await;
    database
}

/// Every row of every table of `database` but SQLite's own, read by a
/// handle of its own: what a refused import must leave as it was.
async fn every_row_of(database: &DatabaseByUrl) -> BTreeMap<String, Vec<String>> {
    let db = database.open().await;
    let rows = every_row(&db, |table| !table.starts_with("sqlite_")).await;
    db.close().await;
    rows
}

/// The import command for `file`, quoting the fictional communiqué.
fn import_args<'a>(file: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "import",
        file,
        "--source-text",
        FIXTURE_TEXT,
        "--recorded-by",
        "Operator Olsen",
    ];
    args.extend_from_slice(extra);
    args
}

/// The 1-based line of `file_text` holding `needle` (it must occur once).
fn line_of(file_text: &str, needle: &str) -> usize {
    assert_eq!(file_text.matches(needle).count(), 1, "{needle}");
    file_text[..file_text.find(needle).unwrap()].matches('\n').count() + 1
}

binary_on_both_engines!(a_broken_data_set_is_refused_naming_file_line_and_field_and_nothing_is_written);
async fn a_broken_data_set_is_refused_naming_file_line_and_field_and_nothing_is_written(engine: EngineKind) {
    let folder = scratch("import-refused");
    let database = seeded_database(engine, &folder).await;
    let before = every_row_of(&database).await;
    let good = std::fs::read_to_string(FIXTURE).unwrap();

    // Problems the checks find together: a party nobody declared, a source
    // nobody listed (so the status citing the real one cites a source its
    // commitment no longer lists), and a quote the communiqué does not contain.
    let broken = good
        .replacen("owed_by = [\"xa\", \"xb\"]", "owed_by = [\"xa\", \"xq\"]", 1)
        .replacen(
            "sources = [\"communique-seed-bank\"]\n",
            "sources = [\"communique-seeds\"]\n",
            1,
        )
        .replacen(
            "quote = \"Borealis pledged to double",
            "quote = \"Borealis promised to double",
            1,
        );
    let path = folder.join("broken.toml");
    std::fs::write(&path, &broken).unwrap();
    let file = path.to_str().unwrap();
    let refused = accord(&import_args(file, &[]), &database);
    assert!(!refused.status.success(), "refused");
    let said = stderr(&refused);
    let owed_line = line_of(&broken, "owed_by = [\"xa\", \"xq\"]");
    let cites_line = line_of(&broken, "sources = [\"communique-seeds\"]");
    let quote_line = line_of(&broken, "quote = \"Borealis promised");
    for expected in [
        format!("{file}:{owed_line}:"),
        "commitments[0].owed_by[1]: commitment `aurelia-borealis-ferry-line` is owed by unknown party `xq`"
            .to_owned(),
        format!("{file}:{cites_line}:"),
        "commitments[1].sources[0]: commitment `aurelia-tessel-seed-bank` cites unknown source `communique-seeds`"
            .to_owned(),
        "commitments[1].status[0].sources[0]: commitment `aurelia-tessel-seed-bank`: a status cites `communique-seed-bank`, which the commitment does not list".to_owned(),
        format!("{file}:{quote_line}:"),
        "sources[2].quote: source `communique-exchanges` is not quoted exactly".to_owned(),
        // The unknown party also owes a status it is not given, and the
        // party it replaced is rated without owing: six in all.
        "commitments[0].status[1].party: commitment `aurelia-borealis-ferry-line` rates `xb`, which does not owe it"
            .to_owned(),
        "accord: nothing was imported: 6 problems found".to_owned(),
    ] {
        assert!(said.contains(&expected), "`{expected}` not in:\n{said}");
    }
    assert_eq!(said.matches("owed by unknown party").count(), 1, "said once: {said}");
    assert_eq!(stdout(&refused), "", "nothing on standard output");

    // A word outside a vocabulary stops the reading at its field.
    let unknown_theme = good.replacen("theme = \"economy\"", "theme = \"sport\"", 1);
    std::fs::write(&path, &unknown_theme).unwrap();
    let refused = accord(&import_args(file, &[]), &database);
    assert!(!refused.status.success());
    let said = stderr(&refused);
    let theme_line = line_of(&unknown_theme, "theme = \"sport\"");
    let expected = format!("{file}:{theme_line}:9: commitments[1].theme: unknown variant `sport`");
    assert!(said.contains(&expected), "`{expected}` not in:\n{said}");

    // The shipped summit again: its slug, and its commitments', are taken.
    let path = folder.join("again.toml");
    std::fs::write(&path, server::seed::SUMMIT_2025_11_01).unwrap();
    let again = path.to_str().unwrap();
    let refused = accord(
        &[
            "import",
            again,
            "--source-text",
            SEED_ARTICLE,
            "--recorded-by",
            "Operator Olsen",
        ],
        &database,
    );
    assert!(!refused.status.success());
    let said = stderr(&refused);
    let slug_line = line_of(server::seed::SUMMIT_2025_11_01, "slug = \"xi-lee-2025-11-01\"");
    let expected =
        format!("{again}:{slug_line}:1: summit.slug: a summit with slug `xi-lee-2025-11-01` is already stored");
    assert!(said.contains(&expected), "`{expected}` not in:\n{said}");
    assert!(said.contains("commitments[0].slug: a commitment with slug"), "{said}");

    assert_eq!(every_row_of(&database).await, before, "not one row changed");
    database.drop_database().await;
    let _ = std::fs::remove_dir_all(&folder);
}

binary_on_both_engines!(a_dry_run_checks_everything_and_writes_nothing);
async fn a_dry_run_checks_everything_and_writes_nothing(engine: EngineKind) {
    let folder = scratch("import-dry-run");
    let database = seeded_database(engine, &folder).await;
    let before = every_row_of(&database).await;
    let said = succeeded(accord(&import_args(FIXTURE, &["--dry-run"]), &database));
    assert_eq!(
        said,
        "dry run: the file is valid and would import summit `aurelia-borealis-2099-03-14`: \
         3 commitments, 3 sources, 4 statuses; nothing was written\n"
    );
    assert_eq!(every_row_of(&database).await, before, "a dry run writes nothing");

    // A dry run asks the database too: after the import, the same file is refused.
    succeeded(accord(&import_args(FIXTURE, &[]), &database));
    let refused = accord(&import_args(FIXTURE, &["--dry-run"]), &database);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("summit.slug: a summit with slug `aurelia-borealis-2099-03-14` is already stored"),
        "{}",
        stderr(&refused)
    );
    database.drop_database().await;
    let _ = std::fs::remove_dir_all(&folder);
}

/// What `GET path` answers on the server at `port`: status line and body.
fn get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    // HTTP/1.0: the body comes whole, not in chunks.
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

binary_on_both_engines!(an_imported_summit_is_on_the_running_site_with_its_history_and_feed_entries);
async fn an_imported_summit_is_on_the_running_site_with_its_history_and_feed_entries(engine: EngineKind) {
    let folder = scratch("import-live");
    let database = DatabaseByUrl::new(engine, &folder, "accord").await;
    let (mut server, port) = spawn_server_over(&database.url, &[]);
    // Readers have the pages from before the import (the page cache keeps them).
    let summits = get(port, "/summits");
    assert!(
        summits.starts_with("HTTP/1.1 200") || summits.starts_with("HTTP/1.0 200"),
        "{summits}"
    );
    assert!(!summits.contains("Aurelia"));
    assert!(get(port, "/commitments/aurelia-borealis-ferry-line").contains(" 404 "));

    let said = succeeded(accord(
        &import_args(FIXTURE, &["--translations", FIXTURE_TRANSLATIONS]),
        &database,
    ));
    assert_eq!(
        said,
        "imported summit `aurelia-borealis-2099-03-14`: 3 commitments, 3 sources, 4 statuses, with translations\n"
    );

    // Without a restart, within a few seconds: on SQLite the server notices
    // the file changed, on PostgreSQL the import announces its write.
    let mut listed = String::new();
    for _ in 0..50 {
        listed = get(port, "/summits");
        if listed.contains("Aurelia – Borealis summit (fictional)") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(listed.contains("Aurelia – Borealis summit (fictional)"), "{listed}");
    let summit = get(port, "/summits/aurelia-borealis-2099-03-14");
    for title in [
        "Open a direct ferry line between Port Meridian and North Harbour",
        "Fund a joint seed bank on Tessel",
        "Double student exchange places by 2101",
    ] {
        assert!(summit.contains(title), "{title}");
    }
    let commitment = get(port, "/commitments/aurelia-borealis-ferry-line");
    assert!(
        commitment.contains("The two sides agreed to open a direct ferry line"),
        "the quote"
    );
    assert!(
        commitment.contains("Operator Olsen (import of summit-2099-03-14.toml)"),
        "the status history credits the operator: {commitment}"
    );
    let feed = get(port, "/feed.atom");
    assert!(
        feed.contains("Operator Olsen (import of summit-2099-03-14.toml)"),
        "{feed}"
    );
    assert!(feed.contains("/commitments/aurelia-borealis-ferry-line"), "{feed}");
    let korean = get(port, "/ko/summits/aurelia-borealis-2099-03-14");
    assert!(korean.contains("오렐리아"), "the translations are served");

    server.kill().unwrap();
    server.wait().unwrap();
    database.drop_database().await;
    let _ = std::fs::remove_dir_all(&folder);
}

binary_on_both_engines!(export_then_import_into_an_empty_database_round_trips);
async fn export_then_import_into_an_empty_database_round_trips(engine: EngineKind) {
    let folder = scratch("export-round-trip");
    let database = seeded_database(engine, &folder).await;
    let first = folder.join("first.toml");
    let first_translations = folder.join("first.translations.toml");
    // On standard output, with every debug log on: the output is the data set alone.
    let printed = succeeded(accord(&["export", "xi-lee-2025-11-01"], &database));
    succeeded(accord(
        &[
            "export",
            "xi-lee-2025-11-01",
            "--output",
            first.to_str().unwrap(),
            "--translations-output",
            first_translations.to_str().unwrap(),
        ],
        &database,
    ));
    let first_text = std::fs::read_to_string(&first).unwrap();
    assert_eq!(
        printed, first_text,
        "standard output carries the data set and nothing else"
    );
    let exported = server::seed::parse_dataset(&first_text).unwrap();
    let shipped = server::seed::parse_dataset(server::seed::SUMMIT_2025_11_01).unwrap();
    assert_eq!(exported.summit, shipped.summit);
    assert_eq!(exported.commitments.len(), shipped.commitments.len());

    let empty = DatabaseByUrl::new(engine, &folder, "empty").await;
    succeeded(accord(
        &[
            "import",
            first.to_str().unwrap(),
            "--source-text",
            SEED_ARTICLE,
            "--translations",
            first_translations.to_str().unwrap(),
            "--recorded-by",
            "Operator Olsen",
        ],
        &empty,
    ));
    let second = succeeded(accord(&["export", "xi-lee-2025-11-01"], &empty));
    assert_eq!(second, first_text, "export → import → export gives the same file");
    let second_translations = folder.join("second.translations.toml");
    succeeded(accord(
        &[
            "export",
            "xi-lee-2025-11-01",
            "--translations-output",
            second_translations.to_str().unwrap(),
        ],
        &empty,
    ));
    assert_eq!(
        std::fs::read_to_string(&second_translations).unwrap(),
        std::fs::read_to_string(&first_translations).unwrap()
    );
    // The shipped translations file and the exported one say the same.
    assert_eq!(
        server::seed::parse_translations(&std::fs::read_to_string(&first_translations).unwrap()).unwrap(),
        server::seed::parse_translations(&std::fs::read_to_string(SEED_TRANSLATIONS).unwrap()).unwrap()
    );

    let missing = accord(&["export", "no-such-summit"], &database);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("no summit has the slug `no-such-summit`"));
    assert_eq!(stdout(&missing), "");
    empty.drop_database().await;
    database.drop_database().await;
    let _ = std::fs::remove_dir_all(&folder);
}
