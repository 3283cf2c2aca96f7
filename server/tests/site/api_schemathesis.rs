//! The JSON API agrees with its own OpenAPI document, as an independent
//! tool judges it: Schemathesis (from PyPI, in the Makefile's venv) reads
//! `/api/v1/openapi.json` from the real `accord` binary serving a freshly
//! seeded database on a free port (a SQLite file, and a PostgreSQL database
//! of the test's own: hostile input has found faults in PostgreSQL's
//! reading of it that SQLite's did not have), generates valid and invalid
//! requests from it and runs every one of its checks on the answers
//! (status codes, content types, headers and bodies as declared; invalid
//! input refused and valid input accepted; undeclared methods answered 405
//! with `Allow`).
//! Any failure fails this test with Schemathesis' report.

use crate::support::{binary_on_both_engines, checker_python, scratch, spawn_server_over, DatabaseByUrl, EngineKind};

use std::process::Command;

/// Test cases per operation and phase: enough to reach every parameter's
/// edges, few enough to finish in well under a minute on two cores.
const MAX_EXAMPLES: &str = "100";
/// A fixed seed: a failure reproduces with the same command.
const SEED: &str = "20251101";

struct Serving(std::process::Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

binary_on_both_engines!(schemathesis_finds_no_disagreement_between_the_api_and_its_openapi_document);
async fn schemathesis_finds_no_disagreement_between_the_api_and_its_openapi_document(engine: EngineKind) {
    let folder = scratch("schemathesis");
    // `serve` migrates and seeds an empty database.
    let database = DatabaseByUrl::new(engine, &folder, "accord").await;
    let (server, port) = spawn_server_over(&database.url, &[]);
    let server = Serving(server);

    let output = Command::new(checker_python())
        .args([
            "-c",
            "import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())",
        ])
        .args(["run", &format!("http://127.0.0.1:{port}/api/v1/openapi.json")])
        .args(["--checks", "all"])
        // One worker: the API's concurrency cap (cost_limits) is not what is tested.
        .args(["--workers", "1"])
        .args(["--max-examples", MAX_EXAMPLES, "--seed", SEED])
        .args(["--generation-database", "none", "--no-color"])
        // Schemathesis writes its reports and caches under the working directory.
        .current_dir(&folder)
        .output()
        .expect("Schemathesis runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "Schemathesis found failures:\n{report}");
    // Every operation was tested, and nothing failed.
    let selected = report
        .lines()
        .find_map(|line| line.trim().strip_prefix("Selected: "))
        .and_then(|counts| counts.split_once('/'))
        .unwrap_or_else(|| panic!("no count of operations in:\n{report}"));
    assert_eq!(selected.0, selected.1, "{report}");
    assert!(selected.0.parse::<u32>().unwrap() >= 3, "{report}");
    assert!(report.contains(&format!("Tested: {}", selected.0)), "{report}");
    assert!(report.contains("No issues found"), "{report}");
    // The server lets go of its database before it is dropped.
    drop(server);
    database.drop_database().await;
    let _ = std::fs::remove_dir_all(&folder);
}
