//! Matching rows of a table (CSV, spreadsheet, SQL result) against the
//! requested identifiers, shared by every tabular connector kind.

use std::collections::HashMap;

use chrono::NaiveDate;
use inzage_core::identifier::{compare_persons, normalise_postcode, PersonMatch};
use inzage_core::register::{ColumnRef, FieldDetails, FieldType, PersonColumns};
use inzage_core::{
    DatasetSpec, FetchRequest, Field, Identifier, IdentifierKind, PersonKey, Record, SourceError,
    Value,
};

/// What one row turned out to be.
pub enum RowOutcome {
    /// It matched a requested identifier.
    Match(Box<Record>),
    /// A near miss (a person matched on two of three parts): held back for
    /// staff to include or leave out.
    Held(Box<Record>),
    /// Nothing to do with this request.
    NoMatch,
}

/// A dataset's column references resolved against a table's header.
pub struct TableMatcher<'a> {
    source: &'a str,
    spec: &'a DatasetSpec,
    index: HashMap<&'a str, usize>,
    headers: Vec<String>,
    /// Each declared field's details, resolved once for the table (not per cell).
    details: HashMap<&'a str, FieldDetails>,
}

impl<'a> TableMatcher<'a> {
    /// Resolves the dataset's columns; a missing column is an error naming it.
    pub fn new(
        source: &'a str,
        spec: &'a DatasetSpec,
        headers: &'a [String],
        location: &str,
    ) -> Result<TableMatcher<'a>, SourceError> {
        let mut index = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            index.entry(h.as_str()).or_insert(i);
        }
        for column in spec.referenced_columns() {
            if !index.contains_key(column) {
                return Err(SourceError::MissingColumn {
                    location: location.to_string(),
                    dataset: spec.name.clone(),
                    column: crate::limits::excerpt(column, 60),
                    present: headers
                        .iter()
                        .take(50)
                        .map(|h| crate::limits::excerpt(h, 60))
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        }
        Ok(TableMatcher {
            source,
            spec,
            index,
            headers: headers.to_vec(),
            details: spec
                .fields
                .iter()
                .map(|(name, f)| (name.as_str(), f.details()))
                .collect(),
        })
    }

    /// Header columns that the dataset neither declares nor excludes.
    pub fn undeclared_columns(&self) -> Vec<String> {
        self.headers
            .iter()
            .filter(|h| !h.trim().is_empty())
            .filter(|h| !self.spec.fields.contains_key(h.as_str()) && !self.excluded(h))
            .cloned()
            .collect()
    }

    /// True when `exclude` names the column, or an object it was flattened
    /// from: excluding `medeaanvrager` excludes `medeaanvrager.voornamen`.
    fn excluded(&self, column: &str) -> bool {
        self.spec.exclude.iter().any(|e| {
            column == e
                || column
                    .strip_prefix(e.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// `check`'s rule: every column the source has is classified in the
    /// register (in `fields`) or deliberately left out (in `exclude`).
    pub fn require_declared(&self, location: &str) -> Result<(), SourceError> {
        let undeclared = self.undeclared_columns();
        if undeclared.is_empty() {
            return Ok(());
        }
        Err(SourceError::Config(format!(
            "{location}: dataset `{}`: columns not declared in connectors.toml: {}; add them to the dataset's fields with a category, or to `exclude`",
            self.spec.name,
            undeclared
                .iter()
                .map(|h| crate::limits::excerpt(h, 60))
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }

    fn cell<'r>(&self, row: &'r [Value], column: &str) -> &'r Value {
        self.index
            .get(column)
            .and_then(|i| row.get(*i))
            .unwrap_or(&Value::Null)
    }

    /// Reads a column as typed by its field spec (dates in their format, and
    /// identifiers kept as text).
    fn typed(&self, row: &[Value], column: &str) -> Value {
        let raw = self.cell(row, column);
        match self.details.get(column) {
            Some(details) => coerce(raw, details),
            None => coerce(raw, &FieldDetails::default()),
        }
    }

    fn identifiers(
        &self,
        row: &[Value],
        kind: IdentifierKind,
        cols: &ColumnRef,
    ) -> Vec<Identifier> {
        match cols {
            ColumnRef::Person(p) => self.person(row, p).into_iter().collect(),
            other => other
                .columns()
                .into_iter()
                .filter_map(|c| identifier_text(&self.typed(row, c)))
                .filter_map(|t| self.spec.identifier(kind, &t))
                .collect(),
        }
    }

    fn birth_date(&self, row: &[Value], cols: &PersonColumns) -> Option<NaiveDate> {
        match self.typed(row, &cols.geboortedatum) {
            Value::Date(d) => Some(d),
            Value::DateTime(t) => Some(t.date()),
            Value::Instant(t) => Some(t.date_naive()),
            other => other.as_text().and_then(|t| parse_date(&t, None)),
        }
    }

    /// Whether the row's person can agree with a wanted one at all: a match
    /// or a near miss needs two of name, birth date and postcode equal, so
    /// the birth date or the postcode is; checked before the name is
    /// normalised, the costly part, which most rows of a large export then
    /// never need.
    fn person_may_match(
        &self,
        row: &[Value],
        cols: &PersonColumns,
        wanted: &[WantedPerson],
    ) -> bool {
        let date = self.birth_date(row, cols);
        let postcode = normalise_postcode(
            &self
                .typed(row, &cols.postcode)
                .as_text()
                .unwrap_or_default(),
        );
        wanted.iter().any(|w| {
            (w.date.is_some() && w.date == date)
                || (!w.postcode.is_empty() && w.postcode == postcode)
        })
    }

    fn person(&self, row: &[Value], cols: &PersonColumns) -> Option<Identifier> {
        let text = |c: &str| self.typed(row, c).as_text().unwrap_or_default();
        let geboortedatum = self.birth_date(row, cols);
        let key = PersonKey {
            voornamen: text(&cols.voornamen),
            tussenvoegsel: cols.tussenvoegsel.as_deref().map(text).unwrap_or_default(),
            achternaam: text(&cols.achternaam),
            geboortedatum,
            postcode: text(&cols.postcode),
        };
        Identifier::person(&key)
    }

    /// Matches one row against the request.
    pub fn evaluate(&self, row: &[Value], location: &str, request: &FetchRequest) -> RowOutcome {
        self.evaluate_at(row, location, None, request)
    }

    /// Matches one row that stands at `position` (its CSV line or
    /// spreadsheet row), the key of a dataset keyed by position.
    pub fn evaluate_at(
        &self,
        row: &[Value],
        location: &str,
        position: Option<u64>,
        request: &FetchRequest,
    ) -> RowOutcome {
        let mut matched = Vec::new();
        let mut near: Vec<Identifier> = Vec::new();
        let mut wanted_persons: Option<Vec<WantedPerson>> = None;
        for (kind, cols) in &self.spec.matches {
            if let ColumnRef::Person(p) = cols {
                let wanted = wanted_persons.get_or_insert_with(|| {
                    request
                        .identifiers
                        .iter()
                        .filter(|w| w.kind == IdentifierKind::Persoon)
                        .map(|w| WantedPerson::of(&w.value))
                        .collect()
                });
                if !self.person_may_match(row, p, wanted) {
                    continue;
                }
            }
            for id in self.identifiers(row, *kind, cols) {
                for wanted in request.identifiers.iter().filter(|w| w.kind == *kind) {
                    if *kind == IdentifierKind::Persoon {
                        match compare_persons(&wanted.value, &id.value) {
                            PersonMatch::Full => matched.push(wanted.clone()),
                            PersonMatch::Partial => near.push(wanted.clone()),
                            PersonMatch::None => {}
                        }
                    } else if *wanted == id {
                        matched.push(wanted.clone());
                    }
                }
            }
        }
        matched.sort();
        matched.dedup();
        if matched.is_empty() {
            if near.is_empty() {
                return RowOutcome::NoMatch;
            }
            // Found through the person it nearly matches, never followed.
            near.sort();
            near.dedup();
            let mut record = self.record(row, location, position, near, request);
            record.yields.clear();
            return RowOutcome::Held(Box::new(record));
        }
        RowOutcome::Match(Box::new(
            self.record(row, location, position, matched, request),
        ))
    }

    /// The row's own key: its `key` columns joined by `/`, its line or row
    /// (`position`) for a dataset keyed by position, or where it stands when
    /// the dataset declares none.
    fn key(&self, row: &[Value], location: &str, position: Option<u64>) -> String {
        match &self.spec.key {
            Some(ColumnRef::Position(_)) => position
                .map(|p| p.to_string())
                .unwrap_or_else(|| location.to_string()),
            Some(cols) => cols
                .columns()
                .into_iter()
                .map(|c| self.typed(row, c).as_text().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("/"),
            None => location.to_string(),
        }
    }

    fn record(
        &self,
        row: &[Value],
        location: &str,
        position: Option<u64>,
        matched_on: Vec<Identifier>,
        request: &FetchRequest,
    ) -> Record {
        let owner = self.spec.owner_column().and_then(|(kind, col)| {
            identifier_text(&self.typed(row, col)).and_then(|t| self.spec.identifier(kind, &t))
        });
        let mut yields: Vec<Identifier> = self
            .spec
            .yields
            .iter()
            .flat_map(|(kind, cols)| self.identifiers(row, *kind, cols))
            .collect();
        yields.sort();
        yields.dedup();
        let key = self.key(row, location, position);
        let declared = self.spec.fields.keys().map(String::as_str);
        let undeclared = self
            .headers
            .iter()
            .map(String::as_str)
            .filter(|h| !h.trim().is_empty() && !self.spec.fields.contains_key(*h));
        let fields = declared
            .chain(undeclared)
            .filter(|name| !self.excluded(name))
            .map(|name| Field {
                name: name.to_string(),
                value: self.typed(row, name),
            })
            .collect();
        Record {
            source: self.source.to_string(),
            dataset: self.spec.name.clone(),
            key,
            location: location.to_string(),
            matched_on,
            owner,
            fetched_at: request.fetched_at,
            fields,
            yields,
        }
    }
}

/// The text of a cell used as an identifier: whole numbers without `.0`.
/// The birth date and postcode of a wanted person identifier
/// (`name|yyyy-mm-dd|postcode`, the postcode empty for a search by name).
struct WantedPerson {
    date: Option<NaiveDate>,
    postcode: String,
}

impl WantedPerson {
    fn of(value: &str) -> WantedPerson {
        let mut parts = value.split('|').skip(1);
        WantedPerson {
            date: parts.next().and_then(|d| d.parse().ok()),
            postcode: parts.next().unwrap_or_default().to_string(),
        }
    }
}

fn identifier_text(value: &Value) -> Option<String> {
    match value {
        Value::Float(f) if f.fract() == 0.0 => Some(format!("{}", *f as i64)),
        other => other.as_text().filter(|t| !t.trim().is_empty()),
    }
}

/// Applies a declared field type to a raw cell value. NULL stays null and
/// an empty text stays an empty text (a faithful copy tells them apart); a
/// value that does not read as its type is kept as the text it is.
pub fn coerce(raw: &Value, details: &FieldDetails) -> Value {
    let format = details.format.as_deref();
    match (details.field_type, raw) {
        (_, Value::Null) => Value::Null,
        (_, Value::Text(t)) if t.is_empty() => Value::Text(String::new()),
        (Some(FieldType::Text), Value::Float(f)) if f.fract() == 0.0 => {
            Value::Text(format!("{}", *f as i64))
        }
        (Some(FieldType::Text), Value::Text(t)) => Value::Text(t.clone()),
        (Some(FieldType::Text), v) => v.as_text().map(Value::Text).unwrap_or(Value::Null),
        (Some(FieldType::Datetime), v) => datetime(v, details),
        (Some(FieldType::Boolean), v) => boolean(v),
        (Some(FieldType::List), v) => list(v, details),
        (Some(FieldType::Date), Value::DateTime(t)) => Value::Date(t.date()),
        (Some(FieldType::Date), Value::Text(t)) => parse_date(t, format)
            .map(Value::Date)
            .unwrap_or_else(|| Value::Text(t.clone())),
        (Some(FieldType::Integer), Value::Text(t)) => t
            .trim()
            .parse()
            .map(Value::Integer)
            .unwrap_or_else(|_| Value::Text(t.clone())),
        (Some(FieldType::Integer), Value::Float(f)) if f.fract() == 0.0 => {
            Value::Integer(*f as i64)
        }
        (Some(FieldType::Decimal), Value::Text(t)) => decimal_text(t)
            .map(|d| Value::Decimal(with_scale(&d, details.scale)))
            .unwrap_or_else(|| Value::Text(t.clone())),
        (Some(FieldType::Decimal), Value::Decimal(d)) => {
            Value::Decimal(with_scale(d, details.scale))
        }
        (Some(FieldType::Decimal), Value::Integer(i)) => {
            Value::Decimal(with_scale(&i.to_string(), details.scale))
        }
        (Some(FieldType::Decimal), Value::Float(f)) => Value::Decimal(match details.scale {
            Some(scale) => format!("{f:.*}", scale as usize),
            None => format!("{f}"),
        }),
        (_, v) => v.clone(),
    }
}

/// A `datetime` field: text in the ISO or Dutch forms, a local time placed
/// in the declared `time_zone`, a time with offset kept as it is.
fn datetime(raw: &Value, details: &FieldDetails) -> Value {
    let zone = details
        .time_zone
        .as_deref()
        .and_then(|z| z.parse::<chrono_tz::Tz>().ok());
    match raw {
        Value::Text(t) => crate::timestamps::parse(t, details.format.as_deref(), zone)
            .unwrap_or_else(|| Value::Text(t.clone())),
        Value::DateTime(local) if zone.is_some() => {
            let text = local.format("%Y-%m-%dT%H:%M:%S%.f").to_string();
            crate::timestamps::parse(&text, None, zone).unwrap_or_else(|| raw.clone())
        }
        other => other.clone(),
    }
}

/// A `boolean` field: `ja`/`nee`, `j`/`n`, `true`/`false`, `waar`/`onwaar`,
/// `yes`/`no`, `1`/`0` (any case), or a number 0/1.
fn boolean(raw: &Value) -> Value {
    match raw {
        Value::Bool(b) => Value::Bool(*b),
        Value::Integer(0) => Value::Bool(false),
        Value::Integer(1) => Value::Bool(true),
        Value::Float(f) if *f == 0.0 || *f == 1.0 => Value::Bool(*f == 1.0),
        Value::Text(t) => match t.trim().to_lowercase().as_str() {
            "ja" | "j" | "true" | "waar" | "yes" | "y" | "1" => Value::Bool(true),
            "nee" | "n" | "false" | "onwaar" | "no" | "0" => Value::Bool(false),
            _ => Value::Text(t.clone()),
        },
        other => other.clone(),
    }
}

/// A `list` field: a JSON array of scalars, or text split at `separator`
/// (default `,`) with every item trimmed.
fn list(raw: &Value, details: &FieldDetails) -> Value {
    let Value::Text(t) = raw else {
        return raw.clone();
    };
    if t.trim_start().starts_with('[') {
        if let Ok(items) = serde_json::from_str::<Vec<serde_json::Value>>(t) {
            let scalars: Option<Vec<Value>> = items
                .iter()
                .map(|item| match item {
                    serde_json::Value::String(s) => Some(Value::Text(s.clone())),
                    serde_json::Value::Number(n) => Some(Value::Text(n.to_string())),
                    serde_json::Value::Bool(b) => Some(Value::Bool(*b)),
                    _ => None,
                })
                .collect();
            if let Some(items) = scalars {
                return Value::List(items);
            }
        }
    }
    let separator = details.separator.as_deref().unwrap_or(",");
    Value::List(
        t.split(separator)
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| Value::Text(item.to_string()))
            .collect(),
    )
}

/// Pads or keeps the fraction of exact decimal text to `scale` places; never
/// rounds (a value with more places than the scale is kept as it is).
fn with_scale(decimal: &str, scale: Option<u32>) -> String {
    let Some(scale) = scale.map(|s| s as usize) else {
        return decimal.to_string();
    };
    let (whole, fraction) = decimal.split_once('.').unwrap_or((decimal, ""));
    if fraction.len() >= scale {
        return decimal.to_string();
    }
    let padded = format!("{fraction:0<scale$}");
    if padded.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{padded}")
    }
}

/// Reads a date in the given format, or in the usual Dutch and ISO forms.
pub fn parse_date(text: &str, format: Option<&str>) -> Option<NaiveDate> {
    let t = text.trim();
    if let Some(f) = format {
        return NaiveDate::parse_from_str(t, f).ok();
    }
    ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
}

/// Normalises a decimal written Dutch-style (`1.234,50`) or plainly
/// (`1234.50`) into exact text; `None` when it is not a number.
fn decimal_text(text: &str) -> Option<String> {
    let t = text.trim();
    let normalised = if t.contains(',') {
        t.replace('.', "").replace(',', ".")
    } else {
        t.to_string()
    };
    let digits = normalised.trim_start_matches('-');
    let valid = !digits.is_empty()
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.');
    valid.then_some(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn spec(toml_text: &str) -> DatasetSpec {
        toml::from_str(toml_text).unwrap()
    }

    fn request(ids: Vec<Identifier>) -> FetchRequest {
        FetchRequest {
            identifiers: ids,
            fetched_at: Utc::now(),
        }
    }

    #[test]
    fn a_missing_column_is_named() {
        let spec = spec("name = \"D\"\n[match]\nklantnummer = \"Klant\"\n");
        let headers = vec!["Nummer".to_string()];
        let err = TableMatcher::new("s", &spec, &headers, "f.csv")
            .err()
            .unwrap();
        let msg = err.to_string();
        assert!(
            msg.contains("`Klant`") && msg.contains("Nummer") && msg.contains("f.csv"),
            "{msg}"
        );
    }

    /// Two of name, birth date and postcode equal is a near miss, three a
    /// match, whichever two; the quick check on birth date and postcode
    /// never drops one of them.
    #[test]
    fn a_person_matches_on_all_three_parts_and_is_a_near_miss_on_any_two() {
        let spec = spec(
            "name = \"D\"\nkey = \"Id\"\n[match]\npersoon = { voornamen = \"Voornamen\", achternaam = \"Achternaam\", geboortedatum = \"Geboren\", postcode = \"Postcode\" }\n[fields]\nId = \"x\"\nVoornamen = \"x\"\nAchternaam = \"x\"\nGeboren = { category = \"x\", type = \"date\", format = \"%d-%m-%Y\" }\nPostcode = \"x\"\n",
        );
        let headers: Vec<String> = ["Id", "Voornamen", "Achternaam", "Geboren", "Postcode"]
            .map(String::from)
            .into();
        let m = TableMatcher::new("s", &spec, &headers, "f").unwrap();
        let wanted = Identifier::person(&PersonKey {
            voornamen: "Fleur".into(),
            tussenvoegsel: String::new(),
            achternaam: "Jansen".into(),
            geboortedatum: NaiveDate::from_ymd_opt(1990, 4, 2),
            postcode: "3512 AB".into(),
        })
        .unwrap();
        let row = |first: &str, born: &str, postcode: &str| -> Vec<Value> {
            [("1"), first, "Jansen", born, postcode]
                .map(|t| Value::Text(t.to_string()))
                .into()
        };
        let outcome = |r: Vec<Value>| m.evaluate(&r, "f:2", &request(vec![wanted.clone()]));
        assert!(matches!(
            outcome(row("Fleur", "02-04-1990", "3512ab")),
            RowOutcome::Match(_)
        ));
        for (first, born, postcode) in [
            ("Anna", "02-04-1990", "3512AB"),  // birth date and postcode
            ("Fleur", "03-04-1990", "3512AB"), // name and postcode
            ("Fleur", "02-04-1990", "1234AB"), // name and birth date
        ] {
            match outcome(row(first, born, postcode)) {
                RowOutcome::Held(record) => {
                    // Held with the person it nearly matches, never followed.
                    assert_eq!(record.matched_on, vec![wanted.clone()]);
                    assert!(record.yields.is_empty());
                }
                _ => panic!("{first} {born} {postcode} is a near miss"),
            }
        }
        for (first, born, postcode) in [
            ("Fleur", "03-04-1990", "1234AB"), // the name alone
            ("Anna", "03-04-1990", "3512AB"),  // the postcode alone
            ("Anna", "02-04-1990", "1234AB"),  // the birth date alone
        ] {
            assert!(
                matches!(outcome(row(first, born, postcode)), RowOutcome::NoMatch),
                "{first} {born} {postcode} is no one we want"
            );
        }
    }

    #[test]
    fn rows_match_on_identifier_and_yield_the_rest() {
        let spec = spec(
            "name = \"D\"\nkey = \"Id\"\n[match]\nklantnummer = \"Klant\"\n[yields]\nemail = [\"Mail\", \"Mail2\"]\n[owner]\nklantnummer = \"Klant\"\n[fields]\nId = \"x\"\nKlant = { category = \"x\", type = \"text\" }\nMail = \"x\"\n",
        );
        let headers: Vec<String> = ["Id", "Klant", "Mail", "Mail2", "Extra"]
            .map(String::from)
            .into();
        let m = TableMatcher::new("s", &spec, &headers, "f").unwrap();
        let k = Identifier::new(IdentifierKind::Klantnummer, "001234").unwrap();
        let row = vec![
            Value::Text("7".into()),
            Value::Text("001234".into()),
            Value::Text("A@Example.org".into()),
            Value::Null,
            Value::Text("e".into()),
        ];
        let RowOutcome::Match(rec) = m.evaluate(&row, "f:2", &request(vec![k.clone()])) else {
            panic!("expected a match")
        };
        assert_eq!(rec.key, "7");
        assert_eq!(rec.owner, Some(k));
        assert_eq!(rec.yields.len(), 1);
        assert_eq!(rec.yields[0].value, "a@example.org");
        let names: Vec<&str> = rec.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Id", "Klant", "Mail", "Mail2", "Extra"]);
        assert_eq!(m.undeclared_columns(), ["Mail2", "Extra"]);
        let other = Identifier::new(IdentifierKind::Klantnummer, "0012345").unwrap();
        assert!(matches!(
            m.evaluate(&row, "f:2", &request(vec![other])),
            RowOutcome::NoMatch
        ));
    }

    #[test]
    fn excluding_an_object_excludes_its_flattened_fields() {
        let spec = spec(
            "name = \"D\"\nexclude = [\"partner\"]\n[match]\nklantnummer = \"Klant\"\n[fields]\nKlant = \"x\"\n",
        );
        let headers: Vec<String> = [
            "Klant",
            "partner.voornamen",
            "partner.geboortedatum",
            "partnerschap",
        ]
        .map(String::from)
        .into();
        let m = TableMatcher::new("s", &spec, &headers, "f").unwrap();
        assert_eq!(m.undeclared_columns(), ["partnerschap"]);
        let k = Identifier::new(IdentifierKind::Klantnummer, "001234").unwrap();
        let row = vec![
            Value::Text("001234".into()),
            Value::Text("Someone".into()),
            Value::Text("1990-01-01".into()),
            Value::Null,
        ];
        let RowOutcome::Match(rec) = m.evaluate(&row, "f:2", &request(vec![k])) else {
            panic!("expected a match")
        };
        let names: Vec<&str> = rec.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["Klant", "partnerschap"],
            "another person's data stays out"
        );
    }

    #[test]
    fn datetimes_booleans_lists_and_empty_text_keep_their_meaning() {
        let typed = |t: FieldType| FieldDetails {
            field_type: Some(t),
            time_zone: Some("Europe/Amsterdam".into()),
            ..FieldDetails::default()
        };
        let text = |s: &str| Value::Text(s.into());
        assert_eq!(
            coerce(&text("21-05-2021 06:18"), &typed(FieldType::Datetime))
                .as_text()
                .unwrap(),
            "2021-05-21T06:18:00+02:00"
        );
        assert_eq!(
            coerce(&text("Nee"), &typed(FieldType::Boolean)),
            Value::Bool(false)
        );
        assert_eq!(
            coerce(&Value::Integer(1), &typed(FieldType::Boolean)),
            Value::Bool(true)
        );
        assert_eq!(
            coerce(&text("misschien"), &typed(FieldType::Boolean)),
            text("misschien"),
            "a value that is not a boolean stays as written"
        );
        let places = Value::List(vec![text("Nieuwegein"), text("Houten"), text("Utrecht")]);
        assert_eq!(
            coerce(&text("Nieuwegein, Houten,Utrecht"), &typed(FieldType::List)),
            places
        );
        assert_eq!(
            coerce(
                &text(r#"["Nieuwegein","Houten","Utrecht"]"#),
                &typed(FieldType::List)
            ),
            places
        );
        assert_eq!(coerce(&text(""), &typed(FieldType::Text)), text(""));
        assert_eq!(coerce(&Value::Null, &typed(FieldType::Text)), Value::Null);
    }

    #[test]
    fn numeric_cells_used_as_identifiers_lose_the_fraction() {
        assert_eq!(identifier_text(&Value::Float(1234.0)).unwrap(), "1234");
    }

    #[test]
    fn decimals_get_their_declared_scale_without_rounding() {
        let money = FieldDetails {
            field_type: Some(FieldType::Decimal),
            scale: Some(2),
            ..FieldDetails::default()
        };
        assert_eq!(
            coerce(&Value::Float(712.5), &money),
            Value::Decimal("712.50".into())
        );
        assert_eq!(
            coerce(&Value::Integer(700), &money),
            Value::Decimal("700.00".into())
        );
        assert_eq!(
            coerce(&Value::Text("1.234,5".into()), &money),
            Value::Decimal("1234.50".into())
        );
        assert_eq!(
            coerce(&Value::Decimal("1.125".into()), &money),
            Value::Decimal("1.125".into())
        );
    }

    #[test]
    fn dutch_decimals_and_dates_are_read_exactly() {
        assert_eq!(decimal_text("1.234,50").unwrap(), "1234.50");
        assert_eq!(decimal_text("712.5").unwrap(), "712.5");
        assert!(decimal_text("abc").is_none());
        assert_eq!(
            parse_date("29-02-1980", None),
            NaiveDate::from_ymd_opt(1980, 2, 29)
        );
    }
}
