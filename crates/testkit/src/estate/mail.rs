//! Rendering messages as RFC 5322 / MIME text and writing an mboxrd archive.

use std::io::{self, Write};

use chrono::{Datelike, NaiveDateTime};

use super::model::{Charset, Cte, HeaderEnc, Mailbox, Message, Part};

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (with padding), no line breaks.
pub fn base64(data: &[u8]) -> String {
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        s.push(B64[(n >> 18) as usize & 63] as char);
        s.push(B64[(n >> 12) as usize & 63] as char);
        s.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        s.push(if chunk.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
    s
}

/// Base64 in lines of 76 characters, each ending in "\n".
fn base64_lines(data: &[u8]) -> String {
    let enc = base64(data);
    let mut s = String::new();
    for line in enc.as_bytes().chunks(76) {
        s.push_str(std::str::from_utf8(line).expect("ascii"));
        s.push('\n');
    }
    s
}

/// Quoted-printable (RFC 2045) of `data`; "\n" are hard line breaks;
/// lines starting with "From " get their "F" encoded.
pub fn quoted_printable(data: &[u8]) -> String {
    let mut out = String::new();
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    let n = lines.len();
    for (li, line) in lines.into_iter().enumerate() {
        if li == n - 1 && line.is_empty() {
            break;
        }
        let mut len = 0;
        for (i, &b) in line.iter().enumerate() {
            let last = i == line.len() - 1;
            let literal = match b {
                b'=' => false,
                b' ' | b'\t' => !last,
                b'F' if i == 0 && line.starts_with(b"From ") => false,
                33..=126 => true,
                _ => false,
            };
            let tok = if literal {
                (b as char).to_string()
            } else {
                format!("={b:02X}")
            };
            if len + tok.len() > 75 {
                out.push_str("=\n");
                len = 0;
            }
            out.push_str(&tok);
            len += tok.len();
        }
        out.push('\n');
    }
    out
}

fn encode_charset(text: &str, cs: Charset) -> Vec<u8> {
    match cs {
        Charset::Utf8 => text.as_bytes().to_vec(),
        Charset::Latin1 => text
            .chars()
            .map(|c| u8::try_from(c as u32).expect("Latin-1 text"))
            .collect(),
        Charset::Cp1252 => {
            let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(text);
            assert!(!bad, "text not representable in windows-1252");
            bytes.into_owned()
        }
    }
}

fn charset_name(cs: Charset) -> &'static str {
    match cs {
        Charset::Utf8 => "utf-8",
        Charset::Latin1 => "iso-8859-1",
        Charset::Cp1252 => "windows-1252",
    }
}

/// RFC 2047 encoded words for `text`, folded with "\n " between words.
pub fn encode_words(text: &str, enc: HeaderEnc) -> String {
    let latin1 = text.chars().all(|c| (c as u32) <= 0xFF);
    let mut words = Vec::new();
    if enc == HeaderEnc::Latin1Q && latin1 {
        let mut cur = String::new();
        for c in text.chars() {
            let b = c as u32 as u8;
            let tok = if b.is_ascii_alphanumeric() || b"!*+-/".contains(&b) {
                (b as char).to_string()
            } else if b == b' ' {
                "_".to_string()
            } else {
                format!("={b:02X}")
            };
            if cur.len() + tok.len() > 45 {
                words.push(format!("=?ISO-8859-1?Q?{cur}?="));
                cur.clear();
            }
            cur.push_str(&tok);
        }
        if !cur.is_empty() {
            words.push(format!("=?ISO-8859-1?Q?{cur}?="));
        }
    } else {
        let mut cur = String::new();
        for c in text.chars() {
            if cur.len() + c.len_utf8() > 36 {
                words.push(format!("=?UTF-8?B?{}?=", base64(cur.as_bytes())));
                cur.clear();
            }
            cur.push(c);
        }
        if !cur.is_empty() {
            words.push(format!("=?UTF-8?B?{}?=", base64(cur.as_bytes())));
        }
    }
    words.join("\n ")
}

fn header_text(text: &str, enc: HeaderEnc) -> String {
    if text.is_ascii() {
        text.to_string()
    } else {
        encode_words(text, enc)
    }
}

fn mailbox(m: &Mailbox, enc: HeaderEnc) -> String {
    match &m.name {
        None => m.addr.clone(),
        Some(name) if name.is_ascii() => {
            if name.chars().any(|c| "()<>[]:;@\\,.\"".contains(c)) {
                format!("\"{}\" <{}>", name.replace('"', "\\\""), m.addr)
            } else {
                format!("{name} <{}>", m.addr)
            }
        }
        Some(name) => format!("{} <{}>", encode_words(name, enc), m.addr),
    }
}

fn mailbox_list(ms: &[Mailbox], enc: HeaderEnc) -> String {
    ms.iter()
        .map(|m| mailbox(m, enc))
        .collect::<Vec<_>>()
        .join(",\n ")
}

/// RFC 5322 date; local Dutch time (+0200 from April to October, else +0100).
pub fn rfc2822_date(dt: NaiveDateTime) -> String {
    let tz = if (4..=10).contains(&dt.month()) {
        "+0200"
    } else {
        "+0100"
    };
    format!("{} {tz}", dt.format("%a, %d %b %Y %H:%M:%S"))
}

/// The full message text (headers and body), "\n" line endings.
pub fn render_message(m: &Message) -> String {
    let mut s = String::new();
    s.push_str(&format!("Message-ID: <{}>\n", m.id));
    s.push_str(&format!("Date: {}\n", rfc2822_date(m.date)));
    s.push_str(&format!("From: {}\n", mailbox(&m.from, m.header_enc)));
    s.push_str(&format!("To: {}\n", mailbox_list(&m.to, m.header_enc)));
    if !m.cc.is_empty() {
        s.push_str(&format!("Cc: {}\n", mailbox_list(&m.cc, m.header_enc)));
    }
    if let Some(r) = &m.reply_to {
        s.push_str(&format!("Reply-To: {}\n", mailbox(r, m.header_enc)));
    }
    s.push_str(&format!(
        "Subject: {}\n",
        header_text(&m.subject, m.header_enc)
    ));
    s.push_str("MIME-Version: 1.0\n");
    let mut counter = 0;
    render_part(&m.body, &m.id, &mut counter, &mut s);
    s
}

/// Appends the part's headers, a blank line and its body.
fn render_part(p: &Part, msg_id: &str, counter: &mut u32, s: &mut String) {
    match p {
        Part::Text {
            html,
            text,
            charset,
            cte,
        } => {
            let sub = if *html { "html" } else { "plain" };
            s.push_str(&format!(
                "Content-Type: text/{sub}; charset=\"{}\"\n",
                charset_name(*charset)
            ));
            let bytes = encode_charset(text, *charset);
            match cte {
                Cte::EightBit if *charset == Charset::Utf8 => {
                    s.push_str("Content-Transfer-Encoding: 8bit\n\n");
                    s.push_str(text);
                    if !text.ends_with('\n') {
                        s.push('\n');
                    }
                }
                Cte::EightBit | Cte::QuotedPrintable => {
                    s.push_str("Content-Transfer-Encoding: quoted-printable\n\n");
                    s.push_str(&quoted_printable(&bytes));
                }
                Cte::Base64 => {
                    s.push_str("Content-Transfer-Encoding: base64\n\n");
                    s.push_str(&base64_lines(&bytes));
                }
            }
        }
        Part::Multipart { subtype, parts } => {
            *counter += 1;
            let local = msg_id.split('@').next().unwrap_or("x").replace('.', "_");
            let boundary = format!("=_inzage_{local}_{counter}");
            s.push_str(&format!(
                "Content-Type: multipart/{subtype}; boundary=\"{boundary}\"\n\n"
            ));
            s.push_str("This is a multi-part message in MIME format.\n");
            for part in parts {
                s.push_str(&format!("\n--{boundary}\n"));
                render_part(part, msg_id, counter, s);
            }
            s.push_str(&format!("\n--{boundary}--\n"));
        }
        Part::Attachment {
            mime,
            filename,
            data,
        } => {
            s.push_str(&format!("Content-Type: {mime}; name=\"{filename}\"\n"));
            s.push_str(&format!(
                "Content-Disposition: attachment; filename=\"{filename}\"\n"
            ));
            s.push_str("Content-Transfer-Encoding: base64\n\n");
            s.push_str(&base64_lines(data));
        }
        Part::Message(inner) => {
            s.push_str("Content-Type: message/rfc822\n");
            s.push_str("Content-Disposition: inline\n\n");
            s.push_str(&render_message(inner));
        }
    }
}

/// Writes one mboxrd entry: the "From " separator line, the message with
/// `>*From ` lines escaped by one more '>', and a blank line.
pub fn write_mbox_entry<W: Write>(w: &mut W, m: &Message) -> io::Result<()> {
    writeln!(
        w,
        "From {} {}",
        m.from.addr,
        m.date.format("%a %b %e %H:%M:%S %Y")
    )?;
    let text = render_message(m);
    for line in text.lines() {
        if line.trim_start_matches('>').starts_with("From ") {
            w.write_all(b">")?;
        }
        w.write_all(line.as_bytes())?;
        w.write_all(b"\n")?;
    }
    w.write_all(b"\n")
}

/// What [`write_bench_mbox`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BenchMbox {
    /// Messages written.
    pub messages: u64,
    /// Bytes written.
    pub bytes: u64,
    /// Messages with `address` in From/To/Cc/Reply-To.
    pub in_headers: u64,
    /// Of those and others: messages that forward a message with `address`
    /// in its headers (the mail connector counts these too).
    pub in_forwards: u64,
}

const BENCH_ATTACHMENTS: [(&str, &str); 4] = [
    ("application/pdf", "pdf"),
    ("image/jpeg", "jpg"),
    ("image/png", "png"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
];

/// Writes a large mboxrd archive for benchmarks: the estate's messages
/// (plain, quoted-printable, base64, HTML-only, multipart/alternative,
/// forwards) over and over with fresh Message-IDs, about 45 % of them with
/// binary attachments (random bytes, 4–120 KB, log-uniform) and 5 %
/// forwarded as message/rfc822, until `target` bytes are written; about
/// 30 KB per message on average. Deterministic per seed. `address` is
/// counted for the benchmark's expected result.
pub fn write_bench_mbox<W: Write>(
    w: &mut W,
    messages: &[Message],
    seed: u64,
    target: u64,
    address: &str,
) -> io::Result<BenchMbox> {
    use super::rng::Rng;
    let mut rng = Rng::new(seed ^ 0x6d61_696c_6265_6e63);
    let mut out = BenchMbox::default();
    let address = address.to_lowercase();
    let mut counter = CountingWriter { inner: w, bytes: 0 };
    let mut round = 0u64;
    while counter.bytes < target && !messages.is_empty() {
        round += 1;
        for m in messages {
            if counter.bytes >= target {
                break;
            }
            let mut m = m.clone();
            m.id = format!("r{round}.{}", m.id);
            if rng.chance(45) {
                let count = if rng.chance(20) { 2 } else { 1 };
                let mut parts = vec![m.body.clone()];
                for _ in 0..count {
                    // log-uniform 4 KB .. 120 KB
                    let size = (4096.0 * (30f64).powf(rng.below(1_000_000) as f64 / 1e6)) as usize;
                    let mut data = vec![0u8; size];
                    for chunk in data.chunks_mut(8) {
                        let r = rng.next_u64().to_le_bytes();
                        chunk.copy_from_slice(&r[..chunk.len()]);
                    }
                    let (mime, ext) = *rng.pick(&BENCH_ATTACHMENTS);
                    parts.push(Part::Attachment {
                        mime,
                        filename: format!("bijlage-{}.{ext}", rng.hex(6)),
                        data,
                    });
                }
                m.body = Part::Multipart {
                    subtype: "mixed",
                    parts,
                };
            }
            let header_hit = m.addresses().contains(&address);
            if rng.chance(5) {
                let inner = m.clone();
                m = Message {
                    id: format!("fwd.{}", inner.id),
                    date: inner.date + chrono::Duration::hours(1),
                    from: Mailbox::new(
                        Some("Klantenservice Woonstichting Voorbeeld"),
                        "klantenservice@woonstichting.example.org",
                    ),
                    to: vec![Mailbox::new(
                        Some("Team Wonen"),
                        "wonen@woonstichting.example.org",
                    )],
                    cc: vec![],
                    reply_to: None,
                    subject: format!("Fwd: {}", inner.subject),
                    header_enc: inner.header_enc,
                    body: Part::Multipart {
                        subtype: "mixed",
                        parts: vec![
                            Part::Text {
                                html: false,
                                text: "Ter informatie, zie het doorgestuurde bericht.\n".into(),
                                charset: Charset::Utf8,
                                cte: Cte::EightBit,
                            },
                            Part::Message(Box::new(inner)),
                        ],
                    },
                };
                if header_hit {
                    out.in_forwards += 1;
                }
            } else if header_hit {
                out.in_headers += 1;
            }
            write_mbox_entry(&mut counter, &m)?;
            out.messages += 1;
        }
    }
    counter.flush()?;
    out.bytes = counter.bytes;
    Ok(out)
}

struct CountingWriter<'a, W: Write> {
    inner: &'a mut W,
    bytes: u64,
}

impl<W: Write> Write for CountingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_known_values() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn qp_escapes() {
        assert_eq!(quoted_printable(b"a=b \n"), "a=3Db=20\n");
        assert_eq!(quoted_printable(b"From me\n"), "=46rom me\n");
        assert_eq!(quoted_printable("Zoë".as_bytes()), "Zo=C3=AB\n");
        let long = "x".repeat(200);
        assert!(quoted_printable(long.as_bytes())
            .lines()
            .all(|l| l.len() <= 76));
    }

    #[test]
    fn rfc2047() {
        assert_eq!(
            encode_words("Zoë", HeaderEnc::Latin1Q),
            "=?ISO-8859-1?Q?Zo=EB?="
        );
        assert_eq!(encode_words("é", HeaderEnc::Utf8B), "=?UTF-8?B?w6k=?=");
    }
}
