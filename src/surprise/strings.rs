//! Every word of the QR landing page, in English and Simplified Chinese. Dates use the member
//! offers' date words (`offers::strings`). `{name}` placeholders are filled with [`fill`]; a
//! test checks both languages use the same ones. Prize titles and how-to-use texts arrive from
//! the endpoint already in the shopper's language.

pub use crate::i18n::fill;
use encore_core::locale::Locale;
use encore_core::surprise::redeem::PrizeKind;

/// One language's strings for the QR landing page.
#[derive(Debug, PartialEq, Eq)]
pub struct SurpriseStrings {
    /// While the code is being opened.
    pub redeeming: &'static str,
    /// After a few seconds without an answer.
    pub slow: &'static str,
    /// The browser is offline.
    pub offline: &'static str,
    /// The endpoint's answer could not be used.
    pub failed: &'static str,
    /// The retry button.
    pub try_again: &'static str,
    /// Above the scratch card or the box.
    pub reveal_intro: &'static str,
    /// Written on the scratch card.
    pub scratch_hint: &'static str,
    /// Written on the box.
    pub box_hint: &'static str,
    /// The reveal button for keyboard and screen readers.
    pub reveal: &'static str,
    /// Heading over a win: `{title}`.
    pub won: &'static str,
    /// Heading over thanks-for-playing.
    pub thanks_heading: &'static str,
    /// The warm message of thanks-for-playing.
    pub thanks_body: &'static str,
    /// The next-step link of thanks-for-playing.
    pub next_step: &'static str,
    /// Announced after the reveal: `{title}`.
    pub announce_win: &'static str,
    /// This browser opened the code before.
    pub revisit: &'static str,
    /// Points credited: `{points}`.
    pub points: &'static str,
    /// What each kind of prize is, in `PrizeKind` order: coupon, gift, points, thanks.
    pub kinds: [&'static str; 4],
    /// Before the prize code.
    pub your_code: &'static str,
    /// The copy button.
    pub copy: &'static str,
    /// After copying.
    pub copied: &'static str,
    /// Copying failed.
    pub copy_failed: &'static str,
    /// The QR code's text alternative: `{code}`.
    pub qr_label: &'static str,
    /// Under the QR code.
    pub qr_hint: &'static str,
    /// The prize's last day: `{date}`.
    pub expires: &'static str,
    /// Someone redeemed the code before, prize not shown: `{date}`.
    pub already_redeemed: &'static str,
    /// This browser redeemed it before, prize shown: `{date}`.
    pub already_yours: &'static str,
    /// Not a code of this store.
    pub invalid: &'static str,
    /// The campaign ended: `{date}`.
    pub expired: &'static str,
    /// The campaign starts later: `{date}`.
    pub not_started: &'static str,
    /// The device or member limit is reached.
    pub limit_reached: &'static str,
    /// Too many attempts, try again at `{time}`.
    pub rate_limited: &'static str,
    /// Too many attempts, no time given.
    pub rate_limited_later: &'static str,
    /// The scanner button.
    pub scan: &'static str,
    /// While the camera looks for a code.
    pub scanning: &'static str,
    /// The button stopping the camera.
    pub stop_scan: &'static str,
    /// The camera was refused.
    pub camera_denied: &'static str,
    /// No camera or no QR reading in this browser.
    pub camera_unavailable: &'static str,
    /// The scanned QR code holds no code of the printed format.
    pub scan_not_code: &'static str,
    /// The manual entry's label.
    pub code_label: &'static str,
    /// The format hint: `{n}` symbols.
    pub code_hint: &'static str,
    /// The submit button.
    pub submit: &'static str,
    /// The typed code is not in the printed format.
    pub malformed: &'static str,
    /// The button offering another code.
    pub another: &'static str,
    /// The odds button.
    pub odds_button: &'static str,
    /// The odds heading.
    pub odds_heading: &'static str,
    /// Under the heading: `{start}`, `{end}`, `{per_device}`.
    pub odds_intro: &'static str,
    /// Column headers: prize, chance, remaining.
    pub odds_columns: [&'static str; 3],
    /// An unlimited prize's remaining.
    pub unlimited: &'static str,
    /// `{left}` of `{budget}`.
    pub remaining: &'static str,
    /// While the odds load.
    pub odds_loading: &'static str,
    /// The odds could not be loaded.
    pub odds_failed: &'static str,
}

/// English.
pub const EN: SurpriseStrings = SurpriseStrings {
    redeeming: "Opening your code…",
    slow: "Still working — the network is slow. Please keep this page open.",
    offline: "You're offline. Your code is saved and will open when you're back online.",
    failed: "Sorry, your code couldn't be opened right now.",
    try_again: "Try again",
    reveal_intro: "Something is waiting for you.",
    scratch_hint: "Scratch here",
    box_hint: "Tap to open",
    reveal: "Reveal your prize",
    won: "You won: {title}",
    thanks_heading: "Thanks for playing!",
    thanks_body: "No prize this time, but we're glad you're here. There's more to discover.",
    next_step: "See what's next",
    announce_win: "Your prize: {title}",
    revisit: "You already opened this code. Here is your prize again.",
    points: "{points} points added to your account",
    kinds: ["Discount", "Free gift", "Points", "Thanks"],
    your_code: "Your code",
    copy: "Copy code",
    copied: "Copied",
    copy_failed: "Couldn't copy — select the code instead",
    qr_label: "QR code of your code {code}",
    qr_hint: "Show this at the till to use it in store.",
    expires: "Use it by {date}",
    already_redeemed: "This code has already been redeemed ({date}). Each code can be opened once.",
    already_yours: "You already opened this code on {date}.",
    invalid: "This code isn't valid. Please check it and try again.",
    expired: "This promotion ended on {date}. Thank you for your interest!",
    not_started: "This promotion starts on {date}. Come back then!",
    limit_reached: "You've opened as many codes of this promotion as allowed. Thank you for playing!",
    rate_limited: "Too many attempts. Please try again at {time}.",
    rate_limited_later: "Too many attempts. Please try again later.",
    scan: "Scan the code",
    scanning: "Point your camera at the QR code on your package.",
    stop_scan: "Stop scanning",
    camera_denied: "The camera wasn't allowed. You can type the code instead.",
    camera_unavailable: "This browser can't scan codes. You can type the code instead.",
    scan_not_code: "That QR code isn't one of our codes. Try again or type the code.",
    code_label: "Code from your package",
    code_hint: "{n} letters and digits, as printed (dashes optional).",
    submit: "Open code",
    malformed: "That doesn't look like one of our codes. Please check the letters and digits.",
    another: "Enter another code",
    odds_button: "How winners are chosen",
    odds_heading: "How winners are chosen",
    odds_intro: "Each code has the same chances, drawn by the store's server when it is first opened. The promotion runs from {start} to {end}; one device may open {per_device} codes.",
    odds_columns: ["Prize", "Chance", "Remaining"],
    unlimited: "Unlimited",
    remaining: "{left} of {budget}",
    odds_loading: "Loading the odds…",
    odds_failed: "The odds couldn't be loaded right now.",
};

/// Simplified Chinese.
pub const ZH_CN: SurpriseStrings = SurpriseStrings {
    redeeming: "正在打开您的兑换码…",
    slow: "仍在处理中——网络较慢，请保持此页面打开。",
    offline: "您目前处于离线状态。您的兑换码已保存，恢复网络后将自动打开。",
    failed: "抱歉，暂时无法打开您的兑换码。",
    try_again: "重试",
    reveal_intro: "有一份惊喜在等着您。",
    scratch_hint: "刮开这里",
    box_hint: "点击打开",
    reveal: "揭晓奖品",
    won: "恭喜获得：{title}",
    thanks_heading: "感谢参与！",
    thanks_body: "这次没有中奖，但很高兴您来参与。还有更多精彩等您发现。",
    next_step: "看看接下来",
    announce_win: "您的奖品：{title}",
    revisit: "您已打开过此兑换码，这是您的奖品。",
    points: "已向您的账户添加 {points} 积分",
    kinds: ["折扣", "赠品", "积分", "感谢参与"],
    your_code: "您的券码",
    copy: "复制券码",
    copied: "已复制",
    copy_failed: "无法复制——请手动选择券码",
    qr_label: "券码 {code} 的二维码",
    qr_hint: "在门店结账时出示即可使用。",
    expires: "请在 {date} 前使用",
    already_redeemed: "此码已被兑换（{date}）。每个兑换码只能打开一次。",
    already_yours: "您已于 {date} 打开过此兑换码。",
    invalid: "此兑换码无效，请检查后重试。",
    expired: "本活动已于 {date} 结束，感谢您的关注！",
    not_started: "本活动将于 {date} 开始，届时欢迎再来！",
    limit_reached: "您已达到本活动可打开的兑换码数量上限，感谢参与！",
    rate_limited: "尝试次数过多，请于 {time} 后重试。",
    rate_limited_later: "尝试次数过多，请稍后再试。",
    scan: "扫描兑换码",
    scanning: "请将摄像头对准包装上的二维码。",
    stop_scan: "停止扫描",
    camera_denied: "未获得摄像头权限。您可以手动输入兑换码。",
    camera_unavailable: "此浏览器无法扫码。您可以手动输入兑换码。",
    scan_not_code: "这不是我们的兑换码二维码。请重试或手动输入。",
    code_label: "包装上的兑换码",
    code_hint: "共 {n} 位字母和数字，按印刷内容输入（可省略短横线）。",
    submit: "打开兑换码",
    malformed: "这看起来不是我们的兑换码，请检查字母和数字。",
    another: "输入其他兑换码",
    odds_button: "中奖规则",
    odds_heading: "中奖规则",
    odds_intro: "每个兑换码的中奖机会相同，在首次打开时由商店服务器抽取。活动时间为 {start} 至 {end}；每台设备最多可打开 {per_device} 个兑换码。",
    odds_columns: ["奖品", "中奖概率", "剩余"],
    unlimited: "不限",
    remaining: "剩余 {left} / 共 {budget}",
    odds_loading: "正在加载中奖规则…",
    odds_failed: "暂时无法加载中奖规则。",
};

/// The table for `locale`.
pub fn surprise_strings(locale: Locale) -> &'static SurpriseStrings {
    match locale {
        Locale::En => &EN,
        Locale::ZhCn => &ZH_CN,
    }
}

impl SurpriseStrings {
    /// What a kind of prize is called.
    pub fn kind(&self, kind: PrizeKind) -> &'static str {
        let i = match kind {
            PrizeKind::Coupon => 0,
            PrizeKind::Gift => 1,
            PrizeKind::Points => 2,
            PrizeKind::Thanks => 3,
        };
        self.kinds[i]
    }

    /// A chance in parts per million as a percentage: "12.5%", "0.01%".
    pub fn percent(&self, chance_ppm: u32) -> String {
        format!(
            "{}%",
            encore_core::surprise::redeem::percent_text(chance_ppm)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(s: &SurpriseStrings) -> Vec<&'static str> {
        let mut v = vec![
            s.redeeming,
            s.slow,
            s.offline,
            s.failed,
            s.try_again,
            s.reveal_intro,
            s.scratch_hint,
            s.box_hint,
            s.reveal,
            s.won,
            s.thanks_heading,
            s.thanks_body,
            s.next_step,
            s.announce_win,
            s.revisit,
            s.points,
            s.your_code,
            s.copy,
            s.copied,
            s.copy_failed,
            s.qr_label,
            s.qr_hint,
            s.expires,
            s.already_redeemed,
            s.already_yours,
            s.invalid,
            s.expired,
            s.not_started,
            s.limit_reached,
            s.rate_limited,
            s.rate_limited_later,
            s.scan,
            s.scanning,
            s.stop_scan,
            s.camera_denied,
            s.camera_unavailable,
            s.scan_not_code,
            s.code_label,
            s.code_hint,
            s.submit,
            s.malformed,
            s.another,
            s.odds_button,
            s.odds_heading,
            s.odds_intro,
            s.unlimited,
            s.remaining,
            s.odds_loading,
            s.odds_failed,
        ];
        v.extend(s.kinds);
        v.extend(s.odds_columns);
        v
    }

    #[test]
    fn both_languages_say_everything_with_the_same_placeholders() {
        let (en, zh) = (fields(&EN), fields(&ZH_CN));
        assert_eq!(en.len(), zh.len());
        for (a, b) in en.into_iter().zip(zh) {
            assert!(!a.trim().is_empty() && !b.trim().is_empty());
            assert_ne!(a, b, "untranslated: {a}");
            for p in [
                "{title}",
                "{points}",
                "{code}",
                "{date}",
                "{time}",
                "{n}",
                "{start}",
                "{end}",
                "{per_device}",
                "{left}",
                "{budget}",
            ] {
                assert_eq!(a.contains(p), b.contains(p), "{p} in {a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn chances_read_as_short_percentages() {
        assert_eq!(EN.percent(125_000), "12.5%");
        assert_eq!(EN.percent(100), "0.01%");
        assert_eq!(EN.percent(1_000_000), "100%");
        assert_eq!(EN.percent(0), "0%");
        assert_eq!(EN.kind(PrizeKind::Thanks), "Thanks");
    }
}
