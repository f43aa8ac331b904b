//! Row lookups by field value, so that a test server holding a
//! corporation's million contact moments answers an equality filter the way
//! a real system with an index does, instead of scanning every record per
//! request (the benchmark would measure the test server, not inzage).
//!
//! Each field's index is built on its first use. It only narrows the rows;
//! the handlers still apply their own comparison to every candidate, so an
//! answer is the same as without it.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::comparable;

type Rows = BTreeMap<String, Vec<Map<String, Value>>>;

/// The property names and lazily built value indexes of every record set.
pub(super) struct Lookup {
    sets: BTreeMap<String, SetLookup>,
}

struct SetLookup {
    properties: Vec<String>,
    /// Field → (lower-cased comparable value → row numbers, ascending).
    by_field: HashMap<String, OnceLock<HashMap<String, Vec<u32>>>>,
}

impl Lookup {
    /// Reads the property names of every set (one pass over the rows).
    pub(super) fn new(data: &Rows) -> Self {
        let sets = data
            .iter()
            .map(|(name, rows)| {
                let properties = super::properties(rows);
                let by_field = properties
                    .iter()
                    .map(|p| (p.clone(), OnceLock::new()))
                    .collect();
                (
                    name.clone(),
                    SetLookup {
                        properties,
                        by_field,
                    },
                )
            })
            .collect();
        Lookup { sets }
    }

    /// Property names of a set in first-seen order (empty for an unknown set).
    pub(super) fn properties(&self, set: &str) -> &[String] {
        self.sets.get(set).map_or(&[], |s| s.properties.as_slice())
    }

    /// Row numbers, ascending, of the rows of `set` whose `field` equals
    /// `value` ignoring case; `None` when the set or field is unknown.
    pub(super) fn candidates<'a>(
        &'a self,
        data: &Rows,
        set: &str,
        field: &str,
        value: &str,
    ) -> Option<&'a [u32]> {
        let index = self.sets.get(set)?.by_field.get(field)?.get_or_init(|| {
            let mut index: HashMap<String, Vec<u32>> = HashMap::new();
            for (i, row) in data.get(set).into_iter().flatten().enumerate() {
                if let Some(v) = row.get(field).and_then(comparable) {
                    index.entry(v.to_lowercase()).or_default().push(i as u32);
                }
            }
            index
        });
        Some(index.get(&value.to_lowercase()).map_or(&[], Vec::as_slice))
    }

    /// The union of [`Lookup::candidates`] over `(field, value)` pairs, in row order.
    pub(super) fn any_of<'a>(
        &self,
        data: &Rows,
        set: &str,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Option<Vec<u32>> {
        let mut rows = Vec::new();
        for (field, value) in pairs {
            rows.extend_from_slice(self.candidates(data, set, field, value)?);
        }
        rows.sort_unstable();
        rows.dedup();
        Some(rows)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn scan(rows: &[Map<String, Value>], field: &str, value: &str) -> Vec<u32> {
        (0..rows.len() as u32)
            .filter(|&i| {
                rows[i as usize]
                    .get(field)
                    .and_then(comparable)
                    .is_some_and(|v| v.to_lowercase() == value.to_lowercase())
            })
            .collect()
    }

    #[test]
    fn narrows_to_exactly_the_rows_a_scan_finds() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        for dir in ["crm", "woningnet"] {
            let data = super::super::load_data(&root.join(dir)).unwrap();
            let lookup = Lookup::new(&data);
            let mut checked = 0;
            for (set, rows) in &data {
                for field in lookup.properties(set) {
                    let values: std::collections::BTreeSet<String> = rows
                        .iter()
                        .filter_map(|r| r.get(field).and_then(comparable))
                        .collect();
                    for value in &values {
                        for asked in [value.clone(), value.to_uppercase()] {
                            let got = lookup.candidates(&data, set, field, &asked).unwrap();
                            assert_eq!(
                                got,
                                scan(rows, field, &asked).as_slice(),
                                "{set}.{field} = {asked}"
                            );
                            checked += 1;
                        }
                    }
                    assert_eq!(
                        lookup.candidates(&data, set, field, "no such value"),
                        Some(&[][..])
                    );
                }
                let two: Vec<(&str, &str)> = rows
                    .iter()
                    .take(2)
                    .filter_map(|r| r.iter().next())
                    .filter_map(|(k, v)| v.as_str().map(|v| (k.as_str(), v)))
                    .collect();
                let mut both: Vec<u32> = two.iter().flat_map(|(f, v)| scan(rows, f, v)).collect();
                both.sort_unstable();
                both.dedup();
                assert_eq!(lookup.any_of(&data, set, two.iter().copied()), Some(both));
            }
            assert!(checked > 100, "{dir}: only {checked} lookups checked");
            assert_eq!(lookup.candidates(&data, "no_such_set", "x", "y"), None);
        }
    }
}
