//! Query-string parameters read by hand, so every bad value gets a JSON 400 naming it, and the
//! store a request names with `?store=`.

use crate::config::StoreConfig;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// The decoded `key=value` pairs of a request's query string.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
            .map(|Query(pairs)| Params(pairs))
            .map_err(|e| AppError::InvalidQuery(e.body_text()))
    }
}

impl Params {
    /// The first value of `key`; an empty value counts as absent.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// The value of `key`, which must be present.
    pub(crate) fn required(&self, key: &str) -> Result<&str, AppError> {
        self.get(key)
            .ok_or_else(|| AppError::InvalidQuery(format!("`{key}` is required")))
    }

    /// The parameters as the fields of `T`, every value a string: the first value of each key,
    /// an empty one counting as absent, keys `T` does not know ignored.
    pub(crate) fn fields<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        let mut map = serde_json::Map::new();
        for (key, value) in self.0.iter().filter(|(_, v)| !v.is_empty()) {
            map.entry(key.clone())
                .or_insert_with(|| serde_json::Value::String(value.clone()));
        }
        serde_json::from_value(serde_json::Value::Object(map))
            .map_err(|e| AppError::InvalidQuery(e.to_string()))
    }

    /// The value of `key` parsed by `parse`, or `None` when absent.
    pub(crate) fn parsed<T>(
        &self,
        key: &str,
        expected: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<Option<T>, AppError> {
        match self.get(key) {
            None => Ok(None),
            Some(value) => parse(value)
                .map(Some)
                .ok_or_else(|| AppError::InvalidQuery(format!("`{key}` must be {expected}"))),
        }
    }
}

/// The store named by `?store=`: 400 without one, 404 when it is not configured.
pub(crate) fn known_store<'a>(
    state: &'a AppState,
    params: &Params,
) -> Result<&'a StoreConfig, AppError> {
    let id = params.required("store")?;
    state.config.store(id).ok_or(AppError::NotFound)
}
