//! Exact matching of one message, parsed fully with mail-parser.
//!
//! A message matches an e-mail address when the address is in From, To,
//! Cc, Bcc, Reply-To or Sender of the message or of a forwarded message
//! inside it (`message/rfc822`), compared case-insensitively after parsing
//! (display names and encoded words do not matter). It matches a number
//! (klantnummer, contract number) when the number is a whole token (not
//! preceded or followed by a letter or digit) of the decoded subject or the
//! decoded text body (text parts, HTML turned into text only when there is
//! no text alternative; forwarded messages included; attachments excluded).

use inzage_core::ReadingNote;
use mail_parser::{Address, Message, MessageParser, MimeHeaders, PartType};
use sha2::{Digest, Sha256};

/// An attachment of a message, described (its bytes are not kept).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// A safe file name (no path separators, no `..`, no control characters).
    pub file_name: String,
    /// MIME type, `type/subtype`.
    pub mime_type: String,
    /// Size of the decoded content in bytes.
    pub size: u64,
    /// SHA-256 of the decoded content, lowercase hex.
    pub sha256: String,
}

/// What the exact matcher found in one message.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Message-ID without angle brackets.
    pub message_id: Option<String>,
    /// Date as RFC 3339 with the sender's offset.
    pub date: Option<String>,
    /// From (and Sender when different), as `Name <address>`.
    pub from: String,
    /// To.
    pub to: String,
    /// Cc.
    pub cc: String,
    /// Decoded subject.
    pub subject: String,
    /// Decoded text body, forwarded messages appended.
    pub text: String,
    /// Attachments of the message and of forwarded messages.
    pub attachments: Vec<Attachment>,
    /// Indices (into the e-mail list) of addresses that matched.
    pub matched_emails: Vec<usize>,
    /// Indices (into the token list) of numbers that matched.
    pub matched_tokens: Vec<usize>,
    /// Damage found while reading the message, in the order found.
    pub notes: Vec<ReadingNote>,
}

impl Analysis {
    /// True when some requested identifier matched.
    pub fn matched(&self) -> bool {
        !self.matched_emails.is_empty() || !self.matched_tokens.is_empty()
    }
}

/// What the exact matcher reads of one message: the analysis (without
/// matches), the addresses that count and the subjects (the message's and
/// those of forwarded messages). The mail index keys a message on exactly
/// these ([`index_words`]), so it finds what matching would.
pub struct Readable {
    /// Fields, text, attachments and notes.
    pub analysis: Analysis,
    /// Addresses of From, To, Cc, Bcc, Reply-To and Sender, also of
    /// forwarded messages, as parsed (trimmed).
    pub addresses: Vec<String>,
    /// Decoded subjects of the message and of forwarded messages.
    pub subjects: Vec<String>,
}

/// Parses one message. `None` when mail-parser finds no message at all
/// (no headers).
pub fn read(raw: &[u8]) -> Option<Readable> {
    let message = MessageParser::new().parse(raw)?;
    if message.headers().is_empty() {
        return None;
    }
    let mut a = Analysis {
        message_id: message
            .message_id()
            .map(|id| id.trim_matches(|c| c == '<' || c == '>').to_string()),
        date: message.date().map(|d| d.to_rfc3339()),
        from: join_addresses([message.from(), message.sender()].into_iter().flatten()),
        to: join_addresses(message.to()),
        cc: join_addresses(message.cc()),
        subject: message.subject().unwrap_or_default().to_string(),
        ..Analysis::default()
    };
    if a.message_id.is_none() {
        a.notes.push(ReadingNote::NoMessageId);
    }
    a.text = body_text(&message, &mut a.notes);
    let mut addresses = Vec::new();
    let mut subjects = vec![a.subject.clone()];
    collect(&message, &mut addresses, &mut subjects, &mut a);
    Some(Readable {
        analysis: a,
        addresses,
        subjects,
    })
}

/// Parses and matches one message. `None` when mail-parser finds no
/// message at all (no headers).
pub fn analyse(raw: &[u8], emails: &[String], tokens: &[String]) -> Option<Analysis> {
    analyse_with(raw, emails, tokens, false)
}

/// Like [`analyse`]; with `body_emails`, an address also matches when it is
/// written in the decoded text ([`text_addresses`]).
pub fn analyse_with(
    raw: &[u8],
    emails: &[String],
    tokens: &[String],
    body_emails: bool,
) -> Option<Analysis> {
    let Readable {
        analysis: mut a,
        addresses,
        subjects,
    } = read(raw)?;
    for (i, e) in emails.iter().enumerate() {
        let in_text = || body_emails && text_addresses(&a.text).any(|x| x.eq_ignore_ascii_case(e));
        if addresses.iter().any(|x| x.eq_ignore_ascii_case(e)) || in_text() {
            a.matched_emails.push(i);
        }
    }
    for (i, t) in tokens.iter().enumerate() {
        if subjects.iter().any(|s| has_token(s, t)) || has_token(&a.text, t) {
            a.matched_tokens.push(i);
        }
    }
    Some(a)
}

/// The words of a text that a number can match as a whole token
/// ([`has_token`]): maximal runs of letters and digits that hold an ASCII
/// digit, ASCII uppercase. A number made of letters and digits matches the
/// text exactly when it is one of these words.
pub fn index_words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.bytes().any(|b| b.is_ascii_digit()))
        .map(|w| w.to_ascii_uppercase())
}

fn local_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._%+-!#$&'*/=?^`{|}~".contains(&b)
}

fn domain_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'-'
}

/// The addresses written in a text (for `email = "adressen_tekst"`): around
/// every `@`, the longest run of ASCII local-part characters before it and
/// of domain characters (letters, digits, `.`, `-`) after it, without dots
/// at either end. An address matches the text when it is one of these,
/// ASCII case-insensitively: `jan@example.org` in `mail jan@example.org.`
/// or `<jan@example.org>`, not in `xjan@example.org` or
/// `jan@example.org.uk`.
pub fn text_addresses(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'@', bytes).filter_map(move |at| {
        let mut start = at;
        while start > 0 && local_char(bytes[start - 1]) {
            start -= 1;
        }
        while start < at && bytes[start] == b'.' {
            start += 1;
        }
        let mut end = at + 1;
        while end < bytes.len() && domain_char(bytes[end]) {
            end += 1;
        }
        while end > at + 1 && matches!(bytes[end - 1], b'.' | b'-') {
            end -= 1;
        }
        (start < at && end > at + 1).then(|| &text[start..end])
    })
}

/// True for a number the index can look up as one word (see [`index_words`]).
pub fn is_index_word(token: &str) -> bool {
    !token.is_empty()
        && token.chars().all(char::is_alphanumeric)
        && token.bytes().any(|b| b.is_ascii_digit())
}

/// Addresses of the headers that count, and attachments and forwarded
/// messages, recursively.
fn collect(
    m: &Message<'_>,
    addresses: &mut Vec<String>,
    subjects: &mut Vec<String>,
    a: &mut Analysis,
) {
    for header in [m.from(), m.to(), m.cc(), m.bcc(), m.reply_to(), m.sender()]
        .into_iter()
        .flatten()
    {
        for addr in header.iter() {
            if let Some(x) = addr.address() {
                addresses.push(x.trim().to_string());
            }
        }
    }
    for (n, part) in m.attachments().enumerate() {
        match &part.body {
            PartType::Message(inner) => {
                subjects.push(inner.subject().unwrap_or_default().to_string());
                collect(inner, addresses, subjects, a);
            }
            PartType::Text(_)
                if part
                    .content_type()
                    .is_some_and(|ct| ct.ctype().eq_ignore_ascii_case("multipart")) => {}
            _ => {
                let contents = part.contents();
                let mime_type = part
                    .content_type()
                    .map(|ct| match ct.subtype() {
                        Some(s) => format!("{}/{}", ct.ctype(), s),
                        None => ct.ctype().to_string(),
                    })
                    .unwrap_or_else(|| "text/plain".to_string())
                    .to_ascii_lowercase();
                a.attachments.push(Attachment {
                    file_name: safe_file_name(part.attachment_name(), a.attachments.len() + 1),
                    mime_type,
                    size: contents.len() as u64,
                    sha256: hex::encode(Sha256::digest(contents)),
                });
                if part.is_encoding_problem {
                    a.notes
                        .push(ReadingNote::AttachmentUndecodable { attachment: n + 1 });
                }
            }
        }
    }
}

/// The text body: text parts (HTML turned into text when it is the only
/// body), then every forwarded message with its headers.
fn body_text(m: &Message<'_>, notes: &mut Vec<ReadingNote>) -> String {
    let mut text = String::new();
    for i in 0..m.text_body_count() {
        if let Some(t) = m.body_text(i) {
            if t.contains('\u{FFFD}') {
                notes.push(ReadingNote::InvalidCharacters);
            }
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&inzage_core::record::unix_line_breaks(&t));
        }
    }
    for (i, part) in m.text_bodies().enumerate() {
        if part.is_encoding_problem {
            notes.push(ReadingNote::TextPartUndecodable { part: i + 1 });
        }
    }
    // text that mail-parser recovered from a broken structure (a multipart
    // whose boundary never appears) is shown as text, not as an attachment
    for part in m.attachments() {
        if let PartType::Text(t) = &part.body {
            let declared_multipart = part
                .content_type()
                .is_some_and(|ct| ct.ctype().eq_ignore_ascii_case("multipart"));
            if declared_multipart {
                notes.push(ReadingNote::BoundaryUnused);
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(t);
            }
        }
    }
    for part in m.attachments() {
        if let PartType::Message(inner) = &part.body {
            if !text.ends_with('\n') && !text.is_empty() {
                text.push('\n');
            }
            text.push_str("\n---------- Doorgestuurd bericht ----------\n");
            text.push_str(&format!(
                "Van: {}\n",
                join_addresses([inner.from(), inner.sender()].into_iter().flatten())
            ));
            if let Some(d) = inner.date() {
                text.push_str(&format!("Datum: {}\n", d.to_rfc3339()));
            }
            text.push_str(&format!("Aan: {}\n", join_addresses(inner.to())));
            let cc = join_addresses(inner.cc());
            if !cc.is_empty() {
                text.push_str(&format!("Cc: {cc}\n"));
            }
            text.push_str(&format!(
                "Onderwerp: {}\n\n",
                inner.subject().unwrap_or_default()
            ));
            text.push_str(&body_text(inner, notes));
        }
    }
    text
}

fn join_addresses<'a>(headers: impl IntoIterator<Item = &'a Address<'a>>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for header in headers {
        for addr in header.iter() {
            let s = match (addr.name(), addr.address()) {
                (Some(n), Some(a)) if !n.trim().is_empty() => {
                    format!("{} <{}>", n.trim(), a.trim())
                }
                (_, Some(a)) => a.trim().to_string(),
                (Some(n), None) => n.trim().to_string(),
                (None, None) => continue,
            };
            if !seen.contains(&s) {
                seen.push(s);
            }
        }
    }
    seen.join(", ")
}

/// Whether `token` occurs in `text` as a whole token: ASCII
/// case-insensitive, not preceded or followed by a letter or digit.
pub fn has_token(text: &str, token: &str) -> bool {
    if token.is_empty() {
        return false;
    }
    let hay = text.as_bytes();
    let needle = token.as_bytes();
    let mut from = 0;
    while from + needle.len() <= hay.len() {
        let Some(i) = find_ci(&hay[from..], needle) else {
            return false;
        };
        let at = from + i;
        let end = at + needle.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        from = at + 1;
        while from < hay.len() && !text.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let (a, b) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    memchr::memchr2_iter(a, b, hay).find(|&at| {
        hay.len() >= at + needle.len() && hay[at..at + needle.len()].eq_ignore_ascii_case(needle)
    })
}

/// A file name that is safe to write anywhere: the last path component,
/// control characters and separators replaced, no leading dots, at most
/// 100 characters; `bijlage-<n>` when nothing is left.
pub fn safe_file_name(name: Option<&str>, n: usize) -> String {
    let last = name
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"|?*/\\".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    let short: String = trimmed.chars().take(100).collect();
    if short.is_empty() || short.chars().all(|c| c == '.' || c == '_') {
        format!("bijlage-{n}")
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_whole() {
        assert!(has_token("klantnummer 001042.", "001042"));
        assert!(!has_token("referentie 0010421", "001042"));
        assert!(!has_token("kenmerk 3001042", "001042"));
        assert!(has_token("dossier ho200117", "HO200117"));
        assert!(!has_token("K-10012", "K-1001"));
        assert!(has_token("K-1001 en K-10012", "K-1001"));
        assert!(!has_token("é001042", "001042"));
    }

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(safe_file_name(Some("../../etc/passwd"), 1), "passwd");
        assert_eq!(safe_file_name(Some("..\\x.pdf"), 1), "x.pdf");
        assert_eq!(safe_file_name(Some(".."), 2), "bijlage-2");
        assert_eq!(safe_file_name(None, 3), "bijlage-3");
        assert_eq!(safe_file_name(Some("a\u{0}b.pdf"), 1), "a_b.pdf");
    }
}
