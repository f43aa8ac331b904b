//! Text folded for name matching (lowercase, diacritics stripped), split in
//! word tokens that remember where they stand in the original text.

use unicode_normalization::char::decompose_canonical;

/// A word of the original text: its folded form and its byte span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Lowercase, without diacritics (`zoë` → `zoe`).
    pub folded: String,
    /// Byte offset of the first character in the original text.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
}

/// Folds one character: lowercase, diacritics dropped; `None` for a
/// character that is not a letter or digit.
fn fold_char(c: char, out: &mut String) -> bool {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            return true;
        }
        return false;
    }
    if !c.is_alphanumeric() {
        return false;
    }
    let mut any = false;
    decompose_canonical(c, |d| {
        // Combining marks (U+0300..U+036F) are the diacritics.
        if !('\u{0300}'..='\u{036f}').contains(&d) {
            for l in d.to_lowercase() {
                out.push(l);
            }
            any = true;
        }
    });
    if !any {
        out.extend(c.to_lowercase());
    }
    true
}

/// Folds a whole string the way tokens are folded (`Zoë  de Vries` → `zoe de vries`):
/// the folded words joined by one space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_word = false;
    for c in text.chars() {
        let len = out.len();
        if in_word {
            if !fold_char(c, &mut out) {
                in_word = false;
            }
        } else {
            if !out.is_empty() {
                out.push(' ');
            }
            if fold_char(c, &mut out) {
                in_word = true;
            } else {
                out.truncate(len);
            }
        }
    }
    out
}

/// Splits a text in maximal runs of letters and digits.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut current: Option<Token> = None;
    for (i, c) in text.char_indices() {
        let mut folded = String::new();
        if fold_char(c, &mut folded) {
            match &mut current {
                Some(t) => {
                    t.folded.push_str(&folded);
                    t.end = i + c.len_utf8();
                }
                None => {
                    current = Some(Token {
                        folded,
                        start: i,
                        end: i + c.len_utf8(),
                    })
                }
            }
        } else if let Some(t) = current.take() {
            out.push(t);
        }
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_diacritics_and_keeps_offsets() {
        let text = "Beste Zoë van 't Hoff-Özdemir,";
        let t = tokens(text);
        let words: Vec<&str> = t.iter().map(|t| t.folded.as_str()).collect();
        assert_eq!(words, ["beste", "zoe", "van", "t", "hoff", "ozdemir"]);
        assert_eq!(&text[t[1].start..t[1].end], "Zoë");
        assert_eq!(&text[t[5].start..t[5].end], "Özdemir");
        assert_eq!(fold("  ZOË de   Vries "), "zoe de vries");
    }
}
