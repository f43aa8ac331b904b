//! Identity is checked by looking at the original document, never by
//! keeping it: what is recorded says *that* and *how* identity was checked.
//! A value that looks like a document number or a BSN is refused.

/// Why a recorded text was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Nine digits that pass the elfproef: a BSN.
    Bsn,
    /// Nine letters and digits mixed: the form of a Dutch identity card,
    /// passport or driving-licence number.
    DocumentNumber,
}

/// Checks a text that is about to be recorded (`--method`, `--by`); returns
/// why it must not be, if it looks like a BSN or a document number.
pub fn refuse_identity_numbers(text: &str) -> Option<Refusal> {
    // Digit runs, with the separators people type inside them (`1234.56.789`).
    let mut digits = String::new();
    let flush = |digits: &mut String| -> Option<Refusal> {
        let found = (digits.len() == 9 && elfproef(digits)).then_some(Refusal::Bsn);
        digits.clear();
        found
    };
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_digit() {
            digits.push(*c);
        } else if matches!(c, ' ' | '.' | '-')
            && !digits.is_empty()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit)
        {
            continue;
        } else if let Some(r) = flush(&mut digits) {
            return Some(r);
        }
    }
    if let Some(r) = flush(&mut digits) {
        return Some(r);
    }
    for token in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        if token.len() == 9
            && token.chars().any(|c| c.is_ascii_alphabetic())
            && token.chars().any(|c| c.is_ascii_digit())
        {
            return Some(Refusal::DocumentNumber);
        }
    }
    None
}

/// The Dutch eleven test for a nine-digit BSN: 9·d1 + 8·d2 + … + 2·d8 − d9
/// is a multiple of 11 (and not zero).
pub fn elfproef(digits: &str) -> bool {
    let d: Vec<i64> = digits
        .chars()
        .filter_map(|c| c.to_digit(10).map(i64::from))
        .collect();
    if d.len() != 9 {
        return false;
    }
    let sum: i64 = d[..8]
        .iter()
        .zip((2..=9).rev())
        .map(|(x, w)| x * w)
        .sum::<i64>()
        - d[8];
    sum != 0 && sum % 11 == 0
}

impl Refusal {
    /// The message for the user: what was refused and what to write instead.
    pub fn message(&self, flag: &str) -> String {
        let what = match self {
            Refusal::Bsn => "a BSN (nine digits that pass the elfproef)",
            Refusal::DocumentNumber => "a document number (nine letters and digits, as on an identity card, passport or driving licence)",
        };
        format!(
            "{flag} looks like it holds {what}. Record only that and how identity was checked, never a number or a copy of the document: for example --method \"ID-kaart getoond aan de balie\""
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bsns_are_recognised_by_the_elfproef() {
        assert!(elfproef("111222333"));
        assert!(elfproef("999990019"));
        assert!(!elfproef("123456789"));
        assert_eq!(refuse_identity_numbers("BSN 111222333"), Some(Refusal::Bsn));
        assert_eq!(
            refuse_identity_numbers("bsn 1112.22.333"),
            Some(Refusal::Bsn)
        );
        assert_eq!(refuse_identity_numbers("111 222 333"), Some(Refusal::Bsn));
        // Nine digits failing the test are no BSN (a date and a time, say).
        assert_eq!(refuse_identity_numbers("123456789"), None);
    }

    #[test]
    fn document_numbers_are_recognised() {
        assert_eq!(
            refuse_identity_numbers("paspoort NW4K82JD1 getoond"),
            Some(Refusal::DocumentNumber)
        );
        assert_eq!(
            refuse_identity_numbers("ID-kaart IXK1234P5"),
            Some(Refusal::DocumentNumber)
        );
    }

    #[test]
    fn ordinary_methods_and_names_pass() {
        for ok in [
            "ID-kaart getoond aan de balie",
            "Paspoort getoond aan de balie op 12-03-2026",
            "Rijbewijs getoond, balie Utrecht",
            "J. de Vries",
            "Anna-Maria van den Berg",
        ] {
            assert_eq!(refuse_identity_numbers(ok), None, "{ok}");
        }
    }
}
