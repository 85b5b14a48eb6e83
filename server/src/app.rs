//! The HTTP application: routes, CORS, request tracing and the optional static site.

use crate::config::ServerConfig;
use crate::error::AppError;
use crate::photos::decode_slots::DecodeSlots;
use crate::rate_limit::RateLimiter;
use crate::reviews::{helpful, request, routes as review_routes};
use crate::write_queue::{QueueLimits, WriteQueue};
use crate::{events, health, offers, photos, referral, surprise};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, Method};
use axum::routing::{get, post};
use sqlx::SqlitePool;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::{SetResponseHeader, SetResponseHeaderLayer};
use tower_http::trace::TraceLayer;

/// The static site: files from a directory, each answer marked `no-cache`.
type SiteService = SetResponseHeader<ServeDir, HeaderValue>;

/// How long a browser may reuse a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database results are stored in.
    pub db: SqlitePool,
    /// The stores this server answers for.
    pub config: Arc<ServerConfig>,
    /// Request counts per client and product, for the review, vote and photo limits.
    pub limiter: Arc<RateLimiter>,
    /// Proxies whose `X-Forwarded-For` is believed (`serve --trusted-proxy`); empty: none.
    pub trusted_proxies: Arc<Vec<IpAddr>>,
    /// Batches of results take turns to write, first come first served. SQLite lets one
    /// writer in at a time anyway, and its busy handler retries by sleeping, so under load some
    /// batches starved for a second while others went through (p99 135 ms at 4 connections
    /// against 13 ms at 1, `cargo xtask bench`).
    pub batch_writer: Arc<tokio::sync::Mutex<()>>,
    /// The line for [`AppState::batch_writer`], bounded so that a burst is shed with 503 and
    /// `Retry-After` instead of making every batch wait ever longer.
    pub write_queue: Arc<WriteQueue>,
    /// Turns at the photo decoder: a few photos decode at once, so their memory is bounded.
    pub photo_decoders: Arc<DecodeSlots>,
}

impl AppState {
    /// The state over `db` for `config`, with fresh rate limits.
    pub fn new(db: SqlitePool, config: ServerConfig) -> Self {
        AppState {
            db,
            config: Arc::new(config),
            limiter: Arc::new(RateLimiter::default()),
            trusted_proxies: Arc::new(Vec::new()),
            batch_writer: Arc::new(tokio::sync::Mutex::new(())),
            write_queue: Arc::new(WriteQueue::new(QueueLimits::default())),
            photo_decoders: Arc::new(DecodeSlots::default()),
        }
    }

    /// This state, keeping the line for the writer within `limits`.
    pub fn with_queue_limits(mut self, limits: QueueLimits) -> Self {
        self.write_queue = Arc::new(WriteQueue::new(limits));
        self
    }

    /// This state, believing `X-Forwarded-For` from `proxies` only.
    pub fn with_trusted_proxies(mut self, proxies: Vec<IpAddr>) -> Self {
        self.trusted_proxies = Arc::new(proxies);
        self
    }
}

/// Optional parts of the application beyond the API.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// A directory served at `/` for every path the API does not claim (the demo storefront
    /// and the built widget).
    pub site: Option<PathBuf>,
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
            get(request::get_review_request),
        )
        .route(
            "/v1/photos",
            // The handler bounds the body itself so that an oversized one gets a JSON 413.
            post(photos::routes::post_photo).layer(DefaultBodyLimit::disable()),
        )
        .route("/v1/photos/{name}", get(photos::routes::get_photo))
        .route("/v1/offers", get(offers::routes::get_offers))
        .route("/v1/surprise/redeem", post(surprise::routes::post_redeem))
        .route(
            "/v1/surprise/campaigns/{campaign}",
            get(surprise::routes::get_odds),
        )
        .route("/v1/referral", get(referral::routes::get_referral))
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
        .with_state(state);
    let router = match &options.site {
        Some(dir) => api.fallback_service(site(dir.clone())),
        None => api.fallback(|| async { AppError::NotFound }),
    };
    // Failures are logged where they are answered (`AppError`), at a level that fits: an
    // error for a bug, nothing above debug for a batch shed under load, of which a burst makes
    // thousands.
    router.layer(TraceLayer::new_for_http().on_failure(()))
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
