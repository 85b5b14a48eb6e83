//! What is decided about a redemption before the database: the device id, the code's tag (a
//! forged code never reaches SQL), the brute-force limits on misses per device and address
//! range, and the member token. Both the direct route and the `surprise.redeemed` result pass
//! through here.

use super::redemption::verify_code;
use crate::client_ip::client_key;
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
    /// Not a genuine code of this store (counted against the device and address range).
    Invalid,
    /// The device id is not one the widget makes.
    BadDevice,
    /// Not a genuine code, after too many invalid codes from this device or address range
    /// lately.
    Limited(Limited),
}

/// Checks one redemption of `code` from `device` at `ip` for `store`; `now_secs` is for the
/// member token.
///
/// Only misses (codes whose tag does not verify) are counted, and they only ever refuse other
/// misses: a code whose tag verifies goes through however many misses its device or address
/// made, so a shop's Wi-Fi or a carrier's shared address locked by someone's guessing still
/// redeems every genuine code. That gives a guesser nothing: a guess is right once in 2^64.
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
    let Some((campaign, id)) = verify_code(store, code) else {
        return Err(missed(store, limiter, device, ip));
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

/// Counts a miss against the device and the address range, or, once either is over its
/// limit, refuses it with the time to wait (and leaves the count as it is).
fn missed(store: &StoreConfig, limiter: &RateLimiter, device: &str, ip: Option<IpAddr>) -> Turned {
    let limits = store.surprise.limits;
    let window = Duration::from_secs(u64::from(limits.window_minutes.max(1)) * 60);
    // The device id is the client's own word, so a guesser can make a new one per guess; the
    // address range (an IPv6 /64) is the budget that holds whatever the device id says.
    let keys = [
        Some((
            format!("surprise-device:{}:{device}", store.id),
            limits.invalid_per_device,
        )),
        ip.map(|ip| {
            let range = client_key(ip);
            (
                format!("surprise-ip:{}:{range}", store.id),
                limits.invalid_per_ip,
            )
        }),
    ];
    for (key, limit) in keys.iter().flatten() {
        if let Err(limited) = limiter.check(key, *limit) {
            return Turned::Limited(limited);
        }
    }
    for (key, limit) in keys.iter().flatten() {
        // The attempt is refused either way; the count makes the next misses wait.
        let _ = limiter.hit(key, *limit, window);
    }
    Turned::Invalid
}
