//! The Connector trait every source system implements.

use std::path::PathBuf;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::identifier::{Identifier, IdentifierKind};
use crate::protect::PersonName;
use crate::record::Record;
use crate::register::DatasetSpec;
use crate::review_reason::ReviewReason;

/// What a connector is asked for in one round.
#[derive(Clone, Debug)]
pub struct FetchRequest {
    /// Known, unambiguous identifiers of kinds the connector accepts.
    pub identifiers: Vec<Identifier>,
    /// Timestamp to stamp on the records.
    pub fetched_at: DateTime<Utc>,
}

/// Something staff must look at, written beside the bundle, never inside.
///
/// It says where to look, never another person's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReviewItem {
    /// Connector id.
    pub source: String,
    /// Dataset name.
    pub dataset: String,
    /// The record's own key, as the system names it (the CRM id, the
    /// Message-ID, the signalering number, for a positional key the CSV
    /// line): what staff look the record up by.
    pub key: String,
    /// Where it was read (file and line, sheet and row, query), for context.
    pub location: String,
    /// Why it needs review.
    pub reason: ReviewReason,
    /// True when the item is data that may concern another person (a near
    /// miss on name and birth date, another person's record), false for a
    /// problem of reading (an unreadable message).
    pub may_be_other_person: bool,
}

/// A record a source found but cannot vouch for as the subject's (name and
/// birth date or postcode match only partly): it stays out of the bundle,
/// on the review list, unless staff include it.
#[derive(Clone, Debug)]
pub struct HeldRecord {
    /// The record, as it would stand in the bundle.
    pub record: Record,
    /// Why it is held.
    pub reason: ReviewReason,
}

/// A connector's answer.
#[derive(Clone, Debug, Default)]
pub struct FetchOutcome {
    /// Records that matched.
    pub records: Vec<Record>,
    /// Items for staff review that carry no record (an unreadable message,
    /// damaged text).
    pub review: Vec<ReviewItem>,
    /// Records held back for staff to include or leave out (near misses).
    pub held: Vec<HeldRecord>,
    /// How the source was read, for the manifest (`scanned: the mail index
    /// is not fresh`). No personal data.
    pub notes: Vec<String>,
}

/// A file that belongs to a record (a mail attachment) and goes into the
/// bundle with it.
#[derive(Clone, Debug)]
pub struct AttachedFile {
    /// A safe file name: no path separators, no `..`.
    pub file_name: String,
    /// The content.
    pub bytes: Vec<u8>,
}

/// The result of a successful `check`.
#[derive(Clone, Debug)]
pub struct CheckReport {
    /// One line that says what was checked (`3 datasets, 1,234 rows`).
    pub summary: String,
}

/// Why a source could not be read. Each variant says where and what to do.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// A file could not be opened or read.
    #[error("cannot read {path}: {cause} (check that the file exists and `path` in connectors.toml points to it)")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
    /// The content is malformed at a known place.
    #[error("{path}:{line}: {message}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Line (CSV) or row (spreadsheet) number, 1-based.
        line: u64,
        /// What is wrong and what to do.
        message: String,
    },
    /// A column the configuration names is not in the source.
    #[error("{location}: dataset `{dataset}`: column `{column}` not found (columns present: {present}); fix the column name in connectors.toml or the export")]
    MissingColumn {
        /// File (and sheet).
        location: String,
        /// Dataset name.
        dataset: String,
        /// The missing column.
        column: String,
        /// The columns that are there.
        present: String,
    },
    /// A sheet, table or endpoint is missing.
    #[error(
        "{location}: {what} not found (present: {present}); fix connectors.toml or the export"
    )]
    Missing {
        /// File or URL.
        location: String,
        /// What was looked for (`sheet "Antwoorden"`).
        what: String,
        /// What is there.
        present: String,
    },
    /// The connector's configuration cannot work.
    #[error("configuration: {0}")]
    Config(String),
    /// Any other failure, described.
    #[error("{0}")]
    Other(String),
}

impl SourceError {
    /// The message with control characters escaped ([`escape_controls`]):
    /// safe on a terminal, in a log and in the manifest, whatever a file
    /// name or a server put in it.
    pub fn clean_message(&self) -> String {
        escape_controls(&self.to_string())
    }
}

/// Text with every control character other than a line break shown as an
/// escape (`\u{1b}`), so that a message can never carry a terminal escape
/// sequence or a NUL.
pub fn escape_controls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (c.is_control() && c != '\n') || c == '\u{FEFF}' {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A source system inzage can ask about a person.
#[async_trait]
pub trait Connector: Send + Sync {
    /// The connector id from `connectors.toml` (`erp`, `kwh`).
    fn id(&self) -> &str;

    /// The connector kind (`csv`, `xlsx`, `sql`).
    fn kind(&self) -> &'static str;

    /// Human label for reports.
    fn label(&self) -> &str;

    /// The datasets this connector reads.
    fn datasets(&self) -> Vec<&DatasetSpec>;

    /// Identifier kinds this connector can be asked by.
    fn accepts(&self) -> Vec<IdentifierKind> {
        let mut kinds: Vec<IdentifierKind> = self
            .datasets()
            .iter()
            .flat_map(|d| d.matches.keys().copied())
            .collect();
        kinds.sort();
        kinds.dedup();
        kinds
    }

    /// True for a source that reads everything it holds on every fetch,
    /// whatever it is asked (a mail archive, a CSV or XLSX export): the
    /// engine asks it once, with the final set of identifiers, after the
    /// keyed sources have reached a fixpoint. False (the default) for a
    /// source that looks identifiers up by key (SQL, HTTP).
    fn scans_everything(&self) -> bool {
        false
    }

    /// A cheap form of the real query: can the source be reached and read,
    /// and does it have the datasets and columns configured? No side effects.
    async fn check(&self) -> Result<CheckReport, SourceError>;

    /// Finds the records that match the given identifiers.
    async fn fetch(&self, request: &FetchRequest) -> Result<FetchOutcome, SourceError>;

    /// Files that belong to one of this source's records and that the
    /// configuration says go into the bundle (mail attachments with
    /// `include_attachments = true`). None by default.
    async fn attachments(&self, _record: &Record) -> Result<Vec<AttachedFile>, SourceError> {
        Ok(Vec::new())
    }

    /// Streams the people index (`[protect.people]`): runs `query`, which
    /// returns `klantnummer`, `voornamen`, `tussenvoegsel` and `achternaam`
    /// for every relatie, and hands each row to `sink`. Returns the number
    /// of rows. Only connector kinds that can run such a query implement it.
    async fn people(
        &self,
        _query: &str,
        _sink: &mut (dyn FnMut(PersonName) + Send),
    ) -> Result<usize, SourceError> {
        Err(SourceError::Config(format!(
            "connector `{}` (kind {}) cannot serve as the people index; name a sql connector in [protect.people]",
            self.id(),
            self.kind()
        )))
    }
}
