//! Everything the offers panel shows, in one pure reducer: the page load, the server clock's
//! offset, each offer's claim and whether the member's sign-in has expired. No I/O here; the
//! panel performs the load the state asks for (its `generation`) and reports back.

use crate::transport::acks::Settlement;
use crate::transport::outbox::EnqueueError;
use encore_core::events::AckStatus;
use encore_core::offers::claims::ClaimRefusal;
use encore_core::offers::{MemberStatus, OfferCard, OffersPage};
use std::rc::Rc;
use yew::Reducible;

/// Where the page load stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Load {
    /// Waiting for the answer.
    #[default]
    Loading,
    /// The page is shown.
    Ready,
    /// The load failed; "Try again" repeats it.
    Failed,
}

/// Where one offer's claim stands, as the card shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// Not claimed: the claim button.
    Open,
    /// Nothing left and not claimed: shown, not claimable.
    SoldOut,
    /// Being written to the outbox.
    Saving,
    /// Queued as result `id`, waiting for the endpoint's answer.
    Sending {
        /// The result id.
        id: String,
    },
    /// Queued as result `id`, no answer yet (offline or slow): the code comes with the answer.
    SavedOffline {
        /// The result id.
        id: String,
    },
    /// The member's code.
    Claimed {
        /// The code.
        code: String,
        /// Whether it just arrived on this page (and is announced), rather than with the page.
        fresh: bool,
    },
    /// Accepted, but the endpoint gave no code to show.
    Received,
    /// Refused; `None` for a reason the widget does not know.
    Refused(Option<ClaimRefusal>),
    /// The claim could not be saved on this device.
    SaveFailed(EnqueueError),
}

impl Claim {
    /// Whether the claim button is there to press (again).
    pub fn claimable(&self) -> bool {
        matches!(
            self,
            Claim::Open | Claim::Refused(None) | Claim::SaveFailed(_)
        )
    }

    /// Whether the claim is on its way (the button stays, marked busy, so focus stays on it).
    pub fn pending(&self) -> bool {
        matches!(
            self,
            Claim::Saving | Claim::Sending { .. } | Claim::SavedOffline { .. }
        )
    }

    fn result_id(&self) -> Option<&str> {
        match self {
            Claim::Sending { id } | Claim::SavedOffline { id } => Some(id),
            _ => None,
        }
    }
}

/// The offers panel's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OffersState {
    /// Increases with every load; answers to older loads are ignored.
    pub generation: u32,
    /// How the latest load went.
    pub load: Load,
    /// The page, once it has arrived.
    pub page: Option<Rc<OffersPage>>,
    /// The server's clock minus the device's when the page arrived (ms), so that countdowns
    /// follow the server even when the device's clock is wrong.
    pub clock_offset: i64,
    /// Claims made on this page, with their offer ids (a few at most: a list is enough).
    pub claims: Vec<(String, Claim)>,
    /// The member token has expired: the store's page is told, the member asked to reload.
    pub token_expired: bool,
}

/// What can happen to the offers panel.
#[derive(Debug, Clone, PartialEq)]
pub enum OffersAction {
    /// Repeat the failed load.
    Retry,
    /// The page for load `generation` arrived when the device's clock read `device_now`.
    Loaded {
        /// The load answered.
        generation: u32,
        /// The page.
        page: OffersPage,
        /// `Date.now()` when it arrived.
        device_now: u64,
    },
    /// Load `generation` failed.
    Failed {
        /// The load that failed.
        generation: u32,
    },
    /// The member pressed "Claim" on this offer.
    Claim(String),
    /// The claim of `offer` was queued as result `id`; `offline` when the browser says so.
    Queued {
        /// The offer.
        offer: String,
        /// The result id.
        id: String,
        /// Whether the browser is offline.
        offline: bool,
    },
    /// The claim of `offer` could not be queued.
    SaveFailed {
        /// The offer.
        offer: String,
        /// Why.
        error: EnqueueError,
    },
    /// No answer for result `id` yet: say it is saved.
    AnswerSlow {
        /// The offer.
        offer: String,
        /// The result id.
        id: String,
    },
    /// The endpoint's answer for result `id`.
    Settled {
        /// The offer.
        offer: String,
        /// The result id.
        id: String,
        /// What the endpoint said.
        settlement: Settlement,
    },
}

impl OffersState {
    /// The offer card `id` of the loaded page.
    fn offer(&self, id: &str) -> Option<&OfferCard> {
        self.page.as_ref()?.offers.iter().find(|o| o.id == id)
    }

    /// How `offer`'s claim stands: this page's claim, else what the page says.
    pub fn claim_of(&self, offer: &OfferCard) -> Claim {
        if let Some(claim) = self.claim(&offer.id) {
            return claim.clone();
        }
        match &offer.claimed_code {
            Some(code) => Claim::Claimed {
                code: code.clone(),
                fresh: false,
            },
            None if offer.sold_out => Claim::SoldOut,
            None => Claim::Open,
        }
    }

    /// Whether the store has anything to show this shopper; the panel hides itself when not.
    pub fn has_content(&self) -> bool {
        self.page.as_ref().is_some_and(|p| {
            !p.offers.is_empty() || !p.locked.is_empty() || p.join.is_some() || p.drop.is_some()
        })
    }

    /// Whether the shopper is a verified member.
    pub fn is_member(&self) -> bool {
        self.page.as_ref().is_some_and(|p| p.status.is_member())
    }

    /// This page's claim of `offer`, if any.
    pub fn claim(&self, offer: &str) -> Option<&Claim> {
        self.claims.iter().find(|(o, _)| o == offer).map(|(_, c)| c)
    }

    fn set_claim(&mut self, offer: &str, claim: Claim) {
        match self.claims.iter_mut().find(|(o, _)| o == offer) {
            Some(entry) => entry.1 = claim,
            None => self.claims.push((offer.to_owned(), claim)),
        }
    }

    /// The next state after `action`, or `None` when nothing changes.
    fn next(&self, action: OffersAction) -> Option<OffersState> {
        let mut next = self.clone();
        match action {
            OffersAction::Retry => {
                if self.load != Load::Failed {
                    return None;
                }
                next.generation += 1;
                next.load = Load::Loading;
            }
            OffersAction::Loaded {
                generation,
                page,
                device_now,
            } => {
                if generation != self.generation {
                    return None;
                }
                next.clock_offset = i64::try_from(page.now)
                    .unwrap_or(i64::MAX)
                    .saturating_sub(i64::try_from(device_now).unwrap_or(i64::MAX));
                next.token_expired |= page.status == MemberStatus::Expired;
                next.page = Some(Rc::new(page));
                next.load = Load::Ready;
            }
            OffersAction::Failed { generation } => {
                if generation != self.generation {
                    return None;
                }
                next.load = Load::Failed;
            }
            OffersAction::Claim(offer) => {
                let card = self.offer(&offer)?;
                if !self.is_member() || !self.claim_of(card).claimable() {
                    return None;
                }
                next.set_claim(&offer, Claim::Saving);
            }
            OffersAction::Queued { offer, id, offline } => {
                if self.claim(&offer) != Some(&Claim::Saving) {
                    return None;
                }
                let claim = if offline {
                    Claim::SavedOffline { id }
                } else {
                    Claim::Sending { id }
                };
                next.set_claim(&offer, claim);
            }
            OffersAction::SaveFailed { offer, error } => {
                if self.claim(&offer) != Some(&Claim::Saving) {
                    return None;
                }
                next.set_claim(&offer, Claim::SaveFailed(error));
            }
            OffersAction::AnswerSlow { offer, id } => match self.claim(&offer) {
                Some(Claim::Sending { id: waiting }) if *waiting == id => {
                    next.set_claim(&offer, Claim::SavedOffline { id });
                }
                _ => return None,
            },
            OffersAction::Settled {
                offer,
                id,
                settlement,
            } => {
                let waiting = self.claim(&offer).and_then(Claim::result_id);
                if waiting != Some(id.as_str()) {
                    return None;
                }
                let claim = settled(settlement);
                if claim == Claim::Refused(Some(ClaimRefusal::TokenExpired)) {
                    next.token_expired = true;
                }
                next.set_claim(&offer, claim);
            }
        }
        Some(next)
    }
}

/// The server's clock when the device's reads `device_now`, given the offset measured when
/// the page arrived.
pub fn server_time(device_now: u64, clock_offset: i64) -> u64 {
    let device = i64::try_from(device_now).unwrap_or(i64::MAX);
    u64::try_from(device.saturating_add(clock_offset)).unwrap_or(0)
}

/// What the endpoint's answer means for the card.
fn settled(settlement: Settlement) -> Claim {
    match settlement.status {
        AckStatus::Accepted | AckStatus::Duplicate => match settlement.reward {
            Some(reward) if !reward.code.trim().is_empty() => Claim::Claimed {
                code: reward.code,
                fresh: true,
            },
            _ => Claim::Received,
        },
        AckStatus::Rejected => Claim::Refused(
            settlement
                .reason
                .as_deref()
                .and_then(ClaimRefusal::from_code),
        ),
    }
}

impl Reducible for OffersState {
    type Action = OffersAction;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        // Returning the same Rc tells Yew nothing changed, so nothing re-renders.
        match self.next(action) {
            Some(next) => Rc::new(next),
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_core::issued_code::IssuedCode;
    use encore_core::offers::{DropView, JoinLink, LockedOffer};

    const NOW: u64 = 1_780_000_000_000;

    fn card(id: &str) -> OfferCard {
        OfferCard {
            id: id.into(),
            title: format!("Offer {id}"),
            description: "Details".into(),
            ends_at: Some(NOW + 86_400_000),
            claimed_code: None,
            sold_out: false,
        }
    }

    fn member_page(offers: Vec<OfferCard>) -> OffersPage {
        OffersPage {
            status: MemberStatus::Member {
                tier: Some("gold".into()),
                tier_name: Some("Gold".into()),
            },
            offers,
            locked: vec![],
            join: None,
            drop: None,
            now: NOW,
        }
    }

    fn reduce(state: OffersState, actions: Vec<OffersAction>) -> OffersState {
        let mut state = Rc::new(state);
        for action in actions {
            state = state.reduce(action);
        }
        (*state).clone()
    }

    fn loaded(page: OffersPage, device_now: u64) -> OffersState {
        reduce(
            OffersState::default(),
            vec![OffersAction::Loaded {
                generation: 0,
                page,
                device_now,
            }],
        )
    }

    fn settlement(status: AckStatus, reason: Option<&str>, code: Option<&str>) -> Settlement {
        Settlement {
            status,
            reason: reason.map(Into::into),
            reward: code.map(|c| IssuedCode {
                code: c.into(),
                description: None,
            }),
        }
    }

    fn claimed(state: OffersState, offer: &str, offline: bool) -> OffersState {
        reduce(
            state,
            vec![
                OffersAction::Claim(offer.into()),
                OffersAction::Queued {
                    offer: offer.into(),
                    id: "r1".into(),
                    offline,
                },
            ],
        )
    }

    #[test]
    fn the_server_clock_is_kept_as_an_offset_from_the_device() {
        // The device is five minutes slow.
        let state = loaded(member_page(vec![]), NOW - 300_000);
        assert_eq!(state.load, Load::Ready);
        assert_eq!(state.clock_offset, 300_000);
        assert_eq!(server_time(NOW - 299_000, state.clock_offset), NOW + 1_000);
        assert_eq!(server_time(5, -10), 0, "never before the epoch");
    }

    #[test]
    fn answers_to_an_old_load_are_ignored_and_retry_only_follows_a_failure() {
        let state = Rc::new(OffersState::default());
        let same = state.clone().reduce(OffersAction::Retry);
        assert!(Rc::ptr_eq(&state, &same), "nothing to retry while loading");
        let failed = reduce(
            OffersState::default(),
            vec![
                OffersAction::Failed { generation: 0 },
                OffersAction::Retry,
                OffersAction::Loaded {
                    generation: 0,
                    page: member_page(vec![]),
                    device_now: NOW,
                },
            ],
        );
        assert_eq!(failed.generation, 1);
        assert_eq!(failed.load, Load::Loading, "the stale answer is dropped");
    }

    #[test]
    fn a_claim_goes_from_saving_to_its_code() {
        let state = claimed(loaded(member_page(vec![card("a")]), NOW), "a", false);
        assert_eq!(
            state.claim("a").cloned().unwrap_or(Claim::Open),
            Claim::Sending { id: "r1".into() }
        );
        assert!(state.claim("a").cloned().unwrap_or(Claim::Open).pending());
        let done = reduce(
            state,
            vec![OffersAction::Settled {
                offer: "a".into(),
                id: "r1".into(),
                settlement: settlement(AckStatus::Duplicate, None, Some("GOLD-20")),
            }],
        );
        assert_eq!(
            done.claim("a").cloned().unwrap_or(Claim::Open),
            Claim::Claimed {
                code: "GOLD-20".into(),
                fresh: true
            }
        );
    }

    #[test]
    fn a_slow_or_offline_claim_is_saved_and_still_gets_its_code() {
        let state = loaded(member_page(vec![card("a")]), NOW);
        let offline = claimed(state.clone(), "a", true);
        assert_eq!(
            offline.claim("a").cloned().unwrap_or(Claim::Open),
            Claim::SavedOffline { id: "r1".into() }
        );
        let slow = reduce(
            claimed(state, "a", false),
            vec![OffersAction::AnswerSlow {
                offer: "a".into(),
                id: "r1".into(),
            }],
        );
        assert_eq!(slow, offline);
        let done = reduce(
            slow,
            vec![OffersAction::Settled {
                offer: "a".into(),
                id: "r1".into(),
                settlement: settlement(AckStatus::Accepted, None, Some("X")),
            }],
        );
        assert!(matches!(
            done.claim("a").cloned().unwrap_or(Claim::Open),
            Claim::Claimed { .. }
        ));
    }

    #[test]
    fn refusals_are_read_and_an_expired_token_is_flagged() {
        let state = claimed(loaded(member_page(vec![card("a")]), NOW), "a", false);
        let refuse = |reason: &str| {
            reduce(
                state.clone(),
                vec![OffersAction::Settled {
                    offer: "a".into(),
                    id: "r1".into(),
                    settlement: settlement(AckStatus::Rejected, Some(reason), None),
                }],
            )
        };
        let sold = refuse("sold_out");
        assert_eq!(
            sold.claim("a").cloned().unwrap_or(Claim::Open),
            Claim::Refused(Some(ClaimRefusal::SoldOut))
        );
        assert!(!sold.claim("a").cloned().unwrap_or(Claim::Open).claimable());
        assert!(!sold.token_expired);
        let odd = refuse("HTTP 400");
        assert_eq!(
            odd.claim("a").cloned().unwrap_or(Claim::Open),
            Claim::Refused(None)
        );
        assert!(
            odd.claim("a").cloned().unwrap_or(Claim::Open).claimable(),
            "an unknown refusal may be retried"
        );
        assert!(refuse("token_expired").token_expired);
    }

    #[test]
    fn claims_follow_only_their_own_result_and_are_not_doubled() {
        let state = claimed(loaded(member_page(vec![card("a")]), NOW), "a", false);
        let other = Rc::new(state.clone()).reduce(OffersAction::Settled {
            offer: "a".into(),
            id: "someone-else".into(),
            settlement: settlement(AckStatus::Accepted, None, Some("X")),
        });
        assert_eq!(*other, state);
        let again = Rc::new(state.clone()).reduce(OffersAction::Claim("a".into()));
        assert_eq!(*again, state, "a pending claim is not claimed twice");
    }

    #[test]
    fn the_page_decides_sold_out_claimed_and_unclaimable() {
        let mut sold = card("s");
        sold.sold_out = true;
        let mut had = card("h");
        had.claimed_code = Some("OLD-1".into());
        let state = loaded(member_page(vec![sold.clone(), had.clone()]), NOW);
        assert_eq!(state.claim_of(&sold), Claim::SoldOut);
        assert_eq!(
            state.claim_of(&had),
            Claim::Claimed {
                code: "OLD-1".into(),
                fresh: false
            }
        );
        for id in ["s", "h", "missing"] {
            let next = Rc::new(state.clone()).reduce(OffersAction::Claim(id.into()));
            assert_eq!(*next, state, "{id}");
        }
        let mut guest = member_page(vec![card("a")]);
        guest.status = MemberStatus::Guest;
        let guest = loaded(guest, NOW);
        let next = Rc::new(guest.clone()).reduce(OffersAction::Claim("a".into()));
        assert_eq!(*next, guest, "only members claim");
    }

    #[test]
    fn an_expired_sign_in_is_flagged_and_an_empty_store_hides_the_panel() {
        let mut page = member_page(vec![]);
        page.status = MemberStatus::Expired;
        let state = loaded(page.clone(), NOW);
        assert!(state.token_expired);
        assert!(!state.has_content());
        assert!(!OffersState::default().has_content());
        let with = |edit: &dyn Fn(&mut OffersPage)| {
            let mut p = page.clone();
            edit(&mut p);
            loaded(p, NOW).has_content()
        };
        assert!(with(&|p| p.offers.push(card("a"))));
        assert!(with(&|p| p.locked.push(LockedOffer {
            id: "l".into(),
            title: "t".into(),
            audience: None,
        })));
        assert!(with(&|p| p.join = Some(JoinLink {
            url: "/join".into(),
            label: "Join".into(),
        })));
        assert!(with(&|p| p.drop = Some(DropView {
            title: "Drop".into(),
            access_at: NOW,
            public_at: NOW,
            ends_at: NOW + 1,
            early: false,
        })));
    }
}
