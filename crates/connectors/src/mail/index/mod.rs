//! The mail index (`inzage index`): an SQLite file that names, for every
//! e-mail address and every number a message can be found by, the
//! messages (file and byte offset) that hold it, so that a search looks at
//! those messages only instead of scanning the whole archive.
//!
//! SQLite (through sqlx, already in the workspace) rather than tantivy: the
//! lookups are exact keys, not ranked full text, so a `WITHOUT ROWID` table
//! keyed on `(key, message)` answers them with one B-tree probe per key, and
//! nothing new has to be built on a 2-core machine.
//!
//! **What is indexed.** A message is keyed on exactly what the exact
//! matcher reads ([`super::message::read`]): `e:<address>` for every parsed
//! address of From/To/Cc/Bcc/Reply-To/Sender (also of forwarded messages),
//! ASCII lowercase, and `t:<WORD>` for every word of the decoded subjects
//! and text that holds a digit ([`super::message::index_words`]); with
//! `email = "adressen_tekst"` also every address written in the decoded text
//! ([`super::message::text_addresses`]). The bodies of binary parts
//! (attachments that are neither text nor a message) are left out before
//! the message is parsed for keying: the matcher never reads them, and
//! decoding and hashing them was half the build. A message
//! the prefilter walk is not sure of, that is beyond the limits, has no
//! headers or trips the parser is *flagged*: it is looked at on every
//! search. So a search over the index looks at every message a full scan
//! could report, and confirms each by parsing it as the scan does: the
//! index can make a search faster, never change its answer.
//!
//! **Fresh.** The index is used only when it is fresh for every file of the
//! archive (size, modification time and inode as indexed) and was built with
//! the same mbox format and limits; otherwise the connector scans and says
//! so in the manifest. `inzage index` brings it up to date: an mbox that
//! grew (same inode, the last indexed message unchanged, by SHA-256) is
//! indexed from its last message on; a file rewritten otherwise is indexed
//! again; new Maildir and EML files are added.

mod build;
mod lookup;

use std::path::{Path, PathBuf};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

pub use build::{update, UpdateStats};
pub use lookup::{freshness, lookup, Freshness, Lookup};

use super::MailConfig;

/// The schema version; an index of another version is rebuilt.
const VERSION: &str = "1";

/// Why the index could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The SQLite file.
    #[error("mail index {path}: {cause} (delete the file and run `inzage index` again)")]
    Sql {
        /// The index file.
        path: PathBuf,
        /// The cause.
        cause: sqlx::Error,
    },
    /// The archive.
    #[error("cannot read {path}: {cause}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
    /// Anything else (the configuration).
    #[error("{0}")]
    Other(String),
}

/// The settings an index depends on: an index built with others is stale.
fn settings(config: &MailConfig) -> String {
    let l = &config.limits;
    format!(
        "v{VERSION} format={:?} max_message_bytes={} max_headers={} max_mime_depth={} body_emails={}",
        config.mbox_format,
        l.max_message_bytes,
        l.max_headers,
        l.max_mime_depth,
        config.body_emails()
    )
}

async fn open(path: &Path, create: bool) -> Result<SqlitePool, IndexError> {
    let sql = |cause| IndexError::Sql {
        path: path.to_path_buf(),
        cause,
    };
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(create)
        .read_only(!create)
        // One writer at a time, in one transaction; readers open it
        // read-only, which a rollback journal allows (WAL would not).
        .journal_mode(SqliteJournalMode::Delete);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(sql)?;
    if create {
        sqlx::raw_sql(SCHEMA).execute(&pool).await.map_err(sql)?;
    }
    Ok(pool)
}

const SCHEMA: &str = "
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    mbox INTEGER NOT NULL,
    size INTEGER NOT NULL,
    mtime INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    last_offset INTEGER NOT NULL,
    last_sum TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    file INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    flagged INTEGER NOT NULL,
    UNIQUE (file, offset)
);
CREATE INDEX IF NOT EXISTS messages_flagged ON messages (file) WHERE flagged = 1;
CREATE TABLE IF NOT EXISTS keys (
    key TEXT NOT NULL,
    message INTEGER NOT NULL,
    PRIMARY KEY (key, message)
) WITHOUT ROWID;
";

/// A file's identity as the index records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    size: i64,
    mtime: i64,
    inode: i64,
}

fn stamp(path: &Path) -> Result<Stamp, IndexError> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).map_err(|cause| IndexError::Io {
        path: path.to_path_buf(),
        cause,
    })?;
    Ok(Stamp {
        size: m.len() as i64,
        mtime: m.mtime() * 1_000_000_000 + m.mtime_nsec(),
        inode: m.ino() as i64,
    })
}

/// The key of an address.
fn email_key(address: &str) -> String {
    format!("e:{}", address.trim().to_ascii_lowercase())
}

/// The key of a number (a word holding a digit, ASCII uppercase).
fn token_key(word: &str) -> String {
    format!("t:{}", word.to_ascii_uppercase())
}

#[cfg(test)]
mod tests;
