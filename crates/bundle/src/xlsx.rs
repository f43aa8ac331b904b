//! `inzage.xlsx`: an overview sheet and one sheet per dataset, header row
//! frozen, auto-filter, sensible column widths, dates as real dates. Text
//! that a spreadsheet could read as a formula is stored as quoted text.
//!
//! One value never sinks the workbook: text longer than a cell holds
//! (32,767 characters) is shortened with a visible note that names the
//! record and field and the data file that holds it whole, and control
//! characters are shown as U+FFFD.

use std::collections::HashSet;

use inzage_core::{Lang, Value};
use rust_xlsxwriter::{DocProperties, Format, Workbook, Worksheet, XlsxError};

use crate::data::field_names;
use crate::report::format::When;
use crate::report::model::{long_date, origin_text, retention_text, ReportInput};
use crate::report::texts;

struct Formats {
    header: Format,
    date: Format,
    datetime: Format,
    text: Format,
    quoted: Format,
    wrap: Format,
    money: Format,
    decimal: Format,
}

impl Formats {
    fn new(lang: Lang) -> Formats {
        let (date, datetime) = match lang {
            Lang::Nl => ("dd-mm-yyyy", "dd-mm-yyyy hh:mm"),
            Lang::En => ("yyyy-mm-dd", "yyyy-mm-dd hh:mm"),
        };
        Formats {
            header: Format::new().set_bold().set_background_color("#E8EDF3"),
            date: Format::new().set_num_format(date),
            datetime: Format::new().set_num_format(datetime),
            text: Format::new().set_num_format("@"),
            quoted: Format::new().set_quote_prefix(),
            wrap: Format::new().set_text_wrap(),
            // The spreadsheet shows the separators of its own locale.
            money: Format::new().set_num_format("\"€\" #,##0.00;-\"€\" #,##0.00"),
            decimal: Format::new().set_num_format("0.##########"),
        }
    }
}

/// Builds the workbook.
pub fn workbook(input: &ReportInput) -> Result<Vec<u8>, XlsxError> {
    let lang = input.lang;
    let t = texts::texts(lang);
    let formats = Formats::new(lang);
    let formatter = input.formatter();
    let mut workbook = Workbook::new();
    // Fixed creation time: the same request on the same data gives the same bytes.
    workbook.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&input.created_at)
            .set_title(t.title)
            .set_company(&input.register.organisation.name),
    );
    overview(&mut workbook, input, &formats)?;
    // Sheet names are compared without regard to case, as spreadsheets do.
    let mut used_names: HashSet<String> =
        HashSet::from([sheet_name(t.summary, &HashSet::new()).to_lowercase()]);
    for source in input.sources {
        for spec in &source.datasets {
            let records = input.findings.records_of(&source.id, &spec.name);
            if records.is_empty() {
                continue;
            }
            let label = spec
                .label
                .as_ref()
                .map(|l| l.get(lang).to_string())
                .unwrap_or_else(|| spec.name.clone());
            let name = sheet_name(&label, &used_names);
            used_names.insert(name.to_lowercase());
            let sheet = workbook.add_worksheet();
            sheet.set_name(&name)?;
            let columns = field_names(spec, &records);
            let mut widths: Vec<usize> = Vec::new();
            for (c, column) in columns.iter().enumerate() {
                let label = crate::report::model::field_label_for(spec, column, lang);
                let label = fitted(&label, |n| shortened(lang, n, None));
                sheet.write_string_with_format(0, c as u16, &label, &formats.header)?;
                widths.push(label.chars().count());
            }
            let data_file = format!(
                "data/{}/{}.json",
                crate::escape::file_name(&source.id),
                crate::escape::file_name(&spec.name)
            );
            for (r, record) in records.iter().enumerate() {
                let row = r as u32 + 1;
                for (c, column) in columns.iter().enumerate() {
                    let value = record.get(column).unwrap_or(&Value::Null);
                    let details = spec.fields.get(*column).map(|f| f.details());
                    let whole = Whole {
                        money: details.as_ref().is_some_and(|d| {
                            d.field_type == Some(inzage_core::register::FieldType::Decimal)
                                && d.scale == Some(2)
                        }),
                        formatter,
                        file: &data_file,
                        key: &record.key,
                        field: column,
                    };
                    let shown = write_value(sheet, row, c as u16, value, lang, &formats, &whole)?;
                    widths[c] = widths[c].max(shown);
                }
            }
            finish_table(sheet, records.len() as u32, columns.len() as u16, &widths)?;
        }
    }
    workbook.save_to_buffer()
}

fn overview(
    workbook: &mut Workbook,
    input: &ReportInput,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let lang = input.lang;
    let t = texts::texts(lang);
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(t.summary, &HashSet::new()))?;
    let org = &input.register.organisation;
    let facts = [
        (t.title, org.name.clone()),
        (
            t.request_for,
            format!(
                "{} {}",
                texts::attribute(input.findings.request.kind.as_str(), lang),
                input.findings.request.value
            ),
        ),
        (t.made, long_date(input.created_at.date_naive(), lang)),
    ];
    for (i, (k, v)) in facts.iter().enumerate() {
        sheet.write_string_with_format(i as u32, 0, *k, &formats.header)?;
        write_text(sheet, i as u32, 1, v, formats, |n| shortened(lang, n, None))?;
    }
    let top = facts.len() as u32 + 1;
    let headers = [
        t.system,
        t.data_in,
        t.records,
        t.purposes_with_basis,
        t.dataset_recipients,
        t.dataset_retention,
        t.dataset_origin,
        t.status,
    ];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(top, c as u16, *h, &formats.header)?;
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    let register = input.register;
    let mut row = top;
    for report in &input.findings.sources {
        let Some(source) = input.sources.iter().find(|s| s.id == report.id) else {
            continue;
        };
        let label = match &report.status {
            inzage_engine::SourceStatus::Ok => t.status_ok,
            inzage_engine::SourceStatus::Failed { .. } => t.status_failed,
            inzage_engine::SourceStatus::Skipped { .. } => t.status_skipped,
        };
        let searched_by = crate::report::model::searched_by(input.sources, &report.id);
        let status = match texts::source_reason(&report.status, &searched_by, lang) {
            Some(reason) => format!("{label}: {reason}"),
            None => label.to_string(),
        };
        for spec in &source.datasets {
            row += 1;
            let count = report.records.get(&spec.name).copied().unwrap_or(0);
            // Each purpose with its own legal basis.
            let purposes: Vec<String> = spec
                .purposes
                .iter()
                .filter_map(|p| register.purposes.get(p))
                .map(|p| {
                    format!(
                        "{} ({})",
                        p.label.get(lang),
                        texts::legal_basis(p.legal_basis, lang)
                    )
                })
                .collect();
            let recipients: Vec<&str> = spec
                .recipients
                .iter()
                .filter_map(|r| register.recipients.get(r))
                .map(|r| r.label.get(lang))
                .collect();
            let cells = [
                source.label.clone(),
                spec.label
                    .as_ref()
                    .map(|l| l.get(lang).to_string())
                    .unwrap_or_else(|| spec.name.clone()),
                count.to_string(),
                purposes.join("; "),
                recipients.join("; "),
                retention_text(register, spec, lang),
                origin_text(register, spec, lang),
                status.clone(),
            ];
            for (c, cell) in cells.iter().enumerate() {
                if c == 2 {
                    sheet.write_number(row, c as u16, count as f64)?;
                } else {
                    write_text(sheet, row, c as u16, cell, formats, |n| {
                        shortened(lang, n, None)
                    })?;
                }
                widths[c] = widths[c].max(cell.chars().count());
            }
        }
    }
    sheet.set_freeze_panes(top + 1, 0)?;
    sheet.autofilter(top, 0, row.max(top + 1), headers.len() as u16 - 1)?;
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, column_width(*w))?;
    }
    Ok(())
}

fn finish_table(
    sheet: &mut Worksheet,
    rows: u32,
    columns: u16,
    widths: &[usize],
) -> Result<(), XlsxError> {
    sheet.set_freeze_panes(1, 0)?;
    if columns > 0 {
        sheet.autofilter(0, 0, rows.max(1), columns - 1)?;
    }
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, column_width(*w))?;
    }
    Ok(())
}

/// Width in characters: at least 8, at most 60 (long text wraps).
fn column_width(chars: usize) -> f64 {
    (chars.clamp(8, 60) + 2) as f64
}

/// Where a shortened value is found whole, and what the field is.
struct Whole<'a> {
    /// The field is an amount of money (`type = "decimal"`, `scale = 2`).
    money: bool,
    /// Reads ISO dates and timestamps.
    formatter: crate::report::format::Formatter,
    /// `data/<source>/<dataset>.json`.
    file: &'a str,
    /// The record's key.
    key: &'a str,
    /// The field.
    field: &'a str,
}

/// The note that ends a shortened cell: how long the text is and, for a
/// record's value, where it stands whole.
fn shortened(lang: Lang, chars: usize, whole: Option<&Whole<'_>>) -> String {
    let key = |w: &Whole<'_>| {
        let k: String = crate::escape::control_free(w.key)
            .chars()
            .take(60)
            .collect();
        let f: String = crate::escape::control_free(w.field)
            .chars()
            .take(60)
            .collect();
        (k, f)
    };
    match (lang, whole) {
        (Lang::Nl, Some(w)) => {
            let (k, f) = key(w);
            format!(" … [ingekort: de tekst telt {chars} tekens, meer dan een cel bevat; hij staat volledig in {}, record {k}, veld {f}]", w.file)
        }
        (Lang::Nl, None) => {
            format!(" … [ingekort: de tekst telt {chars} tekens, meer dan een cel bevat]")
        }
        (Lang::En, Some(w)) => {
            let (k, f) = key(w);
            format!(" … [shortened: the text has {chars} characters, more than a cell holds; it is whole in {}, record {k}, field {f}]", w.file)
        }
        (Lang::En, None) => {
            format!(" … [shortened: the text has {chars} characters, more than a cell holds]")
        }
    }
}

/// Text as a cell may hold it: control characters replaced, and cut with
/// the note when it is longer than a cell holds.
fn fitted(text: &str, note: impl FnOnce(usize) -> String) -> String {
    let clean = crate::escape::control_free(text);
    crate::escape::fit(&clean, crate::escape::MAX_CELL_CHARS, note).into_owned()
}

/// Writes a cell; returns the width of what it shows.
fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Value,
    lang: Lang,
    formats: &Formats,
    whole: &Whole<'_>,
) -> Result<usize, XlsxError> {
    match value {
        Value::Null => Ok(0),
        Value::Date(d) => {
            sheet.write_datetime_with_format(row, col, d, &formats.date)?;
            Ok(10)
        }
        Value::DateTime(t) => {
            sheet.write_datetime_with_format(row, col, t, &formats.datetime)?;
            Ok(16)
        }
        // A time with an offset is shown in the organisation's time zone.
        Value::Instant(t) => {
            let local = t.with_timezone(&whole.formatter.tz).naive_local();
            sheet.write_datetime_with_format(row, col, local, &formats.datetime)?;
            Ok(16)
        }
        Value::Integer(i) => {
            sheet.write_number(row, col, *i as f64)?;
            Ok(i.to_string().len())
        }
        Value::Float(f) => {
            sheet.write_number(row, col, *f)?;
            Ok(format!("{f}").len())
        }
        // As a person writes it (`ja`/`nee`), not a spreadsheet's TRUE.
        Value::Bool(b) => {
            let text = whole.formatter.yes_no(*b);
            sheet.write_string(row, col, text)?;
            Ok(text.len())
        }
        // Amounts are numbers a spreadsheet can sum, shown with the
        // currency format; the exact decimal text stays in the JSON files.
        Value::Decimal(d) => match d.parse::<f64>() {
            Ok(n) if n.is_finite() && d.len() <= 16 => {
                let format = if whole.money {
                    &formats.money
                } else {
                    &formats.decimal
                };
                sheet.write_number_with_format(row, col, n, format)?;
                Ok(d.len() + 3)
            }
            _ => {
                let d = fitted(d, |n| shortened(lang, n, Some(whole)));
                sheet.write_string_with_format(row, col, &d, &formats.text)?;
                Ok(d.len())
            }
        },
        // Dates and timestamps that a JSON API sends as text are real dates.
        other => {
            if let Value::Text(t) = other {
                match whole.formatter.when(t) {
                    Some(When::Date(d)) => {
                        sheet.write_datetime_with_format(row, col, d, &formats.date)?;
                        return Ok(10);
                    }
                    Some(When::Local(l)) => {
                        sheet.write_datetime_with_format(row, col, l, &formats.datetime)?;
                        return Ok(16);
                    }
                    None => {}
                }
            }
            let text = whole.formatter.value(other, None).unwrap_or_default();
            write_text(sheet, row, col, &text, formats, |n| {
                shortened(lang, n, Some(whole))
            })?;
            Ok(text.lines().map(|l| l.chars().count()).max().unwrap_or(0))
        }
    }
}

/// Text, with anything that looks like a formula stored as quoted text,
/// control characters replaced, and text longer than a cell holds cut
/// with `note`.
fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    formats: &Formats,
    note: impl FnOnce(usize) -> String,
) -> Result<(), XlsxError> {
    let text = &fitted(text, note)[..];
    if crate::escape::spreadsheet_cell(text) != text {
        sheet.write_string_with_format(row, col, text, &formats.quoted)?;
    } else if text.contains('\n') || text.chars().count() > 60 {
        sheet.write_string_with_format(row, col, text, &formats.wrap)?;
    } else {
        sheet.write_string(row, col, text)?;
    }
    Ok(())
}

/// A valid, unique sheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(raw: &str, used: &HashSet<String>) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| if "[]:*?/\\'".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    let base = if cleaned.trim().is_empty() {
        "Sheet".to_string()
    } else {
        cleaned
    };
    if !used.contains(&base.to_lowercase()) {
        return base;
    }
    (2..)
        .map(|n| {
            let suffix = format!(" {n}");
            let keep: String = base.chars().take(31 - suffix.len()).collect();
            format!("{keep}{suffix}")
        })
        .find(|candidate| !used.contains(&candidate.to_lowercase()))
        .expect("a free sheet name")
}
