//! What the report shows, computed from the findings and the register; the
//! template only lays it out.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Months, NaiveDate, Utc};
use inzage_core::person::{display_form, normal_form};
use inzage_core::register::FieldSpec;
use inzage_core::{DatasetSpec, Lang, Record, Register};
use inzage_engine::{Findings, IdentityStatus, Learned, SourceStatus};
use serde::Serialize;

use super::texts::{self, Texts};
use crate::data::field_names;
use crate::SourceInfo;

/// EU and EEA countries: no transfer safeguard is needed there.
const EEA: &[&str] = &[
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

/// Everything the report needs.
pub struct ReportInput<'a> {
    /// The register.
    pub register: &'a Register,
    /// The sources with their datasets.
    pub sources: &'a [SourceInfo],
    /// What was found.
    pub findings: &'a Findings,
    /// Language.
    pub lang: Lang,
    /// When the bundle was made.
    pub created_at: DateTime<Utc>,
    /// When the request was received (defaults to the creation date).
    pub received: Option<NaiveDate>,
    /// When the answer is due (defaults to one month after `received`).
    pub due: Option<NaiveDate>,
}

impl ReportInput<'_> {
    /// The formatter for this report: its language and the organisation's
    /// time zone (`config check` has validated it; Amsterdam otherwise).
    pub fn formatter(&self) -> super::format::Formatter {
        let tz = self
            .register
            .organisation
            .tz()
            .unwrap_or(chrono_tz::Europe::Amsterdam);
        super::format::Formatter::new(self.lang, tz)
    }
}

#[derive(Serialize)]
pub struct Model<'a> {
    t: &'static Texts,
    organisation: Organisation<'a>,
    request: RequestView,
    complete: bool,
    sources: Vec<SourceRow>,
    categories: Vec<CategoryRow>,
    person: Vec<AttributeRow>,
    purposes: Vec<PurposeRow>,
    systems: Vec<SystemView>,
    transfers: Vec<RecipientView>,
    total_records: usize,
    /// What was done about other people's data, in sentences true for this bundle.
    others: Vec<String>,
}

#[derive(Serialize)]
struct Organisation<'a> {
    name: &'a str,
    address: Option<&'a str>,
    privacy_contact: &'a str,
    privacy_officer: Option<&'a str>,
    supervisory_authority: &'a str,
    automated_decision_making: &'a str,
}

#[derive(Serialize)]
struct RequestView {
    identifier_label: String,
    identifier: String,
    received: String,
    made: String,
    due: String,
}

#[derive(Serialize)]
struct SourceRow {
    label: String,
    status: &'static str,
    status_class: &'static str,
    reason: Option<String>,
    records: usize,
}

#[derive(Serialize)]
struct CategoryRow {
    label: String,
    special: bool,
    records: usize,
    systems: Vec<String>,
}

#[derive(Serialize)]
struct AttributeRow {
    label: String,
    values: Vec<AttributeValue>,
    differs: bool,
}

#[derive(Serialize)]
struct AttributeValue {
    value: String,
    sources: Vec<String>,
}

#[derive(Serialize)]
struct PurposeRow {
    label: String,
    legal_basis: &'static str,
    datasets: Vec<String>,
}

#[derive(Serialize)]
struct SystemView {
    anchor: String,
    label: String,
    datasets: Vec<DatasetView>,
}

#[derive(Serialize)]
struct DatasetView {
    anchor: String,
    label: String,
    purposes: Vec<String>,
    categories: Vec<String>,
    recipients: Vec<RecipientView>,
    retention: String,
    origin: String,
    columns: Vec<String>,
    rows: Vec<Vec<Cell>>,
    /// Wide datasets or long texts (mail, notes) read better as one block per
    /// record with its non-empty fields than as a wide table.
    cards: Vec<Vec<(String, Cell)>>,
}

#[derive(Serialize, Clone)]
struct RecipientView {
    label: String,
    kind: &'static str,
    country: String,
    outside_eu: bool,
    safeguard: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct Cell {
    text: String,
    /// Long text is folded: `summary` shows, `text` opens.
    summary: Option<String>,
}

/// Builds the model of the report.
pub fn build<'a>(input: &ReportInput<'a>) -> Model<'a> {
    let lang = input.lang;
    let register = input.register;
    let org = &register.organisation;
    let findings = input.findings;
    let received = input
        .received
        .unwrap_or_else(|| input.created_at.date_naive());
    let due = input.due.unwrap_or_else(|| {
        received
            .checked_add_months(Months::new(1))
            .unwrap_or(received)
    });
    let source_label = |id: &str| {
        input
            .sources
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.label.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let t = texts::texts(lang);
    let sources = findings
        .sources
        .iter()
        .map(|s| {
            let (status, status_class) = match &s.status {
                SourceStatus::Ok => (t.status_ok, "ok"),
                SourceStatus::Failed { .. } => (t.status_failed, "failed"),
                SourceStatus::Skipped { .. } => (t.status_skipped, "skipped"),
            };
            let reason = texts::source_reason(&s.status, &searched_by(input.sources, &s.id), lang);
            SourceRow {
                label: s.label.clone(),
                status,
                status_class,
                reason,
                records: s.records.values().sum(),
            }
        })
        .collect();
    Model {
        t,
        organisation: Organisation {
            name: &org.name,
            address: org.address.as_deref(),
            privacy_contact: &org.privacy_contact,
            privacy_officer: org.privacy_officer.as_ref().map(|o| o.get(lang)),
            supervisory_authority: org.supervisory_authority.get(lang),
            automated_decision_making: org.automated_decision_making.get(lang),
        },
        request: RequestView {
            identifier_label: texts::attribute(findings.request.kind.as_str(), lang),
            identifier: findings.request.value.clone(),
            received: long_date(received, lang),
            made: long_date(input.created_at.date_naive(), lang),
            due: long_date(due, lang),
        },
        complete: findings.is_complete(),
        sources,
        categories: categories(input),
        person: person(input, &source_label),
        purposes: purposes(input),
        systems: systems(input),
        transfers: transfers(input),
        total_records: findings.records.len(),
        others: others(input, &source_label),
    }
}

/// The identifier kinds a source is searched by (its datasets' `match`).
pub fn searched_by(sources: &[SourceInfo], id: &str) -> Vec<inzage_core::IdentifierKind> {
    let mut kinds: Vec<inzage_core::IdentifierKind> = sources
        .iter()
        .filter(|s| s.id == id)
        .flat_map(|s| &s.datasets)
        .flat_map(|d| d.matches.keys().copied())
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// The statement about other people's data, from what the protection pass did.
fn others(input: &ReportInput, source_label: &dyn Fn(&str) -> String) -> Vec<String> {
    let findings = input.findings;
    let redacted: Vec<(String, Vec<(inzage_engine::protect::detect::Kind, usize)>)> = findings
        .protection
        .redacted_by_source()
        .into_iter()
        .map(|(source, kinds)| (source_label(&source), kinds.into_iter().collect()))
        .collect();
    let left_out = findings.withheld.len()
        + findings
            .review
            .iter()
            .filter(|r| r.may_be_other_person)
            .count();
    texts::others_statement(
        &redacted,
        findings.protection.fully_reviewed(),
        left_out,
        input.lang,
    )
}

/// A dataset's retention period or criterion, as the register words it.
pub fn retention_text(register: &Register, spec: &DatasetSpec, lang: Lang) -> String {
    spec.retention
        .as_ref()
        .and_then(|id| register.retention.get(id))
        .map(|r| r.label.get(lang).to_string())
        .unwrap_or_default()
}

/// Where a dataset's data came from, naming the third party if any.
pub fn origin_text(register: &Register, spec: &DatasetSpec, lang: Lang) -> String {
    spec.origin
        .map(|o| {
            let party = spec
                .origin_party
                .as_ref()
                .and_then(|p| register.recipients.get(p))
                .map(|r| r.label.get(lang));
            texts::origin(o, party, lang)
        })
        .unwrap_or_default()
}

fn datasets_with_records<'a>(
    input: &'a ReportInput,
) -> Vec<(&'a SourceInfo, &'a DatasetSpec, Vec<&'a Record>)> {
    let mut out = Vec::new();
    for source in input.sources {
        for spec in &source.datasets {
            let records = input.findings.records_of(&source.id, &spec.name);
            if !records.is_empty() {
                out.push((source, spec, records));
            }
        }
    }
    out
}

fn dataset_label(spec: &DatasetSpec, lang: Lang) -> String {
    spec.label
        .as_ref()
        .map(|l| l.get(lang).to_string())
        .unwrap_or_else(|| spec.name.clone())
}

/// The label of a field: from the register, else a readable form of its name.
pub fn field_label_for(spec: &DatasetSpec, name: &str, lang: Lang) -> String {
    super::format::field_label(spec, name, lang)
}

/// The details the register declares for a field, if any.
fn details_of(spec: &DatasetSpec, name: &str) -> Option<inzage_core::register::FieldDetails> {
    spec.fields.get(name).map(|f| f.details())
}

fn categories(input: &ReportInput) -> Vec<CategoryRow> {
    let lang = input.lang;
    let mut found: BTreeMap<String, (BTreeSet<String>, usize)> = BTreeMap::new();
    for (source, spec, records) in datasets_with_records(input) {
        for record in records {
            let mut seen = BTreeSet::new();
            for field in record.fields.iter().filter(|f| !f.value.is_empty()) {
                if let Some(category) = spec.fields.get(&field.name).and_then(|f| f.category()) {
                    seen.insert(category.to_string());
                }
            }
            for category in seen {
                let entry = found.entry(category).or_default();
                entry.0.insert(source.label.clone());
                entry.1 += 1;
            }
        }
    }
    input
        .register
        .categories
        .iter()
        .filter_map(|(id, c)| {
            found.get(id).map(|(systems, records)| CategoryRow {
                label: c.label.get(lang).to_string(),
                special: c.special,
                records: *records,
                systems: systems.iter().cloned().collect(),
            })
        })
        .collect()
}

fn person(input: &ReportInput, source_label: &dyn Fn(&str) -> String) -> Vec<AttributeRow> {
    let lang = input.lang;
    // attribute -> normal form -> (shown value, sources): one value written
    // differently by two systems is one value, shown once.
    let mut values: BTreeMap<String, Vec<(String, String, BTreeSet<String>)>> = BTreeMap::new();
    let mut add = |attribute: &str, value: String, source: String| {
        let key = normal_form(attribute, &value);
        if key.is_empty() {
            return;
        }
        let list = values.entry(attribute.to_string()).or_default();
        match list.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, sources)) => {
                sources.insert(source);
            }
            None => list.push((
                key,
                display_form(attribute, &value),
                BTreeSet::from([source]),
            )),
        }
    };
    let fmt = input.formatter();
    for (source, spec, records) in datasets_with_records(input) {
        for record in records {
            for field in &record.fields {
                let attribute = match spec.fields.get(&field.name) {
                    Some(FieldSpec::Detailed(d)) => d.person.clone(),
                    _ => None,
                };
                if let Some(attribute) = attribute {
                    if let Some(text) =
                        fmt.value(&field.value, details_of(spec, &field.name).as_ref())
                    {
                        add(&attribute, text, source.label.clone());
                    }
                }
            }
        }
    }
    let t = texts::texts(lang);
    for identity in &input.findings.identities {
        if matches!(identity.status, IdentityStatus::Withdrawn { .. }) {
            continue;
        }
        let kind = identity.identifier.kind.as_str();
        if kind == "persoon" {
            continue;
        }
        let from = match &identity.learned {
            Learned::Request => t.your_request.to_string(),
            Learned::Record { source, .. } => source_label(source),
        };
        add(kind, identity.identifier.value.clone(), from);
    }
    inzage_core::person::PERSON_ATTRIBUTES
        .iter()
        .filter_map(|attribute| {
            let list = values.remove(*attribute)?;
            let all_sources: BTreeSet<&String> = list.iter().flat_map(|(_, _, s)| s).collect();
            let differs =
                list.len() > 1 && list.iter().any(|(_, _, s)| s.len() < all_sources.len());
            Some(AttributeRow {
                label: texts::attribute(attribute, lang),
                values: list
                    .into_iter()
                    .map(|(_, value, sources)| AttributeValue {
                        value,
                        sources: sources.into_iter().collect(),
                    })
                    .collect(),
                differs,
            })
        })
        .collect()
}

fn purposes(input: &ReportInput) -> Vec<PurposeRow> {
    let lang = input.lang;
    let used = datasets_with_records(input);
    input
        .register
        .purposes
        .iter()
        .filter_map(|(id, p)| {
            let datasets: Vec<String> = used
                .iter()
                .filter(|(_, spec, _)| spec.purposes.contains(id))
                .map(|(source, spec, _)| format!("{}: {}", source.label, dataset_label(spec, lang)))
                .collect();
            (!datasets.is_empty()).then(|| PurposeRow {
                label: p.label.get(lang).to_string(),
                legal_basis: texts::legal_basis(p.legal_basis, lang),
                datasets,
            })
        })
        .collect()
}

fn recipient_views(register: &Register, ids: &[String], lang: Lang) -> Vec<RecipientView> {
    ids.iter()
        .filter_map(|id| register.recipients.get(id))
        .map(|r| RecipientView {
            label: r.label.get(lang).to_string(),
            kind: texts::recipient_kind(r.kind, lang),
            country: r.country.clone(),
            outside_eu: !EEA.contains(&r.country.as_str()),
            safeguard: r.safeguard.as_ref().map(|s| s.get(lang).to_string()),
        })
        .collect()
}

fn systems(input: &ReportInput) -> Vec<SystemView> {
    let lang = input.lang;
    let fmt = input.formatter();
    let register = input.register;
    let mut systems: Vec<SystemView> = Vec::new();
    for (source, spec, records) in datasets_with_records(input) {
        let names = field_names(spec, &records);
        let mut categories: Vec<String> = Vec::new();
        for name in &names {
            let label = spec
                .fields
                .get(*name)
                .and_then(|f| f.category())
                .and_then(|c| register.categories.get(c))
                .map(|c| c.label.get(lang).to_string());
            if let Some(label) = label {
                if !categories.contains(&label) {
                    categories.push(label);
                }
            }
        }
        // An export without an id column names its records by their place
        // in the file: the tenant sees that place as the first column.
        let position = spec.key_position().map(|p| texts::position_label(p, lang));
        let columns: Vec<String> = position
            .iter()
            .map(|label| label.to_string())
            .chain(names.iter().map(|n| field_label_for(spec, n, lang)))
            .collect();
        let rows: Vec<Vec<Cell>> = records
            .iter()
            .map(|r| {
                let place = position.map(|_| cell(r.key.clone()));
                place
                    .into_iter()
                    .chain(names.iter().map(|n| {
                        let details = details_of(spec, n);
                        cell(
                            r.get(n)
                                .and_then(|v| fmt.value(v, details.as_ref()))
                                .unwrap_or_default(),
                        )
                    }))
                    .collect()
            })
            .collect();
        let as_cards = columns.len() > 8
            || rows.iter().flatten().any(|c| c.summary.is_some())
            || min_table_width(&columns, &rows) > PRINTABLE_WIDTH_PX;
        let cards = if as_cards {
            rows.iter()
                .map(|row| {
                    columns
                        .iter()
                        .cloned()
                        .zip(row.iter().cloned())
                        .filter(|(_, c)| !c.text.is_empty())
                        .collect()
                })
                .collect()
        } else {
            Vec::new()
        };
        let dataset = DatasetView {
            anchor: format!(
                "{}-{}",
                crate::escape::file_name(&source.id),
                crate::escape::file_name(&spec.name)
            ),
            label: dataset_label(spec, lang),
            purposes: spec
                .purposes
                .iter()
                .filter_map(|id| register.purposes.get(id))
                .map(|p| {
                    format!(
                        "{} ({})",
                        p.label.get(lang),
                        texts::legal_basis(p.legal_basis, lang)
                    )
                })
                .collect(),
            categories,
            recipients: recipient_views(register, &spec.recipients, lang),
            retention: retention_text(register, spec, lang),
            origin: origin_text(register, spec, lang),
            columns,
            rows,
            cards,
        };
        match systems.last_mut() {
            Some(system) if system.label == source.label => system.datasets.push(dataset),
            _ => systems.push(SystemView {
                anchor: crate::escape::file_name(&source.id),
                label: source.label.clone(),
                datasets: vec![dataset],
            }),
        }
    }
    systems
}

fn transfers(input: &ReportInput) -> Vec<RecipientView> {
    let mut out: Vec<RecipientView> = Vec::new();
    for (_, spec, _) in datasets_with_records(input) {
        for r in recipient_views(input.register, &spec.recipients, input.lang) {
            if r.outside_eu && !out.iter().any(|o| o.label == r.label) {
                out.push(r);
            }
        }
    }
    out
}

/// The printable width of an A4 page with the report's margins (210 mm
/// less 2 × 14 mm at 96 px per inch), in CSS pixels.
const PRINTABLE_WIDTH_PX: usize = 687;

/// The narrowest a table can be laid out without breaking words: per
/// column its longest word (long tokens break anyway, so at most 24
/// characters) at about 7.5 px a character at the report's font size, plus
/// cell padding and border.
fn min_table_width(columns: &[String], rows: &[Vec<Cell>]) -> usize {
    let longest_word = |text: &str| {
        text.split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
            .min(24)
    };
    (0..columns.len())
        .map(|i| {
            let chars = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| longest_word(&c.text))
                .chain([longest_word(&columns[i])])
                .max()
                .unwrap_or(0);
            chars * 15 / 2 + 17
        })
        .sum()
}

fn cell(text: String) -> Cell {
    let long = text.chars().count() > 160 || text.contains('\n');
    let summary = long.then(|| {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let first: String = flat.chars().take(90).collect();
        format!("{first}…")
    });
    Cell { text, summary }
}

/// `1 december 2026` / `1 December 2026` (see [`inzage_core::dates::long_date`]).
pub use inzage_core::dates::long_date;
