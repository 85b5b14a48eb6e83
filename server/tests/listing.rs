//! `GET /v1/products/{product}/reviews` and `/jsonld`: the SQL page equals core's
//! `ReviewQuery::apply` over the same reviews, the summary covers every published review.

mod common;

use axum::http::{StatusCode, header};
use common::Fixture;
use common::reviews::{TEA, fixture, get, get_raw};
use encore_core::reviews::listing::{MAX_PAGE_SIZE, ReviewQuery, ReviewSort};
use encore_core::reviews::summary::Summary;
use encore_core::reviews::{Photo, Review, ReviewsPage};
use encore_server::reviews::listing;
use serde_json::Value;

/// What the test inserted for one review.
struct Row {
    id: String,
    rating: u8,
    created_at: i64,
    helpful: i64,
    photos: usize,
    status: &'static str,
    store: &'static str,
    product: &'static str,
}

/// 40 reviews with many ties in every sort key, some held or rejected, some of other products
/// and stores.
fn rows() -> Vec<Row> {
    (0..40u32)
        .map(|i| {
            let status = match i % 11 {
                3 => "held",
                7 => "rejected",
                _ => "published",
            };
            Row {
                // Ids out of insertion order, so the id tie-break is exercised.
                id: format!("00000000-0000-4000-8000-{:012x}", (i * 7919) % 997),
                rating: [5, 4, 5, 1, 3, 5, 2, 4][i as usize % 8],
                created_at: 1_700_000_000_000 + i64::from(i / 3) * 1000,
                helpful: i64::from((i / 6) % 3),
                photos: [0, 1, 0, 2, 0][i as usize % 5],
                status,
                store: if i == 38 { "other" } else { "demo" },
                product: if i == 39 { "osmanthus-oolong" } else { TEA },
            }
        })
        .collect()
}

async fn insert(f: &Fixture, rows: &[Row]) {
    for row in rows {
        sqlx::query(
            "INSERT INTO reviews (id, store, product, rating, title, body, name, answers, locale, \
             verified, incentivized, status, helpful, created_at) \
             VALUES ($1, $2, $3, $4, '<b>Title</b></script>', 'A body of text', 'Mei', '[]', \
             'en', 1, 0, $5, $6, $7)",
        )
        .bind(&row.id)
        .bind(row.store)
        .bind(row.product)
        .bind(i64::from(row.rating))
        .bind(row.status)
        .bind(row.helpful)
        .bind(row.created_at)
        .execute(&f.state.db)
        .await
        .expect("insert review");
        for n in 0..row.photos {
            sqlx::query(
                "INSERT INTO review_photos (upload_id, store, name, review_id, position, width, \
                 height, bytes, created_at) VALUES ($1, $2, $3, $4, $5, 8, 6, x'FFD8FF', 0)",
            )
            .bind(format!("{}-{n}", row.id))
            .bind(row.store)
            .bind(format!("{:0>28}{n:04}.jpg", &row.id[24..]))
            .bind(&row.id)
            .bind(n as i64)
            .execute(&f.state.db)
            .await
            .expect("insert photo");
        }
    }
}

/// The reviews the server should list for the tea, as core reviews.
fn published_tea(rows: &[Row]) -> Vec<Review> {
    rows.iter()
        .filter(|r| r.status == "published" && r.store == "demo" && r.product == TEA)
        .map(|r| Review {
            id: r.id.clone(),
            rating: r.rating,
            title: String::new(),
            body: String::new(),
            name: String::new(),
            verified: true,
            incentivized: false,
            created_at: r.created_at as u64,
            photos: vec![
                Photo {
                    url: String::new(),
                    width: 8,
                    height: 6
                };
                r.photos
            ],
            answers: vec![],
            helpful: r.helpful as u32,
            reply: None,
            locale: "en".into(),
        })
        .collect()
}

#[tokio::test]
async fn every_page_in_sql_equals_core_apply() {
    let f = fixture().await;
    let rows = rows();
    insert(&f, &rows).await;
    let expected_all = published_tea(&rows);
    let total = expected_all.len() as u32;
    assert!(total > 25, "the fixture has enough reviews: {total}");
    let mut compared = 0;
    for sort in ReviewSort::ALL {
        for stars in [None, Some(1), Some(2), Some(3), Some(4), Some(5)] {
            for photos in [false, true] {
                for limit in [1, 4, 10, MAX_PAGE_SIZE] {
                    for offset in 0..=total + 1 {
                        let query = ReviewQuery {
                            sort,
                            stars,
                            photos,
                            offset,
                            limit,
                        };
                        let (page, next) = listing::page(&f.state.db, "demo", TEA, &query)
                            .await
                            .expect("page");
                        let (want, want_next) = query.apply(&expected_all);
                        let got: Vec<&str> = page.iter().map(|r| r.id.as_str()).collect();
                        let want: Vec<&str> = want.iter().map(|r| r.id.as_str()).collect();
                        assert_eq!(got, want, "{query:?}");
                        assert_eq!(next, want_next, "{query:?}");
                        let photo_counts: Vec<usize> =
                            page.iter().map(|r| r.photos.len()).collect();
                        let want_counts: Vec<usize> = query
                            .apply(&expected_all)
                            .0
                            .iter()
                            .map(|r| r.photos.len())
                            .collect();
                        assert_eq!(photo_counts, want_counts, "{query:?}");
                        compared += 1;
                    }
                }
            }
        }
    }
    assert!(compared > 5000);
}

#[tokio::test]
async fn the_page_carries_the_unfiltered_summary_product_and_form() {
    let f = fixture().await;
    let rows = rows();
    insert(&f, &rows).await;
    let expected = Summary::of(published_tea(&rows).iter().map(|r| r.rating));

    let reply = get(
        &f,
        &format!("/v1/products/{TEA}/reviews?store=demo&stars=5&photos=true&limit=2"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    assert_eq!(reply.headers[header::CACHE_CONTROL], "no-cache");
    let page: ReviewsPage = serde_json::from_value(reply.json.clone()).expect("a ReviewsPage");
    assert_eq!(page.summary, expected);
    assert_eq!(page.summary.count, published_tea(&rows).len() as u32);
    assert_eq!(page.product.name.as_deref(), Some("Jasmine Silver Needle"));
    assert_eq!(page.form.min_body, 20);
    assert_eq!(page.form.questions.len(), 2);
    assert_eq!(page.reviews.len(), 2);
    assert_eq!(page.next_offset, Some(2));
    for review in &page.reviews {
        assert_eq!(review.rating, 5);
        assert!(!review.photos.is_empty());
        assert!(review.photos[0].url.starts_with("/v1/photos/"));
        assert_eq!((review.photos[0].width, review.photos[0].height), (8, 6));
    }

    // A product without reviews: an empty page, no name configured.
    let reply = get(&f, "/v1/products/unknown-tea/reviews?store=demo").await;
    let page: ReviewsPage = serde_json::from_value(reply.json).expect("a ReviewsPage");
    assert_eq!((page.summary.count, page.reviews.len()), (0, 0));
    assert_eq!(page.product.name, None);
}

#[tokio::test]
async fn bad_queries_are_refused_as_json() {
    let f = fixture().await;
    for query in [
        "",
        "store=demo&sort=best",
        "store=demo&stars=6",
        "store=demo&stars=0",
        "store=demo&stars=x",
        "store=demo&limit=0",
        "store=demo&limit=51",
        "store=demo&offset=-1",
        "store=demo&photos=maybe",
    ] {
        let reply = get(&f, &format!("/v1/products/{TEA}/reviews?{query}")).await;
        reply.assert_error(StatusCode::BAD_REQUEST, "invalid_query");
    }
    let reply = get(&f, &format!("/v1/products/{TEA}/reviews?store=nope")).await;
    reply.assert_error(StatusCode::NOT_FOUND, "not_found");
    let reply = get(&f, &format!("/v1/products/{TEA}/jsonld?store=nope")).await;
    reply.assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn replies_show_under_their_review() {
    let f = fixture().await;
    insert(&f, &rows()[..1]).await;
    let id = rows()[0].id.clone();
    encore_server::reviews::moderation::reply(
        &f.state.db,
        &encore_server::reviews::moderation::Moderator::cli(1_700_000_500_000),
        &id,
        "Thank you!",
    )
    .await
    .expect("reply");
    let reply = get(&f, &format!("/v1/products/{TEA}/reviews?store=demo")).await;
    let page: ReviewsPage = serde_json::from_value(reply.json).expect("a ReviewsPage");
    let store_reply = page.reviews[0].reply.clone().expect("a reply");
    assert_eq!(
        (store_reply.body.as_str(), store_reply.at),
        ("Thank you!", 1_700_000_500_000)
    );
}

#[tokio::test]
async fn jsonld_is_escaped_and_matches_the_page() {
    let f = fixture().await;
    let reply = get_raw(&f, &format!("/v1/products/{TEA}/jsonld?store=demo")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "nothing published yet");

    let rows = rows();
    insert(&f, &rows).await;
    let reply = get_raw(&f, &format!("/v1/products/{TEA}/jsonld?store=demo")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.headers[header::CONTENT_TYPE],
        "application/ld+json; charset=utf-8"
    );
    assert!(!reply.bytes.contains(&b'<'), "every < is escaped");
    let doc: Value = serde_json::from_slice(&reply.bytes).expect("valid JSON");
    let page = get(&f, &format!("/v1/products/{TEA}/reviews?store=demo")).await;
    let page: ReviewsPage = serde_json::from_value(page.json).expect("a ReviewsPage");
    assert_eq!(
        doc["aggregateRating"]["ratingValue"].as_str(),
        page.summary.average_text().as_deref()
    );
    assert_eq!(doc["aggregateRating"]["reviewCount"], page.summary.count);
    assert_eq!(doc["name"], "Jasmine Silver Needle");
    let reviews = doc["review"].as_array().expect("reviews");
    assert_eq!(reviews.len(), 10);
    assert_eq!(reviews[0]["name"], "<b>Title</b></script>");
    let newest: Vec<u8> = page.reviews.iter().map(|r| r.rating).collect();
    let ld: Vec<u64> = reviews
        .iter()
        .map(|r| r["reviewRating"]["ratingValue"].as_u64().expect("rating"))
        .collect();
    assert_eq!(ld, newest.iter().map(|&r| u64::from(r)).collect::<Vec<_>>());
}
