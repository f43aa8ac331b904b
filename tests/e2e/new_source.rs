//! A new source of an existing kind is configuration only: a test adds one
//! through a config file and exports through it.

use crate::support::*;

#[test]
fn a_csv_source_added_in_config_is_searched_and_exported() {
    let dir = tempfile::tempdir().unwrap();
    let me = story("mover");
    let other = story("co-tenant");
    // UTF-8 with a byte-order mark, comma-separated, a quoted line break.
    let body = format!(
        "\u{feff}Lidnummer,Klantnummer,Naam,Opmerking\r\nL-1,{me},Zoë,\"lid sinds 2019\r\nbestuur 2021\"\r\nL-2,{other},Anders,\r\nL-3,{me},Zoë,=HYPERLINK(\"http://x\")\r\n",
        me = me.klantnummer,
        other = other.klantnummer
    );
    let file = dir.path().join("leden.csv");
    std::fs::write(&file, body).unwrap();
    let config = config_with(dir.path(), |c| {
        c + &member_list_source("huurdersvereniging", &file, "Klantnummer")
    });

    let (code, stdout, stderr) = text(&run(inzage().arg("--config").arg(&config).arg("check")));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("huurdersvereniging") && stdout.contains("ok"),
        "{stdout}"
    );

    let (path, output) = export(&config, &me.klantnummer, dir.path(), &[]);
    assert_eq!(text(&output).0, 0, "{:?}", text(&output));
    let bundle = Bundle::open(&path);
    assert_eq!(
        bundle.keys("huurdersvereniging", "Lidmaatschap"),
        ["L-1", "L-3"]
    );
    let json: serde_json::Value =
        serde_json::from_slice(&bundle.files["data/huurdersvereniging/Lidmaatschap.json"]).unwrap();
    let first = &json["records"][0];
    assert_eq!(first["values"]["Naam"], "Zoë");
    // The line break inside the quoted field is a line break, not `\r\n`.
    assert_eq!(first["values"]["Opmerking"], "lid sinds 2019\nbestuur 2021");
    assert_eq!(first["matched_on"][0]["kind"], "klantnummer");
    assert_eq!(json["purposes"][0]["legal_basis"], "contract");
    let csv = String::from_utf8(bundle.files["data/huurdersvereniging/Lidmaatschap.csv"].clone())
        .unwrap();
    assert!(
        csv.contains("'=HYPERLINK"),
        "formula neutralised in CSV: {csv}"
    );
    assert!(!bundle.all_text_lowercase().contains(&other.klantnummer));
}

/// Text from files written with Windows line ends (a CSV export with a
/// line break in a quoted field, an .eml saved by a Windows mail client)
/// has no stray `\r` in the JSON, the CSV or the report: its line breaks
/// are line breaks.
#[test]
fn text_from_crlf_files_has_no_stray_carriage_return() {
    let dir = tempfile::tempdir().unwrap();
    let me = story("mover");
    let email = &me.emails[0];
    let csv = dir.path().join("leden.csv");
    std::fs::write(
        &csv,
        format!(
            "Lidnummer;Klantnummer;Naam;Opmerking\r\nL-1;{};Zoë;\"regel een\r\nregel twee\rregel drie\"\r\n",
            me.klantnummer
        ),
    )
    .unwrap();
    let eml = dir.path().join("eml");
    std::fs::create_dir(&eml).unwrap();
    std::fs::write(
        eml.join("windows.eml"),
        format!(
            "From: {email}\r\nTo: klantenservice@woonstichting.example.org\r\nSubject: Lekkage\r\nDate: Mon, 2 Mar 2026 10:00:00 +0100\r\nMessage-ID: <crlf-1@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGoedemorgen,\r\nde keuken lekt.\r\nGroet\r\n"
        ),
    )
    .unwrap();
    let config = config_with(dir.path(), |c| {
        let mbox = c
            .lines()
            .find(|l| l.starts_with("paths = [") && l.contains("mail/*.mbox"))
            .expect("the mail paths")
            .to_string();
        let with_eml = mbox.replace(']', &format!(", \"{}\"]", eml.display()));
        c.replace(&mbox, &with_eml) + &member_list_source("vereniging", &csv, "Klantnummer")
    });
    let (path, output) = export(&config, &me.klantnummer, dir.path(), &[]);
    assert_eq!(text(&output).0, 0, "{:?}", text(&output));
    let bundle = Bundle::open(&path);
    let member: serde_json::Value =
        serde_json::from_slice(&bundle.files["data/vereniging/Lidmaatschap.json"]).unwrap();
    assert_eq!(
        member["records"][0]["values"]["Opmerking"],
        "regel een\nregel twee\nregel drie"
    );
    let mail: serde_json::Value =
        serde_json::from_slice(&bundle.files["data/mail/Bericht.json"]).unwrap();
    let message = mail["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "crlf-1@example.org")
        .unwrap_or_else(|| panic!("the .eml message is found: {mail}"));
    let tekst = message["values"]["tekst"].as_str().unwrap();
    assert!(tekst.contains("Goedemorgen,\nde keuken lekt."), "{tekst:?}");
    for name in [
        "data/vereniging/Lidmaatschap.json",
        "data/mail/Bericht.json",
        "index.html",
    ] {
        let content = String::from_utf8_lossy(&bundle.files[name]);
        assert!(
            !content.contains('\r') && !content.contains("\\r"),
            "{name} holds a \\r"
        );
    }
    // The CSV data files end their rows with \r\n (as Excel writes them);
    // a line break inside a field is \n alone.
    for (name, inside) in [
        (
            "data/vereniging/Lidmaatschap.csv",
            "regel een\nregel twee\nregel drie",
        ),
        (
            "data/mail/Bericht.csv",
            "Goedemorgen,\nde keuken lekt.\nGroet",
        ),
    ] {
        let content = String::from_utf8_lossy(&bundle.files[name]);
        assert!(content.contains(inside), "{name}: {content:?}");
    }
}
