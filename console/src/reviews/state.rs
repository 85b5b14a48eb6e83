//! The moderation queue as a pure reducer: the page shown, which review has the keyboard's
//! focus, which are selected, the open dialog, and what the live region last said.

use encore_core::admin::queue::{
    BulkAction, QueueFilter, QueueItem, QueuePage, ReviewStatus, TabCounts,
};
use std::rc::Rc;
use yew::Reducible;

/// A dialog over the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    /// Reject one review, asking for an optional reason.
    Reject {
        /// The review.
        id: String,
        /// The reason typed so far.
        reason: String,
    },
    /// Confirm a bulk action on these reviews.
    Bulk {
        /// Approve or reject.
        action: BulkAction,
        /// The reviews.
        ids: Vec<String>,
        /// For a rejection, the reason typed so far.
        reason: String,
    },
}

/// What the live region says after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announcement {
    /// One review approved.
    Approved,
    /// One review rejected.
    Rejected,
    /// Many approved.
    BulkApproved(u32),
    /// Many rejected.
    BulkRejected(u32),
    /// A reply saved or removed.
    ReplySaved,
    /// A photo hidden.
    PhotoHidden,
    /// A photo restored.
    PhotoRestored,
    /// A change failed, with words for why.
    Failed(String),
}

/// The queue page's state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Queue {
    /// The filter shown (from the address).
    pub filter: QueueFilter,
    /// The page, once loaded.
    pub page: Option<QueuePage>,
    /// A load is on its way.
    pub loading: bool,
    /// The last load failed.
    pub failed: bool,
    /// The review with the keyboard's focus (index in the page).
    pub focus: usize,
    /// Bumped each time focus should move to the focused review (keyboard moves, a removal).
    pub focus_moves: u32,
    /// Selected reviews' ids.
    pub selected: Vec<String>,
    /// The open dialog.
    pub dialog: Option<Dialog>,
    /// What the live region says, and a counter so the same words are said again.
    pub announcement: Option<(u32, Announcement)>,
    /// Bumped to load the page again (after a bulk change).
    pub reloads: u32,
}

/// What happens to the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueAction {
    /// Start loading under `filter`; the selection goes (it named reviews of another page).
    Load(QueueFilter),
    /// A page arrived (dropped if it is for a filter no longer shown).
    Loaded(QueueFilter, QueuePage),
    /// The load failed.
    LoadFailed,
    /// Move the keyboard's focus by this many reviews, within the page.
    Move(i32),
    /// A review got focus (a click, Tab): the roving focus follows without moving it again.
    Focused(usize),
    /// Select or unselect one review.
    Toggle(String),
    /// Select every review on the page, or none.
    SelectAll(bool),
    /// Ask for a rejection's reason.
    AskReject(String),
    /// Ask to confirm a bulk action on the selection.
    AskBulk(BulkAction),
    /// The dialog's reason changed.
    Reason(String),
    /// Close the dialog without doing anything.
    CloseDialog,
    /// The server changed a review: show its new state, or take it off a tab it left.
    Changed(QueueItem, Announcement),
    /// A bulk change went through: say so and load again.
    BulkDone(BulkAction, u32),
    /// A change failed.
    Failed(String),
    /// Load the page again (after a failed load).
    Reload,
}

impl Queue {
    /// A queue about to load `filter`.
    pub fn new(filter: QueueFilter) -> Queue {
        Queue {
            filter,
            loading: true,
            ..Queue::default()
        }
    }

    /// The reviews shown.
    pub fn reviews(&self) -> &[QueueItem] {
        self.page.as_ref().map_or(&[], |p| p.reviews.as_slice())
    }

    /// The focused review.
    pub fn focused(&self) -> Option<&QueueItem> {
        self.reviews().get(self.focus)
    }

    /// Whether every review on the page is selected (and there is one).
    pub fn all_selected(&self) -> bool {
        !self.reviews().is_empty() && self.reviews().iter().all(|r| self.selected.contains(&r.id))
    }

    fn announce(&mut self, announcement: Announcement) {
        let n = self.announcement.as_ref().map_or(0, |(n, _)| n + 1);
        self.announcement = Some((n, announcement));
    }
}

/// `counts` after a review moved from tab `from` to tab `to`.
pub fn moved(mut counts: TabCounts, from: ReviewStatus, to: ReviewStatus) -> TabCounts {
    if from == to {
        return counts;
    }
    let get = |c: &TabCounts, s: ReviewStatus| match s {
        ReviewStatus::Pending => c.pending,
        ReviewStatus::Published => c.published,
        ReviewStatus::Rejected => c.rejected,
    };
    let set = |c: &mut TabCounts, s: ReviewStatus, v: u64| match s {
        ReviewStatus::Pending => c.pending = v,
        ReviewStatus::Published => c.published = v,
        ReviewStatus::Rejected => c.rejected = v,
    };
    let f = get(&counts, from).saturating_sub(1);
    set(&mut counts, from, f);
    let t = get(&counts, to) + 1;
    set(&mut counts, to, t);
    counts
}

impl Reducible for Queue {
    type Action = QueueAction;

    fn reduce(self: Rc<Self>, action: QueueAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            QueueAction::Load(filter) => {
                if filter != next.filter {
                    next.page = None;
                    next.focus = 0;
                }
                next.filter = filter;
                next.loading = true;
                next.failed = false;
                next.selected.clear();
                next.dialog = None;
            }
            QueueAction::Loaded(filter, page) => {
                if filter != next.filter {
                    return self;
                }
                next.focus = next.focus.min(page.reviews.len().saturating_sub(1));
                next.selected
                    .retain(|id| page.reviews.iter().any(|r| r.id == *id));
                next.page = Some(page);
                next.loading = false;
                next.failed = false;
            }
            QueueAction::LoadFailed => {
                next.loading = false;
                next.failed = true;
            }
            QueueAction::Move(by) => {
                let len = next.reviews().len();
                if len == 0 {
                    return self;
                }
                let target = (next.focus as i64 + i64::from(by)).clamp(0, len as i64 - 1) as usize;
                next.focus = target;
                next.focus_moves += 1;
            }
            QueueAction::Focused(index) => {
                if index == next.focus || index >= next.reviews().len() {
                    return self;
                }
                next.focus = index;
            }
            QueueAction::Toggle(id) => {
                if let Some(at) = next.selected.iter().position(|s| *s == id) {
                    next.selected.remove(at);
                } else if next.reviews().iter().any(|r| r.id == id) {
                    next.selected.push(id);
                }
            }
            QueueAction::SelectAll(all) => {
                next.selected = if all {
                    next.reviews().iter().map(|r| r.id.clone()).collect()
                } else {
                    Vec::new()
                };
            }
            QueueAction::AskReject(id) => {
                next.dialog = Some(Dialog::Reject {
                    id,
                    reason: String::new(),
                });
            }
            QueueAction::AskBulk(action) => {
                if next.selected.is_empty() {
                    return self;
                }
                next.dialog = Some(Dialog::Bulk {
                    action,
                    ids: next.selected.clone(),
                    reason: String::new(),
                });
            }
            QueueAction::Reason(text) => match &mut next.dialog {
                Some(Dialog::Reject { reason, .. } | Dialog::Bulk { reason, .. }) => *reason = text,
                None => return self,
            },
            QueueAction::CloseDialog => {
                if next.dialog.take().is_none() {
                    return self;
                }
                // Back to the review the keyboard was on, as a dialog's end should.
                next.focus_moves += 1;
            }
            QueueAction::Changed(item, announcement) => {
                let tab = next.filter.status;
                if let Some(page) = &mut next.page {
                    if let Some(at) = page.reviews.iter().position(|r| r.id == item.id) {
                        let from = page.reviews[at].status;
                        page.counts = moved(page.counts, from, item.status);
                        if item.status == tab {
                            page.reviews[at] = item;
                        } else {
                            // It left this tab: the next review takes its place and the focus.
                            let id = page.reviews.remove(at).id;
                            next.selected.retain(|s| *s != id);
                            let len = page.reviews.len();
                            next.focus = next.focus.min(len.saturating_sub(1));
                            next.focus_moves += 1;
                        }
                    }
                }
                next.announce(announcement);
            }
            QueueAction::BulkDone(action, changed) => {
                next.dialog = None;
                next.selected.clear();
                next.reloads += 1;
                next.announce(match action {
                    BulkAction::Approve => Announcement::BulkApproved(changed),
                    BulkAction::Reject => Announcement::BulkRejected(changed),
                });
            }
            QueueAction::Failed(why) => next.announce(Announcement::Failed(why)),
            QueueAction::Reload => next.reloads += 1,
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_core::admin::queue::Verification;
    use encore_core::reviews::ProductInfo;

    /// A pending review `id`.
    pub fn item(id: &str) -> QueueItem {
        QueueItem {
            id: id.into(),
            status: ReviewStatus::Pending,
            product: ProductInfo {
                id: "tea".into(),
                name: Some("Green tea".into()),
            },
            rating: 4,
            title: format!("Review {id}"),
            body: "Fresh.".into(),
            name: "Mei".into(),
            locale: "en".into(),
            answers: vec![],
            verified: false,
            order_id: None,
            verification: Verification::NoOrder,
            signals: vec![],
            incentivized: false,
            photos: vec![],
            reply: None,
            reject_reason: None,
            created_at: 1_768_046_400_000,
        }
    }

    fn loaded(ids: &[&str]) -> Rc<Queue> {
        let page = QueuePage {
            counts: TabCounts {
                pending: ids.len() as u64,
                published: 7,
                rejected: 1,
            },
            reviews: ids.iter().map(|i| item(i)).collect(),
            page: 0,
            has_more: false,
        };
        Rc::new(Queue::new(QueueFilter::default()))
            .reduce(QueueAction::Loaded(QueueFilter::default(), page))
    }

    #[test]
    fn the_keyboard_moves_within_the_page() {
        let mut q = loaded(&["a", "b", "c"]);
        q = q.reduce(QueueAction::Move(1));
        q = q.reduce(QueueAction::Move(1));
        q = q.reduce(QueueAction::Move(1));
        assert_eq!((q.focus, q.focus_moves), (2, 3));
        q = q.reduce(QueueAction::Move(-5));
        assert_eq!(q.focus, 0);
        let empty = loaded(&[]);
        assert!(Rc::ptr_eq(
            &empty.clone().reduce(QueueAction::Move(1)),
            &empty
        ));
    }

    #[test]
    fn an_approved_review_leaves_the_pending_tab_and_counts_follow() {
        let mut q = loaded(&["a", "b", "c"]);
        q = q.reduce(QueueAction::Move(2));
        q = q.reduce(QueueAction::Toggle("c".into()));
        let mut approved = item("c");
        approved.status = ReviewStatus::Published;
        q = q.reduce(QueueAction::Changed(approved, Announcement::Approved));
        let page = q.page.as_ref().expect("a page");
        assert_eq!(page.reviews.len(), 2);
        assert_eq!((page.counts.pending, page.counts.published), (2, 8));
        assert_eq!(q.focus, 1, "focus stays on the list");
        assert!(q.selected.is_empty());
        assert_eq!(q.announcement, Some((0, Announcement::Approved)));
        // A change on the same tab (a reply) replaces the review in place.
        let mut replied = item("a");
        replied.body = "Changed".into();
        q = q.reduce(QueueAction::Changed(
            replied.clone(),
            Announcement::ReplySaved,
        ));
        assert_eq!(q.reviews()[0], replied);
        assert_eq!(q.announcement, Some((1, Announcement::ReplySaved)));
    }

    #[test]
    fn bulk_confirmation_names_the_selection() {
        let mut q = loaded(&["a", "b", "c"]);
        assert!(Rc::ptr_eq(
            &q.clone().reduce(QueueAction::AskBulk(BulkAction::Approve)),
            &q
        ));
        q = q.reduce(QueueAction::SelectAll(true));
        assert!(q.all_selected());
        q = q.reduce(QueueAction::Toggle("b".into()));
        assert!(!q.all_selected());
        q = q.reduce(QueueAction::AskBulk(BulkAction::Reject));
        assert_eq!(
            q.dialog,
            Some(Dialog::Bulk {
                action: BulkAction::Reject,
                ids: vec!["a".into(), "c".into()],
                reason: String::new()
            })
        );
        q = q.reduce(QueueAction::Reason("spam".into()));
        q = q.reduce(QueueAction::BulkDone(BulkAction::Reject, 2));
        assert_eq!(
            (q.dialog.clone(), q.selected.len(), q.reloads),
            (None, 0, 1)
        );
        assert_eq!(q.announcement, Some((0, Announcement::BulkRejected(2))));
        // Toggling an id that is not on the page selects nothing.
        q = q.reduce(QueueAction::Toggle("zzz".into()));
        assert!(q.selected.is_empty());
    }

    #[test]
    fn a_stale_page_is_dropped_and_a_new_filter_clears_the_selection() {
        let mut q = loaded(&["a"]);
        q = q.reduce(QueueAction::SelectAll(true));
        let rejected = QueueFilter::default().on_tab(ReviewStatus::Rejected);
        q = q.reduce(QueueAction::Load(rejected.clone()));
        assert!(q.selected.is_empty() && q.loading && q.page.is_none());
        let stale = QueuePage {
            counts: TabCounts::default(),
            reviews: vec![item("x")],
            page: 0,
            has_more: false,
        };
        let same = q
            .clone()
            .reduce(QueueAction::Loaded(QueueFilter::default(), stale.clone()));
        assert!(Rc::ptr_eq(&same, &q));
        q = q.reduce(QueueAction::Loaded(rejected, stale));
        assert_eq!(q.reviews().len(), 1);
        assert!(!q.loading);
    }

    #[test]
    fn counts_move_between_tabs() {
        let counts = TabCounts {
            pending: 1,
            published: 0,
            rejected: 0,
        };
        assert_eq!(
            moved(counts, ReviewStatus::Pending, ReviewStatus::Rejected),
            TabCounts {
                pending: 0,
                published: 0,
                rejected: 1
            }
        );
        assert_eq!(
            moved(counts, ReviewStatus::Pending, ReviewStatus::Pending),
            counts
        );
    }
}
