//! The sign-in and welcome forms as pure reducers: what was typed, whether a request is on its
//! way, and what went wrong, in the words the page will use.

use encore_core::admin::session::{PasswordProblem, password_problem};
use std::rc::Rc;
use yew::Reducible;

/// Why a sign-in did not work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInError {
    /// 401 `sign_in_failed`: wrong e-mail or password.
    Failed,
    /// 429 `locked`: try again in this many minutes.
    Locked(u32),
    /// The server could not be reached.
    Network,
    /// Something else, with the server's message.
    Other(String),
}

/// The minutes to wait from a `Retry-After` in seconds, rounded up, at least 1.
pub fn minutes_to_wait(retry_after_seconds: Option<u32>) -> u32 {
    retry_after_seconds.map_or(15, |s| s.div_ceil(60).max(1))
}

/// The sign-in form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignInForm {
    /// The stores one may sign in to: `(id, name)`.
    pub stores: Vec<(String, String)>,
    /// The store chosen.
    pub store: String,
    /// The e-mail typed.
    pub email: String,
    /// The password typed.
    pub password: String,
    /// A request is on its way.
    pub busy: bool,
    /// The last failure.
    pub error: Option<SignInError>,
}

/// What happens to the sign-in form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInAction {
    /// The store list arrived; `wanted` (from `?store=`) is preselected if listed.
    Stores(Vec<(String, String)>, Option<String>),
    /// A store was chosen.
    Store(String),
    /// The e-mail changed.
    Email(String),
    /// The password changed.
    Password(String),
    /// The form was sent.
    Submit,
    /// The server refused or could not be reached.
    Failed(SignInError),
}

impl SignInForm {
    /// Whether the form may be sent.
    pub fn ready(&self) -> bool {
        !self.busy
            && !self.store.is_empty()
            && !self.email.trim().is_empty()
            && !self.password.is_empty()
    }
}

impl Reducible for SignInForm {
    type Action = SignInAction;

    fn reduce(self: Rc<Self>, action: SignInAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            SignInAction::Stores(stores, wanted) => {
                next.store = match (&wanted, stores.as_slice()) {
                    (Some(w), _) if stores.iter().any(|(id, _)| id == w) => w.clone(),
                    (_, [(only, _)]) => only.clone(),
                    _ if stores.iter().any(|(id, _)| *id == next.store) => next.store.clone(),
                    _ => String::new(),
                };
                next.stores = stores;
            }
            SignInAction::Store(s) => next.store = s,
            SignInAction::Email(e) => next.email = e,
            SignInAction::Password(p) => next.password = p,
            SignInAction::Submit => {
                if !self.ready() {
                    return self;
                }
                next.busy = true;
                next.error = None;
            }
            SignInAction::Failed(error) => {
                next.busy = false;
                // A wrong password is typed again, not edited.
                if error == SignInError::Failed {
                    next.password.clear();
                }
                next.error = Some(error);
            }
        }
        Rc::new(next)
    }
}

/// The welcome form: a new password from an invitation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WelcomeForm {
    /// The password typed.
    pub password: String,
    /// What is wrong with it, live (`None` before anything is typed).
    pub problem: Option<PasswordProblem>,
    /// A request is on its way.
    pub busy: bool,
    /// The link was used or expired (410).
    pub expired: bool,
    /// Another failure's message.
    pub error: Option<String>,
}

/// What happens to the welcome form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WelcomeAction {
    /// The password changed.
    Password(String),
    /// The form was sent.
    Submit,
    /// The link is no longer good.
    Expired,
    /// Another failure.
    Failed(String),
}

impl Reducible for WelcomeForm {
    type Action = WelcomeAction;

    fn reduce(self: Rc<Self>, action: WelcomeAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            WelcomeAction::Password(p) => {
                next.problem = if p.is_empty() {
                    None
                } else {
                    password_problem(&p)
                };
                next.password = p;
            }
            WelcomeAction::Submit => {
                next.problem = password_problem(&next.password);
                if next.problem.is_some() || next.busy {
                    return Rc::new(next);
                }
                next.busy = true;
                next.error = None;
            }
            WelcomeAction::Expired => {
                next.busy = false;
                next.expired = true;
            }
            WelcomeAction::Failed(message) => {
                next.busy = false;
                next.error = Some(message);
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stores(ids: &[&str]) -> Vec<(String, String)> {
        ids.iter()
            .map(|i| ((*i).to_owned(), i.to_uppercase()))
            .collect()
    }

    #[test]
    fn one_store_or_the_asked_one_is_preselected() {
        let form = Rc::new(SignInForm::default());
        let one = form
            .clone()
            .reduce(SignInAction::Stores(stores(&["demo"]), None));
        assert_eq!(one.store, "demo");
        let two = form
            .clone()
            .reduce(SignInAction::Stores(stores(&["a", "b"]), None));
        assert_eq!(two.store, "");
        let asked = form
            .clone()
            .reduce(SignInAction::Stores(stores(&["a", "b"]), Some("b".into())));
        assert_eq!(asked.store, "b");
        let unknown = form.reduce(SignInAction::Stores(stores(&["a", "b"]), Some("z".into())));
        assert_eq!(unknown.store, "");
    }

    #[test]
    fn a_failed_sign_in_clears_the_password_and_says_why() {
        let mut form = Rc::new(SignInForm::default());
        for action in [
            SignInAction::Stores(stores(&["demo"]), None),
            SignInAction::Email("mei@example.com".into()),
            SignInAction::Password("wrong password".into()),
        ] {
            form = form.reduce(action);
        }
        assert!(form.ready());
        form = form.reduce(SignInAction::Submit);
        assert!(form.busy && !form.ready());
        form = form.reduce(SignInAction::Failed(SignInError::Failed));
        assert_eq!((form.busy, form.password.as_str()), (false, ""));
        assert_eq!(form.error, Some(SignInError::Failed));
        // An empty form is not sent.
        let empty = Rc::new(SignInForm::default());
        assert!(Rc::ptr_eq(
            &empty.clone().reduce(SignInAction::Submit),
            &empty
        ));
    }

    #[test]
    fn the_lock_says_how_long_to_wait() {
        assert_eq!(minutes_to_wait(Some(900)), 15);
        assert_eq!(minutes_to_wait(Some(61)), 2);
        assert_eq!(minutes_to_wait(Some(0)), 1);
        assert_eq!(minutes_to_wait(None), 15);
    }

    #[test]
    fn password_problems_show_while_typing() {
        let mut form = Rc::new(WelcomeForm::default());
        form = form.reduce(WelcomeAction::Password("short".into()));
        assert_eq!(form.problem, Some(PasswordProblem::TooShort));
        form = form.reduce(WelcomeAction::Submit);
        assert!(!form.busy, "a short password is not sent");
        form = form.reduce(WelcomeAction::Password("correct horse battery".into()));
        assert_eq!(form.problem, None);
        form = form.reduce(WelcomeAction::Submit);
        assert!(form.busy);
        form = form.reduce(WelcomeAction::Expired);
        assert!(form.expired && !form.busy);
    }
}
