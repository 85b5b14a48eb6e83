//! `encore-server referrals list|approve|reject`: the store's review of referred orders from the
//! command line, over the library's [`encore_server::referral::review`].

use super::{load_config, open_db};
use crate::cli::ReferralsCommand;
use encore_server::clock::now_millis;
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
        } => decide(&config, &db, &store, &order, now, true).await?,
        ReferralsCommand::Reject {
            config,
            db,
            store,
            order,
        } => decide(&config, &db, &store, &order, now, false).await?,
    }
    Ok(())
}

/// Approves (`approve`) or rejects a referral waiting for review.
async fn decide(
    config: &Path,
    db: &Path,
    store: &str,
    order: &str,
    now: i64,
    approve: bool,
) -> Result<(), String> {
    referral_store(config, store)?;
    let pool = open_db(db).await?;
    let decided = if approve {
        referral_review::approve(&pool, store, order, now).await
    } else {
        referral_review::reject(&pool, store, order, now).await
    };
    pool.close().await;
    decided.map_err(|e| e.to_string())?;
    if approve {
        println!("referral of order {order} approved: it counts as a reward");
    } else {
        println!("referral of order {order} rejected");
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
