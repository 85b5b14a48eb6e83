//! `offer.claimed` through `POST /v1/events`: the code in the acknowledgement, retries, the
//! per-member limit, code pools, budgets under concurrent claims, and every refusal.

mod common;

use axum::http::StatusCode;
use common::offers::*;
use common::{DEMO_ORIGIN, Fixture, OTHER_ORIGIN, batch, events_request, id, send};
use encore_core::token::sign;
use serde_json::Value;

/// The one ack of a reply: (status, reason, reward).
fn single(reply: &common::Reply) -> (String, Option<String>, Option<Value>) {
    let ack = &reply.json["results"][0];
    (
        ack["status"].as_str().expect("status").to_owned(),
        ack.get("reason").and_then(Value::as_str).map(str::to_owned),
        ack.get("reward").cloned(),
    )
}

fn code(reply: &common::Reply) -> String {
    let (status, reason, reward) = single(reply);
    assert!(
        status == "accepted" || status == "duplicate",
        "{status} {reason:?}: {}",
        reply.json
    );
    reward
        .and_then(|r| r["code"].as_str().map(str::to_owned))
        .expect("a code in the reward")
}

fn refused(reply: &common::Reply) -> String {
    let (status, reason, reward) = single(reply);
    assert_eq!(status, "rejected", "{}", reply.json);
    assert!(reward.is_none());
    reason.expect("a reason")
}

async fn claims_of(f: &Fixture, offer: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT member, code FROM offer_claims WHERE offer = $1 ORDER BY claimed_at, id")
        .bind(offer)
        .fetch_all(&f.state.db)
        .await
        .expect("query")
}

#[tokio::test]
async fn a_claim_gets_the_code_and_its_title_in_the_ack() {
    let f = fixture().await;
    let reply = claim(&f, claim_event(&id(1), "gold-20", &gold("m-gold"))).await;
    assert_eq!(reply.status, StatusCode::OK);
    let (status, _, reward) = single(&reply);
    assert_eq!(status, "accepted");
    assert_eq!(
        reward,
        Some(serde_json::json!({"code": "GOLD-20", "description": "20% off every tea"}))
    );
    assert_eq!(
        claims_of(&f, "gold-20").await,
        [("m-gold".into(), "GOLD-20".into())]
    );
    // The page now shows the code instead of the claim button.
    let page = page(&f, &format!("store=demo&token={}", gold("m-gold"))).await;
    assert_eq!(card(&page, "gold-20")["claimed_code"], "GOLD-20");
}

#[tokio::test]
async fn the_stored_result_keeps_no_bearer_token() {
    let f = fixture().await;
    let token = gold("m-gold");
    code(&claim(&f, claim_event(&id(1), "gold-20", &token)).await);
    let body: String = sqlx::query_scalar("SELECT body FROM events WHERE id = $1")
        .bind(id(1))
        .fetch_one(&f.state.db)
        .await
        .expect("the result is stored");
    assert!(!body.contains(&token), "{body}");
    let stored: Value = serde_json::from_str(&body).expect("json");
    let kept = stored["data"]["member_token"].as_str().expect("a string");
    assert!(
        kept.starts_with("sha256:") && kept.len() == 7 + 64,
        "{kept}"
    );
}

#[tokio::test]
async fn a_repeat_gets_the_same_code_and_counts_once() {
    let f = fixture().await;
    let token = silver("m-silver");
    let first = code(&claim(&f, claim_event(&id(1), "tasting", &token)).await);
    assert_eq!(first, "TASTE-1", "codes go out in the order listed");
    for _ in 0..3 {
        let reply = claim(&f, claim_event(&id(1), "tasting", &token)).await;
        assert_eq!(single(&reply).0, "duplicate");
        assert_eq!(code(&reply), first);
    }
    assert_eq!(claims_of(&f, "tasting").await.len(), 1);
    // A repeat inside one batch is judged against its first occurrence.
    let event = claim_event(&id(2), "tasting", &token);
    let reply = f.post(&batch(vec![event.clone(), event])).await;
    let results = reply.json["results"].as_array().expect("results");
    assert_eq!(results[0]["status"], "accepted");
    assert_eq!(results[1]["status"], "duplicate");
    assert_eq!(results[0]["reward"], results[1]["reward"]);
    assert_eq!(claims_of(&f, "tasting").await.len(), 2);
}

#[tokio::test]
async fn a_repeat_after_the_token_expired_still_gets_its_code() {
    let f = fixture().await;
    let mut short = claims("m-late", Some("gold"), 6, None);
    short.envelope.exp = now_secs() + 2;
    let token = sign(&short, K1);
    let first = code(&claim(&f, claim_event(&id(1), "gold-20", &token)).await);
    tokio::time::sleep(std::time::Duration::from_millis(3100)).await;
    let reply = claim(&f, claim_event(&id(1), "gold-20", &token)).await;
    assert_eq!(single(&reply).0, "duplicate", "{}", reply.json);
    assert_eq!(code(&reply), first);
    // A new claim with it is refused.
    let reply = claim(&f, claim_event(&id(2), "everyone", &token)).await;
    assert_eq!(refused(&reply), "token_expired");
}

#[tokio::test]
async fn a_member_claims_at_most_per_member_times() {
    let f = fixture().await;
    let token = gold("m-gold");
    assert_eq!(
        code(&claim(&f, claim_event(&id(1), "everyone", &token)).await),
        "ALL-5"
    );
    assert_eq!(
        code(&claim(&f, claim_event(&id(2), "everyone", &token)).await),
        "ALL-5"
    );
    let reply = claim(&f, claim_event(&id(3), "everyone", &token)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused(&reply), "claim_limit_reached");
    // The default limit is one.
    code(&claim(&f, claim_event(&id(4), "gold-20", &token)).await);
    let reply = claim(&f, claim_event(&id(5), "gold-20", &token)).await;
    assert_eq!(refused(&reply), "claim_limit_reached");
    // Another member is not affected.
    code(&claim(&f, claim_event(&id(6), "everyone", &gold("m-other"))).await);
    assert_eq!(claims_of(&f, "everyone").await.len(), 3);
}

#[tokio::test]
async fn pool_codes_are_distinct_and_the_budget_ends_them() {
    let f = fixture().await;
    let mut codes = Vec::new();
    for (n, member) in ["m-a", "m-b", "m-c"].into_iter().enumerate() {
        let reply = claim(
            &f,
            claim_event(&id(n as u8 + 1), "tasting", &silver(member)),
        )
        .await;
        codes.push(code(&reply));
    }
    assert_eq!(codes, ["TASTE-1", "TASTE-2", "TASTE-3"]);
    // Budget 3 of a pool of 5: the fourth claim is sold out, even by a member with claims left.
    let reply = claim(&f, claim_event(&id(9), "tasting", &silver("m-a"))).await;
    assert_eq!(refused(&reply), "sold_out");
    let reply = claim(&f, claim_event(&id(10), "tasting", &gold("m-new"))).await;
    assert_eq!(refused(&reply), "sold_out");
    let page = page(&f, &format!("store=demo&token={}", gold("m-new"))).await;
    assert_eq!(card(&page, "tasting")["sold_out"], true);
    assert_eq!(card(&page, "gold-20")["sold_out"], false);
    let taken: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM offer_codes WHERE claimed_by IS NOT NULL")
            .fetch_one(&f.state.db)
            .await
            .expect("count");
    assert_eq!(taken, 3);
}

#[tokio::test]
async fn a_pool_without_a_budget_ends_with_its_last_code() {
    let f = fixture().await;
    // race-02 is a pool of one code and no budget.
    assert_eq!(
        code(&claim(&f, claim_event(&id(1), "race-02", &gold("m-a"))).await),
        "RACE-02-ONLY"
    );
    let reply = claim(&f, claim_event(&id(2), "race-02", &gold("m-b"))).await;
    assert_eq!(refused(&reply), "sold_out");
}

#[tokio::test]
async fn bad_tokens_are_refused_with_their_reason_and_leave_nothing() {
    let f = fixture().await;
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "altered member id",
            altered(&gold("m-1"), |c| c["member"] = "m-2".into()),
            "token_invalid",
        ),
        (
            "altered tier",
            altered(&silver("m-1"), |c| c["tier"] = "gold".into()),
            "token_invalid",
        ),
        (
            "truncated MAC",
            {
                let t = gold("m-1");
                t[..t.len() - 3].to_owned()
            },
            "token_invalid",
        ),
        (
            "unknown kid",
            {
                let mut c = claims("m-1", Some("gold"), 6, None);
                c.envelope.kid = "k9".into();
                sign(&c, K1)
            },
            "token_invalid",
        ),
        (
            "another store",
            {
                let mut c = claims("m-1", Some("gold"), 6, None);
                c.envelope.store = "other".into();
                c.envelope.kid = "o1".into();
                sign(&c, OTHER_KEY)
            },
            "token_invalid",
        ),
        (
            "expired",
            {
                let mut c = claims("m-1", Some("gold"), 6, None);
                let now = now_secs();
                (c.envelope.iat, c.envelope.exp) = (now - 1000, now - 200);
                sign(&c, K1)
            },
            "token_expired",
        ),
        ("empty", String::new(), "token_invalid"),
    ];
    for (n, (what, token, reason)) in cases.into_iter().enumerate() {
        let reply = claim(&f, claim_event(&id(n as u8 + 1), "gold-20", &token)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
        assert_eq!(refused(&reply), reason, "{what}");
    }
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 0);
    assert_eq!(f.count("SELECT COUNT(*) FROM offer_claims").await, 0);
}

#[tokio::test]
async fn audience_and_window_are_checked_when_the_claim_arrives() {
    let f = fixture().await;
    for (n, (offer, token, reason)) in [
        ("gold-20", silver("m-s"), "not_eligible"),
        ("welcome-back", gold("m-g"), "not_eligible"),
        ("no-such-offer", gold("m-g"), "not_eligible"),
        ("future", gold("m-g"), "not_open"),
        ("past", gold("m-g"), "not_open"),
    ]
    .into_iter()
    .enumerate()
    {
        let reply = claim(&f, claim_event(&id(n as u8 + 1), offer, &token)).await;
        assert_eq!(refused(&reply), reason, "{offer}");
    }
    // The lapsed buyer is in the win-back audience.
    let reply = claim(&f, claim_event(&id(20), "welcome-back", &lapsed("m-l"))).await;
    assert_eq!(code(&reply), "BACK-25");
    assert_eq!(f.count("SELECT COUNT(*) FROM offer_claims").await, 1);
}

#[tokio::test]
async fn the_member_comes_from_the_token_only() {
    let f = fixture().await;
    let mut event = claim_event(&id(1), "gold-20", &gold("m-real"));
    event["data"]["member"] = "m-someone-else".into();
    event["member"] = "m-someone-else".into();
    code(&claim(&f, event).await);
    assert_eq!(
        claims_of(&f, "gold-20").await,
        [("m-real".into(), "GOLD-20".into())]
    );
}

#[tokio::test]
async fn a_foreign_page_cannot_claim() {
    let f = fixture().await;
    let body = batch(vec![claim_event(&id(1), "gold-20", &gold("m-1"))]).to_string();
    let reply = send(
        f.app(),
        events_request(body.clone(), "text/plain", Some(OTHER_ORIGIN)),
    )
    .await;
    assert_eq!(refused(&reply), "origin_not_allowed");
    let reply = send(
        f.app(),
        events_request(body, "text/plain", Some(DEMO_ORIGIN)),
    )
    .await;
    assert_eq!(code(&reply), "GOLD-20");
}

/// Two members claim the last unit of an offer at the same moment, over separate requests and
/// connections: exactly one gets it, for shared codes and pools alike.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_concurrent_claims_of_the_last_unit_one_wins() {
    let f = fixture().await;
    for n in 0..RACES {
        let offer = format!("race-{n:02}");
        let a = claim_event(
            &format!("00000000-0000-4000-8000-0000000a{n:04x}"),
            &offer,
            &gold("m-a"),
        );
        let b = claim_event(
            &format!("00000000-0000-4000-8000-0000000b{n:04x}"),
            &offer,
            &silver("m-b"),
        );
        let (ra, rb) = tokio::join!(
            tokio::spawn(send(
                f.app(),
                events_request(batch(vec![a]).to_string(), "application/json", None)
            )),
            tokio::spawn(send(
                f.app(),
                events_request(batch(vec![b]).to_string(), "application/json", None)
            )),
        );
        let replies = [ra.expect("task a"), rb.expect("task b")];
        let statuses: Vec<(String, Option<String>, Option<Value>)> =
            replies.iter().map(single).collect();
        let winners = statuses.iter().filter(|s| s.0 == "accepted").count();
        let losers: Vec<_> = statuses.iter().filter(|s| s.0 == "rejected").collect();
        assert_eq!(winners, 1, "{offer}: {statuses:?}");
        assert_eq!(losers.len(), 1, "{offer}: {statuses:?}");
        assert_eq!(losers[0].1.as_deref(), Some("sold_out"), "{offer}");
        assert_eq!(claims_of(&f, &offer).await.len(), 1, "{offer}");
    }
}

#[tokio::test]
async fn pools_load_once_and_follow_the_config() {
    let f = fixture().await;
    let count = || f.count("SELECT COUNT(*) FROM offer_codes WHERE offer = 'tasting'");
    assert_eq!(count().await, 5);
    let again = encore_server::offers::load_code_pools(&f.state.db, &f.state.config)
        .await
        .expect("loads");
    assert_eq!((again.added, again.withdrawn), (0, 0));
    // A claimed code stays; an unclaimed one the config drops is withdrawn; a new one is added.
    code(&claim(&f, claim_event(&id(1), "tasting", &silver("m-a"))).await);
    let edited = config_with("").replace(
        r#"codes = ["TASTE-1", "TASTE-2", "TASTE-3", "TASTE-4", "TASTE-5"]"#,
        r#"codes = ["TASTE-2", "TASTE-3", "TASTE-4", "TASTE-6"]"#,
    );
    let config = encore_server::ServerConfig::from_toml_str(&edited).expect("valid");
    let loaded = encore_server::offers::load_code_pools(&f.state.db, &config)
        .await
        .expect("loads");
    assert_eq!((loaded.added, loaded.withdrawn), (1, 1));
    let codes: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT code, claimed_by FROM offer_codes WHERE offer = 'tasting' ORDER BY code",
    )
    .fetch_all(&f.state.db)
    .await
    .expect("query");
    let names: Vec<&str> = codes.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        names,
        ["TASTE-1", "TASTE-2", "TASTE-3", "TASTE-4", "TASTE-6"]
    );
    assert_eq!(codes[0].1.as_deref(), Some(id(1).as_str()));
}
