//! `encore-server referrals list|approve|reject`: the store's review of referred orders from the
//! command line, over the library's [`encore_server::referral::review`].

use crate::cli::ReferralsCommand;
use crate::{load_config, now_millis, open_db};
use encore_server::referral::ReferralStatus;
use encore_server::referral::review as referral_review;
use std::path::Path;

/// Runs one `referrals` subcommand.
pub(crate) async fn run(command: ReferralsCommand) -> Result<(), String> {
    let now = now_millis();
    match command {
        ReferralsCommand::List {
            config,
            db,
            store,
            status,
        } => {
            referral_store(&config, &store)?;
            let status = status.as_deref().and_then(ReferralStatus::parse);
            let pool = open_db(&db).await?;
            let lines = referral_review::list(&pool, &store, status)
                .await
                .map_err(|e| format!("database: {e}"))?;
            if lines.is_empty() {
                println!("no referrals");
            } else {
                print!("{}", referral_review::table(&lines));
            }
            pool.close().await;
        }
        ReferralsCommand::Approve {
            config,
            db,
            store,
            order,
        } => {
            referral_store(&config, &store)?;
            let pool = open_db(&db).await?;
            referral_review::approve(&pool, &store, &order, now)
                .await
                .map_err(|e| e.to_string())?;
            println!("referral of order {order} approved: it counts as a reward");
            pool.close().await;
        }
        ReferralsCommand::Reject {
            config,
            db,
            store,
            order,
        } => {
            referral_store(&config, &store)?;
            let pool = open_db(&db).await?;
            referral_review::reject(&pool, &store, &order, now)
                .await
                .map_err(|e| e.to_string())?;
            println!("referral of order {order} rejected");
            pool.close().await;
        }
    }
    Ok(())
}

/// Checks that `store` is in the config at `path` and runs a referral program.
fn referral_store(path: &Path, store: &str) -> Result<(), String> {
    let config = load_config(path)?;
    let store = config
        .store(store)
        .ok_or_else(|| format!("store {store:?} is not in the config"))?;
    if store.referral.is_none() {
        return Err(format!(
            "store {:?} runs no referral program (no [store.referral] in {})",
            store.id,
            path.display()
        ));
    }
    Ok(())
}
