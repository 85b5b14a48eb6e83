//! Photos uploaded but never put on a review are deleted once they are older than
//! `ORPHAN_AFTER`; a photo on a review, and a fresh upload whose review may still be on its
//! way, are kept.

mod common;

use axum::http::StatusCode;
use common::Fixture;
use common::reviews::{TEA, fixture, jpeg, review_data, review_event, submit, upload};
use encore_server::reviews::photos::sweep::{ORPHAN_AFTER, sweep_orphans};
use serde_json::json;

fn ms(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).expect("a short duration")
}

async fn photo_ids(f: &Fixture) -> Vec<String> {
    sqlx::query_scalar("SELECT upload_id FROM review_photos ORDER BY upload_id")
        .fetch_all(&f.state.db)
        .await
        .expect("read photos")
}

#[tokio::test]
async fn photos_on_no_review_are_deleted_once_old_and_the_others_kept() {
    let f = fixture().await;
    let (orphan, kept) = (common::id(1), common::id(2));
    for upload_id in [&orphan, &kept] {
        let reply = upload(&f, upload_id, jpeg(40, 30)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    }
    let mut data = review_data(TEA, 5);
    data["photos"] = json!([kept]);
    let reply = submit(&f, review_event(&common::id(9), data), "10.5.0.1").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json);
    let uploaded_at: i64 = f.count("SELECT MAX(created_at) FROM review_photos").await;

    // Young: the review naming it may still be in a shopper's outbox.
    let soon = uploaded_at + ms(ORPHAN_AFTER) - 1_000;
    assert_eq!(sweep_orphans(&f.state.db, soon).await.expect("sweeps"), 0);
    assert_eq!(photo_ids(&f).await, vec![orphan.clone(), kept.clone()]);

    let later = uploaded_at + ms(ORPHAN_AFTER) + 1_000;
    assert_eq!(sweep_orphans(&f.state.db, later).await.expect("sweeps"), 1);
    assert_eq!(
        photo_ids(&f).await,
        vec![kept.clone()],
        "the orphan is gone"
    );
    assert_eq!(
        f.count("SELECT COUNT(*) FROM review_photos WHERE review_id IS NOT NULL")
            .await,
        1,
        "the photo on a review stays"
    );

    // Nothing left to sweep; and an upload id swept away can be uploaded afresh.
    assert_eq!(sweep_orphans(&f.state.db, later).await.expect("sweeps"), 0);
    let again = upload(&f, &orphan, jpeg(40, 30)).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.json);
    assert_eq!(photo_ids(&f).await.len(), 2);
}
