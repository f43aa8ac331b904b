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

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use inzage_core::{
    CheckReport, Connector, DatasetSpec, FetchOutcome, FetchRequest, SourceError, Value,
};
use serde::Deserialize;

pub use sniff::Encoding;
use sniff::{decode, sniff_delimiter, sniff_encoding};

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
    /// The datasets read from this source.
    #[serde(default)]
    pub dataset: Vec<CsvDataset>,
}

fn yes() -> bool {
    true
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

/// An open CSV file: its settings and header.
struct CsvFile {
    path: PathBuf,
    encoding: Encoding,
    reader: csv::Reader<BufReader<File>>,
    headers: Vec<String>,
}

impl CsvFile {
    fn open(config: &CsvConfig, path: &Path) -> Result<CsvFile, SourceError> {
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
        let delimiter = config
            .delimiter
            .map(|c| c as u8)
            .unwrap_or_else(|| sniff_delimiter(&head));
        let file = File::open(path).map_err(io)?;
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(false)
            // Records end at LF only, so that line numbers count physical
            // lines; the CR of a CRLF ending is removed from the last field.
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(BufReader::with_capacity(256 * 1024, file));
        let mut csv_file = CsvFile {
            path: path.to_path_buf(),
            encoding,
            reader,
            headers: config.columns.clone(),
        };
        if config.has_header {
            let mut record = csv::ByteRecord::new();
            let found = csv_file
                .reader
                .read_byte_record(&mut record)
                .map_err(|e| csv_error(path, e))?;
            if !found {
                return Err(SourceError::Malformed {
                    path: path.to_path_buf(),
                    line: 1,
                    message: "the file is empty: no header line".into(),
                });
            }
            csv_file.headers = csv_file
                .decode_row(&record, 1)?
                .into_iter()
                .map(|v| v.as_text().unwrap_or_default().trim().to_string())
                .collect();
        }
        Ok(csv_file)
    }

    fn decode_row(&self, record: &csv::ByteRecord, line: u64) -> Result<Vec<Value>, SourceError> {
        let last = record.len().saturating_sub(1);
        record
            .iter()
            .enumerate()
            .map(|(i, field)| if i == last { field.strip_suffix(b"\r").unwrap_or(field) } else { field })
            .map(|field| {
                decode(field, self.encoding)
                    .map(|t| if t.is_empty() { Value::Null } else { Value::Text(t) })
                    .map_err(|_| SourceError::Malformed {
                        path: self.path.clone(),
                        line,
                        message: "invalid UTF-8; if the export comes from Excel, set `encoding = \"windows-1252\"` for this connector".into(),
                    })
            })
            .collect()
    }

    /// Calls `row` for every data row with its values and line number.
    fn for_each_row(&mut self, mut row: impl FnMut(&[Value], u64)) -> Result<u64, SourceError> {
        let mut record = csv::ByteRecord::new();
        let mut count = 0;
        loop {
            match self.reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let line = record.position().map(|p| p.line()).unwrap_or(0);
                    if record.len() == 1
                        && record.get(0).is_some_and(|f| f.is_empty() || f == b"\r")
                    {
                        continue;
                    }
                    if record.len() != self.headers.len() {
                        return Err(unequal(&self.path, line, record.len(), self.headers.len()));
                    }
                    let values = self.decode_row(&record, line)?;
                    row(&values, line);
                    count += 1;
                }
                Err(e) => return Err(csv_error(&self.path, e)),
            }
        }
        Ok(count)
    }
}

fn unequal(path: &Path, line: u64, found: usize, expected: usize) -> SourceError {
    SourceError::Malformed {
        path: path.to_path_buf(),
        line,
        message: format!(
            "row has {found} fields where the header has {expected}; a delimiter or line break inside a value must be quoted: fix the row or the export"
        ),
    }
}

fn csv_error(path: &Path, err: csv::Error) -> SourceError {
    let line = err.position().map(|p| p.line()).unwrap_or(0);
    match err.into_kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => unequal(path, line, len as usize, expected_len as usize),
        csv::ErrorKind::Io(cause) => SourceError::Io {
            path: path.to_path_buf(),
            cause,
        },
        other => SourceError::Malformed {
            path: path.to_path_buf(),
            line,
            message: format!("{other:?}"),
        },
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
        tokio::task::spawn_blocking(move || {
            let mut rows = 0;
            for (dataset, path) in config.dataset.iter().zip(&paths) {
                let mut file = CsvFile::open(&config, path)?;
                let location = path.display().to_string();
                let matcher =
                    TableMatcher::new(&config.id, &dataset.spec, &file.headers, &location)?;
                matcher.require_declared(&location)?;
                rows += file.for_each_row(|_, _| {})?;
            }
            Ok(CheckReport {
                summary: format!("{} dataset(s), {rows} rows readable", config.dataset.len()),
            })
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
                let mut file = CsvFile::open(&config, path)?;
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
                file.for_each_row(|values, line| {
                    match matcher.evaluate(values, &format!("{name}:{line}"), &request) {
                        RowOutcome::Match(record) => outcome.records.push(*record),
                        RowOutcome::Review(item) => outcome.review.push(item),
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
            Some(&Value::Text("eerste\r\ntweede".into()))
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
        let err = CsvConnector::new(config)
            .check()
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("kapot.csv:3") && err.contains("windows-1252"),
            "{err}"
        );
    }
}
