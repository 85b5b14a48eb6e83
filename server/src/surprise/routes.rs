//! `POST /v1/surprise/redeem`, `GET /v1/surprise/campaigns/{campaign}` ("how winners are
//! chosen"), and the demo-only `GET /demo/surprise-code` and `GET /demo/surprise-sheet.svg`.

use super::gate::{Turned, admit};
use super::prizes::published;
use super::redemption::{Attempt, odds, redeem};
use super::sheet;
use crate::body::{has_accepted_content_type, read_bounded};
use crate::client_ip::client_ip_behind;
use crate::clock::now_millis;
use crate::config::StoreConfig;
use crate::error::AppError;
use crate::query::{Params, known_store};
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ORIGIN};
use axum::http::{Extensions, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use encore_core::locale::Locale;
use encore_core::surprise::code::{self, CodeId};
use encore_core::surprise::redeem::{RedeemRequest, Redemption};
use serde_json::json;

/// Largest redemption body: a code, two ids, a member token and a locale.
const MAX_REDEEM_BYTES: usize = 8 * 1024;

/// Handles `POST /v1/surprise/redeem`: the answer as a [`Redemption`] (200 for every verdict),
/// 429 with `Retry-After` after too many invalid codes from the device or address.
pub(crate) async fn post_redeem(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    body: Body,
) -> Result<Response, AppError> {
    if !has_accepted_content_type(&headers) {
        return Err(AppError::UnsupportedMediaType);
    }
    let bytes = read_bounded(&headers, body, MAX_REDEEM_BYTES).await?;
    let request: RedeemRequest = serde_json::from_slice(&bytes)
        .map_err(|e| AppError::InvalidBody(format!("not a redemption request: {e}")))?;
    let store = state
        .config
        .store(&request.store)
        .ok_or_else(|| AppError::InvalidBody("no such store".into()))?;
    let origin = headers.get(ORIGIN).and_then(|v| v.to_str().ok());
    if origin.is_some_and(|o| !store.allows_origin(o)) {
        return Err(AppError::OriginNotAllowed);
    }
    let ip = client_ip_behind(&extensions, &headers, &state.trusted_proxies);
    let now = u64::try_from(now_millis()).unwrap_or(0);
    let admitted = admit(
        store,
        &state.limiter,
        &request.code,
        &request.device,
        ip,
        request.member_token.as_deref(),
        now / 1000,
    );
    let answer = match admitted {
        Err(Turned::Limited(limited)) => {
            return Err(AppError::RateLimited {
                retry_after_secs: limited.retry_after_secs(),
            });
        }
        Err(Turned::BadDevice) => {
            return Err(AppError::InvalidBody(
                "device must be 8 to 64 letters, digits or dashes".into(),
            ));
        }
        Err(Turned::Invalid) => Redemption::Invalid,
        Ok(admitted) => {
            let locale = request
                .locale
                .as_deref()
                .and_then(Locale::for_tag)
                .unwrap_or_default();
            let attempt = Attempt {
                store,
                campaign: admitted.campaign,
                serial: admitted.id.serial,
                redemption: request.redemption.as_str(),
                device: &request.device,
                member: admitted.member.as_deref(),
                locale,
                now,
            };
            redeem_alone(&state, &attempt).await?
        }
    };
    no_store(Json(answer).into_response())
}

/// Redeems in a transaction of its own, begun IMMEDIATE so that it holds the write lock from its
/// first read: concurrent redemptions queue on SQLite's lock instead of failing to upgrade.
async fn redeem_alone(state: &AppState, attempt: &Attempt<'_>) -> Result<Redemption, AppError> {
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let answer = redeem(&mut tx, attempt).await?;
    tx.commit().await?;
    Ok(answer)
}

/// Handles `GET /v1/surprise/campaigns/{campaign}?store=S&locale=L`: the campaign's prizes,
/// chances and what is left of each.
pub(crate) async fn get_odds(
    State(state): State<AppState>,
    Path(campaign): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let store = known_store(&state, &params)?;
    let campaign = campaign
        .parse::<u16>()
        .ok()
        .and_then(|c| store.surprise.campaign(c))
        .ok_or(AppError::NotFound)?;
    let locale = params
        .get("locale")
        .and_then(Locale::for_tag)
        .unwrap_or_default();
    let mut conn = state.db.acquire().await?;
    let table = odds(&mut conn, &store.id, campaign).await?;
    no_store(Json(published(campaign, &table, locale)).into_response())
}

/// The demo store whose config turns code minting on, else 404.
fn demo_store<'a>(state: &'a AppState, params: &Params) -> Result<&'a StoreConfig, AppError> {
    params
        .get("store")
        .and_then(|id| state.config.store(id))
        .filter(|store| store.surprise.mint_demo_codes)
        .ok_or(AppError::NotFound)
}

/// Fresh demo codes of the store's first campaign, at random serials above 2^31 (the CLI mints
/// from 1 upwards, so the two never meet).
fn demo_codes(store: &StoreConfig, count: usize) -> Result<Vec<(String, String)>, AppError> {
    let campaign = store.surprise.campaigns.first().ok_or(AppError::NotFound)?;
    (0..count)
        .map(|_| {
            let random =
                getrandom::u32().map_err(|e| AppError::Internal(format!("CSPRNG: {e}")))?;
            let id = CodeId {
                campaign: campaign.id,
                serial: random | 0x8000_0000,
            };
            let text = code::mint(id, campaign.key.as_bytes());
            let url = campaign.url_for(&text);
            Ok((text, url))
        })
        .collect()
}

/// Handles `GET /demo/surprise-code?store=S`: `{code, url}` of one fresh demo code.
pub(crate) async fn get_demo_code(
    State(state): State<AppState>,
    params: Params,
) -> Result<Response, AppError> {
    let store = demo_store(&state, &params)?;
    let codes = demo_codes(store, 1)?;
    let (code, url) = codes.into_iter().next().ok_or(AppError::NotFound)?;
    no_store(Json(json!({ "code": code, "url": url })).into_response())
}

/// Handles `GET /demo/surprise-sheet.svg?store=S`: a printable sheet of 12 fresh demo codes.
pub(crate) async fn get_demo_sheet(
    State(state): State<AppState>,
    params: Params,
) -> Result<Response, AppError> {
    let store = demo_store(&state, &params)?;
    let labels = demo_codes(store, 12)?;
    let svg = sheet::page(&labels).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut response = (
        [(CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"))],
        svg,
    )
        .into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn no_store(mut response: Response) -> Result<Response, AppError> {
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
