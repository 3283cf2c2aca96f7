//! `accord dev …`: developer tools. `generate` fills a database with
//! synthetic data for benchmarks (see docs/PERFORMANCE.md).

use app::db::generate::{self, GenerateOptions};
use indicatif::{ProgressBar, ProgressStyle};
use server::config::DevCommand;
use server::seed;
use std::time::Instant;

use crate::StartError;

pub async fn run(command: DevCommand) -> Result<(), StartError> {
    match command {
        DevCommand::Generate {
            database,
            commitments,
            updates_per,
            seed: random_seed,
        } => {
            let pool = app::db::connect(&database.database_url).await?;
            app::db::migrate(&pool).await?;
            // The shipped summit first, as a served database would have it.
            seed::seed_if_empty(&pool).await?;
            let options = GenerateOptions::new(commitments, updates_per, random_seed);
            let bar = ProgressBar::new(commitments).with_style(
                ProgressStyle::with_template(
                    "{elapsed_precise} [{wide_bar}] {human_pos}/{human_len} commitments ({per_sec}, {eta} left)",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            let started = Instant::now();
            let generated = generate::generate(&pool, &options, |done| bar.set_position(done)).await?;
            bar.finish();
            pool.close().await;
            println!(
                "added {} summits, {} commitments ({} owing parties), {} sources and {} status updates in {:.1} s",
                generated.summits,
                generated.commitments,
                generated.commitment_parties,
                generated.sources,
                generated.status_updates,
                started.elapsed().as_secs_f64()
            );
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
