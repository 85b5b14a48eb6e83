//! What the shopper sees once the review is queued: sending, saved for later, thank you (with
//! the reward and a copy button), or why it was refused.

use super::state::{Phase, Refusal};
use super::strings::FormStrings;
use crate::ui::clipboard::CopyButton;
use encore_core::issued_code::IssuedCode;
use yew::prelude::*;

/// Props of [`Outcome`].
#[derive(Properties, PartialEq)]
pub struct OutcomeProps {
    /// Where the submission stands.
    pub phase: Phase,
    /// The strings.
    pub strings: &'static FormStrings,
}

/// The message for a queued review.
#[component]
pub fn Outcome(props: &OutcomeProps) -> Html {
    let s = props.strings;
    let (message, reward) = match &props.phase {
        Phase::Editing | Phase::Saving => return Html::default(),
        Phase::Sending { .. } => (s.sending, None),
        Phase::SavedOffline { .. } => (s.saved_offline, None),
        Phase::Received { reward } => (s.thanks, reward.as_ref()),
        Phase::Refused(Refusal::NotAccepted) => (s.not_accepted, None),
        Phase::Refused(Refusal::AlreadyReviewed) => (s.already_reviewed, None),
        Phase::Refused(Refusal::Other) => (s.rejected, None),
    };
    html! {
        <div class="outcome" role="status" aria-live="polite">
            <p class="outcome-message">{ message }</p>
            if let Some(reward) = reward {
                <RewardCode reward={reward.clone()} strings={s} />
            }
        </div>
    }
}

/// Props of [`RewardCode`].
#[derive(Properties, PartialEq)]
pub struct RewardCodeProps {
    /// The reward.
    pub reward: IssuedCode,
    /// The strings.
    pub strings: &'static FormStrings,
}

/// A reward: what it gives, its code, and a copy button.
#[component]
pub fn RewardCode(props: &RewardCodeProps) -> Html {
    let s = props.strings;
    let reward = &props.reward;
    html! {
        <div class="reward">
            <p class="reward-intro">
                { s.reward_intro }
                if let Some(description) = &reward.description {
                    {" "}{ description.clone() }
                }
            </p>
            <p class="reward-code-line">
                <code class="reward-code">{ reward.code.clone() }</code>
                <CopyButton text={reward.code.clone()} label={s.copy} copied={s.copied}
                    failed={s.copy_failed} />
            </p>
        </div>
    }
}
