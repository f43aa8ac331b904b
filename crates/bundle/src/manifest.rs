//! `manifest.json`: what was asked, what was found where, and a SHA-256 of
//! every other file in the bundle.

use chrono::{DateTime, Utc};
use inzage_core::Identifier;
use inzage_engine::protect::RecordRedactions;
use inzage_engine::{Findings, Identity, SourceReport};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::archive::Entry;
use crate::BundleKind;

/// Bundle format identifier; bumped when the layout changes.
pub const FORMAT: &str = "inzage-bundle/0";

#[derive(Serialize)]
struct Tool<'a> {
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct RequestOut<'a> {
    kind: BundleKind,
    identifier: &'a Identifier,
}

#[derive(Serialize)]
struct FileOut<'a> {
    path: &'a str,
    bytes: usize,
    sha256: String,
}

#[derive(Serialize)]
struct Manifest<'a> {
    format: &'a str,
    tool: Tool<'a>,
    organisation: &'a str,
    created_at: String,
    request: RequestOut<'a>,
    /// False when a source failed and the bundle was written anyway.
    complete: bool,
    rounds: usize,
    max_rounds_reached: bool,
    identities: &'a [Identity],
    sources: &'a [SourceReport],
    protection: ProtectionOut,
    /// Per record, the fields in which other people's data was replaced and
    /// how many values (never the values).
    redactions: Vec<RecordRedactions>,
    files: Vec<FileOut<'a>>,
}

#[derive(Serialize)]
struct ProtectionOut {
    /// People in the people index the names were compared with.
    people_indexed: usize,
    /// Values replaced by a marker.
    values_redacted: usize,
    /// Items still waiting for the privacy officer's decision.
    pending_decisions: usize,
    /// A decisions file was applied.
    reviewed: bool,
    /// Records left out because they may concern someone else.
    records_withheld: usize,
}

fn file_list(entries: &[Entry]) -> Vec<FileOut<'_>> {
    entries
        .iter()
        .map(|e| FileOut {
            path: &e.path,
            bytes: e.bytes.len(),
            sha256: hex::encode(Sha256::digest(&e.bytes)),
        })
        .collect()
}

/// The `files` list of a manifest: path, size and SHA-256 of every entry.
pub fn files(entries: &[Entry]) -> serde_json::Value {
    serde_json::to_value(file_list(entries)).unwrap_or_default()
}

/// Builds the manifest over the other entries of the bundle.
pub fn manifest(
    organisation: &str,
    kind: BundleKind,
    created_at: DateTime<Utc>,
    tool_version: &str,
    findings: &Findings,
    entries: &[Entry],
) -> Result<Vec<u8>, serde_json::Error> {
    let manifest = Manifest {
        format: FORMAT,
        tool: Tool {
            name: "inzage",
            version: tool_version,
        },
        organisation,
        created_at: created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        request: RequestOut {
            kind,
            identifier: &findings.request,
        },
        complete: findings.is_complete() && !findings.max_rounds_reached,
        rounds: findings.rounds,
        max_rounds_reached: findings.max_rounds_reached,
        identities: &findings.identities,
        sources: &findings.sources,
        protection: ProtectionOut {
            people_indexed: findings.protection.people_indexed,
            values_redacted: findings.protection.redacted_total(),
            pending_decisions: findings.protection.pending(),
            reviewed: findings.protection.reviewed,
            records_withheld: findings.withheld.len(),
        },
        redactions: findings.protection.per_record(),
        files: file_list(entries),
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest)?;
    bytes.push(b'\n');
    Ok(bytes)
}
