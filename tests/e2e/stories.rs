//! For every story tenant: every expected record is in the bundle, nothing
//! more, and no identifier of another person appears anywhere in it.

use crate::support::*;

/// Sources whose connector kinds exist; stories.json covers all six.
fn configured_sources(bundle: &Bundle) -> Vec<String> {
    bundle.manifest["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_story_tenant_gets_exactly_their_records_and_nobody_elses() {
    let dir = tempfile::tempdir().unwrap();
    let config = root().join("connectors.toml");
    let stories = stories();
    assert!(stories.stories.len() >= 6, "at least six story tenants");
    let mut compared = 0;
    for story in &stories.stories {
        // A fixed creation time: the same bytes on every run.
        let (path, out) = export(
            &config,
            &story.klantnummer,
            dir.path(),
            &["--now", "2026-11-25T10:00:00Z"],
        );
        let (code, stdout, stderr) = text(&out);
        assert_eq!(code, 0, "story {}: {stdout}{stderr}", story.story);
        let bundle = Bundle::open(&path);
        for source in configured_sources(&bundle) {
            let expected = story
                .expected
                .get(&source)
                .unwrap_or_else(|| panic!("stories.json lists source {source}"));
            for (dataset, keys) in expected {
                let mut want = keys.clone();
                want.sort();
                let got = bundle.keys(&source, dataset);
                assert_eq!(got, want, "story {}: {source}/{dataset}", story.story);
                let counted = &bundle.source(&source)["records"][dataset];
                assert_eq!(
                    counted.as_u64(),
                    Some(want.len() as u64),
                    "manifest count {source}/{dataset}"
                );
                compared += 1;
            }
        }
        let everything = bundle.all_text_lowercase();
        for foreign in &story.foreign_identifiers {
            assert!(
                !everything.contains(&foreign.to_lowercase()),
                "story {}: another person's identifier {foreign:?} is in the bundle",
                story.story
            );
        }
    }
    assert!(compared > 0, "no dataset was compared");
}

#[test]
fn the_manifest_lists_a_correct_sha256_for_every_other_file() {
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().unwrap();
    let story = story("two-emails");
    let (path, out) = export(
        &root().join("connectors.toml"),
        &story.klantnummer,
        dir.path(),
        &[],
    );
    assert_eq!(text(&out).0, 0, "{:?}", text(&out));
    let bundle = Bundle::open(&path);
    let listed = bundle.manifest["files"].as_array().unwrap();
    assert_eq!(
        listed.len() + 1,
        bundle.files.len(),
        "every file but the manifest is listed"
    );
    for file in listed {
        let name = file["path"].as_str().unwrap();
        let digest = hex::encode(Sha256::digest(&bundle.files[name]));
        assert_eq!(file["sha256"].as_str().unwrap(), digest, "{name}");
    }
    let identities = bundle.manifest["identities"].as_array().unwrap();
    assert_eq!(
        identities[0]["identifier"]["value"],
        story.klantnummer.as_str()
    );
    assert_eq!(identities[0]["via"], "request");
    for email in &story.emails {
        let learned = identities
            .iter()
            .find(|i| i["identifier"]["value"] == email.to_lowercase().as_str())
            .unwrap_or_else(|| panic!("e-mail {email} learned"));
        assert_eq!(learned["via"], "record", "{learned}");
        assert!(learned["source"].is_string());
    }
}

#[test]
fn the_same_request_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let story = story("co-tenant");
    let config = root().join("connectors.toml");
    let now = ["--now", "2026-11-25T12:00:00Z"];
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let (first, _) = export(&config, &story.klantnummer, &a, &now);
    let (second, _) = export(&config, &story.klantnummer, &b, &now);
    assert_eq!(
        std::fs::read(first).unwrap(),
        std::fs::read(second).unwrap()
    );
}

/// The identifiers the ERP reveals reach the CRM and WoningNet: one bundle
/// with records from all three, each with the identifier it was found by.
#[test]
fn identifiers_learned_in_the_erp_find_records_in_the_crm_and_woningnet() {
    let dir = tempfile::tempdir().unwrap();
    let story = story("two-emails");
    let (path, out) = export(
        &root().join("connectors.toml"),
        &story.klantnummer,
        dir.path(),
        &[],
    );
    assert_eq!(text(&out).0, 0, "{:?}", text(&out));
    let bundle = Bundle::open(&path);
    let matched = |source: &str, dataset: &str| -> Vec<(String, Vec<String>)> {
        let doc: serde_json::Value =
            serde_json::from_slice(&bundle.files[&format!("data/{source}/{dataset}.json")])
                .unwrap();
        doc["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let kinds = r["matched_on"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["kind"].as_str().unwrap().to_string())
                    .collect();
                (r["values"].to_string(), kinds)
            })
            .collect()
    };
    for (_, kinds) in matched("erp", "Relatie") {
        assert_eq!(kinds, ["klantnummer"]);
    }
    let woningnet = matched("woningnet", "Inschrijving");
    assert_eq!(woningnet.len(), 1);
    assert_eq!(
        woningnet[0].1,
        ["woningnet"],
        "found by the WoningNet number the ERP revealed"
    );
    let crm = matched("crm", "Contactmoment");
    assert!(!crm.is_empty());
    let by_email_only: Vec<_> = crm
        .iter()
        .filter(|(_, kinds)| kinds == &["email"])
        .collect();
    assert!(
        !by_email_only.is_empty(),
        "contacts before becoming a customer are found by e-mail"
    );
    for (values, _) in &by_email_only {
        assert!(values.contains("\"klantnummer\":null"), "{values}");
    }
    let identities = bundle.manifest["identities"].as_array().unwrap();
    let learned = |kind: &str| {
        identities
            .iter()
            .find(|i| i["identifier"]["kind"] == kind)
            .unwrap_or_else(|| panic!("{kind} learned"))
    };
    assert_eq!(learned("woningnet")["source"], "erp");
    assert_eq!(learned("woningnet")["dataset"], "Relatie");
    assert_eq!(learned("email")["dataset"], "Contactgegeven");
}
