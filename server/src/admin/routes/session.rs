//! Signing in and out, the session's own view, and setting a password from an invitation.

use crate::admin::audit::{self, Actor, Change};
use crate::admin::auth::{COOKIE_NAME, Caller, Who, address};
use crate::admin::sessions::{self, ABSOLUTE_MS};
use crate::admin::{csrf, json, lockout, passwords, users};
use crate::config::StoreConfig;
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, SET_COOKIE};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use encore_core::admin::audit::AuditAction;
use encore_core::admin::people::{MAX_EMAIL_LEN, normalise_email};
use encore_core::admin::session::{
    SessionInfo, SetPasswordRequest, SignInRequest, password_problem,
};
use serde::Serialize;

/// A store one may sign in to.
#[derive(Debug, Serialize)]
pub struct StoreLine {
    /// Its id.
    pub id: String,
    /// Its display name.
    pub name: String,
}

/// `GET /v1/admin/stores`: the configured stores (their ids are public in every widget tag).
pub async fn stores(State(state): State<AppState>) -> Json<Vec<StoreLine>> {
    Json(
        state
            .config
            .stores()
            .iter()
            .map(|s| StoreLine {
                id: s.id.clone(),
                name: s.name.clone(),
            })
            .collect(),
    )
}

fn session_cookie(id: &str, max_age_secs: i64) -> Result<HeaderValue, AppError> {
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={id}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}"
    ))
    .map_err(|e| AppError::Internal(format!("cookie: {e}")))
}

/// The e-mail typed at a failed sign-in as the audit log keeps it: lowercased, control
/// characters dropped, at most 254 characters.
fn typed(email: &str) -> String {
    email
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_EMAIL_LEN)
        .collect()
}

/// Audits a failed sign-in to `store` (nothing for a store that does not exist: there is no
/// log of it to write to); `after` says `locked` when the lockout answered.
async fn audit_failed(
    state: &AppState,
    store: Option<&StoreConfig>,
    actor: &Actor,
    now: i64,
    after: &str,
) -> Result<(), AppError> {
    let Some(store) = store else {
        return Ok(());
    };
    let mut conn = state.db.acquire().await?;
    audit::append(
        &mut conn,
        actor,
        now,
        Change {
            store: &store.id,
            action: AuditAction::SignInFailed,
            target: &actor.name,
            before: String::new(),
            after: after.to_owned(),
        },
    )
    .await?;
    Ok(())
}

/// `POST /v1/admin/session`: signs in with `SignInRequest`; `401 sign_in_failed` for an
/// unknown e-mail and a wrong password alike (a hash is checked either way); `429 locked`.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    body: Body,
) -> Result<Response, AppError> {
    csrf::check_no_session(&headers, &extensions, &state.trusted_proxies)?;
    let request: SignInRequest = json::read(&headers, body).await?;
    let now = state.clock.now_millis();
    let address = address(&extensions, &headers, &state);
    let store = state.config.store(&request.store);
    let email = normalise_email(&request.email);
    let actor = Actor {
        name: email.clone().unwrap_or_else(|| typed(&request.email)),
        address: address.clone(),
    };
    let account = lockout::account(&request.store, &actor.name);
    if let Some(retry_after_secs) = lockout::locked(&state.db, &account, &address, now).await? {
        // An address past its own limit is answered without a write, so a flood costs reads.
        if lockout::address_locked(&state.db, &address, now)
            .await?
            .is_none()
        {
            lockout::failed_address(&state.db, &address, now).await?;
            audit_failed(&state, store, &actor, now, "locked").await?;
        }
        return Err(AppError::Locked { retry_after_secs });
    }
    let user = match (store, &email) {
        (Some(store), Some(email)) => users::active(&state.db, &store.id, email).await?,
        _ => None,
    };
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let matches = passwords::verify(hash, request.password).await?;
    let (Some(store), Some(email), Some(user), true) = (store, email, user, matches) else {
        lockout::failed(&state.db, &account, &address, now).await?;
        audit_failed(&state, store, &actor, now, "").await?;
        let failures = lockout::recent_failures(&state.db, &account, now).await?;
        tokio::time::sleep(lockout::delay_after(failures)).await;
        return Err(AppError::SignInFailed);
    };
    let mut tx = state.db.begin().await?;
    let session = sessions::create(&mut tx, &store.id, &email, now)
        .await
        .map_err(AppError::Internal)?;
    users::signed_in(&mut tx, &store.id, &email, now).await?;
    audit::append(
        &mut tx,
        &actor,
        now,
        Change {
            store: &store.id,
            action: AuditAction::SignedIn,
            target: &email,
            before: String::new(),
            after: user.role.as_str().into(),
        },
    )
    .await?;
    tx.commit().await?;
    lockout::succeeded(&state.db, &account).await?;
    let info = SessionInfo {
        store: store.id.clone(),
        store_name: store.name.clone(),
        email,
        role: user.role,
        csrf_token: session.csrf_token,
        expires_at: u64::try_from(session.expires_at).unwrap_or(0),
    };
    let mut response = Json(info).into_response();
    let cookie = session_cookie(&session.id, ABSOLUTE_MS / 1000)?;
    response.headers_mut().insert(SET_COOKIE, cookie);
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /v1/admin/session`: the session's `SessionInfo` (its idle timeout restarted).
pub async fn current(State(state): State<AppState>, caller: Caller) -> Result<Response, AppError> {
    let Who::User { role, session } = caller.who else {
        // A key has no session to describe.
        return Err(AppError::Unauthenticated);
    };
    let store_name = state
        .config
        .store(&caller.store)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let info = SessionInfo {
        store: caller.store,
        store_name,
        email: session.email,
        role,
        csrf_token: session.csrf_token,
        expires_at: u64::try_from(session.expires_at).unwrap_or(0),
    };
    let mut response = Json(info).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `DELETE /v1/admin/session`: ends the session on the server and clears the cookie.
pub async fn sign_out(State(state): State<AppState>, caller: Caller) -> Result<Response, AppError> {
    let Who::User { session, .. } = &caller.who else {
        return Err(AppError::Unauthenticated);
    };
    let now = state.clock.now_millis();
    let mut tx = state.db.begin().await?;
    sessions::end_on(&mut tx, &session.id_hash).await?;
    audit::append(
        &mut tx,
        &caller.actor,
        now,
        Change {
            store: &caller.store,
            action: AuditAction::SignedOut,
            target: &session.email,
            before: String::new(),
            after: String::new(),
        },
    )
    .await?;
    tx.commit().await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(SET_COOKIE, session_cookie("", 0)?);
    Ok(response)
}

/// `POST /v1/admin/password`: sets the password of an invitation's user (`204`); `400
/// invalid` with the `PasswordProblem` code as the message; `410 link_expired`.
pub async fn set_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    body: Body,
) -> Result<StatusCode, AppError> {
    csrf::check_no_session(&headers, &extensions, &state.trusted_proxies)?;
    let request: SetPasswordRequest = json::read(&headers, body).await?;
    if let Some(problem) = password_problem(&request.password) {
        let code = serde_json::to_value(problem)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        return Err(AppError::Invalid(code));
    }
    let now = state.clock.now_millis();
    // Checked before hashing, so unknown tokens cost no Argon2 work.
    if users::invitation(&state.db, &request.token, now)
        .await?
        .is_none()
    {
        return Err(AppError::LinkExpired);
    }
    let hash = passwords::hash(request.password).await?;
    let mut tx = state.db.begin().await?;
    let Some((store, email)) = users::use_invitation(&mut tx, &request.token, &hash, now).await?
    else {
        return Err(AppError::LinkExpired);
    };
    sessions::end_all_of(&mut tx, &store, &email).await?;
    let actor = Actor {
        name: email.clone(),
        address: address(&extensions, &headers, &state),
    };
    audit::append(
        &mut tx,
        &actor,
        now,
        Change {
            store: &store,
            action: AuditAction::PasswordSet,
            target: &email,
            before: String::new(),
            after: String::new(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
