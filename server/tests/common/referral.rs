//! Referral fixtures: a store with a program (and demo order tokens), one without, member and
//! order tokens with buyer facts, and the three referral results.

use super::{Fixture, Reply, batch, read_request, send};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, header};
use encore_core::token::{Buyer, Contact, Envelope, MemberClaims, OrderClaims, OrderItem, sign};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

/// The `demo` store's first key.
pub const K1: &[u8] = b"0123456789abcdef0123456789abcdef";
/// A key added in a rotation.
pub const K2: &[u8] = b"abcdef0123456789abcdef0123456789";
/// A day in milliseconds.
pub const DAY_MS: u64 = 24 * 60 * 60 * 1000;

const DEMO: &str = r#"
[[store]]
id = "demo"
name = "Lumen Tea"
allowed_origins = ["http://127.0.0.1:8080"]
[[store.keys]]
id = "k1"
secret = "0123456789abcdef0123456789abcdef"
"#;

const ROTATED_KEY: &str = r#"
[[store.keys]]
id = "k2"
secret = "abcdef0123456789abcdef0123456789"
"#;

const PROGRAM: &str = r#"
[[store.products]]
id = "jasmine"
name = "Jasmine Silver Needle"
[[store.products]]
id = "gaiwan"
name = "Celadon Gaiwan"

[store.demo]
mint_order_tokens = true
mint_member_tokens = true

[store.referral]
landing_url = "https://shop.example/welcome?utm_source=encore"
friend_gets = { en = "15% off your first order", "zh-CN" = "首单 85 折" }
advocate_gets = { en = "$10 store credit", "zh-CN" = "10 美元购物金" }

[store.referral.limits]
per_device = 2
per_ip = 3
"#;

const PLAIN: &str = r#"
[[store]]
id = "plain"
name = "Plain"
allowed_origins = ["https://plain.example"]
[[store.keys]]
id = "p1"
secret = "fedcba9876543210fedcba9876543210"
"#;

/// The referral store (`demo`) and a store without a program (`plain`); `rotated` adds a newer
/// key `k2` to `demo`.
pub fn config(rotated: bool) -> String {
    let keys = if rotated { ROTATED_KEY } else { "" };
    format!("{DEMO}{keys}{PROGRAM}{PLAIN}")
}

pub async fn fixture() -> Fixture {
    Fixture::with_config(&config(false)).await
}

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

pub fn now_ms() -> u64 {
    now_secs() * 1000
}

fn envelope(store: &str, life_secs: u64) -> Envelope {
    let now = now_secs();
    Envelope {
        store: store.into(),
        kid: "k1".into(),
        iat: now - 10,
        exp: now - 10 + life_secs,
    }
}

/// A 10-minute member token of `member` with a name and e-mail.
pub fn member_token(member: &str, name: Option<&str>, email: Option<&str>) -> String {
    let claims = MemberClaims {
        envelope: envelope("demo", 600),
        member: member.into(),
        tier: None,
        last_order: None,
        orders: 1,
        contact: Contact {
            name: name.map(str::to_owned),
            email: email.map(str::to_owned),
        },
    };
    sign(&claims, K1)
}

/// The buyer facts of an order token.
#[derive(Default, Clone)]
pub struct Facts<'a> {
    pub member: Option<&'a str>,
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub orders_before: Option<u32>,
}

/// A friend's first order: a new e-mail, no earlier orders.
pub fn first_order(email: &str) -> Facts<'_> {
    Facts {
        email: Some(email),
        orders_before: Some(0),
        ..Facts::default()
    }
}

/// The claims of a 30-day order token of `order` with `facts`.
pub fn order_claims(order: &str, facts: &Facts) -> OrderClaims {
    OrderClaims {
        envelope: envelope("demo", 30 * 86_400),
        order: order.into(),
        items: vec![OrderItem {
            product: "jasmine".into(),
            name: "Jasmine Silver Needle".into(),
        }],
        buyer: Buyer {
            contact: Contact {
                name: facts.name.map(str::to_owned),
                email: facts.email.map(str::to_owned),
            },
            member: facts.member.map(str::to_owned),
            orders_before: facts.orders_before,
        },
    }
}

/// A 30-day order token of `order` with `facts`, signed with `k1`.
pub fn order_token(order: &str, facts: &Facts) -> String {
    sign(&order_claims(order, facts), K1)
}

/// `request` as if it came from `ip`.
pub fn from_ip(mut request: Request<Body>, ip: &str) -> Request<Body> {
    let addr: SocketAddr = format!("{ip}:40000").parse().expect("an IPv4 address");
    request.extensions_mut().insert(ConnectInfo(addr));
    request
}

/// A `GET` for `uri` from `ip`.
pub async fn get(f: &Fixture, uri: &str, ip: &str) -> Reply {
    let request = Request::get(uri)
        .header(header::ORIGIN, "http://127.0.0.1:8080")
        .body(Body::empty())
        .expect("request");
    send(f.app(), from_ip(request, ip)).await
}

/// `POST /v1/referral` of the advocate `token` stands for, in `locale`.
pub async fn panel(f: &Fixture, token: &str, locale: &str) -> Reply {
    panel_asking(f, &format!("store=demo&token={token}&locale={locale}")).await
}

/// `POST /v1/referral` with the fields of `query` in its body.
pub async fn panel_asking(f: &Fixture, query: &str) -> Reply {
    let request = read_request("/v1/referral", query);
    send(f.app(), from_ip(request, "198.51.100.1")).await
}

/// The code of the advocate `token` stands for.
pub async fn code_of(f: &Fixture, token: &str) -> String {
    let reply = panel(f, token, "en").await;
    reply.json["code"]
        .as_str()
        .unwrap_or_else(|| panic!("a code: {}", reply.json))
        .to_owned()
}

/// Posts `results` as a batch from `ip`.
pub async fn post_from(f: &Fixture, results: Vec<Value>, ip: &str) -> Reply {
    let request = Request::post("/v1/events")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(batch(results).to_string()))
        .expect("request");
    send(f.app(), from_ip(request, ip)).await
}

/// A UUID made from `n`.
pub fn uuid(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012x}")
}

/// A `referral.landed` result for `code`, landing at `landed_at` (ms).
pub fn landed(id: &str, code: &str, landed_at: u64) -> Value {
    json!({
        "id": id, "store": "demo", "occurred_at": landed_at, "type": "referral.landed",
        "data": {"code": code, "landed_at": landed_at, "page": "https://shop.example/welcome"}
    })
}

/// A `referral.landed` result for `code`, landing at `landed_at` (ms), from the browser whose
/// device id is `device`.
pub fn landed_on(id: &str, code: &str, landed_at: u64, device: &str) -> Value {
    let mut result = landed(id, code, landed_at);
    result["data"]["device"] = device.into();
    result
}

/// A `referral.ordered` result: `token`'s order attributed to `code`, landed at `landed_at`.
pub fn ordered(id: &str, code: &str, landed_at: u64, token: &str, device: &str) -> Value {
    json!({
        "id": id, "store": "demo", "occurred_at": now_ms(), "type": "referral.ordered",
        "data": {"code": code, "landed_at": landed_at, "order_token": token, "device": device}
    })
}

/// A `referral.shared` result.
pub fn shared(id: &str, code: &str) -> Value {
    json!({
        "id": id, "store": "demo", "occurred_at": now_ms(), "type": "referral.shared",
        "data": {"code": code, "via": "whatsapp"}
    })
}

/// The `(status, reason)` of every result of a batch reply.
pub fn verdicts(reply: &Reply) -> Vec<(String, Option<String>)> {
    reply.acks().into_iter().map(|(_, s, r)| (s, r)).collect()
}

/// `(verdict, status)` of the referral of `order`, if any.
pub async fn referral_row(f: &Fixture, order: &str) -> Option<(String, String)> {
    sqlx::query_as(
        "SELECT verdict, status FROM referral_orders WHERE store = 'demo' AND order_id = $1",
    )
    .bind(order)
    .fetch_optional(&f.state.db)
    .await
    .expect("query")
}
