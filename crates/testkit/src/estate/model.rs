//! The in-memory ground truth of a generated estate. Every file under the
//! output directory is a rendering of these structures; the test oracle
//! (`stories.json`) is computed from them, never by parsing the files.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The reference date of every estate ("today" for the data; never the clock).
pub fn peildatum() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 31).expect("valid date")
}

/// A relatie in the ERP (tenant, co-tenant or household member).
#[derive(Debug, Clone)]
pub struct Person {
    pub klantnummer: String,
    pub voornamen: String,
    pub tussenvoegsel: Option<String>,
    pub achternaam: String,
    /// 'M', 'V' or 'X'.
    pub geslacht: char,
    pub geboortedatum: NaiveDate,
    pub bsn: String,
    pub iban: String,
    pub woningnet: Option<String>,
    pub aangemaakt: NaiveDateTime,
    /// E-mail addresses in contactgegeven order (first = preferred).
    pub emails: Vec<String>,
    pub phone: Option<String>,
    /// Index into [`Estate::households`].
    pub household: usize,
}

impl Person {
    /// "Voornamen [tussenvoegsel] Achternaam".
    pub fn full_name(&self) -> String {
        match &self.tussenvoegsel {
            Some(tv) => format!("{} {} {}", self.voornamen, tv, self.achternaam),
            None => format!("{} {}", self.voornamen, self.achternaam),
        }
    }

    /// "[tussenvoegsel ]Achternaam".
    pub fn surname_with_tv(&self) -> String {
        match &self.tussenvoegsel {
            Some(tv) => format!("{} {}", tv, self.achternaam),
            None => self.achternaam.clone(),
        }
    }
}

/// A household: people sharing one address.
#[derive(Debug, Clone)]
pub struct Household {
    /// Indices into [`Estate::people`]; the first is the main tenant.
    pub members: Vec<usize>,
    /// Index into [`Estate::eenheden`] of the current unit.
    pub eenheid: usize,
}

#[derive(Debug, Clone)]
pub struct Eenheid {
    pub eenheid_id: String,
    pub straat: String,
    pub huisnummer: String,
    pub postcode: String,
    pub woonplaats: String,
    pub soort: String,
}

#[derive(Debug, Clone)]
pub struct Huurovereenkomst {
    pub contractnummer: String,
    pub eenheid: usize,
    pub ingangsdatum: NaiveDate,
    pub einddatum: Option<NaiveDate>,
    /// Cents.
    pub kale_huur: i64,
    /// Cents.
    pub servicekosten: i64,
}

#[derive(Debug, Clone)]
pub struct Relatierol {
    pub id: u64,
    pub contractnummer: String,
    pub klantnummer: String,
    /// "HUU" or "MDH".
    pub rol: &'static str,
}

#[derive(Debug, Clone)]
pub struct Contactgegeven {
    pub id: u64,
    pub klantnummer: String,
    /// "email" or "telefoon".
    pub soort: &'static str,
    pub waarde: String,
    pub voorkeur: bool,
}

#[derive(Debug, Clone)]
pub struct RelatieAdres {
    pub id: u64,
    pub klantnummer: String,
    pub straat: String,
    pub huisnummer: String,
    pub postcode: String,
    pub woonplaats: String,
    pub van: NaiveDate,
    pub tot: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct Huurbetaling {
    pub id: u64,
    pub contractnummer: String,
    pub datum: NaiveDate,
    /// Cents.
    pub bedrag: i64,
    pub omschrijving: String,
}

#[derive(Debug, Clone)]
pub struct Inkomenstoets {
    pub id: u64,
    pub klantnummer: String,
    pub datum: NaiveDate,
    pub inkomenscategorie: String,
    /// Cents.
    pub toetsinkomen: i64,
    pub bron: String,
}

#[derive(Debug, Clone)]
pub struct Onderhoudsverzoek {
    pub id: u64,
    pub contractnummer: String,
    pub klantnummer: String,
    pub datum: NaiveDate,
    pub omschrijving: String,
    pub status: String,
}

/// CRM contactmoment (JSON field names as served).
#[derive(Debug, Clone, Serialize)]
pub struct Contactmoment {
    pub contactmomentid: String,
    pub klantnummer: Option<String>,
    pub emailadres: Option<String>,
    pub datum: String,
    pub kanaal: String,
    pub richting: String,
    pub onderwerp: String,
    pub notitie: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Klacht {
    pub klachtid: String,
    pub klantnummer: Option<String>,
    pub emailadres: Option<String>,
    pub datum: String,
    pub omschrijving: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Notitie {
    pub notitieid: String,
    pub klantnummer: Option<String>,
    pub datum: String,
    pub tekst: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Zoekprofiel {
    pub huishoudgrootte: u32,
    pub inkomenscategorie: String,
    pub gewenste_wijken: Vec<String>,
    pub voorrang: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Inschrijving {
    pub registratienummer: String,
    pub voornamen: String,
    pub achternaam: String,
    pub geboortedatum: String,
    pub inschrijfdatum: String,
    pub verlengdatum: String,
    pub zoekprofiel: Zoekprofiel,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reactie {
    pub reactieid: String,
    pub registratienummer: String,
    pub advertentienummer: String,
    pub adres: String,
    pub datum: String,
    pub positie: u32,
    pub status: String,
}

/// One row of the signaleringen CSV (values as written, before encoding).
#[derive(Debug, Clone)]
pub struct SignaleringRow {
    pub registratienummer: String,
    pub voornamen: String,
    pub tussenvoegsel: String,
    pub achternaam: String,
    pub geboortedatum: NaiveDate,
    pub postcode: String,
    pub huisnummer: String,
    pub corporatie: String,
    pub categorie: String,
    pub omschrijving: String,
    pub ingangsdatum: NaiveDate,
    pub einddatum: Option<NaiveDate>,
    pub status: String,
}

/// One row of the KWH survey export.
#[derive(Debug, Clone)]
pub struct KwhRow {
    pub respondentnummer: String,
    pub klantnummer: Option<String>,
    pub contractnummer: Option<String>,
    pub datum: NaiveDate,
    pub onderzoek: String,
    pub rapportcijfer: f64,
    pub toelichting: String,
    pub email: Option<String>,
}

/// A mailbox: optional display name and address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub addr: String,
}

impl Mailbox {
    pub fn new(name: Option<&str>, addr: &str) -> Self {
        Mailbox {
            name: name.map(str::to_string),
            addr: addr.to_string(),
        }
    }
}

/// Character set of a text part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    Latin1,
    Cp1252,
}

/// Content-Transfer-Encoding of a leaf part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cte {
    EightBit,
    QuotedPrintable,
    Base64,
}

/// How a header with non-ASCII text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderEnc {
    /// =?UTF-8?B?...?=
    Utf8B,
    /// =?ISO-8859-1?Q?...?=
    Latin1Q,
}

/// A MIME body part.
#[derive(Debug, Clone)]
pub enum Part {
    /// text/plain or text/html (`html` true).
    Text {
        html: bool,
        text: String,
        charset: Charset,
        cte: Cte,
    },
    /// multipart/<subtype>.
    Multipart {
        subtype: &'static str,
        parts: Vec<Part>,
    },
    /// A binary attachment (always base64).
    Attachment {
        mime: &'static str,
        filename: String,
        data: Vec<u8>,
    },
    /// message/rfc822 (a forwarded message).
    Message(Box<Message>),
}

/// A mail message of the archive.
#[derive(Debug, Clone)]
pub struct Message {
    /// Message-ID without angle brackets.
    pub id: String,
    pub date: NaiveDateTime,
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub reply_to: Option<Mailbox>,
    pub subject: String,
    /// How a non-ASCII subject / display name is encoded.
    pub header_enc: HeaderEnc,
    pub body: Part,
}

impl Message {
    /// Lower-cased addresses of From, To, Cc and Reply-To.
    pub fn addresses(&self) -> Vec<String> {
        let mut v = vec![self.from.addr.to_lowercase()];
        v.extend(self.to.iter().map(|m| m.addr.to_lowercase()));
        v.extend(self.cc.iter().map(|m| m.addr.to_lowercase()));
        if let Some(r) = &self.reply_to {
            v.push(r.addr.to_lowercase());
        }
        v
    }

    /// The subject plus all decoded text (text and html parts, and the
    /// subject and text of forwarded messages); attachments excluded.
    pub fn text(&self) -> String {
        let mut s = self.subject.clone();
        s.push('\n');
        part_text(&self.body, &mut s);
        s
    }
}

fn part_text(p: &Part, out: &mut String) {
    match p {
        Part::Text { text, .. } => {
            out.push_str(text);
            out.push('\n');
        }
        Part::Multipart { parts, .. } => parts.iter().for_each(|q| part_text(q, out)),
        Part::Attachment { .. } => {}
        Part::Message(m) => out.push_str(&m.text()),
    }
}

/// Whose a value planted in a free text is, seen from the record's owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Whose {
    /// The record owner's own (must stay in their bundle).
    Subject,
    /// Another generated person's (must never be in the owner's bundle).
    Other,
    /// The corporation's staff or its own number (must stay).
    Staff,
    /// A name after a title word that no relatie has (a review item).
    Unknown,
}

/// A value the generator put in a free text: the ground truth of what
/// third-party protection must redact, keep and put up for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planted {
    pub source: String,
    pub dataset: String,
    /// The record's key as the bundle shows it.
    pub key: String,
    pub field: String,
    /// `name`, `email`, `phone`, `iban`, `bsn`, `address`, `unknown_name`.
    pub kind: String,
    /// The value as written in the text.
    pub written: String,
    pub whose: Whose,
    /// Klantnummer of the person it belongs to, for names and numbers of people.
    pub person: Option<String>,
}

/// One documented story tenant.
#[derive(Debug, Clone)]
pub struct StorySpec {
    pub story: &'static str,
    pub description: String,
    /// Index into [`Estate::people`].
    pub person: usize,
}

/// The complete synthetic estate.
#[derive(Debug, Clone, Default)]
pub struct Estate {
    pub seed: u64,
    pub tenants: usize,
    pub people: Vec<Person>,
    pub households: Vec<Household>,
    pub eenheden: Vec<Eenheid>,
    pub contracts: Vec<Huurovereenkomst>,
    pub rollen: Vec<Relatierol>,
    pub contactgegevens: Vec<Contactgegeven>,
    pub adressen: Vec<RelatieAdres>,
    pub betalingen: Vec<Huurbetaling>,
    pub inkomenstoetsen: Vec<Inkomenstoets>,
    pub onderhoud: Vec<Onderhoudsverzoek>,
    pub contactmomenten: Vec<Contactmoment>,
    pub klachten: Vec<Klacht>,
    pub notities: Vec<Notitie>,
    pub inschrijvingen: Vec<Inschrijving>,
    pub reacties: Vec<Reactie>,
    pub messages: Vec<Message>,
    pub signaleringen: Vec<SignaleringRow>,
    pub kwh: Vec<KwhRow>,
    pub stories: Vec<StorySpec>,
    /// Values planted in free texts (see [`Planted`]).
    pub planted: Vec<Planted>,
}
