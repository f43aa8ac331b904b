//! The second fixture estate: Woonstichting De Lek, a corporation with
//! another house style than the first estate, to prove that a new estate
//! is configuration only (`fixtures/estate2/connectors.toml`, written from
//! the README alone).
//!
//! What differs from the first estate:
//! - other table and column names (`klanten`, `klant_id`, `adressen`,
//!   `contracten`), initials (`voorletters`) instead of first names, an
//!   empty tussenvoegsel beside a NULL one;
//! - the customer number has a prefix and no padding (`K-1001`); the survey
//!   export writes it bare (`1001`), the repair export padded (`0001001`);
//! - the survey export (CSV, CRLF, `;`) and the repair export (XLSX) have
//!   no id column: their records are keyed by line and row;
//! - timestamps with zones and offsets (`2021-05-21 06:18:00+02:00`, `Z`,
//!   Dutch `21-05-2021 06:18` local time), booleans (`ja`/`nee`), lists;
//! - the tenant portal API has no endpoint free of personal data (`check`
//!   must probe it);
//! - staff mail each other about a tenant, naming the tenant's e-mail
//!   address only in the body.
//!
//! `stories.json` is the oracle: per story tenant the exact record keys per
//! source and dataset, the keys that only a body search finds, and the
//! identifiers of other people that must never appear in the bundle.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
use serde::{Deserialize, Serialize};

use crate::estate::rng::Rng;

/// Households in the estate.
pub const TENANTS: usize = 12;

const VOORLETTERS: &[&str] = &["J.", "A.M.", "P.", "H.J.", "E.", "W.F.", "S.", "M.C.", "R."];
const ACHTERNAMEN: &[&str] = &[
    "Verhoeckx",
    "Oostdam",
    "Kwakernaak",
    "Buitendijk",
    "Schimmelpenning",
    "Lagerwey",
    "Donkersloot",
    "Vreeswijk",
    "Hoogendoorn",
    "Zwanenburg",
    "Terlouw",
    "Wijnbergen",
];
const TUSSENVOEGSELS: &[&str] = &["van", "de", "van der", "van den"];
const STRATEN: &[&str] = &[
    "Lekdijk",
    "Molenstraat",
    "Kerkweg",
    "Veerpad",
    "Populierenlaan",
];
const PLAATSEN: &[&str] = &["Nieuwegein", "Houten", "Utrecht", "Vianen", "IJsselstein"];
const STAFF: &[(&str, &str)] = &[
    ("Ilse Vermeulen", "i.vermeulen@delek.example"),
    ("Bram Kooistra", "b.kooistra@delek.example"),
];
const SERVICE: &str = "klantenservice@delek.example";

/// One relatie of De Lek.
#[derive(Clone, Debug)]
pub struct Tenant {
    /// `K-1001`.
    pub klant_id: String,
    /// The number without prefix (`1001`).
    pub number: u32,
    /// Initials.
    pub voorletters: String,
    /// `None` for NULL, `Some("")` for an empty text.
    pub tussenvoegsel: Option<String>,
    /// Surname.
    pub achternaam: String,
    /// Birth date.
    pub geboren: NaiveDate,
    /// E-mail address.
    pub email: String,
    /// Phone number.
    pub telefoon: String,
    /// Address row id, street, postcode, town.
    pub adres: (u32, String, String, String),
    /// Contract code `C-5001`.
    pub contract: String,
}

/// The oracle for one story tenant.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Story2 {
    /// Story name.
    pub story: String,
    /// The customer number as staff type it (`K-1001`).
    pub klantnummer: String,
    /// What the story shows.
    pub about: String,
    /// source → dataset → exact record keys in the bundle.
    pub expected: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Mail keys only a search of message texts for the tenant's e-mail
    /// address finds (staff writing to staff): expected once that search
    /// is configured; never found by headers alone.
    pub body_only: Vec<String>,
    /// Other people's identifiers, in every form a source writes them:
    /// none may appear anywhere in the bundle.
    pub foreign: Vec<String>,
}

/// `fixtures/estate2/stories.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Stories2 {
    /// Generator seed.
    pub seed: u64,
    /// The story tenants.
    pub stories: Vec<Story2>,
}

fn tenants(rng: &mut Rng) -> Vec<Tenant> {
    (0..TENANTS)
        .map(|i| {
            let number = 1001 + i as u32;
            let achternaam = ACHTERNAMEN[i].to_string();
            let tussenvoegsel = match i % 4 {
                0 => None,
                1 => Some(String::new()),
                _ => Some(rng.pick(TUSSENVOEGSELS).to_string()),
            };
            let geboren = NaiveDate::from_ymd_opt(1950 + rng.range(0, 50) as i32, 1, 1)
                .expect("a date")
                + Duration::days(rng.range(0, 364));
            let straat = format!("{} {}", rng.pick(STRATEN), rng.range(1, 180));
            let postcode = format!(
                "{} {}{}",
                rng.range(3430, 3439),
                (b'A' + rng.below(26) as u8) as char,
                (b'A' + rng.below(26) as u8) as char
            );
            Tenant {
                klant_id: format!("K-{number}"),
                number,
                voorletters: rng.pick(VOORLETTERS).to_string(),
                tussenvoegsel,
                email: format!("{}.{}@example.net", achternaam.to_lowercase(), rng.hex(3)),
                telefoon: format!("06-{}", rng.range(10_000_000, 99_999_999)),
                achternaam,
                geboren,
                adres: (
                    500 + i as u32,
                    straat,
                    postcode,
                    rng.pick(PLAATSEN).to_string(),
                ),
                contract: format!("C-{}", 5001 + i),
            }
        })
        .collect()
}

fn sql_text(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// `erp/lek.sql`: the ERP in portable SQL (SQLite and PostgreSQL).
fn erp_sql(tenants: &[Tenant], rng: &mut Rng) -> String {
    let mut s = String::from(
        "-- Woonstichting De Lek: ERP (synthetic fixture, generated)\n\
         CREATE TABLE klanten (\n    klant_id TEXT PRIMARY KEY,\n    voorletters TEXT NOT NULL,\n    tussenvoegsel TEXT NULL,\n    achternaam TEXT NOT NULL,\n    geboren DATE NOT NULL,\n    email TEXT NOT NULL,\n    telefoon TEXT NOT NULL,\n    ingeschreven_op TEXT NOT NULL\n);\n\
         CREATE TABLE adressen (\n    adres_id INTEGER PRIMARY KEY,\n    klant_id TEXT NOT NULL,\n    straat TEXT NOT NULL,\n    postcode TEXT NOT NULL,\n    plaats TEXT NOT NULL\n);\n\
         CREATE TABLE contracten (\n    contract_code TEXT PRIMARY KEY,\n    klant_id TEXT NOT NULL,\n    ingang DATE NOT NULL,\n    kale_huur NUMERIC(8,2) NOT NULL,\n    actief BOOLEAN NOT NULL\n);\n",
    );
    for t in tenants {
        let at = NaiveDate::from_ymd_opt(
            2015 + rng.range(0, 8) as i32,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        )
        .expect("a date")
        .and_hms_opt(rng.range(8, 17) as u32, rng.range(0, 59) as u32, 0)
        .expect("a time");
        // The ERP writes local times with their offset, as text.
        let offset = if (4..=9).contains(&at.month()) {
            "+02:00"
        } else {
            "+01:00"
        };
        s.push_str(&format!(
            "INSERT INTO klanten VALUES ({}, {}, {}, {}, '{}', {}, {}, '{}{offset}');\n",
            sql_text(&t.klant_id),
            sql_text(&t.voorletters),
            t.tussenvoegsel
                .as_deref()
                .map(sql_text)
                .unwrap_or_else(|| "NULL".into()),
            sql_text(&t.achternaam),
            t.geboren.format("%Y-%m-%d"),
            sql_text(&t.email),
            sql_text(&t.telefoon),
            at.format("%Y-%m-%d %H:%M:%S"),
        ));
        let (id, straat, postcode, plaats) = &t.adres;
        s.push_str(&format!(
            "INSERT INTO adressen VALUES ({id}, {}, {}, {}, {});\n",
            sql_text(&t.klant_id),
            sql_text(straat),
            sql_text(postcode),
            sql_text(plaats)
        ));
        s.push_str(&format!(
            "INSERT INTO contracten VALUES ({}, {}, '{}', {}.{:02}, {});\n",
            sql_text(&t.contract),
            sql_text(&t.klant_id),
            at.date().format("%Y-%m-01"),
            rng.range(600, 899),
            rng.range(0, 99),
            if t.number % 5 == 0 { "FALSE" } else { "TRUE" }
        ));
    }
    s
}

/// Survey answers: (tenant index, line, CSV row without line ending).
fn survey(tenants: &[Tenant], rng: &mut Rng) -> (String, Vec<(usize, u64)>) {
    let mut out = String::from("Klantnr;Ingevuld op;Cijfer;Aanbevelen;Wijken;Opmerking\r\n");
    let mut lines = Vec::new();
    let mut line = 1;
    for round in 0..2 {
        for (i, t) in tenants.iter().enumerate() {
            if round == 1 && i % 3 != 0 {
                continue;
            }
            line += 1;
            let wijken: Vec<&str> = (0..1 + rng.below(3)).map(|_| *rng.pick(PLAATSEN)).collect();
            let mut wijken_unique: Vec<&str> = Vec::new();
            for w in wijken {
                if !wijken_unique.contains(&w) {
                    wijken_unique.push(w);
                }
            }
            out.push_str(&format!(
                "{};{:02}-{:02}-{} {:02}:{:02};{};{};\"{}\";{}\r\n",
                t.number,
                1 + rng.below(28),
                1 + rng.below(12),
                2021 + round,
                rng.range(7, 22),
                rng.range(0, 59),
                rng.range(4, 10),
                if rng.chance(70) { "ja" } else { "nee" },
                wijken_unique.join(", "),
                if rng.chance(50) { "Snel geholpen" } else { "" }
            ));
            lines.push((i, line));
        }
    }
    (out, lines)
}

/// `reparaties/reparaties.xlsx` without an id column; returns (tenant, row).
fn repairs(path: &Path, tenants: &[Tenant], rng: &mut Rng) -> io::Result<Vec<(usize, u32)>> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 11, 1)
        .and_then(|d| d.and_hms(9, 0, 0))
        .map_err(io::Error::other)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("Reparatiemeldingen De Lek")
            .set_author("synthetic fixture")
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    let err = io::Error::other;
    ws.set_name("Meldingen").map_err(err)?;
    for (c, h) in ["Klant", "Gemeld", "Omschrijving", "Afgehandeld"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(err)?;
    }
    let mut rows = Vec::new();
    let mut row = 1u32;
    for (i, t) in tenants.iter().enumerate() {
        if i % 2 == 1 {
            continue;
        }
        let gemeld = format!(
            "2022-{:02}-{:02}T{:02}:{:02}:00Z",
            1 + rng.below(12),
            1 + rng.below(28),
            rng.range(6, 18),
            rng.range(0, 59)
        );
        ws.write_string(row, 0, format!("{:07}", t.number))
            .map_err(err)?;
        ws.write_string(row, 1, &gemeld).map_err(err)?;
        ws.write_string(
            row,
            2,
            *rng.pick(&["Lekkende kraan", "Deurbel kapot", "Schimmel in badkamer"]),
        )
        .map_err(err)?;
        ws.write_string(row, 3, if rng.chance(50) { "ja" } else { "nee" })
            .map_err(err)?;
        rows.push((i, row + 1));
        row += 1;
    }
    wb.save(path).map_err(err)?;
    Ok(rows)
}

/// `portaal/berichten.json`: the tenant portal; returns (tenant, bericht_id).
fn portal(tenants: &[Tenant], rng: &mut Rng) -> (serde_json::Value, Vec<(usize, String)>) {
    let mut records = Vec::new();
    let mut keys = Vec::new();
    let mut n = 0;
    for (i, t) in tenants.iter().enumerate() {
        for _ in 0..1 + (i % 2) {
            n += 1;
            let id = format!("B-{n:04}");
            records.push(serde_json::json!({
                "bericht_id": id,
                "klant": t.klant_id,
                "verzonden": format!("2023-{:02}-{:02}T{:02}:{:02}:00+01:00", 1 + rng.below(3), 1 + rng.below(28), rng.range(8, 20), rng.range(0, 59)),
                "onderwerp": rng.pick(&["Uw huuraanpassing", "Onderhoud aan uw woning", "Nieuwsbrief"]).to_string(),
                "kanalen": if rng.chance(50) { vec!["app", "mail"] } else { vec!["mail"] },
                "gelezen": rng.chance(60),
            }));
            keys.push((i, id));
        }
    }
    (serde_json::Value::Array(records), keys)
}

struct Mail {
    id: String,
    tenant: usize,
    body_only: bool,
    text: String,
}

fn mails(tenants: &[Tenant], rng: &mut Rng) -> Vec<Mail> {
    let mut out = Vec::new();
    let start = NaiveDate::from_ymd_opt(2024, 3, 4)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("a time");
    let mut at = start;
    let mut next = |rng: &mut Rng| -> (String, NaiveDateTime) {
        at += Duration::minutes(rng.range(30, 3000));
        (
            format!("{}.{}@delek.example", at.format("%Y%m%d%H%M%S"), rng.hex(8)),
            at,
        )
    };
    for (i, t) in tenants.iter().enumerate() {
        // The tenant writes to customer service: found by the From header.
        let (id, when) = next(rng);
        out.push(Mail {
            text: message(&id, when, &t.email, SERVICE, "Vraag over mijn huur", &format!(
                "Goedemorgen,\n\nIk heb een vraag over mijn huur van deze maand.\n\nMet vriendelijke groet,\n{} {}\n",
                t.voorletters, t.achternaam
            )),
            id,
            tenant: i,
            body_only: false,
        });
        if i % 3 == 0 {
            // Staff discuss the tenant by customer number in the subject.
            let (id, when) = next(rng);
            out.push(Mail {
                text: message(&id, when, STAFF[0].1, STAFF[1].1, &format!("Dossier {}: reparatie", t.klant_id), "Bram,\n\nKun jij de reparatie inplannen? De huurder is thuis op dinsdag.\n\nIlse\n"),
                id,
                tenant: i,
                body_only: false,
            });
        }
        if i % 3 == 1 {
            // Staff discuss the tenant naming only the e-mail address, in the body.
            let (id, when) = next(rng);
            out.push(Mail {
                text: message(&id, when, STAFF[1].1, STAFF[0].1, "Terugbelverzoek", &format!(
                    "Ilse,\n\nDe huurder die mailde vanaf {} vraagt om teruggebeld te worden over de afrekening.\n\nBram\n",
                    t.email
                )),
                id,
                tenant: i,
                body_only: true,
            });
        }
    }
    out
}

fn message(
    id: &str,
    when: NaiveDateTime,
    from: &str,
    to: &str,
    subject: &str,
    body: &str,
) -> String {
    let date = when.format("%a, %d %b %Y %H:%M:%S +0100");
    format!(
        "From {from} {}\nFrom: <{from}>\nTo: <{to}>\nSubject: {subject}\nDate: {date}\nMessage-ID: <{id}>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}\n",
        when.format("%a %b %e %H:%M:%S %Y")
    )
}

/// Every form in which some source writes a tenant's identifiers.
fn identifiers(t: &Tenant) -> Vec<String> {
    vec![
        t.klant_id.clone(),
        t.number.to_string(),
        format!("{:07}", t.number),
        t.email.clone(),
        t.telefoon.clone(),
        t.achternaam.clone(),
        t.contract.clone(),
    ]
}

const STORIES: &[(usize, &str, &str)] = &[
    (0, "prefix-forms", "customer number K-1001 written bare in the survey export and padded in the repair export; NULL tussenvoegsel"),
    (1, "empty-tussenvoegsel", "an empty tussenvoegsel that must stay an empty text; staff mention the tenant's address only in a mail body"),
    (3, "subject-token", "staff write the customer number in a mail subject; two survey answers"),
];

/// Writes the estate under `out` (created if needed); returns the files.
pub fn generate(seed: u64, out: &Path) -> io::Result<Vec<PathBuf>> {
    let mut rng = Rng::new(seed);
    let people = tenants(&mut rng);
    let mut files = Vec::new();
    let put = |rel: &str, bytes: &[u8]| -> io::Result<PathBuf> {
        let path = out.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, bytes)?;
        Ok(path)
    };
    let sql = erp_sql(&people, &mut rng);
    let sql_path = put("erp/lek.sql", sql.as_bytes())?;
    let db = out.join("erp/lek.sqlite");
    crate::estate::sqlite::load_sql_into_sqlite(&sql_path, &db)?;
    files.extend([sql_path, db]);
    let (csv, lines) = survey(&people, &mut rng);
    files.push(put("enquete/klanttevredenheid.csv", csv.as_bytes())?);
    std::fs::create_dir_all(out.join("reparaties"))?;
    let xlsx = out.join("reparaties/reparaties.xlsx");
    let rows = repairs(&xlsx, &people, &mut rng)?;
    files.push(xlsx);
    let (berichten, bericht_keys) = portal(&people, &mut rng);
    let mut json = serde_json::to_vec_pretty(&berichten).map_err(io::Error::other)?;
    json.push(b'\n');
    files.push(put("portaal/berichten.json", &json)?);
    let messages = mails(&people, &mut rng);
    let mbox: String = messages.iter().map(|m| m.text.as_str()).collect();
    files.push(put("mail/archief.mbox", mbox.as_bytes())?);

    let stories = STORIES
        .iter()
        .map(|(i, name, about)| {
            let t = &people[*i];
            let mut expected: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
            let mut add = |source: &str, dataset: &str, keys: Vec<String>| {
                expected
                    .entry(source.into())
                    .or_default()
                    .insert(dataset.into(), keys);
            };
            add("erp", "Klant", vec![t.klant_id.clone()]);
            add("erp", "Adres", vec![t.adres.0.to_string()]);
            add("erp", "Contract", vec![t.contract.clone()]);
            let of = |list: &[(usize, String)]| -> Vec<String> {
                list.iter()
                    .filter(|(p, _)| p == i)
                    .map(|(_, k)| k.clone())
                    .collect()
            };
            let survey: Vec<(usize, String)> =
                lines.iter().map(|(p, l)| (*p, l.to_string())).collect();
            let repair: Vec<(usize, String)> =
                rows.iter().map(|(p, r)| (*p, r.to_string())).collect();
            add("enquete", "Enquete", of(&survey));
            add("reparaties", "Reparatie", of(&repair));
            add("portaal", "Bericht", of(&bericht_keys));
            let mail = |body: bool| -> Vec<String> {
                messages
                    .iter()
                    .filter(|m| m.tenant == *i && m.body_only == body)
                    .map(|m| m.id.clone())
                    .collect()
            };
            add("mail", "Bericht", mail(false));
            for keys in expected.values_mut().flat_map(|d| d.values_mut()) {
                keys.sort();
            }
            Story2 {
                story: name.to_string(),
                klantnummer: t.klant_id.clone(),
                about: about.to_string(),
                expected,
                body_only: mail(true),
                foreign: people
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| j != i)
                    .flat_map(|(_, p)| identifiers(p))
                    .collect(),
            }
        })
        .collect();
    let oracle = Stories2 { seed, stories };
    let mut json = serde_json::to_vec_pretty(&oracle).map_err(io::Error::other)?;
    json.push(b'\n');
    files.push(put("stories.json", &json)?);
    let mut readme = io::BufWriter::new(std::fs::File::create(out.join("README.md"))?);
    writeln!(readme, "# Second fixture estate: Woonstichting De Lek\n")?;
    writeln!(readme, "Generated by `cargo run -p inzage-testkit --bin inzage-estate -- --estate2 --seed {seed} --out fixtures/estate2`")?;
    writeln!(
        readme,
        "(synthetic people only). `connectors.toml` is written by hand from the README;"
    )?;
    writeln!(
        readme,
        "`stories.json` is the oracle the end-to-end tests (`tests/e2e/estate2.rs`) check.\n"
    )?;
    writeln!(
        readme,
        "| story | klantnummer | what it shows |\n|---|---|---|"
    )?;
    for s in &oracle.stories {
        writeln!(readme, "| {} | {} | {} |", s.story, s.klantnummer, s.about)?;
    }
    readme.flush()?;
    files.push(out.join("README.md"));
    Ok(files)
}

/// Reads `stories.json` of the second estate.
pub fn load_stories(path: &Path) -> io::Result<Stories2> {
    let bytes = std::fs::read(path)?;
    serde_json::from_slice(&bytes).map_err(io::Error::other)
}
