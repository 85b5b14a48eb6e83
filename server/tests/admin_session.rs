//! Signing in and out of the console: invitations (single use, 24 hours), password rules, the
//! same answer for an unknown e-mail and a wrong password, lockouts per account and per
//! address with Retry-After, the cookie's attributes, and sessions ending server-side.

mod common;

use axum::http::{Method, StatusCode, header};
use common::admin::{Auth, HOST, ORIGIN, START, call, request_from, token_of, with_clock};
use common::reviews::fixture;
use common::{Fixture, Reply, send};
use encore_core::admin::role::Role;
use encore_server::admin::audit::Actor;
use encore_server::admin::people;
use encore_server::admin::sessions::{ABSOLUTE_MS, IDLE_MS};
use encore_server::admin::users::INVITE_MS;
use serde_json::json;
use std::time::Duration;

const PASSWORD: &str = "correct horse battery";

async fn invite(f: &Fixture, email: &str) -> String {
    let invitation = people::invite(
        &f.state.db,
        "demo",
        &Actor::cli(),
        email,
        Role::Owner,
        START,
    )
    .await
    .expect("invite");
    assert!(invitation.link.starts_with("/console/#/welcome?token="));
    token_of(&invitation.link)
}

async fn set_password(f: &Fixture, token: &str, password: &str) -> Reply {
    call(
        f,
        Method::POST,
        "/v1/admin/password",
        &Auth::None,
        Some(&json!({"token": token, "password": password})),
    )
    .await
}

async fn sign_in_from(f: &Fixture, email: &str, password: &str, ip: &str) -> Reply {
    let body = json!({"store": "demo", "email": email, "password": password});
    send(
        f.app(),
        request_from(
            Method::POST,
            "/v1/admin/session",
            &Auth::None,
            Some(&body),
            ip,
        ),
    )
    .await
}

async fn owner(f: &Fixture) {
    let token = invite(f, "owner@example.com").await;
    assert_eq!(
        set_password(f, &token, PASSWORD).await.status,
        StatusCode::NO_CONTENT
    );
}

/// The cookie's value from a sign-in's `Set-Cookie`.
fn cookie_of(reply: &Reply) -> (String, String) {
    let set = reply
        .headers
        .get(header::SET_COOKIE)
        .expect("a cookie")
        .to_str()
        .expect("ascii")
        .to_owned();
    let id = set
        .split(';')
        .next()
        .and_then(|p| p.split_once('='))
        .map(|(_, v)| v.to_owned())
        .expect("value");
    (id, set)
}

fn auth_of(reply: &Reply) -> Auth {
    let (id, _) = cookie_of(reply);
    Auth::Session {
        id,
        csrf: reply.json["csrf_token"].as_str().map(str::to_owned),
    }
}

#[tokio::test]
async fn invitations_work_once_within_a_day_and_passwords_have_rules() {
    let (f, clock) = with_clock(fixture().await);
    let token = invite(&f, "mei@example.com").await;
    for (password, code) in [
        ("short", "too_short"),
        (&*"x".repeat(300), "too_long"),
        (&*" ".repeat(20), "blank"),
    ] {
        let reply = set_password(&f, &token, password).await;
        reply.assert_error(StatusCode::BAD_REQUEST, "invalid");
        assert_eq!(reply.json["message"], code);
    }
    set_password(&f, "0".repeat(64).as_str(), PASSWORD)
        .await
        .assert_error(StatusCode::GONE, "link_expired");
    assert_eq!(
        set_password(&f, &token, PASSWORD).await.status,
        StatusCode::NO_CONTENT
    );
    // Single use.
    set_password(&f, &token, "another long password")
        .await
        .assert_error(StatusCode::GONE, "link_expired");
    assert_eq!(
        sign_in_from(&f, "Mei@Example.com", PASSWORD, "10.2.0.1")
            .await
            .status,
        StatusCode::OK
    );

    // 24 hours.
    let late = invite(&f, "late@example.com").await;
    clock.advance(INVITE_MS - (clock.now_millis() - START));
    set_password(&f, &late, PASSWORD)
        .await
        .assert_error(StatusCode::GONE, "link_expired");
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'password_set'")
            .fetch_one(&f.state.db)
            .await
            .expect("count");
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn unknown_e_mail_and_wrong_password_get_the_same_answer() {
    let (f, _clock) = with_clock(fixture().await);
    owner(&f).await;
    let unknown = sign_in_from(&f, "nobody@example.com", PASSWORD, "10.2.0.1").await;
    let wrong = sign_in_from(&f, "owner@example.com", "wrong password here", "10.2.0.1").await;
    unknown.assert_error(StatusCode::UNAUTHORIZED, "sign_in_failed");
    wrong.assert_error(StatusCode::UNAUTHORIZED, "sign_in_failed");
    assert_eq!(unknown.json, wrong.json);
    assert!(unknown.headers.get(header::SET_COOKIE).is_none());
    // Both are audited, the typed e-mail as the actor.
    let actors: Vec<String> = sqlx::query_scalar(
        "SELECT actor FROM audit_log WHERE action = 'sign_in_failed' ORDER BY seq",
    )
    .fetch_all(&f.state.db)
    .await
    .expect("audit");
    assert_eq!(actors, ["nobody@example.com", "owner@example.com"]);
}

#[tokio::test]
async fn five_failures_lock_the_account_for_fifteen_minutes() {
    let (f, clock) = with_clock(fixture().await);
    owner(&f).await;
    for n in 0..5 {
        let reply = sign_in_from(
            &f,
            "owner@example.com",
            "wrong password here",
            &format!("10.3.0.{n}"),
        )
        .await;
        reply.assert_error(StatusCode::UNAUTHORIZED, "sign_in_failed");
        clock.advance(1000);
    }
    // Locked even with the right password, from a fresh address.
    let locked = sign_in_from(&f, "owner@example.com", PASSWORD, "10.3.1.1").await;
    locked.assert_error(StatusCode::TOO_MANY_REQUESTS, "locked");
    let retry: u64 = locked
        .headers
        .get(header::RETRY_AFTER)
        .expect("Retry-After")
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((890..=900).contains(&retry), "{retry}");
    clock.advance(i64::try_from(retry).expect("small") * 1000 - 2000);
    sign_in_from(&f, "owner@example.com", PASSWORD, "10.3.1.1")
        .await
        .assert_error(StatusCode::TOO_MANY_REQUESTS, "locked");
    clock.advance(2000);
    assert_eq!(
        sign_in_from(&f, "owner@example.com", PASSWORD, "10.3.1.1")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn each_failure_of_an_account_is_answered_more_slowly() {
    let (f, _clock) = with_clock(fixture().await);
    owner(&f).await;
    let mut took = Vec::new();
    for n in 0..4 {
        let started = std::time::Instant::now();
        sign_in_from(
            &f,
            "owner@example.com",
            "wrong password here",
            &format!("10.7.0.{n}"),
        )
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "sign_in_failed");
        took.push(started.elapsed());
    }
    // Lower bounds only: a slow machine makes every answer slower, never faster.
    assert!(took[1] >= Duration::from_millis(250), "{took:?}");
    assert!(took[3] >= Duration::from_millis(1000), "{took:?}");
    // An unknown e-mail slows down the same way, so the wait tells nothing.
    for n in 0..4 {
        let started = std::time::Instant::now();
        sign_in_from(
            &f,
            "nobody@example.com",
            "wrong password here",
            &format!("10.7.1.{n}"),
        )
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "sign_in_failed");
        if n == 3 {
            assert!(started.elapsed() >= Duration::from_millis(1000));
        }
    }
}

#[tokio::test]
async fn hammering_a_locked_account_writes_a_bounded_number_of_entries() {
    let (f, _clock) = with_clock(fixture().await);
    owner(&f).await;
    for n in 0..5 {
        sign_in_from(
            &f,
            "owner@example.com",
            "wrong password here",
            &format!("10.6.0.{n}"),
        )
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "sign_in_failed");
    }
    for _ in 0..60 {
        sign_in_from(&f, "owner@example.com", PASSWORD, "10.6.1.1")
            .await
            .assert_error(StatusCode::TOO_MANY_REQUESTS, "locked");
    }
    // Each try on the locked account counts against the address, which is locked in turn
    // after its twentieth; from then on a try writes nothing.
    let written: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed' AND address LIKE '10.6.1.1%'",
    )
    .fetch_one(&f.state.db)
    .await
    .expect("audit");
    assert_eq!(written, 20);
    let failures: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sign_in_failures WHERE kind = 'address' AND subject LIKE '10.6.1.1%'",
    )
    .fetch_one(&f.state.db)
    .await
    .expect("failures");
    assert_eq!(failures, 20);
}

#[tokio::test]
async fn twenty_failures_lock_the_address() {
    let (f, _clock) = with_clock(fixture().await);
    owner(&f).await;
    for n in 0..20 {
        // A different e-mail each time: no account reaches its own limit.
        let reply = sign_in_from(
            &f,
            &format!("guess{n}@example.com"),
            "wrong password here",
            "10.4.0.9",
        )
        .await;
        reply.assert_error(StatusCode::UNAUTHORIZED, "sign_in_failed");
    }
    let locked = sign_in_from(&f, "owner@example.com", PASSWORD, "10.4.0.9").await;
    locked.assert_error(StatusCode::TOO_MANY_REQUESTS, "locked");
    assert!(locked.headers.get(header::RETRY_AFTER).is_some());
    // Another address is not locked.
    assert_eq!(
        sign_in_from(&f, "owner@example.com", PASSWORD, "10.4.0.10")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_cookie_is_host_only_secure_and_strict_and_sign_out_ends_the_session() {
    let (f, _clock) = with_clock(fixture().await);
    owner(&f).await;
    let signed_in = sign_in_from(&f, "owner@example.com", PASSWORD, "10.5.0.1").await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.json);
    let (id, set) = cookie_of(&signed_in);
    assert_eq!(id.len(), 64);
    assert_eq!(
        set,
        format!(
            "__Host-encore_session={id}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=43200"
        )
    );
    assert_eq!(signed_in.json["role"], "owner");
    assert_eq!(signed_in.json["store_name"], "Demo");
    // Only the digest is stored.
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE id_hash = $1")
        .bind(&id)
        .fetch_one(&f.state.db)
        .await
        .expect("count");
    assert_eq!(stored, 0);
    let auth = auth_of(&signed_in);
    assert_eq!(
        call(&f, Method::GET, "/v1/admin/session", &auth, None)
            .await
            .status,
        StatusCode::OK
    );
    let out = call(&f, Method::DELETE, "/v1/admin/session", &auth, None).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let cleared = out
        .headers
        .get(header::SET_COOKIE)
        .expect("cleared")
        .to_str()
        .expect("ascii");
    assert!(
        cleared.starts_with("__Host-encore_session=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    // The old cookie is dead on the server, not just in the browser.
    call(&f, Method::GET, "/v1/admin/session", &auth, None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log ORDER BY seq")
        .fetch_all(&f.state.db)
        .await
        .expect("audit");
    assert_eq!(
        actions,
        ["user_invited", "password_set", "signed_in", "signed_out"]
    );
    let _ = (HOST, ORIGIN);
}

#[tokio::test]
async fn sessions_end_after_thirty_idle_minutes_and_twelve_hours() {
    let (f, clock) = with_clock(fixture().await);
    owner(&f).await;
    let auth = auth_of(&sign_in_from(&f, "owner@example.com", PASSWORD, "10.6.0.1").await);
    clock.advance(IDLE_MS - 1000);
    assert_eq!(
        call(&f, Method::GET, "/v1/admin/session", &auth, None)
            .await
            .status,
        StatusCode::OK
    );
    clock.advance(IDLE_MS);
    call(&f, Method::GET, "/v1/admin/session", &auth, None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");

    // Kept busy, a session still ends 12 hours after sign-in.
    let auth = auth_of(&sign_in_from(&f, "owner@example.com", PASSWORD, "10.6.0.1").await);
    let mut used = 0;
    while used + 20 * 60 * 1000 < ABSOLUTE_MS {
        clock.advance(20 * 60 * 1000);
        used += 20 * 60 * 1000;
        assert_eq!(
            call(&f, Method::GET, "/v1/admin/session", &auth, None)
                .await
                .status,
            StatusCode::OK
        );
    }
    clock.advance(ABSOLUTE_MS - used);
    call(&f, Method::GET, "/v1/admin/session", &auth, None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions() {
    let (f, clock) = with_clock(fixture().await);
    owner(&f).await;
    let token = invite(&f, "mod@example.com").await;
    set_password(&f, &token, PASSWORD).await;
    let moderator = auth_of(&sign_in_from(&f, "mod@example.com", PASSWORD, "10.7.0.1").await);
    let owner = auth_of(&sign_in_from(&f, "owner@example.com", PASSWORD, "10.7.0.2").await);
    let reply = call(
        &f,
        Method::POST,
        "/v1/admin/users/mod@example.com/disable",
        &owner,
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    assert_eq!(reply.json["state"], "disabled");
    call(&f, Method::GET, "/v1/admin/session", &moderator, None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    sign_in_from(&f, "mod@example.com", PASSWORD, "10.7.0.1")
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "sign_in_failed");
    let _ = clock;
}

#[tokio::test]
async fn another_site_cannot_sign_a_visitor_in_and_bodies_are_capped() {
    let (f, _clock) = with_clock(fixture().await);
    owner(&f).await;
    let body = json!({"store": "demo", "email": "owner@example.com", "password": PASSWORD});
    let mut request = request_from(
        Method::POST,
        "/v1/admin/session",
        &Auth::None,
        Some(&body),
        "10.8.0.1",
    );
    request.headers_mut().insert(
        "sec-fetch-site",
        axum::http::HeaderValue::from_static("cross-site"),
    );
    send(f.app(), request)
        .await
        .assert_error(StatusCode::FORBIDDEN, "csrf");
    let mut request = request_from(
        Method::POST,
        "/v1/admin/session",
        &Auth::None,
        Some(&body),
        "10.8.0.1",
    );
    request.headers_mut().insert(
        "sec-fetch-site",
        axum::http::HeaderValue::from_static("same-origin"),
    );
    assert_eq!(send(f.app(), request).await.status, StatusCode::OK);
    let huge = json!({"token": "x".repeat(70 * 1024), "password": PASSWORD});
    set_password(&f, "unused", "unused")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid");
    call(
        &f,
        Method::POST,
        "/v1/admin/password",
        &Auth::None,
        Some(&huge),
    )
    .await
    .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "too_large");
}

#[tokio::test]
async fn an_unknown_e_mail_costs_the_same_hash_work_as_a_wrong_password() {
    let (f, _clock) = with_clock(fixture().await);
    owner(&f).await;
    let mut unknown = Vec::new();
    let mut wrong = Vec::new();
    for n in 0..3 {
        let started = std::time::Instant::now();
        sign_in_from(&f, &format!("nobody{n}@example.com"), PASSWORD, "10.9.1.1").await;
        unknown.push(started.elapsed());
        let started = std::time::Instant::now();
        sign_in_from(&f, "owner@example.com", "wrong password here", "10.9.1.2").await;
        wrong.push(started.elapsed());
    }
    let fastest = |times: &[std::time::Duration]| times.iter().min().copied().unwrap_or_default();
    // Without the dummy hash an unknown e-mail answers in well under a millisecond; with it, as
    // slowly as a wrong password (a generous margin: the machine is shared).
    assert!(
        fastest(&unknown) * 2 >= fastest(&wrong),
        "unknown {unknown:?} against wrong {wrong:?}"
    );
}
