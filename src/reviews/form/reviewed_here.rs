//! What this browser remembers of an order's reviews: each product reviewed here, with the
//! result id of its review, stored in localStorage as a JSON object.
//!
//! A short list rather than a `BTreeMap`: an order has a few items, and the map would bring
//! its tree code into the bundle for this one use.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Product → result id, each product once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewedHere(Vec<(String, String)>);

impl ReviewedHere {
    /// The result id of `product`'s review, when it was reviewed here.
    pub fn get(&self, product: &str) -> Option<&String> {
        self.0.iter().find(|(p, _)| p == product).map(|(_, id)| id)
    }

    /// Notes `product` as reviewed here as result `id`, replacing an earlier id.
    pub fn insert(&mut self, product: String, id: String) {
        match self.0.iter_mut().find(|(p, _)| *p == product) {
            Some((_, known)) => *known = id,
            None => self.0.push((product, id)),
        }
    }
}

impl Serialize for ReviewedHere {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(p, id)| (p, id)))
    }
}

impl<'de> Deserialize<'de> for ReviewedHere {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ReviewedHereVisitor)
    }
}

struct ReviewedHereVisitor;

impl<'de> Visitor<'de> for ReviewedHereVisitor {
    type Value = ReviewedHere;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of product ids to result ids")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ReviewedHere, A::Error> {
        let mut here = ReviewedHere::default();
        // As a map read it: a key given twice keeps its last value.
        while let Some((product, id)) = map.next_entry::<String, String>()? {
            here.insert(product, id);
        }
        Ok(here)
    }
}

#[cfg(test)]
mod tests {
    use super::ReviewedHere;

    fn read(text: &str) -> Option<ReviewedHere> {
        serde_json::from_str(text).ok()
    }

    #[test]
    fn reads_what_it_writes_and_what_a_map_wrote() {
        let mut here = ReviewedHere::default();
        here.insert("b".into(), "rb".into());
        here.insert("a".into(), "ra".into());
        here.insert("b".into(), "rb2".into());
        let text = serde_json::to_string(&here).expect("serialises");
        assert_eq!(text, r#"{"b":"rb2","a":"ra"}"#);
        assert_eq!(read(&text), Some(here.clone()));
        let from_map = read(r#"{"a":"ra","b":"rb","b":"rb2"}"#).expect("an object");
        assert_eq!(from_map.get("a"), Some(&"ra".to_owned()));
        assert_eq!(from_map.get("b"), Some(&"rb2".to_owned()));
        assert_eq!(from_map.get("c"), None);
    }

    #[test]
    fn refuses_what_is_not_an_object_of_strings() {
        for text in [
            "[]",
            "null",
            r#"{"a":1}"#,
            r#"["a","ra"]"#,
            "{",
            r#"{"a":"ra"} x"#,
        ] {
            assert_eq!(read(text), None, "{text}");
        }
        assert_eq!(read("{}"), Some(ReviewedHere::default()));
    }
}
