//! What is decided about a redemption before the database: the brute-force limits per device
//! and IP address, the code's tag (a forged code never reaches SQL), the device id, and the
//! member token. Both the direct route and the `surprise.redeemed` result pass through here.

use super::redemption::verify_code;
use crate::config::StoreConfig;
use crate::config::surprise::Campaign;
use crate::rate_limit::{Limited, RateLimiter};
use crate::tokens::member::verify_member;
use encore_core::surprise::code::CodeId;
use encore_core::surprise::redeem::is_device_id;
use std::net::IpAddr;
use std::time::Duration;

/// A redemption that passed the gate.
#[derive(Debug, Clone)]
pub struct Admitted<'s> {
    /// The code's campaign.
    pub campaign: &'s Campaign,
    /// The code's campaign and serial.
    pub id: CodeId,
    /// The member a valid token names.
    pub member: Option<String>,
}

/// Why the gate turned a redemption away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turned {
    /// Not a genuine code of this store (counted against the device and IP).
    Invalid,
    /// The device id is not one the widget makes.
    BadDevice,
    /// Too many invalid codes from this device or IP address lately.
    Limited(Limited),
}

/// Checks one redemption of `code` from `device` at `ip` for `store`; `now_secs` is for the
/// member token.
pub fn admit<'s>(
    store: &'s StoreConfig,
    limiter: &RateLimiter,
    code: &str,
    device: &str,
    ip: Option<IpAddr>,
    member_token: Option<&str>,
    now_secs: u64,
) -> Result<Admitted<'s>, Turned> {
    if !is_device_id(device) {
        return Err(Turned::BadDevice);
    }
    let limits = store.surprise.limits;
    let keys = keys(store, device, ip);
    let allowed = [limits.invalid_per_device, limits.invalid_per_ip];
    // Once over, every attempt waits: a limited guesser must not learn which guess was right.
    for (key, limit) in keys.iter().zip(allowed) {
        if let Some(key) = key {
            limiter.check(key, limit).map_err(Turned::Limited)?;
        }
    }
    let Some((campaign, id)) = verify_code(store, code) else {
        let window = Duration::from_secs(u64::from(limits.window_minutes.max(1)) * 60);
        for (key, limit) in keys.iter().zip(allowed) {
            if let Some(key) = key {
                // The attempt is refused either way; the count makes the next ones wait.
                let _ = limiter.hit(key, limit, window);
            }
        }
        return Err(Turned::Invalid);
    };
    let member = member_token
        .and_then(|token| verify_member(store, token, now_secs).ok())
        .map(|claims| claims.member);
    Ok(Admitted {
        campaign,
        id,
        member,
    })
}

fn keys(store: &StoreConfig, device: &str, ip: Option<IpAddr>) -> [Option<String>; 2] {
    [
        Some(format!("surprise-device:{}:{device}", store.id)),
        ip.map(|ip| format!("surprise-ip:{}:{ip}", store.id)),
    ]
}
