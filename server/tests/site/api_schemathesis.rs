//! The JSON API agrees with its own OpenAPI document, as an independent
//! tool judges it: Schemathesis (from PyPI, in the Makefile's venv) reads
//! `/api/v1/openapi.json` from the real `accord` binary serving a freshly
//! seeded SQLite file on a free port, generates valid and invalid requests
//! from it and runs every one of its checks on the answers (status codes,
//! content types, headers and bodies as declared; invalid input refused and
//! valid input accepted; undeclared methods answered 405 with `Allow`).
//! Any failure fails this test with Schemathesis' report.

use crate::support;
use crate::support::checker_python;

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

#[test]
fn schemathesis_finds_no_disagreement_between_the_api_and_its_openapi_document() {
    let folder = std::env::temp_dir().join(format!(
        "accord-schemathesis-{}-{}",
        std::process::id(),
        support::free_port()
    ));
    std::fs::create_dir_all(&folder).unwrap();
    // `serve` migrates and seeds an empty database.
    let (server, port) = support::spawn_server(&folder.join("accord.db"));
    let _server = Serving(server);

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
    let _ = std::fs::remove_dir_all(&folder);
}
