//! Every string of the review form and the review request, in English and Simplified Chinese.
//!
//! `{name}`-style placeholders are filled with [`fill`]; a test checks both languages use the
//! same ones.

use encore_core::locale::Locale;

/// One language's strings for the review form and the review request.
#[derive(Debug, PartialEq, Eq)]
pub struct FormStrings {
    /// Heading of the form: `{product}`.
    pub form_heading: &'static str,
    /// Marks a required field.
    pub required: &'static str,
    /// Marks an optional field.
    pub optional: &'static str,
    /// Legend of the star rating.
    pub rating_legend: &'static str,
    /// Label of the first star.
    pub star_one: &'static str,
    /// Label of the other stars: `{n}`.
    pub star_many: &'static str,
    /// Label of the title field.
    pub title_label: &'static str,
    /// Label of the review text.
    pub body_label: &'static str,
    /// Label of the display name.
    pub name_label: &'static str,
    /// Counter: `{n}` more characters needed.
    pub counter_needed: &'static str,
    /// Counter: the minimum is reached.
    pub counter_enough: &'static str,
    /// Counter: `{n}` characters written.
    pub counter_count: &'static str,
    /// Counter: `{n}` characters left before the maximum.
    pub counter_left: &'static str,
    /// Counter: `{n}` characters over the maximum.
    pub counter_over: &'static str,
    /// The button that opens the file picker.
    pub photos_add: &'static str,
    /// Under the photo button: `{max}` photos at most.
    pub photos_hint: &'static str,
    /// A photo being resized.
    pub photo_preparing: &'static str,
    /// A photo ready to go: `{size}` such as "312 KB".
    pub photo_ready: &'static str,
    /// A photo the browser cannot decode (often HEIC outside Safari).
    pub photo_unsupported: &'static str,
    /// A photo that could not be prepared for another reason.
    pub photo_failed: &'static str,
    /// More photos chosen than allowed: `{max}`.
    pub photos_too_many: &'static str,
    /// Remove button of photo `{n}`.
    pub photo_remove: &'static str,
    /// Alternative text of thumbnail `{n}`.
    pub photo_alt: &'static str,
    /// Label of the honeypot (read by bots only).
    pub honeypot_label: &'static str,
    /// Heading of the error summary.
    pub errors_title: &'static str,
    /// No rating chosen.
    pub err_rating: &'static str,
    /// Title too long: `{max}`.
    pub err_title_long: &'static str,
    /// Review too short: `{min}`.
    pub err_body_short: &'static str,
    /// Review too long: `{max}`.
    pub err_body_long: &'static str,
    /// No name.
    pub err_name_missing: &'static str,
    /// Name too long: `{max}`.
    pub err_name_long: &'static str,
    /// A field holds control characters.
    pub err_control: &'static str,
    /// An answer that is not one of the options.
    pub err_answer: &'static str,
    /// Too many photos: `{max}`.
    pub err_photos: &'static str,
    /// Photos still being prepared.
    pub err_photos_pending: &'static str,
    /// The submit button.
    pub submit: &'static str,
    /// The submit button while the review is being saved.
    pub submitting: &'static str,
    /// Closes the form on the product page.
    pub cancel: &'static str,
    /// Shown while waiting for the endpoint's answer.
    pub sending: &'static str,
    /// The endpoint accepted the review.
    pub thanks: &'static str,
    /// No answer yet (offline or slow).
    pub saved_offline: &'static str,
    /// Refused by the store's spam rules.
    pub not_accepted: &'static str,
    /// This order item was reviewed before.
    pub already_reviewed: &'static str,
    /// Refused for another reason.
    pub rejected: &'static str,
    /// Before the reward code.
    pub reward_intro: &'static str,
    /// The copy button.
    pub copy: &'static str,
    /// Announced after copying.
    pub copied: &'static str,
    /// Announced when copying failed.
    pub copy_failed: &'static str,
    /// Closes the form after it is done.
    pub close: &'static str,
    /// While the order loads.
    pub request_loading: &'static str,
    /// The order could not be loaded.
    pub request_failed: &'static str,
    /// Retry button.
    pub retry: &'static str,
    /// The order token was missing or invalid.
    pub unverified_notice: &'static str,
    /// The order token has expired.
    pub expired_notice: &'static str,
    /// Accessible name of the list of items.
    pub steps_label: &'static str,
    /// Item `{n}` of `{total}`.
    pub step_of: &'static str,
    /// An item reviewed and acknowledged.
    pub step_reviewed: &'static str,
    /// An item reviewed in this browser, not yet acknowledged.
    pub step_saved: &'static str,
    /// Every item is done.
    pub all_done: &'static str,
    /// The order has nothing to review.
    pub no_items: &'static str,
}

/// English.
pub const EN: FormStrings = FormStrings {
    form_heading: "Review {product}",
    required: "(required)",
    optional: "(optional)",
    rating_legend: "Your rating",
    star_one: "1 star",
    star_many: "{n} stars",
    title_label: "Title",
    body_label: "Your review",
    name_label: "Name shown with your review",
    counter_needed: "{n} more characters needed",
    counter_enough: "Minimum length reached",
    counter_count: "{n} characters",
    counter_left: "{n} characters left",
    counter_over: "{n} characters too many",
    photos_add: "Add photos",
    photos_hint: "Up to {max} photos: JPEG, PNG, WebP or HEIC.",
    photo_preparing: "Preparing…",
    photo_ready: "Ready · {size}",
    photo_unsupported: "This photo's format isn't supported by your browser",
    photo_failed: "This photo couldn't be prepared. Please try another one.",
    photos_too_many: "You can add up to {max} photos.",
    photo_remove: "Remove photo {n}",
    photo_alt: "Photo {n}",
    honeypot_label: "Leave this field empty",
    errors_title: "Please check the following:",
    err_rating: "Choose a rating from 1 to 5 stars.",
    err_title_long: "Keep the title to {max} characters.",
    err_body_short: "Write at least {min} characters.",
    err_body_long: "Keep the review to {max} characters.",
    err_name_missing: "Enter the name to show with your review.",
    err_name_long: "Keep the name to {max} characters.",
    err_control: "Remove the unusual characters from this field.",
    err_answer: "Choose one of the options.",
    err_photos: "Add at most {max} photos.",
    err_photos_pending: "Please wait until your photos are ready.",
    submit: "Submit review",
    submitting: "Saving…",
    cancel: "Cancel",
    sending: "Sending your review…",
    thanks: "Thank you! Your review was received.",
    saved_offline: "Saved. It will be sent when you're back online.",
    not_accepted: "Sorry, this review could not be accepted.",
    already_reviewed: "You've already reviewed this item.",
    rejected: "Sorry, this review could not be sent.",
    reward_intro: "Your reward:",
    copy: "Copy code",
    copied: "Copied",
    copy_failed: "Couldn't copy. Please select the code and copy it.",
    close: "Close",
    request_loading: "Loading your order…",
    request_failed: "We couldn't load this order right now.",
    retry: "Try again",
    unverified_notice: "We couldn't confirm this order, so your review won't carry the verified-buyer badge. You can still share it.",
    expired_notice: "This review link has expired, so your review won't carry the verified-buyer badge. You can still share it.",
    steps_label: "Items in your order",
    step_of: "{n} of {total}",
    step_reviewed: "Reviewed ✓",
    step_saved: "Saved",
    all_done: "Thank you! You've reviewed every item in this order.",
    no_items: "There is nothing to review in this order.",
};

/// Simplified Chinese.
pub const ZH_CN: FormStrings = FormStrings {
    form_heading: "评价 {product}",
    required: "（必填）",
    optional: "（选填）",
    rating_legend: "您的评分",
    star_one: "1 星",
    star_many: "{n} 星",
    title_label: "标题",
    body_label: "您的评价",
    name_label: "评价显示的昵称",
    counter_needed: "还需 {n} 个字",
    counter_enough: "已达到最少字数",
    counter_count: "{n} 个字",
    counter_left: "还可输入 {n} 个字",
    counter_over: "超出 {n} 个字",
    photos_add: "添加照片",
    photos_hint: "最多 {max} 张：JPEG、PNG、WebP 或 HEIC。",
    photo_preparing: "处理中…",
    photo_ready: "就绪 · {size}",
    photo_unsupported: "您的浏览器不支持此照片格式",
    photo_failed: "此照片无法处理，请换一张。",
    photos_too_many: "最多可添加 {max} 张照片。",
    photo_remove: "删除第 {n} 张照片",
    photo_alt: "第 {n} 张照片",
    honeypot_label: "请勿填写此项",
    errors_title: "请检查以下内容：",
    err_rating: "请选择 1 至 5 星的评分。",
    err_title_long: "标题请勿超过 {max} 个字。",
    err_body_short: "评价至少需要 {min} 个字。",
    err_body_long: "评价请勿超过 {max} 个字。",
    err_name_missing: "请填写评价显示的昵称。",
    err_name_long: "昵称请勿超过 {max} 个字。",
    err_control: "请删除此项中的特殊字符。",
    err_answer: "请从选项中选择一项。",
    err_photos: "最多添加 {max} 张照片。",
    err_photos_pending: "请等待照片处理完成。",
    submit: "提交评价",
    submitting: "保存中…",
    cancel: "取消",
    sending: "正在发送您的评价…",
    thanks: "谢谢！我们已收到您的评价。",
    saved_offline: "已保存，联网后将自动发送。",
    not_accepted: "抱歉，此评价未能被接受。",
    already_reviewed: "您已评价过此商品。",
    rejected: "抱歉，此评价未能发送。",
    reward_intro: "您的奖励：",
    copy: "复制优惠码",
    copied: "已复制",
    copy_failed: "复制失败，请手动选择并复制优惠码。",
    close: "关闭",
    request_loading: "正在加载您的订单…",
    request_failed: "暂时无法加载此订单。",
    retry: "重试",
    unverified_notice: "我们无法确认此订单，因此您的评价不会带有“已验证买家”标识。您仍然可以分享评价。",
    expired_notice: "此评价链接已过期，因此您的评价不会带有“已验证买家”标识。您仍然可以分享评价。",
    steps_label: "订单中的商品",
    step_of: "第 {n} 件，共 {total} 件",
    step_reviewed: "已评价 ✓",
    step_saved: "已保存",
    all_done: "谢谢！您已评价此订单中的所有商品。",
    no_items: "此订单没有可评价的商品。",
};

/// The table for `locale`.
pub fn form_strings(locale: Locale) -> &'static FormStrings {
    match locale {
        Locale::En => &EN,
        Locale::ZhCn => &ZH_CN,
    }
}

pub use crate::i18n::fill;

impl FormStrings {
    /// The accessible label of star `n` ("1 star", "4 stars").
    pub fn star_label(&self, n: u8) -> String {
        if n == 1 {
            self.star_one.to_owned()
        } else {
            fill(self.star_many, &[("n", &n.to_string())])
        }
    }

    /// A photo size for people: "312 KB", or "1.2 MB".
    pub fn size(bytes: u64) -> String {
        const MIB: u64 = 1024 * 1024;
        if bytes >= MIB {
            // Tenths by integer arithmetic: float formatting alone costs the module ~14 KB.
            let tenths = (bytes.saturating_mul(10) + MIB / 2) / MIB;
            format!("{}.{} MB", tenths / 10, tenths % 10)
        } else {
            format!("{} KB", bytes.div_ceil(1024))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(s: &FormStrings) -> Vec<&'static str> {
        vec![
            s.form_heading,
            s.required,
            s.optional,
            s.rating_legend,
            s.star_one,
            s.star_many,
            s.title_label,
            s.body_label,
            s.name_label,
            s.counter_needed,
            s.counter_enough,
            s.counter_count,
            s.counter_left,
            s.counter_over,
            s.photos_add,
            s.photos_hint,
            s.photo_preparing,
            s.photo_ready,
            s.photo_unsupported,
            s.photo_failed,
            s.photos_too_many,
            s.photo_remove,
            s.photo_alt,
            s.honeypot_label,
            s.errors_title,
            s.err_rating,
            s.err_title_long,
            s.err_body_short,
            s.err_body_long,
            s.err_name_missing,
            s.err_name_long,
            s.err_control,
            s.err_answer,
            s.err_photos,
            s.err_photos_pending,
            s.submit,
            s.submitting,
            s.cancel,
            s.sending,
            s.thanks,
            s.saved_offline,
            s.not_accepted,
            s.already_reviewed,
            s.rejected,
            s.reward_intro,
            s.copy,
            s.copied,
            s.copy_failed,
            s.close,
            s.request_loading,
            s.request_failed,
            s.retry,
            s.unverified_notice,
            s.expired_notice,
            s.steps_label,
            s.step_of,
            s.step_reviewed,
            s.step_saved,
            s.all_done,
            s.no_items,
        ]
    }

    #[test]
    fn no_string_is_empty_and_languages_differ() {
        for (a, b) in fields(&EN).into_iter().zip(fields(&ZH_CN)) {
            assert!(!a.trim().is_empty() && !b.trim().is_empty());
            assert_ne!(a, b, "untranslated: {a}");
        }
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

    #[test]
    fn stars_and_sizes_read_naturally() {
        assert_eq!(EN.star_label(1), "1 star");
        assert_eq!(EN.star_label(5), "5 stars");
        assert_eq!(ZH_CN.star_label(3), "3 星");
        assert_eq!(FormStrings::size(319_000), "312 KB");
        assert_eq!(FormStrings::size(1_300_000), "1.2 MB");
        assert_eq!(fill(EN.step_of, &[("n", "1"), ("total", "2")]), "1 of 2");
    }
}
