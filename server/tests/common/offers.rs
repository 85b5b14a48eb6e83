//! Offer fixtures: a store with tiers, shared-code and pooled offers, a win-back offer, offers
//! outside their window, a weekly drop and many one-unit offers to race for; member tokens.

use super::{Fixture, Reply, batch, read_request, send};
use axum::body::Body;
use axum::http::{Request, header};
use encore_core::token::{Envelope, MemberClaims, sign};
use serde_json::{Value, json};
use std::time::{SystemTime, UNIX_EPOCH};

/// The `demo` store's key `k1`.
pub const K1: &[u8] = b"0123456789abcdef0123456789abcdef";
/// The `demo` store's second active key `k2` (a rotation in progress).
pub const K2: &[u8] = b"abcdef0123456789abcdef0123456789";
/// The `other` store's key `o1`.
pub const OTHER_KEY: &[u8] = b"fedcba9876543210fedcba9876543210";
/// One-unit offers `race-00` … for the concurrency test.
pub const RACES: usize = 21;

const BASE: &str = r#"
[[store]]
id = "demo"
name = "Demo"
allowed_origins = ["http://127.0.0.1:8080"]
time_zone = "Asia/Shanghai"
[[store.keys]]
id = "k1"
secret = "0123456789abcdef0123456789abcdef"
[[store.keys]]
id = "k2"
secret = "abcdef0123456789abcdef0123456789"

[[store.tiers]]
id = "silver"
name = { en = "Silver", "zh-CN" = "银卡" }
[[store.tiers]]
id = "gold"
name = { en = "Gold", "zh-CN" = "金卡" }

[store.members]
join_url = "/join#members"
join_label = { en = "Join the club", "zh-CN" = "加入会员" }

[[store.offers]]
id = "gold-20"
title = { en = "20% off every tea", "zh-CN" = "全场八折" }
description = { en = "Gold only.", "zh-CN" = "金卡专享。" }
teaser = { en = "A Gold secret", "zh-CN" = "金卡秘密" }
teaser_audience = { en = "For Gold members", "zh-CN" = "金卡会员专享" }
code = "GOLD-20"
audience = { tier = ["gold"] }

[[store.offers]]
id = "tasting"
title = { en = "Free tasting set" }
description = { en = "From a pool." }
codes = ["TASTE-1", "TASTE-2", "TASTE-3", "TASTE-4", "TASTE-5"]
budget = 3
per_member = 2
audience = { tier = ["silver", "gold"] }

[[store.offers]]
id = "everyone"
title = { en = "5% off" }
description = { en = "Every member, twice." }
code = "ALL-5"
per_member = 2

[[store.offers]]
id = "welcome-back"
title = { en = "25% off your second order" }
description = { en = "Until the end of the month." }
code = "BACK-25"
ends = "month_end"
audience = { all = [{ orders = { min = 1, max = 1 } }, { days_since_last_order = { min = 31 } }] }

[[store.offers]]
id = "future"
title = { en = "Next year" }
description = { en = "Not yet." }
code = "LATER"
starts = "2099-01-01"

[[store.offers]]
id = "past"
title = { en = "Last year" }
description = { en = "Over." }
code = "EARLIER"
starts = "2019-01-01"
ends = "2020-01-01T00:00"

[store.drop]
title = { en = "Tuesday drop", "zh-CN" = "周二上新" }
weekday = "tue"
time = "10:00"
early_minutes = { gold = 120, silver = 60 }
"#;

const OTHER: &str = r#"
[[store]]
id = "other"
name = "Other"
allowed_origins = ["https://other.example"]
[[store.keys]]
id = "o1"
secret = "fedcba9876543210fedcba9876543210"
"#;

/// The offers store, with `demo_section` (e.g. a `[store.demo]`) appended to its store.
pub fn config_with(demo_section: &str) -> String {
    let mut text = BASE.to_owned();
    // Every third race is a shared code with a budget of one, the others pools: one code and a
    // budget of one from two codes, or a single code and no budget.
    for n in 0..RACES {
        let codes = match n % 3 {
            0 => format!("code = \"RACE-{n:02}\"\nbudget = 1"),
            1 => format!("codes = [\"RACE-{n:02}-A\", \"RACE-{n:02}-B\"]\nbudget = 1"),
            _ => format!("codes = [\"RACE-{n:02}-ONLY\"]"),
        };
        text.push_str(&format!(
            "\n[[store.offers]]\nid = \"race-{n:02}\"\ntitle = {{ en = \"Race {n}\" }}\n\
             description = {{ en = \"One unit.\" }}\n{codes}\n"
        ));
    }
    text.push_str(demo_section);
    text.push_str(OTHER);
    text
}

pub async fn fixture() -> Fixture {
    Fixture::with_config(&config_with("")).await
}

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as u64
}

/// The day `days` ago, UTC, as a token writes it.
pub fn days_ago(days: u64) -> String {
    let ts = jiff::Timestamp::from_second((now_secs() - days * 86_400) as i64).expect("in range");
    ts.to_zoned(jiff::tz::TimeZone::get("Asia/Shanghai").expect("zone"))
        .date()
        .to_string()
}

/// Member claims for `demo` key `k1`, issued 10 s ago, valid 10 minutes.
pub fn claims(
    member: &str,
    tier: Option<&str>,
    orders: u32,
    last_order: Option<&str>,
) -> MemberClaims {
    let now = now_secs();
    MemberClaims {
        envelope: Envelope {
            store: "demo".into(),
            kid: "k1".into(),
            iat: now - 10,
            exp: now + 600,
        },
        member: member.into(),
        tier: tier.map(str::to_owned),
        last_order: last_order.map(str::to_owned),
        orders,
        contact: Default::default(),
    }
}

/// A valid token of a gold member with six orders.
pub fn gold(member: &str) -> String {
    sign(&claims(member, Some("gold"), 6, Some(&days_ago(12))), K1)
}

/// A valid token of a silver member with two orders.
pub fn silver(member: &str) -> String {
    sign(&claims(member, Some("silver"), 2, Some(&days_ago(5))), K1)
}

/// A valid token of a member without a tier who bought once, 45 days ago.
pub fn lapsed(member: &str) -> String {
    sign(&claims(member, None, 1, Some(&days_ago(45))), K1)
}

/// The signed part of `token` with `edit` applied, in front of the genuine tag.
pub fn altered(token: &str, edit: impl FnOnce(&mut Value)) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let (payload, tag) = token.split_once('.').expect("a token");
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64")).expect("json");
    edit(&mut claims);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{payload}.{tag}")
}

/// An `offer.claimed` result for `demo`.
pub fn claim_event(id: &str, offer: &str, token: &str) -> Value {
    json!({
        "id": id,
        "store": "demo",
        "occurred_at": 1_700_000_000_000u64,
        "type": "offer.claimed",
        "data": {"offer": offer, "member_token": token},
    })
}

/// Posts one claim and returns the reply.
pub async fn claim(f: &Fixture, event: Value) -> Reply {
    f.post(&batch(vec![event])).await
}

/// `POST /v1/offers` with the fields of this query string in its body.
pub async fn page(f: &Fixture, query: &str) -> Reply {
    send(f.app(), read_request("/v1/offers", query)).await
}

/// The deprecated `GET /v1/offers?{query}`.
pub async fn page_by_query(f: &Fixture, query: &str) -> Reply {
    let request = Request::get(format!("/v1/offers?{query}"))
        .header(header::ORIGIN, "http://127.0.0.1:8080")
        .body(Body::empty())
        .expect("request");
    send(f.app(), request).await
}

/// The ids of the offers a page lists.
pub fn offer_ids(reply: &Reply) -> Vec<String> {
    ids(&reply.json["offers"])
}

/// The ids of the locked offers a page lists.
pub fn locked_ids(reply: &Reply) -> Vec<String> {
    ids(&reply.json["locked"])
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|o| o["id"].as_str().expect("id").to_owned())
        .collect()
}

/// The card of offer `id` on a page.
pub fn card<'a>(reply: &'a Reply, id: &str) -> &'a Value {
    reply.json["offers"]
        .as_array()
        .expect("offers")
        .iter()
        .find(|o| o["id"] == id)
        .unwrap_or_else(|| panic!("no card {id} in {}", reply.json))
}
