//! Parts of one surface that load on their own but appear together.
//!
//! The product page shows an offers teaser above the reviews, the order confirmation the
//! offers above the referral panel, and each part loads from the endpoint by itself. Whichever
//! answers second would push the other down while the shopper reads it: a layout shift,
//! counted against the store's page by browsers and search engines. So each part tells
//! [`Together`] when its first load has settled (shown, empty or failed), and until all have,
//! each part shows at most a loading line whose root element differs from the part's own (so
//! the line is replaced, never pushed down); then they appear in one frame. A part that takes
//! longer than [`WAIT_MS`] does not hold the others back.
//!
//! Outside a [`Together`] (the offers or referral surface alone) a part is always shown.

use gloo_timers::callback::Timeout;
use std::rc::Rc;
use yew::prelude::*;

/// How long the quicker parts wait for a slow one: beyond this, a shift is the smaller harm.
pub const WAIT_MS: u32 = 2_000;

/// A part of a surface that waits for the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The offers teaser.
    Offers,
    /// The reviews section.
    Reviews,
    /// The referral panel.
    Referral,
}

impl Part {
    fn bit(self) -> u8 {
        match self {
            Part::Offers => 1,
            Part::Reviews => 2,
            Part::Referral => 4,
        }
    }
}

/// Which parts have settled, and whether the wait is over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gate {
    expected: u8,
    settled: u8,
    timed_out: bool,
}

/// What changes a [`Gate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GateAction {
    /// The part's first load has settled.
    Settled(Part),
    /// [`WAIT_MS`] have passed.
    TimedOut,
}

impl Gate {
    /// A gate waiting for `parts`.
    pub fn new(parts: &[Part]) -> Gate {
        Gate {
            expected: parts.iter().fold(0, |bits, part| bits | part.bit()),
            ..Gate::default()
        }
    }

    /// Whether the parts may show: all settled, or the wait is over.
    pub fn is_open(&self) -> bool {
        self.timed_out || self.settled & self.expected == self.expected
    }
}

impl Reducible for Gate {
    type Action = GateAction;

    fn reduce(self: Rc<Self>, action: GateAction) -> Rc<Self> {
        let next = match action {
            GateAction::Settled(part) => Gate {
                settled: self.settled | (part.bit() & self.expected),
                ..(*self).clone()
            },
            GateAction::TimedOut => Gate {
                timed_out: true,
                ..(*self).clone()
            },
        };
        // The same `Rc` back: `use_reducer` then re-renders no part.
        if next == *self { self } else { Rc::new(next) }
    }
}

/// What a part reads from the context.
#[derive(Clone, PartialEq)]
struct GateContext {
    open: bool,
    dispatcher: UseReducerDispatcher<Gate>,
}

/// Props of [`Together`].
#[derive(Properties, PartialEq)]
pub struct TogetherProps {
    /// The parts inside that report to the gate.
    pub parts: Vec<Part>,
    /// The parts.
    pub children: Html,
}

/// Shows its parts together once each has settled, or after [`WAIT_MS`].
#[component]
pub fn Together(props: &TogetherProps) -> Html {
    let gate = use_reducer({
        let parts = props.parts.clone();
        move || Gate::new(&parts)
    });
    {
        let dispatcher = gate.dispatcher();
        use_effect_with((), move |_| {
            let timer = Timeout::new(WAIT_MS, move || dispatcher.dispatch(GateAction::TimedOut));
            move || drop(timer)
        });
    }
    let context = GateContext {
        open: gate.is_open(),
        dispatcher: gate.dispatcher(),
    };
    html! {
        <ContextProvider<GateContext> {context}>{ props.children.clone() }</ContextProvider<GateContext>>
    }
}

/// For a part: reports `settled` to the enclosing [`Together`] and says whether to show.
/// Without one, the part always shows.
#[hook]
pub fn use_together(part: Part, settled: bool) -> bool {
    let context = use_context::<GateContext>();
    let dispatcher = context.as_ref().map(|c| c.dispatcher.clone());
    use_effect_with(settled, move |settled| {
        if let (true, Some(dispatcher)) = (*settled, dispatcher) {
            dispatcher.dispatch(GateAction::Settled(part));
        }
    });
    context.is_none_or(|c| c.open)
}

#[cfg(test)]
mod tests {
    use super::{Gate, GateAction, Part};
    use std::rc::Rc;
    use yew::Reducible;

    fn after(parts: &[Part], actions: &[GateAction]) -> Rc<Gate> {
        actions
            .iter()
            .fold(Rc::new(Gate::new(parts)), |gate, action| {
                gate.reduce(*action)
            })
    }

    #[test]
    fn opens_once_every_part_has_settled() {
        let both = [Part::Offers, Part::Reviews];
        assert!(!after(&both, &[]).is_open());
        assert!(!after(&both, &[GateAction::Settled(Part::Reviews)]).is_open());
        assert!(
            after(
                &both,
                &[
                    GateAction::Settled(Part::Reviews),
                    GateAction::Settled(Part::Offers)
                ]
            )
            .is_open()
        );
    }

    #[test]
    fn opens_after_the_wait_whatever_has_settled() {
        let both = [Part::Offers, Part::Reviews];
        assert!(after(&both, &[GateAction::TimedOut]).is_open());
    }

    #[test]
    fn a_part_it_does_not_wait_for_changes_nothing() {
        let reviews = [Part::Reviews];
        let gate = Rc::new(Gate::new(&reviews));
        let same = gate.clone().reduce(GateAction::Settled(Part::Offers));
        assert!(Rc::ptr_eq(&gate, &same));
        assert!(!same.is_open());
        assert!(after(&reviews, &[GateAction::Settled(Part::Reviews)]).is_open());
    }
}
