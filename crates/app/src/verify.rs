//! Checks a bundle as its receiver would.

use std::path::Path;

pub use inzage_bundle::verify::Report;

use crate::error::{chain, AppError};

/// The variable an encrypted bundle's passphrase is read from.
pub const PASSPHRASE_VARIABLE: &str = "INZAGE_BUNDLE_PASSPHRASE";

/// The passphrase in [`PASSPHRASE_VARIABLE`], when set and not empty.
pub fn passphrase_from_env() -> Option<String> {
    std::env::var(PASSPHRASE_VARIABLE)
        .ok()
        .filter(|p| !p.is_empty())
}

/// Verifies the bundle: every sha256 in its manifest, nothing missing or
/// added, portability.json against schema.json.
pub fn verify(bundle: &Path, passphrase: Option<&str>) -> Result<Report, AppError> {
    inzage_bundle::verify::verify(bundle, passphrase).map_err(|e| AppError::failed(chain(&e)))
}
