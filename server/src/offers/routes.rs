//! `POST /v1/offers` (the member's offers, or the teaser; the deprecated `GET` form too) and
//! the demo-only `GET /demo/member-token`.

use super::membership::Membership;
use super::page::offers_page;
use crate::clock::now_millis;
use crate::error::AppError;
use crate::query::Params;
use crate::state::AppState;
use crate::token_read::TokenRead;
use crate::tokens::member::{self as member_token, MemberTokenRequest};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use encore_core::locale::Locale;
use encore_core::offers::OffersQuery;
use encore_core::token::{Contact, MEMBER_TOKEN_MAX_SECS};

/// Handles `POST /v1/offers` with an [`OffersQuery`] body, and the deprecated
/// `GET /v1/offers?store=S&token=T&locale=L`.
///
/// Never 401: a missing, expired or invalid token still gets the teaser, with the status saying
/// which. A `member` parameter is ignored; the member is whoever the token names.
pub(crate) async fn offers(
    State(state): State<AppState>,
    read: TokenRead<OffersQuery>,
) -> Result<Response, AppError> {
    let store = read.store(&state)?;
    let locale = read
        .fields
        .locale
        .as_deref()
        .and_then(Locale::for_tag)
        .unwrap_or_default();
    let now = u64::try_from(now_millis()).unwrap_or(0);
    let membership = Membership::of(store, read.token(), now / 1000);
    let page = offers_page(&state.db, store, &membership, locale, now).await?;
    let mut response = Json(page).into_response();
    // The answer follows from a bearer token and changes by the minute; no cache may keep it.
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(read.answer(response))
}

/// Handles `GET /demo/member-token?store=S&member=M&tier=T&last_order=D&orders=N&name=&email=`:
/// a 15-minute member token as plain text, for stores with `[store.demo] mint_member_tokens = true` only
/// (404 for every other store, so the route does not exist for a real one).
pub(crate) async fn get_demo_member_token(
    State(state): State<AppState>,
    params: Params,
) -> Result<Response, AppError> {
    let store = params
        .get("store")
        .and_then(|id| state.config.store(id))
        .filter(|store| store.members.mint_demo_tokens)
        .ok_or(AppError::NotFound)?;
    let request = MemberTokenRequest {
        member: params.required("member")?.to_owned(),
        tier: params.get("tier").map(str::to_owned),
        last_order: params.get("last_order").map(str::to_owned),
        orders: params
            .parsed("orders", "a whole number", |v| v.parse::<u32>().ok())?
            .unwrap_or(0),
        contact: Contact {
            name: params.get("name").map(str::to_owned),
            email: params.get("email").map(str::to_owned),
        },
        ttl_mins: MEMBER_TOKEN_MAX_SECS / 60,
        key: None,
        now: u64::try_from(now_millis() / 1000).unwrap_or(0),
    };
    let token = member_token::mint_for(store, request)
        .map_err(|e| AppError::InvalidQuery(e.to_string()))?;
    Ok((
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        token,
    )
        .into_response())
}
