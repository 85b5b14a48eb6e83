//! The review request's progress through an order's items, as a pure reducer: which item is
//! being reviewed, which are saved in this browser, reviewed, or refused.

use super::api::ReviewedHere;
use super::state::Refusal;
use crate::transport::acks::Settlement;
use encore_core::events::AckStatus;
use encore_core::issued_code::IssuedCode;
use encore_core::reviews::RequestItem;
use std::rc::Rc;
use yew::Reducible;

/// Where one item of the order stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemStatus {
    /// Not reviewed yet.
    ToReview,
    /// Reviewed in this browser as result `id`; the endpoint has not answered yet.
    Saved {
        /// The result id.
        id: String,
    },
    /// The endpoint has the review.
    Reviewed {
        /// Its reward, if any.
        reward: Option<IssuedCode>,
    },
    /// The endpoint refused the review.
    Refused(Refusal),
}

/// The order's items and which one is being reviewed.
#[derive(Debug, Clone, PartialEq)]
pub struct Steps {
    /// Each item's status, in the order's order.
    pub items: Vec<ItemStatus>,
    /// The item being reviewed; `None` when every item is done.
    pub current: Option<usize>,
}

/// What moves the review request along.
#[derive(Debug, Clone, PartialEq)]
pub enum StepAction {
    /// Item `index` was queued as result `id`.
    Queued {
        /// The item.
        index: usize,
        /// The result id.
        id: String,
    },
    /// The endpoint answered for result `id`.
    Settled {
        /// The result id.
        id: String,
        /// The answer.
        settlement: Settlement,
    },
}

impl Steps {
    /// Statuses from the endpoint's items and what this browser remembers (product → id).
    pub fn new(items: &[RequestItem], here: &ReviewedHere) -> Self {
        let items: Vec<ItemStatus> = items
            .iter()
            .map(|item| {
                if item.done {
                    ItemStatus::Reviewed {
                        reward: item.reward.clone(),
                    }
                } else if let Some(id) = here.get(&item.product) {
                    ItemStatus::Saved { id: id.clone() }
                } else {
                    ItemStatus::ToReview
                }
            })
            .collect();
        let current = next_to_review(&items, 0);
        Steps { items, current }
    }

    /// Result ids still waiting for an answer.
    pub fn waiting_ids(&self) -> Vec<String> {
        self.items
            .iter()
            .filter_map(|s| match s {
                ItemStatus::Saved { id } => Some(id.clone()),
                _ => None,
            })
            .collect()
    }

    /// The state after `action`.
    pub fn apply(&self, action: StepAction) -> Steps {
        let mut next = self.clone();
        match action {
            StepAction::Queued { index, id } => {
                if let Some(slot) = next.items.get_mut(index) {
                    *slot = ItemStatus::Saved { id };
                    next.current = next_to_review(&next.items, index + 1);
                }
            }
            StepAction::Settled { id, settlement } => {
                for slot in &mut next.items {
                    if matches!(slot, ItemStatus::Saved { id: i } if *i == id) {
                        *slot = match settlement.status {
                            AckStatus::Accepted | AckStatus::Duplicate => ItemStatus::Reviewed {
                                reward: settlement.reward.clone(),
                            },
                            AckStatus::Rejected => {
                                ItemStatus::Refused(match settlement.reason.as_deref() {
                                    Some("already_reviewed") => Refusal::AlreadyReviewed,
                                    Some("not_accepted") => Refusal::NotAccepted,
                                    _ => Refusal::Other,
                                })
                            }
                        };
                    }
                }
            }
        }
        next
    }
}

/// The first item to review at or after `from`, wrapping around.
fn next_to_review(items: &[ItemStatus], from: usize) -> Option<usize> {
    let n = items.len();
    (0..n)
        .map(|i| (from + i) % n)
        .find(|i| items[*i] == ItemStatus::ToReview)
}

impl Reducible for Steps {
    type Action = StepAction;

    fn reduce(self: Rc<Self>, action: StepAction) -> Rc<Self> {
        let next = self.apply(action);
        if next == *self { self } else { Rc::new(next) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(product: &str, done: bool) -> RequestItem {
        RequestItem {
            product: product.into(),
            name: product.into(),
            done,
            reward: None,
        }
    }

    #[test]
    fn items_are_reviewed_in_turn_skipping_done_and_saved_ones() {
        let mut here = ReviewedHere::default();
        here.insert("b".to_owned(), "rb".to_owned());
        let steps = Steps::new(
            &[item("a", true), item("b", false), item("c", false)],
            &here,
        );
        assert_eq!(steps.current, Some(2));
        assert_eq!(steps.waiting_ids(), vec!["rb".to_owned()]);
        let steps = steps.apply(StepAction::Queued {
            index: 2,
            id: "rc".into(),
        });
        assert_eq!(steps.current, None, "all done");
    }

    #[test]
    fn answers_turn_saved_items_into_reviewed_or_refused() {
        let steps = Steps::new(
            &[item("a", false), item("b", false)],
            &ReviewedHere::default(),
        );
        assert_eq!(steps.current, Some(0));
        let steps = steps.apply(StepAction::Queued {
            index: 0,
            id: "ra".into(),
        });
        assert_eq!(steps.current, Some(1));
        let reward = IssuedCode {
            code: "C".into(),
            description: None,
        };
        let steps = steps.apply(StepAction::Settled {
            id: "ra".into(),
            settlement: Settlement {
                status: AckStatus::Accepted,
                reason: None,
                reward: Some(reward.clone()),
            },
        });
        assert_eq!(
            steps.items[0],
            ItemStatus::Reviewed {
                reward: Some(reward)
            }
        );
        let steps = steps
            .apply(StepAction::Queued {
                index: 1,
                id: "rb".into(),
            })
            .apply(StepAction::Settled {
                id: "rb".into(),
                settlement: Settlement {
                    status: AckStatus::Rejected,
                    reason: Some("already_reviewed".into()),
                    reward: None,
                },
            });
        assert_eq!(
            steps.items[1],
            ItemStatus::Refused(Refusal::AlreadyReviewed)
        );
    }
}
