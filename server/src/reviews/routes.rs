//! `GET /v1/products/{product}/reviews` (summary, page and form) and
//! `GET /v1/products/{product}/jsonld` (schema.org markup for stores that render it).

use super::listing;
use crate::config::StoreConfig;
use crate::error::AppError;
use crate::query::{Params, known_store};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use encore_core::reviews::listing::{ReviewQuery, ReviewSort};
use encore_core::reviews::{ProductInfo, ReviewsPage, jsonld};

/// Handles `GET /v1/products/{product}/reviews?store=S&sort=&stars=&photos=&offset=&limit=`.
pub(crate) async fn get_reviews(
    State(state): State<AppState>,
    Path(product): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let store = known_store(&state, &params)?;
    let query = review_query(&params)?;
    let summary = listing::summary(&state.db, &store.id, &product).await?;
    let (reviews, next_offset) = listing::page(&state.db, &store.id, &product, &query).await?;
    let page = ReviewsPage {
        product: product_info(store, &product),
        summary,
        reviews,
        next_offset,
        form: store.reviews.form.clone(),
    };
    let mut response = Json(page).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// Handles `GET /v1/products/{product}/jsonld?store=S`: 404 while nothing is published.
pub(crate) async fn get_jsonld(
    State(state): State<AppState>,
    Path(product): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let store = known_store(&state, &params)?;
    let summary = listing::summary(&state.db, &store.id, &product).await?;
    let recent = ReviewQuery {
        sort: ReviewSort::Recent,
        limit: u32::try_from(jsonld::MAX_REVIEWS).unwrap_or(10),
        ..ReviewQuery::default()
    };
    let (reviews, _) = listing::page(&state.db, &store.id, &product, &recent).await?;
    let text = jsonld::product_jsonld(&product_info(store, &product), &summary, &reviews)
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("application/ld+json; charset=utf-8"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        text,
    )
        .into_response())
}

fn product_info(store: &StoreConfig, product: &str) -> ProductInfo {
    ProductInfo {
        id: product.to_owned(),
        name: store.product_name(product).map(str::to_owned),
    }
}

/// Reads the listing parameters into core's query and validates it.
fn review_query(params: &Params) -> Result<ReviewQuery, AppError> {
    let defaults = ReviewQuery::default();
    let query = ReviewQuery {
        sort: params
            .parsed(
                "sort",
                "recent, highest, lowest or helpful",
                ReviewSort::parse,
            )?
            .unwrap_or(defaults.sort),
        stars: params.parsed("stars", "1 to 5", |v| v.parse::<u8>().ok())?,
        photos: params
            .parsed("photos", "true or false", |v| match v {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            })?
            .unwrap_or(false),
        offset: params
            .parsed("offset", "a whole number", |v| v.parse::<u32>().ok())?
            .unwrap_or(defaults.offset),
        limit: params
            .parsed("limit", "a whole number", |v| v.parse::<u32>().ok())?
            .unwrap_or(defaults.limit),
    };
    query
        .validate()
        .map_err(|e| AppError::InvalidQuery(e.to_string()))?;
    Ok(query)
}
