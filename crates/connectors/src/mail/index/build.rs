//! Building and updating the index: every file new or changed since the
//! last run is read (in pieces, on every worker thread), its messages keyed,
//! and the result written in one transaction.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use sha2::{Digest, Sha256};
use sqlx::Row;

use super::{email_key, open, settings, stamp, token_key, IndexError, Stamp};
use crate::mail::archive::{beyond_limits, map, mbox_messages, message_files, unescape};
use crate::mail::message::{index_words, read, text_addresses};
use crate::mail::scan::binary_bodies;
use crate::mail::{MailConfig, Source, CHUNK};

/// What an update did.
#[derive(Clone, Debug, Default)]
pub struct UpdateStats {
    /// Files of the archive.
    pub files: usize,
    /// Files read (new, grown or rewritten).
    pub files_read: usize,
    /// Of those, files read again from the start (rewritten).
    pub files_rewritten: usize,
    /// Messages keyed.
    pub messages: u64,
    /// Bytes read.
    pub bytes: u64,
    /// Seconds taken.
    pub seconds: f64,
    /// True when the whole index was built anew (new file, other settings).
    pub rebuilt: bool,
}

/// One keyed message.
struct Entry {
    offset: u64,
    flagged: bool,
    keys: Vec<String>,
}

/// The keys of one message, or flagged when it must always be looked at.
fn key_message(raw: &[u8], mbox: bool, junk: bool, config: &MailConfig) -> Entry {
    let keyed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if junk
            || raw.iter().all(u8::is_ascii_whitespace)
            || beyond_limits(raw, &config.limits).is_some()
        {
            return None;
        }
        let binaries = binary_bodies(raw)?;
        let raw = without(raw, &binaries);
        let text = if mbox {
            unescape(&raw, config.mbox_format).into_owned().into()
        } else {
            raw
        };
        let r = read(&text)?;
        let mut keys: Vec<String> = r.addresses.iter().map(|a| email_key(a)).collect();
        for s in r.subjects.iter().chain([&r.analysis.text]) {
            keys.extend(index_words(s).map(|w| token_key(&w)));
        }
        if config.body_emails() {
            keys.extend(text_addresses(&r.analysis.text).map(email_key));
        }
        keys.sort();
        keys.dedup();
        Some(keys)
    }));
    match keyed {
        Ok(Some(keys)) => Entry {
            offset: 0,
            flagged: false,
            keys,
        },
        _ => Entry {
            offset: 0,
            flagged: true,
            keys: Vec::new(),
        },
    }
}

/// The message with the given ranges (in order, not overlapping) left out.
fn without<'a>(raw: &'a [u8], ranges: &[(usize, usize)]) -> std::borrow::Cow<'a, [u8]> {
    if ranges.is_empty() {
        return raw.into();
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut at = 0;
    for &(start, end) in ranges {
        out.extend_from_slice(&raw[at..start]);
        at = end;
    }
    out.extend_from_slice(&raw[at..]);
    out.into()
}

/// Keys the messages of an mbox from `from` on, in pieces over `threads`
/// workers. Returns the entries in offset order.
fn key_mbox(data: &[u8], from: usize, threads: usize, config: &MailConfig) -> Vec<Entry> {
    // Pieces small enough that a small append is keyed on every worker too.
    let piece =
        CHUNK.min(((data.len() - from.min(data.len())) / (threads.max(1) * 4)).max(1 << 20));
    let mut pieces = Vec::new();
    let mut start = from;
    while start < data.len() {
        let end = (start + piece).min(data.len());
        pieces.push((start, end));
        start = end;
    }
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, Vec<Entry>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads.max(1).min(pieces.len().max(1)))
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&(start, end)) = pieces.get(i) else {
                            break;
                        };
                        let mut entries = Vec::new();
                        for (sep, message, junk) in mbox_messages(data, start) {
                            if sep >= end && !junk {
                                break;
                            }
                            if junk && start != 0 {
                                continue;
                            }
                            let mut e = key_message(message, true, junk, config);
                            e.offset = sep as u64;
                            entries.push(e);
                        }
                        out.push((i, entries));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("an index worker panicked"))
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().flat_map(|(_, e)| e).collect()
}

fn sum(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// What to do with one file.
struct Work {
    path: PathBuf,
    mbox: bool,
    stamp: Stamp,
    /// Existing row id and the offset to index from (0: all of it).
    row: Option<i64>,
    from: u64,
    rewritten: bool,
}

/// Builds the index at `config.index` or brings it up to date.
pub async fn update(config: &MailConfig, threads: usize) -> Result<UpdateStats, IndexError> {
    let started = Instant::now();
    let path = config.index.clone().ok_or_else(|| {
        IndexError::Other(format!(
            "mail connector `{}` has no `index` path",
            config.id
        ))
    })?;
    let path = PathBuf::from(path);
    let sql = |cause| IndexError::Sql {
        path: path.clone(),
        cause,
    };
    let conn = open(&path, true).await?;
    let mut stats = UpdateStats::default();
    let wanted = settings(config);
    let have: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE name = 'settings'")
        .fetch_optional(&conn)
        .await
        .map_err(sql)?;
    if have.as_deref() != Some(wanted.as_str()) {
        sqlx::raw_sql("DELETE FROM keys; DELETE FROM messages; DELETE FROM files;")
            .execute(&conn)
            .await
            .map_err(sql)?;
        sqlx::query("INSERT OR REPLACE INTO meta (name, value) VALUES ('settings', ?)")
            .bind(&wanted)
            .execute(&conn)
            .await
            .map_err(sql)?;
        stats.rebuilt = true;
    }
    let sources = config
        .sources()
        .map_err(|e| IndexError::Other(e.clean_message()))?;
    let mut files: Vec<(PathBuf, bool)> = Vec::new();
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
    stats.files = files.len();
    let mut work = Vec::new();
    for (file, mbox) in files {
        let now = stamp(&file)?;
        let row = sqlx::query(
            "SELECT id, size, mtime, inode, last_offset, last_sum FROM files WHERE path = ?",
        )
        .bind(file.to_string_lossy().as_ref())
        .fetch_optional(&conn)
        .await
        .map_err(sql)?;
        let Some(row) = row else {
            work.push(Work {
                path: file,
                mbox,
                stamp: now,
                row: None,
                from: 0,
                rewritten: false,
            });
            continue;
        };
        let id: i64 = row.get(0);
        let was = Stamp {
            size: row.get(1),
            mtime: row.get(2),
            inode: row.get(3),
        };
        if was == now {
            continue;
        }
        let (last_offset, last_sum): (i64, String) = (row.get(4), row.get(5));
        let grown = mbox && was.inode == now.inode && now.size > was.size && {
            let f = file.clone();
            let (a, b) = (last_offset as usize, was.size as usize);
            tokio::task::spawn_blocking(move || {
                map(&f)
                    .ok()
                    .flatten()
                    .is_some_and(|m| m.len() >= b && sum(&m[a..b]) == last_sum)
            })
            .await
            .unwrap_or(false)
        };
        if grown {
            work.push(Work {
                path: file,
                mbox,
                stamp: now,
                row: Some(id),
                from: last_offset as u64,
                rewritten: false,
            });
        } else {
            work.push(Work {
                path: file,
                mbox,
                stamp: now,
                row: Some(id),
                from: 0,
                rewritten: true,
            });
        }
    }
    let mut tx = conn.begin().await.map_err(sql)?;
    for w in work {
        let file = w.path.clone();
        let (mbox, from) = (w.mbox, w.from as usize);
        let cfg = config.clone();
        let keyed = tokio::task::spawn_blocking(
            move || -> Result<(Vec<Entry>, u64, String), IndexError> {
                let io = |cause| IndexError::Io {
                    path: file.clone(),
                    cause,
                };
                if mbox {
                    let m = map(&file).map_err(|e| IndexError::Io {
                        path: e.path,
                        cause: e.cause,
                    })?;
                    let data: &[u8] = m.as_deref().unwrap_or(&[]);
                    let entries = key_mbox(data, from, threads, &cfg);
                    let last = entries.last().map_or(0, |e| e.offset);
                    Ok((
                        entries,
                        (data.len() - from) as u64,
                        sum(&data[last as usize..]),
                    ))
                } else {
                    let bytes = std::fs::read(&file).map_err(io)?;
                    let mut e = key_message(&bytes, false, false, &cfg);
                    e.offset = 0;
                    Ok((vec![e], bytes.len() as u64, sum(&bytes)))
                }
            },
        )
        .await
        .map_err(|e| IndexError::Other(format!("index task failed: {e}")))??;
        let (entries, bytes, last_sum) = keyed;
        let last_offset = entries.last().map_or(0, |e| e.offset) as i64;
        let id = match w.row {
            Some(id) => {
                if w.rewritten {
                    sqlx::query("DELETE FROM keys WHERE message IN (SELECT id FROM messages WHERE file = ?)")
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(sql)?;
                    sqlx::query("DELETE FROM messages WHERE file = ?")
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(sql)?;
                    stats.files_rewritten += 1;
                }
                sqlx::query("UPDATE files SET size = ?, mtime = ?, inode = ?, last_offset = ?, last_sum = ? WHERE id = ?")
                    .bind(w.stamp.size)
                    .bind(w.stamp.mtime)
                    .bind(w.stamp.inode)
                    .bind(last_offset)
                    .bind(&last_sum)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(sql)?;
                id
            }
            None => sqlx::query_scalar(
                "INSERT INTO files (path, mbox, size, mtime, inode, last_offset, last_sum) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(w.path.to_string_lossy().as_ref())
            .bind(w.mbox)
            .bind(w.stamp.size)
            .bind(w.stamp.mtime)
            .bind(w.stamp.inode)
            .bind(last_offset)
            .bind(&last_sum)
            .fetch_one(&mut *tx)
            .await
            .map_err(sql)?,
        };
        stats.files_read += 1;
        stats.bytes += bytes;
        stats.messages += entries.len() as u64;
        write_entries(&mut tx, id, &entries).await.map_err(sql)?;
    }
    tx.commit().await.map_err(sql)?;
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(stats)
}

/// Rows per multi-row INSERT (SQLite allows 32,766 bound values).
const BATCH: usize = 500;

/// Writes the entries of one file: messages in multi-row INSERTs with ids
/// handed out here (one round trip per batch, not per message), then
/// their keys.
async fn write_entries(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    file: i64,
    entries: &[Entry],
) -> Result<(), sqlx::Error> {
    let Some(first) = entries.first() else {
        return Ok(());
    };
    // A message indexed before (the last one of a grown mbox) keeps its id
    // and gains the keys it now has: extra keys only add candidates.
    let known: std::collections::HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
        "SELECT offset, id FROM messages WHERE file = ? AND offset >= ?",
    )
    .bind(file)
    .bind(first.offset as i64)
    .fetch_all(&mut **tx)
    .await?
    .into_iter()
    .collect();
    let mut next: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM messages")
        .fetch_one(&mut **tx)
        .await?;
    let mut ids = Vec::with_capacity(entries.len());
    let mut new: Vec<(i64, &Entry)> = Vec::new();
    for e in entries {
        match known.get(&(e.offset as i64)) {
            Some(&id) => {
                sqlx::query("UPDATE messages SET flagged = max(flagged, ?) WHERE id = ?")
                    .bind(e.flagged)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                ids.push(id);
            }
            None => {
                ids.push(next);
                new.push((next, e));
                next += 1;
            }
        }
    }
    for batch in new.chunks(BATCH * 2) {
        let mut sql = String::from("INSERT INTO messages (id, file, offset, flagged) VALUES ");
        for i in 0..batch.len() {
            sql.push_str(if i == 0 {
                "(?, ?, ?, ?)"
            } else {
                ", (?, ?, ?, ?)"
            });
        }
        let mut q = sqlx::query(&sql);
        for (id, e) in batch {
            q = q.bind(*id).bind(file).bind(e.offset as i64).bind(e.flagged);
        }
        q.execute(&mut **tx).await?;
    }
    let mut pairs: Vec<(&str, i64)> = Vec::new();
    for (e, id) in entries.iter().zip(ids) {
        pairs.extend(e.keys.iter().map(|k| (k.as_str(), id)));
        if pairs.len() >= BATCH * 4 {
            insert_keys(tx, &pairs).await?;
            pairs.clear();
        }
    }
    if !pairs.is_empty() {
        insert_keys(tx, &pairs).await?;
    }
    Ok(())
}

async fn insert_keys(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    pairs: &[(&str, i64)],
) -> Result<(), sqlx::Error> {
    let mut sql = String::from("INSERT OR IGNORE INTO keys (key, message) VALUES ");
    for i in 0..pairs.len() {
        sql.push_str(if i == 0 { "(?, ?)" } else { ", (?, ?)" });
    }
    let mut q = sqlx::query(&sql);
    for (k, m) in pairs {
        q = q.bind(*k).bind(*m);
    }
    q.execute(&mut **tx).await?;
    Ok(())
}
