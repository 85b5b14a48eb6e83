//! Every word of the member offers, in English and Simplified Chinese, and the small helpers
//! that put an offer's last day and countdowns into those words (days and moments come from
//! the shared [`crate::i18n::dates`]).
//!
//! `{name}`-style placeholders are filled with [`fill`]; a test checks both languages use the
//! same ones. Offer titles, descriptions, tier names and the join link's label arrive from the
//! endpoint already in the shopper's language.

use crate::i18n::dates::{self, DateStrings, two};
use crate::ui::dates::LocalTime;
use encore_core::locale::Locale;
use encore_core::offers::claims::ClaimRefusal;

/// One language's strings for the member offers.
#[derive(Debug, PartialEq, Eq)]
pub struct OffersStrings {
    /// While the offers load.
    pub loading: &'static str,
    /// The offers could not be loaded.
    pub load_failed: &'static str,
    /// The retry button.
    pub try_again: &'static str,
    /// A member's heading: `{tier}` is the tier's name ("Gold member").
    pub member_heading: &'static str,
    /// A member's heading when the store has no tiers.
    pub member_heading_plain: &'static str,
    /// A guest's heading.
    pub guest_heading: &'static str,
    /// A member with no offers at the moment.
    pub no_offers: &'static str,
    /// When an offer stops: `{date}` is its last day.
    pub until: &'static str,
    /// The claim button.
    pub claim: &'static str,
    /// The claim button while the claim is on its way.
    pub claiming: &'static str,
    /// An offer with nothing left.
    pub sold_out: &'static str,
    /// Before a claimed code.
    pub your_code: &'static str,
    /// Announced when a code arrives: `{code}`.
    pub code_announced: &'static str,
    /// The claim is queued but the endpoint has not answered (offline or slow).
    pub claim_saved: &'static str,
    /// Accepted without a code to show.
    pub claim_received: &'static str,
    /// The member token was not accepted.
    pub refused_token_invalid: &'static str,
    /// The member token expired (also the notice for an expired sign-in).
    pub token_expired: &'static str,
    /// The member is not in the offer's audience.
    pub refused_not_eligible: &'static str,
    /// Outside the offer's window.
    pub refused_not_open: &'static str,
    /// The member's claim limit is reached.
    pub refused_limit: &'static str,
    /// The last unit went while the claim was on its way.
    pub refused_sold_out: &'static str,
    /// Refused for a reason the widget does not know.
    pub refused_other: &'static str,
    /// The copy button.
    pub copy: &'static str,
    /// Announced after copying.
    pub copied: &'static str,
    /// Announced when copying failed.
    pub copy_failed: &'static str,
    /// Read before a locked offer's benefit.
    pub locked: &'static str,
    /// The drop opens at `{when}`.
    pub drop_opens: &'static str,
    /// The drop is open until `{when}`.
    pub drop_open_until: &'static str,
    /// The drop is over.
    pub drop_ended: &'static str,
    /// The member may buy before everyone else.
    pub drop_early: &'static str,
    /// Beside the opening time: `{time}` left.
    pub countdown: &'static str,
    /// Whole days of a countdown: `{n}`.
    pub days: &'static str,
    /// Hours and minutes of a countdown without seconds: `{h}`, `{m}`.
    pub hours_minutes: &'static str,
    /// Days and moments in the same language.
    pub dates: &'static DateStrings,
}

/// English.
pub const EN: OffersStrings = OffersStrings {
    loading: "Loading member offers…",
    load_failed: "Member offers could not be loaded right now.",
    try_again: "Try again",
    member_heading: "{tier} member",
    member_heading_plain: "Your member offers",
    guest_heading: "Members get more",
    no_offers: "No offers for you right now. Check back soon.",
    until: "Until {date}",
    claim: "Claim",
    claiming: "Claiming…",
    sold_out: "Sold out",
    your_code: "Your code",
    code_announced: "Your code is {code}",
    claim_saved: "Claim saved — your code appears when you're back online",
    claim_received: "Claimed. The store will send you your code.",
    refused_token_invalid: "We couldn't confirm your membership. Please sign in again.",
    token_expired: "Your sign-in has expired; reload the page.",
    refused_not_eligible: "This offer isn't available to you.",
    refused_not_open: "This offer isn't open right now.",
    refused_limit: "You've already claimed this offer as often as allowed.",
    refused_sold_out: "Sorry, this offer has just sold out.",
    refused_other: "Sorry, this offer couldn't be claimed. Please try again.",
    copy: "Copy code",
    copied: "Copied",
    copy_failed: "Couldn't copy. Please select the code and copy it.",
    locked: "Members only:",
    drop_opens: "Opens {when}",
    drop_open_until: "Open now, until {when}",
    drop_ended: "This drop has ended",
    drop_early: "Early access for you",
    countdown: "in {time}",
    days: "{n}d",
    hours_minutes: "{h} h {m} min",
    dates: &dates::EN,
};

/// Simplified Chinese.
pub const ZH_CN: OffersStrings = OffersStrings {
    loading: "正在加载会员优惠…",
    load_failed: "暂时无法加载会员优惠。",
    try_again: "重试",
    member_heading: "{tier}会员",
    member_heading_plain: "您的会员优惠",
    guest_heading: "会员专享更多优惠",
    no_offers: "暂时没有适合您的优惠，请稍后再来看看。",
    until: "截至 {date}",
    claim: "领取",
    claiming: "领取中…",
    sold_out: "已领完",
    your_code: "您的优惠码",
    code_announced: "您的优惠码是 {code}",
    claim_saved: "已保存领取请求，恢复联网后将显示您的优惠码",
    claim_received: "领取成功，店铺会将优惠码发送给您。",
    refused_token_invalid: "无法确认您的会员身份，请重新登录。",
    token_expired: "您的登录已过期，请刷新页面。",
    refused_not_eligible: "此优惠不适用于您。",
    refused_not_open: "此优惠当前不在活动时间内。",
    refused_limit: "您已达到此优惠的领取次数上限。",
    refused_sold_out: "抱歉，此优惠刚刚被领完。",
    refused_other: "抱歉，未能领取此优惠，请重试。",
    copy: "复制优惠码",
    copied: "已复制",
    copy_failed: "复制失败，请手动选择并复制优惠码。",
    locked: "会员专享：",
    drop_opens: "{when} 开放",
    drop_open_until: "正在进行，截至 {when}",
    drop_ended: "本期已结束",
    drop_early: "您可提前抢购",
    countdown: "还有 {time}",
    days: "{n}天",
    hours_minutes: "{h}小时{m}分钟",
    dates: &dates::ZH_CN,
};

/// The table for `locale`.
pub fn offers_strings(locale: Locale) -> &'static OffersStrings {
    match locale {
        Locale::En => &EN,
        Locale::ZhCn => &ZH_CN,
    }
}

pub use crate::i18n::fill;

impl OffersStrings {
    /// A member's heading: "Gold member", or the plain heading without a tier name.
    pub fn member_heading(&self, tier_name: Option<&str>) -> String {
        match tier_name.map(str::trim).filter(|t| !t.is_empty()) {
            Some(tier) => fill(self.member_heading, &[("tier", tier)]),
            None => self.member_heading_plain.to_owned(),
        }
    }

    /// "Until 30 Nov": the last day of an offer that stops at `last` (its last moment).
    pub fn until(&self, last: LocalTime, current_year: i32) -> String {
        fill(
            self.until,
            &[("date", &self.dates.date(last, current_year))],
        )
    }

    /// A countdown of `remaining_ms`: "1d 02:03:04", "02:03:04"; without seconds (the
    /// shopper asked for less motion) "1d 2 h 3 min", rounding the minutes up so that it
    /// never reads 0 before the moment.
    pub fn countdown(&self, remaining_ms: u64, with_seconds: bool) -> String {
        let (days, rest) = if with_seconds {
            let secs = remaining_ms.div_ceil(1000);
            let days = secs / 86_400;
            let rest = secs % 86_400;
            (
                days,
                format!(
                    "{}:{}:{}",
                    two(rest / 3600),
                    two(rest / 60 % 60),
                    two(rest % 60)
                ),
            )
        } else {
            let mins = remaining_ms.div_ceil(60_000);
            let days = mins / 1440;
            let rest = mins % 1440;
            let h = (rest / 60).to_string();
            let m = (rest % 60).to_string();
            (days, fill(self.hours_minutes, &[("h", &h), ("m", &m)]))
        };
        let time = if days > 0 {
            format!("{} {rest}", fill(self.days, &[("n", &days.to_string())]))
        } else {
            rest
        };
        fill(self.countdown, &[("time", &time)])
    }

    /// Why a claim was refused, in plain words.
    pub fn refusal(&self, refusal: Option<ClaimRefusal>) -> &'static str {
        match refusal {
            Some(ClaimRefusal::TokenInvalid) => self.refused_token_invalid,
            Some(ClaimRefusal::TokenExpired) => self.token_expired,
            Some(ClaimRefusal::NotEligible) => self.refused_not_eligible,
            Some(ClaimRefusal::NotOpen) => self.refused_not_open,
            Some(ClaimRefusal::LimitReached) => self.refused_limit,
            Some(ClaimRefusal::SoldOut) => self.refused_sold_out,
            None => self.refused_other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(s: &OffersStrings) -> Vec<&'static str> {
        let v = vec![
            s.loading,
            s.load_failed,
            s.try_again,
            s.member_heading,
            s.member_heading_plain,
            s.guest_heading,
            s.no_offers,
            s.until,
            s.claim,
            s.claiming,
            s.sold_out,
            s.your_code,
            s.code_announced,
            s.claim_saved,
            s.claim_received,
            s.refused_token_invalid,
            s.token_expired,
            s.refused_not_eligible,
            s.refused_not_open,
            s.refused_limit,
            s.refused_sold_out,
            s.refused_other,
            s.copy,
            s.copied,
            s.copy_failed,
            s.locked,
            s.drop_opens,
            s.drop_open_until,
            s.drop_ended,
            s.drop_early,
            s.countdown,
            s.days,
            s.hours_minutes,
        ];
        v
    }

    #[test]
    fn no_string_is_empty_and_languages_differ() {
        for (a, b) in fields(&EN).into_iter().zip(fields(&ZH_CN)) {
            assert!(!a.trim().is_empty() && !b.trim().is_empty());
            assert_ne!(a, b, "untranslated: {a}");
        }
        assert_eq!((EN.dates, ZH_CN.dates), (&dates::EN, &dates::ZH_CN));
    }

    fn placeholders(s: &str) -> Vec<&str> {
        let mut found: Vec<&str> = s
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn placeholders_match_across_languages() {
        for (a, b) in fields(&EN).into_iter().zip(fields(&ZH_CN)) {
            assert_eq!(placeholders(a), placeholders(b), "{a:?} vs {b:?}");
        }
    }

    fn at(year: i32, month: u8, day: u8, weekday: u8, hour: u8, minute: u8) -> LocalTime {
        LocalTime {
            year,
            month,
            day,
            weekday,
            hour,
            minute,
        }
    }

    #[test]
    fn dates_read_naturally_in_both_languages() {
        let last = at(2026, 11, 30, 1, 23, 59);
        assert_eq!(EN.until(last, 2026), "Until 30 Nov");
        assert_eq!(ZH_CN.until(last, 2026), "截至 11月30日");
        assert_eq!(EN.until(last, 2025), "Until 30 Nov 2026");
        assert_eq!(ZH_CN.until(last, 2025), "截至 2026年11月30日");
        let opens = at(2026, 12, 1, 2, 8, 0);
        assert_eq!(
            fill(
                EN.drop_opens,
                &[("when", &EN.dates.moment(opens, false, 2026))]
            ),
            "Opens Tuesday 08:00"
        );
    }

    #[test]
    fn countdowns_never_reach_zero_early() {
        assert_eq!(EN.countdown(3_723_000, true), "in 01:02:03");
        assert_eq!(EN.countdown(3_722_001, true), "in 01:02:03");
        assert_eq!(EN.countdown(86_400_000 + 5_000, true), "in 1d 00:00:05");
        assert_eq!(ZH_CN.countdown(2 * 86_400_000, true), "还有 2天 00:00:00");
        assert_eq!(EN.countdown(3_723_000, false), "in 1 h 3 min");
        assert_eq!(EN.countdown(1, false), "in 0 h 1 min");
        assert_eq!(
            ZH_CN.countdown(86_400_000 + 60_000, false),
            "还有 1天 0小时1分钟"
        );
    }

    #[test]
    fn every_refusal_has_its_own_words_and_tiers_fill_the_heading() {
        for s in [&EN, &ZH_CN] {
            let mut seen: Vec<&str> = ClaimRefusal::ALL
                .into_iter()
                .map(|r| s.refusal(Some(r)))
                .collect();
            seen.push(s.refusal(None));
            let count = seen.len();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), count);
        }
        assert_eq!(EN.member_heading(Some("Gold")), "Gold member");
        assert_eq!(ZH_CN.member_heading(Some("黄金")), "黄金会员");
        assert_eq!(EN.member_heading(Some("  ")), "Your member offers");
    }
}
