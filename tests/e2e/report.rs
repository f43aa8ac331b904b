//! The access report a person reads: index.html and inzage.xlsx, in Dutch
//! and English, safe against hostile source data, checked in a real browser,
//! and compared with golden files.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

const NOW: &str = "2026-11-25T10:00:00Z";

fn export_story(name: &str, dir: &Path, extra: &[&str]) -> (Story, Bundle, PathBuf) {
    let story = story(name);
    let mut args = vec!["--now", NOW, "--received", "2026-11-20"];
    args.extend_from_slice(extra);
    let (path, output) = export(
        &root().join("connectors.toml"),
        &story.klantnummer,
        dir,
        &args,
    );
    assert_eq!(text(&output).0, 0, "{:?}", text(&output));
    let bundle = Bundle::open(&path);
    (story, bundle, path)
}

/// The visible text of an HTML page: tags, styles and entities removed.
fn page_text(html: &str) -> String {
    let without_style = html
        .split("<style>")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.split_once("</style>")
                    .map(|(_, rest)| rest)
                    .unwrap_or("")
            }
        })
        .collect::<String>();
    let mut out = String::new();
    let mut in_tag = false;
    for c in without_style.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The report as lines of text, one per heading, paragraph, list item and
/// table row (cells joined by ` | `): a readable golden file.
fn report_lines(html: &str) -> String {
    let mut marked = html.to_string();
    for tag in [
        "</tr>",
        "</p>",
        "</h1>",
        "</h2>",
        "</h3>",
        "</h4>",
        "</li>",
        "</dd>",
        "</div>",
        "</summary>",
        "<br>",
    ] {
        marked = marked.replace(tag, &format!("{tag}\u{1}"));
    }
    for tag in ["</td>", "</th>"] {
        marked = marked.replace(tag, &format!("{tag}\u{2}"));
    }
    page_text(&marked)
        .split('\u{1}')
        .map(|line| {
            line.split('\u{2}')
                .map(str::trim)
                .filter(|cell| !cell.is_empty())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// A sheet's XML inside the workbook (`xl/worksheets/sheetN.xml`), and styles.
fn workbook_parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap_or_default();
            (f.name().unwrap().to_string(), s)
        })
        .collect()
}

#[test]
fn the_report_holds_the_summary_the_person_the_register_and_the_rights() {
    let dir = tempfile::tempdir().unwrap();
    let (story, bundle, _) = export_story("signalering", dir.path(), &[]);
    let html = String::from_utf8(bundle.files["index.html"].clone()).unwrap();
    assert!(
        html.contains("http-equiv=\"Content-Security-Policy\"")
            && html.contains("script-src 'none'")
    );
    assert!(!html.contains("<script"), "no scripts in the report");
    let text = page_text(&html);
    for needle in [
        "Uw persoonsgegevens",
        "Samenvatting",
        "Huurdersadministratie (ERP)",
        "Signaleringsmodule ongewenst huurdersgedrag regio Utrecht (export)",
        "Uw gegevens in één overzicht",
        "verschilt tussen systemen",
        "Gerechtvaardigd belang (art. 6 lid 1 sub f AVG)",
        "Ontvangen van Aangesloten corporaties van de signaleringsmodule",
        "Gerechtsdeurwaarder en incassobureau",
        "Microsoft (kantoorsoftware en e-mail)",
        "EU-VS Data Privacy Framework",
        "Autoriteit Persoonsgegevens",
        "Wij nemen geen geautomatiseerde besluiten",
        "pf@mitros.nl",
        "20 november 2026",
        "20 december 2026",
        "25 november 2026",
        "bijzonder of strafrechtelijk gegeven",
    ] {
        assert!(text.contains(needle), "report shows {needle:?}");
    }
    assert!(text.contains(&story.klantnummer));
    for right in [
        "verbeteren",
        "wissen",
        "beperken",
        "bezwaar",
        "over te dragen",
        "toestemming",
    ] {
        assert!(text.contains(right), "right {right}");
    }
}

#[test]
fn english_reports_come_from_the_same_register() {
    let dir = tempfile::tempdir().unwrap();
    let (_, bundle, _) = export_story("mover", dir.path(), &["--lang", "en"]);
    let text = page_text(&String::from_utf8(bundle.files["index.html"].clone()).unwrap());
    for needle in [
        "Your personal data",
        "Your rights",
        "Performance of the contract (art. 6(1)(b) GDPR)",
        "Tenancy agreements",
        "Until 2 years after the tenancy ends",
        "Dutch Data Protection Authority",
    ] {
        assert!(text.contains(needle), "English report shows {needle:?}");
    }
    assert!(!text.contains("Uw rechten"));
}

#[test]
fn the_workbook_has_an_overview_and_a_frozen_filtered_sheet_per_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let (story, bundle, _) = export_story("mover", dir.path(), &[]);
    let bytes = &bundle.files["inzage.xlsx"];
    use calamine::Reader;
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let names = workbook.sheet_names();
    assert_eq!(names[0], "Samenvatting");
    // Sheet names are the datasets' labels in the bundle's language.
    for label in [
        "Huurovereenkomsten",
        "Huurbetalingen",
        "Contactmomenten",
        "E-mailberichten",
    ] {
        assert!(names.iter().any(|n| n == label), "{label} in {names:?}");
    }
    assert!(names
        .iter()
        .all(|n| n.chars().count() <= 31 && !n.contains(['[', ']', ':', '*', '?', '/', '\\'])));
    let contracts = workbook.worksheet_range("Huurovereenkomsten").unwrap();
    let rows: Vec<_> = contracts.rows().collect();
    assert_eq!(
        rows.len(),
        1 + story.expected["erp"]["Huurovereenkomst"].len()
    );
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let col = |h: &str| {
        header
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("{h} in {header:?}"))
    };
    assert!(
        matches!(rows[1][col("Ingangsdatum")], calamine::Data::DateTime(_)),
        "a real date: {:?}",
        rows[1][col("Ingangsdatum")]
    );
    // Amounts are numbers (they can be summed); identifiers stay text.
    assert!(
        matches!(rows[1][col("Kale huur")], calamine::Data::Float(_)),
        "an amount is a number: {:?}",
        rows[1][col("Kale huur")]
    );
    assert!(
        matches!(&rows[1][col("Klantnummer")], calamine::Data::String(s) if s.starts_with('0')),
        "an identifier stays text with its zeros: {:?}",
        rows[1][col("Klantnummer")]
    );
    // A timestamp the CRM sends as ISO text is a real date and time.
    let contacts = workbook.worksheet_range("Contactmomenten").unwrap();
    let crow: Vec<_> = contacts.rows().collect();
    let cheader: Vec<String> = crow[0].iter().map(|c| c.to_string()).collect();
    let datum = cheader.iter().position(|h| h == "Datum").unwrap();
    assert!(
        matches!(crow[1][datum], calamine::Data::DateTime(_)),
        "{:?}",
        crow[1][datum]
    );
    // The overview pairs each purpose with its own legal basis.
    let overview = workbook.worksheet_range("Samenvatting").unwrap();
    let text: Vec<String> = overview
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(
        text.iter()
            .any(|c| c.contains("Innen van huur") && c.contains("(Uitvoering van de overeenkomst")),
        "purpose (basis) pairs"
    );
    // The CSV opens by double-click in Dutch Excel.
    let csv = &bundle.files["data/erp/Huurovereenkomst.csv"];
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 with BOM");
    let csv = String::from_utf8_lossy(&csv[3..]).into_owned();
    assert!(
        csv.lines().next().unwrap().contains(';'),
        "; between fields"
    );
    assert!(
        csv.contains(&format!("\"=\"\"{}\"\"\"", story.klantnummer)),
        "leading zeros kept (=\"...\", quoted as CSV quotes): {csv}"
    );
    assert!(
        csv.lines().next().unwrap().contains("Kale huur"),
        "headers are the labels: {csv}"
    );
    assert!(
        csv.contains(",")
            && !csv
                .lines()
                .nth(1)
                .unwrap()
                .split(';')
                .any(|c| c.contains('.') && c.chars().all(|x| x.is_ascii_digit() || x == '.')),
        "decimal comma: {csv}"
    );
    let parts = workbook_parts(bytes);
    let sheets: Vec<&(String, String)> = parts
        .iter()
        .filter(|(n, _)| n.starts_with("xl/worksheets/sheet"))
        .collect();
    assert_eq!(sheets.len(), names.len());
    for (name, xml) in sheets {
        assert!(
            xml.contains("state=\"frozen\""),
            "{name}: header row frozen"
        );
        assert!(xml.contains("<autoFilter"), "{name}: auto-filter");
        assert!(xml.contains("<col "), "{name}: column widths");
    }
}

#[test]
fn hostile_source_data_never_executes_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let me = story("mover");
    let payloads = [
        "<script>document.title='pwned'</script>",
        "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">",
        "=HYPERLINK(\"http://evil.example\",\"klik\")",
        "@SUM(A1:A2)",
        "+31-1",
    ];
    let mut body = String::from("Lidnummer;Klantnummer;Naam;Opmerking\r\n");
    for (i, p) in payloads.iter().enumerate() {
        body.push_str(&format!(
            "L{i};{};{};\"{}\"\r\n",
            me.klantnummer,
            p.replace('"', "\"\""),
            p.replace('"', "\"\"")
        ));
    }
    let file = dir.path().join("leden.csv");
    std::fs::write(&file, body).unwrap();
    let config = config_with(dir.path(), |c| {
        c + &member_list_source("leden", &file, "Klantnummer")
    });
    let (path, output) = export(&config, &me.klantnummer, dir.path(), &["--now", NOW]);
    assert_eq!(text(&output).0, 0, "{:?}", text(&output));
    let bundle = Bundle::open(&path);

    let html = String::from_utf8(bundle.files["index.html"].clone()).unwrap();
    assert!(!html.contains("<script"), "no script element");
    assert!(!html.contains("<img"), "no img element");
    assert!(html.contains("&lt;script&gt;"), "shown as text");
    let text = page_text(&html);
    assert!(
        text.contains("<script>document.title='pwned'</script>"),
        "the hostile text is shown, inert"
    );

    let csv = String::from_utf8(bundle.files["data/leden/Lidmaatschap.csv"].clone()).unwrap();
    assert!(
        csv.contains("'=HYPERLINK") && csv.contains("'@SUM") && csv.contains("'+31-1"),
        "{csv}"
    );

    let parts = workbook_parts(&bundle.files["inzage.xlsx"]);
    let styles = &parts.iter().find(|(n, _)| n == "xl/styles.xml").unwrap().1;
    assert!(styles.contains("quotePrefix=\"1\""), "quoted text style");
    for (name, xml) in &parts {
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "{name}: no formulas in the workbook"
        );
    }
    let cells = workbook_text(&bundle.files["inzage.xlsx"]);
    assert!(
        cells.contains("=HYPERLINK(\"http://evil.example\",\"klik\")"),
        "kept as text"
    );

    // And in a real browser: nothing runs.
    if let Some(browser) = Browser::find() {
        let site = dir.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        std::fs::write(site.join("index.html"), &html).unwrap();
        let dom = browser.dump_dom(&site.join("index.html"));
        assert!(dom.contains("Uw persoonsgegevens"), "rendered");
        assert!(
            !dom.contains("<title>pwned</title>"),
            "the script did not run"
        );
        assert!(
            !dom.contains("data-pwned=\"1\""),
            "the onerror handler did not run"
        );
        assert!(!dom.contains("<img"), "no image element in the DOM");
    } else {
        panic!("{}", Browser::MISSING);
    }
}

/// Headless Chromium, started as the workplace requires.
/// Debian's Chromium, headless, with a fresh profile per run.
pub(crate) struct Browser {
    path: PathBuf,
}

impl Browser {
    pub(crate) const MISSING: &'static str =
        "Chromium is needed for the report tests: apt-get install chromium (bash .ci/run installs it)";

    pub(crate) fn find() -> Option<Browser> {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
            .map(|path| Browser { path })
    }

    fn command(&self, profile: &Path) -> Command {
        let mut cmd = Command::new(&self.path);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Lets a test page show a report in an iframe and read its result.
            "--allow-file-access-from-files",
        ])
        .arg(format!("--user-data-dir={}", profile.display()));
        cmd
    }

    pub(crate) fn dump_dom(&self, page: &Path) -> String {
        self.dump_dom_at(page, 1280)
    }

    /// The DOM after scripts ran, in a window `width` CSS pixels wide.
    pub(crate) fn dump_dom_at(&self, page: &Path, width: u32) -> String {
        let profile = tempfile::tempdir().unwrap();
        let out = self
            .command(profile.path())
            .arg(format!("--window-size={width},1000"))
            .arg("--virtual-time-budget=15000")
            .arg("--dump-dom")
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub(crate) fn screenshot(&self, page: &Path, png: &Path) {
        let profile = tempfile::tempdir().unwrap();
        let out = self
            .command(profile.path())
            .arg("--window-size=1280,2400")
            .arg(format!("--screenshot={}", png.display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs");
        assert!(
            out.status.success() && png.exists(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub(crate) fn print_to_pdf(&self, page: &Path, pdf: &Path) {
        let profile = tempfile::tempdir().unwrap();
        let out = self
            .command(profile.path())
            .arg("--no-pdf-header-footer")
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs");
        assert!(
            out.status.success() && pdf.exists(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_story_report_renders_in_chromium_on_screen_and_in_print() {
    let browser = Browser::find().expect(Browser::MISSING);
    let dir = tempfile::tempdir().unwrap();
    let (story, bundle, _) = export_story("two-emails", dir.path(), &[]);
    let page = dir.path().join("index.html");
    std::fs::write(&page, &bundle.files["index.html"]).unwrap();
    let dom = browser.dump_dom(&page);
    let text = page_text(&dom);
    for needle in [
        "Samenvatting",
        "Uw rechten",
        &story.klantnummer,
        &story.emails[0],
        &story.emails[1],
    ] {
        assert!(text.contains(needle), "rendered page shows {needle:?}");
    }
    // Artefacts for a person to look at: target/test-artefacts/.
    let artefacts = root().join("target/test-artefacts");
    std::fs::create_dir_all(&artefacts).unwrap();
    let png = artefacts.join("report-two-emails.png");
    browser.screenshot(&page, &png);
    assert!(
        std::fs::metadata(&png).unwrap().len() > 10_000,
        "a real screenshot"
    );
    let pdf = artefacts.join("report-two-emails.pdf");
    browser.print_to_pdf(&page, &pdf);
    let pdf_bytes = std::fs::read(&pdf).unwrap();
    assert!(
        pdf_bytes.starts_with(b"%PDF") && pdf_bytes.len() > 20_000,
        "a printable PDF"
    );
}

#[test]
fn golden_manifest_and_report_text() {
    let dir = tempfile::tempdir().unwrap();
    let (_, bundle, _) = export_story("co-tenant", dir.path(), &[]);
    let expected = root().join("fixtures/expected/co-tenant");
    let manifest = String::from_utf8(bundle.files["manifest.json"].clone()).unwrap();
    let report = report_lines(&String::from_utf8(bundle.files["index.html"].clone()).unwrap());
    if std::env::var("INZAGE_UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::create_dir_all(&expected).unwrap();
        std::fs::write(expected.join("manifest.json"), &manifest).unwrap();
        std::fs::write(expected.join("report.txt"), &report).unwrap();
    }
    let want_manifest = std::fs::read_to_string(expected.join("manifest.json")).expect(
        "fixtures/expected/co-tenant/manifest.json (create it with INZAGE_UPDATE_GOLDEN=1)",
    );
    let want_report = std::fs::read_to_string(expected.join("report.txt")).unwrap();
    assert_eq!(manifest, want_manifest, "manifest differs from the golden file; if the change is intended, rerun with INZAGE_UPDATE_GOLDEN=1 and review the diff");
    assert_eq!(report, want_report, "report text differs from the golden file; if the change is intended, rerun with INZAGE_UPDATE_GOLDEN=1 and review the diff");
}

/// The merged view compares values in their normal form: a postcode with or
/// without its space, a phone number in Dutch or international form, an
/// e-mail address or a name in other case are one value, shown once and not
/// flagged as a difference; a real difference is still flagged.
#[test]
fn the_merged_view_shows_one_value_written_differently_once() {
    let dir = tempfile::tempdir().unwrap();
    let me = story("no-woningnet");
    let body = format!(
        "Lidnummer;Klantnummer;Achternaam;Postcode;Email;Telefoon;Woonplaats\r\n\
         L-1;{k};ÇELIK;3552tl;N.Celik@Example.COM;+31 (0)6 1234 5678;Utrecht\r\n\
         L-2;{k};çelik;3552 TL;n.celik@example.com;06-12345678;Houten\r\n",
        k = me.klantnummer
    );
    let file = dir.path().join("leden.csv");
    std::fs::write(&file, body).unwrap();
    let source = format!(
        r#"
[[connector]]
id = "vereniging"
kind = "csv"
label = "Ledenlijst"
path = "{path}"

[[connector.dataset]]
name = "Lidmaatschap"
purposes = ["communicatie"]
recipients = []
retention = "contact_2j"
origin = "subject"
key = "Lidnummer"
owner = {{ klantnummer = "Klantnummer" }}
match = {{ klantnummer = "Klantnummer" }}

[connector.dataset.fields]
Lidnummer = "identificatie"
Klantnummer = {{ category = "identificatie", type = "text" }}
Achternaam = {{ category = "naw", person = "achternaam" }}
Postcode = {{ category = "naw", person = "postcode" }}
Email = {{ category = "contact", person = "email" }}
Telefoon = {{ category = "contact", person = "telefoon" }}
Woonplaats = {{ category = "naw", person = "woonplaats" }}
"#,
        path = file.display()
    );
    let config = config_with(dir.path(), |c| c + &source);
    let (path, output) = export(&config, &me.klantnummer, dir.path(), &["--now", NOW]);
    assert_eq!(text(&output).0, 0, "{:?}", text(&output));
    let html = String::from_utf8(Bundle::open(&path).files["index.html"].clone()).unwrap();
    let start = html
        .find("<section id=\"persoon\">")
        .expect("a merged view");
    let end = start + html[start..].find("</section>").unwrap();
    // The "differs" mark stands on its own line below the label.
    let view = report_lines(&html[start..end]).replace(
        "\nverschilt tussen systemen |",
        " verschilt tussen systemen |",
    );
    // One group per attribute: a line "label | value | systems", then a
    // line "value | systems" for each further value.
    let mut groups: Vec<Vec<String>> = Vec::new();
    for line in view.lines().filter(|l| l.contains(" | ")) {
        match line.split(" | ").count() {
            3 => groups.push(vec![line.to_string()]),
            _ => {
                if let Some(group) = groups.last_mut() {
                    group.push(line.to_string());
                }
            }
        }
    }
    let row = |label: &str| -> Vec<String> {
        groups
            .iter()
            .find(|g| g[0].starts_with(label))
            .cloned()
            .unwrap_or_else(|| panic!("{label} in\n{view}"))
    };
    for (label, value) in [
        ("Achternaam", "Çelik"),
        ("Postcode", "3552 TL"),
        ("E-mailadres", "n.celik@example.com"),
        ("Telefoonnummer", "+31 (0)6 1234 5678"),
    ] {
        let lines = row(label);
        assert_eq!(lines.len(), 1, "{label}: one value\n{view}");
        assert!(
            !lines[0].contains("verschilt"),
            "{label}: no difference\n{view}"
        );
        assert!(
            lines[0].to_lowercase().contains(&value.to_lowercase()),
            "{label}: {value}\n{view}"
        );
    }
    let town = row("Woonplaats");
    assert_eq!(town.len(), 2, "Utrecht and Houten\n{view}");
    assert!(town[0].contains("verschilt tussen systemen"), "{view}");
}

/// A Dutch report has no English: a source that failed and a source that
/// was not searched are explained in the report's language, in the page
/// and in the workbook; the technical cause (for staff) stays in the
/// manifest. An English report explains them in English.
#[test]
fn failed_and_skipped_sources_are_explained_in_the_reports_language() {
    let dir = tempfile::tempdir().unwrap();
    let me = story("no-woningnet");
    let config = config_with(dir.path(), |c| {
        c.replace("kwh/kwh-export.xlsx", "kwh/weg.xlsx")
    });
    for (lang, failed, skipped, dutch) in [
        (
            "nl",
            "niet gelukt: dit systeem kon bij het maken van dit overzicht niet worden gelezen",
            "niet doorzocht: dit systeem zoeken wij op WoningNet-registratienummer",
            true,
        ),
        (
            "en",
            "failed: this system could not be read when this overview was made",
            "not searched: this system is searched by WoningNet registration number",
            false,
        ),
    ] {
        let out = dir.path().join(format!("{lang}.zip"));
        let output = run(inzage()
            .arg("--config")
            .arg(&config)
            .args(["export", "--allow-partial", "--now", NOW, "--lang", lang])
            .args(["--customer", &me.klantnummer, "--out"])
            .arg(&out));
        assert_eq!(text(&output).0, 0, "{:?}", text(&output));
        let bundle = Bundle::open(&out);
        assert_eq!(bundle.source("kwh")["status"], "failed");
        assert_eq!(bundle.source("woningnet")["status"], "skipped");
        let page = page_text(&String::from_utf8(bundle.files["index.html"].clone()).unwrap());
        let workbook = workbook_text(&bundle.files["inzage.xlsx"]);
        for (what, shown) in [("report", &page), ("workbook", &workbook)] {
            assert!(shown.contains(failed), "{lang} {what}: {shown}");
            assert!(shown.contains(skipped), "{lang} {what}: {shown}");
            if dutch {
                for technical in [
                    "cannot read",
                    "no usable identifier",
                    "weg.xlsx",
                    "check that",
                ] {
                    assert!(!shown.contains(technical), "{lang} {what}: {technical}");
                }
            }
        }
    }
}

/// A Dutch report words inzage's notes on damaged mail in Dutch, in the
/// page and in the workbook; the JSON keeps the stable code; an English
/// report words them in English.
#[test]
fn notes_on_damaged_mail_are_in_the_reports_language() {
    let dir = tempfile::tempdir().unwrap();
    let me = &stories().stories[0];
    let address = &me.emails[0];
    // A message to the tenant cut off inside a multipart, and one whose
    // text holds bytes that are not UTF-8.
    let mut damaged = format!(
        "From a@example.org Mon Sep  2 10:00:00 2024\nMessage-ID: <afgekapt@test>\nDate: Mon, 2 Sep 2024 10:00:00 +0200\nFrom: {address}\nTo: Klantenservice <ks@woonstichting.example.org>\nSubject: Afgekapt\nContent-Type: multipart/mixed; boundary=\"zz\"\n\n--zz\nContent-Type: text/plain\n\nMijn vraag over de huur.\n"
    )
    .into_bytes();
    damaged.extend_from_slice(
        format!("\nFrom b@example.org Mon Sep  2 11:00:00 2024\nMessage-ID: <kapot@test>\nDate: Mon, 2 Sep 2024 11:00:00 +0200\nFrom: {address}\nTo: Klantenservice <ks@woonstichting.example.org>\nSubject: Kapot\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nTekst ").as_bytes(),
    );
    damaged.extend_from_slice(b"\xff\xfe en verder\n");
    let extra = dir.path().join("beschadigd.mbox");
    std::fs::write(&extra, &damaged).unwrap();
    let config = config_with(dir.path(), |c| {
        c.replace(
            "/mail/*.mbox\"]",
            &format!("/mail/*.mbox\", \"{}\"]", extra.display()),
        )
    });
    for (lang, cut_off, invalid, other_language) in [
        (
            "nl",
            "het bericht lijkt afgebroken",
            "de tekst bevat ongeldige tekens",
            ["looks cut off", "invalid characters"],
        ),
        (
            "en",
            "the message looks cut off",
            "the text holds invalid characters",
            ["afgebroken", "ongeldige tekens"],
        ),
    ] {
        let out = dir.path().join(format!("{lang}.zip"));
        let output = run(inzage()
            .arg("--config")
            .arg(&config)
            .args(["export", "--now", NOW, "--lang", lang])
            .args(["--customer", &me.klantnummer, "--out"])
            .arg(&out));
        assert_eq!(text(&output).0, 0, "{:?}", text(&output));
        let bundle = Bundle::open(&out);
        let page = page_text(&String::from_utf8(bundle.files["index.html"].clone()).unwrap());
        let workbook = workbook_text(&bundle.files["inzage.xlsx"]);
        for (what, shown) in [("report", &page), ("workbook", &workbook)] {
            assert!(shown.contains(cut_off), "{lang} {what}: {shown}");
            assert!(shown.contains(invalid), "{lang} {what}: {shown}");
            for word in other_language {
                assert!(!shown.contains(word), "{lang} {what}: {word}");
            }
        }
        let json: String = bundle
            .files
            .iter()
            .filter(|(name, _)| name.ends_with(".json"))
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .collect();
        assert!(
            json.contains(r#""code": "truncated""#),
            "{lang}: the JSON keeps the code"
        );
        assert!(json.contains(r#""code": "invalid_characters""#), "{lang}");
    }
}
