//! Bundle writers of inzage.
//!
//! An access bundle (GDPR art. 15) is a zip holding `manifest.json` and, per
//! source and dataset, `data/<source>/<dataset>.json` (records with their
//! purposes, legal basis, recipients, retention, origin and categories) and
//! `.csv`. The zip is deterministic for the same input and written
//! atomically: a reader never sees half a bundle.

pub mod archive;
pub mod data;
pub mod escape;
pub mod manifest;
pub mod portability;
pub mod report;
pub mod review;
pub mod verify;
pub mod xlsx;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use inzage_core::{AttachedFile, DatasetSpec, Lang, Register};
use inzage_engine::Findings;
use serde::Serialize;

use archive::Entry;

/// What a source is, for the bundle: its id, label and datasets.
#[derive(Clone, Debug)]
pub struct SourceInfo {
    /// Connector id.
    pub id: String,
    /// Human label.
    pub label: String,
    /// Connector kind.
    pub kind: String,
    /// Datasets with their register information.
    pub datasets: Vec<DatasetSpec>,
}

/// Which right the bundle answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BundleKind {
    /// Art. 15, right of access.
    Access,
    /// Art. 20, data portability.
    Portability,
}

/// How to write a bundle.
#[derive(Clone, Debug)]
pub struct BundleOptions {
    /// Which bundle.
    pub kind: BundleKind,
    /// Language of labels.
    pub lang: Lang,
    /// Creation time recorded in the manifest.
    pub created_at: DateTime<Utc>,
    /// Replace an existing file.
    pub overwrite: bool,
    /// The tool version recorded in the manifest.
    pub tool_version: String,
    /// When the request was received (shown with the answer's due date);
    /// the creation date when absent.
    pub received: Option<chrono::NaiveDate>,
    /// When the answer is due (from the request's deadlines); one month
    /// after `received` when absent.
    pub due: Option<chrono::NaiveDate>,
    /// Encrypt every entry with AES-256 under this passphrase.
    pub passphrase: Option<String>,
}

/// Writing the bundle failed; nothing was left at the target path.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The target exists and overwriting was not asked for.
    #[error("{0} already exists; choose another --out or pass --force to replace it")]
    Exists(PathBuf),
    /// Writing failed.
    #[error("cannot write {path}: {cause}")]
    Write {
        /// The target.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
    /// The zip library failed.
    #[error("cannot build the zip: {0}")]
    Zip(String),
    /// Serialising failed.
    #[error("cannot serialise bundle data: {0}")]
    Serialise(String),
}

/// What was written.
#[derive(Clone, Debug)]
pub struct BundleSummary {
    /// The bundle.
    pub path: PathBuf,
    /// Paths inside the zip.
    pub files: Vec<String>,
    /// The review page beside the bundle (with `.csv` and `.json` beside it).
    pub review_path: PathBuf,
}

fn serialise<E: std::fmt::Display>(e: E) -> BundleError {
    BundleError::Serialise(e.to_string())
}

/// Files that travel with one record (mail attachments).
#[derive(Clone, Debug)]
pub struct RecordFiles {
    /// Connector id.
    pub source: String,
    /// The record's key.
    pub key: String,
    /// The files.
    pub files: Vec<AttachedFile>,
}

/// Writes an access bundle for the findings to `out`; `attached` files go
/// under `attachments/<source>/<record key>/`.
pub fn write_access_bundle(
    out: &Path,
    register: &Register,
    sources: &[SourceInfo],
    findings: &Findings,
    attached: &[RecordFiles],
    options: &BundleOptions,
) -> Result<BundleSummary, BundleError> {
    let report_input = report::ReportInput {
        register,
        sources,
        findings,
        lang: options.lang,
        created_at: options.created_at,
        received: options.received,
        due: options.due,
    };
    let mut entries = vec![
        Entry {
            path: "index.html".into(),
            bytes: report::render_html(&report_input)
                .map_err(serialise)?
                .into_bytes(),
        },
        Entry {
            path: "inzage.xlsx".into(),
            bytes: xlsx::workbook(&report_input).map_err(serialise)?,
        },
    ];
    for source in sources {
        let folder = escape::file_name(&source.id);
        for spec in &source.datasets {
            let records = findings.records_of(&source.id, &spec.name);
            if records.is_empty() {
                continue;
            }
            let stem = format!("data/{folder}/{}", escape::file_name(&spec.name));
            entries.push(Entry {
                path: format!("{stem}.json"),
                bytes: data::dataset_json(register, source, spec, &records, options.lang)
                    .map_err(serialise)?,
            });
            entries.push(Entry {
                path: format!("{stem}.csv"),
                bytes: data::dataset_csv(spec, &records, options.lang).map_err(serialise)?,
            });
        }
    }
    for record in attached {
        let folder = format!(
            "attachments/{}/{}",
            escape::file_name(&record.source),
            escape::file_name(&record.key)
        );
        let mut used = std::collections::HashSet::new();
        for file in &record.files {
            let mut name = escape::attachment_name(&file.file_name);
            let mut n = 1;
            while !used.insert(name.clone()) {
                n += 1;
                name = format!("{n}-{}", escape::attachment_name(&file.file_name));
            }
            entries.push(Entry {
                path: format!("{folder}/{name}"),
                bytes: file.bytes.clone(),
            });
        }
    }
    let manifest = manifest::manifest(
        &register.organisation.name,
        options.kind,
        options.created_at,
        &options.tool_version,
        findings,
        &entries,
    )
    .map_err(serialise)?;
    let mut all = vec![Entry {
        path: "manifest.json".into(),
        bytes: manifest,
    }];
    all.extend(entries);
    archive::write_zip(out, &all, options.overwrite, options.passphrase.as_deref())?;
    let review_path = review::write_review(out, findings, options.lang, options.created_at)
        .inspect_err(|_| {
            // No bundle without its review list: staff would miss what to check.
            let _ = std::fs::remove_file(out);
        })?;
    Ok(BundleSummary {
        path: out.to_path_buf(),
        files: all.into_iter().map(|e| e.path).collect(),
        review_path,
    })
}

/// Where the review list for a bundle is written (the page; the `.csv` and
/// `.json` stand beside it).
pub fn review_path(out: &Path) -> PathBuf {
    review::review_paths(out)[0].clone()
}
