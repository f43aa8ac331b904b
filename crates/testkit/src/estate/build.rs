//! Building the ground truth: households, ERP rows, CRM, WoningNet, mail,
//! signaleringen and survey rows, with the documented story tenants first.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime};

use super::model::*;
use super::rng::Rng;
use super::vocab::*;

/// Minimum number of households (the story tenants need 7 of them).
pub const MIN_TENANTS: usize = 8;

pub(crate) const KLANTENSERVICE: &str = "klantenservice@woonstichting.example.org";
const KS_NAME: &str = "Klantenservice Woonstichting Voorbeeld";
const STAFF: &[&str] = &["Sanne", "Ahmed", "Ilse", "Marco", "Esther", "Wouter"];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn ts(date: NaiveDate, secs: u32) -> NaiveDateTime {
    date.and_time(NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).expect("valid time"))
}

/// ASCII-fold for e-mail local parts.
fn fold(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c {
                'á' | 'à' | 'ä' | 'â' => 'a',
                'é' | 'è' | 'ë' | 'ê' => 'e',
                'í' | 'ì' | 'ï' | 'î' => 'i',
                'ó' | 'ò' | 'ö' | 'ô' => 'o',
                'ú' | 'ù' | 'ü' | 'û' => 'u',
                'Ü' => 'u',
                'Ö' => 'o',
                'Ç' | 'ç' => 'c',
                c => c.to_ascii_lowercase(),
            };
            c.is_ascii_alphanumeric().then_some(c)
        })
        .collect()
}

pub(crate) struct Gen {
    pub(crate) rng: Rng,
    pub e: Estate,
    next_kn: u32,
    next_contract: u32,
    next_eenheid: u32,
    next_id: u64,
    next_respondent: u32,
    pub(crate) next_klacht: u32,
    next_reactie: u32,
    next_signalering: u32,
    used: BTreeSet<String>,
    /// Set once the BSN test range gave no new number in 64 tries: from then
    /// on BSNs repeat without trying (large benchmark estates).
    bsn_range_full: bool,
}

/// How a person's name is chosen.
#[derive(Clone, Copy, Default)]
struct NameSpec {
    diacritic_first: bool,
    tv_surname: bool,
    surname_of: Option<usize>,
}

impl Gen {
    pub fn new(seed: u64, tenants: usize) -> Self {
        Gen {
            rng: Rng::new(seed),
            e: Estate {
                seed,
                tenants,
                ..Estate::default()
            },
            next_kn: 1000,
            next_contract: 200_000,
            next_eenheid: 100_000,
            next_id: 0,
            next_respondent: 100_000,
            next_klacht: 0,
            next_reactie: 1_000_000,
            next_signalering: 0,
            used: BTreeSet::new(),
            bsn_range_full: false,
        }
    }

    pub(crate) fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn unique(&mut self, mut make: impl FnMut(&mut Rng) -> String) -> String {
        loop {
            let v = make(&mut self.rng);
            if self.used.insert(v.clone()) {
                return v;
            }
        }
    }

    pub(crate) fn date_between(&mut self, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
        if hi <= lo {
            return lo;
        }
        lo + Duration::days(self.rng.below((hi - lo).num_days() as u64 + 1) as i64)
    }

    pub(crate) fn office_time(&mut self, date: NaiveDate) -> NaiveDateTime {
        let secs = self.rng.range(8 * 3600, 17 * 3600 + 1800) as u32;
        ts(date, secs - secs % 60 + self.rng.below(60) as u32)
    }

    pub(crate) fn guid(&mut self) -> String {
        self.unique(|r| {
            format!(
                "{}-{}-4{}-{}{}-{}",
                r.hex(8),
                r.hex(4),
                r.hex(3),
                *r.pick(&['8', '9', 'a', 'b']),
                r.hex(3),
                r.hex(12)
            )
        })
    }

    fn postcode(&mut self, nieuwegein: bool) -> (String, &'static str) {
        let (lo, hi, city) = if nieuwegein {
            (3430, 3439, "Nieuwegein")
        } else {
            (3511, 3585, "Utrecht")
        };
        let n = self.rng.range(lo, hi);
        let a = *self.rng.pick(POSTCODE_LETTERS) as char;
        let b = *self.rng.pick(POSTCODE_LETTERS) as char;
        (format!("{n} {a}{b}"), city)
    }

    /// A BSN in the test range 9999xxxxx that passes the elfproef. The range
    /// holds only ~9,000 numbers: beyond that (large benchmark estates) BSNs
    /// repeat, which is harmless because the BSN is never a join key.
    fn bsn(&mut self) -> String {
        let make = |r: &mut Rng| loop {
            let mut digits = [9u32, 9, 9, 9, 0, 0, 0, 0, 0];
            for dgt in digits.iter_mut().take(8).skip(4) {
                *dgt = r.below(10) as u32;
            }
            let s: u32 = (0..8).map(|i| digits[i] * (9 - i as u32)).sum();
            let last = s % 11;
            if last < 10 {
                digits[8] = last;
                return digits
                    .iter()
                    .map(|x| char::from(b'0' + *x as u8))
                    .collect::<String>();
            }
        };
        if !self.bsn_range_full {
            for _ in 0..64 {
                let v = make(&mut self.rng);
                if self.used.insert(v.clone()) {
                    return v;
                }
            }
            self.bsn_range_full = true;
        }
        make(&mut self.rng)
    }

    fn iban(&mut self) -> String {
        self.unique(|r| {
            let account: String = (0..10)
                .map(|_| char::from(b'0' + r.below(10) as u8))
                .collect();
            // mod-97 over BBAN + "NL00", letters as numbers (A=10).
            let rearranged = format!("XMPL{account}NL00");
            let mut rem: u64 = 0;
            for c in rearranged.chars() {
                let v = c.to_digit(36).expect("alnum") as u64;
                rem = if v >= 10 {
                    (rem * 100 + v) % 97
                } else {
                    (rem * 10 + v) % 97
                };
            }
            format!("NL{:02}XMPL{account}", 98 - rem)
        })
    }

    fn phone(&mut self) -> String {
        self.unique(|r| format!("06-{:08}", r.below(100_000_000)))
    }

    fn woningnet_nr(&mut self) -> String {
        self.unique(|r| format!("4{:08}", r.below(100_000_000)))
    }

    fn email_for(&mut self, voornamen: &str, surname: &str, domain: Option<&str>) -> String {
        let first = fold(voornamen);
        let last = fold(surname);
        let style = self.rng.below(3);
        let domain = domain.map(str::to_string).unwrap_or_else(|| {
            self.rng
                .pick(&["example.org", "example.com", "example.net"])
                .to_string()
        });
        let base = match style {
            0 => format!("{first}.{last}"),
            1 => format!("{}.{last}", &first[..1]),
            _ => format!("{first}{last}"),
        };
        let mut n = 0;
        loop {
            let cand = if n == 0 {
                format!("{base}@{domain}")
            } else {
                format!("{base}{n}@{domain}")
            };
            if self.used.insert(cand.clone()) {
                return cand;
            }
            n += 1;
        }
    }

    /// Creates a relatie (no contact data yet).
    fn person(
        &mut self,
        household: usize,
        spec: NameSpec,
        born: (i32, i32),
        created: NaiveDate,
    ) -> usize {
        let (voornamen, geslacht) = if spec.diacritic_first || self.rng.chance(20) {
            *self.rng.pick(DIACRITIC_FIRST_NAMES)
        } else {
            *self.rng.pick(FIRST_NAMES)
        };
        let (tv, achternaam) = if let Some(o) = spec.surname_of {
            let p = &self.e.people[o];
            (p.tussenvoegsel.clone(), p.achternaam.clone())
        } else if spec.tv_surname || self.rng.chance(30) {
            let (tv, s) = *self.rng.pick(TV_SURNAMES);
            (Some(tv.to_string()), s.to_string())
        } else if self.rng.chance(25) {
            (None, self.rng.pick(DIACRITIC_SURNAMES).to_string())
        } else {
            (None, self.rng.pick(SURNAMES).to_string())
        };
        self.next_kn += self.rng.range(1, 4) as u32;
        let klantnummer = format!("{:06}", self.next_kn);
        let geboortedatum = self.date_between(d(born.0, 1, 1), d(born.1, 12, 28));
        let bsn = self.bsn();
        let iban = self.iban();
        let created = created.max(d(2015, 1, 1));
        let aangemaakt = self.office_time(created);
        self.e.people.push(Person {
            klantnummer,
            voornamen: voornamen.to_string(),
            tussenvoegsel: tv,
            achternaam,
            geslacht,
            geboortedatum,
            bsn,
            iban,
            woningnet: None,
            aangemaakt,
            emails: Vec::new(),
            phone: None,
            household,
        });
        self.e.households[household]
            .members
            .push(self.e.people.len() - 1);
        self.e.people.len() - 1
    }

    fn add_email(&mut self, p: usize, domain: Option<&str>) -> String {
        let (v, s) = {
            let x = &self.e.people[p];
            (x.voornamen.clone(), x.surname_with_tv())
        };
        let email = self.email_for(&v, &s, domain);
        self.e.people[p].emails.push(email.clone());
        email
    }

    /// Writes contactgegeven rows for the person's emails and phone.
    fn contact_rows(&mut self, p: usize) {
        let (kn, emails, phone) = {
            let x = &self.e.people[p];
            (x.klantnummer.clone(), x.emails.clone(), x.phone.clone())
        };
        for (i, email) in emails.into_iter().enumerate() {
            let id = self.id();
            self.e.contactgegevens.push(Contactgegeven {
                id,
                klantnummer: kn.clone(),
                soort: "email",
                waarde: email,
                voorkeur: i == 0,
            });
        }
        if let Some(phone) = phone {
            let id = self.id();
            self.e.contactgegevens.push(Contactgegeven {
                id,
                klantnummer: kn,
                soort: "telefoon",
                waarde: phone,
                voorkeur: false,
            });
        }
    }

    fn new_eenheid(&mut self) -> usize {
        self.next_eenheid += self.rng.range(1, 3) as u32;
        let ng = self.rng.chance(25);
        let (postcode, city) = self.postcode(ng);
        let straat = self.rng.pick(STREETS).to_string();
        let mut huisnummer = self.rng.range(1, 180).to_string();
        if self.rng.chance(20) {
            let suffix: &&str = self.rng.pick(&["A", "B", "-bis", " bis"]);
            huisnummer.push_str(suffix);
        }
        let soort = self.rng.pick(EENHEID_TYPES).to_string();
        self.e.eenheden.push(Eenheid {
            eenheid_id: format!("VHE{}", self.next_eenheid),
            straat,
            huisnummer,
            postcode,
            woonplaats: city.to_string(),
            soort,
        });
        self.e.eenheden.len() - 1
    }

    fn new_contract(
        &mut self,
        eenheid: usize,
        ingang: NaiveDate,
        eind: Option<NaiveDate>,
    ) -> String {
        self.next_contract += self.rng.range(1, 3) as u32;
        let nummer = format!("HO{}", self.next_contract);
        let kale_huur = self.rng.range(45_000, 95_000) / 5 * 5;
        let servicekosten = self.rng.range(1_500, 8_000) / 5 * 5;
        self.e.contracts.push(Huurovereenkomst {
            contractnummer: nummer.clone(),
            eenheid,
            ingangsdatum: ingang,
            einddatum: eind,
            kale_huur,
            servicekosten,
        });
        self.payments(self.e.contracts.len() - 1);
        nummer
    }

    fn payments(&mut self, c: usize) {
        let k = self.e.contracts[c].clone();
        let end = k.einddatum.unwrap_or(peildatum()).min(peildatum());
        let from = k
            .ingangsdatum
            .max(end.checked_sub_months(Months::new(11)).expect("date"));
        let mut m = d(from.year(), from.month(), 1);
        let last = d(end.year(), end.month(), 1);
        while m <= last {
            let date = (m + Duration::days(self.rng.range(0, 4)))
                .max(k.ingangsdatum)
                .min(end);
            let total = k.kale_huur + k.servicekosten;
            let oms = format!(
                "Huur {} {} {}",
                MAANDEN[m.month0() as usize],
                m.year(),
                k.contractnummer
            );
            if self.rng.chance(5) {
                // arrears: nothing paid this month
            } else if self.rng.chance(6) {
                let half = total / 2;
                for (i, amount) in [half, total - half].into_iter().enumerate() {
                    let id = self.id();
                    self.e.betalingen.push(Huurbetaling {
                        id,
                        contractnummer: k.contractnummer.clone(),
                        datum: (date + Duration::days(i as i64 * 14)).min(peildatum()),
                        bedrag: amount,
                        omschrijving: format!("{oms} (termijn {})", i + 1),
                    });
                }
            } else {
                let id = self.id();
                self.e.betalingen.push(Huurbetaling {
                    id,
                    contractnummer: k.contractnummer.clone(),
                    datum: date,
                    bedrag: total,
                    omschrijving: oms,
                });
            }
            m = m.checked_add_months(Months::new(1)).expect("date");
        }
    }

    fn rol(&mut self, contract: &str, p: usize, rol: &'static str) {
        let id = self.id();
        let kn = self.e.people[p].klantnummer.clone();
        self.e.rollen.push(Relatierol {
            id,
            contractnummer: contract.to_string(),
            klantnummer: kn,
            rol,
        });
    }

    fn adres_of_eenheid(
        &mut self,
        p: usize,
        eenheid: usize,
        van: NaiveDate,
        tot: Option<NaiveDate>,
    ) {
        let u = self.e.eenheden[eenheid].clone();
        self.adres(
            p,
            &u.straat,
            &u.huisnummer,
            &u.postcode,
            &u.woonplaats,
            van,
            tot,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn adres(
        &mut self,
        p: usize,
        straat: &str,
        huisnummer: &str,
        postcode: &str,
        woonplaats: &str,
        van: NaiveDate,
        tot: Option<NaiveDate>,
    ) {
        let id = self.id();
        let kn = self.e.people[p].klantnummer.clone();
        self.e.adressen.push(RelatieAdres {
            id,
            klantnummer: kn,
            straat: straat.to_string(),
            huisnummer: huisnummer.to_string(),
            postcode: postcode.to_string(),
            woonplaats: woonplaats.to_string(),
            van,
            tot,
        });
    }

    fn new_household(&mut self, eenheid: usize) -> usize {
        self.e.households.push(Household {
            members: Vec::new(),
            eenheid,
        });
        self.e.households.len() - 1
    }

    fn inkomenstoets(&mut self, p: usize, around: NaiveDate) {
        let id = self.id();
        let kn = self.e.people[p].klantnummer.clone();
        let datum = self.date_between(around - Duration::days(60), around - Duration::days(5));
        let datum = datum.max(d(2015, 1, 1));
        let inkomen = self.rng.range(18_000, 72_000) * 100 + self.rng.range(0, 99);
        let cat = if inkomen < 3_200_000 {
            "primaire doelgroep"
        } else if inkomen < 4_700_000 {
            "secundaire doelgroep"
        } else if inkomen < 5_500_000 {
            "middeninkomen"
        } else {
            "hoger inkomen"
        };
        let bron = self
            .rng
            .pick(&[
                "Belastingdienst (IBRI)",
                "Inkomensverklaring huurder",
                "Loonstroken",
            ])
            .to_string();
        self.e.inkomenstoetsen.push(Inkomenstoets {
            id,
            klantnummer: kn,
            datum,
            inkomenscategorie: cat.to_string(),
            toetsinkomen: inkomen,
            bron,
        });
    }

    fn onderhoud(&mut self, p: usize, contract: &str, from: NaiveDate, to: NaiveDate) {
        let id = self.id();
        let kn = self.e.people[p].klantnummer.clone();
        let datum = self.date_between(from, to.min(peildatum()));
        let status = if datum > peildatum() - Duration::days(30) {
            self.rng.pick(&["gemeld", "ingepland"]).to_string()
        } else {
            self.rng.pick(ONDERHOUD_STATUS).to_string()
        };
        let omschrijving = self.rng.pick(ONDERHOUD).to_string();
        self.e.onderhoud.push(Onderhoudsverzoek {
            id,
            contractnummer: contract.to_string(),
            klantnummer: kn,
            datum,
            omschrijving,
            status,
        });
    }

    // ---------------------------------------------------------------- CRM

    fn contactmoment(
        &mut self,
        kn: Option<String>,
        email: Option<String>,
        date: NaiveDate,
        topic: usize,
    ) {
        let id = self.guid();
        let when = self.office_time(date);
        let kanaal = if email.is_some() && self.rng.chance(40) {
            "e-mail"
        } else {
            self.rng
                .pick(&["telefoon", "balie", "whatsapp", "telefoon"])
        };
        let richting = self
            .rng
            .pick(&["inkomend", "inkomend", "uitgaand"])
            .to_string();
        let (onderwerp, zin) = TENANT_TOPICS[topic];
        let notitie = if kn.is_none() {
            format!("Nog geen klant. Vraag: {zin} Doorverwezen naar WoningNet.")
        } else {
            format!("Huurder meldt: {zin} Afgehandeld door klantenservice.")
        };
        self.e.contactmomenten.push(Contactmoment {
            contactmomentid: id,
            klantnummer: kn,
            emailadres: email,
            datum: when.format("%Y-%m-%dT%H:%M:%S").to_string(),
            kanaal: kanaal.to_string(),
            richting,
            onderwerp: onderwerp.to_string(),
            notitie,
        });
    }

    fn klacht(&mut self, kn: Option<String>, email: Option<String>, date: NaiveDate) {
        self.next_klacht += self.rng.range(1, 3) as u32;
        let id = format!("KLA{:07}", self.next_klacht);
        let when = self.office_time(date);
        let omschrijving = self
            .rng
            .pick(&[
                "Reparatie is al drie keer uitgesteld.",
                "Geen reactie op mijn e-mail over de servicekosten.",
                "Monteur kwam niet op de afgesproken tijd.",
                "Trappenhuis wordt niet schoongemaakt; dit is al maanden zo.",
                "Onvriendelijk behandeld aan de balie.",
            ])
            .to_string();
        let status = self
            .rng
            .pick(&["ontvangen", "in behandeling", "afgehandeld", "afgehandeld"])
            .to_string();
        self.e.klachten.push(Klacht {
            klachtid: id,
            klantnummer: kn,
            emailadres: email,
            datum: when.format("%Y-%m-%dT%H:%M:%S").to_string(),
            omschrijving,
            status,
        });
    }

    fn notitie(&mut self, kn: Option<String>, date: NaiveDate, tekst: &str) {
        let id = self.guid();
        let when = self.office_time(date);
        self.e.notities.push(Notitie {
            notitieid: id,
            klantnummer: kn,
            datum: when.format("%Y-%m-%dT%H:%M:%S").to_string(),
            tekst: tekst.to_string(),
        });
    }

    /// Ordinary CRM activity for a relatie.
    fn crm_for(&mut self, p: usize, from: NaiveDate) {
        let (kn, email) = {
            let x = &self.e.people[p];
            (x.klantnummer.clone(), x.emails.first().cloned())
        };
        let from = from.min(peildatum());
        for _ in 0..self.rng.below(4) {
            let date = self.date_between(from, peildatum());
            let topic = self.rng.below(TENANT_TOPICS.len() as u64) as usize;
            let em = if self.rng.chance(70) {
                email.clone()
            } else {
                None
            };
            self.contactmoment(Some(kn.clone()), em, date, topic);
        }
        if self.rng.chance(20) {
            let date = self.date_between(from, peildatum());
            let em = if self.rng.chance(50) {
                email.clone()
            } else {
                None
            };
            self.klacht(Some(kn.clone()), em, date);
        }
        for _ in 0..self.rng.below(3) {
            let date = self.date_between(from, peildatum());
            let tekst = *self.rng.pick(&[
                "Huurder telefonisch herinnerd aan openstaande huur.",
                "Afspraak gemaakt voor woningschouw.",
                "Huurder wil graag per e-mail benaderd worden.",
                "Huurtoeslagformulier meegegeven aan de balie.",
                "Betalingsregeling besproken; bevestiging volgt per post.",
            ]);
            self.notitie(Some(kn.clone()), date, tekst);
        }
        // contact before becoming a customer: only the e-mail address is known
        if let Some(email) = email {
            let created = self.e.people[p].aangemaakt.date();
            if created > d(2015, 4, 1) && self.rng.chance(15) {
                let date = self.date_between(d(2015, 1, 1), created - Duration::days(1));
                let topic = self.rng.below(TENANT_TOPICS.len() as u64) as usize;
                self.contactmoment(None, Some(email), date, topic);
            }
        }
    }

    // ----------------------------------------------------------- WoningNet

    /// Registers the person at WoningNet; `won` = (eenheid, date) of the home
    /// allocated through a reactie.
    fn woningnet(&mut self, p: usize, won: Option<(usize, NaiveDate)>, huishouden: u32) {
        let nr = self.woningnet_nr();
        self.e.people[p].woningnet = Some(nr.clone());
        let person = self.e.people[p].clone();
        let latest = won
            .map(|(_, dt)| dt - Duration::days(60))
            .unwrap_or(peildatum() - Duration::days(30));
        let inschrijf = self.date_between(d(2015, 1, 1), latest.max(d(2015, 1, 1)));
        // yearly renewal: the last anniversary on or before the peildatum
        let mut verleng = inschrijf;
        while let Some(next) = verleng.checked_add_months(Months::new(12)) {
            if next > peildatum() {
                break;
            }
            verleng = next;
        }
        let mut wijken: Vec<String> = Vec::new();
        for _ in 0..self.rng.range(1, 3) {
            let w = self.rng.pick(WIJKEN).to_string();
            if !wijken.contains(&w) {
                wijken.push(w);
            }
        }
        let inkomenscategorie = self
            .rng
            .pick(&[
                "tot huurtoeslaggrens",
                "tot inkomensgrens sociale huur",
                "middeninkomen",
            ])
            .to_string();
        let voorrang = self.rng.chance(10);
        self.e.inschrijvingen.push(Inschrijving {
            registratienummer: nr.clone(),
            voornamen: person.voornamen.clone(),
            achternaam: person.surname_with_tv(),
            geboortedatum: person.geboortedatum.to_string(),
            inschrijfdatum: inschrijf.to_string(),
            verlengdatum: verleng.to_string(),
            zoekprofiel: Zoekprofiel {
                huishoudgrootte: huishouden,
                inkomenscategorie,
                gewenste_wijken: wijken,
                voorrang,
            },
        });
        let end = won
            .map(|(_, dt)| dt - Duration::days(45))
            .unwrap_or(peildatum());
        for _ in 0..self.rng.below(4) {
            let date = self.date_between(inschrijf, end.max(inschrijf));
            let ng = self.rng.chance(20);
            let (pc, city) = self.postcode(ng);
            let adres = format!(
                "{} {}, {pc} {city}",
                self.rng.pick(STREETS),
                self.rng.range(1, 200)
            );
            let status = self
                .rng
                .pick(&[
                    "niet geselecteerd",
                    "afgewezen na bezichtiging",
                    "ingetrokken",
                    "vervallen",
                ])
                .to_string();
            self.reactie(&nr, adres, date, status);
        }
        if let Some((eenheid, dt)) = won {
            let u = self.e.eenheden[eenheid].clone();
            let adres = format!(
                "{} {}, {} {}",
                u.straat, u.huisnummer, u.postcode, u.woonplaats
            );
            let date = (dt - Duration::days(45)).max(inschrijf);
            self.reactie(&nr, adres, date, "toegewezen".to_string());
        }
    }

    fn reactie(&mut self, nr: &str, adres: String, date: NaiveDate, status: String) {
        self.next_reactie += self.rng.range(1, 9) as u32;
        let positie = if status == "toegewezen" {
            1
        } else {
            self.rng.range(2, 400) as u32
        };
        let adv = format!("ADV{}{:04}", date.year(), self.rng.below(10_000));
        self.e.reacties.push(Reactie {
            reactieid: format!("RCT{}", self.next_reactie),
            registratienummer: nr.to_string(),
            advertentienummer: adv,
            adres,
            datum: date.to_string(),
            positie,
            status,
        });
    }

    // ---------------------------------------------------------------- mail

    fn message_id(&mut self, date: NaiveDateTime, domain: &str) -> String {
        let stamp = date.format("%Y%m%d%H%M%S").to_string();
        let domain = domain.to_string();
        self.unique(|r| format!("{stamp}.m{}@{domain}", r.hex(12)))
    }

    pub(crate) fn mailbox_of(&self, p: usize, email: &str) -> Mailbox {
        Mailbox::new(Some(&self.e.people[p].full_name()), email)
    }

    pub(crate) fn ks() -> Mailbox {
        Mailbox::new(Some(KS_NAME), KLANTENSERVICE)
    }

    pub(crate) fn random_text_part(&mut self, text: String) -> Part {
        let has_non_latin1 = text.chars().any(|c| c as u32 > 0xFF);
        match self.rng.below(10) {
            0..=3 => Part::Text {
                html: false,
                text,
                charset: Charset::Utf8,
                cte: Cte::EightBit,
            },
            4 if !has_non_latin1 => Part::Text {
                html: false,
                text,
                charset: Charset::Latin1,
                cte: Cte::QuotedPrintable,
            },
            5 => Part::Text {
                html: false,
                text,
                charset: Charset::Cp1252,
                cte: Cte::QuotedPrintable,
            },
            6 => Part::Text {
                html: false,
                text,
                charset: Charset::Utf8,
                cte: Cte::Base64,
            },
            7 | 8 => alternative(text),
            _ => html_only(&text),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push_message(
        &mut self,
        date: NaiveDateTime,
        from: Mailbox,
        to: Vec<Mailbox>,
        cc: Vec<Mailbox>,
        reply_to: Option<Mailbox>,
        subject: String,
        body: Part,
    ) -> String {
        let domain = from
            .addr
            .split('@')
            .nth(1)
            .unwrap_or("example.org")
            .to_string();
        let id = self.message_id(date, &domain);
        let header_enc = if self.rng.chance(50) {
            HeaderEnc::Utf8B
        } else {
            HeaderEnc::Latin1Q
        };
        self.e.messages.push(Message {
            id: id.clone(),
            date,
            from,
            to,
            cc,
            reply_to,
            subject,
            header_enc,
            body,
        });
        id
    }

    fn letter(&self, p: usize, zin: &str, ident: Option<String>) -> String {
        let x = &self.e.people[p];
        let mut s = String::from("Beste klantenservice,\n\n");
        s.push_str(zin);
        s.push('\n');
        if let Some(i) = ident {
            s.push_str(&i);
            s.push('\n');
        }
        s.push_str(&format!("\nMet vriendelijke groet,\n{}\n", x.full_name()));
        s
    }

    fn reply_text(&mut self, p: usize, ident: Option<String>) -> String {
        let x = &self.e.people[p];
        let staff = *self.rng.pick(STAFF);
        let zin = *self.rng.pick(&[
            "Dank voor uw bericht. We hebben uw vraag doorgezet naar de juiste afdeling.",
            "Dank voor uw bericht. Een monteur neemt binnen vijf werkdagen contact met u op.",
            "Dank voor uw bericht. In de bijlage van onze brief vindt u de berekening.",
            "Dank voor uw bericht. Wij hebben uw wijziging verwerkt.",
        ]);
        let mut s = format!("Beste {},\n\n{zin}\n", x.voornamen);
        if let Some(i) = ident {
            s.push_str(&i);
            s.push('\n');
        }
        s.push_str(&format!(
            "\nMet vriendelijke groet,\n\n{staff}\n{KS_NAME}\n"
        ));
        s
    }

    /// An ordinary thread: the tenant writes, klantenservice often answers.
    fn mail_thread(&mut self, p: usize, email: &str, from: NaiveDate, ident: Option<String>) {
        let date = self.date_between(from.min(peildatum()), peildatum());
        let when = self.office_time(date);
        let topic = self.rng.below(TENANT_TOPICS.len() as u64) as usize;
        let (onderwerp, zin) = TENANT_TOPICS[topic];
        let subject = if self.rng.chance(30) {
            format!("{onderwerp} (klantnummer {})", self.e.people[p].klantnummer)
        } else {
            onderwerp.to_string()
        };
        let text = self.letter(p, zin, ident.clone());
        let body = self.random_text_part(text);
        let me = self.mailbox_of(p, email);
        self.push_message(
            when,
            me.clone(),
            vec![Gen::ks()],
            vec![],
            None,
            subject.clone(),
            body,
        );
        if self.rng.chance(60) {
            let when = when + Duration::hours(self.rng.range(2, 72));
            let text = self.reply_text(p, None);
            let body = self.random_text_part(text);
            self.push_message(
                when,
                Gen::ks(),
                vec![me],
                vec![],
                None,
                format!("Re: {subject}"),
                body,
            );
        }
    }

    /// klantenservice → contractor with the tenant in Cc.
    fn cc_message(&mut self, p: usize, email: &str, date: NaiveDate) {
        let when = self.office_time(date);
        let u = self.e.eenheden[self.e.households[self.e.people[p].household].eenheid].clone();
        let text = format!(
            "Beste aannemer,\n\nGraag een afspraak inplannen voor een reparatie aan {} {} te {}.\nDe bewoner staat in de cc en stemt de tijd met u af.\n\nMet vriendelijke groet,\n\nOnderhoudsteam\n",
            u.straat, u.huisnummer, u.woonplaats
        );
        let me = self.mailbox_of(p, email);
        self.push_message(
            when,
            Mailbox::new(
                Some("Onderhoud Woonstichting"),
                "onderhoud@woonstichting.example.org",
            ),
            vec![Mailbox::new(
                Some("Installatiebedrijf Proef"),
                "planning@aannemer.example.com",
            )],
            vec![me],
            None,
            "Opdracht reparatie".to_string(),
            Part::Text {
                html: false,
                text,
                charset: Charset::Utf8,
                cte: Cte::EightBit,
            },
        );
    }

    /// A referral from the municipality; the klantnummer only in a base64 body.
    fn base64_referral(&mut self, p: usize, date: NaiveDate) {
        let when = self.office_time(date);
        let kn = self.e.people[p].klantnummer.clone();
        let text = format!(
            "Geachte heer, mevrouw,\n\nHierbij melden wij een aanvraag voor schuldhulpverlening.\nHet betreft uw huurder met klantnummer {kn}.\nWilt u de ontruimingsprocedure aanhouden?\n\nGemeente Utrecht, team schuldhulp\n"
        );
        self.push_message(
            when,
            Mailbox::new(
                Some("Gemeente Utrecht schuldhulp"),
                "schuldhulp@gemeente.example.net",
            ),
            vec![Gen::ks()],
            vec![],
            None,
            "Doorverwijzing schuldhulpverlening".to_string(),
            Part::Text {
                html: false,
                text,
                charset: Charset::Utf8,
                cte: Cte::Base64,
            },
        );
    }

    /// Internal messages with decoys: the klantnummer or contract number
    /// with an extra digit, which must match nobody.
    fn decoy_message(&mut self, p: usize, date: NaiveDate) {
        let when = self.office_time(date);
        let kn = self.e.people[p].klantnummer.clone();
        let extra = self.rng.below(10);
        let pre = self.rng.range(1, 9);
        let contract = self
            .e
            .rollen
            .iter()
            .find(|r| r.klantnummer == kn)
            .map(|r| r.contractnummer.clone());
        let mut text = format!(
            "Hoi,\n\nIn de bankafschriften staat een betaling met referentie {kn}{extra} die ik niet kan thuisbrengen.\nOok kenmerk {pre}{kn} is onbekend.\n"
        );
        if let Some(c) = contract {
            text.push_str(&format!("Mogelijk verwant aan dossier {c}{extra}.\n"));
        }
        text.push_str("\nGroet,\nTeam incasso\n");
        self.push_message(
            when,
            Mailbox::new(Some("Team Incasso"), "incasso@woonstichting.example.org"),
            vec![Mailbox::new(
                Some("Financiële administratie"),
                "financien@woonstichting.example.org",
            )],
            vec![],
            None,
            "Onbekende betalingen".to_string(),
            Part::Text {
                html: false,
                text,
                charset: Charset::Utf8,
                cte: Cte::EightBit,
            },
        );
    }

    fn internal_message(&mut self, date: NaiveDate) {
        let when = self.office_time(date);
        let (subject, text) = *self.rng.pick(&[
            ("Teamoverleg donderdag", "Hoi allemaal,\n\nHet teamoverleg van donderdag verschuift naar 14.00 uur.\n\nGroet,\nIlse\n"),
            ("Storing telefooncentrale", "Collega's,\n\nDe telefooncentrale is vanmiddag tussen 13.00 en 14.00 uur niet bereikbaar.\n\nICT\n"),
            ("Rooster balie", "Hoi,\n\nHet nieuwe balierooster staat op het intranet. Wie ruilt er met mij op vrijdag?\n\nMarco\n"),
            ("Jaarverslag – concept", "Beste collega's,\n\nHet concept van het jaarverslag ligt klaar voor commentaar. Reacties graag vóór vrijdag.\n\nEsther\n"),
        ]);
        let body = self.random_text_part(text.to_string());
        self.push_message(
            when,
            Mailbox::new(
                Some("Medewerker Woonstichting"),
                "intern@woonstichting.example.org",
            ),
            vec![Mailbox::new(
                Some("Alle medewerkers"),
                "team@woonstichting.example.org",
            )],
            vec![],
            None,
            subject.to_string(),
            body,
        );
    }

    // --------------------------------------------------------- households

    /// Ordinary extras for a contractant.
    fn contractant_extras(
        &mut self,
        p: usize,
        contract: &str,
        ingang: NaiveDate,
        eind: Option<NaiveDate>,
    ) {
        self.inkomenstoets(p, ingang);
        if self.rng.chance(40) {
            let when = self.date_between(d(2024, 1, 1), peildatum());
            self.inkomenstoets(p, when);
        }
        let to = eind.unwrap_or(peildatum());
        for _ in 0..self.rng.below(4) {
            self.onderhoud(p, contract, ingang, to);
        }
    }

    fn kwh_row(&mut self, p: Option<usize>, contract: Option<String>, from: NaiveDate) {
        self.next_respondent += self.rng.range(1, 5) as u32;
        let datum = self.date_between(from.min(peildatum()), peildatum());
        let cijfer = self.rng.range(30, 100) as f64 / 10.0;
        let onderzoek = self
            .rng
            .pick(&[
                "Nieuwe huurders",
                "Reparaties",
                "Contact",
                "Vertrokken huurders",
            ])
            .to_string();
        let toelichting = self
            .rng
            .pick(&[
                "Snel geholpen, vriendelijke monteur.",
                "Het duurde te lang voordat er iemand kwam.",
                "Prima, geen opmerkingen.",
                "Telefonisch slecht bereikbaar; wel goed geholpen aan de balie.",
                "",
            ])
            .to_string();
        let (kn, email) = match p {
            Some(p) => {
                let x = &self.e.people[p];
                let email = if self.rng.chance(60) {
                    x.emails.first().cloned()
                } else {
                    None
                };
                (Some(x.klantnummer.clone()), email)
            }
            None => (None, None),
        };
        self.e.kwh.push(KwhRow {
            respondentnummer: format!("R{}", self.next_respondent),
            klantnummer: kn,
            contractnummer: contract,
            datum,
            onderzoek,
            rapportcijfer: cijfer,
            toelichting,
            email,
        });
    }

    fn signalering_row(&mut self, row: SignaleringRow) {
        self.e.signaleringen.push(row);
    }

    fn signalering_nr(&mut self, year: i32) -> String {
        self.next_signalering += self.rng.range(1, 4) as u32;
        format!("SR{year}{:04}", self.next_signalering)
    }

    /// Every communication for an ordinary person: CRM, mail, KWH.
    fn ordinary_comms(&mut self, p: usize, contract: Option<&str>, from: NaiveDate, kwh: bool) {
        self.crm_for(p, from);
        let emails = self.e.people[p].emails.clone();
        if let Some(email) = emails.first() {
            let n = if contract.is_some() {
                self.rng.range(1, 3)
            } else {
                self.rng.range(0, 1)
            };
            for _ in 0..n {
                let ident = match (self.rng.below(4), contract) {
                    (0, _) => Some(format!(
                        "Mijn klantnummer is {}.",
                        self.e.people[p].klantnummer
                    )),
                    (1, Some(c)) => Some(format!("Contractnummer: {c}")),
                    _ => None,
                };
                self.mail_thread(p, email, from, ident);
            }
            if contract.is_some() && self.rng.chance(15) {
                let date = self.date_between(from.min(peildatum()), peildatum());
                self.cc_message(p, email, date);
            }
        }
        if contract.is_some() && self.rng.chance(5) {
            let date = self.date_between(from.min(peildatum()), peildatum());
            self.base64_referral(p, date);
        }
        if kwh && self.rng.chance(45) {
            self.kwh_row(Some(p), contract.map(str::to_string), from);
        }
    }

    /// An ordinary household on a fresh (or given) unit.
    fn ordinary_household(&mut self, reuse: Option<(usize, NaiveDate)>) {
        let (eenheid, ingang) = match reuse {
            Some((u, after)) => {
                let start = after + Duration::days(self.rng.range(20, 120));
                (u, d(start.year(), start.month(), 1))
            }
            None => {
                let u = self.new_eenheid();
                let start = self.date_between(d(2015, 2, 1), d(2026, 6, 30));
                (u, d(start.year(), start.month(), 1))
            }
        };
        let ingang = ingang.min(d(2026, 9, 1));
        let hh = self.new_household(eenheid);
        let created = ingang - Duration::days(self.rng.range(10, 60));
        let main = self.person(hh, NameSpec::default(), (1945, 2004), created);
        let contract = self.new_contract(eenheid, ingang, None);
        self.rol(&contract, main, "HUU");
        let mut members = vec![main];
        if self.rng.chance(35) {
            let partner = self.person(hh, NameSpec::default(), (1945, 2004), created);
            if self.rng.chance(50) {
                self.rol(&contract, partner, "MDH");
            }
            members.push(partner);
        }
        if self.rng.chance(25) {
            for _ in 0..self.rng.range(1, 2) {
                let born = self.e.people[main].geboortedatum.year();
                let lo = (born + 20).min(2007);
                let child = self.person(
                    hh,
                    NameSpec {
                        surname_of: Some(main),
                        ..NameSpec::default()
                    },
                    (lo, (born + 35).clamp(lo, 2008)),
                    created,
                );
                members.push(child);
            }
        }
        let size = members.len() as u32;
        for (i, &p) in members.iter().enumerate() {
            let is_contractant = self.e.rollen.iter().rev().take(3).any(|r| {
                r.contractnummer == contract && r.klantnummer == self.e.people[p].klantnummer
            });
            if is_contractant || self.rng.chance(40) {
                self.add_email(p, None);
                if is_contractant && self.rng.chance(10) {
                    self.add_email(p, None);
                }
            }
            if is_contractant && self.rng.chance(85) || self.rng.chance(20) {
                let phone = self.phone();
                self.e.people[p].phone = Some(phone);
            }
            self.contact_rows(p);
            self.adres_of_eenheid(p, eenheid, ingang, None);
            if i == 0 && self.rng.chance(85) {
                self.woningnet(p, Some((eenheid, ingang)), size);
            } else if i > 0 && self.rng.chance(20) {
                self.woningnet(p, None, 1);
            }
            if is_contractant {
                self.contractant_extras(p, &contract, ingang, None);
            }
            let c = is_contractant.then_some(contract.as_str());
            self.ordinary_comms(p, c, ingang, is_contractant);
            if i == 0 && self.rng.chance(5) {
                self.own_signalering(p, eenheid);
            }
        }
    }

    /// A (passive or lapsed) signalering of an ordinary tenant, exact name.
    fn own_signalering(&mut self, p: usize, eenheid: usize) {
        let x = self.e.people[p].clone();
        let u = self.e.eenheden[eenheid].clone();
        let ingang = self.date_between(d(2017, 1, 1), d(2022, 12, 31));
        let (cat, oms) = *self.rng.pick(SIGNALERING_CATEGORIES);
        let nr = self.signalering_nr(ingang.year());
        let eind = ingang.checked_add_months(Months::new(36)).expect("date");
        let corporatie = self.rng.pick(CORPORATIES).to_string();
        let status = self.rng.pick(&["passief", "vervallen"]).to_string();
        self.signalering_row(SignaleringRow {
            registratienummer: nr,
            voornamen: x.voornamen.clone(),
            tussenvoegsel: x.tussenvoegsel.clone().unwrap_or_default(),
            achternaam: x.achternaam.clone(),
            geboortedatum: x.geboortedatum,
            postcode: u.postcode.clone(),
            huisnummer: u.huisnummer.clone(),
            corporatie,
            categorie: cat.to_string(),
            omschrijving: oms.to_string(),
            ingangsdatum: ingang,
            einddatum: Some(eind),
            status,
        });
    }
}

/// multipart/alternative with a plain and an html rendering.
fn alternative(text: String) -> Part {
    let html = to_html(&text);
    Part::Multipart {
        subtype: "alternative",
        parts: vec![
            Part::Text {
                html: false,
                text,
                charset: Charset::Utf8,
                cte: Cte::QuotedPrintable,
            },
            Part::Text {
                html: true,
                text: html,
                charset: Charset::Utf8,
                cte: Cte::QuotedPrintable,
            },
        ],
    }
}

fn html_only(text: &str) -> Part {
    Part::Text {
        html: true,
        text: to_html(text),
        charset: Charset::Utf8,
        cte: Cte::QuotedPrintable,
    }
}

fn to_html(text: &str) -> String {
    let mut s = String::from("<html><body>\n");
    for para in text.split("\n\n") {
        let esc = para
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('\n', "<br>\n");
        s.push_str("<p>");
        s.push_str(&esc);
        s.push_str("</p>\n");
    }
    s.push_str("</body></html>\n");
    s
}

/// A few bytes that look like a small PDF (no digit runs that could be taken
/// for an identifier).
fn fake_pdf() -> Vec<u8> {
    let mut v = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    v.extend((0u8..=255).map(|b| b.wrapping_mul(37)));
    v.extend_from_slice(b"\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    v
}

/// Builds the whole estate.
pub fn build(seed: u64, tenants: usize) -> Estate {
    let tenants = tenants.max(MIN_TENANTS);
    let mut g = Gen::new(seed, tenants);

    // ---- story 1: co-tenant -------------------------------------------
    {
        let u = g.new_eenheid();
        let ingang = d(2019, 4, 1);
        let hh = g.new_household(u);
        let created = d(2019, 2, 18);
        let a = g.person(hh, NameSpec::default(), (1970, 1990), created);
        let b = g.person(hh, NameSpec::default(), (1970, 1990), created);
        let c = g.new_contract(u, ingang, None);
        g.rol(&c, a, "HUU");
        g.rol(&c, b, "MDH");
        for &p in &[a, b] {
            g.add_email(p, None);
            let phone = g.phone();
            g.e.people[p].phone = Some(phone);
            g.contact_rows(p);
            g.adres_of_eenheid(p, u, ingang, None);
            g.contractant_extras(p, &c, ingang, None);
        }
        g.woningnet(a, Some((u, ingang)), 2);
        g.onderhoud(b, &c, ingang, peildatum());
        g.onderhoud(a, &c, ingang, peildatum());
        for &p in &[a, b] {
            g.crm_for(p, ingang);
            let email = g.e.people[p].emails[0].clone();
            let kn = g.e.people[p].klantnummer.clone();
            g.mail_thread(
                p,
                &email,
                ingang,
                Some(format!("Mijn klantnummer is {kn}.")),
            );
            g.kwh_row(Some(p), Some(c.clone()), ingang);
        }
        // B writes about the shared contract, from B's own address
        let b_email = g.e.people[b].emails[0].clone();
        g.mail_thread(b, &b_email, ingang, Some(format!("Contractnummer: {c}")));
        // html-only message from klantenservice to A
        let a_email = g.e.people[a].emails[0].clone();
        let when = g.office_time(d(2026, 3, 12));
        let text = g.reply_text(
            a,
            Some(format!("Uw klantnummer: {}", g.e.people[a].klantnummer)),
        );
        let to = g.mailbox_of(a, &a_email);
        g.push_message(
            when,
            Gen::ks(),
            vec![to],
            vec![],
            None,
            "Uw reparatieverzoek is ingepland".into(),
            html_only(&text),
        );
        g.decoy_message(a, d(2026, 5, 4));
        g.e.stories.push(StorySpec {
            story: "co-tenant",
            description: "Shares contract with a medehuurder (rol MDH) who is another relatie; the contract number is ambiguous, the medehuurder's own data must not leak.".into(),
            person: a,
        });
    }

    // ---- story 2: mover -------------------------------------------------
    let old_end;
    {
        let u_old = g.new_eenheid();
        let u_new = g.new_eenheid();
        let ingang_old = d(2016, 9, 1);
        old_end = d(2022, 5, 31);
        let ingang_new = d(2022, 6, 1);
        let hh = g.new_household(u_new);
        let m = g.person(hh, NameSpec::default(), (1960, 1995), d(2016, 7, 20));
        let c_old = g.new_contract(u_old, ingang_old, Some(old_end));
        let c_new = g.new_contract(u_new, ingang_new, None);
        g.rol(&c_old, m, "HUU");
        g.rol(&c_new, m, "HUU");
        g.add_email(m, None);
        let phone = g.phone();
        g.e.people[m].phone = Some(phone);
        g.contact_rows(m);
        g.adres_of_eenheid(m, u_old, ingang_old, Some(old_end));
        g.adres_of_eenheid(m, u_new, ingang_new, None);
        g.woningnet(m, Some((u_old, ingang_old)), 1);
        g.contractant_extras(m, &c_old, ingang_old, Some(old_end));
        g.contractant_extras(m, &c_new, ingang_new, None);
        g.crm_for(m, ingang_old);
        let email = g.e.people[m].emails[0].clone();
        g.mail_thread(
            m,
            &email,
            ingang_new,
            Some(format!("Contractnummer: {c_new}")),
        );
        g.base64_referral(m, d(2025, 11, 17));
        // final settlement of the old contract, only the contract number
        let when = g.office_time(d(2022, 7, 14));
        let text = format!(
            "Geachte heer, mevrouw,\n\nBijgaand de eindafrekening van huurovereenkomst {c_old}.\nHet openstaande bedrag is € 312,40.\n\nTeam Incasso\n"
        );
        g.push_message(
            when,
            Mailbox::new(Some("Team Incasso"), "incasso@woonstichting.example.org"),
            vec![Mailbox::new(
                Some("Gerechtsdeurwaarders Proef & Partners"),
                "dossiers@deurwaarder.example.net",
            )],
            vec![],
            None,
            format!("Eindafrekening {c_old}"),
            Part::Text {
                html: false,
                text,
                charset: Charset::Cp1252,
                cte: Cte::QuotedPrintable,
            },
        );
        g.kwh_row(Some(m), Some(c_old.clone()), d(2022, 6, 1));
        g.decoy_message(m, d(2025, 2, 3));
        g.e.stories.push(StorySpec {
            story: "mover",
            description: "Moved between two contracts: the old one ended, the new one runs; two addresses (the old one with `tot`); a municipality referral mentions the klantnummer only inside a base64 body; a settlement mail names only the old contract number.".into(),
            person: m,
        });
    }
    // the old unit is let again to an ordinary household
    g.ordinary_household(Some((old_unit_after(&g), old_end)));

    // ---- story 3: signalering -------------------------------------------
    {
        let u = g.new_eenheid();
        let ingang = d(2025, 7, 1);
        let hh = g.new_household(u);
        let s = g.person(
            hh,
            NameSpec {
                diacritic_first: true,
                tv_surname: true,
                surname_of: None,
            },
            (1975, 1995),
            d(2025, 6, 2),
        );
        let c = g.new_contract(u, ingang, None);
        g.rol(&c, s, "HUU");
        g.add_email(s, None);
        g.contact_rows(s);
        let (old_pc, old_city) = g.postcode(true);
        let old_street = g.rng.pick(OTHER_STREETS).to_string();
        let old_nr = g.rng.range(2, 90).to_string();
        g.adres(
            s,
            &old_street,
            &old_nr,
            &old_pc,
            old_city,
            d(2019, 3, 1),
            Some(d(2025, 6, 30)),
        );
        g.adres_of_eenheid(s, u, ingang, None);
        g.woningnet(s, Some((u, ingang)), 1);
        g.contractant_extras(s, &c, ingang, None);
        g.crm_for(s, ingang);
        let x = g.e.people[s].clone();
        let email = x.emails[0].clone();
        // a Latin-1 quoted-printable letter
        let when = g.office_time(d(2025, 9, 2));
        let text = g.letter(
            s,
            "Graag ontvang ik een kopie van mijn huurcontract.",
            Some(format!("Klantnummer: {}", x.klantnummer)),
        );
        let me = g.mailbox_of(s, &email);
        g.push_message(
            when,
            me.clone(),
            vec![Gen::ks()],
            vec![],
            None,
            "Kopie huurcontract".into(),
            Part::Text {
                html: false,
                text,
                charset: Charset::Latin1,
                cte: Cte::QuotedPrintable,
            },
        );
        // a forwarded message (message/rfc822)
        let inner_when = g.office_time(d(2025, 10, 6));
        let inner_text = "Beste bewoner,\n\nDe monteur komt op dinsdag tussen 8.00 en 12.00 uur voor de cv-ketel.\n\nInstallatiebedrijf Proef\n".to_string();
        let inner_id = g.message_id(inner_when, "aannemer.example.com");
        let inner = Message {
            id: inner_id,
            date: inner_when,
            from: Mailbox::new(
                Some("Installatiebedrijf Proef"),
                "planning@aannemer.example.com",
            ),
            to: vec![me.clone()],
            cc: vec![],
            reply_to: None,
            subject: "Afspraak monteur".into(),
            header_enc: HeaderEnc::Utf8B,
            body: Part::Text {
                html: false,
                text: inner_text,
                charset: Charset::Utf8,
                cte: Cte::EightBit,
            },
        };
        let when = inner_when + Duration::hours(3);
        let outer_text = format!(
            "Beste klantenservice,\n\nHierbij de afspraak van de aannemer. Klopt dit?\n\nMet vriendelijke groet,\n{}\n",
            x.full_name()
        );
        g.push_message(
            when,
            me,
            vec![Gen::ks()],
            vec![],
            None,
            "Fwd: Afspraak monteur".into(),
            Part::Multipart {
                subtype: "mixed",
                parts: vec![
                    Part::Text {
                        html: false,
                        text: outer_text,
                        charset: Charset::Utf8,
                        cte: Cte::EightBit,
                    },
                    Part::Message(Box::new(inner)),
                ],
            },
        );
        // the signalering: other case, no diacritics, tussenvoegsel inside the achternaam
        let tv = x.tussenvoegsel.clone().unwrap_or_default();
        let mut cap_tv = tv.clone();
        if let Some(first) = cap_tv.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        let nr = g.signalering_nr(2024);
        g.signalering_row(SignaleringRow {
            registratienummer: nr,
            voornamen: fold_upper(&x.voornamen),
            tussenvoegsel: String::new(),
            achternaam: format!("{cap_tv} {}", x.achternaam),
            geboortedatum: x.geboortedatum,
            postcode: old_pc.clone(),
            huisnummer: old_nr.clone(),
            corporatie: "Proefwonen Utrecht".into(),
            categorie: "Ernstige overlast".into(),
            omschrijving: "Ernstige overlast; meerdere meldingen van omwonenden.\nDossier bij de vorige verhuurder.".into(),
            ingangsdatum: d(2024, 11, 15),
            einddatum: Some(d(2027, 11, 15)),
            status: "actief".into(),
        });
        // near miss: same name and birth date, another postcode
        let (pc, _) = g.postcode(false);
        let nr = g.signalering_nr(2023);
        g.signalering_row(SignaleringRow {
            registratienummer: nr,
            voornamen: x.voornamen.clone(),
            tussenvoegsel: tv,
            achternaam: x.achternaam.clone(),
            geboortedatum: x.geboortedatum,
            postcode: pc,
            huisnummer: "12".into(),
            corporatie: "Stichting Testhuis".into(),
            categorie: "Woonfraude".into(),
            omschrijving: "Woning zonder toestemming onderverhuurd".into(),
            ingangsdatum: d(2023, 3, 1),
            einddatum: Some(d(2026, 3, 1)),
            status: "vervallen".into(),
        });
        g.kwh_row(Some(s), Some(c.clone()), ingang);
        g.decoy_message(s, d(2026, 1, 20));
        g.e.stories.push(StorySpec {
            story: "signalering",
            description: "Has an active signalering registered at a previous address, written in other case, without diacritics and with the tussenvoegsel inside the achternaam; a second row with the same name and birth date but another postcode is a review item. Also writes a Latin-1 quoted-printable letter and forwards a message (message/rfc822).".into(),
            person: s,
        });
    }

    // ---- story 4: two e-mail addresses ------------------------------------
    {
        let u = g.new_eenheid();
        let ingang = d(2020, 10, 1);
        let hh = g.new_household(u);
        let t = g.person(hh, NameSpec::default(), (1965, 1998), d(2020, 8, 10));
        let c = g.new_contract(u, ingang, None);
        g.rol(&c, t, "HUU");
        let e1 = g.add_email(t, Some("example.org"));
        let e2 = g.add_email(t, Some("example.net"));
        let phone = g.phone();
        g.e.people[t].phone = Some(phone);
        g.contact_rows(t);
        g.adres_of_eenheid(t, u, ingang, None);
        g.woningnet(t, Some((u, ingang)), 1);
        g.contractant_extras(t, &c, ingang, None);
        g.crm_for(t, ingang);
        let kn = g.e.people[t].klantnummer.clone();
        g.contactmoment(None, Some(e2.clone()), d(2019, 11, 4), 0);
        g.contactmoment(Some(kn.clone()), Some(e1.clone()), d(2023, 2, 14), 2);
        g.klacht(None, Some(e2.clone()), d(2024, 6, 3));
        g.mail_thread(t, &e1, ingang, None);
        // Windows-1252 quoted-printable with € and curly quotes, from the 2nd address
        let when = g.office_time(d(2025, 12, 1));
        let text = g.letter(
            t,
            "Op mijn afschrift staat \u{201c}servicekosten\u{201d} van € 25,00 extra. Waar is dat voor?",
            None,
        );
        let me2 = g.mailbox_of(t, &e2);
        g.push_message(
            when,
            me2,
            vec![Gen::ks()],
            vec![],
            None,
            "Vraag over servicekosten – € 25,00".into(),
            Part::Text {
                html: false,
                text,
                charset: Charset::Cp1252,
                cte: Cte::QuotedPrintable,
            },
        );
        g.cc_message(t, &e2, d(2026, 2, 9));
        g.kwh_row(Some(t), Some(c.clone()), ingang);
        g.decoy_message(t, d(2026, 4, 8));
        g.e.stories.push(StorySpec {
            story: "two-emails",
            description: "Has two e-mail addresses (both in contactgegeven); CRM rows before becoming a customer carry only the second address; mail from both, once only in Cc; a Windows-1252 quoted-printable body with an RFC 2047 subject.".into(),
            person: t,
        });
    }

    // ---- story 5: no WoningNet ---------------------------------------------
    {
        let u = g.new_eenheid();
        let ingang = d(2017, 1, 1);
        let hh = g.new_household(u);
        let n = g.person(hh, NameSpec::default(), (1950, 1990), d(2016, 11, 21));
        let c = g.new_contract(u, ingang, None);
        g.rol(&c, n, "HUU");
        let email = g.add_email(n, None);
        g.contact_rows(n);
        g.adres_of_eenheid(n, u, ingang, None);
        g.contractant_extras(n, &c, ingang, None);
        g.crm_for(n, ingang);
        let x = g.e.people[n].clone();
        // plain text with a body line starting "From " and one starting ">From "
        let when = g.office_time(d(2024, 10, 7));
        let text = format!(
            "Beste klantenservice,\n\nIk ga binnenkort verhuizen.\nFrom 1 november ben ik bereikbaar op mijn nieuwe telefoonnummer.\n>From de vorige brief begreep ik dat ik moet opzeggen.\nMijn klantnummer is {}.\n\nMet vriendelijke groet,\n{}\n",
            x.klantnummer,
            x.full_name()
        );
        let me = g.mailbox_of(n, &email);
        g.push_message(
            when,
            me.clone(),
            vec![Gen::ks()],
            vec![],
            None,
            "Verhuizing".into(),
            Part::Text {
                html: false,
                text,
                charset: Charset::Utf8,
                cte: Cte::EightBit,
            },
        );
        // multipart/mixed with a small PDF attachment
        let when = g.office_time(d(2025, 1, 15));
        let text = g.letter(
            n,
            "In de bijlage stuur ik mijn inkomensverklaring.",
            Some(format!("Contractnummer: {c}")),
        );
        g.push_message(
            when,
            me,
            vec![Gen::ks()],
            vec![],
            None,
            "Inkomensverklaring".into(),
            Part::Multipart {
                subtype: "mixed",
                parts: vec![
                    Part::Text {
                        html: false,
                        text,
                        charset: Charset::Utf8,
                        cte: Cte::EightBit,
                    },
                    Part::Attachment {
                        mime: "application/pdf",
                        filename: "inkomensverklaring.pdf".into(),
                        data: fake_pdf(),
                    },
                ],
            },
        );
        // via the web form: From the form address, Reply-To the tenant
        let when = g.office_time(d(2026, 6, 22));
        let text = format!(
            "Webformulier contact\n\nNaam: {}\nVraag: Wanneer wordt de tuin gesnoeid?\n",
            x.full_name()
        );
        g.push_message(
            when,
            Mailbox::new(
                Some("Webformulier"),
                "webformulier@woonstichting.example.org",
            ),
            vec![Gen::ks()],
            vec![],
            Some(g.mailbox_of(n, &email)),
            "Webformulier: vraag".into(),
            Part::Text {
                html: false,
                text,
                charset: Charset::Utf8,
                cte: Cte::EightBit,
            },
        );
        g.decoy_message(n, d(2026, 7, 1));
        g.e.stories.push(StorySpec {
            story: "no-woningnet",
            description: "Has no WoningNet registration (woningnet_registratienummer NULL): WoningNet yields nothing. Mail has a body line starting \"From \" (mboxrd-escaped), a PDF attachment and a web-form message with the address only in Reply-To.".into(),
            person: n,
        });
    }

    // ---- story 6/7: shared e-mail address ---------------------------------
    {
        let u = g.new_eenheid();
        let ingang = d(2018, 5, 1);
        let hh = g.new_household(u);
        let p = g.person(hh, NameSpec::default(), (1960, 1980), d(2018, 3, 12));
        let q = g.person(
            hh,
            NameSpec {
                surname_of: Some(p),
                ..NameSpec::default()
            },
            (1995, 2003),
            d(2018, 3, 12),
        );
        let c = g.new_contract(u, ingang, None);
        g.rol(&c, p, "HUU");
        let personal = g.add_email(p, None);
        let surname = fold(&g.e.people[p].surname_with_tv());
        let mut n = 0;
        let shared = g.unique(|_| {
            n += 1;
            if n == 1 {
                format!("fam.{surname}@example.com")
            } else {
                format!("fam.{surname}{n}@example.com")
            }
        });
        g.e.people[p].emails.push(shared.clone());
        g.e.people[q].emails.push(shared.clone());
        let phone = g.phone();
        g.e.people[p].phone = Some(phone);
        g.contact_rows(p);
        g.contact_rows(q);
        g.adres_of_eenheid(p, u, ingang, None);
        g.adres_of_eenheid(q, u, ingang, None);
        g.woningnet(p, Some((u, ingang)), 2);
        g.woningnet(q, None, 1);
        g.contractant_extras(p, &c, ingang, None);
        g.crm_for(p, ingang);
        let (kp, kq) = (
            g.e.people[p].klantnummer.clone(),
            g.e.people[q].klantnummer.clone(),
        );
        // CRM: ambiguous, P's, Q's
        g.contactmoment(None, Some(shared.clone()), d(2024, 3, 5), 4);
        g.contactmoment(Some(kp.clone()), Some(shared.clone()), d(2024, 9, 18), 0);
        g.contactmoment(Some(kq.clone()), Some(shared.clone()), d(2025, 1, 9), 6);
        g.contactmoment(Some(kq.clone()), None, d(2025, 8, 27), 3);
        g.klacht(None, Some(shared.clone()), d(2025, 4, 2));
        g.notitie(
            Some(kq.clone()),
            d(2025, 8, 27),
            "Inwonende zoon/dochter belde zelf over de sleutel van de berging.",
        );
        let family = Mailbox::new(
            Some(&format!("Familie {}", g.e.people[p].surname_with_tv())),
            &shared,
        );
        // mail: ambiguous
        let when = g.office_time(d(2024, 3, 4));
        g.push_message(when, family.clone(), vec![Gen::ks()], vec![], None, "Vraag over de huur".into(),
            Part::Text { html: false, text: "Beste klantenservice,\n\nWanneer wordt de huur dit jaar verhoogd?\n\nGroet,\nFamilie\n".into(), charset: Charset::Utf8, cte: Cte::EightBit });
        let when = g.office_time(d(2024, 3, 6));
        g.push_message(when, Gen::ks(), vec![family.clone()], vec![], None, "Re: Vraag over de huur".into(),
            alternative("Beste bewoners,\n\nDe huur wordt per 1 juli aangepast. U ontvangt vooraf een brief.\n\nMet vriendelijke groet,\n\nIlse\nKlantenservice Woonstichting Voorbeeld\n".into()));
        // P's (klantnummer in subject), Q's (klantnummer in body)
        let when = g.office_time(d(2024, 9, 17));
        let text = g.letter(p, "Wij willen graag een tweede parkeervergunning.", None);
        g.push_message(
            when,
            family.clone(),
            vec![Gen::ks()],
            vec![],
            None,
            format!("Parkeervergunning klantnummer {kp}"),
            Part::Text {
                html: false,
                text,
                charset: Charset::Utf8,
                cte: Cte::EightBit,
            },
        );
        let when = g.office_time(d(2025, 1, 8));
        let text = g.letter(
            q,
            "Ik ben de sleutel van de berging kwijt.",
            Some(format!("Mijn klantnummer is {kq}.")),
        );
        g.push_message(
            when,
            family,
            vec![Gen::ks()],
            vec![],
            None,
            "Sleutel berging".into(),
            Part::Text {
                html: false,
                text,
                charset: Charset::Latin1,
                cte: Cte::QuotedPrintable,
            },
        );
        g.mail_thread(p, &personal, ingang, None);
        g.kwh_row(Some(p), Some(c.clone()), ingang);
        g.decoy_message(p, d(2025, 10, 10));
        g.e.stories.push(StorySpec {
            story: "shared-email",
            description: "Shares an e-mail address with a household member (both list it in contactgegeven); CRM rows and mail only under the shared address are ambiguous (review); has a personal address and klantnummer-bearing items.".into(),
            person: p,
        });
        g.e.stories.push(StorySpec {
            story: "shared-email-member",
            description: "The household member of the shared-email story: no contract, no personal e-mail address; owns only klantnummer-bearing items; the shared-address items are review items.".into(),
            person: q,
        });
    }

    // ---- ordinary households --------------------------------------------------
    while g.e.households.len() < tenants {
        g.ordinary_household(None);
    }

    // ---- people who are not customers -------------------------------------
    for _ in 0..(tenants / 3).max(3) {
        // WoningNet registrations of non-customers
        let nr = g.woningnet_nr();
        let (v, _) = *g.rng.pick(FIRST_NAMES);
        let s = g.rng.pick(SURNAMES).to_string();
        let born = g.date_between(d(1950, 1, 1), d(2006, 12, 31));
        let inschrijf = g.date_between(d(2015, 1, 1), d(2026, 9, 30));
        let mut verleng = inschrijf;
        while let Some(next) = verleng.checked_add_months(Months::new(12)) {
            if next > peildatum() {
                break;
            }
            verleng = next;
        }
        let wijk = g.rng.pick(WIJKEN).to_string();
        g.e.inschrijvingen.push(Inschrijving {
            registratienummer: nr.clone(),
            voornamen: v.to_string(),
            achternaam: s,
            geboortedatum: born.to_string(),
            inschrijfdatum: inschrijf.to_string(),
            verlengdatum: verleng.to_string(),
            zoekprofiel: Zoekprofiel {
                huishoudgrootte: g.rng.range(1, 5) as u32,
                inkomenscategorie: "tot huurtoeslaggrens".into(),
                gewenste_wijken: vec![wijk],
                voorrang: false,
            },
        });
        if g.rng.chance(60) {
            let date = g.date_between(inschrijf, peildatum());
            let (pc, city) = g.postcode(false);
            let adres = format!(
                "{} {}, {pc} {city}",
                g.rng.pick(STREETS),
                g.rng.range(1, 200)
            );
            g.reactie(&nr, adres, date, "niet geselecteerd".into());
        }
    }
    let story_names: BTreeSet<String> =
        g.e.stories
            .iter()
            .map(|s| super::stories::normalise_name(&g.e.people[s.person].full_name()))
            .collect();
    for _ in 0..(tenants / 4).max(6) {
        // signaleringen of people who are not tenants here
        let (v, _) = *g.rng.pick(FIRST_NAMES);
        let (tv, s) = if g.rng.chance(30) {
            let (tv, s) = *g.rng.pick(TV_SURNAMES);
            (tv.to_string(), s.to_string())
        } else {
            (String::new(), g.rng.pick(DIACRITIC_SURNAMES).to_string())
        };
        if story_names.contains(&super::stories::normalise_name(&format!("{v} {tv} {s}"))) {
            continue;
        }
        let born = g.date_between(d(1950, 1, 1), d(2004, 12, 31));
        let ng = g.rng.chance(30);
        let (pc, _) = g.postcode(ng);
        let ingang = g.date_between(d(2016, 1, 1), d(2026, 9, 30));
        let years = if g.rng.chance(20) { 60 } else { 36 };
        let eind = ingang.checked_add_months(Months::new(years)).expect("date");
        let status = if eind > peildatum() {
            if g.rng.chance(85) {
                "actief"
            } else {
                "passief"
            }
        } else {
            "vervallen"
        };
        let (cat, oms) = *g.rng.pick(SIGNALERING_CATEGORIES);
        let oms = if g.rng.chance(20) {
            format!("{oms}; zie dossier.\nAfspraak: geen nieuwe woning binnen de termijn.")
        } else {
            oms.to_string()
        };
        let nr = g.signalering_nr(ingang.year());
        let huisnummer = g.rng.range(1, 150).to_string();
        let corporatie = g.rng.pick(CORPORATIES).to_string();
        g.signalering_row(SignaleringRow {
            registratienummer: nr,
            voornamen: v.to_string(),
            tussenvoegsel: tv,
            achternaam: s,
            geboortedatum: born,
            postcode: pc,
            huisnummer,
            corporatie,
            categorie: cat.to_string(),
            omschrijving: oms,
            ingangsdatum: ingang,
            einddatum: Some(eind),
            status: status.to_string(),
        });
    }
    for _ in 0..(tenants / 5).max(3) {
        // prospects: CRM and mail with only an e-mail address
        let (v, _) = *g.rng.pick(FIRST_NAMES);
        let s = *g.rng.pick(SURNAMES);
        let email = g.email_for(v, s, Some("example.net"));
        let date = g.date_between(d(2015, 1, 1), peildatum());
        let topic = g.rng.below(TENANT_TOPICS.len() as u64) as usize;
        g.contactmoment(None, Some(email.clone()), date, topic);
        if g.rng.chance(50) {
            let when = g.office_time(date);
            let text = format!("Beste klantenservice,\n\nHoe kan ik mij inschrijven voor een woning?\n\nGroet,\n{v} {s}\n");
            let body = g.random_text_part(text);
            g.push_message(
                when,
                Mailbox::new(Some(&format!("{v} {s}")), &email),
                vec![Gen::ks()],
                vec![],
                None,
                "Inschrijven voor een woning".into(),
                body,
            );
        }
    }
    for _ in 0..(tenants / 8).max(3) {
        let date = g.date_between(d(2015, 1, 1), peildatum());
        g.internal_message(date);
    }
    for _ in 0..(tenants / 10).max(2) {
        g.kwh_row(None, None, d(2020, 1, 1));
    }

    // Free texts that mention other people, planted last so that nothing
    // generated before changes.
    super::planted::plant(&mut g);

    // archive order: by date, then id
    g.e.messages
        .sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    g.e
}

fn old_unit_after(g: &Gen) -> usize {
    // the mover's old unit is the eenheid of the ended contract
    let mover =
        g.e.stories
            .iter()
            .find(|s| s.story == "mover")
            .expect("mover");
    let kn = &g.e.people[mover.person].klantnummer;
    let ended =
        g.e.rollen
            .iter()
            .filter(|r| &r.klantnummer == kn)
            .filter_map(|r| {
                g.e.contracts
                    .iter()
                    .find(|c| c.contractnummer == r.contractnummer)
            })
            .find(|c| c.einddatum.is_some())
            .expect("old contract");
    ended.eenheid
}

/// Upper case without diacritics ("Zoë" → "ZOE").
fn fold_upper(s: &str) -> String {
    super::stories::strip_diacritics(s).to_uppercase()
}
