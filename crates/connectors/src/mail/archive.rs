//! Finding the messages of an archive: mbox files (split at `From ` lines,
//! in chunks so that both cores work), Maildir folders and folders of
//! `.eml` files; and the parallel search over them.
//!
//! Memory stays bounded whatever the archive size: mbox files are mapped,
//! not read (mapped file pages are page cache, not the process's own
//! memory), each worker looks at one message at a time, and only the
//! messages that match are parsed fully and kept (as text).

use std::borrow::Cow;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use memchr::memmem;
use memmap2::Mmap;

use super::message::{analyse_with, Analysis};
use super::scan::{
    contains_email, contains_token, prefilter, structure_problem, Doubt, Needles, Verdict,
};
use inzage_core::ReadingNote;

/// How `>From ` lines of an mbox are unescaped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MboxFormat {
    /// mboxrd: one `>` is removed from every line matching `^>+From `.
    #[default]
    Mboxrd,
    /// mboxo: one `>` is removed from lines starting `>From ` only.
    Mboxo,
}

/// One place that holds messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// An mbox file.
    Mbox(PathBuf),
    /// A Maildir folder (has `cur` and/or `new`); `tmp` is not read.
    Maildir(PathBuf),
    /// A folder of `.eml` files, or one `.eml` file.
    Eml(PathBuf),
}

impl Source {
    /// The path.
    pub fn path(&self) -> &Path {
        match self {
            Source::Mbox(p) | Source::Maildir(p) | Source::Eml(p) => p,
        }
    }

    /// Detects what a path is: a folder with `cur` or `new` is a Maildir,
    /// another folder holds `.eml` files, a file named `*.eml` is one
    /// message, any other file is an mbox.
    pub fn detect(path: &Path) -> Source {
        if path.is_dir() {
            if path.join("cur").is_dir() || path.join("new").is_dir() {
                Source::Maildir(path.to_path_buf())
            } else {
                Source::Eml(path.to_path_buf())
            }
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("eml"))
        {
            Source::Eml(path.to_path_buf())
        } else {
            Source::Mbox(path.to_path_buf())
        }
    }
}

/// A message that matched, with where it is.
#[derive(Clone, Debug)]
pub struct Hit {
    /// `file:byte offset` for mbox, the file for Maildir and EML.
    pub location: String,
    /// What the exact matcher found.
    pub analysis: Analysis,
}

/// A message that could not be read and that may concern the subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// `file:byte offset`, or the file.
    pub location: String,
    /// The line where the message starts in an mbox file.
    pub line: Option<usize>,
    /// What is wrong.
    pub reason: String,
}

/// The result of a search.
#[derive(Clone, Debug, Default)]
pub struct Found {
    /// Matching messages, ordered by location.
    pub hits: Vec<Hit>,
    /// Unreadable messages that mention a requested identifier.
    pub problems: Vec<Problem>,
    /// Messages looked at.
    pub messages: u64,
    /// Messages parsed fully (prefilter candidates).
    pub parsed: u64,
    /// Bytes of archive looked at.
    pub bytes: u64,
}

/// What to search for and how.
pub struct Search<'a> {
    /// Normalised (lowercase) e-mail addresses.
    pub emails: &'a [String],
    /// Klantnummers and contract numbers (uppercase).
    pub tokens: &'a [String],
    /// mbox escaping.
    pub format: MboxFormat,
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Set to stop early (the fetch was cancelled).
    pub cancel: Option<Arc<AtomicBool>>,
    /// mbox files are cut into pieces of about this size, at message
    /// boundaries, shared among the workers ([`CHUNK`] by default).
    pub chunk_bytes: usize,
    /// What one message may hold before it is not parsed.
    pub limits: MailLimits,
    /// Addresses count in the decoded text too (`email = "adressen_tekst"`).
    pub body_emails: bool,
}

/// Limits on one message, checked before it is parsed: a message beyond
/// them is not parsed, and when it mentions a requested identifier it is a
/// review item that names the limit.
#[derive(Clone, Copy, Debug, serde::Deserialize)]
pub struct MailLimits {
    /// Largest message, in bytes (default 100 MiB).
    #[serde(default = "default_max_message_bytes")]
    pub max_message_bytes: u64,
    /// Most header lines in one message's header block (default 2,000).
    #[serde(default = "default_max_headers")]
    pub max_headers: u64,
    /// Most multipart levels (`boundary=` parameters) in one message (default 50).
    #[serde(default = "default_max_mime_depth")]
    pub max_mime_depth: u64,
}

impl Default for MailLimits {
    fn default() -> MailLimits {
        MailLimits {
            max_message_bytes: default_max_message_bytes(),
            max_headers: default_max_headers(),
            max_mime_depth: default_max_mime_depth(),
        }
    }
}

fn default_max_message_bytes() -> u64 {
    100 << 20
}
fn default_max_headers() -> u64 {
    2_000
}
fn default_max_mime_depth() -> u64 {
    50
}

/// The first limit a message goes beyond, in words.
pub(crate) fn beyond_limits(raw: &[u8], limits: &MailLimits) -> Option<String> {
    if raw.len() as u64 > limits.max_message_bytes {
        return Some(format!(
            "the message has {} bytes, beyond max_message_bytes = {}",
            raw.len(),
            limits.max_message_bytes
        ));
    }
    let head_end = memmem::find(raw, b"\n\n")
        .or_else(|| memmem::find(raw, b"\r\n\r\n"))
        .unwrap_or(raw.len());
    let headers = raw[..head_end]
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty() && !matches!(l[0], b' ' | b'\t'))
        .count() as u64;
    if headers > limits.max_headers {
        return Some(format!(
            "the message has {headers} header lines, beyond max_headers = {}",
            limits.max_headers
        ));
    }
    let depth = memmem::find_iter(raw, b"boundary=").count() as u64
        + memmem::find_iter(raw, b"BOUNDARY=").count() as u64
        + memmem::find_iter(raw, b"Boundary=").count() as u64;
    if depth > limits.max_mime_depth {
        return Some(format!(
            "the message declares {depth} MIME boundaries, beyond max_mime_depth = {}",
            limits.max_mime_depth
        ));
    }
    None
}

/// An error reading a source (not a message): the file is missing or
/// unreadable.
#[derive(Debug)]
pub struct SourceIo {
    /// The file or folder.
    pub path: PathBuf,
    /// The cause.
    pub cause: std::io::Error,
}

/// A piece of work for one worker.
enum Unit {
    /// Messages of mbox `file` whose `From ` line starts in `[start, end)`.
    Chunk {
        file: usize,
        start: usize,
        end: usize,
    },
    /// One message file (Maildir or EML).
    File(PathBuf),
}

/// The default piece of an mbox file one worker takes at a time.
pub const CHUNK: usize = 32 << 20;

/// Message files up to this size are read, larger ones mapped.
const READ_LIMIT: u64 = 1 << 20;

/// Lists the message files of a Maildir or EML folder, sorted.
pub fn message_files(source: &Source) -> Result<Vec<PathBuf>, SourceIo> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |cause| SourceIo { path, cause }
    };
    let mut files = Vec::new();
    match source {
        Source::Mbox(_) => {}
        Source::Maildir(dir) => {
            for sub in ["cur", "new"] {
                let d = dir.join(sub);
                if !d.is_dir() {
                    continue;
                }
                for entry in std::fs::read_dir(&d).map_err(io(&d))? {
                    let entry = entry.map_err(io(&d))?;
                    let name = entry.file_name();
                    if name.to_string_lossy().starts_with('.') {
                        continue;
                    }
                    if entry.file_type().map_err(io(&d))?.is_file() {
                        files.push(entry.path());
                    }
                }
            }
        }
        Source::Eml(p) if p.is_file() => files.push(p.clone()),
        Source::Eml(dir) => {
            for entry in std::fs::read_dir(dir).map_err(io(dir))? {
                let entry = entry.map_err(io(dir))?;
                let path = entry.path();
                if path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("eml"))
                    && entry.file_type().map_err(io(dir))?.is_file()
                {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Maps an mbox file. An empty file maps to nothing.
pub(crate) fn map(path: &Path) -> Result<Option<Mmap>, SourceIo> {
    let file = File::open(path).map_err(|cause| SourceIo {
        path: path.to_path_buf(),
        cause,
    })?;
    let len = file
        .metadata()
        .map_err(|cause| SourceIo {
            path: path.to_path_buf(),
            cause,
        })?
        .len();
    if len == 0 {
        return Ok(None);
    }
    // SAFETY: the archive is opened read-only and read as bytes; inzage
    // assumes, as every mail tool does, that an archive is not truncated
    // while it is being read (that would end the process with SIGBUS).
    let mmap = unsafe { Mmap::map(&file) }.map_err(|cause| SourceIo {
        path: path.to_path_buf(),
        cause,
    })?;
    #[cfg(unix)]
    {
        let _ = mmap.advise(memmap2::Advice::Sequential);
        let _ = mmap.advise(memmap2::Advice::WillNeed);
    }
    Ok(Some(mmap))
}

/// Searches every source for messages that match.
pub fn search(sources: &[Source], s: &Search<'_>) -> Result<Found, SourceIo> {
    let needles = Needles::new(
        s.emails.iter().map(String::as_str),
        s.tokens.iter().map(String::as_str),
    )
    .in_text(s.body_emails);
    let mut maps: Vec<(PathBuf, Option<Mmap>)> = Vec::new();
    let mut units = Vec::new();
    for source in sources {
        match source {
            Source::Mbox(path) => {
                let m = map(path)?;
                if let Some(bytes) = m.as_deref() {
                    if !bytes.starts_with(b"From ")
                        && memchr::memmem::find(bytes, b"\nFrom ").is_none()
                    {
                        // Not damaged but not an mbox at all (a .gz, an index):
                        // reading it as one message would find nothing, silently.
                        return Err(SourceIo {
                            path: path.clone(),
                            cause: std::io::Error::new(
                                std::io::ErrorKind::InvalidData,
                                "not an mbox file (no `From ` line); point `paths` at mbox files, Maildir folders or .eml files",
                            ),
                        });
                    }
                }
                let len = m.as_ref().map_or(0, |m| m.len());
                let file = maps.len();
                maps.push((path.clone(), m));
                let mut start = 0;
                while start < len {
                    let end = (start + s.chunk_bytes.max(1)).min(len);
                    units.push(Unit::Chunk { file, start, end });
                    start = end;
                }
            }
            other => {
                for f in message_files(other)? {
                    units.push(Unit::File(f));
                }
            }
        }
    }
    let next = AtomicUsize::new(0);
    let threads = s.threads.max(1).min(units.len().max(1));
    let results: Vec<Result<Found, SourceIo>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut found = Found::default();
                    loop {
                        if s.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed)) {
                            break;
                        }
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(unit) = units.get(i) else { break };
                        match unit {
                            Unit::Chunk { file, start, end } => {
                                let (path, m) = &maps[*file];
                                if let Some(m) = m {
                                    scan_chunk(path, m, *start, *end, &needles, s, &mut found);
                                }
                            }
                            Unit::File(path) => scan_file(path, &needles, s, &mut found)?,
                        }
                    }
                    Ok(found)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a mail worker panicked"))
            .collect()
    });
    let mut all = Found::default();
    for r in results {
        let f = r?;
        all.hits.extend(f.hits);
        all.problems.extend(f.problems);
        all.messages += f.messages;
        all.parsed += f.parsed;
        all.bytes += f.bytes;
    }
    all.hits
        .sort_by(|a, b| order(&a.location).cmp(&order(&b.location)));
    all.problems
        .sort_by(|a, b| order(&a.location).cmp(&order(&b.location)));
    Ok(all)
}

/// Looks only at the given messages, exactly as [`search`] looks at each:
/// for an mbox, the messages whose `From ` line starts at the offsets; for
/// a Maildir or EML source, the files. The mail index names them.
pub fn search_at(candidates: &[(Source, Vec<u64>)], s: &Search<'_>) -> Result<Found, SourceIo> {
    let needles = Needles::new(
        s.emails.iter().map(String::as_str),
        s.tokens.iter().map(String::as_str),
    )
    .in_text(s.body_emails);
    let mut found = Found::default();
    for (source, offsets) in candidates {
        match source {
            Source::Mbox(path) => {
                if let Some(m) = map(path)? {
                    for &at in offsets {
                        let at = at as usize;
                        scan_chunk(path, &m, at, at + 1, &needles, s, &mut found);
                    }
                }
            }
            Source::Eml(path) | Source::Maildir(path) => scan_file(path, &needles, s, &mut found)?,
        }
    }
    found
        .hits
        .sort_by(|a, b| order(&a.location).cmp(&order(&b.location)));
    found
        .problems
        .sort_by(|a, b| order(&a.location).cmp(&order(&b.location)));
    Ok(found)
}

/// The messages of an mbox whose `From ` line starts at or after `from`:
/// `(offset of the From line, the message without it and without the
/// blank line that ends it, whether it is text before the first From line)`,
/// cut exactly as [`search`] cuts them.
pub(crate) fn mbox_messages(
    data: &[u8],
    from: usize,
) -> impl Iterator<Item = (usize, &[u8], bool)> {
    let junk = (from == 0 && !data.is_empty() && !data.starts_with(b"From ")).then(|| {
        let first = next_separator(data, 1).unwrap_or(data.len());
        (0, &data[..first], true)
    });
    let mut at = next_separator(data, from);
    let rest = std::iter::from_fn(move || {
        let sep = at?;
        let body_start = memchr::memchr(b'\n', &data[sep..]).map_or(data.len(), |i| sep + i + 1);
        let next = if body_start >= data.len() {
            None
        } else {
            next_separator(data, body_start)
        };
        let stop = next.unwrap_or(data.len());
        let mut message = &data[body_start.min(stop)..stop];
        if next.is_some() {
            message = message.strip_suffix(b"\n").unwrap_or(message);
            message = message.strip_suffix(b"\r").unwrap_or(message);
        }
        at = next;
        Some((sep, message, false))
    });
    junk.into_iter().chain(rest)
}

/// Sort key: file, then numeric offset.
fn order(location: &str) -> (&str, u64) {
    match location.rsplit_once(':') {
        Some((f, o)) if o.bytes().all(|b| b.is_ascii_digit()) && !o.is_empty() => {
            (f, o.parse().unwrap_or(0))
        }
        _ => (location, 0),
    }
}

/// The first `From ` line starting at or after `from`.
pub(crate) fn next_separator(data: &[u8], from: usize) -> Option<usize> {
    if from == 0 && data.starts_with(b"From ") {
        return Some(0);
    }
    let search_from = from.saturating_sub(1);
    memmem::find(&data[search_from..], b"\nFrom ").map(|i| search_from + i + 1)
}

/// Scans the messages whose `From ` line starts in `[start, end)`.
fn scan_chunk(
    path: &Path,
    data: &[u8],
    start: usize,
    end: usize,
    needles: &Needles,
    s: &Search<'_>,
    found: &mut Found,
) {
    let name = path.display();
    if start == 0 && !data.starts_with(b"From ") {
        // bytes before the first From line: read them as a message
        let first = next_separator(data, 1).unwrap_or(data.len());
        let location = format!("{name}:0");
        found.bytes += first as u64;
        look_at(
            &data[..first],
            location,
            Some(Doubt::damage(
                ReadingNote::MboxWithoutFromLine,
                "the mbox does not start with a `From ` line",
            )),
            needles,
            s,
            true,
            found,
        );
    }
    let mut at = next_separator(data, start);
    while let Some(sep) = at {
        if sep >= end {
            break;
        }
        let body_start = memchr::memchr(b'\n', &data[sep..]).map_or(data.len(), |i| sep + i + 1);
        let next = if body_start >= data.len() {
            None
        } else {
            next_separator(data, body_start)
        };
        let stop = next.unwrap_or(data.len());
        let mut message = &data[body_start..stop];
        // the blank line that ends every mbox entry is not part of it
        if next.is_some() {
            message = message.strip_suffix(b"\n").unwrap_or(message);
            message = message.strip_suffix(b"\r").unwrap_or(message);
        }
        found.bytes += (stop - sep) as u64;
        let before = found.problems.len();
        look_at(
            message,
            format!("{name}:{sep}"),
            None,
            needles,
            s,
            true,
            found,
        );
        if found.problems.len() > before {
            // A review item names its line too, not only a byte offset:
            // the line of the message's first header (after `From `).
            let line = memchr::memchr_iter(b'\n', &data[..sep]).count() + 2;
            for p in &mut found.problems[before..] {
                p.line = Some(line);
            }
        }
        at = next;
        if found.messages % 4096 == 0
            && s.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed))
        {
            break;
        }
    }
}

fn scan_file(
    path: &Path,
    needles: &Needles,
    s: &Search<'_>,
    found: &mut Found,
) -> Result<(), SourceIo> {
    let io = |cause| SourceIo {
        path: path.to_path_buf(),
        cause,
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    let location = path.display().to_string();
    found.bytes += len;
    if len <= READ_LIMIT {
        let bytes = std::fs::read(path).map_err(io)?;
        look_at(&bytes, location, None, needles, s, false, found);
    } else if let Some(m) = map(path)? {
        look_at(&m, location, None, needles, s, false, found);
    }
    Ok(())
}

/// Removes one `>` from escaped `From ` lines.
pub fn unescape(message: &[u8], format: MboxFormat) -> Cow<'_, [u8]> {
    let escaped = |line: &[u8]| -> bool {
        let rest = match format {
            MboxFormat::Mboxrd => {
                let n = line.iter().take_while(|b| **b == b'>').count();
                if n == 0 {
                    return false;
                }
                &line[n..]
            }
            MboxFormat::Mboxo => match line.strip_prefix(b">") {
                Some(r) => r,
                None => return false,
            },
        };
        rest.starts_with(b"From ")
    };
    let any = message.starts_with(b">") && escaped(message)
        || memmem::find_iter(message, b"\n>").any(|i| escaped(&message[i + 1..]));
    if !any {
        return Cow::Borrowed(message);
    }
    let mut out = Vec::with_capacity(message.len());
    for line in message.split_inclusive(|b| *b == b'\n') {
        if escaped(line) {
            out.extend_from_slice(&line[1..]);
        } else {
            out.extend_from_slice(line);
        }
    }
    Cow::Owned(out)
}

/// Prefilters one message and, when it may match, parses it fully.
/// Looks at one message; a panic in the parser on a malformed message is
/// caught and reported for that message, so one bad message cannot take the
/// whole archive down.
fn look_at(
    raw: &[u8],
    location: String,
    problem: Option<Doubt>,
    needles: &Needles,
    s: &Search<'_>,
    mbox: bool,
    found: &mut Found,
) {
    let at = location.clone();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        look_at_message(raw, location, problem, needles, s, mbox, found)
    }));
    if outcome.is_err() {
        found.problems.push(Problem {
            location: at,
            line: None,
            reason: "the mail parser failed on this message".into(),
        });
    }
}

fn look_at_message(
    raw: &[u8],
    location: String,
    problem: Option<Doubt>,
    needles: &Needles,
    s: &Search<'_>,
    mbox: bool,
    found: &mut Found,
) {
    let format = s.format;
    found.messages += 1;
    let mut doubts: Vec<Doubt> = problem.into_iter().collect();
    match prefilter(raw, needles) {
        Verdict::Reject if doubts.is_empty() => return,
        Verdict::Reject | Verdict::Candidate => {}
        Verdict::Unsure(doubt) => doubts.push(doubt),
    }
    if let Some(why) = beyond_limits(raw, &s.limits) {
        let mentions = contains_email(raw, &needles.emails) || contains_token(raw, &needles.tokens);
        if mentions {
            found.problems.push(Problem {
                location,
                line: None,
                reason: format!(
                    "{why}; it was not parsed, and it mentions an identifier of this request"
                ),
            });
        }
        return;
    }
    found.parsed += 1;
    let text = if mbox {
        unescape(raw, format)
    } else {
        Cow::Borrowed(raw)
    };
    let mentions = || contains_email(raw, &needles.emails) || contains_token(raw, &needles.tokens);
    if raw.iter().all(u8::is_ascii_whitespace) {
        if mbox {
            found.problems.push(Problem {
                location,
                line: None,
                reason: "empty message".into(),
            });
        }
        return;
    }
    match analyse_with(
        &text,
        &email_list(needles),
        &token_list(needles),
        needles.body_emails,
    ) {
        Some(mut analysis) => {
            if analysis.matched() {
                if doubts.is_empty() {
                    doubts.extend(structure_problem(raw));
                }
                analysis.notes = notes_of(&doubts, None, &analysis.notes);
                found.hits.push(Hit { location, analysis });
            } else if !doubts.is_empty() && mentions() {
                // Same damage, same answer: where the parser lost the text
                // of a damaged structure, the text as it stands in the
                // archive is read, and the message is kept with a note.
                if recover(&text, &mut analysis, needles) {
                    analysis.notes = notes_of(
                        &doubts,
                        Some(ReadingNote::ShownAsInArchive),
                        &analysis.notes,
                    );
                    found.hits.push(Hit { location, analysis });
                } else {
                    let id = analysis
                        .message_id
                        .as_deref()
                        .map(|id| format!("Message-ID <{}>: ", crate::limits::excerpt(id, 100)))
                        .unwrap_or_default();
                    found.problems.push(Problem {
                        location,
                        line: None,
                        reason: format!(
                            "{id}{}",
                            doubts.iter().map(|d| d.why).collect::<Vec<_>>().join("; ")
                        ),
                    });
                }
            }
        }
        None => {
            if mentions() {
                found.problems.push(Problem {
                    location,
                    line: None,
                    reason:
                        "no message headers found; the text mentions an identifier of this request"
                            .into(),
                });
            }
        }
    }
}

/// The notes of a kept message: the damage the walk met, then `extra`,
/// then what the parser noticed, each once.
fn notes_of(
    doubts: &[Doubt],
    extra: Option<ReadingNote>,
    parsed: &[ReadingNote],
) -> Vec<ReadingNote> {
    let mut notes: Vec<ReadingNote> = Vec::new();
    let all = doubts
        .iter()
        .filter_map(|d| d.damage)
        .chain(extra)
        .chain(parsed.iter().copied());
    for note in all {
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    notes
}

/// Reads the body of a message whose structure the parser could not
/// follow as plain text; true when a requested number occurs in it as a
/// whole token (addresses count in headers only, which were parsed).
fn recover(raw: &[u8], analysis: &mut Analysis, needles: &Needles) -> bool {
    let body_start = memmem::find(raw, b"\n\n")
        .map(|i| i + 2)
        .or_else(|| memmem::find(raw, b"\r\n\r\n").map(|i| i + 4))
        .unwrap_or(raw.len());
    let body = String::from_utf8_lossy(&raw[body_start..]);
    let tokens = token_list(needles);
    let matched: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| super::message::has_token(&body, t))
        .map(|(i, _)| i)
        .collect();
    if matched.is_empty() {
        return false;
    }
    analysis.matched_tokens = matched;
    if !analysis.text.is_empty() && !analysis.text.ends_with('\n') {
        analysis.text.push('\n');
    }
    analysis.text.push_str(&body);
    true
}

fn email_list(n: &Needles) -> Vec<String> {
    n.emails
        .iter()
        .map(|(l, d)| {
            format!(
                "{}@{}",
                String::from_utf8_lossy(l),
                String::from_utf8_lossy(d)
            )
        })
        .collect()
}

fn token_list(n: &Needles) -> Vec<String> {
    n.tokens
        .iter()
        .map(|t| String::from_utf8_lossy(t).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mboxrd_and_mboxo_unescape() {
        let m = b"Subject: x\n\n>From a\n>>From b\nFrom: c\n";
        assert_eq!(
            &*unescape(m, MboxFormat::Mboxrd),
            b"Subject: x\n\nFrom a\n>From b\nFrom: c\n"
        );
        assert_eq!(
            &*unescape(m, MboxFormat::Mboxo),
            b"Subject: x\n\nFrom a\n>>From b\nFrom: c\n"
        );
        assert!(matches!(
            unescape(b"a\nb", MboxFormat::Mboxrd),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn separators_are_found_at_line_starts() {
        let d = b"From a\nx\n\nFrom b\ny\n";
        assert_eq!(next_separator(d, 0), Some(0));
        assert_eq!(next_separator(d, 1), Some(10));
        assert_eq!(next_separator(d, 10), Some(10));
        assert_eq!(next_separator(d, 11), None);
    }
}
