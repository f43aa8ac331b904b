//! Live progress of a run, per source, for front ends that show it (the web
//! app's export page, the CLI's stderr): an observer the engine calls as
//! sources are asked and answer. It never carries records or identifier
//! values, only source ids, counts and the cleaned failure message.

use std::sync::Arc;

/// Something that happened to one source during a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceEvent {
    /// The source is being asked (in `round`, with `identifiers` known values).
    Asked {
        /// The connector id.
        source: String,
        /// The round of expansion (1-based).
        round: usize,
        /// How many identifiers it is asked with.
        identifiers: usize,
    },
    /// The source answered with this many records (before the trust rules).
    Answered {
        /// The connector id.
        source: String,
        /// The round of expansion.
        round: usize,
        /// Records in the answer.
        records: usize,
    },
    /// The source failed; `reason` says why and what to do.
    Failed {
        /// The connector id.
        source: String,
        /// The cleaned failure message (no personal data).
        reason: String,
    },
}

/// Called by the engine for every [`SourceEvent`]; cheap and non-blocking.
pub type Observer = Arc<dyn Fn(SourceEvent) + Send + Sync>;
