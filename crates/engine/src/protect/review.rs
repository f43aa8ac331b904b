//! What the privacy officer reviews: every redaction and every item that
//! needs a human decision, each with a stable decision id.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::detect::Kind;

/// What a review entry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// A value in a free-text field.
    Value(Kind),
    /// A record matched only through an identifier another person shares:
    /// withheld unless the officer includes it.
    SharedIdentifierRecord,
    /// A record whose name and birth date or postcode match the subject
    /// only partly: withheld unless the officer includes it.
    PartialMatchRecord,
    /// Anything else a source or the engine flagged (a near miss on name and
    /// birth date, another person's record, an unreadable message).
    Other,
}

/// What happened to the item in this bundle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Replaced by a marker automatically.
    Redacted,
    /// Replaced by a marker because the officer decided so.
    RedactedByDecision,
    /// Left as written because the officer decided so.
    KeptByDecision,
    /// Left as written; a human must decide (a name the estate does not know).
    NeedsDecision,
    /// The record is not in the bundle.
    LeftOut,
    /// The record is not in the bundle because the officer decided so.
    LeftOutByDecision,
    /// The record is in the bundle because the officer decided so.
    IncludedByDecision,
    /// A file (a mail attachment) goes into the bundle as it is: its content
    /// is not scanned; a human must look at it.
    IncludedUnscanned,
}

impl Outcome {
    /// True when the value is replaced by a marker in the bundle.
    pub fn is_redacted(self) -> bool {
        matches!(self, Outcome::Redacted | Outcome::RedactedByDecision)
    }

    /// True when the officer took this decision.
    pub fn is_decided(self) -> bool {
        matches!(
            self,
            Outcome::RedactedByDecision
                | Outcome::KeptByDecision
                | Outcome::LeftOutByDecision
                | Outcome::IncludedByDecision
        )
    }
}

/// One line of the review list.
#[derive(Clone, Debug, Serialize)]
pub struct ReviewEntry {
    /// Stable across re-exports of the same data: `D-` and ten hex digits.
    pub decision_id: String,
    /// Connector id.
    pub source: String,
    /// Dataset.
    pub dataset: String,
    /// The record's own key (CRM id, Message-ID, CSV line).
    pub key: String,
    /// The field, for a value.
    pub field: Option<String>,
    /// What it is about.
    pub subject: Subject,
    /// The value masked (`06-1•••••78`), for a value.
    pub masked: Option<String>,
    /// How often the value stands in the field.
    pub count: usize,
    /// What happened.
    pub outcome: Outcome,
    /// Why, without another person's data.
    pub reason: EntryReason,
    /// The decisions that can be taken on it.
    pub options: Vec<&'static str>,
}

/// Why an item is on the review list, as a closed list that the review
/// list and the web app word in the officer's language. In JSON a stable
/// code with its details: `{"code": "other_persons_value", "kind": "phone"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum EntryReason {
    /// A value in free text that is another person's (a name the estate
    /// knows, an e-mail address, phone number, IBAN, BSN or address that
    /// is not the subject's).
    OtherPersonsValue {
        /// What kind of value.
        kind: Kind,
    },
    /// A capitalised name after a word such as `buurvrouw` or `dhr.` that
    /// matches no person the estate knows.
    UnknownNameAfterCue,
    /// A value the officer found and had replaced.
    RedactedByDecision,
    /// A file (a mail attachment) that goes into the bundle unscanned.
    AttachmentUnscanned,
    /// A record the officer left out of the bundle.
    LeftOutByDecision,
    /// An item a source or the matching flagged, with where it was read
    /// when that is not its key.
    Flagged {
        /// Why.
        why: inzage_core::ReviewReason,
        /// Where it was read (file and line), when not its key.
        #[serde(skip_serializing_if = "Option::is_none")]
        read_at: Option<String>,
    },
}

impl std::fmt::Display for EntryReason {
    /// The English of the terminal and the tests.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EntryReason::OtherPersonsValue { kind } => f.write_str(match kind {
                Kind::Name => "the name of another person the estate knows",
                Kind::Email => "an e-mail address that is not the subject's, nor the corporation's",
                Kind::Phone => "a phone number that is not the subject's, nor the corporation's",
                Kind::Iban => "a bank account (IBAN) that is not the subject's",
                Kind::Bsn => "a citizen service number (BSN) that is not the subject's",
                Kind::Address => {
                    "a postcode with a house number that is not one of the subject's addresses"
                }
                Kind::UnknownName => "a name the estate does not know",
            }),
            EntryReason::UnknownNameAfterCue => f.write_str("a name after a word such as buurvrouw or dhr. that matches no person the estate knows; decide whether it names another person"),
            EntryReason::RedactedByDecision => f.write_str("redacted by the officer's decision"),
            EntryReason::AttachmentUnscanned => f.write_str("an attachment goes into the bundle as it is; its content is not scanned for other people's data: open it and check, or set include_attachments = false"),
            EntryReason::LeftOutByDecision => f.write_str("left out of the bundle by the officer's decision"),
            EntryReason::Flagged { why, read_at: None } => write!(f, "{why}"),
            EntryReason::Flagged { why, read_at: Some(at) } => write!(f, "{why} (read at {at})"),
        }
    }
}

/// The decision id of an item: a hash of where it stands and what it is.
pub fn decision_id(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    format!("D-{}", &hex::encode(h.finalize())[..10])
}

/// Masks a value for the review list: the first characters and the last
/// two stay, the rest becomes `•` (`06-12345678` → `06-1•••••78`); a name
/// keeps the first letter of every word (`Jan de Vries` → `J•• d• V••••`);
/// an e-mail address keeps its first letter and its domain.
pub fn mask(kind: Kind, value: &str) -> String {
    match kind {
        Kind::Name | Kind::UnknownName => value
            .split(' ')
            .map(|w| {
                let mut cs = w.chars();
                match cs.next() {
                    Some(first) => {
                        let rest = cs.count();
                        format!("{first}{}", "•".repeat(rest))
                    }
                    None => String::new(),
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
        Kind::Email => match value.split_once('@') {
            Some((local, domain)) => {
                let first = local.chars().next().unwrap_or('?');
                format!(
                    "{first}{}@{domain}",
                    "•".repeat(local.chars().count().saturating_sub(1).max(2))
                )
            }
            None => mask(Kind::Phone, value),
        },
        _ => {
            let chars: Vec<char> = value.chars().collect();
            let n = chars.len();
            if n <= 6 {
                return "•".repeat(n);
            }
            let keep_front = 4.min(n / 2 - 1);
            let mut s: String = chars[..keep_front].iter().collect();
            s.push_str(&"•".repeat(n - keep_front - 2));
            s.extend(&chars[n - 2..]);
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_little() {
        assert_eq!(mask(Kind::Phone, "06-12345678"), "06-1•••••78");
        assert_eq!(mask(Kind::Bsn, "999912343"), "999••••43");
        assert_eq!(mask(Kind::Name, "Jan de Vries"), "J•• d• V••••");
        assert_eq!(mask(Kind::Email, "jan@example.org"), "j••@example.org");
        assert_eq!(decision_id(&["a", "b"]), decision_id(&["a", "b"]));
        assert_ne!(decision_id(&["a", "b"]), decision_id(&["ab", ""]));
    }
}
