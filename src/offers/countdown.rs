//! The weekly drop: its title, when it opens (or until when it is open), and a countdown.
//!
//! The countdown is this leaf's own business: it owns a one-second interval and re-renders
//! only itself, and only when its text changes, so the offer list beside it is left alone.
//! Time is the server's (the device's clock plus the offset measured when the page arrived),
//! so a wrong device clock does not matter. The ticking text is hidden from screen readers,
//! which read the static "Opens Tuesday 08:00" instead of a number changing every second.

use super::api;
use super::state::server_time;
use super::strings::{OffersStrings, fill, offers_strings};
use crate::browser::now_ms;
use crate::ui::dates::{iso, local};
use encore_core::locale::Locale;
use encore_core::offers::DropView;
use gloo_timers::callback::Interval;
use yew::prelude::*;

/// Beyond this, "Opens Tuesday 08:00" could mean two Tuesdays: the date is added.
const SIX_DAYS_MS: u64 = 6 * 86_400_000;

/// Where a drop stands for this shopper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DropPhase {
    /// Not open yet for this shopper.
    Upcoming {
        /// When it opens for them (ms).
        opens_at: u64,
    },
    /// Open for this shopper.
    Open,
    /// Closed.
    Ended,
}

/// Where `drop` stands at server time `now`: members count to their access time (earlier
/// with early access), everyone else to the public opening.
pub fn phase(drop: &DropView, member: bool, now: u64) -> DropPhase {
    let opens_at = if member {
        drop.access_at
    } else {
        drop.public_at
    };
    if now >= drop.ends_at {
        DropPhase::Ended
    } else if now < opens_at {
        DropPhase::Upcoming { opens_at }
    } else {
        DropPhase::Open
    }
}

/// What the drop shows at one moment: its phase, and the countdown text while upcoming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    /// The phase.
    pub phase: DropPhase,
    /// "in 1d 02:03:04" while upcoming.
    pub countdown: Option<String>,
}

/// The drop at server time `now`; minutes only when `with_seconds` is false.
pub fn tick(
    s: &OffersStrings,
    drop: &DropView,
    member: bool,
    now: u64,
    with_seconds: bool,
) -> Tick {
    let phase = phase(drop, member, now);
    let countdown = match phase {
        DropPhase::Upcoming { opens_at } => Some(s.countdown(opens_at - now, with_seconds)),
        DropPhase::Open | DropPhase::Ended => None,
    };
    Tick { phase, countdown }
}

/// Props of [`DropCountdown`].
#[derive(Properties, PartialEq, Clone)]
pub struct DropCountdownProps {
    /// The drop as the endpoint described it for this shopper.
    pub drop: DropView,
    /// Whether the shopper is a verified member (members count to their access time).
    pub member: bool,
    /// The server's clock minus the device's (ms).
    pub clock_offset: i64,
    /// The widget's language.
    pub locale: Locale,
}

/// The weekly drop with its live countdown.
#[component]
pub fn DropCountdown(props: &DropCountdownProps) -> Html {
    let s = offers_strings(props.locale);
    // Less motion asked for: the countdown changes once a minute instead of every second.
    let with_seconds = *use_memo((), |_| !api::prefers_reduced_motion());
    let offset = props.clock_offset;
    let server_now = move || server_time(now_ms(), offset);
    let current = {
        let props = props.clone();
        move || tick(s, &props.drop, props.member, server_now(), with_seconds)
    };
    // `use_state_eq`: a tick that changes nothing (an open drop) renders nothing.
    let state = use_state_eq(current.clone());
    {
        let state = state.clone();
        use_effect_with(props.clone(), move |_| {
            state.set(current());
            let interval = Interval::new(1_000, move || state.set(current()));
            move || std::mem::drop(interval)
        });
    }

    let view = &props.drop;
    let this_year = local(server_now()).year;
    let when = |ms: u64, now: u64| {
        let with_date = ms.saturating_sub(now) >= SIX_DAYS_MS;
        s.dates.moment(local(ms), with_date, this_year)
    };
    let now = server_now();
    let (label, at) = match state.phase {
        DropPhase::Upcoming { opens_at } => (
            fill(s.drop_opens, &[("when", &when(opens_at, now))]),
            Some(opens_at),
        ),
        DropPhase::Open => (
            fill(s.drop_open_until, &[("when", &when(view.ends_at, now))]),
            Some(view.ends_at),
        ),
        DropPhase::Ended => (s.drop_ended.to_owned(), None),
    };
    let early = props.member && view.early && state.phase != DropPhase::Ended;

    html! {
        <div class="drop" part="drop">
            <p class="drop-title">{ view.title.clone() }</p>
            if early {
                <p class="drop-early">{ s.drop_early }</p>
            }
            <p class="drop-when">
                if let Some(at) = at {
                    <time class="drop-label" datetime={iso(at)}>{ label }</time>
                } else {
                    <span class="drop-label">{ label }</span>
                }
                if let Some(countdown) = &state.countdown {
                    { " " }
                    <span class="countdown" aria-hidden="true">{ countdown.clone() }</span>
                }
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::super::strings::EN;
    use super::*;

    const T: u64 = 1_780_000_000_000;

    fn drop(early: bool) -> DropView {
        DropView {
            title: "Tuesday tea drop".into(),
            access_at: if early { T - 3_600_000 } else { T },
            public_at: T,
            ends_at: T + 86_400_000,
            early,
        }
    }

    #[test]
    fn members_count_to_their_access_and_guests_to_the_public_opening() {
        let d = drop(true);
        assert_eq!(phase(&d, true, T - 3_600_000), DropPhase::Open);
        assert_eq!(
            phase(&d, false, T - 3_600_000),
            DropPhase::Upcoming { opens_at: T }
        );
        assert_eq!(phase(&d, false, T), DropPhase::Open);
        assert_eq!(phase(&d, true, T + 86_400_000), DropPhase::Ended);
    }

    #[test]
    fn the_countdown_shows_only_while_upcoming() {
        let d = drop(false);
        let upcoming = tick(&EN, &d, true, T - 61_000, true);
        assert_eq!(upcoming.countdown.as_deref(), Some("in 00:01:01"));
        assert_eq!(
            tick(&EN, &d, true, T - 61_000, false).countdown.as_deref(),
            Some("in 0 h 2 min")
        );
        let open = tick(&EN, &d, true, T + 5, true);
        assert_eq!(open.phase, DropPhase::Open);
        assert_eq!(
            open,
            tick(&EN, &d, true, T + 6_000, true),
            "nothing to redraw"
        );
    }
}
