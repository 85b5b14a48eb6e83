//! `encore-server token order|member`: tokens signed with a store's key, for trying review
//! requests, referrals and member offers without a store backend.

use super::load_config;
use crate::cli::TokenCommand;
use encore_core::token::{Buyer, Contact};
use encore_server::clock::now_millis;
use encore_server::tokens::member::{self as member_token, MemberTokenRequest};
use encore_server::tokens::order as order_token;
use std::path::Path;

/// Runs one `token` subcommand: prints the signed token.
pub(crate) fn run(command: TokenCommand) -> Result<(), String> {
    match command {
        TokenCommand::Order {
            config,
            store,
            order,
            items,
            ttl_days,
            key,
            email,
            name,
            buyer,
            orders_before,
        } => {
            let buyer = Buyer {
                contact: Contact { name, email },
                member: buyer,
                orders_before,
            };
            token_order(&config, store, order, &items, ttl_days, key, buyer)
        }
        TokenCommand::Member {
            config,
            store,
            member,
            tier,
            last_order,
            orders,
            name,
            email,
            ttl_mins,
            key,
        } => {
            let request = MemberTokenRequest {
                member,
                tier,
                last_order,
                orders,
                contact: Contact { name, email },
                ttl_mins,
                key,
                now: u64::try_from(now_millis() / 1000).unwrap_or(0),
            };
            token_member(&config, &store, request)
        }
    }
}

fn token_order(
    config: &Path,
    store: String,
    order: String,
    items: &[String],
    ttl_days: u64,
    key: Option<String>,
    buyer: Buyer,
) -> Result<(), String> {
    let config = load_config(config)?;
    let items = items
        .iter()
        .map(|i| order_token::parse_item(i))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let request = order_token::OrderTokenRequest {
        store,
        order,
        items,
        buyer,
        ttl_days,
        key,
        now: u64::try_from(now_millis() / 1000).unwrap_or(0),
    };
    let token = order_token::mint(&config, request).map_err(|e| e.to_string())?;
    println!("{token}");
    Ok(())
}

fn token_member(config: &Path, store: &str, request: MemberTokenRequest) -> Result<(), String> {
    let config = load_config(config)?;
    let token = member_token::mint(&config, store, request).map_err(|e| e.to_string())?;
    println!("{token}");
    Ok(())
}
