//! Other people's data in free text (issue 8): redacted in every file of
//! every story bundle, the subject's own values kept, measured against the
//! generator's ground truth (`planted` in stories.json), and the privacy
//! officer's decisions applied.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use crate::support::*;

#[derive(Deserialize, Clone, Debug)]
struct Planted {
    source: String,
    dataset: String,
    key: String,
    field: String,
    kind: String,
    written: String,
    whose: String,
}

#[derive(Deserialize)]
struct Lists {
    redact: Vec<Planted>,
    keep: Vec<Planted>,
    review: Vec<Planted>,
}

#[derive(Deserialize)]
struct StoryTruth {
    story: String,
    klantnummer: String,
    emails: Vec<String>,
    planted: Lists,
}

#[derive(Deserialize)]
struct Person {
    klantnummer: String,
    full_name: String,
    emails: Vec<String>,
    phone: Option<String>,
    iban: String,
    bsn: String,
}

#[derive(Deserialize)]
struct Truth {
    stories: Vec<StoryTruth>,
    planted: Vec<Planted>,
    people: Vec<Person>,
}

fn truth() -> Truth {
    let bytes = std::fs::read(root().join("fixtures/stories.json")).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Lowercase without diacritics, for comparing names however written.
fn fold(s: &str) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let base = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            c => c,
        };
        let _ = write!(out, "{base}");
    }
    out
}

/// Digits only, with the separators people write between them removed:
/// `+31 (0)6 1234 5678` and `06-12345678` both contain `612345678`.
fn digits_joined(text: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let between_digits = || {
            let before = chars[..i].iter().rev().find(|c| !" -.()".contains(**c));
            let after = chars[i + 1..].iter().find(|c| !" -.()".contains(**c));
            before.is_some_and(|c| c.is_ascii_digit()) && after.is_some_and(|c| c.is_ascii_digit())
        };
        if " -.()".contains(*c) && between_digits() {
            continue;
        }
        out.push(*c);
    }
    out
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Every file of a bundle as searchable text: decoded, the workbook's cells included.
fn texts_of(bundle: &Bundle) -> BTreeMap<String, String> {
    bundle
        .files
        .iter()
        .map(|(name, bytes)| {
            let text = if name.ends_with(".xlsx") {
                workbook_text(bytes)
            } else if name.ends_with(".html") {
                // Read as a browser shows it: entities decoded.
                String::from_utf8_lossy(bytes)
                    .replace("&#x27;", "'")
                    .replace("&#x2f;", "/")
                    .replace("&quot;", "\"")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&")
            } else {
                String::from_utf8_lossy(bytes).into_owned()
            };
            (name.clone(), text)
        })
        .collect()
}

/// The text of one field of one record, from the bundle's JSON data file.
fn field_text(bundle: &Bundle, p: &Planted) -> Option<String> {
    let bytes = bundle
        .files
        .get(&format!("data/{}/{}.json", p.source, p.dataset))?;
    let doc: Value = serde_json::from_slice(bytes).unwrap();
    doc["records"]
        .as_array()?
        .iter()
        .find(|r| r["key"] == p.key.as_str())
        .and_then(|r| r["values"][&p.field].as_str().map(str::to_string))
}

/// The review list written beside `<klantnummer>.zip` in `dir`.
fn review_list(dir: &Path, klantnummer: &str) -> Value {
    let path = dir.join(format!("{klantnummer}.zip.review.json"));
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

fn export_story(dir: &Path, klantnummer: &str, extra: &[&str]) -> Bundle {
    let (path, out) = export(&root().join("connectors.toml"), klantnummer, dir, extra);
    let (code, stdout, stderr) = text(&out);
    assert_eq!(code, 0, "{klantnummer}: {stdout}{stderr}");
    Bundle::open(&path)
}

#[test]
fn no_other_persons_data_stands_in_any_file_of_any_story_bundle() {
    let truth = truth();
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for story in &truth.stories {
        let bundle = export_story(dir.path(), &story.klantnummer, &[]);
        let own = truth
            .people
            .iter()
            .find(|p| p.klantnummer == story.klantnummer)
            .unwrap();
        for (file, text) in texts_of(&bundle) {
            let folded = fold(&text);
            let joined = digits_joined(&text);
            let compact: String = text
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_uppercase();
            for other in truth
                .people
                .iter()
                .filter(|p| p.klantnummer != story.klantnummer)
            {
                let who = format!(
                    "story {}, {file}: person {}",
                    story.story, other.klantnummer
                );
                if fold(&other.full_name) != fold(&own.full_name) {
                    assert!(
                        !folded.contains(&fold(&other.full_name)),
                        "{who}: full name"
                    );
                }
                for email in other.emails.iter().filter(|e| !story.emails.contains(e)) {
                    assert!(
                        !folded.contains(&email.to_lowercase()),
                        "{who}: e-mail {email}"
                    );
                }
                if let Some(phone) = &other.phone {
                    let national = &digits(phone)[1..];
                    assert!(!joined.contains(national), "{who}: phone {phone}");
                }
                assert!(!compact.contains(&other.iban), "{who}: IBAN");
                assert!(!joined.contains(&other.bsn), "{who}: BSN");
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "checked {checked}");
}

#[test]
fn every_planted_value_is_redacted_kept_or_up_for_review_as_the_ground_truth_says() {
    let truth = truth();
    let dir = tempfile::tempdir().unwrap();
    for story in &truth.stories {
        let bundle = export_story(dir.path(), &story.klantnummer, &[]);
        let review = review_list(dir.path(), &story.klantnummer);
        let all = texts_of(&bundle);
        for p in &story.planted.redact {
            let field = field_text(&bundle, p)
                .unwrap_or_else(|| panic!("story {}: record {p:?} in the bundle", story.story));
            assert!(
                !fold(&field).contains(&fold(&p.written)),
                "story {}: {p:?} still in {field:?}",
                story.story
            );
            assert!(
                field.contains("[verwijderd: "),
                "story {}: a marker in {field:?}",
                story.story
            );
        }
        for p in &story.planted.keep {
            let field = field_text(&bundle, p).unwrap();
            assert!(
                field.contains(&p.written),
                "story {}: own value {p:?} lost from {field:?}",
                story.story
            );
            for (file, text) in all
                .iter()
                .filter(|(f, _)| f.ends_with(".html") || f.ends_with(".xlsx"))
            {
                if file.starts_with("data/") {
                    continue;
                }
                assert!(
                    text.contains(&p.written),
                    "story {}: own value {:?} not in {file}",
                    story.story,
                    p.written
                );
            }
        }
        for p in &story.planted.review {
            let field = field_text(&bundle, p).unwrap();
            assert!(
                field.contains(&p.written),
                "an unknown name is not guessed away: {field:?}"
            );
            let listed = review["entries"].as_array().unwrap().iter().any(|e| {
                e["key"] == p.key.as_str()
                    && e["field"] == p.field.as_str()
                    && e["outcome"] == "needs_decision"
                    && e["subject"]["value"] == "unknown_name"
            });
            assert!(
                listed,
                "story {}: {p:?} is a review item: {review}",
                story.story
            );
        }
    }
}

/// Markers counted per field against the planted values, over the bundles
/// of every relatie in the estate: the false-positive rate the README reports.
#[test]
fn no_false_positives_and_no_misses_over_the_whole_estate() {
    let truth = truth();
    let dir = tempfile::tempdir().unwrap();
    let mut planted: BTreeMap<(String, String, String, String), usize> = BTreeMap::new();
    for p in truth.planted.iter().filter(|p| p.whose == "other") {
        *planted
            .entry((
                p.source.clone(),
                p.dataset.clone(),
                p.key.clone(),
                p.field.clone(),
            ))
            .or_default() += 1;
    }
    let (mut markers, mut expected, mut false_positives, mut misses, mut fields) = (0, 0, 0, 0, 0);
    let mut seen = std::collections::BTreeSet::new();
    for person in &truth.people {
        let bundle = export_story(dir.path(), &person.klantnummer, &["--force"]);
        for (name, bytes) in &bundle.files {
            if !(name.starts_with("data/") && name.ends_with(".json")) {
                continue;
            }
            let doc: Value = serde_json::from_slice(bytes).unwrap();
            for r in doc["records"].as_array().unwrap() {
                for (field, value) in r["values"].as_object().unwrap() {
                    let Some(text) = value.as_str() else { continue };
                    let key = (
                        doc["source"]["id"].as_str().unwrap().to_string(),
                        doc["dataset"].as_str().unwrap().to_string(),
                        r["key"].as_str().unwrap().to_string(),
                        field.clone(),
                    );
                    // A record in two bundles (a shared contract) counts once.
                    if !seen.insert((person.klantnummer.clone(), key.clone())) {
                        continue;
                    }
                    fields += 1;
                    let got = text.matches("[verwijderd: ").count();
                    let want = planted.get(&key).copied().unwrap_or(0);
                    markers += got;
                    expected += want;
                    false_positives += got.saturating_sub(want);
                    misses += want.saturating_sub(got);
                    assert!(got <= want, "false positive in {key:?}: {text:?}");
                    assert!(got >= want, "missed in {key:?}: {text:?}");
                }
            }
        }
    }
    println!(
        "protection on the fixture estate: {} bundles, {fields} field values, {markers} markers, {expected} planted; false positives {false_positives}, misses {misses}",
        truth.people.len()
    );
    assert!(
        expected > 100,
        "the estate plants enough to measure: {expected}"
    );
}

#[test]
fn the_officers_decisions_keep_one_value_and_redact_one_more_in_every_output() {
    let truth = truth();
    let story = truth
        .stories
        .iter()
        .find(|s| s.story == "co-tenant")
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let first = export_story(dir.path(), &story.klantnummer, &[]);
    let review = review_list(dir.path(), &story.klantnummer);
    // Keep a redacted phone number (say the officer knows it is the office's).
    let wrongly = story
        .planted
        .redact
        .iter()
        .find(|p| p.kind == "phone")
        .expect("a planted phone");
    let entry = review["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["key"] == wrongly.key.as_str()
                && e["field"] == wrongly.field.as_str()
                && e["subject"]["value"] == "phone"
        })
        .expect("the phone is on the review list");
    // Redact a word the detectors leave alone, in a record that holds it.
    let missed_record = story
        .planted
        .keep
        .iter()
        .find(|p| p.dataset == "Notitie" || p.dataset == "Klacht")
        .unwrap();
    let before = field_text(&first, missed_record).unwrap();
    // A word that stands nowhere else in the bundle, so its absence shows the decision.
    let first_texts = texts_of(&first);
    let word = before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 3 && !w.chars().any(|c| c.is_ascii_digit()))
        .find(|w| first_texts.values().all(|t| t.matches(*w).count() <= 1))
        .or_else(|| {
            before
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() > 3)
                .find(|w| first_texts["index.html"].matches(*w).count() == 1)
        })
        .expect("a word unique to the record")
        .to_string();
    let decisions = serde_json::json!({
        "reviewed_by": "test officer",
        "decisions": [
            { "id": entry["decision_id"], "decision": "keep" },
            { "decision": "redact", "source": missed_record.source, "dataset": missed_record.dataset,
              "key": missed_record.key, "field": missed_record.field, "text": word, "kind": "name" },
            { "id": "D-0000000000", "decision": "keep" }
        ]
    });
    let file = dir.path().join("decisions.json");
    std::fs::write(&file, decisions.to_string()).unwrap();
    let (path, out) = export(
        &root().join("connectors.toml"),
        &story.klantnummer,
        dir.path(),
        &["--force", "--decisions", file.to_str().unwrap()],
    );
    let (code, stdout, stderr) = text(&out);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stderr.contains("D-0000000000") && stderr.contains("matched nothing"),
        "a stale decision is reported: {stderr}"
    );
    let second = Bundle::open(&path);
    let kept = field_text(&second, wrongly).unwrap();
    assert!(kept.contains(&wrongly.written), "kept: {kept}");
    let redacted = field_text(&second, missed_record).unwrap();
    assert!(!redacted.contains(&word), "redacted: {redacted}");
    let outputs = texts_of(&second);
    let stem = format!("data/{}/{}", wrongly.source, wrongly.dataset);
    for file in [
        format!("{stem}.json"),
        format!("{stem}.csv"),
        "index.html".into(),
        "inzage.xlsx".into(),
    ] {
        assert!(
            outputs[&file].contains(&wrongly.written),
            "{file}: the kept value {:?} is there",
            wrongly.written
        );
    }
    for (file, text) in &outputs {
        assert!(
            !text.contains(&word),
            "{file}: the extra word {word:?} is redacted"
        );
    }
    let stem = format!("data/{}/{}", missed_record.source, missed_record.dataset);
    for file in [
        format!("{stem}.json"),
        format!("{stem}.csv"),
        "index.html".into(),
        "inzage.xlsx".into(),
    ] {
        assert!(
            outputs[&file].contains("[verwijderd: naam]"),
            "{file}: a marker stands in its place"
        );
    }
    let page = std::fs::read_to_string(
        dir.path()
            .join(format!("{}.zip.review.html", story.klantnummer)),
    )
    .unwrap();
    assert!(
        page.contains("D-0000000000"),
        "the review page reports the stale decision"
    );
    let report = String::from_utf8_lossy(&second.files["index.html"]).into_owned();
    assert!(
        report.contains("Een medewerker privacy heeft elke vervanging gecontroleerd."),
        "the report says the officer reviewed"
    );
}

#[test]
fn the_report_says_what_was_done_about_other_peoples_data() {
    let truth = truth();
    let dir = tempfile::tempdir().unwrap();
    let story = truth
        .stories
        .iter()
        .find(|s| s.story == "co-tenant")
        .unwrap();
    let bundle = export_story(dir.path(), &story.klantnummer, &["--lang", "en"]);
    let report = String::from_utf8_lossy(&bundle.files["index.html"]).into_owned();
    let names = story
        .planted
        .redact
        .iter()
        .filter(|p| p.kind == "name")
        .count();
    assert!(
        report.contains("[removed: name]"),
        "markers in the bundle's language"
    );
    assert!(
        report.contains("These replacements were made automatically."),
        "not reviewed yet"
    );
    assert!(!report.contains("has been left out."), "no fixed sentence");
    assert!(names > 0);
    let manifest = &bundle.manifest;
    let total: u64 = manifest["redactions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["fields"].as_object().unwrap().values())
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(
        total as usize,
        story.planted.redact.len(),
        "the manifest counts every redaction"
    );
    assert_eq!(
        manifest["protection"]["values_redacted"].as_u64().unwrap(),
        total
    );
    let label = |kind: &str, n: usize| -> String {
        let (one, many) = match kind {
            "name" => ("name", "names"),
            "email" => ("e-mail address", "e-mail addresses"),
            "phone" => ("phone number", "phone numbers"),
            "address" => ("address", "addresses"),
            "iban" => ("bank account number (IBAN)", "bank account numbers (IBAN)"),
            _ => ("citizen service number", "citizen service numbers"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    };
    let mut per: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for p in &story.planted.redact {
        *per.entry((p.source.as_str(), p.kind.as_str())).or_default() += 1;
    }
    for ((source, kind), n) in per {
        assert!(
            report.contains(&label(kind, n)),
            "the report states {} for {source}",
            label(kind, n)
        );
    }
    // A person with nothing about others in their texts: the report says so.
    let mut quiet = 0;
    for person in truth
        .people
        .iter()
        .filter(|p| !truth.stories.iter().any(|s| s.klantnummer == p.klantnummer))
    {
        let bundle = export_story(
            dir.path(),
            &person.klantnummer,
            &["--lang", "en", "--force"],
        );
        if bundle.manifest["protection"]["values_redacted"].as_u64() == Some(0) {
            let report = String::from_utf8_lossy(&bundle.files["index.html"]).into_owned();
            assert!(
                report.contains("We found no data about other people"),
                "nothing found is said so"
            );
            assert!(!report.contains("[removed:"));
            quiet += 1;
            break;
        }
    }
    assert_eq!(
        quiet, 1,
        "the estate has a tenant without mentions of others"
    );
}

#[test]
fn the_review_page_and_csv_keep_hostile_source_data_inert() {
    let dir = tempfile::tempdir().unwrap();
    let me = story("mover");
    let body = format!(
        "Lidnummer;Klantnummer;Naam;Opmerking\r\n\"<img src=x onerror=alert(1)>\";{k};X;\"buurvrouw Ongekend <script>alert(2)</script> belt 06-98765432\"\r\n\"=HYPERLINK(\"\"http://evil.example\"\")\";{k};Y;\"dhr. Evilson =cmd|' /C calc'!A0 mail evil@example.com\"\r\n",
        k = me.klantnummer
    );
    let file = dir.path().join("leden.csv");
    std::fs::write(&file, body).unwrap();
    let config = config_with(dir.path(), |c| {
        (c + &member_list_source("leden", &file, "Klantnummer")).replace(
            "Opmerking = \"contactmoment\"",
            "Opmerking = { category = \"contactmoment\", free_text = true }",
        )
    });
    let (path, output) = export(&config, &me.klantnummer, dir.path(), &[]);
    assert_eq!(text(&output).0, 0, "{:?}", text(&output));
    let bundle = Bundle::open(&path);
    let data = String::from_utf8_lossy(&bundle.files["data/leden/Lidmaatschap.json"]).into_owned();
    assert!(
        data.contains("[verwijderd: telefoonnummer]") && data.contains("[verwijderd: e-mailadres]"),
        "{data}"
    );
    let page = std::fs::read_to_string(
        dir.path()
            .join(format!("{}.zip.review.html", me.klantnummer)),
    )
    .unwrap();
    assert!(
        page.contains("Content-Security-Policy") && page.contains("script-src 'none'"),
        "the page forbids scripts"
    );
    assert!(
        !page.contains("<script") && !page.contains("<img"),
        "no element from source data"
    );
    assert!(
        page.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the key is shown as text"
    );
    let csv = std::fs::read_to_string(
        dir.path()
            .join(format!("{}.zip.review.csv", me.klantnummer)),
    )
    .unwrap();
    assert!(
        csv.starts_with('\u{feff}'),
        "UTF-8 with BOM for Dutch Excel"
    );
    assert!(
        csv.contains("'=HYPERLINK"),
        "a formula key is neutralised: {csv}"
    );
    for line in csv.lines().skip(1) {
        for cell in line.split(';') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with('=') && !cell.starts_with('@'),
                "formula cell {cell:?} in {line}"
            );
        }
    }
    let names: Vec<_> = review_list(dir.path(), &me.klantnummer)["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["source"] == "leden" && e["subject"]["value"] == "unknown_name")
        .map(|e| e["masked"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        ["O•••••••", "E••••••"],
        "unknown names up for review, masked"
    );
}

/// A record for review in stories.json: named by its own key.
#[derive(Deserialize)]
struct ReviewTruth {
    source: String,
    dataset: String,
    key: String,
}

#[derive(Deserialize)]
struct StoryReviews {
    story: String,
    klantnummer: String,
    review: Vec<ReviewTruth>,
}

/// Review items name the record by its own key (the signalering number,
/// the CRM id, the Message-ID), never only a row index or a byte offset:
/// every record the oracle lists for review is on the review list under
/// exactly that key, and no record entry is named by a position alone.
#[test]
fn review_items_name_the_record_by_its_own_key() {
    #[derive(Deserialize)]
    struct All {
        stories: Vec<StoryReviews>,
    }
    let all: All =
        serde_json::from_slice(&std::fs::read(root().join("fixtures/stories.json")).unwrap())
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for story in all.stories.iter().filter(|s| !s.review.is_empty()) {
        export_story(dir.path(), &story.klantnummer, &[]);
        let review = review_list(dir.path(), &story.klantnummer);
        let entries = review["entries"].as_array().unwrap();
        for want in &story.review {
            assert!(
                entries.iter().any(|e| e["source"] == want.source.as_str()
                    && e["dataset"] == want.dataset.as_str()
                    && e["key"] == want.key.as_str()),
                "story {}: {} / {} `{}` on the review list by its key: {review}",
                story.story,
                want.source,
                want.dataset,
                want.key
            );
            checked += 1;
        }
        for e in entries.iter().filter(|e| e["field"].is_null()) {
            let key = e["key"].as_str().unwrap();
            assert!(
                !key.contains(" row ") && !key.contains(" #") && !key.contains("(key "),
                "story {}: a review entry named by its position: {e}",
                story.story
            );
        }
    }
    assert!(checked >= 3, "the oracle lists records for review");
}

#[test]
fn the_review_list_gives_its_reasons_in_the_officers_language() {
    let truth = truth();
    let dir = tempfile::tempdir().unwrap();
    // What the English reasons say; none of it may stand on a Dutch list.
    let english = [
        "another person",
        "the subject",
        "the tenant",
        "check by hand",
        "matches no",
        "left out",
        "could not be read",
        "shared identifier",
        "read at",
        "decide whether",
    ];
    let mut codes = std::collections::BTreeSet::new();
    for story in &truth.stories {
        export_story(dir.path(), &story.klantnummer, &[]);
        for entry in review_list(dir.path(), &story.klantnummer)["entries"]
            .as_array()
            .unwrap()
        {
            let code = entry["reason"]["code"].as_str();
            assert!(code.is_some(), "a reason is a stable code: {entry}");
            codes.insert(code.unwrap().to_string());
        }
        for ext in ["html", "csv"] {
            let list = std::fs::read_to_string(
                dir.path()
                    .join(format!("{}.zip.review.{ext}", story.klantnummer)),
            )
            .unwrap();
            for words in english {
                assert!(
                    !list.contains(words),
                    "story {}: `{words}` on the Dutch review.{ext}",
                    story.story
                );
            }
        }
    }
    // The stories between them give values, unknown names and records
    // found through a shared identifier.
    for code in ["other_persons_value", "unknown_name_after_cue", "flagged"] {
        assert!(codes.contains(code), "{code} among {codes:?}");
    }
    let co_tenant = truth
        .stories
        .iter()
        .find(|s| s.story == "co-tenant")
        .unwrap();
    let nl = std::fs::read_to_string(
        dir.path()
            .join(format!("{}.zip.review.html", co_tenant.klantnummer)),
    )
    .unwrap();
    assert!(
        nl.contains("de naam van een andere persoon die in onze systemen bekend is"),
        "{nl}"
    );
    let en_dir = tempfile::tempdir().unwrap();
    export_story(en_dir.path(), &co_tenant.klantnummer, &["--lang", "en"]);
    let en = std::fs::read_to_string(
        en_dir
            .path()
            .join(format!("{}.zip.review.csv", co_tenant.klantnummer)),
    )
    .unwrap();
    assert!(
        en.contains("the name of another person our systems know"),
        "{en}"
    );
}

#[test]
fn a_partial_match_is_held_back_and_the_officer_can_include_it() {
    let story = crate::support::story("signalering");
    let near = &story.review[0];
    assert_eq!(
        (near.source.as_str(), near.dataset.as_str()),
        ("signalering", "Signalering")
    );
    let dir = tempfile::tempdir().unwrap();
    let first = export_story(dir.path(), &story.klantnummer, &[]);
    let in_bundle = |bundle: &Bundle| {
        String::from_utf8_lossy(&bundle.files["data/signalering/Signalering.json"])
            .contains(near.key.as_str())
    };
    assert!(!in_bundle(&first), "a near miss stays out of the bundle");
    let entry_now = || {
        review_list(dir.path(), &story.klantnummer)["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["key"] == near.key.as_str())
            .expect("the near miss is on the review list")
            .clone()
    };
    let entry = entry_now();
    assert_eq!(entry["subject"], "partial_match_record");
    assert_eq!(entry["outcome"], "left_out");
    assert_eq!(
        entry["options"],
        serde_json::json!(["include", "leave_out"])
    );
    assert_eq!(entry["reason"]["why"]["code"], "partial_person_match");
    // The officer checks by hand and finds it is the tenant after all.
    let file = dir.path().join("decisions.json");
    std::fs::write(
        &file,
        serde_json::json!({
            "reviewed_by": "test officer",
            "decisions": [{ "id": entry["decision_id"], "decision": "include" }]
        })
        .to_string(),
    )
    .unwrap();
    let second = export_story(
        dir.path(),
        &story.klantnummer,
        &["--force", "--decisions", file.to_str().unwrap()],
    );
    assert!(in_bundle(&second), "included by the officer's decision");
    assert_eq!(entry_now()["outcome"], "included_by_decision");
}
