//! Every admin route × every kind of caller, with the status the contract (docs/admin-api.md)
//! gives: roles, key scopes, no session, an expired session, a missing CSRF token, and a user
//! of another store (who must not see this store's review, photo, user or key).

mod common;

use axum::http::Method;
use common::admin::{
    Auth, START, call, insert_photo, insert_review, key, session, user_with_hash, with_clock,
};
use common::reviews::{fixture, jpeg};
use encore_core::admin::role::{Action, Role, Scope, scopes_allow};
use encore_server::admin::sessions::IDLE_MS;
use serde_json::{Value, json};

const REVIEW: &str = "00000000-0000-4000-8000-0000000000a1";
const PHOTO: &str = "0123456789abcdef0123456789abcdef.jpg";

/// One admin route: how to call it and the action it needs (`None`: the session itself).
struct Route {
    method: Method,
    path: String,
    body: Option<Value>,
    action: Option<Action>,
    /// Names one of the store's things, so another store's user gets 404.
    specific: bool,
}

fn route(
    method: Method,
    path: &str,
    body: Option<Value>,
    action: Option<Action>,
    specific: bool,
) -> Route {
    Route {
        method,
        path: path.to_owned(),
        body,
        action,
        specific,
    }
}

fn routes(key_id: &str) -> Vec<Route> {
    use Action::*;
    let r = format!("/v1/admin/reviews/{REVIEW}");
    vec![
        route(Method::GET, "/v1/admin/session", None, None, false),
        route(Method::DELETE, "/v1/admin/session", None, None, false),
        route(
            Method::GET,
            "/v1/admin/reviews?status=pending&rating=2",
            None,
            Some(ReadReviews),
            false,
        ),
        route(
            Method::POST,
            &format!("{r}/approve"),
            None,
            Some(ModerateReviews),
            true,
        ),
        route(
            Method::POST,
            &format!("{r}/reject"),
            Some(json!({"reason": "spam"})),
            Some(ModerateReviews),
            true,
        ),
        route(
            Method::PUT,
            &format!("{r}/reply"),
            Some(json!({"body": "Thanks"})),
            Some(ModerateReviews),
            true,
        ),
        route(
            Method::POST,
            &format!("{r}/photos/{PHOTO}/hide"),
            None,
            Some(ModerateReviews),
            true,
        ),
        route(
            Method::POST,
            &format!("{r}/photos/{PHOTO}/restore"),
            None,
            Some(ModerateReviews),
            true,
        ),
        route(
            Method::POST,
            "/v1/admin/reviews/bulk",
            Some(json!({"action": "approve", "ids": [REVIEW]})),
            Some(ModerateReviews),
            false,
        ),
        route(
            Method::GET,
            &format!("/v1/admin/photos/{PHOTO}"),
            None,
            Some(ReadReviews),
            true,
        ),
        route(Method::GET, "/v1/admin/rules", None, Some(ReadRules), false),
        route(
            Method::PUT,
            "/v1/admin/rules",
            Some(json!({
            "verified_min_rating": 1, "unverified_min_rating": null, "hold_with_photos": false,
            "hold_links": true, "hold_fast_seconds": 10})),
            Some(EditRules),
            false,
        ),
        route(
            Method::GET,
            "/v1/admin/audit?action=review_approved",
            None,
            Some(ReadAudit),
            false,
        ),
        route(
            Method::GET,
            "/v1/admin/users",
            None,
            Some(ManageUsers),
            false,
        ),
        route(
            Method::POST,
            "/v1/admin/users",
            Some(json!({"email": "new@example.com", "role": "viewer"})),
            Some(ManageUsers),
            false,
        ),
        route(
            Method::POST,
            "/v1/admin/users/temp@example.com/disable",
            None,
            Some(ManageUsers),
            true,
        ),
        route(Method::GET, "/v1/admin/keys", None, Some(ManageKeys), false),
        route(
            Method::POST,
            "/v1/admin/keys",
            Some(json!({"scopes": ["reviews:read"], "label": "x"})),
            Some(ManageKeys),
            false,
        ),
        route(
            Method::POST,
            &format!("/v1/admin/keys/{key_id}/revoke"),
            None,
            Some(ManageKeys),
            true,
        ),
    ]
}

#[derive(Debug, Clone)]
enum Caller {
    User(Role),
    Nobody,
    Expired,
    NoCsrf,
    OtherStore,
    Key(Vec<Scope>),
}

/// The status the contract gives `caller` on `route`.
fn expected(route: &Route, caller: &Caller) -> u16 {
    let ok = if route.method == Method::DELETE {
        204
    } else {
        200
    };
    match caller {
        Caller::Nobody | Caller::Expired => 401,
        Caller::NoCsrf if route.method != Method::GET => 403,
        Caller::NoCsrf => expected(route, &Caller::User(Role::Owner)),
        Caller::OtherStore => {
            if route.specific {
                404
            } else {
                ok
            }
        }
        Caller::User(role) => match route.action {
            None => ok,
            Some(action) if role.may(action) => ok,
            Some(_) => 403,
        },
        Caller::Key(scopes) => match route.action {
            // A key has no session to read or end.
            None => 401,
            Some(action) if scopes_allow(scopes, action) => ok,
            Some(_) => 403,
        },
    }
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_contract_says() {
    let (f, clock) = with_clock(fixture().await);
    insert_review(&f, "demo", REVIEW, "tea", 2, false, "held", START, "Meh").await;
    insert_photo(&f, "demo", REVIEW, PHOTO, &jpeg(64, 48)).await;
    for (store, email, role) in [
        ("demo", "owner@example.com", Role::Owner),
        ("demo", "mod@example.com", Role::Moderator),
        ("demo", "viewer@example.com", Role::Viewer),
        ("demo", "temp@example.com", Role::Viewer),
        ("other", "owner@other.example", Role::Owner),
    ] {
        user_with_hash(&f, store, email, role, "unused").await;
    }
    let Auth::Key(target) = key(&f, "demo", &[Scope::ReviewsRead]).await else {
        unreachable!()
    };
    let key_id = target
        .trim_start_matches("ek_")
        .split('.')
        .next()
        .unwrap_or_default()
        .to_owned();
    let callers = [
        Caller::User(Role::Owner),
        Caller::User(Role::Moderator),
        Caller::User(Role::Viewer),
        Caller::Nobody,
        Caller::Expired,
        Caller::NoCsrf,
        Caller::OtherStore,
        Caller::Key(vec![Scope::ReviewsRead]),
        Caller::Key(vec![Scope::ReviewsWrite]),
        Caller::Key(vec![Scope::SettingsWrite]),
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for route in routes(&key_id) {
        for caller in &callers {
            let now = clock.now_millis();
            // A fresh credential per case: signing out ends a session.
            let auth = match caller {
                Caller::User(role) => {
                    let email = match role {
                        Role::Owner => "owner@example.com",
                        Role::Moderator => "mod@example.com",
                        Role::Viewer => "viewer@example.com",
                    };
                    session(&f, "demo", email, now).await
                }
                Caller::Nobody => Auth::None,
                Caller::Expired => {
                    session(&f, "demo", "owner@example.com", now - IDLE_MS - 1).await
                }
                Caller::NoCsrf => match session(&f, "demo", "owner@example.com", now).await {
                    Auth::Session { id, .. } => Auth::Session { id, csrf: None },
                    other => other,
                },
                Caller::OtherStore => session(&f, "other", "owner@other.example", now).await,
                Caller::Key(scopes) => key(&f, "demo", scopes).await,
            };
            let reply = call(
                &f,
                route.method.clone(),
                &route.path,
                &auth,
                route.body.as_ref(),
            )
            .await;
            let want = expected(&route, caller);
            checked += 1;
            if reply.status.as_u16() != want {
                failures.push(format!(
                    "{} {} as {caller:?}: {} (want {want}) {}",
                    route.method, route.path, reply.status, reply.json
                ));
            }
            if want == 403 && matches!(caller, Caller::NoCsrf) {
                assert_eq!(reply.json["error"], "csrf", "{}", route.path);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checked, 19 * 10);
}

#[tokio::test]
async fn another_origin_is_refused_even_with_the_token() {
    let (f, clock) = with_clock(fixture().await);
    user_with_hash(&f, "demo", "owner@example.com", Role::Owner, "unused").await;
    let Auth::Session { id, csrf } =
        session(&f, "demo", "owner@example.com", clock.now_millis()).await
    else {
        unreachable!()
    };
    let mut request = common::admin::request(
        Method::PUT,
        "/v1/admin/reviews/x/reply",
        &Auth::Session { id, csrf },
        Some(&json!({"body": ""})),
    );
    request.headers_mut().insert(
        "origin",
        axum::http::HeaderValue::from_static("https://evil.example"),
    );
    let reply = common::send(f.app(), request).await;
    reply.assert_error(axum::http::StatusCode::FORBIDDEN, "csrf");
    // And no CORS: a preflight from a storefront origin gets no allowance.
    let preflight = axum::http::Request::builder()
        .method(Method::OPTIONS)
        .uri("/v1/admin/reviews")
        .header("origin", "http://127.0.0.1:8080")
        .header("access-control-request-method", "GET")
        .body(axum::body::Body::empty())
        .expect("request");
    let reply = common::send(f.app(), preflight).await;
    assert!(reply.headers.get("access-control-allow-origin").is_none());
}
