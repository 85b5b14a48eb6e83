//! `encore-server users ...` and `keys ...` as processes over the same database the server
//! reads, and `/console/` served with its security headers (or a JSON 404 without
//! `--console`).

mod common;

use axum::http::{Method, StatusCode};
use common::admin::{Auth, call, token_of, with_clock};
use common::reviews::{REVIEWS_CONFIG, fixture};
use common::{Fixture, send_raw};
use std::path::PathBuf;
use std::process::Command;

fn cli(f: &Fixture, args: &[&str]) -> (bool, String, String) {
    let config = f.dir.path().join("store.toml");
    std::fs::write(&config, REVIEWS_CONFIG).expect("config written");
    let db: PathBuf = f.dir.path().join("encore.db");
    let mut all: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    all.extend([
        "--config".into(),
        config.display().to_string(),
        "--db".into(),
        db.display().to_string(),
    ]);
    let out = Command::new(env!("CARGO_BIN_EXE_encore-server"))
        .args(&all)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn users_and_keys_are_made_and_revoked_from_the_command_line() {
    let (f, _clock) = with_clock(fixture().await);
    let (ok, out, err) = cli(
        &f,
        &[
            "users",
            "add",
            "--store",
            "demo",
            "--email",
            "Owner@Example.com",
            "--role",
            "owner",
            "--base-url",
            "https://reviews.example.com/",
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with("https://reviews.example.com/console/#/welcome?token="),
        "{out}"
    );
    let token = token_of(out.trim());
    assert_eq!(token.len(), 64);
    let set = call(
        &f,
        Method::POST,
        "/v1/admin/password",
        &Auth::None,
        Some(&serde_json::json!({"token": token, "password": "correct horse battery"})),
    )
    .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.json);

    let (ok, out, err) = cli(&f, &["users", "list", "--store", "demo"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("owner@example.com") && out.contains("active"),
        "{out}"
    );
    let (ok, _, err) = cli(
        &f,
        &[
            "users", "add", "--store", "nope", "--email", "a@b.co", "--role", "owner",
        ],
    );
    assert!(!ok && err.contains("nope"), "{err}");

    let (ok, out, err) = cli(
        &f,
        &[
            "keys",
            "add",
            "--store",
            "demo",
            "--scope",
            "reviews:read",
            "--label",
            "nightly export",
        ],
    );
    assert!(ok, "{err}");
    let secret = out.trim().to_owned();
    assert!(
        secret.starts_with("ek_") && out.lines().count() == 1,
        "{out}"
    );
    let auth = Auth::Key(secret.clone());
    assert_eq!(
        call(&f, Method::GET, "/v1/admin/reviews", &auth, None)
            .await
            .status,
        StatusCode::OK
    );
    let (ok, out, _) = cli(&f, &["keys", "list", "--store", "demo"]);
    let key_id = secret
        .trim_start_matches("ek_")
        .split('.')
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(
        ok && out.contains(&key_id) && out.contains("nightly export") && !out.contains(&secret),
        "{out}"
    );
    let (ok, _, _) = cli(
        &f,
        &["keys", "add", "--store", "demo", "--scope", "users:write"],
    );
    assert!(!ok);
    let (ok, _, err) = cli(&f, &["keys", "revoke", "--store", "demo", "--id", &key_id]);
    assert!(ok, "{err}");
    call(&f, Method::GET, "/v1/admin/reviews", &auth, None)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");

    let (ok, _, err) = cli(
        &f,
        &[
            "users",
            "disable",
            "--store",
            "demo",
            "--email",
            "owner@example.com",
        ],
    );
    assert!(ok, "{err}");
    let audit: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT actor, address, action FROM audit_log WHERE actor = 'cli' ORDER BY seq",
    )
    .fetch_all(&f.state.db)
    .await
    .expect("audit");
    let actions: Vec<&str> = audit.iter().map(|a| a.2.as_str()).collect();
    assert_eq!(
        actions,
        ["user_invited", "key_added", "key_revoked", "user_disabled"]
    );
    assert!(audit.iter().all(|a| a.1 == "cli"));
}

#[tokio::test]
async fn the_console_is_served_with_a_strict_policy_or_not_at_all() {
    let f = fixture().await;
    let dir = f.dir.path().join("console");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Console</title>",
    )
    .expect("index");
    let options = encore_server::AppOptions {
        site: None,
        console: Some(dir),
    };
    let app = encore_server::app_with(f.state.clone(), &options);
    let get = |uri: &str| {
        axum::http::Request::get(uri)
            .body(axum::body::Body::empty())
            .expect("request")
    };
    let page = send_raw(app.clone(), get("/console/")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&page.bytes).contains("Console"));
    let h = &page.headers;
    assert_eq!(
        h["content-security-policy"],
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cache-control"], "no-cache");

    let none = common::send(f.app(), get("/console/")).await;
    none.assert_error(StatusCode::NOT_FOUND, "not_found");
}
