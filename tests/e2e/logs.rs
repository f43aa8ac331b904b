//! Logs carry no personal data: every story export at info level (`-v`)
//! names no personal value of any generated person, and at debug level
//! (`-vv`) no warning carries an SQL statement or a bound value; and a log
//! that does not go to a terminal carries no ANSI colour codes.

use inzage_testkit::estate::{build, EstateConfig};

use crate::support::*;

/// Whole-token occurrence (not inside a longer word or number).
fn has_token(text: &str, token: &str) -> bool {
    let lower = text.to_lowercase();
    let token = token.to_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(&token) {
        let at = from + i;
        let before = lower[..at].chars().next_back();
        let after = lower[at + token.len()..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        from = at + token.len();
    }
    false
}

/// Every personal value of every generated person of the fixture estate.
fn personal_values() -> Vec<String> {
    let estate = build(&EstateConfig::default());
    let mut values = Vec::new();
    for p in &estate.people {
        values.push(p.klantnummer.clone());
        values.push(p.full_name());
        values.push(p.bsn.clone());
        values.push(p.iban.clone());
        values.extend(p.emails.iter().cloned());
        values.extend(p.woningnet.iter().cloned());
        values.extend(p.phone.iter().cloned());
    }
    values.extend(estate.rollen.iter().map(|r| r.contractnummer.clone()));
    values.extend(
        estate
            .adressen
            .iter()
            .map(|a| format!("{} {}", a.straat, a.huisnummer)),
    );
    values.sort();
    values.dedup();
    values
}

#[test]
fn story_exports_log_no_personal_data_at_info_and_no_sql_in_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let config = root().join("connectors.toml");
    let personal = personal_values();
    assert!(personal.len() > 100, "the estate's people are known");
    for story in stories().stories {
        for (flag, level) in [("-v", "info"), ("-vv", "debug")] {
            let out = dir.path().join(format!("{}-{level}.zip", story.story));
            let output = run(inzage()
                .env_remove("RUST_LOG")
                .arg("--config")
                .arg(&config)
                .arg(flag)
                .args([
                    "export",
                    "--allow-partial",
                    "--now",
                    "2026-01-05T10:00:00Z",
                    "--customer",
                ])
                .arg(&story.klantnummer)
                .arg("--out")
                .arg(&out));
            let (code, stdout, stderr) = text(&output);
            assert_eq!(code, 0, "{}: {stdout}{stderr}", story.story);
            assert!(
                stderr.contains(" INFO "),
                "{} at {level}: info lines are logged",
                story.story
            );
            // stderr is a pipe here, not a terminal: no colour codes.
            assert!(
                !stderr.contains('\u{1b}'),
                "{} at {level}: an ANSI escape in the log",
                story.story
            );
            let lines: Vec<&str> = stderr.lines().collect();
            let at_info_or_above = lines
                .iter()
                .filter(|l| l.contains(" INFO ") || l.contains(" WARN ") || l.contains(" ERROR "));
            for line in at_info_or_above {
                for value in &personal {
                    assert!(
                        !has_token(line, value),
                        "{} at {level}: a personal value in a log line at info or above: {line}",
                        story.story
                    );
                }
            }
            for line in lines
                .iter()
                .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
            {
                let upper = line.to_uppercase();
                assert!(
                    !upper.contains("SELECT ") && !upper.contains(" WHERE "),
                    "{}: an SQL statement in a warning: {line}",
                    story.story
                );
            }
            if level == "debug" {
                assert!(
                    stderr.contains("DEBUG"),
                    "{}: -vv logs debug lines",
                    story.story
                );
            }
        }
    }
}
