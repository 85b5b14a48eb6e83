//! The store clock across time zones, month ends, DST and the weekly drop.

use super::*;

const MIN: u64 = 60_000;
const HOUR: u64 = 60 * MIN;

fn clock(zone: &str) -> StoreClock {
    StoreClock::new(zone).unwrap_or_else(|e| panic!("{e}"))
}

fn utc(s: &str) -> u64 {
    s.parse::<Timestamp>()
        .map(|t| t.as_millisecond() as u64)
        .unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn clock_times_parse_strictly() {
    assert_eq!("07:30".parse::<ClockTime>().map(|t| t.minutes()), Ok(450));
    assert_eq!("24:00".parse::<ClockTime>().map(|t| t.minutes()), Ok(1440));
    for bad in ["7:5", "24:01", "12:60", "noon", "", "1230", "-1:00"] {
        assert!(bad.parse::<ClockTime>().is_err(), "{bad}");
    }
    assert!(StoreClock::new("Mars/Olympus").is_err());
}

#[test]
fn the_local_day_and_time_follow_the_zone() {
    let ms = utc("2026-11-03T23:30:00Z");
    let sh = clock("Asia/Shanghai").local(ms);
    assert_eq!((sh.weekday, sh.minute), (Weekday::Wed, 7 * 60 + 30));
    assert_eq!(sh.date.to_string(), "2026-11-04");
    let ny = clock("America/New_York").local(ms);
    assert_eq!((ny.weekday, ny.minute), (Weekday::Tue, 18 * 60 + 30));
}

#[test]
fn month_end_is_the_next_local_midnight_of_the_first() {
    // 30 November 20:00 UTC is already 1 December in Shanghai.
    let ms = utc("2026-11-30T20:00:00Z");
    assert_eq!(clock("UTC").month_end(ms), utc("2026-12-01T00:00:00Z"));
    assert_eq!(
        clock("Asia/Shanghai").month_end(ms),
        utc("2026-12-31T16:00:00Z")
    );
    // February in a leap year, and December into the next year.
    assert_eq!(
        clock("Europe/Paris").month_end(utc("2028-02-10T12:00:00Z")),
        utc("2028-02-29T23:00:00Z")
    );
    assert_eq!(
        clock("America/New_York").month_end(utc("2026-12-31T12:00:00Z")),
        utc("2027-01-01T05:00:00Z")
    );
    let end: OfferEnd = "month_end".parse().unwrap_or(OfferEnd::MonthEnd);
    assert_eq!(end.instant(&clock("UTC"), ms), utc("2026-12-01T00:00:00Z"));
}

#[test]
fn days_since_counts_calendar_days_in_the_store_zone() {
    let date: Date = "2026-10-31".parse().unwrap_or(Date::MIN);
    let ms = utc("2026-11-30T20:00:00Z");
    assert_eq!(clock("UTC").days_since(ms, date), 30);
    assert_eq!(clock("Asia/Shanghai").days_since(ms, date), 31);
}

#[test]
fn fixed_ends_and_dst_gaps_resolve_to_instants() {
    let end: OfferEnd = "2026-12-31T23:59".parse().unwrap_or(OfferEnd::MonthEnd);
    assert_eq!(
        end.instant(&clock("Asia/Shanghai"), 0),
        utc("2026-12-31T15:59:00Z")
    );
    let midnight: OfferEnd = "2026-12-31".parse().unwrap_or(OfferEnd::MonthEnd);
    assert_eq!(
        midnight.instant(&clock("UTC"), 0),
        utc("2026-12-31T00:00:00Z")
    );
    assert!("31/12/2026".parse::<OfferEnd>().is_err());
    // 02:30 does not exist in Paris on 2027-03-28; it resolves to 03:30 local (01:30Z).
    let gap = parse_local("2027-03-28T02:30").map(|l| clock("Europe/Paris").instant(l));
    assert_eq!(gap, Ok(utc("2027-03-28T01:30:00Z")));
}

fn tuesday_drop() -> WeeklyDrop {
    WeeklyDrop {
        weekday: Weekday::Tue,
        time: "10:00".parse().unwrap_or(ClockTime { minutes: 600 }),
        lasts_hours: 24,
        early_minutes: [("gold".to_string(), 120)].into_iter().collect(),
    }
}

#[test]
fn the_weekly_drop_gives_tiers_earlier_access() {
    let c = clock("Asia/Shanghai");
    // Monday 2026-11-02 12:00 Shanghai: the drop is Tuesday 10:00 Shanghai = 02:00Z.
    let now = utc("2026-11-02T04:00:00Z");
    let public = utc("2026-11-03T02:00:00Z");
    let gold = tuesday_drop().next(&c, now, Some("gold"));
    assert_eq!(
        (gold.access_at, gold.public_at, gold.early),
        (public - 120 * MIN, public, true)
    );
    assert_eq!(gold.ends_at, public + 24 * HOUR);
    let guest = tuesday_drop().next(&c, now, None);
    assert_eq!((guest.access_at, guest.early), (public, false));
    let silver = tuesday_drop().next(&c, now, Some("silver"));
    assert_eq!(silver.access_at, public);
}

#[test]
fn an_open_drop_is_current_until_it_closes_then_next_week() {
    let c = clock("UTC");
    let public = utc("2026-11-03T10:00:00Z");
    // During the drop: still this week's.
    let during = tuesday_drop().next(&c, public + 3 * HOUR, None);
    assert_eq!(during.public_at, public);
    // Wednesday 09:59 is still open (24 h); 10:00 moves to next week.
    let last = tuesday_drop().next(&c, public + 24 * HOUR - 1, None);
    assert_eq!(last.public_at, public);
    let after = tuesday_drop().next(&c, public + 24 * HOUR, None);
    assert_eq!(after.public_at, public + 7 * 24 * HOUR);
    // Early access that began on Tuesday 08:00 is visible as open to gold at 09:00.
    let early = tuesday_drop().next(&c, public - HOUR, Some("gold"));
    assert!(early.access_at <= public - HOUR && public - HOUR < early.public_at);
}
