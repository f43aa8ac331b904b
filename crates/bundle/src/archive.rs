//! A deterministic zip, written atomically: entries in a fixed order with a
//! fixed timestamp, into a temporary file that is renamed into place only
//! when complete.

use std::io::Write;
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{AesMode, CompressionMethod, DateTime, ZipWriter};

use crate::BundleError;

/// One file of a bundle.
pub struct Entry {
    /// Path inside the zip, with `/` separators.
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Writes the entries to `out` atomically. Refuses to replace an existing
/// file unless `overwrite` is set. With a passphrase every entry is
/// encrypted with AES-256 (WinZip AE-2, as 7-Zip and WinZip read it).
pub fn write_zip(
    out: &Path,
    entries: &[Entry],
    overwrite: bool,
    passphrase: Option<&str>,
) -> Result<(), BundleError> {
    if out.exists() && !overwrite {
        return Err(BundleError::Exists(out.to_path_buf()));
    }
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |cause| BundleError::Write {
        path: out.to_path_buf(),
        cause,
    };
    let temp = tempfile::Builder::new()
        .prefix(".inzage-")
        .suffix(".zip.tmp")
        .tempfile_in(&dir)
        .map_err(io)?;
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(temp);
    for entry in entries {
        let started = match passphrase {
            Some(p) => zip.start_file(
                entry.path.as_str(),
                options.with_aes_encryption(AesMode::Aes256, p),
            ),
            None => zip.start_file(entry.path.as_str(), options),
        };
        started.map_err(|e| BundleError::Zip(e.to_string()))?;
        zip.write_all(&entry.bytes).map_err(io)?;
    }
    let temp = zip.finish().map_err(|e| BundleError::Zip(e.to_string()))?;
    temp.as_file().sync_all().map_err(io)?;
    if overwrite {
        temp.persist(out).map_err(|e| io(e.error))?;
    } else {
        temp.persist_noclobber(out).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                BundleError::Exists(out.to_path_buf())
            } else {
                io(e.error)
            }
        })?;
    }
    Ok(())
}
