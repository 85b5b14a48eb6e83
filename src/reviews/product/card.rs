//! One review as an `<article>`: stars, title, text, reviewer, badges, date, answers,
//! photo thumbnails, the helpful button and the store's reply. Every review field is shown as
//! a text node, never parsed as markup.

use super::state::VoteProblem;
use super::strings::{ProductStrings, product_strings};
use crate::ui::stars::Stars;
use encore_core::locale::{Locale, is_well_formed};
use encore_core::reviews::ago::Ago;
use encore_core::reviews::jsonld::date;
use encore_core::reviews::{Answer, FormSpec, QuestionKind, Review};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// Props of [`ReviewCard`].
#[derive(Properties, PartialEq, Clone)]
pub struct ReviewCardProps {
    /// The review.
    pub review: Rc<Review>,
    /// The language.
    pub locale: Locale,
    /// Now, in milliseconds since the epoch, for "3 days ago".
    pub now: u64,
    /// The store's form, whose questions name the review's answers.
    pub form: Rc<FormSpec>,
    /// Whether this browser voted the review helpful.
    #[prop_or_default]
    pub voted: bool,
    /// Why this browser's last vote on the review failed, if it did.
    #[prop_or_default]
    pub vote_problem: Option<VoteProblem>,
    /// Called with the review's id when the shopper finds it helpful.
    pub on_vote: Callback<String>,
    /// Called with the review's id and a photo index when a thumbnail is pressed.
    pub on_open_photo: Callback<(String, usize)>,
}

/// A review in the list.
#[component]
pub fn ReviewCard(props: &ReviewCardProps) -> Html {
    let s = product_strings(props.locale);
    let review = &props.review;
    let on_vote = {
        let on_vote = props.on_vote.clone();
        let id = review.id.clone();
        let voted = props.voted;
        Callback::from(move |_: MouseEvent| {
            if !voted {
                on_vote.emit(id.clone());
            }
        })
    };
    // The language the review was written in, for screen readers' pronunciation.
    let lang = is_well_formed(&review.locale).then(|| AttrValue::from(review.locale.clone()));
    let problem = props.vote_problem.map(|p| match p {
        VoteProblem::RateLimited => s.vote_rate_limited,
        VoteProblem::Failed => s.vote_failed,
    });
    html! {
        <article class="review" part="review" tabindex="-1">
            <div class="review-head">
                <Stars value_tenths={u32::from(review.rating.min(5)) * 10}
                    label={s.rating(&review.rating.min(5).to_string())} />
                if !review.title.is_empty() {
                    <h3 class="review-title" lang={lang.clone()}>{ review.title.clone() }</h3>
                }
            </div>
            <p class="review-meta">
                <span class="review-name">{ review.name.clone() }</span>
                <time class="review-date" datetime={date(review.created_at)}>
                    { s.ago(Ago::between(review.created_at, props.now)) }
                </time>
            </p>
            if review.verified || review.incentivized {
                <p class="badges">
                    if review.verified {
                        <span class="badge badge-verified" part="badge">{ s.verified }</span>
                    }
                    if review.incentivized {
                        <span class="badge badge-incentive" part="badge">{ s.incentivized }</span>
                    }
                </p>
            }
            <p class="review-body" lang={lang.clone()}>{ review.body.clone() }</p>
            { answers(review, &props.form, props.locale) }
            { thumbnails(props, s) }
            <div class="helpful">
                <button type="button" class="outline helpful-button"
                    aria-pressed={if props.voted { "true" } else { "false" }}
                    onclick={on_vote}>
                    { s.helpful_count(review.helpful) }
                </button>
                if let Some(problem) = problem {
                    <span class="vote-problem" role="status">{ problem }</span>
                }
            </div>
            if let Some(reply) = &review.reply {
                <div class="reply" part="reply">
                    <p class="reply-title">{ s.reply_from }</p>
                    <p class="reply-body">{ reply.body.clone() }</p>
                </div>
            }
        </article>
    }
}

/// The answers to the store's questions, labelled in `locale`; answers to questions the form
/// no longer has, or to options it does not list, are left out.
fn answers(review: &Review, form: &FormSpec, locale: Locale) -> Html {
    let shown: Vec<(String, String)> = review
        .answers
        .iter()
        .filter_map(|answer| answer_text(answer, form, locale))
        .collect();
    if shown.is_empty() {
        return Html::default();
    }
    html! {
        <dl class="answers">
            for (question, value) in shown {
                <div class="answer">
                    <dt>{ question }</dt>
                    <dd>{ value }</dd>
                </div>
            }
        </dl>
    }
}

/// The question's label and the answer as shown: an option's label, or "4/5" on a scale.
pub fn answer_text(answer: &Answer, form: &FormSpec, locale: Locale) -> Option<(String, String)> {
    let question = form.questions.iter().find(|q| q.id == answer.question)?;
    let value = match &question.kind {
        QuestionKind::Choice { options } => options
            .iter()
            .find(|o| o.value == answer.value)?
            .label
            .get(locale)
            .to_owned(),
        QuestionKind::Scale { min, max } => {
            let n: u8 = answer.value.parse().ok()?;
            if n < *min || n > *max {
                return None;
            }
            format!("{n}/{max}")
        }
    };
    Some((question.label.get(locale).to_owned(), value))
}

fn thumbnails(props: &ReviewCardProps, s: &ProductStrings) -> Html {
    let review = &props.review;
    if review.photos.is_empty() {
        return Html::default();
    }
    let count = review.photos.len();
    html! {
        <ul class="thumbs" role="list">
            for (index, photo) in review.photos.iter().enumerate() {
                <li key={index}>
                    <button type="button" class="thumb" part="photo"
                        aria-label={s.photo_from(index, count, &review.name)}
                        onclick={open_photo(props, index)}>
                        <img src={photo.url.clone()} alt="" loading="lazy" decoding="async"
                            width={photo.width.to_string()} height={photo.height.to_string()} />
                    </button>
                </li>
            }
        </ul>
    }
}

fn open_photo(props: &ReviewCardProps, index: usize) -> Callback<MouseEvent> {
    let on_open = props.on_open_photo.clone();
    let id = props.review.id.clone();
    Callback::from(move |e: MouseEvent| {
        // Safari does not focus a clicked button; the lightbox returns focus to it on close.
        // (Yew delegates events, so the button is found from the target, not currentTarget.)
        if let Some(button) = e
            .target_dyn_into::<Element>()
            .and_then(|t| t.closest("button").ok().flatten())
            .and_then(|b| b.dyn_into::<HtmlElement>().ok())
        {
            let _ = button.focus();
        }
        on_open.emit((id.clone(), index));
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_core::reviews::{ChoiceOption, Localized, Question};

    fn localized(en: &str, zh: &str) -> Localized {
        Localized {
            en: en.into(),
            zh_cn: Some(zh.into()),
        }
    }

    fn form() -> FormSpec {
        FormSpec {
            min_body: 20,
            questions: vec![
                Question {
                    id: "fit".into(),
                    label: localized("Fit", "尺码"),
                    kind: QuestionKind::Choice {
                        options: vec![ChoiceOption {
                            value: "true".into(),
                            label: localized("True to size", "尺码标准"),
                        }],
                    },
                },
                Question {
                    id: "quality".into(),
                    label: localized("Quality", "质量"),
                    kind: QuestionKind::Scale { min: 1, max: 5 },
                },
            ],
        }
    }

    fn answer(question: &str, value: &str) -> Answer {
        Answer {
            question: question.into(),
            value: value.into(),
        }
    }

    #[test]
    fn answers_show_option_labels_and_scales() {
        let form = form();
        assert_eq!(
            answer_text(&answer("fit", "true"), &form, Locale::ZhCn),
            Some(("尺码".into(), "尺码标准".into()))
        );
        assert_eq!(
            answer_text(&answer("quality", "4"), &form, Locale::En),
            Some(("Quality".into(), "4/5".into()))
        );
        for (q, v) in [
            ("quality", "9"),
            ("quality", "x"),
            ("fit", "big"),
            ("gone", "1"),
        ] {
            assert_eq!(
                answer_text(&answer(q, v), &form, Locale::En),
                None,
                "{q}={v}"
            );
        }
    }
}
