//! The HTTP application: which handler answers each route, CORS, request tracing and the
//! optional static site. What the handlers share is [`AppState`], in its own module.

use crate::admin;
use crate::config::ServerConfig;
use crate::error::AppError;
use crate::redact::uri_for_log;
use crate::reviews::{
    console as review_console, helpful, photos, request, routes as review_routes,
};
use crate::state::AppState;
use crate::{events, health, offers, referral, surprise};
use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, Method, Request};
use axum::routing::{any, get, post};
use std::path::PathBuf;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::{SetResponseHeader, SetResponseHeaderLayer};
use tower_http::trace::TraceLayer;
use tracing::Span;

/// The static site: files from a directory, each answer marked `no-cache`.
type SiteService = SetResponseHeader<ServeDir, HeaderValue>;

/// The console's files: a directory with the console's security headers.
type ConsoleService = SetResponseHeader<
    SetResponseHeader<
        SetResponseHeader<
            SetResponseHeader<SetResponseHeader<ServeDir, HeaderValue>, HeaderValue>,
            HeaderValue,
        >,
        HeaderValue,
    >,
    HeaderValue,
>;

/// How long a browser may reuse a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// Optional parts of the application beyond the API.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// A directory served at `/` for every path the API does not claim (the demo storefront
    /// and the built widget).
    pub site: Option<PathBuf>,
    /// A directory served at `/console/` (the store console's bundle, `serve --console`);
    /// without one `/console/` answers a JSON 404.
    pub console: Option<PathBuf>,
}

/// The API alone (`/v1/...` routes), with a JSON 404 everywhere else.
pub fn app(state: AppState) -> Router {
    app_with(state, &AppOptions::default())
}

/// The API plus whatever `options` ask for.
pub fn app_with(state: AppState, options: &AppOptions) -> Router {
    let cors = cors(&state.config);
    let api = Router::new()
        .route(
            "/v1/events",
            // The handler bounds the body itself so that an oversized one gets a JSON 413.
            post(events::post_events).layer(DefaultBodyLimit::disable()),
        )
        .route("/v1/health", get(health::health))
        .route(
            "/v1/products/{product}/reviews",
            get(review_routes::get_reviews),
        )
        .route(
            "/v1/products/{product}/jsonld",
            get(review_routes::get_jsonld),
        )
        .route("/v1/reviews/{id}/helpful", post(helpful::post_helpful))
        .route(
            "/v1/orders/{order}/review-request",
            get(request::review_request_of).post(request::review_request_of),
        )
        .route(
            "/v1/photos",
            // The handler bounds the body itself so that an oversized one gets a JSON 413.
            post(photos::routes::post_photo).layer(DefaultBodyLimit::disable()),
        )
        .route("/v1/photos/{name}", get(photos::routes::get_photo))
        // The token-carrying reads: `POST` with the fields in the body; `GET` with them in the
        // query is deprecated (`token_read`).
        .route(
            "/v1/offers",
            get(offers::routes::offers).post(offers::routes::offers),
        )
        .route("/v1/surprise/redeem", post(surprise::routes::post_redeem))
        .route(
            "/v1/surprise/campaigns/{campaign}",
            get(surprise::routes::get_odds),
        )
        .route(
            "/v1/referral",
            get(referral::routes::referral).post(referral::routes::referral),
        )
        .route("/v1/referral/welcome", get(referral::routes::get_welcome))
        // Answer 404 unless the store enables them (`[store.demo] mint_surprise_codes`).
        .route("/demo/surprise-code", get(surprise::routes::get_demo_code))
        .route(
            "/demo/surprise-sheet.svg",
            get(surprise::routes::get_demo_sheet),
        )
        // Answers 404 unless the store enables it (`[store.demo] mint_member_tokens`).
        .route(
            "/demo/member-token",
            get(offers::routes::get_demo_member_token),
        )
        // Answers 404 unless the store enables it (`[store.demo] mint_order_tokens`).
        .route(
            "/demo/order-token",
            get(referral::demo::get_demo_order_token),
        )
        .layer(cors)
        // The admin API is merged after the CORS layer, so it answers no other origin at all:
        // the console is served by this server, from this origin.
        .merge(admin::routes::router())
        .merge(review_console::router());
    let api = match &options.console {
        Some(dir) => api.nest_service("/console", console(dir.clone())),
        None => api
            .route("/console", any(|| async { AppError::NotFound }))
            .route("/console/{*rest}", any(|| async { AppError::NotFound })),
    };
    let api = api.with_state(state);
    let router = match &options.site {
        Some(dir) => api.fallback_service(site(dir.clone())),
        None => api.fallback(|| async { AppError::NotFound }),
    };
    // Failures are logged where they are answered (`AppError`), at a level that fits: an
    // error for a bug, nothing above debug for a batch shed under load, of which a burst makes
    // thousands.
    router.layer(
        TraceLayer::new_for_http()
            .make_span_with(request_span)
            .on_failure(()),
    )
}

/// The span every request's log lines carry: tower-http's default fields, but the URI with
/// token values redacted ([`uri_for_log`]): a client on the deprecated query form must not
/// leave its token in a log.
fn request_span(request: &Request<Body>) -> Span {
    tracing::debug_span!(
        "request",
        method = %request.method(),
        uri = %uri_for_log(request.uri()),
        version = ?request.version(),
    )
}

/// Lets pages of every configured store call the API, and no others.
///
/// No credentials: results carry their own proof (signed tokens), never cookies.
fn cors(config: &ServerConfig) -> CorsLayer {
    let origins = config.all_origins();
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| {
            origin.to_str().is_ok_and(|o| origins.contains(o))
        }))
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([CONTENT_TYPE])
        .max_age(PREFLIGHT_MAX_AGE)
}

/// The console's Content-Security-Policy: its own scripts (and WebAssembly), styles and
/// images, requests to its own origin only, no framing, no plugins, no foreign forms.
const CONSOLE_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
                           style-src 'self'; img-src 'self' data:; connect-src 'self'; \
                           base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The console's static files from `dir`, with a strict CSP, no framing, no referrer, and
/// `no-cache` so that a new console bundle is picked up on the next load.
fn console(dir: PathBuf) -> ConsoleService {
    ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONSOLE_CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .service(ServeDir::new(dir).append_index_html_on_directories(true))
}

/// Serves `dir` with `index.html` for directories. `no-cache` makes the demo pick up a
/// rebuilt widget on reload while still allowing revalidation.
fn site(dir: PathBuf) -> SiteService {
    ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(ServeDir::new(dir).append_index_html_on_directories(true))
}
