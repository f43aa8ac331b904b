//! The `xlsx` connector kind: spreadsheet exports, such as the KWH
//! customer-satisfaction survey, read with calamine.
//!
//! Dates come out as dates (not serial numbers) and text cells stay text, so
//! klantnummer `001234` stays `001234`.
//!
//! ```toml
//! [[connector]]
//! id = "kwh"
//! kind = "xlsx"
//! label = "KWH klanttevredenheidsonderzoek"
//! path = "fixtures/kwh/kwh-export.xlsx"
//!
//! [[connector.dataset]]
//! name = "Enquete"
//! sheet = "Antwoorden"
//! header_row = 3       # 1-based row that holds the column names
//! ```

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use calamine::{Data, Reader, Xlsx, XlsxError};
use inzage_core::{
    CheckReport, Connector, DatasetSpec, FetchOutcome, FetchRequest, HeldRecord, ReviewReason,
    SourceError, Value,
};
use serde::Deserialize;

use crate::limits::{drain_bounded, exceeded, excerpt, Cancel, DrainError};
use crate::tabular::{RowOutcome, TableMatcher};

/// Configuration of an `xlsx` source.
#[derive(Clone, Debug, Deserialize)]
pub struct XlsxConfig {
    /// Connector id.
    pub id: String,
    /// Human label.
    pub label: String,
    /// The workbook, relative to connectors.toml.
    pub path: PathBuf,
    /// Timeout for one fetch, in seconds (engine default when absent).
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    /// Limits on what reading the workbook may inflate and allocate.
    #[serde(flatten)]
    pub limits: XlsxLimits,
    /// The datasets (one per sheet, usually).
    #[serde(default)]
    pub dataset: Vec<XlsxDataset>,
}

/// Limits on reading one workbook, checked before (the sizes the zip
/// declares) and while reading (what actually comes out).
#[derive(Clone, Debug, Deserialize)]
pub struct XlsxLimits {
    /// Largest total uncompressed size of the workbook's parts, declared
    /// and actual (default 256 MiB).
    #[serde(default = "default_max_uncompressed")]
    pub max_uncompressed_bytes: u64,
    /// Largest ratio of uncompressed to compressed size of one part larger
    /// than 1 MiB (default 250; real workbooks stay well below 100).
    #[serde(default = "default_max_ratio")]
    pub max_compression_ratio: u64,
    /// Largest number of parts in the zip (default 10,000).
    #[serde(default = "default_max_entries")]
    pub max_zip_entries: u64,
    /// Largest number of rows read from one sheet (default 1,048,576, Excel's own).
    #[serde(default = "default_max_rows")]
    pub max_rows: u64,
    /// Largest number of cells held for one sheet, counting the empty
    /// cells left of a filled one (default 5,000,000).
    #[serde(default = "default_max_cells")]
    pub max_cells: u64,
}

impl Default for XlsxLimits {
    fn default() -> XlsxLimits {
        XlsxLimits {
            max_uncompressed_bytes: default_max_uncompressed(),
            max_compression_ratio: default_max_ratio(),
            max_zip_entries: default_max_entries(),
            max_rows: default_max_rows(),
            max_cells: default_max_cells(),
        }
    }
}

fn default_max_uncompressed() -> u64 {
    256 << 20
}
fn default_max_ratio() -> u64 {
    250
}
fn default_max_entries() -> u64 {
    10_000
}
fn default_max_rows() -> u64 {
    1_048_576
}
fn default_max_cells() -> u64 {
    5_000_000
}

/// One dataset of an `xlsx` source: a sheet.
#[derive(Clone, Debug, Deserialize)]
pub struct XlsxDataset {
    /// Sheet name.
    pub sheet: String,
    /// 1-based row holding the column names (default 1); data follows it.
    #[serde(default = "first_row")]
    pub header_row: u32,
    /// Register information and matching.
    #[serde(flatten)]
    pub spec: DatasetSpec,
}

fn first_row() -> u32 {
    1
}

impl XlsxConfig {
    pub(crate) fn validate(&self) -> Vec<(Vec<String>, String, String)> {
        self.dataset
            .iter()
            .enumerate()
            .filter(|(_, d)| d.header_row == 0)
            .map(|(i, d)| {
                (
                    vec!["dataset".into(), i.to_string(), "header_row".into()],
                    format!("dataset `{}`: header_row is 1-based", d.spec.name),
                    "use 1 for the first row, as Excel numbers them".into(),
                )
            })
            .collect()
    }

    pub(crate) fn rebase(&mut self, base: &Path) {
        self.path = base.join(&self.path);
    }
}

/// An `xlsx` source.
pub struct XlsxConnector {
    config: XlsxConfig,
}

impl XlsxConnector {
    /// Builds the connector (paths already anchored by the config loader).
    pub fn new(config: XlsxConfig) -> XlsxConnector {
        XlsxConnector { config }
    }
}

/// A sheet read into memory: its header and rows with Excel row numbers.
pub struct Sheet {
    /// `file sheet "name"`, for messages.
    pub location: String,
    /// The header row's cells as text.
    pub headers: Vec<String>,
    /// Data rows after the header, with their 1-based Excel row number.
    pub rows: Vec<(u32, Vec<Value>)>,
}

/// Column letters of a 0-based column index (`0` → `A`, `27` → `AB`).
fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn not_a_workbook(path: &Path, cause: &str) -> SourceError {
    SourceError::Other(format!(
        "{}: not a readable .xlsx workbook ({cause}); an .xlsx file is a zip archive: check that the file is complete and not an .xls, .csv or other file renamed, and export it again as .xlsx",
        path.display()
    ))
}

/// Checks the zip container before calamine sees it: the number of
/// parts, the sizes they declare, and then what each actually inflates to,
/// streamed and counted, so that a decompression bomb stops at the limit.
pub fn check_container(
    path: &Path,
    limits: &XlsxLimits,
    cancel: &Cancel,
) -> Result<(), SourceError> {
    let file = File::open(path).map_err(|cause| SourceError::Io {
        path: path.to_path_buf(),
        cause,
    })?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| not_a_workbook(path, &format!("zip: {e}")))?;
    let shown = path.display().to_string();
    if zip.len() as u64 > limits.max_zip_entries {
        return Err(exceeded(
            &shown,
            &format!("the zip holds {} parts", zip.len()),
            "max_zip_entries",
            limits.max_zip_entries,
        ));
    }
    // Before reading: what the parts declare.
    let mut declared = 0u64;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| not_a_workbook(path, &format!("zip part {}: {e}", i + 1)))?;
        let name = excerpt(
            &entry
                .name()
                .map(|n| n.into_owned())
                .unwrap_or_else(|_| format!("#{}", i + 1)),
            60,
        );
        declared = declared.saturating_add(entry.size());
        if declared > limits.max_uncompressed_bytes {
            return Err(exceeded(
                &format!("{shown} part {name}"),
                &format!("the parts declare {declared} bytes uncompressed (decompression limit)"),
                "max_uncompressed_bytes",
                limits.max_uncompressed_bytes,
            ));
        }
        ratio_check(&shown, &name, entry.size(), entry.compressed_size(), limits)?;
    }
    // While reading: what the parts really inflate to.
    let mut actual = 0u64;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| not_a_workbook(path, &format!("zip part {}: {e}", i + 1)))?;
        let name = excerpt(
            &entry
                .name()
                .map(|n| n.into_owned())
                .unwrap_or_else(|_| format!("#{}", i + 1)),
            60,
        );
        let compressed = entry.compressed_size();
        let place = format!("{shown} part {name}");
        let left = limits.max_uncompressed_bytes - actual;
        // Never more than the ratio allows either (for parts over 1 MiB).
        let by_ratio = compressed
            .saturating_mul(limits.max_compression_ratio)
            .max(1 << 20);
        let max = left.min(by_ratio);
        match drain_bounded(&mut entry, max, cancel, &place) {
            Ok(n) => actual += n,
            Err(DrainError::TooLarge(n)) if max == left => {
                return Err(exceeded(
                    &place,
                    &format!(
                        "the parts inflate to more than {} bytes (decompression limit; this part declared {} bytes)",
                        actual + n,
                        entry.size()
                    ),
                    "max_uncompressed_bytes",
                    limits.max_uncompressed_bytes,
                ))
            }
            Err(DrainError::TooLarge(n)) => {
                return Err(exceeded(
                    &place,
                    &format!(
                        "{compressed} compressed bytes inflate to more than {n} (compression ratio over {}; it declared {} bytes)",
                        limits.max_compression_ratio,
                        entry.size()
                    ),
                    "max_compression_ratio",
                    limits.max_compression_ratio,
                ))
            }
            Err(DrainError::Io(e)) => {
                let text = excerpt(&e.to_string(), 200);
                let why = if text.contains("declared") {
                    "the container's sizes are wrong: it is damaged or crafted"
                } else {
                    "the file may be truncated or damaged"
                };
                return Err(not_a_workbook(
                    path,
                    &format!("part {name} cannot be decompressed: {text}; {why}"),
                ));
            }
            Err(DrainError::Source(e)) => return Err(e),
        }
    }
    Ok(())
}

fn ratio_check(
    shown: &str,
    name: &str,
    size: u64,
    compressed: u64,
    limits: &XlsxLimits,
) -> Result<(), SourceError> {
    if size > 1 << 20 && size / compressed.max(1) > limits.max_compression_ratio {
        return Err(exceeded(
            &format!("{shown} part {name}"),
            &format!(
                "{compressed} compressed bytes declare {size} bytes uncompressed (compression ratio {})",
                size / compressed.max(1)
            ),
            "max_compression_ratio",
            limits.max_compression_ratio,
        ));
    }
    Ok(())
}

/// Reads one sheet within the limits, checking `cancel` as it goes.
pub fn read_sheet(
    path: &Path,
    dataset: &XlsxDataset,
    limits: &XlsxLimits,
    cancel: &Cancel,
) -> Result<Sheet, SourceError> {
    check_container(path, limits, cancel)?;
    let file = File::open(path).map_err(|cause| SourceError::Io {
        path: path.to_path_buf(),
        cause,
    })?;
    let mut workbook: Xlsx<_> = Xlsx::new(BufReader::new(file)).map_err(|e| match e {
        XlsxError::Io(cause) => SourceError::Io {
            path: path.to_path_buf(),
            cause,
        },
        other => not_a_workbook(path, &excerpt(&other.to_string(), 200)),
    })?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let location = format!("{} sheet \"{}\"", path.display(), dataset.sheet);
    let names = workbook.sheet_names();
    if !names.contains(&dataset.sheet) {
        return Err(SourceError::Missing {
            location: path.display().to_string(),
            what: format!("sheet \"{}\"", excerpt(&dataset.sheet, 60)),
            present: names
                .iter()
                .map(|n| excerpt(n, 60))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let sheet_place = |row: u32, col: u32| {
        format!(
            "{file_name}!{}!{}{}",
            dataset.sheet,
            column_letters(col),
            row + 1
        )
    };
    let mut reader = workbook
        .worksheet_cells_reader(&dataset.sheet)
        .map_err(|e| {
            SourceError::Other(format!(
                "{location}: the sheet cannot be read ({}); export the workbook again",
                excerpt(&e.to_string(), 200)
            ))
        })?;
    let mut grid: BTreeMap<u32, Vec<Value>> = BTreeMap::new();
    let mut held = 0u64;
    let mut seen = 0u64;
    let mut last = (0u32, 0u32);
    loop {
        let cell = match reader.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(e) => {
                return Err(SourceError::Other(format!(
                "{}: the sheet's XML is damaged after this cell ({}); export the workbook again",
                sheet_place(last.0, last.1),
                excerpt(&e.to_string(), 200)
            )))
            }
        };
        seen += 1;
        if seen % 4096 == 0 {
            cancel.check(&location)?;
        }
        let (row, col) = cell.get_position();
        last = (row, col);
        let value = cell_value(&Data::from(cell.get_value().clone()));
        if value.is_empty() && !grid.contains_key(&row) {
            continue;
        }
        if !grid.contains_key(&row) && grid.len() as u64 >= limits.max_rows {
            return Err(exceeded(
                &sheet_place(row, col),
                &format!("the sheet has more than {} rows", limits.max_rows),
                "max_rows",
                limits.max_rows,
            ));
        }
        let cells = grid.entry(row).or_default();
        let col = col as usize;
        if col >= cells.len() {
            held += (col + 1 - cells.len()) as u64;
            if held > limits.max_cells {
                return Err(exceeded(
                    &sheet_place(row, col as u32),
                    &format!("the sheet holds more than {} cells", limits.max_cells),
                    "max_cells",
                    limits.max_cells,
                ));
            }
            cells.resize(col + 1, Value::Null);
        }
        cells[col] = value;
    }
    let header_index = dataset.header_row.saturating_sub(1);
    let headers = grid.get(&header_index).map(|cells| {
        cells
            .iter()
            .map(|v| v.as_text().unwrap_or_default().trim().to_string())
            .collect::<Vec<_>>()
    });
    let headers = headers.ok_or_else(|| {
        let first = grid.keys().next().map(|r| r + 1);
        SourceError::Other(format!(
            "{file_name}!{}!A{}: no column names in header_row = {} ({}); fix header_row in connectors.toml",
            dataset.sheet,
            dataset.header_row,
            dataset.header_row,
            match first {
                Some(r) => format!("the sheet's first filled row is {r}"),
                None => "the sheet is empty".to_string(),
            }
        ))
    })?;
    let rows = grid
        .into_iter()
        .filter(|(r, _)| *r > header_index)
        .filter(|(_, cells)| !cells.iter().all(Value::is_empty))
        .map(|(r, cells)| (r + 1, cells))
        .collect();
    Ok(Sheet {
        location,
        headers,
        rows,
    })
}

/// Converts a cell: dates as dates, text as text, errors reported in place.
fn cell_value(cell: &Data) -> Value {
    match cell {
        Data::Empty => Value::Null,
        Data::String(s) => Value::Text(inzage_core::record::unix_line_breaks(s).into_owned()),
        Data::Int(i) => Value::Integer(*i),
        Data::Float(f) => Value::Float(*f),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => Value::Date(t.date()),
            Some(t) => Value::DateTime(t),
            None => Value::Float(dt.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Text(format!("#{e:?}")),
    }
}

#[async_trait]
impl Connector for XlsxConnector {
    fn id(&self) -> &str {
        &self.config.id
    }

    fn kind(&self) -> &'static str {
        "xlsx"
    }

    /// True: a workbook is read whole on every fetch.
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
        let (cancel, _guard) = Cancel::new();
        tokio::task::spawn_blocking(move || {
            let mut rows = 0;
            for dataset in &config.dataset {
                let sheet = read_sheet(&config.path, dataset, &config.limits, &cancel)?;
                let matcher =
                    TableMatcher::new(&config.id, &dataset.spec, &sheet.headers, &sheet.location)?;
                matcher.require_declared(&sheet.location)?;
                rows += sheet.rows.len();
            }
            Ok(CheckReport {
                summary: format!("{} sheet(s), {rows} rows readable", config.dataset.len()),
            })
        })
        .await
        .map_err(|e| SourceError::Other(format!("check task failed: {e}")))?
    }

    async fn fetch(&self, request: &FetchRequest) -> Result<FetchOutcome, SourceError> {
        let config = self.config.clone();
        let request = request.clone();
        let (cancel, _guard) = Cancel::new();
        tokio::task::spawn_blocking(move || {
            let mut outcome = FetchOutcome::default();
            let file = config
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            for dataset in &config.dataset {
                let asked = dataset
                    .spec
                    .matches
                    .keys()
                    .any(|k| request.identifiers.iter().any(|i| i.kind == *k));
                if !asked {
                    continue;
                }
                let sheet = read_sheet(&config.path, dataset, &config.limits, &cancel)?;
                let matcher =
                    TableMatcher::new(&config.id, &dataset.spec, &sheet.headers, &sheet.location)?;
                for (row_number, values) in &sheet.rows {
                    let location = format!("{file}!{}:{row_number}", dataset.sheet);
                    match matcher.evaluate_at(
                        values,
                        &location,
                        Some(u64::from(*row_number)),
                        &request,
                    ) {
                        RowOutcome::Match(record) => outcome.records.push(*record),
                        RowOutcome::Held(record) => outcome.held.push(HeldRecord {
                            record: *record,
                            reason: ReviewReason::PartialPersonMatch,
                        }),
                        RowOutcome::NoMatch => {}
                    }
                }
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
    use chrono::{NaiveDate, Utc};
    use inzage_core::{Identifier, IdentifierKind};
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    /// A workbook as Excel users make it: a title row, the header in row 3,
    /// a klantnummer as text with leading zeros, a date cell.
    fn workbook(dir: &Path) -> PathBuf {
        let mut wb = Workbook::new();
        let sheet = wb.add_worksheet();
        sheet.set_name("Antwoorden").unwrap();
        sheet.write_string(0, 0, "Export").unwrap();
        for (c, h) in ["Nummer", "Klantnummer", "Datum", "Cijfer"]
            .iter()
            .enumerate()
        {
            sheet.write_string(2, c as u16, *h).unwrap();
        }
        let date = Format::new().set_num_format("dd-mm-yyyy");
        sheet.write_string(3, 0, "R1").unwrap();
        sheet.write_string(3, 1, "001234").unwrap();
        sheet
            .write_datetime_with_format(3, 2, ExcelDateTime::from_ymd(2024, 2, 29).unwrap(), &date)
            .unwrap();
        sheet.write_number(3, 3, 8.0).unwrap();
        sheet.write_string(4, 0, "R2").unwrap();
        sheet.write_number(4, 1, 1234.0).unwrap();
        let path = dir.join("kwh.xlsx");
        wb.save(&path).unwrap();
        path
    }

    fn connector(path: PathBuf, sheet: &str) -> XlsxConnector {
        let toml_text = format!(
            "id = \"kwh\"\nlabel = \"KWH\"\npath = \"{}\"\n[[dataset]]\nname = \"Enquete\"\nsheet = \"{sheet}\"\nheader_row = 3\nkey = \"Nummer\"\nmatch = {{ klantnummer = \"Klantnummer\" }}\n[dataset.fields]\nNummer = \"x\"\nKlantnummer = {{ category = \"x\", type = \"text\" }}\nDatum = {{ category = \"x\", type = \"date\" }}\nCijfer = \"x\"\n",
            path.display()
        );
        XlsxConnector::new(toml::from_str(&toml_text).unwrap())
    }

    fn request(klantnummer: &str) -> FetchRequest {
        FetchRequest {
            identifiers: vec![Identifier::new(IdentifierKind::Klantnummer, klantnummer).unwrap()],
            fetched_at: Utc::now(),
        }
    }

    #[tokio::test]
    async fn text_identifiers_keep_leading_zeros_and_dates_are_dates() {
        let dir = tempfile::tempdir().unwrap();
        let xlsx = connector(workbook(dir.path()), "Antwoorden");
        let found = xlsx.fetch(&request("001234")).await.unwrap();
        assert_eq!(
            found.records.len(),
            1,
            "only the text cell 001234 matches 001234"
        );
        let record = &found.records[0];
        assert_eq!(record.key, "R1");
        assert_eq!(
            record.get("Klantnummer"),
            Some(&Value::Text("001234".into()))
        );
        assert_eq!(
            record.get("Datum"),
            Some(&Value::Date(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()))
        );
        assert_eq!(record.location, "kwh.xlsx!Antwoorden:4");
        // A klantnummer typed as a number is read as its digits, not 1234.0.
        let numeric = xlsx.fetch(&request("1234")).await.unwrap();
        assert_eq!(numeric.records.len(), 1);
        assert_eq!(
            numeric.records[0].get("Klantnummer"),
            Some(&Value::Text("1234".into()))
        );
        assert!(xlsx.check().await.is_ok());
    }

    #[tokio::test]
    async fn a_wrong_sheet_name_lists_the_sheets() {
        let dir = tempfile::tempdir().unwrap();
        let xlsx = connector(workbook(dir.path()), "Antwoord");
        let err = xlsx
            .fetch(&request("001234"))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("sheet \"Antwoord\"") && err.contains("Antwoorden"),
            "{err}"
        );
    }
}
