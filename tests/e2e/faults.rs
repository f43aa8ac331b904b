//! Hostile and broken input through the whole export: one bad value never
//! sinks a bundle, control characters never reach a report, CSV or
//! workbook raw, and a source that inflates beyond its limits fails alone.

use std::io::{Read, Write};
use std::path::Path;

use crate::support::*;

/// Bytes below 0x20 other than tab, LF and CR, and DEL.
fn raw_controls(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .filter(|b| (**b < 0x20 && !matches!(**b, b'\t' | b'\n' | b'\r')) || **b == 0x7f)
        .count()
}

/// The XML parts of a workbook, concatenated.
fn workbook_xml(bytes: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        zip.by_index(i).unwrap().read_to_end(&mut out).unwrap();
    }
    out
}

#[test]
fn one_overlong_value_and_control_characters_never_sink_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let me = story("mover");
    // A note longer than a spreadsheet cell holds, and NUL, ESC and a C1
    // control in a name: both as a mail archive or a careless export has them.
    let long: String = "lange notitie ".repeat(3_000);
    let body = format!(
        "Lidnummer;Klantnummer;Naam;Opmerking\r\nL-1;{k};Zo\u{0}\u{eb}\u{1b}[31m\u{85};{long}\r\nL-2;{k};Kort;gewoon\r\n",
        k = me.klantnummer
    );
    let file = dir.path().join("leden.csv");
    std::fs::write(&file, body).unwrap();
    let config = config_with(dir.path(), |c| {
        c + &member_list_source("huurdersvereniging", &file, "Klantnummer")
    });
    let (path, output) = export(&config, &me.klantnummer, dir.path(), &[]);
    let (code, stdout, stderr) = text(&output);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let bundle = Bundle::open(&path);
    assert_eq!(
        bundle.keys("huurdersvereniging", "Lidmaatschap"),
        ["L-1", "L-2"]
    );

    // Whole where the format allows it.
    let json: serde_json::Value =
        serde_json::from_slice(&bundle.files["data/huurdersvereniging/Lidmaatschap.json"]).unwrap();
    let first = &json["records"][0];
    assert!(
        first["values"]["Opmerking"].as_str() == Some(long.as_str()),
        "the long note is whole in JSON"
    );
    assert_eq!(first["values"]["Naam"], "Zo\u{0}\u{eb}\u{1b}[31m\u{85}");

    // Shortened with a note in the workbook, naming record and field.
    let workbook = &bundle.files["inzage.xlsx"];
    let cells = workbook_text(workbook);
    assert!(
        cells.contains("[ingekort: de tekst telt 42000 tekens")
            && cells
                .contains("data/huurdersvereniging/Lidmaatschap.json, record L-1, veld Opmerking]"),
        "the shortened cell says where the whole text is: {}",
        cells
            .find("[ingekort")
            .map(|i| &cells[i..(i + 300).min(cells.len())])
            .unwrap_or("no note")
    );

    // Control characters reach no report, CSV or workbook raw.
    for name in [
        "index.html",
        "data/huurdersvereniging/Lidmaatschap.csv",
        "manifest.json",
    ] {
        assert_eq!(raw_controls(&bundle.files[name]), 0, "{name}");
    }
    let xml = workbook_xml(workbook);
    let xml_text = String::from_utf8_lossy(&xml);
    assert!(
        raw_controls(&xml) == 0 && !xml_text.contains("_x0000_") && !xml_text.contains("_x001B_"),
        "no control characters in the workbook"
    );
    let html = String::from_utf8_lossy(&bundle.files["index.html"]);
    assert!(
        html.contains("Zo\u{FFFD}\u{eb}\u{FFFD}[31m\u{FFFD}"),
        "shown as U+FFFD"
    );
    assert!(!stderr.chars().any(|c| c.is_control() && c != '\n'));
}

#[test]
fn a_utf16_export_is_read_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let me = story("mover");
    let body = format!(
        "Lidnummer\tKlantnummer\tNaam\tOpmerking\r\nL-1\t{}\tZoë\tlid\r\n",
        me.klantnummer
    );
    let mut bytes = vec![0xFF, 0xFE];
    for unit in body.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let file = dir.path().join("leden-utf16.csv");
    std::fs::write(&file, bytes).unwrap();
    let config = config_with(dir.path(), |c| {
        c + &member_list_source("huurdersvereniging", &file, "Klantnummer")
    });
    let (path, output) = export(&config, &me.klantnummer, dir.path(), &[]);
    assert_eq!(text(&output).0, 0, "{:?}", text(&output));
    let json: serde_json::Value = serde_json::from_slice(
        &Bundle::open(&path).files["data/huurdersvereniging/Lidmaatschap.json"],
    )
    .unwrap();
    assert_eq!(json["records"][0]["values"]["Naam"], "Zoë");
}

/// The fixture workbook with a part of 64 MiB of zeros added (a few KiB compressed).
fn bomb(dir: &Path) -> std::path::PathBuf {
    let original = std::fs::read(root().join("fixtures/kwh/kwh-export.xlsx")).unwrap();
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(original)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.start_file(name, options).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.start_file("xl/media/image1.bin", options).unwrap();
    out.write_all(&vec![0u8; 64 << 20]).unwrap();
    let path = dir.join("kwh-bom.xlsx");
    std::fs::write(&path, out.finish().unwrap().into_inner()).unwrap();
    path
}

#[test]
fn a_decompression_bomb_fails_its_source_alone_with_the_limit_named() {
    let dir = tempfile::tempdir().unwrap();
    let extra = format!(
        r#"
[[connector]]
id = "kwh-bom"
kind = "xlsx"
label = "KWH (verdachte export)"
path = "{}"

[[connector.dataset]]
name = "Enquete"
sheet = "Antwoorden"
header_row = 3
purposes = ["kwaliteitsonderzoek"]
retention = "kwh_1j"
origin = "subject"
match = {{ klantnummer = "Klantnummer" }}
fields = {{ Klantnummer = "identificatie" }}
"#,
        bomb(dir.path()).display()
    );
    let config = config_with(dir.path(), |c| c + &extra);
    let tenant = story("two-emails").klantnummer;
    let (out, output) = export(&config, &tenant, dir.path(), &[]);
    let (code, stdout, stderr) = text(&output);
    assert_eq!(code, 3, "{stdout}{stderr}");
    assert!(!out.exists());
    for part in [
        "kwh-bom",
        "xl/media/image1.bin",
        "compression ratio",
        "max_compression_ratio = 250",
    ] {
        assert!(stderr.contains(part), "{part:?} in {stderr}");
    }
    let (out, output) = export(&config, &tenant, dir.path(), &["--allow-partial"]);
    assert_eq!(text(&output).0, 0, "{:?}", text(&output));
    let bundle = Bundle::open(&out);
    assert_eq!(bundle.source("kwh-bom")["status"], "failed");
    assert_eq!(bundle.source("kwh")["status"], "ok");
    assert!(!bundle.keys("kwh", "Enquete").is_empty());
}

#[test]
fn a_huge_label_in_the_configuration_never_sinks_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let me = story("mover");
    let file = dir.path().join("leden.csv");
    std::fs::write(
        &file,
        format!(
            "Lidnummer;Klantnummer;Naam;Opmerking\r\nL-1;{};Zoë;\r\n",
            me.klantnummer
        ),
    )
    .unwrap();
    let label = "Ledenlijst ".repeat(4_000);
    let config = config_with(dir.path(), |c| {
        c + &member_list_source("huurdersvereniging", &file, "Klantnummer").replace(
            "label = \"Ledenlijst huurdersvereniging\"",
            &format!("label = \"{label}\""),
        )
    });
    let (path, output) = export(&config, &me.klantnummer, dir.path(), &[]);
    let (code, stdout, stderr) = text(&output);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let bundle = Bundle::open(&path);
    let cells = workbook_text(&bundle.files["inzage.xlsx"]);
    assert!(
        cells.contains("[ingekort: de tekst telt 44000 tekens, meer dan een cel bevat]"),
        "the overview cell is shortened with a note"
    );
    assert!(String::from_utf8_lossy(&bundle.files["index.html"]).contains(label.trim_end()));
}
