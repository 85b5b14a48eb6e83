//! What the endpoint said about the results this page emitted, for the components waiting
//! on them (a review form showing "Thank you" and the reward).
//!
//! A small page-wide registry: a component subscribes with a result's id and is called once
//! when the sender learns that result's fate; dropping the [`Subscription`] unsubscribes. The
//! last few settlements are remembered, so a late subscriber still hears of an early answer.

use encore_core::events::{AckStatus, BatchReply};
use encore_core::issued_code::IssuedCode;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// Most components waiting at once; beyond this the oldest subscription is dropped.
const MAX_LISTENERS: usize = 64;
/// Settlements remembered for late subscribers.
const MAX_RECENT: usize = 32;

/// The endpoint's final word on one result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    /// Accepted, duplicate or rejected.
    pub status: AckStatus,
    /// Why it was rejected (`not_accepted`, `already_reviewed`, `HTTP 400`...).
    pub reason: Option<String>,
    /// What accepting it earned the shopper.
    pub reward: Option<IssuedCode>,
}

/// The settlement of each id of `settled`, from the endpoint's `body` where it names the id,
/// from `refused` (an HTTP refusal of the whole batch), or else accepted (a bare 2xx).
pub fn settlements(
    settled: &[String],
    refused: &[(String, String)],
    body: Option<&str>,
) -> Vec<(String, Settlement)> {
    let reply: Option<BatchReply> = body.and_then(|b| serde_json::from_str(b).ok());
    settled
        .iter()
        .map(|id| {
            let ack = reply
                .as_ref()
                .and_then(|r| r.results.iter().find(|a| &a.id == id));
            let settlement = match ack {
                Some(ack) => Settlement {
                    status: ack.status,
                    reason: ack.reason.clone(),
                    reward: ack.reward.clone(),
                },
                None => match refused.iter().find(|(r, _)| r == id) {
                    Some((_, reason)) => Settlement {
                        status: AckStatus::Rejected,
                        reason: Some(reason.clone()),
                        reward: None,
                    },
                    None => Settlement {
                        status: AckStatus::Accepted,
                        reason: None,
                        reward: None,
                    },
                },
            };
            (id.clone(), settlement)
        })
        .collect()
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

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn answers_come_from_the_reply_then_the_refusal_then_a_bare_success() {
        let body = r#"{"results":[{"id":"a","status":"duplicate","reward":{"code":"THANKS10"}},
            {"id":"b","status":"rejected","reason":"already_reviewed"}]}"#;
        let out = settlements(
            &ids(&["a", "b", "c"]),
            &[("c".into(), "HTTP 400".into())],
            Some(body),
        );
        assert_eq!(out[0].1.status, AckStatus::Duplicate);
        assert_eq!(
            out[0].1.reward.as_ref().map(|r| r.code.as_str()),
            Some("THANKS10")
        );
        assert_eq!(out[1].1.reason.as_deref(), Some("already_reviewed"));
        assert_eq!(out[2].1.status, AckStatus::Rejected);
        assert_eq!(out[2].1.reason.as_deref(), Some("HTTP 400"));
        let bare = settlements(&ids(&["d"]), &[], None);
        assert_eq!(bare[0].1.status, AckStatus::Accepted);
    }

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
