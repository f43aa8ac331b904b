//! The `[requests]` section of `connectors.toml`: where the request store
//! and the audit trail live, and the terms the corporation promised.
//!
//! ```toml
//! [requests]
//! store = "requests.sqlite"        # default: beside connectors.toml
//! audit = "requests.audit.jsonl"   # default: beside the store
//! acknowledgement = "24h"          # promised: acknowledgement within 24 hours
//! answer = "4w"                    # promised: final answer within 4 weeks
//! legal_maximum = "1 month"        # GDPR art. 12(3)
//! extension_maximum = "2 months"   # GDPR art. 12(3), with a reasoned notice
//! clock_starts = "receipt"         # or "verification"
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::RequestsError;

/// A term: a number of hours, days, weeks or months.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Term {
    /// Hours; on dates, rounded up to whole days (`24h` is the next day).
    Hours(u32),
    /// Calendar days.
    Days(u32),
    /// Weeks of seven days.
    Weeks(u32),
    /// Calendar months: the same day number, or that month's last day.
    Months(u32),
}

impl FromStr for Term {
    type Err = String;

    /// Parses `24h`, `24 hours`, `30d`, `4w`, `4 weeks`, `1 month`, `2 months`.
    fn from_str(text: &str) -> Result<Term, String> {
        let t = text.trim();
        let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (number, unit) = t.split_at(split);
        let n: u32 = number.parse().map_err(|_| {
            format!("`{text}` is not a term; write a number and a unit: 24h, 30d, 4w, 1 month")
        })?;
        match unit.trim().to_lowercase().as_str() {
            "h" | "hour" | "hours" | "uur" => Ok(Term::Hours(n)),
            "d" | "day" | "days" | "dag" | "dagen" => Ok(Term::Days(n)),
            "w" | "week" | "weeks" | "weken" => Ok(Term::Weeks(n)),
            "m" | "month" | "months" | "maand" | "maanden" => Ok(Term::Months(n)),
            other => Err(format!(
                "`{text}`: unknown unit `{other}`; use h, d, w or month(s)"
            )),
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Hours(n) => write!(f, "{n}h"),
            Term::Days(n) => write!(f, "{n}d"),
            Term::Weeks(n) => write!(f, "{n}w"),
            Term::Months(1) => write!(f, "1 month"),
            Term::Months(n) => write!(f, "{n} months"),
        }
    }
}

impl Serialize for Term {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Term {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Term, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// When the clock of the deadlines starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClockStart {
    /// On the day the request was received (the GDPR's default).
    #[default]
    Receipt,
    /// On the day identity was verified; no deadline runs before that.
    Verification,
}

impl ClockStart {
    /// The name used in connectors.toml and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            ClockStart::Receipt => "receipt",
            ClockStart::Verification => "verification",
        }
    }

    /// Parses the stored name.
    pub fn parse(text: &str) -> Option<ClockStart> {
        match text {
            "receipt" => Some(ClockStart::Receipt),
            "verification" => Some(ClockStart::Verification),
            _ => None,
        }
    }
}

/// The terms that set a request's deadlines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terms {
    /// Promised acknowledgement (`24h`).
    #[serde(default = "default_acknowledgement")]
    pub acknowledgement: Term,
    /// Promised final answer (`4w`).
    #[serde(default = "default_answer")]
    pub answer: Term,
    /// The law's maximum for the answer (`1 month`).
    #[serde(default = "default_legal_maximum")]
    pub legal_maximum: Term,
    /// The most the answer may be extended by, in total (`2 months`).
    #[serde(default = "default_extension_maximum")]
    pub extension_maximum: Term,
    /// Whether the clock starts at receipt or at verification of identity.
    #[serde(default)]
    pub clock_starts: ClockStart,
}

fn default_acknowledgement() -> Term {
    Term::Hours(24)
}
fn default_answer() -> Term {
    Term::Weeks(4)
}
fn default_legal_maximum() -> Term {
    Term::Months(1)
}
fn default_extension_maximum() -> Term {
    Term::Months(2)
}

impl Default for Terms {
    fn default() -> Terms {
        Terms {
            acknowledgement: default_acknowledgement(),
            answer: default_answer(),
            legal_maximum: default_legal_maximum(),
            extension_maximum: default_extension_maximum(),
            clock_starts: ClockStart::Receipt,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRequests {
    #[serde(default)]
    store: Option<PathBuf>,
    #[serde(default)]
    audit: Option<PathBuf>,
    #[serde(default)]
    acknowledgement: Option<Term>,
    #[serde(default)]
    answer: Option<Term>,
    #[serde(default)]
    legal_maximum: Option<Term>,
    #[serde(default)]
    extension_maximum: Option<Term>,
    #[serde(default)]
    clock_starts: Option<ClockStart>,
}

/// The `[requests]` settings, with paths resolved against the config file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestsConfig {
    /// The SQLite request store.
    pub store: PathBuf,
    /// The JSON-lines audit trail.
    pub audit: PathBuf,
    /// The terms.
    pub terms: Terms,
}

impl RequestsConfig {
    /// Reads `[requests]` from the configuration file at `path`; every key
    /// has a default, so the section may be absent.
    pub fn load(path: &Path) -> Result<RequestsConfig, RequestsError> {
        let text = std::fs::read_to_string(path).map_err(|cause| RequestsError::Config {
            path: path.to_path_buf(),
            message: format!("cannot read the file: {cause}"),
        })?;
        RequestsConfig::parse(path, &text)
    }

    /// Parses `[requests]` from configuration text; `path` anchors relative paths.
    pub fn parse(path: &Path, text: &str) -> Result<RequestsConfig, RequestsError> {
        let err = |message: String| RequestsError::Config {
            path: path.to_path_buf(),
            message,
        };
        let table: toml::Table = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        let raw: RawRequests = match table.get("requests") {
            None => RawRequests::default(),
            Some(value) => value.clone().try_into().map_err(|e: toml::de::Error| {
                err(format!(
                    "[requests]: {}; keys are store, audit, acknowledgement, answer, legal_maximum, extension_maximum, clock_starts",
                    e.message()
                ))
            })?,
        };
        let defaults = Terms::default();
        let terms = Terms {
            acknowledgement: raw.acknowledgement.unwrap_or(defaults.acknowledgement),
            answer: raw.answer.unwrap_or(defaults.answer),
            legal_maximum: raw.legal_maximum.unwrap_or(defaults.legal_maximum),
            extension_maximum: raw.extension_maximum.unwrap_or(defaults.extension_maximum),
            clock_starts: raw.clock_starts.unwrap_or(defaults.clock_starts),
        };
        if !matches!(terms.extension_maximum, Term::Months(_)) {
            return Err(err(format!(
                "[requests] extension_maximum = \"{}\": the law counts extensions in months; write for example \"2 months\"",
                terms.extension_maximum
            )));
        }
        let base = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let store = base.join(raw.store.unwrap_or_else(|| "requests.sqlite".into()));
        let audit = match raw.audit {
            Some(a) => base.join(a),
            None => {
                let mut name = store.file_stem().unwrap_or_default().to_os_string();
                name.push(".audit.jsonl");
                store.with_file_name(name)
            }
        };
        Ok(RequestsConfig {
            store,
            audit,
            terms,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_parse_in_both_languages() {
        assert_eq!("24h".parse::<Term>(), Ok(Term::Hours(24)));
        assert_eq!("4 weeks".parse::<Term>(), Ok(Term::Weeks(4)));
        assert_eq!("1 month".parse::<Term>(), Ok(Term::Months(1)));
        assert_eq!("2 maanden".parse::<Term>(), Ok(Term::Months(2)));
        assert!("soon".parse::<Term>().is_err());
        assert!("4 fortnights".parse::<Term>().unwrap_err().contains("unit"));
    }

    #[test]
    fn defaults_sit_beside_the_config() {
        let c = RequestsConfig::parse(Path::new("/etc/inzage/connectors.toml"), "").unwrap();
        assert_eq!(c.store, Path::new("/etc/inzage/requests.sqlite"));
        assert_eq!(c.audit, Path::new("/etc/inzage/requests.audit.jsonl"));
        assert_eq!(c.terms, Terms::default());
    }

    #[test]
    fn the_section_is_read_and_checked() {
        let text = "[requests]\nstore = \"data/v.sqlite\"\nanswer = \"30d\"\nclock_starts = \"verification\"\n";
        let c = RequestsConfig::parse(Path::new("conf/connectors.toml"), text).unwrap();
        assert_eq!(c.store, Path::new("conf/data/v.sqlite"));
        assert_eq!(c.audit, Path::new("conf/data/v.audit.jsonl"));
        assert_eq!(c.terms.answer, Term::Days(30));
        assert_eq!(c.terms.clock_starts, ClockStart::Verification);
        let bad = RequestsConfig::parse(Path::new("c.toml"), "[requests]\nanswr = \"4w\"\n")
            .unwrap_err()
            .to_string();
        assert!(bad.contains("c.toml") && bad.contains("answr"), "{bad}");
    }
}
