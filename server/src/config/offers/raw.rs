//! The member-program keys of a `[[store]]` exactly as written; [`super::validate`] turns them
//! into a [`super::MemberProgram`].

use crate::config::demo::RawDemo;
use crate::config::text::RawText;
use encore_core::offers::audience::Rule;
use encore_core::offers::calendar::{ClockTime, Weekday};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The member-program keys of one `[[store]]`, as written.
#[derive(Debug, Default)]
pub(in crate::config) struct RawProgram {
    pub(in crate::config) time_zone: Option<String>,
    pub(in crate::config) tiers: Vec<RawTier>,
    pub(in crate::config) members: Option<RawMembers>,
    pub(in crate::config) offers: Vec<RawOffer>,
    pub(in crate::config) drop: Option<RawDrop>,
    pub(in crate::config) demo: RawDemo,
}

/// `[[store.tiers]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(in crate::config) struct RawTier {
    pub(in crate::config) id: String,
    pub(in crate::config) name: RawText,
}

/// `[store.members]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(in crate::config) struct RawMembers {
    pub(in crate::config) join_url: String,
    pub(in crate::config) join_label: RawText,
}

/// One `[[store.offers]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(in crate::config) struct RawOffer {
    pub(in crate::config) id: String,
    pub(in crate::config) title: RawText,
    pub(in crate::config) description: RawText,
    pub(in crate::config) teaser: Option<RawText>,
    pub(in crate::config) teaser_audience: Option<RawText>,
    pub(in crate::config) code: Option<String>,
    pub(in crate::config) codes: Option<Vec<String>>,
    pub(in crate::config) starts: Option<String>,
    pub(in crate::config) ends: Option<String>,
    pub(in crate::config) audience: Option<Rule>,
    pub(in crate::config) per_member: Option<u32>,
    pub(in crate::config) budget: Option<u32>,
}

/// `[store.drop]`: [`encore_core::offers::calendar::WeeklyDrop`]'s fields and a title.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(in crate::config) struct RawDrop {
    pub(in crate::config) title: RawText,
    pub(in crate::config) weekday: Weekday,
    pub(in crate::config) time: ClockTime,
    pub(in crate::config) lasts_hours: Option<u32>,
    #[serde(default)]
    pub(in crate::config) early_minutes: BTreeMap<String, u32>,
}
