//! Why a source (or the engine's matching) puts an item on the review
//! list, as a closed list: the review list and the web app word each
//! reason in the privacy officer's language. `Display` is the English of
//! the terminal and the tests.

use serde::{Deserialize, Serialize};

use crate::identifier::IdentifierKind;

/// Why an item needs a person's review. In JSON a stable code with its
/// details: `{"code": "partial_person_match"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ReviewReason {
    /// A message could not be read completely; `detail` is what the reader
    /// found (technical, English).
    #[error("message could not be read completely ({detail}); check it by hand")]
    Unreadable {
        /// What was wrong.
        detail: String,
    },
    /// A record is kept, with text whose invalid bytes were replaced.
    #[error("kept with damaged text: {detail}")]
    DamagedText {
        /// Where and what (technical, English).
        detail: String,
    },
    /// Name and birth date or postcode match only partly: perhaps the same
    /// person, perhaps another.
    #[error("name and birth date or postcode match only partly; check by hand whether this is the same person")]
    PartialPersonMatch,
    /// Found through an identifier the person shares with another, but the
    /// record is the other person's: left out.
    #[error("matched a shared identifier ({}) but belongs to another person; left out", kinds(.shared))]
    AnotherPersonsRecord {
        /// The shared identifiers' kinds.
        shared: Vec<IdentifierKind>,
    },
    /// Found only through an identifier another person shares: withheld
    /// until someone checks whose it is.
    #[error(
        "matched only through an identifier that another person shares; check by hand whose it is"
    )]
    SharedIdentifierOnly,
}

fn kinds(shared: &[IdentifierKind]) -> String {
    shared
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
