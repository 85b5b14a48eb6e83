//! Referral results in `POST /v1/events` on a real SQLite file: landings counted for their code,
//! referred orders judged by the fraud rules (rewards only against a landing the server recorded
//! from the same device inside the window, self-referrals, repeat buyers, device and address
//! limits), refusals that store nothing, and one referral per order.

mod common;

use axum::http::StatusCode;
use common::Fixture;
use common::offers::altered;
use common::referral::*;
use encore_core::referral::page::{ReferralCounts, ReferralPage};
use encore_core::token::sign;

/// The counts on the panel of the advocate `token` stands for.
async fn counts(f: &Fixture, token: &str) -> ReferralCounts {
    let reply = panel(f, token, "en").await;
    let page: ReferralPage = serde_json::from_value(reply.json).expect("a ReferralPage");
    page.counts
}

fn counted(landings: u64, orders: u64, rewards: u64, pending: u64) -> ReferralCounts {
    ReferralCounts {
        landings,
        orders,
        rewards,
        pending,
    }
}

/// `(verdict, status)` of a referral held for review with `verdict`.
fn held(verdict: &str) -> Option<(String, String)> {
    Some((verdict.to_owned(), "review".to_owned()))
}

#[tokio::test]
async fn a_friends_first_order_rewards_the_advocate_once() {
    let f = fixture().await;
    let mei = member_token("m-mei", Some("Mei"), Some("meichen@gmail.com"));
    let code = code_of(&f, &mei).await;
    let landed_at = now_ms() - 3 * DAY_MS;
    let token = order_token("2001", &first_order("lin@example.com"));
    // Kept to be sent again as it is: a retry repeats the result byte for byte, and a rebuilt
    // one would carry another `occurred_at` if the clock's second turned in between.
    let order = ordered(&uuid(3), &code, landed_at, &token, "device-lin-0001");
    let reply = post_from(
        &f,
        vec![
            shared(&uuid(1), &code),
            landed_on(&uuid(2), &code, landed_at, "device-lin-0001"),
            order.clone(),
        ],
        "192.0.2.10",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    for (status, reason) in verdicts(&reply) {
        assert_eq!(
            (status.as_str(), reason),
            ("accepted", None),
            "{}",
            reply.json
        );
    }
    assert_eq!(
        referral_row(&f, "2001").await,
        Some(("rewarded".into(), "rewarded".into()))
    );
    assert_eq!(counts(&f, &mei).await, counted(1, 1, 1, 0));
    // The stored result keeps no bearer token.
    let body: String = sqlx::query_scalar("SELECT body FROM events WHERE id = $1")
        .bind(uuid(3))
        .fetch_one(&f.state.db)
        .await
        .expect("stored");
    assert!(!body.contains(&token) && body.contains("sha256:"), "{body}");

    // The same order again under another result id: accepted, still one referral; the same
    // result retried: a duplicate.
    let again = post_from(
        &f,
        vec![
            ordered(&uuid(4), &code, landed_at, &token, "device-lin-0001"),
            order,
            landed_on(&uuid(2), &code, landed_at, "device-lin-0001"),
        ],
        "192.0.2.10",
    )
    .await;
    let statuses: Vec<String> = verdicts(&again).into_iter().map(|v| v.0).collect();
    assert_eq!(statuses, ["accepted", "duplicate", "duplicate"]);
    assert_eq!(f.count("SELECT COUNT(*) FROM referral_orders").await, 1);
    assert_eq!(counts(&f, &mei).await, counted(1, 1, 1, 0));
}

#[tokio::test]
async fn self_referrals_and_repeat_buyers_earn_nothing_but_count_as_orders() {
    let f = fixture().await;
    let mei = member_token("m-mei", Some("Mei"), Some("meichen@gmail.com"));
    let code = code_of(&f, &mei).await;
    let landed_at = now_ms() - DAY_MS;
    let own_member = order_token(
        "3001",
        &Facts {
            member: Some("m-mei"),
            ..first_order("other@example.com")
        },
    );
    let own_email = order_token("3002", &first_order("Mei.Chen+x@gmail.com"));
    let repeat = order_token(
        "3003",
        &Facts {
            orders_before: Some(2),
            ..first_order("lin@example.com")
        },
    );
    let results = [own_member, own_email, repeat]
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let n = u32::try_from(i).expect("small");
            ordered(
                &uuid(10 + n),
                &code,
                landed_at,
                token,
                &format!("device-own-000{n}"),
            )
        })
        .collect();
    let reply = post_from(&f, results, "192.0.2.20").await;
    assert!(
        verdicts(&reply).iter().all(|v| v.0 == "accepted"),
        "{}",
        reply.json
    );
    let no_reward = |verdict: &str| Some((verdict.to_owned(), "no_reward".to_owned()));
    assert_eq!(referral_row(&f, "3001").await, no_reward("self_member"));
    assert_eq!(referral_row(&f, "3002").await, no_reward("self_email"));
    assert_eq!(referral_row(&f, "3003").await, no_reward("not_first_order"));
    assert_eq!(counts(&f, &mei).await, counted(0, 3, 0, 0));
}

#[tokio::test]
async fn many_orders_from_one_device_or_address_wait_for_review() {
    let f = fixture().await;
    let mei = member_token("m-mei", None, None);
    let code = code_of(&f, &mei).await;
    let landed_at = now_ms() - DAY_MS;
    let send = |order: &'static str, device: &'static str, ip: &'static str, n: u32| {
        let f = &f;
        let code = code.clone();
        async move {
            let token = order_token(order, &first_order("friend@example.com"));
            // Each friend landed through the link on the device they order from.
            let landing = landed_on(&uuid(100 + n), &code, landed_at, device);
            let order_result = ordered(&uuid(n), &code, landed_at, &token, device);
            let reply = post_from(f, vec![landing, order_result], ip).await;
            assert!(
                verdicts(&reply).iter().all(|v| v.0 == "accepted"),
                "{}",
                reply.json
            );
            referral_row(f, order).await.expect("a referral")
        }
    };
    // Two per device (the store's limit), then review.
    assert_eq!(
        send("4001", "device-aaaa-0001", "192.0.2.31", 1).await.1,
        "rewarded"
    );
    assert_eq!(
        send("4002", "device-aaaa-0001", "192.0.2.32", 2).await.1,
        "rewarded"
    );
    let third = send("4003", "device-aaaa-0001", "192.0.2.33", 3).await;
    assert_eq!(third, ("review_device".to_owned(), "review".to_owned()));
    // Three per address, then review.
    for (n, order) in ["4004", "4005", "4006"].into_iter().enumerate() {
        let device = ["device-bbbb-0001", "device-bbbb-0002", "device-bbbb-0003"][n];
        let n = u32::try_from(n).expect("small") + 4;
        assert_eq!(send(order, device, "192.0.2.40", n).await.1, "rewarded");
    }
    let fourth = send("4007", "device-bbbb-0004", "192.0.2.40", 7).await;
    assert_eq!(fourth, ("review_ip".to_owned(), "review".to_owned()));
    assert_eq!(counts(&f, &mei).await, counted(7, 7, 5, 2));
}

#[tokio::test]
async fn forged_expired_and_unattributable_orders_are_refused_and_not_stored() {
    let f = fixture().await;
    let code = code_of(&f, &member_token("m-mei", None, None)).await;
    let recent = now_ms() - DAY_MS;
    let good = order_token("5001", &first_order("lin@example.com"));
    let forged = altered(&good, |claims| claims["order"] = "5009".into());
    let mut old = order_claims("5002", &first_order("lin@example.com"));
    old.envelope.iat = now_secs() - 40 * 86_400;
    old.envelope.exp = now_secs() - 10 * 86_400;
    let expired = sign(&old, K1);
    let other_store = sign(
        &encore_core::token::OrderClaims {
            envelope: encore_core::token::Envelope {
                store: "plain".into(),
                kid: "p1".into(),
                ..old.envelope.clone()
            },
            ..order_claims("5003", &first_order("lin@example.com"))
        },
        b"fedcba9876543210fedcba9876543210",
    );
    let device = "device-lin-0001";
    let reply = post_from(
        &f,
        vec![
            ordered(&uuid(21), &code, recent, &forged, device),
            ordered(&uuid(22), &code, recent, &expired, device),
            ordered(&uuid(23), &code, recent, &other_store, device),
            ordered(&uuid(24), "ZZZZZZZZ", recent, &good, device),
            ordered(&uuid(25), &code, now_ms() - 31 * DAY_MS, &good, device),
            ordered(&uuid(26), &code, now_ms() + 5 * 60 * 1000, &good, device),
            ordered(&uuid(27), &code, recent, &good, "bad device"),
        ],
        "192.0.2.50",
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.json
    );
    let reasons: Vec<Option<String>> = verdicts(&reply).into_iter().map(|v| v.1).collect();
    let expected = [
        "order_token_invalid",
        "order_token_invalid",
        "order_token_invalid",
        "unknown_referral_code",
        "attribution_window_passed",
        "attribution_window_passed",
        "invalid",
    ];
    assert_eq!(reasons, expected.map(|r| Some(r.to_owned())));
    assert_eq!(f.count("SELECT COUNT(*) FROM referral_orders").await, 0);
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 0);
    // Inside the window (29 days ago), the same order is attributed.
    let reply = post_from(
        &f,
        vec![ordered(
            &uuid(28),
            &code,
            now_ms() - 29 * DAY_MS,
            &good,
            device,
        )],
        "192.0.2.50",
    )
    .await;
    assert_eq!(verdicts(&reply)[0].0, "accepted", "{}", reply.json);
}

#[tokio::test]
async fn stores_without_a_program_refuse_orders_and_keep_landings_as_results_only() {
    let f = fixture().await;
    let code = code_of(&f, &member_token("m-mei", None, None)).await;
    let token = order_token("6001", &first_order("lin@example.com"));
    let mut plain = ordered(&uuid(31), &code, now_ms(), &token, "device-lin-0001");
    plain["store"] = "plain".into();
    let mut plain_landing = landed(&uuid(32), &code, now_ms());
    plain_landing["store"] = "plain".into();
    let reply = post_from(
        &f,
        vec![
            plain,
            plain_landing,
            landed(&uuid(33), "NOBODY42", now_ms()),
            landed(&uuid(34), &code.to_lowercase(), now_ms()),
        ],
        "192.0.2.60",
    )
    .await;
    let verdicts = verdicts(&reply);
    assert_eq!(
        verdicts[0],
        (
            "rejected".to_owned(),
            Some("referral_not_offered".to_owned())
        )
    );
    assert!(
        verdicts[1..].iter().all(|v| v.0 == "accepted"),
        "{}",
        reply.json
    );
    // Only the landing of a real code counts (in any case), and only in its own store.
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT event_id, code FROM referral_landings")
            .fetch_all(&f.state.db)
            .await
            .expect("landings");
    assert_eq!(rows, [(uuid(34), code)]);
}

#[tokio::test]
async fn an_order_is_credited_only_against_a_landing_the_server_recorded_from_its_device() {
    let f = fixture().await;
    let mei = member_token("m-mei", None, None);
    let code = code_of(&f, &mei).await;
    // Every order says it landed yesterday: the browser's word, which credits nothing.
    let order = |n: u32, order: &str, device: &str| {
        let token = order_token(order, &first_order("friend@example.com"));
        ordered(&uuid(n), &code, now_ms() - DAY_MS, &token, device)
    };
    let post = |results: Vec<serde_json::Value>, ip: &'static str| {
        let f = &f;
        async move {
            let reply = post_from(f, results, ip).await;
            assert!(
                verdicts(&reply).iter().all(|v| v.0 == "accepted"),
                "{}",
                reply.json
            );
        }
    };

    // A new advocate with no landing at all.
    post(vec![order(1, "8001", "device-none-0001")], "192.0.2.81").await;
    assert_eq!(referral_row(&f, "8001").await, held("review_no_landing"));
    // A landing from one device does not credit an order from another: a fresh device id is
    // no way round the device rule.
    post(
        vec![
            landed_on(&uuid(2), &code, now_ms(), "device-land-0001"),
            order(3, "8002", "device-fresh-0001"),
        ],
        "192.0.2.82",
    )
    .await;
    assert_eq!(referral_row(&f, "8002").await, held("review_no_landing"));
    // The device that landed: rewarded, from any address.
    post(vec![order(4, "8003", "device-land-0001")], "192.0.2.83").await;
    assert_eq!(
        referral_row(&f, "8003").await,
        Some(("rewarded".into(), "rewarded".into()))
    );
    // The window runs from when the server recorded the landing, not from what the browser says.
    post(
        vec![landed_on(&uuid(5), &code, now_ms(), "device-old-0001")],
        "192.0.2.84",
    )
    .await;
    sqlx::query("UPDATE referral_landings SET received_at = $1 WHERE event_id = $2")
        .bind(i64::try_from(now_ms() - 31 * DAY_MS).expect("fits"))
        .bind(uuid(5))
        .execute(&f.state.db)
        .await
        .expect("an old landing");
    post(vec![order(6, "8004", "device-old-0001")], "192.0.2.85").await;
    assert_eq!(referral_row(&f, "8004").await, held("review_old_landing"));

    // A landing whose device id is not one is refused.
    let reply = post_from(
        &f,
        vec![landed_on(&uuid(7), &code, now_ms(), "bad device")],
        "192.0.2.86",
    )
    .await;
    assert_eq!(
        verdicts(&reply),
        [("rejected".to_owned(), Some("invalid".to_owned()))]
    );
    assert_eq!(counts(&f, &mei).await, counted(2, 4, 1, 3));
}
