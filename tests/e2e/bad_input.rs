//! Bad input: a clear message naming source, file and line or row; the other
//! sources still complete; no bundle unless --allow-partial, then marked partial.

use std::path::Path;

use crate::support::*;

fn tenant() -> String {
    story("two-emails").klantnummer
}

fn write_member_list(dir: &Path, body: &str) -> std::path::PathBuf {
    let path = dir.join("ledenlijst.csv");
    std::fs::write(&path, body).unwrap();
    path
}

/// Exports with one broken extra source; asserts the failure is reported
/// and returns the reason the manifest of a partial bundle gives.
fn broken_source_is_reported(
    config: &Path,
    dir: &Path,
    source: &str,
    must_mention: &[&str],
) -> String {
    let (out_path, output) = export(config, &tenant(), dir, &[]);
    let (code, stdout, stderr) = text(&output);
    assert_eq!(code, 3, "a failed source exits 3: {stdout}{stderr}");
    assert!(!out_path.exists(), "no bundle without --allow-partial");
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no half-written bundle left behind");
    for needle in must_mention {
        assert!(
            stderr.contains(needle),
            "stderr mentions {needle:?}: {stderr}"
        );
    }
    assert!(
        stderr.contains("kwh") && stderr.contains(" ok "),
        "the other sources complete: {stderr}"
    );

    let (out_path, output) = export(config, &tenant(), dir, &["--allow-partial"]);
    let (code, stdout, stderr) = text(&output);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("PARTIAL"), "{stdout}");
    let bundle = Bundle::open(&out_path);
    assert_eq!(bundle.manifest["complete"], false);
    assert_eq!(bundle.source("kwh")["status"], "ok");
    assert!(!bundle.keys("kwh", "Enquete").is_empty());
    let failed = bundle.source(source);
    assert_eq!(failed["status"], "failed");
    failed["reason"].as_str().unwrap().to_string()
}

#[test]
fn a_missing_file_fails_that_source_only() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("weg.csv");
    let config = config_with(dir.path(), |c| {
        c + &member_list_source("ledenlijst", &missing, "Klantnummer")
    });
    let reason = broken_source_is_reported(
        &config,
        dir.path(),
        "ledenlijst",
        &["ledenlijst", "weg.csv"],
    );
    assert!(reason.contains("weg.csv"), "{reason}");
}

#[test]
fn a_wrong_sheet_name_names_the_sheets_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    let kwh = root().join("fixtures/kwh/kwh-export.xlsx");
    let extra = format!(
        r#"
[[connector]]
id = "kwh-oud"
kind = "xlsx"
label = "KWH (oude export)"
path = "{}"

[[connector.dataset]]
name = "Enquete"
sheet = "Antwoord"
header_row = 3
purposes = ["kwaliteitsonderzoek"]
retention = "kwh_1j"
origin = "subject"
match = {{ klantnummer = "Klantnummer" }}
fields = {{ Klantnummer = "identificatie" }}
"#,
        kwh.display()
    );
    let config = config_with(dir.path(), |c| c + &extra);
    let reason = broken_source_is_reported(
        &config,
        dir.path(),
        "kwh-oud",
        &["kwh-oud", "sheet \"Antwoord\""],
    );
    assert!(
        reason.contains("Antwoorden"),
        "lists the sheets present: {reason}"
    );
}

#[test]
fn a_missing_column_is_named_with_the_columns_present() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_member_list(
        dir.path(),
        &format!(
            "Lidnummer;Klantnr;Naam;Opmerking\r\nL1;{};Lid;\r\n",
            tenant()
        ),
    );
    let config = config_with(dir.path(), |c| {
        c + &member_list_source("ledenlijst", &file, "Klantnummer")
    });
    let reason = broken_source_is_reported(&config, dir.path(), "ledenlijst", &["`Klantnummer`"]);
    assert!(
        reason.contains("Klantnr") && reason.contains("ledenlijst.csv"),
        "{reason}"
    );
}

#[test]
fn a_malformed_row_is_reported_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_member_list(
        dir.path(),
        &format!(
            "Lidnummer;Klantnummer;Naam;Opmerking\r\nL1;{t};Lid;\"twee\r\nregels\"\r\nL2;{t};Lid;te;veel;velden\r\n",
            t = tenant()
        ),
    );
    let config = config_with(dir.path(), |c| {
        c + &member_list_source("ledenlijst", &file, "Klantnummer")
    });
    let reason =
        broken_source_is_reported(&config, dir.path(), "ledenlijst", &["ledenlijst.csv:4"]);
    assert!(
        reason.contains("6 fields") && reason.contains("4"),
        "{reason}"
    );
}

#[test]
fn an_existing_bundle_is_never_overwritten_silently() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join(format!("{}.zip", tenant()));
    std::fs::write(&target, b"earlier bundle").unwrap();
    let (_, output) = export(&root().join("connectors.toml"), &tenant(), dir.path(), &[]);
    let (code, _, stderr) = text(&output);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("already exists") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"earlier bundle");
    let (_, output) = export(
        &root().join("connectors.toml"),
        &tenant(),
        dir.path(),
        &["--force"],
    );
    assert_eq!(text(&output).0, 0);
    Bundle::open(&target);
}
