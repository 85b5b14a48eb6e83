//! `encore-server check-config`: validates a store config and says what it sets up, warning
//! about every demo switch that lets anyone mint codes or tokens and every budgeted prize whose
//! one code every winner shares.

use super::load_config;
use encore_server::{offers, referral};
use std::path::Path;

/// Checks the config at `path` and prints its stores, campaigns, programs and warnings.
pub(crate) fn run(path: &Path) -> Result<(), String> {
    let config = load_config(path)?;
    let ids: Vec<&str> = config.stores().iter().map(|s| s.id.as_str()).collect();
    println!("config ok: {} store(s): {}", ids.len(), ids.join(", "));
    for store in offers::demo_minting_stores(&config) {
        println!("warning: store {store:?} mints member tokens for anyone (demo only)");
    }
    for store in config.stores() {
        for campaign in &store.surprise.campaigns {
            println!(
                "store {:?}: surprise campaign {} ({}), {} prize(s)",
                store.id,
                campaign.id,
                campaign.title.en,
                campaign.prizes.len()
            );
            if let Some(limit) = campaign.per_member {
                println!(
                    "store {:?}: surprise campaign {} opens only for signed-in members \
                     (per_member = {limit} needs a member token to count)",
                    store.id, campaign.id
                );
            }
            // A warning, not an error: a shared code is a choice a store may make knowingly
            // (a gift in the shop, checked by a person), and refusing it would break configs.
            for prize in campaign.budgets_on_shared_codes() {
                println!(
                    "warning: store {:?}, surprise campaign {}, prize {:?}: a budget of {} \
                     but one code for every winner, which a winner can post online; checkout \
                     cannot hold it to the budget. Give it single-use codes (codes = [...]) \
                     instead (docs/surprise.md)",
                    store.id,
                    campaign.id,
                    prize.id,
                    prize.budget.unwrap_or(0)
                );
            }
        }
        if store.surprise.mint_demo_codes {
            println!(
                "warning: store {:?} mints surprise codes for anyone (demo only)",
                store.id
            );
        }
        if let Some(program) = &store.referral {
            println!(
                "store {:?}: referral program, links to {}, friend gets \"{}\", advocate gets \
                 \"{}\", attribution {} day(s), review after {} order(s) per device or {} per IP",
                store.id,
                program.landing_url,
                program.friend_gets.en,
                program.advocate_gets.en,
                program.attribution_days,
                program.limits.per_device,
                program.limits.per_ip
            );
        }
    }
    for store in referral::demo_order_token_stores(&config) {
        println!("warning: store {store:?} mints order tokens for anyone (demo only)");
    }
    Ok(())
}
