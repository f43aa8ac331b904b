//! `data/<source>/<dataset>.json` and `.csv`: the records of one dataset with
//! what the register says about them.

use inzage_core::register::{Category, LegalBasis, Origin, Recipient};
use inzage_core::{DatasetSpec, Identifier, Lang, Record, Register, Value};
use serde::Serialize;

use crate::escape::{control_free, spreadsheet_cell};
use crate::SourceInfo;

#[derive(Serialize)]
struct Labelled<'a> {
    id: &'a str,
    label: &'a str,
}

#[derive(Serialize)]
struct PurposeOut<'a> {
    id: &'a str,
    label: &'a str,
    legal_basis: LegalBasis,
}

#[derive(Serialize)]
struct RecipientOut<'a> {
    id: &'a str,
    label: &'a str,
    kind: inzage_core::register::RecipientKind,
    country: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    safeguard: Option<&'a str>,
}

#[derive(Serialize)]
struct RetentionOut<'a> {
    id: &'a str,
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<&'a str>,
}

#[derive(Serialize)]
struct FieldOut<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    /// `None` for a column the register does not (yet) classify.
    category: Option<CategoryOut<'a>>,
}

#[derive(Serialize)]
struct CategoryOut<'a> {
    id: &'a str,
    label: &'a str,
    special: bool,
    portable: bool,
}

#[derive(Serialize)]
struct RecordOut<'a> {
    key: &'a str,
    location: &'a str,
    matched_on: &'a [Identifier],
    fetched_at: String,
    values: indexmap::IndexMap<&'a str, &'a Value>,
}

#[derive(Serialize)]
struct DatasetOut<'a> {
    source: Labelled<'a>,
    dataset: &'a str,
    label: &'a str,
    purposes: Vec<PurposeOut<'a>>,
    recipients: Vec<RecipientOut<'a>>,
    retention: Option<RetentionOut<'a>>,
    origin: Option<Origin>,
    #[serde(skip_serializing_if = "Option::is_none")]
    origin_party: Option<Labelled<'a>>,
    fields: Vec<FieldOut<'a>>,
    records: Vec<RecordOut<'a>>,
}

fn recipient<'a>(id: &'a str, r: &'a Recipient, lang: Lang) -> RecipientOut<'a> {
    RecipientOut {
        id,
        label: r.label.get(lang),
        kind: r.kind,
        country: &r.country,
        safeguard: r.safeguard.as_ref().map(|s| s.get(lang)),
    }
}

fn category<'a>(id: &'a str, c: &'a Category, lang: Lang) -> CategoryOut<'a> {
    CategoryOut {
        id,
        label: c.label.get(lang),
        special: c.special,
        portable: c.portable,
    }
}

/// The field names of a dataset's records: declared ones first, then any
/// column the records carry that the register does not declare.
pub fn field_names<'a>(spec: &'a DatasetSpec, records: &[&'a Record]) -> Vec<&'a str> {
    let mut names: Vec<&str> = spec
        .fields
        .keys()
        .map(String::as_str)
        .filter(|n| !spec.exclude.iter().any(|e| e == n))
        .collect();
    for r in records {
        for f in &r.fields {
            if !names.contains(&f.name.as_str()) {
                names.push(&f.name);
            }
        }
    }
    names
}

/// The JSON document for one dataset.
pub fn dataset_json(
    register: &Register,
    source: &SourceInfo,
    spec: &DatasetSpec,
    records: &[&Record],
    lang: Lang,
) -> Result<Vec<u8>, serde_json::Error> {
    let names = field_names(spec, records);
    let out = DatasetOut {
        source: Labelled {
            id: &source.id,
            label: &source.label,
        },
        dataset: &spec.name,
        label: spec
            .label
            .as_ref()
            .map(|l| l.get(lang))
            .unwrap_or(&spec.name),
        purposes: spec
            .purposes
            .iter()
            .filter_map(|id| register.purposes.get_key_value(id))
            .map(|(id, p)| PurposeOut {
                id,
                label: p.label.get(lang),
                legal_basis: p.legal_basis,
            })
            .collect(),
        recipients: spec
            .recipients
            .iter()
            .filter_map(|id| register.recipients.get_key_value(id))
            .map(|(id, r)| recipient(id, r, lang))
            .collect(),
        retention: spec
            .retention
            .as_ref()
            .and_then(|id| register.retention.get_key_value(id))
            .map(|(id, r)| RetentionOut {
                id,
                label: r.label.get(lang),
                period: r.period.as_deref(),
            }),
        origin: spec.origin,
        origin_party: spec
            .origin_party
            .as_ref()
            .and_then(|id| register.recipients.get_key_value(id))
            .map(|(id, r)| Labelled {
                id,
                label: r.label.get(lang),
            }),
        fields: names
            .iter()
            .map(|name| {
                let field = spec.fields.get(*name);
                FieldOut {
                    name,
                    label: field
                        .and_then(|f| match f {
                            inzage_core::register::FieldSpec::Detailed(d) => d.label.as_ref(),
                            _ => None,
                        })
                        .map(|l| l.get(lang)),
                    category: field
                        .and_then(|f| f.category())
                        .and_then(|c| register.categories.get_key_value(c))
                        .map(|(id, c)| category(id, c, lang)),
                }
            })
            .collect(),
        records: records
            .iter()
            .map(|r| RecordOut {
                key: &r.key,
                location: &r.location,
                matched_on: &r.matched_on,
                fetched_at: r
                    .fetched_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                values: r
                    .fields
                    .iter()
                    .map(|f| (f.name.as_str(), &f.value))
                    .collect(),
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&out)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The CSV for one dataset: a header of field names and one row per record;
/// text that a spreadsheet would run as a formula is neutralised, and
/// control characters (NUL, ESC, ...) are replaced by U+FFFD. The JSON file
/// beside it keeps every value exactly (JSON escapes control characters).
///
/// Written for a double-click in Dutch Excel: UTF-8 with a byte-order mark,
/// `;` between fields (Excel's list separator under Dutch settings, where
/// `,` is the decimal sign), decimals with the bundle language's decimal
/// sign (`948,90` in Dutch, `948.90` in English), dates as `yyyy-mm-dd`,
/// and the fields' labels as column headers.
/// An identifier Excel would turn into a number and lose (leading zeros of
/// `001042`, digits beyond 15) is written `="001042"`, Excel's notation for
/// a text value; only digits stand between the quotes. The JSON file beside
/// it holds every value plainly, for machines.
pub fn dataset_csv(
    spec: &DatasetSpec,
    records: &[&Record],
    lang: Lang,
) -> Result<Vec<u8>, csv::Error> {
    let names = field_names(spec, records);
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    writer.write_record(names.iter().map(|n| {
        spreadsheet_cell(&control_free(&crate::report::format::field_label(
            spec, n, lang,
        )))
    }))?;
    let decimal = |d: &str| match lang {
        Lang::Nl => d.replace('.', ","),
        Lang::En => d.to_string(),
    };
    for record in records {
        let row = names.iter().map(|name| match record.get(name) {
            Some(Value::Text(t)) => keep_as_text(&spreadsheet_cell(&control_free(t))),
            Some(Value::Decimal(d)) => decimal(d),
            Some(v @ Value::Float(_)) => decimal(&v.as_text().unwrap_or_default()),
            Some(Value::DateTime(t)) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            Some(Value::Instant(t)) => t.format("%Y-%m-%d %H:%M:%S%:z").to_string(),
            Some(Value::Bool(b)) => crate::report::format::yes_no(*b, lang).to_string(),
            Some(Value::List(items)) => keep_as_text(&spreadsheet_cell(&control_free(
                &crate::report::format::joined(items, |v| {
                    crate::report::format::item_text(v, lang)
                }),
            ))),
            Some(Value::Note(note)) => crate::report::texts::reading_note(*note, lang),
            Some(other) => control_free(&other.as_text().unwrap_or_default()).into_owned(),
            None => String::new(),
        });
        writer.write_record(row)?;
    }
    writer.flush()?;
    Ok(writer.into_inner().map_err(|e| e.into_error())?)
}

/// Digits that a spreadsheet would read as a number and change (a leading
/// zero dropped, digits beyond 15 rounded) as `="..."`; anything else as it is.
fn keep_as_text(text: &str) -> String {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if digits && ((text.len() > 1 && text.starts_with('0')) || text.len() > 15) {
        format!("=\"{text}\"")
    } else {
        text.to_string()
    }
}
