//! `accord-dev`: developer tools, kept out of the served `accord` binary.
//! `generate` fills a database with synthetic data for benchmarks;
//! `serve-bytes` is the benchmark's bare-axum baseline (see
//! docs/PERFORMANCE.md).

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use server::config::DatabaseArgs;
use server::seed;
use std::time::Instant;
use store::generate::{self, GenerateOptions};

#[derive(Debug, Parser)]
#[command(name = "accord-dev", version, about = "Accord's developer tools (benchmarks only)")]
struct Cli {
    #[command(subcommand)]
    command: DevCommand,
}

#[derive(Debug, clap::Subcommand)]
enum DevCommand {
    /// Add synthetic summits, commitments, sources and status histories
    /// (the shipped data is loaded first if the database is empty), on
    /// SQLite or PostgreSQL. For benchmarks only: never run it against a
    /// real database.
    Generate {
        #[command(flatten)]
        database: DatabaseArgs,
        /// How many commitments to add (one summit per 500).
        #[arg(long)]
        commitments: u64,
        /// Status updates per commitment.
        #[arg(long, default_value_t = 5)]
        updates_per: u32,
        /// Seed of the random choices: the same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also add one commitment, slugged `generated-busy-commitment`,
        /// with this many status changes recorded through the editors'
        /// write path (each with a revision and evidence): the benchmark's
        /// commitment with a long history. Needs a database without it.
        #[arg(long, default_value_t = 0)]
        busy_commitment_updates: u32,
    },
    /// Serve one file's bytes as HTML for every GET, with nothing else: the
    /// benchmark's second baseline, showing what axum and hyper alone cost
    /// on this machine for the bytes Accord sends.
    ServeBytes {
        /// The file to serve.
        #[arg(long)]
        file: std::path::PathBuf,
        /// Where to listen, e.g. 127.0.0.1:4000.
        #[arg(long)]
        addr: std::net::SocketAddr,
    },
}

#[derive(Debug, thiserror::Error)]
enum DevError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Open(#[from] store::OpenError),
    #[error("seed: {0}")]
    Seed(#[from] seed::LoadError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt().init();
    match run(Cli::parse().command).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("accord-dev: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: DevCommand) -> Result<(), DevError> {
    match command {
        DevCommand::Generate {
            database,
            commitments,
            updates_per,
            seed: random_seed,
            busy_commitment_updates,
        } => {
            // SQLite or PostgreSQL, migrated, as `accord serve` opens it.
            let db = store::open(&database.database_url).await?;
            // The shipped summit first, as a served database would have it.
            seed::seed_if_empty(&db).await?;
            let options = GenerateOptions {
                busy_updates: busy_commitment_updates,
                ..GenerateOptions::new(commitments, updates_per, random_seed)
            };
            let bar = ProgressBar::new(commitments).with_style(
                ProgressStyle::with_template(
                    "{elapsed_precise} [{wide_bar}] {human_pos}/{human_len} commitments ({per_sec}, {eta} left)",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            let started = Instant::now();
            let generated = generate::generate(&db, &options, |done| bar.set_position(done)).await?;
            bar.finish();
            db.close().await;
            println!(
                "added {} summits, {} commitments ({} owing parties), {} sources and {} status updates in {:.1} s",
                generated.summits,
                generated.commitments,
                generated.commitment_parties,
                generated.sources,
                generated.status_updates,
                started.elapsed().as_secs_f64()
            );
            if let Some(slug) = generated.busy_commitment {
                println!(
                    "busy commitment: /commitments/{slug} ({busy_commitment_updates} status changes; history at /commitments/{slug}/history)"
                );
            }
            Ok(())
        }
        DevCommand::ServeBytes { file, addr } => {
            let bytes = axum::body::Bytes::from(std::fs::read(&file)?);
            let page = axum::routing::get(move || {
                let bytes = bytes.clone();
                async move { ([(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes) }
            });
            let app = axum::Router::new().fallback(page);
            let listener = tokio::net::TcpListener::bind(addr).await?;
            axum::serve(listener, app).await?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_takes_its_sizes() {
        let cli = Cli::try_parse_from([
            "accord-dev",
            "generate",
            "--commitments",
            "300",
            "--updates-per",
            "3",
            "--database-url",
            "sqlite://target/x.db",
        ])
        .unwrap();
        match cli.command {
            DevCommand::Generate {
                database,
                commitments: 300,
                updates_per: 3,
                seed: 1,
                busy_commitment_updates: 0,
            } => assert_eq!(database.database_url, "sqlite://target/x.db"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn generate_takes_a_busy_commitment() {
        let cli = Cli::try_parse_from([
            "accord-dev",
            "generate",
            "--commitments",
            "10",
            "--busy-commitment-updates",
            "10000",
            "--database-url",
            "sqlite://target/x.db",
        ])
        .unwrap();
        match cli.command {
            DevCommand::Generate {
                busy_commitment_updates,
                ..
            } => assert_eq!(busy_commitment_updates, 10_000),
            other => panic!("{other:?}"),
        }
    }
}
