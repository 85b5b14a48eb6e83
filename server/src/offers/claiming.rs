//! `offer.claimed`: the checks made before the batch transaction (member token, offer, audience,
//! window) and the claim written inside it (per-member limit, budget, pool code), so the claim
//! commits with its result or not at all, and a retry of the result gets the same code back.

use super::ledger::{self, NewClaim};
use super::membership::Member;
use crate::config::StoreConfig;
use crate::config::offers::Offer;
use crate::event_log::{NewEvent, ResultWriter, Written};
use crate::tokens::member::verify_member;
use encore_core::events::RejectReason;
use encore_core::issued_code::IssuedCode;
use encore_core::locale::Locale;
use encore_core::offers::OfferClaimed;
use encore_core::offers::claims::ClaimRefusal;
use encore_core::token::TokenError;
use sqlx::SqliteConnection;

/// What the checks before the transaction decided about one claim.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    /// The offer's English title, the reward's description (the result carries no locale).
    description: Option<String>,
    /// The claim to write, or why it is refused.
    verdict: Result<Eligible, ClaimRefusal>,
}

/// A claim by a verified member who is in the offer's audience while it is open.
#[derive(Debug, Clone)]
struct Eligible {
    store: String,
    offer: Offer,
    member: String,
}

/// Checks `claim` for `store` at `received_at` (ms since the Unix epoch): the token must verify
/// (`token_expired`, else `token_invalid`), the offer must exist and the member be in its
/// audience (`not_eligible`), and the offer must be open (`not_open`).
///
/// The verdict is applied inside the transaction, and only to a result stored for the first
/// time: a retry of a claim that was accepted gets its code back even after the token expired.
pub(crate) fn check(store: &StoreConfig, claim: &OfferClaimed, received_at: u64) -> Checked {
    let offer = store.members.offer(&claim.offer);
    Checked {
        description: offer.map(|o| o.title.en.clone()),
        verdict: eligible(store, claim, offer, received_at),
    }
}

fn eligible(
    store: &StoreConfig,
    claim: &OfferClaimed,
    offer: Option<&Offer>,
    now: u64,
) -> Result<Eligible, ClaimRefusal> {
    let claims = verify_member(store, &claim.member_token, now / 1000).map_err(|e| {
        tracing::debug!(store = %store.id, error = %e, "offer claim token not accepted");
        match e {
            TokenError::Expired => ClaimRefusal::TokenExpired,
            _ => ClaimRefusal::TokenInvalid,
        }
    })?;
    let member = Member::new(claims);
    let offer = offer.ok_or(ClaimRefusal::NotEligible)?;
    let clock = &store.members.clock;
    let local = clock.local(now);
    // The result carries no locale, and the shopper picks the locale freely anyway: a locale
    // rule is met when it is met in either language the widget speaks.
    let in_audience = [Locale::En, Locale::ZhCn].into_iter().any(|locale| {
        offer
            .audience
            .matches(&member.shopper(locale.tag()), &local)
    });
    if !in_audience {
        return Err(ClaimRefusal::NotEligible);
    }
    if !offer.is_open(clock, now) {
        return Err(ClaimRefusal::NotOpen);
    }
    Ok(Eligible {
        store: store.id.clone(),
        offer: offer.clone(),
        member: member.id().to_owned(),
    })
}

/// Replaces the member token in a claim by its SHA-256 before the result is stored: the events
/// table then holds no bearer credential, while a retry (same token) still hashes the same and
/// is recognised as a duplicate.
pub(crate) fn redact(claim: &mut OfferClaimed) {
    claim.member_token = crate::event_log::redacted(&claim.member_token);
}

/// Writes the claims of one batch inside its transaction, with the codes they take.
#[derive(Debug)]
pub(crate) struct ClaimWriter {
    received_at: i64,
}

impl ClaimWriter {
    /// A writer for a batch received at `received_at` (ms).
    pub(crate) fn new(received_at: i64) -> Self {
        ClaimWriter { received_at }
    }
}

impl Checked {
    /// `code` as the claim's reward, described by the offer's title.
    fn issued(&self, code: String) -> IssuedCode {
        IssuedCode {
            code,
            description: self.description.clone(),
        }
    }
}

impl ResultWriter for ClaimWriter {
    type Checked = Checked;

    /// The claim with the code it takes, or the refusal decided before the transaction or by
    /// the limits and budget inside it.
    async fn stored(
        &self,
        conn: &mut SqliteConnection,
        checked: &Checked,
        event: &NewEvent,
    ) -> Result<Written, sqlx::Error> {
        let eligible = match &checked.verdict {
            Ok(eligible) => eligible,
            Err(refusal) => return Ok(Err(RejectReason::Claim(*refusal))),
        };
        let claim = NewClaim {
            id: event.event().id.as_str(),
            store: &eligible.store,
            offer: &eligible.offer,
            member: &eligible.member,
            at: self.received_at,
        };
        Ok(match ledger::take(conn, claim).await? {
            Ok(code) => Ok(Some(checked.issued(code))),
            Err(refusal) => Err(RejectReason::Claim(refusal)),
        })
    }

    /// The code the claim took the first time, even if its token has expired since.
    async fn repeated(
        &self,
        conn: &mut SqliteConnection,
        checked: &Checked,
        event: &NewEvent,
    ) -> Result<Option<IssuedCode>, sqlx::Error> {
        let code = ledger::code_of_claim(conn, event.event().id.as_str()).await?;
        Ok(code.map(|code| checked.issued(code)))
    }
}
