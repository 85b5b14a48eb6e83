//! The moderation queue through the admin API: each filter narrows, tabs count, pages hold 25
//! newest first; moderation shows on the storefront at once (approve, reject, hidden photos,
//! replies); bulk approval; rules changes decide new reviews; the audit log is append-only.

mod common;

use axum::http::{Method, StatusCode};
use common::admin::{Auth, START, call, insert_photo, insert_review, key, with_clock};
use common::reviews::{TEA, fixture, get, get_raw, jpeg, review_data, review_event, submit};
use common::{Fixture, id};
use encore_core::admin::queue::QueuePage;
use encore_core::admin::role::Scope;
use serde_json::json;

const DAY_MS: i64 = 86_400_000;

fn rid(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012x}")
}

async fn queue(f: &Fixture, auth: &Auth, query: &str) -> QueuePage {
    let reply = call(
        f,
        Method::GET,
        &format!("/v1/admin/reviews?{query}"),
        auth,
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.json);
    serde_json::from_value(reply.json).expect("a QueuePage")
}

#[tokio::test]
async fn filters_narrow_tabs_count_and_pages_hold_25_newest_first() {
    let (f, _clock) = with_clock(fixture().await);
    // 30 held 2-star unverified tea reviews, one a second apart.
    for n in 0..30 {
        insert_review(
            &f,
            "demo",
            &rid(n),
            "tea",
            2,
            false,
            "held",
            START + i64::from(n) * 1000,
            &format!("Held {n}"),
        )
        .await;
    }
    // 3 published verified 5-star cup reviews, 2 rejected 1-star tea reviews.
    for n in 30..33 {
        insert_review(
            &f,
            "demo",
            &rid(n),
            "cup",
            5,
            true,
            "published",
            START + i64::from(n) * 1000,
            "Great cup",
        )
        .await;
    }
    for n in 33..35 {
        insert_review(
            &f,
            "demo",
            &rid(n),
            "tea",
            1,
            false,
            "rejected",
            START + i64::from(n) * 1000,
            "Spam",
        )
        .await;
    }
    // A held one with a photo, ten days earlier, with a searchable title.
    insert_review(
        &f,
        "demo",
        &rid(40),
        "pot",
        4,
        true,
        "held",
        START - 10 * DAY_MS,
        "Bitter 100% aftertaste",
    )
    .await;
    insert_photo(
        &f,
        "demo",
        &rid(40),
        "00000000000000000000000000000040.jpg",
        &jpeg(8, 8),
    )
    .await;
    // Another store's review never shows.
    insert_review(
        &f,
        "other",
        &rid(50),
        "tea",
        2,
        false,
        "held",
        START,
        "Other store",
    )
    .await;

    let auth = key(&f, "demo", &[Scope::ReviewsRead]).await;
    let all = queue(&f, &auth, "").await;
    assert_eq!(
        (
            all.counts.pending,
            all.counts.published,
            all.counts.rejected
        ),
        (31, 3, 2)
    );
    assert_eq!(all.reviews.len(), 25);
    assert!(all.has_more);
    assert_eq!(all.reviews[0].id, rid(29), "newest first");
    assert!(
        all.reviews
            .windows(2)
            .all(|w| w[0].created_at >= w[1].created_at)
    );
    let second = queue(&f, &auth, "page=1").await;
    assert_eq!(second.reviews.len(), 6);
    assert!(!second.has_more);
    assert_eq!(second.reviews.last().map(|r| r.id.clone()), Some(rid(40)));

    let rating = queue(&f, &auth, "rating=4").await;
    assert_eq!(
        (
            rating.counts.pending,
            rating.counts.published,
            rating.counts.rejected
        ),
        (1, 0, 0)
    );
    let product = queue(&f, &auth, "product=cup&status=published").await;
    assert_eq!(product.counts.published, 3);
    assert_eq!(product.reviews.len(), 3);
    assert!(product.reviews.iter().all(|r| r.product.id == "cup"));
    let verified = queue(&f, &auth, "verified=true").await;
    assert_eq!((verified.counts.pending, verified.counts.published), (1, 3));
    let unverified = queue(&f, &auth, "verified=false").await;
    assert_eq!(
        (
            unverified.counts.pending,
            unverified.counts.published,
            unverified.counts.rejected
        ),
        (30, 0, 2)
    );
    let photos = queue(&f, &auth, "photos=true").await;
    assert_eq!(photos.counts.pending, 1);
    assert_eq!(photos.reviews[0].photos.len(), 1);
    assert!(
        photos.reviews[0].photos[0]
            .url
            .starts_with("/v1/admin/photos/")
    );
    assert_eq!(queue(&f, &auth, "photos=false").await.counts.pending, 30);
    // 2025-12-22 is ten days before START (2026-01-01); days are UTC for this store.
    let day = queue(&f, &auth, "from=2025-12-22&to=2025-12-22").await;
    assert_eq!(day.counts.pending, 1);
    assert_eq!(queue(&f, &auth, "from=2026-01-01").await.counts.pending, 30);
    assert_eq!(queue(&f, &auth, "to=2025-12-31").await.counts.pending, 1);
    // Search: title, body or name, case-insensitive, `%` literal.
    assert_eq!(queue(&f, &auth, "q=BITTER").await.counts.pending, 1);
    assert_eq!(queue(&f, &auth, "q=100%25").await.counts.pending, 1);
    assert_eq!(queue(&f, &auth, "q=10%25%25").await.counts.pending, 0);
    assert_eq!(queue(&f, &auth, "q=mei").await.counts.pending, 31);
    let combined = queue(
        &f,
        &auth,
        "rating=2&product=tea&verified=false&photos=false&from=2026-01-01&to=2026-01-01&q=Held%201",
    )
    .await;
    // "Held 1" and "Held 10".."Held 19".
    assert_eq!(combined.counts.pending, 11);
    let rejected = queue(&f, &auth, "status=rejected").await;
    assert_eq!(rejected.reviews.len(), 2);
    let bad = call(&f, Method::GET, "/v1/admin/reviews?rating=9", &auth, None).await;
    bad.assert_error(StatusCode::BAD_REQUEST, "invalid");
}

async fn public_ids(f: &Fixture, product: &str) -> Vec<String> {
    let reply = get(f, &format!("/v1/products/{product}/reviews?store=demo")).await;
    reply.json["reviews"]
        .as_array()
        .expect("reviews")
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn moderation_shows_on_the_storefront_at_once() {
    let (f, _clock) = with_clock(fixture().await);
    let photo = "0123456789abcdef0123456789abcdef.jpg";
    insert_review(&f, "demo", &rid(1), TEA, 4, false, "held", START, "Nice").await;
    insert_photo(&f, "demo", &rid(1), photo, &jpeg(64, 48)).await;
    let auth = key(&f, "demo", &[Scope::ReviewsWrite]).await;
    let public_photo = format!("/v1/photos/{photo}");
    assert!(public_ids(&f, TEA).await.is_empty());
    assert_eq!(
        get_raw(&f, &public_photo).await.status,
        StatusCode::NOT_FOUND
    );
    // Moderators see it while held.
    let mine = call(
        &f,
        Method::GET,
        &format!("/v1/admin/photos/{photo}"),
        &auth,
        None,
    )
    .await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.headers["cache-control"], "private, no-store");

    let approved = call(
        &f,
        Method::POST,
        &format!("/v1/admin/reviews/{}/approve", rid(1)),
        &auth,
        None,
    )
    .await;
    assert_eq!(approved.json["status"], "published", "{}", approved.json);
    assert_eq!(public_ids(&f, TEA).await, [rid(1)]);
    assert_eq!(get_raw(&f, &public_photo).await.status, StatusCode::OK);

    let hidden = call(
        &f,
        Method::POST,
        &format!("/v1/admin/reviews/{}/photos/{photo}/hide", rid(1)),
        &auth,
        None,
    )
    .await;
    assert_eq!(hidden.json["photos"][0]["hidden"], true);
    let list = get(&f, &format!("/v1/products/{TEA}/reviews?store=demo")).await;
    assert_eq!(
        list.json["reviews"][0]["photos"].as_array().map(Vec::len),
        Some(0)
    );
    assert_eq!(
        get_raw(&f, &public_photo).await.status,
        StatusCode::NOT_FOUND
    );
    let jsonld = get(&f, &format!("/v1/products/{TEA}/jsonld?store=demo")).await;
    assert!(!jsonld.json.to_string().contains(photo));
    // A cache revalidating its copy is told the photo is gone, not 304.
    let revalidate = axum::http::Request::get(&public_photo)
        .header("if-none-match", "\"0123456789abcdef0123456789abcdef\"")
        .body(axum::body::Body::empty())
        .expect("request");
    assert_eq!(
        common::send_raw(f.app(), revalidate).await.status,
        StatusCode::NOT_FOUND
    );
    call(
        &f,
        Method::POST,
        &format!("/v1/admin/reviews/{}/photos/{photo}/restore", rid(1)),
        &auth,
        None,
    )
    .await;
    assert_eq!(get_raw(&f, &public_photo).await.status, StatusCode::OK);

    let replied = call(
        &f,
        Method::PUT,
        &format!("/v1/admin/reviews/{}/reply", rid(1)),
        &auth,
        Some(&json!({"body": "Thank you!"})),
    )
    .await;
    assert_eq!(replied.json["reply"]["body"], "Thank you!");
    let list = get(&f, &format!("/v1/products/{TEA}/reviews?store=demo")).await;
    assert_eq!(list.json["reviews"][0]["reply"]["body"], "Thank you!");

    let rejected = call(
        &f,
        Method::POST,
        &format!("/v1/admin/reviews/{}/reject", rid(1)),
        &auth,
        Some(&json!({"reason": "Off topic"})),
    )
    .await;
    assert_eq!(rejected.json["reject_reason"], "Off topic");
    assert!(public_ids(&f, TEA).await.is_empty());
    assert_eq!(
        get_raw(&f, &public_photo).await.status,
        StatusCode::NOT_FOUND
    );

    let audit: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT actor, action, before, after FROM audit_log WHERE target LIKE $1 ORDER BY seq",
    )
    .bind(format!("{}%", rid(1)))
    .fetch_all(&f.state.db)
    .await
    .expect("audit");
    let actions: Vec<&str> = audit.iter().map(|a| a.1.as_str()).collect();
    assert_eq!(
        actions,
        [
            "review_approved",
            "photo_hidden",
            "photo_restored",
            "reply_set",
            "review_rejected"
        ]
    );
    assert_eq!(audit[0].2, "held");
    assert_eq!(audit[3].3, "Thank you!");
    assert_eq!(audit[4].3, "Off topic");
    assert!(audit[0].0.starts_with("key:"));
}

#[tokio::test]
async fn bulk_approval_of_twenty_publishes_them_all() {
    let (f, _clock) = with_clock(fixture().await);
    let ids: Vec<String> = (0..20).map(rid).collect();
    for (n, id) in ids.iter().enumerate() {
        insert_review(
            &f,
            "demo",
            id,
            TEA,
            3,
            false,
            "held",
            START + n as i64,
            "Fine",
        )
        .await;
    }
    let auth = key(&f, "demo", &[Scope::ReviewsWrite]).await;
    let mut sent = ids.clone();
    sent.push(rid(999));
    let reply = call(
        &f,
        Method::POST,
        "/v1/admin/reviews/bulk",
        &auth,
        Some(&json!({"action": "approve", "ids": sent})),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    assert_eq!(reply.json["changed"], 20);
    assert_eq!(reply.json["unknown"], json!([rid(999)]));
    assert!(!public_ids(&f, TEA).await.is_empty());
    let published: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reviews WHERE status = 'published'")
            .fetch_one(&f.state.db)
            .await
            .expect("count");
    assert_eq!(published, 20);
    let too_many: Vec<String> = (0..201).map(rid).collect();
    call(
        &f,
        Method::POST,
        "/v1/admin/reviews/bulk",
        &auth,
        Some(&json!({"action": "reject", "ids": too_many})),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid");
}

#[tokio::test]
async fn a_rules_change_decides_the_next_review_and_is_audited() {
    let (f, _clock) = with_clock(fixture().await);
    let auth = key(&f, "demo", &[Scope::SettingsWrite]).await;
    let before = call(&f, Method::GET, "/v1/admin/rules", &auth, None).await;
    assert_eq!(before.status, StatusCode::OK);
    // The TOML's defaults: an unverified review is held.
    submit(&f, review_event(&id(1), review_data(TEA, 5)), "10.9.0.1").await;
    let rules = json!({"verified_min_rating": 1, "unverified_min_rating": 4,
        "hold_with_photos": false, "hold_links": true, "hold_fast_seconds": 0});
    let put = call(&f, Method::PUT, "/v1/admin/rules", &auth, Some(&rules)).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.json);
    submit(&f, review_event(&id(2), review_data(TEA, 5)), "10.9.0.2").await;
    let mut linked = review_data(TEA, 5);
    linked["body"] = "Buy cheaper at https://spam.example today".into();
    submit(&f, review_event(&id(3), linked), "10.9.0.3").await;
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, status, signals FROM reviews ORDER BY id")
            .fetch_all(&f.state.db)
            .await
            .expect("rows");
    assert_eq!(
        rows,
        [
            (id(1), "held".into(), "rating".into()),
            (id(2), "published".into(), String::new()),
            (id(3), "held".into(), "link".into()),
        ]
    );
    let read = key(&f, "demo", &[Scope::ReviewsRead]).await;
    let held = queue(&f, &read, "").await;
    let signals: Vec<_> = held
        .reviews
        .iter()
        .map(|r| serde_json::to_value(&r.signals).expect("json"))
        .collect();
    assert!(signals.contains(&json!(["link"])) && signals.contains(&json!(["rating"])));
    let audit = call(
        &f,
        Method::GET,
        "/v1/admin/audit?action=rules_changed",
        &read,
        None,
    )
    .await;
    let entry = &audit.json["entries"][0];
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(entry["before"].as_str().unwrap_or("")).ok(),
        Some(before.json)
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(entry["after"].as_str().unwrap_or("")).ok(),
        Some(rules)
    );
    // Bad rules name their key; a read-only key may not change them.
    let bad = json!({"verified_min_rating": 9, "unverified_min_rating": null, "hold_with_photos": false, "hold_links": false, "hold_fast_seconds": 0});
    let refused = call(&f, Method::PUT, "/v1/admin/rules", &auth, Some(&bad)).await;
    refused.assert_error(StatusCode::BAD_REQUEST, "invalid");
    assert!(
        refused.json["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("verified_min_rating"))
    );
    call(&f, Method::PUT, "/v1/admin/rules", &read, Some(&bad))
        .await
        .assert_error(StatusCode::FORBIDDEN, "forbidden");
}

#[tokio::test]
async fn the_audit_log_refuses_updates_and_deletes() {
    let (f, _clock) = with_clock(fixture().await);
    insert_review(&f, "demo", &rid(1), TEA, 3, false, "held", START, "Fine").await;
    let auth = key(&f, "demo", &[Scope::ReviewsWrite]).await;
    call(
        &f,
        Method::POST,
        &format!("/v1/admin/reviews/{}/approve", rid(1)),
        &auth,
        None,
    )
    .await;
    let rows = f.count("SELECT COUNT(*) FROM audit_log").await;
    assert!(rows >= 2);
    assert!(
        sqlx::query("UPDATE audit_log SET actor = 'someone else'")
            .execute(&f.state.db)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM audit_log")
            .execute(&f.state.db)
            .await
            .is_err()
    );
    assert_eq!(f.count("SELECT COUNT(*) FROM audit_log").await, rows);
    let actors: Vec<String> = sqlx::query_scalar("SELECT actor FROM audit_log")
        .fetch_all(&f.state.db)
        .await
        .expect("q");
    assert!(!actors.iter().any(|a| a == "someone else"));
}

#[tokio::test]
async fn the_cli_moderates_through_the_same_audited_code() {
    let (f, _clock) = with_clock(fixture().await);
    insert_review(&f, "demo", &rid(1), TEA, 3, false, "held", START, "Fine").await;
    use encore_server::reviews::moderation::{self, Moderator};
    moderation::reject(&f.state.db, &Moderator::cli(START), &rid(1), "duplicate")
        .await
        .expect("reject");
    let row: (String, String, String, String) =
        sqlx::query_as("SELECT actor, address, action, after FROM audit_log")
            .fetch_one(&f.state.db)
            .await
            .expect("audit");
    assert_eq!(
        row,
        (
            "cli".into(),
            "cli".into(),
            "review_rejected".into(),
            "duplicate".into()
        )
    );
}
