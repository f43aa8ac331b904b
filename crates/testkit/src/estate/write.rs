//! Writing the estate's files (streaming through `BufWriter`).

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

use super::mail::write_mbox_entry;
use super::model::*;

/// The files of an estate, relative to its output directory.
pub const ESTATE_FILES: &[&str] = &[
    "erp/erp.sql",
    "erp/erp.sqlite",
    "crm/contactmomenten.json",
    "crm/klachten.json",
    "crm/notities.json",
    "woningnet/inschrijvingen.json",
    "woningnet/reacties.json",
    "mail/archive.mbox",
    "signalering/signaleringen.csv",
    "kwh/kwh-export.xlsx",
    "stories.json",
    "README.md",
];

fn create(out: &Path, rel: &str) -> io::Result<BufWriter<File>> {
    let path = out.join(rel);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    Ok(BufWriter::with_capacity(1 << 16, File::create(path)?))
}

fn other<E: std::fmt::Display>(e: E) -> io::Error {
    io::Error::other(e.to_string())
}

// ------------------------------------------------------------------ SQL

fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn qo(s: &Option<String>) -> String {
    s.as_deref().map(q).unwrap_or_else(|| "NULL".into())
}

fn qd(d: NaiveDate) -> String {
    format!("'{}'", d.format("%Y-%m-%d"))
}

fn qdo(d: Option<NaiveDate>) -> String {
    d.map(qd).unwrap_or_else(|| "NULL".into())
}

/// Cents as a decimal literal ("712.50").
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", cents.abs() / 100, cents.abs() % 100)
}

const BATCH: usize = 100;

fn inserts<W: Write, T>(
    w: &mut W,
    table: &str,
    cols: &str,
    rows: &[T],
    render: impl Fn(&T) -> String,
) -> io::Result<()> {
    for chunk in rows.chunks(BATCH) {
        writeln!(w, "INSERT INTO {table} ({cols}) VALUES")?;
        for (i, r) in chunk.iter().enumerate() {
            let end = if i + 1 == chunk.len() { ";" } else { "," };
            writeln!(w, "({}){end}", render(r))?;
        }
    }
    writeln!(w)
}

const SCHEMA: &str = "CREATE TABLE relatie (
    klantnummer TEXT PRIMARY KEY,
    voornamen TEXT NOT NULL,
    tussenvoegsel TEXT NULL,
    achternaam TEXT NOT NULL,
    geslacht TEXT NOT NULL,
    geboortedatum DATE NOT NULL,
    bsn TEXT NOT NULL,
    iban TEXT NOT NULL,
    woningnet_registratienummer TEXT NULL,
    aangemaakt TIMESTAMP NOT NULL
);

CREATE TABLE contactgegeven (
    id INTEGER PRIMARY KEY,
    klantnummer TEXT NOT NULL,
    soort TEXT NOT NULL,
    waarde TEXT NOT NULL,
    voorkeur INTEGER NOT NULL
);

CREATE TABLE relatie_adres (
    id INTEGER PRIMARY KEY,
    klantnummer TEXT NOT NULL,
    straat TEXT NOT NULL,
    huisnummer TEXT NOT NULL,
    postcode TEXT NOT NULL,
    woonplaats TEXT NOT NULL,
    van DATE NOT NULL,
    tot DATE NULL
);

CREATE TABLE eenheid (
    eenheid_id TEXT PRIMARY KEY,
    straat TEXT NOT NULL,
    huisnummer TEXT NOT NULL,
    postcode TEXT NOT NULL,
    woonplaats TEXT NOT NULL,
    type TEXT NOT NULL
);

CREATE TABLE huurovereenkomst (
    contractnummer TEXT PRIMARY KEY,
    eenheid_id TEXT NOT NULL,
    ingangsdatum DATE NOT NULL,
    einddatum DATE NULL,
    kale_huur NUMERIC(10,2) NOT NULL,
    servicekosten NUMERIC(10,2) NOT NULL
);

CREATE TABLE relatierol (
    id INTEGER PRIMARY KEY,
    contractnummer TEXT NOT NULL,
    klantnummer TEXT NOT NULL,
    rol TEXT NOT NULL
);

CREATE TABLE huurbetaling (
    id INTEGER PRIMARY KEY,
    contractnummer TEXT NOT NULL,
    datum DATE NOT NULL,
    bedrag NUMERIC(10,2) NOT NULL,
    omschrijving TEXT NOT NULL
);

CREATE TABLE inkomenstoets (
    id INTEGER PRIMARY KEY,
    klantnummer TEXT NOT NULL,
    datum DATE NOT NULL,
    inkomenscategorie TEXT NOT NULL,
    toetsinkomen NUMERIC(12,2) NOT NULL,
    bron TEXT NOT NULL
);

CREATE TABLE onderhoudsverzoek (
    id INTEGER PRIMARY KEY,
    contractnummer TEXT NOT NULL,
    klantnummer TEXT NOT NULL,
    datum DATE NOT NULL,
    omschrijving TEXT NOT NULL,
    status TEXT NOT NULL
);
";

/// `erp/erp.sql`: portable SQL for SQLite and PostgreSQL.
pub fn write_erp<W: Write>(w: &mut W, e: &Estate) -> io::Result<()> {
    writeln!(
        w,
        "-- inzage fixture estate: housing ERP (synthetic data, seed {}, {} tenants)",
        e.seed, e.tenants
    )?;
    writeln!(
        w,
        "-- Portable SQL: load with `sqlite3 erp.db < erp.sql` or `psql -f erp.sql`."
    )?;
    writeln!(w, "BEGIN;\n")?;
    writeln!(w, "{SCHEMA}")?;
    let mut people: Vec<&Person> = e.people.iter().collect();
    people.sort_by(|a, b| a.klantnummer.cmp(&b.klantnummer));
    inserts(w, "relatie", "klantnummer, voornamen, tussenvoegsel, achternaam, geslacht, geboortedatum, bsn, iban, woningnet_registratienummer, aangemaakt", &people, |p| {
        format!(
            "{}, {}, {}, {}, '{}', {}, {}, {}, {}, '{}'",
            q(&p.klantnummer),
            q(&p.voornamen),
            qo(&p.tussenvoegsel),
            q(&p.achternaam),
            p.geslacht,
            qd(p.geboortedatum),
            q(&p.bsn),
            q(&p.iban),
            qo(&p.woningnet),
            p.aangemaakt.format("%Y-%m-%d %H:%M:%S")
        )
    })?;
    inserts(
        w,
        "contactgegeven",
        "id, klantnummer, soort, waarde, voorkeur",
        &e.contactgegevens,
        |c| {
            format!(
                "{}, {}, {}, {}, {}",
                c.id,
                q(&c.klantnummer),
                q(c.soort),
                q(&c.waarde),
                c.voorkeur as u8
            )
        },
    )?;
    inserts(
        w,
        "relatie_adres",
        "id, klantnummer, straat, huisnummer, postcode, woonplaats, van, tot",
        &e.adressen,
        |a| {
            format!(
                "{}, {}, {}, {}, {}, {}, {}, {}",
                a.id,
                q(&a.klantnummer),
                q(&a.straat),
                q(&a.huisnummer),
                q(&a.postcode),
                q(&a.woonplaats),
                qd(a.van),
                qdo(a.tot)
            )
        },
    )?;
    inserts(
        w,
        "eenheid",
        "eenheid_id, straat, huisnummer, postcode, woonplaats, type",
        &e.eenheden,
        |u| {
            format!(
                "{}, {}, {}, {}, {}, {}",
                q(&u.eenheid_id),
                q(&u.straat),
                q(&u.huisnummer),
                q(&u.postcode),
                q(&u.woonplaats),
                q(&u.soort)
            )
        },
    )?;
    inserts(
        w,
        "huurovereenkomst",
        "contractnummer, eenheid_id, ingangsdatum, einddatum, kale_huur, servicekosten",
        &e.contracts,
        |c| {
            format!(
                "{}, {}, {}, {}, {}, {}",
                q(&c.contractnummer),
                q(&e.eenheden[c.eenheid].eenheid_id),
                qd(c.ingangsdatum),
                qdo(c.einddatum),
                money(c.kale_huur),
                money(c.servicekosten)
            )
        },
    )?;
    inserts(
        w,
        "relatierol",
        "id, contractnummer, klantnummer, rol",
        &e.rollen,
        |r| {
            format!(
                "{}, {}, {}, {}",
                r.id,
                q(&r.contractnummer),
                q(&r.klantnummer),
                q(r.rol)
            )
        },
    )?;
    inserts(
        w,
        "huurbetaling",
        "id, contractnummer, datum, bedrag, omschrijving",
        &e.betalingen,
        |b| {
            format!(
                "{}, {}, {}, {}, {}",
                b.id,
                q(&b.contractnummer),
                qd(b.datum),
                money(b.bedrag),
                q(&b.omschrijving)
            )
        },
    )?;
    inserts(
        w,
        "inkomenstoets",
        "id, klantnummer, datum, inkomenscategorie, toetsinkomen, bron",
        &e.inkomenstoetsen,
        |t| {
            format!(
                "{}, {}, {}, {}, {}, {}",
                t.id,
                q(&t.klantnummer),
                qd(t.datum),
                q(&t.inkomenscategorie),
                money(t.toetsinkomen),
                q(&t.bron)
            )
        },
    )?;
    inserts(
        w,
        "onderhoudsverzoek",
        "id, contractnummer, klantnummer, datum, omschrijving, status",
        &e.onderhoud,
        |o| {
            format!(
                "{}, {}, {}, {}, {}, {}",
                o.id,
                q(&o.contractnummer),
                q(&o.klantnummer),
                qd(o.datum),
                q(&o.omschrijving),
                q(&o.status)
            )
        },
    )?;
    writeln!(w, "COMMIT;")
}

// ------------------------------------------------------------------ JSON

fn write_json<T: serde::Serialize>(out: &Path, rel: &str, rows: &[T]) -> io::Result<()> {
    let mut w = create(out, rel)?;
    serde_json::to_writer_pretty(&mut w, rows).map_err(other)?;
    w.write_all(b"\n")?;
    w.flush()
}

// ------------------------------------------------------------------ CSV

fn csv_field(s: &str) -> String {
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn dmy(d: NaiveDate) -> String {
    format!("{:02}-{:02}-{:04}", d.day(), d.month(), d.year())
}

/// `signalering/signaleringen.csv` as Dutch Excel writes it:
/// Windows-1252, `;`, CRLF, dd-mm-jjjj.
pub fn write_signaleringen<W: Write>(w: &mut W, rows: &[SignaleringRow]) -> io::Result<()> {
    let mut line = |fields: &[String]| -> io::Result<()> {
        let text: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        // embedded newlines inside quoted fields are CRLF too, as Excel writes them
        let joined = text.join(";").replace("\r\n", "\n").replace('\n', "\r\n");
        let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(&joined);
        if bad {
            return Err(other(format!(
                "not representable in Windows-1252: {joined}"
            )));
        }
        w.write_all(&bytes)?;
        w.write_all(b"\r\n")
    };
    let header = "Registratienummer;Voornamen;Tussenvoegsel;Achternaam;Geboortedatum;Postcode;Huisnummer;Corporatie;Categorie;Omschrijving;Ingangsdatum;Einddatum;Status";
    let hs: Vec<String> = header.split(';').map(str::to_string).collect();
    line(&hs)?;
    for r in rows {
        line(&[
            r.registratienummer.clone(),
            r.voornamen.clone(),
            r.tussenvoegsel.clone(),
            r.achternaam.clone(),
            dmy(r.geboortedatum),
            r.postcode.clone(),
            r.huisnummer.clone(),
            r.corporatie.clone(),
            r.categorie.clone(),
            r.omschrijving.clone(),
            dmy(r.ingangsdatum),
            r.einddatum.map(dmy).unwrap_or_default(),
            r.status.clone(),
        ])?;
    }
    Ok(())
}

// ------------------------------------------------------------------ XLSX

fn xdate(d: NaiveDate) -> Result<ExcelDateTime, rust_xlsxwriter::XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// `kwh/kwh-export.xlsx` with fixed document properties (byte-identical per seed).
pub fn write_kwh(path: &Path, rows: &[KwhRow]) -> Result<(), rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 10, 31)?.and_hms(12, 0, 0)?;
    let props = DocProperties::new()
        .set_title("KWH-Huurlabel export")
        .set_author("KWH export (synthetic fixture)")
        .set_company("Woonstichting Voorbeeld")
        .set_creation_datetime(&created);
    wb.set_properties(&props);
    let bold = Format::new().set_bold();
    let date_fmt = Format::new().set_num_format("dd-mm-yyyy");
    let ws = wb.add_worksheet();
    ws.set_name("Antwoorden")?;
    ws.write_string_with_format(0, 0, "KWH-Huurlabel export", &bold)?;
    let header = [
        "Respondentnummer",
        "Klantnummer",
        "Contractnummer",
        "Datum",
        "Onderzoek",
        "Rapportcijfer",
        "Toelichting",
        "E-mailadres",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        ws.write_string(row, 0, &r.respondentnummer)?;
        if let Some(k) = &r.klantnummer {
            ws.write_string(row, 1, k)?;
        }
        if let Some(c) = &r.contractnummer {
            ws.write_string(row, 2, c)?;
        }
        ws.write_datetime_with_format(row, 3, &xdate(r.datum)?, &date_fmt)?;
        ws.write_string(row, 4, &r.onderzoek)?;
        ws.write_number(row, 5, r.rapportcijfer)?;
        if !r.toelichting.is_empty() {
            ws.write_string(row, 6, &r.toelichting)?;
        }
        if let Some(e) = &r.email {
            ws.write_string(row, 7, e)?;
        }
    }
    for (c, width) in [14.0, 12.0, 14.0, 12.0, 20.0, 13.0, 50.0, 32.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *width)?;
    }
    let ws2 = wb.add_worksheet();
    ws2.set_name("Toelichting")?;
    let lines = [
        "KWH-Huurlabel: klanttevredenheidsonderzoek onder huurders (synthetische testgegevens).",
        "Elke rij op het tabblad Antwoorden is één ingevulde vragenlijst.",
        "Rapportcijfer: 1 tot en met 10. Klantnummer en contractnummer zijn tekst (voorloopnullen).",
        "Respondenten zonder klantnummer hebben anoniem deelgenomen.",
    ];
    for (i, l) in lines.iter().enumerate() {
        ws2.write_string(i as u32, 0, *l)?;
    }
    wb.save(path)
}

// ------------------------------------------------------------------ all

/// Writes every source file of `e` under `out` (not stories.json / README.md).
pub fn write_sources(e: &Estate, out: &Path) -> io::Result<Vec<PathBuf>> {
    let mut w = create(out, "erp/erp.sql")?;
    write_erp(&mut w, e)?;
    w.flush()?;
    drop(w);
    super::sqlite::load_sql_into_sqlite(&out.join("erp/erp.sql"), &out.join("erp/erp.sqlite"))?;
    write_json(out, "crm/contactmomenten.json", &e.contactmomenten)?;
    write_json(out, "crm/klachten.json", &e.klachten)?;
    write_json(out, "crm/notities.json", &e.notities)?;
    write_json(out, "woningnet/inschrijvingen.json", &e.inschrijvingen)?;
    write_json(out, "woningnet/reacties.json", &e.reacties)?;
    let mut w = create(out, "mail/archive.mbox")?;
    for m in &e.messages {
        write_mbox_entry(&mut w, m)?;
    }
    w.flush()?;
    let mut w = create(out, "signalering/signaleringen.csv")?;
    write_signaleringen(&mut w, &e.signaleringen)?;
    w.flush()?;
    fs::create_dir_all(out.join("kwh"))?;
    write_kwh(&out.join("kwh/kwh-export.xlsx"), &e.kwh).map_err(other)?;
    Ok(ESTATE_FILES
        .iter()
        .filter(|f| !matches!(**f, "stories.json" | "README.md"))
        .map(|f| out.join(f))
        .collect())
}
