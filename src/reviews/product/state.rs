//! Everything the product reviews show, in one pure reducer: the query, the loaded pages,
//! helpful votes, the open photo and the open form. No I/O here; `mod.rs` performs the
//! [`Request`] the state asks for and reports back with actions.

use encore_core::reviews::listing::{ReviewQuery, ReviewSort};
use encore_core::reviews::summary::Summary;
use encore_core::reviews::{FormSpec, HelpfulTally, ProductInfo, Review, ReviewsPage};
use std::rc::Rc;
use yew::Reducible;

/// Most review ids remembered as voted helpful in this browser.
pub const MAX_REMEMBERED_VOTES: usize = 500;

/// A page load the state wants performed. A new `generation` means a new request; answers
/// to older generations are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    /// Increases with every request.
    pub generation: u32,
    /// What to ask for (its `offset` says which page).
    pub query: ReviewQuery,
    /// Whether the answer extends the list ("Show more") or replaces it.
    pub append: bool,
}

/// Where the current request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// Waiting for the answer.
    Loading,
    /// The answer is shown.
    Ready,
    /// The request failed; "Try again" repeats it.
    Failed,
}

/// Why a helpful vote did not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteProblem {
    /// The endpoint asked to slow down (429).
    RateLimited,
    /// Anything else: offline, server error.
    Failed,
}

/// What the product's page says besides its reviews.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductMeta {
    /// The product.
    pub product: ProductInfo,
    /// Average, count and histogram.
    pub summary: Summary,
    /// The store's review form.
    pub form: Rc<FormSpec>,
}

/// The photo shown in the lightbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoView {
    /// The review whose photos are shown.
    pub review: String,
    /// Which photo, from 0.
    pub index: usize,
}

/// The product reviews' state.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewsState {
    /// Sort and filters in use (offset 0: the list's first page).
    pub query: ReviewQuery,
    /// The latest request.
    pub request: Request,
    /// How it went.
    pub load: Load,
    /// The product, summary and form, once a page has arrived.
    pub meta: Option<ProductMeta>,
    /// The reviews listed, in order.
    pub reviews: Vec<Rc<Review>>,
    /// Offset of the next page, when there is one.
    pub next_offset: Option<u32>,
    /// The time the last page arrived (ms since the epoch), for "3 days ago".
    pub now: u64,
    /// After "Show more": the index of the first new review, to move focus to.
    pub focus: Option<(u32, usize)>,
    /// Reviews this browser voted helpful.
    pub voted: Vec<String>,
    /// The last vote that failed, and why.
    pub vote_problem: Option<(String, VoteProblem)>,
    /// The open photo, if any.
    pub photo: Option<PhotoView>,
    /// Whether the review form is open.
    pub form_open: bool,
}

/// What can happen to the product reviews.
#[derive(Debug, Clone, PartialEq)]
pub enum ReviewsAction {
    /// Order the list differently.
    Sort(ReviewSort),
    /// Show only reviews with these stars; the same star again clears the filter.
    Stars(u8),
    /// Show reviews of every rating.
    ClearStars,
    /// Turn the "with photos" filter on or off.
    TogglePhotos,
    /// Load the next page.
    ShowMore,
    /// Repeat the failed request.
    Retry,
    /// A page arrived for request `generation` at time `now`.
    Loaded {
        /// The request answered.
        generation: u32,
        /// The page.
        page: ReviewsPage,
        /// Milliseconds since the epoch.
        now: u64,
    },
    /// Request `generation` failed.
    Failed {
        /// The request that failed.
        generation: u32,
    },
    /// The shopper found review `id` helpful (counted optimistically).
    Vote(String),
    /// The endpoint's answer to a vote.
    VoteCounted {
        /// The review.
        id: String,
        /// Its tally.
        tally: HelpfulTally,
    },
    /// A vote failed: it is rolled back.
    VoteFailed {
        /// The review.
        id: String,
        /// Why.
        problem: VoteProblem,
    },
    /// Open photo `index` of review `review`.
    OpenPhoto {
        /// The review.
        review: String,
        /// The photo, from 0.
        index: usize,
    },
    /// Move to the next (`1`) or previous (`-1`) photo, wrapping around.
    StepPhoto(isize),
    /// Close the lightbox.
    ClosePhoto,
    /// Open the review form.
    OpenForm,
    /// Close the review form.
    CloseForm,
}

impl ReviewsState {
    /// The state at mount: loading the default first page; `voted` from this browser.
    pub fn new(voted: Vec<String>) -> Self {
        let query = ReviewQuery::default();
        ReviewsState {
            query,
            request: Request {
                generation: 1,
                query,
                append: false,
            },
            load: Load::Loading,
            meta: None,
            reviews: Vec::new(),
            next_offset: None,
            now: 0,
            focus: None,
            voted,
            vote_problem: None,
            photo: None,
            form_open: false,
        }
    }

    /// Whether review `id` was voted helpful in this browser.
    pub fn has_voted(&self, id: &str) -> bool {
        self.voted.iter().any(|v| v == id)
    }

    /// How many reviews the filters in use admit, from the summary (0 before it arrives).
    pub fn total(&self) -> u32 {
        let Some(meta) = &self.meta else { return 0 };
        match self.query.stars {
            Some(stars) => meta.summary.with_stars(stars),
            None => meta.summary.count,
        }
    }

    /// The review shown in the lightbox, with the photo index.
    pub fn open_photo(&self) -> Option<(Rc<Review>, usize)> {
        let view = self.photo.as_ref()?;
        let review = self.reviews.iter().find(|r| r.id == view.review)?;
        (view.index < review.photos.len()).then(|| (review.clone(), view.index))
    }

    /// The state after `action`, or `None` when nothing changes.
    pub fn next(&self, action: ReviewsAction) -> Option<ReviewsState> {
        let mut next = self.clone();
        match action {
            ReviewsAction::Sort(sort) => {
                if sort == self.query.sort {
                    return None;
                }
                next.query.sort = sort;
                next.reload();
            }
            ReviewsAction::Stars(stars) => {
                if !(1..=5).contains(&stars) {
                    return None;
                }
                next.query.stars = (self.query.stars != Some(stars)).then_some(stars);
                next.reload();
            }
            ReviewsAction::ClearStars => {
                self.query.stars?;
                next.query.stars = None;
                next.reload();
            }
            ReviewsAction::TogglePhotos => {
                next.query.photos = !self.query.photos;
                next.reload();
            }
            ReviewsAction::ShowMore => {
                let offset = self.next_offset?;
                if self.load == Load::Loading {
                    return None;
                }
                next.send(
                    ReviewQuery {
                        offset,
                        ..self.query
                    },
                    true,
                );
            }
            ReviewsAction::Retry => {
                if self.load != Load::Failed {
                    return None;
                }
                next.send(self.request.query, self.request.append);
            }
            ReviewsAction::Loaded {
                generation,
                page,
                now,
            } => {
                if generation != self.request.generation {
                    return None;
                }
                next.load = Load::Ready;
                next.now = now;
                next.next_offset = page.next_offset;
                next.meta = Some(ProductMeta {
                    product: page.product,
                    summary: page.summary,
                    form: match &self.meta {
                        Some(meta) if *meta.form == page.form => meta.form.clone(),
                        _ => Rc::new(page.form),
                    },
                });
                if self.request.append {
                    let first_new = next.reviews.len();
                    for review in page.reviews {
                        if !next.reviews.iter().any(|r| r.id == review.id) {
                            next.reviews.push(Rc::new(review));
                        }
                    }
                    next.focus =
                        (next.reviews.len() > first_new).then_some((generation, first_new));
                } else {
                    next.reviews = page.reviews.into_iter().map(Rc::new).collect();
                    next.focus = None;
                }
            }
            ReviewsAction::Failed { generation } => {
                if generation != self.request.generation {
                    return None;
                }
                next.load = Load::Failed;
            }
            ReviewsAction::Vote(id) => {
                if self.has_voted(&id) {
                    return None;
                }
                next.change_helpful(&id, |n| n.saturating_add(1));
                remember_vote(&mut next.voted, &id, MAX_REMEMBERED_VOTES);
                next.vote_problem = None;
            }
            ReviewsAction::VoteCounted { id, tally } => {
                next.change_helpful(&id, |_| tally.helpful);
            }
            ReviewsAction::VoteFailed { id, problem } => {
                if !self.has_voted(&id) {
                    return None;
                }
                next.change_helpful(&id, |n| n.saturating_sub(1));
                forget_vote(&mut next.voted, &id);
                next.vote_problem = Some((id, problem));
            }
            ReviewsAction::OpenPhoto { review, index } => {
                let found = self.reviews.iter().find(|r| r.id == review)?;
                if index >= found.photos.len() {
                    return None;
                }
                next.photo = Some(PhotoView { review, index });
            }
            ReviewsAction::StepPhoto(step) => {
                let (review, index) = self.open_photo()?;
                let count = review.photos.len();
                let moved = step_index(index, count, step);
                if moved == index {
                    return None;
                }
                next.photo = Some(PhotoView {
                    review: review.id.clone(),
                    index: moved,
                });
            }
            ReviewsAction::ClosePhoto => {
                self.photo.as_ref()?;
                next.photo = None;
            }
            ReviewsAction::OpenForm => {
                if self.form_open {
                    return None;
                }
                next.form_open = true;
            }
            ReviewsAction::CloseForm => {
                if !self.form_open {
                    return None;
                }
                next.form_open = false;
            }
        }
        Some(next)
    }

    /// Starts over from the first page of the query in use.
    fn reload(&mut self) {
        self.query.offset = 0;
        self.photo = None;
        self.send(self.query, false);
    }

    fn send(&mut self, query: ReviewQuery, append: bool) {
        self.request = Request {
            generation: self.request.generation.wrapping_add(1),
            query,
            append,
        };
        self.load = Load::Loading;
    }

    fn change_helpful(&mut self, id: &str, change: impl Fn(u32) -> u32) {
        for review in &mut self.reviews {
            if review.id == id {
                Rc::make_mut(review).helpful = change(review.helpful);
            }
        }
    }
}

impl Reducible for ReviewsState {
    type Action = ReviewsAction;

    fn reduce(self: Rc<Self>, action: ReviewsAction) -> Rc<Self> {
        match self.next(action) {
            Some(next) => Rc::new(next),
            None => self,
        }
    }
}

/// `index` moved by `step` among `count` photos, wrapping around.
pub fn step_index(index: usize, count: usize, step: isize) -> usize {
    if count == 0 {
        return 0;
    }
    let count_i = isize::try_from(count).unwrap_or(isize::MAX);
    let index_i = isize::try_from(index).unwrap_or(0);
    usize::try_from((index_i + step).rem_euclid(count_i)).unwrap_or(0)
}

/// Adds `id` to the remembered votes, keeping the newest `max`.
pub fn remember_vote(voted: &mut Vec<String>, id: &str, max: usize) {
    voted.retain(|v| v != id);
    voted.push(id.to_owned());
    if voted.len() > max {
        let excess = voted.len() - max;
        voted.drain(..excess);
    }
}

/// Removes `id` from the remembered votes.
pub fn forget_vote(voted: &mut Vec<String>, id: &str) {
    voted.retain(|v| v != id);
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_core::reviews::Photo;

    fn review(id: &str, helpful: u32, photos: usize) -> Review {
        Review {
            id: id.into(),
            rating: 5,
            title: "t".into(),
            body: "b".into(),
            name: "Mei".into(),
            verified: true,
            incentivized: false,
            created_at: 0,
            photos: (0..photos)
                .map(|i| Photo {
                    url: format!("/v1/photos/{i}.jpg"),
                    width: 1,
                    height: 1,
                })
                .collect(),
            answers: vec![],
            helpful,
            reply: None,
            locale: "en".into(),
        }
    }

    fn page(ids: &[&str], next_offset: Option<u32>) -> ReviewsPage {
        ReviewsPage {
            product: ProductInfo {
                id: "sku".into(),
                name: None,
            },
            summary: Summary::of([5, 5, 4, 1]),
            reviews: ids.iter().map(|id| review(id, 2, 3)).collect(),
            next_offset,
            form: FormSpec::default(),
        }
    }

    fn run(state: &ReviewsState, action: ReviewsAction) -> ReviewsState {
        state.next(action).expect("the action changes the state")
    }

    fn loaded(state: &ReviewsState, ids: &[&str], next: Option<u32>) -> ReviewsState {
        run(
            state,
            ReviewsAction::Loaded {
                generation: state.request.generation,
                page: page(ids, next),
                now: 42,
            },
        )
    }

    fn ids(state: &ReviewsState) -> Vec<&str> {
        state.reviews.iter().map(|r| r.id.as_str()).collect()
    }

    #[test]
    fn starts_loading_the_default_first_page() {
        let s = ReviewsState::new(vec![]);
        assert_eq!(s.load, Load::Loading);
        assert_eq!(s.request.query, ReviewQuery::default());
        assert!(!s.request.append);
        let s = loaded(&s, &["a", "b"], Some(2));
        assert_eq!(s.load, Load::Ready);
        assert_eq!(ids(&s), ["a", "b"]);
        assert_eq!(s.total(), 4);
        assert_eq!(s.now, 42);
    }

    #[test]
    fn show_more_appends_the_next_page_and_focuses_its_first_review() {
        let s = loaded(&ReviewsState::new(vec![]), &["a", "b"], Some(2));
        let s = run(&s, ReviewsAction::ShowMore);
        assert!(s.request.append);
        assert_eq!(s.request.query.offset, 2);
        assert_eq!(
            ids(&s),
            ["a", "b"],
            "the list stays while the next page loads"
        );
        assert_eq!(s.next(ReviewsAction::ShowMore), None, "no double load");
        // A review that shifted into the next page is not listed twice.
        let s = loaded(&s, &["b", "c", "d"], None);
        assert_eq!(ids(&s), ["a", "b", "c", "d"]);
        assert_eq!(s.focus, Some((s.request.generation, 2)));
        assert_eq!(s.next(ReviewsAction::ShowMore), None, "no more pages");
    }

    #[test]
    fn filters_and_sort_restart_from_the_first_page() {
        let s = loaded(&ReviewsState::new(vec![]), &["a"], Some(1));
        let s = run(&s, ReviewsAction::ShowMore);
        let s = loaded(&s, &["b"], Some(2));
        let s = run(&s, ReviewsAction::Stars(5));
        assert_eq!(s.request.query.stars, Some(5));
        assert_eq!(s.request.query.offset, 0);
        assert!(!s.request.append);
        let s = loaded(&s, &["c"], None);
        assert_eq!(ids(&s), ["c"], "the list is replaced");
        assert_eq!(s.total(), 2, "two five-star reviews in the summary");
        let s = run(&s, ReviewsAction::Stars(5));
        assert_eq!(s.query.stars, None, "pressing the same star again clears");
        let s = run(&s, ReviewsAction::Stars(1));
        let s = run(&s, ReviewsAction::ClearStars);
        assert_eq!(s.query.stars, None);
        assert_eq!(s.next(ReviewsAction::ClearStars), None);
        assert_eq!(s.next(ReviewsAction::Stars(6)), None);
        let s = run(&s, ReviewsAction::TogglePhotos);
        assert!(s.request.query.photos);
        let s = run(&s, ReviewsAction::Sort(ReviewSort::Helpful));
        assert_eq!(s.request.query.sort, ReviewSort::Helpful);
        assert!(s.request.query.photos, "filters survive a new order");
        assert_eq!(s.next(ReviewsAction::Sort(ReviewSort::Helpful)), None);
    }

    #[test]
    fn stale_answers_are_ignored_and_failures_can_be_retried() {
        let s = ReviewsState::new(vec![]);
        let old = s.request.generation;
        let s = run(&s, ReviewsAction::Sort(ReviewSort::Lowest));
        let stale = ReviewsAction::Loaded {
            generation: old,
            page: page(&["x"], None),
            now: 1,
        };
        assert_eq!(s.next(stale), None);
        assert_eq!(s.next(ReviewsAction::Failed { generation: old }), None);
        assert_eq!(s.next(ReviewsAction::Retry), None, "nothing failed");
        let failed = run(
            &s,
            ReviewsAction::Failed {
                generation: s.request.generation,
            },
        );
        assert_eq!(failed.load, Load::Failed);
        let retried = run(&failed, ReviewsAction::Retry);
        assert_eq!(retried.load, Load::Loading);
        assert_eq!(retried.request.query, s.request.query);
        assert_ne!(retried.request.generation, s.request.generation);
    }

    #[test]
    fn a_vote_counts_once_and_rolls_back_on_failure() {
        let s = loaded(&ReviewsState::new(vec!["old".into()]), &["a", "b"], None);
        let voted = run(&s, ReviewsAction::Vote("a".into()));
        assert_eq!(voted.reviews[0].helpful, 3);
        assert!(voted.has_voted("a") && voted.has_voted("old"));
        assert_eq!(voted.next(ReviewsAction::Vote("a".into())), None);
        let counted = run(
            &voted,
            ReviewsAction::VoteCounted {
                id: "a".into(),
                tally: HelpfulTally {
                    helpful: 7,
                    counted: true,
                },
            },
        );
        assert_eq!(counted.reviews[0].helpful, 7);
        let failed = run(
            &voted,
            ReviewsAction::VoteFailed {
                id: "a".into(),
                problem: VoteProblem::RateLimited,
            },
        );
        assert_eq!(failed.reviews[0].helpful, 2);
        assert!(!failed.has_voted("a"));
        assert_eq!(
            failed.vote_problem,
            Some(("a".into(), VoteProblem::RateLimited))
        );
        assert_eq!(s.reviews[0].helpful, 2, "the old state is untouched");
    }

    #[test]
    fn remembered_votes_are_bounded_newest_last() {
        let mut voted = Vec::new();
        for i in 0..7 {
            remember_vote(&mut voted, &i.to_string(), 5);
        }
        assert_eq!(voted, ["2", "3", "4", "5", "6"]);
        remember_vote(&mut voted, "3", 5);
        assert_eq!(voted, ["2", "4", "5", "6", "3"]);
        forget_vote(&mut voted, "5");
        assert_eq!(voted, ["2", "4", "6", "3"]);
    }

    #[test]
    fn the_lightbox_steps_through_a_reviews_photos() {
        let s = loaded(&ReviewsState::new(vec![]), &["a"], None);
        assert_eq!(
            s.next(ReviewsAction::OpenPhoto {
                review: "a".into(),
                index: 3
            }),
            None
        );
        assert_eq!(s.next(ReviewsAction::StepPhoto(1)), None, "nothing open");
        let open = run(
            &s,
            ReviewsAction::OpenPhoto {
                review: "a".into(),
                index: 2,
            },
        );
        let next = run(&open, ReviewsAction::StepPhoto(1));
        assert_eq!(next.open_photo().map(|(_, i)| i), Some(0), "wraps");
        let prev = run(&next, ReviewsAction::StepPhoto(-1));
        assert_eq!(prev.open_photo().map(|(_, i)| i), Some(2));
        let closed = run(&prev, ReviewsAction::ClosePhoto);
        assert_eq!(closed.open_photo(), None);
        assert_eq!(step_index(0, 0, 1), 0);
        assert_eq!(step_index(1, 1, 1), 0);
    }

    #[test]
    fn the_form_opens_and_closes() {
        let s = ReviewsState::new(vec![]);
        let open = run(&s, ReviewsAction::OpenForm);
        assert!(open.form_open);
        assert_eq!(open.next(ReviewsAction::OpenForm), None);
        assert!(!run(&open, ReviewsAction::CloseForm).form_open);
        assert_eq!(s.next(ReviewsAction::CloseForm), None);
    }
}
