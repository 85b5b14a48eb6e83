//! The subcommands of `encore-server`, one module per family, and what they share: reading the
//! config and opening the database, with errors worded for the person at the terminal.

pub(crate) mod check_config;
pub(crate) mod codes;
pub(crate) mod demo_seed;
pub(crate) mod keys;
pub(crate) mod referrals;
pub(crate) mod reviews;
pub(crate) mod serve;
pub(crate) mod token;
pub(crate) mod users;

use encore_server::{ConfigError, ServerConfig, db};
use std::path::Path;

/// The config at `path`, or a message naming the file and what is wrong with it.
pub(crate) fn load_config(path: &Path) -> Result<ServerConfig, String> {
    ServerConfig::load(path).map_err(|e| match e {
        // The read error names the file already.
        ConfigError::Read { .. } => e.to_string(),
        _ => format!("invalid config {}: {e}", path.display()),
    })
}

/// The database at `path`, created if missing.
pub(crate) async fn open_db(path: &Path) -> Result<sqlx::SqlitePool, String> {
    db::open(path).await.map_err(|e| e.to_string())
}
