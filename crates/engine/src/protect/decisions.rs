//! The privacy officer's decisions file (`--decisions D.json`): plain JSON
//! that keeps a value that was wrongly redacted, redacts one that was
//! missed, and includes or leaves out a record that needed a decision.
//!
//! ```json
//! {
//!   "reviewed_by": "M. de Wit, privacy officer",
//!   "decisions": [
//!     { "id": "D-3f2a9c81b0", "decision": "keep" },
//!     { "id": "D-7c01d2e4aa", "decision": "redact" },
//!     { "id": "D-19be0f3c55", "decision": "include" },
//!     { "decision": "redact", "source": "crm", "dataset": "Notitie",
//!       "key": "6f1c…", "field": "tekst", "text": "Piet" },
//!     { "decision": "leave_out", "source": "crm", "dataset": "Klacht", "key": "KLA0000123" }
//!   ]
//! }
//! ```

use serde::{Deserialize, Serialize};

/// What the officer decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Keep a value that was redacted (it is not another person's data).
    Keep,
    /// Redact a value: a review item's name, or a `text` that was missed.
    Redact,
    /// Put a withheld record (matched only through a shared identifier) in the bundle.
    Include,
    /// Leave a record out of the bundle.
    LeaveOut,
}

impl Action {
    /// The word used in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Keep => "keep",
            Action::Redact => "redact",
            Action::Include => "include",
            Action::LeaveOut => "leave_out",
        }
    }
}

/// One decision: by the id from the review list, or, for a value that was
/// missed or a record in the bundle, by where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The decision id from `F.zip.review.html` / `.csv` (`D-3f2a9c81b0`).
    #[serde(default)]
    pub id: Option<String>,
    /// What to do.
    pub decision: Action,
    /// Connector id, with `dataset` and `key`, for a decision without `id`.
    #[serde(default)]
    pub source: Option<String>,
    /// Dataset name.
    #[serde(default)]
    pub dataset: Option<String>,
    /// The record's own key.
    #[serde(default)]
    pub key: Option<String>,
    /// The field, for `redact` with `text` (every free-text field when absent).
    #[serde(default)]
    pub field: Option<String>,
    /// The exact text to redact (compared without regard to case).
    #[serde(default)]
    pub text: Option<String>,
    /// The kind of data the text is (`name`, `phone`, ...), for the marker;
    /// `name` when absent.
    #[serde(default)]
    pub kind: Option<String>,
    /// Why, for the audit trail (not written into the bundle).
    #[serde(default)]
    pub note: Option<String>,
}

impl Decision {
    /// A short description for messages, without any personal data.
    pub fn describe(&self) -> String {
        match &self.id {
            Some(id) => format!("{} {}", self.decision.as_str(), id),
            None => format!(
                "{} {}/{}/{}{}",
                self.decision.as_str(),
                self.source.as_deref().unwrap_or("?"),
                self.dataset.as_deref().unwrap_or("?"),
                self.key.as_deref().unwrap_or("?"),
                self.field
                    .as_deref()
                    .map(|f| format!(" field {f}"))
                    .unwrap_or_default()
            ),
        }
    }
}

/// The whole file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decisions {
    /// Who reviewed (shown to staff; the report says only that a review took place).
    #[serde(default)]
    pub reviewed_by: Option<String>,
    /// The decisions, in any order.
    #[serde(default)]
    pub decisions: Vec<Decision>,
}

/// The decisions file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DecisionsError {
    /// Not readable.
    #[error("cannot read the decisions file {path}: {cause}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        cause: std::io::Error,
    },
    /// Not valid.
    #[error("{path}:{line}:{column}: {message} (see the review page, section \"How to decide\", for the form of the file)")]
    Invalid {
        /// The file.
        path: String,
        /// Line.
        line: usize,
        /// Column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A decision cannot work as written.
    #[error("{path}: decision {index} ({what}): {message}")]
    Incomplete {
        /// The file.
        path: String,
        /// 1-based position in the list.
        index: usize,
        /// The decision, described.
        what: String,
        /// What is missing.
        message: String,
    },
}

impl Decisions {
    /// Reads and checks a decisions file.
    pub fn load(path: &std::path::Path) -> Result<Decisions, DecisionsError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|cause| DecisionsError::Read {
            path: shown.clone(),
            cause,
        })?;
        Decisions::parse(&shown, &text)
    }

    /// Parses and checks decisions text; `path` names it in messages.
    pub fn parse(path: &str, text: &str) -> Result<Decisions, DecisionsError> {
        let decisions: Decisions =
            serde_json::from_str(text).map_err(|e| DecisionsError::Invalid {
                path: path.to_string(),
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;
        for (i, d) in decisions.decisions.iter().enumerate() {
            let incomplete = |message: &str| DecisionsError::Incomplete {
                path: path.to_string(),
                index: i + 1,
                what: d.describe(),
                message: message.to_string(),
            };
            if d.id.is_none() {
                if d.source.is_none() || d.dataset.is_none() || d.key.is_none() {
                    return Err(incomplete(
                        "a decision without `id` names `source`, `dataset` and `key`",
                    ));
                }
                match d.decision {
                    Action::Redact if d.text.as_deref().is_none_or(|t| t.trim().is_empty()) => {
                        return Err(incomplete(
                            "a `redact` without `id` names the `text` to redact",
                        ))
                    }
                    Action::Keep | Action::Include => {
                        return Err(incomplete(
                            "`keep` and `include` need the `id` from the review list",
                        ))
                    }
                    _ => {}
                }
            }
            if let Some(kind) = &d.kind {
                if super::detect::Kind::parse(kind).is_none() {
                    return Err(incomplete(
                        "unknown `kind`; use name, email, phone, address, iban or bsn",
                    ));
                }
            }
        }
        Ok(decisions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_without_id_must_say_where() {
        let err = Decisions::parse(
            "d.json",
            r#"{"decisions":[{"decision":"redact","text":"Piet"}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("decision 1") && err.contains("source"),
            "{err}"
        );
        let err = Decisions::parse(
            "d.json",
            r#"{"decisions":[{"decision":"maybe","id":"D-1"}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("d.json:1:"), "{err}");
        let ok = Decisions::parse(
            "d.json",
            r#"{"decisions":[{"id":"D-1","decision":"keep"},{"decision":"redact","source":"crm","dataset":"Notitie","key":"n1","text":"Piet"}]}"#,
        )
        .unwrap();
        assert_eq!(ok.decisions.len(), 2);
    }
}
