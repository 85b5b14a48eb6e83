//! What the sender does after the endpoint answers a batch: forget what it settled (with each
//! result's answer, for the components waiting on it), send fewer at a time, or wait and
//! retry. Pure, so every branch is tested on the host; the reply is parsed here and only here.

use crate::backoff::{self, Disposition};
use crate::events::{AckStatus, BatchReply, EventAck};

/// The endpoint's answer to one batch, as the sender saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer<'a> {
    /// The HTTP status, or `None` when no answer came (network error, blocked, offline).
    pub status: Option<u16>,
    /// The `Retry-After` header.
    pub retry_after: Option<&'a str>,
    /// The response body.
    pub body: Option<&'a str>,
}

/// The sender's next step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Delete these results from the outbox: the endpoint has settled them for good.
    Forget {
        /// The answer for every settled result (stored, duplicate or refused), in the order
        /// the endpoint gave them: its own answer where it named the result, a refusal
        /// `HTTP {status}` when it refused the whole batch of one, or accepted for a bare 2xx.
        /// The refused ones are dead letters (see [`refusals`]).
        settled: Vec<EventAck>,
    },
    /// Send again with at most this many results per batch.
    Resize(usize),
    /// Keep everything and try again after a backoff; the server's wait, if it asked for one,
    /// in milliseconds.
    Retry(Option<u64>),
}

/// Decides the next step after `answer` to a batch of results with these `ids`.
pub fn after_answer(ids: &[&str], answer: Answer<'_>, now_ms: u64) -> Step {
    let Some(status) = answer.status else {
        return Step::Retry(None);
    };
    match backoff::classify(status, ids.len()) {
        Disposition::Delivered => match settled(ids, answer.body) {
            // A 2xx without per-result answers settles the whole batch.
            None => Step::Forget {
                settled: ids
                    .iter()
                    .map(|id| answered(id, AckStatus::Accepted, None))
                    .collect(),
            },
            // A 2xx that answered for none of the results: wait rather than spin on it.
            Some(step) if is_empty(&step) => Step::Retry(None),
            Some(step) => step,
        },
        Disposition::Split => Step::Resize((ids.len() / 2).max(1)),
        Disposition::DeadLetter => match settled(ids, answer.body) {
            Some(step) if !is_empty(&step) => step,
            // Narrow down to the one result the endpoint refuses instead of losing the batch.
            _ if ids.len() > 1 => Step::Resize(1),
            _ => Step::Forget {
                settled: ids
                    .iter()
                    .map(|id| answered(id, AckStatus::Rejected, Some(format!("HTTP {status}"))))
                    .collect(),
            },
        },
        Disposition::Retry => Step::Retry(
            answer
                .retry_after
                .and_then(|v| backoff::parse_retry_after(v, now_ms)),
        ),
    }
}

fn is_empty(step: &Step) -> bool {
    matches!(step, Step::Forget { settled } if settled.is_empty())
}

/// An answer the endpoint did not spell out for result `id`.
fn answered(id: &str, status: AckStatus, reason: Option<String>) -> EventAck {
    EventAck {
        id: id.to_owned(),
        status,
        reason,
        field: None,
        reward: None,
    }
}

/// The per-result answers for results of this batch, if the body has any.
fn settled(ids: &[&str], body: Option<&str>) -> Option<Step> {
    let reply: BatchReply = serde_json::from_str(body?).ok()?;
    let settled = reply
        .results
        .into_iter()
        .filter(|ack| ids.contains(&ack.id.as_str()))
        .collect();
    Some(Step::Forget { settled })
}

/// The refused results among `settled`, each with the endpoint's reason (dead letters).
pub fn refusals(settled: &[EventAck]) -> impl Iterator<Item = (&str, &str)> {
    settled
        .iter()
        .filter(|ack| ack.status == AckStatus::Rejected)
        .map(|ack| {
            let reason = ack.reason.as_deref().unwrap_or("no reason given");
            (ack.id.as_str(), reason)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 3] = ["a", "b", "c"];

    fn answer(status: u16, body: Option<&'static str>) -> Answer<'static> {
        Answer {
            status: Some(status),
            retry_after: None,
            body,
        }
    }

    /// A step forgetting `settled`, each `(id, status, reason)` and no reward.
    fn forget(settled: &[(&str, AckStatus, Option<&str>)]) -> Step {
        Step::Forget {
            settled: settled
                .iter()
                .map(|(id, status, reason)| EventAck {
                    id: id.to_string(),
                    status: *status,
                    reason: reason.map(str::to_owned),
                    field: None,
                    reward: None,
                })
                .collect(),
        }
    }

    /// Every id of `ids` accepted without a word.
    fn accepted(ids: &[&str]) -> Step {
        let all: Vec<_> = ids
            .iter()
            .map(|id| (*id, AckStatus::Accepted, None))
            .collect();
        forget(&all)
    }

    use AckStatus::{Accepted, Duplicate, Rejected};

    #[test]
    fn no_answer_is_retried() {
        let none = Answer {
            status: None,
            retry_after: None,
            body: None,
        };
        assert_eq!(after_answer(&IDS, none, 0), Step::Retry(None));
    }

    #[test]
    fn per_result_answers_settle_exactly_the_results_they_name() {
        let body = r#"{"results":[{"id":"a","status":"accepted"},{"id":"b","status":"duplicate"},
            {"id":"c","status":"rejected","reason":"unknown_type"},{"id":"zz","status":"accepted"}]}"#;
        assert_eq!(
            after_answer(&IDS, answer(200, Some(body)), 0),
            forget(&[
                ("a", Accepted, None),
                ("b", Duplicate, None),
                ("c", Rejected, Some("unknown_type")),
            ])
        );
        let partial = r#"{"results":[{"id":"b","status":"accepted"}]}"#;
        assert_eq!(
            after_answer(&IDS, answer(200, Some(partial)), 0),
            forget(&[("b", Accepted, None)])
        );
    }

    #[test]
    fn each_answer_carries_its_status_reason_and_reward() {
        let body = r#"{"results":[{"id":"a","status":"duplicate","reward":{"code":"THANKS10"}},
            {"id":"b","status":"rejected","reason":"already_reviewed"},
            {"id":"c","status":"rejected"}]}"#;
        let Step::Forget { settled } = after_answer(&IDS, answer(200, Some(body)), 0) else {
            panic!("the batch is settled");
        };
        assert_eq!(settled[0].status, Duplicate);
        assert_eq!(
            settled[0].reward.as_ref().map(|r| r.code.as_str()),
            Some("THANKS10")
        );
        assert_eq!(settled[1].reason.as_deref(), Some("already_reviewed"));
        // The waiting component hears no reason; the dead-letter warning still gives one.
        assert_eq!(settled[2].reason, None);
        assert_eq!(
            refusals(&settled).collect::<Vec<_>>(),
            [("b", "already_reviewed"), ("c", "no reason given")]
        );
    }

    #[test]
    fn a_2xx_without_answers_settles_all_but_one_naming_none_is_retried() {
        assert_eq!(after_answer(&IDS, answer(204, None), 0), accepted(&IDS));
        assert_eq!(
            after_answer(&IDS, answer(200, Some("ok")), 0),
            accepted(&IDS)
        );
        let other = r#"{"results":[{"id":"zz","status":"accepted"}]}"#;
        assert_eq!(
            after_answer(&IDS, answer(200, Some(other)), 0),
            Step::Retry(None)
        );
    }

    #[test]
    fn too_large_halves_the_batch() {
        assert_eq!(after_answer(&IDS, answer(413, None), 0), Step::Resize(1));
        let ids: Vec<String> = (0..50).map(|i| i.to_string()).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        assert_eq!(after_answer(&ids, answer(413, None), 0), Step::Resize(25));
        assert_eq!(
            after_answer(&["a"], answer(413, None), 0),
            forget(&[("a", Rejected, Some("HTTP 413"))])
        );
    }

    #[test]
    fn a_refused_batch_is_narrowed_to_the_result_at_fault() {
        assert_eq!(
            after_answer(&IDS, answer(400, Some("bad")), 0),
            Step::Resize(1)
        );
        let refused = after_answer(&["b"], answer(400, None), 0);
        assert_eq!(refused, forget(&[("b", Rejected, Some("HTTP 400"))]));
        let Step::Forget { settled } = refused else {
            unreachable!()
        };
        assert_eq!(refusals(&settled).collect::<Vec<_>>(), [("b", "HTTP 400")]);
        let conflict = r#"{"results":[{"id":"a","status":"rejected","reason":"id_conflict"}]}"#;
        assert_eq!(
            after_answer(&["a"], answer(422, Some(conflict)), 0),
            forget(&[("a", Rejected, Some("id_conflict"))])
        );
    }

    #[test]
    fn server_trouble_is_retried_after_its_retry_after() {
        let busy = Answer {
            status: Some(503),
            retry_after: Some("30"),
            body: None,
        };
        assert_eq!(after_answer(&IDS, busy, 0), Step::Retry(Some(30_000)));
        assert_eq!(after_answer(&IDS, answer(429, None), 0), Step::Retry(None));
        assert_eq!(
            after_answer(&IDS, answer(500, Some("{}")), 0),
            Step::Retry(None)
        );
    }
}
