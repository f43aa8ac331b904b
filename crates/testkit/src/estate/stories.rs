//! The test oracle: what each story tenant's bundle must (and must never)
//! contain, computed from the generator's ground truth by the matching rules
//! the connectors apply.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::model::*;
use super::rng::Rng;

/// `fixtures/stories.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoriesFile {
    pub seed: u64,
    pub tenants: usize,
    pub stories: Vec<Story>,
    /// Every value planted in a free text of the estate, with whose it is.
    pub planted: Vec<Planted>,
    /// Every generated person's full name, e-mail addresses, phone, IBAN
    /// and BSN: none of another person's may stand anywhere in a bundle.
    pub people: Vec<OtherPerson>,
}

/// One story tenant and what their bundle must contain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    pub story: String,
    pub description: String,
    pub klantnummer: String,
    pub contractnummers: Vec<String>,
    pub emails: Vec<String>,
    pub woningnet: Option<String>,
    /// source → dataset → record keys (sorted).
    pub expected: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    pub review: Vec<ReviewItem>,
    pub foreign_identifiers: Vec<String>,
    /// Values planted in the free texts of this person's records: what must
    /// be redacted (other people's), kept (their own, staff) or reviewed
    /// (a name the estate does not know).
    pub planted: PlantedLists,
}

/// The planted values of one story, by what must happen to them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlantedLists {
    pub redact: Vec<Planted>,
    pub keep: Vec<Planted>,
    pub review: Vec<Planted>,
}

/// Another generated person's personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OtherPerson {
    pub klantnummer: String,
    pub full_name: String,
    pub emails: Vec<String>,
    pub phone: Option<String>,
    pub iban: String,
    pub bsn: String,
}

/// A record that must be reported for review, never included as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub source: String,
    pub dataset: String,
    pub key: String,
    pub why: String,
}

/// Strips diacritics from Latin letters ("Zoë" → "Zoe").
pub fn strip_diacritics(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
            'ç' => 'c',
            'Ç' => 'C',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'È' | 'É' | 'Ê' | 'Ë' => 'E',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
            'ñ' => 'n',
            'Ñ' => 'N',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'O',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
            'ý' | 'ÿ' => 'y',
            'Ý' => 'Y',
            c => c,
        })
        .collect()
}

/// Lowercase, diacritics stripped, whitespace collapsed.
pub fn normalise_name(s: &str) -> String {
    strip_diacritics(s)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn normalise_postcode(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase()
}

/// Maximal runs of letters and digits: an identifier occurs in a text when
/// it equals one of these (not preceded or followed by a letter or digit).
pub fn tokens(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `ident` occurs in `text`: as a whole token when it is purely
/// alphanumeric, else as a case-insensitive substring.
pub fn mentions(text: &str, ident: &str) -> bool {
    if ident.chars().all(char::is_alphanumeric) {
        text.split(|c: char| !c.is_alphanumeric())
            .any(|t| t == ident)
    } else {
        text.to_lowercase().contains(&ident.to_lowercase())
    }
}

/// Who may be identified by what, across the whole estate.
struct Index {
    /// e-mail (lowercase) → people listing it.
    email_owners: BTreeMap<String, BTreeSet<usize>>,
    klantnummer: BTreeMap<String, usize>,
    /// contractnummer → contractants.
    contractants: BTreeMap<String, BTreeSet<usize>>,
}

impl Index {
    fn new(e: &Estate) -> Self {
        let mut email_owners: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        let mut klantnummer = BTreeMap::new();
        for (i, p) in e.people.iter().enumerate() {
            klantnummer.insert(p.klantnummer.clone(), i);
            for m in &p.emails {
                email_owners.entry(m.to_lowercase()).or_default().insert(i);
            }
        }
        let mut contractants: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for r in &e.rollen {
            contractants
                .entry(r.contractnummer.clone())
                .or_default()
                .insert(klantnummer[&r.klantnummer]);
        }
        Index {
            email_owners,
            klantnummer,
            contractants,
        }
    }

    fn shared(&self, email: &str) -> bool {
        self.email_owners
            .get(&email.to_lowercase())
            .is_some_and(|o| o.len() > 1)
    }

    /// The people a message belongs to by the mail rule.
    fn message_owners(&self, m: &Message) -> BTreeSet<usize> {
        let mut owners = BTreeSet::new();
        for a in m.addresses() {
            if let Some(o) = self.email_owners.get(&a) {
                if o.len() == 1 {
                    owners.extend(o);
                }
            }
        }
        for t in tokens(&m.text()) {
            if let Some(&p) = self.klantnummer.get(&t) {
                owners.insert(p);
            }
            if let Some(c) = self.contractants.get(&t) {
                if c.len() == 1 {
                    owners.extend(c);
                }
            }
        }
        owners
    }
}

fn ds(pairs: &[(&str, Vec<String>)]) -> BTreeMap<String, Vec<String>> {
    pairs
        .iter()
        .map(|(k, v)| {
            let mut v = v.clone();
            v.sort();
            v.dedup();
            (k.to_string(), v)
        })
        .collect()
}

/// Computes the oracle for every story tenant of `e`.
pub fn compute_stories(e: &Estate) -> StoriesFile {
    let idx = Index::new(e);
    let owners: Vec<BTreeSet<usize>> = e.messages.iter().map(|m| idx.message_owners(m)).collect();
    let stories = e
        .stories
        .iter()
        .enumerate()
        .map(|(si, s)| story(e, &idx, &owners, si, s))
        .collect();
    StoriesFile {
        seed: e.seed,
        tenants: e.tenants,
        stories,
        planted: e.planted.clone(),
        people: e
            .people
            .iter()
            .map(|o| OtherPerson {
                klantnummer: o.klantnummer.clone(),
                full_name: o.full_name(),
                emails: o.emails.clone(),
                phone: o.phone.clone(),
                iban: o.iban.clone(),
                bsn: o.bsn.clone(),
            })
            .collect(),
    }
}

fn story(e: &Estate, idx: &Index, owners: &[BTreeSet<usize>], si: usize, s: &StorySpec) -> Story {
    let pi = s.person;
    let p = &e.people[pi];
    let kn = &p.klantnummer;
    let emails_lc: Vec<String> = p.emails.iter().map(|m| m.to_lowercase()).collect();
    let unshared: BTreeSet<String> = emails_lc
        .iter()
        .filter(|m| !idx.shared(m))
        .cloned()
        .collect();
    let shared: BTreeSet<String> = emails_lc
        .iter()
        .filter(|m| idx.shared(m))
        .cloned()
        .collect();
    let contracts: Vec<String> = e
        .rollen
        .iter()
        .filter(|r| &r.klantnummer == kn)
        .map(|r| r.contractnummer.clone())
        .collect();
    let mut review = Vec::new();
    let mut expected = BTreeMap::new();

    // ERP
    expected.insert(
        "erp".to_string(),
        ds(&[
            ("Relatie", vec![kn.clone()]),
            (
                "Contactgegeven",
                e.contactgegevens
                    .iter()
                    .filter(|c| &c.klantnummer == kn)
                    .map(|c| c.id.to_string())
                    .collect(),
            ),
            (
                "RelatieAdres",
                e.adressen
                    .iter()
                    .filter(|a| &a.klantnummer == kn)
                    .map(|a| a.id.to_string())
                    .collect(),
            ),
            ("Huurovereenkomst", contracts.clone()),
            (
                "Huurbetaling",
                e.betalingen
                    .iter()
                    .filter(|b| contracts.contains(&b.contractnummer))
                    .map(|b| b.id.to_string())
                    .collect(),
            ),
            (
                "Inkomenstoets",
                e.inkomenstoetsen
                    .iter()
                    .filter(|t| &t.klantnummer == kn)
                    .map(|t| t.id.to_string())
                    .collect(),
            ),
            (
                "Onderhoudsverzoek",
                e.onderhoud
                    .iter()
                    .filter(|o| &o.klantnummer == kn)
                    .map(|o| o.id.to_string())
                    .collect(),
            ),
        ]),
    );

    // CRM
    let crm_match = |k: &Option<String>, m: &Option<String>| -> (bool, bool) {
        match (k, m) {
            (Some(k), _) => (k == kn, false),
            (None, Some(m)) => {
                let m = m.to_lowercase();
                (unshared.contains(&m), shared.contains(&m))
            }
            (None, None) => (false, false),
        }
    };
    let why_shared = "e-mail address shared with another person and no klantnummer";
    let mut cm = Vec::new();
    for c in &e.contactmomenten {
        match crm_match(&c.klantnummer, &c.emailadres) {
            (true, _) => cm.push(c.contactmomentid.clone()),
            (false, true) => review.push(ReviewItem {
                source: "crm".into(),
                dataset: "Contactmoment".into(),
                key: c.contactmomentid.clone(),
                why: why_shared.into(),
            }),
            _ => {}
        }
    }
    let mut kl = Vec::new();
    for c in &e.klachten {
        match crm_match(&c.klantnummer, &c.emailadres) {
            (true, _) => kl.push(c.klachtid.clone()),
            (false, true) => review.push(ReviewItem {
                source: "crm".into(),
                dataset: "Klacht".into(),
                key: c.klachtid.clone(),
                why: why_shared.into(),
            }),
            _ => {}
        }
    }
    let nt: Vec<String> = e
        .notities
        .iter()
        .filter(|n| n.klantnummer.as_ref() == Some(kn))
        .map(|n| n.notitieid.clone())
        .collect();
    expected.insert(
        "crm".to_string(),
        ds(&[("Contactmoment", cm), ("Klacht", kl), ("Notitie", nt)]),
    );

    // WoningNet
    let (ins, rea) = match &p.woningnet {
        Some(nr) => (
            e.inschrijvingen
                .iter()
                .filter(|i| &i.registratienummer == nr)
                .map(|i| i.registratienummer.clone())
                .collect(),
            e.reacties
                .iter()
                .filter(|r| &r.registratienummer == nr)
                .map(|r| r.reactieid.clone())
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    expected.insert(
        "woningnet".to_string(),
        ds(&[("Inschrijving", ins), ("Reactie", rea)]),
    );

    // mail
    let mut mails = Vec::new();
    for (m, o) in e.messages.iter().zip(owners) {
        if o.contains(&pi) {
            mails.push(m.id.clone());
        } else if o.is_empty() && m.addresses().iter().any(|a| shared.contains(a)) {
            review.push(ReviewItem {
                source: "mail".into(),
                dataset: "Bericht".into(),
                key: m.id.clone(),
                why: "only a shared e-mail address links this message to the person".into(),
            });
        }
    }
    expected.insert("mail".to_string(), ds(&[("Bericht", mails)]));

    // signalering
    let name = normalise_name(&p.full_name());
    let postcodes: BTreeSet<String> = e
        .adressen
        .iter()
        .filter(|a| &a.klantnummer == kn)
        .map(|a| normalise_postcode(&a.postcode))
        .collect();
    let mut sig = Vec::new();
    for r in &e.signaleringen {
        let rn = normalise_name(&format!(
            "{} {} {}",
            r.voornamen, r.tussenvoegsel, r.achternaam
        ));
        if rn == name && r.geboortedatum == p.geboortedatum {
            if postcodes.contains(&normalise_postcode(&r.postcode)) {
                sig.push(r.registratienummer.clone());
            } else {
                review.push(ReviewItem {
                    source: "signalering".into(),
                    dataset: "Signalering".into(),
                    key: r.registratienummer.clone(),
                    why:
                        "same name and birth date, postcode matches none of the person's addresses"
                            .into(),
                });
            }
        }
    }
    expected.insert("signalering".to_string(), ds(&[("Signalering", sig)]));

    // KWH
    let kwh: Vec<String> = e
        .kwh
        .iter()
        .filter(|r| r.klantnummer.as_ref() == Some(kn))
        .map(|r| r.respondentnummer.clone())
        .collect();
    expected.insert("kwh".to_string(), ds(&[("Enquete", kwh)]));

    Story {
        story: s.story.to_string(),
        description: s.description.clone(),
        klantnummer: kn.clone(),
        contractnummers: contracts.clone(),
        emails: p.emails.clone(),
        woningnet: p.woningnet.clone(),
        planted: planted_in(e, &expected),
        expected,
        review,
        foreign_identifiers: foreign(e, idx, si, pi, &contracts),
    }
}

/// The planted values in the records a story's bundle holds.
fn planted_in(
    e: &Estate,
    expected: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
) -> PlantedLists {
    let mut lists = PlantedLists::default();
    for p in &e.planted {
        let held = expected
            .get(&p.source)
            .and_then(|d| d.get(&p.dataset))
            .is_some_and(|keys| keys.contains(&p.key));
        if !held {
            continue;
        }
        match p.whose {
            Whose::Other => lists.redact.push(p.clone()),
            Whose::Subject | Whose::Staff => lists.keep.push(p.clone()),
            Whose::Unknown => lists.review.push(p.clone()),
        }
    }
    lists
}

/// Identifiers of other people that must never appear in the person's bundle:
/// household members, the next tenant of a unit the person left, and a few
/// other tenants chosen deterministically.
fn foreign(e: &Estate, idx: &Index, si: usize, pi: usize, contracts: &[String]) -> Vec<String> {
    let p = &e.people[pi];
    let mut others: Vec<usize> = e.households[p.household]
        .members
        .iter()
        .copied()
        .filter(|&o| o != pi)
        .collect();
    // later tenants of units the person rented
    let units: BTreeSet<usize> = e
        .contracts
        .iter()
        .filter(|c| contracts.contains(&c.contractnummer))
        .map(|c| c.eenheid)
        .collect();
    for c in &e.contracts {
        if units.contains(&c.eenheid) && !contracts.contains(&c.contractnummer) {
            others.extend(
                idx.contractants
                    .get(&c.contractnummer)
                    .into_iter()
                    .flatten(),
            );
        }
    }
    let mut rng = Rng::new(e.seed ^ (si as u64 + 1).wrapping_mul(0x9E37_79B9));
    for _ in 0..3 {
        others.push(rng.below(e.people.len() as u64) as usize);
    }
    let own_name = normalise_name(&p.full_name());
    let own: BTreeSet<String> = p
        .emails
        .iter()
        .map(|m| m.to_lowercase())
        .chain(std::iter::once(p.klantnummer.to_lowercase()))
        .chain(contracts.iter().map(|c| c.to_lowercase()))
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !own.contains(&s.to_lowercase()) && !out.contains(&s) {
            out.push(s);
        }
    };
    for o in others {
        if o == pi {
            continue;
        }
        let x = &e.people[o];
        push(x.klantnummer.clone());
        for m in &x.emails {
            push(m.clone());
        }
        if normalise_name(&x.full_name()) != own_name {
            push(x.full_name());
        }
        for r in e.rollen.iter().filter(|r| r.klantnummer == x.klantnummer) {
            push(r.contractnummer.clone());
        }
    }
    out
}

/// Text of every record, keyed by (source, dataset, key): what a bundle would
/// show of it. Used to check that no foreign identifier leaks into a story's
/// expected records.
pub fn record_texts(e: &Estate) -> BTreeMap<(String, String, String), String> {
    let mut m = BTreeMap::new();
    let mut put = |s: &str, d: &str, k: String, t: String| {
        m.insert((s.to_string(), d.to_string(), k), t);
    };
    for p in &e.people {
        put(
            "erp",
            "Relatie",
            p.klantnummer.clone(),
            format!(
                "{} {} {} {} {}",
                p.klantnummer,
                p.full_name(),
                p.geboortedatum,
                p.iban,
                p.woningnet.clone().unwrap_or_default()
            ),
        );
    }
    for c in &e.contactgegevens {
        put(
            "erp",
            "Contactgegeven",
            c.id.to_string(),
            format!("{} {} {}", c.klantnummer, c.soort, c.waarde),
        );
    }
    for a in &e.adressen {
        put(
            "erp",
            "RelatieAdres",
            a.id.to_string(),
            format!(
                "{} {} {} {} {}",
                a.klantnummer, a.straat, a.huisnummer, a.postcode, a.woonplaats
            ),
        );
    }
    for c in &e.contracts {
        let u = &e.eenheden[c.eenheid];
        put(
            "erp",
            "Huurovereenkomst",
            c.contractnummer.clone(),
            format!(
                "{} {} {} {}",
                c.contractnummer, u.eenheid_id, u.straat, u.huisnummer
            ),
        );
    }
    for b in &e.betalingen {
        put(
            "erp",
            "Huurbetaling",
            b.id.to_string(),
            format!("{} {} {}", b.contractnummer, b.datum, b.omschrijving),
        );
    }
    for t in &e.inkomenstoetsen {
        put(
            "erp",
            "Inkomenstoets",
            t.id.to_string(),
            format!("{} {} {}", t.klantnummer, t.inkomenscategorie, t.bron),
        );
    }
    for o in &e.onderhoud {
        put(
            "erp",
            "Onderhoudsverzoek",
            o.id.to_string(),
            format!("{} {} {}", o.contractnummer, o.klantnummer, o.omschrijving),
        );
    }
    for c in &e.contactmomenten {
        put(
            "crm",
            "Contactmoment",
            c.contactmomentid.clone(),
            serde_json::to_string(c).unwrap_or_default(),
        );
    }
    for c in &e.klachten {
        put(
            "crm",
            "Klacht",
            c.klachtid.clone(),
            serde_json::to_string(c).unwrap_or_default(),
        );
    }
    for c in &e.notities {
        put(
            "crm",
            "Notitie",
            c.notitieid.clone(),
            serde_json::to_string(c).unwrap_or_default(),
        );
    }
    for i in &e.inschrijvingen {
        put(
            "woningnet",
            "Inschrijving",
            i.registratienummer.clone(),
            serde_json::to_string(i).unwrap_or_default(),
        );
    }
    for r in &e.reacties {
        put(
            "woningnet",
            "Reactie",
            r.reactieid.clone(),
            serde_json::to_string(r).unwrap_or_default(),
        );
    }
    for msg in &e.messages {
        let mut t = String::new();
        for mb in std::iter::once(&msg.from)
            .chain(&msg.to)
            .chain(&msg.cc)
            .chain(&msg.reply_to)
        {
            t.push_str(&format!(
                "{} <{}>\n",
                mb.name.clone().unwrap_or_default(),
                mb.addr
            ));
        }
        t.push_str(&msg.text());
        put("mail", "Bericht", msg.id.clone(), t);
    }
    for r in &e.signaleringen {
        put(
            "signalering",
            "Signalering",
            r.registratienummer.clone(),
            format!(
                "{} {} {} {} {} {} {}",
                r.registratienummer,
                r.voornamen,
                r.tussenvoegsel,
                r.achternaam,
                r.postcode,
                r.categorie,
                r.omschrijving
            ),
        );
    }
    for r in &e.kwh {
        put(
            "kwh",
            "Enquete",
            r.respondentnummer.clone(),
            format!(
                "{} {} {} {} {}",
                r.respondentnummer,
                r.klantnummer.clone().unwrap_or_default(),
                r.contractnummer.clone().unwrap_or_default(),
                r.toelichting,
                r.email.clone().unwrap_or_default()
            ),
        );
    }
    m
}

/// `fixtures/README.md`, generated so that it always matches the data.
pub fn readme(sf: &StoriesFile) -> String {
    let mut s = String::new();
    s.push_str("# The fixture estate\n\n");
    s.push_str("Everything in this directory except `expected/` is generated by the\n`inzage-estate` binary of the `inzage-testkit` crate. Do not edit by hand:\n\n");
    s.push_str(&format!(
        "```sh\ncargo run -p inzage-testkit --bin inzage-estate -- --seed {} --tenants {} --out fixtures\n```\n\n",
        sf.seed, sf.tenants
    ));
    s.push_str("The generator is deterministic: it uses its own SplitMix64 PRNG seeded with\n`--seed`, never reads the clock (the reference date is 2026-10-31), and writes\nin a fixed order, so the same seed and tenant count give byte-identical files\n(including the xlsx, whose document properties and creation time are fixed).\n`--tenants` is the number of households (contracts); co-tenants and household\nmembers are extra relaties. The same code scales to large estates for\nbenchmarks (`--tenants 20000 --out bench/out/estate`).\n\n");
    s.push_str("All people are synthetic: names are random combinations of common Dutch\nfirst names, tussenvoegsels and surnames (some with diacritics, so\nWindows-1252 matters); streets are fictional; postcodes lie in the Utrecht\n(3511–3585) and Nieuwegein (3430–3439) ranges; e-mail addresses are only under\nexample.org/.com/.net; BSNs are 9999xxxxx and pass the elfproef; IBANs use\nthe fictional bank code XMPL.\n\n");
    s.push_str("## Story tenants\n\n`stories.json` is the test oracle, computed from the generator's ground truth\n(not by parsing these files) with the matching rules of the connectors. For every\nstory it lists the expected record keys per source and dataset, the review items\n(never data in the bundle) and foreign identifiers (other people's klantnummers,\ne-mail addresses, contract numbers and names that must never appear in the bundle).\n\n");
    s.push_str("| story | klantnummer | contracts | what makes it special |\n|---|---|---|---|\n");
    for st in &sf.stories {
        s.push_str(&format!(
            "| `{}` | `{}` | {} | {} |\n",
            st.story,
            st.klantnummer,
            if st.contractnummers.is_empty() {
                "–".to_string()
            } else {
                st.contractnummers
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            st.description.replace('|', "\\|")
        ));
    }
    s.push_str("\nMatching rules behind `expected`:\n\n");
    s.push_str("- **erp**: `Relatie` [klantnummer], `Contactgegeven`, `RelatieAdres`, `Inkomenstoets`, `Onderhoudsverzoek` [id] by klantnummer; `Huurovereenkomst` [contractnummer] where the person has a relatierol; `Huurbetaling` [id] on those contracts.\n");
    s.push_str("- **crm**: `Contactmoment`, `Klacht`, `Notitie` whose klantnummer is the person's, or whose klantnummer is null and e-mail address is one of the person's addresses not shared with anyone else (null klantnummer + shared address ⇒ review).\n");
    s.push_str("- **woningnet**: `Inschrijving`, `Reactie` by registratienummer.\n");
    s.push_str("- **mail**: `Bericht` [Message-ID without brackets] when an unshared address of the person is in From/To/Cc/Reply-To, or the klantnummer or a single-contractant contract number appears as a whole token (not preceded or followed by a letter or digit) in the subject or decoded text (including forwarded messages; attachments excluded). A message linked only by a shared address ⇒ review. Decoys such as `referentie <klantnummer><digit>` match nobody.\n");
    s.push_str("- **signalering**: `Signalering` [Registratienummer] when the normalised full name (lowercase, diacritics stripped, whitespace collapsed, tussenvoegsel + achternaam joined), the birth date and the postcode of one of the person's addresses (current or past) all match; name + birth date with another postcode ⇒ review.\n");
    s.push_str("- **kwh**: `Enquete` [Respondentnummer] by Klantnummer.\n\n");
    s.push_str("## Files and formats\n\n");
    s.push_str("| file | source | format |\n|---|---|---|\n");
    s.push_str("| `erp/erp.sql` | housing ERP | portable SQL (SQLite and PostgreSQL): `BEGIN; CREATE TABLE …; INSERT INTO … VALUES …; COMMIT;` Tables `relatie`, `contactgegeven`, `relatie_adres`, `eenheid`, `huurovereenkomst`, `relatierol` (HUU/MDH), `huurbetaling`, `inkomenstoets`, `onderhoudsverzoek`. Dates `'YYYY-MM-DD'`, timestamps `'YYYY-MM-DD HH:MM:SS'`, money NUMERIC. Household members without a contract are relaties without a relatierol. |\n");
    s.push_str("| `erp/erp.sqlite` | housing ERP | the same data as a SQLite database, loaded from `erp.sql` by the generator: what the `erp` connector reads (opened read-only). The tests load `erp.sql` into PostgreSQL as well. |\n");
    s.push_str("| `crm/contactmomenten.json`, `crm/klachten.json`, `crm/notities.json` | CRM (served over OData) | JSON arrays; ids are GUID-like (`contactmomentid`, `notitieid`) or `KLA…` (`klachtid`); `klantnummer` may be null (contact before becoming a customer), `datum` ISO datetime. |\n");
    s.push_str("| `woningnet/inschrijvingen.json`, `woningnet/reacties.json` | WoningNet REST | JSON arrays; inschrijving with `zoekprofiel` object; reactie with `positie` and `status`. |\n");
    s.push_str("| `mail/archive.mbox` | mail archive | mboxrd, LF line endings; plain UTF-8 (8bit), quoted-printable ISO-8859-1 and Windows-1252, base64 bodies, RFC 2047 subjects and display names, multipart/alternative, html-only, multipart/mixed with a PDF attachment, message/rfc822 forwards, `>From ` escaping. |\n");
    s.push_str("| `signalering/signaleringen.csv` | regional registry export | Dutch Excel CSV: Windows-1252, `;`, CRLF, dates dd-mm-jjjj, quoted fields with `;` and embedded newlines; no klantnummer column. |\n");
    s.push_str("| `kwh/kwh-export.xlsx` | KWH survey export | sheet `Antwoorden`: title in row 1, header in row 3; Klantnummer/Contractnummer text cells, Datum a date cell (dd-mm-yyyy), Rapportcijfer a number; sheet `Toelichting`. |\n");
    s.push_str("| `stories.json` | test oracle | see above. |\n");
    s
}
