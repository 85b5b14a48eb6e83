//! The audit log's storage: one row appended in the transaction of the change it records, and
//! pages of it read back. The database refuses to update or delete a row (triggers in
//! `migrations/0009_console.sql`).

use encore_core::admin::audit::{AuditAction, AuditEntry, AuditFilter, AuditPage, PAGE_SIZE};
use sqlx::{FromRow, QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

/// Who made a change and from where, as the log records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// A user's e-mail, `key:<id>` for an API key, or `cli`.
    pub name: String,
    /// The client address (an IPv6 client by its /64), or `cli`.
    pub address: String,
}

impl Actor {
    /// The command line: `encore-server reviews|users|keys ...` run on the server itself.
    pub fn cli() -> Actor {
        Actor {
            name: "cli".into(),
            address: "cli".into(),
        }
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// The store it happened in.
    pub store: &'a str,
    /// What happened.
    pub action: AuditAction,
    /// What it happened to (a review id, `review/photo`, an e-mail, a key id).
    pub target: &'a str,
    /// The value before (empty when there is none).
    pub before: String,
    /// The value after.
    pub after: String,
}

/// Appends `change` by `actor` at `at` (ms), on `conn` (the change's own transaction).
pub async fn append(
    conn: &mut SqliteConnection,
    actor: &Actor,
    at: i64,
    change: Change<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (store, at, actor, address, action, target, before, after) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(change.store)
    .bind(at)
    .bind(&actor.name)
    .bind(&actor.address)
    .bind(change.action.as_str())
    .bind(change.target)
    .bind(change.before)
    .bind(change.after)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(FromRow)]
struct Row {
    seq: i64,
    at: i64,
    actor: String,
    address: String,
    action: String,
    target: String,
    before: String,
    after: String,
}

/// One page of `store`'s log under `filter`, newest first.
pub async fn page(
    db: &SqlitePool,
    store: &str,
    filter: &AuditFilter,
) -> Result<AuditPage, sqlx::Error> {
    let mut sql = QueryBuilder::<Sqlite>::new(
        "SELECT seq, at, actor, address, action, target, before, after FROM audit_log \
         WHERE store = ",
    );
    sql.push_bind(store);
    if let Some(action) = filter.action {
        sql.push(" AND action = ").push_bind(action.as_str());
    }
    if let Some(actor) = &filter.actor {
        sql.push(" AND actor = ").push_bind(actor.to_lowercase());
    }
    if let Some(target) = &filter.target {
        sql.push(" AND target = ").push_bind(target.clone());
    }
    let size = i64::from(PAGE_SIZE);
    sql.push(" ORDER BY seq DESC LIMIT ")
        .push_bind(size + 1)
        .push(" OFFSET ")
        .push_bind(i64::from(filter.page).saturating_mul(size));
    let mut rows: Vec<Row> = sql.build_query_as().fetch_all(db).await?;
    let has_more = rows.len() > PAGE_SIZE as usize;
    rows.truncate(PAGE_SIZE as usize);
    let entries = rows
        .into_iter()
        .filter_map(|r| {
            Some(AuditEntry {
                seq: r.seq,
                at: u64::try_from(r.at).unwrap_or(0),
                actor: r.actor,
                address: r.address,
                action: AuditAction::parse(&r.action)?,
                target: r.target,
                before: r.before,
                after: r.after,
            })
        })
        .collect();
    Ok(AuditPage {
        entries,
        page: filter.page,
        has_more,
    })
}
