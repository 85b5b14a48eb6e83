//! `encore-server serve`: the endpoint (and optionally the demo site) on a port until SIGTERM or
//! Ctrl-C, with the offer and prize code pools loaded and every demo switch warned about.

use super::load_config;
use encore_server::clock::now_millis;
use encore_server::ip_range::IpRange;
use encore_server::listener::ConnectionLimits;
use encore_server::write_queue::QueueLimits;
use encore_server::{
    AppOptions, AppState, admin, app_with, db, offers, referral, reviews, surprise,
};
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The directories `serve` may serve beside the API.
pub(crate) struct Dirs {
    /// The demo storefront, at `/`.
    pub(crate) site: Option<PathBuf>,
    /// The store console, at `/console/`.
    pub(crate) console: Option<PathBuf>,
}

/// Serves the endpoint for the stores of the config at `config` over the database at
/// `db_path`, keeping the line for the writer within `queue` and slow clients and open
/// connections within `connections`, until SIGTERM or Ctrl-C.
pub(crate) async fn run(
    config: &Path,
    db_path: &Path,
    addr: SocketAddr,
    dirs: Dirs,
    trusted_proxies: Vec<IpRange>,
    queue: QueueLimits,
    connections: ConnectionLimits,
) -> Result<(), String> {
    let config = load_config(config)?;
    let Dirs { site, console } = dirs;
    for (what, dir) in [("site", &site), ("console", &console)] {
        if let Some(dir) = dir {
            if !dir.is_dir() {
                return Err(format!("{what} directory {} does not exist", dir.display()));
            }
        }
    }
    let pool = db::open(db_path).await.map_err(|e| e.to_string())?;
    let pools = offers::load_code_pools(&pool, &config)
        .await
        .map_err(|e| format!("cannot load offer code pools: {e}"))?;
    tracing::info!(%pools, "offer code pools loaded");
    let prizes = surprise::load_prize_pools(&pool, &config)
        .await
        .map_err(|e| format!("cannot load surprise prize codes: {e}"))?;
    tracing::info!(added = prizes, "surprise prize codes loaded");
    for store in config
        .stores()
        .iter()
        .filter(|s| s.surprise.mint_demo_codes)
    {
        tracing::warn!(
            store = %store.id,
            "GET /demo/surprise-code mints surprise codes for this store: anyone can play as \
             often as they like. Only for a public demo; never enable [store.demo] \
             mint_surprise_codes for a real store"
        );
    }
    for store in offers::demo_minting_stores(&config) {
        tracing::warn!(
            store,
            "GET /demo/member-token mints member tokens for this store: anyone can sign in as \
             any member. Only for a public demo; never enable [store.demo] mint_member_tokens \
             for a real store"
        );
    }
    for store in referral::demo_order_token_stores(&config) {
        tracing::warn!(
            store,
            "GET /demo/order-token mints order tokens for this store: anyone can claim any \
             order, buyer and order history, and so earn referral rewards. Only for a public \
             demo; never enable [store.demo] mint_order_tokens for a real store"
        );
    }
    admin::rules::seed(&pool, &config, now_millis())
        .await
        .map_err(|e| format!("cannot seed the moderation rules: {e}"))?;
    let sweeper = reviews::photos::sweep::spawn(pool.clone());
    let state = AppState::new(pool.clone(), config)
        .with_trusted_proxies(trusted_proxies)
        .with_queue_limits(queue);
    let router = app_with(state, &AppOptions { site, console });

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

    // The peer address feeds the rate limits; slow clients are cut off and connections capped
    // (`--header-timeout-secs`, `--body-timeout-secs`, `--max-connections`).
    let served =
        encore_server::listener::serve(listener, router, connections, shutdown_signal()).await;
    sweeper.abort();
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
