//! The export use case on the fixture estate reports every source's
//! progress as it goes, and the same statuses it writes into the bundle.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use inzage_app::export::{export, ExportEvent, ExportInput, ExportSubject};
use inzage_app::requests::SubjectRef;
use inzage_bundle::BundleKind;
use inzage_engine::{SourceEvent, SourceStatus};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[tokio::test]
async fn every_source_is_reported_asked_and_answered_or_skipped() {
    // connectors.toml names its files relative to the repository root.
    std::env::set_current_dir(root()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let exported = export(
        &root().join("connectors.toml"),
        ExportInput {
            subject: ExportSubject::Tenant(SubjectRef::Customer("001011".into())),
            kind: BundleKind::Access,
            out: dir.path().join("b.zip"),
            allow_partial: false,
            allow_empty: false,
            force: false,
            lang: None,
            now: "2026-01-31T12:00:00Z".parse().unwrap(),
            received: None,
            passphrase: None,
            decisions: None,
            to: None,
        },
        Arc::new(move |e| sink.lock().unwrap().push(e)),
    )
    .await
    .expect("export");
    assert!(exported.complete && exported.records > 0 && exported.path.exists());
    let events = events.lock().unwrap();
    let searched = events
        .iter()
        .find_map(|e| match e {
            ExportEvent::Searched(s) => Some(s.clone()),
            _ => None,
        })
        .expect("a Searched event");
    for source in &searched {
        let asked = events.iter().any(|e| {
            matches!(e, ExportEvent::Source(SourceEvent::Asked { source: s, .. }) if s == &source.id)
        });
        let answered = events.iter().any(|e| {
            matches!(e, ExportEvent::Source(SourceEvent::Answered { source: s, .. }) if s == &source.id)
        });
        match source.status {
            SourceStatus::Ok => assert!(asked && answered, "{}: {events:?}", source.id),
            SourceStatus::Skipped { .. } => assert!(!asked, "{}", source.id),
            SourceStatus::Failed { .. } => panic!("{} failed", source.id),
        }
    }
    let erp_records: usize = events
        .iter()
        .filter_map(|e| match e {
            ExportEvent::Source(SourceEvent::Answered {
                source, records, ..
            }) if source == "erp" => Some(*records),
            _ => None,
        })
        .sum();
    assert!(erp_records > 0, "the ERP knows customer 001011");
    assert!(events
        .iter()
        .any(|e| matches!(e, ExportEvent::Protected(_))));
}
