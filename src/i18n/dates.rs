//! Days and moments in the shopper's words, in English and Simplified Chinese: shared by the
//! member offers (an offer's last day, a drop's opening) and the QR landing (a prize's expiry,
//! when to try again), so neither reaches into the other's strings.

use super::template::fill;
use crate::ui::dates::LocalTime;
use encore_core::locale::Locale;

/// One language's words for dates and times.
#[derive(Debug, PartialEq, Eq)]
pub struct DateStrings {
    /// A date in the current year: `{day}`, `{month}`.
    pub date: &'static str,
    /// A date in another year: `{day}`, `{month}`, `{year}`.
    pub date_year: &'static str,
    /// A moment within the coming week: `{weekday}`, `{time}`.
    pub weekday_time: &'static str,
    /// A moment further away: `{weekday}`, `{date}`, `{time}`.
    pub weekday_date_time: &'static str,
    /// Month names or numbers, January first.
    pub months: [&'static str; 12],
    /// Weekday names, Sunday first (as JavaScript counts them).
    pub weekdays: [&'static str; 7],
}

/// English.
pub const EN: DateStrings = DateStrings {
    date: "{day} {month}",
    date_year: "{day} {month} {year}",
    weekday_time: "{weekday} {time}",
    weekday_date_time: "{weekday} {date}, {time}",
    months: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
    weekdays: [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ],
};

/// Simplified Chinese.
pub const ZH_CN: DateStrings = DateStrings {
    date: "{month}月{day}日",
    date_year: "{year}年{month}月{day}日",
    weekday_time: "{weekday} {time}",
    weekday_date_time: "{date}{weekday} {time}",
    months: [
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
    ],
    weekdays: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
};

/// The table for `locale`.
pub fn date_strings(locale: Locale) -> &'static DateStrings {
    match locale {
        Locale::En => &EN,
        Locale::ZhCn => &ZH_CN,
    }
}

/// `n` with at least two digits ("08"), for clock times and countdowns.
pub fn two(n: u64) -> String {
    format!("{n:02}")
}

impl DateStrings {
    /// A day: "30 Nov" / "11月30日", with the year when it is not `current_year`.
    pub fn date(&self, t: LocalTime, current_year: i32) -> String {
        let month = self
            .months
            .get(usize::from(t.month.clamp(1, 12) - 1))
            .copied()
            .unwrap_or_default();
        let day = t.day.to_string();
        if t.year == current_year {
            fill(self.date, &[("day", &day), ("month", month)])
        } else {
            let year = t.year.to_string();
            fill(
                self.date_year,
                &[("day", &day), ("month", month), ("year", &year)],
            )
        }
    }

    /// A moment: "Tuesday 08:00", or "Tuesday 2 Dec, 08:00" when `with_date`.
    pub fn moment(&self, t: LocalTime, with_date: bool, current_year: i32) -> String {
        let weekday = self
            .weekdays
            .get(usize::from(t.weekday))
            .copied()
            .unwrap_or_default();
        let time = format!("{}:{}", two(t.hour.into()), two(t.minute.into()));
        if with_date {
            let date = self.date(t, current_year);
            fill(
                self.weekday_date_time,
                &[("weekday", weekday), ("date", &date), ("time", &time)],
            )
        } else {
            fill(self.weekday_time, &[("weekday", weekday), ("time", &time)])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn both_languages_have_every_word_and_the_same_placeholders() {
        for (a, b) in [
            (EN.date, ZH_CN.date),
            (EN.date_year, ZH_CN.date_year),
            (EN.weekday_time, ZH_CN.weekday_time),
            (EN.weekday_date_time, ZH_CN.weekday_date_time),
        ] {
            assert_eq!(placeholders(a), placeholders(b), "{a:?} vs {b:?}");
        }
        for (a, b) in EN.weekdays.iter().zip(ZH_CN.weekdays.iter()) {
            assert!(!a.trim().is_empty() && !b.trim().is_empty());
            assert_ne!(a, b, "untranslated: {a}");
        }
        assert!(
            EN.months
                .iter()
                .chain(ZH_CN.months.iter())
                .all(|m| !m.is_empty())
        );
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
    fn dates_and_moments_read_naturally_in_both_languages() {
        let last = at(2026, 11, 30, 1, 23, 59);
        assert_eq!(EN.date(last, 2026), "30 Nov");
        assert_eq!(ZH_CN.date(last, 2026), "11月30日");
        assert_eq!(EN.date(last, 2025), "30 Nov 2026");
        assert_eq!(ZH_CN.date(last, 2025), "2026年11月30日");
        let opens = at(2026, 12, 1, 2, 8, 0);
        assert_eq!(EN.moment(opens, false, 2026), "Tuesday 08:00");
        assert_eq!(ZH_CN.moment(opens, false, 2026), "周二 08:00");
        assert_eq!(EN.moment(opens, true, 2026), "Tuesday 1 Dec, 08:00");
        assert_eq!(ZH_CN.moment(opens, true, 2026), "12月1日周二 08:00");
    }
}
