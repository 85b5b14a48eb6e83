//! `surprise.redeemed` in a batch of results: gated before the transaction like the direct
//! route, redeemed inside it under the result's id (which is the redemption id), so whichever of
//! the two paths arrives first redeems and the other gets the same answer. The ack's `reward`
//! carries the prize's code, again on a repeat.

use super::gate::{Turned, admit};
use super::redemption::{Attempt, redeem};
use crate::config::{ServerConfig, StoreConfig};
use crate::event_log::{NewEvent, ResultWriter, Written};
use crate::rate_limit::RateLimiter;
use encore_core::events::RejectReason;
use encore_core::issued_code::IssuedCode;
use encore_core::locale::Locale;
use encore_core::surprise::redeem::{RedeemRefusal, Redemption, SurpriseRedeemed};
use sqlx::SqliteConnection;
use std::net::IpAddr;
use std::sync::Arc;

/// What the gate decided about one result.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    store: String,
    verdict: Result<(u16, u32, Option<String>), RedeemRefusal>,
    device: String,
}

/// Gates `result` for `store` (the member token is read here, before it is redacted).
pub(crate) fn check(
    store: &StoreConfig,
    limiter: &RateLimiter,
    result: &SurpriseRedeemed,
    ip: Option<IpAddr>,
    now_ms: u64,
) -> Checked {
    let verdict = match admit(
        store,
        limiter,
        &result.code,
        &result.device,
        ip,
        result.member_token.as_deref(),
        now_ms / 1000,
    ) {
        Ok(a) => Ok((a.campaign.id, a.id.serial, a.member)),
        Err(Turned::Limited(_)) => Err(RedeemRefusal::RateLimited),
        Err(Turned::Invalid | Turned::BadDevice) => Err(RedeemRefusal::CodeInvalid),
    };
    Checked {
        store: store.id.clone(),
        verdict,
        device: result.device.clone(),
    }
}

/// Replaces the member token by its SHA-256 before the result is stored.
pub(crate) fn redact(result: &mut SurpriseRedeemed) {
    if let Some(token) = result.member_token.as_mut() {
        *token = crate::event_log::redacted(token);
    }
}

/// Redeems the `surprise.redeemed` results of one batch inside its transaction.
pub(crate) struct RedemptionWriter {
    config: Arc<ServerConfig>,
    received_at: u64,
}

impl RedemptionWriter {
    /// A writer for a batch received at `received_at` (ms).
    pub(crate) fn new(config: Arc<ServerConfig>, received_at: u64) -> Self {
        RedemptionWriter {
            config,
            received_at,
        }
    }

    /// Redeems the code under the result's id: the prize's code, or why not.
    async fn run(
        &self,
        conn: &mut SqliteConnection,
        checked: &Checked,
        event: &NewEvent,
    ) -> Result<Written, sqlx::Error> {
        let (campaign, serial, member) = match &checked.verdict {
            Ok(ok) => ok.clone(),
            Err(refusal) => return Ok(Err(RejectReason::Redeem(*refusal))),
        };
        let config = self.config.clone();
        let Some(store) = config.store(&checked.store) else {
            return Ok(Err(RejectReason::UnknownStore));
        };
        let Some(campaign) = store.surprise.campaign(campaign) else {
            return Ok(Err(RejectReason::Redeem(RedeemRefusal::CodeInvalid)));
        };
        let device = checked.device.clone();
        let attempt = Attempt {
            store,
            campaign,
            serial,
            redemption: event.event().id.as_str(),
            device: &device,
            member: member.as_deref(),
            locale: Locale::En,
            now: self.received_at,
        };
        let answer = redeem(conn, &attempt).await?;
        Ok(match RedeemRefusal::of(&answer) {
            Some(refusal) => Err(RejectReason::Redeem(refusal)),
            None => Ok(prize_code(&answer)),
        })
    }
}

/// The code of the prize `answer` awards, if it has one.
fn prize_code(answer: &Redemption) -> Option<IssuedCode> {
    let Redemption::Redeemed { prize, .. } = answer else {
        return None;
    };
    prize.code.as_ref().map(|code| IssuedCode {
        code: code.clone(),
        description: Some(prize.title.clone()),
    })
}

impl ResultWriter for RedemptionWriter {
    type Checked = Checked;

    async fn stored(
        &self,
        conn: &mut SqliteConnection,
        checked: &Checked,
        event: &NewEvent,
    ) -> Result<Written, sqlx::Error> {
        self.run(conn, checked, event).await
    }

    async fn repeated(
        &self,
        conn: &mut SqliteConnection,
        checked: &Checked,
        event: &NewEvent,
    ) -> Result<Option<IssuedCode>, sqlx::Error> {
        // Redeeming again under the same id only reads the stored answer back.
        Ok(self.run(conn, checked, event).await?.ok().flatten())
    }
}
