//! Mail attachments go into the bundle only when the configuration says so,
//! under safe names, byte for byte as listed.

use sha2::{Digest, Sha256};

use crate::support::*;

fn bundle_for(include: bool) -> (Bundle, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |c| {
        c.replace(
            "include_attachments = false",
            &format!("include_attachments = {include}"),
        )
    });
    let story = story("no-woningnet");
    let (path, output) = export(&config, &story.klantnummer, dir.path(), &[]);
    assert_eq!(text(&output).0, 0, "{:?}", text(&output));
    let review = std::fs::read(
        dir.path()
            .join(format!("{}.zip.review.json", story.klantnummer)),
    )
    .unwrap();
    (
        Bundle::open(&path),
        serde_json::from_slice(&review).unwrap(),
    )
}

#[test]
fn attachments_are_carried_only_when_configured() {
    let (without, review) = bundle_for(false);
    let unscanned = |review: &serde_json::Value| {
        review["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["outcome"] == "included_unscanned")
            .count()
    };
    assert_eq!(unscanned(&review), 0, "nothing carried, nothing to check");
    assert!(!without.files.keys().any(|k| k.starts_with("attachments/")));
    let json: serde_json::Value =
        serde_json::from_slice(&without.files["data/mail/Bericht.json"]).unwrap();
    let listed: Vec<(String, String)> = json["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| {
            let list = r["values"]["bijlagen"].as_str()?;
            let sha = list
                .split("sha256 ")
                .nth(1)?
                .trim_end_matches(')')
                .to_string();
            Some((r["key"].as_str().unwrap().to_string(), sha))
        })
        .collect();
    assert!(
        !listed.is_empty(),
        "the story has a message with an attachment"
    );

    let (with, review) = bundle_for(true);
    let carried: Vec<(&String, &Vec<u8>)> = with
        .files
        .iter()
        .filter(|(k, _)| k.starts_with("attachments/mail/"))
        .collect();
    assert_eq!(carried.len(), listed.len());
    assert_eq!(
        unscanned(&review),
        carried.len(),
        "every carried attachment is on the review list for the officer to open"
    );
    for (path, bytes) in carried {
        assert!(path.ends_with(".pdf") && !path.contains(".."), "{path}");
        let digest = hex::encode(Sha256::digest(bytes));
        assert!(
            listed.iter().any(|(_, sha)| *sha == digest),
            "{path}: content as listed"
        );
    }
    let manifest_paths: Vec<&str> = with.manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(
        manifest_paths
            .iter()
            .any(|p| p.starts_with("attachments/mail/")),
        "listed in the manifest with its sha256"
    );
}
