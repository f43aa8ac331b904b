//! Reading a date and time written as text: ISO 8601 with or without an
//! offset, and the forms Dutch systems and people write
//! (`21-05-2021 06:18`, `21/05/2021 06:18:00`, `21 mei 2021 om 06:18`).

use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset, TimeZone};
use inzage_core::Value;

/// Forms with an offset (`+02:00`, `+0200`, `Z` is handled as RFC 3339).
const WITH_OFFSET: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%:z",
    "%Y-%m-%dT%H:%M:%S%:z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M%:z",
    "%Y-%m-%dT%H:%M%z",
];

/// Forms without an offset: a local time.
const LOCAL: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
];

/// Dutch month names and their usual abbreviations, 1-based.
const MONTHS: &[(&str, u32)] = &[
    ("januari", 1),
    ("jan", 1),
    ("februari", 2),
    ("feb", 2),
    ("maart", 3),
    ("mrt", 3),
    ("april", 4),
    ("apr", 4),
    ("mei", 5),
    ("juni", 6),
    ("jun", 6),
    ("juli", 7),
    ("jul", 7),
    ("augustus", 8),
    ("aug", 8),
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("oktober", 10),
    ("okt", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// A date and time read from text: [`Value::Instant`] when the text (or
/// `zone`) gives the offset, [`Value::DateTime`] for a local time without
/// one; `None` when the text is not a date and time. `format` (chrono
/// `strftime`) is tried first when given.
pub fn parse(text: &str, format: Option<&str>, zone: Option<chrono_tz::Tz>) -> Option<Value> {
    let t = text.trim();
    if let Some(f) = format {
        if let Ok(at) = DateTime::parse_from_str(t, f) {
            return Some(Value::Instant(at));
        }
        return NaiveDateTime::parse_from_str(t, f)
            .ok()
            .map(|local| placed(local, zone));
    }
    // `2021-05-21 06:18:00+02:00`: ISO with a space for the `T`.
    let iso = match t.as_bytes().get(10) {
        Some(b' ') if t.as_bytes().get(4) == Some(&b'-') => {
            format!("{}T{}", &t[..10], t[11..].trim_start())
        }
        _ => t.to_string(),
    };
    let iso = iso.replace(" +", "+").replace(" -", "-");
    if let Ok(at) = DateTime::parse_from_rfc3339(&iso) {
        return Some(Value::Instant(at));
    }
    if let Some(at) = WITH_OFFSET
        .iter()
        .find_map(|f| DateTime::parse_from_str(&iso, f).ok())
    {
        return Some(Value::Instant(at));
    }
    let local = LOCAL
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&iso, f).ok())
        .or_else(|| dutch_words(t))?;
    Some(placed(local, zone))
}

/// A local time, with the offset its zone had then when a zone is declared.
fn placed(local: NaiveDateTime, zone: Option<chrono_tz::Tz>) -> Value {
    let Some(zone) = zone else {
        return Value::DateTime(local);
    };
    match zone.from_local_datetime(&local).earliest() {
        Some(at) => {
            let offset = FixedOffset::east_opt(at.offset().fix().local_minus_utc())
                .expect("an offset of a real time zone");
            Value::Instant(at.with_timezone(&offset))
        }
        // A time that the zone skipped (the hour the clocks go forward).
        None => Value::DateTime(local),
    }
}

/// `21 mei 2021 06:18`, `21 mei 2021 om 06:18:00`.
fn dutch_words(text: &str) -> Option<NaiveDateTime> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split_whitespace()
        .filter(|w| *w != "om" && *w != "at")
        .collect();
    let [day, month, year, time] = words.as_slice() else {
        return None;
    };
    let month = month.trim_end_matches('.');
    let (_, number) = MONTHS.iter().find(|(name, _)| *name == month)?;
    let numeric = format!("{day}-{number:02}-{year} {time}");
    ["%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&numeric, f).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(v: Option<Value>) -> String {
        v.and_then(|v| v.as_text()).unwrap_or_default()
    }

    #[test]
    fn iso_with_and_without_offsets() {
        assert_eq!(
            text(parse("2021-05-21T06:18:00+02:00", None, None)),
            "2021-05-21T06:18:00+02:00"
        );
        assert_eq!(
            text(parse("2021-05-21T04:18:00Z", None, None)),
            "2021-05-21T04:18:00Z"
        );
        assert_eq!(
            text(parse("2021-05-21 06:18:00 +0200", None, None)),
            "2021-05-21T06:18:00+02:00"
        );
        assert_eq!(
            text(parse("2023-06-06 07:11:00", None, None)),
            "2023-06-06T07:11:00",
            "SQLite's text reads as PostgreSQL's TIMESTAMP does"
        );
    }

    #[test]
    fn dutch_forms_and_a_declared_zone() {
        let ams = Some(chrono_tz::Europe::Amsterdam);
        assert_eq!(
            text(parse("21-05-2021 06:18", None, ams)),
            "2021-05-21T06:18:00+02:00"
        );
        assert_eq!(
            text(parse("21/01/2021 06:18:30", None, ams)),
            "2021-01-21T06:18:30+01:00"
        );
        assert_eq!(
            text(parse("21 mei 2021 om 06:18", None, None)),
            "2021-05-21T06:18:00"
        );
        assert_eq!(
            text(parse("3 mrt. 2020 9:05", None, None)),
            "2020-03-03T09:05:00"
        );
        assert!(parse("21 mei", None, None).is_none());
        assert!(parse("HO200117", None, None).is_none());
        assert_eq!(
            text(parse("21.05.2021 - 06u18", Some("%d.%m.%Y - %Hu%M"), None)),
            "2021-05-21T06:18:00"
        );
    }
}
