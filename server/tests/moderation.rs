//! The command-line tools as library functions: list, approve, reject, reply, order tokens and
//! the demo seed.

mod common;

use common::reviews::{
    SECRET, TEA, fixture, get, get_raw, review_data, review_event, submit, verified_data,
};
use common::{Fixture, id};
use encore_core::reviews::ReviewsPage;
use encore_core::token::{self, Expectations, OrderClaims};
use encore_server::ServerConfig;
use encore_server::reviews::moderation::{self, ModerationError};
use encore_server::reviews::{Status, seed};
use encore_server::tokens::order::{MintError, OrderTokenRequest, mint, parse_item};

async fn published_count(f: &Fixture, product: &str) -> u32 {
    let reply = get(f, &format!("/v1/products/{product}/reviews?store=demo")).await;
    let page: ReviewsPage = serde_json::from_value(reply.json).expect("a ReviewsPage");
    page.summary.count
}

#[tokio::test]
async fn list_approve_reject_and_reply() {
    let f = fixture().await;
    submit(
        &f,
        review_event(&id(1), verified_data(TEA, 5, "1")),
        "10.8.0.1",
    )
    .await;
    submit(&f, review_event(&id(2), review_data(TEA, 2)), "10.8.0.1").await;
    // Submissions cannot carry control characters; older or imported rows might.
    sqlx::query("UPDATE reviews SET name = $1 WHERE id = $2")
        .bind("Bad\u{1b}[2JActor")
        .bind(id(2))
        .execute(&f.state.db)
        .await
        .expect("update");

    let all = moderation::list(&f.state.db, None, None)
        .await
        .expect("list");
    assert_eq!(all.len(), 2);
    let held = moderation::list(&f.state.db, Some("demo"), Some(Status::Held))
        .await
        .expect("list");
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].id, id(2));
    assert!(
        moderation::list(&f.state.db, Some("other"), None)
            .await
            .expect("list")
            .is_empty()
    );
    let table = moderation::table(&all);
    assert!(!table.contains('\u{1b}'), "{table}");
    assert!(table.contains(&id(2)) && table.contains("held"));

    assert_eq!(published_count(&f, TEA).await, 1);
    moderation::approve(
        &f.state.db,
        &encore_server::reviews::moderation::Moderator::cli(0),
        &id(2).to_uppercase(),
    )
    .await
    .expect("approve");
    assert_eq!(published_count(&f, TEA).await, 2);
    moderation::reject(
        &f.state.db,
        &encore_server::reviews::moderation::Moderator::cli(0),
        &id(1),
        "",
    )
    .await
    .expect("reject");
    assert_eq!(published_count(&f, TEA).await, 1);

    moderation::reply(
        &f.state.db,
        &encore_server::reviews::moderation::Moderator::cli(42),
        &id(2),
        "  Sorry to hear that.  ",
    )
    .await
    .expect("reply");
    let page = get(&f, &format!("/v1/products/{TEA}/reviews?store=demo")).await;
    assert_eq!(
        page.json["reviews"][0]["reply"]["body"],
        "Sorry to hear that."
    );
    assert_eq!(page.json["reviews"][0]["reply"]["at"], 42);
    moderation::reply(
        &f.state.db,
        &encore_server::reviews::moderation::Moderator::cli(43),
        &id(2),
        "",
    )
    .await
    .expect("remove reply");
    let page = get(&f, &format!("/v1/products/{TEA}/reviews?store=demo")).await;
    assert!(page.json["reviews"][0].get("reply").is_none());

    for result in [
        moderation::approve(
            &f.state.db,
            &encore_server::reviews::moderation::Moderator::cli(0),
            &id(99),
        )
        .await,
        moderation::reject(
            &f.state.db,
            &encore_server::reviews::moderation::Moderator::cli(0),
            "nonsense",
            "",
        )
        .await,
        moderation::reply(
            &f.state.db,
            &encore_server::reviews::moderation::Moderator::cli(1),
            &id(99),
            "hi",
        )
        .await,
    ] {
        let error = result.expect_err("unknown id");
        assert!(matches!(error, ModerationError::UnknownReview(_)));
        assert!(error.to_string().contains("no review"));
    }
}

#[tokio::test]
async fn bidi_controls_in_review_text_cannot_reorder_the_moderation_table() {
    let f = fixture().await;
    // "Mei" then a RIGHT-TO-LEFT OVERRIDE: a terminal would show the rest reversed, so the
    // name reads "Meiexe.png" and the columns after it run backwards.
    let mut data = review_data(TEA, 1);
    data["name"] = "Mei\u{202E}gnp.exe".into();
    data["title"] = "Fine\u{2067}\u{200F} tea\u{2069}\u{061C}\u{202A}\u{200E}".into();
    let reply = submit(&f, review_event(&id(1), data), "10.8.1.1").await;
    assert_eq!(
        reply.json["results"][0]["status"], "accepted",
        "{}",
        reply.json
    );
    let lines = moderation::list(&f.state.db, None, None)
        .await
        .expect("list");
    assert!(lines[0].name.contains('\u{202E}'), "stored as sent");
    let table = moderation::table(&lines);
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}');
    assert!(!table.chars().any(bidi), "{table:?}");
    assert!(
        table.contains("Meignp.exe") && table.contains("Fine tea"),
        "{table}"
    );
}

#[test]
fn order_tokens_verify_with_the_store_key() {
    let config = ServerConfig::from_toml_str(common::reviews::REVIEWS_CONFIG).expect("config");
    let items = vec![parse_item(&format!("{TEA}=Jasmine Silver Needle")).expect("item")];
    let request = OrderTokenRequest {
        store: "demo".into(),
        order: "1001".into(),
        items: items.clone(),
        buyer: Default::default(),
        ttl_days: 30,
        key: None,
        now: 1_800_000_000,
    };
    let minted = mint(&config, request.clone()).expect("token");
    let claims: OrderClaims = token::verify(
        &minted,
        |kid| (kid == "k1").then_some(SECRET),
        Expectations {
            store: "demo",
            now: 1_800_000_100,
            max_lifetime: 180 * 86_400,
        },
    )
    .expect("verifies");
    assert_eq!(claims.order, "1001");
    assert_eq!(claims.items, items);
    assert_eq!(claims.envelope.exp - claims.envelope.iat, 30 * 86_400);

    let with = |change: &dyn Fn(&mut OrderTokenRequest)| {
        let mut r = request.clone();
        change(&mut r);
        mint(&config, r)
    };
    assert_eq!(
        with(&|r| r.store = "nope".into()),
        Err(MintError::UnknownStore("nope".into()))
    );
    assert_eq!(
        with(&|r| r.key = Some("k9".into())),
        Err(MintError::UnknownKey("k9".into()))
    );
    assert_eq!(with(&|r| r.items.clear()), Err(MintError::NoItems));
    assert_eq!(with(&|r| r.ttl_days = 181), Err(MintError::BadTtl(181)));
    assert!(with(&|r| r.key = Some("k1".into())).is_ok());
    assert!(parse_item("no-name").is_err());
    assert!(parse_item("=Name").is_err());
}

#[tokio::test]
async fn the_demo_seed_runs_once() {
    let f = fixture().await;
    let demo_config =
        ServerConfig::from_toml_str(include_str!("../demo-store.toml")).expect("demo config");
    let store = demo_config.store("demo").expect("demo store");
    let now = 1_790_000_000_000;
    let report = seed::demo_seed(&f.state.db, store, now)
        .await
        .expect("seed");
    // 17 published and 5 pending (2 with a photo each) for the console's queue.
    assert_eq!((report.reviews, report.pending), (22, 5));
    assert_eq!(report.photos, 9);
    let again = seed::demo_seed(&f.state.db, store, now)
        .await
        .expect("seed again");
    assert_eq!((again.reviews, again.photos), (0, 0));
    assert_eq!(f.count("SELECT COUNT(*) FROM reviews").await, 22);
    assert_eq!(f.count("SELECT COUNT(*) FROM review_photos").await, 9);
    assert_eq!(
        f.count("SELECT COUNT(*) FROM reviews WHERE status = 'held' AND signals = 'fast,link'")
            .await,
        1
    );

    let reply = get(
        &f,
        &format!("/v1/products/{TEA}/reviews?store=demo&limit=50"),
    )
    .await;
    let page: ReviewsPage = serde_json::from_value(reply.json).expect("a ReviewsPage");
    assert_eq!(page.summary.count, 14);
    assert_eq!(page.summary.average_text().as_deref(), Some("4.4"));
    assert!(page.summary.histogram[0] == 0 && page.summary.histogram[1] > 0);
    let with_photos: Vec<usize> = page
        .reviews
        .iter()
        .map(|r| r.photos.len())
        .filter(|&n| n > 0)
        .collect();
    assert_eq!(with_photos.len(), 4);
    assert!(with_photos.iter().all(|n| (1..=3).contains(n)));
    assert_eq!(page.reviews.iter().filter(|r| r.reply.is_some()).count(), 2);
    assert_eq!(page.reviews.iter().filter(|r| r.incentivized).count(), 1);
    assert!(page.reviews.iter().filter(|r| r.verified).count() >= 10);
    assert!(page.reviews.iter().any(|r| r.locale == "zh-CN"));
    let oldest = page
        .reviews
        .iter()
        .map(|r| r.created_at)
        .min()
        .expect("reviews");
    assert!(
        now as u64 - oldest <= 245 * 86_400_000,
        "within about 8 months"
    );
    let photo = get_raw(&f, &page.reviews[0].photos[0].url).await;
    assert_eq!(photo.status, 200);
    let decoded = image::load_from_memory(&photo.bytes).expect("a JPEG");
    assert_eq!((decoded.width(), decoded.height()), (800, 600));
    // Answers stored for the demo are ones the demo form accepts.
    assert!(page.reviews.iter().any(|r| !r.answers.is_empty()));
}
