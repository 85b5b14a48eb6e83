//! Values by photo key, for the handful of photos a review may have.
//!
//! A list rather than a `HashMap`: each map type costs the widget's bundle its own copy of
//! the hash table code, and a form holds at most [`encore_core::reviews::MAX_PHOTOS`] keys.

/// Values by `u32` key, each key at most once, in insertion order.
#[derive(Debug, Clone, PartialEq)]
pub struct ByKey<T>(Vec<(u32, T)>);

impl<T> Default for ByKey<T> {
    fn default() -> Self {
        ByKey(Vec::new())
    }
}

impl<T> ByKey<T> {
    /// Sets `key` to `value`, replacing what it had.
    pub fn insert(&mut self, key: u32, value: T) {
        self.remove(key);
        self.0.push((key, value));
    }

    /// The value of `key`.
    pub fn get(&self, key: u32) -> Option<&T> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Takes `key`'s value out.
    pub fn remove(&mut self, key: u32) -> Option<T> {
        let at = self.0.iter().position(|(k, _)| *k == key)?;
        Some(self.0.remove(at).1)
    }

    /// Every value.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter().map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::ByKey;

    #[test]
    fn a_key_holds_its_latest_value_until_removed() {
        let mut map = ByKey::default();
        map.insert(1, "a");
        map.insert(2, "b");
        map.insert(1, "c");
        assert_eq!(map.get(1), Some(&"c"));
        assert_eq!(map.get(2), Some(&"b"));
        assert_eq!(map.values().count(), 2);
        assert_eq!(map.remove(1), Some("c"));
        assert_eq!(map.get(1), None);
        assert_eq!(map.remove(1), None);
        assert_eq!(map.values().copied().collect::<Vec<_>>(), ["b"]);
    }
}
