//! Prizes as the shopper sees them: the stored prize id and code rendered from the campaign's
//! config in the shopper's language, and the published odds of "how winners are chosen".

use crate::config::surprise::Campaign;
use encore_core::locale::Locale;
use encore_core::surprise::draw::PrizeOdds;
use encore_core::surprise::redeem::{Prize, PrizeChance, PrizeKind, PublishedOdds};

const DAY_MS: u64 = 24 * 60 * 60 * 1000;

/// The prize id stored for thanks-for-playing.
pub const THANKS: &str = "thanks";

/// The prize `prize_id` of `campaign` won at `redeemed_at` (ms) with `code`, in `locale`. An id
/// the config no longer lists is shown as thanks-for-playing, with its code if it had one.
pub fn prize_view(
    campaign: &Campaign,
    prize_id: &str,
    code: Option<String>,
    redeemed_at: u64,
    locale: Locale,
) -> Prize {
    match campaign.prize(prize_id) {
        Some(p) => Prize {
            id: p.id.clone(),
            kind: p.kind,
            title: p.title.get(locale).to_owned(),
            how_to_use: p.how_to_use.as_ref().map(|h| h.get(locale).to_owned()),
            code,
            points: p.points,
            expires_at: p
                .valid_days
                .map(|d| redeemed_at.saturating_add(u64::from(d) * DAY_MS)),
            next_url: None,
        },
        None => Prize {
            id: THANKS.to_owned(),
            kind: PrizeKind::Thanks,
            title: campaign.thanks.title.get(locale).to_owned(),
            how_to_use: campaign
                .thanks
                .how_to_use
                .as_ref()
                .map(|h| h.get(locale).to_owned()),
            code,
            points: None,
            expires_at: None,
            next_url: campaign.thanks.next_url.clone(),
        },
    }
}

/// The published odds of `campaign` with `table` (from [`super::redemption::odds`]).
pub fn published(campaign: &Campaign, table: &[PrizeOdds], locale: Locale) -> PublishedOdds {
    PublishedOdds {
        title: campaign.title.get(locale).to_owned(),
        starts_at: campaign.starts_at,
        ends_at: campaign.ends_at,
        prizes: campaign
            .prizes
            .iter()
            .zip(table)
            .map(|(p, odds)| PrizeChance {
                title: p.title.get(locale).to_owned(),
                kind: p.kind,
                chance_ppm: p.chance_ppm,
                budget: p.budget,
                remaining: odds.remaining,
            })
            .collect(),
        per_device: campaign.per_device,
    }
}
