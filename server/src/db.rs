//! The SQLite database: opened durable (a 2xx must survive a crash) and migrated on start.

use crate::reviews::clear_tokens::hash_clear_tokens;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a connection waits for another writer before giving up with "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the database could not be made ready.
#[derive(Debug)]
pub enum DbError {
    /// The file could not be opened or created.
    Open {
        /// The database file asked for.
        path: PathBuf,
        /// What SQLite said.
        source: sqlx::Error,
    },
    /// The schema could not be brought up to date.
    Migrate(sqlx::migrate::MigrateError),
    /// Rows an older server stored could not be brought up to date.
    Upgrade(sqlx::Error),
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbError::Open { path, source } => {
                write!(f, "cannot open database {}: {source}", path.display())
            }
            DbError::Migrate(source) => write!(f, "cannot migrate database: {source}"),
            DbError::Upgrade(source) => write!(f, "cannot upgrade stored rows: {source}"),
        }
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DbError::Open { source, .. } => Some(source),
            DbError::Migrate(source) => Some(source),
            DbError::Upgrade(source) => Some(source),
        }
    }
}

/// Opens (creating if needed) the database file at `path`, applies pending migrations, and
/// brings rows older servers stored up to date where SQL cannot (hashing the order tokens they
/// kept in clear).
pub async fn open(path: &Path) -> Result<SqlitePool, DbError> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        // WAL lets readers (health, reports) run while a batch is being written.
        .journal_mode(SqliteJournalMode::Wal)
        // In WAL mode NORMAL may lose the last commits on power loss; an accepted result must not.
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(BUSY_TIMEOUT)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .connect_with(options)
        .await
        .map_err(|source| DbError::Open {
            path: path.to_owned(),
            source,
        })?;
    sqlx::migrate!()
        .run(&pool)
        .await
        .map_err(DbError::Migrate)?;
    hash_clear_tokens(&pool).await.map_err(DbError::Upgrade)?;
    Ok(pool)
}
