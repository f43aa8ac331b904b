//! Finding the tenant by number: a request that names a klantnummer or a
//! contract number gets the same masked candidates as a search by name
//! ([`crate::find`]), so that staff see whom the number names before they
//! open the request.
//!
//! A klantnummer names at most one person; a contract number names every
//! contractant (a co-tenant contract names two). Each candidate shows the
//! klantnummer, initials, birth year, postcode area and the systems that
//! know the person, read from the fields a dataset declares `person =
//! "voornamen" | "voorletters" | "geboortedatum" | "postcode"`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use inzage_core::identifier::{normalise_name, normalise_postcode};
use inzage_core::{Connector, FetchRequest, Identifier, IdentifierKind, Record, Value};

use crate::find::{Candidate, FindOutcome};

/// One record a source answered, with the source's label.
struct Answer {
    label: String,
    connector: Arc<dyn Connector>,
    record: Record,
}

/// Asks every source that accepts the identifier's kind, noting which were
/// searched and which failed.
async fn ask(
    connectors: &[Arc<dyn Connector>],
    id: &Identifier,
    now: DateTime<Utc>,
    outcome: &mut FindOutcome,
) -> Vec<Answer> {
    let request = FetchRequest {
        identifiers: vec![id.clone()],
        fetched_at: now,
    };
    let mut answers = Vec::new();
    for connector in connectors.iter().filter(|c| c.accepts().contains(&id.kind)) {
        let label = connector.label().to_string();
        if !outcome.searched.contains(&label) {
            outcome.searched.push(label.clone());
        }
        match connector.fetch(&request).await {
            Ok(found) => answers.extend(found.records.into_iter().map(|record| Answer {
                label: label.clone(),
                connector: connector.clone(),
                record,
            })),
            Err(e) => outcome.failed.push((label, e.to_string())),
        }
    }
    answers
}

/// The value of the field a record's dataset declares as person attribute `attribute`.
fn person_value(connector: &dyn Connector, record: &Record, attribute: &str) -> Option<String> {
    let spec = connector
        .datasets()
        .into_iter()
        .find(|d| d.name == record.dataset)?;
    spec.fields
        .iter()
        .filter(|(_, f)| f.details().person.as_deref() == Some(attribute))
        .find_map(|(name, _)| {
            record
                .get(name)
                .and_then(Value::as_text)
                .filter(|t| !t.trim().is_empty())
        })
}

/// `Anna Maria` → `A.M.`; `J.W.` stays `J.W.`.
fn initials_of(first_names: &str) -> String {
    normalise_name(first_names)
        .split([' ', '.'])
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect()
}

fn year_of(date: &str) -> Option<i32> {
    let head: String = date.trim().chars().take(10).collect();
    NaiveDate::parse_from_str(&head, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&head, "%d-%m-%Y"))
        .ok()
        .map(|d| d.year())
}

/// Whose a record is: its owner's klantnummer, or for a record found by a
/// klantnummer without an owner column, that klantnummer.
fn owner_of(answer: &Answer, asked: &Identifier) -> Option<String> {
    match &answer.record.owner {
        Some(o) if o.kind == IdentifierKind::Klantnummer => Some(o.value.clone()),
        Some(_) => None,
        None if asked.kind == IdentifierKind::Klantnummer => Some(asked.value.clone()),
        None => None,
    }
}

/// Finds the people a klantnummer or contract number names, masked.
pub async fn find_by_number(
    connectors: &[Arc<dyn Connector>],
    id: &Identifier,
    now: DateTime<Utc>,
) -> FindOutcome {
    let mut outcome = FindOutcome::default();
    let owners: BTreeSet<String> = if id.kind == IdentifierKind::Klantnummer {
        BTreeSet::from([id.value.clone()])
    } else {
        ask(connectors, id, now, &mut outcome)
            .await
            .iter()
            .filter_map(|a| owner_of(a, id))
            .collect()
    };
    let mut found: BTreeMap<String, Candidate> = BTreeMap::new();
    for owner in owners {
        let asked = Identifier {
            kind: IdentifierKind::Klantnummer,
            value: owner.clone(),
        };
        for answer in ask(connectors, &asked, now, &mut outcome).await {
            if owner_of(&answer, &asked).as_deref() != Some(owner.as_str()) {
                continue;
            }
            let c = found.entry(owner.clone()).or_insert_with(|| Candidate {
                klantnummer: owner.clone(),
                initials: String::new(),
                birth_year: None,
                postcode_areas: BTreeSet::new(),
                systems: BTreeSet::new(),
            });
            c.systems.insert(answer.label.clone());
            let connector = answer.connector.as_ref();
            let record = &answer.record;
            if c.initials.is_empty() {
                c.initials = person_value(connector, record, "voorletters")
                    .or_else(|| person_value(connector, record, "voornamen"))
                    .map(|n| initials_of(&n))
                    .unwrap_or_default();
            }
            if c.birth_year.is_none() {
                c.birth_year =
                    person_value(connector, record, "geboortedatum").and_then(|d| year_of(&d));
            }
            if let Some(p) = person_value(connector, record, "postcode") {
                c.postcode_areas
                    .insert(normalise_postcode(&p).chars().take(4).collect());
            }
        }
    }
    outcome.candidates = found.into_values().collect();
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_first_names_and_of_initials() {
        assert_eq!(initials_of("Anna Maria"), "A.M.");
        assert_eq!(initials_of("J.W."), "J.W.");
        assert_eq!(initials_of("Zoë"), "Z.");
    }

    #[test]
    fn the_birth_year_from_a_date_in_either_order() {
        assert_eq!(year_of("1989-05-05"), Some(1989));
        assert_eq!(year_of("05-05-1989"), Some(1989));
        assert_eq!(year_of("gisteren"), None);
    }
}
