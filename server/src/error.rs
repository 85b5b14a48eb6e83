//! Request failures as JSON `{"error": code, "message": text}`; internals go to the log only.

use axum::Json;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use encore_core::reviews::photo::PhotoError;
use serde::Serialize;

/// Why a whole request failed (as opposed to one result of a batch being rejected).
#[derive(Debug)]
pub enum AppError {
    /// The `Content-Type` is neither `application/json` nor `text/plain`.
    UnsupportedMediaType,
    /// The body is larger than the route accepts.
    PayloadTooLarge {
        /// The most bytes accepted.
        limit: usize,
    },
    /// The batch holds more results than one request may carry.
    TooManyEvents {
        /// The most results accepted.
        limit: usize,
    },
    /// The body is not JSON at all.
    MalformedJson(String),
    /// The body is JSON but not a batch (`{"events": [...]}`).
    InvalidBatch(String),
    /// The body could not be read from the connection.
    BodyUnreadable,
    /// The body did not arrive in full within `serve --body-timeout-secs`.
    BodyTimedOut,
    /// The query string has a missing or unusable parameter.
    InvalidQuery(String),
    /// The JSON body does not have the route's shape.
    InvalidBody(String),
    /// The page's origin may not act for this store.
    OriginNotAllowed,
    /// Too many requests from this client; retry after this many seconds.
    RateLimited {
        /// Seconds until a retry may succeed.
        retry_after_secs: u64,
    },
    /// A photo upload that is not an accepted image.
    Photo(PhotoError),
    /// A photo upload without an `image/*` content type.
    NotAnImage,
    /// A route that needs a signed token got none, or one that is altered, foreign or malformed.
    TokenInvalid,
    /// A route that needs a signed token got a genuine one past its expiry.
    TokenExpired,
    /// The store runs no referral program.
    ReferralNotOffered,
    /// No advocate of the store has this referral code.
    UnknownReferralCode,
    /// No route at this path.
    NotFound,
    /// A dependency such as the database is down; the request may succeed later.
    Unavailable(String),
    /// Too many batches are waiting to be written; this one stored nothing and may be sent
    /// again after this many seconds.
    Overloaded {
        /// Seconds until a retry may succeed.
        retry_after_secs: u64,
    },
    /// A bug or an unexpected failure; the text is logged, never sent.
    Internal(String),
    /// Admin API: a bad filter, body or value; the text names the field.
    Invalid(String),
    /// Admin API: no session, an expired or ended one, an unknown or revoked key.
    Unauthenticated,
    /// Admin API: a wrong e-mail or password (the same answer for both).
    SignInFailed,
    /// Admin API: the caller's role or scopes do not allow the action.
    Forbidden,
    /// Admin API: a missing or wrong CSRF token, or another origin.
    Csrf,
    /// Admin API: an invitation used, expired or unknown.
    LinkExpired,
    /// Admin API: a body over the admin API's limit.
    TooLarge {
        /// The most bytes accepted.
        limit: usize,
    },
    /// Admin API: too many failed sign-ins; retry after this many seconds.
    Locked {
        /// Seconds until the account or address may try again.
        retry_after_secs: u64,
    },
}

impl AppError {
    /// The HTTP status, machine-readable code and human message a client is given.
    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            AppError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as application/json or text/plain.".into(),
            ),
            AppError::PayloadTooLarge { limit } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("The body is larger than {limit} bytes; send fewer results per batch."),
            ),
            AppError::TooManyEvents { limit } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_many_events",
                format!("A batch may hold at most {limit} results."),
            ),
            AppError::MalformedJson(detail) => (
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("The body is not valid JSON: {detail}."),
            ),
            AppError::InvalidBatch(detail) => (
                StatusCode::BAD_REQUEST,
                "invalid_batch",
                format!("The body must be an object {{\"events\": [...]}}: {detail}."),
            ),
            AppError::BodyUnreadable => (
                StatusCode::BAD_REQUEST,
                "body_unreadable",
                "The body could not be read; please retry.".into(),
            ),
            AppError::BodyTimedOut => (
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout",
                "The body took too long to arrive; please retry.".into(),
            ),
            AppError::InvalidQuery(detail) => (
                StatusCode::BAD_REQUEST,
                "invalid_query",
                format!("The query string is not usable: {detail}."),
            ),
            AppError::InvalidBody(detail) => (
                StatusCode::BAD_REQUEST,
                "invalid_body",
                format!("The body is not usable: {detail}."),
            ),
            AppError::OriginNotAllowed => (
                StatusCode::FORBIDDEN,
                "origin_not_allowed",
                "This page may not act for this store.".into(),
            ),
            AppError::RateLimited { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("Too many requests; retry in {retry_after_secs} seconds."),
            ),
            AppError::Photo(problem) => {
                let (status, code) = match problem {
                    PhotoError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
                    PhotoError::Empty | PhotoError::UnsupportedType => {
                        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_image")
                    }
                    PhotoError::BadDimensions => {
                        (StatusCode::UNPROCESSABLE_ENTITY, "image_dimensions")
                    }
                    PhotoError::Corrupt => (StatusCode::UNPROCESSABLE_ENTITY, "image_unreadable"),
                };
                (
                    status,
                    code,
                    format!("{}.", capitalized(&problem.to_string())),
                )
            }
            AppError::NotAnImage => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the photo with an image/* content type.".into(),
            ),
            AppError::TokenInvalid => (
                StatusCode::UNAUTHORIZED,
                "token_invalid",
                "Send a valid member or order token signed by the store.".into(),
            ),
            AppError::TokenExpired => (
                StatusCode::UNAUTHORIZED,
                "token_expired",
                "The token has expired; ask the store's page for a fresh one.".into(),
            ),
            AppError::ReferralNotOffered => (
                StatusCode::NOT_FOUND,
                "referral_not_offered",
                "This store runs no referral program.".into(),
            ),
            AppError::UnknownReferralCode => (
                StatusCode::NOT_FOUND,
                "unknown_referral_code",
                "No one has this referral code.".into(),
            ),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "There is nothing at this address.".into(),
            ),
            AppError::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The service is temporarily unavailable; please retry.".into(),
            ),
            AppError::Overloaded { retry_after_secs } => (
                StatusCode::SERVICE_UNAVAILABLE,
                "overloaded",
                format!(
                    "The server is busy and stored nothing; retry in {retry_after_secs} seconds."
                ),
            ),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Something went wrong on our side; please retry.".into(),
            ),
            AppError::Invalid(detail) => (StatusCode::BAD_REQUEST, "invalid", detail.clone()),
            AppError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Sign in, or send a valid API key.".into(),
            ),
            AppError::SignInFailed => (
                StatusCode::UNAUTHORIZED,
                "sign_in_failed",
                "The e-mail or the password is wrong.".into(),
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "Your role or key does not allow this.".into(),
            ),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "csrf",
                "The request lacks the session's CSRF token or comes from another origin.".into(),
            ),
            AppError::LinkExpired => (
                StatusCode::GONE,
                "link_expired",
                "This link was used already or has expired; ask for a new one.".into(),
            ),
            AppError::TooLarge { limit } => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!("The body is larger than {limit} bytes."),
            ),
            AppError::Locked { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                "locked",
                format!("Too many failed sign-ins; try again in {retry_after_secs} seconds."),
            ),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(format!("database: {e}"))
    }
}

#[derive(Serialize)]
struct ErrorBody {
    error: &'static str,
    message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(detail) => tracing::error!(%detail, "request failed"),
            AppError::Unavailable(detail) => tracing::warn!(%detail, "dependency unavailable"),
            _ => tracing::debug!(error = ?self, "request refused"),
        }
        let (status, error, message) = self.parts();
        let mut response = (status, Json(ErrorBody { error, message })).into_response();
        if let AppError::RateLimited { retry_after_secs }
        | AppError::Overloaded { retry_after_secs }
        | AppError::Locked { retry_after_secs } = self
        {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

/// `text` with its first letter in uppercase, to make a sentence of a lowercase message.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
