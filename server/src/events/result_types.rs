//! The one table of result types: what each type of result is checked for before the batch
//! transaction, and which [`ResultWriter`] writes what belongs with it inside. A new type of
//! result is an arm in [`check_type`]; one that needs rows of its own also brings a writer, a
//! [`CheckedResult`] variant and the line in [`CheckedBatch::write`] that hands it over.

use crate::config::StoreConfig;
use crate::event_log::{Companion, NewEvent, ResultWriter, Written};
use crate::offers::claiming::{self, ClaimWriter};
use crate::rate_limit::RateLimiter;
use crate::referral::results::{self as referral_results, ReferralWriter};
use crate::reviews::submission::{self, ReviewWriter};
use crate::state::AppState;
use crate::surprise::results::{self as surprise_results, RedemptionWriter};
use encore_core::events::{EventBody, RejectReason};
use encore_core::issued_code::IssuedCode;
use sqlx::SqliteConnection;
use std::collections::HashMap;
use std::net::IpAddr;

/// What the checks before the transaction decided about one result, under the writer that
/// takes it.
pub(super) enum CheckedResult {
    /// A review that passed [`submission::check`]. Boxed, as is a claim: they hold a verified
    /// token's claims and an offer, many times the size of the other variants.
    Review(Box<submission::Checked>),
    /// A claim and the verdict of [`claiming::check`].
    Claim(Box<claiming::Checked>),
    /// A redemption and the verdict of the surprise gate.
    Redemption(surprise_results::Checked),
    /// A landing to count, or an attributed order and its verdict so far.
    Referral(referral_results::Checked),
}

/// Checks `body`, a result for `store` from `ip` received at `received_ms`, as its type asks:
/// a review gets the checks of [`submission::check`], a claim those of [`claiming::check`]
/// (applied inside the transaction), and so on. A token in the result is read here, then
/// replaced by its hash before the result is stored. `None`: the result's own row is all there
/// is to write.
pub(super) fn check_type(
    store: &StoreConfig,
    limiter: &RateLimiter,
    body: &mut EventBody,
    ip: Option<IpAddr>,
    received_ms: u64,
) -> Result<Option<CheckedResult>, RejectReason> {
    Ok(match body {
        EventBody::ReviewSubmitted(review) => {
            let checked = submission::check(store, review, received_ms / 1000)?;
            submission::redact(review);
            Some(CheckedResult::Review(Box::new(checked)))
        }
        EventBody::OfferClaimed(claim) => {
            let checked = claiming::check(store, claim, received_ms);
            claiming::redact(claim);
            Some(CheckedResult::Claim(Box::new(checked)))
        }
        EventBody::SurpriseRedeemed(result) => {
            let checked = surprise_results::check(store, limiter, result, ip, received_ms);
            surprise_results::redact(result);
            Some(CheckedResult::Redemption(checked))
        }
        EventBody::ReferralLanded(landed) => {
            referral_results::check_landed(store, landed)?.map(CheckedResult::Referral)
        }
        EventBody::ReferralOrdered(ordered) => {
            let checked = referral_results::check_ordered(store, ordered, ip, received_ms)?;
            referral_results::redact(ordered);
            Some(CheckedResult::Referral(checked))
        }
        EventBody::Impression(_) | EventBody::ReferralShared(_) => None,
    })
}

/// The writers of one batch, and what the batch holds for them: each checked result under its
/// index among the results to store, and the code each result earned.
pub(super) struct CheckedBatch<'a> {
    reviews: ReviewWriter<'a>,
    claims: ClaimWriter,
    redemptions: RedemptionWriter,
    referrals: ReferralWriter,
    checked: HashMap<usize, CheckedResult>,
    issued: HashMap<usize, IssuedCode>,
}

/// Whether a result is stored for the first time or repeats one stored before.
#[derive(Debug, Clone, Copy)]
enum Pass {
    First,
    Repeat,
}

impl<'a> CheckedBatch<'a> {
    /// The writers for a batch from `ip` received at `received_at` (ms), over `state`.
    pub(super) fn new(state: &'a AppState, ip: Option<IpAddr>, received_at: i64) -> Self {
        CheckedBatch {
            reviews: ReviewWriter::new(&state.limiter, ip, received_at),
            claims: ClaimWriter::new(received_at),
            redemptions: RedemptionWriter::new(
                state.config.clone(),
                u64::try_from(received_at).unwrap_or(0),
            ),
            referrals: ReferralWriter::new(received_at),
            checked: HashMap::new(),
            issued: HashMap::new(),
        }
    }

    /// Marks result `index` of the results to store as checked by [`check_type`].
    pub(super) fn expect(&mut self, index: usize, checked: CheckedResult) {
        self.checked.insert(index, checked);
    }

    /// The code (review reward, claimed code or prize code) result `index` earned, now or when
    /// first stored.
    pub(super) fn reward(&self, index: usize) -> Option<&IssuedCode> {
        self.issued.get(&index)
    }

    /// Hands result `index` to the writer that checked it; `None` when no writer did.
    async fn write(
        &self,
        pass: Pass,
        conn: &mut SqliteConnection,
        index: usize,
        event: &NewEvent,
    ) -> Result<Option<Written>, sqlx::Error> {
        let Some(checked) = self.checked.get(&index) else {
            return Ok(None);
        };
        let written = match checked {
            CheckedResult::Review(c) => write_with(&self.reviews, pass, conn, c, event).await?,
            CheckedResult::Claim(c) => write_with(&self.claims, pass, conn, c, event).await?,
            CheckedResult::Redemption(c) => {
                write_with(&self.redemptions, pass, conn, c, event).await?
            }
            CheckedResult::Referral(c) => write_with(&self.referrals, pass, conn, c, event).await?,
        };
        Ok(Some(written))
    }
}

/// `writer`'s part in `pass` for `event`, which it checked as `checked`.
async fn write_with<W: ResultWriter>(
    writer: &W,
    pass: Pass,
    conn: &mut SqliteConnection,
    checked: &W::Checked,
    event: &NewEvent,
) -> Result<Written, sqlx::Error> {
    match pass {
        Pass::First => writer.stored(conn, checked, event).await,
        Pass::Repeat => Ok(Ok(writer.repeated(conn, checked, event).await?)),
    }
}

impl Companion for CheckedBatch<'_> {
    async fn stored(
        &mut self,
        conn: &mut SqliteConnection,
        index: usize,
        event: &NewEvent,
    ) -> Result<Option<RejectReason>, sqlx::Error> {
        match self.write(Pass::First, conn, index, event).await? {
            None | Some(Ok(None)) => Ok(None),
            Some(Ok(Some(code))) => {
                self.issued.insert(index, code);
                Ok(None)
            }
            Some(Err(reason)) => Ok(Some(reason)),
        }
    }

    async fn repeated(
        &mut self,
        conn: &mut SqliteConnection,
        index: usize,
        event: &NewEvent,
    ) -> Result<(), sqlx::Error> {
        if let Some(Ok(Some(code))) = self.write(Pass::Repeat, conn, index, event).await? {
            self.issued.insert(index, code);
        }
        Ok(())
    }
}
