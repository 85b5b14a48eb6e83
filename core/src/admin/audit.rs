//! The audit log: every change a store's staff or keys make, and every sign-in, as the admin
//! API lists it. The log is append-only; nothing here edits an entry.

use super::query_string;
use serde::{Deserialize, Serialize};

/// Entries on one page of the log.
pub const PAGE_SIZE: u32 = 50;

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// A review was published.
    ReviewApproved,
    /// A review was rejected (the reason is in `after`).
    ReviewRejected,
    /// A store reply was written, changed or removed.
    ReplySet,
    /// A photo was hidden from the storefront.
    PhotoHidden,
    /// A hidden photo was shown again.
    PhotoRestored,
    /// The auto-publish rules changed.
    RulesChanged,
    /// A user was invited (or re-invited).
    UserInvited,
    /// A user set their password from an invitation.
    PasswordSet,
    /// A user was disabled.
    UserDisabled,
    /// An API key was created.
    KeyAdded,
    /// An API key was revoked.
    KeyRevoked,
    /// Someone signed in.
    SignedIn,
    /// A sign-in failed (wrong e-mail or password, or a locked account).
    SignInFailed,
    /// Someone signed out.
    SignedOut,
}

impl AuditAction {
    /// Every action.
    pub const ALL: [AuditAction; 14] = [
        AuditAction::ReviewApproved,
        AuditAction::ReviewRejected,
        AuditAction::ReplySet,
        AuditAction::PhotoHidden,
        AuditAction::PhotoRestored,
        AuditAction::RulesChanged,
        AuditAction::UserInvited,
        AuditAction::PasswordSet,
        AuditAction::UserDisabled,
        AuditAction::KeyAdded,
        AuditAction::KeyRevoked,
        AuditAction::SignedIn,
        AuditAction::SignInFailed,
        AuditAction::SignedOut,
    ];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::ReviewApproved => "review_approved",
            AuditAction::ReviewRejected => "review_rejected",
            AuditAction::ReplySet => "reply_set",
            AuditAction::PhotoHidden => "photo_hidden",
            AuditAction::PhotoRestored => "photo_restored",
            AuditAction::RulesChanged => "rules_changed",
            AuditAction::UserInvited => "user_invited",
            AuditAction::PasswordSet => "password_set",
            AuditAction::UserDisabled => "user_disabled",
            AuditAction::KeyAdded => "key_added",
            AuditAction::KeyRevoked => "key_revoked",
            AuditAction::SignedIn => "signed_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignedOut => "signed_out",
        }
    }

    /// The action spelled `value`.
    pub fn parse(value: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == value)
    }
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Its place in the log (increasing).
    pub seq: i64,
    /// When (ms since the epoch).
    pub at: u64,
    /// Who: a user's e-mail, `key:<id>` for an API key, `cli` for the command line, or the
    /// e-mail typed for a failed sign-in.
    pub actor: String,
    /// From where: the client address, or `cli`.
    pub address: String,
    /// What.
    pub action: AuditAction,
    /// On what: a review id, a photo name, a user's e-mail, a key id, `rules`.
    pub target: String,
    /// The value before (JSON text, or empty).
    pub before: String,
    /// The value after (JSON text, or empty).
    pub after: String,
}

/// Which entries to list, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditFilter {
    /// Only this action.
    pub action: Option<AuditAction>,
    /// Only entries whose actor contains this text.
    pub actor: Option<String>,
    /// Only entries on this target.
    pub target: Option<String>,
    /// The page, from 0.
    pub page: u32,
}

impl AuditFilter {
    /// The filter as a query string (without `?`).
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(a) = self.action {
            pairs.push(("action", a.as_str().to_owned()));
        }
        if let Some(a) = &self.actor {
            pairs.push(("actor", a.clone()));
        }
        if let Some(t) = &self.target {
            pairs.push(("target", t.clone()));
        }
        if self.page > 0 {
            pairs.push(("page", self.page.to_string()));
        }
        query_string::encode(&pairs)
    }

    /// The filter in `query`; a bad value is refused with a message naming the key.
    pub fn from_query(query: &str) -> Result<AuditFilter, String> {
        let mut filter = AuditFilter::default();
        for (key, value) in query_string::decode(query) {
            let value = value.trim().to_owned();
            if value.is_empty() {
                continue;
            }
            if value.chars().count() > 200 {
                return Err(format!("{key}: longer than 200 characters"));
            }
            match key.as_str() {
                "action" => {
                    filter.action = Some(
                        AuditAction::parse(&value)
                            .ok_or_else(|| format!("action: {value:?} is not an audit action"))?,
                    )
                }
                "actor" => filter.actor = Some(value),
                "target" => filter.target = Some(value),
                "page" => {
                    filter.page = value
                        .parse()
                        .map_err(|_| format!("page: {value:?} is not a page number"))?
                }
                _ => {}
            }
        }
        Ok(filter)
    }
}

/// One page of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    /// The entries, newest first.
    pub entries: Vec<AuditEntry>,
    /// The page.
    pub page: u32,
    /// Whether a next page exists.
    pub has_more: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_and_filters_round_trip() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
            let json = serde_json::to_string(&action).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", action.as_str()));
        }
        let filter = AuditFilter {
            action: Some(AuditAction::ReviewRejected),
            actor: Some("mei@example.com".into()),
            target: None,
            page: 2,
        };
        assert_eq!(AuditFilter::from_query(&filter.to_query()), Ok(filter));
        assert!(AuditFilter::from_query("action=deleted").is_err());
    }
}
