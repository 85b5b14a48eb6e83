//! `review.submitted` through `POST /v1/events`: verification, spam rules, limits, one review
//! per order item, rewards and photos, all committed with the result.

mod common;

use common::id;
use common::reviews::{
    DAY, OTHER_SECRET, SECRET, TEA, demo_token, fixture, jpeg, now_secs, review_data, review_event,
    review_row, single_ack, submit, token_for, token_with_times, upload, verified_data,
};
use serde_json::Value;

fn accepted(reward: Option<&str>) -> (String, Option<String>, Option<String>) {
    ("accepted".into(), None, reward.map(str::to_owned))
}

fn rejected(reason: &str) -> (String, Option<String>, Option<String>) {
    ("rejected".into(), Some(reason.into()), None)
}

#[tokio::test]
async fn a_verified_review_is_published_with_the_result_in_one_commit() {
    let f = fixture().await;
    let reply = submit(
        &f,
        review_event(&id(1), verified_data(TEA, 5, "1001")),
        "10.0.0.1",
    )
    .await;
    assert_eq!(single_ack(&reply), accepted(None), "{}", reply.json);
    assert_eq!(
        review_row(&f, &id(1)).await,
        Some(("published".into(), true))
    );
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 1);
    let (order, ip, answers): (String, String, String) =
        sqlx::query_as("SELECT order_id, ip, answers FROM reviews")
            .fetch_one(&f.state.db)
            .await
            .expect("the review");
    assert_eq!((order.as_str(), ip.as_str()), ("1001", "10.0.0.1"));
    let answers: Value = serde_json::from_str(&answers).expect("answers are JSON");
    assert_eq!(answers[1]["value"], "5");
}

#[tokio::test]
async fn bad_tokens_leave_the_review_unverified_and_held() {
    let f = fixture().await;
    let now = now_secs();
    let good = demo_token("1001");
    let (payload, tag) = good.split_once('.').expect("two parts");
    let flipped = if tag.starts_with('A') { 'B' } else { 'A' };
    let altered = format!("{payload}.{flipped}{}", &tag[1..]);
    let cases = [
        ("altered", altered),
        (
            "expired",
            token_with_times(
                "demo",
                "k1",
                SECRET,
                "1001",
                &[TEA],
                now - 40 * DAY,
                now - DAY,
            ),
        ),
        (
            "other store",
            token_for("other", "k2", OTHER_SECRET, "1001", &[TEA]),
        ),
        ("other order", demo_token("1002")),
        (
            "other product",
            token_for("demo", "k1", SECRET, "1001", &["osmanthus-oolong"]),
        ),
        (
            "too long-lived",
            token_with_times("demo", "k1", SECRET, "1001", &[TEA], now, now + 181 * DAY),
        ),
    ];
    for (n, (case, token)) in cases.into_iter().enumerate() {
        let event_id = id(10 + n as u8);
        let mut data = review_data(TEA, 5);
        data["order"] = "1001".into();
        data["order_token"] = token.into();
        let reply = submit(&f, review_event(&event_id, data), &format!("10.0.1.{n}")).await;
        assert_eq!(single_ack(&reply), accepted(None), "{case}");
        assert_eq!(
            review_row(&f, &event_id).await,
            Some(("held".into(), false)),
            "{case}"
        );
    }
    // None of them counted as the order item's verified review.
    let reply = submit(
        &f,
        review_event(&id(30), verified_data(TEA, 4, "1001")),
        "10.0.2.1",
    )
    .await;
    assert_eq!(single_ack(&reply), accepted(None));
}

#[tokio::test]
async fn spam_signals_and_the_ip_limit_get_an_unexplained_refusal() {
    let f = fixture().await;
    let mut honeypot = review_data(TEA, 5);
    honeypot["website"] = "http://spam.example".into();
    let mut quick = review_data(TEA, 5);
    quick["fill_ms"] = 900.into();
    for (n, data) in [honeypot, quick].into_iter().enumerate() {
        let reply = submit(&f, review_event(&id(n as u8 + 1), data), "10.0.0.1").await;
        assert_eq!(single_ack(&reply), rejected("not_accepted"));
        assert!(reply.json["results"][0].get("message").is_none());
    }
    assert_eq!(f.count("SELECT COUNT(*) FROM reviews").await, 0);
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 0);

    // Three reviews per IP per hour in the test store; spam above did not count.
    for n in 0..3u8 {
        let reply = submit(
            &f,
            review_event(&id(10 + n), review_data(TEA, 4)),
            "10.0.0.1",
        )
        .await;
        assert_eq!(single_ack(&reply), accepted(None), "review {n}");
    }
    let reply = submit(&f, review_event(&id(20), review_data(TEA, 4)), "10.0.0.1").await;
    assert_eq!(single_ack(&reply), rejected("not_accepted"));
    let reply = submit(&f, review_event(&id(21), review_data(TEA, 4)), "10.0.0.2").await;
    assert_eq!(
        single_ack(&reply),
        accepted(None),
        "another address is not limited"
    );
    assert_eq!(f.count("SELECT COUNT(*) FROM reviews").await, 4);
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 4);
}

#[tokio::test]
async fn invalid_reviews_are_rejected_with_the_reason() {
    let f = fixture().await;
    let mut short = review_data(TEA, 5);
    short["body"] = "too short".into();
    let reply = submit(&f, review_event(&id(1), short), "10.0.0.1").await;
    assert_eq!(single_ack(&reply), rejected("invalid"));
    let mut bad_answer = review_data(TEA, 5);
    bad_answer["answers"][0]["value"] = "medium".into();
    let reply = submit(&f, review_event(&id(2), bad_answer), "10.0.0.1").await;
    assert_eq!(single_ack(&reply), rejected("invalid"));
    assert_eq!(f.count("SELECT COUNT(*) FROM reviews").await, 0);
}

#[tokio::test]
async fn a_repeated_result_is_one_review_and_repeats_its_reward() {
    let f = fixture().await;
    let photo = common::id(200);
    assert_eq!(upload(&f, &photo, jpeg(64, 48)).await.status, 200);
    let mut data = verified_data(TEA, 5, "1001");
    data["photos"] = Value::Array(vec![photo.into()]);
    let event = review_event(&id(1), data);
    let first = submit(&f, event.clone(), "10.0.0.1").await;
    assert_eq!(single_ack(&first), accepted(Some("THANKYOU-PHOTO-10")));
    assert_eq!(
        first.json["results"][0]["reward"]["description"],
        "10% off your next order"
    );
    let again = submit(&f, event, "10.0.0.1").await;
    assert_eq!(
        single_ack(&again),
        (
            "duplicate".into(),
            None,
            Some("THANKYOU-PHOTO-10".to_owned())
        )
    );
    assert_eq!(f.count("SELECT COUNT(*) FROM reviews").await, 1);
    assert_eq!(
        f.count("SELECT COUNT(*) FROM review_photos WHERE review_id IS NOT NULL")
            .await,
        1
    );
}

#[tokio::test]
async fn an_order_item_gets_one_verified_review() {
    let f = fixture().await;
    let reply = submit(
        &f,
        review_event(&id(1), verified_data(TEA, 5, "1001")),
        "10.0.0.1",
    )
    .await;
    assert_eq!(single_ack(&reply), accepted(None));
    let reply = submit(
        &f,
        review_event(&id(2), verified_data(TEA, 2, "1001")),
        "10.0.0.2",
    )
    .await;
    assert_eq!(single_ack(&reply), rejected("already_reviewed"));
    assert_eq!(f.count("SELECT COUNT(*) FROM reviews").await, 1);
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 1);
    // Another order of the same product is another item.
    let reply = submit(
        &f,
        review_event(&id(3), verified_data(TEA, 2, "1002")),
        "10.0.0.3",
    )
    .await;
    assert_eq!(single_ack(&reply), accepted(None));
}

#[tokio::test]
async fn rewards_follow_photos_and_verification_never_the_rating() {
    let f = fixture().await;
    for (n, rating) in [1u8, 5].into_iter().enumerate() {
        let photo = id(100 + n as u8);
        assert_eq!(upload(&f, &photo, jpeg(32, 32)).await.status, 200);
        let mut data = verified_data(TEA, rating, &format!("20{n}"));
        data["photos"] = Value::Array(vec![photo.into()]);
        let reply = submit(&f, review_event(&id(n as u8 + 1), data), "10.0.0.1").await;
        assert_eq!(
            single_ack(&reply),
            accepted(Some("THANKYOU-PHOTO-10")),
            "{rating} stars"
        );
    }
    // Verified without photos, and unverified with a photo: no reward.
    let reply = submit(
        &f,
        review_event(&id(10), verified_data(TEA, 5, "300")),
        "10.0.0.2",
    )
    .await;
    assert_eq!(single_ack(&reply), accepted(None));
    let photo = id(110);
    upload(&f, &photo, jpeg(32, 32)).await;
    let mut data = review_data(TEA, 5);
    data["photos"] = Value::Array(vec![photo.clone().into()]);
    let reply = submit(&f, review_event(&id(11), data), "10.0.0.2").await;
    assert_eq!(single_ack(&reply), accepted(None));
    let incentivized: Vec<(String, bool)> =
        sqlx::query_as("SELECT id, incentivized FROM reviews ORDER BY id")
            .fetch_all(&f.state.db)
            .await
            .expect("rows");
    let flags: Vec<bool> = incentivized.into_iter().map(|(_, i)| i).collect();
    assert_eq!(flags, [true, true, false, false]);
}

#[tokio::test]
async fn missing_and_foreign_photos_never_lose_the_review() {
    let f = fixture().await;
    let mine = id(100);
    upload(&f, &mine, jpeg(40, 30)).await;
    // A photo uploaded for another store cannot be attached to a demo review.
    let theirs = id(101);
    let request =
        common::reviews::upload_request("other", &theirs, jpeg(40, 30), "image/jpeg", "10.1.1.1");
    assert_eq!(common::send(f.app(), request).await.status, 200);
    let mut data = verified_data(TEA, 4, "1001");
    data["photos"] = serde_json::json!([id(99), theirs, "not-a-uuid", mine.to_uppercase(), mine]);
    let reply = submit(&f, review_event(&id(1), data), "10.0.0.1").await;
    assert_eq!(single_ack(&reply), accepted(Some("THANKYOU-PHOTO-10")));
    let linked: Vec<(String, String)> =
        sqlx::query_as("SELECT store, upload_id FROM review_photos WHERE review_id IS NOT NULL")
            .fetch_all(&f.state.db)
            .await
            .expect("rows");
    assert_eq!(linked, vec![("demo".to_owned(), id(100))]);
}

#[tokio::test]
async fn the_per_product_limit_and_forwarded_headers() {
    let config = common::reviews::REVIEWS_CONFIG.replace(
        "reviews_per_product_per_hour = 100",
        "reviews_per_product_per_hour = 2",
    );
    let f = common::Fixture::with_config(&config).await;
    for n in 0..2u8 {
        let reply = submit(
            &f,
            review_event(&id(n), review_data(TEA, 5)),
            &format!("10.9.0.{n}"),
        )
        .await;
        assert_eq!(single_ack(&reply), accepted(None));
    }
    let reply = submit(&f, review_event(&id(5), review_data(TEA, 5)), "10.9.0.9").await;
    assert_eq!(single_ack(&reply), rejected("not_accepted"));
    let other = submit(
        &f,
        review_event(&id(6), review_data("osmanthus-oolong", 5)),
        "10.9.0.9",
    )
    .await;
    assert_eq!(single_ack(&other), accepted(None), "another product");

    // X-Forwarded-For is the client's word: it neither helps nor hurts.
    let f = fixture().await;
    for n in 0..4u8 {
        let request = axum::http::Request::post("/v1/events")
            .header("content-type", "application/json")
            .header("x-forwarded-for", format!("192.0.2.{n}"))
            .body(axum::body::Body::from(
                common::batch(vec![review_event(&id(n), review_data(TEA, 4))]).to_string(),
            ))
            .expect("request");
        let reply = common::send(f.app(), common::reviews::from_ip(request, "10.9.1.1")).await;
        let want = if n < 3 {
            accepted(None)
        } else {
            rejected("not_accepted")
        };
        assert_eq!(single_ack(&reply), want, "review {n}");
    }
}

#[tokio::test]
async fn verified_reviews_are_not_held_back_by_other_people_s_junk() {
    let config = common::reviews::REVIEWS_CONFIG.replace(
        "reviews_per_product_per_hour = 100",
        "reviews_per_product_per_hour = 2",
    );
    let f = common::Fixture::with_config(&config).await;
    // Junk from several addresses fills the product's hourly budget for unverified reviews.
    for n in 0..3u8 {
        let reply = submit(
            &f,
            review_event(&id(n), review_data(TEA, 1)),
            &format!("10.9.3.{n}"),
        )
        .await;
        let want = if n < 2 {
            accepted(None)
        } else {
            rejected("not_accepted")
        };
        assert_eq!(single_ack(&reply), want, "junk {n}");
    }
    // A buyer with a signed order is not refused for it, nor for sharing the junk's address.
    let reply = submit(
        &f,
        review_event(&id(10), verified_data(TEA, 5, "2001")),
        "10.9.3.0",
    )
    .await;
    assert_eq!(single_ack(&reply), accepted(None));
    assert_eq!(
        review_row(&f, &id(10)).await,
        Some(("published".into(), true))
    );

    // Three unverified reviews fill an address's hour; a buyer behind it (a shop's Wi-Fi) still
    // gets in, and the buyers' reviews do not use up the address's budget either.
    let f = fixture().await;
    for n in 0..2u8 {
        let data = verified_data(TEA, 4, &format!("30{n}"));
        let reply = submit(&f, review_event(&id(20 + n), data), "10.9.4.1").await;
        assert_eq!(single_ack(&reply), accepted(None), "buyer {n}");
    }
    for n in 0..4u8 {
        let reply = submit(
            &f,
            review_event(&id(30 + n), review_data(TEA, 3)),
            "10.9.4.1",
        )
        .await;
        let want = if n < 3 {
            accepted(None)
        } else {
            rejected("not_accepted")
        };
        assert_eq!(single_ack(&reply), want, "unverified {n}");
    }
    let reply = submit(
        &f,
        review_event(&id(40), verified_data(TEA, 5, "309")),
        "10.9.4.1",
    )
    .await;
    assert_eq!(
        single_ack(&reply),
        accepted(None),
        "a buyer behind a full address"
    );
}

#[tokio::test]
async fn an_ipv6_64_is_one_address_for_the_review_limit() {
    let f = fixture().await;
    // Three per address per hour: a /64 is one subscriber, however many addresses it uses.
    for n in 0..4u8 {
        let reply = submit(
            &f,
            review_event(&id(n), review_data(TEA, 4)),
            &format!("[2001:db8:7:7::{:x}]", n + 1),
        )
        .await;
        let want = if n < 3 {
            accepted(None)
        } else {
            rejected("not_accepted")
        };
        assert_eq!(single_ack(&reply), want, "review {n}");
    }
    let other = submit(
        &f,
        review_event(&id(9), review_data(TEA, 4)),
        "[2001:db8:7:8::1]",
    )
    .await;
    assert_eq!(single_ack(&other), accepted(None), "another /64");
}
