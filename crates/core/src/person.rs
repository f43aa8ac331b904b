//! The attributes of a person that the report's merged view shows
//! (`person = "..."` on a field), and the normal form in which values of one
//! attribute are compared: two systems that write the same postcode, phone
//! number, e-mail address or name differently hold the same value.

use crate::identifier::{normalise_postcode, Identifier, IdentifierKind};

/// The attributes a field can show in the merged view, in the order the view
/// lists them. A closed list: `config check` rejects any other value, so
/// that no field silently drops out of the view. `email`, `telefoon`,
/// `klantnummer`, `contractnummer` and `woningnet` are also filled from the
/// identifiers inzage learned.
pub const PERSON_ATTRIBUTES: &[&str] = &[
    "voorletters",
    "voornamen",
    "roepnaam",
    "tussenvoegsel",
    "achternaam",
    "geboortedatum",
    "geslacht",
    "straat",
    "huisnummer",
    "huisnummertoevoeging",
    "postcode",
    "woonplaats",
    "email",
    "telefoon",
    "iban",
    "klantnummer",
    "contractnummer",
    "woningnet",
];

/// The form in which two values of `attribute` are compared: equal normal
/// forms are one value, written differently.
///
/// - `postcode`: without spaces, upper case (`3512 ab` = `3512AB`);
/// - `telefoon`: the national form of a Dutch number (`+31 (0)6 1234 5678`
///   = `06-12345678` = `0031612345678`);
/// - `email`: lower case;
/// - `iban`: without spaces, upper case;
/// - `voorletters`: the letters only, lower case (`J.P.` = `J. P.` = `jp`);
/// - any other (names, street, town, numbers): lower case with runs of
///   white space made one space. Diacritics count: `Zoë` and `Zoe` differ,
///   since that difference is one a person may want corrected.
pub fn normal_form(attribute: &str, value: &str) -> String {
    let value = value.trim();
    match attribute {
        "postcode" => normalise_postcode(value),
        "telefoon" => Identifier::new(IdentifierKind::Telefoon, value)
            .map(|i| i.value)
            .unwrap_or_else(|| collapsed_lower(value)),
        "iban" => value
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_uppercase)
            .collect(),
        "voorletters" => value
            .chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
            .collect(),
        _ => collapsed_lower(value),
    }
}

/// How a value is shown once for all its spellings: a Dutch postcode as
/// `3512 AB`, anything else as first written (trimmed).
pub fn display_form(attribute: &str, value: &str) -> String {
    let value = value.trim();
    if attribute == "postcode" {
        let compact = normalise_postcode(value);
        let is_dutch = compact.len() == 6
            && compact[..4].chars().all(|c| c.is_ascii_digit())
            && compact[4..].chars().all(|c| c.is_ascii_uppercase());
        if is_dutch {
            return format!("{} {}", &compact[..4], &compact[4..]);
        }
    }
    value.to_string()
}

fn collapsed_lower(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_value_written_differently_has_one_normal_form() {
        for (attribute, spellings) in [
            ("postcode", &["3512 AB", "3512ab", " 3512  Ab "][..]),
            (
                "telefoon",
                &[
                    "06-12345678",
                    "+31 6 1234 5678",
                    "0031612345678",
                    "+31 (0)6 12 34 56 78",
                    "(06) 123 456 78",
                    "0031 (0)6-12345678",
                ][..],
            ),
            (
                "email",
                &["Zoe.Berg@Example.org", "zoe.berg@example.org"][..],
            ),
            ("achternaam", &["van der BERG", "Van der  Berg"][..]),
            ("voorletters", &["J.P.", "J. P.", "jp"][..]),
            (
                "iban",
                &["NL91 ABNA 0417 1643 00", "nl91abna0417164300"][..],
            ),
        ] {
            let forms: Vec<String> = spellings
                .iter()
                .map(|s| normal_form(attribute, s))
                .collect();
            assert!(
                forms.iter().all(|f| *f == forms[0]),
                "{attribute}: {spellings:?} -> {forms:?}"
            );
        }
    }

    #[test]
    fn real_differences_stay_different() {
        assert_ne!(
            normal_form("postcode", "3512 AB"),
            normal_form("postcode", "3512 AC")
        );
        assert_ne!(
            normal_form("telefoon", "06-12345678"),
            normal_form("telefoon", "06-12345679")
        );
        assert_ne!(
            normal_form("voornamen", "Zoë"),
            normal_form("voornamen", "Zoe")
        );
        assert_ne!(
            normal_form("telefoon", "+32 6 1234 5678"),
            normal_form("telefoon", "06 1234 5678"),
            "a Belgian number is not a Dutch one"
        );
    }

    #[test]
    fn a_dutch_postcode_is_shown_in_its_usual_form() {
        assert_eq!(display_form("postcode", "3512ab"), "3512 AB");
        assert_eq!(display_form("postcode", "B-1000"), "B-1000");
        assert_eq!(display_form("achternaam", " Berg "), "Berg");
    }
}
