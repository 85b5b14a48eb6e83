//! The admin API's fixtures: users, sessions and keys made straight in the database (no
//! Argon2 work where a test does not need it), and requests carrying each kind of credential.

use super::{Fixture, Reply, send};
use axum::body::Body;
use axum::http::{Method, Request, header};
use encore_core::admin::role::{Role, Scope};
use encore_server::admin::audit::Actor;
use encore_server::admin::{people, sessions, users};
use encore_server::clock::Clock;
use serde_json::Value;
use std::net::SocketAddr;

/// Where the manual clock starts (2026-01-01T00:00Z).
pub const START: i64 = 1_767_225_600_000;
/// The host the test requests name; the console's own origin is `http://` + this.
pub const HOST: &str = "reviews.test:8080";
/// The console's own origin.
pub const ORIGIN: &str = "http://reviews.test:8080";

/// What a request carries.
#[derive(Debug, Clone)]
pub enum Auth {
    /// Nothing.
    None,
    /// A session cookie, with (or without) its CSRF token and the console's origin.
    Session {
        /// The cookie's value.
        id: String,
        /// The token, when sent.
        csrf: Option<String>,
    },
    /// `Authorization: Bearer <key>`.
    Key(String),
}

/// `fixture` with a manual clock at [`START`].
pub fn with_clock(mut f: Fixture) -> (Fixture, Clock) {
    let clock = Clock::manual(START);
    f.state = f.state.clone().with_clock(clock.clone());
    (f, clock)
}

/// An active user `email` of `store` with `role` and no usable password (`hash` stored as is).
pub async fn user_with_hash(f: &Fixture, store: &str, email: &str, role: Role, hash: &str) {
    let invitation = people::invite(&f.state.db, store, &Actor::cli(), email, role, START)
        .await
        .expect("invite");
    let token = token_of(&invitation.link);
    let mut conn = f.state.db.acquire().await.expect("conn");
    users::use_invitation(&mut conn, &token, hash, START)
        .await
        .expect("use invitation")
        .expect("a fresh invitation");
}

/// The token in a welcome link.
pub fn token_of(link: &str) -> String {
    link.rsplit_once("token=").expect("a token").1.to_owned()
}

/// A session of `email` in `store` made at `now`, with its CSRF token.
pub async fn session(f: &Fixture, store: &str, email: &str, now: i64) -> Auth {
    let mut conn = f.state.db.acquire().await.expect("conn");
    let s = sessions::create(&mut conn, store, email, now)
        .await
        .expect("session");
    Auth::Session {
        id: s.id,
        csrf: Some(s.csrf_token),
    }
}

/// A key of `store` with `scopes`.
pub async fn key(f: &Fixture, store: &str, scopes: &[Scope]) -> Auth {
    let key = people::add_key(&f.state.db, store, &Actor::cli(), scopes, "test", START)
        .await
        .expect("key");
    Auth::Key(key.secret)
}

/// A request of `method` to `uri` with `auth` and a JSON `body`, from 10.1.1.1.
pub fn request(method: Method, uri: &str, auth: &Auth, body: Option<&Value>) -> Request<Body> {
    request_from(method, uri, auth, body, "10.1.1.1")
}

/// [`request`] from `ip`.
pub fn request_from(
    method: Method,
    uri: &str,
    auth: &Auth,
    body: Option<&Value>,
    ip: &str,
) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, HOST);
    match auth {
        Auth::None => {}
        Auth::Session { id, csrf } => {
            builder = builder.header(header::COOKIE, format!("__Host-encore_session={id}"));
            if let Some(csrf) = csrf {
                builder = builder
                    .header("x-csrf-token", csrf)
                    .header(header::ORIGIN, ORIGIN);
            }
        }
        Auth::Key(key) => {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {key}"));
        }
    }
    let body = match body {
        Some(v) => {
            builder = builder.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    let mut request = builder.body(body).expect("request");
    let addr: SocketAddr = format!("{ip}:40000").parse().expect("ip");
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    request
}

/// Sends an admin request.
pub async fn call(
    f: &Fixture,
    method: Method,
    uri: &str,
    auth: &Auth,
    body: Option<&Value>,
) -> Reply {
    send(f.app(), request(method, uri, auth, body)).await
}

/// Inserts a review row straight into the database (fast, for queue tests).
#[allow(clippy::too_many_arguments)]
pub async fn insert_review(
    f: &Fixture,
    store: &str,
    id: &str,
    product: &str,
    rating: i64,
    verified: bool,
    status: &str,
    created_at: i64,
    title: &str,
) {
    sqlx::query(
        "INSERT INTO reviews (id, store, product, order_id, rating, title, body, name, answers, \
         locale, verified, incentivized, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'A body.', 'Mei', '[]', 'en', $7, 0, $8, $9)",
    )
    .bind(id)
    .bind(store)
    .bind(product)
    .bind(verified.then(|| format!("order-{id}")))
    .bind(rating)
    .bind(title)
    .bind(verified)
    .bind(status)
    .bind(created_at)
    .execute(&f.state.db)
    .await
    .expect("insert review");
}

/// Inserts a photo named `name` (32 hex digits + `.jpg`) on review `id`.
pub async fn insert_photo(f: &Fixture, store: &str, id: &str, name: &str, jpeg: &[u8]) {
    sqlx::query(
        "INSERT INTO review_photos (upload_id, store, name, review_id, position, width, height, \
         bytes, created_at) VALUES ($1, $2, $3, $4, 0, 64, 48, $5, 0)",
    )
    .bind(format!("up-{name}"))
    .bind(store)
    .bind(name)
    .bind(id)
    .bind(jpeg)
    .execute(&f.state.db)
    .await
    .expect("insert photo");
}
