//! Rule evaluation: each rule alone, combinations, and the rules as a store writes them.

use super::*;
use crate::offers::calendar::StoreClock;

fn day(s: &str) -> Date {
    s.parse().unwrap_or(Date::MIN)
}

fn gold() -> Shopper<'static> {
    Shopper {
        tier: Some("gold"),
        orders: 1,
        last_order: Some(day("2026-10-01")),
        locale: "en",
    }
}

/// Local Wednesday 2026-11-04 at 08:15.
fn wednesday_breakfast() -> LocalNow {
    LocalNow {
        date: day("2026-11-04"),
        weekday: Weekday::Wed,
        minute: 8 * 60 + 15,
    }
}

fn rule(toml_text: &str) -> Rule {
    #[derive(serde::Deserialize)]
    struct Wrapper {
        audience: Rule,
    }
    toml::from_str::<Wrapper>(toml_text)
        .map(|w| w.audience)
        .unwrap_or_else(|e| panic!("{toml_text}: {e}"))
}

#[test]
fn tiers_orders_and_buyer_kind() {
    let now = wednesday_breakfast();
    let g = gold();
    assert!(Rule::Tier(vec!["silver".into(), "gold".into()]).matches(&g, &now));
    assert!(!Rule::Tier(vec!["silver".into()]).matches(&g, &now));
    let guestish = Shopper { tier: None, ..g };
    assert!(!Rule::Tier(vec!["gold".into()]).matches(&guestish, &now));
    assert!(Rule::Buyer(Buyer::Repeat).matches(&g, &now));
    assert!(!Rule::Buyer(Buyer::First).matches(&g, &now));
    let new = Shopper {
        orders: 0,
        last_order: None,
        ..g
    };
    assert!(Rule::Buyer(Buyer::First).matches(&new, &now));
    let once = Rule::Orders(Bounds {
        min: Some(1),
        max: Some(1),
    });
    assert!(once.matches(&g, &now));
    assert!(!once.matches(&Shopper { orders: 2, ..g }, &now));
}

#[test]
fn days_since_last_order_counts_local_days() {
    let now = wednesday_breakfast();
    // 2026-10-01 → 2026-11-04 is 34 days.
    let inactive = Rule::DaysSinceLastOrder(Bounds {
        min: Some(31),
        max: None,
    });
    assert!(inactive.matches(&gold(), &now));
    let recent = Shopper {
        last_order: Some(day("2026-10-05")),
        ..gold()
    };
    assert!(
        !inactive.matches(&recent, &now),
        "30 days is not more than 30"
    );
    let day31 = Shopper {
        last_order: Some(day("2026-10-04")),
        ..gold()
    };
    assert!(inactive.matches(&day31, &now));
    let never = Shopper {
        last_order: None,
        ..gold()
    };
    assert!(
        !inactive.matches(&never, &now),
        "no last order never matches"
    );
}

#[test]
fn time_of_day_is_half_open_and_wraps_past_midnight() {
    let at = |h: u16, m: u16| LocalNow {
        minute: h * 60 + m,
        ..wednesday_breakfast()
    };
    let breakfast = rule("audience = { time_of_day = { from = \"07:00\", to = \"10:30\" } }");
    assert!(breakfast.matches(&gold(), &at(7, 0)));
    assert!(breakfast.matches(&gold(), &at(10, 29)));
    assert!(!breakfast.matches(&gold(), &at(10, 30)));
    assert!(!breakfast.matches(&gold(), &at(6, 59)));
    let late = rule("audience = { time_of_day = { from = \"22:00\", to = \"02:00\" } }");
    assert!(late.matches(&gold(), &at(23, 30)));
    assert!(late.matches(&gold(), &at(1, 59)));
    assert!(!late.matches(&gold(), &at(2, 0)));
    assert!(!late.matches(&gold(), &at(12, 0)));
    let to_midnight = rule("audience = { time_of_day = { from = \"15:00\", to = \"24:00\" } }");
    assert!(to_midnight.matches(&gold(), &at(23, 59)));
}

#[test]
fn weekdays_and_locales() {
    let now = wednesday_breakfast();
    assert!(rule("audience = { weekdays = [\"mon\", \"wed\"] }").matches(&gold(), &now));
    assert!(!rule("audience = { weekdays = [\"sat\", \"sun\"] }").matches(&gold(), &now));
    let zh = rule("audience = { locale = [\"zh-CN\"] }");
    assert!(!zh.matches(&gold(), &now));
    assert!(zh.matches(
        &Shopper {
            locale: "zh-cn",
            ..gold()
        },
        &now
    ));
}

#[test]
fn all_any_and_not_combine() {
    let now = wednesday_breakfast();
    let winback = rule(
        "audience = { all = [{ orders = { min = 1, max = 1 } }, { days_since_last_order = { min = 31 } }] }",
    );
    assert!(winback.matches(&gold(), &now));
    assert!(!winback.matches(
        &Shopper {
            orders: 3,
            ..gold()
        },
        &now
    ));
    let either = rule("audience = { any = [{ tier = [\"platinum\"] }, { buyer = \"repeat\" }] }");
    assert!(either.matches(&gold(), &now));
    let not_gold = rule("audience = { not = { tier = [\"gold\"] } }");
    assert!(!not_gold.matches(&gold(), &now));
    assert!(Rule::All(vec![]).matches(&gold(), &now));
    assert!(!Rule::Any(vec![]).matches(&gold(), &now));
}

#[test]
fn rules_see_the_store_clock_not_utc() {
    // 2026-11-03T23:30Z is already Wednesday 07:30 in Shanghai, still Tuesday in New York.
    let ms = 1_793_748_600_000;
    let breakfast = rule(
        "audience = { all = [{ weekdays = [\"wed\"] }, { time_of_day = { from = \"07:00\", to = \"10:00\" } }] }",
    );
    let shanghai = StoreClock::new("Asia/Shanghai").map(|c| c.local(ms));
    let new_york = StoreClock::new("America/New_York").map(|c| c.local(ms));
    assert!(shanghai.is_ok_and(|now| breakfast.matches(&gold(), &now)));
    assert!(new_york.is_ok_and(|now| !breakfast.matches(&gold(), &now)));
}

#[test]
fn config_mistakes_are_reported() {
    assert!(rule("audience = { all = [] }").problems().is_empty());
    let bad = rule(
        "audience = { all = [{ tier = [] }, { orders = { min = 3, max = 1 } }, { any = [{ weekdays = [] }] }] }",
    );
    assert_eq!(bad.problems().len(), 3, "{:?}", bad.problems());
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Wrapper {
        audience: Rule,
    }
    for wrong in [
        "audience = { tier = \"gold\" }",
        "audience = { weekday = [\"mon\"] }",
        "audience = { time_of_day = { from = \"7am\", to = \"10:00\" } }",
        "audience = { weekdays = [\"tuesday\"] }",
        "audience = { orders = { least = 1 } }",
    ] {
        assert!(toml::from_str::<Wrapper>(wrong).is_err(), "{wrong}");
    }
}
