//! `POST /v1/events` through the router, against a real SQLite file.

mod common;

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use common::{DEMO_ORIGIN, Fixture, OTHER_ORIGIN, batch, events_request, id, impression};
use encore_core::events::Event;
use serde_json::json;

fn ack(id: &str, status: &str, reason: Option<&str>) -> (String, String, Option<String>) {
    (id.to_owned(), status.to_owned(), reason.map(str::to_owned))
}

#[tokio::test]
async fn an_accepted_result_is_durably_readable_right_after_the_reply() {
    let f = Fixture::new().await;
    let reply = f.post(&batch(vec![impression(&id(1), "demo")])).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.acks(), vec![ack(&id(1), "accepted", None)]);

    let (store, ty, occurred_at, body, hash): (String, String, i64, String, String) =
        sqlx::query_as(
            "SELECT store, type, occurred_at, body, body_sha256 FROM events WHERE id = $1",
        )
        .bind(id(1))
        .fetch_one(&f.state.db)
        .await
        .expect("the row is there");
    assert_eq!((store.as_str(), ty.as_str()), ("demo", "widget.impression"));
    assert_eq!(occurred_at, 1_700_000_000_000);
    let stored: Event = serde_json::from_str(&body).expect("body is the typed event");
    assert_eq!(
        serde_json::to_value(stored).expect("serialises"),
        impression(&id(1), "demo")
    );
    assert_eq!(hash.len(), 64);
}

#[tokio::test]
async fn a_retry_is_a_duplicate_and_stored_once() {
    let f = Fixture::new().await;
    let event = impression(&id(1), "demo");
    assert_eq!(
        f.post(&batch(vec![event.clone()])).await.status,
        StatusCode::OK
    );

    let reply = f.post(&batch(vec![event])).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.acks(), vec![ack(&id(1), "duplicate", None)]);

    // The same result with its id in uppercase is still the same result.
    let upper = impression(&id(1).to_uppercase(), "demo");
    let reply = f.post(&batch(vec![upper])).await;
    assert_eq!(
        reply.acks(),
        vec![ack(&id(1).to_uppercase(), "duplicate", None)]
    );
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 1);
}

#[tokio::test]
async fn the_same_id_with_other_content_is_a_conflict() {
    let f = Fixture::new().await;
    f.post(&batch(vec![impression(&id(1), "demo")])).await;
    let mut changed = impression(&id(1), "demo");
    changed["data"]["product"] = "sku-43".into();

    let reply = f.post(&batch(vec![changed])).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.acks(),
        vec![ack(&id(1), "rejected", Some("id_conflict"))]
    );
    let product: String = sqlx::query_scalar("SELECT body FROM events")
        .fetch_one(&f.state.db)
        .await
        .expect("one row");
    assert!(
        product.contains("sku-42"),
        "the first content is kept: {product}"
    );
}

#[tokio::test]
async fn an_id_repeated_inside_one_batch_is_judged_like_a_retry() {
    let f = Fixture::new().await;
    let mut changed = impression(&id(1), "demo");
    changed["occurred_at"] = 1.into();
    let events = vec![
        impression(&id(1), "demo"),
        impression(&id(1), "demo"),
        changed,
    ];

    let reply = f.post(&batch(events)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.acks(),
        vec![
            ack(&id(1), "accepted", None),
            ack(&id(1), "duplicate", None),
            ack(&id(1), "rejected", Some("id_conflict")),
        ]
    );
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 1);
}

#[tokio::test]
async fn one_bad_result_is_rejected_alone_and_answers_keep_input_order() {
    let f = Fixture::new().await;
    let mut unknown = impression(&id(2), "demo");
    unknown["type"] = "coffee.spilled".into();
    let mut malformed = impression(&id(3), "demo");
    malformed["data"] = json!({"product": 3});
    let events = vec![
        impression(&id(1), "demo"),
        unknown,
        malformed,
        json!({"id": "42"}),
        impression(&id(5), "demo"),
    ];

    let reply = f.post(&batch(events)).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.acks(),
        vec![
            ack(&id(1), "accepted", None),
            ack(&id(2), "rejected", Some("unknown_type")),
            ack(&id(3), "rejected", Some("invalid")),
            ack("42", "rejected", Some("invalid_id")),
            ack(&id(5), "accepted", None),
        ]
    );
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 2);
}

#[tokio::test]
async fn a_result_for_an_unknown_store_is_rejected() {
    let f = Fixture::new().await;
    let reply = f.post(&batch(vec![impression(&id(1), "nope")])).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.acks(),
        vec![ack(&id(1), "rejected", Some("unknown_store"))]
    );
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 0);
}

#[tokio::test]
async fn a_page_may_post_only_for_stores_that_allow_its_origin() {
    let f = Fixture::new().await;
    let post_from = |n: u8, origin: Option<&'static str>| {
        let body = batch(vec![impression(&id(n), "demo")]).to_string();
        events_request(body, "application/json", origin)
    };

    let reply = f.send(post_from(1, Some(DEMO_ORIGIN))).await;
    assert_eq!(reply.acks(), vec![ack(&id(1), "accepted", None)]);

    // Allowed by CORS (another store lists it) but not by the `demo` store.
    let reply = f.send(post_from(2, Some(OTHER_ORIGIN))).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.acks(),
        vec![ack(&id(2), "rejected", Some("origin_not_allowed"))]
    );

    let reply = f.send(post_from(3, Some("https://evil.example"))).await;
    assert_eq!(
        reply.acks(),
        vec![ack(&id(3), "rejected", Some("origin_not_allowed"))]
    );

    // No Origin: the store's backend posting directly.
    let reply = f.send(post_from(4, None)).await;
    assert_eq!(reply.acks(), vec![ack(&id(4), "accepted", None)]);

    let origin: Option<String> = sqlx::query_scalar("SELECT origin FROM events WHERE id = $1")
        .bind(id(1))
        .fetch_one(&f.state.db)
        .await
        .expect("row");
    assert_eq!(origin.as_deref(), Some(DEMO_ORIGIN));
}

#[tokio::test]
async fn a_keepalive_text_plain_body_is_accepted() {
    let f = Fixture::new().await;
    let body = batch(vec![impression(&id(1), "demo")]).to_string();
    let reply = f
        .send(events_request(
            body,
            "text/plain;charset=UTF-8",
            Some(DEMO_ORIGIN),
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.acks(), vec![ack(&id(1), "accepted", None)]);
}

#[tokio::test]
async fn other_content_types_are_refused() {
    let f = Fixture::new().await;
    let body = batch(vec![impression(&id(1), "demo")]).to_string();
    let reply = f
        .send(events_request(
            body.clone(),
            "application/x-www-form-urlencoded",
            None,
        ))
        .await;
    reply.assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");

    let request = axum::http::Request::post("/v1/events")
        .body(Body::from(body))
        .expect("request");
    f.send(request)
        .await
        .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 0);
}

#[tokio::test]
async fn bodies_that_are_not_a_batch_get_a_json_400() {
    let f = Fixture::new().await;
    let reply = f
        .send(events_request("{\"events\": [", "application/json", None))
        .await;
    reply.assert_error(StatusCode::BAD_REQUEST, "malformed_json");

    let reply = f
        .send(events_request("[1, 2]", "application/json", None))
        .await;
    reply.assert_error(StatusCode::BAD_REQUEST, "invalid_batch");

    let reply = f
        .send(events_request("{\"events\": 3}", "application/json", None))
        .await;
    reply.assert_error(StatusCode::BAD_REQUEST, "invalid_batch");
}

#[tokio::test]
async fn an_empty_batch_is_a_200_with_no_results() {
    let f = Fixture::new().await;
    let reply = f.post(&batch(vec![])).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json, json!({"results": []}));
}

#[tokio::test]
async fn an_oversized_body_with_a_content_length_is_refused_unread() {
    let f = Fixture::new().await;
    let big = " ".repeat(encore_server::MAX_BODY_BYTES + 1);
    let mut request = events_request(big.clone(), "application/json", None);
    request
        .headers_mut()
        .insert(header::CONTENT_LENGTH, big.len().into());
    f.send(request)
        .await
        .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");

    // The declared length alone decides: a body that would fail if read is never read.
    let failing = futures_util::stream::once(async {
        Err::<Bytes, _>(std::io::Error::other("must not be read"))
    });
    let mut request = events_request(Body::from_stream(failing), "application/json", None);
    request
        .headers_mut()
        .insert(header::CONTENT_LENGTH, 1_000_000.into());
    f.send(request)
        .await
        .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
}

#[tokio::test]
async fn an_oversized_streamed_body_is_refused_while_reading() {
    let f = Fixture::new().await;
    let chunk = Bytes::from(vec![b' '; 1024]);
    let chunks = (0..70).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
    let request = events_request(
        Body::from_stream(futures_util::stream::iter(chunks)),
        "text/plain",
        None,
    );
    assert!(request.headers().get(header::CONTENT_LENGTH).is_none());
    f.send(request)
        .await
        .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
}

#[tokio::test]
async fn a_body_at_the_client_limit_is_accepted() {
    let f = Fixture::new().await;
    let text = batch(vec![impression(&id(1), "demo")]).to_string();
    let padded = format!(
        "{text}{}",
        " ".repeat(encore_core::events::MAX_BATCH_BYTES - text.len())
    );
    let reply = f
        .send(events_request(padded, "application/json", None))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
}

#[tokio::test]
async fn too_many_results_in_one_batch_is_a_413() {
    let f = Fixture::new().await;
    let events = (0..=encore_server::MAX_EVENTS_PER_BATCH)
        .map(|_| json!({}))
        .collect();
    f.post(&batch(events))
        .await
        .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "too_many_events");
}

#[tokio::test]
async fn health_answers_ok_when_the_database_does() {
    let f = Fixture::new().await;
    let request = axum::http::Request::get("/v1/health")
        .body(Body::empty())
        .expect("request");
    let reply = f.send(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json, json!({"status": "ok"}));

    f.state.db.close().await;
    let request = axum::http::Request::get("/v1/health")
        .body(Body::empty())
        .expect("request");
    f.send(request)
        .await
        .assert_error(StatusCode::SERVICE_UNAVAILABLE, "unavailable");
}

#[tokio::test]
async fn a_database_failure_is_a_500_without_internals() {
    let f = Fixture::new().await;
    f.state.db.close().await;
    let reply = f.post(&batch(vec![impression(&id(1), "demo")])).await;
    reply.assert_error(StatusCode::INTERNAL_SERVER_ERROR, "internal");
    assert!(
        !reply.json.to_string().to_lowercase().contains("pool"),
        "{}",
        reply.json
    );
}

/// Batches take turns to write, first come first served, rather than racing for SQLite's
/// writer: one that arrives while another holds the turn waits for it, then is stored.
#[tokio::test]
async fn a_batch_waits_its_turn_to_write() {
    let f = Fixture::new().await;
    let turn = f.state.batch_writer.lock().await;
    let app = f.app();
    let body = batch(vec![impression(&id(1), "demo")]).to_string();
    let waiting = tokio::spawn(async move {
        common::send(app, events_request(body, "application/json", None)).await
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        !waiting.is_finished(),
        "the batch was written while another held the turn"
    );
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 0);

    drop(turn);
    let reply = waiting.await.expect("the request finishes");
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.acks(), vec![ack(&id(1), "accepted", None)]);
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 1);
}
