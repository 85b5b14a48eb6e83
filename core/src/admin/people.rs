//! A store's people and keys as the admin API lists and creates them.

use super::role::{Role, Scope};
use serde::{Deserialize, Serialize};

/// The longest e-mail address accepted.
pub const MAX_EMAIL_LEN: usize = 254;

/// A store user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserLine {
    /// Their e-mail, lowercased: also their sign-in name.
    pub email: String,
    /// Their role.
    pub role: Role,
    /// `invited` (no password yet), `active` or `disabled`.
    pub state: UserState,
    /// When they last signed in (ms since the epoch).
    pub last_sign_in: Option<u64>,
}

/// Where a user's account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserState {
    /// Invited; the password is not set yet.
    Invited,
    /// Can sign in.
    Active,
    /// Cannot sign in; their sessions ended.
    Disabled,
}

impl UserState {
    /// Every state.
    pub const ALL: [UserState; 3] = [UserState::Invited, UserState::Active, UserState::Disabled];

    /// The stored spelling (the same as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            UserState::Invited => "invited",
            UserState::Active => "active",
            UserState::Disabled => "disabled",
        }
    }

    /// The state spelled `value`.
    pub fn parse(value: &str) -> Option<UserState> {
        UserState::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// `POST /v1/admin/users`: invite someone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteRequest {
    /// Their e-mail.
    pub email: String,
    /// Their role.
    pub role: Role,
}

/// An invitation: the one-time link where the person sets a password, valid 24 hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    /// The e-mail invited.
    pub email: String,
    /// The path of the link on the console's origin (`/console/#/welcome?token=...`).
    pub link: String,
    /// When the link stops working (ms since the epoch).
    pub expires_at: u64,
}

/// An API key as listed (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyLine {
    /// The key's public id (the part before the dot).
    pub id: String,
    /// What it may do.
    pub scopes: Vec<Scope>,
    /// A note saying what it is for.
    pub label: String,
    /// When it was made (ms since the epoch).
    pub created_at: u64,
    /// When it was revoked, if it was.
    pub revoked_at: Option<u64>,
}

/// `POST /v1/admin/keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewKeyRequest {
    /// What it may do.
    pub scopes: Vec<Scope>,
    /// What it is for.
    #[serde(default)]
    pub label: String,
}

/// A new key, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewKey {
    /// The key as listed.
    pub key: KeyLine,
    /// The whole secret (`ek_<id>.<secret>`), never shown again.
    pub secret: String,
}

/// `email` trimmed and lowercased if it looks like an address; `None` otherwise.
pub fn normalise_email(email: &str) -> Option<String> {
    let email = email.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= MAX_EMAIL_LEN
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        && !domain.contains('@');
    ok.then_some(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_spelled_as_in_json() {
        for state in UserState::ALL {
            assert_eq!(UserState::parse(state.as_str()), Some(state));
            let json = serde_json::to_string(&state).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", state.as_str()));
        }
        assert_eq!(UserState::parse("deleted"), None);
    }

    #[test]
    fn e_mails_are_normalised_or_refused() {
        assert_eq!(
            normalise_email(" Mei@Example.COM "),
            Some("mei@example.com".into())
        );
        for bad in [
            "",
            "mei",
            "@example.com",
            "mei@localhost",
            "m ei@example.com",
            "a@b@c.d",
            "mei@.com",
        ] {
            assert_eq!(normalise_email(bad), None, "{bad}");
        }
        assert_eq!(
            normalise_email(&format!("{}@example.com", "a".repeat(250))),
            None
        );
    }
}
