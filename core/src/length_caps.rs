//! Length caps on the texts a result carries: one over its cap, a result is refused `too_long`
//! with the field named, so that no text from a browser grows a table, a log line or a
//! rate-limiter key without bound. The caps of each type's own fields sit beside the type; the
//! ones several types share are here. docs/endpoint.md lists them all ("Length caps").

use std::fmt;

/// Longest store id ([`crate::config::is_store_id`]).
pub const MAX_STORE_LEN: usize = 64;
/// Longest product or order id, in characters: what the widget's `product` and `order`
/// attributes accept.
pub const MAX_ID_LEN: usize = 128;
/// Longest page URL (origin and path; the widget never sends the query), in characters.
pub const MAX_PAGE_LEN: usize = 2048;
/// Longest device id: the random id a browser keeps per store (a UUID, 36) for the surprise and
/// referral limits.
pub const MAX_DEVICE_LEN: usize = 64;
/// Longest language tag: BCP 47 asks every implementation to take tags of up to 35.
pub const MAX_LOCALE_LEN: usize = 35;

/// `value` cut to its first `max` characters: what a sender does with a text it makes itself
/// (a page's address) so that the endpoint never refuses it as too long.
pub fn clip(value: &str, max: usize) -> &str {
    match value.char_indices().nth(max) {
        Some((end, _)) => &value[..end],
        None => value,
    }
}

/// What a cap counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Characters (Unicode scalar values), as a person and the widget's counters count them.
    Chars,
    /// Entries of a list.
    Items,
}

/// A field over its cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLong {
    /// The field as answers name it: `store`, `data.product`, `data.answers[].value`.
    pub field: &'static str,
    /// Its cap.
    pub max: usize,
    /// What the cap counts.
    pub unit: Unit,
}

impl fmt::Display for TooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.unit {
            Unit::Chars => write!(f, "{} is longer than {} characters", self.field, self.max),
            Unit::Items => write!(f, "{} has more than {} entries", self.field, self.max),
        }
    }
}

/// A result, or part of one, whose texts have caps.
pub trait Capped {
    /// The first field over its cap, if any.
    fn check_caps(&self) -> Result<(), TooLong>;
}

/// `value` of `field` against `max` characters.
pub fn text(field: &'static str, value: &str, max: usize) -> Result<(), TooLong> {
    // A string of at most `max` bytes has at most `max` characters: most never need counting.
    if value.len() <= max || value.chars().count() <= max {
        Ok(())
    } else {
        Err(TooLong {
            field,
            max,
            unit: Unit::Chars,
        })
    }
}

/// [`text`] for a field that may be left out.
pub fn optional(field: &'static str, value: Option<&str>, max: usize) -> Result<(), TooLong> {
    value.map_or(Ok(()), |v| text(field, v, max))
}

/// A list `field` of `len` entries against `max`.
pub fn items(field: &'static str, len: usize, max: usize) -> Result<(), TooLong> {
    if len <= max {
        Ok(())
    } else {
        Err(TooLong {
            field,
            max,
            unit: Unit::Items,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_keeps_whole_characters_and_fits_the_cap() {
        assert_eq!(clip("茶茶茶", 2), "茶茶");
        assert_eq!(clip("tea", 5), "tea");
        let long = format!("https://shop.example/{}", "茶".repeat(3000));
        let clipped = clip(&long, MAX_PAGE_LEN);
        assert_eq!(clipped.chars().count(), MAX_PAGE_LEN);
        assert_eq!(text("page", clipped, MAX_PAGE_LEN), Ok(()));
    }

    #[test]
    fn caps_count_characters_not_bytes() {
        assert_eq!(text("data.product", "茶茶茶", 3), Ok(()));
        let over = text("data.product", "茶茶茶茶", 3);
        assert_eq!(
            over.map_err(|e| e.to_string()),
            Err("data.product is longer than 3 characters".into())
        );
        assert_eq!(optional("data.page", None, 0), Ok(()));
        assert!(optional("data.page", Some("a"), 0).is_err());
        assert_eq!(items("data.photos", 5, 5), Ok(()));
        assert_eq!(
            items("data.photos", 6, 5).map_err(|e| e.to_string()),
            Err("data.photos has more than 5 entries".into())
        );
    }
}
