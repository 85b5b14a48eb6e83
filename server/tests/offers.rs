//! `POST /v1/offers` (and its deprecated `GET` form): the teaser for guests and for every kind of bad token, a member's offers by
//! tier, order history and window, the weekly drop, and the demo store's token minting.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::offers::*;
use common::{Fixture, assert_deprecated, id};
use encore_core::offers::OffersPage;
use encore_core::offers::calendar::StoreClock;
use encore_core::token::{Expectations, MEMBER_TOKEN_MAX_SECS, MemberClaims, sign, verify};
use serde_json::Value;

#[tokio::test]
async fn a_guest_gets_the_teaser_the_join_link_and_the_drop() {
    let f = fixture().await;
    let before = now_ms();
    let reply = page(&f, "store=demo").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    let page: OffersPage = serde_json::from_value(reply.json.clone()).expect("an OffersPage");
    assert_eq!(reply.json["status"]["kind"], "guest");
    assert!(page.offers.is_empty());
    let gold = page
        .locked
        .iter()
        .find(|o| o.id == "gold-20")
        .expect("gold teaser");
    assert_eq!(gold.title, "A Gold secret", "the teaser, not the title");
    assert_eq!(gold.audience.as_deref(), Some("For Gold members"));
    let tasting = page
        .locked
        .iter()
        .find(|o| o.id == "tasting")
        .expect("tasting");
    assert_eq!(
        (tasting.title.as_str(), tasting.audience.as_deref()),
        ("Free tasting set", None)
    );
    let ids = locked_ids(&reply);
    assert!(
        ids.contains(&"future".to_owned()),
        "coming offers are teased"
    );
    assert!(!ids.contains(&"past".to_owned()), "closed offers are not");
    let join = page.join.expect("join link");
    assert_eq!(
        (join.url.as_str(), join.label.as_str()),
        ("/join#members", "Join the club")
    );
    let drop = page.drop.expect("the drop");
    assert!(!drop.early && drop.access_at == drop.public_at);
    assert_eq!(drop.ends_at, drop.public_at + 24 * 3_600_000);
    assert!(drop.ends_at > page.now);
    assert!(page.now >= before && page.now <= now_ms());
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(
        reply.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "http://127.0.0.1:8080"
    );
}

#[tokio::test]
async fn strings_follow_the_locale_and_fall_back_to_english() {
    let f = fixture().await;
    let reply = page(&f, "store=demo&locale=zh-CN").await;
    let locked = &reply.json["locked"];
    assert_eq!(locked[0]["title"], "金卡秘密");
    assert_eq!(locked[0]["audience"], "金卡会员专享");
    assert_eq!(locked[1]["title"], "Free tasting set", "no Chinese given");
    assert_eq!(reply.json["join"]["label"], "加入会员");
    assert_eq!(reply.json["drop"]["title"], "周二上新");
    let member = page(
        &f,
        &format!("store=demo&locale=zh-CN&token={}", gold("m-1")),
    )
    .await;
    assert_eq!(member.json["status"]["tier_name"], "金卡");
    assert_eq!(card(&member, "gold-20")["title"], "全场八折");
    let unknown = page(&f, "store=demo&locale=fr").await;
    assert_eq!(unknown.json["locked"][0]["title"], "A Gold secret");
}

#[tokio::test]
async fn a_gold_member_sees_the_gold_offers_and_early_access() {
    let f = fixture().await;
    let reply = page(&f, &format!("store=demo&token={}", gold("m-gold"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.json["status"],
        serde_json::json!({"kind": "member", "tier": "gold", "tier_name": "Gold"})
    );
    let ids = offer_ids(&reply);
    assert!(
        ids.starts_with(&["gold-20".into(), "tasting".into(), "everyone".into()]),
        "{ids:?}"
    );
    for absent in ["welcome-back", "future", "past"] {
        assert!(!ids.contains(&absent.to_owned()), "{absent} in {ids:?}");
    }
    let gold = card(&reply, "gold-20");
    assert_eq!(gold["title"], "20% off every tea");
    assert_eq!(gold["description"], "Gold only.");
    assert_eq!(gold["sold_out"], false);
    assert!(gold.get("claimed_code").is_none() && gold.get("ends_at").is_none());
    assert!(reply.json["locked"].as_array().expect("list").is_empty());
    assert!(reply.json.get("join").is_none());
    let drop = &reply.json["drop"];
    assert_eq!(drop["early"], true);
    let early = drop["public_at"].as_u64().expect("ms") - drop["access_at"].as_u64().expect("ms");
    assert_eq!(early, 120 * 60_000);
}

#[tokio::test]
async fn a_silver_member_sees_the_pool_offer_but_not_gold() {
    let f = fixture().await;
    let reply = page(&f, &format!("store=demo&token={}", silver("m-silver"))).await;
    let ids = offer_ids(&reply);
    assert!(ids.contains(&"tasting".to_owned()) && !ids.contains(&"gold-20".to_owned()));
    let drop = &reply.json["drop"];
    let early = drop["public_at"].as_u64().expect("ms") - drop["access_at"].as_u64().expect("ms");
    assert_eq!(early, 60 * 60_000);
}

#[tokio::test]
async fn a_lapsed_one_time_buyer_gets_the_win_back_offer_until_month_end() {
    let f = fixture().await;
    let before = now_ms();
    let reply = page(&f, &format!("store=demo&token={}", lapsed("m-lapsed"))).await;
    let after = now_ms();
    assert_eq!(reply.json["status"], serde_json::json!({"kind": "member"}));
    let ids = offer_ids(&reply);
    assert!(ids.contains(&"welcome-back".to_owned()), "{ids:?}");
    assert!(
        !ids.contains(&"tasting".to_owned()),
        "no tier, no tiered offer"
    );
    let clock = StoreClock::new("Asia/Shanghai").expect("zone");
    let ends_at = card(&reply, "welcome-back")["ends_at"]
        .as_u64()
        .expect("ends_at");
    assert!(ends_at == clock.month_end(before) || ends_at == clock.month_end(after));
    assert!(ends_at > after);
    // Thirty days is not "more than 30".
    let recent = sign(&claims("m-recent", None, 1, Some(&days_ago(29))), K1);
    let reply = page(&f, &format!("store=demo&token={recent}")).await;
    assert!(!offer_ids(&reply).contains(&"welcome-back".to_owned()));
}

/// Every kind of bad token, and the status the page reports for it.
fn bad_tokens() -> Vec<(&'static str, String, &'static str)> {
    let now = now_secs();
    let genuine = gold("m-1");
    let mut other_store = claims("m-1", Some("gold"), 6, None);
    other_store.envelope.store = "other".into();
    let mut other_key = other_store.clone();
    other_key.envelope.kid = "o1".into();
    let mut unknown_kid = claims("m-1", Some("gold"), 6, None);
    unknown_kid.envelope.kid = "k9".into();
    let mut expired = claims("m-1", Some("gold"), 6, None);
    (expired.envelope.iat, expired.envelope.exp) = (now - 1000, now - 200);
    let mut too_long = claims("m-1", Some("gold"), 6, None);
    too_long.envelope.exp = too_long.envelope.iat + MEMBER_TOKEN_MAX_SECS + 1;
    let truncated = genuine[..genuine.len() - 2].to_owned();
    vec![
        (
            "altered member id",
            altered(&genuine, |c| c["member"] = "m-2".into()),
            "invalid",
        ),
        (
            "altered tier",
            altered(&silver("m-1"), |c| c["tier"] = "gold".into()),
            "invalid",
        ),
        (
            "signed for another store",
            sign(&other_store, K1),
            "invalid",
        ),
        (
            "another store's token",
            sign(&other_key, OTHER_KEY),
            "invalid",
        ),
        ("unknown kid", sign(&unknown_kid, K1), "invalid"),
        ("expired", sign(&expired, K1), "expired"),
        ("lives over 15 minutes", sign(&too_long, K1), "invalid"),
        ("truncated MAC", truncated, "invalid"),
        ("not a token", "hello".into(), "invalid"),
    ]
}

#[tokio::test]
async fn a_bad_token_gets_the_teaser_with_its_status() {
    let f = fixture().await;
    for (what, token, status) in bad_tokens() {
        let reply = page(&f, &format!("store=demo&token={token}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{what}");
        assert_eq!(reply.json["status"]["kind"], status, "{what}");
        assert!(offer_ids(&reply).is_empty(), "{what}");
        assert!(locked_ids(&reply).contains(&"gold-20".to_owned()), "{what}");
        assert!(reply.json.get("join").is_some(), "{what}");
    }
}

#[tokio::test]
async fn both_active_keys_sign_members_in() {
    let f = fixture().await;
    let mut c = claims("m-k2", Some("gold"), 6, None);
    c.envelope.kid = "k2".into();
    let reply = page(&f, &format!("store=demo&token={}", sign(&c, K2))).await;
    assert_eq!(reply.json["status"]["kind"], "member");
}

#[tokio::test]
async fn a_member_parameter_beside_the_token_is_ignored() {
    let f = fixture().await;
    let reply = claim(&f, claim_event(&id(1), "gold-20", &gold("m-alice"))).await;
    assert_eq!(reply.acks()[0].1, "accepted", "{}", reply.json);
    // Bob's token with Alice's id beside it: Bob's page, without Alice's code.
    let bob = page(
        &f,
        &format!("store=demo&member=m-alice&token={}", gold("m-bob")),
    )
    .await;
    assert!(card(&bob, "gold-20").get("claimed_code").is_none());
    // A member parameter alone signs nobody in.
    let guest = page(&f, "store=demo&member=m-alice").await;
    assert_eq!(guest.json["status"]["kind"], "guest");
    let alice = page(
        &f,
        &format!("store=demo&member=m-bob&token={}", gold("m-alice")),
    )
    .await;
    assert_eq!(card(&alice, "gold-20")["claimed_code"], "GOLD-20");
}

#[tokio::test]
async fn unknown_and_missing_stores() {
    let f = fixture().await;
    page(&f, "store=nope")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    page(&f, "locale=en")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_body");
    page(&f, "store=&locale=en")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_body");
    page_by_query(&f, "locale=en")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_query");
    // A store without a member program answers an empty page.
    let other = page(&f, "store=other").await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(locked_ids(&other).is_empty() && other.json.get("drop").is_none());
}

#[tokio::test]
async fn the_token_comes_in_the_body_and_the_query_form_is_deprecated() {
    let f = fixture().await;
    let token = gold("m-gold");
    let by_body = page(&f, &format!("store=demo&token={token}")).await;
    assert_eq!(by_body.status, StatusCode::OK, "{}", by_body.json);
    assert_eq!(by_body.json["status"]["kind"], "member");
    assert_deprecated(&by_body, false);
    // A simple CORS request: the browser reads the answer without a preflight.
    assert_eq!(
        by_body.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "http://127.0.0.1:8080"
    );

    let by_query = page_by_query(&f, &format!("store=demo&token={token}")).await;
    assert_eq!(by_query.status, StatusCode::OK, "{}", by_query.json);
    assert_eq!(by_query.json["status"], by_body.json["status"]);
    assert_eq!(offer_ids(&by_query), offer_ids(&by_body));
    assert_eq!(by_query.headers[header::CACHE_CONTROL], "no-store");
    assert_deprecated(&by_query, true);
    // Only a token in the query is deprecated: a guest's page by query is not.
    assert_deprecated(&page_by_query(&f, "store=demo").await, false);
}

#[tokio::test]
async fn a_body_must_be_json_of_an_accepted_type() {
    let f = fixture().await;
    let send_as = |content_type: &'static str, body: &'static str| {
        Request::post("/v1/offers")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .expect("request")
    };
    let json = common::send(f.app(), send_as("application/json", r#"{"store":"demo"}"#)).await;
    assert_eq!(json.status, StatusCode::OK, "{}", json.json);
    assert_eq!(json.json["status"]["kind"], "guest");
    common::send(f.app(), send_as("text/plain", "store=demo"))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_body");
    common::send(
        f.app(),
        send_as("application/x-www-form-urlencoded", "store=demo"),
    )
    .await
    .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    let huge = format!(r#"{{"store":"demo","token":"{}"}}"#, "a".repeat(16 * 1024));
    let reply = common::send(
        f.app(),
        Request::post("/v1/offers")
            .header(header::CONTENT_TYPE, "text/plain;charset=UTF-8")
            .body(Body::from(huge))
            .expect("request"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
}

async fn mint(f: &Fixture, query: &str) -> (StatusCode, String, Option<String>) {
    let request = Request::get(format!("/demo/member-token?{query}"))
        .body(Body::empty())
        .expect("request");
    let reply = common::send_raw(f.app(), request).await;
    let content_type = reply
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (
        reply.status,
        String::from_utf8(reply.bytes).expect("utf-8"),
        content_type,
    )
}

fn verify_demo(token: &str) -> MemberClaims {
    verify::<MemberClaims>(
        token,
        |kid| match kid {
            "k1" => Some(K1),
            "k2" => Some(K2),
            _ => None,
        },
        Expectations {
            store: "demo",
            now: now_secs(),
            max_lifetime: MEMBER_TOKEN_MAX_SECS,
        },
    )
    .expect("the minted token verifies")
}

#[tokio::test]
async fn the_demo_mint_route_is_off_unless_the_store_turns_it_on() {
    let off = fixture().await;
    let (status, _, _) = mint(&off, "store=demo&member=m-1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let on = Fixture::with_config(&config_with("[store.demo]\nmint_member_tokens = true\n")).await;
    let query = "store=demo&member=demo-gold&tier=gold&last_order=2026-10-01&orders=6";
    let (status, token, content_type) = mint(&on, query).await;
    assert_eq!(status, StatusCode::OK, "{token}");
    assert_eq!(content_type.as_deref(), Some("text/plain; charset=utf-8"));
    let claims = verify_demo(&token);
    assert_eq!(claims.member, "demo-gold");
    assert_eq!(claims.tier.as_deref(), Some("gold"));
    assert_eq!(claims.last_order.as_deref(), Some("2026-10-01"));
    assert_eq!(claims.orders, 6);
    assert_eq!(claims.envelope.kid, "k2", "the newest key signs");
    assert_eq!(
        claims.envelope.exp - claims.envelope.iat,
        MEMBER_TOKEN_MAX_SECS
    );
    let reply = page(&on, &format!("store=demo&token={token}")).await;
    assert_eq!(reply.json["status"]["tier"], "gold");

    // Only for the store that turned it on, and only with sane values.
    assert_eq!(
        mint(&on, "store=other&member=m-1").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(mint(&on, "member=m-1").await.0, StatusCode::NOT_FOUND);
    for bad in [
        "store=demo",
        "store=demo&member=m-1&tier=platinum",
        "store=demo&member=m-1&last_order=yesterday",
        "store=demo&member=m-1&orders=-1",
    ] {
        let (status, body, _) = mint(&on, bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        let json: Value = serde_json::from_str(&body).expect("JSON error");
        assert_eq!(json["error"], "invalid_query");
    }
}

#[test]
fn the_cli_prints_a_member_token_the_server_accepts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("store.toml");
    std::fs::write(&config, config_with("")).expect("write config");
    let run = |extra: &[&str]| {
        let mut args = vec!["token", "member", "--config"];
        let path = config.to_str().expect("utf-8 path");
        args.push(path);
        args.extend_from_slice(&["--store", "demo", "--member", "m-cli"]);
        args.extend_from_slice(extra);
        std::process::Command::new(env!("CARGO_BIN_EXE_encore-server"))
            .args(&args)
            .output()
            .expect("run encore-server")
    };
    let out = run(&[
        "--tier",
        "silver",
        "--last-order",
        "2026-11-01",
        "--orders",
        "2",
        "--ttl-mins",
        "5",
        "--key",
        "k1",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).expect("utf-8");
    let claims = verify_demo(token.trim());
    assert_eq!(claims.member, "m-cli");
    assert_eq!((claims.tier.as_deref(), claims.orders), (Some("silver"), 2));
    assert_eq!(claims.last_order.as_deref(), Some("2026-11-01"));
    assert_eq!(
        (
            claims.envelope.kid.as_str(),
            claims.envelope.exp - claims.envelope.iat
        ),
        ("k1", 300)
    );
    for (bad, says) in [
        (&["--ttl-mins", "16"][..], "1 to 15 minutes"),
        (&["--tier", "platinum"][..], "no tier \"platinum\""),
        (&["--last-order", "2026-13-01"][..], "is not a day"),
        (&["--key", "k9"][..], "no key \"k9\""),
    ] {
        let out = run(bad);
        assert!(!out.status.success(), "{bad:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{bad:?}: {stderr}");
    }
}

/// The member token example in docs/tokens.md verifies with the demo store's public secret at
/// the time it was issued.
#[test]
fn the_docs_member_token_example_verifies() {
    let doc = include_str!("../../docs/tokens.md");
    let section = doc
        .split("## Member token")
        .nth(1)
        .expect("a member token section");
    let token = section
        .split("```text\n")
        .nth(1)
        .and_then(|rest| rest.split('\n').next())
        .expect("an example token");
    let unverified: MemberClaims =
        encore_core::token::read_unverified(token).expect("readable claims");
    let claims = verify::<MemberClaims>(
        token,
        |kid| (kid == "demo-2026a").then_some(&b"public-demo-secret-not-for-production-use"[..]),
        Expectations {
            store: "demo",
            now: unverified.envelope.iat + 1,
            max_lifetime: MEMBER_TOKEN_MAX_SECS,
        },
    )
    .expect("the example verifies");
    assert_eq!(claims.member, "m-1001");
    assert_eq!(claims.tier.as_deref(), Some("gold"));
}
