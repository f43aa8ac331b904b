//! Guessing how a CSV export was written: encoding and delimiter.

use serde::{Deserialize, Serialize};

/// Text encodings a CSV export can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encoding {
    /// UTF-8, with or without byte-order mark.
    #[serde(rename = "utf-8", alias = "utf8", alias = "UTF-8")]
    Utf8,
    /// Windows-1252, as Dutch Excel writes "CSV (gescheiden door lijstscheidingsteken)".
    #[serde(
        rename = "windows-1252",
        alias = "cp1252",
        alias = "latin1",
        alias = "iso-8859-1"
    )]
    Windows1252,
    /// UTF-16 little-endian; recognised by its byte-order mark.
    #[serde(rename = "utf-16le", alias = "UTF-16LE")]
    Utf16Le,
    /// UTF-16 big-endian; recognised by its byte-order mark.
    #[serde(rename = "utf-16be", alias = "UTF-16BE")]
    Utf16Be,
}

impl Encoding {
    /// The name as connectors.toml spells it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Guesses the encoding from the first bytes: a byte-order mark (UTF-8,
/// UTF-16 LE/BE) decides; else valid UTF-8 means UTF-8, and so does text
/// with valid multi-byte UTF-8 sequences next to invalid bytes (damaged
/// UTF-8: its bad bytes are reported, not reinterpreted); only text
/// without any valid multi-byte sequence is taken as Windows-1252.
pub fn sniff_encoding(head: &[u8]) -> Encoding {
    if head.starts_with(BOM) {
        return Encoding::Utf8;
    }
    if head.starts_with(b"\xFF\xFE") {
        return Encoding::Utf16Le;
    }
    if head.starts_with(b"\xFE\xFF") {
        return Encoding::Utf16Be;
    }
    if let Some(utf16) = sniff_utf16(head) {
        return utf16;
    }
    match std::str::from_utf8(head) {
        Ok(_) => Encoding::Utf8,
        // Only a sequence cut off at the end of the sample: still UTF-8.
        Err(e) if e.error_len().is_none() => Encoding::Utf8,
        Err(_) if has_multibyte_utf8(head) => Encoding::Utf8,
        Err(_) => Encoding::Windows1252,
    }
}

/// UTF-16 without a byte-order mark: text in it has a zero byte in every
/// other position (most export text is Latin script). At least a third
/// of the odd (LE) or even (BE) bytes zero, and next to none of the others.
fn sniff_utf16(head: &[u8]) -> Option<Encoding> {
    if head.len() < 8 {
        return None;
    }
    let zeros = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    let half = head.len() / 2;
    match (even, odd) {
        (e, o) if o * 3 >= half && e * 20 < half => Some(Encoding::Utf16Le),
        (e, o) if e * 3 >= half && o * 20 < half => Some(Encoding::Utf16Be),
        _ => None,
    }
}

/// True when the bytes hold at least one valid multi-byte UTF-8 sequence
/// (`ë` as C3 AB), which Windows-1252 text practically never does.
fn has_multibyte_utf8(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes)
        .chars()
        .any(|c| !c.is_ascii() && c != '\u{FFFD}')
}

/// The byte-order mark the file starts with, as its length.
pub fn bom_len(head: &[u8], encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 if head.starts_with(BOM) => 3,
        Encoding::Utf16Le if head.starts_with(b"\xFF\xFE") => 2,
        Encoding::Utf16Be if head.starts_with(b"\xFE\xFF") => 2,
        _ => 0,
    }
}

/// Guesses the delimiter from the header line: the most frequent of
/// `;`, `,`, tab and `|` outside quotes. Dutch Excel writes `;`.
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [(b';', 0usize), (b',', 0), (b'\t', 0), (b'|', 0)];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(entry) = counts.iter_mut().find(|(d, _)| *d == b) {
                    entry.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map(|(d, _)| *d)
        .unwrap_or(b';')
}

/// Decodes one field (UTF-16 files are transcoded to UTF-8 before they are
/// split, so their fields arrive here as UTF-8). Invalid UTF-8 is returned
/// as an error with the offset of the first bad byte in the field, so the
/// caller can name the place, and replace and flag it.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Result<String, std::str::Utf8Error> {
    match encoding {
        Encoding::Utf8 | Encoding::Utf16Le | Encoding::Utf16Be => {
            std::str::from_utf8(bytes.strip_prefix(BOM).unwrap_or(bytes)).map(str::to_string)
        }
        Encoding::Windows1252 => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok(text.into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_told_from_utf8() {
        assert_eq!(sniff_encoding(b"Zo\xEB;Berg"), Encoding::Windows1252);
        assert_eq!(sniff_encoding("Zoë;Berg".as_bytes()), Encoding::Utf8);
        assert_eq!(sniff_encoding(b"\xEF\xBB\xBFa;b"), Encoding::Utf8);
        // A multi-byte character cut off by the sample size.
        assert_eq!(sniff_encoding(&"aë".as_bytes()[..2]), Encoding::Utf8);
        // Damaged UTF-8 stays UTF-8: its bad bytes are reported, not reinterpreted.
        assert_eq!(sniff_encoding(b"Zo\xC3\xAB;\xFF;x"), Encoding::Utf8);
        assert_eq!(sniff_encoding(b"\xFF\xFEN\0r\0"), Encoding::Utf16Le);
        assert_eq!(sniff_encoding(b"\xFE\xFF\0N\0r"), Encoding::Utf16Be);
    }

    #[test]
    fn delimiters_are_counted_outside_quotes() {
        assert_eq!(sniff_delimiter(b"a;b;\"c,d,e\"\n1,2,3,4,5"), b';');
        assert_eq!(sniff_delimiter(b"a,b,c\n"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\n"), b'\t');
    }

    #[test]
    fn decoding_strips_the_bom_and_maps_cp1252() {
        assert_eq!(decode(b"\xEF\xBB\xBFNaam", Encoding::Utf8).unwrap(), "Naam");
        assert_eq!(
            decode(b"Zo\xEB \x80", Encoding::Windows1252).unwrap(),
            "Zoë €"
        );
        assert!(decode(b"Zo\xEB", Encoding::Utf8).is_err());
    }
}
