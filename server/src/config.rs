//! Command-line interface and configuration, from flags or environment.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use url::Url;

/// The environment variables `accord` reads, all of them: each setting's
/// (shown again beside its flag in the command's own `--help`) and those
/// read by the libraries it is built on. `accord --help` prints this; a
/// test checks that every variable the code reads is in it.
pub const ENVIRONMENT_HELP: &str = "\
Environment (a flag, where there is one, wins over its variable):
  DATABASE_URL                   sqlite://… file or postgres://… database, every command [default: sqlite://data/accord.db]
  ACCORD_PUBLIC_URL              serve: base URL of canonical and share links
  ACCORD_CJK_FONT_REGULAR        serve: Noto Sans CJK regular, for share cards
  ACCORD_CJK_FONT_BOLD           serve: Noto Sans CJK bold
  ACCORD_HEADER_READ_TIMEOUT     serve: seconds to send a request's head, or idle between requests
  ACCORD_MAX_CONNECTIONS         serve: connections served at once
  ACCORD_MAX_CONNECTIONS_PER_ADDRESS  serve: connections at once from one address
  ACCORD_WRITE_TIMEOUT           serve: seconds a write to a client may make no progress
  ACCORD_TRUSTED_PROXIES         serve: proxies whose X-Forwarded-For is believed
  ACCORD_WRITE_SHARE             serve: share of a core's time editors' saves get while readers are answered
  LEPTOS_SITE_ADDR               serve: address and port to listen on [default: 127.0.0.1:3000]
  LEPTOS_SITE_ROOT               serve: folder of the site's files (bundle, styles) [default: target/site]
  LEPTOS_SITE_PKG_DIR            serve: the bundle's folder inside it [default: pkg]
  LEPTOS_OUTPUT_NAME             serve: the bundle's file name [default: accord, set when built]
  LEPTOS_HASH_FILES              serve: whether bundle file names are hashed [default: whether the
                                 hash file is beside the binary]
  LEPTOS_HASH_FILE_NAME          serve: that hash file [default: hash.txt]
  LEPTOS_ENV                     serve: DEV or PROD; changes only Leptos's live reload [default: DEV]
  LEPTOS_RELOAD_PORT, LEPTOS_RELOAD_EXTERNAL_PORT, LEPTOS_RELOAD_WS_PROTOCOL, LEPTOS_NOT_FOUND_PATH,
  SERVER_FN_PREFIX, DISABLE_SERVER_FN_HASH, SERVER_FN_MOD_PATH
                                 serve: read by Leptos for development tooling; leave unset
  RUST_LOG                       log filter, e.g. debug or info,sqlx=warn [default: info,sqlx=warn];
                                 logs go to standard error, command output to standard output
";

#[derive(Debug, Parser)]
#[command(
    name = "accord",
    version,
    about = "Accord: a tracker of the commitments governments make at summits",
    after_help = ENVIRONMENT_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate and seed the database if needed, then serve the site (the default).
    #[command(after_help = ENVIRONMENT_HELP)]
    Serve(ServeArgs),
    /// Add a summit data set (docs/DATA.md) to the database, checked first
    /// as the shipped data is; all of it or, on any problem, none. The
    /// server may be running: it shows the new summit within seconds.
    Import(ImportArgs),
    /// Write a stored summit as a data set (docs/DATA.md), to standard
    /// output or a file; `accord import` reads it back.
    Export(ExportArgs),
    /// Manage editor accounts. Passwords are read from standard input.
    User {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Copy the database to a new file, consistently, while the server runs.
    Backup {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The backup file to create; it must not exist yet.
        path: std::path::PathBuf,
    },
    /// Copy the site from its SQLite file into an empty PostgreSQL
    /// database, then compare every table of the copy with the site's and
    /// every commitment's pages read from both (docs/SCALING.md). Stop the
    /// server first, or the copy misses what editors save after it starts.
    MigrateDb(MigrateDbArgs),
    /// Replace the database with a backup (stop the server first); the
    /// replaced file is kept beside it.
    Restore {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The backup file to restore.
        path: std::path::PathBuf,
        /// Keep the sessions the backup holds (by default they are deleted
        /// and everyone signs in again).
        #[arg(long)]
        keep_sessions: bool,
    },
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The data set file (TOML, as seed/summit-2025-11-01.toml).
    pub file: PathBuf,
    /// The text the quotes are copied from (e.g. the article saved as plain
    /// text); every quote must occur in it exactly. Repeat for several.
    #[arg(long = "source-text", value_name = "FILE", required = true)]
    pub source_texts: Vec<PathBuf>,
    /// Korean and Chinese texts of the summit and its commitments (as
    /// seed/summit-2025-11-01.translations.toml).
    #[arg(long, value_name = "FILE")]
    pub translations: Option<PathBuf>,
    /// Who is importing it: credited, with the file's name, on every status
    /// and source it adds (the history and the feeds show it).
    #[arg(long, value_name = "NAME")]
    pub recorded_by: String,
    /// Check everything, the database included, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The summit's slug (the last part of its address, /summits/SLUG).
    pub summit: String,
    /// Write the data set to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the summit's translations to this file.
    #[arg(long, value_name = "FILE")]
    pub translations_output: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct MigrateDbArgs {
    /// The site's SQLite database (sqlite://…); it must exist.
    #[arg(long, value_name = "SQLITE_URL")]
    pub from: String,
    /// An empty PostgreSQL database (postgres://…), migrated by this command.
    #[arg(long, value_name = "POSTGRES_URL")]
    pub to: String,
    /// Copy the sessions too, so that nobody has to sign in again (by
    /// default they are left behind and everyone signs in on the new site).
    #[arg(long)]
    pub keep_sessions: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// SQLite database; the file (and its folder) is created if missing.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/accord.db", global = true)]
    pub database_url: String,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input (asked twice on a terminal).
    Add {
        name: String,
        #[arg(long, value_parser = ["editor", "admin"], default_value = "editor")]
        role: String,
    },
    /// Set a new password (read from standard input); ends the account's sessions.
    Passwd { name: String },
    /// List the accounts.
    List,
    /// Disable an account; its sessions end at once.
    Disable { name: String },
    /// Enable a disabled account again.
    Enable { name: String },
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// SQLite database; the file (and its folder) is created if missing.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/accord.db")]
    pub database_url: String,

    /// Base URL used in canonical and share links.
    #[arg(long, env = "ACCORD_PUBLIC_URL", default_value = "http://127.0.0.1:3000", value_parser = parse_public_url)]
    pub public_url: Url,
    /// Noto Sans CJK, regular weight: Korean and Chinese text on share cards
    /// and badges (Debian's fonts-noto-cjk; `make tool-fonts-cjk`). If it
    /// cannot be read, the server says so and draws cards without it.
    #[arg(long, env = "ACCORD_CJK_FONT_REGULAR", default_value = crate::cards::DEFAULT_CJK_REGULAR)]
    pub cjk_font_regular: PathBuf,

    /// Noto Sans CJK, bold weight (titles and party names).
    #[arg(long, env = "ACCORD_CJK_FONT_BOLD", default_value = crate::cards::DEFAULT_CJK_BOLD)]
    pub cjk_font_bold: PathBuf,

    /// Seconds a connection may take to send a request's head, and may stay
    /// idle between two requests, before it is closed.
    #[arg(long, env = "ACCORD_HEADER_READ_TIMEOUT", default_value_t = crate::listener::ConnectionLimits::DEFAULT_HEADER_READ_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_read_timeout: u64,

    /// Connections served at once; more wait in the accept backlog until one closes.
    #[arg(long, env = "ACCORD_MAX_CONNECTIONS", default_value_t = crate::listener::ConnectionLimits::DEFAULT_MAX_CONNECTIONS,
          value_parser = parse_max_connections)]
    pub max_connections: usize,

    /// Connections served at once from one address (an IPv6 /64); a further
    /// one is closed at once. Not applied when ACCORD_TRUSTED_PROXIES is set:
    /// every connection then comes from the proxy, whose own per-client
    /// limit (nginx limit_conn) does this job.
    #[arg(long, env = "ACCORD_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = crate::listener::ConnectionLimits::DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
          value_parser = parse_max_connections)]
    pub max_connections_per_address: usize,

    /// Seconds a write to a client may make no progress (the client is not
    /// reading its response) before the connection is closed.
    #[arg(long, env = "ACCORD_WRITE_TIMEOUT", default_value_t = crate::listener::ConnectionLimits::DEFAULT_WRITE_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub write_timeout: u64,

    /// How much of one core's time editors' saves may spend while readers
    /// are being answered, from 0.01 to 1: saves then run in windows, each
    /// followed by a pause that leaves readers the rest (1: saves never
    /// wait). With no readers about, saves never wait.
    #[arg(long, env = "ACCORD_WRITE_SHARE", default_value_t = crate::DEFAULT_WRITE_SHARE, value_parser = parse_write_share)]
    pub write_share: f64,

    /// Reverse proxies whose X-Forwarded-For names the client: a
    /// comma-separated list of IPs and CIDRs. Empty (the default): the
    /// connection's peer is the client and forwarding headers are ignored.
    #[arg(long, env = "ACCORD_TRUSTED_PROXIES", default_value = "", value_parser = crate::client_address::TrustedProxies::parse)]
    pub trusted_proxies: crate::client_address::TrustedProxies,
    // The listening address and site folder come from LEPTOS_SITE_ADDR and
    // LEPTOS_SITE_ROOT, read by Leptos itself as cargo-leptos sets them.
}

impl Default for ServeArgs {
    fn default() -> Self {
        ServeArgs::parse_from_env()
    }
}

impl ServeArgs {
    /// Where the share cards' CJK fonts are read from.
    pub fn cjk_fonts(&self) -> crate::cards::CjkFontPaths {
        crate::cards::CjkFontPaths {
            regular: self.cjk_font_regular.clone(),
            bold: self.cjk_font_bold.clone(),
        }
    }

    /// The connection limits these settings ask for.
    pub fn connection_limits(&self) -> crate::listener::ConnectionLimits {
        crate::listener::ConnectionLimits {
            header_read_timeout: std::time::Duration::from_secs(self.header_read_timeout),
            max_connections: self.max_connections,
            max_connections_per_address: self.max_connections_per_address,
            uncapped_peers: self.trusted_proxies.clone(),
            write_timeout: std::time::Duration::from_secs(self.write_timeout),
        }
    }

    /// The arguments as `accord serve` with no flags would see them.
    fn parse_from_env() -> Self {
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            args: ServeArgs,
        }
        Only::parse_from(["accord"]).args
    }
}

/// A share of the time, from `write_turns::MIN_SHARE` to 1.
fn parse_write_share(input: &str) -> Result<f64, String> {
    let least = crate::page_cache::write_turns::MIN_SHARE;
    match input.trim().parse::<f64>() {
        Ok(share) if (least..=1.0).contains(&share) => Ok(share),
        _ => Err(format!("must be a number from {least} to 1, such as 0.1")),
    }
}

/// At least one connection, and no more than a semaphore can count.
fn parse_max_connections(input: &str) -> Result<usize, String> {
    match input.parse::<usize>() {
        Ok(n) if (1..=tokio::sync::Semaphore::MAX_PERMITS).contains(&n) => Ok(n),
        _ => Err(format!(
            "must be a whole number from 1 to {}",
            tokio::sync::Semaphore::MAX_PERMITS
        )),
    }
}

/// Accepts only absolute http(s) URLs, and makes sure the path ends with `/`
/// so that joining `commitments/x` keeps any path prefix.
pub fn parse_public_url(input: &str) -> Result<Url, String> {
    let mut url = Url::parse(input).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err("must be an http:// or https:// URL with a host".to_owned());
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_url_must_be_absolute_http() {
        assert!(parse_public_url("https://accord.example").is_ok());
        assert_eq!(
            parse_public_url("https://x.example/tracker").unwrap().as_str(),
            "https://x.example/tracker/"
        );
        assert!(parse_public_url("ftp://x.example").is_err());
        assert!(parse_public_url("/relative").is_err());
        assert!(parse_public_url("javascript:alert(1)").is_err());
    }

    #[test]
    fn the_writes_share_is_a_setting_from_a_hundredth_to_one() {
        let share_of = |value: &str| match Cli::try_parse_from([
            "accord".to_owned(),
            "serve".to_owned(),
            format!("--write-share={value}"),
        ]) {
            Ok(Cli {
                command: Some(Command::Serve(args)),
                ..
            }) => Ok(args.write_share),
            Ok(_) => panic!("serve"),
            Err(error) => Err(error.to_string()),
        };
        assert_eq!(share_of("0.25"), Ok(0.25));
        assert_eq!(share_of("1"), Ok(1.0));
        assert_eq!(share_of("0.01"), Ok(0.01));
        for nonsense in ["0", "0.001", "1.5", "-0.1", "NaN", "inf", "a tenth", ""] {
            let refused = share_of(nonsense).expect_err(nonsense);
            assert!(
                refused.contains("must be a number from 0.01 to 1"),
                "{nonsense}: {refused}"
            );
        }
    }

    #[test]
    fn connection_limits_are_settings_and_refuse_nonsense() {
        let Some(Command::Serve(args)) = Cli::parse_from([
            "accord",
            "serve",
            "--header-read-timeout",
            "3",
            "--max-connections",
            "7",
        ])
        .command
        else {
            panic!("serve")
        };
        assert_eq!(
            args.connection_limits(),
            crate::listener::ConnectionLimits {
                header_read_timeout: std::time::Duration::from_secs(3),
                max_connections: 7,
                max_connections_per_address: crate::listener::ConnectionLimits::DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
                uncapped_peers: Default::default(),
                write_timeout: std::time::Duration::from_secs(30),
            }
        );
        for bad in [
            ["--header-read-timeout", "0"],
            ["--header-read-timeout", "soon"],
            ["--max-connections", "0"],
            ["--max-connections", "-1"],
        ] {
            let refused = Cli::try_parse_from(["accord", "serve", bad[0], bad[1]]);
            assert!(refused.is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn trusted_proxies_default_to_none_and_refuse_nonsense() {
        let Some(Command::Serve(args)) = Cli::parse_from(["accord", "serve"]).command else {
            panic!("serve")
        };
        assert_eq!(args.trusted_proxies, crate::client_address::TrustedProxies::default());
        let Some(Command::Serve(args)) =
            Cli::parse_from(["accord", "serve", "--trusted-proxies", "127.0.0.1, 10.0.0.0/8"]).command
        else {
            panic!("serve")
        };
        assert_eq!(
            args.trusted_proxies,
            crate::client_address::TrustedProxies::parse("127.0.0.1,10.0.0.0/8").unwrap()
        );
        assert!(Cli::try_parse_from(["accord", "serve", "--trusted-proxies", "nginx"]).is_err());
    }

    #[test]
    fn cjk_fonts_default_to_debians_paths() {
        let args = Cli::parse_from(["accord", "serve"]);
        let Some(Command::Serve(args)) = args.command else {
            panic!("serve")
        };
        // The environment may name other fonts (an operator's machine);
        // the defaults are what the flags fall back to without it.
        let expected = crate::cards::CjkFontPaths {
            regular: std::env::var("ACCORD_CJK_FONT_REGULAR")
                .map(Into::into)
                .unwrap_or_else(|_| crate::cards::DEFAULT_CJK_REGULAR.into()),
            bold: std::env::var("ACCORD_CJK_FONT_BOLD")
                .map(Into::into)
                .unwrap_or_else(|_| crate::cards::DEFAULT_CJK_BOLD.into()),
        };
        assert_eq!(args.cjk_fonts(), expected);
        let args = Cli::parse_from([
            "accord",
            "serve",
            "--cjk-font-regular",
            "/r.ttc",
            "--cjk-font-bold",
            "/b.ttc",
        ]);
        let Some(Command::Serve(args)) = args.command else {
            panic!("serve")
        };
        assert_eq!(args.cjk_fonts().regular, PathBuf::from("/r.ttc"));
        assert_eq!(args.cjk_fonts().bold, PathBuf::from("/b.ttc"));
    }
}
