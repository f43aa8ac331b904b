//! The byte-level prefilter: decides, without parsing a message fully,
//! whether it *can* match the request. Only candidates are parsed with
//! mail-parser and matched exactly ([`super::message`]).
//!
//! The rule it keeps: **a message it rejects never matches**. It walks the
//! MIME structure the way mail-parser does (boundaries are `--boundary`
//! anywhere in the stream, the innermost boundary ends a leaf part, a part
//! without `Content-Type` is `text/plain`, or a message inside
//! `multipart/digest`), and
//!
//! - searches every header block of the message and of nested
//!   `message/rfc822` parts for the requested addresses, case-insensitively
//!   (addresses stand in plain form in headers; RFC 2047 encoded words may
//!   hide a display name, never an address);
//! - decodes every `text/*` part (base64, quoted-printable, charset; HTML
//!   turned into text with mail-parser's own converter) and the subject,
//!   and searches them for the requested numbers;
//! - decodes base64/quoted-printable `message/rfc822` parts and walks them;
//! - skips the bytes of every other leaf part (`image/*`, `application/*`,
//!   ...): binary attachments are never text to match. They are passed with
//!   one `memmem` for the next boundary, without decoding.
//!
//! Whatever it does not fully understand (a header line without a colon, a
//! boundary that never closes, an RFC 2231 boundary parameter, invalid
//! base64 in a text part, nesting deeper than mail-parser follows) makes the
//! message a candidate, with the reason, so that the exact parser decides
//! and the problem can be reported.

use inzage_core::ReadingNote;
use memchr::memmem;

/// What a request looks for, prepared for byte search.
#[derive(Clone, Debug, Default)]
pub struct Needles {
    /// E-mail addresses, lowercase: `(local part, domain)`.
    pub emails: Vec<(Vec<u8>, Vec<u8>)>,
    /// Klantnummers and contract numbers, ASCII uppercase.
    pub tokens: Vec<Vec<u8>>,
    /// Whether addresses count in the decoded text too (`email =
    /// "adressen_tekst"`), not only in the headers.
    pub body_emails: bool,
}

impl Needles {
    /// Builds the needles from normalised e-mail addresses and numbers.
    pub fn new<'a>(
        emails: impl IntoIterator<Item = &'a str>,
        tokens: impl IntoIterator<Item = &'a str>,
    ) -> Needles {
        Needles {
            emails: emails
                .into_iter()
                .filter_map(|e| {
                    let lower = e.to_ascii_lowercase();
                    let (l, d) = lower.split_once('@')?;
                    Some((l.as_bytes().to_vec(), d.as_bytes().to_vec()))
                })
                .collect(),
            tokens: tokens
                .into_iter()
                .filter(|t| !t.is_empty())
                .map(|t| t.to_ascii_uppercase().into_bytes())
                .collect(),
            body_emails: false,
        }
    }

    /// The same needles, with addresses searched in the decoded text too
    /// when `on`.
    pub fn in_text(mut self, on: bool) -> Needles {
        self.body_emails = on;
        self
    }

    /// True when text parts must be decoded and searched.
    fn search_text(&self) -> bool {
        !self.tokens.is_empty() || (self.body_emails && !self.emails.is_empty())
    }

    /// True when there is nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.emails.is_empty() && self.tokens.is_empty()
    }
}

/// The prefilter's answer for one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Cannot match: skip it.
    Reject,
    /// A requested identifier was seen (exact matching decides).
    Candidate,
    /// The structure is not understood; parse it fully. When the doubt is
    /// damage, it is worth a note when the message concerns the subject.
    Unsure(Doubt),
}

/// Why the walk is unsure of a message: what it met (in English, for the
/// review list) and, when that is damage rather than a form the walk does
/// not follow, the note the tenant is shown beside the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doubt {
    /// What the walk met.
    pub why: &'static str,
    /// The damage, when it is damage.
    pub damage: Option<ReadingNote>,
}

impl Doubt {
    /// Damage in the message: worth a note beside it.
    pub fn damage(note: ReadingNote, why: &'static str) -> Doubt {
        Doubt {
            why,
            damage: Some(note),
        }
    }

    /// A form the walk does not follow, valid as far as it knows: the full
    /// parse decides, and the tenant is not told of it.
    pub fn unusual(why: &'static str) -> Doubt {
        Doubt { why, damage: None }
    }
}

/// Mail-parser follows at most this many encoded nested messages.
const MAX_ENCODED_DEPTH: usize = 3;

/// Runs the prefilter on one message (without its mbox `From ` line).
pub fn prefilter(message: &[u8], needles: &Needles) -> Verdict {
    if needles.is_empty() {
        return Verdict::Reject;
    }
    match walk(message, needles, MAX_ENCODED_DEPTH, None) {
        Flow::Hit => Verdict::Candidate,
        Flow::Done => Verdict::Reject,
        Flow::Unsure(why) => Verdict::Unsure(why),
    }
}

/// The structural problem of a message, if the walk finds one (for the
/// note on a message that matched before the walk got that far).
pub fn structure_problem(message: &[u8]) -> Option<Doubt> {
    match walk(message, &Needles::default(), MAX_ENCODED_DEPTH, None) {
        Flow::Unsure(why) => Some(why),
        _ => None,
    }
}

/// True when the walk understands the whole message (every text part
/// decoded, no structure it is unsure of): then the prefilter can only
/// answer Candidate or Reject for it, whatever is asked, and the exact
/// matcher alone decides. The mail index keys such a message on what the
/// matcher reads; any other message it marks to be looked at every time.
pub fn is_clean(message: &[u8]) -> bool {
    binary_bodies(message).is_some()
}

/// For a clean message ([`is_clean`]), the byte ranges of the bodies of its
/// binary leaf parts (attachments that are neither text nor a message), in
/// order; `None` for a message that is not clean. Nothing the exact matcher
/// reads stands in those ranges (their headers stay outside them), so the
/// mail index keys a message with them left out, without decoding and
/// hashing attachments it never searches.
pub fn binary_bodies(message: &[u8]) -> Option<Vec<(usize, usize)>> {
    // A needle no text can hold (0xFF never occurs in UTF-8), so that every
    // text part is decoded and nothing is found.
    let never = Needles {
        emails: Vec::new(),
        tokens: vec![vec![0xFF; 64]],
        body_emails: false,
    };
    let mut ranges = Vec::new();
    match walk(message, &never, MAX_ENCODED_DEPTH, Some(&mut ranges)) {
        Flow::Done => Some(ranges),
        _ => None,
    }
}

enum Flow {
    Hit,
    Done,
    Unsure(Doubt),
}

macro_rules! unsure {
    (damage $note:ident, $why:literal) => {
        return Flow::Unsure(Doubt::damage(ReadingNote::$note, $why))
    };
    (unusual $why:literal) => {
        return Flow::Unsure(Doubt::unusual($why))
    };
}

/// The headers of one entity that matter to the walk.
#[derive(Default)]
struct Head<'a> {
    content_type: Option<&'a [u8]>,
    cte: Option<&'a [u8]>,
    /// Offset where the body starts.
    body: usize,
    /// The header block, `[start, end)`.
    block: (usize, usize),
}

/// Reads a header block starting at `pos`. `Err` when a line is not a header.
fn read_head(data: &[u8], pos: usize) -> Result<Head<'_>, Doubt> {
    let mut head = Head {
        block: (pos, pos),
        ..Head::default()
    };
    let mut at = pos;
    let mut current: Option<(&[u8], usize)> = None; // (name, value start)
    loop {
        if at >= data.len() {
            if let Some((name, start)) = current.take() {
                finish(data, name, start, data.len(), &mut head)?;
            }
            head.body = data.len();
            head.block.1 = data.len();
            return Ok(head);
        }
        let end = memchr::memchr(b'\n', &data[at..]).map_or(data.len(), |i| at + i);
        let line = &data[at..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let next = (end + 1).min(data.len());
        if line.is_empty() {
            if let Some((name, start)) = current.take() {
                finish(data, name, start, at, &mut head)?;
            }
            head.body = next;
            head.block.1 = at;
            return Ok(head);
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if current.is_none() && at == pos {
                return Err(Doubt::damage(
                    ReadingNote::StructureDamaged,
                    "the header block starts with a continuation line",
                ));
            }
            at = next;
            continue;
        }
        if let Some((name, start)) = current.take() {
            finish(data, name, start, at, &mut head)?;
        }
        let Some(colon) = memchr::memchr(b':', line) else {
            return Err(Doubt::damage(
                ReadingNote::StructureDamaged,
                "a header line without a colon",
            ));
        };
        let name = trim(&line[..colon]);
        if name.is_empty() || name.iter().any(|b| *b <= b' ' || *b >= 127) {
            return Err(Doubt::damage(
                ReadingNote::StructureDamaged,
                "a malformed header name",
            ));
        }
        current = Some((name, at + colon + 1));
        at = next;
    }
}

fn finish<'a>(
    data: &'a [u8],
    name: &[u8],
    start: usize,
    end: usize,
    head: &mut Head<'a>,
) -> Result<(), Doubt> {
    let value = trim(&data[start..end]);
    if name.eq_ignore_ascii_case(b"content-type") {
        if head.content_type.is_some() {
            return Err(Doubt::unusual("two Content-Type headers"));
        }
        head.content_type = Some(value);
    } else if name.eq_ignore_ascii_case(b"content-transfer-encoding") {
        head.cte = Some(value);
    }
    Ok(())
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &b[start..end.max(start)]
}

/// A parsed `Content-Type` value.
struct ContentType<'a> {
    ctype: Vec<u8>,
    subtype: Vec<u8>,
    boundary: Option<Vec<u8>>,
    charset: Option<&'a [u8]>,
}

fn parse_content_type(value: &[u8]) -> Result<ContentType<'_>, Doubt> {
    if value.contains(&b'(') {
        return Err(Doubt::unusual("comment inside Content-Type"));
    }
    let mut parts = split_params(value);
    let first = parts.next().unwrap_or_default();
    if trim(first).is_empty() || first.contains(&b'"') {
        // mail-parser reads these as no type (text/plain) or unquotes them:
        // leave the decision to the full parse.
        return Err(Doubt::unusual("empty or quoted Content-Type"));
    }
    let (t, s) = match memchr::memchr(b'/', first) {
        Some(i) => (trim(&first[..i]), trim(&first[i + 1..])),
        None => (trim(first), &b""[..]),
    };
    let mut ct = ContentType {
        ctype: t.to_ascii_lowercase(),
        subtype: s.to_ascii_lowercase(),
        boundary: None,
        charset: None,
    };
    for param in parts {
        let Some(eq) = memchr::memchr(b'=', param) else {
            continue;
        };
        let name = trim(&param[..eq]);
        let mut val = trim(&param[eq + 1..]);
        if val.len() >= 2 && val[0] == b'"' && val[val.len() - 1] == b'"' {
            val = &val[1..val.len() - 1];
            if val.contains(&b'\\') {
                return Err(Doubt::unusual(
                    "escaped character in a quoted Content-Type parameter",
                ));
            }
        }
        if name.contains(&b'*') {
            if name.len() > 8 && name[..8].eq_ignore_ascii_case(b"boundary") {
                return Err(Doubt::unusual("RFC 2231 boundary parameter"));
            }
            continue;
        }
        if name.eq_ignore_ascii_case(b"boundary") {
            if ct.boundary.is_some() {
                return Err(Doubt::unusual("two boundary parameters"));
            }
            ct.boundary = Some(val.to_vec());
        } else if name.eq_ignore_ascii_case(b"charset") {
            ct.charset = Some(val);
        }
    }
    Ok(ct)
}

/// Splits a header value at `;` outside double quotes.
fn split_params(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(value);
    std::iter::from_fn(move || {
        let v = rest?;
        let mut quoted = false;
        for (i, &b) in v.iter().enumerate() {
            match b {
                b'"' => quoted = !quoted,
                b';' if !quoted => {
                    rest = Some(&v[i + 1..]);
                    return Some(&v[..i]);
                }
                _ => {}
            }
        }
        rest = None;
        Some(v)
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Multipart { digest: bool },
    Text { html: bool },
    Message,
    Binary,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cte {
    None,
    Base64,
    QuotedPrintable,
}

fn cte_of(value: Option<&[u8]>) -> Result<Cte, Doubt> {
    let Some(v) = value else {
        return Ok(Cte::None);
    };
    if v.eq_ignore_ascii_case(b"base64") {
        Ok(Cte::Base64)
    } else if v.eq_ignore_ascii_case(b"quoted-printable") {
        Ok(Cte::QuotedPrintable)
    } else if v
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
    {
        Ok(Cte::None)
    } else {
        Err(Doubt::unusual("unusual Content-Transfer-Encoding"))
    }
}

/// One level of multipart nesting.
struct Level {
    /// `--` + boundary.
    delimiter: Vec<u8>,
    digest: bool,
}

/// Walks one message (or decoded nested message) as mail-parser's stream does.
/// `binaries`, when given, collects the body ranges of binary leaf parts of
/// `data` itself (not of encoded nested messages, which are other bytes).
fn walk(
    data: &[u8],
    needles: &Needles,
    depth: usize,
    mut binaries: Option<&mut Vec<(usize, usize)>>,
) -> Flow {
    let mut stack: Vec<Level> = Vec::new();
    let mut pos = 0usize;
    let mut message_header = true;
    loop {
        let head = match read_head(data, pos) {
            Ok(h) => h,
            Err(why) => return Flow::Unsure(why),
        };
        if message_header {
            if let Some(flow) = check_message_header(&data[head.block.0..head.block.1], needles) {
                return flow;
            }
            message_header = false;
        }
        let parent_digest = stack.last().is_some_and(|l| l.digest);
        let ct = match head.content_type.map(parse_content_type).transpose() {
            Ok(ct) => ct,
            Err(why) => return Flow::Unsure(why),
        };
        let mut kind = match &ct {
            None if parent_digest => Kind::Message,
            None => Kind::Text { html: false },
            Some(ct) => match ct.ctype.as_slice() {
                b"multipart" => Kind::Multipart {
                    digest: ct.subtype == b"digest",
                },
                b"text" => Kind::Text {
                    html: ct.subtype == b"html",
                },
                b"message" if ct.subtype == b"rfc822" || ct.subtype == b"global" => Kind::Message,
                _ => Kind::Binary,
            },
        };
        let cte = match cte_of(head.cte) {
            Ok(c) => c,
            Err(why) => return Flow::Unsure(why),
        };
        if let Kind::Multipart { digest } = kind {
            match ct.as_ref().and_then(|c| c.boundary.as_ref()) {
                Some(b) if !b.is_empty() => {
                    let mut delimiter = b"--".to_vec();
                    delimiter.extend_from_slice(b);
                    match memmem::find(&data[head.body..], &delimiter) {
                        Some(i) => {
                            let after = head.body + i + delimiter.len();
                            stack.push(Level { delimiter, digest });
                            match after_delimiter(data, after) {
                                Ok(Some(next)) => {
                                    pos = next;
                                    continue;
                                }
                                Ok(None) => unsure!(damage StructureDamaged, "empty multipart"),
                                Err(why) => return Flow::Unsure(why),
                            }
                        }
                        // mail-parser reads it as text then
                        None => kind = Kind::Text { html: false },
                    }
                }
                _ => unsure!(damage StructureDamaged, "multipart without a boundary"),
            }
        }
        if kind == Kind::Message && cte == Cte::None {
            if head.body <= pos || head.body >= data.len() {
                // no progress: a nested message cut off before it starts
                unsure!(damage Truncated, "a nested message ends before its content (truncated?)");
            }
            // a nested message in the stream: its headers come next
            message_header = true;
            pos = head.body;
            continue;
        }
        // a leaf: it ends at the innermost delimiter, or at the end
        let (end, resume) = match stack.last() {
            None => (data.len(), None),
            Some(level) => match memmem::find(&data[head.body..], &level.delimiter) {
                Some(i) => (head.body + i, Some(head.body + i + level.delimiter.len())),
                None => {
                    unsure!(damage Truncated, "a MIME boundary is never closed (truncated message?)")
                }
            },
        };
        let body = &data[head.body..end];
        match kind {
            Kind::Binary => {
                if let Some(ranges) = binaries.as_deref_mut() {
                    ranges.push((head.body, end));
                }
            }
            Kind::Multipart { .. } => {}
            Kind::Text { html } => {
                if needles.search_text() {
                    let charset = ct.as_ref().and_then(|c| c.charset);
                    match text_contains(body, cte, charset, html, needles) {
                        Ok(true) => return Flow::Hit,
                        Ok(false) => {}
                        Err(why) => return Flow::Unsure(why),
                    }
                }
            }
            Kind::Message => {
                if depth == 0 {
                    unsure!(unusual "encoded messages nested too deep");
                }
                let decoded = match decode(body, cte) {
                    Ok(d) => d,
                    Err(why) => return Flow::Unsure(why),
                };
                match walk(&decoded, needles, depth - 1, None) {
                    Flow::Done => {}
                    other => return other,
                }
            }
        }
        // after the leaf: the next part, or the end of one or more multiparts
        let Some(mut at) = resume else {
            return Flow::Done;
        };
        loop {
            if data[at..].starts_with(b"--") {
                stack.pop();
                let Some(parent) = stack.last() else {
                    return Flow::Done;
                };
                match memmem::find(&data[at..], &parent.delimiter) {
                    Some(i) => at += i + parent.delimiter.len(),
                    None => {
                        unsure!(damage Truncated, "a MIME boundary is never closed (truncated message?)")
                    }
                }
                continue;
            }
            match after_delimiter(data, at) {
                Ok(Some(next)) => {
                    pos = next;
                    break;
                }
                Ok(None) => {
                    unsure!(damage Truncated, "a MIME delimiter at the very end (truncated message?)")
                }
                Err(why) => return Flow::Unsure(why),
            }
        }
    }
}

/// After `--boundary` (not closing): skip to the start of the next line.
/// `Err` when the delimiter is followed by other text (a prefix of a longer
/// string), `Ok(None)` at the end of the data.
fn after_delimiter(data: &[u8], at: usize) -> Result<Option<usize>, Doubt> {
    let rest = &data[at..];
    match memchr::memchr(b'\n', rest) {
        None => Ok(None),
        Some(i) => {
            if rest[..i].iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
                Ok(Some(at + i + 1))
            } else {
                Err(Doubt::unusual("text after a MIME delimiter"))
            }
        }
    }
}

/// Searches a message header block: addresses anywhere in it; numbers in
/// the raw block and in the decoded subject and display names.
fn check_message_header(block: &[u8], needles: &Needles) -> Option<Flow> {
    if contains_email(block, &needles.emails) {
        return Some(Flow::Hit);
    }
    // An address folded over two lines or with a comment inside `<...>`
    // (`<jan@\n example.org>`, `<jan(werk)@example.org>`) is one address to
    // the mail parser but no unbroken byte run here: when both halves are
    // present, let the exact matcher decide.
    let split_address = needles
        .emails
        .iter()
        .any(|(local, domain)| find_ci(block, local) && find_ci(block, domain));
    if split_address {
        return Some(Flow::Hit);
    }
    if needles.search_text() {
        if contains_token(block, &needles.tokens) {
            return Some(Flow::Hit);
        }
        if memmem::find(block, b"=?").is_some() {
            // an encoded word can hide digits, in the subject or in a display
            // name (which the matcher reads in forwarded messages): decode them
            let mut owned = block.to_vec();
            owned.extend_from_slice(b"\n\n");
            let parsed = mail_parser::MessageParser::new().parse_headers(&owned)?;
            let mut texts: Vec<&str> = parsed.subject().into_iter().collect();
            for list in [
                parsed.from(),
                parsed.sender(),
                parsed.to(),
                parsed.cc(),
                parsed.bcc(),
                parsed.reply_to(),
            ]
            .into_iter()
            .flatten()
            {
                texts.extend(list.iter().filter_map(|a| a.name()));
            }
            if texts.iter().any(|t| in_text(t.as_bytes(), needles)) {
                return Some(Flow::Hit);
            }
        }
    }
    None
}

/// Case-insensitive search for any address, anchored on `@` (which base64
/// never contains, so this runs at `memchr` speed).
pub fn contains_email(hay: &[u8], emails: &[(Vec<u8>, Vec<u8>)]) -> bool {
    if emails.is_empty() {
        return false;
    }
    for at in memchr::memchr_iter(b'@', hay) {
        for (local, domain) in emails {
            if at >= local.len()
                && hay.len() > at + domain.len()
                && hay[at - local.len()..at].eq_ignore_ascii_case(local)
                && hay[at + 1..at + 1 + domain.len()].eq_ignore_ascii_case(domain)
            {
                return true;
            }
        }
    }
    false
}

/// ASCII case-insensitive substring search for any token (uppercase).
pub fn contains_token(hay: &[u8], tokens: &[Vec<u8>]) -> bool {
    tokens.iter().any(|t| find_ci(hay, t))
}

fn find_ci(hay: &[u8], needle: &[u8]) -> bool {
    let Some(&first) = needle.first() else {
        return false;
    };
    if !first.is_ascii_alphabetic() {
        // digits: an exact search on the first byte, then compare
        let mut from = 0;
        while let Some(i) = memchr::memchr(first, &hay[from..]) {
            let at = from + i;
            if hay.len() >= at + needle.len()
                && hay[at..at + needle.len()].eq_ignore_ascii_case(needle)
            {
                return true;
            }
            from = at + 1;
        }
        return false;
    }
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    for at in memchr::memchr2_iter(upper, lower, hay) {
        if hay.len() >= at + needle.len() && hay[at..at + needle.len()].eq_ignore_ascii_case(needle)
        {
            return true;
        }
    }
    false
}

/// Decodes a text part like mail-parser and searches it.
/// Whether decoded text holds a requested number, or an address when
/// addresses count in the text.
fn in_text(text: &[u8], needles: &Needles) -> bool {
    contains_token(text, &needles.tokens)
        || (needles.body_emails && contains_email(text, &needles.emails))
}

fn text_contains(
    body: &[u8],
    cte: Cte,
    charset: Option<&[u8]>,
    html: bool,
    needles: &Needles,
) -> Result<bool, Doubt> {
    let decoded = decode(body, cte)?;
    let text: String = match charset.and_then(mail_parser::decoders::charsets::map::charset_decoder)
    {
        Some(decoder) => decoder(&decoded),
        None => String::from_utf8_lossy(&decoded).into_owned(),
    };
    if in_text(text.as_bytes(), needles) {
        return Ok(true);
    }
    if html {
        let plain = mail_parser::decoders::html::html_to_text(&text);
        return Ok(in_text(plain.as_bytes(), needles));
    }
    Ok(false)
}

/// Decodes a transfer encoding strictly: anything mail-parser might read
/// differently is an error (and the message a candidate).
fn decode(body: &[u8], cte: Cte) -> Result<std::borrow::Cow<'_, [u8]>, Doubt> {
    match cte {
        Cte::None => Ok(body.into()),
        Cte::Base64 => base64(body).map(Into::into),
        Cte::QuotedPrintable => quoted_printable(body).map(Into::into),
    }
}

fn b64_value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

fn base64(body: &[u8]) -> Result<Vec<u8>, Doubt> {
    let mut out = Vec::with_capacity(body.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut ended = false;
    for &b in body {
        match b {
            b'\r' | b'\n' | b' ' | b'\t' => continue,
            b'=' => {
                ended = true;
                continue;
            }
            _ => {}
        }
        let Some(v) = b64_value(b) else {
            return Err(Doubt::damage(
                ReadingNote::EncodingDamaged,
                "invalid base64 in a text part",
            ));
        };
        if ended {
            return Err(Doubt::damage(
                ReadingNote::EncodingDamaged,
                "base64 continues after its padding",
            ));
        }
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Ok(out)
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

fn quoted_printable(body: &[u8]) -> Result<Vec<u8>, Doubt> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let Some(eq) = memchr::memchr(b'=', &body[i..]) else {
            out.extend_from_slice(&body[i..]);
            break;
        };
        out.extend_from_slice(&body[i..i + eq]);
        i += eq + 1;
        // soft line break: "=" then optional whitespace then newline
        let mut j = i;
        while j < body.len() && matches!(body[j], b' ' | b'\t' | b'\r') {
            j += 1;
        }
        if j >= body.len() {
            break;
        }
        if body[j] == b'\n' {
            i = j + 1;
            continue;
        }
        match (
            body.get(i).copied().and_then(hex),
            body.get(i + 1).copied().and_then(hex),
        ) {
            (Some(h), Some(l)) => {
                out.push(h << 4 | l);
                i += 2;
            }
            _ => {
                return Err(Doubt::damage(
                    ReadingNote::EncodingDamaged,
                    "invalid quoted-printable escape in a text part",
                ))
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needles(emails: &[&str], tokens: &[&str]) -> Needles {
        Needles::new(emails.iter().copied(), tokens.iter().copied())
    }

    #[test]
    fn email_search_is_case_insensitive_and_anchored() {
        let n = needles(&["jan@example.org"], &[]);
        assert!(contains_email(b"To: JAN@Example.ORG", &n.emails));
        assert!(!contains_email(b"To: jan@example.com", &n.emails));
        assert!(!contains_email(b"jan@example.or", &n.emails));
    }

    #[test]
    fn qp_and_base64_decode() {
        assert_eq!(quoted_printable(b"a=3Db=\n c").unwrap(), b"a=b c");
        assert!(quoted_printable(b"a=ZZ").is_err());
        assert_eq!(base64(b"Zm9v\nYmFy").unwrap(), b"foobar");
        assert!(base64(b"Zm9v!").is_err());
    }

    #[test]
    fn binary_parts_are_skipped_and_text_parts_decoded() {
        let msg = b"From: a@b.nl\nContent-Type: multipart/mixed; boundary=\"XX\"\n\n--XX\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\nS2xhbnRudW1tZXIgMDAxMDQy\n--XX\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nMDAxMDk5\n--XX--\n";
        assert_eq!(
            prefilter(msg, &needles(&[], &["001042"])),
            Verdict::Candidate
        );
        // 001099 only inside the pdf: skipped
        assert_eq!(prefilter(msg, &needles(&[], &["001099"])), Verdict::Reject);
    }

    #[test]
    fn folded_or_commented_addresses_and_encoded_names_are_candidates() {
        let n = needles(&["jan@example.org"], &["001042"]);
        for header in [
            "To: Jan <jan@\n example.org>\n",
            "To: <jan(werk)@Example.org>\n",
            "To: =?utf-8?q?JAN=40example.org?= (Jan)\n",
            "From: =?utf-8?B?S2xhbnQgMDAxMDQy?= <a@b.nl>\n",
        ] {
            let msg = format!("{header}Subject: x\n\ntekst\n");
            assert_ne!(prefilter(msg.as_bytes(), &n), Verdict::Reject, "{header}");
        }
        let other = "To: piet@example.org\nSubject: x\n\ntekst\n";
        assert_eq!(prefilter(other.as_bytes(), &n), Verdict::Reject);
    }

    #[test]
    fn a_digest_cut_off_at_the_end_ends_the_walk() {
        // Found in review: this once looped for ever.
        let msg = b"From: x@y.nl\nContent-Type: multipart/digest; boundary=XX\n\n--XX\n";
        assert!(matches!(
            prefilter(msg, &needles(&["x@y.nl"], &["001042"])),
            Verdict::Candidate | Verdict::Unsure(_)
        ));
        assert!(matches!(
            prefilter(msg, &needles(&[], &["001042"])),
            Verdict::Unsure(_) | Verdict::Reject
        ));
        assert!(structure_problem(msg).is_some());
    }

    #[test]
    fn an_empty_or_quoted_content_type_is_left_to_the_full_parse() {
        for ct in ["", "; charset=utf-8", "\"text/plain\""] {
            let msg = format!("From: a@b.nl\nContent-Type: {ct}\n\nklantnummer 001042\n");
            assert_ne!(
                prefilter(msg.as_bytes(), &needles(&[], &["001042"])),
                Verdict::Reject,
                "Content-Type: {ct}"
            );
        }
    }

    #[test]
    fn unclosed_boundary_is_unsure() {
        let msg = b"From: a@b.nl\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain\n\nhallo\n";
        assert!(matches!(
            prefilter(msg, &needles(&[], &["001042"])),
            Verdict::Unsure(_)
        ));
    }
}
