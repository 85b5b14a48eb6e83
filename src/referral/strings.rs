//! Every word of the referral panel and the friend's welcome, in English and Simplified
//! Chinese. The give/get terms and the store's name arrive from the endpoint already in the
//! shopper's language; `{name}`-style placeholders are filled with `i18n::fill`, and a test
//! checks both languages use the same ones.

use crate::i18n::fill;
use encore_core::locale::Locale;
use encore_core::referral::link::Channel;
use encore_core::referral::page::{ReferralCounts, ReferralPage};

/// One language's strings for referral.
#[derive(Debug, PartialEq, Eq)]
pub struct ReferralStrings {
    /// While the link loads.
    pub loading: &'static str,
    /// The link could not be loaded.
    pub load_failed: &'static str,
    /// The retry button.
    pub try_again: &'static str,
    /// On `mode="referral"` when the page gave no usable token.
    pub signed_out: &'static str,
    /// The offer: `{friend}` and `{advocate}` are the store's terms.
    pub heading: &'static str,
    /// How it works, under the heading.
    pub terms: &'static str,
    /// The label of the link field.
    pub your_link: &'static str,
    /// The copy button.
    pub copy: &'static str,
    /// Announced after copying.
    pub copied: &'static str,
    /// Announced when copying failed.
    pub copy_failed: &'static str,
    /// The system share sheet's button.
    pub share: &'static str,
    /// Before the channel buttons.
    pub share_on: &'static str,
    /// Read after a channel's name: the link opens a new tab or app.
    pub opens_elsewhere: &'static str,
    /// The e-mail channel's name.
    pub email: &'static str,
    /// The text-message channel's name.
    pub sms: &'static str,
    /// The Weibo channel's name.
    pub weibo: &'static str,
    /// The QR code's caption.
    pub qr_caption: &'static str,
    /// The QR code's text alternative: `{link}`.
    pub qr_label: &'static str,
    /// The download button.
    pub qr_download: &'static str,
    /// The downloaded file's name, without `.svg`.
    pub qr_file: &'static str,
    /// Heading of the counts.
    pub results: &'static str,
    /// Visits through the link.
    pub landings: &'static str,
    /// Orders placed through the link.
    pub orders: &'static str,
    /// Rewards earned.
    pub rewards: &'static str,
    /// Orders the store is checking: `{n}`.
    pub pending: &'static str,
    /// The message shared with the link: `{store}`, `{friend}`.
    pub message: &'static str,
    /// The e-mail's subject: `{store}`.
    pub subject: &'static str,
    /// The friend's welcome: `{name}` gave `{friend}`.
    pub welcome: &'static str,
    /// The friend's welcome when the store signed no name: `{friend}`.
    pub welcome_anonymous: &'static str,
}

/// English.
pub static EN: ReferralStrings = ReferralStrings {
    loading: "Loading your referral link…",
    load_failed: "Your referral link could not be loaded.",
    try_again: "Try again",
    signed_out: "Sign in to get your personal referral link.",
    heading: "Give {friend}, get {advocate}",
    terms: "Friends who use your link get {friend}. When a friend places their first order, you get {advocate}.",
    your_link: "Your personal link",
    copy: "Copy link",
    copied: "Link copied",
    copy_failed: "Could not copy. Select the link and copy it yourself.",
    share: "Share…",
    share_on: "Share on",
    opens_elsewhere: "(opens in a new tab)",
    email: "E-mail",
    sms: "Text message",
    weibo: "Weibo",
    qr_caption: "Friends can scan this code with their phone camera.",
    qr_label: "QR code of your referral link {link}",
    qr_download: "Download QR code",
    qr_file: "referral-qr-code",
    results: "Your referrals so far",
    landings: "Visits",
    orders: "Orders",
    rewards: "Rewards earned",
    pending: "{n} being checked by the store",
    message: "Here is {friend} at {store}, from me:",
    subject: "A gift for you from {store}",
    welcome: "{name} gave you {friend}.",
    welcome_anonymous: "A friend gave you {friend}.",
};

/// Simplified Chinese.
pub static ZH_CN: ReferralStrings = ReferralStrings {
    loading: "正在加载你的推荐链接…",
    load_failed: "无法加载你的推荐链接。",
    try_again: "重试",
    signed_out: "登录后即可获得你的专属推荐链接。",
    heading: "送好友{friend}，你得{advocate}",
    terms: "好友通过你的链接可享{friend}。好友完成首单后，你将获得{advocate}。",
    your_link: "你的专属链接",
    copy: "复制链接",
    copied: "链接已复制",
    copy_failed: "复制失败，请手动选中链接复制。",
    share: "分享…",
    share_on: "分享到",
    opens_elsewhere: "（在新标签页中打开）",
    email: "邮件",
    sms: "短信",
    weibo: "微博",
    qr_caption: "好友用手机相机扫描此二维码即可打开。",
    qr_label: "你的推荐链接 {link} 的二维码",
    qr_download: "下载二维码",
    qr_file: "推荐二维码",
    results: "你的推荐成果",
    landings: "访问",
    orders: "订单",
    rewards: "已获奖励",
    pending: "{n} 笔正在由商店审核",
    message: "送你{store}的{friend}：",
    subject: "{store}送你一份礼物",
    welcome: "{name}送你{friend}。",
    welcome_anonymous: "好友送你{friend}。",
};

/// The table for `locale`.
pub fn referral_strings(locale: Locale) -> &'static ReferralStrings {
    match locale {
        Locale::En => &EN,
        Locale::ZhCn => &ZH_CN,
    }
}

impl ReferralStrings {
    /// "Give 15% off your first order, get $10 store credit".
    pub fn heading(&self, page: &ReferralPage) -> String {
        fill(self.heading, &terms(page))
    }

    /// How the two rewards are earned.
    pub fn terms(&self, page: &ReferralPage) -> String {
        fill(self.terms, &terms(page))
    }

    /// The message shared beside the link.
    pub fn message(&self, page: &ReferralPage) -> String {
        fill(
            self.message,
            &[("store", &page.store_name), ("friend", &page.friend_gets)],
        )
    }

    /// The subject of a shared e-mail.
    pub fn subject(&self, page: &ReferralPage) -> String {
        fill(self.subject, &[("store", &page.store_name)])
    }

    /// The QR code's text alternative.
    pub fn qr_label(&self, link: &str) -> String {
        fill(self.qr_label, &[("link", link)])
    }

    /// The counts as (label, number) in the order shown.
    pub fn counts(&self, counts: &ReferralCounts) -> [(&'static str, u64); 3] {
        [
            (self.landings, counts.landings),
            (self.orders, counts.orders),
            (self.rewards, counts.rewards),
        ]
    }

    /// The line about orders waiting for review; `None` when there are none.
    pub fn pending(&self, counts: &ReferralCounts) -> Option<String> {
        (counts.pending > 0).then(|| fill(self.pending, &[("n", &counts.pending.to_string())]))
    }

    /// A channel's name on its button.
    pub fn channel(&self, channel: Channel) -> &'static str {
        match channel {
            Channel::WhatsApp => "WhatsApp",
            Channel::X => "X",
            Channel::Facebook => "Facebook",
            Channel::Email => self.email,
            Channel::Sms => self.sms,
            Channel::Line => "LINE",
            Channel::Weibo => self.weibo,
        }
    }

    /// The friend's welcome line.
    pub fn welcome(&self, name: Option<&str>, friend_gets: &str) -> String {
        match name.map(str::trim).filter(|n| !n.is_empty()) {
            Some(name) => fill(self.welcome, &[("name", name), ("friend", friend_gets)]),
            None => fill(self.welcome_anonymous, &[("friend", friend_gets)]),
        }
    }
}

fn terms(page: &ReferralPage) -> [(&'static str, &str); 2] {
    [
        ("friend", page.friend_gets.as_str()),
        ("advocate", page.advocate_gets.as_str()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(text: &str) -> BTreeSet<String> {
        text.split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_owned()))
            .collect()
    }

    fn fields(s: &ReferralStrings) -> Vec<&'static str> {
        vec![
            s.loading,
            s.load_failed,
            s.try_again,
            s.signed_out,
            s.heading,
            s.terms,
            s.your_link,
            s.copy,
            s.copied,
            s.copy_failed,
            s.share,
            s.share_on,
            s.opens_elsewhere,
            s.email,
            s.sms,
            s.weibo,
            s.qr_caption,
            s.qr_label,
            s.qr_download,
            s.qr_file,
            s.results,
            s.landings,
            s.orders,
            s.rewards,
            s.pending,
            s.message,
            s.subject,
            s.welcome,
            s.welcome_anonymous,
        ]
    }

    #[test]
    fn both_languages_fill_the_same_placeholders() {
        for (en, zh) in fields(&EN).into_iter().zip(fields(&ZH_CN)) {
            assert_eq!(placeholders(en), placeholders(zh), "{en} / {zh}");
            assert!(!zh.is_empty());
        }
    }

    fn page() -> ReferralPage {
        ReferralPage {
            code: "AB12CD34".into(),
            link: "https://shop.example/?ref=AB12CD34".into(),
            store_name: "Lumen Tea Co.".into(),
            friend_gets: "15% off your first order".into(),
            advocate_gets: "$10 store credit".into(),
            counts: ReferralCounts {
                landings: 3,
                orders: 1,
                rewards: 1,
                pending: 0,
            },
        }
    }

    #[test]
    fn the_offer_reads_naturally_in_both_languages() {
        assert_eq!(
            EN.heading(&page()),
            "Give 15% off your first order, get $10 store credit"
        );
        assert_eq!(
            EN.message(&page()),
            "Here is 15% off your first order at Lumen Tea Co., from me:"
        );
        let mut zh = page();
        zh.friend_gets = "首单 85 折".into();
        zh.advocate_gets = "10 美元购物金".into();
        assert_eq!(ZH_CN.heading(&zh), "送好友首单 85 折，你得10 美元购物金");
    }

    #[test]
    fn pending_reviews_are_mentioned_only_when_there_are_some() {
        let mut counts = page().counts;
        assert_eq!(EN.pending(&counts), None);
        counts.pending = 2;
        assert_eq!(
            EN.pending(&counts).as_deref(),
            Some("2 being checked by the store")
        );
    }

    #[test]
    fn a_welcome_without_a_name_speaks_of_a_friend() {
        assert_eq!(
            EN.welcome(Some("Mei"), "15% off your first order"),
            "Mei gave you 15% off your first order."
        );
        assert_eq!(
            EN.welcome(Some("  "), "15% off"),
            "A friend gave you 15% off."
        );
        assert_eq!(ZH_CN.welcome(None, "首单 85 折"), "好友送你首单 85 折。");
    }
}
