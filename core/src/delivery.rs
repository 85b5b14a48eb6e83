//! What the sender does after the endpoint answers a batch: forget what it settled, send
//! fewer at a time, or wait and retry. Pure, so every branch is tested on the host.

use crate::backoff::{self, Disposition};
use crate::events::{AckStatus, BatchReply};

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
        /// Every settled id (stored, duplicate or refused).
        settled: Vec<String>,
        /// The refused ones among them, with the endpoint's reason (dead letters).
        refused: Vec<(String, String)>,
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
                settled: ids.iter().map(|id| id.to_string()).collect(),
                refused: vec![],
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
                settled: ids.iter().map(|id| id.to_string()).collect(),
                refused: ids
                    .iter()
                    .map(|id| (id.to_string(), format!("HTTP {status}")))
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
    matches!(step, Step::Forget { settled, .. } if settled.is_empty())
}

/// The per-result answers for results of this batch, if the body has any.
fn settled(ids: &[&str], body: Option<&str>) -> Option<Step> {
    let reply: BatchReply = serde_json::from_str(body?).ok()?;
    let mut settled = Vec::new();
    let mut refused = Vec::new();
    for ack in reply
        .results
        .into_iter()
        .filter(|ack| ids.contains(&ack.id.as_str()))
    {
        if ack.status == AckStatus::Rejected {
            refused.push((
                ack.id.clone(),
                ack.reason.unwrap_or_else(|| "no reason given".into()),
            ));
        }
        settled.push(ack.id);
    }
    Some(Step::Forget { settled, refused })
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

    fn forget(settled: &[&str], refused: &[(&str, &str)]) -> Step {
        Step::Forget {
            settled: settled.iter().map(|s| s.to_string()).collect(),
            refused: refused
                .iter()
                .map(|(i, r)| (i.to_string(), r.to_string()))
                .collect(),
        }
    }

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
            forget(&["a", "b", "c"], &[("c", "unknown_type")])
        );
        let partial = r#"{"results":[{"id":"b","status":"accepted"}]}"#;
        assert_eq!(
            after_answer(&IDS, answer(200, Some(partial)), 0),
            forget(&["b"], &[])
        );
    }

    #[test]
    fn a_2xx_without_answers_settles_all_but_one_naming_none_is_retried() {
        assert_eq!(after_answer(&IDS, answer(204, None), 0), forget(&IDS, &[]));
        assert_eq!(
            after_answer(&IDS, answer(200, Some("ok")), 0),
            forget(&IDS, &[])
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
            forget(&["a"], &[("a", "HTTP 413")])
        );
    }

    #[test]
    fn a_refused_batch_is_narrowed_to_the_result_at_fault() {
        assert_eq!(
            after_answer(&IDS, answer(400, Some("bad")), 0),
            Step::Resize(1)
        );
        assert_eq!(
            after_answer(&["b"], answer(400, None), 0),
            forget(&["b"], &[("b", "HTTP 400")])
        );
        let conflict = r#"{"results":[{"id":"a","status":"rejected","reason":"id_conflict"}]}"#;
        assert_eq!(
            after_answer(&["a"], answer(422, Some(conflict)), 0),
            forget(&["a"], &[("a", "id_conflict")])
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
