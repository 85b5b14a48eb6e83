//! Who may do what in the console: a user's role, an API key's scopes, and the one table that
//! maps each admin action to them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A store user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including users, API keys and settings.
    Owner,
    /// Reviews and replies.
    Moderator,
    /// Reads only.
    Viewer,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 3] = [Role::Owner, Role::Moderator, Role::Viewer];

    /// The stored and command-line spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Moderator => "moderator",
            Role::Viewer => "viewer",
        }
    }

    /// The role spelled `value`.
    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == value)
    }

    /// Whether this role may do `action`.
    pub fn may(self, action: Action) -> bool {
        match self {
            Role::Owner => true,
            Role::Moderator => action == Action::ModerateReviews || action.is_read(),
            Role::Viewer => action.is_read(),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something the admin API does, as far as permission goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read the moderation queue and a review's details.
    ReadReviews,
    /// Approve, reject, hide or restore photos, reply.
    ModerateReviews,
    /// Read the auto-publish rules.
    ReadRules,
    /// Change the auto-publish rules.
    EditRules,
    /// Read the audit log.
    ReadAudit,
    /// List, invite and disable users.
    ManageUsers,
    /// List, create and revoke API keys.
    ManageKeys,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 7] = [
        Action::ReadReviews,
        Action::ModerateReviews,
        Action::ReadRules,
        Action::EditRules,
        Action::ReadAudit,
        Action::ManageUsers,
        Action::ManageKeys,
    ];

    /// Whether the action only reads (what a viewer may do).
    pub fn is_read(self) -> bool {
        matches!(
            self,
            Action::ReadReviews | Action::ReadRules | Action::ReadAudit
        )
    }
}

/// What an API key may do. Keys are for scripts: they never manage users or keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// Read reviews, the rules and the audit log.
    #[serde(rename = "reviews:read")]
    ReviewsRead,
    /// Everything `reviews:read` may, plus moderation.
    #[serde(rename = "reviews:write")]
    ReviewsWrite,
    /// Change the auto-publish rules.
    #[serde(rename = "settings:write")]
    SettingsWrite,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Scope; 3] = [
        Scope::ReviewsRead,
        Scope::ReviewsWrite,
        Scope::SettingsWrite,
    ];

    /// The stored and command-line spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ReviewsRead => "reviews:read",
            Scope::ReviewsWrite => "reviews:write",
            Scope::SettingsWrite => "settings:write",
        }
    }

    /// The scope spelled `value`.
    pub fn parse(value: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Scopes from a comma-separated list (`reviews:read,reviews:write`); `None` if any is
    /// unknown or the list is empty.
    pub fn parse_list(value: &str) -> Option<Vec<Scope>> {
        let parts = value.split(',').map(str::trim).filter(|p| !p.is_empty());
        let scopes = Scope::unique(&parts.map(Scope::parse).collect::<Option<Vec<_>>>()?);
        (!scopes.is_empty()).then_some(scopes)
    }

    /// `scopes` with each named once, in their first order.
    pub fn unique(scopes: &[Scope]) -> Vec<Scope> {
        let mut unique = Vec::new();
        for scope in scopes {
            if !unique.contains(scope) {
                unique.push(*scope);
            }
        }
        unique
    }

    /// Whether this scope allows `action`.
    pub fn allows(self, action: Action) -> bool {
        let read = action.is_read();
        match self {
            Scope::ReviewsRead => read,
            Scope::ReviewsWrite => read || action == Action::ModerateReviews,
            Scope::SettingsWrite => action == Action::EditRules || action == Action::ReadRules,
        }
    }
}

/// Whether a key with `scopes` may do `action`.
pub fn scopes_allow(scopes: &[Scope], action: Action) -> bool {
    scopes.iter().any(|s| s.allows(action))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_may_everything_and_viewer_only_reads() {
        for action in Action::ALL {
            assert!(Role::Owner.may(action));
        }
        assert!(Role::Moderator.may(Action::ModerateReviews));
        assert!(!Role::Moderator.may(Action::ManageUsers));
        assert!(!Role::Moderator.may(Action::ManageKeys));
        assert!(!Role::Moderator.may(Action::EditRules));
        assert!(Role::Moderator.may(Action::ReadRules));
        assert!(Role::Viewer.may(Action::ReadReviews));
        assert!(!Role::Viewer.may(Action::ModerateReviews));
    }

    #[test]
    fn roles_and_scopes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
        assert_eq!(
            Scope::parse_list("reviews:read, reviews:write,reviews:read"),
            Some(vec![Scope::ReviewsRead, Scope::ReviewsWrite])
        );
        assert_eq!(Scope::parse_list("reviews:read,users:write"), None);
        assert_eq!(Scope::parse_list(""), None);
    }

    #[test]
    fn keys_never_manage_people() {
        for scope in Scope::ALL {
            assert!(!scope.allows(Action::ManageUsers));
            assert!(!scope.allows(Action::ManageKeys));
        }
        assert!(scopes_allow(
            &[Scope::ReviewsWrite],
            Action::ModerateReviews
        ));
        assert!(!scopes_allow(
            &[Scope::ReviewsRead],
            Action::ModerateReviews
        ));
    }
}
