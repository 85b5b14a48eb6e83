//! Every string a shopper reads in the product page's reviews, in English and Simplified
//! Chinese. `{name}` placeholders are filled by the helper methods, never by the views.

use encore_core::locale::Locale;
use encore_core::reviews::ago::Ago;
use encore_core::reviews::listing::ReviewSort;

/// One language's strings for the product reviews.
#[derive(Debug, PartialEq, Eq)]
pub struct ProductStrings {
    /// A rating as stars: `{n}` is the rating ("4.6", "5").
    pub rating_label: &'static str,
    /// The summary's text alternative: `{avg}` average, `{reviews}` the count phrase.
    pub summary_alt: &'static str,
    /// Count phrase for one review: `{n}`.
    pub reviews_one: &'static str,
    /// Count phrase for several reviews: `{n}`.
    pub reviews_many: &'static str,
    /// One star: `{n}`.
    pub stars_one: &'static str,
    /// Several stars: `{n}`.
    pub stars_many: &'static str,
    /// A histogram bar's name: `{stars}`, `{reviews}`, `{pct}`.
    pub bar_label: &'static str,
    /// Name of the group of histogram filters.
    pub histogram_label: &'static str,
    /// Clears the star filter.
    pub clear_filter: &'static str,
    /// Shown for a product without reviews.
    pub no_reviews: &'static str,
    /// The line under [`Self::no_reviews`].
    pub no_reviews_lead: &'static str,
    /// Shown when filters leave nothing.
    pub no_matches: &'static str,
    /// The button that opens the review form.
    pub write_review: &'static str,
    /// Label of the sort menu.
    pub sort_label: &'static str,
    /// The sort menu's options, in `ReviewSort::ALL` order.
    pub sort_options: [&'static str; 4],
    /// The "with photos" filter.
    pub with_photos: &'static str,
    /// Status line: `{shown}` of `{reviews}` (count phrase).
    pub showing: &'static str,
    /// Status line with a star filter: `{stars}`, `{shown}`, `{reviews}`.
    pub showing_stars: &'static str,
    /// Status line with the photo filter: `{reviews}` (count phrase of those shown).
    pub showing_photos: &'static str,
    /// While a page loads.
    pub loading: &'static str,
    /// When a page could not be loaded.
    pub load_failed: &'static str,
    /// Retries a failed load.
    pub try_again: &'static str,
    /// Loads the next page.
    pub show_more: &'static str,
    /// Badge of a review from a verified order.
    pub verified: &'static str,
    /// Disclosure badge of a rewarded review.
    pub incentivized: &'static str,
    /// Heading of the store's reply.
    pub reply_from: &'static str,
    /// The helpful button: `{n}` votes.
    pub helpful: &'static str,
    /// A vote that failed.
    pub vote_failed: &'static str,
    /// A vote refused for going too fast (429).
    pub vote_rate_limited: &'static str,
    /// A thumbnail's name: `{i}` of `{n}` from `{name}`.
    pub photo_of: &'static str,
    /// The lightbox's position: `{i}` of `{n}`.
    pub photo_position: &'static str,
    /// The lightbox's name: `{name}`.
    pub photos_dialog: &'static str,
    /// Closes the lightbox.
    pub close: &'static str,
    /// Previous photo.
    pub previous: &'static str,
    /// Next photo.
    pub next: &'static str,
    /// Under a minute ago.
    pub just_now: &'static str,
    /// `{n}` = 1 minute, hour, day, week, month, year ago.
    pub ago_one: [&'static str; 6],
    /// `{n}` > 1 minutes, hours, days, weeks, months, years ago.
    pub ago_many: [&'static str; 6],
}

/// English.
pub const EN: ProductStrings = ProductStrings {
    rating_label: "{n} out of 5 stars",
    summary_alt: "{avg} out of 5, {reviews}",
    reviews_one: "{n} review",
    reviews_many: "{n} reviews",
    stars_one: "{n} star",
    stars_many: "{n} stars",
    bar_label: "{stars}: {reviews} ({pct}%)",
    histogram_label: "Filter by rating",
    clear_filter: "Clear filter",
    no_reviews: "No reviews yet",
    no_reviews_lead: "Be the first to share what you think.",
    no_matches: "No reviews match these filters.",
    write_review: "Write a review",
    sort_label: "Sort by",
    sort_options: [
        "Most recent",
        "Highest rated",
        "Lowest rated",
        "Most helpful",
    ],
    with_photos: "With photos",
    showing: "Showing {shown} of {reviews}",
    showing_stars: "{stars}: showing {shown} of {reviews}",
    showing_photos: "Showing {reviews} with photos",
    loading: "Loading reviews…",
    load_failed: "Reviews could not be loaded.",
    try_again: "Try again",
    show_more: "Show more reviews",
    verified: "Verified buyer",
    incentivized: "Received a reward for this review",
    reply_from: "Reply from the store",
    helpful: "Helpful ({n})",
    vote_failed: "Your vote could not be counted.",
    vote_rate_limited: "Please try again in a moment",
    photo_of: "Photo {i} of {n} from {name}",
    photo_position: "Photo {i} of {n}",
    photos_dialog: "Photos from {name}",
    close: "Close",
    previous: "Previous photo",
    next: "Next photo",
    just_now: "just now",
    ago_one: [
        "{n} minute ago",
        "{n} hour ago",
        "{n} day ago",
        "{n} week ago",
        "{n} month ago",
        "{n} year ago",
    ],
    ago_many: [
        "{n} minutes ago",
        "{n} hours ago",
        "{n} days ago",
        "{n} weeks ago",
        "{n} months ago",
        "{n} years ago",
    ],
};

/// Simplified Chinese.
pub const ZH_CN: ProductStrings = ProductStrings {
    rating_label: "{n} 星（满分 5 星）",
    summary_alt: "{avg} 分（满分 5 分），共 {reviews}",
    reviews_one: "{n} 条评价",
    reviews_many: "{n} 条评价",
    stars_one: "{n} 星",
    stars_many: "{n} 星",
    bar_label: "{stars}：{reviews}（{pct}%）",
    histogram_label: "按星级筛选",
    clear_filter: "清除筛选",
    no_reviews: "还没有评价",
    no_reviews_lead: "来写第一条评价吧。",
    no_matches: "没有符合筛选条件的评价。",
    write_review: "写评价",
    sort_label: "排序方式",
    sort_options: ["最新", "评分最高", "评分最低", "最有帮助"],
    with_photos: "有图评价",
    showing: "显示 {shown} 条，共 {reviews}",
    showing_stars: "{stars}：显示 {shown} 条，共 {reviews}",
    showing_photos: "显示 {reviews}（有图）",
    loading: "正在加载评价…",
    load_failed: "评价加载失败。",
    try_again: "重试",
    show_more: "显示更多评价",
    verified: "已验证买家",
    incentivized: "评价者因本条评价获得了奖励",
    reply_from: "店铺回复",
    helpful: "有帮助（{n}）",
    vote_failed: "投票未能记录。",
    vote_rate_limited: "请稍后再试",
    photo_of: "{name} 的第 {i} 张照片（共 {n} 张）",
    photo_position: "第 {i} 张，共 {n} 张",
    photos_dialog: "{name} 的照片",
    close: "关闭",
    previous: "上一张",
    next: "下一张",
    just_now: "刚刚",
    ago_one: [
        "{n} 分钟前",
        "{n} 小时前",
        "{n} 天前",
        "{n} 周前",
        "{n} 个月前",
        "{n} 年前",
    ],
    ago_many: [
        "{n} 分钟前",
        "{n} 小时前",
        "{n} 天前",
        "{n} 周前",
        "{n} 个月前",
        "{n} 年前",
    ],
};

/// The table for `locale`.
pub fn product_strings(locale: Locale) -> &'static ProductStrings {
    match locale {
        Locale::En => &EN,
        Locale::ZhCn => &ZH_CN,
    }
}

use crate::i18n::fill;

impl ProductStrings {
    /// "5 out of 5 stars" for a rating written as `rating` ("4.6", "5").
    pub fn rating(&self, rating: &str) -> String {
        fill(self.rating_label, &[("n", rating)])
    }

    /// "128 reviews".
    pub fn reviews(&self, n: u32) -> String {
        let template = if n == 1 {
            self.reviews_one
        } else {
            self.reviews_many
        };
        fill(template, &[("n", &n.to_string())])
    }

    /// "5 stars".
    pub fn stars(&self, n: u8) -> String {
        let template = if n == 1 {
            self.stars_one
        } else {
            self.stars_many
        };
        fill(template, &[("n", &n.to_string())])
    }

    /// "4.6 out of 5, 128 reviews".
    pub fn summary(&self, average: &str, count: u32) -> String {
        fill(
            self.summary_alt,
            &[("avg", average), ("reviews", &self.reviews(count))],
        )
    }

    /// "5 stars: 80 reviews (63%)".
    pub fn bar(&self, stars: u8, count: u32, percent: u32) -> String {
        fill(
            self.bar_label,
            &[
                ("stars", &self.stars(stars)),
                ("reviews", &self.reviews(count)),
                ("pct", &percent.to_string()),
            ],
        )
    }

    /// The sort menu's option for `sort`.
    pub fn sort_option(&self, sort: ReviewSort) -> &'static str {
        let index = ReviewSort::ALL.iter().position(|s| *s == sort).unwrap_or(0);
        self.sort_options[index]
    }

    /// The status line: "Showing 10 of 128 reviews", narrowed by the filters in use.
    /// `total` is how many reviews the filters admit, when known.
    pub fn showing(&self, shown: usize, total: u32, stars: Option<u8>, photos: bool) -> String {
        let shown_n = u32::try_from(shown).unwrap_or(u32::MAX);
        let shown = shown_n.to_string();
        if photos {
            return fill(self.showing_photos, &[("reviews", &self.reviews(shown_n))]);
        }
        let reviews = self.reviews(total);
        match stars {
            Some(stars) => fill(
                self.showing_stars,
                &[
                    ("stars", &self.stars(stars)),
                    ("shown", &shown),
                    ("reviews", &reviews),
                ],
            ),
            None => fill(self.showing, &[("shown", &shown), ("reviews", &reviews)]),
        }
    }

    /// "Helpful (3)".
    pub fn helpful_count(&self, n: u32) -> String {
        fill(self.helpful, &[("n", &n.to_string())])
    }

    /// "Photo 1 of 3 from Mei".
    pub fn photo_from(&self, index: usize, count: usize, name: &str) -> String {
        fill(
            self.photo_of,
            &[
                ("i", &(index + 1).to_string()),
                ("n", &count.to_string()),
                ("name", name),
            ],
        )
    }

    /// "Photo 2 of 3".
    pub fn position(&self, index: usize, count: usize) -> String {
        fill(
            self.photo_position,
            &[("i", &(index + 1).to_string()), ("n", &count.to_string())],
        )
    }

    /// "Photos from Mei".
    pub fn dialog_label(&self, name: &str) -> String {
        fill(self.photos_dialog, &[("name", name)])
    }

    /// "3 days ago", "just now".
    pub fn ago(&self, ago: Ago) -> String {
        let (unit, n) = match ago {
            Ago::JustNow => return self.just_now.to_owned(),
            Ago::Minutes(n) => (0, n),
            Ago::Hours(n) => (1, n),
            Ago::Days(n) => (2, n),
            Ago::Weeks(n) => (3, n),
            Ago::Months(n) => (4, n),
            Ago::Years(n) => (5, n),
        };
        let table = if n == 1 { self.ago_one } else { self.ago_many };
        fill(table[unit], &[("n", &n.to_string())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLACEHOLDERS: [&str; 10] = [
        "{n}",
        "{avg}",
        "{reviews}",
        "{stars}",
        "{pct}",
        "{shown}",
        "{i}",
        "{name}",
        "{total}",
        "{value}",
    ];

    fn fields(s: &ProductStrings) -> Vec<&'static str> {
        let mut v = vec![
            s.rating_label,
            s.summary_alt,
            s.reviews_one,
            s.reviews_many,
            s.stars_one,
            s.stars_many,
            s.bar_label,
            s.histogram_label,
            s.clear_filter,
            s.no_reviews,
            s.no_reviews_lead,
            s.no_matches,
            s.write_review,
            s.sort_label,
            s.with_photos,
            s.showing,
            s.showing_stars,
            s.showing_photos,
            s.loading,
            s.load_failed,
            s.try_again,
            s.show_more,
            s.verified,
            s.incentivized,
            s.reply_from,
            s.helpful,
            s.vote_failed,
            s.vote_rate_limited,
            s.photo_of,
            s.photo_position,
            s.photos_dialog,
            s.close,
            s.previous,
            s.next,
            s.just_now,
        ];
        v.extend(s.sort_options);
        v.extend(s.ago_one);
        v.extend(s.ago_many);
        v
    }

    #[test]
    fn no_string_is_empty_and_languages_differ() {
        let (en, zh) = (fields(&EN), fields(&ZH_CN));
        assert_eq!(en.len(), zh.len());
        for (a, b) in en.into_iter().zip(zh) {
            assert!(!a.trim().is_empty() && !b.trim().is_empty());
            assert_ne!(a, b, "untranslated: {a}");
        }
    }

    #[test]
    fn placeholders_match_across_languages() {
        for (a, b) in fields(&EN).into_iter().zip(fields(&ZH_CN)) {
            for p in PLACEHOLDERS {
                assert_eq!(
                    a.matches(p).count(),
                    b.matches(p).count(),
                    "{p}: {a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn helpers_fill_every_placeholder() {
        for s in [&EN, &ZH_CN] {
            let filled = [
                s.rating("4.6"),
                s.summary("4.6", 128),
                s.bar(5, 80, 63),
                s.showing(10, 128, None, false),
                s.showing(3, 12, Some(5), false),
                s.showing(4, 0, None, true),
                s.helpful_count(3),
                s.photo_from(0, 3, "Mei"),
                s.position(1, 3),
                s.dialog_label("Mei"),
                s.ago(Ago::Days(3)),
                s.ago(Ago::Years(1)),
            ];
            for text in filled {
                assert!(!text.contains('{') && !text.contains('}'), "{text}");
            }
        }
    }

    #[test]
    fn words_the_examples_of_the_brief() {
        assert_eq!(EN.summary("4.6", 128), "4.6 out of 5, 128 reviews");
        assert_eq!(
            ZH_CN.summary("4.6", 128),
            "4.6 分（满分 5 分），共 128 条评价"
        );
        assert_eq!(EN.bar(5, 80, 63), "5 stars: 80 reviews (63%)");
        assert_eq!(EN.bar(1, 1, 1), "1 star: 1 review (1%)");
        assert_eq!(
            EN.showing(10, 128, None, false),
            "Showing 10 of 128 reviews"
        );
        assert_eq!(EN.rating("5"), "5 out of 5 stars");
        assert_eq!(EN.ago(Ago::Days(3)), "3 days ago");
        assert_eq!(EN.ago(Ago::Hours(1)), "1 hour ago");
        assert_eq!(EN.ago(Ago::JustNow), "just now");
        assert_eq!(ZH_CN.ago(Ago::Days(3)), "3 天前");
        assert_eq!(ZH_CN.ago(Ago::JustNow), "刚刚");
        assert_eq!(EN.photo_from(0, 3, "Mei"), "Photo 1 of 3 from Mei");
        assert_eq!(EN.position(1, 3), "Photo 2 of 3");
        assert_eq!(EN.helpful_count(3), "Helpful (3)");
        assert_eq!(EN.sort_option(ReviewSort::Helpful), "Most helpful");
    }
}
