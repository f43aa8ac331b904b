//! Helpers for the end-to-end tests: run the binary, read bundles and stories.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde::Deserialize;
use serde_json::Value;

/// The repository root (where connectors.toml and fixtures/ live).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `inzage` binary, run from the repository root.
pub fn inzage() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_inzage"));
    cmd.current_dir(root());
    cmd.env_remove("RUST_LOG");
    cmd.env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// Runs a command and returns its output (never panics on a non-zero exit).
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the inzage binary runs")
}

/// Exit code, stdout and stderr as text.
pub fn text(out: &Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A bundle read back from its zip.
pub struct Bundle {
    pub files: BTreeMap<String, Vec<u8>>,
    pub manifest: Value,
}

impl Bundle {
    pub fn open(path: &Path) -> Bundle {
        let file = std::fs::File::open(path).expect("bundle exists");
        let mut zip = zip::ZipArchive::new(file).expect("bundle is a zip");
        let mut files = BTreeMap::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            files.insert(entry.name().expect("UTF-8 entry name").to_string(), bytes);
        }
        let manifest = serde_json::from_slice(&files["manifest.json"]).expect("manifest is JSON");
        Bundle { files, manifest }
    }

    /// Record keys of one dataset, from its JSON file (empty when absent).
    pub fn keys(&self, source: &str, dataset: &str) -> Vec<String> {
        let Some(bytes) = self.files.get(&format!("data/{source}/{dataset}.json")) else {
            return Vec::new();
        };
        let doc: Value = serde_json::from_slice(bytes).unwrap();
        let mut keys: Vec<String> = doc["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["key"].as_str().unwrap().to_string())
            .collect();
        keys.sort();
        keys
    }

    /// The manifest entry of a source.
    pub fn source(&self, id: &str) -> &Value {
        self.manifest["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("source {id} in manifest"))
    }

    /// All file contents as text, lowercased, for searching; a workbook
    /// contributes the text of every cell of every sheet. Hashes (runs of 32
    /// or more hex digits) are blanked: a six-digit klantnummer can occur in
    /// a sha256 by chance, and a hash is not personal data.
    pub fn all_text_lowercase(&self) -> String {
        let text = self
            .files
            .iter()
            .map(|(name, bytes)| {
                if name.ends_with(".xlsx") {
                    workbook_text(bytes).to_lowercase()
                } else {
                    String::from_utf8_lossy(bytes).to_lowercase()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        blank_hashes(&text)
    }
}

/// fixtures/stories.json.
#[derive(Deserialize)]
pub struct Stories {
    pub stories: Vec<Story>,
}

/// One story tenant and what their bundle must hold.
#[derive(Deserialize)]
pub struct Story {
    pub story: String,
    pub klantnummer: String,
    pub contractnummers: Vec<String>,
    pub emails: Vec<String>,
    pub expected: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    pub foreign_identifiers: Vec<String>,
    /// The items that must be on the review list.
    pub review: Vec<ExpectedReview>,
}

/// A record the review list names.
#[derive(Deserialize)]
pub struct ExpectedReview {
    pub source: String,
    pub dataset: String,
    pub key: String,
}

pub fn stories() -> Stories {
    let bytes = std::fs::read(root().join("fixtures/stories.json")).expect("fixtures/stories.json");
    serde_json::from_slice(&bytes).expect("stories.json parses")
}

pub fn story(name: &str) -> Story {
    stories()
        .stories
        .into_iter()
        .find(|s| s.story == name)
        .unwrap_or_else(|| panic!("story {name}"))
}

/// Exports a bundle for a customer into `dir` and returns its path and output.
pub fn export(config: &Path, customer: &str, dir: &Path, extra: &[&str]) -> (PathBuf, Output) {
    let out = dir.join(format!("{customer}.zip"));
    let output = run(inzage()
        .arg("--config")
        .arg(config)
        .args(["export", "--customer", customer, "--out"])
        .arg(&out)
        .args(extra));
    (out, output)
}

/// Writes a copy of the fixture connectors.toml into `dir`, with fixture
/// paths made absolute and `edit` applied, and returns its path.
pub fn config_with(dir: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    config_file(dir, "connectors.toml", edit)
}

/// Like [`config_with`], under another file name in `dir`.
pub fn config_file(dir: &Path, name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let original = std::fs::read_to_string(root().join("connectors.toml")).unwrap();
    let fixtures = root().join("fixtures");
    // Every fixture path in the file, made absolute (file paths, globs, URLs).
    let absolute = original
        .replace("\"fixtures/", &format!("\"{}/", fixtures.display()))
        .replace(
            "sqlite:fixtures/",
            &format!("sqlite:{}/", fixtures.display()),
        );
    let path = dir.join(name);
    std::fs::write(&path, edit(absolute)).unwrap();
    path
}

/// A `[[connector]]` block for a CSV source keyed on klantnummer, to append
/// to a configuration: columns Lidnummer, Klantnummer, Naam, Opmerking.
pub fn member_list_source(id: &str, path: &Path, klantnummer_column: &str) -> String {
    format!(
        r#"
[[connector]]
id = "{id}"
kind = "csv"
label = "Ledenlijst huurdersvereniging"
path = "{path}"

[[connector.dataset]]
name = "Lidmaatschap"
purposes = ["communicatie"]
recipients = []
retention = "contact_2j"
origin = "subject"
key = "Lidnummer"
owner = {{ klantnummer = "{klantnummer_column}" }}

[connector.dataset.match]
klantnummer = "{klantnummer_column}"

[connector.dataset.fields]
Lidnummer = "identificatie"
{klantnummer_column} = {{ category = "identificatie", type = "text" }}
Naam = "naw"
Opmerking = "contactmoment"
"#,
        path = path.display()
    )
}

/// Every cell of every sheet of a workbook, as text.
pub fn workbook_text(bytes: &[u8]) -> String {
    use calamine::Reader;
    let mut workbook =
        calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a readable workbook");
    let mut out = String::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).expect("a readable sheet");
        for row in range.rows() {
            for cell in row {
                out.push_str(&cell.to_string());
                out.push('\t');
            }
            out.push('\n');
        }
    }
    out
}

/// Replaces every run of 32 or more hex digits by `#`.
fn blank_hashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() >= 32 {
            out.push('#');
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_hexdigit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The SHA-256 of every export the audit trail records for request `id`.
pub fn exports_in_trail(trail: &Path, id: &str) -> Vec<String> {
    std::fs::read_to_string(trail)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["action"] == "export" && e["request"] == id)
        .map(|e| e["details"]["sha256"].as_str().unwrap().to_string())
        .collect()
}

/// The SHA-256 of a file, hex.
pub fn sha256_of(path: &Path) -> String {
    hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
        std::fs::read(path).unwrap(),
    ))
}

/// Extracts an encrypted bundle with 7-Zip and the passphrase into `out`.
pub fn seven_zip_extract(zip: &Path, passphrase: &str, out: &Path) {
    let right = Command::new("7z")
        .args(["x", &format!("-p{passphrase}"), "-y"])
        .arg(format!("-o{}", out.display()))
        .arg(zip)
        .output()
        .unwrap();
    assert!(
        right.status.success(),
        "{}",
        String::from_utf8_lossy(&right.stdout)
    );
}
