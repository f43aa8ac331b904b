//! `inzage config check`: validate connectors.toml.

use std::path::Path;

use crate::exit::Failure;

/// Validates the configuration and prints a one-line summary.
pub fn run(path: &Path) -> Result<(), Failure> {
    let config = inzage_app::load_config(path)?;
    let receivers = inzage_app::receivers::load(path)?;
    let datasets: usize = config.connectors.iter().map(|c| c.datasets().len()).sum();
    let r = &config.register;
    println!(
        "{}: ok ({} connectors, {datasets} datasets; {} purposes, {} recipients, {} retention periods, {} categories; {} receivers)",
        path.display(),
        config.connectors.len(),
        r.purposes.len(),
        r.recipients.len(),
        r.retention.len(),
        r.categories.len(),
        receivers.len()
    );
    for warning in protection_warnings(&config) {
        println!("warning: {warning}");
    }
    Ok(())
}

/// What would let other people's data through unredacted: said, not fatal.
fn protection_warnings(config: &inzage_connectors::Config) -> Vec<String> {
    let mut out = Vec::new();
    let free_text = config
        .connectors
        .iter()
        .flat_map(|c| c.datasets())
        .flat_map(|d| d.fields.values())
        .filter(|f| f.is_free_text())
        .count();
    if free_text == 0 {
        out.push("no field is declared `free_text = true`: notes, mail texts and descriptions are not scanned for other people's data (see the README, Other people's data)".to_string());
    }
    if config.protect.people.is_none() {
        out.push("no [protect.people] index: names of other relaties in free text are not found, only e-mail addresses, phone numbers, IBANs, BSNs and addresses".to_string());
    }
    out
}
