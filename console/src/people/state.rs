//! The users and keys pages as pure reducers: the lists, the invitation or secret shown once,
//! and the forms that make them.

use encore_core::admin::people::{Invitation, KeyLine, NewKey, UserLine, normalise_email};
use encore_core::admin::role::{Role, Scope};
use std::rc::Rc;
use yew::Reducible;

/// The users page's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Users {
    /// The store's users, once loaded.
    pub list: Option<Vec<UserLine>>,
    /// The e-mail typed into the invitation form.
    pub email: String,
    /// The role chosen for the invitation.
    pub role: Role,
    /// The e-mail typed is not an address (shown after an attempt).
    pub bad_email: bool,
    /// The last invitation made (its link is shown once).
    pub invitation: Option<Invitation>,
    /// The last failure, in words.
    pub error: Option<String>,
}

impl Default for Users {
    fn default() -> Self {
        Users {
            list: None,
            email: String::new(),
            // The least power is the safe default.
            role: Role::Viewer,
            bad_email: false,
            invitation: None,
            error: None,
        }
    }
}

/// What happens to the users page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsersAction {
    /// The list arrived.
    Loaded(Vec<UserLine>),
    /// The e-mail changed.
    Email(String),
    /// The role changed.
    Role(Role),
    /// The form was sent with an e-mail that is not an address.
    BadEmail,
    /// An invitation was made.
    Invited(Invitation),
    /// A user changed (disabled): replace their line.
    Changed(UserLine),
    /// A call failed.
    Failed(String),
}

impl Users {
    /// The e-mail to invite, normalised, if it is an address.
    pub fn invitee(&self) -> Option<String> {
        normalise_email(&self.email)
    }
}

impl Reducible for Users {
    type Action = UsersAction;

    fn reduce(self: Rc<Self>, action: UsersAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            UsersAction::Loaded(list) => next.list = Some(list),
            UsersAction::Email(e) => {
                next.email = e;
                next.bad_email = false;
            }
            UsersAction::Role(r) => next.role = r,
            UsersAction::BadEmail => next.bad_email = true,
            UsersAction::Invited(invitation) => {
                next.email.clear();
                next.error = None;
                next.invitation = Some(invitation);
            }
            UsersAction::Changed(user) => {
                if let Some(list) = &mut next.list {
                    match list.iter_mut().find(|u| u.email == user.email) {
                        Some(line) => *line = user,
                        None => list.push(user),
                    }
                }
            }
            UsersAction::Failed(why) => next.error = Some(why),
        }
        Rc::new(next)
    }
}

/// The keys page's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Keys {
    /// The store's keys, once loaded.
    pub list: Option<Vec<KeyLine>>,
    /// The label typed.
    pub label: String,
    /// The scopes ticked.
    pub scopes: Vec<Scope>,
    /// The form was sent without a scope.
    pub no_scope: bool,
    /// The key just made, with its secret (shown once).
    pub created: Option<NewKey>,
    /// The last failure, in words.
    pub error: Option<String>,
}

/// What happens to the keys page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeysAction {
    /// The list arrived.
    Loaded(Vec<KeyLine>),
    /// The label changed.
    Label(String),
    /// A scope was ticked or unticked.
    Scope(Scope, bool),
    /// The form was sent with no scope.
    NoScope,
    /// A key was made.
    Created(NewKey),
    /// A key changed (revoked): replace its line.
    Changed(KeyLine),
    /// A call failed.
    Failed(String),
}

impl Reducible for Keys {
    type Action = KeysAction;

    fn reduce(self: Rc<Self>, action: KeysAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            KeysAction::Loaded(list) => next.list = Some(list),
            KeysAction::Label(l) => next.label = l,
            KeysAction::Scope(scope, on) => {
                next.scopes.retain(|s| *s != scope);
                if on {
                    next.scopes.push(scope);
                    // Keep the order of `Scope::ALL`, so the request reads the same each time.
                    next.scopes
                        .sort_by_key(|s| Scope::ALL.iter().position(|a| a == s));
                }
                next.no_scope = false;
            }
            KeysAction::NoScope => next.no_scope = true,
            KeysAction::Created(key) => {
                if let Some(list) = &mut next.list {
                    list.insert(0, key.key.clone());
                }
                next.label.clear();
                next.scopes.clear();
                next.error = None;
                next.created = Some(key);
            }
            KeysAction::Changed(key) => {
                if let Some(list) = &mut next.list {
                    if let Some(line) = list.iter_mut().find(|k| k.id == key.id) {
                        *line = key;
                    }
                }
            }
            KeysAction::Failed(why) => next.error = Some(why),
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_core::admin::people::UserState;

    #[test]
    fn an_invitation_is_shown_and_the_form_cleared() {
        let mut users = Rc::new(Users::default()).reduce(UsersAction::Loaded(vec![]));
        users = users.reduce(UsersAction::Email(" Mei@Example.com ".into()));
        assert_eq!(users.invitee().as_deref(), Some("mei@example.com"));
        users = users.reduce(UsersAction::Invited(Invitation {
            email: "mei@example.com".into(),
            link: "/console/#/welcome?token=t".into(),
            expires_at: 1,
        }));
        assert!(users.email.is_empty() && users.invitation.is_some());
        let line = UserLine {
            email: "mei@example.com".into(),
            role: Role::Moderator,
            state: UserState::Disabled,
            last_sign_in: None,
        };
        users = users.reduce(UsersAction::Changed(line.clone()));
        assert_eq!(users.list, Some(vec![line]));
        assert_eq!(
            Rc::new(Users::default())
                .reduce(UsersAction::Email("nope".into()))
                .invitee(),
            None
        );
    }

    #[test]
    fn scopes_keep_their_order_and_a_new_key_heads_the_list() {
        let mut keys = Rc::new(Keys::default()).reduce(KeysAction::Loaded(vec![]));
        keys = keys.reduce(KeysAction::Scope(Scope::SettingsWrite, true));
        keys = keys.reduce(KeysAction::Scope(Scope::ReviewsRead, true));
        assert_eq!(keys.scopes, vec![Scope::ReviewsRead, Scope::SettingsWrite]);
        keys = keys.reduce(KeysAction::Scope(Scope::SettingsWrite, false));
        assert_eq!(keys.scopes, vec![Scope::ReviewsRead]);
        let line = KeyLine {
            id: "k1".into(),
            scopes: vec![Scope::ReviewsRead],
            label: "export".into(),
            created_at: 1,
            revoked_at: None,
        };
        keys = keys.reduce(KeysAction::Created(NewKey {
            key: line.clone(),
            secret: "ek_k1.s".into(),
        }));
        assert_eq!(keys.list.as_deref(), Some(&[line.clone()][..]));
        assert!(keys.scopes.is_empty());
        let revoked = KeyLine {
            revoked_at: Some(2),
            ..line
        };
        keys = keys.reduce(KeysAction::Changed(revoked.clone()));
        assert_eq!(keys.list, Some(vec![revoked]));
    }
}
