//! A map kept as a short list of pairs, for the few keys the widget's maps hold: a form's
//! photos, an order's items, a page's endpoints.
//!
//! Each `HashMap` or `BTreeMap` type costs the bundle its own copy of the hash table or tree
//! code; a search through a handful of pairs is as quick and costs next to nothing.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

/// Values by key, each key at most once, in the order keys were first inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmallMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        SmallMap(Vec::new())
    }
}

impl<K: PartialEq, V> SmallMap<K, V> {
    fn position<Q: PartialEq + ?Sized>(&self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
    {
        self.0.iter().position(|(k, _)| k.borrow() == key)
    }

    /// The value of `key`.
    pub fn get<Q: PartialEq + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.position(key).map(|at| &self.0[at].1)
    }

    /// The value of `key`, inserted as `V::default()` when missing.
    pub fn or_default<Q: PartialEq + ToOwned<Owned = K> + ?Sized>(&mut self, key: &Q) -> &mut V
    where
        K: Borrow<Q>,
        V: Default,
    {
        let at = match self.position(key) {
            Some(at) => at,
            None => {
                self.0.push((key.to_owned(), V::default()));
                self.0.len() - 1
            }
        };
        &mut self.0[at].1
    }

    /// Sets `key` to `value` in its place, or at the end when new.
    pub fn insert(&mut self, key: K, value: V) {
        match self.position(&key) {
            Some(at) => self.0[at].1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// Takes `key`'s value out.
    pub fn remove<Q: PartialEq + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let at = self.position(key)?;
        Some(self.0.remove(at).1)
    }

    /// Every key and value.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Every value.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }

    /// Every value, to change.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.0.iter_mut().map(|(_, v)| v)
    }
}

/// Written as a JSON object, in order.
impl<K: Serialize, V: Serialize> Serialize for SmallMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// Read from an object; as a map reads it, a key given twice keeps its last value.
impl<'de, K: Deserialize<'de> + PartialEq, V: Deserialize<'de>> Deserialize<'de>
    for SmallMap<K, V>
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(SmallMapVisitor(PhantomData))
    }
}

struct SmallMapVisitor<K, V>(PhantomData<(K, V)>);

impl<'de, K: Deserialize<'de> + PartialEq, V: Deserialize<'de>> Visitor<'de>
    for SmallMapVisitor<K, V>
{
    type Value = SmallMap<K, V>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut read = SmallMap::default();
        while let Some((key, value)) = map.next_entry()? {
            read.insert(key, value);
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::SmallMap;

    type Names = SmallMap<String, String>;

    fn read(text: &str) -> Option<Names> {
        serde_json::from_str(text).ok()
    }

    #[test]
    fn a_key_holds_its_latest_value_in_its_place_until_removed() {
        let mut map = SmallMap::default();
        map.insert(1, "a");
        map.insert(2, "b");
        map.insert(1, "c");
        assert_eq!(map.get(&1), Some(&"c"));
        assert_eq!(map.values().copied().collect::<Vec<_>>(), ["c", "b"]);
        assert_eq!(map.remove(&1), Some("c"));
        assert_eq!(map.get(&1), None);
        assert_eq!(map.remove(&1), None);
        assert_eq!(map.values().copied().collect::<Vec<_>>(), ["b"]);
    }

    #[test]
    fn or_default_inserts_once() {
        let mut lists: SmallMap<String, Vec<u8>> = SmallMap::default();
        lists.or_default("a").push(1);
        lists.or_default("a").push(2);
        lists.or_default("b").push(3);
        assert_eq!(lists.get("a"), Some(&vec![1, 2]));
        for list in lists.values_mut() {
            list.clear();
        }
        let keys: Vec<&String> = lists.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(lists.get("b"), Some(&Vec::new()));
    }

    #[test]
    fn reads_what_it_writes_and_what_a_map_wrote() {
        let mut here = Names::default();
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
    fn refuses_what_is_not_an_object_of_its_types() {
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
        assert_eq!(read("{}"), Some(Names::default()));
    }
}
