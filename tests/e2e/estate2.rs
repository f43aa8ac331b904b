//! The second fixture estate (Woonstichting De Lek, `fixtures/estate2/`),
//! configured from the README alone: the same end-to-end checks as on the
//! first estate. `config check` and `check` are clean, every story
//! tenant's bundle holds exactly the records the oracle lists per source
//! and dataset, and no other person's identifier, in any form a source
//! writes it, appears anywhere in the bundle.

use std::path::PathBuf;

use inzage_testkit::estate2::{generate, load_stories, Story2};
use serde_json::Value;

use crate::support::{inzage, root, run, text, Bundle};

fn config() -> PathBuf {
    root().join("fixtures/estate2/connectors.toml")
}

fn stories() -> Vec<Story2> {
    load_stories(&root().join("fixtures/estate2/stories.json"))
        .expect("fixtures/estate2/stories.json")
        .stories
}

/// Whether `ident` stands in `text`: as a whole token when it is letters and
/// digits only (so `1002` is not found inside `20241002`), else as a
/// substring; both lowercase.
fn mentions(text: &str, ident: &str) -> bool {
    let ident = ident.to_lowercase();
    if ident.chars().all(char::is_alphanumeric) {
        text.split(|c: char| !c.is_alphanumeric())
            .any(|t| t == ident)
    } else {
        text.contains(&ident)
    }
}

#[test]
fn config_check_and_check_are_clean() {
    let (code, out, err) = text(&run(inzage()
        .arg("--config")
        .arg(config())
        .args(["config", "check"])));
    assert_eq!(code, 0, "config check: {out}{err}");
    let (code, out, err) = text(&run(inzage().arg("--config").arg(config()).arg("check")));
    assert_eq!(code, 0, "check: {out}{err}");
    for source in ["erp", "enquete", "reparaties", "portaal", "mail"] {
        assert!(
            out.lines()
                .any(|l| l.starts_with(source) && l.contains(" ok ")),
            "{source} ok in: {out}"
        );
    }
    // The portal has no endpoint free of personal data: check probes it.
    assert!(out.contains("probed"), "{out}");
}

#[test]
fn every_story_bundle_holds_exactly_the_expected_records_and_nobody_else() {
    let dir = tempfile::tempdir().unwrap();
    for story in stories() {
        let zip = dir.path().join(format!("{}.zip", story.story));
        let (code, out, err) = text(&run(inzage()
            .arg("--config")
            .arg(config())
            .args(["export", "--customer", &story.klantnummer, "--out"])
            .arg(&zip)
            .args(["--now", "2026-11-25T10:00:00Z"])));
        assert_eq!(code, 0, "story {}: {out}{err}", story.story);
        let bundle = Bundle::open(&zip);
        for (source, datasets) in &story.expected {
            for (dataset, keys) in datasets {
                assert_eq!(
                    &bundle.keys(source, dataset),
                    keys,
                    "story {}: {source}/{dataset}",
                    story.story
                );
            }
        }
        // Staff mail naming the tenant's address only in the text is not
        // found by the headers: never in the bundle without a text search.
        let mail = bundle.keys("mail", "Bericht");
        for key in &story.body_only {
            assert!(!mail.contains(key), "story {}: {key}", story.story);
        }
        let everything = bundle.all_text_lowercase();
        // The search finds what is there: the tenant's own number, in the
        // ERP's form and in the bare form the survey export writes.
        let bare = story.klantnummer.trim_start_matches("K-");
        assert!(mentions(&everything, &story.klantnummer) && mentions(&everything, bare));
        for foreign in &story.foreign {
            assert!(
                !mentions(&everything, foreign),
                "story {}: another person's identifier {foreign:?} is in the bundle",
                story.story
            );
        }
        // The request is held in the normal form; the exports' own forms
        // stay in the data as they were written.
        assert_eq!(
            bundle.manifest["request"]["identifier"]["value"],
            story.klantnummer.as_str()
        );
    }
}

/// The faithful copy: NULL and the empty text stay apart, timestamps keep
/// their offset, booleans and lists are JSON booleans and arrays, and the
/// report shows them as a person writes them.
#[test]
fn values_are_copied_exactly_and_shown_as_a_person_writes_them() {
    let dir = tempfile::tempdir().unwrap();
    let story = stories()
        .into_iter()
        .find(|s| s.story == "empty-tussenvoegsel")
        .expect("story empty-tussenvoegsel");
    let zip = dir.path().join("b.zip");
    let (code, out, err) = text(&run(inzage()
        .arg("--config")
        .arg(config())
        .args(["export", "--customer", &story.klantnummer, "--out"])
        .arg(&zip)));
    assert_eq!(code, 0, "{out}{err}");
    let bundle = Bundle::open(&zip);
    let records = |source: &str, dataset: &str| -> Vec<Value> {
        let doc: Value =
            serde_json::from_slice(&bundle.files[&format!("data/{source}/{dataset}.json")])
                .unwrap();
        doc["records"].as_array().unwrap().clone()
    };
    let klant = &records("erp", "Klant")[0]["values"];
    assert_eq!(klant["tussenvoegsel"], "", "an empty text is not null");
    let registered = klant["ingeschreven_op"].as_str().unwrap();
    assert!(
        registered.ends_with("+01:00") || registered.ends_with("+02:00"),
        "{registered}"
    );
    let survey = &records("enquete", "Enquete")[0]["values"];
    assert!(survey["Aanbevelen"].is_boolean(), "{survey}");
    assert!(survey["Wijken"].is_array(), "{survey}");
    assert!(
        survey["Ingevuld op"].as_str().unwrap().contains('+'),
        "a Dutch local time placed in its zone: {survey}"
    );
    let portal = &records("portaal", "Bericht")[0]["values"];
    assert!(portal["kanalen"].is_array() && portal["gelezen"].is_boolean());

    let html = String::from_utf8_lossy(&bundle.files["index.html"]).into_owned();
    let shown = |v: &Value| -> String {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    assert!(html.contains(&shown(&survey["Wijken"])), "the list as text");
    assert!(
        !html.contains("[&quot;") && !html.contains("[\""),
        "no JSON text"
    );
    assert!(
        html.contains(">ja<") || html.contains(">nee<"),
        "booleans as ja/nee"
    );
    assert!(!html.contains(">true<") && !html.contains(">false<"));
    assert!(
        html.contains("Regel in het exportbestand"),
        "the survey's line"
    );
    assert!(
        !html.contains(registered),
        "a timestamp as a person reads it"
    );
    let workbook = crate::support::workbook_text(&bundle.files["inzage.xlsx"]);
    assert!(!workbook.contains("true") && !workbook.contains("false"));
    assert!(workbook.contains(&shown(&survey["Wijken"])));
}

/// The committed estate is what the generator writes for its seed.
#[test]
fn the_committed_estate_is_what_the_generator_writes() {
    let dir = tempfile::tempdir().unwrap();
    let seed = load_stories(&root().join("fixtures/estate2/stories.json"))
        .unwrap()
        .seed;
    let files = generate(seed, dir.path()).unwrap();
    for file in files {
        let rel = file.strip_prefix(dir.path()).unwrap();
        let committed = std::fs::read(root().join("fixtures/estate2").join(rel)).unwrap();
        assert!(
            std::fs::read(&file).unwrap() == committed,
            "fixtures/estate2/{} differs from the generator's output; regenerate with `cargo run -p inzage-testkit --bin inzage-estate -- --estate2 --seed {seed} --out fixtures/estate2`",
            rel.display()
        );
    }
}
