//! The store's wall clock: local day, weekday and time of day in the store's time zone, month
//! ends, offer windows and the weekly drop. Instants are milliseconds since the Unix epoch.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// Why a calendar value from a config file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarError(pub String);

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A day of the week, written `mon` … `sun` in config files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    fn from_jiff(day: jiff::civil::Weekday) -> Weekday {
        use jiff::civil::Weekday as J;
        match day {
            J::Monday => Weekday::Mon,
            J::Tuesday => Weekday::Tue,
            J::Wednesday => Weekday::Wed,
            J::Thursday => Weekday::Thu,
            J::Friday => Weekday::Fri,
            J::Saturday => Weekday::Sat,
            J::Sunday => Weekday::Sun,
        }
    }

    /// Days after Monday (Monday is 0).
    fn index(self) -> i8 {
        self as i8
    }
}

/// A time of day, written `HH:MM` (24-hour) in config files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClockTime {
    minutes: u16,
}

impl ClockTime {
    /// Minutes after midnight.
    pub fn minutes(self) -> u16 {
        self.minutes
    }

    fn time(self) -> Time {
        let (h, m) = (self.minutes / 60, self.minutes % 60);
        Time::constant(h as i8, m as i8, 0, 0)
    }
}

impl FromStr for ClockTime {
    type Err = CalendarError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || CalendarError(format!("{s:?} is not a time of day like \"07:30\""));
        let (h, m) = s.split_once(':').ok_or_else(bad)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u16 = h.parse().map_err(|_| bad())?;
        let m: u16 = m.parse().map_err(|_| bad())?;
        // 24:00 is allowed as the end of a range that runs to midnight.
        if m > 59 || h > 24 || (h == 24 && m != 0) {
            return Err(bad());
        }
        Ok(ClockTime {
            minutes: h * 60 + m,
        })
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.minutes / 60, self.minutes % 60)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Now, as the store's wall clock shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalNow {
    /// The local calendar day.
    pub date: Date,
    /// The local weekday.
    pub weekday: Weekday,
    /// Minutes after local midnight.
    pub minute: u16,
}

/// A store's time zone, with the arithmetic offers need.
#[derive(Debug, Clone)]
pub struct StoreClock {
    tz: TimeZone,
}

impl StoreClock {
    /// The clock of an IANA time zone such as `Asia/Shanghai` or `UTC`.
    pub fn new(zone: &str) -> Result<StoreClock, CalendarError> {
        TimeZone::get(zone)
            .map(|tz| StoreClock { tz })
            .map_err(|_| CalendarError(format!("{zone:?} is not a known IANA time zone")))
    }

    fn zoned(&self, ms: u64) -> jiff::Zoned {
        let at =
            Timestamp::from_millisecond(ms.min(i64::MAX as u64) as i64).unwrap_or(Timestamp::MAX);
        at.to_zoned(self.tz.clone())
    }

    /// The local day, weekday and minute at `ms`.
    pub fn local(&self, ms: u64) -> LocalNow {
        let z = self.zoned(ms);
        LocalNow {
            date: z.date(),
            weekday: Weekday::from_jiff(z.weekday()),
            minute: z.hour() as u16 * 60 + z.minute() as u16,
        }
    }

    /// The instant a local date and time happens (the later side of a DST gap, the earlier
    /// of a repeated hour).
    pub fn instant(&self, local: DateTime) -> u64 {
        self.tz
            .to_zoned(local)
            .map(|z| z.timestamp().as_millisecond().max(0) as u64)
            .unwrap_or(u64::MAX)
    }

    /// The first instant of the next local month after `ms`: the exclusive end of an offer
    /// that runs "until the end of the month".
    pub fn month_end(&self, ms: u64) -> u64 {
        let first = self.local(ms).date.first_of_month();
        let next = first.checked_add(1.month()).unwrap_or(Date::MAX);
        self.instant(next.to_datetime(Time::midnight()))
    }

    /// Whole local days from `date` to the local day of `ms` (negative if `date` is later).
    pub fn days_since(&self, ms: u64, date: Date) -> i64 {
        let today = self.local(ms).date;
        today
            .since(date)
            .map(|span| i64::from(span.get_days()))
            .unwrap_or(0)
    }
}

/// Reads a local date-time from a config file: `2026-12-31T23:59` or a date `2026-12-31`
/// (its midnight).
pub fn parse_local(s: &str) -> Result<DateTime, CalendarError> {
    DateTime::from_str(s)
        .or_else(|_| Date::from_str(s).map(|d| d.to_datetime(Time::midnight())))
        .map_err(|_| {
            CalendarError(format!(
                "{s:?} is not a local date-time like \"2026-12-31T23:59\""
            ))
        })
}

/// When an offer stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferEnd {
    /// At a fixed local date-time.
    At(DateTime),
    /// At the end of whatever month it is when the member sees it ("until month end").
    MonthEnd,
}

impl FromStr for OfferEnd {
    type Err = CalendarError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "month_end" {
            Ok(OfferEnd::MonthEnd)
        } else {
            parse_local(s).map(OfferEnd::At)
        }
    }
}

impl OfferEnd {
    /// The exclusive end instant as seen at `now`.
    pub fn instant(self, clock: &StoreClock, now: u64) -> u64 {
        match self {
            OfferEnd::At(local) => clock.instant(local),
            OfferEnd::MonthEnd => clock.month_end(now),
        }
    }
}

/// A fixed weekly drop (e.g. Tuesdays 10:00) with earlier access for some tiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyDrop {
    /// The day it opens to everyone.
    pub weekday: Weekday,
    /// The local time it opens to everyone.
    pub time: ClockTime,
    /// How long it stays open after opening to everyone.
    #[serde(default = "default_lasts_hours")]
    pub lasts_hours: u32,
    /// Minutes of early access per tier id (e.g. `gold = 120`).
    #[serde(default)]
    pub early_minutes: BTreeMap<String, u32>,
}

fn default_lasts_hours() -> u32 {
    24
}

/// One occurrence of the drop as one shopper sees it (ms since the epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DropTimes {
    /// When this shopper may buy.
    pub access_at: u64,
    /// When everyone may buy.
    pub public_at: u64,
    /// When the drop closes.
    pub ends_at: u64,
    /// Whether this shopper's access is earlier than everyone's.
    pub early: bool,
}

impl WeeklyDrop {
    /// The current or next occurrence for a shopper of `tier` at `now`: the first one that
    /// has not closed yet.
    pub fn next(&self, clock: &StoreClock, now: u64, tier: Option<&str>) -> DropTimes {
        let early = tier
            .and_then(|t| self.early_minutes.get(t))
            .copied()
            .unwrap_or(0);
        let today = clock.local(now);
        let ahead = (self.weekday.index() - today.weekday.index()).rem_euclid(7);
        // The occurrence this week might still be open, so start one week back.
        for week in -1..=1i64 {
            let day = today
                .date
                .checked_add((i64::from(ahead) + 7 * week).days())
                .unwrap_or(Date::MAX);
            let public_at = clock.instant(day.to_datetime(self.time.time()));
            let ends_at = public_at.saturating_add(u64::from(self.lasts_hours) * 3_600_000);
            if ends_at > now {
                return DropTimes {
                    access_at: public_at.saturating_sub(u64::from(early) * 60_000),
                    public_at,
                    ends_at,
                    early: early > 0,
                };
            }
        }
        // Unreachable with lasts_hours ≥ 0 and a week's lookahead; a closed answer is safe.
        DropTimes {
            access_at: now,
            public_at: now,
            ends_at: now,
            early: false,
        }
    }
}

#[cfg(test)]
mod tests;
