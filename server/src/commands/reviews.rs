//! `encore-server reviews list|approve|reject|reply`: the store's moderation of reviews from the
//! command line, over the library's [`encore_server::reviews::moderation`] (the admin API's
//! code path), audited as `cli`.

use super::open_db;
use crate::cli::ReviewsCommand;
use encore_server::clock::now_millis;
use encore_server::reviews::moderation::Moderator;
use encore_server::reviews::{Status, moderation};

/// Runs one `reviews` subcommand.
pub(crate) async fn run(command: ReviewsCommand) -> Result<(), String> {
    let now = now_millis();
    match command {
        ReviewsCommand::List { db, store, status } => {
            let status = status.as_deref().and_then(Status::parse);
            let pool = open_db(&db).await?;
            let lines = moderation::list(&pool, store.as_deref(), status)
                .await
                .map_err(|e| format!("database: {e}"))?;
            if lines.is_empty() {
                println!("no reviews");
            } else {
                print!("{}", moderation::table(&lines));
            }
            pool.close().await;
        }
        ReviewsCommand::Approve { id, db } => {
            let pool = open_db(&db).await?;
            moderation::approve(&pool, &Moderator::cli(now), &id)
                .await
                .map_err(|e| e.to_string())?;
            println!("review {id} published");
            pool.close().await;
        }
        ReviewsCommand::Reject { id, db, reason } => {
            let pool = open_db(&db).await?;
            moderation::reject(&pool, &Moderator::cli(now), &id, &reason)
                .await
                .map_err(|e| e.to_string())?;
            println!("review {id} rejected");
            pool.close().await;
        }
        ReviewsCommand::Reply { id, db, text } => {
            let pool = open_db(&db).await?;
            moderation::reply(&pool, &Moderator::cli(now), &id, &text)
                .await
                .map_err(|e| e.to_string())?;
            if text.trim().is_empty() {
                println!("reply removed from review {id}");
            } else {
                println!("reply set on review {id}");
            }
            pool.close().await;
        }
    }
    Ok(())
}
