//! "How winners are chosen": a button that fetches the campaign's published odds, and the
//! table of prizes, chances and what is left of each.

use super::prize::day;
use super::state::Odds;
use super::strings::{SurpriseStrings, fill};
use encore_core::locale::Locale;
use encore_core::surprise::redeem::PublishedOdds;
use yew::prelude::*;

/// Props of [`OddsView`].
#[derive(Properties, PartialEq)]
pub struct OddsViewProps {
    /// Where the odds stand.
    pub odds: Odds,
    /// The language.
    pub locale: Locale,
    /// Called when the button is pressed.
    pub on_show: Callback<()>,
}

/// The button, then the table.
#[component]
pub fn OddsView(props: &OddsViewProps) -> Html {
    let s = super::strings::surprise_strings(props.locale);
    let onclick = {
        let on_show = props.on_show.clone();
        Callback::from(move |_: MouseEvent| on_show.emit(()))
    };
    let expanded = matches!(props.odds, Odds::Shown(_));
    let body = match &props.odds {
        Odds::Hidden => Html::default(),
        Odds::Loading => html! { <p class="odds-status" role="status">{ s.odds_loading }</p> },
        Odds::Failed => html! { <p class="odds-status" role="status">{ s.odds_failed }</p> },
        Odds::Shown(odds) => table(odds, s, props.locale),
    };
    html! {
        <div class="surprise-odds" part="odds">
            if !expanded {
                <button type="button" class="odds-button outline" aria-expanded="false"
                    {onclick}>{ s.odds_button }</button>
            }
            { body }
        </div>
    }
}

fn table(odds: &PublishedOdds, s: &SurpriseStrings, locale: Locale) -> Html {
    let intro = fill(
        s.odds_intro,
        &[
            ("start", &day(locale, odds.starts_at)),
            ("end", &day(locale, odds.ends_at.saturating_sub(1))),
            ("per_device", &odds.per_device.to_string()),
        ],
    );
    html! {
        <section class="odds-panel">
            <h4 class="odds-heading" tabindex="-1">{ s.odds_heading }</h4>
            <p class="odds-intro">{ intro }</p>
            <table class="odds-table">
                <caption class="visually-hidden">{ odds.title.clone() }</caption>
                <thead>
                    <tr>
                        for column in s.odds_columns {
                            <th scope="col">{ column }</th>
                        }
                    </tr>
                </thead>
                <tbody>
                    for prize in odds.prizes.iter() {
                        <tr>
                            <th scope="row">{ prize.title.clone() }</th>
                            <td>{ s.percent(prize.chance_ppm) }</td>
                            <td>{ remaining(s, prize.remaining, prize.budget) }</td>
                        </tr>
                    }
                </tbody>
            </table>
        </section>
    }
}

fn remaining(s: &SurpriseStrings, left: Option<u64>, budget: Option<u64>) -> String {
    match (left, budget) {
        (Some(left), Some(budget)) => fill(
            s.remaining,
            &[("left", &left.to_string()), ("budget", &budget.to_string())],
        ),
        (Some(left), None) => left.to_string(),
        _ => s.unlimited.to_owned(),
    }
}
