//! The order token of a `review.submitted` is stored as its SHA-256, like every token in a stored
//! result, so the events table holds no bearer credential (an order token carries the buyer's
//! e-mail); a retry still reads as a duplicate; and tokens an older server stored in clear are
//! hashed when the database is opened.

mod common;

use common::reviews::{REVIEWS_CONFIG, TEA, fixture, review_event, single_ack, submit};
use common::{Fixture, id};
use encore_core::events::decode_event;
use encore_server::{AppState, ServerConfig, db};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use sqlx::sqlite::SqliteConnectOptions;

/// A verified review of the tea from order 1001 whose token names the buyer's e-mail.
fn review_with_token(n: u8) -> (Value, String) {
    let mut claims = encore_core::token::OrderClaims {
        envelope: encore_core::token::Envelope {
            store: "demo".into(),
            kid: "k1".into(),
            iat: common::reviews::now_secs() - 10,
            exp: common::reviews::now_secs() + 86_400,
        },
        order: "1001".into(),
        items: vec![encore_core::token::OrderItem {
            product: TEA.into(),
            name: "Jasmine Silver Needle".into(),
        }],
        buyer: Default::default(),
    };
    claims.buyer.contact.email = Some("lin@example.com".into());
    let token = encore_core::token::sign(&claims, common::reviews::SECRET);
    let mut data = common::reviews::review_data(TEA, 5);
    data["order"] = "1001".into();
    data["order_token"] = token.clone().into();
    (review_event(&id(n), data), token)
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The stored body and body hash of result `id`.
async fn stored(db: &SqlitePool, id: &str) -> (String, String) {
    sqlx::query_as("SELECT body, body_sha256 FROM events WHERE id = $1")
        .bind(id)
        .fetch_one(db)
        .await
        .expect("the result is stored")
}

/// Checks that `body` keeps `token` only as its hash, and that `body_sha256` is the body's.
fn assert_hashed(body: &str, body_sha256: &str, token: &str) {
    assert!(!body.contains(token), "the token in clear: {body}");
    let json: Value = serde_json::from_str(body).expect("the body is JSON");
    assert_eq!(
        json["data"]["order_token"],
        format!("sha256:{}", sha256_hex(token)),
        "{body}"
    );
    assert_eq!(
        body_sha256,
        sha256_hex(body),
        "the hash is the stored body's"
    );
}

#[tokio::test]
async fn a_reviews_order_token_is_stored_as_its_hash_and_a_retry_is_a_duplicate() {
    let f = fixture().await;
    let (event, token) = review_with_token(1);
    let first = submit(&f, event.clone(), "10.0.0.1").await;
    assert_eq!(single_ack(&first).0, "accepted", "{}", first.json);
    let verified: bool = sqlx::query_scalar("SELECT verified FROM reviews WHERE id = $1")
        .bind(id(1))
        .fetch_one(&f.state.db)
        .await
        .expect("the review");
    assert!(verified, "the token was checked before it was hashed");
    let (body, body_sha256) = stored(&f.state.db, &id(1)).await;
    assert_hashed(&body, &body_sha256, &token);

    let again = submit(&f, event, "10.0.0.1").await;
    assert_eq!(single_ack(&again).0, "duplicate", "{}", again.json);
}

#[tokio::test]
async fn tokens_an_older_server_stored_in_clear_are_hashed_when_the_database_opens() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("encore.db");
    // The schema and a row as a server of migration 0006 left them: the typed result
    // re-serialised with its token in clear, and the hash of that body.
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
    let (event, token) = review_with_token(1);
    let typed = decode_event(&event).expect("a result");
    let clear = serde_json::to_string(&typed).expect("serialises");
    assert!(clear.contains(&token));
    sqlx::query(
        "INSERT INTO events (id, store, type, occurred_at, received_at, origin, body_sha256, body) \
         VALUES ($1, 'demo', 'review.submitted', 1, 2, NULL, $2, $3)",
    )
    .bind(id(1))
    .bind(sha256_hex(&clear))
    .bind(&clear)
    .execute(&old)
    .await
    .expect("the old row");
    old.close().await;

    let pool = db::open(&path).await.expect("opens and upgrades");
    let (body, body_sha256) = stored(&pool, &id(1)).await;
    assert_hashed(&body, &body_sha256, &token);
    pool.close().await;
    let pool = db::open(&path).await.expect("opens again");
    assert_eq!(
        stored(&pool, &id(1)).await,
        (body, body_sha256),
        "a second start changes nothing"
    );

    // The widget that sent the result before the upgrade retries it: still the same result.
    let config = ServerConfig::from_toml_str(REVIEWS_CONFIG).expect("config");
    let f = Fixture {
        dir,
        state: AppState::new(pool, config),
    };
    let again = submit(&f, event, "10.0.0.1").await;
    assert_eq!(single_ack(&again).0, "duplicate", "{}", again.json);
}
