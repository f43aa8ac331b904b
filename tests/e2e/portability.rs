//! The portability bundle (GDPR art. 20): scope from the register, the VERA
//! mapping from connectors.toml, schema.json, and `inzage verify`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::support::*;

const NOW: &str = "2026-11-02T10:00:00Z";

/// Datasets of the fixture register that must stay out, with the reasons
/// the register gives them.
const OUT: &[(&str, &str, &[&str])] = &[
    (
        "erp",
        "Inkomenstoets",
        &["third_party", "no_contract_or_consent"],
    ),
    (
        "signalering",
        "Signalering",
        &["third_party", "special_category", "no_contract_or_consent"],
    ),
    ("kwh", "Enquete", &["no_contract_or_consent"]),
    ("crm", "Klacht", &["no_contract_or_consent"]),
    (
        "woningnet",
        "Inschrijving",
        &["third_party", "no_contract_or_consent"],
    ),
    (
        "woningnet",
        "Reactie",
        &["third_party", "no_contract_or_consent"],
    ),
];

fn export_kind(config: &Path, customer: &str, dir: &Path, kind: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(format!("{customer}-{kind}.zip"));
    let output = run(inzage()
        .arg("--config")
        .arg(config)
        .args([
            "export",
            "--customer",
            customer,
            "--kind",
            kind,
            "--now",
            NOW,
        ])
        .arg("--out")
        .arg(&out)
        .args(extra));
    let (code, stdout, stderr) = text(&output);
    assert_eq!(code, 0, "export {kind} {customer}: {stdout}{stderr}");
    out
}

fn verify(path: &Path) -> (i32, String, String) {
    text(&run(inzage().arg("verify").arg(path)))
}

fn json(bundle: &Bundle, name: &str) -> Value {
    serde_json::from_slice(&bundle.files[name]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A JSON value as text for comparing values (None for null).
fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn schema_errors(schema: &Value, doc: &Value) -> Vec<String> {
    let validator = jsonschema::draft202012::new(schema).expect("schema.json is a valid schema");
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// The scope decisions in the manifest by (source, dataset).
fn decisions(manifest: &Value) -> BTreeMap<(String, String), Value> {
    manifest["scope"]["datasets"]
        .as_array()
        .expect("scope.datasets")
        .iter()
        .map(|d| {
            (
                (
                    d["source"].as_str().unwrap().to_string(),
                    d["dataset"].as_str().unwrap().to_string(),
                ),
                d.clone(),
            )
        })
        .collect()
}

#[test]
fn every_story_gets_exactly_its_portable_data() {
    let dir = tempfile::tempdir().unwrap();
    let config = root().join("connectors.toml");
    for story in stories().stories {
        let k = &story.klantnummer;
        let p_path = export_kind(&config, k, dir.path(), "portability", &[]);
        let a_path = export_kind(&config, k, dir.path(), "access", &[]);
        for path in [&p_path, &a_path] {
            let (code, stdout, stderr) = verify(path);
            assert_eq!(code, 0, "{}: verify: {stdout}{stderr}", story.story);
        }
        let p = Bundle::open(&p_path);
        let a = Bundle::open(&a_path);
        assert_eq!(p.manifest["request"]["kind"], "portability");
        let doc = json(&p, "portability.json");
        let schema = json(&p, "schema.json");
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        let errors = schema_errors(&schema, &doc);
        assert!(errors.is_empty(), "{}: {errors:?}", story.story);

        // Every excluded dataset is in the manifest with its reasons.
        let decided = decisions(&p.manifest);
        for (source, dataset, reasons) in OUT {
            let d = &decided[&(source.to_string(), dataset.to_string())];
            assert_eq!(d["included"], false, "{source} {dataset}");
            assert!(d.get("records").is_none(), "no count for excluded data");
            let got: Vec<&str> = d["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["reason"].as_str().unwrap())
                .collect();
            assert_eq!(&got, reasons, "{source} {dataset}");
            for r in d["reasons"].as_array().unwrap() {
                assert!(r["explanation"].as_str().unwrap().len() > 20, "{r}");
            }
        }
        let relatie = &decided[&("erp".to_string(), "Relatie".to_string())];
        assert_eq!(relatie["included"], true);
        assert_eq!(relatie["excluded_fields"][0]["field"], "bsn");
        assert_eq!(relatie["excluded_fields"][0]["reason"], "national_id");
        let leesmij = String::from_utf8(p.files["LEESMIJ.txt"].clone()).unwrap();
        let readme = String::from_utf8(p.files["README.txt"].clone()).unwrap();
        for (source, dataset, _) in OUT {
            let line = format!("{source} {dataset}: ");
            assert!(leesmij.contains(&line), "LEESMIJ lists {line}");
            assert!(readme.contains(&line), "README lists {line}");
        }
        assert!(leesmij.contains("erp Relatie.bsn: ") && readme.contains("erp Relatie.bsn: "));

        // Round trip: exactly the in-scope records of the access bundle,
        // value for value, under their mapped names.
        let mut expected_records = 0;
        let mut by_bron: BTreeMap<(String, String, String), &Value> = BTreeMap::new();
        for (entity, records) in doc["gegevens"].as_object().unwrap() {
            for r in records.as_array().unwrap() {
                let b = &r["bron"];
                let key = (
                    b["systeem"].as_str().unwrap().to_string(),
                    b["dataset"].as_str().unwrap().to_string(),
                    b["sleutel"].as_str().unwrap().to_string(),
                );
                let d = &decided[&(key.0.clone(), key.1.clone())];
                assert_eq!(d["entity"], entity.as_str());
                assert!(by_bron.insert(key, r).is_none(), "one record once");
            }
        }
        for ((source, dataset), d) in &decided {
            let access_file = format!("data/{source}/{dataset}.json");
            let Some(bytes) = a.files.get(&access_file) else {
                continue;
            };
            let access: Value = serde_json::from_slice(bytes).unwrap();
            let origin = access["origin"].as_str().unwrap();
            if d["included"] == false {
                continue;
            }
            assert!(
                origin == "subject" || origin == "observed",
                "{source} {dataset} is {origin}"
            );
            for record in access["records"].as_array().unwrap() {
                expected_records += 1;
                let key = record["key"].as_str().unwrap().to_string();
                let got = by_bron
                    .get(&(source.clone(), dataset.clone(), key.clone()))
                    .unwrap_or_else(|| panic!("{}: {source} {dataset} {key} missing", story.story));
                for f in d["fields"].as_array().unwrap() {
                    let field = f["field"].as_str().unwrap();
                    let name = f["name"].as_str().unwrap();
                    assert_eq!(
                        as_text(&got[name]),
                        as_text(&record["values"][field]),
                        "{}: {source} {dataset} {key} {field} → {name}",
                        story.story
                    );
                }
            }
        }
        assert_eq!(
            by_bron.len(),
            expected_records,
            "{}: nothing extra",
            story.story
        );
        assert!(expected_records > 0);

        // What must never be in it.
        let all = p.all_text_lowercase();
        for (source, dataset, _) in OUT {
            for key in a.keys(source, dataset) {
                assert!(
                    !by_bron.contains_key(&(source.to_string(), dataset.to_string(), key)),
                    "{source} {dataset}"
                );
            }
        }
        let access_relatie: Value =
            serde_json::from_slice(&a.files["data/erp/Relatie.json"]).unwrap();
        let bsn = access_relatie["records"][0]["values"]["bsn"]
            .as_str()
            .unwrap();
        assert!(
            !all.contains(bsn),
            "{}: BSN in the portability bundle",
            story.story
        );
        for income in a.keys("erp", "Inkomenstoets") {
            let file: Value =
                serde_json::from_slice(&a.files["data/erp/Inkomenstoets.json"]).unwrap();
            let r = file["records"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["key"] == income.as_str())
                .unwrap();
            let amount = as_text(&r["values"]["toetsinkomen"]).unwrap();
            assert!(!all.contains(&amount), "income {amount}");
        }
        for key in a.keys("signalering", "Signalering") {
            assert!(!all.contains(&key.to_lowercase()), "signalering {key}");
        }
        for foreign in &story.foreign_identifiers {
            assert!(
                !all.contains(&foreign.to_lowercase()),
                "{}: another person's {foreign} in the portability bundle",
                story.story
            );
        }
        // The subject's own contact details and bank account are in; other
        // people's (a co-tenant, a household member, anyone named in free
        // text) are not.
        let oracle: Value =
            serde_json::from_slice(&std::fs::read(root().join("fixtures/stories.json")).unwrap())
                .unwrap();
        let doc_text = String::from_utf8_lossy(&p.files["portability.json"]).to_lowercase();
        // A value the subject shares (a family e-mail address) is theirs too.
        let own: Vec<String> = oracle["people"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["klantnummer"] == k.as_str())
            .flat_map(|p| p["emails"].as_array().unwrap().iter())
            .map(|e| e.as_str().unwrap().to_lowercase())
            .collect();
        for person in oracle["people"].as_array().unwrap() {
            let klant = person["klantnummer"].as_str().unwrap();
            let mut values: Vec<String> = person["emails"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e.as_str().unwrap().to_lowercase())
                .collect();
            for key in ["phone", "iban"] {
                values.extend(person[key].as_str().map(str::to_lowercase));
            }
            if klant == k {
                for v in &values {
                    assert!(
                        doc_text.contains(v.as_str()),
                        "{}: own {v} missing",
                        story.story
                    );
                }
                continue;
            }
            values.push(person["full_name"].as_str().unwrap().to_lowercase());
            if story.foreign_identifiers.iter().any(|f| f == klant) {
                for v in values
                    .iter()
                    .chain(person["bsn"].as_str().map(str::to_string).iter())
                {
                    if own.contains(v) {
                        continue;
                    }
                    assert!(
                        !all.contains(v.as_str()),
                        "{}: {klant}'s {v} in the bundle",
                        story.story
                    );
                }
            }
        }
        let planted = oracle["stories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["story"] == story.story.as_str())
            .unwrap()["planted"]["redact"]
            .clone();
        for item in planted.as_array().unwrap() {
            if item["whose"] == "other" {
                let written = item["written"].as_str().unwrap().to_lowercase();
                assert!(
                    !all.contains(&written),
                    "{}: planted {written} in the bundle",
                    story.story
                );
            }
        }
        let person = &doc["gegevens"]["NatuurlijkPersoon"][0];
        assert_eq!(person["klantnummer"], k.as_str());
        assert!(person.get("bsn").is_none());
        for csv in p.files.keys().filter(|n| n.starts_with("csv/")) {
            assert!(
                p.files[csv].starts_with(b"\xEF\xBB\xBFbron_systeem;"),
                "{csv}"
            );
        }
    }
}

#[test]
fn the_schema_rejects_a_broken_document() {
    let dir = tempfile::tempdir().unwrap();
    let story = story("mover");
    let path = export_kind(
        &root().join("connectors.toml"),
        &story.klantnummer,
        dir.path(),
        "portability",
        &[],
    );
    let bundle = Bundle::open(&path);
    let schema = json(&bundle, "schema.json");
    let doc = json(&bundle, "portability.json");
    assert!(schema_errors(&schema, &doc).is_empty());

    let mut no_source = doc.clone();
    no_source["gegevens"]["Huurovereenkomst"][0]
        .as_object_mut()
        .unwrap()
        .remove("bron");
    let mut bad_date = doc.clone();
    bad_date["gegevens"]["Huurovereenkomst"][0]["begindatum"] = "gisteren".into();
    let mut extra = doc.clone();
    extra["gegevens"]["NatuurlijkPersoon"][0]["bsn"] = "999912345".into();
    let mut no_entity = doc.clone();
    no_entity["gegevens"]
        .as_object_mut()
        .unwrap()
        .remove("Contactgegeven");
    let mut number_as_text = doc.clone();
    number_as_text["gegevens"]["Huurbetaling"][0]["bedrag"] = serde_json::json!(712.5);
    for (what, broken) in [
        ("no bron", no_source),
        ("bad date", bad_date),
        ("extra field", extra),
        ("missing entity", no_entity),
        ("amount as float", number_as_text),
    ] {
        assert!(
            !schema_errors(&schema, &broken).is_empty(),
            "{what} accepted"
        );
    }
}

/// Rewrites a zip with `change` applied to its (name, bytes) entries.
fn rewrite(from: &Path, to: &Path, change: impl Fn(&mut Vec<(String, Vec<u8>)>)) {
    let bundle = Bundle::open(from);
    let mut entries: Vec<(String, Vec<u8>)> = bundle.files.into_iter().collect();
    change(&mut entries);
    let file = std::fs::File::create(to).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn verify_finds_a_changed_byte_a_removed_file_and_an_added_file() {
    let dir = tempfile::tempdir().unwrap();
    let story = story("two-emails");
    let config = root().join("connectors.toml");
    for kind in ["portability", "access"] {
        let path = export_kind(&config, &story.klantnummer, dir.path(), kind, &[]);
        let (code, stdout, stderr) = verify(&path);
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert!(stdout.contains(&format!("ok ({kind} bundle")), "{stdout}");
        let target = if kind == "portability" {
            "portability.json"
        } else {
            "index.html"
        };

        let changed = dir.path().join(format!("{kind}-changed.zip"));
        rewrite(&path, &changed, |entries| {
            let e = entries.iter_mut().find(|(n, _)| n == target).unwrap();
            let i = e.1.len() / 2;
            e.1[i] = if e.1[i] == b'x' { b'y' } else { b'x' };
        });
        let (code, stdout, _) = verify(&changed);
        assert_eq!(code, 1, "{stdout}");
        assert!(stdout.contains(&format!("{target}: sha256 is")), "{stdout}");

        let removed = dir.path().join(format!("{kind}-removed.zip"));
        rewrite(&path, &removed, |entries| {
            let victim = entries
                .iter()
                .position(|(n, _)| n.ends_with(".csv"))
                .unwrap();
            entries.remove(victim);
        });
        let (code, stdout, _) = verify(&removed);
        assert_eq!(code, 1, "{stdout}");
        assert!(stdout.contains("missing from the bundle"), "{stdout}");

        let added = dir.path().join(format!("{kind}-added.zip"));
        rewrite(&path, &added, |entries| {
            entries.push(("extra/note.txt".into(), b"hello".to_vec()))
        });
        let (code, stdout, _) = verify(&added);
        assert_eq!(code, 1, "{stdout}");
        assert!(
            stdout.contains("extra/note.txt: in the bundle but not listed"),
            "{stdout}"
        );
    }
    // A bundle whose document no longer matches its schema, with the
    // manifest's hashes made to fit, still fails.
    let path = export_kind(
        &config,
        &story.klantnummer,
        dir.path(),
        "portability",
        &["--force"],
    );
    let forged = dir.path().join("forged.zip");
    rewrite(&path, &forged, |entries| {
        use sha2::Digest;
        let doc_at = entries
            .iter()
            .position(|(n, _)| n == "portability.json")
            .unwrap();
        let mut doc: Value = serde_json::from_slice(&entries[doc_at].1).unwrap();
        doc["gegevens"]["NatuurlijkPersoon"][0]["bsn"] = "999912345".into();
        entries[doc_at].1 = serde_json::to_vec_pretty(&doc).unwrap();
        let sha = hex::encode(sha2::Sha256::digest(&entries[doc_at].1));
        let size = entries[doc_at].1.len();
        let m_at = entries
            .iter()
            .position(|(n, _)| n == "manifest.json")
            .unwrap();
        let mut m: Value = serde_json::from_slice(&entries[m_at].1).unwrap();
        for f in m["files"].as_array_mut().unwrap() {
            if f["path"] == "portability.json" {
                f["sha256"] = sha.clone().into();
                f["bytes"] = size.into();
            }
        }
        entries[m_at].1 = serde_json::to_vec_pretty(&m).unwrap();
    });
    let (code, stdout, _) = verify(&forged);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("does not validate against schema.json"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("999912345"),
        "values stay out of messages: {stdout}"
    );
}

#[test]
fn the_bundle_is_deterministic_encryptable_and_names_its_receiver() {
    let dir = tempfile::tempdir().unwrap();
    let story = story("co-tenant");
    let config = root().join("connectors.toml");
    let a = export_kind(
        &config,
        &story.klantnummer,
        dir.path(),
        "portability",
        &["--to", "voorbeeld"],
    );
    let first = std::fs::read(&a).unwrap();
    let b = export_kind(
        &config,
        &story.klantnummer,
        dir.path(),
        "portability",
        &["--to", "voorbeeld", "--force"],
    );
    assert_eq!(first, std::fs::read(&b).unwrap(), "same input, same bytes");
    let bundle = Bundle::open(&a);
    assert_eq!(bundle.manifest["receiver"]["id"], "voorbeeld");
    assert!(bundle.manifest.get("identities").is_none());
    assert!(String::from_utf8_lossy(&bundle.files["LEESMIJ.txt"])
        .contains("Bestemd voor Woonstichting Voorbeeld"));

    // Encrypted like the access bundle; verify needs the passphrase.
    let enc = dir.path().join("enc.zip");
    let output = run(inzage()
        .env("INZAGE_BUNDLE_PASSPHRASE", "correct horse battery staple")
        .args([
            "export",
            "--kind",
            "portability",
            "--customer",
            &story.klantnummer,
            "--encrypt",
            "--now",
            NOW,
            "--out",
        ])
        .arg(&enc));
    assert_eq!(text(&output).0, 0, "{:?}", text(&output));
    let (code, _, stderr) = text(&run(inzage().arg("verify").arg(&enc)));
    assert_eq!(code, 1);
    assert!(stderr.contains("INZAGE_BUNDLE_PASSPHRASE"), "{stderr}");
    let (code, stdout, stderr) = text(&run(inzage()
        .env("INZAGE_BUNDLE_PASSPHRASE", "correct horse battery staple")
        .arg("verify")
        .arg(&enc)));
    assert_eq!(code, 0, "{stdout}{stderr}");

    // An unknown receiver, or a receiver on an access bundle, is refused.
    for (extra, needle) in [
        (
            vec!["--kind", "portability", "--to", "nergens"],
            "no [receivers.nergens]",
        ),
        (vec!["--to", "voorbeeld"], "only a portability bundle"),
    ] {
        let out = dir.path().join("refused.zip");
        let (code, _, stderr) = text(&run(inzage()
            .args(["export", "--customer", &story.klantnummer, "--out"])
            .arg(&out)
            .args(&extra)));
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains(needle), "{stderr}");
        assert!(!out.exists());
    }
}

#[test]
fn a_source_added_in_config_goes_in_under_its_own_names_with_formulas_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let me = story("mover");
    let file = dir.path().join("leden.csv");
    std::fs::write(
        &file,
        format!(
            "Lidnummer,Klantnummer,Naam,Opmerking\r\nL-3,{},Zoë,=HYPERLINK(\"http://x\")\r\n",
            me.klantnummer
        ),
    )
    .unwrap();
    let config = config_with(dir.path(), |c| {
        c + &member_list_source("huurdersvereniging", &file, "Klantnummer")
    });
    let path = export_kind(&config, &me.klantnummer, dir.path(), "portability", &[]);
    let bundle = Bundle::open(&path);
    let doc = json(&bundle, "portability.json");
    assert_eq!(
        doc["gegevens"]["Lidmaatschap"][0]["Opmerking"],
        "=HYPERLINK(\"http://x\")"
    );
    let csv = String::from_utf8(bundle.files["csv/Lidmaatschap.csv"].clone()).unwrap();
    assert!(csv.contains("\"'=HYPERLINK"), "{csv}");
}

#[test]
fn config_check_validates_the_portability_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |c| {
        c.replacen(
            "woningnet_registratienummer = \"woningnetRegistratienummer\"",
            "woningnet_registratienummer = \"woningnetRegistratienummer\"\nbsn = \"bsn\"\nonbekend = \"x\"",
            1,
        )
        .replacen("achternaam = \"achternaam\"\n", "", 1)
    });
    let (code, stdout, stderr) = text(&run(inzage()
        .arg("--config")
        .arg(&config)
        .args(["config", "check"])));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains(
            "field `bsn` is mapped for portability, but its category `bsn` is not portable"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("portability names field `onbekend`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("field `achternaam` of dataset `Relatie` is portable but has no name"),
        "{stderr}"
    );
    assert!(stderr.contains("connectors.toml:"), "file:line: {stderr}");
}

#[test]
fn deliver_sends_the_bundle_and_writes_a_receipt_only_on_success() {
    use inzage_testkit::servers::{start_receiver, Behaviour, RunningReceiver};
    use sha2::Digest;
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let me = story("mover");
    let config = config_with(dir.path(), |c| {
        c.replace(
            "timeout_secs = 30\nretries = 3",
            "timeout_secs = 2\nretries = 3",
        )
    });
    let bundle = export_kind(
        &config,
        &me.klantnummer,
        dir.path(),
        "portability",
        &["--to", "voorbeeld"],
    );
    let sha = hex::encode(sha2::Sha256::digest(std::fs::read(&bundle).unwrap()));
    let receipt = PathBuf::from(format!("{}.receipt.json", bundle.display()));
    let deliver = |server: &RunningReceiver, token: &str, extra: &[&str]| {
        text(&run(inzage()
            .arg("--config")
            .arg(&config)
            .arg("deliver")
            .arg(&bundle)
            .args(["--to", "voorbeeld"])
            .args(extra)
            .env("INZAGE_RECEIVER_URL", &server.url)
            .env("RECEIVER_TOKEN", token)))
    };

    // Rejected with a 4xx: not retried, no receipt.
    let server = rt
        .block_on(start_receiver(Behaviour::Reject(400), "tok"))
        .unwrap();
    let (code, _, stderr) = deliver(&server, "tok", &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("NOT delivered") && stderr.contains("HTTP 400"),
        "{stderr}"
    );
    assert_eq!(server.attempts(), 1);
    assert!(!receipt.exists());

    // A wrong token: 401, named as such, no receipt.
    let server = rt
        .block_on(start_receiver(Behaviour::Accept, "right"))
        .unwrap();
    let (code, _, stderr) = deliver(&server, "wrong", &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("HTTP 401") && stderr.contains("token"),
        "{stderr}"
    );
    assert!(!receipt.exists());

    // A redirect is never followed: the bundle goes only where configured.
    let elsewhere = rt
        .block_on(start_receiver(Behaviour::Accept, "tok"))
        .unwrap();
    let server = rt
        .block_on(start_receiver(
            Behaviour::Redirect(elsewhere.url.clone()),
            "tok",
        ))
        .unwrap();
    let (code, _, stderr) = deliver(&server, "tok", &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("HTTP 307") && stderr.contains("redirects"),
        "{stderr}"
    );
    assert_eq!(elsewhere.attempts(), 0);
    assert!(!receipt.exists());

    // Slower than the time limit: given up in time, no receipt.
    let server = rt
        .block_on(start_receiver(
            Behaviour::Slow(Duration::from_secs(20)),
            "tok",
        ))
        .unwrap();
    let started = std::time::Instant::now();
    let (code, _, stderr) = deliver(&server, "tok", &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("time limit of 2s"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(15));
    assert!(!receipt.exists());

    // 500 first, then accepted: retried, receipt with the receiver's reference.
    let server = rt
        .block_on(start_receiver(Behaviour::FailFirst(1), "tok"))
        .unwrap();
    let (code, stdout, stderr) = deliver(&server, "tok", &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(server.attempts(), 2);
    let got = server.deliveries();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].sha256, sha, "the receiver got exactly the bundle");
    assert_eq!(got[0].announced.as_deref(), Some(sha.as_str()));
    let doc: Value = serde_json::from_slice(&std::fs::read(&receipt).unwrap()).unwrap();
    assert_eq!(doc["sha256"], sha.as_str());
    assert_eq!(doc["reference"], "ONT-0001");
    assert_eq!(doc["http_status"], 201);
    assert_eq!(doc["receiver"]["id"], "voorbeeld");
    assert!(doc["delivered_at"].as_str().unwrap().ends_with('Z'));

    // Once delivered, sending again needs --force.
    let server = rt
        .block_on(start_receiver(Behaviour::Accept, "tok"))
        .unwrap();
    let (code, _, stderr) = deliver(&server, "tok", &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(server.attempts(), 0);
    let (code, stdout, stderr) = deliver(&server, "tok", &["--force"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("reference ONT-0001"), "{stdout}");

    // An encrypted bundle is verified with its passphrase and sent as it is.
    let enc = dir.path().join("enc.zip");
    let output = run(inzage()
        .arg("--config")
        .arg(&config)
        .env("INZAGE_BUNDLE_PASSPHRASE", "correct horse battery staple")
        .args([
            "export",
            "--kind",
            "portability",
            "--customer",
            &me.klantnummer,
        ])
        .args(["--to", "voorbeeld", "--encrypt", "--now", NOW, "--out"])
        .arg(&enc));
    assert_eq!(text(&output).0, 0, "{:?}", text(&output));
    let (code, stdout, stderr) = text(&run(inzage()
        .arg("--config")
        .arg(&config)
        .arg("deliver")
        .arg(&enc)
        .args(["--to", "voorbeeld"])
        .env("INZAGE_BUNDLE_PASSPHRASE", "correct horse battery staple")
        .env("INZAGE_RECEIVER_URL", &server.url)
        .env("RECEIVER_TOKEN", "tok")));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(server.attempts(), 2);

    // A tampered bundle, or one made for no receiver, is never sent.
    let access = export_kind(&config, &me.klantnummer, dir.path(), "access", &[]);
    let (code, _, stderr) = text(&run(inzage()
        .arg("--config")
        .arg(&config)
        .arg("deliver")
        .arg(&access)
        .args(["--to", "voorbeeld"])
        .env("INZAGE_RECEIVER_URL", &server.url)
        .env("RECEIVER_TOKEN", "tok")));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("only a portability bundle"), "{stderr}");
    let tampered = dir.path().join("tampered.zip");
    rewrite(&bundle, &tampered, |entries| {
        entries.push(("extra.txt".into(), b"x".to_vec()))
    });
    let (code, _, stderr) = text(&run(inzage()
        .arg("--config")
        .arg(&config)
        .arg("deliver")
        .arg(&tampered)
        .args(["--to", "voorbeeld"])
        .env("INZAGE_RECEIVER_URL", &server.url)
        .env("RECEIVER_TOKEN", "tok")));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("does not verify"), "{stderr}");
    assert_eq!(server.attempts(), 2, "only the sound deliveries reached it");
}

#[test]
fn config_check_validates_receivers() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |c| {
        c.replace(
            "token = \"${RECEIVER_TOKEN}\"",
            "token = \"s3cr3t-literal\"",
        )
        .replace(
            "url = \"${INZAGE_RECEIVER_URL}\"",
            "url = \"ftp://landlord.example.org/in\"",
        )
    });
    let (code, stdout, stderr) = text(&run(inzage()
        .arg("--config")
        .arg(&config)
        .args(["config", "check"])));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("connectors.toml:"), "{stderr}");
    assert!(!stderr.contains("s3cr3t-literal"), "{stderr}");
}
