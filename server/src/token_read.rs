//! Reads that carry a token (`/v1/offers`, `/v1/referral`, a review request): their fields come
//! in a `POST` body, JSON sent as `text/plain` so the browser needs no CORS preflight, and never
//! in a URL, where proxy and CDN logs would keep the token. Until [`QUERY_TOKEN_SUNSET`] the old
//! `GET` form with the same fields in its query still works; its answers say it is deprecated.

use crate::body::{has_accepted_content_type, read_bounded};
use crate::config::StoreConfig;
use crate::error::AppError;
use crate::query::Params;
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::LINK;
use axum::http::{HeaderName, HeaderValue, Method};
use axum::response::Response;
use encore_core::offers::OffersQuery;
use encore_core::referral::page::ReferralQuery;
use encore_core::reviews::ReviewRequestQuery;
use serde::de::DeserializeOwned;

/// Largest body accepted: a token (at most 2 KiB) with a store id and a locale, and headroom.
pub const MAX_READ_BYTES: usize = 8 * 1024;

/// When the query form was deprecated, as RFC 9745's `Deprecation` value (2026-12-06 UTC).
pub const QUERY_TOKEN_DEPRECATED: &str = "@1796515200";

/// The last day the query form is served, as RFC 8594's `Sunset` value.
pub const QUERY_TOKEN_SUNSET: &str = "Wed, 30 Jun 2027 00:00:00 GMT";

/// Where the move is explained, as a `Link` with RFC 9745's relation type.
pub const QUERY_TOKEN_DOCS: &str = "<https://github.com/encore-widget/encore/blob/main/docs/endpoint.md#tokens-never-in-urls>; rel=\"deprecation\"; type=\"text/markdown\"";

/// What every token-carrying read names: a store, and perhaps a token.
pub(crate) trait ReadFields {
    /// The store id.
    fn store(&self) -> &str;
    /// The token, an empty one counting as absent.
    fn token(&self) -> Option<&str>;
}

macro_rules! read_fields {
    ($($query:ty),*) => {$(
        impl ReadFields for $query {
            fn store(&self) -> &str {
                &self.store
            }
            fn token(&self) -> Option<&str> {
                self.token.as_deref().filter(|t| !t.is_empty())
            }
        }
    )*};
}

read_fields!(OffersQuery, ReferralQuery, ReviewRequestQuery);

/// The fields of a token-carrying read, and whether a token came the deprecated way.
#[derive(Debug)]
pub(crate) struct TokenRead<T> {
    /// What the client asked.
    pub(crate) fields: T,
    /// Whether a token was in the query string.
    token_in_query: bool,
}

impl<T: ReadFields> TokenRead<T> {
    /// The store the read names: 404 when it is not configured.
    pub(crate) fn store<'a>(&self, state: &'a AppState) -> Result<&'a StoreConfig, AppError> {
        state
            .config
            .store(self.fields.store())
            .ok_or(AppError::NotFound)
    }

    /// The token, if one came.
    pub(crate) fn token(&self) -> Option<&str> {
        self.fields.token()
    }

    /// `response`, with the deprecation headers when the token came in the query.
    pub(crate) fn answer(&self, mut response: Response) -> Response {
        if self.token_in_query {
            let headers = response.headers_mut();
            headers.insert(
                HeaderName::from_static("deprecation"),
                HeaderValue::from_static(QUERY_TOKEN_DEPRECATED),
            );
            headers.insert(
                HeaderName::from_static("sunset"),
                HeaderValue::from_static(QUERY_TOKEN_SUNSET),
            );
            headers.append(LINK, HeaderValue::from_static(QUERY_TOKEN_DOCS));
        }
        response
    }
}

impl<S: Send + Sync, T: DeserializeOwned + ReadFields> FromRequest<S> for TokenRead<T> {
    type Rejection = AppError;

    /// A `POST` reads its JSON body (a query string beside it is ignored); any other method
    /// its query, first value of each key, an empty value counting as absent.
    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        if parts.method == Method::POST {
            if !has_accepted_content_type(&parts.headers) {
                return Err(AppError::UnsupportedMediaType);
            }
            let bytes = read_bounded(&parts.headers, body, MAX_READ_BYTES).await?;
            let fields: T =
                serde_json::from_slice(&bytes).map_err(|e| AppError::InvalidBody(e.to_string()))?;
            if fields.store().is_empty() {
                return Err(AppError::InvalidBody("`store` is required".to_owned()));
            }
            return Ok(TokenRead {
                fields,
                token_in_query: false,
            });
        }
        let params = Params::from_request_parts(&mut parts, state).await?;
        params.required("store")?;
        Ok(TokenRead {
            fields: params.fields()?,
            token_in_query: params.get("token").is_some(),
        })
    }
}
