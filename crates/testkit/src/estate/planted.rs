//! Free texts that mention other people: neighbours, co-tenants, household
//! members and staff, with their phones, e-mail addresses, IBANs and BSNs in
//! the forms people write them, and the owner's own values beside them.
//! Every value is recorded as [`Planted`], the ground truth of what
//! third-party protection must redact, keep and put up for review.
//!
//! Planting runs after everything else and draws from the generator's
//! random stream only then, so the rest of the estate does not change.

use std::collections::{HashMap, HashSet};

use chrono::Duration;

use super::build::Gen;
use super::model::*;
use super::stories::strip_diacritics;

/// Surnames no generated relatie carries: names after a title word that
/// the estate does not know.
const UNKNOWN_SURNAMES: &[&str] = &[
    "Zwanenburg",
    "Kowalczyk",
    "Hakkaart",
    "Brinkhorst",
    "Ouwerkerk",
];
const TITLES: &[&str] = &["buurman", "buurvrouw", "mevrouw", "dhr.", "mw."];
const STAFF: &[&str] = &["Sanne", "Ahmed", "Ilse", "Marco"];
/// The corporation's own number (`own_values` in connectors.toml).
const CORPORATION_PHONE: &str = "030-2345678";

/// A text being written, with what was planted in it.
#[derive(Default)]
struct Text {
    s: String,
    planted: Vec<(&'static str, String, Whose, Option<String>)>,
}

impl Text {
    fn lit(&mut self, s: &str) {
        self.s.push_str(s);
    }
    fn val(&mut self, kind: &'static str, written: String, whose: Whose, person: Option<&str>) {
        self.s.push_str(&written);
        self.planted
            .push((kind, written, whose, person.map(str::to_string)));
    }
    fn record(self, g: &mut Gen, at: (&str, &str, &str, &str)) -> String {
        for (kind, written, whose, person) in self.planted {
            g.e.planted.push(Planted {
                source: at.0.into(),
                dataset: at.1.into(),
                key: at.2.into(),
                field: at.3.into(),
                kind: kind.into(),
                written,
                whose,
                person,
            });
        }
        self.s
    }
}

fn digits(phone: &str) -> String {
    phone.chars().filter(char::is_ascii_digit).collect()
}

/// A mobile number (`06-12345678`) in one of the ways people write it.
fn phone_form(g: &mut Gen, phone: &str) -> String {
    let d = digits(phone);
    if d.len() != 10 {
        return phone.to_string();
    }
    let n = &d[1..];
    match g.rng.below(9) {
        0 => phone.to_string(),
        1 => format!("{} {} {}", &d[..2], &d[2..6], &d[6..]),
        2 => d.clone(),
        3 => format!("+31 {} {}", &n[..1], &n[1..]),
        4 => format!("+31 (0){} {} {}", &n[..1], &n[1..5], &n[5..]),
        5 => format!(
            "0031 {} {} {} {} {}",
            &n[..1],
            &n[1..3],
            &n[3..5],
            &n[5..7],
            &n[7..]
        ),
        6 => format!(
            "{}.{}.{}.{}.{}",
            &d[..2],
            &d[2..4],
            &d[4..6],
            &d[6..8],
            &d[8..]
        ),
        7 => format!("({}) {}", &d[..2], &d[2..]),
        _ => format!("+31{n}"),
    }
}

fn iban_form(g: &mut Gen, iban: &str) -> String {
    if g.rng.chance(50) {
        return iban.to_string();
    }
    iban.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn bsn_form(g: &mut Gen, bsn: &str) -> String {
    match g.rng.below(4) {
        0 => bsn.to_string(),
        1 => format!("{}.{}.{}", &bsn[..4], &bsn[4..6], &bsn[6..]),
        2 => format!("{} {} {}", &bsn[..3], &bsn[3..6], &bsn[6..]),
        _ => format!("{} {} {}", &bsn[..4], &bsn[4..6], &bsn[6..]),
    }
}

fn initial_form(p: &Person) -> String {
    let initials: String = p
        .voornamen
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{c}."))
        .collect();
    match &p.tussenvoegsel {
        Some(tv) => format!("{initials} {tv} {}", p.achternaam),
        None => format!("{initials} {}", p.achternaam),
    }
}

fn same_initial_name(a: &Person, b: &Person) -> bool {
    let fold = |s: String| strip_diacritics(&s).to_lowercase();
    fold(initial_form(a)) == fold(initial_form(b))
        || fold(format!("{} {}", a.voornamen, a.achternaam))
            == fold(format!("{} {}", b.voornamen, b.achternaam))
}

/// Another person's name, written in one of the forms people use; `owner`
/// is the record's owner, whose own name must not be mistaken for it.
fn name_form(g: &mut Gen, q: &Person, owner: &Person) -> String {
    loop {
        let form = match g.rng.below(6) {
            0 => q.full_name(),
            1 if !same_initial_name(q, owner) => initial_form(q),
            2 if q.tussenvoegsel.is_some() => format!("{} {}", q.voornamen, q.achternaam),
            3 => q.full_name().to_lowercase(),
            4 => q.full_name().to_uppercase(),
            5 => strip_diacritics(&q.full_name()),
            _ => continue,
        };
        return form;
    }
}

/// Everyone the owner's texts may mention: household members first, then
/// two people from other households.
fn others(g: &mut Gen, p: usize) -> Vec<usize> {
    let household = g.e.people[p].household;
    let mut out: Vec<usize> = g.e.households[household]
        .members
        .iter()
        .copied()
        .filter(|&q| q != p)
        .collect();
    let n = g.e.people.len();
    let mut tries = 0;
    while out.len() < 4 && tries < 50 {
        tries += 1;
        let q = g.rng.below(n as u64) as usize;
        let pq = &g.e.people[q];
        if pq.household == household || out.contains(&q) {
            continue;
        }
        if strip_diacritics(&pq.full_name()).to_lowercase()
            == strip_diacritics(&g.e.people[p].full_name()).to_lowercase()
        {
            continue;
        }
        out.push(q);
    }
    out
}

fn address_of(g: &Gen, p: usize) -> Eenheid {
    g.e.eenheden[g.e.households[g.e.people[p].household].eenheid].clone()
}

/// Writes two to four sentences about other people and the owner.
fn sentences(g: &mut Gen, p: usize, text: &mut Text, count: usize) {
    let owner = g.e.people[p].clone();
    let people = others(g, p);
    for _ in 0..count {
        let qi = *g.rng.pick(&people);
        let q = g.e.people[qi].clone();
        let same_home = q.household == owner.household;
        let kn = Some(q.klantnummer.as_str());
        match g.rng.below(10) {
            0 if q.phone.is_some() => {
                let title = if q.geslacht == 'V' {
                    "Buurvrouw"
                } else {
                    "Buurman"
                };
                text.lit(&format!("{title} "));
                let name = name_form(g, &q, &owner);
                text.val("name", name, Whose::Other, kn);
                text.lit(" belde, terugbellen op ");
                let phone = phone_form(g, q.phone.as_deref().unwrap_or_default());
                text.val("phone", phone, Whose::Other, kn);
                text.lit(". ");
            }
            1 if !q.emails.is_empty() => {
                let name = name_form(g, &q, &owner);
                text.val("name", name, Whose::Other, kn);
                text.lit(" wil de stukken ontvangen op ");
                let email = q.emails[0].clone();
                let email = if g.rng.chance(30) {
                    email.to_uppercase()
                } else {
                    email
                };
                text.val("email", email, Whose::Other, kn);
                text.lit(". ");
            }
            2 => {
                text.lit("De huur wordt voortaan betaald van rekening ");
                let iban = iban_form(g, &q.iban);
                text.val("iban", iban, Whose::Other, kn);
                text.lit(" van ");
                let name = name_form(g, &q, &owner);
                text.val("name", name, Whose::Other, kn);
                text.lit(". ");
            }
            3 => {
                text.lit("Bij de stukken zat het BSN van ");
                let name = name_form(g, &q, &owner);
                text.val("name", name, Whose::Other, kn);
                text.lit(": ");
                let bsn = bsn_form(g, &q.bsn);
                text.val("bsn", bsn, Whose::Other, kn);
                text.lit(". ");
            }
            4 if !same_home => {
                let u = address_of(g, qi);
                text.lit("De overlast komt van ");
                let written = if g.rng.chance(50) {
                    format!("{} {}", u.postcode, u.huisnummer)
                } else {
                    format!("{}, {}", u.huisnummer, u.postcode)
                };
                if !g.rng.chance(50) {
                    text.lit(&format!("{} ", u.straat));
                }
                text.val("address", written, Whose::Other, kn);
                text.lit(". ");
            }
            5 => {
                let title = *g.rng.pick(TITLES);
                let surname = *g.rng.pick(UNKNOWN_SURNAMES);
                text.lit(&format!("Sleutel afgegeven bij {title} "));
                text.val("unknown_name", surname.to_string(), Whose::Unknown, None);
                text.lit(". ");
            }
            6 => {
                text.lit("Huurder is bereikbaar op ");
                if let Some(phone) = owner.phone.clone() {
                    let phone = phone_form(g, &phone);
                    text.val("phone", phone, Whose::Subject, Some(&owner.klantnummer));
                } else {
                    text.lit("het bekende nummer");
                }
                if let Some(email) = owner.emails.first().cloned() {
                    text.lit(" of ");
                    text.val("email", email, Whose::Subject, Some(&owner.klantnummer));
                }
                text.lit(". ");
            }
            7 => {
                text.lit("Bevestiging gestuurd aan ");
                let name = if g.rng.chance(50) {
                    owner.full_name()
                } else {
                    initial_form(&owner)
                };
                text.val("name", name, Whose::Subject, Some(&owner.klantnummer));
                let u = address_of(g, p);
                text.lit(&format!(", {} ", u.straat));
                text.val(
                    "address",
                    format!("{}, {}", u.huisnummer, u.postcode),
                    Whose::Subject,
                    Some(&owner.klantnummer),
                );
                text.lit(". Rekening ");
                let iban = iban_form(g, &owner.iban);
                text.val("iban", iban, Whose::Subject, Some(&owner.klantnummer));
                text.lit(" blijft ongewijzigd. ");
            }
            8 => {
                text.lit("Teruggebeld door ");
                let staff = *g.rng.pick(STAFF);
                text.val("name", staff.to_string(), Whose::Staff, None);
                text.lit(" van klantenservice (");
                text.val("phone", CORPORATION_PHONE.to_string(), Whose::Staff, None);
                text.lit("). ");
            }
            _ => {
                let rel = if same_home {
                    "Gezinslid"
                } else {
                    "Medebewoner van de flat"
                };
                text.lit(&format!("{rel} "));
                let name = name_form(g, &q, &owner);
                text.val("name", name, Whose::Other, kn);
                text.lit(" komt mee naar de afspraak. ");
            }
        }
    }
    let trimmed = text.s.trim_end().to_string();
    text.s = trimmed;
}

/// Plants mentions in new notes, complaints, repair requests and mails of
/// most tenants (every story tenant), and in some survey remarks and
/// registrations.
pub(crate) fn plant(g: &mut Gen) {
    let story_people: Vec<usize> = g.e.stories.iter().map(|s| s.person).collect();
    // by klantnummer: the first person, the first contract (maps, so that a
    // corporation-size estate is not quadratic)
    let mut person_of: HashMap<String, usize> = HashMap::new();
    for (i, x) in g.e.people.iter().enumerate() {
        person_of.entry(x.klantnummer.clone()).or_insert(i);
    }
    let mut contract_of: HashMap<String, String> = HashMap::new();
    for r in &g.e.rollen {
        contract_of
            .entry(r.klantnummer.clone())
            .or_insert_with(|| r.contractnummer.clone());
    }
    let mut tenants: Vec<usize> = Vec::new();
    let mut seen: HashSet<usize> = HashSet::new();
    for r in &g.e.rollen {
        if let Some(&p) = person_of.get(&r.klantnummer) {
            if seen.insert(p) {
                tenants.push(p);
            }
        }
    }
    for &p in &story_people {
        if seen.insert(p) {
            tenants.push(p);
        }
    }
    for p in tenants {
        if !story_people.contains(&p) && !g.rng.chance(70) {
            continue;
        }
        let kn = g.e.people[p].klantnummer.clone();
        let date = g.date_between(peildatum() - Duration::days(700), peildatum());
        // CRM note
        let mut t = Text::default();
        sentences(g, p, &mut t, 3);
        let id = g.guid();
        let tekst = t.record(g, ("crm", "Notitie", &id, "tekst"));
        let when = g.office_time(date);
        g.e.notities.push(Notitie {
            notitieid: id,
            klantnummer: Some(kn.clone()),
            datum: when.format("%Y-%m-%dT%H:%M:%S").to_string(),
            tekst,
        });
        // CRM complaint
        let mut t = Text::default();
        sentences(g, p, &mut t, 2);
        g.next_klacht += 1;
        let id = format!("KLA{:07}", g.next_klacht + 5_000_000);
        let omschrijving = t.record(g, ("crm", "Klacht", &id, "omschrijving"));
        let when = g.office_time(date + Duration::days(3));
        g.e.klachten.push(Klacht {
            klachtid: id,
            klantnummer: Some(kn.clone()),
            emailadres: None,
            datum: when.format("%Y-%m-%dT%H:%M:%S").to_string(),
            omschrijving,
            status: "in behandeling".into(),
        });
        // ERP repair request, on the tenant's contract
        if let Some(contract) = contract_of.get(&kn).cloned() {
            let mut t = Text::default();
            t.lit("Lekkage bij de bovenburen. ");
            sentences(g, p, &mut t, 2);
            let id = g.id();
            let omschrijving = t.record(
                g,
                ("erp", "Onderhoudsverzoek", &id.to_string(), "omschrijving"),
            );
            g.e.onderhoud.push(Onderhoudsverzoek {
                id,
                contractnummer: contract,
                klantnummer: kn.clone(),
                datum: date,
                omschrijving,
                status: "gemeld".into(),
            });
        }
        // a mail from the tenant
        if let Some(email) = g.e.people[p].emails.first().cloned() {
            let mut t = Text::default();
            t.lit("Beste klantenservice,\n\n");
            sentences(g, p, &mut t, 3);
            let signature = format!(
                "\n\nMet vriendelijke groet,\n{}\n",
                g.e.people[p].full_name()
            );
            t.lit(&signature);
            let when = g.office_time(date + Duration::days(1));
            let me = g.mailbox_of(p, &email);
            // The Message-ID is known only once the message is pushed.
            let planted = std::mem::take(&mut t.planted);
            let body = g.random_text_part(t.s);
            let id = g.push_message(
                when,
                me,
                vec![Gen::ks()],
                vec![],
                None,
                "Overlast en gegevens".into(),
                body,
            );
            let mut t = Text {
                s: String::new(),
                planted,
            };
            let _ = std::mem::take(&mut t.s);
            t.record(g, ("mail", "Bericht", &id, "tekst"));
        }
    }
    // survey remarks of tenants
    for i in 0..g.e.kwh.len() {
        let Some(kn) = g.e.kwh[i].klantnummer.clone() else {
            continue;
        };
        let Some(&p) = person_of.get(&kn) else {
            continue;
        };
        if !g.rng.chance(40) {
            continue;
        }
        let mut t = Text::default();
        t.lit(" ");
        sentences(g, p, &mut t, 1);
        let key = g.e.kwh[i].respondentnummer.clone();
        let extra = t.record(g, ("kwh", "Enquete", &key, "Toelichting"));
        g.e.kwh[i].toelichting.push_str(&extra);
    }
}
