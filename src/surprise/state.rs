//! Everything the QR landing page shows, in one pure reducer: which code, where its
//! redemption stands, whether the prize is revealed, and the published odds. No I/O here; the
//! landing performs the redemption the state asks for (its `attempt`) and reports back.

use super::codes;
use encore_core::surprise::redeem::{Prize, PublishedOdds, Redemption};
use std::rc::Rc;
use yew::Reducible;

/// Where the redemption stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// No code yet: the scanner and the manual entry.
    Entry {
        /// The typed or scanned text is not in the printed format.
        malformed: bool,
    },
    /// Asking the endpoint; `slow` once it has taken a while.
    Redeeming {
        /// Say the network is slow.
        slow: bool,
    },
    /// The browser is offline: the code is saved and opens when it is back.
    Offline,
    /// The endpoint's answer.
    Answered(Rc<Redemption>),
    /// Too many invalid attempts: try again at `retry_at` (device clock, ms), when known.
    RateLimited {
        /// When to try again.
        retry_at: Option<u64>,
    },
    /// The endpoint gave an answer the widget cannot use; "Try again" repeats the attempt.
    Failed,
}

/// Where the "how winners are chosen" table stands.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Odds {
    /// Not asked for.
    #[default]
    Hidden,
    /// Being fetched.
    Loading,
    /// Shown.
    Shown(Rc<PublishedOdds>),
    /// Could not be fetched.
    Failed,
}

/// The landing page's state.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanState {
    /// The code being redeemed (canonical), once there is one.
    pub code: Option<String>,
    /// Increases with every redemption attempt; answers to older ones are ignored.
    pub attempt: u32,
    /// Where it stands.
    pub phase: Phase,
    /// The prize has been revealed on this page (or before: see `revisit`).
    pub revealed: bool,
    /// This browser revealed this code's prize on an earlier visit: no ceremony again.
    pub revisit: bool,
    /// The published odds.
    pub odds: Odds,
}

impl Default for ScanState {
    fn default() -> Self {
        ScanState {
            code: None,
            attempt: 0,
            phase: Phase::Entry { malformed: false },
            revealed: false,
            revisit: false,
            odds: Odds::Hidden,
        }
    }
}

/// What can happen on the landing page.
#[derive(Debug, Clone, PartialEq)]
pub enum ScanAction {
    /// A code arrived (from the URL, a scan or typing); `revealed_before` from this browser's
    /// record of it.
    Code {
        /// The text as given.
        text: String,
        /// Whether this browser revealed its prize before.
        revealed_before: bool,
    },
    /// Attempt `attempt` is taking a while.
    Slow {
        /// The attempt.
        attempt: u32,
    },
    /// Attempt `attempt` found the browser offline (it keeps retrying).
    Offline {
        /// The attempt.
        attempt: u32,
    },
    /// Attempt `attempt` is being retried online.
    Retrying {
        /// The attempt.
        attempt: u32,
    },
    /// The endpoint's answer to attempt `attempt`.
    Answered {
        /// The attempt.
        attempt: u32,
        /// The answer.
        answer: Redemption,
    },
    /// The endpoint refused attempt `attempt` with 429.
    RateLimited {
        /// The attempt.
        attempt: u32,
        /// When to try again (device clock, ms).
        retry_at: Option<u64>,
    },
    /// Attempt `attempt` failed for good.
    Failed {
        /// The attempt.
        attempt: u32,
    },
    /// Repeat a failed or rate-limited attempt with the same code.
    Retry,
    /// The shopper revealed the prize (scratched, opened, or pressed "Reveal").
    Reveal,
    /// The shopper wants to enter another code.
    Another,
    /// "How winners are chosen" was pressed.
    ShowOdds,
    /// The odds arrived.
    OddsLoaded(PublishedOdds),
    /// The odds could not be fetched.
    OddsFailed,
}

impl ScanState {
    /// The prize to show, once there is one to show: a fresh win after its reveal, or the
    /// original prize of an earlier redemption by this browser.
    pub fn prize(&self) -> Option<&Prize> {
        match &self.phase {
            Phase::Answered(answer) => match &**answer {
                Redemption::Redeemed { prize, .. } if self.revealed => Some(prize),
                Redemption::AlreadyRedeemed {
                    prize: Some(prize), ..
                } => Some(prize),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether the reveal ceremony is waiting for the shopper.
    pub fn awaiting_reveal(&self) -> bool {
        matches!(&self.phase, Phase::Answered(a) if matches!(**a, Redemption::Redeemed { .. }))
            && !self.revealed
    }

    /// Whether an attempt is running (the landing keeps its request going).
    pub fn redeeming(&self) -> bool {
        matches!(self.phase, Phase::Redeeming { .. } | Phase::Offline)
    }

    /// The campaign the code belongs to, for "how winners are chosen".
    pub fn campaign(&self) -> Option<u16> {
        if let Phase::Answered(answer) = &self.phase
            && let Redemption::Redeemed { campaign, .. } = **answer
        {
            return Some(campaign);
        }
        let code = self.code.as_deref()?;
        encore_core::surprise::code::read_unverified(code)
            .ok()
            .map(|id| id.campaign)
    }

    /// The state of a landing opened with `text` (its first attempt under way, or the entry
    /// with the format error).
    pub fn starting(text: String, revealed_before: bool) -> ScanState {
        let start = ScanState::default();
        let action = ScanAction::Code {
            text,
            revealed_before,
        };
        start.next(action).unwrap_or(start)
    }

    fn current(&self, attempt: u32) -> bool {
        attempt == self.attempt && self.redeeming()
    }

    /// The next state after `action`, or `None` when nothing changes.
    fn next(&self, action: ScanAction) -> Option<ScanState> {
        let mut next = self.clone();
        match action {
            ScanAction::Code {
                text,
                revealed_before,
            } => match codes::from_scan(&text) {
                Some(code) => {
                    if self.redeeming() && self.code.as_deref() == Some(code.as_str()) {
                        return None;
                    }
                    next = ScanState {
                        code: Some(code),
                        attempt: self.attempt + 1,
                        phase: Phase::Redeeming { slow: false },
                        revealed: revealed_before,
                        revisit: revealed_before,
                        odds: Odds::Hidden,
                    };
                }
                None => {
                    next.phase = Phase::Entry { malformed: true };
                    next.code = None;
                }
            },
            ScanAction::Slow { attempt } => {
                if !self.current(attempt) || self.phase != (Phase::Redeeming { slow: false }) {
                    return None;
                }
                next.phase = Phase::Redeeming { slow: true };
            }
            ScanAction::Offline { attempt } => {
                if !self.current(attempt) || self.phase == Phase::Offline {
                    return None;
                }
                next.phase = Phase::Offline;
            }
            ScanAction::Retrying { attempt } => {
                if !self.current(attempt) || self.phase != Phase::Offline {
                    return None;
                }
                next.phase = Phase::Redeeming { slow: true };
            }
            ScanAction::Answered { attempt, answer } => {
                if !self.current(attempt) {
                    return None;
                }
                next.phase = Phase::Answered(Rc::new(answer));
            }
            ScanAction::RateLimited { attempt, retry_at } => {
                if !self.current(attempt) {
                    return None;
                }
                next.phase = Phase::RateLimited { retry_at };
            }
            ScanAction::Failed { attempt } => {
                if !self.current(attempt) {
                    return None;
                }
                next.phase = Phase::Failed;
            }
            ScanAction::Retry => {
                if !matches!(self.phase, Phase::Failed | Phase::RateLimited { .. })
                    || self.code.is_none()
                {
                    return None;
                }
                next.attempt += 1;
                next.phase = Phase::Redeeming { slow: false };
            }
            ScanAction::Reveal => {
                if !self.awaiting_reveal() {
                    return None;
                }
                next.revealed = true;
            }
            ScanAction::Another => {
                if self.redeeming() && self.code.is_some() {
                    // An attempt on its way is kept (its result is queued); only a finished
                    // one makes way for another code.
                    return None;
                }
                next = ScanState {
                    attempt: self.attempt + 1,
                    ..ScanState::default()
                };
            }
            ScanAction::ShowOdds => {
                if matches!(self.odds, Odds::Loading | Odds::Shown(_)) {
                    return None;
                }
                next.odds = Odds::Loading;
            }
            ScanAction::OddsLoaded(odds) => {
                if self.odds != Odds::Loading {
                    return None;
                }
                next.odds = Odds::Shown(Rc::new(odds));
            }
            ScanAction::OddsFailed => {
                if self.odds != Odds::Loading {
                    return None;
                }
                next.odds = Odds::Failed;
            }
        }
        Some(next)
    }
}

impl Reducible for ScanState {
    type Action = ScanAction;

    fn reduce(self: Rc<Self>, action: Self::Action) -> Rc<Self> {
        // Returning the same Rc tells Yew nothing changed, so nothing re-renders.
        match self.next(action) {
            Some(next) => Rc::new(next),
            None => self,
        }
    }
}

#[cfg(test)]
mod tests;
