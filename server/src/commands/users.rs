//! `encore-server users add|list|disable`: the console's users from the command line (the
//! first owner is made here), audited as `cli`.

use super::{load_config, open_db};
use crate::cli::{StoreFlags, UsersCommand};
use encore_core::admin::role::Role;
use encore_server::admin::audit::Actor;
use encore_server::admin::{people, users};
use encore_server::clock::now_millis;

/// The database of a known store.
async fn open(flags: &StoreFlags) -> Result<sqlx::SqlitePool, String> {
    let config = load_config(&flags.config)?;
    if config.store(&flags.store).is_none() {
        return Err(format!("the config has no store {:?}", flags.store));
    }
    open_db(&flags.db).await
}

/// Runs one `users` subcommand.
pub(crate) async fn run(command: UsersCommand) -> Result<(), String> {
    let now = now_millis();
    match command {
        UsersCommand::Add {
            store,
            email,
            role,
            base_url,
        } => {
            let role = Role::parse(&role).ok_or_else(|| format!("unknown role {role:?}"))?;
            let pool = open(&store).await?;
            let invitation = people::invite(&pool, &store.store, &Actor::cli(), &email, role, now)
                .await
                .map_err(|e| e.to_string())?;
            pool.close().await;
            let base = base_url.as_deref().unwrap_or("").trim_end_matches('/');
            // Only the link on stdout, so a script can capture it; it works once, for 24 hours.
            println!("{base}{}", invitation.link);
        }
        UsersCommand::List { store } => {
            let pool = open(&store).await?;
            let lines = users::list(&pool, &store.store)
                .await
                .map_err(|e| format!("database: {e}"))?;
            pool.close().await;
            if lines.is_empty() {
                println!("no users");
            } else {
                print!("{}", people::users_table(&lines));
            }
        }
        UsersCommand::Disable { store, email } => {
            let pool = open(&store).await?;
            let line = people::disable(&pool, &store.store, &Actor::cli(), &email, now)
                .await
                .map_err(|e| e.to_string())?;
            pool.close().await;
            println!("user {} disabled", line.email);
        }
    }
    Ok(())
}
