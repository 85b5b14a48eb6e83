//! Member-program configuration: what the demo file gives, the defaults, and the message each
//! kind of mistake gets (naming the store and the offer).

use encore_core::offers::audience::Rule;
use encore_core::offers::calendar::{OfferEnd, Weekday};
use encore_server::ServerConfig;
use encore_server::config::offers::Codes;

const STORE: &str = r#"
[[store]]
id = "shop"
name = "Shop"
allowed_origins = ["https://shop.example"]
[[store.keys]]
id = "k1"
secret = "0123456789abcdef0123456789abcdef"
"#;

const TIERS: &str = r#"
[[store.tiers]]
id = "silver"
name = { en = "Silver", "zh-CN" = "银卡" }
[[store.tiers]]
id = "gold"
name = { en = "Gold" }
"#;

fn offer(id: &str, extra: &str) -> String {
    format!(
        "[[store.offers]]\nid = \"{id}\"\ntitle = {{ en = \"T\" }}\n\
         description = {{ en = \"D\" }}\n{extra}\n"
    )
}

fn parse(sections: &str) -> Result<ServerConfig, String> {
    ServerConfig::from_toml_str(&format!("{STORE}{TIERS}{sections}")).map_err(|e| e.to_string())
}

fn error(sections: &str) -> String {
    match parse(sections) {
        Ok(_) => panic!("should be refused:\n{sections}"),
        Err(message) => message,
    }
}

#[test]
fn the_demo_store_has_its_member_program() {
    let config =
        ServerConfig::from_toml_str(include_str!("../demo-store.toml")).expect("demo config");
    let demo = config.store("demo").expect("demo store");
    let program = &demo.members;
    assert_eq!(program.time_zone, "Asia/Shanghai");
    let tiers: Vec<&str> = program.tiers.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(tiers, ["silver", "gold"]);
    assert_eq!(
        program.tier("gold").and_then(|t| t.name.zh_cn.as_deref()),
        Some("金卡")
    );
    assert!(program.join.is_some());
    assert!(
        program.mint_demo_tokens,
        "the demo store mints its own member tokens"
    );
    let ids: Vec<&str> = program.offers.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "gold-20",
            "tasting-set",
            "welcome-back-25",
            "breakfast-brew",
            "afternoon-tea"
        ]
    );
    for offer in &program.offers {
        assert!(
            offer.title.zh_cn.is_some() && offer.description.zh_cn.is_some(),
            "{}",
            offer.id
        );
    }
    let pool = program.offer("tasting-set").expect("pool offer");
    assert!(matches!(&pool.codes, Codes::Pool(codes) if codes.len() == 20));
    assert_eq!(pool.budget(), Some(15));
    let win_back = program.offer("welcome-back-25").expect("win-back");
    assert_eq!(win_back.ends, Some(OfferEnd::MonthEnd));
    let drop = program.drop.as_ref().expect("weekly drop");
    assert_eq!(drop.schedule.weekday, Weekday::Tue);
    assert_eq!(drop.schedule.early_minutes.get("gold"), Some(&120));
    assert_eq!(drop.schedule.early_minutes.get("silver"), Some(&60));
}

#[test]
fn defaults_utc_every_member_one_claim_no_budget_no_demo() {
    let config = parse(&offer("plain", "code = \"PLAIN\"")).expect("valid");
    let program = &config.store("shop").expect("shop").members;
    assert_eq!(program.time_zone, "UTC");
    assert!(!program.mint_demo_tokens);
    let plain = program.offer("plain").expect("offer");
    assert_eq!(plain.audience, Rule::All(Vec::new()));
    assert_eq!((plain.limits.per_member, plain.limits.budget), (1, None));
    assert_eq!((plain.starts, plain.ends), (None, None));
    assert!(plain.teaser.is_none() && plain.teaser_audience.is_none());
    // A pool bounds the budget by its size.
    let pooled = parse(&offer("p", "codes = [\"A\", \"B\"]\nbudget = 10")).expect("valid");
    let p = pooled
        .store("shop")
        .and_then(|s| s.members.offer("p"))
        .expect("offer");
    assert_eq!(p.budget(), Some(2));
    // No program at all is fine.
    assert!(ServerConfig::from_toml_str(STORE).is_ok());
}

#[test]
fn every_mistake_names_the_store_and_what_is_wrong() {
    let cases: Vec<(String, &str)> = vec![
        ("time_zone = \"Mars/Olympus\"".into(), "line"),
        (
            "[store.members]\njoin_url = \"javascript:alert(1)\"\njoin_label = { en = \"Join\" }"
                .into(),
            "store \"shop\": [store.members] join_url \"javascript:alert(1)\" is invalid",
        ),
        (
            "[store.members]\njoin_url = \"//evil.example\"\njoin_label = { en = \"Join\" }".into(),
            "join_url \"//evil.example\" is invalid",
        ),
        (
            "[store.members]\njoin_url = \"/join\"\njoin_label = { en = \" \" }".into(),
            "join_label needs non-empty text",
        ),
        (
            format!(
                "{}{}",
                offer("a", "code = \"A\""),
                offer("a", "code = \"B\"")
            ),
            "store \"shop\": offer \"a\" is configured twice",
        ),
        (
            offer("Big Offer", "code = \"A\""),
            "offer id \"Big Offer\" is invalid",
        ),
        (
            offer("both", "code = \"A\"\ncodes = [\"B\"]"),
            "store \"shop\": offer \"both\": give either `code`",
        ),
        (offer("none", ""), "offer \"none\": missing `code`"),
        (
            offer("blank", "code = \"  \""),
            "offer \"blank\": a code is empty",
        ),
        (
            offer("empty-pool", "codes = []"),
            "offer \"empty-pool\": `codes` is empty",
        ),
        (
            offer("twice", "codes = [\"X\", \"X\"]"),
            "offer \"twice\": code \"X\" is given twice",
        ),
        (
            format!(
                "{}{}",
                offer("p1", "codes = [\"X\"]"),
                offer("p2", "codes = [\"X\"]")
            ),
            "offer \"p2\": code \"X\" is given twice",
        ),
        (
            offer(
                "gold-typo",
                "code = \"G\"\naudience = { tier = [\"glod\"] }",
            ),
            "offer \"gold-typo\": audience names tier \"glod\"",
        ),
        (
            offer(
                "nested",
                "code = \"G\"\naudience = { not = { any = [{ tier = [\"x\"] }] } }",
            ),
            "offer \"nested\": audience names tier \"x\"",
        ),
        (
            offer(
                "bad-rule",
                "code = \"G\"\naudience = { orders = { min = 3, max = 1 } }",
            ),
            "offer \"bad-rule\": audience: a range has min greater than max",
        ),
        (
            offer("no-days", "code = \"G\"\naudience = { weekdays = [] }"),
            "offer \"no-days\": audience: weekdays needs at least one day",
        ),
        (
            offer("zero", "code = \"Z\"\nper_member = 0"),
            "offer \"zero\": per_member must be",
        ),
        (
            offer("none-left", "code = \"Z\"\nbudget = 0"),
            "offer \"none-left\": budget must be",
        ),
        (
            offer("when", "code = \"Z\"\nstarts = \"next week\""),
            "offer \"when\": starts: \"next week\" is not a local date-time",
        ),
        (
            offer("until", "code = \"Z\"\nends = \"end of month\""),
            "offer \"until\": ends: \"end of month\" is not a local date-time",
        ),
        (
            offer(
                "backwards",
                "code = \"Z\"\nstarts = \"2027-02-01\"\nends = \"2027-01-01\"",
            ),
            "offer \"backwards\": `ends` must be after `starts`",
        ),
        (
            offer("empty-title", "code = \"Z\"\nteaser = { en = \"\" }"),
            "offer \"empty-title\": teaser needs non-empty text",
        ),
        (
            offer(
                "zh-empty",
                "code = \"Z\"\nteaser_audience = { en = \"Gold\", \"zh-CN\" = \"\" }",
            ),
            "offer \"zh-empty\": teaser_audience needs non-empty text",
        ),
        (
            "[store.drop]\ntitle = { en = \"Drop\" }\nweekday = \"tue\"\ntime = \"10:00\"\n\
             early_minutes = { platinum = 30 }"
                .into(),
            "store \"shop\": [store.drop]: early_minutes names tier \"platinum\"",
        ),
        (
            "[store.drop]\ntitle = { en = \"Drop\" }\nweekday = \"tue\"\ntime = \"10:00\"\n\
             lasts_hours = 0"
                .into(),
            "[store.drop]: lasts_hours must be 1 to 168",
        ),
        (
            "[[store.tiers]]\nid = \"gold\"\nname = { en = \"Gold again\" }".into(),
            "store \"shop\": tier \"gold\" is configured twice",
        ),
    ];
    for (sections, expected) in cases {
        let message = error(&sections);
        assert!(
            message.contains(expected),
            "{sections}\n→ {message}\nwanted {expected:?}"
        );
    }
}

#[test]
fn the_time_zone_is_checked_by_name() {
    // Placed before the tables, as a store key.
    let text = STORE.replace(
        "allowed_origins",
        "time_zone = \"Mars/Olympus\"\nallowed_origins",
    );
    let message = ServerConfig::from_toml_str(&text)
        .map(|_| ())
        .expect_err("refused")
        .to_string();
    assert!(
        message
            .contains("store \"shop\": time_zone: \"Mars/Olympus\" is not a known IANA time zone"),
        "{message}"
    );
}

#[test]
fn typos_in_keys_and_languages_are_parse_errors() {
    for (sections, word) in [
        (offer("a", "code = \"A\"\nbudgett = 3"), "budgett"),
        (
            "[[store.tiers]]\nid = \"vip\"\nname = { en = \"VIP\", zh = \"贵宾\" }".into(),
            "zh",
        ),
        (
            "[store.demo]\nmint_member_token = true".into(),
            "mint_member_token",
        ),
    ] {
        let message = error(&sections);
        assert!(message.contains(word), "{message}");
    }
}

#[test]
fn demo_minting_needs_a_key() {
    let text =
        "[[store]]\nid = \"keyless\"\nname = \"K\"\n[store.demo]\nmint_member_tokens = true\n";
    let message = ServerConfig::from_toml_str(text)
        .map(|_| ())
        .expect_err("refused")
        .to_string();
    assert!(
        message.contains("store \"keyless\": [store.demo] mint_member_tokens needs"),
        "{message}"
    );
}
