//! Referral through the router on a real SQLite file: the advocate's panel (stable codes across
//! token kinds and key rotations, localised terms, 401s and 404s), the friend's welcome, and the
//! landings and referred orders of `POST /v1/events` judged by the fraud rules.

mod common;

use axum::http::{StatusCode, header};
use common::Fixture;
use common::offers::altered;
use common::referral::*;
use encore_core::referral::link::code_for;
use encore_core::referral::page::{ReferralCounts, ReferralPage, ReferralWelcome};
use encore_core::token::sign;
use encore_server::referral::WELCOME_PER_IP_PER_MINUTE;
use encore_server::{AppState, ServerConfig};

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

#[tokio::test]
async fn the_panel_gives_a_stable_code_its_link_and_the_terms_in_the_locale() {
    let f = fixture().await;
    let mei = member_token("m-mei", Some("Mei"), Some("meichen@gmail.com"));
    let reply = panel(&f, &mei, "en").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
    let page: ReferralPage = serde_json::from_value(reply.json).expect("a ReferralPage");
    assert_eq!(page.code, code_for("member:m-mei", K1));
    assert_eq!(
        page.link,
        format!(
            "https://shop.example/welcome?utm_source=encore&ref={}",
            page.code
        )
    );
    assert_eq!(page.store_name, "Lumen Tea");
    assert_eq!(
        (page.friend_gets.as_str(), page.advocate_gets.as_str()),
        ("15% off your first order", "$10 store credit")
    );
    assert_eq!(page.counts, ReferralCounts::default());

    let zh = panel(&f, &mei, "zh-CN").await.json;
    assert_eq!(
        (zh["friend_gets"].as_str(), zh["advocate_gets"].as_str()),
        (Some("首单 85 折"), Some("10 美元购物金"))
    );
    assert_eq!(zh["code"], page.code.as_str(), "stable across calls");

    // The same member through an order token of theirs: the same code.
    let order = order_token(
        "1001",
        &Facts {
            member: Some("m-mei"),
            ..Facts::default()
        },
    );
    assert_eq!(code_of(&f, &order).await, page.code);

    // A rotation: k2 becomes the newest key. Known advocates keep their code; new ones get a
    // code under the new key.
    let rotated = AppState::new(
        f.state.db.clone(),
        ServerConfig::from_toml_str(&config(true)).expect("rotated config"),
    );
    let after = Fixture {
        dir: tempfile::tempdir().expect("dir"),
        state: rotated,
    };
    assert_eq!(code_of(&after, &mei).await, page.code);
    let lin = member_token("m-lin", None, None);
    assert_eq!(code_of(&after, &lin).await, code_for("member:m-lin", K2));
}

#[tokio::test]
async fn an_order_token_names_its_buyer_else_their_email_else_the_order() {
    let f = fixture().await;
    let by_email = |order: &'static str, email: &'static str| {
        order_token(
            order,
            &Facts {
                email: Some(email),
                ..Facts::default()
            },
        )
    };
    let one = code_of(&f, &by_email("1001", "Mei.Chen+x@gmail.com")).await;
    let two = code_of(&f, &by_email("1002", "meichen@gmail.com")).await;
    assert_eq!(one, two, "one mailbox, one code");
    let guest_a = code_of(&f, &order_token("1003", &Facts::default())).await;
    let guest_b = code_of(&f, &order_token("1004", &Facts::default())).await;
    assert_ne!(
        guest_a, guest_b,
        "a guest without an address is their order"
    );
    assert_ne!(guest_a, one);
}

#[tokio::test]
async fn bad_tokens_get_401_and_stores_without_a_program_404() {
    let f = fixture().await;
    let at = |query: String| {
        let f = &f;
        async move { get(f, &format!("/v1/referral?{query}"), "198.51.100.1").await }
    };
    at("store=demo".into())
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "token_invalid");
    at("store=demo&token=not.a-token".into())
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "token_invalid");
    let forged = altered(&order_token("1001", &Facts::default()), |claims| {
        claims["buyer"] = "m-someone-else".into();
    });
    at(format!("store=demo&token={forged}"))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "token_invalid");
    let mut old = order_claims("1001", &Facts::default());
    old.envelope.iat = now_secs() - 40 * 86_400;
    old.envelope.exp = now_secs() - 10 * 86_400;
    at(format!("store=demo&token={}", sign(&old, K1)))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "token_expired");
    let mut stale = encore_core::token::read_unverified::<encore_core::token::MemberClaims>(
        &member_token("m-1", None, None),
    )
    .expect("claims");
    stale.envelope.iat = now_secs() - 1200;
    stale.envelope.exp = now_secs() - 600;
    at(format!("store=demo&token={}", sign(&stale, K1)))
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "token_expired");

    let mei = member_token("m-mei", None, None);
    at(format!("store=plain&token={mei}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "referral_not_offered");
    at(format!("store=nowhere&token={mei}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    at(format!("token={mei}"))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_query");
}

#[tokio::test]
async fn the_welcome_names_the_advocate_and_unknown_codes_get_404() {
    let f = fixture().await;
    let code = code_of(&f, &member_token("m-mei", Some("Mei"), None)).await;
    let reply = get(
        &f,
        &format!("/v1/referral/welcome?store=demo&code={code}&locale=zh-CN"),
        "203.0.113.7",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    assert_eq!(reply.headers[header::CACHE_CONTROL], "public, max-age=60");
    let welcome: ReferralWelcome = serde_json::from_value(reply.json).expect("a welcome");
    assert_eq!(welcome.advocate_name.as_deref(), Some("Mei"));
    assert_eq!(welcome.friend_gets, "首单 85 折");
    // A link retyped in lower case still finds the advocate.
    let lower = get(
        &f,
        &format!(
            "/v1/referral/welcome?store=demo&code={}",
            code.to_lowercase()
        ),
        "203.0.113.7",
    )
    .await;
    assert_eq!(lower.json["friend_gets"], "15% off your first order");

    let nameless = code_of(&f, &member_token("m-lin", None, None)).await;
    let reply = get(
        &f,
        &format!("/v1/referral/welcome?store=demo&code={nameless}"),
        "203.0.113.7",
    )
    .await;
    assert!(reply.json.get("advocate_name").is_none(), "{}", reply.json);

    for (query, status, error) in [
        (
            "store=demo&code=ZZZZZZZZ",
            StatusCode::NOT_FOUND,
            "unknown_referral_code",
        ),
        (
            "store=demo&code=%3Cb%3E",
            StatusCode::NOT_FOUND,
            "unknown_referral_code",
        ),
        (
            "store=plain&code=ZZZZZZZZ",
            StatusCode::NOT_FOUND,
            "referral_not_offered",
        ),
        ("store=demo", StatusCode::BAD_REQUEST, "invalid_query"),
    ] {
        get(&f, &format!("/v1/referral/welcome?{query}"), "203.0.113.7")
            .await
            .assert_error(status, error);
    }
}

#[tokio::test]
async fn welcome_lookups_are_limited_per_address() {
    let f = fixture().await;
    for _ in 0..WELCOME_PER_IP_PER_MINUTE {
        let reply = get(
            &f,
            "/v1/referral/welcome?store=demo&code=ZZZZZZZZ",
            "203.0.113.8",
        )
        .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
    let refused = get(
        &f,
        "/v1/referral/welcome?store=demo&code=ZZZZZZZZ",
        "203.0.113.8",
    )
    .await;
    refused.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert!(refused.headers.contains_key(header::RETRY_AFTER));
    let other = get(
        &f,
        "/v1/referral/welcome?store=demo&code=ZZZZZZZZ",
        "203.0.113.9",
    )
    .await;
    assert_eq!(
        other.status,
        StatusCode::NOT_FOUND,
        "another address is not limited"
    );
}

#[tokio::test]
async fn a_friends_first_order_rewards_the_advocate_once() {
    let f = fixture().await;
    let mei = member_token("m-mei", Some("Mei"), Some("meichen@gmail.com"));
    let code = code_of(&f, &mei).await;
    let landed_at = now_ms() - 3 * DAY_MS;
    let token = order_token("2001", &first_order("lin@example.com"));
    let reply = post_from(
        &f,
        vec![
            shared(&uuid(1), &code),
            landed(&uuid(2), &code, landed_at),
            ordered(&uuid(3), &code, landed_at, &token, "device-lin-0001"),
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
            ordered(&uuid(3), &code, landed_at, &token, "device-lin-0001"),
            landed(&uuid(2), &code, landed_at),
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
            let reply = post_from(
                f,
                vec![ordered(&uuid(n), &code, landed_at, &token, device)],
                ip,
            )
            .await;
            assert_eq!(verdicts(&reply)[0].0, "accepted", "{}", reply.json);
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
    assert_eq!(counts(&f, &mei).await, counted(0, 7, 5, 2));
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
