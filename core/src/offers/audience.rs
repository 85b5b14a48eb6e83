//! Who an offer is for: rules over the member's signed facts and the store's wall clock,
//! combined with `all` / `any` / `not`. Written in the store's config file, for example
//! `audience = { all = [{ orders = { min = 1, max = 1 } }, { days_since_last_order = { min = 31 } }] }`.

use super::calendar::{ClockTime, LocalNow, Weekday};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// An inclusive range; a missing end is open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    /// The smallest value that matches.
    #[serde(default)]
    pub min: Option<u32>,
    /// The largest value that matches.
    #[serde(default)]
    pub max: Option<u32>,
}

impl Bounds {
    fn contains(self, value: i64) -> bool {
        self.min.is_none_or(|min| value >= i64::from(min))
            && self.max.is_none_or(|max| value <= i64::from(max))
    }
}

/// New or returning buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Buyer {
    /// No order yet: the next one is the first.
    First,
    /// At least one order before.
    Repeat,
}

/// One targeting rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// Every rule matches (an empty list matches everyone).
    All(Vec<Rule>),
    /// At least one rule matches (an empty list matches no one).
    Any(Vec<Rule>),
    /// The rule does not match.
    Not(Box<Rule>),
    /// The member's tier is one of these.
    Tier(Vec<String>),
    /// Local days since the member's last order; members without one never match.
    DaysSinceLastOrder(Bounds),
    /// How many orders the member has placed.
    Orders(Bounds),
    /// First order or repeat buyer.
    Buyer(Buyer),
    /// The store's local time is in `[from, to)`; a range past midnight (22:00–02:00) wraps.
    TimeOfDay {
        /// Start, inclusive.
        from: ClockTime,
        /// End, exclusive.
        to: ClockTime,
    },
    /// The store's local weekday is one of these.
    Weekdays(Vec<Weekday>),
    /// The shopper's locale is one of these (`en`, `zh-CN`).
    Locale(Vec<String>),
}

/// What the rules may look at: the member's signed facts and the shopper's locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shopper<'a> {
    /// The signed tier.
    pub tier: Option<&'a str>,
    /// The signed order count.
    pub orders: u32,
    /// The signed day of the last order.
    pub last_order: Option<Date>,
    /// The locale the widget shows (`en`, `zh-CN`).
    pub locale: &'a str,
}

impl Rule {
    /// Whether `shopper` is in this audience at the store's local time `now`.
    pub fn matches(&self, shopper: &Shopper<'_>, now: &LocalNow) -> bool {
        match self {
            Rule::All(rules) => rules.iter().all(|r| r.matches(shopper, now)),
            Rule::Any(rules) => rules.iter().any(|r| r.matches(shopper, now)),
            Rule::Not(rule) => !rule.matches(shopper, now),
            Rule::Tier(tiers) => shopper.tier.is_some_and(|t| tiers.iter().any(|x| x == t)),
            Rule::DaysSinceLastOrder(bounds) => shopper.last_order.is_some_and(|day| {
                now.date
                    .since(day)
                    .is_ok_and(|span| bounds.contains(i64::from(span.get_days())))
            }),
            Rule::Orders(bounds) => bounds.contains(i64::from(shopper.orders)),
            Rule::Buyer(Buyer::First) => shopper.orders == 0,
            Rule::Buyer(Buyer::Repeat) => shopper.orders > 0,
            Rule::TimeOfDay { from, to } => {
                let (from, to, m) = (from.minutes(), to.minutes(), now.minute);
                if from <= to {
                    m >= from && m < to
                } else {
                    m >= from || m < to
                }
            }
            Rule::Weekdays(days) => days.contains(&now.weekday),
            Rule::Locale(locales) => locales
                .iter()
                .any(|l| l.eq_ignore_ascii_case(shopper.locale)),
        }
    }

    /// What is wrong with this rule as a store wrote it, for `check-config`.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_problems(&mut out);
        out
    }

    fn collect_problems(&self, out: &mut Vec<String>) {
        match self {
            Rule::All(rules) | Rule::Any(rules) => {
                rules.iter().for_each(|r| r.collect_problems(out));
            }
            Rule::Not(rule) => rule.collect_problems(out),
            Rule::Tier(list) if list.is_empty() => out.push("tier needs at least one tier".into()),
            Rule::Weekdays(list) if list.is_empty() => {
                out.push("weekdays needs at least one day".into())
            }
            Rule::Locale(list) if list.is_empty() => {
                out.push("locale needs at least one locale".into())
            }
            Rule::DaysSinceLastOrder(b) | Rule::Orders(b) if matches!((b.min, b.max), (Some(lo), Some(hi)) if lo > hi) => {
                out.push("a range has min greater than max".into())
            }
            Rule::TimeOfDay { from, to } if from == to => {
                out.push("time_of_day from and to are the same".into())
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
