//! Identifiers: the keys by which a person is found in the source systems.
//!
//! Every identifier is stored in a normalised form, so that the same e-mail
//! address written in two cases, or a name with and without diacritics, is one
//! identifier. The normalised value is what connectors compare against.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The kinds of identifier inzage knows and follows between systems.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    /// Customer number (relatienummer) in the housing ERP.
    Klantnummer,
    /// Contract number of a huurovereenkomst.
    Contractnummer,
    /// E-mail address.
    Email,
    /// Telephone number.
    Telefoon,
    /// WoningNet registration number.
    Woningnet,
    /// A natural person: full name + birth date + postcode.
    Persoon,
}

impl IdentifierKind {
    /// All kinds, in a fixed order.
    pub const ALL: [IdentifierKind; 6] = [
        IdentifierKind::Klantnummer,
        IdentifierKind::Contractnummer,
        IdentifierKind::Email,
        IdentifierKind::Telefoon,
        IdentifierKind::Woningnet,
        IdentifierKind::Persoon,
    ];

    /// The name used in `connectors.toml` and in manifests.
    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::Klantnummer => "klantnummer",
            IdentifierKind::Contractnummer => "contractnummer",
            IdentifierKind::Email => "email",
            IdentifierKind::Telefoon => "telefoon",
            IdentifierKind::Woningnet => "woningnet",
            IdentifierKind::Persoon => "persoon",
        }
    }

    /// Parses the name used in `connectors.toml`.
    pub fn parse(name: &str) -> Option<IdentifierKind> {
        IdentifierKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An identifier value of a given kind, normalised.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Identifier {
    /// What kind of identifier this is.
    pub kind: IdentifierKind,
    /// The normalised value (see [`Identifier::new`]).
    pub value: String,
}

impl Identifier {
    /// Builds an identifier, normalising the raw value for its kind.
    ///
    /// Returns `None` when nothing usable is left (an empty cell, a phone
    /// number without digits).
    pub fn new(kind: IdentifierKind, raw: &str) -> Option<Identifier> {
        let value = match kind {
            IdentifierKind::Klantnummer
            | IdentifierKind::Contractnummer
            | IdentifierKind::Woningnet => raw.trim().to_uppercase(),
            IdentifierKind::Email => normalise_email(raw)?,
            IdentifierKind::Telefoon => normalise_phone(raw)?,
            IdentifierKind::Persoon => raw.trim().to_string(),
        };
        (!value.is_empty()).then_some(Identifier { kind, value })
    }

    /// Builds a person identifier from its parts; `None` when a part is missing.
    pub fn person(person: &PersonKey) -> Option<Identifier> {
        Some(Identifier {
            kind: IdentifierKind::Persoon,
            value: person.encode()?,
        })
    }

    /// A masked form that is safe for logs: `00***`, `j***@***`.
    pub fn masked(&self) -> String {
        let keep: String = self.value.chars().take(2).collect();
        match self.kind {
            IdentifierKind::Email => {
                let first: String = self.value.chars().take(1).collect();
                format!("{first}***@***")
            }
            IdentifierKind::Persoon => "persoon(***)".to_string(),
            _ => format!("{keep}***"),
        }
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.value)
    }
}

fn normalise_email(raw: &str) -> Option<String> {
    let trimmed = raw.trim().trim_start_matches('<').trim_end_matches('>');
    let lower = trimmed.to_lowercase();
    let (local, domain) = lower.split_once('@')?;
    if local.is_empty() || domain.is_empty() || domain.contains('@') {
        return None;
    }
    Some(lower)
}

/// Dutch phone numbers: digits only, `+31`/`0031` turned into a leading `0`
/// (also when the trunk zero is kept in brackets: `+31 (0)6 ...`). Numbers
/// of other countries keep their country code (`+32...` becomes `0032...`).
fn normalise_phone(raw: &str) -> Option<String> {
    let plus = raw.trim_start().starts_with('+');
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 6 {
        return None;
    }
    let international = if plus {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    let national = match international {
        Some(rest) => match rest.strip_prefix("31") {
            Some(dutch) => format!("0{}", dutch.strip_prefix('0').unwrap_or(dutch)),
            None => format!("00{rest}"),
        },
        None => digits,
    };
    Some(national)
}

/// How letters of an identifier are written when a source is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LetterCase {
    /// `K-1001`.
    Upper,
    /// `k-1001`.
    Lower,
}

/// How one system writes an identifier: `K-1001`, `0001001`, `1001`,
/// `k 1001`. Reading is lenient about case (and about the declared
/// separators), strict about the prefix and the padding: a value without
/// the prefix a form declares, or with fewer digits than its `width`, is not
/// an identifier in that form. Numbers are compared without their leading
/// zeros.
///
/// `connectors.toml`: `{ prefix = "K-", width = 7, separators = " .", case = "upper" }`,
/// every part optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentifierForm {
    /// Text written before the number (`K-`); empty for none.
    #[serde(default)]
    pub prefix: String,
    /// The number is padded with leading zeros to this many digits
    /// (`6`: `001001`); `0` (the default) for no padding.
    #[serde(default)]
    pub width: usize,
    /// Characters the system writes between groups of digits (`" -."`):
    /// ignored when a value is read, never written.
    #[serde(default)]
    pub separators: String,
    /// How letters (prefix included) are written when the system is asked;
    /// by default the prefix as declared and the rest in upper case.
    #[serde(default)]
    pub case: Option<LetterCase>,
}

impl IdentifierForm {
    /// The core of a value written in this form: the part after the prefix,
    /// separators removed, upper case, a number without leading zeros.
    /// `None` when the value does not have this form (no prefix where one is
    /// declared, characters other than letters and digits).
    pub fn read(&self, raw: &str) -> Option<String> {
        let trimmed = raw.trim();
        let rest = if self.prefix.is_empty() {
            trimmed
        } else {
            let n = self.prefix.chars().count();
            let head: String = trimmed.chars().take(n).collect();
            if !head.to_uppercase().eq(&self.prefix.to_uppercase()) {
                return None;
            }
            &trimmed[head.len()..]
        };
        let core: String = rest
            .chars()
            .filter(|c| !self.separators.contains(*c))
            .flat_map(char::to_uppercase)
            .collect();
        if core.is_empty() || !core.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        if core.bytes().all(|b| b.is_ascii_digit()) {
            if core.len() < self.width {
                return None; // this system pads; an unpadded number is not its
            }
            let number = core.trim_start_matches('0');
            return Some(if number.is_empty() { "0" } else { number }.to_string());
        }
        Some(core)
    }

    /// A core (see [`IdentifierForm::read`]) written in this form.
    pub fn write(&self, core: &str) -> String {
        let digits = core.bytes().all(|b| b.is_ascii_digit());
        let body = if digits && core.len() < self.width {
            format!("{core:0>width$}", width = self.width)
        } else {
            core.to_uppercase()
        };
        let written = format!("{}{body}", self.prefix);
        match self.case {
            None => written,
            Some(LetterCase::Upper) => written.to_uppercase(),
            Some(LetterCase::Lower) => written.to_lowercase(),
        }
    }
}

/// The form a dataset writes an identifier kind in, beside the normal form
/// in which inzage holds and compares that kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormPair {
    /// How the dataset's columns (and the values sent to it) are written.
    pub source: IdentifierForm,
    /// How inzage holds the identifier (`[identifiers.<kind>] form`).
    pub normal: IdentifierForm,
}

impl FormPair {
    /// A value as the source writes it, in normal form; `None` when it does
    /// not have the source's form.
    pub fn to_normal(&self, kind: IdentifierKind, raw: &str) -> Option<Identifier> {
        let core = self.source.read(raw)?;
        Some(Identifier {
            kind,
            value: self.normal.write(&core),
        })
    }

    /// An identifier (normal form) as the source writes it; `None` when the
    /// value does not have the normal form (it cannot mean the same there).
    pub fn to_source(&self, id: &Identifier) -> Option<String> {
        self.normal
            .read(&id.value)
            .map(|core| self.source.write(&core))
    }
}

/// Kinds whose values a [`IdentifierForm`] may describe: numbers that
/// systems write with or without a prefix and leading zeros.
pub fn takes_forms(kind: IdentifierKind) -> bool {
    matches!(
        kind,
        IdentifierKind::Klantnummer | IdentifierKind::Contractnummer | IdentifierKind::Woningnet
    )
}

/// Lowercases, strips diacritics and collapses whitespace and punctuation, so
/// that `Zoë  van der BERG` and `zoe van der berg` compare equal.
pub fn normalise_name(raw: &str) -> String {
    let folded: String = raw
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Normalises a Dutch postcode: `3512 ab` → `3512AB`.
pub fn normalise_postcode(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The parts of a person identifier, as read from a source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonKey {
    /// First names (voornamen), as written.
    pub voornamen: String,
    /// Tussenvoegsel (`van der`), possibly empty.
    pub tussenvoegsel: String,
    /// Surname without tussenvoegsel.
    pub achternaam: String,
    /// Birth date.
    pub geboortedatum: Option<NaiveDate>,
    /// Postcode, as written.
    pub postcode: String,
}

impl PersonKey {
    /// The normalised full name: first names, tussenvoegsel and surname joined.
    pub fn normalised_name(&self) -> String {
        normalise_name(&format!(
            "{} {} {}",
            self.voornamen, self.tussenvoegsel, self.achternaam
        ))
    }

    /// `name|yyyy-mm-dd|postcode`, or `None` when a part is missing.
    pub fn encode(&self) -> Option<String> {
        let name = self.normalised_name();
        let postcode = normalise_postcode(&self.postcode);
        let date = self.geboortedatum?;
        if name.is_empty() || postcode.is_empty() {
            return None;
        }
        Some(format!("{name}|{}|{postcode}", date.format("%Y-%m-%d")))
    }

    /// Like [`PersonKey::encode`], but the postcode may be empty: a search
    /// key (`name|yyyy-mm-dd|`) that matches a person at any address. Used
    /// to find a requester, never to join systems.
    pub fn encode_search(&self) -> Option<String> {
        let name = self.normalised_name();
        let date = self.geboortedatum?;
        if name.is_empty() {
            return None;
        }
        Some(format!(
            "{name}|{}|{}",
            date.format("%Y-%m-%d"),
            normalise_postcode(&self.postcode)
        ))
    }
}

/// How far two person identifiers agree; used to tell a match from a near miss.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonMatch {
    /// Name, birth date and postcode all equal.
    Full,
    /// Two of the three parts equal: a review item, never data.
    Partial,
    /// One part or none.
    None,
}

/// A normalised name without its tussenvoegsels (`fleur van den berg` →
/// `fleur berg`); the last word always stays.
fn without_tussenvoegsels(name: &str) -> String {
    const TUSSENVOEGSELS: &[&str] = &[
        "van", "de", "der", "den", "ter", "ten", "te", "het", "t", "in", "op", "la", "le", "du",
        "da", "di", "el", "al", "von", "zu", "des", "dos", "d", "vd", "v",
    ];
    let words: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .filter(|(i, w)| *i == last || *i == 0 || !TUSSENVOEGSELS.contains(w))
        .map(|(_, w)| *w)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Compares two encoded person identifiers (see [`PersonKey::encode`]).
/// A search key without postcode ([`PersonKey::encode_search`]) matches on
/// name and birth date alone.
pub fn compare_persons(a: &str, b: &str) -> PersonMatch {
    let parts_a: Vec<&str> = a.split('|').collect();
    let parts_b: Vec<&str> = b.split('|').collect();
    if parts_a.len() != 3 || parts_b.len() != 3 {
        return PersonMatch::None;
    }
    if parts_a[2].is_empty() || parts_b[2].is_empty() {
        // A search by name (`inzage find`): a requester who leaves out the
        // tussenvoegsel ("Fleur Berg") still finds "Fleur van den Berg";
        // the candidates are shown masked.
        let same_name = parts_a[0] == parts_b[0]
            || without_tussenvoegsels(parts_a[0]) == without_tussenvoegsels(parts_b[0]);
        return if same_name && parts_a[1] == parts_b[1] {
            PersonMatch::Full
        } else {
            PersonMatch::None
        };
    }
    let equal = parts_a.iter().zip(&parts_b).filter(|(x, y)| x == y).count();
    match equal {
        3 => PersonMatch::Full,
        2 => PersonMatch::Partial,
        _ => PersonMatch::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_search_finds_the_person_also_without_the_tussenvoegsel() {
        let stored = "fleur van den berg|1990-04-02|3512AB";
        assert_eq!(
            compare_persons("fleur berg|1990-04-02|", stored),
            PersonMatch::Full
        );
        assert_eq!(
            compare_persons("fleur van den berg|1990-04-02|", stored),
            PersonMatch::Full
        );
        assert_eq!(
            compare_persons("fleur bergen|1990-04-02|", stored),
            PersonMatch::None
        );
        // The registry's matching (both with postcode) stays exact.
        assert_eq!(
            compare_persons("fleur berg|1990-04-02|3512AB", stored),
            PersonMatch::Partial
        );
    }

    #[test]
    fn forms_read_prefix_zeros_separators_and_case() {
        let erp = IdentifierForm {
            prefix: "K-".into(),
            ..IdentifierForm::default()
        };
        let export = IdentifierForm {
            width: 7,
            ..IdentifierForm::default()
        };
        let spaced = IdentifierForm {
            separators: " .".into(),
            case: Some(LetterCase::Lower),
            prefix: "k".into(),
            ..IdentifierForm::default()
        };
        assert_eq!(erp.read(" k-1001 ").as_deref(), Some("1001"));
        assert_eq!(erp.read("1001"), None, "the prefix is required");
        assert_eq!(erp.read("K-10 01"), None, "no separators declared");
        assert_eq!(export.read("0001001").as_deref(), Some("1001"));
        assert_eq!(export.read("1001"), None, "this system pads to 7 digits");
        assert_eq!(export.write("1001"), "0001001");
        assert_eq!(spaced.read("K 1.001").as_deref(), Some("1001"));
        assert_eq!(spaced.write("1001"), "k1001");
        assert_eq!(erp.write("1001"), "K-1001");
        assert_eq!(IdentifierForm::default().read("000").as_deref(), Some("0"));
        assert_eq!(IdentifierForm::default().read("ab-1"), None);
    }

    #[test]
    fn a_value_is_sent_only_in_the_form_of_the_source() {
        let pair = FormPair {
            source: IdentifierForm {
                width: 7,
                ..IdentifierForm::default()
            },
            normal: IdentifierForm {
                prefix: "K-".into(),
                ..IdentifierForm::default()
            },
        };
        let learned = pair
            .to_normal(IdentifierKind::Klantnummer, "0001001")
            .unwrap();
        assert_eq!(learned.value, "K-1001");
        assert_eq!(pair.to_source(&learned).as_deref(), Some("0001001"));
        // A bare number is not a klantnummer in normal form: never sent.
        let bare = Identifier {
            kind: IdentifierKind::Klantnummer,
            value: "1001".into(),
        };
        assert_eq!(pair.to_source(&bare), None);
    }

    #[test]
    fn klantnummer_keeps_leading_zeros() {
        let id = Identifier::new(IdentifierKind::Klantnummer, " 001234 ").unwrap();
        assert_eq!(id.value, "001234");
    }

    #[test]
    fn email_is_case_insensitive_and_validated() {
        let id = Identifier::new(IdentifierKind::Email, "<Jan.Jansen@Example.ORG>").unwrap();
        assert_eq!(id.value, "jan.jansen@example.org");
        assert!(Identifier::new(IdentifierKind::Email, "no-at-sign").is_none());
        assert!(Identifier::new(IdentifierKind::Email, "").is_none());
    }

    #[test]
    fn phone_numbers_normalise_to_national_form() {
        let a = Identifier::new(IdentifierKind::Telefoon, "+31 6 1234 5678").unwrap();
        let b = Identifier::new(IdentifierKind::Telefoon, "06-12345678").unwrap();
        let c = Identifier::new(IdentifierKind::Telefoon, "0031612345678").unwrap();
        let d = Identifier::new(IdentifierKind::Telefoon, "+31 (0)6 1234 5678").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(c, d);
        let belgian = Identifier::new(IdentifierKind::Telefoon, "+32 6 1234 5678").unwrap();
        assert_eq!(belgian.value, "0032612345678");
    }

    #[test]
    fn names_fold_case_diacritics_and_spacing() {
        assert_eq!(normalise_name("Zoë  van der BERG"), "zoe van der berg");
        assert_eq!(normalise_name("Ünal-Öztürk"), "unal ozturk");
    }

    #[test]
    fn person_match_needs_all_parts() {
        let date = NaiveDate::from_ymd_opt(1980, 2, 29);
        let a = PersonKey {
            voornamen: "Zoë".into(),
            tussenvoegsel: "van der".into(),
            achternaam: "Berg".into(),
            geboortedatum: date,
            postcode: "3512 ab".into(),
        };
        let b = PersonKey {
            voornamen: "ZOE".into(),
            tussenvoegsel: "".into(),
            achternaam: "van der berg".into(),
            geboortedatum: date,
            postcode: "3512AB".into(),
        };
        let moved = PersonKey {
            postcode: "3521 CD".into(),
            ..b.clone()
        };
        let (ea, eb, em) = (
            a.encode().unwrap(),
            b.encode().unwrap(),
            moved.encode().unwrap(),
        );
        assert_eq!(compare_persons(&ea, &eb), PersonMatch::Full);
        assert_eq!(compare_persons(&ea, &em), PersonMatch::Partial);
        let missing_date = PersonKey {
            geboortedatum: None,
            ..a
        };
        assert!(missing_date.encode().is_none());
    }

    #[test]
    fn a_search_key_without_postcode_matches_any_address() {
        let date = NaiveDate::from_ymd_opt(1980, 2, 29);
        let search = PersonKey {
            voornamen: "Zoë van der Berg".into(),
            geboortedatum: date,
            ..PersonKey::default()
        };
        let row = PersonKey {
            voornamen: "Zoe".into(),
            tussenvoegsel: "van der".into(),
            achternaam: "Berg".into(),
            geboortedatum: date,
            postcode: "3512 AB".into(),
        };
        let (s, r) = (search.encode_search().unwrap(), row.encode().unwrap());
        assert_eq!(s, "zoe van der berg|1980-02-29|");
        assert_eq!(compare_persons(&s, &r), PersonMatch::Full);
        let other_day = PersonKey {
            geboortedatum: NaiveDate::from_ymd_opt(1980, 3, 1),
            ..row
        };
        assert_eq!(
            compare_persons(&s, &other_day.encode().unwrap()),
            PersonMatch::None
        );
    }

    #[test]
    fn masking_hides_the_value() {
        let id = Identifier::new(IdentifierKind::Email, "jan@example.org").unwrap();
        assert_eq!(id.masked(), "j***@***");
        let k = Identifier::new(IdentifierKind::Klantnummer, "001234").unwrap();
        assert_eq!(k.masked(), "00***");
    }
}
