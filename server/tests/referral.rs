//! Referral's routes on a real SQLite file: the advocate's panel (stable codes across token kinds
//! and key rotations, localised terms, 401s and 404s) and the friend's welcome.

mod common;

use axum::http::{StatusCode, header};
use common::offers::altered;
use common::referral::*;
use common::{Fixture, assert_deprecated};
use encore_core::referral::link::code_for;
use encore_core::referral::page::{ReferralCounts, ReferralPage, ReferralWelcome};
use encore_core::token::sign;
use encore_server::referral::WELCOME_PER_IP_PER_MINUTE;
use encore_server::{AppState, ServerConfig};

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
        async move { panel_asking(f, &query).await }
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
        .assert_error(StatusCode::BAD_REQUEST, "invalid_body");
    get(&f, &format!("/v1/referral?token={mei}"), "198.51.100.1")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_query");
}

#[tokio::test]
async fn the_token_comes_in_the_body_and_the_query_form_is_deprecated() {
    let f = fixture().await;
    let mei = member_token("m-mei", Some("Mei"), None);
    let by_body = panel(&f, &mei, "en").await;
    assert_eq!(by_body.status, StatusCode::OK, "{}", by_body.json);
    assert_deprecated(&by_body, false);
    let by_query = get(
        &f,
        &format!("/v1/referral?store=demo&token={mei}&locale=en"),
        "198.51.100.1",
    )
    .await;
    assert_eq!(by_query.status, StatusCode::OK, "{}", by_query.json);
    assert_eq!(by_query.json, by_body.json);
    assert_eq!(by_query.headers[header::CACHE_CONTROL], "no-store");
    assert_deprecated(&by_query, true);
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
