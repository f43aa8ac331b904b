//! The audit trail: append-only JSON lines, hash-chained.
//!
//! Every entry carries `seq` (1, 2, …), `prev` (the `hash` of the entry
//! before it; 64 zeros for the first) and `hash` (the SHA-256 of the entry
//! as written, without its `hash` member). Changing, removing, inserting or
//! reordering an entry breaks the chain, and [`verify`] names the first
//! entry where it breaks. An entry holds who, when, what, the request id and
//! the masked identifier: no other personal data.
//!
//! A trail whose every entry after some point was rewritten with fresh
//! hashes is consistent again; keep the head hash that `audit verify`
//! prints somewhere else (a monthly report) to detect that too.
//!
//! Writers serialise through the request store's write lock (see
//! [`crate::store`]), so parallel processes never interleave entries.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::RequestsError;

/// `prev` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry records, before it is chained.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Event {
    /// Who did it (`--by` or `INZAGE_USER`).
    pub by: String,
    /// What: `request.open`, `request.verify`, `request.extend`,
    /// `request.close`, `export`, `letter`.
    pub action: String,
    /// The request id.
    pub request: String,
    /// The tenant's identifier, masked (`00***`).
    pub subject: String,
    /// Details without personal data (kind, dates, outcome, sha256 …).
    pub details: Map<String, Value>,
}

/// One entry as it stands in the trail.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    /// Position in the trail, from 1.
    pub seq: u64,
    /// When (UTC).
    pub at: String,
    /// The event.
    #[serde(flatten)]
    pub event: Event,
    /// `hash` of the entry before.
    pub prev: String,
    /// SHA-256 of this entry without `hash`.
    pub hash: String,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The hash of a parsed entry: SHA-256 of its JSON without `hash`, members
/// in the order they stand in.
fn entry_hash(value: &Value) -> Option<String> {
    let mut object = value.as_object()?.clone();
    object.shift_remove("hash");
    Some(sha256_hex(
        serde_json::to_string(&Value::Object(object))
            .ok()?
            .as_bytes(),
    ))
}

/// The audit trail file.
#[derive(Clone, Debug)]
pub struct AuditTrail {
    path: PathBuf,
}

impl AuditTrail {
    /// The trail at `path` (created on first append).
    pub fn new(path: impl Into<PathBuf>) -> AuditTrail {
        AuditTrail { path: path.into() }
    }

    /// Where the trail is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, cause: std::io::Error) -> RequestsError {
        RequestsError::Audit {
            path: self.path.clone(),
            message: cause.to_string(),
        }
    }

    /// The last entry's `seq` and `hash` (0 and [`GENESIS`] when empty).
    fn head(&self) -> Result<(u64, String), RequestsError> {
        let file = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok((0, GENESIS.to_string()))
            }
            Err(e) => return Err(self.io(e)),
        };
        let mut last = None;
        for line in std::io::BufReader::new(file).lines() {
            let line = line.map_err(|e| self.io(e))?;
            if !line.trim().is_empty() {
                last = Some(line);
            }
        }
        let Some(line) = last else {
            return Ok((0, GENESIS.to_string()));
        };
        let entry: Entry = serde_json::from_str(&line).map_err(|e| RequestsError::Audit {
            path: self.path.clone(),
            message: format!(
                "the last entry cannot be read ({e}); run `inzage audit verify` and restore the trail from a backup"
            ),
        })?;
        Ok((entry.seq, entry.hash))
    }

    /// Appends one entry and flushes it to disk. The caller holds the
    /// store's write lock, so no other writer appends at the same time.
    pub fn append(&self, event: Event, at: DateTime<Utc>) -> Result<Entry, RequestsError> {
        let (seq, prev) = self.head()?;
        let mut value = serde_json::to_value(Entry {
            seq: seq + 1,
            at: at.to_rfc3339_opts(SecondsFormat::Secs, true),
            event,
            prev,
            hash: String::new(),
        })
        .map_err(|e| RequestsError::Audit {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        let hash = entry_hash(&value).unwrap_or_default();
        value["hash"] = Value::String(hash);
        let entry: Entry =
            serde_json::from_value(value.clone()).map_err(|e| RequestsError::Audit {
                path: self.path.clone(),
                message: e.to_string(),
            })?;
        let mut line = value.to_string();
        line.push('\n');
        if let Some(dir) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| self.io(e))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| self.io(e))?;
        file.write_all(line.as_bytes()).map_err(|e| self.io(e))?;
        file.sync_data().map_err(|e| self.io(e))?;
        Ok(entry)
    }
}

/// The first place where the chain breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// The entry on this line was changed after it was written.
    Edited {
        /// 1-based line.
        line: usize,
        /// Its `seq`, when readable.
        seq: Option<u64>,
    },
    /// Entries are missing before this line.
    Removed {
        /// 1-based line of the entry after the gap.
        line: usize,
        /// The first missing `seq`.
        from: u64,
        /// The last missing `seq`.
        to: u64,
    },
    /// The entry on this line does not belong in the chain here.
    Inserted {
        /// 1-based line.
        line: usize,
    },
    /// The entry on this line stands before an entry it follows.
    Reordered {
        /// 1-based line.
        line: usize,
        /// Its `seq`.
        seq: u64,
    },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Edited { line, seq: Some(s) } => {
                write!(f, "line {line}: entry {s} was edited after it was written")
            }
            Break::Edited { line, seq: None } => {
                write!(
                    f,
                    "line {line}: the entry was edited and can no longer be read"
                )
            }
            Break::Removed { line, from, to } if from == to => {
                write!(f, "line {line}: entry {from} was removed before this line")
            }
            Break::Removed { line, from, to } => {
                write!(
                    f,
                    "line {line}: entries {from} to {to} were removed before this line"
                )
            }
            Break::Inserted { line } => {
                write!(
                    f,
                    "line {line}: this entry was inserted; the chain skips it"
                )
            }
            Break::Reordered { line, seq } => write!(
                f,
                "line {line}: entry {seq} was moved; it stands before the entry it follows"
            ),
        }
    }
}

/// The outcome of [`verify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    /// Entries read.
    pub entries: usize,
    /// The last entry's hash ([`GENESIS`] when empty): keep it elsewhere.
    pub head: String,
    /// The first break, if any.
    pub broken: Option<Break>,
}

struct Line {
    value: Option<Value>,
    seq: Option<u64>,
    prev: Option<String>,
    hash: Option<String>,
    valid: bool,
}

/// Reads the whole trail and checks the chain. A missing file is an empty
/// trail.
pub fn verify(path: &Path) -> Result<Verification, RequestsError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(RequestsError::Audit {
                path: path.to_path_buf(),
                message: e.to_string(),
            })
        }
    };
    let lines: Vec<Line> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let value: Option<Value> = serde_json::from_str(l).ok();
            let field = |name: &str| {
                value
                    .as_ref()
                    .and_then(|v| v.get(name))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            let hash = field("hash");
            let valid = value
                .as_ref()
                .and_then(entry_hash)
                .is_some_and(|h| Some(&h) == hash.as_ref());
            Line {
                seq: value
                    .as_ref()
                    .and_then(|v| v.get("seq"))
                    .and_then(Value::as_u64),
                prev: field("prev"),
                hash,
                valid,
                value,
            }
        })
        .collect();
    let head = lines
        .last()
        .and_then(|l| l.hash.clone())
        .unwrap_or_else(|| GENESIS.to_string());
    Ok(Verification {
        entries: lines.len(),
        head,
        broken: first_break(&lines),
    })
}

fn first_break(lines: &[Line]) -> Option<Break> {
    let hash_before = |i: usize| -> Option<&str> {
        if i == 0 {
            Some(GENESIS)
        } else {
            lines[i - 1].hash.as_deref()
        }
    };
    let mut expected_seq = 1u64;
    for (i, line) in lines.iter().enumerate() {
        let n = i + 1;
        if line.value.is_none() {
            return Some(Break::Edited { line: n, seq: None });
        }
        let links = line.prev.as_deref() == hash_before(i);
        // Linked to an entry further down: it was moved up.
        if !links {
            if let (Some(prev), Some(seq)) = (line.prev.as_deref(), line.seq) {
                if lines[i + 1..]
                    .iter()
                    .any(|l| l.hash.as_deref() == Some(prev))
                {
                    return Some(Break::Reordered { line: n, seq });
                }
            }
        }
        // The next entry links past this one: this one was slipped in.
        if let Some(next) = lines.get(i + 1) {
            if next.prev.is_some() && next.prev.as_deref() == hash_before(i) {
                return Some(Break::Inserted { line: n });
            }
        }
        if !line.valid {
            return Some(Break::Edited {
                line: n,
                seq: line.seq,
            });
        }
        let seq = line.seq.unwrap_or(0);
        if !links {
            if seq > expected_seq {
                return Some(Break::Removed {
                    line: n,
                    from: expected_seq,
                    to: seq - 1,
                });
            }
            // The entry before was changed and given a fresh hash.
            return Some(if n > 1 {
                Break::Edited {
                    line: n - 1,
                    seq: lines[i - 1].seq,
                }
            } else {
                Break::Edited {
                    line: n,
                    seq: line.seq,
                }
            });
        }
        if seq != expected_seq {
            return Some(Break::Edited {
                line: n,
                seq: line.seq,
            });
        }
        expected_seq = seq + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: usize) -> Event {
        let mut details = Map::new();
        details.insert("n".into(), Value::from(n));
        Event {
            by: "medewerker".into(),
            action: "request.open".into(),
            request: format!("V-{n:04}"),
            subject: "00***".into(),
            details,
        }
    }

    fn trail(n: usize) -> (tempfile::TempDir, PathBuf, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let t = AuditTrail::new(&path);
        for i in 1..=n {
            t.append(event(i), Utc::now()).unwrap();
        }
        let lines = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        (dir, path, lines)
    }

    fn write(path: &Path, lines: &[String]) {
        std::fs::write(path, lines.join("\n") + "\n").unwrap();
    }

    #[test]
    fn an_untouched_trail_verifies() {
        let (_dir, path, lines) = trail(5);
        let v = verify(&path).unwrap();
        assert_eq!(v.entries, 5);
        assert_eq!(v.broken, None);
        let last: Entry = serde_json::from_str(&lines[4]).unwrap();
        assert_eq!(v.head, last.hash);
        assert_eq!(last.seq, 5);
        let first: Entry = serde_json::from_str(&lines[0]).unwrap();
        assert_eq!(first.prev, GENESIS);
        // An empty or missing trail verifies too.
        assert_eq!(verify(&path.with_file_name("none")).unwrap().broken, None);
    }

    #[test]
    fn an_edited_entry_is_named() {
        let (_dir, path, mut lines) = trail(5);
        lines[2] = lines[2].replace("medewerker", "iemand anders");
        write(&path, &lines);
        assert_eq!(
            verify(&path).unwrap().broken,
            Some(Break::Edited {
                line: 3,
                seq: Some(3)
            })
        );
    }

    #[test]
    fn an_edited_entry_with_a_fresh_hash_is_named() {
        let (_dir, path, mut lines) = trail(5);
        let mut value: Value = serde_json::from_str(&lines[1]).unwrap();
        value["by"] = Value::from("iemand anders");
        value["hash"] = Value::from(entry_hash(&value).unwrap());
        lines[1] = value.to_string();
        write(&path, &lines);
        assert_eq!(
            verify(&path).unwrap().broken,
            Some(Break::Edited {
                line: 2,
                seq: Some(2)
            })
        );
    }

    #[test]
    fn a_removed_entry_is_named() {
        let (_dir, path, mut lines) = trail(5);
        lines.remove(2);
        write(&path, &lines);
        assert_eq!(
            verify(&path).unwrap().broken,
            Some(Break::Removed {
                line: 3,
                from: 3,
                to: 3
            })
        );
        let (_dir, path, mut lines) = trail(3);
        lines.remove(0);
        write(&path, &lines);
        assert_eq!(
            verify(&path).unwrap().broken,
            Some(Break::Removed {
                line: 1,
                from: 1,
                to: 1
            })
        );
    }

    #[test]
    fn an_inserted_entry_is_named() {
        // A forged entry that links correctly to the one before it.
        let (_dir, path, mut lines) = trail(5);
        let before: Entry = serde_json::from_str(&lines[1]).unwrap();
        let mut value = serde_json::to_value(Entry {
            seq: 3,
            at: before.at.clone(),
            event: event(99),
            prev: before.hash.clone(),
            hash: String::new(),
        })
        .unwrap();
        value["hash"] = Value::from(entry_hash(&value).unwrap());
        lines.insert(2, value.to_string());
        write(&path, &lines);
        assert_eq!(
            verify(&path).unwrap().broken,
            Some(Break::Inserted { line: 3 })
        );
        // A copy of an existing entry slipped in elsewhere.
        let (_dir, path, mut lines) = trail(5);
        let copy = lines[0].clone();
        lines.insert(3, copy);
        write(&path, &lines);
        assert_eq!(
            verify(&path).unwrap().broken,
            Some(Break::Inserted { line: 4 })
        );
    }

    #[test]
    fn reordered_entries_are_named() {
        let (_dir, path, mut lines) = trail(5);
        lines.swap(2, 3);
        write(&path, &lines);
        assert_eq!(
            verify(&path).unwrap().broken,
            Some(Break::Reordered { line: 3, seq: 4 })
        );
    }

    #[test]
    fn appends_continue_the_chain() {
        let (_dir, path, _) = trail(2);
        let t = AuditTrail::new(&path);
        let e = t.append(event(3), Utc::now()).unwrap();
        assert_eq!(e.seq, 3);
        assert_eq!(verify(&path).unwrap().broken, None);
    }
}
