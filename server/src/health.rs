//! `GET /v1/health`: whether this server can take results right now.

use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

/// Handles `GET /v1/health`: `{"status":"ok"}` once the database answers a query, else 503.
pub(crate) async fn health(State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.db)
        .await
        .map_err(|e| AppError::Unavailable(format!("database: {e}")))?;
    Ok(Json(json!({"status": "ok"})))
}
