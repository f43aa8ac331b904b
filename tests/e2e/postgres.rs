//! The `sql` connector against real PostgreSQL and SQLite, with the same
//! expectations: same records, byte for byte, and read-only in both.

use inzage_testkit::postgres::TestPostgres;

use crate::support::*;

const PASSWORD_VARIABLE: &str = "INZAGE_TEST_ERP_PASSWORD";
const NOW: &str = "2026-11-25T12:00:00Z";

fn postgres() -> TestPostgres {
    TestPostgres::start(&root().join("fixtures/erp/erp.sql"))
        .unwrap_or_else(|e| panic!("a PostgreSQL server for the sql connector tests: {e}"))
}

/// The ERP `url` line pointed at the PostgreSQL database.
fn on_postgres(config: String, pg: &TestPostgres) -> String {
    let url = pg.url_with_password_variable(PASSWORD_VARIABLE);
    let sqlite = config
        .lines()
        .find(|l| l.starts_with("url = \"sqlite:"))
        .expect("the ERP url")
        .to_string();
    config.replace(&sqlite, &format!("url = \"{url}\""))
}

/// A copy of the fixture config whose ERP is the PostgreSQL database.
fn postgres_config(dir: &std::path::Path, pg: &TestPostgres) -> std::path::PathBuf {
    config_file(dir, "pg.toml", |c| on_postgres(c, pg))
}

#[test]
fn postgres_and_sqlite_give_the_same_erp_records() {
    let pg = postgres();
    let dir = tempfile::tempdir().unwrap();
    let pg_config_path = postgres_config(dir.path(), &pg);
    let sqlite_config_path = config_file(dir.path(), "sqlite.toml", |c| c);
    let (code, stdout, stderr) = text(&run(inzage()
        .env(PASSWORD_VARIABLE, &pg.password)
        .arg("--config")
        .arg(&pg_config_path)
        .arg("check")));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("postgres"), "{stdout}");

    for story in stories().stories {
        let out_pg = dir.path().join(format!("pg-{}.zip", story.klantnummer));
        let out_lite = dir.path().join(format!("lite-{}.zip", story.klantnummer));
        let pg_run = run(inzage()
            .env(PASSWORD_VARIABLE, &pg.password)
            .arg("--config")
            .arg(&pg_config_path)
            .args([
                "export",
                "--now",
                NOW,
                "--customer",
                &story.klantnummer,
                "--out",
            ])
            .arg(&out_pg));
        assert_eq!(text(&pg_run).0, 0, "{:?}", text(&pg_run));
        let lite_run = run(inzage()
            .arg("--config")
            .arg(&sqlite_config_path)
            .args([
                "export",
                "--now",
                NOW,
                "--customer",
                &story.klantnummer,
                "--out",
            ])
            .arg(&out_lite));
        assert_eq!(text(&lite_run).0, 0, "{:?}", text(&lite_run));
        let (pg_bundle, lite_bundle) = (Bundle::open(&out_pg), Bundle::open(&out_lite));
        for (dataset, keys) in &story.expected["erp"] {
            let mut want = keys.clone();
            want.sort();
            assert_eq!(
                pg_bundle.keys("erp", dataset),
                want,
                "{} erp/{dataset} on PostgreSQL",
                story.story
            );
        }
        let erp_files: Vec<&String> = lite_bundle
            .files
            .keys()
            .filter(|k| k.starts_with("data/erp/"))
            .collect();
        assert!(!erp_files.is_empty());
        for name in erp_files {
            assert_eq!(
                String::from_utf8_lossy(&pg_bundle.files[name]),
                String::from_utf8_lossy(&lite_bundle.files[name]),
                "{} {name}: PostgreSQL and SQLite differ",
                story.story
            );
        }
    }
}

#[test]
fn money_and_dates_keep_their_exact_form() {
    let dir = tempfile::tempdir().unwrap();
    let story = story("mover");
    let (path, output) = export(
        &root().join("connectors.toml"),
        &story.klantnummer,
        dir.path(),
        &[],
    );
    assert_eq!(text(&output).0, 0);
    let bundle = Bundle::open(&path);
    let json: serde_json::Value =
        serde_json::from_slice(&bundle.files["data/erp/Huurovereenkomst.json"]).unwrap();
    for record in json["records"].as_array().unwrap() {
        let huur = record["values"]["kale_huur"]
            .as_str()
            .expect("money as text");
        assert!(
            huur.split_once('.')
                .is_some_and(|(_, cents)| cents.len() == 2),
            "{huur}"
        );
        let start = record["values"]["ingangsdatum"].as_str().unwrap();
        assert_eq!(
            start.len(),
            10,
            "a date, not a timestamp or serial: {start}"
        );
    }
    let ended = json["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["values"]["einddatum"].is_null())
        .count();
    assert_eq!(ended, 1, "the running contract has a null end date");
}

/// A write smuggled in behind a dataset query (a second statement) is
/// refused before any database is asked, for both databases, and changes nothing.
#[test]
fn both_databases_are_read_only() {
    let pg = postgres();
    let dir = tempfile::tempdir().unwrap();
    let hostile = |c: String| {
        c.replace(
            "FROM inkomenstoets WHERE klantnummer = :klantnummer\"\"\"",
            "FROM inkomenstoets WHERE klantnummer = :klantnummer; DELETE FROM relatie WHERE klantnummer = :klantnummer\"\"\"",
        )
    };
    let story = story("two-emails");
    for (name, config) in [
        (
            "pg",
            config_file(dir.path(), "pg-hostile.toml", |c| {
                hostile(on_postgres(c, &pg))
            }),
        ),
        (
            "sqlite",
            config_file(dir.path(), "sqlite-hostile.toml", hostile),
        ),
    ] {
        let out = dir.path().join(format!("{name}.zip"));
        let output = run(inzage()
            .env(PASSWORD_VARIABLE, &pg.password)
            .arg("--config")
            .arg(&config)
            .args(["export", "--customer", &story.klantnummer, "--out"])
            .arg(&out));
        let (code, _, stderr) = text(&output);
        assert_eq!(code, 2, "{name}: the configuration is refused: {stderr}");
        assert!(
            stderr.contains("connector `erp`") && stderr.contains("more than one statement"),
            "{name}: {stderr}"
        );
        assert!(!out.exists());
    }
    // Nothing was deleted: an ordinary export still finds the Relatie.
    let out = dir.path().join("after.zip");
    let output = run(inzage()
        .env(PASSWORD_VARIABLE, &pg.password)
        .arg("--config")
        .arg(postgres_config(dir.path(), &pg))
        .args(["export", "--customer", &story.klantnummer, "--out"])
        .arg(&out));
    assert_eq!(text(&output).0, 0, "{:?}", text(&output));
    assert_eq!(
        Bundle::open(&out).keys("erp", "Relatie"),
        [story.klantnummer.as_str()]
    );
    let lite = root().join("fixtures/erp/erp.sqlite");
    let check = std::process::Command::new("sqlite3")
        .arg(&lite)
        .arg(format!(
            "select count(*) from relatie where klantnummer = '{}'",
            story.klantnummer
        ))
        .output();
    if let Ok(check) = check {
        assert_eq!(String::from_utf8_lossy(&check.stdout).trim(), "1");
    }
}

#[test]
fn a_wrong_password_names_the_variable_to_check() {
    let pg = postgres();
    let dir = tempfile::tempdir().unwrap();
    let config = postgres_config(dir.path(), &pg);
    let (code, stdout, _) = text(&run(inzage()
        .env(PASSWORD_VARIABLE, "wrong")
        .arg("--config")
        .arg(&config)
        .arg("check")));
    assert_eq!(code, 3, "{stdout}");
    let line = stdout.lines().find(|l| l.starts_with("erp")).unwrap();
    assert!(
        line.contains("FAILED") && line.contains("password"),
        "{line}"
    );
    assert!(
        !line.contains("wrong"),
        "the password is never printed: {line}"
    );
    let (code, _, stderr) = text(&run(inzage().arg("--config").arg(&config).arg("check")));
    assert_eq!(
        code, 2,
        "a missing variable is a configuration error: {stderr}"
    );
    assert!(stderr.contains(PASSWORD_VARIABLE), "{stderr}");
}

/// A query that runs too long is stopped by the statement timeout; the
/// source fails with a clear reason and the others complete.
#[test]
fn a_slow_query_is_stopped_by_the_statement_timeout() {
    let pg = postgres();
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(dir.path(), "pg-slow.toml", |c| {
        on_postgres(c, &pg)
            .replace("statement_timeout_secs = 30", "statement_timeout_secs = 1")
            .replace(
                "FROM inkomenstoets WHERE klantnummer = :klantnummer\"\"\"",
                "FROM inkomenstoets WHERE klantnummer = :klantnummer AND pg_sleep(5) IS NOT NULL\"\"\"",
            )
    });
    let story = story("two-emails");
    let out = dir.path().join("slow.zip");
    let started = std::time::Instant::now();
    let output = run(inzage()
        .env(PASSWORD_VARIABLE, &pg.password)
        .arg("--config")
        .arg(&config)
        .args([
            "export",
            "--allow-partial",
            "--customer",
            &story.klantnummer,
            "--out",
        ])
        .arg(&out));
    let (code, _, stderr) = text(&output);
    assert_eq!(code, 0, "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let bundle = Bundle::open(&out);
    let erp = bundle.source("erp");
    assert_eq!(erp["status"], "failed");
    let reason = erp["reason"].as_str().unwrap();
    assert!(
        reason.contains("dataset `Inkomenstoets`")
            && reason.contains("raise statement_timeout_secs"),
        "{erp}"
    );
    assert_eq!(bundle.source("kwh")["status"], "ok");
}

/// `check` proves every ERP query read-only without running it, on SQLite
/// and on PostgreSQL: a query that would write (here a data-modifying WITH
/// that returns the rows it deletes) is refused by `check`, named by its
/// dataset, and no row is touched.
#[test]
fn check_refuses_a_query_that_would_write_on_both_databases() {
    // A login that may only read (refused by its rights) and one that may
    // write (refused by the plan): inzage refuses the query either way.
    let pg = postgres();
    let writable = postgres();
    writable.grant_writes().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let select = "SELECT klantnummer, voornamen, tussenvoegsel, achternaam, geslacht, geboortedatum,\n       bsn, iban, woningnet_registratienummer, aangemaakt\nFROM relatie WHERE klantnummer = :klantnummer";
    let writes = [
        "WITH weg AS (SELECT klantnummer FROM relatie WHERE klantnummer = :klantnummer)\nDELETE FROM relatie WHERE klantnummer IN (SELECT klantnummer FROM weg)\nRETURNING klantnummer, voornamen, tussenvoegsel, achternaam, geslacht, geboortedatum, bsn, iban, woningnet_registratienummer, aangemaakt",
        "UPDATE relatie SET voornamen = voornamen WHERE klantnummer = :klantnummer\nRETURNING klantnummer, voornamen, tussenvoegsel, achternaam, geslacht, geboortedatum, bsn, iban, woningnet_registratienummer, aangemaakt",
    ];
    let sqlite_before = std::fs::read(root().join("fixtures/erp/erp.sqlite")).unwrap();
    for (i, query) in writes.iter().enumerate() {
        let edit = |c: String| {
            assert!(c.contains(select));
            c.replacen(select, query, 1)
        };
        let sqlite = config_file(dir.path(), &format!("lite-{i}.toml"), edit);
        let postgres = config_file(dir.path(), &format!("pg-{i}.toml"), |c| {
            on_postgres(edit(c), &pg)
        });
        let postgres_writable = config_file(dir.path(), &format!("pgw-{i}.toml"), |c| {
            on_postgres(edit(c), &writable)
        });
        for (backend, config, password, refusal) in [
            ("sqlite", &sqlite, &pg.password, "would write"),
            (
                "postgres",
                &postgres,
                &pg.password,
                "asks for more than reading",
            ),
            (
                "postgres, may write",
                &postgres_writable,
                &writable.password,
                "would write",
            ),
        ] {
            let (code, stdout, stderr) = text(&run(inzage()
                .env(PASSWORD_VARIABLE, password)
                .arg("--config")
                .arg(config)
                .arg("check")));
            assert_eq!(code, 3, "{backend}: {stdout}{stderr}");
            let erp = stdout
                .lines()
                .find(|l| l.starts_with("erp "))
                .unwrap_or_else(|| panic!("{stdout}"));
            assert!(
                erp.contains("FAILED")
                    && erp.contains("dataset `Relatie`")
                    && erp.contains(refusal),
                "{backend}: {erp}"
            );
        }
    }
    assert!(
        std::fs::read(root().join("fixtures/erp/erp.sqlite")).unwrap() == sqlite_before,
        "the SQLite file is untouched"
    );
    // PostgreSQL still holds every relatie: the export finds the story tenant.
    let story = story("mover");
    let pg_config = postgres_config(dir.path(), &writable);
    let out = dir.path().join("after.zip");
    let output = run(inzage()
        .env(PASSWORD_VARIABLE, &writable.password)
        .arg("--config")
        .arg(&pg_config)
        .args([
            "export",
            "--now",
            NOW,
            "--customer",
            &story.klantnummer,
            "--out",
        ])
        .arg(&out));
    assert_eq!(text(&output).0, 0, "{:?}", text(&output));
    assert_eq!(
        Bundle::open(&out).keys("erp", "Relatie"),
        [story.klantnummer]
    );
}
