//! `encore-server keys add|list|revoke`: API keys for a store's scripts, audited as `cli`.

use super::{load_config, open_db};
use crate::cli::{KeysCommand, StoreFlags};
use encore_core::admin::role::Scope;
use encore_server::admin::audit::Actor;
use encore_server::admin::{api_keys, people};
use encore_server::clock::now_millis;

/// The database of a known store.
async fn open(flags: &StoreFlags) -> Result<sqlx::SqlitePool, String> {
    let config = load_config(&flags.config)?;
    if config.store(&flags.store).is_none() {
        return Err(format!("the config has no store {:?}", flags.store));
    }
    open_db(&flags.db).await
}

/// Runs one `keys` subcommand.
pub(crate) async fn run(command: KeysCommand) -> Result<(), String> {
    let now = now_millis();
    match command {
        KeysCommand::Add {
            store,
            scope,
            label,
        } => {
            let scopes = Scope::parse_list(&scope).ok_or_else(|| {
                format!(
                    "--scope {scope:?}: name one or more of reviews:read, reviews:write, \
                     settings:write, separated by commas"
                )
            })?;
            let pool = open(&store).await?;
            let key = people::add_key(&pool, &store.store, &Actor::cli(), &scopes, &label, now)
                .await
                .map_err(|e| e.to_string())?;
            pool.close().await;
            // Only the key on stdout, so `KEY=$(encore-server keys add ...)` works; it is
            // never shown again.
            println!("{}", key.secret);
        }
        KeysCommand::List { store } => {
            let pool = open(&store).await?;
            let lines = api_keys::list(&pool, &store.store)
                .await
                .map_err(|e| format!("database: {e}"))?;
            pool.close().await;
            if lines.is_empty() {
                println!("no keys");
            } else {
                print!("{}", people::keys_table(&lines));
            }
        }
        KeysCommand::Revoke { store, id } => {
            let pool = open(&store).await?;
            let line = people::revoke_key(&pool, &store.store, &Actor::cli(), &id, now)
                .await
                .map_err(|e| e.to_string())?;
            pool.close().await;
            println!("key {} revoked", line.id);
        }
    }
    Ok(())
}
