//! Using the index: is it fresh for every file of the archive, and which
//! messages may hold the requested identifiers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sqlx::Row;

use super::{email_key, open, settings, stamp, token_key, IndexError, Stamp};
use crate::mail::archive::message_files;
use crate::mail::message::is_index_word;
use crate::mail::{MailConfig, Source};

/// Whether the index can be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// Fresh for every file: `files` files, `messages` messages.
    Fresh {
        /// Files of the archive.
        files: usize,
        /// Messages indexed.
        messages: u64,
    },
    /// Not usable; why, and what to do.
    Stale(String),
}

/// The answer of a lookup.
#[derive(Clone, Debug)]
pub enum Lookup {
    /// The messages to look at: per source, the mbox offsets (empty for a
    /// message file).
    Candidates(Vec<(Source, Vec<u64>)>),
    /// The index cannot answer this search; why.
    Stale(String),
}

/// The files of the archive as the index names them.
fn archive_files(config: &MailConfig) -> Result<Vec<(PathBuf, bool)>, IndexError> {
    let sources = config
        .sources()
        .map_err(|e| IndexError::Other(e.clean_message()))?;
    let mut files = Vec::new();
    for source in &sources {
        match source {
            Source::Mbox(p) => files.push((p.clone(), true)),
            other => {
                let list = message_files(other).map_err(|e| IndexError::Io {
                    path: e.path,
                    cause: e.cause,
                })?;
                files.extend(list.into_iter().map(|p| (p, false)));
            }
        }
    }
    Ok(files)
}

/// Checks that the index at `config.index` is fresh for every file.
pub async fn freshness(config: &MailConfig) -> Result<Freshness, IndexError> {
    let Some(path) = config.index.as_deref().map(PathBuf::from) else {
        return Ok(Freshness::Stale("no `index` configured".into()));
    };
    if !path.exists() {
        return Ok(Freshness::Stale(
            "the index has not been built; run `inzage index`".into(),
        ));
    }
    let sql = |cause| IndexError::Sql {
        path: path.clone(),
        cause,
    };
    let conn = open(&path, false).await?;
    let have: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE name = 'settings'")
        .fetch_optional(&conn)
        .await
        .map_err(sql)?;
    if have.as_deref() != Some(settings(config).as_str()) {
        return Ok(Freshness::Stale(
            "the index was built with other settings (mbox format or limits); run `inzage index`"
                .into(),
        ));
    }
    let rows = sqlx::query("SELECT path, size, mtime, inode FROM files")
        .fetch_all(&conn)
        .await
        .map_err(sql)?;
    let indexed: BTreeMap<String, Stamp> = rows
        .iter()
        .map(|r| {
            (
                r.get::<String, _>(0),
                Stamp {
                    size: r.get(1),
                    mtime: r.get(2),
                    inode: r.get(3),
                },
            )
        })
        .collect();
    let files = archive_files(config)?;
    let changed = files
        .iter()
        .map(|(f, _)| Ok(indexed.get(f.to_string_lossy().as_ref()) != Some(&stamp(f)?)))
        .collect::<Result<Vec<bool>, IndexError>>()?
        .into_iter()
        .filter(|c| *c)
        .count();
    if changed > 0 {
        return Ok(Freshness::Stale(format!(
            "{changed} of {} file(s) are new or changed since the index was built; run `inzage index`",
            files.len()
        )));
    }
    let messages: i64 = sqlx::query_scalar("SELECT count(*) FROM messages")
        .fetch_one(&conn)
        .await
        .map_err(sql)?;
    Ok(Freshness::Fresh {
        files: files.len(),
        messages: messages as u64,
    })
}

/// The messages that may hold one of the addresses (lowercase) or numbers
/// (uppercase), and every flagged message, when the index is fresh.
pub async fn lookup(
    config: &MailConfig,
    emails: &[String],
    tokens: &[String],
) -> Result<Lookup, IndexError> {
    if let Some(t) = tokens.iter().find(|t| !is_index_word(t)) {
        return Ok(Lookup::Stale(format!(
            "a number of {} characters that is not one word of letters and digits cannot be looked up",
            t.chars().count()
        )));
    }
    if let Freshness::Stale(why) = freshness(config).await? {
        return Ok(Lookup::Stale(why));
    }
    let path = PathBuf::from(config.index.as_deref().unwrap_or_default());
    let sql = |cause| IndexError::Sql {
        path: path.clone(),
        cause,
    };
    let conn = open(&path, false).await?;
    let keys: Vec<String> = emails
        .iter()
        .map(|e| email_key(e))
        .chain(tokens.iter().map(|t| token_key(t)))
        .collect();
    let mut found: Vec<(String, bool, i64)> = Vec::new();
    let select = "SELECT f.path, f.mbox, m.offset FROM messages m JOIN files f ON f.id = m.file";
    for key in &keys {
        let rows = sqlx::query(&format!(
            "{select} JOIN keys k ON k.message = m.id WHERE k.key = ?"
        ))
        .bind(key)
        .fetch_all(&conn)
        .await
        .map_err(sql)?;
        found.extend(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))));
    }
    let flagged = sqlx::query(&format!("{select} WHERE m.flagged = 1"))
        .fetch_all(&conn)
        .await
        .map_err(sql)?;
    found.extend(flagged.iter().map(|r| (r.get(0), r.get(1), r.get(2))));
    let current: std::collections::HashSet<String> = archive_files(config)?
        .into_iter()
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .collect();
    let mut by_file: BTreeMap<(String, bool), Vec<u64>> = BTreeMap::new();
    for (p, mbox, offset) in found {
        if current.contains(&p) {
            by_file.entry((p, mbox)).or_default().push(offset as u64);
        }
    }
    Ok(Lookup::Candidates(
        by_file
            .into_iter()
            .map(|((p, mbox), mut offsets)| {
                offsets.sort_unstable();
                offsets.dedup();
                let p = Path::new(&p).to_path_buf();
                let source = if mbox {
                    Source::Mbox(p)
                } else {
                    Source::Eml(p)
                };
                (source, if mbox { offsets } else { Vec::new() })
            })
            .collect(),
    ))
}
