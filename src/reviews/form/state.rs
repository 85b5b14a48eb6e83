//! Everything the review form remembers, in one pure reducer: the draft as typed, the photos'
//! statuses, which problems to show, and where the submission stands.
//!
//! No browser types here, so the rules are tested on the host. Photo blobs and object URLs
//! live beside the reducer in the component, keyed by [`PhotoSlot::key`].

use super::counter::{self, CounterNote};
use crate::transport::acks::Settlement;
use crate::transport::outbox::EnqueueError;
use encore_core::events::AckStatus;
use encore_core::issued_code::IssuedCode;
use encore_core::reviews::draft::{self, DraftError};
use encore_core::reviews::{Answer, BODY_MAX, FormSpec, MAX_PHOTOS, ReviewSubmitted};
use std::rc::Rc;
use yew::Reducible;

/// A field of the form, for placing a problem next to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// The star rating.
    Rating,
    /// The title.
    Title,
    /// The review text.
    Body,
    /// The display name.
    Name,
    /// A custom question, by id.
    Question(String),
    /// The photos.
    Photos,
}

/// Something that keeps the form from being sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A rule of the review contract.
    Draft(DraftError),
    /// A photo is still being prepared.
    PhotosPending,
}

/// Where one chosen photo stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoStatus {
    /// Being decoded and re-encoded.
    Preparing,
    /// Ready to go, with its upload id and size in bytes.
    Ready {
        /// The upload id listed in the review.
        upload_id: String,
        /// Size after re-encoding.
        bytes: u64,
    },
    /// The browser cannot decode its format (HEIC outside Safari).
    Unsupported,
    /// It could not be prepared.
    Failed,
}

/// One chosen photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoSlot {
    /// Stable key for the list and the blob beside the reducer.
    pub key: u32,
    /// Its status.
    pub status: PhotoStatus,
}

/// Why the endpoint refused a review, as the shopper is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The store's spam rules (`not_accepted`).
    NotAccepted,
    /// `already_reviewed`.
    AlreadyReviewed,
    /// Any other reason.
    Other,
}

/// Where the submission stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// The shopper is writing.
    Editing,
    /// The review is being written to the outbox.
    Saving,
    /// Queued as result `id`; waiting for the endpoint's answer.
    Sending {
        /// The result id.
        id: String,
    },
    /// Queued, but no answer came soon (or the browser is offline); still listening.
    SavedOffline {
        /// The result id.
        id: String,
    },
    /// The endpoint has it (accepted or duplicate).
    Received {
        /// What it earned, if anything.
        reward: Option<IssuedCode>,
    },
    /// The endpoint refused it for good.
    Refused(Refusal),
}

/// The review form's state.
#[derive(Debug, Clone, PartialEq)]
pub struct FormState {
    /// Chosen stars.
    pub rating: Option<u8>,
    /// Title as typed.
    pub title: String,
    /// Review text as typed.
    pub body: String,
    /// Display name as typed.
    pub name: String,
    /// Answers to custom questions, one per question.
    pub answers: Vec<Answer>,
    /// The honeypot's content (empty for people).
    pub website: String,
    /// The chosen photos, in order.
    pub photos: Vec<PhotoSlot>,
    /// The next photo key.
    pub next_key: u32,
    /// Problems are shown from the first submit attempt on.
    pub attempted: bool,
    /// The last counter note worth announcing.
    pub counter_note: Option<CounterNote>,
    /// The body's minimum length, from the store's form.
    pub min_body: u16,
    /// Where the submission stands.
    pub phase: Phase,
    /// Why the last save failed (the typed text is kept).
    pub save_error: Option<EnqueueError>,
}

/// What can happen to the form.
#[derive(Debug, Clone, PartialEq)]
pub enum FormAction {
    /// Stars chosen.
    Rate(u8),
    /// Title typed.
    Title(String),
    /// Review text typed.
    Body(String),
    /// Name typed.
    Name(String),
    /// A question answered.
    Answer {
        /// The question's id.
        question: String,
        /// The value chosen.
        value: String,
    },
    /// The honeypot was filled (by a bot).
    Website(String),
    /// Photos were chosen; as many slots as fit are added with these keys' successors.
    PhotosChosen(usize),
    /// Photo `key` is ready.
    PhotoReady {
        /// The slot.
        key: u32,
        /// Its upload id.
        upload_id: String,
        /// Its size.
        bytes: u64,
    },
    /// Photo `key` could not be prepared (`unsupported`: its format cannot be decoded).
    PhotoFailed {
        /// The slot.
        key: u32,
        /// The browser cannot decode it.
        unsupported: bool,
    },
    /// Photo `key` removed.
    PhotoRemoved(u32),
    /// Submit pressed: show the problems, if any.
    Attempt,
    /// The review is being written to the outbox.
    Saving,
    /// It is queued as result `id`; `offline` when the browser says it is offline.
    Saved {
        /// The result id.
        id: String,
        /// `navigator.onLine` was false.
        offline: bool,
    },
    /// Writing it failed; the draft stays.
    SaveFailed(EnqueueError),
    /// No answer within a few seconds.
    AnswerSlow,
    /// The endpoint answered.
    Settled(Settlement),
}

impl FormState {
    /// An empty form for a store whose minimum body length is `min_body`.
    pub fn new(min_body: u16) -> Self {
        FormState {
            rating: None,
            title: String::new(),
            body: String::new(),
            name: String::new(),
            answers: Vec::new(),
            website: String::new(),
            photos: Vec::new(),
            next_key: 0,
            attempted: false,
            counter_note: None,
            min_body,
            phase: Phase::Editing,
            save_error: None,
        }
    }

    /// The keys of the photo slots that the last [`FormAction::PhotosChosen`] added.
    pub fn added_keys(&self, before: &FormState) -> Vec<u32> {
        (before.next_key..self.next_key).collect()
    }

    /// Upload ids of the photos ready to go.
    pub fn upload_ids(&self) -> Vec<String> {
        self.photos
            .iter()
            .filter_map(|p| match &p.status {
                PhotoStatus::Ready { upload_id, .. } => Some(upload_id.clone()),
                _ => None,
            })
            .collect()
    }

    /// The answer chosen for `question`.
    pub fn answer(&self, question: &str) -> Option<&str> {
        self.answers
            .iter()
            .find(|a| a.question == question)
            .map(|a| a.value.as_str())
    }

    /// The review as it would be sent, around what the form cannot know by itself.
    pub fn review(&self, base: &ReviewSubmitted) -> ReviewSubmitted {
        ReviewSubmitted {
            rating: self.rating.unwrap_or(0),
            title: self.title.trim().to_owned(),
            body: self.body.trim().to_owned(),
            name: self.name.trim().to_owned(),
            answers: self.answers.clone(),
            photos: self.upload_ids(),
            website: self.website.clone(),
            ..base.clone()
        }
    }

    /// Every problem, placed at its field, in the order the form shows its fields.
    pub fn problems(&self, form: &FormSpec) -> Vec<(Field, Problem)> {
        let empty = ReviewSubmitted {
            product: String::new(),
            order: None,
            order_token: None,
            rating: 0,
            title: String::new(),
            body: String::new(),
            name: String::new(),
            answers: Vec::new(),
            photos: Vec::new(),
            locale: String::new(),
            fill_ms: 0,
            website: String::new(),
        };
        let review = self.review(&empty);
        let mut list: Vec<(Field, Problem)> = draft::problems(&review, form)
            .into_iter()
            .map(|e| (self.field_of(&e), Problem::Draft(e)))
            .collect();
        if self
            .photos
            .iter()
            .any(|p| p.status == PhotoStatus::Preparing)
        {
            list.push((Field::Photos, Problem::PhotosPending));
        }
        let order = |f: &Field| match f {
            Field::Rating => 0,
            Field::Title => 1,
            Field::Body => 2,
            Field::Name => 3,
            Field::Question(_) => 4,
            Field::Photos => 5,
        };
        // A stable sort by rank, problems of one field kept in their order; with six ranks
        // and a few problems, picking each rank in turn spares the bundle a sort's code.
        let mut sorted = Vec::with_capacity(list.len());
        for rank in 0..=5 {
            sorted.extend(list.iter().filter(|(f, _)| order(f) == rank).cloned());
        }
        sorted
    }

    fn field_of(&self, error: &DraftError) -> Field {
        match error {
            DraftError::RatingMissing => Field::Rating,
            DraftError::TitleTooLong => Field::Title,
            DraftError::BodyTooShort { .. } | DraftError::BodyTooLong => Field::Body,
            DraftError::NameMissing | DraftError::NameTooLong => Field::Name,
            DraftError::ControlCharacters => {
                if self.title.chars().any(char::is_control) {
                    Field::Title
                } else if self.name.chars().any(char::is_control) {
                    Field::Name
                } else {
                    Field::Body
                }
            }
            DraftError::BadAnswer(q) => Field::Question(q.clone()),
            DraftError::TooManyPhotos => Field::Photos,
        }
    }

    /// Whether the draft may be edited (not while saving or after it is sent).
    pub fn editable(&self) -> bool {
        self.phase == Phase::Editing
    }

    /// The state after `action`.
    pub fn apply(&self, action: FormAction) -> FormState {
        let mut next = self.clone();
        match action {
            FormAction::Rate(n) if (1..=5).contains(&n) => next.rating = Some(n),
            FormAction::Rate(_) => {}
            FormAction::Title(t) => next.title = t,
            FormAction::Body(b) => {
                let before = draft::char_count(&self.body);
                let after = draft::char_count(&b);
                let min = usize::from(self.min_body);
                if let Some(note) = counter::announce(before, after, min, BODY_MAX) {
                    next.counter_note = Some(note);
                }
                next.body = b;
            }
            FormAction::Name(n) => next.name = n,
            FormAction::Answer { question, value } => {
                next.answers.retain(|a| a.question != question);
                next.answers.push(Answer { question, value });
            }
            FormAction::Website(w) => next.website = w,
            FormAction::PhotosChosen(n) => {
                let room = MAX_PHOTOS.saturating_sub(next.photos.len());
                for _ in 0..n.min(room) {
                    next.photos.push(PhotoSlot {
                        key: next.next_key,
                        status: PhotoStatus::Preparing,
                    });
                    next.next_key += 1;
                }
            }
            FormAction::PhotoReady {
                key,
                upload_id,
                bytes,
            } => next.set_photo(key, PhotoStatus::Ready { upload_id, bytes }),
            FormAction::PhotoFailed { key, unsupported } => next.set_photo(
                key,
                if unsupported {
                    PhotoStatus::Unsupported
                } else {
                    PhotoStatus::Failed
                },
            ),
            FormAction::PhotoRemoved(key) => next.photos.retain(|p| p.key != key),
            FormAction::Attempt => next.attempted = true,
            FormAction::Saving => {
                next.phase = Phase::Saving;
                next.save_error = None;
            }
            FormAction::Saved { id, offline } => {
                next.phase = if offline {
                    Phase::SavedOffline { id }
                } else {
                    Phase::Sending { id }
                };
            }
            FormAction::SaveFailed(err) => {
                next.phase = Phase::Editing;
                next.save_error = Some(err);
            }
            FormAction::AnswerSlow => {
                if let Phase::Sending { id } = &self.phase {
                    next.phase = Phase::SavedOffline { id: id.clone() };
                }
            }
            FormAction::Settled(s) => {
                if matches!(
                    self.phase,
                    Phase::Sending { .. } | Phase::SavedOffline { .. }
                ) {
                    next.phase = phase_after(s);
                }
            }
        }
        next
    }

    fn set_photo(&mut self, key: u32, status: PhotoStatus) {
        if let Some(slot) = self.photos.iter_mut().find(|p| p.key == key) {
            slot.status = status;
        }
    }
}

fn phase_after(settlement: Settlement) -> Phase {
    match settlement.status {
        AckStatus::Accepted | AckStatus::Duplicate => Phase::Received {
            reward: settlement.reward,
        },
        AckStatus::Rejected => Phase::Refused(match settlement.reason.as_deref() {
            Some("not_accepted") => Refusal::NotAccepted,
            Some("already_reviewed") => Refusal::AlreadyReviewed,
            _ => Refusal::Other,
        }),
    }
}

impl Reducible for FormState {
    type Action = FormAction;

    fn reduce(self: Rc<Self>, action: FormAction) -> Rc<Self> {
        let next = self.apply(action);
        if next == *self { self } else { Rc::new(next) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> FormState {
        let s = FormState::new(20)
            .apply(FormAction::Rate(4))
            .apply(FormAction::Body("Floral, clean and sweet.".into()))
            .apply(FormAction::Name("Mei".into()));
        assert_eq!(s.problems(&FormSpec::default()), vec![]);
        s
    }

    #[test]
    fn an_empty_form_lists_its_problems_in_field_order() {
        let fields: Vec<Field> = FormState::new(20)
            .apply(FormAction::PhotosChosen(1))
            .problems(&FormSpec::default())
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            vec![Field::Rating, Field::Body, Field::Name, Field::Photos]
        );
    }

    #[test]
    fn control_characters_are_blamed_on_their_field() {
        let s = filled().apply(FormAction::Name("Mei\u{7}".into()));
        assert_eq!(
            s.problems(&FormSpec::default()),
            vec![(Field::Name, Problem::Draft(DraftError::ControlCharacters))]
        );
    }

    #[test]
    fn photos_fill_up_to_the_limit_and_only_ready_ones_are_sent() {
        let s = filled().apply(FormAction::PhotosChosen(7));
        assert_eq!(s.photos.len(), MAX_PHOTOS);
        assert_eq!(s.added_keys(&filled()), vec![0, 1, 2, 3, 4]);
        let s = s
            .apply(FormAction::PhotoReady {
                key: 1,
                upload_id: "u1".into(),
                bytes: 1000,
            })
            .apply(FormAction::PhotoFailed {
                key: 2,
                unsupported: true,
            })
            .apply(FormAction::PhotoRemoved(0))
            .apply(FormAction::PhotoRemoved(3))
            .apply(FormAction::PhotoRemoved(4));
        assert_eq!(s.upload_ids(), vec!["u1".to_owned()]);
        assert_eq!(s.photos[1].status, PhotoStatus::Unsupported);
        let base = ReviewSubmitted {
            product: "tea".into(),
            locale: "en".into(),
            ..s.review(&filled().review(&empty_base()))
        };
        assert_eq!(s.review(&base).photos, vec!["u1".to_owned()]);
        assert_eq!(s.review(&base).product, "tea");
    }

    fn empty_base() -> ReviewSubmitted {
        ReviewSubmitted {
            product: String::new(),
            order: None,
            order_token: None,
            rating: 0,
            title: String::new(),
            body: String::new(),
            name: String::new(),
            answers: vec![],
            photos: vec![],
            locale: String::new(),
            fill_ms: 0,
            website: String::new(),
        }
    }

    #[test]
    fn answering_again_replaces_the_answer() {
        let s = filled()
            .apply(FormAction::Answer {
                question: "fit".into(),
                value: "small".into(),
            })
            .apply(FormAction::Answer {
                question: "fit".into(),
                value: "large".into(),
            });
        assert_eq!(s.answers.len(), 1);
        assert_eq!(s.answer("fit"), Some("large"));
    }

    #[test]
    fn a_failed_save_keeps_the_draft() {
        let s = filled()
            .apply(FormAction::Saving)
            .apply(FormAction::SaveFailed(EnqueueError::Full));
        assert_eq!(s.phase, Phase::Editing);
        assert_eq!(s.body, "Floral, clean and sweet.");
        assert_eq!(s.save_error, Some(EnqueueError::Full));
    }

    fn settled(status: AckStatus, reason: Option<&str>) -> FormAction {
        FormAction::Settled(Settlement {
            status,
            reason: reason.map(str::to_owned),
            reward: Some(IssuedCode {
                code: "THANKS".into(),
                description: None,
            }),
        })
    }

    #[test]
    fn the_answer_decides_the_ending_even_after_going_quiet() {
        let sent = filled().apply(FormAction::Saving).apply(FormAction::Saved {
            id: "r".into(),
            offline: false,
        });
        let quiet = sent.apply(FormAction::AnswerSlow);
        assert_eq!(quiet.phase, Phase::SavedOffline { id: "r".into() });
        let done = quiet.apply(settled(AckStatus::Duplicate, None));
        assert!(matches!(&done.phase, Phase::Received { reward: Some(r) } if r.code == "THANKS"));
        assert_eq!(
            sent.apply(settled(AckStatus::Rejected, Some("already_reviewed")))
                .phase,
            Phase::Refused(Refusal::AlreadyReviewed)
        );
        assert_eq!(
            sent.apply(settled(AckStatus::Rejected, Some("not_accepted")))
                .phase,
            Phase::Refused(Refusal::NotAccepted)
        );
        assert_eq!(
            done.apply(FormAction::AnswerSlow),
            done,
            "a late timer changes nothing"
        );
        let offline = filled().apply(FormAction::Saved {
            id: "o".into(),
            offline: true,
        });
        assert_eq!(offline.phase, Phase::SavedOffline { id: "o".into() });
    }

    #[test]
    fn the_counter_note_changes_only_at_thresholds() {
        let mut s = FormState::new(20);
        let mut notes = Vec::new();
        for n in 1..=21 {
            s = s.apply(FormAction::Body("a".repeat(n)));
            notes.push(s.counter_note);
        }
        assert_eq!(notes[8], None);
        assert_eq!(notes[9], Some(CounterNote::Needed(10)));
        assert_eq!(notes[19], Some(CounterNote::Enough));
    }
}
