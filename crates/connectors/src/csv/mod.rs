//! The `csv` connector kind: delimited text exports, such as the regional
//! registry's signalering export that Dutch Excel writes (`;`, Windows-1252).
//!
//! ```toml
//! [[connector]]
//! id = "signalering"
//! kind = "csv"
//! label = "Signaleringsmodule regio Utrecht"
//! path = "fixtures/signalering/signaleringen.csv"
//! # delimiter = ";"            # sniffed from the header when absent
//! # encoding = "windows-1252"  # sniffed (BOM / valid UTF-8 / else Windows-1252)
//! ```

mod sniff;

use std::cell::Cell;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use async_trait::async_trait;
use inzage_core::{
    CheckReport, Connector, DatasetSpec, FetchOutcome, FetchRequest, HeldRecord, ReviewItem,
    ReviewReason, SourceError, Value,
};
use serde::Deserialize;

pub use sniff::Encoding;
use sniff::{bom_len, decode, sniff_delimiter, sniff_encoding};

use crate::limits::{exceeded, excerpt, Cancel};
use crate::tabular::{RowOutcome, TableMatcher};

/// Configuration of a `csv` source.
#[derive(Clone, Debug, Deserialize)]
pub struct CsvConfig {
    /// Connector id (names the source in bundles).
    pub id: String,
    /// Human label.
    pub label: String,
    /// The file, relative to connectors.toml; datasets may override it.
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// Field delimiter (one character); sniffed from the header when absent.
    #[serde(default)]
    pub delimiter: Option<char>,
    /// Text encoding; sniffed when absent.
    #[serde(default)]
    pub encoding: Option<Encoding>,
    /// Whether the first line holds the column names (default true).
    #[serde(default = "yes")]
    pub has_header: bool,
    /// Column names when the file has no header line.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Timeout for one fetch, in seconds (engine default when absent).
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    /// Largest row in bytes: one line, or the lines of a quoted value, so
    /// also the largest field (default 1 MiB).
    #[serde(default = "default_max_record_bytes")]
    pub max_record_bytes: u64,
    /// Largest number of rows read from one file (default 10,000,000).
    #[serde(default = "default_max_rows")]
    pub max_rows: u64,
    /// Largest file that is transcoded in memory (UTF-16 files; default 512 MiB).
    #[serde(default = "default_max_file_bytes")]
    pub max_file_bytes: u64,
    /// The datasets read from this source.
    #[serde(default)]
    pub dataset: Vec<CsvDataset>,
}

fn yes() -> bool {
    true
}
fn default_max_record_bytes() -> u64 {
    1 << 20
}
fn default_max_rows() -> u64 {
    10_000_000
}
fn default_max_file_bytes() -> u64 {
    512 << 20
}

/// One dataset of a `csv` source.
#[derive(Clone, Debug, Deserialize)]
pub struct CsvDataset {
    /// The file for this dataset, when it is not the connector's `path`.
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// Register information and matching.
    #[serde(flatten)]
    pub spec: DatasetSpec,
}

impl CsvConfig {
    pub(crate) fn validate(&self) -> Vec<(Vec<String>, String, String)> {
        let mut problems = Vec::new();
        for (i, d) in self.dataset.iter().enumerate() {
            if d.path.is_none() && self.path.is_none() {
                problems.push((
                    vec!["dataset".into(), i.to_string()],
                    format!("dataset `{}` has no file", d.spec.name),
                    "set `path` on the connector or on the dataset".into(),
                ));
            }
        }
        if let Some(d) = self.delimiter {
            if !d.is_ascii() {
                problems.push((
                    vec!["delimiter".into()],
                    format!("delimiter `{d}` is not a single ASCII character"),
                    "use for example \";\" or \",\"".into(),
                ));
            }
        }
        if !self.has_header && self.columns.is_empty() {
            problems.push((
                vec!["has_header".into()],
                "has_header = false but no `columns` are named".into(),
                "add `columns = [\"...\", ...]` in file order".into(),
            ));
        }
        problems
    }

    pub(crate) fn rebase(&mut self, base: &Path) {
        if let Some(p) = &mut self.path {
            *p = base.join(&*p);
        }
        for d in &mut self.dataset {
            if let Some(p) = &mut d.path {
                *p = base.join(&*p);
            }
        }
    }
}

/// A `csv` source.
pub struct CsvConnector {
    config: CsvConfig,
}

impl CsvConnector {
    /// Builds the connector (paths already anchored by the config loader).
    pub fn new(config: CsvConfig) -> CsvConnector {
        CsvConnector { config }
    }

    fn path_of<'a>(&'a self, dataset: &'a CsvDataset) -> &'a Path {
        dataset
            .path
            .as_deref()
            .or(self.config.path.as_deref())
            .unwrap_or(Path::new(""))
    }
}

/// Why the metered reader stopped the parser.
#[derive(Debug)]
enum Stop {
    /// More than `max_record_bytes` since the last row ended.
    RecordTooLong,
    /// The fetch was given up.
    Cancelled,
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stop::RecordTooLong => "row too long",
            Stop::Cancelled => "cancelled",
        })
    }
}

impl std::error::Error for Stop {}

/// Counts what the parser reads and stops it once one row grows past the
/// limit (an unterminated quote would otherwise swallow the whole file) or
/// the fetch was given up.
struct Metered {
    inner: Box<dyn Read>,
    read: u64,
    /// Bytes read when the last row ended.
    mark: Rc<Cell<u64>>,
    max_record: u64,
    cancel: Cancel,
}

/// The parser's own buffer and ours: how far reading may run ahead of the
/// row being parsed.
const READ_AHEAD: u64 = 64 * 1024 + 8 * 1024;

impl Read for Metered {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.cancel.is_cancelled() {
            return Err(std::io::Error::other(Stop::Cancelled));
        }
        if self.read.saturating_sub(self.mark.get()) > self.max_record + READ_AHEAD {
            return Err(std::io::Error::other(Stop::RecordTooLong));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// An open CSV file: its settings and header.
struct CsvFile {
    path: PathBuf,
    encoding: Encoding,
    reader: csv::Reader<Metered>,
    mark: Rc<Cell<u64>>,
    headers: Vec<String>,
    max_record: u64,
    max_rows: u64,
    cancel: Cancel,
    /// Line where the row being read starts.
    line: u64,
}

/// A row and what is wrong with it (bad bytes replaced).
struct Row {
    values: Vec<Value>,
    line: u64,
    damage: Option<String>,
}

impl CsvFile {
    fn open(config: &CsvConfig, path: &Path, cancel: &Cancel) -> Result<CsvFile, SourceError> {
        let io = |cause| SourceError::Io {
            path: path.to_path_buf(),
            cause,
        };
        let mut head = Vec::with_capacity(64 * 1024);
        File::open(path)
            .map_err(io)?
            .take(64 * 1024)
            .read_to_end(&mut head)
            .map_err(io)?;
        let encoding = config.encoding.unwrap_or_else(|| sniff_encoding(&head));
        let file = File::open(path).map_err(io)?;
        let (input, head): (Box<dyn Read>, Vec<u8>) = match encoding {
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let size = file.metadata().map_err(io)?.len();
                if size > config.max_file_bytes {
                    return Err(exceeded(
                        &path.display().to_string(),
                        &format!(
                            "the UTF-16 file has {size} bytes, which are transcoded in memory"
                        ),
                        "max_file_bytes",
                        config.max_file_bytes,
                    ));
                }
                let mut bytes = Vec::new();
                file.take(config.max_file_bytes)
                    .read_to_end(&mut bytes)
                    .map_err(io)?;
                let skip = bom_len(&bytes, encoding);
                let codec = if encoding == Encoding::Utf16Le {
                    encoding_rs::UTF_16LE
                } else {
                    encoding_rs::UTF_16BE
                };
                let (text, had_errors) = codec.decode_without_bom_handling(&bytes[skip..]);
                if had_errors {
                    let at = first_bad_utf16(&bytes[skip..], encoding) + skip;
                    return Err(SourceError::Other(format!(
                        "{}: byte offset {at}: invalid {} (an unpaired surrogate or an odd number of bytes); export the file again, as UTF-8 if possible",
                        path.display(),
                        encoding.name()
                    )));
                }
                let utf8 = text.into_owned().into_bytes();
                let head = utf8[..utf8.len().min(64 * 1024)].to_vec();
                (Box::new(std::io::Cursor::new(utf8)), head)
            }
            _ => (Box::new(BufReader::with_capacity(64 * 1024, file)), head),
        };
        let delimiter = config
            .delimiter
            .map(|c| c as u8)
            .unwrap_or_else(|| sniff_delimiter(&head));
        let mark = Rc::new(Cell::new(0));
        let metered = Metered {
            inner: input,
            read: 0,
            mark: mark.clone(),
            max_record: config.max_record_bytes,
            cancel: cancel.clone(),
        };
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            // Records end at LF only, so that line numbers count physical
            // lines; the CR of a CRLF ending is removed from the last field.
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(metered);
        let mut csv_file = CsvFile {
            path: path.to_path_buf(),
            encoding,
            reader,
            mark,
            headers: config.columns.clone(),
            max_record: config.max_record_bytes,
            max_rows: config.max_rows,
            cancel: cancel.clone(),
            line: 1,
        };
        if config.has_header {
            let mut record = csv::ByteRecord::new();
            let found = csv_file.read(&mut record)?;
            if !found {
                return Err(SourceError::Malformed {
                    path: path.to_path_buf(),
                    line: 1,
                    message: "the file is empty: no header line".into(),
                });
            }
            let (values, damage) = csv_file.decode_row(&record, 1);
            if let Some(damage) = damage {
                return Err(SourceError::Malformed {
                    path: path.to_path_buf(),
                    line: 1,
                    message: format!("the header line: {damage}"),
                });
            }
            csv_file.headers = values
                .into_iter()
                .map(|v| v.as_text().unwrap_or_default().trim().to_string())
                .collect();
            duplicate_columns(path, &csv_file.headers)?;
        }
        Ok(csv_file)
    }

    /// Reads one record within the limits; the place and cause on error.
    fn read(&mut self, record: &mut csv::ByteRecord) -> Result<bool, SourceError> {
        self.line = self.reader.position().line();
        let found = self
            .reader
            .read_byte_record(record)
            .map_err(|e| self.csv_error(e))?;
        self.mark.set(self.reader.position().byte());
        if found && record.as_slice().len() as u64 > self.max_record {
            return Err(self.too_long());
        }
        Ok(found)
    }

    fn too_long(&self) -> SourceError {
        exceeded(
            &format!("{}:{}", self.path.display(), self.line),
            "a row is longer than allowed (a quote that is never closed makes the rest of the file one value)",
            "max_record_bytes",
            self.max_record,
        )
    }

    fn csv_error(&self, err: csv::Error) -> SourceError {
        let line = err.position().map(|p| p.line()).unwrap_or(self.line);
        match err.into_kind() {
            csv::ErrorKind::Io(cause) => {
                match cause.get_ref().and_then(|e| e.downcast_ref::<Stop>()) {
                    Some(Stop::RecordTooLong) => self.too_long(),
                    Some(Stop::Cancelled) => self
                        .cancel
                        .check(&format!("{}:{}", self.path.display(), self.line))
                        .err()
                        .unwrap_or_else(|| SourceError::Other("cancelled".into())),
                    None => SourceError::Io {
                        path: self.path.clone(),
                        cause,
                    },
                }
            }
            other => SourceError::Malformed {
                path: self.path.clone(),
                line,
                message: excerpt(&format!("{other:?}"), 200),
            },
        }
    }

    /// Decodes a row; bad bytes are replaced by U+FFFD and described, with
    /// the column and the byte offset in the file.
    fn decode_row(&self, record: &csv::ByteRecord, line: u64) -> (Vec<Value>, Option<String>) {
        let last = record.len().saturating_sub(1);
        let start = record.position().map(|p| p.byte()).unwrap_or(0);
        let mut damage = Vec::new();
        let values = record
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let field = if i == last {
                    field.strip_suffix(b"\r").unwrap_or(field)
                } else {
                    field
                };
                let text = match decode(field, self.encoding) {
                    Ok(t) => t,
                    Err(e) => {
                        let column = self
                            .headers
                            .get(i)
                            .map(|h| format!("column `{}`", excerpt(h, 40)))
                            .unwrap_or_else(|| format!("field {}", i + 1));
                        let offset = record.range(i).map(|r| r.start + i).unwrap_or(0)
                            + e.valid_up_to();
                        damage.push(format!(
                            "{column}: invalid {} at about byte offset {} of the file (row starts at byte {start}); the bad bytes are replaced by U+FFFD",
                            self.encoding.name(),
                            start as usize + offset
                        ));
                        String::from_utf8_lossy(field).into_owned()
                    }
                };
                if text.is_empty() {
                    Value::Null
                } else {
                    Value::Text(inzage_core::record::unix_line_breaks(&text).into_owned())
                }
            })
            .collect();
        let damage = (!damage.is_empty()).then(|| {
            format!(
                "line {line}: {}; if the export comes from Excel, it may be Windows-1252: set `encoding = \"windows-1252\"` for this connector",
                damage.join("; ")
            )
        });
        (values, damage)
    }

    /// Calls `row` for every data row; returns the number of rows.
    fn for_each_row(&mut self, mut row: impl FnMut(Row)) -> Result<u64, SourceError> {
        let mut record = csv::ByteRecord::new();
        let mut count = 0;
        while self.read(&mut record)? {
            let line = record.position().map(|p| p.line()).unwrap_or(self.line);
            if record.len() == 1 && record.get(0).is_some_and(|f| f.is_empty() || f == b"\r") {
                continue;
            }
            if record.len() != self.headers.len() {
                return Err(unequal(&self.path, line, &record, self.headers.len()));
            }
            count += 1;
            if count > self.max_rows {
                return Err(exceeded(
                    &format!("{}:{line}", self.path.display()),
                    &format!("the file has more than {} rows", self.max_rows),
                    "max_rows",
                    self.max_rows,
                ));
            }
            let (values, damage) = self.decode_row(&record, line);
            row(Row {
                values,
                line,
                damage,
            });
        }
        Ok(count)
    }
}

/// The offset of the first bad code unit of UTF-16 text.
fn first_bad_utf16(bytes: &[u8], encoding: Encoding) -> usize {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| match (encoding, c) {
            (Encoding::Utf16Le, [a, b]) => u16::from_le_bytes([*a, *b]),
            (_, [a, b]) => u16::from_be_bytes([*a, *b]),
            _ => 0xDC00,
        })
        .collect();
    let mut at = 0;
    for r in char::decode_utf16(units.iter().copied()) {
        match r {
            Ok(c) => at += c.len_utf16() * 2,
            Err(_) => return at,
        }
    }
    at
}

/// A header that names a column twice cannot say which one a dataset means.
fn duplicate_columns(path: &Path, headers: &[String]) -> Result<(), SourceError> {
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            continue;
        }
        if let Some(j) = headers[..i].iter().position(|x| x == h) {
            return Err(SourceError::Malformed {
                path: path.to_path_buf(),
                line: 1,
                message: format!(
                    "duplicate column `{}` in the header (columns {} and {}); rename one of them in the export",
                    excerpt(h, 40),
                    j + 1,
                    i + 1
                ),
            });
        }
    }
    Ok(())
}

fn unequal(path: &Path, line: u64, record: &csv::ByteRecord, expected: usize) -> SourceError {
    let found = record.len();
    // A quoted value that runs over many lines and leaves the field count
    // wrong is a quote that was never closed.
    let spans = record.iter().position(|f| f.contains(&b'\n'));
    let message = match spans {
        Some(i) => {
            let lines = record.iter().map(|f| memchr::memchr_iter(b'\n', f).count()).sum::<usize>();
            format!(
                "unterminated quote: the quoted value in field {} that starts on line {line} runs over {lines} line break(s), leaving {found} fields where the header has {expected}; close the quote (a quote inside a value is written as \"\") in the export",
                i + 1
            )
        }
        None => format!(
            "row has {found} fields where the header has {expected}; a delimiter or line break inside a value must be quoted: fix the row or the export"
        ),
    };
    SourceError::Malformed {
        path: path.to_path_buf(),
        line,
        message,
    }
}

#[async_trait]
impl Connector for CsvConnector {
    fn id(&self) -> &str {
        &self.config.id
    }

    fn kind(&self) -> &'static str {
        "csv"
    }

    /// True: a CSV export is read whole on every fetch.
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
        let paths: Vec<PathBuf> = config
            .dataset
            .iter()
            .map(|d| self.path_of(d).to_path_buf())
            .collect();
        let (cancel, _guard) = Cancel::new();
        tokio::task::spawn_blocking(move || {
            let mut rows = 0;
            let mut damaged = Vec::new();
            for (dataset, path) in config.dataset.iter().zip(&paths) {
                let mut file = CsvFile::open(&config, path, &cancel)?;
                let location = path.display().to_string();
                let matcher =
                    TableMatcher::new(&config.id, &dataset.spec, &file.headers, &location)?;
                matcher.require_declared(&location)?;
                rows += file.for_each_row(|row| {
                    if let Some(d) = row.damage {
                        damaged.push(format!("{location}: {d}"));
                    }
                })?;
            }
            let mut summary = format!("{} dataset(s), {rows} rows readable", config.dataset.len());
            if let Some(first) = damaged.first() {
                summary.push_str(&format!(
                    "; {} row(s) with invalid bytes, kept with U+FFFD and flagged for review (first: {first})",
                    damaged.len()
                ));
            }
            Ok(CheckReport { summary })
        })
        .await
        .map_err(|e| SourceError::Other(format!("check task failed: {e}")))?
    }

    async fn fetch(&self, request: &FetchRequest) -> Result<FetchOutcome, SourceError> {
        let config = self.config.clone();
        let paths: Vec<PathBuf> = config
            .dataset
            .iter()
            .map(|d| self.path_of(d).to_path_buf())
            .collect();
        let request = request.clone();
        let (cancel, _guard) = Cancel::new();
        tokio::task::spawn_blocking(move || {
            let mut outcome = FetchOutcome::default();
            for (dataset, path) in config.dataset.iter().zip(&paths) {
                if !dataset
                    .spec
                    .matches
                    .keys()
                    .any(|k| request.identifiers.iter().any(|i| i.kind == *k))
                {
                    continue;
                }
                let mut file = CsvFile::open(&config, path, &cancel)?;
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let headers = file.headers.clone();
                let matcher = TableMatcher::new(
                    &config.id,
                    &dataset.spec,
                    &headers,
                    &path.display().to_string(),
                )?;
                file.for_each_row(|row| {
                    let location = format!("{name}:{}", row.line);
                    match matcher.evaluate_at(&row.values, &location, Some(row.line), &request) {
                        RowOutcome::Match(record) => {
                            // A damaged row is kept, and flagged for staff.
                            if let Some(damage) = &row.damage {
                                tracing::warn!(source = %config.id, %location, "row kept with invalid bytes replaced");
                                outcome.review.push(ReviewItem {
                                    source: config.id.clone(),
                                    dataset: dataset.spec.name.clone(),
                                    key: record.key.clone(),
                                    location: location.clone(),
                                    reason: ReviewReason::DamagedText { detail: damage.clone() },
                                    may_be_other_person: false,
                                });
                            }
                            outcome.records.push(*record)
                        }
                        RowOutcome::Held(record) => outcome.held.push(HeldRecord {
                            record: *record,
                            reason: ReviewReason::PartialPersonMatch,
                        }),
                        RowOutcome::NoMatch => {}
                    }
                })?;
            }
            Ok(outcome)
        })
        .await
        .map_err(|e| SourceError::Other(format!("fetch task failed: {e}")))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use inzage_core::{Identifier, IdentifierKind};

    fn connector(path: &Path) -> CsvConnector {
        let toml_text = format!(
            "id = \"s\"\nlabel = \"S\"\npath = \"{}\"\n[[dataset]]\nname = \"D\"\nkey = \"Nr\"\nmatch = {{ klantnummer = \"Klant\" }}\n[dataset.fields]\nNr = \"x\"\nKlant = {{ category = \"x\", type = \"text\" }}\nNaam = \"x\"\nNotitie = \"x\"\n",
            path.display()
        );
        CsvConnector::new(toml::from_str(&toml_text).unwrap())
    }

    #[tokio::test]
    async fn dutch_excel_csv_is_sniffed_and_read_with_physical_line_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.csv");
        // Windows-1252 (ë = 0xEB), ';', CRLF, a quoted value over two lines.
        let bytes: Vec<u8> = b"Nr;Klant;Naam;Notitie\r\n1;001234;Zo\xEB;\"eerste\r\ntweede\"\r\n2;009999;Ander;\r\n3;001234;Zo\xEB;\"a;b\"\r\n".to_vec();
        std::fs::write(&path, bytes).unwrap();
        let csv = connector(&path);
        let request = FetchRequest {
            identifiers: vec![Identifier::new(IdentifierKind::Klantnummer, "001234").unwrap()],
            fetched_at: Utc::now(),
        };
        let found = csv.fetch(&request).await.unwrap();
        let keys: Vec<&str> = found.records.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["1", "3"]);
        assert_eq!(
            found.records[0].get("Naam"),
            Some(&Value::Text("Zoë".into()))
        );
        assert_eq!(
            found.records[0].get("Notitie"),
            Some(&Value::Text("eerste\ntweede".into()))
        );
        assert_eq!(
            found.records[1].get("Notitie"),
            Some(&Value::Text("a;b".into()))
        );
        assert_eq!(found.records[0].location, "export.csv:2");
        assert_eq!(found.records[1].location, "export.csv:5");
        assert!(csv.check().await.is_ok());
    }

    #[tokio::test]
    async fn an_empty_file_and_invalid_utf8_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("leeg.csv");
        std::fs::write(&empty, b"").unwrap();
        let err = connector(&empty).check().await.unwrap_err().to_string();
        assert!(err.contains("leeg.csv:1") && err.contains("empty"), "{err}");
        let bad = dir.path().join("kapot.csv");
        std::fs::write(
            &bad,
            "Nr;Klant;Naam;Notitie\n1;001234;a;b\n"
                .as_bytes()
                .iter()
                .chain(b"2;001234;\xff\xfe;x\n")
                .copied()
                .collect::<Vec<u8>>(),
        )
        .unwrap();
        let mut config: CsvConfig = toml::from_str(&format!(
            "id = \"s\"\nlabel = \"S\"\npath = \"{}\"\nencoding = \"utf-8\"\n[[dataset]]\nname = \"D\"\nmatch = {{ klantnummer = \"Klant\" }}\nfields = {{ Nr = \"x\", Klant = \"x\", Naam = \"x\", Notitie = \"x\" }}\n",
            bad.display()
        ))
        .unwrap();
        config.has_header = true;
        let connector = CsvConnector::new(config);
        let summary = connector.check().await.unwrap().summary;
        assert!(
            summary.contains("kapot.csv: line 3:")
                && summary.contains("column `Naam`")
                && summary.contains("byte offset 44 ")
                && summary.contains("windows-1252"),
            "{summary}"
        );
        // The damaged row is kept, with the bad bytes replaced, and flagged.
        let request = FetchRequest {
            identifiers: vec![Identifier::new(IdentifierKind::Klantnummer, "001234").unwrap()],
            fetched_at: Utc::now(),
        };
        let found = connector.fetch(&request).await.unwrap();
        assert_eq!(found.records.len(), 2);
        assert_eq!(
            found.records[1].get("Naam"),
            Some(&Value::Text("\u{FFFD}\u{FFFD}".into()))
        );
        assert_eq!(found.review.len(), 1);
        assert_eq!(found.review[0].location, "kapot.csv:3");
    }
}
