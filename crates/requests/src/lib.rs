//! Requests of inzage, from intake to answer.
//!
//! - [`find`]: find the tenant from a name and birth date (and postcode);
//! - [`lookup`]: the same masked candidates from a klantnummer or contract number;
//! - [`store`]: the request store (embedded SQLite: WAL, busy timeout) with
//!   the life cycle open → verify → (extend) → close, and the exports;
//! - [`deadline`]: the acknowledgement and answer deadlines the corporation
//!   promised, bounded by GDPR art. 12(3);
//! - [`audit`]: the hash-chained, append-only audit trail and its check;
//! - [`identity`]: identity is checked by looking, never by copying: a
//!   recorded method that looks like a document number or BSN is refused;
//! - [`letter`]: the letters to the tenant as printable HTML.
//!
//! ("Register" means the processing register in `inzage-core`; requests
//! live in the *store*.)

pub mod audit;
pub mod config;
pub mod deadline;
pub mod find;
pub mod identity;
pub mod letter;
pub mod lookup;
pub mod refused;
pub mod store;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use config::{ClockStart, RequestsConfig, Term, Terms};
pub use deadline::Deadlines;
pub use refused::Refused;
pub use store::{Channel, ExportRecord, NewRequest, Outcome, Request, RequestKind, Store};

/// What went wrong; every message says what, where and what to do.
#[derive(Debug, thiserror::Error)]
pub enum RequestsError {
    /// `[requests]` in connectors.toml cannot be used.
    #[error("{path}: {message}")]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// The request store cannot be read or written.
    #[error("request store {path}: {message}")]
    Store {
        /// The store.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// The audit trail cannot be read or written.
    #[error("audit trail {path}: {message}")]
    Audit {
        /// The trail.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// No request with that id.
    #[error("request {0} not found; `inzage request list` shows the requests")]
    NotFound(String),
    /// The request's state (or an argument) does not allow this, with what
    /// to do instead.
    #[error(transparent)]
    Refused(#[from] Refused),
    /// A letter could not be rendered.
    #[error("cannot render the letter: {0}")]
    Letter(String),
}

/// SHA-256 of a file, hex.
pub fn sha256_file(path: &Path) -> Result<String, std::io::Error> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hex::encode(hasher.finalize()))
}
