//! Finding the tenant a request is about: a request arrives with a name, a
//! birth date and an address (privacy statement, section 8.2), not a
//! klantnummer.
//!
//! Every source that can be searched by person (a dataset with a `persoon`
//! match in connectors.toml) is asked with the normalised name and birth
//! date, and the postcode when given; without a postcode every address
//! matches. The answer shows candidates masked: klantnummer, initials,
//! birth year, postcode area (`3512`) and which systems know them, never
//! the full data of a person who is perhaps not the requester.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use inzage_core::identifier::{normalise_name, normalise_postcode};
use inzage_core::register::ColumnRef;
use inzage_core::{Connector, FetchRequest, Identifier, IdentifierKind, PersonKey, Record};
use serde::Serialize;

/// What staff know about the requester.
#[derive(Clone, Debug)]
pub struct PersonQuery {
    /// The full name as the requester wrote it (`Fleur van den Berg`).
    pub name: String,
    /// Birth date.
    pub born: NaiveDate,
    /// Postcode, when known (`3512 AB`).
    pub postcode: Option<String>,
}

/// One person the sources know under that name and birth date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// The klantnummer, to open the request with.
    pub klantnummer: String,
    /// Initials of the first names (`F.`).
    pub initials: String,
    /// Birth year, when a source holds the birth date.
    pub birth_year: Option<i32>,
    /// The four digits of the postcodes of the matching addresses.
    pub postcode_areas: BTreeSet<String>,
    /// Labels of the systems that hold a matching record.
    pub systems: BTreeSet<String>,
}

/// The answer of [`find`].
#[derive(Clone, Debug, Default, Serialize)]
pub struct FindOutcome {
    /// Candidates, by klantnummer.
    pub candidates: Vec<Candidate>,
    /// Matching records without a klantnummer (a regional registry), per
    /// system label, at a postcode that no single candidate has: staff
    /// check these by hand.
    pub without_customer: BTreeMap<String, usize>,
    /// Labels of the systems asked.
    pub searched: Vec<String>,
    /// Systems that could not be asked: label and reason.
    pub failed: Vec<(String, String)>,
}

/// Words that start a Dutch surname rather than end the first names.
const TUSSENVOEGSELS: &[&str] = &[
    "van", "de", "der", "den", "ter", "ten", "te", "het", "t", "in", "op", "la", "le", "du", "da",
    "di", "el", "al", "von", "zu", "des", "dos", "d",
];

/// Initials of the first names in a full name: `Anna Maria van den Berg` → `A.M.`.
pub fn initials(full_name: &str) -> String {
    let words: Vec<String> = normalise_name(full_name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut end = words.len().saturating_sub(1);
    while end > 0 && TUSSENVOEGSELS.contains(&words[end - 1].as_str()) {
        end -= 1;
    }
    words[..end.max(1).min(words.len())]
        .iter()
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect()
}

/// The search identifier: name and birth date (any address).
pub fn search_identifier(query: &PersonQuery) -> Option<Identifier> {
    let key = PersonKey {
        voornamen: query.name.clone(),
        tussenvoegsel: String::new(),
        achternaam: String::new(),
        geboortedatum: Some(query.born),
        // The postcode is compared by `find` itself, so that the name is
        // compared the lenient way of a search (without tussenvoegsel too).
        postcode: String::new(),
    };
    key.encode_search().map(|value| Identifier {
        kind: IdentifierKind::Persoon,
        value,
    })
}

/// The postcode column of the dataset's person match, read from a record.
fn record_postcode(connector: &dyn Connector, record: &Record) -> Option<String> {
    let spec = connector
        .datasets()
        .into_iter()
        .find(|d| d.name == record.dataset)?;
    let ColumnRef::Person(p) = spec.matches.get(&IdentifierKind::Persoon)? else {
        return None;
    };
    record
        .get(&p.postcode)
        .and_then(|v| v.as_text())
        .map(|t| normalise_postcode(&t))
}

/// Asks every source that can be searched by person.
pub async fn find(
    connectors: &[Arc<dyn Connector>],
    query: &PersonQuery,
    now: DateTime<Utc>,
) -> FindOutcome {
    let mut outcome = FindOutcome::default();
    let Some(id) = search_identifier(query) else {
        return outcome;
    };
    let wanted_postcode = query.postcode.as_deref().map(normalise_postcode);
    let mut found: BTreeMap<String, Candidate> = BTreeMap::new();
    let mut postcodes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unowned: Vec<(String, Option<String>)> = Vec::new();
    let asked: Vec<&Arc<dyn Connector>> = connectors
        .iter()
        .filter(|c| c.accepts().contains(&IdentifierKind::Persoon))
        .collect();
    let request = FetchRequest {
        identifiers: vec![id],
        fetched_at: now,
    };
    // Few sources answer by person: they are asked one after another.
    for connector in asked {
        let answer = connector.fetch(&request).await;
        let label = connector.label().to_string();
        outcome.searched.push(label.clone());
        let records = match answer {
            Ok(a) => a.records,
            Err(e) => {
                outcome.failed.push((label, e.to_string()));
                continue;
            }
        };
        for record in records {
            let postcode = record_postcode(connector.as_ref(), &record);
            if let (Some(w), Some(p)) = (&wanted_postcode, &postcode) {
                if w != p {
                    continue;
                }
            }
            match record
                .owner
                .as_ref()
                .filter(|o| o.kind == IdentifierKind::Klantnummer)
            {
                Some(owner) => {
                    let c = found
                        .entry(owner.value.clone())
                        .or_insert_with(|| Candidate {
                            klantnummer: owner.value.clone(),
                            initials: initials(&query.name),
                            birth_year: Some(query.born.year()),
                            postcode_areas: BTreeSet::new(),
                            systems: BTreeSet::new(),
                        });
                    c.systems.insert(label.clone());
                    if let Some(p) = postcode {
                        c.postcode_areas.insert(p.chars().take(4).collect());
                        postcodes.entry(owner.value.clone()).or_default().insert(p);
                    }
                }
                None => unowned.push((label.clone(), postcode)),
            }
        }
    }
    // A record without a klantnummer belongs to the one candidate who has
    // its postcode; otherwise it is only counted.
    for (label, postcode) in unowned {
        let mut owners: Vec<&mut Candidate> = found
            .values_mut()
            .filter(|c| {
                postcode.as_ref().is_some_and(|p| {
                    postcodes
                        .get(&c.klantnummer)
                        .is_some_and(|known| known.contains(p))
                })
            })
            .collect();
        if owners.len() == 1 {
            owners[0].systems.insert(label);
        } else {
            *outcome.without_customer.entry(label).or_default() += 1;
        }
    }
    outcome.candidates = found.into_values().collect();
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_the_first_names_only() {
        assert_eq!(initials("Fleur van den Berg"), "F.");
        assert_eq!(initials("Anna Maria van der Linden"), "A.M.");
        assert_eq!(initials("Zoë ter Horst"), "Z.");
        assert_eq!(initials("Marloes Nüsken"), "M.");
        assert_eq!(initials("Cher"), "C.");
    }

    #[test]
    fn the_search_identifier_never_holds_the_postcode() {
        let born = NaiveDate::from_ymd_opt(1976, 4, 7).unwrap();
        let q = PersonQuery {
            name: "Zoë  ter HORST".into(),
            born,
            postcode: None,
        };
        assert_eq!(
            search_identifier(&q).unwrap().value,
            "zoe ter horst|1976-04-07|"
        );
        let q = PersonQuery {
            postcode: Some("3549 ng".into()),
            ..q
        };
        // `find` compares the postcode itself, after the lenient name match.
        assert_eq!(
            search_identifier(&q).unwrap().value,
            "zoe ter horst|1976-04-07|"
        );
    }
}
