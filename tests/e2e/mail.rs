//! The mail connector through the binary: the same archive as Maildir and
//! EML gives the same bundle records as the mbox, and a broken archive does
//! not fail the export.

use crate::support::*;

/// Splits the fixture mbox into message texts (mboxrd unescaped).
fn fixture_messages() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("fixtures/mail/archive.mbox")).unwrap();
    let mut out = Vec::new();
    for entry in text.split("\nFrom ").filter(|e| !e.trim().is_empty()) {
        let body = entry.split_once('\n').map(|x| x.1).unwrap_or_default();
        let body = body.strip_suffix('\n').unwrap_or(body);
        let unescaped: Vec<String> = body
            .split('\n')
            .map(|l| {
                if l.starts_with('>') && l.trim_start_matches('>').starts_with("From ") {
                    l[1..].to_string()
                } else {
                    l.to_string()
                }
            })
            .collect();
        out.push(unescaped.join("\n"));
    }
    out
}

fn mail_keys(config: &std::path::Path, story: &Story, dir: &std::path::Path) -> Vec<String> {
    let (path, out) = export(config, &story.klantnummer, dir, &[]);
    assert_eq!(text(&out).0, 0, "{:?}", text(&out));
    Bundle::open(&path).keys("mail", "Bericht")
}

#[test]
fn maildir_and_eml_copies_of_the_archive_give_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let messages = fixture_messages();
    assert!(messages.len() > 50);
    let maildir = dir.path().join("Maildir");
    let eml = dir.path().join("eml");
    for d in [
        maildir.join("cur"),
        maildir.join("new"),
        maildir.join("tmp"),
        eml.clone(),
    ] {
        std::fs::create_dir_all(d).unwrap();
    }
    for (i, m) in messages.iter().enumerate() {
        let sub = if i % 3 == 0 { "new" } else { "cur" };
        std::fs::write(maildir.join(sub).join(format!("{i}.M{i}P1.host:2,S")), m).unwrap();
        std::fs::write(eml.join(format!("{i:04}.eml")), m).unwrap();
    }
    let mbox_glob = format!("\"{}/mail/*.mbox\"", root().join("fixtures").display());
    for (name, path) in [("maildir", &maildir), ("eml", &eml)] {
        let config = config_file(dir.path(), &format!("{name}.toml"), |c| {
            c.replace(&mbox_glob, &format!("\"{}\"", path.display()))
        });
        for story_name in ["mover", "signalering", "two-emails", "no-woningnet"] {
            let story = story(story_name);
            let out = dir.path().join(format!("{name}-{story_name}"));
            std::fs::create_dir_all(&out).unwrap();
            let mut want = story.expected["mail"]["Bericht"].clone();
            want.sort();
            assert_eq!(
                mail_keys(&config, &story, &out),
                want,
                "{name} {story_name}"
            );
        }
    }
}

#[test]
fn a_broken_archive_beside_the_good_one_does_not_fail_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let story = story("no-woningnet");
    let bad = dir.path().join("kapot.mbox");
    std::fs::write(
        &bad,
        format!(
            "From x Mon Sep  2 10:00:00 2024\n\nGeen kopregels; klantnummer {kn}.\n\nFrom y Mon Sep  2 10:00:00 2024\nMessage-ID: <afgekapt@x>\nFrom: a@example.org\nSubject: over {kn}\nContent-Type: multipart/mixed; boundary=\"q\"\n\n--q\nContent-Type: text/plain\n\nklantnummer {kn}\n--q\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0x",
            kn = story.klantnummer
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("leeg.mbox"), "").unwrap();
    let mbox_glob = format!("\"{}/mail/*.mbox\"", root().join("fixtures").display());
    let config = config_with(dir.path(), |c| {
        c.replace(
            &mbox_glob,
            &format!("{mbox_glob}, \"{}/*.mbox\"", dir.path().display()),
        )
    });
    let (path, out) = export(&config, &story.klantnummer, dir.path(), &[]);
    let (code, stdout, stderr) = text(&out);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let bundle = Bundle::open(&path);
    let keys = bundle.keys("mail", "Bericht");
    assert!(keys.contains(&"afgekapt@x".to_string()), "{keys:?}");
    for k in &story.expected["mail"]["Bericht"] {
        assert!(keys.contains(k), "{k} in {keys:?}");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&bundle.files["data/mail/Bericht.json"]).unwrap();
    let cut = json["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "afgekapt@x")
        .unwrap();
    assert_eq!(
        cut["values"]["opmerking"][0]["code"], "truncated",
        "the note keeps its stable code: {cut}"
    );
    let review = std::fs::read_to_string(format!("{}.review.json", path.display())).unwrap();
    // Shown relative to the folder of connectors.toml: no server paths.
    let shown = bad.strip_prefix(dir.path()).unwrap_or(&bad);
    assert!(
        review.contains(&format!("\"{}:0 (line 2)\"", shown.display())),
        "the headerless message is listed with file and offset: {review}"
    );
}
