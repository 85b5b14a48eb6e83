//! Fixtures of the QR surprise tests: a store with campaigns for every rule, codes minted with
//! their keys, and redemption requests.

use super::{Fixture, Reply, send};
use axum::body::Body;
use axum::http::{Request, header};
use encore_core::surprise::code::{self, CodeId};
use serde_json::{Value, json};

pub const KEY_1: &str = "campaign-one-key-0123456789abcdef";
pub const KEY_2: &str = "campaign-two-key-0123456789abcdef";

/// Campaign 1: open, a gift (10%, budget 2, fixed code), a coupon pool (30%, 3 codes), points
/// (20%); two codes per device. Campaign 2: one prize at 100% with a budget of 3. Campaign 3 has
/// ended, campaign 4 has not started. Invalid codes: 3 per device, 5 per IP in 10 minutes.
pub const CONFIG: &str = r#"
[[store]]
id = "demo"
name = "Demo"
allowed_origins = ["http://127.0.0.1:8080"]
[[store.keys]]
id = "k1"
secret = "0123456789abcdef0123456789abcdef"

[store.surprise.limits]
invalid_per_device = 3
invalid_per_ip = 5
window_minutes = 10

[[store.surprise.campaigns]]
id = 1
title = { en = "Spring tin", "zh-CN" = "春茶罐" }
key = "campaign-one-key-0123456789abcdef"
starts = "2020-01-01"
ends = "2099-01-01"
landing_url = "https://shop.example/scan"
per_device = 2
[[store.surprise.campaigns.prizes]]
id = "gift"
kind = "gift"
title = { en = "A free tin", "zh-CN" = "免费一罐" }
chance = 10
budget = 2
code = "GIFT-TIN"
valid_days = 30
[[store.surprise.campaigns.prizes]]
id = "off-20"
kind = "coupon"
title = { en = "20% off" }
chance = 30
codes = ["POOL-A", "POOL-B", "POOL-C"]
[[store.surprise.campaigns.prizes]]
id = "points"
kind = "points"
title = { en = "50 points" }
chance = 20
points = 50
[store.surprise.campaigns.thanks]
title = { en = "Thanks for playing", "zh-CN" = "感谢参与" }
next_url = "https://shop.example/join"

[[store.surprise.campaigns]]
id = 2
title = { en = "Sure thing" }
key = "campaign-two-key-0123456789abcdef"
starts = "2020-01-01"
ends = "2099-01-01"
landing_url = "https://shop.example/scan?from=pack"
per_device = 1000
[[store.surprise.campaigns.prizes]]
id = "sure"
kind = "coupon"
title = { en = "Sure" }
chance = 100
budget = 3
codes = ["S-1", "S-2", "S-3", "S-4", "S-5"]
[store.surprise.campaigns.thanks]
title = { en = "Thanks" }

[[store.surprise.campaigns]]
id = 3
title = { en = "Over" }
key = "campaign-one-key-0123456789abcdef"
starts = "2020-01-01"
ends = "2021-01-01"
landing_url = "https://shop.example/scan"
[store.surprise.campaigns.thanks]
title = { en = "Thanks" }

[[store.surprise.campaigns]]
id = 4
title = { en = "Later" }
key = "campaign-one-key-0123456789abcdef"
starts = "2098-01-01"
ends = "2099-01-01"
landing_url = "https://shop.example/scan"
[store.surprise.campaigns.thanks]
title = { en = "Thanks" }
"#;

/// A fixture with [`CONFIG`].
pub async fn fixture() -> Fixture {
    Fixture::with_config(CONFIG).await
}

/// The printed code of `serial` in `campaign`.
pub fn code(campaign: u16, serial: u32) -> String {
    let key = if campaign == 2 { KEY_2 } else { KEY_1 };
    code::mint(CodeId { campaign, serial }, key.as_bytes())
}

/// A device id made from `n`.
pub fn device(n: u32) -> String {
    format!("device-{n:08}")
}

/// A redemption id (UUID) made from `n`.
pub fn redemption(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012x}")
}

/// `POST /v1/surprise/redeem` of `code` by `device` as attempt `redemption`.
pub fn redeem_request(code: &str, redemption: &str, device: &str) -> Request<Body> {
    let body = json!({
        "store": "demo", "code": code, "redemption": redemption, "device": device, "locale": "en"
    });
    Request::post("/v1/surprise/redeem")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ORIGIN, "http://127.0.0.1:8080")
        .body(Body::from(body.to_string()))
        .expect("valid request")
}

/// Redeems and returns the reply.
pub async fn redeem(f: &Fixture, code: &str, redemption: &str, device: &str) -> Reply {
    send(f.app(), redeem_request(code, redemption, device)).await
}

/// A `surprise.redeemed` result.
pub fn redeemed_result(id: &str, code: &str, device: &str) -> Value {
    json!({
        "id": id, "store": "demo", "occurred_at": 1_700_000_000_000u64,
        "type": "surprise.redeemed", "data": {"code": code, "device": device}
    })
}
