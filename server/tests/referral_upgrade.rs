//! Referral landings a server recorded before migration 0007 (no device id, the browser's time
//! only): they get the receive time of their result and keep counting on the advocate's panel,
//! but credit no order, which is held for review instead.

mod common;

use common::Fixture;
use common::referral::*;
use encore_core::referral::page::ReferralPage;
use encore_server::{AppState, ServerConfig, db};
use sqlx::SqlitePool;
use sqlx::sqlite::SqliteConnectOptions;

#[tokio::test]
async fn landings_recorded_before_the_upgrade_count_but_credit_no_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("encore.db");
    let old = SqlitePool::connect_with(
        SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true),
    )
    .await
    .expect("an old database");
    sqlx::migrate!()
        .run_to(6, &old)
        .await
        .expect("migrations 1 to 6");
    let received_at = i64::try_from(now_ms() - 60_000).expect("fits");
    let landed_at = received_at - 5_000;
    for sql in [
        "INSERT INTO referral_advocates (store, advocate, code, created_at) \
         VALUES ('demo', 'member:m-mei', 'PZN628QN', $1)",
        "INSERT INTO events (id, store, type, occurred_at, received_at, body_sha256, body) \
         VALUES ('00000000-0000-4000-8000-000000000001', 'demo', 'referral.landed', $2, $1, \
         'x', '{}')",
        "INSERT INTO referral_landings (event_id, store, code, landed_at) \
         VALUES ('00000000-0000-4000-8000-000000000001', 'demo', 'PZN628QN', $2)",
    ] {
        sqlx::query(sql)
            .bind(received_at)
            .bind(landed_at)
            .execute(&old)
            .await
            .expect("an old row");
    }
    old.close().await;

    let pool = db::open(&path).await.expect("opens and migrates");
    let row: (Option<String>, Option<i64>) =
        sqlx::query_as("SELECT device, received_at FROM referral_landings")
            .fetch_one(&pool)
            .await
            .expect("the landing");
    assert_eq!(row, (None, Some(received_at)), "the result's receive time");

    let f = Fixture {
        dir,
        state: AppState::new(
            pool,
            ServerConfig::from_toml_str(&config(false)).expect("config"),
        ),
    };
    let token = order_token("9001", &first_order("lin@example.com"));
    let order = ordered(
        &uuid(2),
        "PZN628QN",
        u64::try_from(landed_at).expect("positive"),
        &token,
        "device-lin-0001",
    );
    let reply = post_from(&f, vec![order], "192.0.2.90").await;
    assert_eq!(verdicts(&reply)[0].0, "accepted", "{}", reply.json);
    assert_eq!(
        referral_row(&f, "9001").await,
        Some(("review_no_landing".into(), "review".into()))
    );
    let mei = member_token("m-mei", None, None);
    let page: ReferralPage =
        serde_json::from_value(panel(&f, &mei, "en").await.json).expect("a ReferralPage");
    assert_eq!(page.code, "PZN628QN");
    assert_eq!(
        (page.counts.landings, page.counts.pending),
        (1, 1),
        "still counted"
    );
}
