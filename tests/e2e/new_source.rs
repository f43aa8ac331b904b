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
    assert_eq!(
        first["values"]["Opmerking"],
        "lid sinds 2019\r\nbestuur 2021"
    );
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
