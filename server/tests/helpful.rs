//! `POST /v1/reviews/{id}/helpful`: one vote per browser, published reviews only, limited per IP.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::reviews::{TEA, fixture, from_ip, review_data, review_event, submit, verified_data};
use common::{DEMO_ORIGIN, Fixture, OTHER_ORIGIN, Reply, id, send};
use serde_json::json;

async fn vote(f: &Fixture, review: &str, store: &str, browser: &str, ip: &str) -> Reply {
    vote_from(f, review, store, browser, ip, None).await
}

async fn vote_from(
    f: &Fixture,
    review: &str,
    store: &str,
    browser: &str,
    ip: &str,
    origin: Option<&str>,
) -> Reply {
    let mut builder = Request::post(format!("/v1/reviews/{review}/helpful"))
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(origin) = origin {
        builder = builder.header(header::ORIGIN, origin);
    }
    let request = builder
        .body(Body::from(
            json!({"store": store, "browser": browser}).to_string(),
        ))
        .expect("request");
    send(f.app(), from_ip(request, ip)).await
}

/// A published review (id 1) and a held one (id 2).
async fn two_reviews(f: &Fixture) {
    submit(
        f,
        review_event(&id(1), verified_data(TEA, 5, "1001")),
        "10.0.0.1",
    )
    .await;
    submit(f, review_event(&id(2), review_data(TEA, 5)), "10.0.0.1").await;
}

#[tokio::test]
async fn each_browser_counts_once() {
    let f = fixture().await;
    two_reviews(&f).await;
    let first = vote(&f, &id(1), "demo", "browser-aaaa", "10.1.0.1").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.json);
    assert_eq!(first.json, json!({"helpful": 1, "counted": true}));
    let again = vote(&f, &id(1), "demo", "browser-aaaa", "10.1.0.2").await;
    assert_eq!(again.json, json!({"helpful": 1, "counted": false}));
    let other = vote(&f, &id(1), "demo", "browser-bbbb", "10.1.0.3").await;
    assert_eq!(other.json, json!({"helpful": 2, "counted": true}));
    // The count shows on the page.
    let page = common::reviews::get(&f, &format!("/v1/products/{TEA}/reviews?store=demo")).await;
    assert_eq!(page.json["reviews"][0]["helpful"], 2);
}

#[tokio::test]
async fn only_published_reviews_of_the_store_take_votes() {
    let f = fixture().await;
    two_reviews(&f).await;
    for (n, (review, store)) in [
        (id(2), "demo"),  // held
        (id(1), "other"), // another store's
        (id(9), "demo"),  // no such review
        ("x".into(), "demo"),
    ]
    .into_iter()
    .enumerate()
    {
        vote(&f, &review, store, "browser-aaaa", &format!("10.1.1.{n}"))
            .await
            .assert_error(StatusCode::NOT_FOUND, "not_found");
    }
    vote(&f, &id(1), "demo", "short", "10.1.0.1")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_body");
    vote(&f, &id(1), "demo", "has spaces in it", "10.1.0.2")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_body");
    vote_from(
        &f,
        &id(1),
        "demo",
        "browser-aaaa",
        "10.1.0.3",
        Some(OTHER_ORIGIN),
    )
    .await
    .assert_error(StatusCode::FORBIDDEN, "origin_not_allowed");
    let ok = vote_from(
        &f,
        &id(1),
        "demo",
        "browser-aaaa",
        "10.1.0.4",
        Some(DEMO_ORIGIN),
    )
    .await;
    assert_eq!(ok.json, json!({"helpful": 1, "counted": true}));
    assert_eq!(f.count("SELECT COUNT(*) FROM helpful_votes").await, 1);
}

#[tokio::test]
async fn too_many_votes_from_one_address_get_429_with_retry_after() {
    let f = fixture().await;
    two_reviews(&f).await;
    // Three per minute per IP in the test store.
    for n in 0..3 {
        let reply = vote(&f, &id(1), "demo", &format!("browser-{n:04}"), "10.2.0.1").await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    let refused = vote(&f, &id(1), "demo", "browser-9999", "10.2.0.1").await;
    refused.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let retry: u64 = refused.headers[header::RETRY_AFTER]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry), "{retry}");
    let elsewhere = vote(&f, &id(1), "demo", "browser-9999", "10.2.0.2").await;
    assert_eq!(elsewhere.json, json!({"helpful": 4, "counted": true}));
}
