//! `POST /v1/referral` (the advocate's code, link, terms and counts; the deprecated `GET` form
//! too) and
//! `GET /v1/referral/welcome` (the friend's banner on a referral landing).

use super::advocate::{by_code, canonical, code_of, identify};
use super::counts::counts;
use crate::client_ip::client_key_behind;
use crate::clock::now_millis;
use crate::error::AppError;
use crate::query::{Params, known_store};
use crate::state::AppState;
use crate::token_read::TokenRead;
use axum::Json;
use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::http::{Extensions, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use encore_core::locale::Locale;
use encore_core::referral::link::{is_referral_code, referral_link};
use encore_core::referral::page::{ReferralPage, ReferralQuery, ReferralWelcome};
use std::time::Duration;

/// Welcome lookups one IP address may make per minute: a friend needs one per visit, while
/// someone enumerating codes to harvest advocates' names needs thousands.
pub const WELCOME_PER_IP_PER_MINUTE: u32 = 60;

/// Handles `POST /v1/referral` with a [`ReferralQuery`] body, and the deprecated
/// `GET /v1/referral?store=S&token=T&locale=L`, where `T` is a member token or an order token:
/// the advocate's [`ReferralPage`], issuing their code on the first visit.
///
/// 404 `referral_not_offered` for a store without a program; 401 `token_invalid` (also for no
/// token) or `token_expired`.
pub(crate) async fn referral(
    State(state): State<AppState>,
    read: TokenRead<ReferralQuery>,
) -> Result<Response, AppError> {
    let store = read.store(&state)?;
    let program = store
        .referral
        .as_ref()
        .ok_or(AppError::ReferralNotOffered)?;
    let token = read.token().ok_or(AppError::TokenInvalid)?;
    let now = now_millis();
    let who = identify(store, token, u64::try_from(now / 1000).unwrap_or(0))?;
    let locale = locale_of(read.fields.locale.as_deref());
    let mut conn = state.db.acquire().await?;
    let code = code_of(&mut conn, store, &who, now).await?;
    let counts = counts(&mut conn, &store.id, &who.key, &code).await?;
    let link = referral_link(&program.landing_url, &code)
        .map_err(|e| AppError::Internal(format!("store {:?}: {e}", store.id)))?;
    let page = ReferralPage {
        code,
        link,
        store_name: store.name.clone(),
        friend_gets: program.friend_gets.get(locale).to_owned(),
        advocate_gets: program.advocate_gets.get(locale).to_owned(),
        counts,
    };
    // The answer follows from a bearer token and its counts change: no cache may keep it.
    Ok(read.answer(with_cache(Json(page).into_response(), "no-store")))
}

/// Handles `GET /v1/referral/welcome?store=S&code=C&locale=L`: the advocate's first name (if the
/// store signed one) and what the friend gets. 404 `unknown_referral_code` or
/// `referral_not_offered`; 429 after [`WELCOME_PER_IP_PER_MINUTE`] lookups from one address.
pub(crate) async fn get_welcome(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    params: Params,
) -> Result<Response, AppError> {
    let store = known_store(&state, &params)?;
    let program = store
        .referral
        .as_ref()
        .ok_or(AppError::ReferralNotOffered)?;
    let code = canonical(params.required("code")?);
    if let Some(client) = client_key_behind(&extensions, &headers, &state.trusted_proxies) {
        state
            .limiter
            .hit(
                &format!("referral-welcome-ip:{}:{client}", store.id),
                WELCOME_PER_IP_PER_MINUTE,
                Duration::from_secs(60),
            )
            .map_err(|limited| AppError::RateLimited {
                retry_after_secs: limited.retry_after_secs(),
            })?;
    }
    if !is_referral_code(&code) {
        return Err(AppError::UnknownReferralCode);
    }
    let mut conn = state.db.acquire().await?;
    let advocate = by_code(&mut conn, &store.id, &code)
        .await?
        .ok_or(AppError::UnknownReferralCode)?;
    let welcome = ReferralWelcome {
        advocate_name: advocate.name,
        friend_gets: program
            .friend_gets
            .get(locale_of(params.get("locale")))
            .to_owned(),
    };
    // The same for every friend of this advocate, and it changes only with the config or a
    // new name: a minute of caching spares the database on a shared link's busy first hour.
    Ok(with_cache(
        Json(welcome).into_response(),
        "public, max-age=60",
    ))
}

fn locale_of(tag: Option<&str>) -> Locale {
    tag.and_then(Locale::for_tag).unwrap_or_default()
}

fn with_cache(mut response: Response, value: &'static str) -> Response {
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(value));
    response
}
