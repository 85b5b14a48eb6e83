//! QR surprise campaigns (`[[store.surprise.campaigns]]` and `[store.surprise.limits]`): the
//! per-campaign code key, validity window, device and member limits, and the prize table with
//! its published odds and budgets, checked before serving.

use super::secret::Secret;
use encore_core::offers::calendar::{StoreClock, parse_local};
use encore_core::reviews::Localized;
use encore_core::surprise::draw::{self, PrizeOdds};
use encore_core::surprise::redeem::PrizeKind;
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt;

/// Fewest bytes a campaign key may have.
pub const MIN_CAMPAIGN_KEY_BYTES: usize = 32;

/// A store's surprise program.
#[derive(Debug, Clone, Default)]
pub struct SurpriseProgram {
    /// The campaigns, in file order.
    pub campaigns: Vec<Campaign>,
    /// Brute-force limits on invalid codes.
    pub limits: RedeemLimits,
    /// Whether `GET /demo/surprise-code` and `/demo/surprise-sheet.svg` mint codes (demo only).
    pub mint_demo_codes: bool,
}

impl SurpriseProgram {
    /// The campaign with number `id`, if configured.
    pub fn campaign(&self, id: u16) -> Option<&Campaign> {
        self.campaigns.iter().find(|c| c.id == id)
    }
}

/// Limits on invalid redemption attempts (`[store.surprise.limits]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RedeemLimits {
    /// Invalid codes one device may try per window before it must wait.
    pub invalid_per_device: u32,
    /// Invalid codes one IP address may try per window before it must wait.
    pub invalid_per_ip: u32,
    /// The window, in minutes.
    pub window_minutes: u32,
}

impl Default for RedeemLimits {
    fn default() -> Self {
        RedeemLimits {
            invalid_per_device: 10,
            invalid_per_ip: 30,
            window_minutes: 10,
        }
    }
}

/// One campaign: codes of one number, one key and one prize table.
#[derive(Debug, Clone)]
pub struct Campaign {
    /// The number inside its codes.
    pub id: u16,
    /// Its name.
    pub title: Localized,
    /// The key codes are tagged with.
    pub key: Secret,
    /// When redemption opens (ms).
    pub starts_at: u64,
    /// When redemption closes (ms, exclusive).
    pub ends_at: u64,
    /// The landing page codes point to (`{landing_url}?c=CODE`).
    pub landing_url: String,
    /// Codes one device may open.
    pub per_device: u32,
    /// Codes one member may open. Set, the campaign opens only for shoppers with a verified
    /// member token: a limit that a shopper escapes by leaving the token out would be none.
    pub per_member: Option<u32>,
    /// The prizes in draw order.
    pub prizes: Vec<PrizeConfig>,
    /// What thanks-for-playing says.
    pub thanks: Thanks,
}

impl Campaign {
    /// The prize with this id.
    pub fn prize(&self, id: &str) -> Option<&PrizeConfig> {
        self.prizes.iter().find(|p| p.id == id)
    }

    /// The prizes with a budget whose code is one string for every winner ([`PrizeCodes::Fixed`]):
    /// a winner can pass it on, and checkout cannot tell one use from another, so the budget
    /// caps how often the prize is drawn, not how often it is used.
    pub fn budgets_on_shared_codes(&self) -> impl Iterator<Item = &PrizeConfig> {
        self.prizes
            .iter()
            .filter(|p| p.budget.is_some() && matches!(p.codes, PrizeCodes::Fixed(_)))
    }

    /// The URL printed in this campaign's QR code for `code`.
    pub fn url_for(&self, code: &str) -> String {
        let sep = if self.landing_url.contains('?') {
            '&'
        } else {
            '?'
        };
        format!("{}{sep}c={code}", self.landing_url)
    }
}

/// One prize of a campaign.
#[derive(Debug, Clone)]
pub struct PrizeConfig {
    /// Stable id, stored with each award.
    pub id: String,
    /// Coupon, gift or points.
    pub kind: PrizeKind,
    /// Its name.
    pub title: Localized,
    /// How to use it.
    pub how_to_use: Option<Localized>,
    /// Chance per redemption, in parts per million.
    pub chance_ppm: u32,
    /// Most awards; `None`: unlimited.
    pub budget: Option<u64>,
    /// Where its code comes from.
    pub codes: PrizeCodes,
    /// Points credited (points prizes).
    pub points: Option<u64>,
    /// Days the prize stays valid after it is won.
    pub valid_days: Option<u32>,
}

impl PrizeConfig {
    /// The odds the draw uses, given `awarded` so far and `free_codes` left in its pool.
    pub fn odds(&self, awarded: u64, free_codes: Option<u64>) -> PrizeOdds {
        let by_budget = self.budget.map(|b| b.saturating_sub(awarded));
        let remaining = match (by_budget, free_codes) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        PrizeOdds {
            chance_ppm: self.chance_ppm,
            remaining,
        }
    }
}

/// Where a prize's code comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrizeCodes {
    /// No code (points).
    None,
    /// The same code for every winner.
    Fixed(String),
    /// Single-use codes, handed out once each.
    Pool(Vec<String>),
}

/// The thanks-for-playing text.
#[derive(Debug, Clone)]
pub struct Thanks {
    /// The heading.
    pub title: Localized,
    /// The next step in words.
    pub how_to_use: Option<Localized>,
    /// Where the next step leads (e.g. the members' join page).
    pub next_url: Option<String>,
}

/// `[store.surprise]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSurprise {
    #[serde(default)]
    campaigns: Vec<RawCampaign>,
    #[serde(default)]
    limits: RedeemLimits,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCampaign {
    id: u16,
    title: Localized,
    key: Option<String>,
    key_env: Option<String>,
    starts: String,
    ends: String,
    landing_url: String,
    #[serde(default = "one")]
    per_device: u32,
    per_member: Option<u32>,
    #[serde(default)]
    prizes: Vec<RawPrize>,
    thanks: RawThanks,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrize {
    id: String,
    kind: PrizeKind,
    title: Localized,
    how_to_use: Option<Localized>,
    /// Percent, e.g. `1.5`.
    chance: f64,
    budget: Option<u64>,
    code: Option<String>,
    #[serde(default)]
    codes: Vec<String>,
    points: Option<u64>,
    valid_days: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThanks {
    title: Localized,
    how_to_use: Option<Localized>,
    next_url: Option<String>,
}

/// What is wrong with a store's surprise program.
#[derive(Debug, Clone, PartialEq)]
pub enum SurpriseConfigError {
    /// Two campaigns share a number.
    DuplicateCampaign(u16),
    /// A campaign's key is missing, given twice, unset in the environment or too short.
    Key(u16, String),
    /// `starts` or `ends` is not a local date-time, or ends before it starts.
    Window(u16, String),
    /// `landing_url` is not an http(s) URL.
    LandingUrl(u16),
    /// A limit of 0.
    ZeroLimit(u16),
    /// A prize is wrong.
    Prize(u16, String, String),
    /// The chances add up to more than 100%.
    OverOne(u16),
    /// `next_url` is not an http(s) URL.
    NextUrl(u16),
}

impl fmt::Display for SurpriseConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SurpriseConfigError as E;
        match self {
            E::DuplicateCampaign(c) => write!(f, "surprise campaign {c} is configured twice"),
            E::Key(c, why) => write!(f, "surprise campaign {c}: {why}"),
            E::Window(c, why) => write!(f, "surprise campaign {c}: {why}"),
            E::LandingUrl(c) => write!(
                f,
                "surprise campaign {c}: landing_url must start with https:// or http://"
            ),
            E::ZeroLimit(c) => write!(
                f,
                "surprise campaign {c}: per_device and per_member must be at least 1"
            ),
            E::Prize(c, p, why) => write!(f, "surprise campaign {c}, prize {p:?}: {why}"),
            E::OverOne(c) => write!(
                f,
                "surprise campaign {c}: the prizes' chances add up to more than 100%"
            ),
            E::NextUrl(c) => write!(
                f,
                "surprise campaign {c}: thanks.next_url must start with https:// or http://"
            ),
        }
    }
}

impl std::error::Error for SurpriseConfigError {}

/// Whether `url` is a link the widget may put in an `href` (the join link's rule) and absolute,
/// since it is printed in QR codes or opened from a page of another origin.
fn is_absolute_link(url: &str) -> bool {
    super::link::check_absolute(url).is_ok()
}

/// A percentage as parts per million, if it is between 0 and 100 with at most four decimals.
pub fn percent_to_ppm(percent: f64) -> Option<u32> {
    if !percent.is_finite() || !(0.0..=100.0).contains(&percent) {
        return None;
    }
    let scaled = percent * 10_000.0;
    let rounded = scaled.round();
    ((scaled - rounded).abs() < 1e-6).then_some(rounded as u32)
}

/// Checks `[store.surprise]`, reading campaign windows on the store's `clock` and `key_env`
/// values through `env`; `demo` is `[store.demo] mint_surprise_codes`.
pub(super) fn validate(
    raw: RawSurprise,
    clock: &StoreClock,
    demo: bool,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<SurpriseProgram, SurpriseConfigError> {
    let mut seen = HashSet::new();
    let mut campaigns = Vec::with_capacity(raw.campaigns.len());
    for c in raw.campaigns {
        if !seen.insert(c.id) {
            return Err(SurpriseConfigError::DuplicateCampaign(c.id));
        }
        campaigns.push(campaign(c, clock, env)?);
    }
    Ok(SurpriseProgram {
        campaigns,
        limits: raw.limits,
        mint_demo_codes: demo,
    })
}

fn campaign(
    c: RawCampaign,
    clock: &StoreClock,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<Campaign, SurpriseConfigError> {
    use SurpriseConfigError as E;
    let id = c.id;
    let key = match (c.key, c.key_env) {
        (Some(_), Some(_)) => return Err(E::Key(id, "give key or key_env, not both".into())),
        (None, None) => return Err(E::Key(id, "key (or key_env) is missing".into())),
        (Some(key), None) => key,
        (None, Some(var)) => env(&var)
            .ok_or_else(|| E::Key(id, format!("the environment variable {var} is not set")))?,
    };
    if key.len() < MIN_CAMPAIGN_KEY_BYTES {
        return Err(E::Key(
            id,
            format!(
                "the key has {} bytes, needs at least {MIN_CAMPAIGN_KEY_BYTES}",
                key.len()
            ),
        ));
    }
    let when = |name: &str, text: &str| {
        parse_local(text)
            .map(|t| clock.instant(t))
            .map_err(|e| E::Window(id, format!("{name}: {e}")))
    };
    let starts_at = when("starts", &c.starts)?;
    let ends_at = when("ends", &c.ends)?;
    if ends_at <= starts_at {
        return Err(E::Window(id, "ends must be after starts".into()));
    }
    if !is_absolute_link(&c.landing_url) {
        return Err(E::LandingUrl(id));
    }
    if c.per_device == 0 || c.per_member == Some(0) {
        return Err(E::ZeroLimit(id));
    }
    let mut ids = HashSet::new();
    let mut prizes = Vec::with_capacity(c.prizes.len());
    for p in c.prizes {
        let bad = |why: &str| E::Prize(id, p.id.clone(), why.to_owned());
        if p.id.is_empty() || p.id == "thanks" || !ids.insert(p.id.clone()) {
            return Err(bad("the id must be unique, not empty and not \"thanks\""));
        }
        let chance_ppm = percent_to_ppm(p.chance)
            .ok_or_else(|| bad("chance must be a percentage from 0 to 100, at most 4 decimals"))?;
        let codes = match (p.kind, p.code.clone(), p.codes.is_empty()) {
            (PrizeKind::Thanks, ..) => return Err(bad("kind thanks is the [thanks] table")),
            (PrizeKind::Points, None, true) => PrizeCodes::None,
            (PrizeKind::Points, ..) => return Err(bad("a points prize has no code")),
            (_, Some(_), false) => return Err(bad("give code or codes, not both")),
            (_, Some(code), true) if !code.trim().is_empty() => PrizeCodes::Fixed(code),
            (_, None, false) => {
                let unique: HashSet<_> = p.codes.iter().collect();
                if unique.len() != p.codes.len() || p.codes.iter().any(|c| c.trim().is_empty()) {
                    return Err(bad("codes must be distinct and not empty"));
                }
                PrizeCodes::Pool(p.codes.clone())
            }
            _ => return Err(bad("a coupon or gift needs a code or a codes pool")),
        };
        if p.kind == PrizeKind::Points && p.points.unwrap_or(0) == 0 {
            return Err(bad("a points prize needs points"));
        }
        prizes.push(PrizeConfig {
            id: p.id,
            kind: p.kind,
            title: p.title,
            how_to_use: p.how_to_use,
            chance_ppm,
            budget: p.budget,
            codes,
            points: p.points,
            valid_days: p.valid_days,
        });
    }
    let table: Vec<PrizeOdds> = prizes.iter().map(|p| p.odds(0, None)).collect();
    draw::check(&table).map_err(|_| E::OverOne(id))?;
    if c.thanks
        .next_url
        .as_deref()
        .is_some_and(|u| !is_absolute_link(u))
    {
        return Err(E::NextUrl(id));
    }
    Ok(Campaign {
        id,
        title: c.title,
        key: Secret(key.into_bytes()),
        starts_at,
        ends_at,
        landing_url: c.landing_url,
        per_device: c.per_device,
        per_member: c.per_member,
        prizes,
        thanks: Thanks {
            title: c.thanks.title,
            how_to_use: c.thanks.how_to_use,
            next_url: c.thanks.next_url,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::percent_to_ppm;

    #[test]
    fn percentages_become_exact_parts_per_million() {
        assert_eq!(percent_to_ppm(1.5), Some(15_000));
        assert_eq!(percent_to_ppm(0.1), Some(1_000));
        assert_eq!(percent_to_ppm(0.0001), Some(1));
        assert_eq!(percent_to_ppm(100.0), Some(1_000_000));
        assert_eq!(percent_to_ppm(0.00001), None);
        assert_eq!(percent_to_ppm(-1.0), None);
        assert_eq!(percent_to_ppm(100.5), None);
        assert_eq!(percent_to_ppm(f64::NAN), None);
    }
}
