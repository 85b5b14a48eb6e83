//! The auto-publish rules form as a pure reducer: the rules saved, the draft being edited,
//! and whether it may be saved.

use encore_core::admin::rules::{MAX_HOLD_FAST_SECONDS, ModerationRules};
use std::rc::Rc;
use yew::Reducible;

/// The rules page's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RulesForm {
    /// The rules as the server has them, once loaded.
    pub saved: Option<ModerationRules>,
    /// The rules being edited.
    pub draft: ModerationRules,
    /// A save is on its way.
    pub saving: bool,
    /// The last failure's words (load or save).
    pub error: Option<String>,
    /// Bumped at each successful save (the live region says so).
    pub saves: u32,
}

/// What happens to the rules form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RulesAction {
    /// The rules arrived.
    Loaded(ModerationRules),
    /// Verified reviews' minimum (`None`: hold all).
    Verified(Option<u8>),
    /// Unverified reviews' minimum (`None`: hold all).
    Unverified(Option<u8>),
    /// Hold reviews with photos.
    Photos(bool),
    /// Hold reviews with links.
    Links(bool),
    /// Hold reviews written faster than this many seconds (as typed).
    Fast(String),
    /// Saving started.
    Save,
    /// The server saved these.
    Saved(ModerationRules),
    /// Loading or saving failed.
    Failed(String),
}

impl RulesForm {
    /// Whether the draft differs from the saved rules and may be saved.
    pub fn can_save(&self) -> bool {
        !self.saving
            && self.saved.is_some_and(|s| s != self.draft)
            && self.draft.problem().is_none()
    }
}

impl Reducible for RulesForm {
    type Action = RulesAction;

    fn reduce(self: Rc<Self>, action: RulesAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            RulesAction::Loaded(rules) => {
                next.saved = Some(rules);
                next.draft = rules;
                next.error = None;
            }
            RulesAction::Verified(min) => next.draft.verified_min_rating = min,
            RulesAction::Unverified(min) => next.draft.unverified_min_rating = min,
            RulesAction::Photos(on) => next.draft.hold_with_photos = on,
            RulesAction::Links(on) => next.draft.hold_links = on,
            RulesAction::Fast(text) => {
                // Typing is clamped to what the server accepts rather than refused.
                let seconds = text.trim().parse::<u32>().unwrap_or(0);
                next.draft.hold_fast_seconds = seconds.min(MAX_HOLD_FAST_SECONDS);
            }
            RulesAction::Save => {
                if !self.can_save() {
                    return self;
                }
                next.saving = true;
                next.error = None;
            }
            RulesAction::Saved(rules) => {
                next.saved = Some(rules);
                next.draft = rules;
                next.saving = false;
                next.saves += 1;
            }
            RulesAction::Failed(why) => {
                next.saving = false;
                next.error = Some(why);
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_changed_valid_draft_is_saved() {
        let mut form = Rc::new(RulesForm::default());
        assert!(!form.can_save(), "nothing loaded yet");
        form = form.reduce(RulesAction::Loaded(ModerationRules::default()));
        assert!(!form.can_save(), "nothing changed");
        form = form.reduce(RulesAction::Unverified(Some(4)));
        form = form.reduce(RulesAction::Links(true));
        form = form.reduce(RulesAction::Fast("9999".into()));
        assert_eq!(form.draft.hold_fast_seconds, MAX_HOLD_FAST_SECONDS);
        assert!(form.can_save());
        form = form.reduce(RulesAction::Save);
        assert!(form.saving && !form.can_save());
        let saved = form.draft;
        form = form.reduce(RulesAction::Saved(saved));
        assert_eq!(
            (form.saved, form.saves, form.saving),
            (Some(saved), 1, false)
        );
        form = form.reduce(RulesAction::Fast("x".into()));
        assert_eq!(form.draft.hold_fast_seconds, 0);
    }
}
