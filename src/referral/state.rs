//! The referral panel's state: which load is current, and what it gave. Pure, so the rules
//! (what a 401 or a 404 means to the shopper, which answers are stale) are tested on the host.

use encore_core::referral::page::ReferralPage;
use std::rc::Rc;
use yew::Reducible;

/// What the panel shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Load {
    /// Waiting for the endpoint.
    #[default]
    Loading,
    /// The advocate's link, terms and counts.
    Ready(Rc<ReferralPage>),
    /// The page gave no token, or the endpoint refused it: nothing to share until sign-in.
    SignedOut,
    /// The store runs no referral program: the panel shows nothing.
    NotOffered,
    /// Network trouble or a server error: the shopper may try again.
    Failed,
}

/// The panel's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReferralState {
    /// Bumped by each retry; answers to older loads are ignored.
    pub generation: u32,
    /// What the current load gave.
    pub load: Load,
}

/// What happens to the panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferralAction {
    /// Load `generation` answered with the page.
    Loaded {
        /// The load it answers.
        generation: u32,
        /// The page.
        page: ReferralPage,
    },
    /// Load `generation` failed; `status` is the HTTP status when there was an answer.
    Failed {
        /// The load it answers.
        generation: u32,
        /// The HTTP status, if any.
        status: Option<u16>,
    },
    /// There is no token to load with.
    NoToken,
    /// The shopper asked to try again.
    Retry,
}

impl Reducible for ReferralState {
    type Action = ReferralAction;

    fn reduce(self: Rc<Self>, action: ReferralAction) -> Rc<Self> {
        let load = match action {
            ReferralAction::Loaded { generation, .. }
            | ReferralAction::Failed { generation, .. }
                if generation != self.generation =>
            {
                return self;
            }
            ReferralAction::Loaded { page, .. } => Load::Ready(Rc::new(page)),
            ReferralAction::Failed { status, .. } => failure(status),
            ReferralAction::NoToken => Load::SignedOut,
            ReferralAction::Retry => {
                return Rc::new(ReferralState {
                    generation: self.generation + 1,
                    load: Load::Loading,
                });
            }
        };
        Rc::new(ReferralState {
            generation: self.generation,
            load,
        })
    }
}

/// What a failed load means to the shopper.
fn failure(status: Option<u16>) -> Load {
    match status {
        Some(401 | 403) => Load::SignedOut,
        Some(404) => Load::NotOffered,
        _ => Load::Failed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_core::referral::page::ReferralCounts;

    fn page() -> ReferralPage {
        ReferralPage {
            code: "AB12CD34".into(),
            link: "https://shop.example/?ref=AB12CD34".into(),
            store_name: "Shop".into(),
            friend_gets: "15% off".into(),
            advocate_gets: "$10".into(),
            counts: ReferralCounts::default(),
        }
    }

    fn after(actions: Vec<ReferralAction>) -> Rc<ReferralState> {
        actions
            .into_iter()
            .fold(Rc::new(ReferralState::default()), |s, a| s.reduce(a))
    }

    #[test]
    fn answers_show_the_page_or_say_what_went_wrong() {
        let loaded = after(vec![ReferralAction::Loaded {
            generation: 0,
            page: page(),
        }]);
        assert_eq!(loaded.load, Load::Ready(Rc::new(page())));
        for (status, load) in [
            (Some(401), Load::SignedOut),
            (Some(404), Load::NotOffered),
            (Some(503), Load::Failed),
            (None, Load::Failed),
        ] {
            let s = after(vec![ReferralAction::Failed {
                generation: 0,
                status,
            }]);
            assert_eq!(s.load, load, "{status:?}");
        }
    }

    #[test]
    fn a_retry_ignores_the_answer_to_the_load_before_it() {
        let s = after(vec![
            ReferralAction::Failed {
                generation: 0,
                status: None,
            },
            ReferralAction::Retry,
            ReferralAction::Loaded {
                generation: 0,
                page: page(),
            },
        ]);
        assert_eq!((s.generation, s.load.clone()), (1, Load::Loading));
        let s = s.reduce(ReferralAction::Loaded {
            generation: 1,
            page: page(),
        });
        assert!(matches!(s.load, Load::Ready(_)));
    }
}
