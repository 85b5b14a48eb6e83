//! What both forged-code measurements share, so that they time the same path: this file's
//! criterion benchmark (`forged_codes.rs`, means) and encore-bench's `server-load forged`
//! (single requests, for the p99), which includes this file with `#[path]`.
//!
//! One store whose invalid-code limits are lifted (`forged-store.toml`), codes of its campaign
//! tagged with the wrong key, and the router over a database file that does not exist and may
//! not be created: a request that reached SQL would get a 500, so an `invalid` answer also
//! shows that the rejection needed no database.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, header};
use encore_core::event_id::EventId;
use encore_core::surprise::code::{self, CodeId};
use encore_core::surprise::redeem::RedeemRequest;
use encore_server::{AppState, ServerConfig};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::net::SocketAddr;
use std::path::Path;

/// The store, with one open campaign and its invalid-code limits lifted, so that every attempt
/// takes the whole path (an attempt over a limit is turned away before its tag is checked).
const CONFIG: &str = include_str!("forged-store.toml");
/// The store's id in [`CONFIG`].
pub const STORE: &str = "bench";
/// The campaign the forged codes claim; it exists, so they fail on the tag.
const CAMPAIGN: u16 = 1;
/// The forger's key: a code tagged with it is well formed but not genuine.
const FORGER_KEY: &[u8] = b"not-the-campaign-key-0123456789ab";
/// The shop's page the attempts come from.
const PAGE_ORIGIN: &str = "https://shop.example";

/// The store configuration of [`CONFIG`].
pub fn config() -> Result<ServerConfig, String> {
    ServerConfig::from_toml_str(CONFIG).map_err(|e| format!("forged-store.toml: {e}"))
}

/// A well-formed code of the campaign at `serial`, tagged with the wrong key.
pub fn forged_code(serial: u32) -> String {
    code::mint(
        CodeId {
            campaign: CAMPAIGN,
            serial,
        },
        FORGER_KEY,
    )
}

/// The server's router over [`CONFIG`] and a database at `absent`, a path that does not exist.
/// Needs a tokio runtime entered: the pool spawns its upkeep on it.
pub fn app_without_database(absent: &Path) -> Result<Router, String> {
    // `create_if_missing` is off by default: opening the file fails, and so would any query.
    let pool =
        SqlitePoolOptions::new().connect_lazy_with(SqliteConnectOptions::new().filename(absent));
    Ok(encore_server::app(AppState::new(pool, config()?)))
}

/// A redemption of `code` by `device` under the id `redemption`, from a loopback peer address
/// (as `serve` records it for the limits).
pub fn redeem_request(
    code: &str,
    device: &str,
    redemption: EventId,
) -> Result<Request<Body>, String> {
    let body = RedeemRequest {
        store: STORE.to_owned(),
        code: code.to_owned(),
        redemption,
        device: device.to_owned(),
        member_token: None,
        locale: Some("en".to_owned()),
    };
    let body = serde_json::to_vec(&body).map_err(|e| format!("encode: {e}"))?;
    let mut request = Request::post("/v1/surprise/redeem")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ORIGIN, PAGE_ORIGIN)
        .body(Body::from(body))
        .map_err(|e| format!("request: {e}"))?;
    let peer = SocketAddr::from(([127, 0, 0, 1], 40_000));
    request.extensions_mut().insert(ConnectInfo(peer));
    Ok(request)
}
