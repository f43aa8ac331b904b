//! Requests from intake to answer: `find`, `request ...`, `export
//! --request`, `audit verify`, on the fixture estate, each with its own
//! store beside a temporary connectors.toml.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::*;

/// A temporary estate configuration; the store and trail go beside it.
struct Desk {
    dir: tempfile::TempDir,
    config: PathBuf,
}

impl Desk {
    fn new() -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let config = config_with(dir.path(), |c| c);
        Desk { dir, config }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = inzage();
        cmd.arg("--config").arg(&self.config).args(args);
        cmd.env("INZAGE_USER", "privacy-medewerker");
        cmd
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        text(&run(&mut self.cmd(args)))
    }

    fn ok(&self, args: &[&str]) -> String {
        let (code, stdout, stderr) = self.run(args);
        assert_eq!(code, 0, "{args:?}\n{stdout}{stderr}");
        stdout
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn trail(&self) -> PathBuf {
        self.path("requests.audit.jsonl")
    }

    /// Opens a request received `days_ago` days ago; returns its id.
    fn open(&self, customer: &str, days_ago: i64) -> String {
        let received =
            (chrono::Utc::now().date_naive() - chrono::Days::new(days_ago as u64)).to_string();
        let out = self.ok(&[
            "request",
            "open",
            "--customer",
            customer,
            "--kind",
            "access",
            "--received",
            &received,
            "--channel",
            "balie",
        ]);
        out.split_whitespace().nth(1).unwrap().to_string()
    }
}

fn ymd(days_from_today: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days_from_today)).to_string()
}

#[test]
fn find_names_a_story_tenant_by_name_and_birth_date() {
    let desk = Desk::new();
    let signalering = story("signalering");
    // Zoë ter Horst, born 1976-04-07, addresses 3433 CV (old) and 3549 NG.
    for name in ["Zoë ter Horst", "zoe TER horst", "Zoe ter  Horst"] {
        let out = desk.ok(&["find", "--name", name, "--born", "1976-04-07"]);
        assert!(out.contains("one person found"), "{name}: {out}");
        assert!(
            out.contains(&format!("klantnummer {}", signalering.klantnummer)),
            "{out}"
        );
        assert!(out.contains("Z.") && out.contains("born 1976"), "{out}");
        assert!(out.contains("3433 **") && out.contains("3549 **"), "{out}");
        assert!(out.contains("Huurdersadministratie (ERP)"), "{out}");
        assert!(out.contains("Signaleringsmodule"), "{out}");
        // Masked: no full name, birth date or postcode of the candidate.
        assert!(
            !out.contains("1976-04-07") && !out.contains("3549 NG"),
            "{out}"
        );
        assert!(!out.to_lowercase().contains("horst"), "{out}");
        // The registry's row at another postcode is for staff to check.
        assert!(out.contains("check by hand"), "{out}");
    }
    // With a postcode (written any way), only that address counts.
    let out = desk.ok(&[
        "find",
        "--name",
        "Zoë ter Horst",
        "--born",
        "1976-04-07",
        "--postcode",
        "3433cv",
    ]);
    assert!(
        out.contains("one person found by name, birth date and postcode"),
        "{out}"
    );
    assert!(out.contains("3433 **") && !out.contains("3549 **"), "{out}");
    // Without the tussenvoegsel, as requesters often write it: still found.
    let out = desk.ok(&[
        "find",
        "--name",
        "Zoë Horst",
        "--born",
        "1976-04-07",
        "--postcode",
        "3549 NG",
    ]);
    assert!(
        out.contains("one person found by name, birth date and postcode"),
        "without the tussenvoegsel: {out}"
    );
    // With another birth date or postcode, or another surname: no one, said so.
    for args in [
        [
            "--name",
            "Zoë Horsten",
            "--born",
            "1976-04-07",
            "--postcode",
            "3549 NG",
        ],
        [
            "--name",
            "Zoë ter Horst",
            "--born",
            "1976-04-08",
            "--postcode",
            "3549 NG",
        ],
        [
            "--name",
            "Zoë ter Horst",
            "--born",
            "1976-04-07",
            "--postcode",
            "9999 ZZ",
        ],
    ] {
        let mut all = vec!["find"];
        all.extend(args);
        let out = desk.ok(&all);
        assert!(out.contains("no one found"), "{args:?}: {out}");
    }
    // A name without tussenvoegsel, with diacritics.
    let co_tenant = story("co-tenant");
    let out = desk.ok(&["find", "--name", "Marloes Nusken", "--born", "1989-05-05"]);
    assert!(
        out.contains(&format!("klantnummer {}", co_tenant.klantnummer)),
        "{out}"
    );
}

#[test]
fn find_names_whom_a_customer_or_contract_number_names_masked() {
    let desk = Desk::new();
    let co_tenant = story("co-tenant");
    let out = desk.ok(&["find", "--customer", &co_tenant.klantnummer]);
    assert!(
        out.contains(&format!(
            "klantnummer {}  M.  born 1989  postcode 3552 **",
            co_tenant.klantnummer
        )) && out.contains("Huurdersadministratie (ERP)")
            && out.contains(&format!(
                "next: `inzage request open --customer {}",
                co_tenant.klantnummer
            )),
        "{out}"
    );
    assert!(
        !out.contains("Nüsken") && !out.contains("Marloes"),
        "masked: {out}"
    );
    // The co-tenant contract names both its contractants.
    let out = desk.ok(&["find", "--contract", &co_tenant.contractnummers[0]]);
    assert_eq!(out.matches("  klantnummer ").count(), 2, "{out}");
    assert!(out.contains("2 people found"), "{out}");
    // A number that fails its pattern: exit 2, nothing asked.
    let (code, _, err) = desk.run(&["find", "--contract", "HO12"]);
    assert_eq!(code, 2);
    assert!(err.contains("--contract"), "{err}");
    let out = desk.ok(&["find", "--customer", "999999"]);
    assert!(out.contains("no one found by this number"), "{out}");
}

/// A small SQLite ERP with two people of the same name and birth date.
fn namesakes_config(dir: &Path) -> PathBuf {
    let db = dir.join("erp.sqlite");
    let sql = "CREATE TABLE relatie (klantnummer TEXT, voornamen TEXT, tussenvoegsel TEXT, achternaam TEXT, geboortedatum DATE);
        CREATE TABLE relatie_adres (id INTEGER, klantnummer TEXT, postcode TEXT);
        INSERT INTO relatie VALUES ('100001', 'Fleur', 'van den', 'Berg', '1990-04-02');
        INSERT INTO relatie VALUES ('100002', 'Fleur', 'van den', 'Berg', '1990-04-02');
        INSERT INTO relatie VALUES ('100003', 'Fleur', 'van den', 'Berg', '1991-04-02');
        INSERT INTO relatie_adres VALUES (1, '100001', '3512 AB');
        INSERT INTO relatie_adres VALUES (2, '100002', '3581 XY');
        INSERT INTO relatie_adres VALUES (3, '100003', '3512 AB');";
    let status = Command::new("sqlite3")
        .arg(&db)
        .arg(sql)
        .status()
        .expect("sqlite3 runs (Debian package sqlite3)");
    assert!(status.success());
    let config = format!(
        r#"[organisation]
name = "Testcorporatie"
privacy_contact = "privacy@example.org"
supervisory_authority = "Autoriteit Persoonsgegevens"
automated_decision_making = "Geen."

[identifiers.klantnummer]
pattern = "[0-9]{{6}}"

[purposes.verhuur]
label = "Verhuur"
legal_basis = "contract"

[retention.kort]
label = "Kort"
period = "2 jaar"

[categories.naw]
label = "NAW"

[[connector]]
id = "erp"
kind = "sql"
label = "ERP"
url = "sqlite:{db}"

[[connector.dataset]]
name = "RelatieAdres"
queries.klantnummer = "SELECT a.id, a.klantnummer, a.postcode, r.voornamen, r.tussenvoegsel, r.achternaam, r.geboortedatum FROM relatie_adres a JOIN relatie r ON r.klantnummer = a.klantnummer WHERE a.klantnummer = :klantnummer"
queries.persoon = "SELECT a.id, a.klantnummer, a.postcode, r.voornamen, r.tussenvoegsel, r.achternaam, r.geboortedatum FROM relatie_adres a JOIN relatie r ON r.klantnummer = a.klantnummer WHERE :persoon LIKE '%|' || CAST(r.geboortedatum AS TEXT) || '|%'"
purposes = ["verhuur"]
retention = "kort"
origin = "subject"
key = "id"
owner = {{ klantnummer = "klantnummer" }}
match = {{ klantnummer = "klantnummer", persoon = {{ voornamen = "voornamen", tussenvoegsel = "tussenvoegsel", achternaam = "achternaam", geboortedatum = "geboortedatum", postcode = "postcode" }} }}
exclude = ["voornamen", "tussenvoegsel", "achternaam", "geboortedatum"]

[connector.dataset.fields]
id = "naw"
klantnummer = "naw"
postcode = "naw"
"#,
        db = db.display()
    );
    let path = dir.join("connectors.toml");
    std::fs::write(&path, config).unwrap();
    path
}

#[test]
fn find_says_so_when_two_people_share_name_and_birth_date() {
    let dir = tempfile::tempdir().unwrap();
    let config = namesakes_config(dir.path());
    let find = |extra: &[&str]| {
        let mut cmd = inzage();
        cmd.arg("--config").arg(&config).args([
            "find",
            "--name",
            "Fleur van den Berg",
            "--born",
            "1990-04-02",
        ]);
        text(&run(cmd.args(extra)))
    };
    let (code, out, err) = find(&[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("2 people found") && out.contains("do not guess"),
        "{out}"
    );
    assert!(
        out.contains("klantnummer 100001") && out.contains("klantnummer 100002"),
        "{out}"
    );
    assert!(
        !out.contains("100003"),
        "another birth date is no candidate: {out}"
    );
    assert!(out.contains("3512 **") && out.contains("3581 **"), "{out}");
    // The postcode tells them apart.
    let (_, out, _) = find(&["--postcode", "3581 xy"]);
    assert!(
        out.contains("one person found") && out.contains("100002"),
        "{out}"
    );
    assert!(!out.contains("100001"), "{out}");
}

#[test]
fn a_request_runs_from_intake_to_answer() {
    let desk = Desk::new();
    let me = story("two-emails");
    let id = desk.open(&me.klantnummer, 3);
    assert_eq!(id, "V-0001");

    // No bundle before identity is verified.
    let bundle = desk.path("bundle.zip");
    let bundle_arg = bundle.to_str().unwrap();
    let (code, _, err) = desk.run(&["export", "--request", &id, "--out", bundle_arg]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("identity is not verified"), "{err}");
    assert!(!bundle.exists());

    // A document number or BSN is refused, in --method and in --by.
    for (flag, value) in [
        ("--method", "paspoort NW4K82JD1 getoond"),
        ("--method", "BSN 111222333 gecontroleerd"),
        ("--by", "IXK1234P5"),
    ] {
        let mut args = vec![
            "request",
            "verify",
            &id,
            "--method",
            "ID-kaart getoond aan de balie",
        ];
        if flag == "--method" {
            args[4] = value;
        } else {
            args.extend(["--by", value]);
        }
        let (code, _, err) = desk.run(&args);
        assert_eq!(code, 2, "{value}: {err}");
        assert!(
            err.contains(flag) && err.contains("never a number or a copy"),
            "{err}"
        );
    }
    let out = desk.ok(&[
        "request",
        "verify",
        &id,
        "--by",
        "J. de Vries",
        "--method",
        "ID-kaart getoond aan de balie",
    ]);
    assert!(out.contains("identity verified by J. de Vries"), "{out}");
    let due = ymd(-3 + 28);
    assert!(
        out.contains(&format!("answer due:          {due}")),
        "{out}"
    );

    // Export for the request: subject, kind and dates from it, recorded on it.
    let out = desk.ok(&["export", "--request", &id, "--out", bundle_arg]);
    assert!(out.contains(&format!("recorded on request {id}")), "{out}");
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
        std::fs::read(&bundle).unwrap(),
    ));
    assert!(out.contains(&sha), "{out}");
    let report = String::from_utf8(Bundle::open(&bundle).files["index.html"].clone()).unwrap();
    let long = |days: i64| {
        let d = chrono::Utc::now().date_naive() + chrono::Duration::days(days);
        inzage_requests_long_date(d)
    };
    assert!(report.contains(&long(-3)), "received date from the request");
    assert!(
        report.contains(&long(25)),
        "due date from the request (4 weeks)"
    );

    // Extension: the reason is kept; the letter quotes it, escaped.
    let out = desk.ok(&[
        "request",
        "extend",
        &id,
        "--months",
        "1",
        "--reason",
        "Uw gegevens staan in <veel> systemen",
    ]);
    assert!(out.contains("extended by 1 month(s)"), "{out}");
    let (code, _, err) = desk.run(&["request", "extend", &id, "--months", "2", "--reason", "x"]);
    assert_eq!(code, 2, "at most two months in total: {err}");
    assert!(err.contains("at most 2 months"), "{err}");
    let letter = desk.path("verlenging.html");
    desk.ok(&[
        "request",
        "letter",
        &id,
        "--kind",
        "extension",
        "--out",
        letter.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&letter).unwrap();
    assert!(html.contains("Content-Security-Policy") && html.contains("script-src 'none'"));
    assert!(
        html.contains("Uw gegevens staan in &lt;veel&gt; systemen"),
        "{html}"
    );
    assert!(html.contains("Woningstichting Mitros") && html.contains("pf@mitros.nl"));
    assert!(html.contains("artikel 12 lid 3 AVG") && html.contains("lang=\"nl\""));
    let english = desk.path("extension-en.html");
    desk.ok(&[
        "request",
        "letter",
        &id,
        "--kind",
        "extension",
        "--lang",
        "en",
        "--out",
        english.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&english).unwrap();
    assert!(
        html.contains("article 12(3) GDPR") && html.contains("lang=\"en\""),
        "{html}"
    );
    let ack = desk.path("ontvangst.html");
    desk.ok(&[
        "request",
        "letter",
        &id,
        "--kind",
        "acknowledgement",
        "--out",
        ack.to_str().unwrap(),
    ]);
    assert!(std::fs::read_to_string(&ack)
        .unwrap()
        .contains("geen kopie"));
    // A refusal letter needs a refused request.
    let (code, _, err) = desk.run(&[
        "request",
        "letter",
        &id,
        "--kind",
        "refusal",
        "--out",
        desk.path("w.html").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("was not refused"), "{err}");

    // List: status and days left.
    let out = desk.ok(&["request", "list", "--open"]);
    assert!(
        out.contains(&id) && out.contains("verified, extended"),
        "{out}"
    );

    // Close, and no more changes afterwards.
    desk.ok(&["request", "close", &id, "--outcome", "delivered"]);
    let (code, _, err) = desk.run(&["request", "extend", &id, "--reason", "x"]);
    assert_eq!(code, 2);
    assert!(err.contains("was closed"), "{err}");
    assert_eq!(
        desk.ok(&["request", "list", "--open"]).trim(),
        "no requests"
    );

    // The trail: every step, who did it, no personal data, chain intact.
    let trail = std::fs::read_to_string(desk.trail()).unwrap();
    let actions: Vec<String> = trail
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["action"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        actions,
        [
            "request.open",
            "request.verify",
            "export",
            "request.extend",
            "letter",
            "letter",
            "letter",
            "request.close"
        ]
    );
    assert!(trail.contains("\"by\":\"J. de Vries\"") && trail.contains("privacy-medewerker"));
    // Only the masked identifier (hashes blanked: six digits can occur in a sha256).
    let unhashed: String = trail
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            let o = v.as_object_mut().unwrap();
            o.remove("hash");
            o.remove("prev");
            o["details"].as_object_mut().unwrap().remove("sha256");
            v.to_string()
        })
        .collect();
    assert!(!unhashed.contains(&me.klantnummer), "{unhashed}");
    assert!(unhashed.contains("\"subject\":\"00***\""), "{unhashed}");
    assert!(
        !trail.contains("ID-kaart") && !trail.contains("veel"),
        "no free text"
    );
    assert!(trail.contains(&sha), "the bundle's sha256");
    let out = desk.ok(&["audit", "verify"]);
    assert!(out.contains("8 entries, chain intact"), "{out}");

    // A changed trail is named.
    let mut lines: Vec<String> = trail.lines().map(str::to_string).collect();
    lines[3] = lines[3].replace("privacy-medewerker", "iemand-anders");
    std::fs::write(desk.trail(), lines.join("\n") + "\n").unwrap();
    let (code, _, err) = desk.run(&["audit", "verify"]);
    assert_eq!(code, 1);
    assert!(err.contains("line 4: entry 4 was edited"), "{err}");
}

/// `1 december 2026`, as the report writes dates in Dutch.
fn inzage_requests_long_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

#[test]
fn an_unknown_subject_stops_the_export_unless_allowed() {
    let desk = Desk::new();
    let out = desk.path("leeg.zip");
    let (code, _, err) = desk.run(&[
        "export",
        "--customer",
        "999999",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains("no source knows") && err.contains("--allow-empty"),
        "{err}"
    );
    assert!(!err.contains("999999"), "masked: {err}");
    assert!(!out.exists());
    desk.ok(&[
        "export",
        "--customer",
        "999999",
        "--out",
        out.to_str().unwrap(),
        "--allow-empty",
    ]);
    let report = String::from_utf8(Bundle::open(&out).files["index.html"].clone()).unwrap();
    assert!(
        report.contains("Wij hebben geen persoonsgegevens over u."),
        "{report}"
    );

    // Through a request: the no-data letter after closing it so.
    let id = desk.open("999999", 1);
    desk.ok(&[
        "request",
        "verify",
        &id,
        "--method",
        "Rijbewijs getoond aan de balie",
    ]);
    desk.ok(&["request", "close", &id, "--outcome", "no-data"]);
    let letter = desk.path("geen-gegevens.html");
    desk.ok(&[
        "request",
        "letter",
        &id,
        "--kind",
        "no-data",
        "--lang",
        "en",
        "--out",
        letter.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&letter).unwrap();
    assert!(
        html.contains("We hold no personal data about you."),
        "{html}"
    );
    assert!(html.contains("Autoriteit Persoonsgegevens") || html.contains("supervisory authority"));
}

#[test]
fn refusal_letters_give_reasons_and_remedies() {
    let desk = Desk::new();
    let id = desk.open(&story("mover").klantnummer, 2);
    let (code, _, err) = desk.run(&["request", "close", &id, "--outcome", "refused"]);
    assert_eq!(code, 2);
    assert!(err.contains("needs --reason"), "{err}");
    desk.ok(&[
        "request",
        "close",
        &id,
        "--outcome",
        "refused",
        "--reason",
        "Het verzoek is kennelijk ongegrond.",
    ]);
    let letter = desk.path("weigering.html");
    desk.ok(&[
        "request",
        "letter",
        &id,
        "--kind",
        "refusal",
        "--out",
        letter.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&letter).unwrap();
    assert!(html.contains("kennelijk ongegrond"));
    assert!(
        html.contains("Autoriteit Persoonsgegevens") && html.contains("rechter"),
        "{html}"
    );
}

#[test]
fn the_list_shows_overdue_and_due_soon_first() {
    let desk = Desk::new();
    let late = desk.open(&story("mover").klantnummer, 40);
    let soon = desk.open(&story("co-tenant").klantnummer, 25);
    let later = desk.open(&story("two-emails").klantnummer, 1);
    let out = desk.ok(&["request", "list"]);
    let pos = |id: &str| out.find(&format!("{id} ")).unwrap();
    assert!(pos(&late) < pos(&soon) && pos(&soon) < pos(&later), "{out}");
    assert!(out.contains("OVERDUE by"), "{out}");
    let out = desk.ok(&["request", "list", "--due-within", "7d"]);
    assert!(
        out.contains(&late) && out.contains(&soon) && !out.contains(&later),
        "{out}"
    );
    // Too late to extend the overdue one.
    let (code, _, err) = desk.run(&["request", "extend", &late, "--reason", "druk"]);
    assert_eq!(code, 2);
    assert!(err.contains("within the first term"), "{err}");
}

#[test]
fn parallel_commands_never_corrupt_the_store() {
    let desk = Desk::new();
    let customer = story("mover").klantnummer;
    let received = ymd(-1);
    let children: Vec<_> = (0..8)
        .map(|_| {
            desk.cmd(&[
                "request",
                "open",
                "--customer",
                &customer,
                "--kind",
                "access",
                "--received",
                &received,
                "--channel",
                "mail",
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    let mut ids = Vec::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let (code, stdout, stderr) = text(&out);
        assert_eq!(code, 0, "{stdout}{stderr}");
        ids.push(stdout.split_whitespace().nth(1).unwrap().to_string());
    }
    ids.sort();
    let expected: Vec<String> = (1..=8).map(|n| format!("V-{n:04}")).collect();
    assert_eq!(ids, expected, "every request got its own id");
    // Verify them all at once too, while a list reads.
    let children: Vec<_> = ids
        .iter()
        .map(|id| {
            desk.cmd(&[
                "request",
                "verify",
                id,
                "--method",
                "ID-kaart getoond aan de balie",
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
        })
        .chain(std::iter::once(
            desk.cmd(&["request", "list"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap(),
        ))
        .collect();
    for child in children {
        let (code, stdout, stderr) = text(&child.wait_with_output().unwrap());
        assert_eq!(code, 0, "{stdout}{stderr}");
    }
    let out = desk.ok(&["request", "list"]);
    assert_eq!(out.matches("verified").count(), 8, "{out}");
    // Two exports and an extension at once.
    let spawn = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        desk.cmd(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let out = |id: &str| desk.path(&format!("{id}.zip")).display().to_string();
    let children = vec![
        spawn(vec![
            "export".into(),
            "--request".into(),
            ids[0].clone(),
            "--out".into(),
            out(&ids[0]),
        ]),
        spawn(vec![
            "export".into(),
            "--request".into(),
            ids[1].clone(),
            "--out".into(),
            out(&ids[1]),
        ]),
        spawn(vec![
            "request".into(),
            "extend".into(),
            ids[2].clone(),
            "--reason".into(),
            "druk".into(),
        ]),
    ];
    for child in children {
        let (code, stdout, stderr) = text(&child.wait_with_output().unwrap());
        assert_eq!(code, 0, "{stdout}{stderr}");
    }
    let out = desk.ok(&["audit", "verify"]);
    assert!(out.contains("19 entries, chain intact"), "{out}");
}

#[test]
fn request_commands_say_what_they_cannot_do() {
    let desk = Desk::new();
    let customer = story("mover").klantnummer;
    let (code, _, err) = desk.run(&[
        "request",
        "open",
        "--customer",
        &customer,
        "--kind",
        "access",
        "--received",
        &ymd(2),
        "--channel",
        "post",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("lies in the future"), "{err}");
    let (code, _, err) = desk.run(&[
        "request",
        "open",
        "--customer",
        "12",
        "--kind",
        "access",
        "--received",
        &ymd(0),
        "--channel",
        "post",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--customer"), "{err}");
    let (code, _, err) = text(&run(desk
        .cmd(&[
            "request",
            "open",
            "--customer",
            &customer,
            "--kind",
            "access",
            "--received",
            &ymd(0),
            "--channel",
            "post",
        ])
        .env_remove("INZAGE_USER")));
    assert_eq!(code, 2);
    assert!(err.contains("--by NAME or set INZAGE_USER"), "{err}");
    let (code, _, err) = desk.run(&[
        "request",
        "verify",
        "V-0042",
        "--method",
        "ID-kaart getoond",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("V-0042 not found") && err.contains("request list"),
        "{err}"
    );
    let out = desk.ok(&[
        "request",
        "open",
        "--customer",
        &customer,
        "--kind",
        "portability",
        "--received",
        &ymd(0),
        "--channel",
        "web",
    ]);
    let id = out.split_whitespace().nth(1).unwrap().to_string();
    desk.ok(&[
        "request",
        "verify",
        &id,
        "--method",
        "Paspoort getoond aan de balie",
    ]);
    // A portability request exports a portability bundle, recorded on the
    // request as an access bundle is.
    let bundle = desk.path("p.zip");
    let out = desk.ok(&[
        "export",
        "--request",
        &id,
        "--out",
        bundle.to_str().unwrap(),
    ]);
    assert!(
        out.contains("portability bundle written")
            && out.contains(&format!("recorded on request {id}")),
        "{out}"
    );
    assert!(zip::ZipArchive::new(std::fs::File::open(&bundle).unwrap())
        .unwrap()
        .by_name("portability.json")
        .is_ok());
    let sha = sha256_of(&bundle);
    assert_eq!(exports_in_trail(&desk.trail(), &id), vec![sha]);
}
