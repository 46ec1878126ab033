//! Values and sets keyed by [`FieldName`]: one slot per field, in field order.
//!
//! There are only eleven fields, so a slot per field is smaller in the wasm and faster
//! than a tree map; iteration, equality and the JSON are those of a
//! `BTreeMap<FieldName, String>` (keys in [`FieldName`]'s order).

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::FieldName;
use crate::json::{ToJson, Writer};

const COUNT: usize = FieldName::ALL.len();

/// A text per field, for the fields that have one; iterates in [`FieldName`] order.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct FieldValues([Option<String>; COUNT]);

impl FieldValues {
    /// No values.
    pub fn new() -> FieldValues {
        FieldValues::default()
    }

    /// Sets the value of `field`; returns the one it replaces.
    pub fn insert(&mut self, field: FieldName, value: String) -> Option<String> {
        self.slot(field).replace(value)
    }

    /// The value of `field`, if it has one.
    pub fn get(&self, field: &FieldName) -> Option<&String> {
        self.0.get(*field as usize).and_then(Option::as_ref)
    }

    /// The value of `field` to change in place, if it has one.
    pub fn get_mut(&mut self, field: &FieldName) -> Option<&mut String> {
        self.0.get_mut(*field as usize).and_then(Option::as_mut)
    }

    /// Removes the value of `field` and returns it.
    pub fn remove(&mut self, field: &FieldName) -> Option<String> {
        self.0.get_mut(*field as usize).and_then(Option::take)
    }

    /// Whether `field` has a value.
    pub fn contains_key(&self, field: &FieldName) -> bool {
        self.get(field).is_some()
    }

    /// How many fields have a value.
    pub fn len(&self) -> usize {
        self.0.iter().filter(|v| v.is_some()).count()
    }

    /// Whether no field has a value.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }

    /// The fields that have a value, with it, in field order.
    pub fn iter(&self) -> impl Iterator<Item = (FieldName, &String)> + '_ {
        FieldName::ALL
            .iter()
            .zip(&self.0)
            .filter_map(|(&field, value)| Some((field, value.as_ref()?)))
    }

    /// The fields that have a value, in field order.
    pub fn keys(&self) -> impl Iterator<Item = FieldName> + '_ {
        self.iter().map(|(field, _)| field)
    }

    /// The values, in field order.
    pub fn values(&self) -> impl Iterator<Item = &String> + '_ {
        self.0.iter().flatten()
    }

    fn slot(&mut self, field: FieldName) -> &mut Option<String> {
        // One slot per variant, in declaration order (the order of `FieldName::ALL`).
        let [company, name, industry, need, phone, email, date, window, topic, guardian, guardian_phone] =
            &mut self.0;
        match field {
            FieldName::Company => company,
            FieldName::Name => name,
            FieldName::Industry => industry,
            FieldName::Need => need,
            FieldName::Phone => phone,
            FieldName::Email => email,
            FieldName::CallbackDate => date,
            FieldName::CallbackWindow => window,
            FieldName::Topic => topic,
            FieldName::GuardianName => guardian,
            FieldName::GuardianPhone => guardian_phone,
        }
    }
}

impl fmt::Debug for FieldValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl FromIterator<(FieldName, String)> for FieldValues {
    fn from_iter<I: IntoIterator<Item = (FieldName, String)>>(iter: I) -> FieldValues {
        let mut values = FieldValues::new();
        values.extend(iter);
        values
    }
}

impl Extend<(FieldName, String)> for FieldValues {
    /// Later values replace earlier ones, as in a map.
    fn extend<I: IntoIterator<Item = (FieldName, String)>>(&mut self, iter: I) {
        for (field, value) in iter {
            self.insert(field, value);
        }
    }
}

type Slots = std::iter::Zip<
    std::array::IntoIter<FieldName, COUNT>,
    std::array::IntoIter<Option<String>, COUNT>,
>;

fn present((field, value): (FieldName, Option<String>)) -> Option<(FieldName, String)> {
    Some((field, value?))
}

impl IntoIterator for FieldValues {
    type Item = (FieldName, String);
    type IntoIter =
        std::iter::FilterMap<Slots, fn((FieldName, Option<String>)) -> Option<(FieldName, String)>>;

    /// The fields that have a value, with it, in field order.
    fn into_iter(self) -> Self::IntoIter {
        FieldName::ALL.into_iter().zip(self.0).filter_map(present)
    }
}

impl ToJson for FieldValues {
    /// A JSON object, keys in field order (what the `Serialize` impl writes).
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        for (field, value) in self.iter() {
            w.key(field.as_str()).string(value);
        }
        w.end_object();
    }
}

impl Serialize for FieldValues {
    /// A JSON object, keys in field order.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for FieldValues {
    /// An object keyed by field names; a repeated key keeps its last value.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FieldValues, D::Error> {
        struct Values;
        impl<'de> Visitor<'de> for Values {
            type Value = FieldValues;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FieldValues, A::Error> {
                let mut values = FieldValues::new();
                while let Some((field, value)) = map.next_entry::<FieldName, String>()? {
                    values.insert(field, value);
                }
                Ok(values)
            }
        }
        deserializer.deserialize_map(Values)
    }
}

/// A set of fields, such as those the visitor has left once.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct FieldSet(u16);

impl FieldSet {
    /// No field.
    pub fn new() -> FieldSet {
        FieldSet::default()
    }

    /// Adds `field`; returns whether it was absent.
    pub fn insert(&mut self, field: FieldName) -> bool {
        let absent = !self.contains(&field);
        self.0 |= bit(field);
        absent
    }

    /// Whether `field` is in the set.
    pub fn contains(&self, field: &FieldName) -> bool {
        self.0 & bit(*field) != 0
    }

    /// The fields in the set, in field order.
    pub fn iter(&self) -> impl Iterator<Item = FieldName> + '_ {
        FieldName::ALL.into_iter().filter(|f| self.contains(f))
    }
}

fn bit(field: FieldName) -> u16 {
    1 << field as u16
}

impl fmt::Debug for FieldSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    #[test]
    fn all_lists_each_field_once_in_order() {
        for (i, field) in FieldName::ALL.iter().enumerate() {
            assert_eq!(*field as usize, i);
            assert_eq!(
                FieldName::ALL.get(i + 1).map(|next| field < next),
                (i + 1 < COUNT).then_some(true)
            );
        }
    }

    /// Every operation agrees with the `BTreeMap` it replaces, JSON bytes included.
    #[test]
    fn behaves_like_a_btree_map() {
        let ops: &[(FieldName, Option<&str>)] = &[
            (FieldName::Topic, Some("t")),
            (FieldName::Company, Some("Công ty")),
            (FieldName::Phone, Some("+84902666984")),
            (FieldName::Topic, Some("t2")),
            (FieldName::Need, None),
            (FieldName::Company, None),
            (FieldName::CallbackWindow, Some("")),
            (FieldName::Email, Some("a@b.vn")),
        ];
        let mut ours = FieldValues::new();
        let mut theirs = BTreeMap::new();
        for &(field, value) in ops {
            match value {
                Some(v) => assert_eq!(ours.insert(field, v.into()), theirs.insert(field, v.into())),
                None => assert_eq!(ours.remove(&field), theirs.remove(&field)),
            }
            assert_eq!(ours.len(), theirs.len());
            assert_eq!(ours.is_empty(), theirs.is_empty());
            for f in FieldName::ALL {
                assert_eq!(ours.get(&f), theirs.get(&f));
                assert_eq!(ours.contains_key(&f), theirs.contains_key(&f));
            }
            assert!(ours.iter().eq(theirs.iter().map(|(k, v)| (*k, v))));
            assert!(ours.keys().eq(theirs.keys().copied()));
            assert!(ours.values().eq(theirs.values()));
            assert_eq!(
                serde_json::to_string(&ours).unwrap(),
                serde_json::to_string(&theirs).unwrap()
            );
            assert_eq!(ours.to_json(), serde_json::to_string(&theirs).unwrap());
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        }
        assert!(ours.clone().into_iter().eq(theirs.clone()));
        assert_eq!(ours.clone().into_iter().collect::<FieldValues>(), ours);
        if let Some(v) = ours.get_mut(&FieldName::Email) {
            v.push('x');
        }
        assert_eq!(
            ours.get(&FieldName::Email).map(String::as_str),
            Some("a@b.vnx")
        );
        assert_eq!(ours.get_mut(&FieldName::Need), None);
    }

    #[test]
    fn equality_ignores_insertion_order() {
        let a: FieldValues = [
            (FieldName::Name, "a".into()),
            (FieldName::Email, "e".into()),
        ]
        .into_iter()
        .collect();
        let b: FieldValues = [
            (FieldName::Email, "e".into()),
            (FieldName::Name, "a".into()),
        ]
        .into_iter()
        .collect();
        assert_eq!(a, b);
        let c: FieldValues = [(FieldName::Email, "e".into())].into_iter().collect();
        assert_ne!(a, c);
    }

    #[test]
    fn reads_json_as_a_btree_map_does() {
        for text in [
            r#"{"phone":"+84902666984","company":"X","topic":"y"}"#,
            r#"{"name":"a","name":"b"}"#,
            "{}",
            r#"{"nope":"x"}"#,
            r#"{"name":1}"#,
            r#"["name"]"#,
            "null",
        ] {
            let ours = serde_json::from_str::<FieldValues>(text).map_err(|e| e.to_string());
            let theirs = serde_json::from_str::<BTreeMap<FieldName, String>>(text)
                .map_err(|e| e.to_string());
            assert_eq!(
                ours.map(|v| v.into_iter().collect::<Vec<_>>()),
                theirs.map(|v| v.into_iter().collect()),
                "{text}"
            );
        }
    }

    #[test]
    fn sets_behave_like_a_btree_set() {
        let mut ours = FieldSet::new();
        let mut theirs = BTreeSet::new();
        for field in [
            FieldName::Topic,
            FieldName::Company,
            FieldName::Topic,
            FieldName::Email,
        ] {
            assert_eq!(ours.insert(field), theirs.insert(field));
            for f in FieldName::ALL {
                assert_eq!(ours.contains(&f), theirs.contains(&f));
            }
            assert!(ours.iter().eq(theirs.iter().copied()));
            assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        }
    }
}
