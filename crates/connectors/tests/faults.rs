//! The fault matrix of the file-based connector kinds and the config
//! loader: every broken input is built here, in the real format, and each
//! must give no panic, bounded work (the limit error the limits promise,
//! not a wall-clock guess), the expected outcome, and a message that names
//! the place and the cause without raw control characters.
//!
//! The HTTP faults are in `src/http/tests.rs` (servers with body-fault
//! knobs), the database faults in `src/sql/mod.rs`.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::Utc;
use inzage_connectors::csv::{CsvConfig, CsvConnector};
use inzage_connectors::mail::{MailConfig, MailConnector};
use inzage_connectors::xlsx::{XlsxConfig, XlsxConnector};
use inzage_connectors::Config;
use inzage_core::{Connector, FetchOutcome, FetchRequest, Identifier, IdentifierKind, Value};

const KN: &str = "001042";

fn ask(kind: IdentifierKind, value: &str) -> FetchRequest {
    FetchRequest {
        identifiers: vec![Identifier::new(kind, value).unwrap()],
        fetched_at: Utc::now(),
    }
}

/// A message fit for the terminal and the manifest: no control characters.
fn clean(message: String) -> String {
    assert!(
        !message.chars().any(|c| c.is_control() && c != '\n'),
        "raw control characters in {message:?}"
    );
    message
}

fn assert_names(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "{part:?} in {message}");
    }
}

// ---------------------------------------------------------------- xlsx

/// A real workbook with a header in row 1 and one matching row.
fn workbook_bytes() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("Antwoorden").unwrap();
    sheet.write_string(0, 0, "Nummer").unwrap();
    sheet.write_string(0, 1, "Klantnummer").unwrap();
    sheet.write_string(1, 0, "R1").unwrap();
    sheet.write_string(1, 1, KN).unwrap();
    wb.save_to_buffer().unwrap()
}

/// The workbook's parts re-zipped with `extra` parts added.
fn rezip(original: &[u8], extra: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(original)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        out.start_file(name, options).unwrap();
        out.write_all(&bytes).unwrap();
    }
    for (name, bytes) in extra {
        out.start_file(*name, options.large_file(bytes.len() > u32::MAX as usize))
            .unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Sets the uncompressed size the zip declares for `name` (local header
/// and central directory) to `size`: a container that lies.
fn lie_about_size(zip_bytes: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    let mut i = 0;
    while i + 46 < zip_bytes.len() {
        let sig: [u8; 4] = zip_bytes[i..i + 4].try_into().unwrap();
        if &sig == b"PK\x03\x04" && zip_bytes[i + 30..].starts_with(name) {
            zip_bytes[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
        }
        if &sig == b"PK\x01\x02" && zip_bytes[i + 46..].starts_with(name) {
            zip_bytes[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
        }
        i += 1;
    }
}

fn xlsx(path: &Path, limits: &str) -> XlsxConnector {
    let toml_text = format!(
        "id = \"kwh\"\nlabel = \"KWH\"\npath = \"{}\"\n{limits}\n[[dataset]]\nname = \"Enquete\"\nsheet = \"Antwoorden\"\nkey = \"Nummer\"\nmatch = {{ klantnummer = \"Klantnummer\" }}\n[dataset.fields]\nNummer = \"x\"\nKlantnummer = {{ category = \"x\", type = \"text\" }}\n",
        path.display()
    );
    XlsxConnector::new(toml::from_str::<XlsxConfig>(&toml_text).unwrap())
}

async fn xlsx_error(dir: &Path, name: &str, bytes: &[u8], limits: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let err = xlsx(&path, limits)
        .fetch(&ask(IdentifierKind::Klantnummer, KN))
        .await
        .expect_err(name)
        .to_string();
    clean(err)
}

#[tokio::test]
async fn xlsx_containers_that_inflate_lie_or_break_stop_at_their_limits() {
    let dir = tempfile::tempdir().unwrap();
    let good = workbook_bytes();
    // The healthy workbook is read.
    let path = dir.path().join("kwh.xlsx");
    std::fs::write(&path, &good).unwrap();
    let found = xlsx(&path, "")
        .fetch(&ask(IdentifierKind::Klantnummer, KN))
        .await
        .unwrap();
    assert_eq!(found.records.len(), 1);

    // 64 MiB of zeros in a few KiB: the declared ratio stops it before reading.
    let bomb = rezip(&good, &[("xl/media/bom.bin", vec![0u8; 64 << 20])]);
    assert!(bomb.len() < 1 << 20);
    let m = xlsx_error(dir.path(), "bom.xlsx", &bomb, "").await;
    assert_names(
        &m,
        &[
            "bom.xlsx",
            "xl/media/bom.bin",
            "compression ratio",
            "max_compression_ratio = 250",
        ],
    );

    // The same bomb declaring 1,000 bytes: stopped while inflating.
    let mut liar = bomb.clone();
    lie_about_size(&mut liar, "xl/media/bom.bin", 1000);
    let m = xlsx_error(dir.path(), "leugen.xlsx", &liar, "").await;
    assert_names(
        &m,
        &[
            "leugen.xlsx",
            "xl/media/bom.bin",
            "larger than its declared",
            "crafted",
        ],
    );

    // Total size: a limit set per connector is kept, declared and actual.
    let big = rezip(&good, &[("xl/media/foto.bin", vec![7u8; 3 << 20])]);
    let m = xlsx_error(
        dir.path(),
        "groot.xlsx",
        &big,
        "max_uncompressed_bytes = 1048576\nmax_compression_ratio = 100000",
    )
    .await;
    assert_names(
        &m,
        &[
            "groot.xlsx",
            "decompression limit",
            "max_uncompressed_bytes = 1048576",
        ],
    );

    // A truncated zip and a CSV named .xlsx: not a workbook, and why.
    let m = xlsx_error(dir.path(), "half.xlsx", &good[..good.len() / 2], "").await;
    assert_names(&m, &["half.xlsx", "not a readable .xlsx workbook", "zip"]);
    assert!(!m.contains(":0:"), "no line 0: {m}");
    let m = xlsx_error(
        dir.path(),
        "lijst.xlsx",
        b"Nummer;Klantnummer\r\nR1;001042\r\n",
        "",
    )
    .await;
    assert_names(
        &m,
        &["lijst.xlsx", "not a readable .xlsx workbook", "renamed"],
    );
}

#[tokio::test]
async fn xlsx_sheets_with_too_many_rows_or_cells_stop_at_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("Antwoorden").unwrap();
    sheet.write_string(0, 0, "Nummer").unwrap();
    sheet.write_string(0, 1, "Klantnummer").unwrap();
    // Sparse and wide: one cell far right on each row.
    for r in 1..400u32 {
        sheet.write_string(r, 0, format!("R{r}")).unwrap();
        sheet.write_string(r, 16_383, "x").unwrap();
    }
    let path = dir.path().join("breed.xlsx");
    wb.save(&path).unwrap();
    let m = clean(
        xlsx(&path, "")
            .fetch(&ask(IdentifierKind::Klantnummer, KN))
            .await
            .unwrap_err()
            .to_string(),
    );
    assert_names(&m, &["breed.xlsx!Antwoorden!XFD", "max_cells = 5000000"]);
    let m = clean(
        xlsx(&path, "max_rows = 100")
            .check()
            .await
            .unwrap_err()
            .to_string(),
    );
    assert_names(
        &m,
        &[
            "breed.xlsx!Antwoorden!A101",
            "more than 100 rows",
            "max_rows = 100",
        ],
    );
}

#[tokio::test]
async fn a_missing_header_row_names_sheet_and_cell_not_line_zero() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kwh.xlsx");
    std::fs::write(&path, workbook_bytes()).unwrap();
    let toml_text = format!(
        "id = \"kwh\"\nlabel = \"KWH\"\npath = \"{}\"\n[[dataset]]\nname = \"Enquete\"\nsheet = \"Antwoorden\"\nheader_row = 9\nmatch = {{ klantnummer = \"Klantnummer\" }}\nfields = {{ Klantnummer = \"x\" }}\n",
        path.display()
    );
    let connector = XlsxConnector::new(toml::from_str::<XlsxConfig>(&toml_text).unwrap());
    let m = clean(connector.check().await.unwrap_err().to_string());
    assert_names(
        &m,
        &[
            "kwh.xlsx!Antwoorden!A9",
            "header_row = 9",
            "first filled row is 1",
        ],
    );
    assert!(!m.contains("kwh.xlsx:0"), "{m}");
}

// ---------------------------------------------------------------- csv

fn csv_connector(path: &Path, extra: &str) -> CsvConnector {
    let toml_text = format!(
        "id = \"leden\"\nlabel = \"Leden\"\npath = \"{}\"\n{extra}\n[[dataset]]\nname = \"Lid\"\nkey = \"Nr\"\nmatch = {{ klantnummer = \"Klant\" }}\n[dataset.fields]\nNr = \"x\"\nKlant = {{ category = \"x\", type = \"text\" }}\nNaam = \"x\"\nNotitie = \"x\"\n",
        path.display()
    );
    CsvConnector::new(toml::from_str::<CsvConfig>(&toml_text).unwrap())
}

async fn csv_fetch(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    extra: &str,
) -> Result<FetchOutcome, String> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    csv_connector(&path, extra)
        .fetch(&ask(IdentifierKind::Klantnummer, KN))
        .await
        .map_err(|e| clean(e.to_string()))
}

fn utf16(text: &str, little: bool) -> Vec<u8> {
    let mut out = if little {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if little {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

#[tokio::test]
async fn csv_encodings_are_recognised_or_reported_never_reinterpreted() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("Nr;Klant;Naam;Notitie\r\n1;{KN};Zoë;\"a\r\nb\"\r\n2;009999;X;\r\n");
    for (name, little) in [("le.csv", true), ("be.csv", false)] {
        let out = csv_fetch(dir.path(), name, &utf16(&text, little), "")
            .await
            .unwrap();
        assert_eq!(out.records.len(), 1, "{name}");
        assert_eq!(out.records[0].get("Naam"), Some(&Value::Text("Zoë".into())));
        assert_eq!(out.records[0].location, format!("{name}:2"));
    }
    // UTF-8 with a BOM (declared) and a bad byte: kept, replaced, flagged
    // with line and byte offset; not read as Windows-1252.
    let mut bytes = b"\xEF\xBB\xBFNr;Klant;Naam;Notitie\n".to_vec();
    bytes.extend_from_slice(format!("1;{KN};Zo\u{eb} ").as_bytes());
    bytes.extend_from_slice(b"\x80;x\n");
    let out = csv_fetch(dir.path(), "bom.csv", &bytes, "").await.unwrap();
    assert_eq!(
        out.records[0].get("Naam"),
        Some(&Value::Text("Zoë \u{FFFD}".into()))
    );
    assert_eq!(out.review.len(), 1);
    assert_names(
        &out.review[0].reason.to_string(),
        &["line 2", "column `Naam`", "byte offset", "U+FFFD"],
    );
    assert_eq!(out.review[0].location, "bom.csv:2");
    // A UTF-16 file with an unpaired surrogate fails, with the byte offset.
    let mut bad = utf16("Nr;Klant;Naam;Notitie\r\n", true);
    bad.extend_from_slice(&[0x00, 0xD8, b'x', 0]);
    let m = csv_fetch(dir.path(), "kapot16.csv", &bad, "")
        .await
        .unwrap_err();
    assert_names(&m, &["kapot16.csv", "byte offset 48", "invalid utf-16le"]);
    // NUL and ESC in a value are data: kept exactly (the writers neutralise them).
    let out = csv_fetch(
        dir.path(),
        "nul.csv",
        format!("Nr;Klant;Naam;Notitie\n1;{KN};a\0b;\u{1b}[31m\n").as_bytes(),
        "",
    )
    .await
    .unwrap();
    assert_eq!(
        out.records[0].get("Naam"),
        Some(&Value::Text("a\0b".into()))
    );
    // UTF-16 without a BOM is recognised by its zero bytes.
    let no_bom = &utf16(&text, true)[2..];
    let out = csv_fetch(dir.path(), "geenbom.csv", no_bom, "")
        .await
        .unwrap();
    assert_eq!(out.records.len(), 1);
    // A header with a NUL is quoted short and escaped in the message.
    let m = csv_fetch(dir.path(), "nulkop.csv", b"Nr;Kl\0ant;Naam;Notitie\n", "")
        .await
        .unwrap_err();
    assert_names(&m, &["nulkop.csv", "`Klant` not found", "Kl\\u{0}ant"]);
}

#[tokio::test]
async fn csv_quoting_and_shape_faults_are_named_and_bounded() {
    let dir = tempfile::tempdir().unwrap();
    // An unterminated quote: named as such, with the line it starts on.
    let body = format!("Nr;Klant;Naam;Notitie\n1;{KN};\"Zoë;x\n2;{KN};Y;z\n3;{KN};W;v\n");
    let m = csv_fetch(dir.path(), "quote.csv", body.as_bytes(), "")
        .await
        .unwrap_err();
    assert_names(
        &m,
        &["quote.csv:2", "unterminated quote", "starts on line 2"],
    );
    // The same in a big file stops at max_record_bytes, not at the end of the file.
    let mut big = format!("Nr;Klant;Naam;Notitie\n1;{KN};\"open;x\n").into_bytes();
    big.extend(std::iter::repeat_n(b'a', 3 << 20));
    let m = csv_fetch(dir.path(), "groot.csv", &big, "")
        .await
        .unwrap_err();
    assert_names(
        &m,
        &["groot.csv:2", "max_record_bytes = 1048576", "never closed"],
    );
    // A very long line without quotes, under a lowered limit.
    let long = format!("Nr;Klant;Naam;Notitie\n1;{KN};{};x\n", "b".repeat(300_000));
    let m = csv_fetch(
        dir.path(),
        "lang.csv",
        long.as_bytes(),
        "max_record_bytes = 100000",
    )
    .await
    .unwrap_err();
    assert_names(&m, &["lang.csv:2", "max_record_bytes = 100000"]);
    // A duplicate header column, named.
    let m = csv_fetch(
        dir.path(),
        "dubbel.csv",
        b"Nr;Klant;Naam;Naam;Notitie\n",
        "",
    )
    .await
    .unwrap_err();
    assert_names(
        &m,
        &["dubbel.csv:1", "duplicate column `Naam`", "columns 3 and 4"],
    );
    // Too many rows for the limit.
    let mut rows = String::from("Nr;Klant;Naam;Notitie\n");
    for i in 0..50 {
        rows.push_str(&format!("{i};{KN};N;\n"));
    }
    let m = csv_fetch(dir.path(), "veel.csv", rows.as_bytes(), "max_rows = 10")
        .await
        .unwrap_err();
    assert_names(&m, &["veel.csv:12", "max_rows = 10"]);
    // A short row without quotes: the field count, as before.
    let m = csv_fetch(
        dir.path(),
        "kort.csv",
        format!("Nr;Klant;Naam;Notitie\n1;{KN};N\n").as_bytes(),
        "",
    )
    .await
    .unwrap_err();
    assert_names(&m, &["kort.csv:2", "3 fields where the header has 4"]);
}

// ---------------------------------------------------------------- mail

fn mail(paths: &[PathBuf], extra: &str) -> MailConnector {
    let config: MailConfig = toml::from_str(&format!(
        r#"
id = "mail"
label = "Mail"
paths = {:?}
{extra}
[[dataset]]
name = "Bericht"
key = "message_id"
match = {{ email = "adressen", klantnummer = "onderwerp_tekst" }}
fields = {{ message_id = "c", datum = "c", van = "c", aan = "c", cc = "c", onderwerp = "c", tekst = "c", bijlagen = "c", gevonden_via = "c", opmerking = "c" }}
"#,
        paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>()
    ))
    .unwrap();
    MailConnector::new(config)
}

fn message(id: &str, extra_headers: &str, body: &str) -> String {
    format!("Message-ID: <{id}>\nDate: Mon, 2 Sep 2024 10:00:00 +0200\nFrom: a@example.org\nTo: b@example.org\nSubject: Over {KN}\n{extra_headers}\n{body}\n")
}

#[tokio::test]
async fn damaged_mail_is_kept_with_a_note_or_reviewed_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("eml");
    std::fs::create_dir(&eml).unwrap();
    let flood: String = (0..3000).map(|i| format!("X-Flood-{i}: x\n")).collect();
    let cases = [
        ("flood.eml", message("flood@x", &flood, "tekst")),
        ("nul.eml", message("nul@x", "", "a\0b \u{1b}[31m rood")),
        (
            "charset.eml",
            message(
                "cs@x",
                "Content-Type: text/plain; charset=x-onbekend-42\n",
                "Zo\u{eb}",
            ),
        ),
        (
            "diep.eml",
            message(
                "diep@x",
                "Content-Type: multipart/mixed; boundary=\"b0\"\n",
                &(1..80)
                    .map(|i| {
                        format!(
                            "--b{}\nContent-Type: multipart/mixed; boundary=\"b{i}\"\n\n",
                            i - 1
                        )
                    })
                    .collect::<String>(),
            ),
        ),
    ];
    for (name, text) in &cases {
        std::fs::write(eml.join(name), text).unwrap();
    }
    // Odd files in the folder: empty, binary, a subfolder.
    std::fs::write(eml.join("leeg.eml"), b"").unwrap();
    std::fs::write(eml.join("foto.eml"), [0xFFu8, 0xD8, 0xFF, 0xE0, 0, 0, 0x10]).unwrap();
    std::fs::create_dir(eml.join("sub.eml")).unwrap();
    let out = mail(std::slice::from_ref(&eml), "")
        .fetch(&ask(IdentifierKind::Klantnummer, KN))
        .await
        .unwrap();
    let mut keys: Vec<&str> = out.records.iter().map(|r| r.key.as_str()).collect();
    keys.sort();
    assert_eq!(keys, ["cs@x", "nul@x"], "review: {:?}", out.review);
    let nul = out.records.iter().find(|r| r.key == "nul@x").unwrap();
    assert!(
        nul.get("tekst").unwrap().as_text().unwrap().contains('\0'),
        "kept as data"
    );
    let mut reasons: Vec<String> = out
        .review
        .iter()
        .map(|r| clean(format!("{} {}", r.location, r.reason)))
        .collect();
    reasons.sort();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert_names(&reasons[0], &["diep.eml", "max_mime_depth = 50"]);
    assert_names(
        &reasons[1],
        &["flood.eml", "header lines", "max_headers = 2000"],
    );

    // A message larger than the limit, in an mbox: reviewed with its line.
    let mbox = dir.path().join("archief.mbox");
    let mut text = String::from("From a@example.org Mon Sep  2 10:00:00 2024\n");
    text.push_str(&message("klein@x", "", "kort"));
    text.push_str("\nFrom a@example.org Mon Sep  2 10:00:00 2024\n");
    text.push_str(&message("groot@x", "", &"regel tekst\n".repeat(20_000)));
    std::fs::write(&mbox, text).unwrap();
    let out = mail(&[mbox], "max_message_bytes = 100000")
        .fetch(&ask(IdentifierKind::Klantnummer, KN))
        .await
        .unwrap();
    assert_eq!(out.records.len(), 1);
    assert_eq!(out.review.len(), 1);
    assert_names(&out.review[0].location, &["archief.mbox:", "(line 11)"]);
    assert_names(
        &out.review[0].reason.to_string(),
        &["max_message_bytes = 100000"],
    );
}

// ---------------------------------------------------------------- config

#[test]
fn broken_configurations_name_file_line_and_cause() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let check = |path: PathBuf, parts: &[&str]| {
        let m = clean(Config::load(&path).unwrap_err().to_string());
        assert_names(&m, parts);
    };
    check(
        write("syntax.toml", b"[organisation]\nname = \"x\n"),
        &["syntax.toml:2"],
    );
    check(
        write(
            "dubbel.toml",
            b"[organisation]\nname = \"a\"\nname = \"b\"\n",
        ),
        &["dubbel.toml:3", "duplicate key"],
    );
    check(
        write("latin1.toml", b"[organisation]\nname = \"Zo\xEB\"\n"),
        &["latin1.toml:2", "invalid UTF-8 at byte offset 25"],
    );
    check(
        write("nul.toml", b"[organisation]\nname = \"a\0b\"\n"),
        &["nul.toml:2"],
    );
    // A reference with a terminal escape sequence is shown escaped.
    let fixture = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../connectors.toml"),
    )
    .unwrap()
    .replacen(
        "purposes = [\"kwaliteitsonderzoek\"]",
        "purposes = [\"kwaliteits\\u001b[31monderzoek\"]",
        1,
    );
    assert!(fixture.contains("\\u001b"));
    check(
        write("esc.toml", fixture.as_bytes()),
        &["unknown purpose `kwaliteits\\u{1b}[31monderzoek`"],
    );
    let huge = vec![b'#'; 5 << 20];
    check(
        write("groot.toml", &huge),
        &["groot.toml", "more than a configuration may have"],
    );
}

// ---------------------------------------------------------------- cancellation

/// A fetch that is given up (the engine's timeout drops it) stops its
/// blocking parse: the runtime shuts down long before a full parse would
/// have ended. Calibrated against a full parse of the same file, so the
/// bound holds on a slow machine too.
#[test]
fn a_fetch_that_is_given_up_stops_its_parse() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("groot.csv");
    let mut body = String::from("Nr;Klant;Naam;Notitie\n");
    for i in 0..400_000 {
        body.push_str(&format!(
            "{i};{:06};Naam {i};een notitie van enige lengte\n",
            i % 999_999
        ));
    }
    std::fs::write(&path, body).unwrap();
    let runtime = || {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_time()
            .build()
            .unwrap()
    };
    let started = std::time::Instant::now();
    runtime()
        .block_on(csv_connector(&path, "").fetch(&ask(IdentifierKind::Klantnummer, KN)))
        .unwrap();
    let full = started.elapsed();

    let rt = runtime();
    let started = std::time::Instant::now();
    let given_up = rt.block_on(async {
        tokio::time::timeout(
            full / 20,
            csv_connector(&path, "").fetch(&ask(IdentifierKind::Klantnummer, KN)),
        )
        .await
    });
    assert!(given_up.is_err(), "the fetch was given up");
    // Shutting down waits for blocking tasks: a parse that went on would
    // hold it for about the full time.
    rt.shutdown_timeout(full * 4);
    let stopped = started.elapsed();
    assert!(
        stopped < full / 2,
        "the parse stopped when it was given up: {stopped:?}, a full parse takes {full:?}"
    );
}
