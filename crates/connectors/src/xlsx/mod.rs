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

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use calamine::{open_workbook_auto, Data, Range, Reader};
use inzage_core::{
    CheckReport, Connector, DatasetSpec, FetchOutcome, FetchRequest, SourceError, Value,
};
use serde::Deserialize;

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
    /// The datasets (one per sheet, usually).
    #[serde(default)]
    pub dataset: Vec<XlsxDataset>,
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
struct Sheet {
    location: String,
    headers: Vec<String>,
    rows: Vec<(u32, Vec<Value>)>,
}

fn read_sheet(path: &Path, dataset: &XlsxDataset) -> Result<Sheet, SourceError> {
    let mut workbook = open_workbook_auto(path).map_err(|e| match e {
        calamine::Error::Io(cause) => SourceError::Io {
            path: path.to_path_buf(),
            cause,
        },
        other => SourceError::Malformed {
            path: path.to_path_buf(),
            line: 0,
            message: format!("not a readable workbook ({other}); export it again as .xlsx"),
        },
    })?;
    let location = format!("{} sheet \"{}\"", path.display(), dataset.sheet);
    let names = workbook.sheet_names();
    if !names.contains(&dataset.sheet) {
        return Err(SourceError::Missing {
            location: path.display().to_string(),
            what: format!("sheet \"{}\"", dataset.sheet),
            present: names.join(", "),
        });
    }
    let range: Range<Data> =
        workbook
            .worksheet_range(&dataset.sheet)
            .map_err(|e| SourceError::Malformed {
                path: path.to_path_buf(),
                line: 0,
                message: format!("sheet \"{}\" cannot be read: {e}", dataset.sheet),
            })?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let width = range.width();
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        // Excel's own 1-based row number.
        let row_number = first_row + i as u32 + 1;
        if row_number < dataset.header_row {
            continue;
        }
        let mut values: Vec<Value> = vec![Value::Null; first_col as usize];
        values.extend(cells.iter().map(cell_value));
        if row_number == dataset.header_row {
            headers = Some(
                values
                    .iter()
                    .map(|v| v.as_text().unwrap_or_default().trim().to_string())
                    .collect(),
            );
            continue;
        }
        if values.iter().all(Value::is_empty) {
            continue;
        }
        rows.push((row_number, values));
    }
    let headers = headers.ok_or_else(|| SourceError::Malformed {
        path: path.to_path_buf(),
        line: u64::from(dataset.header_row),
        message: format!(
            "sheet \"{}\" has no row {} to take column names from (its data spans {} columns starting at row {}); fix header_row",
            dataset.sheet,
            dataset.header_row,
            width,
            first_row + 1
        ),
    })?;
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
        Data::String(s) => Value::Text(s.clone()),
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

    fn label(&self) -> &str {
        &self.config.label
    }

    fn datasets(&self) -> Vec<&DatasetSpec> {
        self.config.dataset.iter().map(|d| &d.spec).collect()
    }

    async fn check(&self) -> Result<CheckReport, SourceError> {
        let config = self.config.clone();
        tokio::task::spawn_blocking(move || {
            let mut rows = 0;
            for dataset in &config.dataset {
                let sheet = read_sheet(&config.path, dataset)?;
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
                let sheet = read_sheet(&config.path, dataset)?;
                let matcher =
                    TableMatcher::new(&config.id, &dataset.spec, &sheet.headers, &sheet.location)?;
                for (row_number, values) in &sheet.rows {
                    let location = format!("{file}!{}:{row_number}", dataset.sheet);
                    match matcher.evaluate(values, &location, &request) {
                        RowOutcome::Match(record) => outcome.records.push(*record),
                        RowOutcome::Review(item) => outcome.review.push(item),
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
