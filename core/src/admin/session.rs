//! Signing in and out of the console, and what a signed-in page knows about its session.

use super::role::Role;
use serde::{Deserialize, Serialize};

/// The shortest password accepted (NIST SP 800-63B's minimum for a chosen password).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted: Argon2 takes any length, but the server should not hash a
/// megabyte for a stranger.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// `POST /v1/admin/session`: sign in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    /// The store signed in to.
    pub store: String,
    /// The user's e-mail.
    pub email: String,
    /// The password.
    pub password: String,
}

/// `POST /v1/admin/password`: set a password from an invitation link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetPasswordRequest {
    /// The token from the invitation link.
    pub token: String,
    /// The new password.
    pub password: String,
}

/// What the console knows about its session (`GET /v1/admin/session`, and the answer to a
/// sign-in). The session id itself is only ever in the `HttpOnly` cookie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The store.
    pub store: String,
    /// The store's name for people.
    pub store_name: String,
    /// The user's e-mail.
    pub email: String,
    /// Their role.
    pub role: Role,
    /// The token every state-changing request carries in `X-CSRF-Token`.
    pub csrf_token: String,
    /// When the session ends at the latest (ms since the epoch).
    pub expires_at: u64,
}

/// Why a password is refused, if it is.
pub fn password_problem(password: &str) -> Option<PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Some(PasswordProblem::TooShort)
    } else if chars > MAX_PASSWORD_CHARS {
        Some(PasswordProblem::TooLong)
    } else if password.trim().is_empty() {
        Some(PasswordProblem::Blank)
    } else {
        None
    }
}

/// What is wrong with a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordProblem {
    /// Fewer than [`MIN_PASSWORD_CHARS`] characters.
    TooShort,
    /// More than [`MAX_PASSWORD_CHARS`] characters.
    TooLong,
    /// Only spaces.
    Blank,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_long_enough_and_not_blank() {
        assert_eq!(password_problem("short"), Some(PasswordProblem::TooShort));
        assert_eq!(
            password_problem(&" ".repeat(20)),
            Some(PasswordProblem::Blank)
        );
        assert_eq!(
            password_problem(&"x".repeat(300)),
            Some(PasswordProblem::TooLong)
        );
        assert_eq!(password_problem("correct horse battery"), None);
        // Counted in characters, not bytes: twelve CJK characters are a long enough password.
        assert_eq!(password_problem("茶茶茶茶茶茶茶茶茶茶茶茶"), None);
    }
}
