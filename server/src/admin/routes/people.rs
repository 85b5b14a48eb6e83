//! The owner's pages of people and keys: users listed, invited and disabled; API keys listed,
//! made and revoked, through [`crate::admin::people`] (the command line's code too).

use crate::admin::auth::Caller;
use crate::admin::people::{self, PeopleError};
use crate::admin::{api_keys, json, users};
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use encore_core::admin::people::{
    Invitation, InviteRequest, KeyLine, NewKey, NewKeyRequest, UserLine,
};
use encore_core::admin::role::Action;

impl From<PeopleError> for AppError {
    fn from(e: PeopleError) -> Self {
        match e {
            PeopleError::Invalid(m) => AppError::Invalid(m),
            PeopleError::NotFound => AppError::NotFound,
            PeopleError::Failed(m) => AppError::Internal(m),
        }
    }
}

/// `GET /v1/admin/users` → `[UserLine]`.
pub async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<UserLine>>, AppError> {
    caller.require(Action::ManageUsers)?;
    Ok(Json(users::list(&state.db, &caller.store).await?))
}

/// `POST /v1/admin/users` with `InviteRequest` → `Invitation` (a one-time link, 24 hours).
pub async fn invite(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Invitation>, AppError> {
    caller.require(Action::ManageUsers)?;
    let request: InviteRequest = json::read(&headers, body).await?;
    let now = state.clock.now_millis();
    let invitation = people::invite(
        &state.db,
        &caller.store,
        &caller.actor,
        &request.email,
        request.role,
        now,
    )
    .await?;
    Ok(Json(invitation))
}

/// `POST /v1/admin/users/{email}/disable` → `UserLine`; their sessions end at once.
pub async fn disable(
    State(state): State<AppState>,
    caller: Caller,
    Path(email): Path<String>,
) -> Result<Json<UserLine>, AppError> {
    caller.require(Action::ManageUsers)?;
    let now = state.clock.now_millis();
    Ok(Json(
        people::disable(&state.db, &caller.store, &caller.actor, &email, now).await?,
    ))
}

/// `GET /v1/admin/keys` → `[KeyLine]`.
pub async fn list_keys(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<KeyLine>>, AppError> {
    caller.require(Action::ManageKeys)?;
    Ok(Json(api_keys::list(&state.db, &caller.store).await?))
}

/// `POST /v1/admin/keys` with `NewKeyRequest` → `NewKey` (the secret, shown once).
pub async fn add_key(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<NewKey>, AppError> {
    caller.require(Action::ManageKeys)?;
    let request: NewKeyRequest = json::read(&headers, body).await?;
    let now = state.clock.now_millis();
    let key = people::add_key(
        &state.db,
        &caller.store,
        &caller.actor,
        &request.scopes,
        &request.label,
        now,
    )
    .await?;
    Ok(Json(key))
}

/// `POST /v1/admin/keys/{id}/revoke` → `KeyLine`.
pub async fn revoke_key(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<KeyLine>, AppError> {
    caller.require(Action::ManageKeys)?;
    let now = state.clock.now_millis();
    Ok(Json(
        people::revoke_key(&state.db, &caller.store, &caller.actor, &id, now).await?,
    ))
}
