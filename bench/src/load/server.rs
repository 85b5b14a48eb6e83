//! The real `encore-server` binary for one measurement: started through the end-to-end harness
//! on a free loopback port, with a store config and a SQLite file in a temporary directory.

use super::Result;
use encore_e2e::{Env, Server, free_port};
use sqlx::SqlitePool;
use sqlx::sqlite::SqliteConnectOptions;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The store every measurement posts and reads for.
pub const STORE: &str = "bench";
/// The shop's page origin the load generator posts from, as the widget would.
pub const ORIGIN: &str = "https://shop.example";

/// A running server and the directory that holds its config and database.
pub struct Running {
    /// The process; killed when dropped.
    pub server: Server,
    /// Its SQLite file.
    pub db: PathBuf,
    // Dropped after `server` (fields drop in order), so the files outlive the process.
    _dir: TempDir,
}

/// Starts ENCORE_SERVER_BIN with `config` (TOML) and a fresh database.
pub fn start(config: &str) -> Result<Running> {
    let env = server_env()?;
    let dir = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
    let db = dir.path().join("encore.db");
    eprintln!("starting {}", env.server_bin.display());
    let server = Server::start(&env, dir.path(), free_port(), config, &db, None);
    Ok(Running {
        server,
        db,
        _dir: dir,
    })
}

/// The harness's paths, of which the server needs only its binary: `Env::get` would also insist
/// on a site and a browser, which no server measurement uses.
fn server_env() -> Result<Env> {
    let server_bin = std::env::var_os("ENCORE_SERVER_BIN")
        .map(PathBuf::from)
        .ok_or("ENCORE_SERVER_BIN is not set: build encore-server (--release) and point to it")?;
    Ok(Env {
        server_bin,
        site: PathBuf::new(),
        chromedriver: PathBuf::new(),
        chromium: PathBuf::new(),
    })
}

/// A note for the report when ENCORE_SERVER_BIN looks like a debug build, whose figures say
/// little about a deployed server.
pub fn build_note() -> Option<String> {
    let bin = std::env::var_os("ENCORE_SERVER_BIN").map(PathBuf::from)?;
    bin.components().any(|c| c.as_os_str() == "debug").then(|| {
        format!(
            "{} is a debug build: figures are not representative",
            bin.display()
        )
    })
}

/// The peak resident set of process `pid` so far, in KiB (`VmHWM` in `/proc/PID/status`),
/// or why it cannot be read.
pub fn peak_rss_kb(pid: u32) -> Result<u64> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or(format!("{path} has no readable VmHWM line"))
}

/// A connection pool on the server's database file, for seeding and counting beside it (the
/// file is in WAL mode, so the server keeps working meanwhile).
pub async fn database(db: &Path) -> Result<SqlitePool> {
    SqlitePool::connect_with(SqliteConnectOptions::new().filename(db))
        .await
        .map_err(|e| format!("open {}: {e}", db.display()))
}
