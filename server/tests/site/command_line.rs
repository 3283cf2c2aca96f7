//! The `accord` command line as an operator meets it: `--help` names every
//! environment variable the program reads, logs never mix into a command's
//! output (on either engine), and developer tools are not among its
//! commands.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{binary_on_both_engines, scratch, DatabaseByUrl, EngineKind};

fn help(args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// Every environment variable named in the server's sources: in
/// `env::var("…")`/`env::var_os("…")` calls and clap's `env = "…"`.
fn variables_read_by_the_server() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut folders = vec![source];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for marker in ["env::var(\"", "env::var_os(\"", "env = \""] {
                for (at, _) in text.match_indices(marker) {
                    let rest = &text[at + marker.len()..];
                    let name = &rest[..rest.find('"').unwrap()];
                    names.insert(name.to_owned());
                }
            }
        }
    }
    names
}

/// Read by the libraries `accord serve` is built on: Leptos's
/// `get_configuration` and tracing-subscriber's `EnvFilter`.
const READ_BY_LIBRARIES: &[&str] = &[
    "LEPTOS_SITE_ADDR",
    "LEPTOS_SITE_ROOT",
    "LEPTOS_SITE_PKG_DIR",
    "LEPTOS_OUTPUT_NAME",
    "LEPTOS_HASH_FILES",
    "LEPTOS_HASH_FILE_NAME",
    "LEPTOS_ENV",
    "LEPTOS_RELOAD_PORT",
    "LEPTOS_RELOAD_EXTERNAL_PORT",
    "LEPTOS_RELOAD_WS_PROTOCOL",
    "LEPTOS_NOT_FOUND_PATH",
    "SERVER_FN_PREFIX",
    "DISABLE_SERVER_FN_HASH",
    "SERVER_FN_MOD_PATH",
    "RUST_LOG",
];

// Once: `--help` opens no database, so there is no engine to vary.
#[test]
fn help_names_every_environment_variable_read() {
    let read = variables_read_by_the_server();
    assert!(
        read.contains("DATABASE_URL") && read.contains("ACCORD_PUBLIC_URL"),
        "{read:?}"
    );
    assert!(read.contains("LEPTOS_HASH_FILES"), "read in main.rs: {read:?}");
    let top = help(&["--help"]);
    let serve = help(&["serve", "--help"]);
    for name in read.iter().map(String::as_str).chain(READ_BY_LIBRARIES.iter().copied()) {
        assert!(top.contains(name), "`accord --help` does not name {name}:\n{top}");
        assert!(
            serve.contains(name),
            "`accord serve --help` does not name {name}:\n{serve}"
        );
    }
    // Each of serve's own settings shows its variable beside its flag.
    assert!(serve.contains("[env: ACCORD_MAX_CONNECTIONS="), "{serve}");
    assert!(serve.contains("[env: DATABASE_URL="), "{serve}");
}

// Once: clap answers `--help` and refuses unknown commands before any
// database is opened, so there is no engine to vary.
#[test]
fn developer_tools_are_not_among_the_operators_commands() {
    let top = help(&["--help"]);
    for command in ["serve", "user", "backup", "restore", "import", "export"] {
        assert!(top.contains(&format!("  {command} ")), "`{command}` is listed:\n{top}");
    }
    // The benchmark tools live in `accord-dev` (devtools/) alone.
    for command in ["generate", "serve-bytes"] {
        assert!(
            !top.contains(command),
            "`{command}` is not an operator's command:\n{top}"
        );
        let refused = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
            .arg(command)
            .output()
            .unwrap();
        assert!(!refused.status.success(), "`accord {command}` is refused");
    }
}

binary_on_both_engines!(logs_go_to_standard_error_and_command_output_to_standard_output);
async fn logs_go_to_standard_error_and_command_output_to_standard_output(engine: EngineKind) {
    let folder = scratch("clean-stdout");
    let database = DatabaseByUrl::new(engine, &folder, "accord").await;
    let run = |args: &[&str], input: &str| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(args)
            .env("DATABASE_URL", &database.url)
            .env("RUST_LOG", "trace")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.as_mut().unwrap(), "{input}").unwrap();
        drop(child.stdin.take());
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        (
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    run(&["user", "add", "dana"], "dana's long password");
    let (listed, logged) = run(&["user", "list"], "");
    // The logs were written (the migrations' queries, at least) …
    assert!(logged.contains("DEBUG") || logged.contains("TRACE"), "{logged}");
    // … but not where the listing goes: one line per account.
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 1, "only the listing on standard output: {listed}");
    assert!(lines[0].contains("dana"), "{listed}");
    database.drop_database().await;
    let _ = std::fs::remove_dir_all(&folder);
}
