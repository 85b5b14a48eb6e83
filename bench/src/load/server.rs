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

/// `serve` options that make the server believe `X-Forwarded-For` from loopback, so that one
/// load generator can post as many shoppers, each from an address of its own (the server's
/// limits are per client address).
pub const BEHIND_PROXY: [&str; 2] = ["--trusted-proxy", "127.0.0.1"];

/// The header a proxy names the client's address in.
pub const FORWARDED_FOR: &str = "x-forwarded-for";

/// Distinct shopper addresses the load generators post from: enough that no one address comes
/// near its limits at the rates they offer.
pub const SHOPPERS: u32 = 4096;

/// The address of shopper `n` (of [`SHOPPERS`]), for `X-Forwarded-For`.
pub fn shopper_address(n: u32) -> String {
    let n = n % SHOPPERS;
    format!("10.0.{}.{}", n / 250, 1 + n % 250)
}

/// A shopper's address at random.
pub fn any_shopper() -> String {
    shopper_address(fastrand::u32(..SHOPPERS))
}

/// A running server and the directory that holds its config and database.
pub struct Running {
    /// The process; killed when dropped.
    pub server: Server,
    /// Its SQLite file.
    pub db: PathBuf,
    // Dropped after `server` (fields drop in order), so the files outlive the process.
    _dir: TempDir,
}

impl Running {
    /// The server's `POST /v1/events` address.
    pub fn events_uri(&self) -> Result<hyper::Uri> {
        format!("{}/v1/events", self.server.url)
            .parse()
            .map_err(|e| format!("events URL: {e}"))
    }

    /// How many results of `store` the server has stored.
    pub async fn stored_results(&self, store: &str) -> Result<i64> {
        let pool = database(&self.db).await?;
        let stored = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE store = ?")
            .bind(store)
            .fetch_one(&pool)
            .await
            .map_err(|e| format!("count stored results: {e}"));
        pool.close().await;
        stored
    }
}

/// Starts ENCORE_SERVER_BIN with `config` (TOML) and a fresh database.
pub fn start(config: &str) -> Result<Running> {
    start_with_args(config, &[])
}

/// [`start`] with more `serve` options (such as [`BEHIND_PROXY`]).
pub fn start_with_args(config: &str, args: &[&str]) -> Result<Running> {
    let env = server_env()?;
    let dir = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
    let db = dir.path().join("encore.db");
    eprintln!("starting {}", env.server_bin.display());
    let server = Server::start_with_args(&env, dir.path(), free_port(), config, &db, None, args);
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
