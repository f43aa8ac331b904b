//! A corporation-size estate for benchmarks: the fixture estate built with
//! enough households for the wanted number of relaties, then topped up with
//! the records a large corporation's other systems hold on top of that (more
//! contactmomenten per customer, WoningNet registrations and signaleringen
//! of people who are not customers, more survey answers), all synthetic and
//! deterministic per seed.
//!
//! ```no_run
//! use inzage_testkit::estate::corporation::{build_corporation, CorporationConfig};
//! let estate = build_corporation(&CorporationConfig::default());
//! assert!(estate.people.len() >= 100_000);
//! ```

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};

use super::model::{
    peildatum, Contactmoment, Estate, Inschrijving, KwhRow, Reactie, SignaleringRow, Zoekprofiel,
};
use super::rng::Rng;
use super::vocab::{
    CORPORATIES, FIRST_NAMES, POSTCODE_LETTERS, SIGNALERING_CATEGORIES, SURNAMES, TENANT_TOPICS,
    TV_SURNAMES, WIJKEN,
};
use super::EstateConfig;

/// The sizes of a corporation-size estate. Each is a minimum: the fixture
/// generator's own records count towards it, the rest is topped up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorporationConfig {
    /// PRNG seed.
    pub seed: u64,
    /// Relaties in the ERP (tenants, co-tenants, household members).
    pub relaties: usize,
    /// CRM contactmomenten.
    pub contactmomenten: usize,
    /// WoningNet inschrijvingen.
    pub inschrijvingen: usize,
    /// Rows of the signalering CSV export.
    pub signaleringen: usize,
    /// Rows of the KWH survey workbook.
    pub kwh: usize,
}

impl Default for CorporationConfig {
    /// The benchmark's corporation (issue 12): 100,000 relaties, 1,000,000
    /// contactmomenten, 200,000 inschrijvingen, 100,000 signaleringen and
    /// 50,000 survey answers.
    fn default() -> Self {
        CorporationConfig {
            seed: 7,
            relaties: 100_000,
            contactmomenten: 1_000_000,
            inschrijvingen: 200_000,
            signaleringen: 100_000,
            kwh: 50_000,
        }
    }
}

/// Relaties per household the fixture generator makes, a little low, so
/// that the estimate of households never falls short by much.
const RELATIES_PER_HOUSEHOLD: f64 = 1.70;

/// Builds the estate (no I/O): the fixture generator, then the top-ups.
pub fn build_corporation(config: &CorporationConfig) -> Estate {
    let mut households =
        ((config.relaties as f64 / RELATIES_PER_HOUSEHOLD) as usize).max(super::MIN_TENANTS);
    let mut estate = super::build(&EstateConfig {
        seed: config.seed,
        tenants: households,
    });
    // the estimate can fall short by a few percent: build again, larger
    while estate.people.len() < config.relaties {
        let missing = config.relaties - estate.people.len();
        households += (missing as f64 / RELATIES_PER_HOUSEHOLD) as usize + 1;
        estate = super::build(&EstateConfig {
            seed: config.seed,
            tenants: households,
        });
    }
    let mut top = TopUp::new(&estate, config.seed);
    top.contactmomenten(&mut estate, config.contactmomenten);
    top.inschrijvingen(&mut estate, config.inschrijvingen);
    top.signaleringen(&mut estate, config.signaleringen);
    top.kwh(&mut estate, config.kwh);
    estate
}

/// Generates the extra records, with identifiers that never collide with
/// the fixture generator's.
struct TopUp {
    rng: Rng,
    woningnet_used: HashSet<String>,
    /// People who hold a contract (HUU or MDH): they answer surveys.
    contractants: Vec<(usize, String)>,
    next: u64,
}

impl TopUp {
    fn new(e: &Estate, seed: u64) -> Self {
        let by_klantnummer: std::collections::HashMap<&str, usize> = e
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.klantnummer.as_str(), i))
            .collect();
        let contractants = e
            .rollen
            .iter()
            .filter_map(|r| {
                by_klantnummer
                    .get(r.klantnummer.as_str())
                    .map(|&i| (i, r.contractnummer.clone()))
            })
            .collect();
        TopUp {
            rng: Rng::new(seed ^ 0x636f_7270_6f72_6174),
            woningnet_used: e
                .inschrijvingen
                .iter()
                .map(|i| i.registratienummer.clone())
                .collect(),
            contractants,
            next: 0,
        }
    }

    fn date_between(&mut self, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
        let days = (hi - lo).num_days().max(0) as u64;
        lo + Duration::days(self.rng.below(days + 1) as i64)
    }

    /// A GUID-shaped id, unique by its counter (the fixture generator's are
    /// random; the `c0` prefix of the last group keeps them apart).
    fn guid(&mut self) -> String {
        self.next += 1;
        format!(
            "{}-{}-4{}-8{}-c0{:010x}",
            self.rng.hex(8),
            self.rng.hex(4),
            self.rng.hex(3),
            self.rng.hex(3),
            self.next
        )
    }

    /// More contact moments for existing customers, until `target`.
    fn contactmomenten(&mut self, e: &mut Estate, target: usize) {
        let people = e.people.len() as u64;
        while e.contactmomenten.len() < target {
            let p = &e.people[self.rng.below(people) as usize];
            let email = if self.rng.chance(70) {
                p.emails.first().cloned()
            } else {
                None
            };
            let kn = p.klantnummer.clone();
            let from = p.aangemaakt.date().min(peildatum());
            let date = self.date_between(from, peildatum());
            let secs = self.rng.range(8 * 3600, 17 * 3600) as u32;
            let when = date.and_hms_opt(secs / 3600, secs / 60 % 60, secs % 60);
            let kanaal = if email.is_some() && self.rng.chance(40) {
                "e-mail"
            } else {
                *self
                    .rng
                    .pick(&["telefoon", "balie", "whatsapp", "telefoon"])
            };
            let richting = *self.rng.pick(&["inkomend", "inkomend", "uitgaand"]);
            let (onderwerp, zin) = *self.rng.pick(TENANT_TOPICS);
            let contactmomentid = self.guid();
            e.contactmomenten.push(Contactmoment {
                contactmomentid,
                klantnummer: Some(kn),
                emailadres: email,
                datum: when
                    .map(|w| w.format("%Y-%m-%dT%H:%M:%S").to_string())
                    .unwrap_or_default(),
                kanaal: kanaal.to_string(),
                richting: richting.to_string(),
                onderwerp: onderwerp.to_string(),
                notitie: format!("Huurder meldt: {zin} Afgehandeld door klantenservice."),
            });
        }
    }

    fn woningnet_nr(&mut self) -> String {
        loop {
            let nr = format!("4{:08}", self.rng.below(100_000_000));
            if self.woningnet_used.insert(nr.clone()) {
                return nr;
            }
        }
    }

    /// Registrations of people looking for a home who are not customers
    /// (with a reactie for 60 % of them), until `target`.
    fn inschrijvingen(&mut self, e: &mut Estate, target: usize) {
        while e.inschrijvingen.len() < target {
            let nr = self.woningnet_nr();
            let (v, _) = *self.rng.pick(FIRST_NAMES);
            let s = *self.rng.pick(SURNAMES);
            let born = self.date_between(d(1950, 1, 1), d(2006, 12, 31));
            let inschrijf = self.date_between(d(2015, 1, 1), d(2026, 9, 30));
            let mut verleng = inschrijf;
            while let Some(next) = verleng.checked_add_months(chrono::Months::new(12)) {
                if next > peildatum() {
                    break;
                }
                verleng = next;
            }
            let wijk = *self.rng.pick(WIJKEN);
            e.inschrijvingen.push(Inschrijving {
                registratienummer: nr.clone(),
                voornamen: v.to_string(),
                achternaam: s.to_string(),
                geboortedatum: born.to_string(),
                inschrijfdatum: inschrijf.to_string(),
                verlengdatum: verleng.to_string(),
                zoekprofiel: Zoekprofiel {
                    huishoudgrootte: self.rng.range(1, 5) as u32,
                    inkomenscategorie: "tot huurtoeslaggrens".into(),
                    gewenste_wijken: vec![wijk.to_string()],
                    voorrang: false,
                },
            });
            if self.rng.chance(60) {
                let date = self.date_between(inschrijf, peildatum());
                self.next += 1;
                e.reacties.push(Reactie {
                    reactieid: format!("RCTC{}", self.next),
                    registratienummer: nr,
                    advertentienummer: format!(
                        "ADV{}{:04}",
                        chrono::Datelike::year(&date),
                        self.rng.below(10_000)
                    ),
                    adres: format!(
                        "Corporatieweg {}, {} Utrecht",
                        self.rng.range(1, 400),
                        self.postcode()
                    ),
                    datum: date.to_string(),
                    positie: self.rng.range(2, 400) as u32,
                    status: "niet geselecteerd".into(),
                });
            }
        }
    }

    fn postcode(&mut self) -> String {
        let n = self.rng.range(3430, 3585);
        let a = *self.rng.pick(POSTCODE_LETTERS) as char;
        let b = *self.rng.pick(POSTCODE_LETTERS) as char;
        format!("{n} {a}{b}")
    }

    /// Signaleringen of people elsewhere in the region, until `target`.
    fn signaleringen(&mut self, e: &mut Estate, target: usize) {
        while e.signaleringen.len() < target {
            let (v, _) = *self.rng.pick(FIRST_NAMES);
            let (tv, s) = if self.rng.chance(30) {
                let (tv, s) = *self.rng.pick(TV_SURNAMES);
                (tv.to_string(), s.to_string())
            } else {
                (String::new(), self.rng.pick(SURNAMES).to_string())
            };
            let born = self.date_between(d(1950, 1, 1), d(2004, 12, 31));
            let ingang = self.date_between(d(2016, 1, 1), d(2026, 9, 30));
            let eind = ingang
                .checked_add_months(chrono::Months::new(36))
                .unwrap_or(ingang);
            let status = if eind > peildatum() {
                "actief"
            } else {
                "vervallen"
            };
            let (cat, oms) = *self.rng.pick(SIGNALERING_CATEGORIES);
            self.next += 1;
            e.signaleringen.push(SignaleringRow {
                registratienummer: format!("SRC{:07}", self.next),
                voornamen: v.to_string(),
                tussenvoegsel: tv,
                achternaam: s,
                geboortedatum: born,
                postcode: self.postcode(),
                huisnummer: self.rng.range(1, 150).to_string(),
                corporatie: self.rng.pick(CORPORATIES).to_string(),
                categorie: cat.to_string(),
                omschrijving: oms.to_string(),
                ingangsdatum: ingang,
                einddatum: Some(eind),
                status: status.to_string(),
            });
        }
    }

    /// More survey answers of contractants, until `target`.
    fn kwh(&mut self, e: &mut Estate, target: usize) {
        if self.contractants.is_empty() {
            return;
        }
        while e.kwh.len() < target {
            let (p, contract) = self.rng.pick(&self.contractants).clone();
            let person = &e.people[p];
            let email = if self.rng.chance(60) {
                person.emails.first().cloned()
            } else {
                None
            };
            let klantnummer = Some(person.klantnummer.clone());
            let from = person.aangemaakt.date().min(peildatum());
            self.next += 1;
            let datum = self.date_between(from, peildatum());
            e.kwh.push(KwhRow {
                respondentnummer: format!("RC{}", self.next),
                klantnummer,
                contractnummer: Some(contract),
                datum,
                onderzoek: self
                    .rng
                    .pick(&["Nieuwe huurders", "Reparaties", "Contact"])
                    .to_string(),
                rapportcijfer: self.rng.range(30, 100) as f64 / 10.0,
                toelichting: self
                    .rng
                    .pick(&["Prima, geen opmerkingen.", "Snel geholpen.", ""])
                    .to_string(),
                email,
            });
        }
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> CorporationConfig {
        CorporationConfig {
            seed: 3,
            relaties: 300,
            contactmomenten: 5_000,
            inschrijvingen: 1_000,
            signaleringen: 700,
            kwh: 400,
        }
    }

    #[test]
    fn reaches_every_size_with_unique_keys() {
        let e = build_corporation(&small());
        assert!(e.people.len() >= 300, "{}", e.people.len());
        assert_eq!(e.contactmomenten.len(), 5_000);
        assert_eq!(e.inschrijvingen.len(), 1_000);
        assert_eq!(e.signaleringen.len(), 700);
        assert_eq!(e.kwh.len(), 400);
        let unique = |v: Vec<&String>| v.iter().collect::<HashSet<_>>().len() == v.len();
        assert!(unique(
            e.contactmomenten
                .iter()
                .map(|c| &c.contactmomentid)
                .collect()
        ));
        assert!(unique(
            e.inschrijvingen
                .iter()
                .map(|c| &c.registratienummer)
                .collect()
        ));
        assert!(unique(
            e.signaleringen
                .iter()
                .map(|c| &c.registratienummer)
                .collect()
        ));
        assert!(unique(e.kwh.iter().map(|c| &c.respondentnummer).collect()));
        assert!(unique(e.reacties.iter().map(|c| &c.reactieid).collect()));
        // every added contact moment belongs to a relatie of the ERP
        let customers: HashSet<&String> = e.people.iter().map(|p| &p.klantnummer).collect();
        assert!(e
            .contactmomenten
            .iter()
            .filter_map(|c| c.klantnummer.as_ref())
            .all(|k| customers.contains(k)));
    }

    #[test]
    fn same_seed_same_estate() {
        let a = build_corporation(&small());
        let b = build_corporation(&small());
        assert_eq!(
            a.contactmomenten.last().map(|c| &c.contactmomentid),
            b.contactmomenten.last().map(|c| &c.contactmomentid)
        );
        assert_eq!(a.kwh.len(), b.kwh.len());
    }
}
