//! `server-load reviews`: a product with `count` published reviews, then its reviews page timed
//! over loopback, one request at a time on one keep-alive connection: the default first page,
//! then the other orders and filters the widget offers, and the last page.
//!
//! The reviews are inserted with SQL into the schema the server created (its migrations ran
//! when it started), in one transaction: `demo-seed` writes 17 hand-written reviews and encodes
//! photos, far from 10,000. Every answer's summary must count all of them, so they are known
//! to be visible.

use super::client::{HttpClient, exchange, keep_alive_client};
use super::server::{self, ORIGIN, STORE};
use super::{Outcome, Result, millis, rounded};
use crate::stats::percentile;
use bytes::Bytes;
use encore_core::reviews::ReviewsPage;
use encore_core::reviews::listing::DEFAULT_PAGE_SIZE;
use encore_e2e::store_config;
use encore_server::reviews::Status;
use http_body_util::Full;
use hyper::{Request, StatusCode, Uri};
use serde_json::{Map, json};
use sqlx::SqlitePool;
use std::time::Instant;

/// The product the reviews are of.
const PRODUCT: &str = "jasmine-silver-needle";
/// Requests per listing before timing starts (statement cache, page cache).
const WARMUP: u32 = 10;
/// One review in this many has a photo, so the photo filter has something to find.
const PHOTO_EVERY: u32 = 20;
/// Between consecutive reviews' dates: 10,000 reviews span about a year.
const SPACING_MS: i64 = 50 * 60 * 1000;
/// The store replies a day after the review.
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// How many reviews and how many timed requests per listing.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Published reviews of the product.
    pub count: u32,
    /// Timed requests per listing.
    pub requests: u32,
}

/// Seeds a fresh server's database and times the listings.
pub async fn run(options: Options) -> Result<Outcome> {
    let running = server::start(&store_config(STORE, &[ORIGIN.to_owned()]))?;
    let seeding = Instant::now();
    let pool = server::database(&running.db).await?;
    seed(&pool, options.count).await?;
    pool.close().await;
    eprintln!(
        "seeded {} reviews in {:.2} s",
        options.count,
        seeding.elapsed().as_secs_f64()
    );

    let client = keep_alive_client();
    let mut variants = Map::new();
    let mut default_page = Vec::new();
    for (name, query) in listings(options.count) {
        let uri: Uri = format!(
            "{}/v1/products/{PRODUCT}/reviews?store={STORE}{query}",
            running.server.url
        )
        .parse()
        .map_err(|e| format!("reviews URL: {e}"))?;
        eprintln!("timing {} requests of {name}", options.requests);
        let times = time_listing(&client, &uri, options).await?;
        if name == "default" {
            default_page = times;
        } else {
            variants.insert(
                name,
                json!({
                    "p50_ms": rounded(percentile(&times, 50.0)),
                    "p99_ms": rounded(percentile(&times, 99.0)),
                }),
            );
        }
    }
    drop(running);

    let mut notes: Vec<String> = server::build_note().into_iter().collect();
    notes.push(format!(
        "sequential requests on one keep-alive connection after {WARMUP} untimed ones per \
         listing; one review in {PHOTO_EVERY} has a photo row (listings read its size, never \
         its bytes)"
    ));
    let report = json!({
        "reviews_page_ms": rounded(percentile(&default_page, 99.0)),
        "reviews_page_p50_ms": rounded(percentile(&default_page, 50.0)),
        "reviews": options.count,
        "requests": options.requests,
        "variants": variants,
        "cpus": super::cpus(),
        "notes": notes,
    });
    Ok(Outcome {
        report,
        failed: None,
    })
}

/// The listings timed, by name, with their query parameters beyond `store`.
fn listings(count: u32) -> Vec<(String, String)> {
    let last_page = format!("offset={}", count.saturating_sub(DEFAULT_PAGE_SIZE));
    let others = [
        "sort=highest",
        "sort=helpful",
        "stars=5",
        "photos=true",
        &last_page,
    ];
    let mut listings = vec![("default".to_owned(), String::new())];
    listings.extend(others.map(|query| (query.to_owned(), format!("&{query}"))));
    listings
}

/// Milliseconds of each of `options.requests` requests of `uri`, after the warm-up; fails on
/// any answer that is not the expected page.
async fn time_listing(client: &HttpClient, uri: &Uri, options: Options) -> Result<Vec<f64>> {
    let mut times = Vec::new();
    for i in 0..WARMUP + options.requests {
        let request = Request::get(uri.clone())
            .header(hyper::header::ORIGIN, ORIGIN)
            .body(Full::new(Bytes::new()))
            .map_err(|e| format!("request: {e}"))?;
        let answer = exchange(client, request)
            .await
            .map_err(|f| format!("GET {uri}: {} ({})", f.kind, f.detail))?;
        check_page(uri, answer.status, &answer.body, options.count)?;
        if i >= WARMUP {
            times.push(millis(answer.elapsed));
        }
    }
    Ok(times)
}

/// A 200 with a page of at most one page size whose summary counts every seeded review.
fn check_page(uri: &Uri, status: StatusCode, body: &[u8], count: u32) -> Result<()> {
    if status != StatusCode::OK {
        return Err(format!("GET {uri} answered {status}"));
    }
    let page: ReviewsPage =
        serde_json::from_slice(body).map_err(|e| format!("GET {uri}: not a reviews page: {e}"))?;
    let size = usize::try_from(DEFAULT_PAGE_SIZE).unwrap_or(usize::MAX);
    if page.summary.count != count || page.reviews.len() > size {
        return Err(format!(
            "GET {uri}: summary counts {} reviews (seeded {count}), page has {}",
            page.summary.count,
            page.reviews.len()
        ));
    }
    Ok(())
}

/// Inserts `count` published reviews of [`PRODUCT`], newest first, in one transaction.
async fn seed(pool: &SqlitePool, count: u32) -> Result<()> {
    let db = |e: sqlx::Error| format!("seeding reviews: {e}");
    let now = i64::try_from(super::now_ms()).unwrap_or(i64::MAX);
    let mut tx = pool.begin().await.map_err(db)?;
    for n in 0..count {
        let review = SeedReview::new(n, now - i64::from(n) * SPACING_MS);
        review.insert(&mut tx).await.map_err(db)?;
        if n % PHOTO_EVERY == 0 {
            review.insert_photo(&mut tx).await.map_err(db)?;
        }
    }
    tx.commit().await.map_err(db)
}

/// One seeded review: varied stars, length, language, votes and replies, as a real product's.
struct SeedReview {
    id: String,
    n: u32,
    rating: i64,
    title: &'static str,
    body: String,
    name: String,
    locale: &'static str,
    verified: bool,
    helpful: i64,
    reply: Option<&'static str>,
    created_at: i64,
}

const TITLES: [&str; 5] = [
    "Lovely, delicate cup",
    "My new afternoon ritual",
    "Good, a little pricey",
    "花香清雅，回甘明显",
    "Not strong enough for me",
];
const SENTENCES: [&str; 6] = [
    "The jasmine is gentle, not perfumey, and the third steep is still sweet.",
    "Whole buds, no dust, and the scent comes from real flowers.",
    "Delivery took a week but the tin arrived intact.",
    "茶汤清澈，茉莉香气自然不刺鼻，三泡之后依然有花香。",
    "Cold brewed overnight it is pure summer.",
    "I prefer a stronger cup, so I use double the leaf.",
];
const NAMES: [&str; 6] = [
    "Hannah W.",
    "林小雨",
    "Marcus",
    "Priya S.",
    "Tom B.",
    "Elena",
];

impl SeedReview {
    fn new(n: u32, created_at: i64) -> SeedReview {
        // Mostly happy, as product reviews are: 5★ 60%, 4★ 20%, 3★ 10%, 2★ 5%, 1★ 5%.
        let rating = match fastrand::u8(..100) {
            0..60 => 5,
            60..80 => 4,
            80..90 => 3,
            90..95 => 2,
            _ => 1,
        };
        let sentences = fastrand::usize(1..=4);
        let body: Vec<&str> = (0..sentences)
            .map(|_| SENTENCES[fastrand::usize(..SENTENCES.len())])
            .collect();
        let name = NAMES[fastrand::usize(..NAMES.len())];
        SeedReview {
            id: encore_core::event_id::EventId::from_random_bytes(fastrand::u128(..).to_le_bytes())
                .to_string(),
            n,
            rating,
            title: TITLES[fastrand::usize(..TITLES.len())],
            body: body.join(" "),
            name: name.to_owned(),
            locale: if name.is_ascii() { "en" } else { "zh-CN" },
            verified: fastrand::u8(..100) < 85,
            helpful: i64::from(fastrand::u8(..100) / 4),
            reply: (n % 25 == 0).then_some("Thank you! Try it at 80°C for an even softer cup."),
            created_at,
        }
    }

    async fn insert(&self, tx: &mut sqlx::SqliteConnection) -> sqlx::Result<()> {
        sqlx::query(
            "INSERT INTO reviews (id, store, product, order_id, rating, title, body, name, \
             answers, locale, verified, incentivized, status, helpful, reply, reply_at, \
             created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, 0, ?, ?, ?, ?, ?)",
        )
        .bind(&self.id)
        .bind(STORE)
        .bind(PRODUCT)
        // One verified review per order item: each verified review has an order of its own.
        .bind(self.verified.then(|| format!("ORDER-{}", self.n)))
        .bind(self.rating)
        .bind(self.title)
        .bind(&self.body)
        .bind(&self.name)
        .bind(self.locale)
        .bind(self.verified)
        .bind(Status::Published.as_str())
        .bind(self.helpful)
        .bind(self.reply)
        .bind(self.reply.map(|_| self.created_at + DAY_MS))
        .bind(self.created_at)
        .execute(&mut *tx)
        .await
        .map(drop)
    }

    /// A photo row for this review. Its bytes are a stand-in: listings read only name and size.
    async fn insert_photo(&self, tx: &mut sqlx::SqliteConnection) -> sqlx::Result<()> {
        sqlx::query(
            "INSERT INTO review_photos (upload_id, store, name, review_id, position, width, \
             height, bytes, created_at) VALUES (?, ?, ?, ?, 0, 1200, 900, x'FFD8FFD9', ?)",
        )
        .bind(format!("seed-{}", self.n))
        .bind(STORE)
        .bind(format!("{:032x}.jpg", fastrand::u128(..)))
        .bind(&self.id)
        .bind(self.created_at)
        .execute(&mut *tx)
        .await
        .map(drop)
    }
}
