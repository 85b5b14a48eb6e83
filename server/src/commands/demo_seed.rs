//! `encore-server demo-seed`: fills the demo store with published reviews, once.

use super::{load_config, open_db};
use encore_server::clock::now_millis;
use encore_server::reviews::seed;
use std::path::Path;

/// Seeds `store` of the config at `config` into the database at `db_path`.
pub(crate) async fn run(config: &Path, db_path: &Path, store: &str) -> Result<(), String> {
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
