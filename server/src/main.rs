//! The `encore-server` command: serve the endpoint, or check a config file before deploying it.

use clap::{Parser, Subcommand};
use encore_server::{AppOptions, AppState, ServerConfig, app_with, db};
use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

/// Encore's reference endpoint: stores widget results in SQLite and serves the demo storefront.
#[derive(Parser)]
#[command(name = "encore-server", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the v1 endpoint (and optionally a static site) until SIGTERM or Ctrl-C.
    Serve {
        /// The store configuration (TOML).
        #[arg(long)]
        config: PathBuf,
        /// The SQLite database file; created if missing.
        #[arg(long)]
        db: PathBuf,
        /// Address to listen on; port 0 picks a free port (printed on stdout).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// A directory to serve at `/` for every path outside the API.
        #[arg(long)]
        site: Option<PathBuf>,
    },
    /// Validate a store configuration and exit.
    CheckConfig {
        /// The store configuration (TOML).
        #[arg(long)]
        config: PathBuf,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        // Colour codes only help a person at a terminal; they garble captured logs.
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let result = match Cli::parse().command {
        Command::Serve {
            config,
            db,
            addr,
            site,
        } => serve(&config, &db, addr, site).await,
        Command::CheckConfig { config } => check_config(&config),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("encore-server: {message}");
            ExitCode::FAILURE
        }
    }
}

fn load_config(path: &Path) -> Result<ServerConfig, String> {
    ServerConfig::load(path).map_err(|e| match e {
        // The read error names the file already.
        encore_server::ConfigError::Read { .. } => e.to_string(),
        _ => format!("invalid config {}: {e}", path.display()),
    })
}

fn check_config(path: &Path) -> Result<(), String> {
    let config = load_config(path)?;
    let ids: Vec<&str> = config.stores().iter().map(|s| s.id.as_str()).collect();
    println!("config ok: {} store(s): {}", ids.len(), ids.join(", "));
    Ok(())
}

async fn serve(
    config: &Path,
    db_path: &Path,
    addr: SocketAddr,
    site: Option<PathBuf>,
) -> Result<(), String> {
    let config = load_config(config)?;
    if let Some(dir) = &site {
        if !dir.is_dir() {
            return Err(format!("site directory {} does not exist", dir.display()));
        }
    }
    let pool = db::open(db_path).await.map_err(|e| e.to_string())?;
    let state = AppState {
        db: pool.clone(),
        config: Arc::new(config),
    };
    let router = app_with(state, &AppOptions { site });

    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot read bound address: {e}"))?;
    // Tests and `cargo xtask demo` read this line to learn the port; keep it exact.
    let mut stdout = std::io::stdout();
    writeln!(stdout, "encore-server listening on http://{local}")
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("cannot write to stdout: {e}"))?;
    tracing::info!(%local, "serving");

    let served = axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await;
    // Closing the pool checkpoints the WAL so the database file is complete on its own.
    pool.close().await;
    served.map_err(|e| format!("server failed: {e}"))?;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; in-flight requests then finish before the server exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
