//! A store's member program (`time_zone`, `[[store.tiers]]`, `[store.members]`,
//! `[[store.offers]]`, `[store.drop]`, `[store.demo]`): who members are, what they are offered and
//! when, checked before serving.

mod problems;
pub(super) mod raw;

pub use problems::{OfferConfigError, OfferProblem};
pub(super) use raw::RawProgram;
use raw::{RawDrop, RawMembers, RawOffer, RawTier};

use super::link;
use super::text::text;

use encore_core::config::is_store_id;
use encore_core::offers::audience::Rule;
use encore_core::offers::calendar::{OfferEnd, StoreClock, WeeklyDrop, parse_local};
use encore_core::offers::claims::ClaimLimits;
use encore_core::reviews::Localized;
use jiff::civil::DateTime;
use std::collections::HashSet;

/// Longest a weekly drop may stay open: a week, so one occurrence closes before the next opens.
const MAX_DROP_HOURS: u32 = 7 * 24;
/// Longest early access a tier may get: a week, for the same reason.
const MAX_EARLY_MINUTES: u32 = 7 * 24 * 60;

/// Everything a store offers its members.
#[derive(Debug, Clone)]
pub struct MemberProgram {
    /// The IANA zone the store's calendar runs in (`UTC` unless configured).
    pub time_zone: String,
    /// The store's wall clock in that zone.
    pub clock: StoreClock,
    /// Membership tiers, in file order.
    pub tiers: Vec<Tier>,
    /// Where a guest joins or signs in, if the store says.
    pub join: Option<Join>,
    /// The offers, in file order.
    pub offers: Vec<Offer>,
    /// The weekly drop, if the store has one.
    pub drop: Option<DropSettings>,
    /// Whether `GET /demo/member-token` mints member tokens for this store (demo stores only).
    pub mint_demo_tokens: bool,
}

impl MemberProgram {
    /// The tier with this id, if configured.
    pub fn tier(&self, id: &str) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.id == id)
    }

    /// The offer with this id, if configured.
    pub fn offer(&self, id: &str) -> Option<&Offer> {
        self.offers.iter().find(|o| o.id == id)
    }
}

/// A membership tier (`[[store.tiers]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tier {
    /// The id member tokens carry (`gold`).
    pub id: String,
    /// The display name (`Gold`, `金卡`).
    pub name: Localized,
}

/// Where guests join (`[store.members]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Join {
    /// An absolute http(s) URL or a path on the shop's own site (`/account/join`).
    pub url: String,
    /// The link text.
    pub label: Localized,
}

/// How an offer's codes are handed out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Codes {
    /// One code shared by every member who claims it.
    Shared(String),
    /// Single-use codes, each given to one claim, in file order.
    Pool(Vec<String>),
}

/// One member offer (`[[store.offers]]`).
#[derive(Debug, Clone)]
pub struct Offer {
    /// The id results and pages use.
    pub id: String,
    /// What it is ("25% off everything").
    pub title: Localized,
    /// Details and conditions.
    pub description: Localized,
    /// What guests see instead of the title, if different.
    pub teaser: Option<Localized>,
    /// Who it is for, in the store's words ("For Gold members").
    pub teaser_audience: Option<Localized>,
    /// The code or pool of codes.
    pub codes: Codes,
    /// When it opens (local time); `None`: already open.
    pub starts: Option<DateTime>,
    /// When it closes; `None`: open-ended.
    pub ends: Option<OfferEnd>,
    /// Who may see and claim it.
    pub audience: Rule,
    /// Per-member limit and budget as configured (a pool also bounds the budget).
    pub limits: ClaimLimits,
}

impl Offer {
    /// The exclusive end instant (ms) as seen at `now`, if the offer ends.
    pub fn ends_at(&self, clock: &StoreClock, now: u64) -> Option<u64> {
        self.ends.map(|end| end.instant(clock, now))
    }

    /// Whether `now` (ms) is inside the offer's window.
    pub fn is_open(&self, clock: &StoreClock, now: u64) -> bool {
        let started = self.starts.is_none_or(|s| clock.instant(s) <= now);
        started && self.ends_at(clock, now).is_none_or(|end| now < end)
    }

    /// Whether the offer closed for good before `now` (a month-end offer never does).
    pub fn is_over(&self, clock: &StoreClock, now: u64) -> bool {
        matches!(self.ends, Some(OfferEnd::At(end)) if clock.instant(end) <= now)
    }

    /// The most claims all members together may make: the budget, bounded by a pool's size.
    pub fn budget(&self) -> Option<u32> {
        match &self.codes {
            Codes::Shared(_) => self.limits.budget,
            Codes::Pool(codes) => {
                let size = u32::try_from(codes.len()).unwrap_or(u32::MAX);
                Some(self.limits.budget.map_or(size, |b| b.min(size)))
            }
        }
    }
}

/// The weekly drop (`[store.drop]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DropSettings {
    /// What drops ("Tuesday tea drop").
    pub title: Localized,
    /// When, and early access per tier.
    pub schedule: WeeklyDrop,
}

/// Checks a store's member program. `has_keys` says whether the store can sign tokens, which
/// demo minting needs.
pub(super) fn validate(raw: RawProgram, has_keys: bool) -> Result<MemberProgram, OfferConfigError> {
    let time_zone = raw.time_zone.unwrap_or_else(|| "UTC".into());
    let clock =
        StoreClock::new(&time_zone).map_err(|e| OfferConfigError::TimeZone(e.to_string()))?;
    let tiers = tiers(raw.tiers)?;
    let tier_ids: HashSet<&str> = tiers.iter().map(|t| t.id.as_str()).collect();
    let join = raw.members.map(join).transpose()?;
    let mut offers = Vec::with_capacity(raw.offers.len());
    let mut ids = HashSet::new();
    let mut pooled = HashSet::new();
    for raw_offer in raw.offers {
        if !is_store_id(&raw_offer.id) {
            return Err(OfferConfigError::OfferId(raw_offer.id));
        }
        if !ids.insert(raw_offer.id.clone()) {
            return Err(OfferConfigError::DuplicateOffer(raw_offer.id));
        }
        let id = raw_offer.id.clone();
        let offer = offer(raw_offer, &tier_ids, &mut pooled)
            .map_err(|problem| OfferConfigError::Offer { offer: id, problem })?;
        offers.push(offer);
    }
    let drop = raw.drop.map(|d| drop_settings(d, &tier_ids)).transpose()?;
    if raw.demo.mint_member_tokens && !has_keys {
        return Err(OfferConfigError::DemoWithoutKey);
    }
    Ok(MemberProgram {
        time_zone,
        clock,
        tiers,
        join,
        offers,
        drop,
        mint_demo_tokens: raw.demo.mint_member_tokens,
    })
}

fn tiers(raw: Vec<RawTier>) -> Result<Vec<Tier>, OfferConfigError> {
    let mut seen = HashSet::new();
    let mut tiers = Vec::with_capacity(raw.len());
    for tier in raw {
        if !is_store_id(&tier.id) {
            return Err(OfferConfigError::TierId(tier.id));
        }
        if !seen.insert(tier.id.clone()) {
            return Err(OfferConfigError::DuplicateTier(tier.id));
        }
        let name =
            text(tier.name).ok_or_else(|| OfferConfigError::EmptyTierName(tier.id.clone()))?;
        tiers.push(Tier { id: tier.id, name });
    }
    Ok(tiers)
}

fn join(raw: RawMembers) -> Result<Join, OfferConfigError> {
    link::check(&raw.join_url).map_err(|problem| OfferConfigError::JoinUrl {
        url: raw.join_url.clone(),
        problem,
    })?;
    let label = text(raw.join_label).ok_or(OfferConfigError::EmptyJoinLabel)?;
    Ok(Join {
        url: raw.join_url,
        label,
    })
}

fn offer(
    raw: RawOffer,
    tiers: &HashSet<&str>,
    pooled: &mut HashSet<String>,
) -> Result<Offer, OfferProblem> {
    let title = text(raw.title).ok_or(OfferProblem::EmptyText("title"))?;
    let description = text(raw.description).ok_or(OfferProblem::EmptyText("description"))?;
    let teaser = raw
        .teaser
        .map(|t| text(t).ok_or(OfferProblem::EmptyText("teaser")))
        .transpose()?;
    let teaser_audience = raw
        .teaser_audience
        .map(|t| text(t).ok_or(OfferProblem::EmptyText("teaser_audience")))
        .transpose()?;
    let codes = match (raw.code, raw.codes) {
        (Some(_), Some(_)) => return Err(OfferProblem::CodeAndCodes),
        (None, None) => return Err(OfferProblem::NoCode),
        (Some(code), None) if code.trim().is_empty() => return Err(OfferProblem::EmptyCode),
        (Some(code), None) => Codes::Shared(code),
        (None, Some(codes)) => {
            if codes.is_empty() {
                return Err(OfferProblem::EmptyPool);
            }
            for code in &codes {
                if code.trim().is_empty() {
                    return Err(OfferProblem::EmptyCode);
                }
                // Across the store's pools: a code is handed out at most once.
                if !pooled.insert(code.clone()) {
                    return Err(OfferProblem::DuplicateCode(code.clone()));
                }
            }
            Codes::Pool(codes)
        }
    };
    let starts = raw
        .starts
        .map(|s| parse_local(&s).map_err(|e| OfferProblem::Time("starts", e.to_string())))
        .transpose()?;
    let ends = raw
        .ends
        .map(|s| {
            s.parse::<OfferEnd>()
                .map_err(|e| OfferProblem::Time("ends", e.to_string()))
        })
        .transpose()?;
    if let (Some(start), Some(OfferEnd::At(end))) = (starts, ends) {
        if end <= start {
            return Err(OfferProblem::EndsBeforeStarts);
        }
    }
    // No audience: every member (an empty `all` matches everyone).
    let audience = raw.audience.unwrap_or(Rule::All(Vec::new()));
    let problems = audience.problems();
    if !problems.is_empty() {
        return Err(OfferProblem::Audience(problems.join("; ")));
    }
    if let Some(tier) = unknown_tier(&audience, tiers) {
        return Err(OfferProblem::UnknownTier(tier));
    }
    let per_member = raw.per_member.unwrap_or(1);
    if per_member == 0 {
        return Err(OfferProblem::ZeroPerMember);
    }
    if raw.budget == Some(0) {
        return Err(OfferProblem::ZeroBudget);
    }
    Ok(Offer {
        id: raw.id,
        title,
        description,
        teaser,
        teaser_audience,
        codes,
        starts,
        ends,
        audience,
        limits: ClaimLimits {
            per_member,
            budget: raw.budget,
        },
    })
}

/// A tier the rule names that the store did not configure: a typo would otherwise silently
/// hide the offer from everyone.
fn unknown_tier(rule: &Rule, tiers: &HashSet<&str>) -> Option<String> {
    match rule {
        Rule::All(rules) | Rule::Any(rules) => rules.iter().find_map(|r| unknown_tier(r, tiers)),
        Rule::Not(rule) => unknown_tier(rule, tiers),
        Rule::Tier(names) => names.iter().find(|t| !tiers.contains(t.as_str())).cloned(),
        _ => None,
    }
}

fn drop_settings(raw: RawDrop, tiers: &HashSet<&str>) -> Result<DropSettings, OfferConfigError> {
    let title = text(raw.title).ok_or(OfferConfigError::Drop("the title is empty".into()))?;
    let lasts_hours = raw.lasts_hours.unwrap_or(24);
    if lasts_hours == 0 || lasts_hours > MAX_DROP_HOURS {
        return Err(OfferConfigError::Drop(format!(
            "lasts_hours must be 1 to {MAX_DROP_HOURS}"
        )));
    }
    for (tier, minutes) in &raw.early_minutes {
        if !tiers.contains(tier.as_str()) {
            return Err(OfferConfigError::Drop(format!(
                "early_minutes names tier {tier:?}, which is not in [[store.tiers]]"
            )));
        }
        if *minutes > MAX_EARLY_MINUTES {
            return Err(OfferConfigError::Drop(format!(
                "early_minutes for {tier:?} must be at most {MAX_EARLY_MINUTES} (a week)"
            )));
        }
    }
    Ok(DropSettings {
        title,
        schedule: WeeklyDrop {
            weekday: raw.weekday,
            time: raw.time,
            lasts_hours,
            early_minutes: raw.early_minutes,
        },
    })
}
