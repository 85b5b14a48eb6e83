//! Referral beyond the widget's routes: the store's review of held referrals (the library
//! functions behind `referrals list|approve|reject`, and the commands themselves), the demo
//! store's order tokens, `token order` with buyer facts, and the referral config's errors.

mod common;

use axum::http::{StatusCode, header};
use common::Fixture;
use common::referral::*;
use encore_core::referral::page::ReferralPage;
use encore_core::token::{Expectations, OrderClaims, verify};
use encore_server::referral::ReferralStatus;
use encore_server::referral::review::{self, ReviewError};
use encore_server::{ConfigError, ServerConfig};

/// Posts a friend's landing through `code` and order of unknown history (held for review).
async fn held_order(f: &Fixture, code: &str, order: &str, n: u32) {
    let token = order_token(
        order,
        &Facts {
            email: Some("friend@example.com"),
            ..Facts::default()
        },
    );
    let device = format!("device-held-{n:04}");
    let landed_at = now_ms() - DAY_MS;
    let landing = landed_on(&uuid(100 + n), code, landed_at, &device);
    let result = ordered(&uuid(n), code, landed_at, &token, &device);
    let reply = post_from(f, vec![landing, result], &format!("192.0.2.{n}")).await;
    assert!(
        verdicts(&reply).iter().all(|v| v.0 == "accepted"),
        "{}",
        reply.json
    );
}

async fn rewards_and_pending(f: &Fixture, token: &str) -> (u64, u64) {
    let page: ReferralPage =
        serde_json::from_value(panel(f, token, "en").await.json).expect("a ReferralPage");
    (page.counts.rewards, page.counts.pending)
}

#[tokio::test]
async fn held_referrals_are_approved_or_rejected_once() {
    let f = fixture().await;
    let mei = member_token("m-mei", None, None);
    let code = code_of(&f, &mei).await;
    held_order(&f, &code, "7001", 1).await;
    held_order(&f, &code, "7002", 2).await;
    assert_eq!(
        referral_row(&f, "7001").await,
        Some(("review_history".into(), "review".into()))
    );
    assert_eq!(rewards_and_pending(&f, &mei).await, (0, 2));

    let held = review::list(&f.state.db, "demo", Some(ReferralStatus::Review))
        .await
        .expect("list");
    let orders: Vec<&str> = held.iter().map(|l| l.order_id.as_str()).collect();
    assert_eq!(orders.len(), 2);
    assert!(orders.contains(&"7001") && orders.contains(&"7002"));
    let table = review::table(&held);
    assert!(
        table.starts_with("ORDER") && table.contains("review_history"),
        "{table}"
    );

    review::approve(&f.state.db, "demo", "7001", 1)
        .await
        .expect("approved");
    assert_eq!(rewards_and_pending(&f, &mei).await, (1, 1));
    review::reject(&f.state.db, "demo", " 7002 ", 2)
        .await
        .expect("rejected");
    assert_eq!(rewards_and_pending(&f, &mei).await, (1, 0));
    assert_eq!(
        referral_row(&f, "7002").await,
        Some(("review_history".into(), "rejected".into()))
    );

    let again = review::reject(&f.state.db, "demo", "7001", 3).await;
    match again {
        Err(e @ ReviewError::NotInReview { .. }) => {
            assert!(e.to_string().contains("is approved"), "{e}");
        }
        other => panic!("only held referrals can be decided: {other:?}"),
    }
    let unknown = review::approve(&f.state.db, "demo", "9999", 3).await;
    assert!(
        matches!(&unknown, Err(ReviewError::UnknownOrder { order, .. }) if order == "9999"),
        "{unknown:?}"
    );
    let other_store = review::approve(&f.state.db, "plain", "7001", 3).await;
    assert!(matches!(other_store, Err(ReviewError::UnknownOrder { .. })));
    assert!(
        review::list(&f.state.db, "demo", Some(ReferralStatus::Review))
            .await
            .expect("list")
            .is_empty()
    );
}

fn cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_encore-server"))
        .args(args)
        .output()
        .expect("run encore-server")
}

#[tokio::test]
async fn the_referrals_commands_list_and_decide() {
    let f = fixture().await;
    let code = code_of(&f, &member_token("m-mei", None, None)).await;
    held_order(&f, &code, "8001", 1).await;
    let config_path = f.dir.path().join("store.toml");
    std::fs::write(&config_path, config(false)).expect("config");
    let db_path = f.dir.path().join("encore.db");
    let config = config_path.to_str().expect("utf-8");
    let db = db_path.to_str().expect("utf-8");
    let base = ["--config", config, "--db", db, "--store", "demo"];
    let run = |command: &[&str], extra: &[&str]| {
        let mut args = vec!["referrals"];
        args.extend_from_slice(command);
        args.extend_from_slice(&base);
        args.extend_from_slice(extra);
        cli(&args)
    };
    let listed = run(&["list"], &["--status", "review"]);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let stdout = String::from_utf8_lossy(&listed.stdout);
    assert!(
        stdout.contains("8001") && stdout.contains(&code),
        "{stdout}"
    );

    let approved = run(&["approve"], &["--order", "8001"]);
    assert!(
        approved.status.success(),
        "{}",
        String::from_utf8_lossy(&approved.stderr)
    );
    let twice = run(&["approve"], &["--order", "8001"]);
    assert!(!twice.status.success());
    assert!(
        String::from_utf8_lossy(&twice.stderr).contains("not waiting for review"),
        "{}",
        String::from_utf8_lossy(&twice.stderr)
    );
    let none = run(&["list"], &["--status", "review"]);
    assert!(String::from_utf8_lossy(&none.stdout).contains("no referrals"));

    let mut args = vec!["referrals", "list", "--config", config, "--db", db];
    args.extend_from_slice(&["--store", "plain"]);
    let plain = cli(&args);
    assert!(!plain.status.success());
    assert!(String::from_utf8_lossy(&plain.stderr).contains("runs no referral program"));
}

#[test]
fn token_order_signs_the_buyer_facts() {
    let dir = tempfile::tempdir().expect("dir");
    let config_path = dir.path().join("store.toml");
    std::fs::write(&config_path, config(false)).expect("config");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "token",
            "order",
            "--config",
            config_path.to_str().expect("utf-8"),
        ];
        args.extend_from_slice(&[
            "--store",
            "demo",
            "--order",
            "1001",
            "--item",
            "jasmine=Jasmine",
        ]);
        args.extend_from_slice(extra);
        cli(&args)
    };
    let out = run(&[
        "--email",
        "mei@example.com",
        "--name",
        "Mei",
        "--buyer",
        "m-mei",
        "--orders-before",
        "0",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).expect("utf-8");
    let claims = verify_k1(token.trim());
    assert_eq!(claims.buyer.member.as_deref(), Some("m-mei"));
    assert_eq!(
        claims.buyer.contact.email.as_deref(),
        Some("mei@example.com")
    );
    assert_eq!(claims.buyer.contact.name.as_deref(), Some("Mei"));
    assert_eq!(claims.buyer.orders_before, Some(0));
    for (bad, says) in [
        (&["--email", "mei"][..], "is not an e-mail address"),
        (&["--name", " "][..], "buyer's name"),
    ] {
        let out = run(bad);
        assert!(!out.status.success(), "{bad:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{bad:?}"
        );
    }
}

fn verify_k1(token: &str) -> OrderClaims {
    verify(
        token,
        |kid| (kid == "k1").then_some(K1),
        Expectations {
            store: "demo",
            now: now_secs(),
            max_lifetime: 180 * 86_400,
        },
    )
    .expect("the token verifies")
}

#[tokio::test]
async fn the_demo_order_token_counts_earlier_orders_by_email() {
    let f = fixture().await;
    let mint = |query: &str| {
        let f = &f;
        let uri = format!("/demo/order-token?{query}");
        async move { get(f, &uri, "198.51.100.2").await }
    };
    mint("store=plain&order=A-1&items=jasmine")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    let first =
        mint("store=demo&order=A-1&email=meichen@gmail.com&name=Mei&items=jasmine,gaiwan").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.json);
    assert_eq!(first.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(first.json["order"], "A-1");
    let claims = verify_k1(first.json["token"].as_str().expect("a token"));
    assert_eq!(claims.order, "A-1");
    assert_eq!(claims.envelope.exp - claims.envelope.iat, 30 * 86_400);
    let names: Vec<&str> = claims.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["Jasmine Silver Needle", "Celadon Gaiwan"]);
    assert_eq!(claims.buyer.contact.name.as_deref(), Some("Mei"));
    assert_eq!(claims.buyer.orders_before, Some(0));

    let orders_before = |reply: &common::Reply| {
        verify_k1(reply.json["token"].as_str().expect("a token"))
            .buyer
            .orders_before
    };
    let second = mint("store=demo&order=A-2&email=Mei.Chen%2Bx@gmail.com&items=jasmine").await;
    assert_eq!(
        orders_before(&second),
        Some(1),
        "the same mailbox, spelt differently"
    );
    let again = mint("store=demo&order=A-1&email=meichen@gmail.com&items=jasmine").await;
    assert_eq!(orders_before(&again), Some(0), "a repeat is the same order");
    let other = mint("store=demo&order=A-3&email=lin@example.com&items=jasmine").await;
    assert_eq!(orders_before(&other), Some(0));
    let anonymous = mint("store=demo&order=A-4&items=jasmine").await;
    assert_eq!(
        orders_before(&anonymous),
        None,
        "no e-mail: history unknown"
    );
    assert_eq!(f.count("SELECT COUNT(*) FROM demo_orders").await, 4);

    for query in [
        "store=demo&order=A-5&items=teapot",
        "store=demo&order=A-5",
        "store=demo&order=A%2F5&items=jasmine",
        "store=demo&order=A-5&email=mei&items=jasmine",
        "store=demo&order=A-1&email=lin@example.com&items=jasmine",
    ] {
        mint(query)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "invalid_query");
    }
    assert_eq!(f.count("SELECT COUNT(*) FROM demo_orders").await, 4);
}

#[tokio::test]
async fn demo_member_tokens_carry_a_name_for_the_welcome() {
    let f = fixture().await;
    let reply = get(
        &f,
        "/demo/member-token?store=demo&member=m-ann&name=Ann&email=ann@example.com",
        "198.51.100.3",
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    let token = reply.json.as_str().expect("a token as text").to_owned();
    let code = code_of(&f, &token).await;
    let welcome = get(
        &f,
        &format!("/v1/referral/welcome?store=demo&code={code}"),
        "198.51.100.3",
    )
    .await;
    assert_eq!(welcome.json["advocate_name"], "Ann");
    get(
        &f,
        "/demo/member-token?store=demo&member=m-ann&email=ann",
        "198.51.100.3",
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "invalid_query");
}

fn referral_error(section: &str) -> String {
    let text = format!(
        "[[store]]\nid = \"s\"\nname = \"Shop\"\n[[store.keys]]\nid = \"k1\"\n\
         secret = \"0123456789abcdef0123456789abcdef\"\n{section}"
    );
    match ServerConfig::from_toml_str(&text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => {
            let message = e.to_string();
            assert!(!message.contains('\n'), "{message:?}");
            message
        }
    }
}

#[test]
fn the_demo_store_runs_a_referral_program() {
    let config = ServerConfig::from_toml_str(include_str!("../demo-store.toml")).expect("valid");
    let demo = config.store("demo").expect("demo");
    let program = demo.referral.as_ref().expect("a referral program");
    assert_eq!(
        program.landing_url,
        "http://127.0.0.1:8080/www/product.html"
    );
    assert_eq!(program.friend_gets.zh_cn.as_deref(), Some("首单 85 折"));
    assert_eq!(program.advocate_gets.en, "$10 store credit");
    assert!(demo.mint_demo_order_tokens);
}

#[test]
fn bad_referral_config_gets_a_clear_message() {
    let program = |extra: &str| {
        format!(
            "[store.referral]\nlanding_url = \"https://shop.example/\"\n\
             friend_gets = {{ en = \"15% off\" }}\nadvocate_gets = {{ en = \"$10\" }}\n{extra}"
        )
    };
    let good = format!(
        "[[store]]\nid = \"s\"\nname = \"Shop\"\n[[store.keys]]\nid = \"k1\"\n\
         secret = \"0123456789abcdef0123456789abcdef\"\n{}",
        program("")
    );
    let config = ServerConfig::from_toml_str(&good).expect("a minimal program is valid");
    let referral = config
        .store("s")
        .and_then(|s| s.referral.clone())
        .expect("program");
    assert_eq!(referral.attribution_days, 30);
    assert_eq!((referral.limits.per_device, referral.limits.per_ip), (2, 5));

    let cases = [
        (
            program("").replace("https://shop.example/", "/welcome"),
            "landing_url \"/welcome\" is invalid: it must start with https:// or http://",
        ),
        (
            program("").replace("https://shop.example/", "javascript:alert(1)"),
            "landing_url \"javascript:alert(1)\" is invalid",
        ),
        (
            program("").replace("15% off", " "),
            "[store.referral] friend_gets needs non-empty text",
        ),
        (
            program("").replace("advocate_gets = { en = \"$10\" }", ""),
            "advocate_gets",
        ),
        (
            program("attribution_days = 0"),
            "attribution_days must be 1 to 365, not 0",
        ),
        (
            program("attribution_days = 400"),
            "attribution_days must be 1 to 365, not 400",
        ),
        (
            program("[store.referral.limits]\nper_device = 0"),
            "[store.referral.limits] per_device must be at least 1",
        ),
        (program("bonus = 5"), "bonus"),
        (
            program("").replace("en = \"$10\"", "en = \"$10\", fr = \"10 $\""),
            "fr",
        ),
    ];
    for (section, says) in cases {
        let message = referral_error(&section);
        assert!(message.contains(says), "{says:?} not in {message:?}");
        if message.contains("[store.referral") {
            assert!(message.starts_with("store \"s\": "), "{message}");
        }
    }

    let keyless = |section: &str| format!("[[store]]\nid = \"s\"\nname = \"Shop\"\n{section}");
    for (text, says) in [
        (
            keyless(&program("")),
            "[store.referral] needs a [[store.keys]] key",
        ),
        (
            keyless("[store.demo]\nmint_order_tokens = true\n"),
            "[store.demo] mint_order_tokens needs a [[store.keys]] key",
        ),
    ] {
        let error = ServerConfig::from_toml_str(&text).expect_err("refused");
        assert!(matches!(error, ConfigError::Referral { .. }), "{error:?}");
        assert!(error.to_string().contains(says), "{error}");
    }
}
