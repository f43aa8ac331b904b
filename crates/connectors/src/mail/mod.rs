//! The `mail` connector kind: mail archives as mbox files (mboxrd or mboxo
//! `From ` escaping), Maildir folders and folders of `.eml` files.
//!
//! ```toml
//! [[connector]]
//! id = "mail"
//! kind = "mail"
//! label = "E-mailarchief klantenservice"
//! paths = ["fixtures/mail/*.mbox"]   # globs, relative to connectors.toml
//! # include_attachments = false
//! # mbox_format = "mboxrd"           # or "mboxo"
//! # threads = 2                      # default: every core
//!
//! [[connector.dataset]]
//! name = "Bericht"
//! key = "message_id"
//! match = { email = "adressen", klantnummer = "onderwerp_tekst", contractnummer = "onderwerp_tekst" }
//! ```
//!
//! Every path a glob matches is detected: a folder with `cur/` or `new/` is
//! a Maildir, another folder holds `.eml` files, a file `*.eml` is one
//! message, any other file is an mbox.
//!
//! **Matching.** A mail archive has no columns, so `match` names *what is
//! searched* rather than a column, and only these forms are accepted:
//! `email = "adressen"` (From, To, Cc, Bcc, Reply-To and Sender of the
//! message and of forwarded messages in it), and `klantnummer` /
//! `contractnummer` = `"onderwerp_tekst"` (a whole token of the decoded
//! subject or text body, forwarded messages included, attachments
//! excluded). See [`message`] for the exact rules and [`scan`] for the
//! prefilter that makes a search over gigabytes fast without missing a
//! match hidden in base64 or quoted-printable.
//!
//! **Records.** One record per matching message: key = Message-ID without
//! angle brackets (the location when there is none), location =
//! `file:byte offset` (mbox) or the file (Maildir, EML), `matched_on` = the
//! requested identifiers that matched, no owner, no yields. Fields, in this
//! order: [`FIELDS`].
//!
//! **Attachments.** Always listed in `bijlagen` (one line each: safe file
//! name, MIME type, size, sha256). Their bytes are never held in a record:
//! with `include_attachments = true`, the bundle writer fetches them on
//! demand with [`read_attachments`] (given the record's `location`) and
//! writes each under its safe file name; with `false` it must not.
//!
//! **Bad input.** A truncated message, a broken MIME boundary, invalid
//! UTF-8, a message without headers, a huge attachment or an empty mbox
//! never fail the source: a matching message carries its problems in the
//! `opmerking` field, and an unreadable message that mentions a requested
//! identifier becomes a review item with its file and byte offset.

mod archive;
pub mod index;
pub mod message;
pub mod scan;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use inzage_core::register::ColumnRef;
use inzage_core::{
    AttachedFile, CheckReport, Connector, DatasetSpec, FetchOutcome, FetchRequest, Field,
    Identifier, IdentifierKind, Record, ReviewItem, ReviewReason, SourceError, Value,
};
use serde::Deserialize;

pub use archive::{
    search, Found, Hit, MailLimits, MboxFormat, Problem, Search, Source, SourceIo, CHUNK,
};

/// The fields of a `Bericht` record, in order.
pub const FIELDS: [&str; 10] = [
    "message_id",
    "datum",
    "van",
    "aan",
    "cc",
    "onderwerp",
    "tekst",
    "bijlagen",
    "gevonden_via",
    "opmerking",
];

/// What `match` may name for each identifier kind.
const MATCH_TARGETS: [(IdentifierKind, &str); 4] = [
    (IdentifierKind::Email, "adressen"),
    (IdentifierKind::Email, ADDRESSES_AND_TEXT),
    (IdentifierKind::Klantnummer, "onderwerp_tekst"),
    (IdentifierKind::Contractnummer, "onderwerp_tekst"),
];

/// `email = "adressen_tekst"`: an address matches in the headers and also
/// where it is written in the decoded text (staff forwarding and discussing
/// a tenant's mail among themselves).
const ADDRESSES_AND_TEXT: &str = "adressen_tekst";

/// Configuration of a `mail` source.
#[derive(Clone, Debug, Deserialize)]
pub struct MailConfig {
    /// Connector id (names the source in bundles).
    pub id: String,
    /// Human label.
    pub label: String,
    /// Glob patterns, relative to connectors.toml; every match is an mbox
    /// file, a Maildir folder or a folder of (or one) `.eml` file(s).
    pub paths: Vec<String>,
    /// Whether attachment contents go into the bundle (default false: they
    /// are listed only). See [`read_attachments`].
    #[serde(default)]
    pub include_attachments: bool,
    /// How `>From ` lines in mbox files are unescaped (default `mboxrd`).
    #[serde(default)]
    pub mbox_format: MboxFormat,
    /// Worker threads (default: the number of cores).
    #[serde(default)]
    pub threads: Option<usize>,
    /// Timeout for one fetch, in seconds (engine default when absent).
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    /// The mail index (`inzage index`), an SQLite file, relative to
    /// connectors.toml. When set and fresh, a search looks only at the
    /// messages it names; otherwise the archive is scanned.
    #[serde(default)]
    pub index: Option<String>,
    /// Limits on one message (size, header lines, MIME depth).
    #[serde(flatten)]
    pub limits: MailLimits,
    /// The dataset (exactly one, `Bericht`).
    #[serde(default)]
    pub dataset: Vec<MailDataset>,
    /// The folder of connectors.toml: locations in records are shown
    /// relative to it, so a bundle names no server paths and does not depend
    /// on where the archive is mounted.
    #[serde(skip)]
    pub base: PathBuf,
}

/// The dataset of a `mail` source.
#[derive(Clone, Debug, Deserialize)]
pub struct MailDataset {
    /// Register information and matching.
    #[serde(flatten)]
    pub spec: DatasetSpec,
}

impl MailConfig {
    pub(crate) fn validate(&self) -> Vec<(Vec<String>, String, String)> {
        let mut problems = Vec::new();
        if self.paths.is_empty() {
            problems.push((
                vec!["paths".into()],
                "no `paths`".into(),
                "add `paths = [\"mail/*.mbox\"]` (globs, relative to connectors.toml)".into(),
            ));
        }
        for (i, p) in self.paths.iter().enumerate() {
            if let Err(e) = glob::Pattern::new(p) {
                problems.push((
                    vec!["paths".into(), i.to_string()],
                    format!("`{p}` is not a valid glob: {e}"),
                    "use `*`, `?`, `**` and `[...]` only".into(),
                ));
            }
        }
        if self.threads == Some(0) {
            problems.push((
                vec!["threads".into()],
                "threads = 0".into(),
                "leave it out to use every core, or give a number of threads".into(),
            ));
        }
        if self.dataset.len() != 1 {
            problems.push((
                vec![],
                format!(
                    "a mail source has exactly one dataset; found {}",
                    self.dataset.len()
                ),
                "add one [[connector.dataset]] named `Bericht`".into(),
            ));
        }
        for (i, d) in self.dataset.iter().enumerate() {
            let at = vec!["dataset".to_string(), i.to_string()];
            if d.spec.matches.is_empty() {
                problems.push((
                    at.clone(),
                    format!("dataset `{}` has no `match`", d.spec.name),
                    "add `match = { email = \"adressen\", klantnummer = \"onderwerp_tekst\", contractnummer = \"onderwerp_tekst\" }`".into(),
                ));
            }
            for (kind, cols) in &d.spec.matches {
                let ok = MATCH_TARGETS
                    .iter()
                    .any(|(k, t)| k == kind && matches!(cols, ColumnRef::One(c) if c == t));
                if !ok {
                    let mut path = at.clone();
                    path.extend(["match".to_string(), kind.to_string()]);
                    problems.push((
                        path,
                        format!("a mail source cannot be matched by {kind} = {:?}", cols.columns()),
                        "mail matches `email = \"adressen\"` (or `\"adressen_tekst\"`: also in the text), `klantnummer = \"onderwerp_tekst\"` and `contractnummer = \"onderwerp_tekst\"` only".into(),
                    ));
                }
            }
            if !d.spec.yields.is_empty() || d.spec.owner.is_some() {
                problems.push((
                    at.clone(),
                    "a mail source has no `yields` and no `owner`".into(),
                    "remove them: a message says nothing certain about whose it is".into(),
                ));
            }
            if let Some(key) = &d.spec.key {
                if key.columns() != ["message_id"] {
                    let mut path = at.clone();
                    path.push("key".into());
                    problems.push((
                        path,
                        "the key of a mail dataset is `message_id`".into(),
                        "write `key = \"message_id\"`".into(),
                    ));
                }
            }
            for field in FIELDS {
                if !d.spec.fields.contains_key(field) && !d.spec.exclude.iter().any(|e| e == field)
                {
                    let mut path = at.clone();
                    path.push("fields".into());
                    problems.push((
                        path,
                        format!("field `{field}` has no category"),
                        format!("add `{field} = \"<category>\"` to the dataset's fields, or to `exclude`"),
                    ));
                }
            }
            for field in d.spec.fields.keys() {
                if !FIELDS.contains(&field.as_str()) {
                    let mut path = at.clone();
                    path.extend(["fields".to_string(), field.clone()]);
                    problems.push((
                        path,
                        format!("a mail record has no field `{field}`"),
                        format!("the fields are: {}", FIELDS.join(", ")),
                    ));
                }
            }
        }
        problems
    }

    pub(crate) fn rebase(&mut self, base: &Path) {
        self.base = base.to_path_buf();
        if let Some(i) = &mut self.index {
            if !Path::new(i.as_str()).is_absolute() {
                *i = base.join(i.as_str()).to_string_lossy().into_owned();
            }
        }
        for p in &mut self.paths {
            if !Path::new(p.as_str()).is_absolute() {
                *p = base.join(p.as_str()).to_string_lossy().into_owned();
            }
        }
    }

    /// True with `email = "adressen_tekst"`: addresses count in the decoded
    /// text as well as in the headers.
    pub fn body_emails(&self) -> bool {
        self.dataset.first().is_some_and(|d| {
            matches!(
                d.spec.matches.get(&IdentifierKind::Email),
                Some(ColumnRef::One(c)) if c == ADDRESSES_AND_TEXT
            )
        })
    }

    /// The sources the globs name, sorted and without duplicates. A glob
    /// that matches nothing is an error (a missing archive is not "no mail").
    pub fn sources(&self) -> Result<Vec<Source>, SourceError> {
        let mut out: Vec<Source> = Vec::new();
        for pattern in &self.paths {
            let paths = glob::glob(pattern).map_err(|e| {
                SourceError::Config(format!("`{pattern}` is not a valid glob: {e}"))
            })?;
            let mut any = false;
            for p in paths {
                let p = p.map_err(|e| SourceError::Io {
                    path: e.path().to_path_buf(),
                    cause: std::io::Error::other(e.to_string()),
                })?;
                any = true;
                let s = Source::detect(&p);
                if !out.contains(&s) {
                    out.push(s);
                }
            }
            if !any {
                return Err(SourceError::Missing {
                    location: pattern.clone(),
                    what: "mail archive".into(),
                    present: "nothing matches this pattern".into(),
                });
            }
        }
        out.sort_by(|a, b| a.path().cmp(b.path()));
        Ok(out)
    }
}

/// A `mail` source.
pub struct MailConnector {
    config: MailConfig,
}

impl MailConnector {
    /// Builds the connector (paths already anchored by the config loader).
    pub fn new(config: MailConfig) -> MailConnector {
        MailConnector { config }
    }

    /// A location as records show it: relative to the folder of
    /// connectors.toml when the archive lies below it.
    fn shown(&self, location: &str) -> String {
        Path::new(location)
            .strip_prefix(&self.config.base)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_else(|_| location.to_string())
    }

    /// The location a record shows, back to a path that can be opened.
    fn opened(&self, location: &str) -> String {
        if Path::new(location).is_absolute() {
            location.to_string()
        } else {
            self.config
                .base
                .join(location)
                .to_string_lossy()
                .into_owned()
        }
    }

    fn threads(&self) -> usize {
        self.config.threads.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        })
    }

    /// Runs the search synchronously (what `fetch` does on a blocking thread).
    pub fn search_blocking(
        &self,
        request: &FetchRequest,
        cancel: Option<Arc<AtomicBool>>,
    ) -> Result<FetchOutcome, SourceError> {
        self.search_in(request, cancel, None)
    }

    /// The addresses (lowercase) and numbers (uppercase) a request asks
    /// this source for.
    fn needles(&self, request: &FetchRequest) -> (Vec<String>, Vec<String>) {
        let Some(dataset) = self.config.dataset.first() else {
            return Default::default();
        };
        let accepts = |k: IdentifierKind| dataset.spec.matches.contains_key(&k);
        let emails = request
            .identifiers
            .iter()
            .filter(|i| i.kind == IdentifierKind::Email && accepts(i.kind))
            .map(|i| i.value.to_lowercase())
            .collect();
        let tokens = request
            .identifiers
            .iter()
            .filter(|i| {
                matches!(
                    i.kind,
                    IdentifierKind::Klantnummer | IdentifierKind::Contractnummer
                ) && accepts(i.kind)
            })
            .filter_map(|i| dataset.spec.written(i))
            .map(|w| w.to_uppercase())
            .collect();
        (emails, tokens)
    }

    /// Searches the whole archive, or only `candidates` (what the mail
    /// index names), looking at each message the same way.
    pub fn search_in(
        &self,
        request: &FetchRequest,
        cancel: Option<Arc<AtomicBool>>,
        candidates: Option<&[(Source, Vec<u64>)]>,
    ) -> Result<FetchOutcome, SourceError> {
        let Some(dataset) = self.config.dataset.first() else {
            return Ok(FetchOutcome::default());
        };
        let accepts = |k: IdentifierKind| dataset.spec.matches.contains_key(&k);
        let emails: Vec<Identifier> = request
            .identifiers
            .iter()
            .filter(|i| i.kind == IdentifierKind::Email && accepts(i.kind))
            .cloned()
            .collect();
        let tokens: Vec<Identifier> = request
            .identifiers
            .iter()
            .filter(|i| {
                matches!(
                    i.kind,
                    IdentifierKind::Klantnummer | IdentifierKind::Contractnummer
                ) && accepts(i.kind)
            })
            .cloned()
            .collect();
        if emails.is_empty() && tokens.is_empty() {
            return Ok(FetchOutcome::default());
        }
        let email_values: Vec<String> = emails.iter().map(|i| i.value.to_lowercase()).collect();
        // Tokens are searched as the archive's dataset writes them.
        let tokens: Vec<(Identifier, String)> = tokens
            .into_iter()
            .filter_map(|i| dataset.spec.written(&i).map(|w| (i, w)))
            .collect();
        let token_values: Vec<String> = tokens.iter().map(|(_, w)| w.to_uppercase()).collect();
        let tokens: Vec<Identifier> = tokens.into_iter().map(|(i, _)| i).collect();
        let how = Search {
            emails: &email_values,
            tokens: &token_values,
            format: self.config.mbox_format,
            threads: self.threads(),
            cancel,
            chunk_bytes: CHUNK,
            limits: self.config.limits,
            body_emails: self.config.body_emails(),
        };
        let found = match candidates {
            Some(c) => archive::search_at(c, &how),
            None => search(&self.config.sources()?, &how),
        }
        .map_err(|e| SourceError::Io {
            path: e.path,
            cause: e.cause,
        })?;
        let mut outcome = FetchOutcome::default();
        let mut seen = std::collections::HashSet::new();
        for mut hit in found.hits {
            hit.location = self.shown(&hit.location);
            let a = &hit.analysis;
            let key = a.message_id.clone().unwrap_or_else(|| hit.location.clone());
            if !seen.insert(key.clone()) {
                continue; // the same message stored twice
            }
            let mut matched_on: Vec<Identifier> = a
                .matched_emails
                .iter()
                .map(|i| emails[*i].clone())
                .chain(a.matched_tokens.iter().map(|i| tokens[*i].clone()))
                .collect();
            matched_on.sort();
            matched_on.dedup();
            outcome.records.push(record(
                &self.config.id,
                &dataset.spec,
                &hit,
                key,
                matched_on,
                request,
            ));
        }
        for p in found.problems {
            let line = p.line.map(|l| format!(" (line {l})")).unwrap_or_default();
            // An unreadable message has no key of its own beyond where it
            // stands (with its Message-ID, when it has one).
            let location = format!("{}{line}", self.shown(&p.location));
            outcome.review.push(ReviewItem {
                source: self.config.id.clone(),
                dataset: dataset.spec.name.clone(),
                key: location.clone(),
                location,
                reason: ReviewReason::Unreadable { detail: p.reason },
                may_be_other_person: false,
            });
        }
        Ok(outcome)
    }
}

fn text_or_null(s: &str) -> Value {
    if s.trim().is_empty() {
        Value::Null
    } else {
        Value::Text(s.to_string())
    }
}

/// The notes of a message as a list the report words in its language;
/// null when there are none.
fn notes_or_null(notes: &[inzage_core::ReadingNote]) -> Value {
    if notes.is_empty() {
        Value::Null
    } else {
        Value::List(notes.iter().copied().map(Value::Note).collect())
    }
}

fn record(
    source: &str,
    spec: &DatasetSpec,
    hit: &Hit,
    key: String,
    matched_on: Vec<Identifier>,
    request: &FetchRequest,
) -> Record {
    let a = &hit.analysis;
    let bijlagen = a
        .attachments
        .iter()
        .map(|x| {
            format!(
                "{} ({}, {} bytes, sha256 {})",
                x.file_name, x.mime_type, x.size, x.sha256
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let via = matched_on
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let values = [
        text_or_null(a.message_id.as_deref().unwrap_or_default()),
        text_or_null(a.date.as_deref().unwrap_or_default()),
        text_or_null(&a.from),
        text_or_null(&a.to),
        text_or_null(&a.cc),
        text_or_null(&a.subject),
        text_or_null(&a.text),
        text_or_null(&bijlagen),
        text_or_null(&via),
        notes_or_null(&a.notes),
    ];
    let fields = FIELDS
        .iter()
        .zip(values)
        .filter(|(name, _)| !spec.exclude.iter().any(|e| e == *name))
        .map(|(name, value)| Field {
            name: name.to_string(),
            value,
        })
        .collect();
    Record {
        source: source.to_string(),
        dataset: spec.name.clone(),
        key,
        location: hit.location.clone(),
        matched_on,
        owner: None,
        fetched_at: request.fetched_at,
        fields,
        yields: Vec::new(),
    }
}

/// The attachments of the message at a record's `location`, with their
/// bytes: for the bundle writer when `include_attachments = true`. Each
/// comes with the description listed in `bijlagen` (safe file name, MIME
/// type, size, sha256), so the writer can check it and write the bytes as
/// `<safe file name>`. Reads the one message again; nothing is cached.
pub fn read_attachments(
    location: &str,
    format: MboxFormat,
) -> Result<Vec<(message::Attachment, Vec<u8>)>, SourceError> {
    use mail_parser::{MessageParser, MimeHeaders, PartType};
    use sha2::{Digest, Sha256};
    let (path, offset) = match location.rsplit_once(':') {
        Some((p, o)) if !o.is_empty() && o.bytes().all(|b| b.is_ascii_digit()) => {
            (PathBuf::from(p), o.parse::<usize>().ok())
        }
        _ => (PathBuf::from(location), None),
    };
    let io = |cause| SourceError::Io {
        path: path.clone(),
        cause,
    };
    let file = std::fs::File::open(&path).map_err(io)?;
    // SAFETY: the archive is mapped read-only and only read; an archive
    // truncated while it is read is outside what inzage supports (see scan).
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
    let bytes: &[u8] = &map;
    let raw: std::borrow::Cow<'_, [u8]> = match offset {
        None => bytes.into(),
        Some(off) => {
            let data = bytes.get(off..).unwrap_or_default();
            let start = memchr::memchr(b'\n', data).map_or(data.len(), |i| i + 1);
            let end =
                memchr::memmem::find(&data[start..], b"\nFrom ").map_or(data.len(), |i| start + i);
            archive::unescape(&data[start..end], format)
                .into_owned()
                .into()
        }
    };
    let Some(m) = MessageParser::new().parse(&raw[..]) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    fn walk(m: &mail_parser::Message<'_>, out: &mut Vec<(message::Attachment, Vec<u8>)>) {
        for part in m.attachments() {
            if let PartType::Message(inner) = &part.body {
                walk(inner, out);
                continue;
            }
            // Text rescued from a broken multipart is not an attachment: the
            // listing in `bijlagen` skips it too, so the numbering agrees.
            let rescued = matches!(part.body, PartType::Text(_))
                && part
                    .content_type()
                    .is_some_and(|ct| ct.ctype().eq_ignore_ascii_case("multipart"));
            if rescued {
                continue;
            }
            let contents = part.contents().to_vec();
            let mime_type = part
                .content_type()
                .map(|ct| match ct.subtype() {
                    Some(s) => format!("{}/{}", ct.ctype(), s),
                    None => ct.ctype().to_string(),
                })
                .unwrap_or_else(|| "text/plain".into())
                .to_ascii_lowercase();
            let n = out.len() + 1;
            out.push((
                message::Attachment {
                    file_name: message::safe_file_name(part.attachment_name(), n),
                    mime_type,
                    size: contents.len() as u64,
                    sha256: hex::encode(Sha256::digest(&contents)),
                },
                contents,
            ));
        }
    }
    walk(&m, &mut out);
    Ok(out)
}

/// Sets the flag when dropped: a fetch that the engine abandons (timeout)
/// stops its workers.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

#[async_trait]
impl Connector for MailConnector {
    fn id(&self) -> &str {
        &self.config.id
    }

    fn kind(&self) -> &'static str {
        "mail"
    }

    /// True: the whole archive is scanned on every fetch.
    fn scans_everything(&self) -> bool {
        true
    }

    fn label(&self) -> &str {
        &self.config.label
    }

    fn datasets(&self) -> Vec<&DatasetSpec> {
        self.config.dataset.iter().map(|d| &d.spec).collect()
    }

    async fn check(&self) -> Result<CheckReport, SourceError> {
        let config = self.config.clone();
        let report = tokio::task::spawn_blocking(move || {
            let sources = config.sources()?;
            let (mut mbox, mut files, mut bytes) = (0, 0usize, 0u64);
            for s in &sources {
                let io = |cause| SourceError::Io {
                    path: s.path().to_path_buf(),
                    cause,
                };
                match s {
                    Source::Mbox(p) => {
                        let mut head = [0u8; 5];
                        let mut f = std::fs::File::open(p).map_err(io)?;
                        let len = f.metadata().map_err(io)?.len();
                        use std::io::Read;
                        let n = f.read(&mut head).map_err(io)?;
                        if len > 0 && (n < 5 || &head != b"From ") {
                            return Err(SourceError::Malformed {
                                path: p.clone(),
                                line: 1,
                                message: "not an mbox: the file does not start with a `From ` line; point `paths` at mbox files, Maildir folders or .eml files".into(),
                            });
                        }
                        mbox += 1;
                        bytes += len;
                    }
                    other => {
                        let list = archive::message_files(other).map_err(|e| SourceError::Io {
                            path: e.path,
                            cause: e.cause,
                        })?;
                        if let Some(first) = list.first() {
                            std::fs::File::open(first).map_err(|cause| SourceError::Io {
                                path: first.clone(),
                                cause,
                            })?;
                        }
                        files += list.len();
                    }
                }
            }
            Ok(CheckReport {
                summary: format!(
                    "{} mbox file(s) ({:.1} MB), {files} message file(s) readable",
                    mbox,
                    bytes as f64 / 1e6
                ),
            })
        })
        .await
        .map_err(|e| SourceError::Other(format!("check task failed: {e}")))??;
        let mut report = report;
        if self.config.index.is_some() {
            let line = match index::freshness(&self.config).await {
                Ok(index::Freshness::Fresh { messages, .. }) => {
                    format!("mail index fresh ({messages} messages)")
                }
                Ok(index::Freshness::Stale(why)) => {
                    format!("mail index NOT fresh: {why}; exports scan the whole archive")
                }
                Err(e) => format!("mail index unreadable: {e}; exports scan the whole archive"),
            };
            report.summary = format!("{}; {line}", report.summary);
        }
        Ok(report)
    }

    async fn fetch(&self, request: &FetchRequest) -> Result<FetchOutcome, SourceError> {
        let (candidates, note) = match &self.config.index {
            None => (None, None),
            Some(_) => {
                let (emails, tokens) = self.needles(request);
                match index::lookup(&self.config, &emails, &tokens).await {
                    Ok(index::Lookup::Candidates(c)) => {
                        let n: usize = c.iter().map(|(_, o)| o.len().max(1)).sum();
                        let note = format!("mail index used: {n} candidate message(s) looked at");
                        (Some(c), Some(note))
                    }
                    Ok(index::Lookup::Stale(why)) => (
                        None,
                        Some(format!(
                            "mail index not used ({why}): the whole archive was scanned"
                        )),
                    ),
                    Err(e) => (
                        None,
                        Some(format!(
                            "mail index not used ({}): the whole archive was scanned",
                            inzage_core::connector::escape_controls(&e.to_string())
                        )),
                    ),
                }
            }
        };
        let connector = MailConnector::new(self.config.clone());
        let request = request.clone();
        let cancel = Arc::new(AtomicBool::new(false));
        let _guard = CancelOnDrop(cancel.clone());
        let mut outcome = tokio::task::spawn_blocking(move || {
            connector.search_in(&request, Some(cancel), candidates.as_deref())
        })
        .await
        .map_err(|e| SourceError::Other(format!("mail search failed: {e}")))??;
        outcome.notes.extend(note);
        Ok(outcome)
    }

    /// With `include_attachments = true`: the attachments of a message,
    /// read again from the archive, under their safe file names.
    async fn attachments(&self, record: &Record) -> Result<Vec<AttachedFile>, SourceError> {
        if !self.config.include_attachments || record.source != self.config.id {
            return Ok(Vec::new());
        }
        let location = self.opened(&record.location);
        let format = self.config.mbox_format;
        let found = tokio::task::spawn_blocking(move || read_attachments(&location, format))
            .await
            .map_err(|e| SourceError::Other(format!("reading attachments failed: {e}")))??;
        Ok(found
            .into_iter()
            .map(|(a, bytes)| AttachedFile {
                file_name: a.file_name,
                bytes,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests;
