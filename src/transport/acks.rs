//! What the endpoint said about the results this page emitted, for the components waiting
//! on them (a review form showing "Thank you" and the reward).
//!
//! A small page-wide registry: a component subscribes with a result's id and is called once
//! when the sender learns that result's fate; dropping the [`Subscription`] unsubscribes. The
//! last few settlements are remembered, so a late subscriber still hears of an early answer.

use encore_core::events::{AckStatus, EventAck};
use encore_core::issued_code::IssuedCode;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// Most components waiting at once; beyond this the oldest subscription is dropped.
const MAX_LISTENERS: usize = 64;
/// Settlements remembered for late subscribers.
const MAX_RECENT: usize = 32;

/// The endpoint's final word on one result (read from its reply by
/// [`encore_core::delivery::after_answer`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    /// Accepted, duplicate or rejected.
    pub status: AckStatus,
    /// Why it was rejected (`not_accepted`, `already_reviewed`, `HTTP 400`...).
    pub reason: Option<String>,
    /// What accepting it earned the shopper.
    pub reward: Option<IssuedCode>,
}

impl From<EventAck> for Settlement {
    fn from(ack: EventAck) -> Self {
        Settlement {
            status: ack.status,
            reason: ack.reason,
            reward: ack.reward,
        }
    }
}

type Listener = Rc<dyn Fn(Settlement)>;

#[derive(Default)]
struct Registry {
    next_key: u64,
    listeners: VecDeque<(u64, String, Listener)>,
    recent: VecDeque<(String, Settlement)>,
}

thread_local! {
    static REGISTRY: RefCell<Registry> = RefCell::new(Registry::default());
}

/// A component's interest in one result; dropping it unsubscribes.
#[must_use = "dropping the subscription unsubscribes at once"]
pub struct Subscription {
    key: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        REGISTRY.with(|r| r.borrow_mut().listeners.retain(|(k, _, _)| *k != self.key));
    }
}

/// Calls `callback` once with the endpoint's answer for result `id` (at once if it is
/// already known), until the returned [`Subscription`] is dropped.
pub fn on_settled(id: &str, callback: impl Fn(Settlement) + 'static) -> Subscription {
    let callback: Listener = Rc::new(callback);
    let (key, known) = REGISTRY.with(|r| {
        let mut r = r.borrow_mut();
        r.next_key += 1;
        let key = r.next_key;
        let known = r
            .recent
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, s)| s.clone());
        if known.is_none() {
            if r.listeners.len() >= MAX_LISTENERS {
                r.listeners.pop_front();
            }
            r.listeners
                .push_back((key, id.to_owned(), callback.clone()));
        }
        (key, known)
    });
    if let Some(settlement) = known {
        callback(settlement);
    }
    Subscription { key }
}

/// Tells the subscribers of result `id` what the endpoint said (called by the sender).
pub fn settle(id: &str, settlement: Settlement) {
    let waiting: Vec<Listener> = REGISTRY.with(|r| {
        let mut r = r.borrow_mut();
        if r.recent.len() >= MAX_RECENT {
            r.recent.pop_front();
        }
        r.recent.push_back((id.to_owned(), settlement.clone()));
        let mut called = Vec::new();
        r.listeners.retain(|(_, i, l)| {
            if i == id {
                called.push(l.clone());
                false
            } else {
                true
            }
        });
        called
    });
    // Called with the registry released: a listener may subscribe or drop subscriptions.
    for listener in waiting {
        listener(settlement.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn accepted() -> Settlement {
        Settlement {
            status: AckStatus::Accepted,
            reason: None,
            reward: None,
        }
    }

    #[test]
    fn subscribers_hear_once_and_late_ones_hear_the_remembered_answer() {
        let heard = Rc::new(Cell::new(0));
        let h = heard.clone();
        let sub = on_settled("r1", move |_| h.set(h.get() + 1));
        settle("r1", accepted());
        settle("r1", accepted());
        assert_eq!(heard.get(), 1);
        drop(sub);

        let h = heard.clone();
        let _late = on_settled("r1", move |_| h.set(h.get() + 10));
        assert_eq!(heard.get(), 11);
    }

    #[test]
    fn a_dropped_subscription_hears_nothing() {
        let heard = Rc::new(Cell::new(false));
        let h = heard.clone();
        drop(on_settled("r2", move |_| h.set(true)));
        settle("r2", accepted());
        assert!(!heard.get());
    }
}
