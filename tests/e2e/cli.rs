//! Command-line behaviour: check, exit codes, requests, logging.

use crate::support::*;

#[test]
fn check_reports_every_connector_on_one_line() {
    let (code, stdout, stderr) = text(&run(inzage().arg("check")));
    assert_eq!(code, 0, "{stdout}{stderr}");
    for id in ["signalering", "kwh"] {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id}: {stdout}"));
        assert!(line.contains(" ok "), "{line}");
    }
}

#[test]
fn check_fails_with_a_reason_and_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |c| {
        c.replace("kwh/kwh-export.xlsx", "kwh/weg.xlsx")
    });
    let (code, stdout, _) = text(&run(inzage().arg("--config").arg(&config).arg("check")));
    assert_eq!(code, 3, "{stdout}");
    let line = stdout.lines().find(|l| l.starts_with("kwh")).unwrap();
    assert!(
        line.contains("FAILED") && line.contains("weg.xlsx"),
        "{line}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("signalering") && l.contains(" ok ")),
        "{stdout}"
    );
}

#[test]
fn a_customer_number_of_the_wrong_form_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let (path, output) = export(&root().join("connectors.toml"), "12ab", dir.path(), &[]);
    let (code, _, stderr) = text(&output);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("does not have the expected form") && stderr.contains("001042"),
        "{stderr}"
    );
    assert!(!path.exists());
}

#[test]
fn a_contract_shared_by_two_contractants_does_not_name_a_person() {
    let story = story("co-tenant");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.zip");
    let (code, _, stderr) = text(&run(inzage()
        .args(["export", "--contract", &story.contractnummers[0], "--out"])
        .arg(&out)));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--customer"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn a_contract_with_one_contractant_names_its_tenant() {
    let story = story("two-emails");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.zip");
    let (code, stdout, stderr) = text(&run(inzage()
        .args(["export", "--contract", &story.contractnummers[0], "--out"])
        .arg(&out)));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let bundle = Bundle::open(&out);
    let identities = bundle.manifest["identities"].as_array().unwrap();
    assert!(
        identities
            .iter()
            .any(|i| i["identifier"]["value"] == story.klantnummer.as_str()),
        "{identities:?}"
    );
    let mut want = story.expected["kwh"]["Enquete"].clone();
    want.sort();
    assert_eq!(bundle.keys("kwh", "Enquete"), want);
}

#[test]
fn progress_logs_carry_no_personal_data() {
    let story = story("two-emails");
    let dir = tempfile::tempdir().unwrap();
    let (_, output) = export(
        &root().join("connectors.toml"),
        &story.klantnummer,
        dir.path(),
        &["-v"],
    );
    let (code, _, stderr) = text(&output);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("asking sources"),
        "info logs are on: {stderr}"
    );
    for log_line in stderr
        .lines()
        .filter(|l| l.contains(" INFO ") || l.contains(" WARN "))
    {
        assert!(!log_line.contains(&story.klantnummer), "{log_line}");
        for email in &story.emails {
            assert!(
                !log_line.to_lowercase().contains(&email.to_lowercase()),
                "{log_line}"
            );
        }
    }
}
