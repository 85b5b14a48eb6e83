//! Review fixtures: a store with products, questions, a photo reward and small limits; order
//! tokens; review results; requests from a given client address.

use super::{Fixture, RawReply, Reply, batch, send, send_raw};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, header};
use encore_core::token::{Envelope, OrderClaims, OrderItem, sign};
use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

/// The `demo` store's key `k1`.
pub const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
/// The `other` store's key `k2`.
pub const OTHER_SECRET: &[u8] = b"fedcba9876543210fedcba9876543210";
/// The product most tests review.
pub const TEA: &str = "jasmine-silver-needle";
/// Seconds in a day.
pub const DAY: u64 = 86_400;

pub const REVIEWS_CONFIG: &str = r#"
[[store]]
id = "demo"
name = "Demo"
allowed_origins = ["http://127.0.0.1:8080"]
[[store.keys]]
id = "k1"
secret = "0123456789abcdef0123456789abcdef"
[[store.products]]
id = "jasmine-silver-needle"
name = "Jasmine Silver Needle"
[store.reviews]
min_body = 20
[[store.reviews.questions]]
id = "strength"
label = { en = "Strength", "zh-CN" = "口感浓淡" }
kind = "choice"
options = [
  { value = "light", label = { en = "Light" } },
  { value = "strong", label = { en = "Strong" } },
]
[[store.reviews.questions]]
id = "quality"
label = { en = "Quality" }
kind = "scale"
min = 1
max = 5
[store.reviews.reward]
code = "THANKYOU-PHOTO-10"
description = "10% off your next order"
when = "with_photos"
[store.reviews.limits]
reviews_per_ip_per_hour = 3
reviews_per_product_per_hour = 100
helpful_per_ip_per_minute = 3
photos_per_ip_per_hour = 50

[[store]]
id = "other"
name = "Other"
allowed_origins = ["https://other.example"]
[[store.keys]]
id = "k2"
secret = "fedcba9876543210fedcba9876543210"
"#;

pub async fn fixture() -> Fixture {
    Fixture::with_config(REVIEWS_CONFIG).await
}

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// An order token for `order` listing `products`, issued now and valid for `ttl` seconds.
pub fn token_for(store: &str, kid: &str, secret: &[u8], order: &str, products: &[&str]) -> String {
    let now = now_secs();
    token_with_times(
        store,
        kid,
        secret,
        order,
        products,
        now - 10,
        now + 30 * DAY,
    )
}

pub fn token_with_times(
    store: &str,
    kid: &str,
    secret: &[u8],
    order: &str,
    products: &[&str],
    iat: u64,
    exp: u64,
) -> String {
    let claims = OrderClaims {
        envelope: Envelope {
            store: store.into(),
            kid: kid.into(),
            iat,
            exp,
        },
        order: order.into(),
        items: products
            .iter()
            .map(|p| OrderItem {
                product: (*p).into(),
                name: format!("Name of {p}"),
            })
            .collect(),
        buyer: Default::default(),
    };
    sign(&claims, secret)
}

/// A valid `demo` token for `order` with the tea in it.
pub fn demo_token(order: &str) -> String {
    token_for("demo", "k1", SECRET, order, &[TEA])
}

/// The `data` of a good review of `product`.
pub fn review_data(product: &str, rating: u8) -> Value {
    json!({
        "product": product,
        "rating": rating,
        "title": "Lovely tea",
        "body": "Floral, clean and sweet; it brews three times.",
        "name": "Mei",
        "answers": [{"question": "strength", "value": "light"}, {"question": "quality", "value": "5"}],
        "locale": "en",
        "fill_ms": 40_000
    })
}

/// A verified review's data: the order and its token.
pub fn verified_data(product: &str, rating: u8, order: &str) -> Value {
    let mut data = review_data(product, rating);
    data["order"] = order.into();
    data["order_token"] = demo_token(order).into();
    data
}

/// A `review.submitted` result for `demo`.
pub fn review_event(id: &str, data: Value) -> Value {
    json!({
        "id": id,
        "store": "demo",
        "occurred_at": 1_700_000_000_000u64,
        "type": "review.submitted",
        "data": data,
    })
}

/// `request` as if it came from `ip` (what `into_make_service_with_connect_info` adds).
pub fn from_ip(mut request: Request<Body>, ip: &str) -> Request<Body> {
    let addr: SocketAddr = format!("{ip}:40000").parse().expect("an IPv4 address");
    request.extensions_mut().insert(ConnectInfo(addr));
    request
}

/// Posts one review result from `ip` and returns the reply.
pub async fn submit(f: &Fixture, event: Value, ip: &str) -> Reply {
    let request = Request::post("/v1/events")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(batch(vec![event]).to_string()))
        .expect("request");
    send(f.app(), from_ip(request, ip)).await
}

/// The one ack of a reply: (status, reason, reward code).
pub fn single_ack(reply: &Reply) -> (String, Option<String>, Option<String>) {
    let ack = &reply.json["results"][0];
    (
        ack["status"].as_str().expect("status").to_owned(),
        ack.get("reason").and_then(Value::as_str).map(str::to_owned),
        ack.get("reward")
            .and_then(|r| r.get("code"))
            .and_then(Value::as_str)
            .map(str::to_owned),
    )
}

/// A `GET` for `uri`.
pub async fn get(f: &Fixture, uri: &str) -> Reply {
    send(
        f.app(),
        Request::get(uri).body(Body::empty()).expect("request"),
    )
    .await
}

/// A `GET` for `uri`, body as bytes.
pub async fn get_raw(f: &Fixture, uri: &str) -> RawReply {
    send_raw(
        f.app(),
        Request::get(uri).body(Body::empty()).expect("request"),
    )
    .await
}

/// `(status, verified)` of review `id`.
pub async fn review_row(f: &Fixture, id: &str) -> Option<(String, bool)> {
    sqlx::query_as("SELECT status, verified FROM reviews WHERE id = $1")
        .bind(id)
        .fetch_optional(&f.state.db)
        .await
        .expect("query")
}

/// A `width` × `height` JPEG with a colour gradient.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&image)
        .expect("encodes");
    out
}

/// A `POST /v1/photos` of `bytes` as `content_type` for `store` under `id`, from `ip`.
pub fn upload_request(
    store: &str,
    id: &str,
    bytes: Vec<u8>,
    content_type: &str,
    ip: &str,
) -> Request<Body> {
    let request = Request::post(format!("/v1/photos?store={store}&id={id}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(bytes))
        .expect("request");
    from_ip(request, ip)
}

/// Uploads a JPEG to `demo` under `id` and returns the reply.
pub async fn upload(f: &Fixture, id: &str, bytes: Vec<u8>) -> Reply {
    send(
        f.app(),
        upload_request("demo", id, bytes, "image/jpeg", "10.9.9.9"),
    )
    .await
}
