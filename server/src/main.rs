use clap::Parser;
use domain::{Clock, PublicUrl};
use leptos::config::get_configuration;
use server::config::{Cli, Command, ServeArgs};
use server::{seed, AppState};
use tracing_subscriber::EnvFilter;

// See server/src/allocator.rs: rendering pages is allocation-heavy.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// Before main: Rust's runtime allocates before `main` runs, and mimalloc
// reserves its first arena at that allocation, with the commit policy in
// force then. This calls only mimalloc's option setter, no Rust runtime
// service, as code before main must.
#[ctor::ctor(unsafe)]
fn commit_arenas_lazily_before_main() {
    server::allocator::commit_arenas_lazily();
}

fn main() -> std::process::ExitCode {
    match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(run()),
        Err(error) => {
            eprintln!("accord: cannot start the async runtime: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> std::process::ExitCode {
    // Logs go to standard error, so that what a command prints on standard
    // output (`user list`, `export`) can be piped or redirected clean.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .init();
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or_else(|| Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => serve(args).await,
        Command::User { database, command } => manage_users(&database.database_url, command).await,
        Command::Import(args) => import_dataset(args).await,
        Command::Export(args) => export_dataset(args).await,
        Command::Backup { database, path } if server::postgres_backup::is_postgres(&database.database_url) => {
            server::postgres_backup::backup_postgres(&database.database_url, &path)
                .await
                .map(|summary| {
                    println!(
                        "backed up to {} (pg_dump, custom format; restore with pg_restore): {} commitments, \
                         {} status updates, {} revisions, {} accounts, {} sessions",
                        path.display(),
                        summary.commitments,
                        summary.status_updates,
                        summary.revisions,
                        summary.users,
                        summary.sessions
                    )
                })
                .map_err(StartError::from)
        }
        Command::Backup { database, path } => server::backup::backup(&database.database_url, &path)
            .await
            .map(|summary| {
                println!(
                    "backed up to {}: integrity ok, {} commitments, {} status updates, {} revisions",
                    path.display(),
                    summary.commitments,
                    summary.status_updates,
                    summary.revisions
                )
            })
            .map_err(StartError::from),
        Command::MigrateDb(args) => migrate_db(args).await,
        Command::Restore { database, .. } if server::postgres_backup::is_postgres(&database.database_url) => {
            Err(StartError::Config(
                "a PostgreSQL site is restored with PostgreSQL's own pg_restore into an empty database \
                 (docs/SCALING.md, \"Backups\")"
                    .into(),
            ))
        }
        Command::Restore {
            database,
            path,
            keep_sessions,
        } => {
            let sessions = if keep_sessions {
                server::backup::BackupSessions::Keep
            } else {
                server::backup::BackupSessions::End
            };
            server::backup::restore(&database.database_url, &path, sessions)
                .await
                .map(|report| {
                    let summary = &report.summary;
                    println!(
                        "restored {}: {} commitments, {} status updates, {} accounts, {} sessions",
                        path.display(),
                        summary.commitments,
                        summary.status_updates,
                        summary.users,
                        summary.sessions
                    );
                    match sessions {
                        server::backup::BackupSessions::End => println!(
                            "ended the backup's {} sessions: everyone signs in again (--keep-sessions keeps them)",
                            report.sessions_ended
                        ),
                        server::backup::BackupSessions::Keep => {
                            println!("kept the backup's {} sessions", summary.sessions)
                        }
                    }
                    if let Some(kept) = report.replaced {
                        println!("the replaced database is kept at {}", kept.display());
                    }
                })
                .map_err(StartError::from)
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // Said once, on standard error, where the logs also go.
            eprintln!("accord: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum StartError {
    #[error("configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("seed data: {0}")]
    Seed(#[from] seed::LoadError),
    #[error("{0}")]
    User(#[from] server::users::UserCommandError),
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Backup(#[from] server::backup::BackupError),
    #[error("{0}")]
    Import(#[from] server::import::ImportError),
    #[error("{0}")]
    Export(#[from] server::dataset_export::ExportError),
    #[error("{0}")]
    MigrateDb(#[from] server::migrate_db::MigrateDbError),
    #[error("database: {0}")]
    Open(#[from] store::OpenError),
}

async fn migrate_db(args: server::config::MigrateDbArgs) -> Result<(), StartError> {
    let request = server::migrate_db::MigrateDbRequest {
        from: args.from,
        to: args.to,
        keep_sessions: args.keep_sessions,
    };
    let report = server::migrate_db::migrate_db(&request).await?;
    println!("{report}");
    if !report.verified() {
        return Err(StartError::Config(format!(
            "the copy differs from the site in {} table(s), {} page(s) read and {} page(s) rendered (above); \
             PostgreSQL keeps it for inspection",
            report.differing().len(),
            report.pages.differing,
            report.rendered.differing
        )));
    }
    if !request.keep_sessions {
        println!("sessions were not copied: editors sign in again on the new site (--keep-sessions keeps them)");
    }
    Ok(())
}

async fn import_dataset(args: server::config::ImportArgs) -> Result<(), StartError> {
    let db = store::open(&args.database.database_url).await?;
    let request = server::import::ImportRequest {
        file: args.file,
        source_texts: args.source_texts,
        translations: args.translations,
        recorded_by: args.recorded_by,
        dry_run: args.dry_run,
    };
    let imported = server::import::import(&db, &request, chrono::Utc::now()).await;
    db.close().await;
    println!("{}", imported?);
    Ok(())
}

async fn export_dataset(args: server::config::ExportArgs) -> Result<(), StartError> {
    let db = store::open(&args.database.database_url).await?;
    let exported = server::dataset_export::export(&db, &args.summit).await;
    db.close().await;
    let (dataset, translations) = exported?;
    match &args.output {
        Some(path) => std::fs::write(path, &dataset)?,
        None => {
            use std::io::Write;
            std::io::stdout().write_all(dataset.as_bytes())?;
        }
    }
    if let Some(path) = &args.translations_output {
        match translations {
            Some(text) => std::fs::write(path, text)?,
            None => eprintln!(
                "accord: the summit has no translations; {} was not written",
                path.display()
            ),
        }
    }
    Ok(())
}

async fn manage_users(database_url: &str, command: server::config::UserCommand) -> Result<(), StartError> {
    let db = store::open(database_url).await?;
    let stdin = std::io::stdin();
    server::users::run_user_command(&db, command, &mut stdin.lock(), &mut std::io::stdout()).await?;
    db.close().await;
    Ok(())
}

async fn serve(args: ServeArgs) -> Result<(), StartError> {
    let mut leptos_options = get_configuration(None)
        .map_err(|e| StartError::Config(e.to_string()))?
        .leptos_options;
    // cargo-leptos tells the server it hashed the bundle's file names when
    // it runs it; a binary started any other way (a deployment, the bench
    // scripts) finds out from the hash file the build left beside it.
    if std::env::var_os("LEPTOS_HASH_FILES").is_none() {
        leptos_options.hash_files =
            server::hash_file_beside_binary(&leptos_options.hash_file).is_some_and(|p| p.exists());
    }
    tracing::info!(hashed_bundle_names = leptos_options.hash_files, "site options");
    let addr = leptos_options.site_addr;
    // Read now, so that a missing CJK font is reported at start (the
    // function logs it) rather than at the first share card.
    let cjk_fonts = args.cjk_fonts();
    let limits = args.connection_limits();
    tokio::task::spawn_blocking(move || server::cards::load_fonts(&cjk_fonts))
        .await
        .map_err(|error| StartError::Config(format!("loading the card fonts: {error}")))?;

    // On SQLite, held until the process ends: a restore cannot swap the
    // file under us, nor can a second server share the database by mistake.
    // On PostgreSQL, replicas share the database by design.
    let on_postgres = store::postgres::is_postgres_url(&args.database_url);
    let _lock = match on_postgres {
        true => None,
        false => Some(server::backup::ServeLock::acquire(&server::backup::database_path(
            &args.database_url,
        )?)?),
    };
    let db = store::open(&args.database_url).await?;
    if seed::seed_if_empty(&db).await? {
        tracing::info!("new database: loaded the shipped summit data");
    }

    let state = AppState {
        leptos_options,
        db: db.clone(),
        public_url: PublicUrl(args.public_url),
        clock: Clock::System,
        cards: Default::default(),
        flashes: server::flash::Flash::for_site(&db),
        trusted_proxies: args.trusted_proxies.clone(),
    };
    let purges = tokio::spawn(purge_expired_sessions_periodically(db.clone()));
    // What other writers commit makes kept pages stale: on SQLite, `accord
    // import` and `accord user` from another process (the watcher notices
    // within a second); on PostgreSQL, the other replicas, which announce
    // every write (`store::replica_changes`).
    let (stop_watching, watching_stopped) = tokio::sync::oneshot::channel::<()>();
    let watching_stopped = async {
        let _ = watching_stopped.await;
    };
    let (checkpoints, outside_writes) = match db.postgres_pool() {
        Some(pool) => {
            tracing::info!(
                replica = db.replica(),
                "on PostgreSQL: following the other replicas' writes"
            );
            let following = tokio::spawn(store::replica_changes::follow_other_replicas(
                pool.clone(),
                db.replica(),
                db.data_changes(),
                watching_stopped,
            ));
            (None, following)
        }
        None => (
            Some(tokio::spawn(checkpoint_wal_periodically(args.database_url.clone()))),
            tokio::spawn(store::outside_writes::watch_for_outside_writes(
                db.clone(),
                args.database_url.clone(),
                store::outside_writes::WATCH_INTERVAL,
                watching_stopped,
            )),
        ),
    };
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(?limits, "listening on http://{addr}");
    let site = server::site_with_limits(
        state,
        server::Limits {
            write_share: args.write_share,
            ..server::Limits::default()
        },
    );
    server::listener::serve_connections(
        listener,
        site.router
            .into_make_service_with_connect_info::<std::net::SocketAddr>(),
        site.kept_pages,
        limits,
        shutdown_signal(),
    )
    .await;
    if let Some(checkpoints) = checkpoints {
        checkpoints.abort();
    }
    purges.abort();
    // The watcher closes its own connection first: the pool's close below
    // removes the WAL only if it holds the last connection to the file.
    let _ = stop_watching.send(());
    if let Err(error) = outside_writes.await {
        tracing::warn!(%error, "the outside-writes watcher ended badly");
    }
    // Checkpoints the WAL into the main file so the database is one file at rest.
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Every ten minutes, deletes the sessions whose expiry has passed (an
/// expired session is already refused when it is read; this keeps the table
/// from growing with every visitor who never signs out). A failure is
/// logged and tried again next time.
async fn purge_expired_sessions_periodically(db: store::Db) {
    use tower_sessions::ExpiredDeletion;
    const EVERY: std::time::Duration = std::time::Duration::from_secs(600);
    let sessions = store::sessions::SiteSessionStore::new(db);
    let mut ticks = tokio::time::interval(EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = sessions.delete_expired().await {
            tracing::warn!(%error, "could not delete expired sessions");
        }
    }
}

/// Every 30 s, folds the WAL back into the database file (see
/// `store::checkpoint_wal`). A failure is logged and retried next time:
/// the data is safe in the WAL either way.
async fn checkpoint_wal_periodically(database_url: String) {
    const EVERY: std::time::Duration = std::time::Duration::from_secs(30);
    let mut connection = None;
    let mut ticks = tokio::time::interval(EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        if connection.is_none() {
            match store::open_checkpointer(&database_url).await {
                Ok(opened) => connection = Some(opened),
                Err(error) => {
                    tracing::warn!(%error, "WAL checkpoint: could not open a connection");
                    continue;
                }
            }
        }
        let Some(open) = connection.as_mut() else { continue };
        match store::checkpoint_wal(open).await {
            Ok(done) if done.busy => tracing::debug!(?done, "WAL checkpoint held back by readers or writers"),
            Ok(done) => tracing::debug!(?done, "WAL checkpoint"),
            Err(error) => {
                tracing::warn!(%error, "WAL checkpoint failed");
                connection = None;
            }
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM, letting in-flight requests finish.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
