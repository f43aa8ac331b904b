//! Records found in source systems, with their provenance.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::identifier::Identifier;

/// A typed value read from a source.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// No value (SQL NULL, an empty cell).
    Null,
    /// Text, kept exactly as the source holds it.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A decimal number kept as exact text (`1234.50`), never a float.
    Decimal(String),
    /// A floating-point number that the source holds as such (a survey score).
    Float(f64),
    /// True or false.
    Bool(bool),
    /// A calendar date.
    Date(NaiveDate),
    /// A date and time without zone, as the source holds it.
    DateTime(NaiveDateTime),
    /// A date and time with its offset from UTC (`2021-05-21T06:18:00+02:00`),
    /// as the source wrote it, or placed in a declared time zone.
    Instant(DateTime<FixedOffset>),
    /// A list of values (a JSON array, a separated cell), kept in order.
    List(Vec<Value>),
    /// A note of inzage's own about how the record was read (damage it
    /// was recovered from), worded by the report in its language.
    Note(crate::note::ReadingNote),
    /// Binary content, reported by size and hash only.
    Blob {
        /// Size in bytes.
        size: u64,
        /// SHA-256 of the content, lowercase hex.
        sha256: String,
    },
}

impl Value {
    /// Describes binary content by size and hash.
    pub fn blob(bytes: &[u8]) -> Value {
        Value::Blob {
            size: bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(bytes)),
        }
    }

    /// The value as text for matching, CSV cells and reports; `None` for null.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Text(s) | Value::Decimal(s) => Some(s.clone()),
            Value::Integer(i) => Some(i.to_string()),
            Value::Float(f) => Some(format_float(*f)),
            Value::Bool(b) => Some(if *b { "true" } else { "false" }.to_string()),
            Value::Date(d) => Some(d.format("%Y-%m-%d").to_string()),
            Value::DateTime(t) => Some(t.format("%Y-%m-%dT%H:%M:%S").to_string()),
            Value::Instant(t) => Some(t.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            Value::List(items) => Some(
                items
                    .iter()
                    .filter_map(Value::as_text)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Value::Note(note) => Some(note.to_string()),
            Value::Blob { size, sha256 } => Some(format!("<{size} bytes, sha256 {sha256}>")),
        }
    }

    /// True for [`Value::Null`] and empty text.
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Text(s) => s.trim().is_empty(),
            Value::List(items) => items.iter().all(Value::is_empty),
            _ => false,
        }
    }
}

/// Text read from a file with its line breaks made `\n`: Windows (`\r\n`)
/// and old Mac (`\r`) line ends are the same line break, and a stray `\r`
/// must not reach the JSON, the CSV or the report.
pub fn unix_line_breaks(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Formats a float without a spurious `.0` for whole numbers.
fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_none(),
            Value::Text(s) | Value::Decimal(s) => serializer.serialize_str(s),
            Value::Integer(i) => serializer.serialize_i64(*i),
            Value::Float(f) => serializer.serialize_f64(*f),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Date(_) | Value::DateTime(_) | Value::Instant(_) => {
                serializer.serialize_str(&self.as_text().unwrap_or_default())
            }
            Value::List(items) => items.serialize(serializer),
            Value::Note(note) => note.serialize(serializer),
            Value::Blob { size, sha256 } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("size", size)?;
                map.serialize_entry("sha256", sha256)?;
                map.end()
            }
        }
    }
}

/// One named value of a record.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Field {
    /// Field (column) name as the source calls it.
    pub name: String,
    /// The value.
    pub value: Value,
}

/// One record found in a source, with where it came from.
#[derive(Clone, Debug, Serialize)]
pub struct Record {
    /// Connector id (`erp`, `kwh`).
    pub source: String,
    /// Dataset name (VERA word, `Huurovereenkomst`).
    pub dataset: String,
    /// The record's key in its source (primary key, row number, Message-ID).
    pub key: String,
    /// Where exactly in the source: file and line, table, URL.
    pub location: String,
    /// The requested identifiers this record matched on.
    pub matched_on: Vec<Identifier>,
    /// The person the source says the record belongs to, when it says so.
    pub owner: Option<Identifier>,
    /// When the source answered.
    pub fetched_at: DateTime<Utc>,
    /// The record's fields, in source order.
    pub fields: Vec<Field>,
    /// Identifiers this record reveals (followed in the next round).
    pub yields: Vec<Identifier>,
}

impl Record {
    /// The value of a field by name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| &f.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_of_every_system_become_one() {
        assert_eq!(unix_line_breaks("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert!(matches!(
            unix_line_breaks("a\nb"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn values_serialise_as_plain_json() {
        let values = vec![
            Value::Null,
            Value::Text("001234".into()),
            Value::Decimal("712.50".into()),
            Value::Date(NaiveDate::from_ymd_opt(2024, 1, 31).unwrap()),
            Value::blob(b"abc"),
        ];
        let json = serde_json::to_string(&values).unwrap();
        assert_eq!(
            json,
            r#"[null,"001234","712.50","2024-01-31",{"size":3,"sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}]"#
        );
    }

    #[test]
    fn instants_lists_and_empty_text_serialise_exactly() {
        let at = DateTime::parse_from_rfc3339("2021-05-21T06:18:00+02:00").unwrap();
        let values = vec![
            Value::Instant(at),
            Value::List(vec![
                Value::Text("Nieuwegein".into()),
                Value::Text("Houten".into()),
            ]),
            Value::Text(String::new()),
            Value::Null,
            Value::Bool(false),
        ];
        assert_eq!(
            serde_json::to_string(&values).unwrap(),
            r#"["2021-05-21T06:18:00+02:00",["Nieuwegein","Houten"],"",null,false]"#
        );
        assert_eq!(values[1].as_text().unwrap(), "Nieuwegein, Houten");
    }

    #[test]
    fn whole_floats_print_without_fraction() {
        assert_eq!(Value::Float(8.0).as_text().unwrap(), "8");
        assert_eq!(Value::Float(7.5).as_text().unwrap(), "7.5");
    }
}
