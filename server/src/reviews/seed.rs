//! `encore-server demo-seed`: realistic published reviews (English and Simplified Chinese, a
//! few with generated photos and store replies) for the demo store's teas. Idempotent.

use super::Status;
use super::photos::generate::tea_photo;
use super::photos::processing::{self, encode};
use super::photos::storage::{self, StorageError};
use crate::config::StoreConfig;
use encore_core::reviews::photo::PhotoError;
use encore_core::reviews::{Answer, ReviewSubmitted, draft};
use sqlx::SqlitePool;
use std::fmt;

/// The product whose reviews decide whether the demo is seeded already.
pub const SEED_PRODUCT: &str = "jasmine-silver-needle";
/// The second demo product.
pub const SECOND_PRODUCT: &str = "osmanthus-oolong";

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// What [`demo_seed`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    /// Reviews inserted (0 when the demo was seeded before).
    pub reviews: usize,
    /// Of those, the ones left pending for the console's queue.
    pub pending: usize,
    /// Photos generated and stored.
    pub photos: usize,
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.reviews == 0 {
            write!(f, "{SEED_PRODUCT} already has reviews: nothing to do")
        } else {
            write!(
                f,
                "inserted {} reviews ({SEED_PRODUCT}, {SECOND_PRODUCT}), {} of them pending, \
                 with {} photos",
                self.reviews, self.pending, self.photos
            )
        }
    }
}

/// Why seeding failed.
#[derive(Debug)]
pub enum SeedError {
    /// A demo photo could not be encoded.
    Photo(PhotoError),
    /// A photo could not be stored.
    Storage(StorageError),
    /// The database failed.
    Db(sqlx::Error),
}

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeedError::Photo(e) => write!(f, "demo photo: {e}"),
            SeedError::Storage(e) => write!(f, "demo photo: {e}"),
            SeedError::Db(e) => write!(f, "database: {e}"),
        }
    }
}

impl std::error::Error for SeedError {}

impl From<sqlx::Error> for SeedError {
    fn from(e: sqlx::Error) -> Self {
        SeedError::Db(e)
    }
}

/// One demo review: product, stars, days ago, locale, name, title, body, verified, helpful
/// votes, photos, store reply, and answers (strength, quality).
struct Demo {
    product: &'static str,
    rating: u8,
    days_ago: i64,
    locale: &'static str,
    name: &'static str,
    title: &'static str,
    body: &'static str,
    verified: bool,
    helpful: i64,
    photos: u32,
    reply: Option<&'static str>,
    strength: Option<&'static str>,
    quality: Option<u8>,
}

#[rustfmt::skip]
const DEMOS: &[Demo] = &[
    Demo { product: SEED_PRODUCT, rating: 5, days_ago: 3, locale: "en", name: "Hannah W.", title: "Like walking through a garden at dusk", body: "The jasmine is gentle, not perfumey. The silver needles unfurl beautifully in a glass and the third steep is still sweet. My new afternoon ritual.", verified: true, helpful: 12, photos: 2, reply: Some("Thank you, Hannah! Try it at 80°C for an even softer cup."), strength: Some("light"), quality: Some(5) },
    Demo { product: SEED_PRODUCT, rating: 5, days_ago: 11, locale: "zh-CN", name: "林小雨", title: "花香清雅，回甘明显", body: "茶汤清澈，茉莉香气自然不刺鼻，三泡之后依然有花香。包装也很用心，已经推荐给同事了。", verified: true, helpful: 9, photos: 1, reply: None, strength: Some("balanced"), quality: Some(5) },
    Demo { product: SEED_PRODUCT, rating: 4, days_ago: 19, locale: "en", name: "Marcus", title: "Lovely, a little pricey", body: "Delicate and clean with a honeyed finish. I'd buy it again, though I wish the tin were a bit bigger for the price.", verified: true, helpful: 4, photos: 0, reply: None, strength: Some("light"), quality: Some(4) },
    Demo { product: SEED_PRODUCT, rating: 5, days_ago: 27, locale: "en", name: "Priya S.", title: "Best jasmine I have had outside Fuzhou", body: "Whole buds, no dust, and the scent comes from real flowers. Cold brewed overnight it is pure summer.", verified: true, helpful: 15, photos: 3, reply: None, strength: Some("balanced"), quality: Some(5) },
    Demo { product: SEED_PRODUCT, rating: 3, days_ago: 41, locale: "en", name: "Tom B.", title: "Nice but too subtle for me", body: "Good quality leaves, but I prefer a stronger cup. I ended up using double the leaf. Fine if you like very light teas.", verified: true, helpful: 7, photos: 0, reply: Some("Thanks for the honest review, Tom. Our Osmanthus Oolong may suit you better."), strength: Some("light"), quality: Some(4) },
    Demo { product: SEED_PRODUCT, rating: 5, days_ago: 56, locale: "zh-CN", name: "陈先生", title: "送礼自用都合适", body: "买来送给父母，他们说比以前喝的茉莉银针香得更自然。自己也留了一罐，每天早上一杯。", verified: true, helpful: 5, photos: 0, reply: None, strength: None, quality: Some(5) },
    Demo { product: SEED_PRODUCT, rating: 4, days_ago: 73, locale: "en", name: "Elena", title: "Calming evening tea", body: "Very soothing after work. The aroma fills the room when you pour. Docked one star because the first steep was slightly bitter when I used boiling water.", verified: false, helpful: 2, photos: 0, reply: None, strength: Some("balanced"), quality: Some(4) },
    Demo { product: SEED_PRODUCT, rating: 5, days_ago: 88, locale: "en", name: "Jun K.", title: "Beautiful in a glass pot", body: "Watching the needles stand up and sink is half the fun. Floral, sweet and smooth, with no astringency at all.", verified: true, helpful: 6, photos: 1, reply: None, strength: Some("light"), quality: Some(5) },
    Demo { product: SEED_PRODUCT, rating: 2, days_ago: 104, locale: "en", name: "Rob", title: "Arrived later than expected", body: "The tea itself is fine but delivery took nearly two weeks and the outer box was crushed. The inner tin was intact though.", verified: true, helpful: 3, photos: 0, reply: None, strength: None, quality: Some(3) },
    Demo { product: SEED_PRODUCT, rating: 5, days_ago: 130, locale: "zh-CN", name: "王敏", title: "香气持久", body: "第一次买这家的茶，芽头饱满，汤色杏黄明亮，茉莉花香和茶香融合得很好。会回购。", verified: true, helpful: 8, photos: 0, reply: None, strength: Some("balanced"), quality: Some(5) },
    Demo { product: SEED_PRODUCT, rating: 4, days_ago: 152, locale: "en", name: "Sophie L.", title: "Gentle and fragrant", body: "A gentle, fragrant tea that is easy to brew well. I like it best in the morning with nothing else.", verified: true, helpful: 1, photos: 0, reply: None, strength: Some("light"), quality: Some(4) },
    Demo { product: SEED_PRODUCT, rating: 5, days_ago: 176, locale: "en", name: "David", title: "Worth every penny", body: "Bought it as a treat and now it is my daily tea. Four good steeps from one spoon, each a little different.", verified: true, helpful: 10, photos: 0, reply: None, strength: Some("balanced"), quality: Some(5) },
    Demo { product: SEED_PRODUCT, rating: 4, days_ago: 201, locale: "zh-CN", name: "赵女士", title: "口感清淡", body: "整体不错，花香明显，就是对我来说稍微淡了一点，下次会多放一些茶叶试试。", verified: false, helpful: 0, photos: 0, reply: None, strength: Some("light"), quality: Some(4) },
    Demo { product: SEED_PRODUCT, rating: 5, days_ago: 236, locale: "en", name: "Grace", title: "A little luxury", body: "The whole house smells of jasmine when I brew this. Smooth, sweet, never bitter. Lovely packaging too.", verified: true, helpful: 11, photos: 0, reply: None, strength: Some("balanced"), quality: Some(5) },
    Demo { product: SECOND_PRODUCT, rating: 5, days_ago: 9, locale: "en", name: "Oliver", title: "Apricot and honey", body: "Roasty oolong with real osmanthus flowers: tastes of apricot and honey. Rich enough to take a long steep.", verified: true, helpful: 3, photos: 0, reply: None, strength: Some("strong"), quality: Some(5) },
    Demo { product: SECOND_PRODUCT, rating: 4, days_ago: 64, locale: "zh-CN", name: "李华", title: "桂花香很足", body: "桂花香气浓郁，茶底是不错的乌龙，冲泡五六次还有味道。稍微有点焙火味。", verified: true, helpful: 2, photos: 0, reply: None, strength: Some("strong"), quality: Some(4) },
    Demo { product: SECOND_PRODUCT, rating: 5, days_ago: 170, locale: "en", name: "Ava", title: "Autumn in a cup", body: "Warm, toasty and floral. Perfect on a rainy afternoon with a biscuit or two.", verified: true, helpful: 1, photos: 0, reply: None, strength: Some("balanced"), quality: Some(5) },
];

/// Reviews waiting in the console's queue, so a demo has something to moderate: two with
/// photos, a low rating, and one held as spam (filled in seconds, with a link).
#[rustfmt::skip]
const PENDING: &[(Demo, &str)] = &[
    (Demo { product: SEED_PRODUCT, rating: 5, days_ago: 0, locale: "en", name: "Noor", title: "First tin, already reordering", body: "Sweet, floral and clean. These photos are my second steep in a glass mug.", verified: false, helpful: 0, photos: 1, reply: None, strength: Some("light"), quality: Some(5) }, "rating"),
    (Demo { product: SECOND_PRODUCT, rating: 4, days_ago: 1, locale: "en", name: "Kenji", title: "Toasty and sweet", body: "Lovely roast and a clear osmanthus note. A photo of the leaves after brewing.", verified: false, helpful: 0, photos: 1, reply: None, strength: Some("strong"), quality: Some(4) }, "rating"),
    (Demo { product: SEED_PRODUCT, rating: 1, days_ago: 1, locale: "en", name: "Sam", title: "Tin arrived dented", body: "The tea might be fine but the tin was dented and the lid does not close properly.", verified: false, helpful: 0, photos: 0, reply: None, strength: None, quality: Some(2) }, "rating"),
    (Demo { product: SEED_PRODUCT, rating: 2, days_ago: 2, locale: "zh-CN", name: "周", title: "味道偏淡", body: "香气不错，但是茶味太淡了，可能不适合我。", verified: false, helpful: 0, photos: 0, reply: None, strength: Some("light"), quality: Some(3) }, "rating"),
    (Demo { product: SEED_PRODUCT, rating: 5, days_ago: 0, locale: "en", name: "best deals", title: "Cheap tea here", body: "Great tea!!! Get it 80% cheaper at www.cheap-tea.example today only", verified: false, helpful: 0, photos: 0, reply: None, strength: None, quality: None }, "fast,link"),
];

/// Seeds the demo reviews of `store` at `now` (ms) unless [`SEED_PRODUCT`] has reviews already.
pub async fn demo_seed(
    db: &SqlitePool,
    store: &StoreConfig,
    now: i64,
) -> Result<SeedReport, SeedError> {
    // Published first, then the pending ones with the signals that held them.
    let all: Vec<(&Demo, Status, &str)> = DEMOS
        .iter()
        .map(|d| (d, Status::Published, ""))
        .chain(
            PENDING
                .iter()
                .map(|(d, signals)| (d, Status::Held, *signals)),
        )
        .collect();
    // Photos are made before the transaction: encoding them takes a while.
    let mut photos = Vec::new();
    for (index, (demo, _, _)) in all.iter().enumerate() {
        for n in 0..demo.photos {
            let seed = u32::try_from(index).unwrap_or(0) * 10 + n;
            let jpeg = encode(&tea_photo(seed)).map_err(SeedError::Photo)?;
            // Through the upload path, exactly as a shopper's photo would be.
            let processed = processing::process(&jpeg.jpeg).map_err(SeedError::Photo)?;
            photos.push((index, n, processed));
        }
    }
    let mut tx = db.begin_with("BEGIN IMMEDIATE").await?;
    let existing: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM reviews WHERE store = $1 AND product = $2")
            .bind(&store.id)
            .bind(SEED_PRODUCT)
            .fetch_one(&mut *tx)
            .await?;
    if existing > 0 {
        return Ok(SeedReport {
            reviews: 0,
            pending: 0,
            photos: 0,
        });
    }
    let reward = store
        .reviews
        .reward
        .as_ref()
        .map(|r| (r.code.clone(), r.description.clone()));
    for (index, &(demo, status, signals)) in all.iter().enumerate() {
        // The first review with photos is the incentivized one, when the store rewards.
        let incentivized = index == 0 && reward.is_some();
        let (code, description) = match (&reward, incentivized) {
            (Some((code, description)), true) => (Some(code.as_str()), description.as_deref()),
            _ => (None, None),
        };
        let created_at =
            now - demo.days_ago * DAY_MS - i64::try_from(index).unwrap_or(0) * 3_600_000;
        sqlx::query(
            "INSERT INTO reviews (id, store, product, order_id, rating, title, body, name, \
             answers, locale, verified, incentivized, status, reward_code, reward_description, \
             helpful, reply, reply_at, created_at, signals) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
             $18, $19, $20)",
        )
        .bind(demo_id(index))
        .bind(&store.id)
        .bind(demo.product)
        .bind(demo.verified.then(|| format!("DEMO-{}", 1000 + index)))
        .bind(i64::from(demo.rating))
        .bind(demo.title)
        .bind(demo.body)
        .bind(demo.name)
        .bind(answers_json(store, demo))
        .bind(demo.locale)
        .bind(demo.verified)
        .bind(incentivized)
        .bind(status.as_str())
        .bind(code)
        .bind(description)
        .bind(demo.helpful)
        .bind(demo.reply)
        .bind(demo.reply.map(|_| created_at + 2 * DAY_MS))
        .bind(created_at)
        .bind(signals)
        .execute(&mut *tx)
        .await?;
    }
    let photo_count = photos.len();
    for (index, n, processed) in photos {
        let upload = photo_id(index, n);
        storage::insert(&mut tx, &store.id, &upload, &processed, now)
            .await
            .map_err(SeedError::Storage)?;
        sqlx::query(
            "UPDATE review_photos SET review_id = $1, position = $2 \
             WHERE store = $3 AND upload_id = $4",
        )
        .bind(demo_id(index))
        .bind(i64::from(n))
        .bind(&store.id)
        .bind(&upload)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(SeedReport {
        reviews: all.len(),
        pending: PENDING.len(),
        photos: photo_count,
    })
}

/// The fixed id of demo review `index` (fixed, so the seed is recognisable and repeatable).
fn demo_id(index: usize) -> String {
    format!("5eed0000-0000-4000-8000-{index:012x}")
}

fn photo_id(index: usize, n: u32) -> String {
    format!("5eed0000-0000-4000-9000-{:012x}", index * 16 + n as usize)
}

/// The demo answers the store's form accepts, as stored JSON.
fn answers_json(store: &StoreConfig, demo: &Demo) -> String {
    let mut answers = Vec::new();
    if let Some(strength) = demo.strength {
        answers.push(Answer {
            question: "strength".into(),
            value: strength.into(),
        });
    }
    if let Some(quality) = demo.quality {
        answers.push(Answer {
            question: "quality".into(),
            value: quality.to_string(),
        });
    }
    // Keep only what this store's form asks, judged by the same rules as a real submission.
    answers.retain(|answer| {
        let probe = ReviewSubmitted {
            product: demo.product.into(),
            order: None,
            order_token: None,
            rating: demo.rating,
            title: String::new(),
            body: "x".repeat(usize::from(store.reviews.form.min_body)),
            name: "probe".into(),
            answers: vec![answer.clone()],
            photos: Vec::new(),
            locale: demo.locale.into(),
            fill_ms: 60_000,
            website: String::new(),
        };
        draft::problems(&probe, &store.reviews.form).is_empty()
    });
    serde_json::to_string(&answers).unwrap_or_else(|_| "[]".into())
}
