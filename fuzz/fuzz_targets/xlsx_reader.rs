//! The XLSX reader on arbitrary bytes: the zip checks (declared and actual
//! sizes, ratio), calamine, and the bounded cell reader. Must never panic
//! and never allocate beyond the limits (libFuzzer's -rss_limit_mb).
#![no_main]

use std::sync::OnceLock;

use inzage_connectors::limits::Cancel;
use inzage_connectors::xlsx::{read_sheet, XlsxDataset, XlsxLimits};
use libfuzzer_sys::fuzz_target;

fn dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().unwrap())
}

fuzz_target!(|data: &[u8]| {
    let path = dir().path().join("input.xlsx");
    std::fs::write(&path, data).unwrap();
    let dataset: XlsxDataset = toml::from_str(
        "sheet = \"Blad1\"\nname = \"D\"\nmatch = { klantnummer = \"Klant\" }\nfields = { Klant = \"x\" }\n",
    )
    .unwrap();
    let limits = XlsxLimits {
        max_uncompressed_bytes: 16 << 20,
        max_cells: 200_000,
        ..XlsxLimits::default()
    };
    if let Err(e) = read_sheet(&path, &dataset, &limits, &Cancel::never()) {
        let message = e.to_string();
        assert!(
            !message.chars().any(|c| c.is_control() && c != '\n'),
            "{message:?}"
        );
    }
});
