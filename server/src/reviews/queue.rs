//! The moderation queue's reads: a page of a store's reviews under a `QueueFilter` with the
//! tabs' counts, one review as a `QueueItem`, and a photo for a moderator (hidden or not).
//! Days in a filter are the store's (`time_zone`, else UTC).

use super::Status;
use crate::config::StoreConfig;
use encore_core::admin::queue::{
    HoldSignal, PAGE_SIZE, QueueFilter, QueueItem, QueuePage, QueuePhoto, ReviewStatus, TabCounts,
    Verification,
};
use encore_core::reviews::{Answer, ProductInfo, StoreReply};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use sqlx::{FromRow, QueryBuilder, Sqlite, SqlitePool};
use std::collections::HashMap;

/// The path a moderator's copy of a photo is served at.
pub fn admin_photo_url(name: &str) -> String {
    format!("/v1/admin/photos/{name}")
}

/// The stored status of a queue tab.
pub fn stored_status(status: ReviewStatus) -> Status {
    match status {
        ReviewStatus::Pending => Status::Held,
        ReviewStatus::Published => Status::Published,
        ReviewStatus::Rejected => Status::Rejected,
    }
}

fn tab(status: &str) -> ReviewStatus {
    match Status::parse(status) {
        Some(Status::Published) => ReviewStatus::Published,
        Some(Status::Rejected) => ReviewStatus::Rejected,
        _ => ReviewStatus::Pending,
    }
}

/// The first instant (ms) of local `day` in `zone`.
fn day_start(zone: &TimeZone, day: &str) -> Option<i64> {
    let date: Date = day.parse().ok()?;
    let zoned = date
        .to_datetime(Time::midnight())
        .to_zoned(zone.clone())
        .ok()?;
    Some(zoned.timestamp().as_millisecond())
}

/// The first instant (ms) of the day after local `day` in `zone`.
fn day_end(zone: &TimeZone, day: &str) -> Option<i64> {
    let date: Date = day.parse().ok()?;
    let next = date.tomorrow().ok()?;
    let zoned = next
        .to_datetime(Time::midnight())
        .to_zoned(zone.clone())
        .ok()?;
    Some(zoned.timestamp().as_millisecond())
}

/// `text` as a LIKE pattern matching it anywhere, its own `%`, `_` and `\` taken literally.
fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Appends the filter's conditions other than the status.
fn push_filters(sql: &mut QueryBuilder<Sqlite>, store: &StoreConfig, filter: &QueueFilter) {
    sql.push(" WHERE r.store = ").push_bind(store.id.clone());
    if let Some(rating) = filter.rating {
        sql.push(" AND r.rating = ").push_bind(i64::from(rating));
    }
    if let Some(product) = &filter.product {
        sql.push(" AND r.product = ").push_bind(product.clone());
    }
    if let Some(verified) = filter.verified {
        sql.push(" AND r.verified = ").push_bind(verified);
    }
    if let Some(photos) = filter.photos {
        // `photo_count` is kept by triggers on review_photos and sits in the queue's index.
        sql.push(if photos {
            " AND r.photo_count > 0"
        } else {
            " AND r.photo_count = 0"
        });
    }
    let zone = TimeZone::get(&store.members.time_zone).unwrap_or(TimeZone::UTC);
    if let Some(from) = filter.from.as_deref().and_then(|d| day_start(&zone, d)) {
        sql.push(" AND r.created_at >= ").push_bind(from);
    }
    if let Some(to) = filter.to.as_deref().and_then(|d| day_end(&zone, d)) {
        sql.push(" AND r.created_at < ").push_bind(to);
    }
    if let Some(search) = &filter.search {
        let pattern = like_pattern(search);
        sql.push(" AND (r.title LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\' OR r.body LIKE ")
            .push_bind(pattern.clone())
            .push(" ESCAPE '\\' OR r.name LIKE ")
            .push_bind(pattern)
            .push(" ESCAPE '\\')");
    }
}

#[derive(FromRow)]
struct Row {
    id: String,
    status: String,
    product: String,
    order_id: Option<String>,
    rating: i64,
    title: String,
    body: String,
    name: String,
    answers: String,
    locale: String,
    verified: bool,
    incentivized: bool,
    reply: Option<String>,
    reply_at: Option<i64>,
    created_at: i64,
    signals: String,
    reject_reason: Option<String>,
}

const COLUMNS: &str = "SELECT r.id, r.status, r.product, r.order_id, r.rating, r.title, r.body, \
                       r.name, r.answers, r.locale, r.verified, r.incentivized, r.reply, \
                       r.reply_at, r.created_at, r.signals, r.reject_reason FROM reviews r";

/// One page of `store`'s queue under `filter`, newest first, with every tab's count.
pub async fn page(
    db: &SqlitePool,
    store: &StoreConfig,
    filter: &QueueFilter,
) -> Result<QueuePage, sqlx::Error> {
    let mut count_sql = QueryBuilder::<Sqlite>::new("SELECT r.status, COUNT(*) FROM reviews r");
    push_filters(&mut count_sql, store, filter);
    count_sql.push(" GROUP BY r.status");
    let counted: Vec<(String, i64)> = count_sql.build_query_as().fetch_all(db).await?;
    let mut counts = TabCounts::default();
    for (status, n) in counted {
        let n = u64::try_from(n).unwrap_or(0);
        match tab(&status) {
            ReviewStatus::Pending => counts.pending += n,
            ReviewStatus::Published => counts.published += n,
            ReviewStatus::Rejected => counts.rejected += n,
        }
    }
    let mut sql = QueryBuilder::<Sqlite>::new(COLUMNS);
    push_filters(&mut sql, store, filter);
    let size = i64::from(PAGE_SIZE);
    sql.push(" AND r.status = ")
        .push_bind(stored_status(filter.status).as_str())
        .push(" ORDER BY r.created_at DESC, r.id DESC LIMIT ")
        .push_bind(size + 1)
        .push(" OFFSET ")
        .push_bind(i64::from(filter.page).saturating_mul(size));
    let mut rows: Vec<Row> = sql.build_query_as().fetch_all(db).await?;
    let has_more = rows.len() > PAGE_SIZE as usize;
    rows.truncate(PAGE_SIZE as usize);
    Ok(QueuePage {
        counts,
        reviews: items(db, store, rows).await?,
        page: filter.page,
        has_more,
    })
}

/// Review `id` of `store` as the queue shows it.
pub async fn item(
    db: &SqlitePool,
    store: &StoreConfig,
    id: &str,
) -> Result<Option<QueueItem>, sqlx::Error> {
    let mut sql = QueryBuilder::<Sqlite>::new(COLUMNS);
    sql.push(" WHERE r.store = ")
        .push_bind(store.id.clone())
        .push(" AND r.id = ")
        .push_bind(id.trim().to_lowercase());
    let rows: Vec<Row> = sql.build_query_as().fetch_all(db).await?;
    Ok(items(db, store, rows).await?.pop())
}

async fn items(
    db: &SqlitePool,
    store: &StoreConfig,
    rows: Vec<Row>,
) -> Result<Vec<QueueItem>, sqlx::Error> {
    let mut photos: HashMap<String, Vec<QueuePhoto>> = HashMap::new();
    if !rows.is_empty() {
        let mut sql = QueryBuilder::<Sqlite>::new(
            "SELECT review_id, name, width, height, hidden FROM review_photos WHERE review_id IN (",
        );
        let mut list = sql.separated(", ");
        for row in &rows {
            list.push_bind(row.id.clone());
        }
        sql.push(") ORDER BY review_id, position, upload_id");
        let found: Vec<(String, String, i64, i64, bool)> =
            sql.build_query_as().fetch_all(db).await?;
        for (review, name, width, height, hidden) in found {
            photos.entry(review).or_default().push(QueuePhoto {
                url: admin_photo_url(&name),
                name,
                width: u32::try_from(width).unwrap_or(0),
                height: u32::try_from(height).unwrap_or(0),
                hidden,
            });
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let answers: Vec<Answer> = serde_json::from_str(&row.answers).unwrap_or_default();
            let verification = if row.verified {
                Verification::OrderToken
            } else if row.order_id.is_some() {
                Verification::UnprovenOrder
            } else {
                Verification::NoOrder
            };
            QueueItem {
                photos: photos.remove(&row.id).unwrap_or_default(),
                status: tab(&row.status),
                product: ProductInfo {
                    name: store.product_name(&row.product).map(str::to_owned),
                    id: row.product,
                },
                rating: u8::try_from(row.rating).unwrap_or(0),
                title: row.title,
                body: row.body,
                name: row.name,
                locale: row.locale,
                answers,
                verified: row.verified,
                order_id: row.order_id,
                verification,
                signals: row
                    .signals
                    .split(',')
                    .filter_map(HoldSignal::parse)
                    .collect(),
                incentivized: row.incentivized,
                reply: row.reply.map(|body| StoreReply {
                    body,
                    at: row
                        .reply_at
                        .and_then(|a| u64::try_from(a).ok())
                        .unwrap_or(0),
                }),
                reject_reason: row.reject_reason,
                created_at: u64::try_from(row.created_at).unwrap_or(0),
                id: row.id,
            }
        })
        .collect())
}

/// The JPEG named `name` on one of `store`'s reviews, whatever its status or visibility.
pub async fn moderator_jpeg(
    db: &SqlitePool,
    store: &str,
    name: &str,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT p.bytes FROM review_photos p JOIN reviews r ON r.id = p.review_id \
         WHERE p.name = $1 AND r.store = $2",
    )
    .bind(name)
    .bind(store)
    .fetch_optional(db)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_the_stores_and_searches_are_literal() {
        let shanghai = TimeZone::get("Asia/Shanghai").expect("zone");
        // 2026-01-31 00:00 in Shanghai is 2026-01-30 16:00 UTC.
        assert_eq!(day_start(&shanghai, "2026-01-31"), Some(1_769_788_800_000));
        assert_eq!(
            day_end(&shanghai, "2026-01-31"),
            Some(1_769_788_800_000 + 86_400_000)
        );
        assert_eq!(
            day_start(&TimeZone::UTC, "2026-01-31"),
            Some(1_769_817_600_000)
        );
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
