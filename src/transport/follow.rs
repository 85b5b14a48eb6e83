//! Following a result the shopper is watching (a review, an offer claim) once it is queued:
//! the endpoint's answer when it comes, and a word after a while when it is slow to, so the
//! shopper knows the result is saved for later.

use super::acks::{self, Settlement, Subscription};
use gloo_timers::callback::Timeout;

/// How long to wait for the endpoint's answer before saying the result is saved for later.
pub const ANSWER_WAIT_MS: u32 = 4_000;

/// The follow-up of one queued result; dropping it stops listening and cancels the timer.
#[must_use = "dropping it stops following at once"]
pub struct Following {
    _settled: Subscription,
    _slow: Timeout,
}

/// Calls `on_settled` with the endpoint's answer for result `id` (at once if it is already
/// known), and `on_slow` once [`ANSWER_WAIT_MS`] have passed, answered or not.
pub fn follow(
    id: &str,
    on_settled: impl Fn(Settlement) + 'static,
    on_slow: impl FnOnce() + 'static,
) -> Following {
    Following {
        _settled: acks::on_settled(id, on_settled),
        _slow: Timeout::new(ANSWER_WAIT_MS, on_slow),
    }
}
