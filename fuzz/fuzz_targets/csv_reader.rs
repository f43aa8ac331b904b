//! The CSV connector on arbitrary file bytes: sniffing (encoding,
//! delimiter), the metered reader, decoding and matching. Must never panic;
//! every error must be free of raw control characters.
#![no_main]

use std::sync::OnceLock;

use inzage_connectors::csv::{CsvConfig, CsvConnector};
use inzage_core::{Connector, FetchRequest, Identifier, IdentifierKind};
use libfuzzer_sys::fuzz_target;

struct Setup {
    dir: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| Setup {
        dir: tempfile::tempdir().unwrap(),
        runtime: tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap(),
    })
}

fuzz_target!(|data: &[u8]| {
    let s = setup();
    let path = s.dir.path().join("input.csv");
    std::fs::write(&path, data).unwrap();
    let config: CsvConfig = toml::from_str(&format!(
        "id = \"f\"\nlabel = \"F\"\npath = \"{}\"\nmax_record_bytes = 65536\n[[dataset]]\nname = \"D\"\nmatch = {{ klantnummer = \"Klant\" }}\nfields = {{ Klant = {{ category = \"x\", type = \"text\" }}, Naam = \"x\" }}\n",
        path.display()
    ))
    .unwrap();
    let connector = CsvConnector::new(config);
    let request = FetchRequest {
        identifiers: vec![Identifier::new(IdentifierKind::Klantnummer, "001042").unwrap()],
        fetched_at: chrono::Utc::now(),
    };
    let result = s.runtime.block_on(connector.fetch(&request));
    if let Err(e) = result {
        let message = e.to_string();
        assert!(
            !message.chars().any(|c| c.is_control() && c != '\n'),
            "{message:?}"
        );
    }
});
