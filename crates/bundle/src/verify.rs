//! `inzage verify`: what a receiver (or the tenant) checks on any inzage
//! bundle. Every file listed in `manifest.json` is present with the listed
//! size and SHA-256, nothing is there that the manifest does not list, and
//! in a portability bundle `portability.json` validates against the
//! bundle's own `schema.json` (JSON Schema draft 2020-12).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde_json::Value as Json;
use sha2::{Digest, Sha256};

/// One thing wrong with a bundle.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The manifest is missing or not what inzage writes.
    #[error("manifest.json: {0}")]
    Manifest(String),
    /// A file the manifest lists is not in the zip.
    #[error("{0}: listed in manifest.json but missing from the bundle")]
    Missing(String),
    /// A file is in the zip that the manifest does not list.
    #[error("{0}: in the bundle but not listed in manifest.json (added afterwards?)")]
    Extra(String),
    /// The content differs from what the manifest records.
    #[error(
        "{path}: sha256 is {actual}, manifest.json says {expected} (changed after it was made)"
    )]
    Changed {
        /// The file.
        path: String,
        /// sha256 in the manifest.
        expected: String,
        /// sha256 of the file in the zip.
        actual: String,
    },
    /// The size differs from what the manifest records.
    #[error("{path}: {actual} bytes, manifest.json says {expected}")]
    Size {
        /// The file.
        path: String,
        /// Size in the manifest.
        expected: u64,
        /// Size in the zip.
        actual: u64,
    },
    /// An entry name appears twice.
    #[error("{0}: appears more than once in the zip")]
    Duplicate(String),
    /// `portability.json` or `schema.json` cannot be used, or the document
    /// does not validate.
    #[error("portability.json: {0}")]
    Schema(String),
}

/// What `verify` found.
#[derive(Clone, Debug)]
pub struct Report {
    /// `access` or `portability`, from the manifest (when readable).
    pub kind: Option<String>,
    /// The receiver id a portability bundle was made for (`--to`), if any.
    pub receiver: Option<String>,
    /// Files checked against the manifest.
    pub files_checked: usize,
    /// Everything that is wrong; empty for a sound bundle.
    pub problems: Vec<Problem>,
}

impl Report {
    /// True when nothing is wrong.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The bundle cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The file cannot be opened.
    #[error("cannot open {path}: {cause}")]
    Open {
        /// The bundle.
        path: String,
        /// The cause.
        cause: std::io::Error,
    },
    /// Not a zip, or an entry cannot be read.
    #[error("{path} is not a readable zip: {cause}")]
    Zip {
        /// The bundle.
        path: String,
        /// The cause.
        cause: String,
    },
    /// The bundle is encrypted and no (or a wrong) passphrase was given.
    #[error("{path} is encrypted: set INZAGE_BUNDLE_PASSPHRASE to the passphrase that came with it ({cause})")]
    Passphrase {
        /// The bundle.
        path: String,
        /// The cause.
        cause: String,
    },
}

/// Entries of a zip (name, content) and the names of its folder entries.
type Entries = (Vec<(String, Vec<u8>)>, Vec<String>);

/// Reads every entry of the zip (decrypting with `passphrase` where needed).
fn read_entries(path: &Path, passphrase: Option<&str>) -> Result<Entries, VerifyError> {
    let shown = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|cause| VerifyError::Open {
        path: shown.clone(),
        cause,
    })?;
    let zip_err = |e: zip::result::ZipError| VerifyError::Zip {
        path: shown.clone(),
        cause: e.to_string(),
    };
    let mut zip = zip::ZipArchive::new(file).map_err(zip_err)?;
    let mut entries = Vec::new();
    let mut dirs = Vec::new();
    for i in 0..zip.len() {
        let encrypted = zip.by_index_raw(i).map_err(zip_err)?.encrypted();
        let mut entry = match (encrypted, passphrase) {
            (false, _) => zip.by_index(i).map_err(zip_err)?,
            (true, Some(p)) => {
                zip.by_index_decrypt(i, p.as_bytes())
                    .map_err(|e| VerifyError::Passphrase {
                        path: shown.clone(),
                        cause: e.to_string(),
                    })?
            }
            (true, None) => {
                return Err(VerifyError::Passphrase {
                    path: shown.clone(),
                    cause: "no passphrase given".into(),
                })
            }
        };
        let name = entry
            .name()
            .map_err(|e| VerifyError::Zip {
                path: shown.clone(),
                cause: format!("entry {i} has no readable name: {e}"),
            })?
            .to_string();
        if entry.is_dir() {
            dirs.push(name);
            continue;
        }
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| VerifyError::Passphrase {
                path: shown.clone(),
                cause: format!("{name}: {e}"),
            })?;
        entries.push((name, bytes));
    }
    Ok((entries, dirs))
}

/// Verifies the bundle at `path`.
pub fn verify(path: &Path, passphrase: Option<&str>) -> Result<Report, VerifyError> {
    let (entries, dirs) = read_entries(path, passphrase)?;
    let mut problems: Vec<Problem> = dirs.into_iter().map(Problem::Extra).collect();
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (name, bytes) in entries {
        if files.contains_key(&name) {
            problems.push(Problem::Duplicate(name));
            continue;
        }
        files.insert(name, bytes);
    }
    let mut report = Report {
        kind: None,
        receiver: None,
        files_checked: 0,
        problems,
    };
    let Some(manifest_bytes) = files.remove("manifest.json") else {
        report.problems.push(Problem::Manifest(
            "missing: this is not an inzage bundle, or it was altered".into(),
        ));
        return Ok(report);
    };
    let manifest: Json = match serde_json::from_slice(&manifest_bytes) {
        Ok(m) => m,
        Err(e) => {
            report
                .problems
                .push(Problem::Manifest(format!("not valid JSON: {e}")));
            return Ok(report);
        }
    };
    if !manifest["format"]
        .as_str()
        .is_some_and(|f| f.starts_with("inzage-bundle/"))
    {
        report.problems.push(Problem::Manifest(
            "no \"format\": \"inzage-bundle/...\": not a manifest inzage wrote".into(),
        ));
    }
    report.kind = manifest["request"]["kind"].as_str().map(str::to_string);
    report.receiver = manifest["receiver"]["id"].as_str().map(str::to_string);
    let Some(listed) = manifest["files"].as_array() else {
        report
            .problems
            .push(Problem::Manifest("no \"files\" list".into()));
        return Ok(report);
    };
    let mut seen = std::collections::HashSet::new();
    for item in listed {
        let (Some(name), Some(expected)) = (item["path"].as_str(), item["sha256"].as_str()) else {
            report.problems.push(Problem::Manifest(format!(
                "a \"files\" entry without path or sha256: {item}"
            )));
            continue;
        };
        if !seen.insert(name.to_string()) {
            report
                .problems
                .push(Problem::Manifest(format!("{name} is listed twice")));
            continue;
        }
        let Some(bytes) = files.get(name) else {
            report.problems.push(Problem::Missing(name.to_string()));
            continue;
        };
        report.files_checked += 1;
        let actual = hex::encode(Sha256::digest(bytes));
        if !actual.eq_ignore_ascii_case(expected) {
            report.problems.push(Problem::Changed {
                path: name.to_string(),
                expected: expected.to_string(),
                actual,
            });
        } else if let Some(size) = item["bytes"].as_u64() {
            if size != bytes.len() as u64 {
                report.problems.push(Problem::Size {
                    path: name.to_string(),
                    expected: size,
                    actual: bytes.len() as u64,
                });
            }
        }
    }
    for name in files.keys() {
        if !seen.contains(name) {
            report.problems.push(Problem::Extra(name.clone()));
        }
    }
    if report.kind.as_deref() == Some("portability") {
        report.problems.extend(check_schema(&files));
    }
    Ok(report)
}

/// `portability.json` against the bundle's `schema.json`.
fn check_schema(files: &BTreeMap<String, Vec<u8>>) -> Vec<Problem> {
    let parse = |name: &str| -> Result<Json, Problem> {
        let bytes = files.get(name).ok_or_else(|| {
            Problem::Schema(format!("{name} is missing, so it cannot be checked"))
        })?;
        serde_json::from_slice(bytes)
            .map_err(|e| Problem::Schema(format!("{name} is not valid JSON: {e}")))
    };
    let (schema, doc) = match (parse("schema.json"), parse("portability.json")) {
        (Ok(s), Ok(d)) => (s, d),
        (s, d) => return [s.err(), d.err()].into_iter().flatten().collect(),
    };
    if schema["$schema"].as_str() != Some(crate::portability::schema::DRAFT) {
        return vec![Problem::Schema(format!(
            "schema.json does not declare \"$schema\": \"{}\"",
            crate::portability::schema::DRAFT
        ))];
    }
    match crate::portability::schema::validate(&schema, &doc) {
        Err(e) => vec![Problem::Schema(format!(
            "schema.json is not a valid JSON Schema: {e}"
        ))],
        Ok(errors) => errors
            .into_iter()
            .map(|e| Problem::Schema(format!("does not validate against schema.json at {e}")))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::{write_zip, Entry};

    fn bundle(
        dir: &Path,
        name: &str,
        files: &[(&str, &[u8])],
        listed: &[(&str, &[u8])],
    ) -> std::path::PathBuf {
        let listed: Vec<Entry> = listed
            .iter()
            .map(|(p, b)| Entry {
                path: p.to_string(),
                bytes: b.to_vec(),
            })
            .collect();
        let manifest = serde_json::json!({
            "format": crate::manifest::FORMAT,
            "request": { "kind": "access" },
            "files": crate::manifest::files(&listed),
        });
        let mut entries = vec![Entry {
            path: "manifest.json".into(),
            bytes: serde_json::to_vec(&manifest).unwrap(),
        }];
        entries.extend(files.iter().map(|(p, b)| Entry {
            path: p.to_string(),
            bytes: b.to_vec(),
        }));
        let out = dir.join(name);
        write_zip(&out, &entries, false, None).unwrap();
        out
    }

    #[test]
    fn a_sound_bundle_passes_and_every_kind_of_damage_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let files: &[(&str, &[u8])] = &[("a.txt", b"alpha"), ("b.txt", b"beta")];
        let ok = verify(&bundle(dir.path(), "ok.zip", files, files), None).unwrap();
        assert!(ok.ok(), "{:?}", ok.problems);
        assert_eq!(ok.files_checked, 2);
        assert_eq!(ok.kind.as_deref(), Some("access"));

        let changed = verify(
            &bundle(
                dir.path(),
                "c.zip",
                &[("a.txt", b"alphA"), ("b.txt", b"beta")],
                files,
            ),
            None,
        )
        .unwrap();
        assert!(
            matches!(&changed.problems[..], [Problem::Changed { path, .. }] if path == "a.txt")
        );

        let missing = verify(&bundle(dir.path(), "m.zip", &files[..1], files), None).unwrap();
        assert_eq!(missing.problems, [Problem::Missing("b.txt".into())]);

        let extra = verify(
            &bundle(
                dir.path(),
                "e.zip",
                &[("a.txt", b"alpha"), ("b.txt", b"beta"), ("c.txt", b"")],
                files,
            ),
            None,
        )
        .unwrap();
        assert_eq!(extra.problems, [Problem::Extra("c.txt".into())]);
    }

    #[test]
    fn a_zip_without_manifest_or_not_a_zip_at_all_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("bare.zip");
        write_zip(
            &out,
            &[Entry {
                path: "x.txt".into(),
                bytes: b"x".to_vec(),
            }],
            false,
            None,
        )
        .unwrap();
        let report = verify(&out, None).unwrap();
        assert!(matches!(&report.problems[..], [Problem::Manifest(_)]));
        let not_zip = dir.path().join("not.zip");
        std::fs::write(&not_zip, b"hello").unwrap();
        let err = verify(&not_zip, None).unwrap_err();
        assert!(err.to_string().contains("not a readable zip"), "{err}");
    }
}
