//! What inzage noticed while reading a record: a closed list, so that the
//! report and the spreadsheet can word each note in their own language
//! (the wording is in the bundle's texts, not here), and the JSON keeps a
//! stable code a program can rely on.

use serde::Serialize;
use std::fmt;

/// A note about how a record was read: damage in the source that the
/// record was recovered from, shown to the tenant beside the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ReadingNote {
    /// The message has no Message-ID header.
    NoMessageId,
    /// The text held bytes that are not valid in its character set; they
    /// are shown as U+FFFD.
    InvalidCharacters,
    /// A text part (numbered from 1) could not be decoded and is shown as
    /// it stands.
    TextPartUndecodable {
        /// The part's number, from 1.
        part: usize,
    },
    /// An attachment (numbered from 1) could not be decoded; it is listed
    /// as it stands.
    AttachmentUndecodable {
        /// The attachment's number, from 1.
        attachment: usize,
    },
    /// A multipart message announces a boundary it never uses; the text is
    /// shown as it stands.
    BoundaryUnused,
    /// The message looks cut off: a MIME part or a forwarded message is
    /// never closed.
    Truncated,
    /// The MIME structure is damaged in another way (no boundary, an empty
    /// multipart, headers that start with a continuation line).
    StructureDamaged,
    /// A text part holds invalid base64 or quoted-printable.
    EncodingDamaged,
    /// The parser lost the text of a damaged structure; the text is shown
    /// as it stands in the archive.
    ShownAsInArchive,
    /// The mbox file does not start with a `From ` line; what stands before
    /// the first one was read as a message.
    MboxWithoutFromLine,
}

impl ReadingNote {
    /// The stable code of the note (as in the JSON).
    pub fn code(self) -> &'static str {
        match self {
            ReadingNote::NoMessageId => "no_message_id",
            ReadingNote::InvalidCharacters => "invalid_characters",
            ReadingNote::TextPartUndecodable { .. } => "text_part_undecodable",
            ReadingNote::AttachmentUndecodable { .. } => "attachment_undecodable",
            ReadingNote::BoundaryUnused => "boundary_unused",
            ReadingNote::Truncated => "truncated",
            ReadingNote::StructureDamaged => "structure_damaged",
            ReadingNote::EncodingDamaged => "encoding_damaged",
            ReadingNote::ShownAsInArchive => "shown_as_in_archive",
            ReadingNote::MboxWithoutFromLine => "mbox_without_from_line",
        }
    }

    /// Every kind of note, once (with number 1 where a note has one), for
    /// tests that every note is worded in every language.
    pub fn every_kind() -> [ReadingNote; 10] {
        [
            ReadingNote::NoMessageId,
            ReadingNote::InvalidCharacters,
            ReadingNote::TextPartUndecodable { part: 1 },
            ReadingNote::AttachmentUndecodable { attachment: 1 },
            ReadingNote::BoundaryUnused,
            ReadingNote::Truncated,
            ReadingNote::StructureDamaged,
            ReadingNote::EncodingDamaged,
            ReadingNote::ShownAsInArchive,
            ReadingNote::MboxWithoutFromLine,
        ]
    }
}

/// English wording for logs, the review list's technical reasons and tests;
/// the report words notes in its own language.
impl fmt::Display for ReadingNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadingNote::NoMessageId => f.write_str("no Message-ID"),
            ReadingNote::InvalidCharacters => {
                f.write_str("invalid characters in the text (replaced by \u{FFFD})")
            }
            ReadingNote::TextPartUndecodable { part } => {
                write!(f, "text part {part} could not be decoded; shown as it stands")
            }
            ReadingNote::AttachmentUndecodable { attachment } => write!(
                f,
                "attachment {attachment} could not be decoded; listed as it stands"
            ),
            ReadingNote::BoundaryUnused => f.write_str(
                "broken MIME structure: the boundary announced is not used; the text is shown as it stands",
            ),
            ReadingNote::Truncated => {
                f.write_str("the message looks cut off: a MIME part is never closed")
            }
            ReadingNote::StructureDamaged => f.write_str("the MIME structure is damaged"),
            ReadingNote::EncodingDamaged => {
                f.write_str("a text part holds invalid base64 or quoted-printable")
            }
            ReadingNote::ShownAsInArchive => f.write_str(
                "the MIME structure is damaged: the text is shown as it stands in the archive",
            ),
            ReadingNote::MboxWithoutFromLine => {
                f.write_str("the mbox does not start with a `From ` line")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_holds_the_code_and_the_number() {
        let json =
            serde_json::to_string(&ReadingNote::AttachmentUndecodable { attachment: 2 }).unwrap();
        assert_eq!(json, r#"{"code":"attachment_undecodable","attachment":2}"#);
        for note in ReadingNote::every_kind() {
            let json = serde_json::to_value(note).unwrap();
            assert_eq!(json["code"], note.code(), "{note:?}");
        }
    }
}
