//! Settings keyed by name (text overrides, field settings, ticked consents): a short
//! list kept sorted by name.
//!
//! Hosts name a handful of entries at most, so a sorted list is smaller in the wasm
//! than a tree map; iteration, equality and lookups are those of a
//! `BTreeMap<String, V>`.

use std::fmt;

/// Values keyed by name, in name order; a name appears at most once.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ByName<V>(Vec<(String, V)>);

impl<V> Default for ByName<V> {
    fn default() -> Self {
        ByName(Vec::new())
    }
}

impl<V> ByName<V> {
    /// No entries.
    pub fn new() -> ByName<V> {
        ByName::default()
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }

    /// Sets the value of `name`; returns the one it replaces.
    pub fn insert(&mut self, name: String, value: V) -> Option<V> {
        match self.find(&name) {
            Ok(i) => self
                .0
                .get_mut(i)
                .map(|(_, old)| std::mem::replace(old, value)),
            Err(i) => {
                self.0.insert(i, (name, value));
                None
            }
        }
    }

    /// The value of `name`, if set.
    pub fn get(&self, name: &str) -> Option<&V> {
        let i = self.find(name).ok()?;
        self.0.get(i).map(|(_, v)| v)
    }

    /// Unsets `name`; returns its value.
    pub fn remove(&mut self, name: &str) -> Option<V> {
        let i = self.find(name).ok()?;
        Some(self.0.remove(i).1)
    }

    /// How many names are set.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no name is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> + '_ {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> + '_ {
        self.0.iter().map(|(k, _)| k)
    }
}

impl<V: fmt::Debug> fmt::Debug for ByName<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V> Extend<(String, V)> for ByName<V> {
    /// Later values replace earlier ones, as in a map.
    fn extend<I: IntoIterator<Item = (String, V)>>(&mut self, iter: I) {
        for (name, value) in iter {
            self.insert(name, value);
        }
    }
}

impl<V> FromIterator<(String, V)> for ByName<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> ByName<V> {
        let mut map = ByName::new();
        map.extend(iter);
        map
    }
}

impl<V, const N: usize> From<[(String, V); N]> for ByName<V> {
    fn from(entries: [(String, V); N]) -> ByName<V> {
        entries.into_iter().collect()
    }
}

impl<V> IntoIterator for ByName<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;

    /// The entries, in name order.
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// Every operation agrees with the `BTreeMap` it replaces.
    #[test]
    fn behaves_like_a_btree_map() {
        let names = [
            "submit",
            "b",
            "",
            "label_name",
            "b",
            "Submit",
            "ả",
            "a",
            "submit",
        ];
        let mut ours = ByName::new();
        let mut theirs = BTreeMap::new();
        for (i, name) in names.iter().enumerate() {
            assert_eq!(
                ours.insert(name.to_string(), i),
                theirs.insert(name.to_string(), i)
            );
            assert_eq!(ours.len(), theirs.len());
            assert_eq!(ours.is_empty(), theirs.is_empty());
            for n in names.iter().chain(&["x", "c"]) {
                assert_eq!(ours.get(n), theirs.get(*n));
            }
            assert!(ours.iter().eq(theirs.iter()));
            assert!(ours.keys().eq(theirs.keys()));
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        }
        let more = [("a".to_owned(), 100), ("zz".to_owned(), 101)];
        ours.extend(more.clone());
        theirs.extend(more);
        assert!(ours.clone().into_iter().eq(theirs.clone()));
        assert_eq!(ours.clone().into_iter().collect::<ByName<_>>(), ours);
    }

    #[test]
    fn equality_ignores_insertion_order() {
        let a = ByName::from([("x".to_owned(), true), ("a".to_owned(), false)]);
        let b = ByName::from([("a".to_owned(), false), ("x".to_owned(), true)]);
        assert_eq!(a, b);
        assert_ne!(a, ByName::from([("a".to_owned(), false)]));
        assert_eq!(ByName::<bool>::new(), ByName::default());
    }
}
