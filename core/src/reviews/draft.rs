//! What makes a review acceptable: the widget checks it as the shopper types, the server
//! checks it again on arrival (the browser is never trusted).

use super::{
    Answer, BODY_MAX, FormSpec, MAX_ANSWER_LEN, MAX_ANSWERS, MAX_PHOTO_ID_LEN, MAX_PHOTOS,
    MAX_WEBSITE_LEN, NAME_MAX, QuestionKind, ReviewSubmitted, TITLE_MAX,
};
use crate::length_caps::{self, Capped, MAX_ID_LEN, MAX_LOCALE_LEN, TooLong};
use crate::token::MAX_TOKEN_LEN;

/// One problem with a review draft, in the order the form shows its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftError {
    /// No star rating chosen (or one outside 1–5).
    RatingMissing,
    /// The title is longer than [`TITLE_MAX`].
    TitleTooLong,
    /// The body is shorter than the store's minimum.
    BodyTooShort {
        /// The minimum, in characters.
        min: u16,
    },
    /// The body is longer than [`BODY_MAX`].
    BodyTooLong,
    /// No display name.
    NameMissing,
    /// The name is longer than [`NAME_MAX`].
    NameTooLong,
    /// A text field holds control characters (other than line breaks in the body).
    ControlCharacters,
    /// An answer to a question the store does not ask, or a value it does not offer.
    BadAnswer(String),
    /// More than [`MAX_PHOTOS`] photos.
    TooManyPhotos,
}

impl std::fmt::Display for DraftError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DraftError::RatingMissing => f.write_str("a rating of 1 to 5 stars is required"),
            DraftError::TitleTooLong => {
                write!(f, "the title is longer than {TITLE_MAX} characters")
            }
            DraftError::BodyTooShort { min } => {
                write!(f, "the review is shorter than {min} characters")
            }
            DraftError::BodyTooLong => write!(f, "the review is longer than {BODY_MAX} characters"),
            DraftError::NameMissing => f.write_str("a display name is required"),
            DraftError::NameTooLong => write!(f, "the name is longer than {NAME_MAX} characters"),
            DraftError::ControlCharacters => f.write_str("a field contains control characters"),
            DraftError::BadAnswer(q) => {
                write!(f, "the answer to \"{q}\" is not one of its options")
            }
            DraftError::TooManyPhotos => write!(f, "more than {MAX_PHOTOS} photos"),
        }
    }
}

/// Length in characters as a person counts them (what the live counter shows).
pub fn char_count(text: &str) -> usize {
    text.trim().chars().count()
}

/// Every problem with `review` under the store's `form`; empty when it may be sent.
pub fn problems(review: &ReviewSubmitted, form: &FormSpec) -> Vec<DraftError> {
    let mut errors = Vec::new();
    if !(1..=5).contains(&review.rating) {
        errors.push(DraftError::RatingMissing);
    }
    if char_count(&review.title) > TITLE_MAX {
        errors.push(DraftError::TitleTooLong);
    }
    let body = char_count(&review.body);
    if body < usize::from(form.min_body) {
        errors.push(DraftError::BodyTooShort { min: form.min_body });
    } else if body > BODY_MAX {
        errors.push(DraftError::BodyTooLong);
    }
    let name = char_count(&review.name);
    if name == 0 {
        errors.push(DraftError::NameMissing);
    } else if name > NAME_MAX {
        errors.push(DraftError::NameTooLong);
    }
    let single_line = |s: &str| s.chars().any(char::is_control);
    let multi_line = |s: &str| {
        s.chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    };
    if single_line(&review.title) || single_line(&review.name) || multi_line(&review.body) {
        errors.push(DraftError::ControlCharacters);
    }
    for answer in &review.answers {
        if !answer_is_valid(answer, form) {
            errors.push(DraftError::BadAnswer(answer.question.clone()));
        }
    }
    if review.photos.len() > MAX_PHOTOS {
        errors.push(DraftError::TooManyPhotos);
    }
    errors
}

/// The caps of every text a review carries. Title, body and name are counted as the form counts
/// them ([`char_count`]), so a review the form lets through is never refused for its length.
impl Capped for ReviewSubmitted {
    fn check_caps(&self) -> Result<(), TooLong> {
        length_caps::text("data.product", &self.product, MAX_ID_LEN)?;
        length_caps::optional("data.order", self.order.as_deref(), MAX_ID_LEN)?;
        length_caps::optional(
            "data.order_token",
            self.order_token.as_deref(),
            MAX_TOKEN_LEN,
        )?;
        length_caps::text("data.title", self.title.trim(), TITLE_MAX)?;
        length_caps::text("data.body", self.body.trim(), BODY_MAX)?;
        length_caps::text("data.name", self.name.trim(), NAME_MAX)?;
        length_caps::items("data.answers", self.answers.len(), MAX_ANSWERS)?;
        for answer in &self.answers {
            length_caps::text("data.answers[].question", &answer.question, MAX_ANSWER_LEN)?;
            length_caps::text("data.answers[].value", &answer.value, MAX_ANSWER_LEN)?;
        }
        length_caps::items("data.photos", self.photos.len(), MAX_PHOTOS)?;
        for photo in &self.photos {
            length_caps::text("data.photos[]", photo, MAX_PHOTO_ID_LEN)?;
        }
        length_caps::text("data.locale", &self.locale, MAX_LOCALE_LEN)?;
        length_caps::text("data.website", &self.website, MAX_WEBSITE_LEN)
    }
}

fn answer_is_valid(answer: &Answer, form: &FormSpec) -> bool {
    let Some(question) = form.questions.iter().find(|q| q.id == answer.question) else {
        return false;
    };
    match &question.kind {
        QuestionKind::Choice { options } => options.iter().any(|o| o.value == answer.value),
        QuestionKind::Scale { min, max } => answer
            .value
            .parse::<u8>()
            .is_ok_and(|v| (*min..=*max).contains(&v) && v.to_string() == answer.value),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::reviews::{ChoiceOption, Localized, Question};

    fn form() -> FormSpec {
        let label = |s: &str| Localized {
            en: s.into(),
            zh_cn: None,
        };
        FormSpec {
            min_body: 20,
            questions: vec![
                Question {
                    id: "fit".into(),
                    label: label("Fit"),
                    kind: QuestionKind::Choice {
                        options: ["small", "true", "large"]
                            .map(|v| ChoiceOption {
                                value: v.into(),
                                label: label(v),
                            })
                            .to_vec(),
                    },
                },
                Question {
                    id: "quality".into(),
                    label: label("Quality"),
                    kind: QuestionKind::Scale { min: 1, max: 5 },
                },
            ],
        }
    }

    pub(crate) fn good() -> ReviewSubmitted {
        ReviewSubmitted {
            product: "jasmine".into(),
            order: Some("1001".into()),
            order_token: None,
            rating: 4,
            title: "Lovely".into(),
            body: "Floral, clean and sweet; brews three times.".into(),
            name: "Mei".into(),
            answers: vec![
                Answer {
                    question: "fit".into(),
                    value: "true".into(),
                },
                Answer {
                    question: "quality".into(),
                    value: "5".into(),
                },
            ],
            photos: vec![],
            locale: "en".into(),
            fill_ms: 40_000,
            website: String::new(),
        }
    }

    #[test]
    fn a_complete_review_passes() {
        assert_eq!(problems(&good(), &form()), vec![]);
    }

    #[test]
    fn each_field_is_checked() {
        type Change = Box<dyn Fn(&mut ReviewSubmitted)>;
        let cases: Vec<(Change, DraftError)> = vec![
            (Box::new(|r| r.rating = 0), DraftError::RatingMissing),
            (Box::new(|r| r.rating = 6), DraftError::RatingMissing),
            (
                Box::new(|r| r.title = "t".repeat(121)),
                DraftError::TitleTooLong,
            ),
            (
                Box::new(|r| r.body = "  too short  ".into()),
                DraftError::BodyTooShort { min: 20 },
            ),
            (
                Box::new(|r| r.body = "b".repeat(5001)),
                DraftError::BodyTooLong,
            ),
            (Box::new(|r| r.name = "   ".into()), DraftError::NameMissing),
            (
                Box::new(|r| r.name = "n".repeat(61)),
                DraftError::NameTooLong,
            ),
            (
                Box::new(|r| r.name = "Mei\u{0}".into()),
                DraftError::ControlCharacters,
            ),
            (
                Box::new(|r| r.title = "a\nb".into()),
                DraftError::ControlCharacters,
            ),
            (
                Box::new(|r| r.answers[0].value = "huge".into()),
                DraftError::BadAnswer("fit".into()),
            ),
            (
                Box::new(|r| r.answers[1].value = "05".into()),
                DraftError::BadAnswer("quality".into()),
            ),
            (
                Box::new(|r| r.answers[1].value = "9".into()),
                DraftError::BadAnswer("quality".into()),
            ),
            (
                Box::new(|r| r.answers[1].question = "colour".into()),
                DraftError::BadAnswer("colour".into()),
            ),
            (
                Box::new(|r| r.photos = vec!["p".into(); 6]),
                DraftError::TooManyPhotos,
            ),
        ];
        for (change, expected) in cases {
            let mut review = good();
            change(&mut review);
            assert_eq!(problems(&review, &form()), vec![expected]);
        }
    }

    #[test]
    fn counts_characters_not_bytes() {
        let mut review = good();
        review.body = "茶香清雅，回甘明显，三泡之后依然有花香，值得回购。".into();
        assert_eq!(char_count(&review.body), 25);
        assert_eq!(problems(&review, &form()), vec![]);
        review.body.push_str("\n\n第二段。");
        assert_eq!(problems(&review, &form()), vec![]);
    }
}
