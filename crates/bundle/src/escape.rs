//! Making source data safe where it lands: spreadsheet cells, HTML and CSV
//! text, and file names.

use std::borrow::Cow;

/// The most characters a spreadsheet cell holds (Excel's limit).
pub const MAX_CELL_CHARS: usize = 32_767;

/// True for a character that must never reach a report, a CSV or a
/// spreadsheet raw: C0 controls other than tab, line feed and carriage
/// return (NUL, ESC, ...), DEL, and the C1 controls.
pub fn is_unsafe_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Text with every unsafe control character ([`is_unsafe_control`])
/// replaced by U+FFFD, the replacement character, so that the damage stays
/// visible. Borrowed when there is nothing to replace.
pub fn control_free(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_unsafe_control(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// Text that fits in `max` characters: whole when it does, else cut and
/// followed by `note` (which says where the whole text is), the note
/// included in the `max`.
pub fn fit(text: &str, max: usize, note: impl FnOnce(usize) -> String) -> Cow<'_, str> {
    let count = text.chars().count();
    if count <= max {
        return Cow::Borrowed(text);
    }
    let note = note(count);
    let keep = max.saturating_sub(note.chars().count());
    let mut out: String = text.chars().take(keep).collect();
    out.push_str(&note);
    Cow::Owned(out)
}

/// Neutralises a cell that a spreadsheet would read as a formula
/// (`=`, `+`, `-`, `@`, tab or carriage return first) by prefixing `'`.
/// A plain negative number (`-12.50`) is left as it is.
pub fn spreadsheet_cell(text: &str) -> String {
    match text.chars().next() {
        Some('-') if is_plain_number(text) => text.to_string(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let mut parts = digits.splitn(2, ['.', ',']);
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next().unwrap_or("0");
    !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && !fraction.is_empty()
        && fraction.chars().all(|c| c.is_ascii_digit())
}

/// A file-name component from source data: letters, digits, `-` and `_`
/// only, never empty and never `.` or `..`.
pub fn file_name(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches('_');
    if trimmed.is_empty() {
        "unnamed".to_string()
    } else {
        trimmed.to_string()
    }
}

/// A file name from source data that keeps its extension: letters, digits,
/// `.`, `-` and `_`, never starting with `.`, never empty.
pub fn attachment_name(raw: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches(['.', '_']);
    if trimmed.is_empty() {
        "bijlage".to_string()
    } else {
        trimmed.chars().take(120).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_replaced_visibly() {
        assert_eq!(
            control_free("a\0b\u{1b}[31m\u{7f}\u{85}"),
            "a\u{FFFD}b\u{FFFD}[31m\u{FFFD}\u{FFFD}"
        );
        assert!(matches!(
            control_free("regel 1\r\n\tregel 2"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn overlong_text_is_cut_with_its_note_inside_the_limit() {
        let long = "x".repeat(40_000);
        let cut = fit(&long, MAX_CELL_CHARS, |n| {
            format!(" [{n} characters; see data]")
        });
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert!(cut.ends_with(" [40000 characters; see data]"));
        assert!(matches!(
            fit("kort", 10, |_| unreachable!()),
            Cow::Borrowed("kort")
        ));
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(spreadsheet_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_cell("-1+2"), "'-1+2");
        assert_eq!(spreadsheet_cell("-12.50"), "-12.50");
        assert_eq!(spreadsheet_cell("-"), "'-");
        assert_eq!(spreadsheet_cell("001234"), "001234");
    }

    #[test]
    fn attachment_names_keep_their_extension_and_stay_in_their_folder() {
        assert_eq!(
            attachment_name("Huurcontract 2024.pdf"),
            "Huurcontract_2024.pdf"
        );
        assert_eq!(attachment_name("../../x.sh"), "x.sh");
        assert_eq!(attachment_name(".."), "bijlage");
        assert_eq!(attachment_name("a/b\\c.txt"), "a_b_c.txt");
    }

    #[test]
    fn file_names_cannot_escape_their_folder() {
        assert_eq!(file_name("../../etc/passwd"), "etc_passwd");
        assert_eq!(file_name(".."), "unnamed");
        assert_eq!(file_name("Huur overeenkomst\\x"), "Huur_overeenkomst_x");
    }
}
