//! `GET` and `PUT /v1/admin/rules`: the store's auto-publish rules.

use crate::admin::audit::{self, Change};
use crate::admin::auth::Caller;
use crate::admin::{json, rules};
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use encore_core::admin::audit::AuditAction;
use encore_core::admin::role::Action;
use encore_core::admin::rules::ModerationRules;

/// `GET /v1/admin/rules` → `ModerationRules`.
pub async fn get_rules(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ModerationRules>, AppError> {
    caller.require(Action::ReadRules)?;
    let store = state
        .config
        .store(&caller.store)
        .ok_or(AppError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(rules::current(&mut conn, store).await?))
}

/// `PUT /v1/admin/rules` with `ModerationRules` → the rules saved; audited with the rules
/// before and after.
pub async fn put_rules(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<ModerationRules>, AppError> {
    caller.require(Action::EditRules)?;
    let new: ModerationRules = json::read(&headers, body).await?;
    if let Some(problem) = new.problem() {
        return Err(AppError::Invalid(problem));
    }
    let store = state
        .config
        .store(&caller.store)
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now_millis();
    let mut tx = state.db.begin().await?;
    let before = rules::current(&mut tx, store).await?;
    rules::save(&mut tx, &store.id, &new, now).await?;
    audit::append(
        &mut tx,
        &caller.actor,
        now,
        Change {
            store: &store.id,
            action: AuditAction::RulesChanged,
            target: "rules",
            before: rules::to_json(&before),
            after: rules::to_json(&new),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Json(new))
}
