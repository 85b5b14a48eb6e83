//! The `encore-server` command: serve the endpoint, check a config file, moderate reviews,
//! review referrals, mint order and member tokens and seed the demo; the work itself lives in
//! the library.

mod cli;
mod referral_commands;

use clap::Parser;
use cli::{Cli, CodesCommand, Command, ReviewsCommand, TokenCommand};
use encore_core::token::{Buyer, Contact};
use encore_server::member_token::{self, MemberTokenRequest};
use encore_server::referral;
use encore_server::reviews::{Status, moderation, seed};
use encore_server::surprise::sheet::{self, MintRequest};
use encore_server::write_queue::QueueLimits;
use encore_server::{
    AppOptions, AppState, ServerConfig, app_with, db, offers, order_token, surprise,
};
use std::io::{IsTerminal, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

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
            trusted_proxy,
            max_waiting_batches,
            max_write_wait_ms,
            connections,
        } => {
            let limits = QueueLimits {
                max_waiting: usize::try_from(max_waiting_batches).unwrap_or(usize::MAX),
                max_wait: Duration::from_millis(max_write_wait_ms),
            };
            let connections = connections.limits();
            serve(&config, &db, addr, site, trusted_proxy, limits, connections).await
        }
        Command::Codes {
            command:
                CodesCommand::Mint {
                    config,
                    store,
                    campaign,
                    count,
                    from,
                    no_sheets,
                    out,
                },
        } => mint_codes(&config, &store, campaign, count, from, !no_sheets, &out),
        Command::CheckConfig { config } => check_config(&config),
        Command::Reviews { command } => reviews(command).await,
        Command::Referrals { command } => referral_commands::run(command).await,
        Command::Token {
            command:
                TokenCommand::Order {
                    config,
                    store,
                    order,
                    items,
                    ttl_days,
                    key,
                    email,
                    name,
                    buyer,
                    orders_before,
                },
        } => {
            let buyer = Buyer {
                contact: Contact { name, email },
                member: buyer,
                orders_before,
            };
            token_order(&config, store, order, &items, ttl_days, key, buyer)
        }
        Command::Token {
            command:
                TokenCommand::Member {
                    config,
                    store,
                    member,
                    tier,
                    last_order,
                    orders,
                    name,
                    email,
                    ttl_mins,
                    key,
                },
        } => {
            let request = MemberTokenRequest {
                member,
                tier,
                last_order,
                orders,
                contact: Contact { name, email },
                ttl_mins,
                key,
                now: u64::try_from(now_millis() / 1000).unwrap_or(0),
            };
            token_member(&config, &store, request)
        }
        Command::DemoSeed { config, db, store } => demo_seed(&config, &db, &store).await,
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
    for store in offers::demo_minting_stores(&config) {
        println!("warning: store {store:?} mints member tokens for anyone (demo only)");
    }
    for store in config.stores() {
        for campaign in &store.surprise.campaigns {
            println!(
                "store {:?}: surprise campaign {} ({}), {} prize(s)",
                store.id,
                campaign.id,
                campaign.title.en,
                campaign.prizes.len()
            );
        }
        if store.surprise.mint_demo_codes {
            println!(
                "warning: store {:?} mints surprise codes for anyone (demo only)",
                store.id
            );
        }
        if let Some(program) = &store.referral {
            println!(
                "store {:?}: referral program, links to {}, friend gets \"{}\", advocate gets \
                 \"{}\", attribution {} day(s), review after {} order(s) per device or {} per IP",
                store.id,
                program.landing_url,
                program.friend_gets.en,
                program.advocate_gets.en,
                program.attribution_days,
                program.limits.per_device,
                program.limits.per_ip
            );
        }
    }
    for store in referral::demo_order_token_stores(&config) {
        println!("warning: store {store:?} mints order tokens for anyone (demo only)");
    }
    Ok(())
}

async fn open_db(path: &Path) -> Result<sqlx::SqlitePool, String> {
    db::open(path).await.map_err(|e| e.to_string())
}

async fn reviews(command: ReviewsCommand) -> Result<(), String> {
    let now = now_millis();
    match command {
        ReviewsCommand::List { db, store, status } => {
            let status = status.as_deref().and_then(Status::parse);
            let pool = open_db(&db).await?;
            let lines = moderation::list(&pool, store.as_deref(), status)
                .await
                .map_err(|e| format!("database: {e}"))?;
            if lines.is_empty() {
                println!("no reviews");
            } else {
                print!("{}", moderation::table(&lines));
            }
            pool.close().await;
        }
        ReviewsCommand::Approve { id, db } => {
            let pool = open_db(&db).await?;
            moderation::approve(&pool, &id)
                .await
                .map_err(|e| e.to_string())?;
            println!("review {id} published");
            pool.close().await;
        }
        ReviewsCommand::Reject { id, db } => {
            let pool = open_db(&db).await?;
            moderation::reject(&pool, &id)
                .await
                .map_err(|e| e.to_string())?;
            println!("review {id} rejected");
            pool.close().await;
        }
        ReviewsCommand::Reply { id, db, text } => {
            let pool = open_db(&db).await?;
            moderation::reply(&pool, &id, &text, now)
                .await
                .map_err(|e| e.to_string())?;
            if text.trim().is_empty() {
                println!("reply removed from review {id}");
            } else {
                println!("reply set on review {id}");
            }
            pool.close().await;
        }
    }
    Ok(())
}

fn token_order(
    config: &Path,
    store: String,
    order: String,
    items: &[String],
    ttl_days: u64,
    key: Option<String>,
    buyer: Buyer,
) -> Result<(), String> {
    let config = load_config(config)?;
    let items = items
        .iter()
        .map(|i| order_token::parse_item(i))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let request = order_token::OrderTokenRequest {
        store,
        order,
        items,
        buyer,
        ttl_days,
        key,
        now: u64::try_from(now_millis() / 1000).unwrap_or(0),
    };
    let token = order_token::mint(&config, request).map_err(|e| e.to_string())?;
    println!("{token}");
    Ok(())
}

fn token_member(config: &Path, store: &str, request: MemberTokenRequest) -> Result<(), String> {
    let config = load_config(config)?;
    let token = member_token::mint(&config, store, request).map_err(|e| e.to_string())?;
    println!("{token}");
    Ok(())
}

async fn demo_seed(config: &Path, db_path: &Path, store: &str) -> Result<(), String> {
    let config = load_config(config)?;
    let store = config
        .store(store)
        .ok_or_else(|| format!("store {store:?} is not in the config"))?;
    let pool = open_db(db_path).await?;
    let report = seed::demo_seed(&pool, store, now_millis())
        .await
        .map_err(|e| e.to_string())?;
    println!("demo-seed: {report}");
    pool.close().await;
    Ok(())
}

fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// `codes mint`: the CSV and the printable sheets of `count` codes from serial `from`.
fn mint_codes(
    config: &Path,
    store: &str,
    campaign: u16,
    count: u32,
    from: u32,
    sheets: bool,
    out: &Path,
) -> Result<(), String> {
    let config = load_config(config)?;
    let started = std::time::Instant::now();
    let request = MintRequest {
        store,
        campaign,
        count,
        from,
        sheets,
    };
    let minted = sheet::mint(&config, &request, out).map_err(|e| e.to_string())?;
    eprintln!(
        "minted {minted} code(s) of campaign {campaign} into {} in {:.2} s{}",
        out.display(),
        started.elapsed().as_secs_f64(),
        if sheets {
            format!(", {} per sheet", sheet::LABELS_PER_PAGE)
        } else {
            String::new()
        }
    );
    Ok(())
}

async fn serve(
    config: &Path,
    db_path: &Path,
    addr: SocketAddr,
    site: Option<PathBuf>,
    trusted_proxies: Vec<IpAddr>,
    queue: QueueLimits,
    connections: encore_server::listener::ConnectionLimits,
) -> Result<(), String> {
    let config = load_config(config)?;
    if let Some(dir) = &site {
        if !dir.is_dir() {
            return Err(format!("site directory {} does not exist", dir.display()));
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
    let state = AppState::new(pool.clone(), config)
        .with_trusted_proxies(trusted_proxies)
        .with_queue_limits(queue);
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

    // The peer address feeds the rate limits; forwarded-for headers are never trusted.
    // Slow clients are cut off and connections capped (`--header-timeout-secs`, ...).
    let served =
        encore_server::listener::serve(listener, router, connections, shutdown_signal()).await;
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
