//! What the form says about each mistake, and which element a mistake is about (where focus
//! goes and what the error summary links to).

use super::state::{Field, Problem};
use super::strings::{FormStrings, fill};
use encore_core::reviews::draft::DraftError;
use encore_core::reviews::{BODY_MAX, FormSpec, MAX_PHOTOS, NAME_MAX, TITLE_MAX};

/// The message for a problem.
pub fn problem_text(s: &FormStrings, problem: &Problem) -> String {
    let num = |n: usize| n.to_string();
    match problem {
        Problem::PhotosPending => s.err_photos_pending.to_owned(),
        Problem::Draft(e) => match e {
            DraftError::RatingMissing => s.err_rating.to_owned(),
            DraftError::TitleTooLong => fill(s.err_title_long, &[("max", &num(TITLE_MAX))]),
            DraftError::BodyTooShort { min } => {
                fill(s.err_body_short, &[("min", &min.to_string())])
            }
            DraftError::BodyTooLong => fill(s.err_body_long, &[("max", &num(BODY_MAX))]),
            DraftError::NameMissing => s.err_name_missing.to_owned(),
            DraftError::NameTooLong => fill(s.err_name_long, &[("max", &num(NAME_MAX))]),
            DraftError::ControlCharacters => s.err_control.to_owned(),
            DraftError::BadAnswer(_) => s.err_answer.to_owned(),
            DraftError::TooManyPhotos => fill(s.err_photos, &[("max", &num(MAX_PHOTOS))]),
        },
    }
}

/// The id of the element a field's problem is about (the first radio of a group).
pub fn field_id(prefix: &str, form: &FormSpec, field: &Field) -> String {
    match field {
        Field::Rating => format!("{prefix}-rating-1"),
        Field::Title => format!("{prefix}-title"),
        Field::Body => format!("{prefix}-body"),
        Field::Name => format!("{prefix}-name"),
        Field::Question(q) => {
            let index = form.questions.iter().position(|x| &x.id == q).unwrap_or(0);
            format!("{prefix}-q{index}-0")
        }
        Field::Photos => format!("{prefix}-photos-button"),
    }
}
