//! `inzage config check`: validate connectors.toml.

use std::path::Path;

use crate::exit::Failure;

/// Validates the configuration and prints a one-line summary.
pub fn run(path: &Path) -> Result<(), Failure> {
    let config = super::load_config(path)?;
    let datasets: usize = config.connectors.iter().map(|c| c.datasets().len()).sum();
    let r = &config.register;
    println!(
        "{}: ok ({} connectors, {datasets} datasets; {} purposes, {} recipients, {} retention periods, {} categories)",
        path.display(),
        config.connectors.len(),
        r.purposes.len(),
        r.recipients.len(),
        r.retention.len(),
        r.categories.len()
    );
    Ok(())
}
