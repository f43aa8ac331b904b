//! What a run found: records, identities with their provenance, the status
//! of every source and the items for staff review.

use indexmap::IndexMap;
use inzage_core::{Identifier, Record, ReviewItem};
use serde::Serialize;

/// How an identifier became known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "via", rename_all = "snake_case")]
pub enum Learned {
    /// It was given in the request.
    Request,
    /// A record revealed it.
    Record {
        /// Connector id.
        source: String,
        /// Dataset.
        dataset: String,
        /// Record key.
        key: String,
    },
}

/// What inzage did with an identifier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum IdentityStatus {
    /// Used to search the sources that accept it.
    Followed,
    /// Held by more than one person: not followed, reported for review.
    Ambiguous {
        /// Why (without the other person's data).
        reason: String,
    },
    /// Learned only through data that was withdrawn; not used.
    Withdrawn {
        /// Why.
        reason: String,
    },
}

/// An identifier of the subject with its provenance.
#[derive(Clone, Debug, Serialize)]
pub struct Identity {
    /// The identifier.
    pub identifier: Identifier,
    /// How it was learned.
    #[serde(flatten)]
    pub learned: Learned,
    /// The round in which it was learned: its distance from the request
    /// (0 = the request, 1 = found with the request, and so on).
    pub round: usize,
    /// What was done with it.
    #[serde(flatten)]
    pub status: IdentityStatus,
}

/// How a source fared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SourceStatus {
    /// Every question it was asked was answered.
    Ok,
    /// It failed; what it returned before failing is not used.
    Failed {
        /// What went wrong and what to do.
        reason: String,
    },
    /// Never asked: no identifier of a kind it accepts was known.
    Skipped {
        /// Why.
        reason: String,
    },
}

/// A source's part in the run.
#[derive(Clone, Debug, Serialize)]
pub struct SourceReport {
    /// Connector id.
    pub id: String,
    /// Human label.
    pub label: String,
    /// Connector kind.
    pub kind: String,
    /// Outcome.
    #[serde(flatten)]
    pub status: SourceStatus,
    /// The identifiers it was asked with.
    pub asked_with: Vec<Identifier>,
    /// How many times it was asked (fetch calls made). A source that scans
    /// everything it holds is asked once where possible.
    pub calls: usize,
    /// How it was read, when it said (the mail index used or not).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Records in the bundle per dataset (every configured dataset listed).
    pub records: IndexMap<String, usize>,
}

/// A record kept out of the bundle for a human decision.
#[derive(Clone, Debug)]
pub struct Withheld {
    /// The record.
    pub record: Record,
    /// Why it was withheld.
    pub reason: inzage_core::ReviewReason,
}

/// Everything a run found.
#[derive(Clone, Debug, Serialize)]
pub struct Findings {
    /// The identifier the request named.
    pub request: Identifier,
    /// The subject's identities, in the order they were learned.
    pub identities: Vec<Identity>,
    /// Per source, in configuration order.
    pub sources: Vec<SourceReport>,
    /// Records in the bundle, in source, dataset and key order.
    #[serde(skip)]
    pub records: Vec<Record>,
    /// For staff, beside the bundle, never in it.
    #[serde(skip)]
    pub review: Vec<ReviewItem>,
    /// Records matched only through an identifier that another person
    /// shares: not in the bundle unless the officer includes them.
    #[serde(skip)]
    pub withheld: Vec<Withheld>,
    /// What third-party protection did (empty until it ran).
    #[serde(skip)]
    pub protection: crate::protect::Protection,
    /// Rounds of expansion: the longest chain of calls from the request.
    pub rounds: usize,
    /// True when `max_rounds` stopped the expansion before a fixpoint.
    pub max_rounds_reached: bool,
}

impl Findings {
    /// Sources that failed.
    pub fn failed_sources(&self) -> impl Iterator<Item = &SourceReport> {
        self.sources
            .iter()
            .filter(|s| matches!(s.status, SourceStatus::Failed { .. }))
    }

    /// The records of one dataset of one source, in key order.
    pub fn records_of(&self, source: &str, dataset: &str) -> Vec<&Record> {
        self.records
            .iter()
            .filter(|r| r.source == source && r.dataset == dataset)
            .collect()
    }

    /// True when every source was answered (or had nothing to be asked).
    pub fn is_complete(&self) -> bool {
        self.failed_sources().next().is_none()
    }
}
