//! `inzage config check`: every problem with file:line and a hint.

use crate::support::*;

fn check(edit: impl Fn(String) -> String) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), edit);
    let (code, stdout, stderr) = text(&run(inzage()
        .arg("--config")
        .arg(&config)
        .args(["config", "check"])));
    (code, stdout + &stderr)
}

/// The 1-based line of the first occurrence of `needle` in the fixture config.
fn line_of(needle: &str) -> usize {
    let text = std::fs::read_to_string(root().join("connectors.toml")).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in config")
        + 1
}

#[test]
fn the_fixture_configuration_is_valid() {
    let (code, out) = check(|c| c);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok"), "{out}");
}

#[test]
fn unknown_references_are_reported_with_line_and_hint() {
    let (code, out) = check(|c| {
        c.replace(
            "purposes = [\"kwaliteitsonderzoek\"]",
            "purposes = [\"kwaliteitsonderzoek\", \"reclame\"]",
        )
        .replace("recipients = [\"kwh\"]", "recipients = [\"kwh-bv\"]")
        .replace("retention = \"kwh_1j\"", "retention = \"kwh_10j\"")
        .replace("Onderzoek = \"klantbeleving\"", "Onderzoek = \"beleving\"")
    });
    assert_eq!(code, 2, "{out}");
    for (what, needle) in [
        (
            "unknown purpose `reclame`",
            "purposes = [\"kwaliteitsonderzoek\"]",
        ),
        ("unknown recipient `kwh-bv`", "recipients = [\"kwh\"]"),
        ("unknown retention `kwh_10j`", "retention = \"kwh_1j\""),
        (
            "unknown category `beleving`",
            "Onderzoek = \"klantbeleving\"",
        ),
    ] {
        let expected = format!("connectors.toml:{}:", line_of(needle));
        let line = out
            .lines()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("{what} in {out}"));
        assert!(line.contains(&expected), "{what} at {expected}: {line}");
    }
    assert!(out.contains("hint: define [purposes.reclame]"), "{out}");
}

#[test]
fn a_dataset_without_purposes_and_a_field_without_category_are_errors() {
    let (code, out) = check(|c| {
        c.replace("purposes = [\"kwaliteitsonderzoek\"]\n", "\n")
            .replace(
                "Onderzoek = \"klantbeleving\"",
                "Onderzoek = { label = \"Onderzoek\" }",
            )
    });
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("has no purposes"), "{out}");
    let field = out
        .lines()
        .find(|l| l.contains("field `Onderzoek` has no category"))
        .expect(&out);
    assert!(
        field.contains(&format!(":{}:", line_of("Onderzoek = \"klantbeleving\""))),
        "{field}"
    );
}

#[test]
fn a_literal_secret_is_refused() {
    let (code, out) = check(|c| {
        c + "\n[[connector]]\nid = \"crm\"\nkind = \"csv\"\nlabel = \"x\"\npath = \"x.csv\"\ntoken = \"eyJhbGciOi\"\n"
    });
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("`token` holds a literal secret"), "{out}");
    assert!(out.contains("${NAME}"), "{out}");
}

#[test]
fn a_syntax_error_names_the_line() {
    let (code, out) = check(|c| c.replacen("max_rounds = 5", "max_rounds = = 5", 1));
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!("connectors.toml:{}:", line_of("max_rounds = 5"))),
        "{out}"
    );
}

#[test]
fn a_configuration_that_would_let_other_peoples_data_through_is_warned_about() {
    let (code, out) = check(|c| c);
    assert!(
        !out.contains("warning:"),
        "the fixture configuration protects: {out}"
    );
    let (code_bare, out) = check(|c| {
        let c = c
            .replace(", free_text = true", "")
            .replace("free_text = true", "");
        let start = c.find("[protect.people]").unwrap();
        let end = start + c[start..].find("query = ").unwrap();
        let end = end + c[end..].find('\n').unwrap();
        format!("{}{}", &c[..start], &c[end..])
    });
    assert_eq!((code, code_bare), (0, 0), "warnings are not errors: {out}");
    assert!(
        out.contains("warning: no field is declared `free_text = true`"),
        "{out}"
    );
    assert!(out.contains("warning: no [protect.people] index"), "{out}");
}

#[test]
fn the_people_index_must_name_a_sql_connector() {
    let (code, out) = check(|c| {
        c.replace(
            "[protect.people]\nconnector = \"erp\"",
            "[protect.people]\nconnector = \"kwh\"",
        )
    });
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("not a sql connector") && out.contains(":"),
        "{out}"
    );
}

/// `person = ...` is a closed list: a value outside it (a typo, an attribute
/// the merged view does not know) is an error at its line, never a field
/// silently missing from the merged view; `voorletters` is on the list.
#[test]
fn an_unknown_person_attribute_is_refused_and_voorletters_is_known() {
    let needle = "person = \"tussenvoegsel\"";
    let (code, out) = check(|c| c.replacen(needle, "person = \"tussenvoegsels\"", 1));
    assert_eq!(code, 2, "{out}");
    let line = out
        .lines()
        .find(|l| l.contains("unknown person attribute `tussenvoegsels`"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains(&format!("connectors.toml:{}:", line_of(needle))),
        "{line}"
    );
    assert!(out.contains("voorletters, voornamen, roepnaam"), "{out}");
    let (code, out) = check(|c| c.replacen(needle, "person = \"voorletters\"", 1));
    assert_eq!(code, 0, "{out}");
}

/// A relative path in connectors.toml is relative to the folder that holds
/// connectors.toml, not to the working directory (the README says so).
#[test]
fn relative_paths_are_relative_to_the_configuration_file() {
    let dir = tempfile::tempdir().unwrap();
    let me = story("mover");
    std::fs::write(
        dir.path().join("leden.csv"),
        format!(
            "Lidnummer;Klantnummer;Naam;Opmerking\nL-1;{};Zoë;\n",
            me.klantnummer
        ),
    )
    .unwrap();
    let config = config_with(dir.path(), |c| {
        c + &member_list_source(
            "vereniging",
            std::path::Path::new("leden.csv"),
            "Klantnummer",
        )
    });
    assert_ne!(
        dir.path(),
        root(),
        "run from another folder than the config's"
    );
    let (code, stdout, stderr) = text(&run(inzage().arg("--config").arg(&config).arg("check")));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("vereniging"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.contains(" ok "), "{line}");
}
