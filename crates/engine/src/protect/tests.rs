//! The protection pass on hand-made findings.

use chrono::Utc;
use indexmap::IndexMap;
use inzage_core::{
    register::{FieldDetails, FieldSpec},
    DatasetSpec, Field, Identifier, IdentifierKind, Lang, PersonName, ProtectSettings, Record,
    Value,
};

use super::decisions::Decisions;
use super::*;
use crate::findings::{Identity, Learned, SourceReport, SourceStatus, Withheld};

fn spec(name: &str, fields: &[(&str, bool)]) -> DatasetSpec {
    let mut map = IndexMap::new();
    for (f, free) in fields {
        map.insert(
            f.to_string(),
            FieldSpec::Detailed(FieldDetails {
                category: Some("contactmoment".into()),
                free_text: *free,
                ..FieldDetails::default()
            }),
        );
    }
    DatasetSpec {
        name: name.into(),
        label: None,
        purposes: vec![],
        recipients: vec![],
        retention: None,
        origin: None,
        origin_party: None,
        key: None,
        matches: IndexMap::new(),
        yields: IndexMap::new(),
        owner: None,
        fields: map,
        exclude: vec![],
        forms: IndexMap::new(),
        resolved_forms: IndexMap::new(),
        portability: None,
    }
}

fn record(dataset: &str, key: &str, fields: &[(&str, &str)]) -> Record {
    Record {
        source: "crm".into(),
        dataset: dataset.into(),
        key: key.into(),
        location: format!("crm {key}"),
        matched_on: vec![],
        owner: None,
        fetched_at: Utc::now(),
        fields: fields
            .iter()
            .map(|(n, v)| Field {
                name: n.to_string(),
                value: Value::Text(v.to_string()),
            })
            .collect(),
        yields: vec![],
    }
}

fn findings(records: Vec<Record>, withheld: Vec<Record>) -> Findings {
    let k = Identifier::new(IdentifierKind::Klantnummer, "001001").unwrap();
    let mail = Identifier::new(IdentifierKind::Email, "fleur@example.org").unwrap();
    let identity = |id: &Identifier| Identity {
        identifier: id.clone(),
        learned: Learned::Request,
        round: 0,
        status: IdentityStatus::Followed,
    };
    Findings {
        request: k.clone(),
        identities: vec![identity(&k), identity(&mail)],
        sources: vec![SourceReport {
            id: "crm".into(),
            label: "CRM".into(),
            kind: "http".into(),
            status: SourceStatus::Ok,
            asked_with: vec![],
            calls: 0,
            notes: vec![],
            records: [("Notitie".to_string(), records.len())]
                .into_iter()
                .collect(),
        }],
        records,
        review: vec![],
        withheld: withheld
            .into_iter()
            .map(|record| Withheld {
                record,
                reason: inzage_core::ReviewReason::SharedIdentifierOnly,
            })
            .collect(),
        protection: Default::default(),
        rounds: 1,
        max_rounds_reached: false,
    }
}

fn protector() -> Protector {
    let mut people = PeopleIndex::new();
    for (k, v, tv, a) in [
        ("001001", "Fleur", Some("van den"), "Berg"),
        ("001002", "Daan", Some("van den"), "Berg"),
        ("001005", "Piet", None, "Jansen"),
    ] {
        people.add(&PersonName {
            key: k.into(),
            voornamen: v.into(),
            tussenvoegsel: tv.map(str::to_string),
            achternaam: a.into(),
        });
    }
    Protector::new(
        &ProtectSettings {
            own_domains: vec!["woonstichting.example.org".into()],
            own_values: vec!["030-2345678".into()],
            staff_names: vec!["Sanne".into()],
            ..ProtectSettings::default()
        },
        people,
    )
}

fn roles() -> FieldRoles {
    let s = spec("Notitie", &[("tekst", true), ("telefoon", false)]);
    FieldRoles::from_datasets([("crm", &s)])
}

fn text_of(f: &Findings, key: &str) -> String {
    f.records
        .iter()
        .find(|r| r.key == key)
        .and_then(|r| r.get("tekst"))
        .and_then(Value::as_text)
        .unwrap()
}

const NOTE: &str = "Fleur van den Berg (fleur@example.org, 06 1111 2222) belde over buurman Piet Jansen, tel +31 6 12345678, piet@example.com. Zoon D. van den Berg ook. Mevrouw Smit van hiernaast. Sanne (030-2345678, sanne@woonstichting.example.org).";

#[test]
fn others_are_redacted_and_the_subject_and_staff_stay() {
    let mut f = findings(
        vec![record(
            "Notitie",
            "n1",
            &[("tekst", NOTE), ("telefoon", "06-11112222")],
        )],
        vec![],
    );
    protect(&mut f, &roles(), &protector(), None, Lang::Nl);
    let text = text_of(&f, "n1");
    assert_eq!(
        text,
        "Fleur van den Berg (fleur@example.org, 06 1111 2222) belde over buurman [verwijderd: naam], tel [verwijderd: telefoonnummer], [verwijderd: e-mailadres]. Zoon [verwijderd: naam] ook. Mevrouw Smit van hiernaast. Sanne (030-2345678, sanne@woonstichting.example.org)."
    );
    let p = &f.protection;
    assert_eq!(p.redacted_total(), 4);
    let review: Vec<_> = p
        .entries
        .iter()
        .filter(|e| e.outcome == Outcome::NeedsDecision)
        .collect();
    assert_eq!(review.len(), 1, "{review:?}");
    assert_eq!(review[0].masked.as_deref(), Some("S•••"));
    assert_eq!(p.per_record()[0].fields["tekst"], 4);
    assert!(!p.fully_reviewed(), "no decisions file");
    // A decisions file that leaves the unknown name undecided is no full review.
    let mut again = findings(
        vec![record(
            "Notitie",
            "n1",
            &[("tekst", NOTE), ("telefoon", "06-11112222")],
        )],
        vec![],
    );
    let empty = Decisions::parse("d.json", r#"{"decisions": []}"#).unwrap();
    protect(&mut again, &roles(), &protector(), Some(&empty), Lang::Nl);
    assert!(again.protection.reviewed && !again.protection.fully_reviewed());
}

#[test]
fn decisions_keep_redact_and_include() {
    let base = || {
        findings(
            vec![record(
                "Notitie",
                "n1",
                &[("tekst", NOTE), ("telefoon", "06-11112222")],
            )],
            vec![record("Notitie", "n9", &[("tekst", "bel Piet Jansen")])],
        )
    };
    let mut first = base();
    protect(&mut first, &roles(), &protector(), None, Lang::En);
    let id = |subject: Subject| {
        first
            .protection
            .entries
            .iter()
            .find(|e| e.subject == subject)
            .unwrap()
            .decision_id
            .clone()
    };
    let phone = id(Subject::Value(Kind::Phone));
    let unknown = id(Subject::Value(Kind::UnknownName));
    let withheld = id(Subject::SharedIdentifierRecord);
    let json = format!(
        r#"{{"decisions":[
            {{"id":"{phone}","decision":"keep"}},
            {{"id":"{unknown}","decision":"redact"}},
            {{"id":"{withheld}","decision":"include"}},
            {{"decision":"redact","source":"crm","dataset":"Notitie","key":"n1","field":"tekst","text":"hiernaast"}},
            {{"id":"D-0000000000","decision":"keep"}}
        ]}}"#
    );
    let decisions = Decisions::parse("d.json", &json).unwrap();
    let mut second = base();
    protect(
        &mut second,
        &roles(),
        &protector(),
        Some(&decisions),
        Lang::En,
    );
    let text = text_of(&second, "n1");
    assert!(text.contains("tel +31 6 12345678"), "kept: {text}");
    assert!(
        text.contains("[removed: name] van [removed: name]"),
        "redacted: {text}"
    );
    let included = text_of(&second, "n9");
    assert_eq!(
        included, "bel [removed: name]",
        "an included record is redacted too"
    );
    assert_eq!(second.sources[0].records["Notitie"], 2);
    assert_eq!(
        second.protection.unapplied.len(),
        1,
        "{:?}",
        second.protection.unapplied
    );
    assert!(second.protection.unapplied[0].contains("D-0000000000"));
    assert!(second.protection.reviewed && second.protection.fully_reviewed());
}
