//! The admin API's handlers outside the review queue, one module per area; thin: they check
//! the caller, call storage and answer. The review queue's are in `reviews::console`.

pub mod audit;
pub mod people;
pub mod rules;
pub mod session;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

/// The routes of this module (the app merges them with the queue's, outside CORS).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/admin/stores", get(session::stores))
        .route(
            "/v1/admin/session",
            get(session::current)
                .post(session::sign_in)
                .delete(session::sign_out),
        )
        .route("/v1/admin/password", post(session::set_password))
        .route(
            "/v1/admin/rules",
            get(rules::get_rules).put(rules::put_rules),
        )
        .route("/v1/admin/audit", get(audit::get_audit))
        .route(
            "/v1/admin/users",
            get(people::list_users).post(people::invite),
        )
        .route("/v1/admin/users/{email}/disable", post(people::disable))
        .route(
            "/v1/admin/keys",
            get(people::list_keys).post(people::add_key),
        )
        .route("/v1/admin/keys/{id}/revoke", post(people::revoke_key))
}
