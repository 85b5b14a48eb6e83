//! Reviews on the reference server: taking `review.submitted`, listing and summarising what is
//! published, their photos, helpful votes, review requests, moderation and the demo reviews.

pub mod clear_tokens;
pub mod console;
pub mod helpful;
pub mod listing;
pub mod moderation;
pub mod photos;
pub mod queue;
pub mod request;
pub mod routes;
pub mod seed;
pub(crate) mod submission;
pub mod verification;

use std::fmt;

/// Where a review stands with the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Shown on the product page.
    Published,
    /// Waiting for the store to approve or reject it.
    Held,
    /// Refused by the store; never shown.
    Rejected,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 3] = [Status::Published, Status::Held, Status::Rejected];

    /// The value stored in the `status` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Held => "held",
            Status::Rejected => "rejected",
        }
    }

    /// The status stored as `value`.
    pub fn parse(value: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
