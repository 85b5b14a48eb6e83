//! Length caps on every text a result carries (docs/endpoint.md, "Length caps"): one over its
//! cap, a result is rejected `too_long` with the field named, stored nowhere and counted
//! against no limit; at its cap it passes the caps (whatever else its type then decides).

mod common;

use axum::http::StatusCode;
use common::reviews::{from_ip, review_data};
use common::{Fixture, Reply, batch, events_request, id, send};
use serde_json::{Value, json};

/// One capped field: the result's type, a valid `data` for it, the field's name as the answer
/// gives it, and its cap (characters, or items for a list).
struct Row {
    ty: &'static str,
    data: Value,
    field: &'static str,
    cap: usize,
}

fn row(ty: &'static str, data: Value, field: &'static str, cap: usize) -> Row {
    Row {
        ty,
        data,
        field,
        cap,
    }
}

fn rows() -> Vec<Row> {
    let impression = json!({"mode": "product", "product": "sku-42", "page": "https://a.example/"});
    let landed = json!({"code": "ALEX-15", "landed_at": 1, "page": "https://a.example/"});
    let shared = json!({"code": "ALEX-15", "via": "copy"});
    let device = "0f8fad5b-d9cb-469f-a165-70867728950e";
    let ordered =
        json!({"code": "ALEX-15", "landed_at": 1, "order_token": "t.t", "device": device});
    let claimed = json!({"offer": "tea-25", "member_token": "t.t"});
    let redeemed = json!({"code": "0001-0000", "device": device, "member_token": "t.t"});
    let mut review = review_data("sku-42", 5);
    review["order"] = "A-1".into();
    review["order_token"] = "t.t".into();
    review["website"] = "".into();
    review["photos"] = json!([id(1)]);
    vec![
        row("widget.impression", impression.clone(), "store", 64),
        row("widget.impression", impression.clone(), "data.mode", 32),
        row("widget.impression", impression.clone(), "data.product", 128),
        row("widget.impression", impression, "data.page", 2048),
        row("referral.landed", landed.clone(), "data.code", 64),
        row("referral.landed", landed, "data.page", 2048),
        row("referral.shared", shared, "data.code", 64),
        row("referral.ordered", ordered.clone(), "data.code", 64),
        row(
            "referral.ordered",
            ordered.clone(),
            "data.order_token",
            2048,
        ),
        row("referral.ordered", ordered, "data.device", 64),
        row("offer.claimed", claimed.clone(), "data.offer", 64),
        row("offer.claimed", claimed, "data.member_token", 2048),
        row("surprise.redeemed", redeemed.clone(), "data.code", 64),
        row("surprise.redeemed", redeemed.clone(), "data.device", 64),
        row("surprise.redeemed", redeemed, "data.member_token", 2048),
        row("review.submitted", review.clone(), "data.product", 128),
        row("review.submitted", review.clone(), "data.order", 128),
        row("review.submitted", review.clone(), "data.order_token", 2048),
        row("review.submitted", review.clone(), "data.title", 120),
        row("review.submitted", review.clone(), "data.body", 5000),
        row("review.submitted", review.clone(), "data.name", 60),
        row("review.submitted", review.clone(), "data.locale", 35),
        row("review.submitted", review.clone(), "data.website", 256),
        row("review.submitted", review.clone(), "data.answers", 20),
        row(
            "review.submitted",
            review.clone(),
            "data.answers[].question",
            64,
        ),
        row(
            "review.submitted",
            review.clone(),
            "data.answers[].value",
            64,
        ),
        row("review.submitted", review.clone(), "data.photos", 5),
        row("review.submitted", review, "data.photos[]", 36),
    ]
}

/// The result of `row` with its field `len` long (characters, or items for a list).
fn result_of(row: &Row, n: u8, len: usize) -> Value {
    let text = "x".repeat(len);
    let mut result = json!({
        "id": id(n),
        "store": "demo",
        "occurred_at": 1_700_000_000_000u64,
        "type": row.ty,
        "data": row.data.clone(),
    });
    let data = &mut result["data"];
    match row.field {
        "store" => result["store"] = text.into(),
        "data.answers" => {
            data["answers"] = (0..len)
                .map(|_| json!({"question": "q", "value": "v"}))
                .collect();
        }
        "data.answers[].question" => data["answers"][0]["question"] = text.into(),
        "data.answers[].value" => data["answers"][0]["value"] = text.into(),
        "data.photos" => data["photos"] = (0..len).map(|i| id(100 + i as u8)).collect(),
        "data.photos[]" => data["photos"][0] = text.into(),
        field => {
            let name = field.strip_prefix("data.").expect("a data field");
            data[name] = text.into();
        }
    }
    result
}

/// The single answer of `reply` as (status, reason, field).
fn answer(reply: &Reply) -> (String, Option<String>, Option<String>) {
    let ack = &reply.json["results"][0];
    let text = |key: &str| ack.get(key).and_then(Value::as_str).map(str::to_owned);
    (
        text("status").unwrap_or_default(),
        text("reason"),
        text("field"),
    )
}

#[tokio::test]
async fn every_capped_field_is_refused_one_over_its_cap_and_named() {
    let f = Fixture::new().await;
    let mut wrong = Vec::new();
    for (n, row) in rows().iter().enumerate() {
        let n = u8::try_from(n).expect("few rows");
        let over = f.post(&batch(vec![result_of(row, n, row.cap + 1)])).await;
        let want = (
            "rejected".to_owned(),
            Some("too_long".to_owned()),
            Some(row.field.to_owned()),
        );
        if answer(&over) != want || over.status != StatusCode::UNPROCESSABLE_ENTITY {
            wrong.push(format!(
                "{} {} one over: {} {}",
                row.ty, row.field, over.status, over.json
            ));
        }
        let at_cap = f.post(&batch(vec![result_of(row, 200 + n, row.cap)])).await;
        if answer(&at_cap).1.as_deref() == Some("too_long") {
            wrong.push(format!(
                "{} {} at its cap: {}",
                row.ty, row.field, at_cap.json
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The finding: a 60 KB product id was accepted, stored, and became a rate-limiter key.
#[tokio::test]
async fn a_60_kb_product_id_is_refused_stored_nowhere_and_no_limiter_key() {
    let f = Fixture::new().await;
    let huge = "p".repeat(60_000);
    let mut impression = common::impression(&id(1), "demo");
    impression["data"]["product"] = huge.clone().into();
    let review = json!({
        "id": id(2),
        "store": "demo",
        "occurred_at": 1_700_000_000_000u64,
        "type": "review.submitted",
        "data": review_data(&huge, 5),
    });
    for result in [impression, review] {
        let request = events_request(batch(vec![result]).to_string(), "application/json", None);
        let reply = send(f.app(), from_ip(request, "203.0.113.9")).await;
        assert_eq!(
            answer(&reply),
            (
                "rejected".to_owned(),
                Some("too_long".to_owned()),
                Some("data.product".to_owned())
            ),
            "{}",
            reply.json
        );
    }
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 0);
    assert_eq!(f.count("SELECT COUNT(*) FROM reviews").await, 0);
    assert!(
        f.state.limiter.is_empty(),
        "a refused result counted against a limit"
    );
}
