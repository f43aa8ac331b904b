//! Tests of the fixture estate generator.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use calamine::{open_workbook, Data, DataType, Reader, Xlsx};
use inzage_testkit::estate::{
    build, generate, load_stories, mentions, record_texts, EstateConfig, StoriesFile, ESTATE_FILES,
};

const SMALL: EstateConfig = EstateConfig {
    seed: 7,
    tenants: 40,
};

fn generated() -> (tempfile::TempDir, StoriesFile) {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(&SMALL, dir.path()).unwrap();
    (dir, summary.stories)
}

#[test]
fn same_seed_gives_identical_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    generate(&SMALL, a.path()).unwrap();
    generate(&SMALL, b.path()).unwrap();
    for f in ESTATE_FILES {
        let x = std::fs::read(a.path().join(f)).unwrap();
        let y = std::fs::read(b.path().join(f)).unwrap();
        assert!(!x.is_empty(), "{f} is empty");
        assert!(x == y, "{f} differs between two runs with the same seed");
    }
    let c = tempfile::tempdir().unwrap();
    generate(
        &EstateConfig {
            seed: 8,
            tenants: 40,
        },
        c.path(),
    )
    .unwrap();
    let x = std::fs::read(a.path().join("erp/erp.sql")).unwrap();
    let z = std::fs::read(c.path().join("erp/erp.sql")).unwrap();
    assert_ne!(x, z, "another seed must give another estate");
}

#[test]
fn stories_json_round_trips() {
    let (dir, stories) = generated();
    let loaded = load_stories(&dir.path().join("stories.json")).unwrap();
    assert_eq!(loaded, stories);
    let names: Vec<&str> = stories.stories.iter().map(|s| s.story.as_str()).collect();
    for want in [
        "co-tenant",
        "mover",
        "signalering",
        "two-emails",
        "no-woningnet",
        "shared-email",
    ] {
        assert!(names.contains(&want), "missing story {want}");
    }
    for s in &stories.stories {
        let sources: Vec<&str> = s.expected.keys().map(String::as_str).collect();
        assert_eq!(
            sources,
            ["crm", "erp", "kwh", "mail", "signalering", "woningnet"]
        );
        assert_eq!(s.expected["woningnet"].len(), 2);
        assert_eq!(s.expected["erp"].len(), 7);
    }
}

#[test]
fn signaleringen_csv_is_dutch_excel() {
    let (dir, _) = generated();
    let bytes = std::fs::read(dir.path().join("signalering/signaleringen.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "must not be UTF-8");
    let (text, _, bad) = encoding_rs::WINDOWS_1252.decode(&bytes);
    assert!(!bad);
    assert!(text.starts_with(
        "Registratienummer;Voornamen;Tussenvoegsel;Achternaam;Geboortedatum;Postcode;Huisnummer;Corporatie;Categorie;Omschrijving;Ingangsdatum;Einddatum;Status\r\n"
    ));
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "every line ends in CRLF"
    );
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let mut quoted_newline = false;
    let mut diacritics = false;
    let mut n = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        n += 1;
        assert_eq!(rec.len(), 13);
        let oms = &rec[9];
        quoted_newline |= oms.contains('\n') && oms.contains(';');
        diacritics |= rec.iter().any(|f| !f.is_ascii());
        let date = &rec[4];
        assert!(
            date.len() == 10 && &date[2..3] == "-" && &date[5..6] == "-",
            "dd-mm-jjjj: {date}"
        );
        assert!(["actief", "passief", "vervallen"].contains(&&rec[12]));
    }
    assert!(n > 5);
    assert!(quoted_newline, "an Omschrijving with ';' and a newline");
    assert!(diacritics);
}

#[test]
fn kwh_xlsx_has_text_klantnummers_and_date_cells() {
    let (dir, stories) = generated();
    let mut wb: Xlsx<_> = open_workbook(dir.path().join("kwh/kwh-export.xlsx")).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec!["Antwoorden".to_string(), "Toelichting".to_string()]
    );
    let range = wb.worksheet_range("Antwoorden").unwrap();
    assert_eq!(
        range.get_value((0, 0)),
        Some(&Data::String("KWH-Huurlabel export".into()))
    );
    let header: Vec<String> = (0..8)
        .map(|c| range.get_value((2, c)).unwrap().to_string())
        .collect();
    assert_eq!(
        header,
        [
            "Respondentnummer",
            "Klantnummer",
            "Contractnummer",
            "Datum",
            "Onderzoek",
            "Rapportcijfer",
            "Toelichting",
            "E-mailadres"
        ]
    );
    let mut respondents = BTreeSet::new();
    let mut with_kn = 0;
    for row in 3..range.end().unwrap().0 + 1 {
        respondents.insert(range.get_value((row, 0)).unwrap().to_string());
        match range.get_value((row, 1)) {
            Some(Data::String(k)) => {
                assert!(
                    k.len() == 6 && k.starts_with('0'),
                    "klantnummer keeps leading zeros: {k}"
                );
                with_kn += 1;
            }
            Some(Data::Empty) | None => {}
            other => panic!("klantnummer must be a text cell, got {other:?}"),
        }
        let date = range.get_value((row, 3)).unwrap();
        assert!(date.is_datetime(), "Datum is a date cell: {date:?}");
        assert!(matches!(range.get_value((row, 5)), Some(Data::Float(_))));
    }
    assert!(with_kn > 5);
    for s in &stories.stories {
        for key in &s.expected["kwh"]["Enquete"] {
            assert!(respondents.contains(key), "{key}");
        }
    }
    let t = wb.worksheet_range("Toelichting").unwrap();
    assert!(t.get_value((0, 0)).is_some());
}

#[test]
fn mbox_has_the_mime_variety() {
    let (dir, _) = generated();
    let text = std::fs::read_to_string(dir.path().join("mail/archive.mbox")).unwrap();
    assert!(!text.contains('\r'), "CRLF-free");
    for needle in [
        "Content-Transfer-Encoding: base64",
        "Content-Transfer-Encoding: quoted-printable",
        "charset=\"iso-8859-1\"",
        "charset=\"windows-1252\"",
        "=?UTF-8?B?",
        "=?ISO-8859-1?Q?",
        "Content-Type: message/rfc822",
        "multipart/alternative",
        "Content-Type: text/html",
        "Content-Disposition: attachment; filename=",
        "\nCc: ",
        "\nReply-To: ",
        "\n>From 1 november",
        "\n>>From de vorige brief",
    ] {
        assert!(text.contains(needle), "mbox lacks {needle:?}");
    }
    // every unescaped "From " line is a separator: first line or after a blank line
    let lines: Vec<&str> = text.lines().collect();
    let mut separators = 0;
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("From ") {
            assert!(
                i == 0 || lines[i - 1].is_empty(),
                "stray From line {i}: {l}"
            );
            assert!(
                lines[i + 1].starts_with("Message-ID: <"),
                "separator not followed by headers"
            );
            separators += 1;
        }
    }
    let estate = build(&SMALL);
    assert_eq!(separators, estate.messages.len());
}

fn sql_keys(sql: &str) -> BTreeSet<(String, String)> {
    let mut table = String::new();
    let mut keys = BTreeSet::new();
    for line in sql.lines() {
        if let Some(rest) = line.strip_prefix("INSERT INTO ") {
            table = rest.split_whitespace().next().unwrap().to_string();
        } else if let Some(rest) = line.strip_prefix('(') {
            let first = rest
                .split(", ")
                .next()
                .unwrap()
                .trim_matches('\'')
                .to_string();
            keys.insert((table.clone(), first));
        }
    }
    keys
}

fn json_keys(path: &Path, field: &str) -> BTreeSet<String> {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|o| o[field].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_expected_key_exists_in_the_files() {
    let (dir, stories) = generated();
    let p = dir.path();
    let sql = sql_keys(&std::fs::read_to_string(p.join("erp/erp.sql")).unwrap());
    let tables = BTreeMap::from([
        ("Relatie", "relatie"),
        ("Contactgegeven", "contactgegeven"),
        ("RelatieAdres", "relatie_adres"),
        ("Huurovereenkomst", "huurovereenkomst"),
        ("Huurbetaling", "huurbetaling"),
        ("Inkomenstoets", "inkomenstoets"),
        ("Onderhoudsverzoek", "onderhoudsverzoek"),
    ]);
    let json = BTreeMap::from([
        (
            "Contactmoment",
            json_keys(&p.join("crm/contactmomenten.json"), "contactmomentid"),
        ),
        (
            "Klacht",
            json_keys(&p.join("crm/klachten.json"), "klachtid"),
        ),
        (
            "Notitie",
            json_keys(&p.join("crm/notities.json"), "notitieid"),
        ),
        (
            "Inschrijving",
            json_keys(
                &p.join("woningnet/inschrijvingen.json"),
                "registratienummer",
            ),
        ),
        (
            "Reactie",
            json_keys(&p.join("woningnet/reacties.json"), "reactieid"),
        ),
    ]);
    let mbox = std::fs::read_to_string(p.join("mail/archive.mbox")).unwrap();
    let csv = encoding_rs::WINDOWS_1252
        .decode(&std::fs::read(p.join("signalering/signaleringen.csv")).unwrap())
        .0
        .into_owned();
    let sig: BTreeSet<String> = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap()[0].to_string())
        .collect();
    let mut total = 0;
    for s in &stories.stories {
        for (source, datasets) in &s.expected {
            for (dataset, keys) in datasets {
                for key in keys {
                    total += 1;
                    let ok = match source.as_str() {
                        "erp" => sql.contains(&(tables[dataset.as_str()].to_string(), key.clone())),
                        "crm" | "woningnet" => json[dataset.as_str()].contains(key),
                        "mail" => mbox.contains(&format!("\nMessage-ID: <{key}>\n")),
                        "signalering" => sig.contains(key),
                        "kwh" => true, // checked in kwh_xlsx_has_text_klantnummers_and_date_cells
                        other => panic!("unknown source {other}"),
                    };
                    assert!(ok, "{}: {source}/{dataset} key {key} not found", s.story);
                }
            }
        }
        for r in &s.review {
            let ok = match r.source.as_str() {
                "crm" => json[r.dataset.as_str()].contains(&r.key),
                "mail" => mbox.contains(&format!("\nMessage-ID: <{}>\n", r.key)),
                "signalering" => sig.contains(&r.key),
                _ => false,
            };
            assert!(ok, "{}: review {r:?} not found", s.story);
        }
    }
    assert!(total > 100);
}

#[test]
fn foreign_identifiers_are_foreign_and_never_in_expected_records() {
    let estate = build(&SMALL);
    let stories = inzage_testkit::estate::compute_stories(&estate);
    let texts = record_texts(&estate);
    for s in &stories.stories {
        assert!(!s.foreign_identifiers.is_empty(), "{}", s.story);
        let own: BTreeSet<String> = s
            .emails
            .iter()
            .map(|e| e.to_lowercase())
            .chain([s.klantnummer.to_lowercase()])
            .chain(s.contractnummers.iter().map(|c| c.to_lowercase()))
            .collect();
        for f in &s.foreign_identifiers {
            assert!(
                !own.contains(&f.to_lowercase()),
                "{}: foreign {f} is its own",
                s.story
            );
        }
        for (source, datasets) in &s.expected {
            for (dataset, keys) in datasets {
                for key in keys {
                    // Planted mentions of other people are there on purpose:
                    // third-party protection redacts them (tests/e2e/protect.rs).
                    let mut text = texts[&(source.clone(), dataset.clone(), key.clone())].clone();
                    for p in estate
                        .planted
                        .iter()
                        .filter(|p| &p.source == source && &p.dataset == dataset && &p.key == key)
                    {
                        text = text.replace(&p.written, " ");
                    }
                    let text = &text;
                    for f in &s.foreign_identifiers {
                        assert!(
                            !mentions(text, f),
                            "{}: {source}/{dataset}/{key} mentions foreign {f}",
                            s.story
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn stories_have_their_special_features() {
    let estate = build(&SMALL);
    let stories = inzage_testkit::estate::compute_stories(&estate);
    let by = |name: &str| stories.stories.iter().find(|s| s.story == name).unwrap();
    let msg = |id: &str| estate.messages.iter().find(|m| m.id == id).unwrap();

    let co = by("co-tenant");
    assert_eq!(co.contractnummers.len(), 1);
    let c = &co.contractnummers[0];
    assert_eq!(
        estate
            .rollen
            .iter()
            .filter(|r| &r.contractnummer == c)
            .count(),
        2
    );
    assert!(estate
        .rollen
        .iter()
        .any(|r| &r.contractnummer == c && r.rol == "MDH"));

    let mover = by("mover");
    assert_eq!(mover.contractnummers.len(), 2);
    assert_eq!(mover.expected["erp"]["RelatieAdres"].len(), 2);
    assert!(estate
        .adressen
        .iter()
        .any(|a| a.klantnummer == mover.klantnummer && a.tot.is_some()));
    // the referral: klantnummer only inside a base64 body
    let referral = mover.expected["mail"]["Bericht"]
        .iter()
        .map(|id| msg(id))
        .find(|m| m.from.addr.starts_with("schuldhulp@"))
        .expect("base64 referral");
    let raw = inzage_testkit::estate::mail::render_message(referral);
    assert!(!raw.contains(&mover.klantnummer) && referral.text().contains(&mover.klantnummer));

    let sig = by("signalering");
    assert_eq!(sig.expected["signalering"]["Signalering"].len(), 1);
    assert!(sig.review.iter().any(|r| r.source == "signalering"));
    assert!(!sig.review.iter().any(|r| r.source != "signalering"));

    let two = by("two-emails");
    assert_eq!(two.emails.len(), 2);
    let crm_null_kn = estate
        .contactmomenten
        .iter()
        .filter(|c| two.expected["crm"]["Contactmoment"].contains(&c.contactmomentid))
        .any(|c| {
            c.klantnummer.is_none() && c.emailadres.as_deref() == Some(two.emails[1].as_str())
        });
    assert!(crm_null_kn);
    for e in &two.emails {
        assert!(two.expected["mail"]["Bericht"]
            .iter()
            .any(|id| msg(id).addresses().contains(e)));
    }

    let nw = by("no-woningnet");
    assert!(nw.woningnet.is_none());
    assert!(nw.expected["woningnet"].values().all(|v| v.is_empty()));

    let sh = by("shared-email");
    let member = by("shared-email-member");
    let shared: Vec<&String> = sh
        .emails
        .iter()
        .filter(|e| member.emails.contains(e))
        .collect();
    assert_eq!(shared.len(), 1);
    assert!(sh.review.iter().any(|r| r.source == "crm"));
    assert!(sh.review.iter().any(|r| r.source == "mail"));
    assert!(
        !sh.expected["mail"]["Bericht"].is_empty()
            && !member.expected["mail"]["Bericht"].is_empty()
    );
    for (src, ds) in &sh.expected {
        for (d, keys) in ds {
            for k in keys {
                assert!(
                    !member.expected[src][d].contains(k) || src == "erp" && d == "Huurbetaling",
                    "{src}/{d}/{k} in both"
                );
            }
        }
    }
    for r in &sh.review {
        for ds in sh.expected.values() {
            assert!(
                !ds.values().any(|v| v.contains(&r.key)),
                "review item {} is also expected",
                r.key
            );
        }
    }

    // decoys: every story tenant's klantnummer followed by a digit appears somewhere, matching nobody
    for s in &stories.stories {
        let decoy = estate.messages.iter().find(|m| {
            inzage_testkit::estate::tokens(&m.text())
                .iter()
                .any(|t| t.len() == 7 && t.starts_with(&s.klantnummer))
        });
        if s.story != "shared-email-member" {
            let d = decoy.unwrap_or_else(|| panic!("{}: no decoy", s.story));
            assert!(!s.expected["mail"]["Bericht"].contains(&d.id));
        }
    }
}

#[test]
fn synthetic_identifiers_have_the_documented_shapes() {
    let estate = build(&SMALL);
    let lo = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let hi = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
    for p in &estate.people {
        assert!(p.klantnummer.len() == 6 && p.klantnummer.chars().all(|c| c.is_ascii_digit()));
        let d: Vec<u32> = p.bsn.chars().map(|c| c.to_digit(10).unwrap()).collect();
        assert!(p.bsn.starts_with("9999") && d.len() == 9);
        let sum: i64 = (0..8).map(|i| d[i] as i64 * (9 - i as i64)).sum::<i64>() - d[8] as i64;
        assert_eq!(sum % 11, 0, "elfproef {}", p.bsn);
        for e in &p.emails {
            assert!(
                ["@example.org", "@example.com", "@example.net"]
                    .iter()
                    .any(|d| e.ends_with(d)),
                "{e}"
            );
        }
        if let Some(w) = &p.woningnet {
            assert!(w.len() == 9 && w.starts_with('4'));
        }
        if let Some(ph) = &p.phone {
            assert!(ph.starts_with("06-") && ph.len() == 11);
        }
        assert!(p.aangemaakt.date() >= lo && p.aangemaakt.date() <= hi);
    }
    for c in &estate.contracts {
        assert!(c.contractnummer.starts_with("HO") && c.contractnummer.len() == 8);
        assert!(c.ingangsdatum >= lo && c.ingangsdatum <= hi);
    }
    for b in &estate.betalingen {
        assert!(b.datum >= lo && b.datum <= hi);
    }
    for m in &estate.messages {
        assert!(m.date.date() >= lo && m.date.date() <= hi);
        for a in m.addresses() {
            assert!(
                a.ends_with(".example.org")
                    || a.ends_with(".example.com")
                    || a.ends_with(".example.net")
                    || a.ends_with("@example.org")
                    || a.ends_with("@example.com")
                    || a.ends_with("@example.net"),
                "{a}"
            );
        }
    }
}

#[test]
fn committed_fixtures_are_current() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let committed = load_stories(&fixtures.join("stories.json"))
        .expect("fixtures/stories.json is committed; regenerate it with inzage-estate");
    let cfg = EstateConfig {
        seed: committed.seed,
        tenants: committed.tenants,
    };
    let dir = tempfile::tempdir().unwrap();
    generate(&cfg, dir.path()).unwrap();
    for f in ESTATE_FILES {
        let want = std::fs::read(dir.path().join(f)).unwrap();
        let have = std::fs::read(fixtures.join(f)).unwrap_or_default();
        assert!(want == have, "fixtures/{f} is stale: rerun `cargo run -p inzage-testkit --bin inzage-estate -- --seed {} --tenants {} --out fixtures`", cfg.seed, cfg.tenants);
    }
}
