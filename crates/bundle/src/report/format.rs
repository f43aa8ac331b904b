//! How values and field names read in the report's language, the same way
//! everywhere: dates `24-09-1978` / `1978-09-24`, timestamps in the
//! organisation's time zone, amounts `€ 948,90` / `€948.90`, booleans
//! `ja`/`nee`, and a readable label for a field the register gives none.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use inzage_core::register::{FieldDetails, FieldSpec, FieldType};
use inzage_core::{DatasetSpec, Lang, Value};
use regex::Regex;

/// A point in time a text stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// A calendar date.
    Date(NaiveDate),
    /// A date and time in the organisation's time zone.
    Local(NaiveDateTime),
}

/// Formats values for one report.
#[derive(Clone, Copy, Debug)]
pub struct Formatter {
    /// The report's language.
    pub lang: Lang,
    /// The organisation's time zone.
    pub tz: Tz,
}

static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}-\d{2}-\d{2}$").expect("valid regex"));
static ISO_TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
        .expect("valid regex")
});

impl Formatter {
    /// A formatter for a language and time zone.
    pub fn new(lang: Lang, tz: Tz) -> Formatter {
        Formatter { lang, tz }
    }

    /// A calendar date: `24-09-1978` (nl), `1978-09-24` (en).
    pub fn date(&self, d: NaiveDate) -> String {
        match self.lang {
            Lang::Nl => d.format("%d-%m-%Y").to_string(),
            Lang::En => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// A local date and time, to the minute, as a person writes it:
    /// `21 mei 2021 06:18` (nl), `21 May 2021 06:18` (en).
    pub fn local(&self, t: NaiveDateTime) -> String {
        format!(
            "{} {}",
            inzage_core::dates::long_date(t.date(), self.lang),
            t.format("%H:%M")
        )
    }

    /// True or false as a person writes it: `ja`/`nee`, `yes`/`no`.
    pub fn yes_no(&self, b: bool) -> &'static str {
        yes_no(b, self.lang)
    }

    /// A timestamp with an offset, shown in the organisation's time zone.
    pub fn instant<Z: TimeZone>(&self, t: &DateTime<Z>) -> String {
        self.local(t.with_timezone(&self.tz).naive_local())
    }

    /// An amount of money: `€ 1.234,50` (nl), `€1,234.50` (en).
    pub fn money(&self, decimal: &str) -> String {
        let (sign, digits) = match decimal.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", decimal),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let (group, point) = match self.lang {
            Lang::Nl => ('.', ','),
            Lang::En => (',', '.'),
        };
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(c);
        }
        let number = if fraction.is_empty() {
            grouped
        } else {
            format!("{grouped}{point}{fraction}")
        };
        match self.lang {
            Lang::Nl => format!("{sign}€ {number}"),
            Lang::En => format!("{sign}€{number}"),
        }
    }

    /// A decimal number that is not money: the language's decimal sign.
    pub fn decimal(&self, decimal: &str) -> String {
        match self.lang {
            Lang::Nl => decimal.replace('.', ","),
            Lang::En => decimal.to_string(),
        }
    }

    /// A value as a person reads it; `details` says what the field is.
    pub fn value(&self, value: &Value, details: Option<&FieldDetails>) -> Option<String> {
        let money =
            details.is_some_and(|d| d.field_type == Some(FieldType::Decimal) && d.scale == Some(2));
        match value {
            Value::Null => None,
            Value::Date(d) => Some(self.date(*d)),
            Value::DateTime(t) => Some(self.local(*t)),
            Value::Instant(t) => Some(self.instant(t)),
            Value::List(items) => Some(joined(items, |v| self.value(v, None))),
            Value::Note(note) => Some(super::texts::reading_note(*note, self.lang)),
            Value::Decimal(d) if money => Some(self.money(d)),
            Value::Decimal(d) => Some(self.decimal(d)),
            Value::Float(_) => value.as_text().map(|t| self.decimal(&t)),
            Value::Bool(b) => Some(self.yes_no(*b).to_string()),
            Value::Text(t) => Some(self.text(t)),
            other => other.as_text(),
        }
    }

    /// Text that is an ISO date or timestamp (as JSON APIs send them) reads
    /// like every other date; anything else stays as written.
    fn text(&self, t: &str) -> String {
        match self.when(t) {
            Some(When::Date(d)) => self.date(d),
            Some(When::Local(l)) => self.local(l),
            None => t.to_string(),
        }
    }

    /// The date or the local time (in the organisation's time zone) that an
    /// ISO text stands for, if it is one.
    pub fn when(&self, t: &str) -> Option<When> {
        let trimmed = t.trim();
        if trimmed.len() > 40 {
            return None;
        }
        if ISO_DATE.is_match(trimmed) {
            return NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
                .ok()
                .map(When::Date);
        }
        if !ISO_TIMESTAMP.is_match(trimmed) {
            return None;
        }
        let iso = trimmed.replace(' ', "T");
        if let Ok(at) = DateTime::parse_from_rfc3339(&iso) {
            return Some(When::Local(at.with_timezone(&self.tz).naive_local()));
        }
        ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(&iso, f).ok())
            .map(When::Local)
    }
}

/// The items of a list as one text: `Nieuwegein, Houten, Utrecht`, or
/// notes (sentences themselves) separated by `; `.
pub fn joined(items: &[Value], item: impl Fn(&Value) -> Option<String>) -> String {
    let separator = if items.iter().all(|v| matches!(v, Value::Note(_))) {
        "; "
    } else {
        ", "
    };
    items
        .iter()
        .filter_map(item)
        .collect::<Vec<_>>()
        .join(separator)
}

/// An item of a list as a spreadsheet cell shows it: notes in `lang`,
/// anything else as its text.
pub fn item_text(value: &Value, lang: Lang) -> Option<String> {
    match value {
        Value::Note(note) => Some(super::texts::reading_note(*note, lang)),
        other => other.as_text(),
    }
}

/// True or false as a person writes it: `ja`/`nee` (nl), `yes`/`no` (en).
pub fn yes_no(b: bool, lang: Lang) -> &'static str {
    match (b, lang) {
        (true, Lang::Nl) => "ja",
        (false, Lang::Nl) => "nee",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
}

/// The label of a field: from the register, else a readable form of its
/// name (`kale_huur` → `Kale huur`, `zoekprofiel.huishoudgrootte` →
/// `Zoekprofiel: huishoudgrootte`), never the raw snake_case.
pub fn field_label(spec: &DatasetSpec, name: &str, lang: Lang) -> String {
    match spec.fields.get(name) {
        Some(FieldSpec::Detailed(d)) => d
            .label
            .as_ref()
            .map(|l| l.get(lang).to_string())
            .unwrap_or_else(|| readable(name)),
        _ => readable(name),
    }
}

/// A field name made readable.
pub fn readable(name: &str) -> String {
    let words: Vec<String> = name
        .split('.')
        .map(|part| {
            part.split(['_', '-'])
                .filter(|w| !w.is_empty())
                .map(|w| match w.to_lowercase().as_str() {
                    "id" => "ID".to_string(),
                    "iban" => "IBAN".to_string(),
                    "bsn" => "BSN".to_string(),
                    _ => w.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let joined = words.join(": ");
    let mut cs = joined.chars();
    match cs.next() {
        Some(first) => first.to_uppercase().chain(cs).collect(),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(lang: Lang) -> Formatter {
        Formatter::new(lang, chrono_tz::Europe::Amsterdam)
    }

    #[test]
    fn amounts_dates_timestamps_and_booleans_read_in_the_language() {
        assert_eq!(f(Lang::Nl).money("948.90"), "€ 948,90");
        assert_eq!(f(Lang::En).money("948.90"), "€948.90");
        assert_eq!(f(Lang::Nl).money("-1234567.05"), "-€ 1.234.567,05");
        assert_eq!(f(Lang::En).money("1234.50"), "€1,234.50");
        let v = |s: &str| Value::Text(s.into());
        assert_eq!(
            f(Lang::Nl).value(&v("2023-09-01T17:26:25"), None).unwrap(),
            "1 september 2023 17:26"
        );
        assert_eq!(
            f(Lang::Nl).value(&v("2023-09-01T15:26:25Z"), None).unwrap(),
            "1 september 2023 17:26"
        );
        assert_eq!(
            f(Lang::En)
                .value(&v("2023-01-10T09:00:00+00:00"), None)
                .unwrap(),
            "10 January 2023 10:00"
        );
        assert_eq!(
            f(Lang::Nl).value(&v("1978-09-24"), None).unwrap(),
            "24-09-1978"
        );
        assert_eq!(f(Lang::Nl).value(&v("HO200117"), None).unwrap(), "HO200117");
        assert_eq!(f(Lang::Nl).value(&Value::Bool(true), None).unwrap(), "ja");
        assert_eq!(f(Lang::En).value(&Value::Bool(false), None).unwrap(), "no");
        let at = DateTime::parse_from_rfc3339("2021-05-21T04:18:00Z").unwrap();
        assert_eq!(
            f(Lang::Nl).value(&Value::Instant(at), None).unwrap(),
            "21 mei 2021 06:18"
        );
        let places = Value::List(["Nieuwegein", "Houten", "Utrecht"].map(v).into());
        assert_eq!(
            f(Lang::Nl).value(&places, None).unwrap(),
            "Nieuwegein, Houten, Utrecht"
        );
    }

    #[test]
    fn field_names_become_readable_labels() {
        assert_eq!(readable("kale_huur"), "Kale huur");
        assert_eq!(readable("eenheid_id"), "Eenheid ID");
        assert_eq!(
            readable("zoekprofiel.huishoudgrootte"),
            "Zoekprofiel: huishoudgrootte"
        );
    }
}
