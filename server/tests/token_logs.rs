//! No token reaches the request log: a client still on the deprecated query form
//! (`?token=…`) or on the body form leaves the path and the other parameters, never the token.

mod common;

use axum::body::Body;
use axum::http::{Request, header};
use common::{Fixture, read_request};
use std::io::Write;
use std::sync::{Arc, Mutex};
use tracing_subscriber::fmt::MakeWriter;

const SECRET: &str = "SECRET-7d1f0c";

/// Everything the subscriber writes, kept for the test to read.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn a_token_in_the_query_or_the_body_is_never_logged() {
    let f = Fixture::new().await;
    let log = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(log.clone())
        .with_ansi(false)
        .finish();
    let _default = tracing::subscriber::set_default(subscriber);

    let query = format!("store=demo&token={SECRET}&locale=en");
    for path in [
        "/v1/offers",
        "/v1/referral",
        "/v1/orders/1001/review-request",
    ] {
        let by_query = Request::get(format!("{path}?{query}"))
            .header(header::ORIGIN, common::DEMO_ORIGIN)
            .body(Body::empty())
            .expect("request");
        common::send(f.app(), by_query).await;
        common::send(f.app(), read_request(path, &query)).await;
    }
    // Other names that carry a token, spelled as a decoder reads them.
    let other = Request::get(format!("/v1/offers?store=demo&order%5Ftoken={SECRET}"))
        .body(Body::empty())
        .expect("request");
    common::send(f.app(), other).await;

    let text = String::from_utf8(log.0.lock().expect("log buffer").clone()).expect("utf-8");
    // The capture works, and the requests are logged with what is not secret.
    assert!(
        text.contains("/v1/offers?store=demo&token=[redacted]&locale=en"),
        "{text}"
    );
    assert!(text.contains("/v1/orders/1001/review-request"), "{text}");
    assert!(!text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn console_secrets_are_never_logged() {
    use axum::http::Method;
    use common::admin::{Auth, call, session, token_of, with_clock};
    use encore_core::admin::role::{Role, Scope};
    use encore_server::admin::audit::Actor;
    use encore_server::admin::people;

    let (f, clock) = with_clock(Fixture::new().await);
    let log = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(log.clone())
        .with_ansi(false)
        .finish();
    let _default = tracing::subscriber::set_default(subscriber);

    const PASSWORD: &str = "SECRET-password-9f2e";
    let invitation = people::invite(
        &f.state.db,
        "demo",
        &Actor::cli(),
        "o@example.com",
        Role::Owner,
        0,
    )
    .await
    .expect("invite");
    let token = token_of(&invitation.link);
    // Too short first (a refused password), then a good one, then a wrong sign-in and a right one.
    for password in ["SECRET-x", PASSWORD] {
        call(
            &f,
            Method::POST,
            "/v1/admin/password",
            &Auth::None,
            Some(&serde_json::json!({"token": token, "password": password})),
        )
        .await;
    }
    for password in ["SECRET-wrong-password", PASSWORD] {
        call(&f, Method::POST, "/v1/admin/session", &Auth::None,
            Some(&serde_json::json!({"store": "demo", "email": "o@example.com", "password": password}))).await;
    }
    let key = people::add_key(
        &f.state.db,
        "demo",
        &Actor::cli(),
        &[Scope::ReviewsRead],
        "",
        0,
    )
    .await
    .expect("key");
    call(
        &f,
        Method::GET,
        "/v1/admin/reviews?rating=9",
        &Auth::Key(key.secret.clone()),
        None,
    )
    .await;
    let Auth::Session { id, csrf } = session(&f, "demo", "o@example.com", clock.now_millis()).await
    else {
        unreachable!()
    };
    let auth = Auth::Session {
        id: id.clone(),
        csrf: csrf.clone(),
    };
    call(
        &f,
        Method::PUT,
        "/v1/admin/reviews/x/reply",
        &auth,
        Some(&serde_json::json!({"body": 1})),
    )
    .await;

    let text = String::from_utf8(log.0.lock().expect("log buffer").clone()).expect("utf-8");
    assert!(text.contains("/v1/admin/session"), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
    for secret in [
        token.as_str(),
        key.secret.as_str(),
        id.as_str(),
        csrf.as_deref().unwrap_or("none"),
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}
