//! `GET /v1/admin/audit?<AuditFilter>`: the store's audit log, newest first.

use crate::admin::audit;
use crate::admin::auth::Caller;
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use encore_core::admin::audit::{AuditFilter, AuditPage};
use encore_core::admin::role::Action;

/// `GET /v1/admin/audit` → `AuditPage`.
pub async fn get_audit(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<AuditPage>, AppError> {
    caller.require(Action::ReadAudit)?;
    let filter =
        AuditFilter::from_query(query.as_deref().unwrap_or("")).map_err(AppError::Invalid)?;
    Ok(Json(audit::page(&state.db, &caller.store, &filter).await?))
}
