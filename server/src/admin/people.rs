//! Changes to a store's people and keys, each with its audit entry in one transaction: the
//! code behind both the owner's admin routes and `encore-server users|keys ...`.

use super::audit::{self, Actor, Change};
use super::{api_keys, sessions, users};
use crate::table::{plain, render};
use encore_core::admin::audit::AuditAction;
use encore_core::admin::people::{Invitation, KeyLine, NewKey, UserLine, normalise_email};
use encore_core::admin::role::{Role, Scope};
use sqlx::SqlitePool;

/// The longest key label kept.
pub const MAX_LABEL_CHARS: usize = 100;

/// Why a change to people or keys was refused.
#[derive(Debug)]
pub enum PeopleError {
    /// A bad value; the text names the field.
    Invalid(String),
    /// No such user or key in the store.
    NotFound,
    /// The database or the random source failed.
    Failed(String),
}

impl std::fmt::Display for PeopleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PeopleError::Invalid(m) | PeopleError::Failed(m) => f.write_str(m),
            PeopleError::NotFound => f.write_str("no such user or key in this store"),
        }
    }
}

impl From<sqlx::Error> for PeopleError {
    fn from(e: sqlx::Error) -> Self {
        PeopleError::Failed(format!("database: {e}"))
    }
}

/// Invites `email` to `store` as `role`: the one-time link (a path; 24 hours).
pub async fn invite(
    db: &SqlitePool,
    store: &str,
    actor: &Actor,
    email: &str,
    role: Role,
    now: i64,
) -> Result<Invitation, PeopleError> {
    let email = normalise_email(email)
        .ok_or_else(|| PeopleError::Invalid("email: not an e-mail address".into()))?;
    let mut tx = db.begin().await?;
    let (token, expires_at) = users::invite(&mut tx, store, &email, role, now)
        .await
        .map_err(PeopleError::Failed)?
        .ok_or_else(|| PeopleError::Invalid("email: already an active user".into()))?;
    audit::append(
        &mut tx,
        actor,
        now,
        Change {
            store,
            action: AuditAction::UserInvited,
            target: &email,
            before: String::new(),
            after: role.as_str().into(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Invitation {
        email,
        link: users::welcome_path(&token),
        expires_at: u64::try_from(expires_at).unwrap_or(0),
    })
}

/// Disables `email` of `store`; their sessions end at once.
pub async fn disable(
    db: &SqlitePool,
    store: &str,
    actor: &Actor,
    email: &str,
    now: i64,
) -> Result<UserLine, PeopleError> {
    let email = normalise_email(email).ok_or(PeopleError::NotFound)?;
    let mut tx = db.begin().await?;
    let before = users::line_of(&mut tx, store, &email)
        .await?
        .ok_or(PeopleError::NotFound)?;
    let line = users::disable(&mut tx, store, &email)
        .await?
        .ok_or(PeopleError::NotFound)?;
    sessions::end_all_of(&mut tx, store, &email).await?;
    audit::append(
        &mut tx,
        actor,
        now,
        Change {
            store,
            action: AuditAction::UserDisabled,
            target: &email,
            before: before.state.as_str().into(),
            after: "disabled".into(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(line)
}

/// Makes a key for `store` with `scopes` and `label`; the secret is in the answer only.
pub async fn add_key(
    db: &SqlitePool,
    store: &str,
    actor: &Actor,
    scopes: &[Scope],
    label: &str,
    now: i64,
) -> Result<NewKey, PeopleError> {
    if scopes.is_empty() {
        return Err(PeopleError::Invalid(
            "scopes: name at least one scope".into(),
        ));
    }
    let label = label.trim();
    if label.chars().count() > MAX_LABEL_CHARS || label.chars().any(char::is_control) {
        return Err(PeopleError::Invalid(format!(
            "label: at most {MAX_LABEL_CHARS} characters, no control characters"
        )));
    }
    let unique = Scope::unique(scopes);
    let mut tx = db.begin().await?;
    let key = api_keys::add(&mut tx, store, &unique, label, now)
        .await
        .map_err(PeopleError::Failed)?;
    audit::append(
        &mut tx,
        actor,
        now,
        Change {
            store,
            action: AuditAction::KeyAdded,
            target: &key.key.id,
            before: String::new(),
            after: api_keys::shown(&unique),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(key)
}

/// Revokes key `id` of `store`.
pub async fn revoke_key(
    db: &SqlitePool,
    store: &str,
    actor: &Actor,
    id: &str,
    now: i64,
) -> Result<KeyLine, PeopleError> {
    let mut tx = db.begin().await?;
    let line = api_keys::revoke(&mut tx, store, id, now)
        .await?
        .ok_or(PeopleError::NotFound)?;
    audit::append(
        &mut tx,
        actor,
        now,
        Change {
            store,
            action: AuditAction::KeyRevoked,
            target: id,
            before: String::new(),
            after: "revoked".into(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(line)
}

/// Users as a plain-text table for the command line.
pub fn users_table(lines: &[UserLine]) -> String {
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                plain(&l.email, 60),
                l.role.as_str().to_owned(),
                l.state.as_str().to_owned(),
                l.last_sign_in.map_or_else(|| "-".into(), |t| t.to_string()),
            ]
        })
        .collect();
    render(&["EMAIL", "ROLE", "STATE", "LAST SIGN-IN (MS)"], &rows)
}

/// Keys as a plain-text table for the command line (never a secret).
pub fn keys_table(lines: &[KeyLine]) -> String {
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            vec![
                l.id.clone(),
                api_keys::shown(&l.scopes),
                plain(&l.label, 40),
                l.created_at.to_string(),
                l.revoked_at.map_or_else(|| "-".into(), |t| t.to_string()),
            ]
        })
        .collect();
    render(
        &["ID", "SCOPES", "LABEL", "CREATED (MS)", "REVOKED (MS)"],
        &rows,
    )
}
