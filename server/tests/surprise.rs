//! `POST /v1/surprise/redeem` and the published odds on a real SQLite file: single use under a
//! 100-way race, the same answer on a retry, the prize only for its winner, forged codes kept
//! away from the database, windows, limits, budgets and pools under concurrency, brute-force
//! limits, and the append-only audit.

mod common;

use axum::http::StatusCode;
use axum::http::header::RETRY_AFTER;
use common::surprise::{code, device, fixture, redeem, redemption};
use common::{Fixture, send};
use encore_core::surprise::redeem::Redemption;
use std::collections::HashSet;

fn answer(reply: &common::Reply) -> Redemption {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    serde_json::from_value(reply.json.clone()).expect("a Redemption")
}

async fn rows(f: &Fixture) -> i64 {
    f.count("SELECT COUNT(*) FROM surprise_redemptions").await
}

#[tokio::test]
async fn a_code_is_redeemed_once_and_a_retry_gets_the_same_answer() {
    let f = fixture().await;
    let c = code(1, 7);
    let first = answer(&redeem(&f, &c, &redemption(1), &device(1)).await);
    let Redemption::Redeemed {
        prize, campaign, ..
    } = &first
    else {
        panic!("redeemed: {first:?}");
    };
    assert_eq!(*campaign, 1);
    // A retry of the same attempt (a lost answer): identical, prize and time.
    let again = answer(&redeem(&f, &c, &redemption(1), &device(1)).await);
    assert_eq!(again, first);
    // The same browser, a new attempt: already redeemed, with its prize.
    match answer(&redeem(&f, &c, &redemption(2), &device(1)).await) {
        Redemption::AlreadyRedeemed { prize: Some(p), .. } => assert_eq!(&p, prize),
        other => panic!("already redeemed with the prize: {other:?}"),
    }
    // Anyone else: already redeemed, and the prize stays with its winner.
    match answer(&redeem(&f, &c, &redemption(3), &device(2)).await) {
        Redemption::AlreadyRedeemed { prize: None, .. } => {}
        other => panic!("already redeemed without the prize: {other:?}"),
    }
    assert_eq!(rows(&f).await, 1);
    assert_eq!(f.count("SELECT COUNT(*) FROM surprise_awards").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_redemptions_of_one_code_make_exactly_one_winner() {
    let f = fixture().await;
    let c = code(2, 1);
    let tasks: Vec<_> = (0..100u32)
        .map(|n| {
            let app = f.app();
            let request = common::surprise::redeem_request(&c, &redemption(100 + n), &device(n));
            tokio::spawn(async move { send(app, request).await })
        })
        .collect();
    let mut redeemed = 0;
    let mut already = 0;
    for task in tasks {
        match answer(&task.await.expect("task")) {
            Redemption::Redeemed { .. } => redeemed += 1,
            Redemption::AlreadyRedeemed { prize: None, .. } => already += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert_eq!((redeemed, already), (1, 99));
    assert_eq!(rows(&f).await, 1);
    assert_eq!(f.count("SELECT COUNT(*) FROM surprise_awards").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_budget_is_never_exceeded_and_pool_codes_go_out_once_each() {
    let f = fixture().await;
    // Campaign 2: one prize at 100%, budget 3, pool of 5; 40 different codes at once.
    let tasks: Vec<_> = (0..40u32)
        .map(|n| {
            let app = f.app();
            let request =
                common::surprise::redeem_request(&code(2, 1000 + n), &redemption(n), &device(n));
            tokio::spawn(async move { send(app, request).await })
        })
        .collect();
    let mut codes = Vec::new();
    let mut thanks = 0;
    for task in tasks {
        match answer(&task.await.expect("task")) {
            Redemption::Redeemed { prize, .. } if prize.id == "sure" => {
                codes.push(prize.code.expect("a pool code"));
            }
            Redemption::Redeemed { prize, .. } => {
                assert_eq!(prize.id, "thanks");
                assert_eq!(prize.code, None);
                thanks += 1;
            }
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert_eq!(codes.len(), 3, "exactly the budget: {codes:?}");
    assert_eq!(codes.iter().collect::<HashSet<_>>().len(), 3, "distinct");
    assert_eq!(thanks, 37);
    assert_eq!(
        f.count("SELECT COUNT(*) FROM surprise_codes WHERE claimed_by IS NOT NULL")
            .await,
        3
    );
    // The published odds say what is left.
    let odds = send(
        f.app(),
        axum::http::Request::get("/v1/surprise/campaigns/2?store=demo")
            .body(axum::body::Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(odds.status, StatusCode::OK);
    assert_eq!(odds.json["prizes"][0]["chance_ppm"], 1_000_000);
    assert_eq!(odds.json["prizes"][0]["budget"], 3);
    assert_eq!(odds.json["prizes"][0]["remaining"], 0);
}

#[tokio::test]
async fn forged_and_mistyped_codes_are_invalid_without_touching_the_database() {
    let f = fixture().await;
    let real = code(1, 42);
    let mut forged: Vec<char> = real.chars().collect();
    let last = forged.len() - 1;
    forged[last] = if forged[last] == 'A' { 'B' } else { 'A' };
    let forged: String = forged.into_iter().collect();
    for (n, bad) in [
        forged.as_str(),
        "not a code",
        "",
        &encore_core::surprise::code::mint(
            encore_core::surprise::code::CodeId {
                campaign: 9,
                serial: 1,
            },
            b"campaign-one-key-0123456789abcdef",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let reply = redeem(&f, bad, &redemption(n as u32), &device(50 + n as u32)).await;
        assert_eq!(answer(&reply), Redemption::Invalid, "{bad:?}");
    }
    assert_eq!(rows(&f).await, 0);
    // The genuine code it was made from still works.
    let ok = redeem(&f, &real, &redemption(9), &device(60)).await;
    assert!(matches!(answer(&ok), Redemption::Redeemed { .. }));
}

#[tokio::test]
async fn too_many_invalid_codes_make_the_device_and_address_wait() {
    let f = fixture().await;
    for n in 0..3u32 {
        let reply = redeem(
            &f,
            &format!("{}X", &code(1, 1)[..20]),
            &redemption(n),
            &device(7),
        )
        .await;
        assert_eq!(answer(&reply), Redemption::Invalid);
    }
    // Over the limit: 429 with Retry-After for the next invalid code.
    let limited = redeem(&f, &code(1, 2)[..20], &redemption(10), &device(7)).await;
    limited.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let retry: u64 = limited
        .headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=600).contains(&retry), "{retry}");
    // A genuine code is never refused for misses: its tag is the proof, and a guess is right
    // once in 2^64.
    let genuine = redeem(&f, &code(1, 2), &redemption(11), &device(7)).await;
    assert!(matches!(answer(&genuine), Redemption::Redeemed { .. }));
    // Another device is not held back.
    let other = redeem(&f, &code(1, 3), &redemption(12), &device(8)).await;
    assert!(matches!(answer(&other), Redemption::Redeemed { .. }));
}

#[tokio::test]
async fn windows_and_device_limits_are_enforced() {
    let f = fixture().await;
    assert!(matches!(
        answer(&redeem(&f, &code(3, 1), &redemption(1), &device(1)).await),
        Redemption::Expired { .. }
    ));
    assert!(matches!(
        answer(&redeem(&f, &code(4, 1), &redemption(2), &device(1)).await),
        Redemption::NotStarted { .. }
    ));
    // Campaign 1 allows two codes per device.
    for n in 0..2u32 {
        let reply = redeem(&f, &code(1, 100 + n), &redemption(10 + n), &device(3)).await;
        assert!(matches!(answer(&reply), Redemption::Redeemed { .. }));
    }
    let third = redeem(&f, &code(1, 102), &redemption(12), &device(3)).await;
    assert_eq!(answer(&third), Redemption::LimitReached);
    assert_eq!(rows(&f).await, 2);
}

#[tokio::test]
async fn bad_requests_get_clear_errors() {
    let f = fixture().await;
    let bad_device = redeem(&f, &code(1, 1), &redemption(1), "x").await;
    bad_device.assert_error(StatusCode::BAD_REQUEST, "invalid_body");
    let not_json = send(
        f.app(),
        axum::http::Request::post("/v1/surprise/redeem")
            .header("content-type", "application/json")
            .body(axum::body::Body::from("{"))
            .expect("request"),
    )
    .await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    let foreign = send(f.app(), {
        let mut r = common::surprise::redeem_request(&code(1, 1), &redemption(2), &device(1));
        r.headers_mut().insert(
            "origin",
            axum::http::HeaderValue::from_static("https://evil.example"),
        );
        r
    })
    .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN, "{}", foreign.json);
    assert_eq!(rows(&f).await, 0);
}

#[tokio::test]
async fn the_audit_table_is_append_only() {
    let f = fixture().await;
    redeem(&f, &code(1, 5), &redemption(1), &device(1)).await;
    assert_eq!(f.count("SELECT COUNT(*) FROM surprise_awards").await, 1);
    for sql in [
        "UPDATE surprise_awards SET prize_id = 'gift'",
        "DELETE FROM surprise_awards",
    ] {
        let err = sqlx::query(sql).execute(&f.state.db).await;
        assert!(err.is_err(), "{sql} must fail");
    }
    let roll: i64 = sqlx::query_scalar("SELECT roll_ppm FROM surprise_awards")
        .fetch_one(&f.state.db)
        .await
        .expect("roll");
    assert!((0..1_000_000).contains(&roll));
}

/// A redemption of an invalid code from `device`, arriving from `peer` with `forwarded`.
fn from_peer(peer: &str, forwarded: &str, n: u32) -> axum::http::Request<axum::body::Body> {
    let mut request = common::surprise::redeem_request("0000-0000", &redemption(n), &device(n));
    let addr: std::net::SocketAddr = format!("{peer}:40000").parse().expect("addr");
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    request.headers_mut().insert(
        "x-forwarded-for",
        axum::http::HeaderValue::from_str(forwarded).expect("header"),
    );
    request
}

#[tokio::test]
async fn the_address_limit_reads_x_forwarded_for_only_from_a_trusted_proxy() {
    // Behind a trusted proxy: five shoppers' invalid codes from one address fill its limit (5),
    // while another address behind the same proxy is not held back.
    let f = fixture().await;
    let proxied = encore_server::app(
        f.state
            .clone()
            .with_trusted_proxies(vec!["10.0.0.1".parse().expect("ip")]),
    );
    for n in 0..5 {
        let reply = send(proxied.clone(), from_peer("10.0.0.1", "198.51.100.7", n)).await;
        assert_eq!(answer(&reply), Redemption::Invalid);
    }
    let limited = send(proxied.clone(), from_peer("10.0.0.1", "198.51.100.7", 5)).await;
    limited.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let other = send(proxied, from_peer("10.0.0.1", "198.51.100.8", 6)).await;
    assert_eq!(answer(&other), Redemption::Invalid);

    // Proxies named by a CIDR range: every load balancer in 10.0.0.0/8 is believed.
    let f = fixture().await;
    let proxied = encore_server::app(
        f.state
            .clone()
            .with_trusted_proxies(vec!["10.0.0.0/8".parse().expect("a range")]),
    );
    for n in 0..5 {
        let peer = format!("10.1.2.{n}");
        let reply = send(proxied.clone(), from_peer(&peer, "198.51.100.7", n)).await;
        assert_eq!(answer(&reply), Redemption::Invalid);
    }
    let limited = send(proxied.clone(), from_peer("10.9.9.9", "198.51.100.7", 5)).await;
    limited.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let other = send(proxied, from_peer("10.9.9.9", "198.51.100.8", 6)).await;
    assert_eq!(answer(&other), Redemption::Invalid);

    // Without a trusted proxy a client cannot escape the limit by writing the header.
    let f = fixture().await;
    for n in 0..5 {
        let forged = format!("203.0.113.{n}");
        let reply = send(f.app(), from_peer("192.0.2.1", &forged, n)).await;
        assert_eq!(answer(&reply), Redemption::Invalid);
    }
    let limited = send(f.app(), from_peer("192.0.2.1", "203.0.113.99", 5)).await;
    limited.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
}

/// A redemption of `code` by device `n` as attempt `n`, arriving from `peer`.
fn from_address(peer: &str, code: &str, n: u32) -> axum::http::Request<axum::body::Body> {
    let mut request = common::surprise::redeem_request(code, &redemption(n), &device(n));
    let addr: std::net::SocketAddr = format!("{peer}:40000").parse().expect("addr");
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    request
}

#[tokio::test]
async fn guesses_from_one_address_use_one_budget_whatever_the_device_id() {
    let f = fixture().await;
    // Five misses per address: a guesser with a fresh device id for every guess.
    for n in 0..5 {
        let reply = send(f.app(), from_address("198.51.100.7", "0000-0000", n)).await;
        assert_eq!(answer(&reply), Redemption::Invalid, "guess {n}");
    }
    let limited = send(f.app(), from_address("198.51.100.7", "0000-0001", 5)).await;
    limited.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");

    // The same shared address (a shop's Wi-Fi, a carrier's NAT): a shopper with a genuine code
    // redeems it, by the direct route and by the queued result.
    let genuine = send(f.app(), from_address("198.51.100.7", &code(1, 300), 6)).await;
    assert!(matches!(answer(&genuine), Redemption::Redeemed { .. }));
    let queued = axum::http::Request::post("/v1/events")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            common::batch(vec![common::surprise::redeemed_result(
                &redemption(7),
                &code(1, 301),
                &device(7),
            )])
            .to_string(),
        ))
        .expect("request");
    let queued = send(f.app(), common::reviews::from_ip(queued, "198.51.100.7")).await;
    assert_eq!(
        queued.json["results"][0]["status"], "accepted",
        "{}",
        queued.json
    );
}

#[tokio::test]
async fn an_ipv6_64_is_one_address_for_the_guess_budget() {
    let f = fixture().await;
    // A /64 is one subscriber's network: a fresh address in it is not a fresh budget.
    for n in 0..5 {
        let peer = format!("[2001:db8:1:2::{:x}]", n + 1);
        let reply = send(f.app(), from_address(&peer, "0000-0000", n)).await;
        assert_eq!(answer(&reply), Redemption::Invalid, "guess {n}");
    }
    let limited = send(
        f.app(),
        from_address("[2001:db8:1:2:ffff:ffff:ffff:ffff]", "0000-0000", 5),
    )
    .await;
    limited.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let neighbour = send(f.app(), from_address("[2001:db8:1:3::1]", "0000-0000", 6)).await;
    assert_eq!(answer(&neighbour), Redemption::Invalid, "another /64");
}

/// A member token of the `demo` store for `member`, valid ten minutes (or expired already).
fn member_token(member: &str, expired: bool) -> String {
    use encore_core::token::{Envelope, MemberClaims, sign};
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    let (iat, exp) = if expired {
        (now - 700, now - 100)
    } else {
        (now - 10, now + 600)
    };
    let claims = MemberClaims {
        envelope: Envelope {
            store: "demo".into(),
            kid: "k1".into(),
            iat,
            exp,
        },
        member: member.into(),
        tier: None,
        last_order: None,
        orders: 0,
        contact: Default::default(),
    };
    sign(&claims, b"0123456789abcdef0123456789abcdef")
}

/// A redemption of `code` by `device` as attempt `n`, with `token` when given.
async fn redeem_as(
    f: &Fixture,
    code: &str,
    n: u32,
    device: &str,
    token: Option<&str>,
) -> common::Reply {
    let mut body = serde_json::json!({
        "store": "demo", "code": code, "redemption": redemption(n), "device": device,
    });
    if let Some(token) = token {
        body["member_token"] = token.into();
    }
    let request = axum::http::Request::post("/v1/surprise/redeem")
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .expect("request");
    send(f.app(), request).await
}

#[tokio::test]
async fn a_per_member_limit_holds_because_its_campaign_opens_only_for_members() {
    let config = common::surprise::CONFIG.replacen(
        "per_device = 1000",
        "per_device = 1000\nper_member = 2",
        1,
    );
    let f = Fixture::with_config(&config).await;
    let mei = member_token("m-mei", false);
    // Without a member token, or with one that no longer verifies, the limit could not count
    // the code: refused as limit_reached, and the code stays unopened.
    for (n, token) in [
        None,
        Some(member_token("m-mei", true)),
        Some("nonsense".into()),
    ]
    .into_iter()
    .enumerate()
    {
        let reply = redeem_as(&f, &code(2, 1), n as u32, &device(1), token.as_deref()).await;
        assert_eq!(answer(&reply), Redemption::LimitReached, "token {n}");
    }
    assert_eq!(rows(&f).await, 0);
    let queued = f
        .post(&common::batch(vec![common::surprise::redeemed_result(
            &redemption(9),
            &code(2, 1),
            &device(1),
        )]))
        .await;
    assert_eq!(
        queued.acks()[0].2.as_deref(),
        Some("redeem_limit_reached"),
        "{}",
        queued.json
    );
    // Signed in: two codes, then the limit, whatever the device id.
    for (n, serial) in [(10u32, 1u32), (11, 2)] {
        let reply = redeem_as(&f, &code(2, serial), n, &device(n), Some(&mei)).await;
        assert!(
            matches!(answer(&reply), Redemption::Redeemed { .. }),
            "{serial}"
        );
    }
    let third = redeem_as(&f, &code(2, 3), 12, &device(12), Some(&mei)).await;
    assert_eq!(answer(&third), Redemption::LimitReached);
    let li = member_token("m-li", false);
    let other = redeem_as(&f, &code(2, 3), 13, &device(13), Some(&li)).await;
    assert!(matches!(answer(&other), Redemption::Redeemed { .. }));
    // A campaign without a per-member limit stays open to anyone.
    let anyone = redeem_as(&f, &code(1, 1), 14, &device(14), None).await;
    assert!(matches!(answer(&anyone), Redemption::Redeemed { .. }));
}
