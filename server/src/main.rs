//! The `encore-server` command: serve the endpoint, check a config file, moderate reviews,
//! manage the console's users and API keys,
//! review referrals, mint codes, order and member tokens and seed the demo. This file only
//! reads the command line and hands it to the family's module under `commands/`; the work
//! itself lives in the library.

mod cli;
mod commands;

use clap::Parser;
use cli::{Cli, Command};
use commands::{check_config, codes, demo_seed, keys, referrals, reviews, serve, token, users};
use encore_server::write_queue::QueueLimits;
use std::io::IsTerminal;
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
            console,
            trusted_proxy,
            max_waiting_batches,
            max_write_wait_ms,
            connections,
        } => {
            let queue = QueueLimits {
                max_waiting: usize::try_from(max_waiting_batches).unwrap_or(usize::MAX),
                max_wait: Duration::from_millis(max_write_wait_ms),
                per_client: QueueLimits::DEFAULT_PER_CLIENT,
            };
            let connections = connections.limits();
            let dirs = serve::Dirs { site, console };
            serve::run(&config, &db, addr, dirs, trusted_proxy, queue, connections).await
        }
        Command::Codes { command } => codes::run(command),
        Command::CheckConfig { config } => check_config::run(&config),
        Command::Reviews { command } => reviews::run(command).await,
        Command::Referrals { command } => referrals::run(command).await,
        Command::Users { command } => users::run(command).await,
        Command::Keys { command } => keys::run(command).await,
        Command::Token { command } => token::run(command),
        Command::DemoSeed { config, db, store } => demo_seed::run(&config, &db, &store).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("encore-server: {message}");
            ExitCode::FAILURE
        }
    }
}
