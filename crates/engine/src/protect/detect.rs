//! Pattern detectors for other people's data in free text: e-mail
//! addresses, phone numbers, IBANs (mod-97), BSNs (elfproef) and a postcode
//! with a house number. They work on decoded text and return byte spans
//! with a normalised value, so that a value written in another form (spaces,
//! dashes, `+31`) is recognised as the same value.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// What kind of personal data a span holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An e-mail address.
    Email,
    /// A phone number.
    Phone,
    /// A bank account number (IBAN).
    Iban,
    /// A citizen service number (BSN).
    Bsn,
    /// A postcode with a house number.
    Address,
    /// The name of a person the estate knows.
    Name,
    /// A capitalised name after a word such as `buurvrouw` or `dhr.` that
    /// matches no known person: for a human decision, never redacted by itself.
    UnknownName,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 7] = [
        Kind::Name,
        Kind::Email,
        Kind::Phone,
        Kind::Address,
        Kind::Iban,
        Kind::Bsn,
        Kind::UnknownName,
    ];

    /// Stable machine name (`phone`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Iban => "iban",
            Kind::Bsn => "bsn",
            Kind::Address => "address",
            Kind::Name => "name",
            Kind::UnknownName => "unknown_name",
        }
    }

    /// Parses [`Kind::as_str`].
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A span of a text that holds personal data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// What it is.
    pub kind: Kind,
    /// Byte offset of the start in the text.
    pub start: usize,
    /// Byte offset just past the end.
    pub end: usize,
    /// The value in one canonical form (`0612345678`, `NL91ABNA0417164300`,
    /// `3512AB 12`, a lowercase e-mail address, a person's key).
    pub normalised: String,
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[a-z0-9][a-z0-9._%+\-]*@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,24}")
        .expect("valid regex")
});

/// `3512 AB` (not SA, SD, SS, which are not issued) followed by a house
/// number, or preceded by one (`Kerkstraat 12, 3512 AB`).
static POSTCODE_THEN_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([1-9][0-9]{3}) ?([A-Z]{2})\b,? +(?:nr\.? ?)?([0-9]{1,5})(?:[ -]?[A-Za-z]\b|-[0-9]{1,4}\b)?")
        .expect("valid regex")
});
static NUMBER_THEN_POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([0-9]{1,5})(?:[ -]?[A-Za-z]|-[0-9]{1,4})?, *([1-9][0-9]{3}) ?([A-Z]{2})\b")
        .expect("valid regex")
});

/// Finds every pattern-detectable value in a text, left to right, without
/// overlaps (an e-mail address wins over the digits inside it).
pub fn detect(text: &str) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    for m in EMAIL.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || "._%+-".contains(c)) {
            continue;
        }
        if is_message_id(text, m.start(), m.end()) {
            continue;
        }
        hits.push(Hit {
            kind: Kind::Email,
            start: m.start(),
            end: m.end(),
            normalised: m.as_str().to_lowercase(),
        });
    }
    for c in POSTCODE_THEN_NUMBER.captures_iter(text) {
        let all = c.get(0).expect("match");
        if matches!(&c[2], "SA" | "SD" | "SS") {
            continue;
        }
        hits.push(Hit {
            kind: Kind::Address,
            start: all.start(),
            end: all.end(),
            normalised: format!("{}{} {}", &c[1], &c[2], c[3].trim_start_matches('0')),
        });
    }
    for c in NUMBER_THEN_POSTCODE.captures_iter(text) {
        let all = c.get(0).expect("match");
        if matches!(&c[3], "SA" | "SD" | "SS") || after_po_box(text, all.start()) {
            continue;
        }
        hits.push(Hit {
            kind: Kind::Address,
            start: all.start(),
            end: all.end(),
            normalised: format!("{}{} {}", &c[2], &c[3], c[1].trim_start_matches('0')),
        });
    }
    hits.extend(ibans(text));
    hits.extend(numbers(text));
    resolve_overlaps(hits)
}

/// `Postbus 93374, 2509 AJ`: an organisation's PO box, not a home.
fn after_po_box(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end().to_lowercase();
    before.ends_with("postbus")
        || before.ends_with("antwoordnummer")
        || before.ends_with("p.o. box")
}

/// Keeps the earliest, then longest, of overlapping hits.
pub fn resolve_overlaps(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
    for h in hits {
        if out.last().is_some_and(|last| h.start < last.end) {
            continue;
        }
        out.push(h);
    }
    out
}

/// An address inside `<...>` on a `Message-ID:`, `References:` or
/// `In-Reply-To:` line is a message identifier, not a person's address.
fn is_message_id(text: &str, start: usize, end: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..start].to_ascii_lowercase();
    let bracketed = text[..start].ends_with('<') && text[end..].starts_with('>');
    bracketed
        && (line.contains("message-id")
            || line.contains("references")
            || line.contains("in-reply-to"))
}

/// Lengths of the IBANs of the countries a Dutch landlord meets most; other
/// countries are tried at every length from 15 to 34.
fn iban_length(country: &str) -> Option<usize> {
    Some(match country {
        "NL" => 18,
        "BE" => 16,
        "DE" => 22,
        "FR" | "IT" | "MC" => 27,
        "GB" | "IE" => 22,
        "ES" | "SE" | "SK" | "CZ" | "TN" | "RO" | "PK" | "MD" => 24,
        "LU" | "AT" | "EE" | "LT" | "BA" | "XK" | "KZ" => 20,
        "PL" | "HU" | "CY" | "AL" => 28,
        "PT" => 25,
        "DK" | "FI" | "FO" | "GL" => 18,
        "NO" => 15,
        "CH" | "LI" | "LV" | "HR" => 21,
        "TR" => 26,
        "GR" => 27,
        "SI" => 19,
        "MA" => 28,
        _ => return None,
    })
}

/// True when a compact IBAN passes the ISO 13616 mod-97 check.
pub fn iban_valid(compact: &str) -> bool {
    if compact.len() < 15 || !compact.is_char_boundary(4) {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    let mut rem: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let v = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

fn ibans(text: &str) -> Vec<Hit> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 <= b.len() {
        let starts = b[i].is_ascii_alphabetic()
            && b[i + 1].is_ascii_alphabetic()
            && b[i + 2].is_ascii_digit()
            && b[i + 3].is_ascii_digit()
            && !prev_is_word(text, i);
        if !starts {
            i += 1;
            continue;
        }
        // Collect up to 34 alphanumerics, allowing single spaces between groups.
        let mut compact = String::new();
        let mut ends = Vec::new(); // byte end after each collected char
        let mut j = i;
        while j < b.len() && compact.len() < 34 {
            if b[j].is_ascii_alphanumeric() {
                compact.push(b[j].to_ascii_uppercase() as char);
                j += 1;
                ends.push(j);
            } else if b[j] == b' '
                && j + 1 < b.len()
                && b[j + 1].is_ascii_alphanumeric()
                && !compact.is_empty()
            {
                j += 1;
            } else {
                break;
            }
        }
        let country = &compact[..2];
        let lengths: Vec<usize> = match iban_length(country) {
            Some(n) => vec![n],
            None => (15..=34).rev().collect(),
        };
        let mut found = None;
        for n in lengths {
            if n > compact.len() {
                continue;
            }
            let end = ends[n - 1];
            // The IBAN must end at a word boundary.
            if b.get(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            if iban_valid(&compact[..n]) {
                found = Some((n, end));
                break;
            }
        }
        match found {
            Some((n, end)) => {
                out.push(Hit {
                    kind: Kind::Iban,
                    start: i,
                    end,
                    normalised: compact[..n].to_string(),
                });
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// True when the character before `at` is a letter or digit (or a mark that
/// makes the number part of a larger token: `.`, `_`, `/`, `@`, `#`, `-`).
fn prev_is_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || "._/@#-=&%\\".contains(c))
}

/// A run of digits in a number written with separators.
#[derive(Clone, Copy, Debug)]
struct Group {
    start: usize,
    end: usize,
    /// Whether the separator before the next group was whitespace only.
    then_space: bool,
}

/// Groups of digits from `i`, joined by short runs of ` - . ( ) /`.
fn groups(b: &[u8], mut i: usize) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    loop {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        out.push(Group {
            start,
            end: i,
            then_space: false,
        });
        let mut j = i;
        while j < b.len() && j - i < 3 && matches!(b[j], b' ' | b'-' | b'.' | b'(' | b')' | b'/') {
            j += 1;
        }
        if j == i || j >= b.len() || !b[j].is_ascii_digit() || out.len() >= 8 {
            // A closing bracket belongs to the number: `(030) 123` handled by
            // the caller; nothing else continues it.
            return out;
        }
        let sep = &b[i..j];
        if sep.contains(&b'(') && !sep.contains(&b' ') && sep != b"(" && sep != b" (" {
            return out;
        }
        if let Some(last) = out.last_mut() {
            last.then_space = sep.iter().all(|c| *c == b' ');
        }
        i = j;
    }
}

/// `dd-mm-yyyy`, `d.m.yy`, `dd/mm/yyyy`: a date, never a phone number or BSN.
static DATE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}\b|^\d{4}-\d{2}-\d{2}\b|^\d{1,2}[.:]\d{2}\b(?:[^\d.\-/ ]|$| [^\d])")
        .expect("valid regex")
});

/// True when the text starts with a date or time that does not go on in
/// the same style (`06.12.34.56.78` is a phone number, `06.12.34` a date).
fn is_date(text: &str) -> bool {
    let Some(m) = DATE_PREFIX.find(text) else {
        return false;
    };
    let rest = &text.as_bytes()[m.end()..];
    !(rest.len() >= 2 && matches!(rest[0], b'-' | b'.' | b'/') && rest[1].is_ascii_digit())
}

/// Phone numbers and BSNs: digit groups whose digits form a valid number.
fn numbers(text: &str) -> Vec<Hit> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let plus = b[i] == b'+' && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        let bracket = b[i] == b'(' && b.get(i + 1).is_some_and(u8::is_ascii_digit);
        let digit = b[i].is_ascii_digit();
        if !(plus || bracket || digit) || prev_is_word(text, i) {
            i += 1;
            continue;
        }
        if digit && i > 0 && (b[i - 1] == b'+' || b[i - 1] == b'(') {
            // Already tried from the sign or bracket.
            i += 1;
            continue;
        }
        let first = if plus || bracket { i + 1 } else { i };
        let gs = groups(b, first);
        let run_end = gs.last().map_or(first, |g| g.end);
        if is_date(&text[first..]) {
            i = run_end.max(i + 1);
            continue;
        }
        match phone(text, i, plus, &gs).or_else(|| if plus { None } else { bsn(text, i, &gs) }) {
            Some(hit) => {
                i = hit.end;
                out.push(hit);
            }
            None => i = run_end.max(i + 1),
        }
    }
    out
}

/// The prefixes of the groups where a number may end: after the last group,
/// or at a space between groups.
fn cuts(gs: &[Group]) -> impl Iterator<Item = usize> + '_ {
    (1..=gs.len())
        .rev()
        .filter(move |&k| k == gs.len() || gs[k - 1].then_space)
}

fn digits_of(b: &[u8], gs: &[Group]) -> String {
    gs.iter()
        .flat_map(|g| b[g.start..g.end].iter().map(|c| *c as char))
        .collect()
}

/// The end of a number: past a closing bracket that belongs to it, and not
/// followed by a letter or digit.
fn ends_cleanly(b: &[u8], end: usize) -> bool {
    !b.get(end)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'@')
}

fn phone(text: &str, start: usize, plus: bool, gs: &[Group]) -> Option<Hit> {
    let b = text.as_bytes();
    for k in cuts(gs) {
        let digits = digits_of(b, &gs[..k]);
        let Some(normalised) = phone_number(&digits, plus) else {
            continue;
        };
        let mut end = gs[k - 1].end;
        if b.get(end) == Some(&b')') && text[start..end].contains('(') {
            end += 1;
        }
        if !ends_cleanly(b, end) {
            continue;
        }
        return Some(Hit {
            kind: Kind::Phone,
            start,
            end,
            normalised,
        });
    }
    None
}

/// The canonical form of a phone number (`0612345678` for Dutch numbers,
/// `+32...` for others), or `None` when the digits are no phone number.
pub fn phone_number(digits: &str, plus: bool) -> Option<String> {
    let national = |rest: &str| {
        let rest = rest.strip_prefix('0').unwrap_or(rest);
        (rest.len() == 9 && !rest.starts_with('0')).then(|| format!("0{rest}"))
    };
    if plus {
        if let Some(rest) = digits.strip_prefix("31") {
            return national(rest);
        }
        return (8..=15)
            .contains(&digits.len())
            .then(|| format!("+{digits}"));
    }
    if let Some(rest) = digits.strip_prefix("0031") {
        return national(rest);
    }
    if let Some(rest) = digits.strip_prefix("00") {
        if rest.starts_with('0') || !(9..=15).contains(&rest.len()) {
            return None;
        }
        return Some(format!("+{rest}"));
    }
    if digits.len() == 10 && digits.starts_with('0') && !digits[1..].starts_with('0') {
        return Some(digits.to_string());
    }
    None
}

/// True when nine digits pass the elfproef of a BSN.
pub fn bsn_valid(digits: &str) -> bool {
    if digits.len() != 9 || !digits.bytes().all(|c| c.is_ascii_digit()) || digits == "000000000" {
        return false;
    }
    let sum: i64 = digits
        .bytes()
        .enumerate()
        .map(|(i, c)| {
            let d = (c - b'0') as i64;
            if i == 8 {
                -d
            } else {
                d * (9 - i as i64)
            }
        })
        .sum();
    sum % 11 == 0
}

fn bsn(text: &str, start: usize, gs: &[Group]) -> Option<Hit> {
    let b = text.as_bytes();
    // Only dots and spaces separate the groups of a BSN.
    for k in cuts(gs) {
        let seps_ok = gs[..k].windows(2).all(|w| {
            b[w[0].end..w[1].start]
                .iter()
                .all(|c| *c == b'.' || *c == b' ')
        });
        if !seps_ok {
            continue;
        }
        let digits = digits_of(b, &gs[..k]);
        if !bsn_valid(&digits) {
            continue;
        }
        let end = gs[k - 1].end;
        if !ends_cleanly(b, end) {
            continue;
        }
        return Some(Hit {
            kind: Kind::Bsn,
            start,
            end,
            normalised: digits,
        });
    }
    None
}

/// Normalises a value of a known kind the way [`detect`] does, for values
/// that stand in structured fields (`06-12345678` → `0612345678`).
pub fn normalise(kind: Kind, value: &str) -> Option<String> {
    let hits = detect(value);
    hits.into_iter()
        .find(|h| h.kind == kind)
        .map(|h| h.normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(Kind, String, String)> {
        detect(text)
            .into_iter()
            .map(|h| (h.kind, text[h.start..h.end].to_string(), h.normalised))
            .collect()
    }

    fn one(text: &str, kind: Kind, span: &str, normalised: &str) {
        assert_eq!(
            found(text),
            vec![(kind, span.to_string(), normalised.to_string())],
            "in {text:?}"
        );
    }

    #[test]
    fn phone_numbers_in_dutch_and_international_forms() {
        for (text, span) in [
            ("bel 06-12345678 graag", "06-12345678"),
            ("bel 06 1234 5678.", "06 1234 5678"),
            ("bel 0612345678", "0612345678"),
            ("tel: +31 6 12345678", "+31 6 12345678"),
            ("tel +31 (0)6 1234 5678", "+31 (0)6 1234 5678"),
            ("0031 6 12 34 56 78", "0031 6 12 34 56 78"),
            ("0031612345678", "0031612345678"),
            ("(06) 12345678", "(06) 12345678"),
            ("06.12.34.56.78", "06.12.34.56.78"),
            ("+31612345678", "+31612345678"),
        ] {
            one(text, Kind::Phone, span, "0612345678");
        }
        one(
            "bel 030-1234567 of",
            Kind::Phone,
            "030-1234567",
            "0301234567",
        );
        one(
            "(030) 123 45 67",
            Kind::Phone,
            "(030) 123 45 67",
            "0301234567",
        );
        one(
            "+32 470 12 34 56",
            Kind::Phone,
            "+32 470 12 34 56",
            "+32470123456",
        );
    }

    #[test]
    fn dates_amounts_and_numbers_are_not_phones_or_bsns() {
        for text in [
            "op 24-09-1978 om 10:30",
            "06-12-2023 10:30",
            "op 01-02-2023 10 uur",
            "2023-09-01T17:26:25",
            "2023-09-01T17:26:25+02:00",
            "bedrag 948.90 en € 1.234,56",
            "klantnummer 001042, contract HO200117",
            "referentie 0010421 en kenmerk 5001042",
            "<20230901.172625.4f3a@woonstichting.example.org>",
            "eenheid 100234 en registratie 412345678x",
            "id 8c1f0a2e-0612-4345-9678-0a1b2c3d4e5f",
            "om 14.00 uur, 10.30 uur",
            "€ 0,50 per maand, 12 maanden",
            "postbus 93374, 2509 AJ Den Haag",
        ] {
            let hits: Vec<_> = found(text)
                .into_iter()
                .filter(|h| matches!(h.0, Kind::Phone | Kind::Bsn))
                .collect();
            assert!(hits.is_empty(), "{text:?} gave {hits:?}");
        }
    }

    #[test]
    fn bsn_with_elfproef_in_any_grouping() {
        for text in [
            "BSN 999912343.",
            "bsn: 9999.12.343",
            "BSN 999 912 343",
            "BSN 9999 12 343",
        ] {
            assert_eq!(
                found(text)
                    .into_iter()
                    .map(|h| (h.0, h.2))
                    .collect::<Vec<_>>(),
                vec![(Kind::Bsn, "999912343".to_string())],
                "{text:?}"
            );
        }
        assert!(bsn_valid("999912343"));
        assert!(!bsn_valid("999912344"), "fails the elfproef");
        assert!(found("nummer 999912344").is_empty());
    }

    #[test]
    fn ibans_mod_97_with_any_spacing() {
        one(
            "rekening NL91ABNA0417164300 graag",
            Kind::Iban,
            "NL91ABNA0417164300",
            "NL91ABNA0417164300",
        );
        one(
            "IBAN NL91 ABNA 0417 1643 00 en meer",
            Kind::Iban,
            "NL91 ABNA 0417 1643 00",
            "NL91ABNA0417164300",
        );
        one(
            "BE68 5390 0754 7034.",
            Kind::Iban,
            "BE68 5390 0754 7034",
            "BE68539007547034",
        );
        assert!(found("NL92ABNA0417164300").is_empty(), "bad checksum");
    }

    #[test]
    fn email_addresses_but_not_message_ids() {
        one(
            "mail naar Jan.de.Vries@Example.org.",
            Kind::Email,
            "Jan.de.Vries@Example.org",
            "jan.de.vries@example.org",
        );
        assert!(found("Message-ID: <abc.123@mail.example.org>").is_empty());
        assert_eq!(found("In-Reply-To: <x@y.example.org>").len(), 0);
    }

    #[test]
    fn postcode_with_house_number() {
        one(
            "woont op 3512 AB 14 sinds",
            Kind::Address,
            "3512 AB 14",
            "3512AB 14",
        );
        one(
            "Kerkstraat 12, 3512AB Utrecht",
            Kind::Address,
            "12, 3512AB",
            "3512AB 12",
        );
        assert!(found("postcode 3512 AB in Utrecht").is_empty());
        assert!(found("in 2023 EN daarna").is_empty());
    }
}
