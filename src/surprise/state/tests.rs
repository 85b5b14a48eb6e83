//! Host tests of the landing page's reducer.

use super::*;
use encore_core::surprise::code::{CodeId, mint};
use encore_core::surprise::redeem::PrizeKind;

fn code() -> String {
    mint(
        CodeId {
            campaign: 3,
            serial: 7,
        },
        b"key",
    )
}

fn prize() -> Prize {
    Prize {
        id: "tea".into(),
        kind: PrizeKind::Gift,
        title: "A tin of tea".into(),
        how_to_use: None,
        code: Some("GIFT-1".into()),
        points: None,
        expires_at: None,
        next_url: None,
    }
}

fn won() -> Redemption {
    Redemption::Redeemed {
        prize: prize(),
        redeemed_at: 1,
        campaign: 3,
    }
}

fn run(state: ScanState, actions: Vec<ScanAction>) -> ScanState {
    let mut state = Rc::new(state);
    for action in actions {
        state = state.reduce(action);
    }
    (*state).clone()
}

fn started(revealed_before: bool) -> ScanState {
    let state = ScanState::starting(code(), revealed_before);
    assert_eq!(
        state,
        run(
            ScanState::default(),
            vec![ScanAction::Code {
                text: code(),
                revealed_before,
            }],
        )
    );
    state
}

#[test]
fn a_code_is_redeemed_then_revealed() {
    let state = started(false);
    assert_eq!(state.attempt, 1);
    assert_eq!(state.phase, Phase::Redeeming { slow: false });
    assert_eq!(
        state.campaign(),
        Some(3),
        "read from the code before any answer"
    );
    let state = run(
        state,
        vec![
            ScanAction::Slow { attempt: 1 },
            ScanAction::Answered {
                attempt: 1,
                answer: won(),
            },
        ],
    );
    assert!(state.awaiting_reveal());
    assert_eq!(state.prize(), None, "not before the reveal");
    let state = run(state, vec![ScanAction::Reveal]);
    assert!(!state.awaiting_reveal());
    assert_eq!(state.prize(), Some(&prize()));
    let again = Rc::new(state.clone()).reduce(ScanAction::Reveal);
    assert_eq!(*again, state);
}

#[test]
fn a_revisit_shows_the_prize_without_the_ceremony() {
    let state = run(
        started(true),
        vec![ScanAction::Answered {
            attempt: 1,
            answer: won(),
        }],
    );
    assert!(state.revisit && !state.awaiting_reveal());
    assert_eq!(state.prize(), Some(&prize()));
}

#[test]
fn a_malformed_code_goes_back_to_the_entry() {
    let state = run(
        ScanState::default(),
        vec![ScanAction::Code {
            text: "ABC".into(),
            revealed_before: false,
        }],
    );
    assert_eq!(state.phase, Phase::Entry { malformed: true });
    assert_eq!(state.code, None);
    assert_eq!(state.attempt, 0, "nothing is sent");
}

#[test]
fn answers_to_old_attempts_are_ignored_and_offline_comes_back() {
    let state = run(
        started(false),
        vec![
            ScanAction::Offline { attempt: 1 },
            ScanAction::Answered {
                attempt: 0,
                answer: Redemption::Invalid,
            },
        ],
    );
    assert_eq!(state.phase, Phase::Offline);
    let state = run(state, vec![ScanAction::Retrying { attempt: 1 }]);
    assert_eq!(state.phase, Phase::Redeeming { slow: true });
    let same = Rc::new(state.clone()).reduce(ScanAction::Slow { attempt: 1 });
    assert_eq!(*same, state);
}

#[test]
fn refusals_and_failures_can_be_retried() {
    let limited = run(
        started(false),
        vec![ScanAction::RateLimited {
            attempt: 1,
            retry_at: Some(60_000),
        }],
    );
    assert_eq!(
        limited.phase,
        Phase::RateLimited {
            retry_at: Some(60_000)
        }
    );
    let retried = run(limited, vec![ScanAction::Retry]);
    assert_eq!(retried.attempt, 2);
    assert!(retried.redeeming());
    let failed = run(retried, vec![ScanAction::Failed { attempt: 2 }]);
    assert_eq!(failed.phase, Phase::Failed);
    let answered = run(
        started(false),
        vec![ScanAction::Answered {
            attempt: 1,
            answer: Redemption::Invalid,
        }],
    );
    let same = Rc::new(answered.clone()).reduce(ScanAction::Retry);
    assert_eq!(*same, answered, "a final answer is not retried");
}

#[test]
fn another_code_only_after_an_attempt_is_done() {
    let busy = started(false);
    let same = Rc::new(busy.clone()).reduce(ScanAction::Another);
    assert_eq!(*same, busy);
    let done = run(
        busy,
        vec![
            ScanAction::Answered {
                attempt: 1,
                answer: Redemption::AlreadyRedeemed {
                    prize: None,
                    redeemed_at: 1,
                },
            },
            ScanAction::Another,
        ],
    );
    assert_eq!(done.phase, Phase::Entry { malformed: false });
    assert_eq!(done.code, None);
    assert_eq!(
        done.attempt, 2,
        "a late answer to the old attempt is ignored"
    );
}

#[test]
fn an_already_redeemed_prize_is_shown_at_once() {
    let state = run(
        started(false),
        vec![ScanAction::Answered {
            attempt: 1,
            answer: Redemption::AlreadyRedeemed {
                prize: Some(prize()),
                redeemed_at: 1,
            },
        }],
    );
    assert!(!state.awaiting_reveal());
    assert_eq!(state.prize(), Some(&prize()));
}

#[test]
fn the_odds_load_once() {
    let odds = PublishedOdds {
        title: "Spring".into(),
        starts_at: 0,
        ends_at: 1,
        prizes: vec![],
        per_device: 3,
    };
    let state = run(
        started(false),
        vec![ScanAction::ShowOdds, ScanAction::OddsLoaded(odds.clone())],
    );
    assert_eq!(state.odds, Odds::Shown(Rc::new(odds)));
    let same = Rc::new(state.clone()).reduce(ScanAction::ShowOdds);
    assert_eq!(*same, state);
    let failed = run(
        started(false),
        vec![ScanAction::ShowOdds, ScanAction::OddsFailed],
    );
    assert_eq!(failed.odds, Odds::Failed);
    let again = run(failed, vec![ScanAction::ShowOdds]);
    assert_eq!(again.odds, Odds::Loading);
}
