//! The answer of `GET /v1/offers`: a member's open offers with their claim state, or the locked
//! teaser set and the join link for everyone else, plus the weekly drop.

use super::ledger;
use super::membership::{Member, Membership, localized};
use crate::config::StoreConfig;
use crate::config::offers::{DropSettings, MemberProgram};
use encore_core::locale::Locale;
use encore_core::offers::calendar::StoreClock;
use encore_core::offers::{DropView, JoinLink, LockedOffer, OfferCard, OffersPage};
use sqlx::SqlitePool;

/// The offers page of `store` for `membership`, in `locale`, at `now` (ms since the Unix epoch).
pub async fn offers_page(
    db: &SqlitePool,
    store: &StoreConfig,
    membership: &Membership,
    locale: Locale,
    now: u64,
) -> Result<OffersPage, sqlx::Error> {
    let program = &store.members;
    let member = membership.member();
    let drop = program.drop.as_ref().map(|d| {
        drop_view(
            d,
            &program.clock,
            now,
            member.and_then(Member::tier),
            locale,
        )
    });
    let (offers, locked, join) = match member {
        Some(member) => (
            cards(db, store, member, locale, now).await?,
            Vec::new(),
            None,
        ),
        None => (
            Vec::new(),
            teasers(program, locale, now),
            program.join.as_ref().map(|join| JoinLink {
                url: join.url.clone(),
                label: localized(&join.label, locale),
            }),
        ),
    };
    Ok(OffersPage {
        status: membership.status(store, locale),
        offers,
        locked,
        join,
        drop,
        now,
    })
}

/// The offers `member` is in the audience of while they are open, in config order.
async fn cards(
    db: &SqlitePool,
    store: &StoreConfig,
    member: &Member,
    locale: Locale,
    now: u64,
) -> Result<Vec<OfferCard>, sqlx::Error> {
    let program = &store.members;
    let clock = &program.clock;
    let local = clock.local(now);
    let shopper = member.shopper(locale.tag());
    let mut cards = Vec::new();
    for offer in &program.offers {
        if !offer.is_open(clock, now) || !offer.audience.matches(&shopper, &local) {
            continue;
        }
        cards.push(OfferCard {
            id: offer.id.clone(),
            title: localized(&offer.title, locale),
            description: localized(&offer.description, locale),
            ends_at: offer.ends_at(clock, now),
            claimed_code: ledger::latest_code(db, &store.id, &offer.id, member.id()).await?,
            sold_out: ledger::is_sold_out(db, &store.id, offer).await?,
        });
    }
    Ok(cards)
}

/// What members get, for a guest: every offer that has not closed for good, with its teaser
/// (or title) and who it is for, whatever the guest's facts, since a guest has none.
fn teasers(program: &MemberProgram, locale: Locale, now: u64) -> Vec<LockedOffer> {
    program
        .offers
        .iter()
        .filter(|offer| !offer.is_over(&program.clock, now))
        .map(|offer| LockedOffer {
            id: offer.id.clone(),
            title: localized(offer.teaser.as_ref().unwrap_or(&offer.title), locale),
            audience: offer
                .teaser_audience
                .as_ref()
                .map(|text| localized(text, locale)),
        })
        .collect()
}

fn drop_view(
    drop: &DropSettings,
    clock: &StoreClock,
    now: u64,
    tier: Option<&str>,
    locale: Locale,
) -> DropView {
    let times = drop.schedule.next(clock, now, tier);
    DropView {
        title: localized(&drop.title, locale),
        access_at: times.access_at,
        public_at: times.public_at,
        ends_at: times.ends_at,
        early: times.early,
    }
}
