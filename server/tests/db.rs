//! The database is opened durable and its migrations can be applied to it again.

use encore_server::db;

#[tokio::test]
async fn the_database_is_opened_durable_and_reopens() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("encore.db");
    let pool = db::open(&path).await.expect("created");
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .expect("pragma");
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&pool)
        .await
        .expect("pragma");
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&pool)
        .await
        .expect("pragma");
    assert_eq!(
        (journal.as_str(), synchronous, foreign_keys),
        ("wal", 2, 1),
        "WAL, FULL, on"
    );
    pool.close().await;

    let pool = db::open(&path).await.expect("reopened");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(&pool)
        .await
        .expect("table");
    assert_eq!(rows, 0);
}

#[tokio::test]
async fn an_unusable_path_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("missing-dir/encore.db");
    let err = db::open(&path)
        .await
        .expect_err("parent directory is missing");
    assert!(err.to_string().contains("missing-dir/encore.db"), "{err}");
}
