//! Tests of the mail connector: encodings, whole tokens, the three archive
//! forms, bad input, and the proof that the prefilter loses nothing.

use std::path::{Path, PathBuf};

use chrono::Utc;
use inzage_core::{Connector, FetchRequest, Identifier, IdentifierKind};

use super::archive::CHUNK;
use super::message::analyse;
use super::scan::{prefilter, Needles, Verdict};
use super::*;

const ME: &str = "zoe.dekker@example.org";
const KN: &str = "001042";

/// A message with the given extra headers and body (headers end at the
/// first blank line of `rest`).
fn msg(id: &str, from: &str, rest: &str) -> String {
    format!("Message-ID: <{id}>\nDate: Mon, 2 Sep 2024 10:00:00 +0200\nFrom: {from}\nTo: Klantenservice <ks@woonstichting.example.org>\n{rest}")
}

pub(crate) fn mbox(messages: &[String]) -> String {
    let mut s = String::new();
    for m in messages {
        s.push_str("From sender@example.org Mon Sep  2 10:00:00 2024\n");
        for line in m.lines() {
            if line.trim_start_matches('>').starts_with("From ") {
                s.push('>');
            }
            s.push_str(line);
            s.push('\n');
        }
        s.push('\n');
    }
    s
}

fn run(sources: &[Source], emails: &[&str], tokens: &[&str], chunk: usize) -> Found {
    let emails: Vec<String> = emails.iter().map(|e| e.to_lowercase()).collect();
    let tokens: Vec<String> = tokens.iter().map(|t| t.to_uppercase()).collect();
    search(
        sources,
        &Search {
            emails: &emails,
            tokens: &tokens,
            format: MboxFormat::Mboxrd,
            threads: 2,
            cancel: None,
            chunk_bytes: chunk,
            limits: MailLimits::default(),
            body_emails: false,
        },
    )
    .unwrap()
}

fn ids(found: &Found) -> Vec<String> {
    let mut v: Vec<String> = found
        .hits
        .iter()
        .map(|h| h.analysis.message_id.clone().unwrap_or_default())
        .collect();
    v.sort();
    v
}

/// Searches one message text as an mbox, checks that the prefilter and the
/// exact matcher agree, and returns whether it matched.
fn matches(message: &str, emails: &[&str], tokens: &[&str]) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.mbox");
    std::fs::write(&path, mbox(&[message.to_string()])).unwrap();
    let found = run(&[Source::Mbox(path)], emails, tokens, CHUNK);
    let exact = analyse(
        message.as_bytes(),
        &emails.iter().map(|e| e.to_lowercase()).collect::<Vec<_>>(),
        &tokens.iter().map(|t| t.to_uppercase()).collect::<Vec<_>>(),
    )
    .is_some_and(|a| a.matched());
    assert_eq!(found.hits.len() == 1, exact, "search and exact match agree");
    exact
}

// ------------------------------------------------------------- encodings

#[test]
fn plain_utf8_8bit_body() {
    let m = msg("a@x", "Zoë <zoe@example.net>", "Subject: Vraag\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nMijn klantnummer is 001042, groet Zoë\n");
    assert!(matches(&m, &[], &[KN]));
    assert!(!matches(&m, &[], &["001043"]));
}

#[test]
fn quoted_printable_body_with_a_soft_break_inside_the_number() {
    let m = msg("a@x", "zoe@example.net", "Subject: Vraag\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nMijn klantnummer is 0010=\n42 en Zo=C3=AB.\nkenmerk =30=301042\n");
    assert!(matches(&m, &[], &[KN]));
    // the raw bytes never hold 001042: only decoding finds it
    assert!(!m.contains(KN));
}

#[test]
fn base64_body_hides_the_klantnummer() {
    // "Het betreft klantnummer 001042.\n"
    let m = msg("a@x", "gemeente@example.net", "Subject: Doorverwijzing\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nSGV0IGJldHJlZnQga2xhbnRudW1tZXIgMDAxMDQyLgo=\n");
    assert!(!m.contains(KN));
    assert!(matches(&m, &[], &[KN]));
}

#[test]
fn rfc2047_encoded_subject_and_display_name() {
    // subject "Klant 001042 – vraag" as UTF-8 B; display name "Zoë Dekker" as Latin-1 Q
    let m = format!(
        "Message-ID: <a@x>\nFrom: =?ISO-8859-1?Q?Zo=EB_Dekker?= <{}>\nTo: ks@woonstichting.example.org\nSubject: =?UTF-8?B?S2xhbnQgMDAxMDQyIOKAkyB2cmFhZw==?=\n\nZie onderwerp.\n",
        ME.to_uppercase()
    );
    assert!(!m.contains(KN));
    assert!(matches(&m, &[], &[KN]));
    assert!(matches(&m, &[ME], &[]));
    let a = analyse(m.as_bytes(), &[], &[]).unwrap();
    assert_eq!(a.subject, "Klant 001042 – vraag");
    assert!(a.from.starts_with("Zoë Dekker <"), "{}", a.from);
}

#[test]
fn iso_8859_1_and_windows_1252_quoted_printable() {
    let latin1 = msg("a@x", "zoe@example.net", "Subject: Brief\nContent-Type: text/plain; charset=\"iso-8859-1\"\nContent-Transfer-Encoding: quoted-printable\n\nGe=EBrde heer, klantnummer 001042, Zo=EB\n");
    assert!(matches(&latin1, &[], &[KN]));
    let a = analyse(latin1.as_bytes(), &[], &[]).unwrap();
    assert!(
        a.text.contains("Geërde heer") && a.text.contains("Zoë"),
        "{}",
        a.text
    );
    let cp1252 = msg("b@x", "zoe@example.net", "Subject: Kosten\nContent-Type: text/plain; charset=\"windows-1252\"\nContent-Transfer-Encoding: quoted-printable\n\n=93servicekosten=94 van =80 25,00 voor 001042\n");
    assert!(matches(&cp1252, &[], &[KN]));
    let a = analyse(cp1252.as_bytes(), &[], &[]).unwrap();
    assert!(
        a.text.contains("\u{201c}servicekosten\u{201d} van € 25,00"),
        "{}",
        a.text
    );
}

#[test]
fn multipart_alternative_prefers_the_text_part() {
    let alt = |text: &str, html: &str| {
        msg("a@x", "zoe@example.net", &format!("Subject: Alt\nContent-Type: multipart/alternative; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain; charset=utf-8\n\n{text}\n--b1\nContent-Type: text/html; charset=utf-8\n\n<p>{html}</p>\n--b1--\n"))
    };
    assert!(matches(&alt("klant 001042", "klant 001042"), &[], &[KN]));
    // only in the HTML alternative: the text part is what the message says
    assert!(!matches(&alt("geen nummer", "klant 001042"), &[], &[KN]));
    let a = analyse(alt("tekstdeel", "htmldeel").as_bytes(), &[], &[]).unwrap();
    assert!(a.text.contains("tekstdeel") && !a.text.contains("htmldeel"));
}

#[test]
fn html_only_is_turned_into_text() {
    let m = msg("a@x", "zoe@example.net", "Subject: Html\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\nPGh0bWw+PGJvZHk+PHA+S2xhbnRudW1tZXI6IDxiPjAwMTA0MjwvYj48L3A+PC9ib2R5PjwvaHRtbD4=\n");
    // <html><body><p>Klantnummer: <b>001042</b></p></body></html>
    assert!(matches(&m, &[], &[KN]));
    let a = analyse(m.as_bytes(), &[], &[]).unwrap();
    assert!(!a.text.contains('<'), "{}", a.text);
}

fn forward(inner: &str, cte_base64: bool) -> String {
    let body = if cte_base64 {
        format!(
            "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n{}\n",
            b64(inner.as_bytes())
        )
    } else {
        format!("Content-Type: message/rfc822\n\n{inner}\n")
    };
    msg("fwd@x", "ks@woonstichting.example.org", &format!("Subject: Fwd: iets\nContent-Type: multipart/mixed; boundary=\"fw\"\n\n--fw\nContent-Type: text/plain\n\nZie hieronder.\n--fw\n{body}--fw--\n"))
}

fn b64(data: &[u8]) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                s.push(T[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                s.push('=');
            }
        }
        if s.len() % 77 == 76 {
            s.push('\n');
        }
    }
    s
}

#[test]
fn nested_message_rfc822_is_searched() {
    let inner = format!("Message-ID: <in@x>\nFrom: Zoë <{ME}>\nTo: aannemer@example.com\nSubject: Afspraak 001042\n\nDe monteur komt dinsdag.\n");
    let plain = forward(&inner, false);
    assert!(matches(&plain, &[ME], &[]));
    assert!(matches(&plain, &[], &[KN]));
    let a = analyse(plain.as_bytes(), &[], &[]).unwrap();
    assert!(a.text.contains("De monteur komt dinsdag."), "{}", a.text);
    assert!(a.text.contains("Onderwerp: Afspraak 001042"), "{}", a.text);
}

#[test]
fn an_address_only_inside_a_base64_body_is_found() {
    // a forwarded message sent base64-encoded: its From is the subject's
    // address, which no raw byte of the archive shows
    let inner = format!("Message-ID: <in@x>\nFrom: Zoë <{ME}>\nTo: aannemer@example.com\nSubject: Afspraak\n\nDe monteur komt dinsdag.\n");
    let encoded = forward(&inner, true);
    assert!(!encoded.contains(ME));
    assert!(matches(&encoded, &[ME], &[]));
    // an address merely written in a text body is not an address header
    let body_only = msg(
        "a@x",
        "ks@woonstichting.example.org",
        &format!(
            "Subject: x\nContent-Transfer-Encoding: base64\n\n{}\n",
            b64(format!("Schrijf naar {ME}\n").as_bytes())
        ),
    );
    assert!(!matches(&body_only, &[ME], &[]));
}

#[test]
fn addresses_in_every_header_that_counts() {
    for header in ["Cc", "Bcc", "Reply-To", "Sender"] {
        let m = format!("Message-ID: <a@x>\nFrom: webformulier@woonstichting.example.org\nTo: ks@woonstichting.example.org\n{header}: \"Dekker, Zoë\" <{}>\nSubject: x\n\nhallo\n", ME.to_uppercase());
        assert!(matches(&m, &[ME], &[]), "{header}");
    }
    let other = format!("Message-ID: <a@x>\nFrom: a@example.org\nTo: b@example.org\nX-Original-To: {ME}\nSubject: x\n\nhallo\n");
    assert!(
        !matches(&other, &[ME], &[]),
        "another header does not count"
    );
}

#[test]
fn a_number_in_a_binary_attachment_is_skipped_safely() {
    // 001042 written in the pdf (base64) only: attachments are not text
    let pdf = b64(b"%PDF-1.4 klantnummer 001042 %%EOF");
    let m = msg("a@x", "zoe@example.net", &format!("Subject: Bijlage\nContent-Type: multipart/mixed; boundary=\"mx\"\n\n--mx\nContent-Type: text/plain\n\nZie bijlage.\n--mx\nContent-Type: application/pdf; name=\"brief.pdf\"\nContent-Disposition: attachment; filename=\"brief.pdf\"\nContent-Transfer-Encoding: base64\n\n{pdf}\n--mx--\n"));
    assert_eq!(
        prefilter(m.as_bytes(), &Needles::new([], [KN])),
        Verdict::Reject
    );
    assert!(!matches(&m, &[], &[KN]));
    let a = analyse(m.as_bytes(), &[], &[]).unwrap();
    assert_eq!(a.attachments.len(), 1);
    assert_eq!(a.attachments[0].file_name, "brief.pdf");
    assert_eq!(a.attachments[0].mime_type, "application/pdf");
    assert_eq!(a.attachments[0].size, 33);
}

// ---------------------------------------------------------- whole tokens

#[test]
fn a_number_that_is_a_prefix_of_another_does_not_match() {
    let m = msg("a@x", "incasso@woonstichting.example.org", "Subject: Onbekende betalingen\n\nreferentie 0010421 en kenmerk 3001042 en dossier HO2001171 en K-10012\n");
    assert!(!matches(&m, &[], &[KN]));
    assert!(!matches(&m, &[], &["HO200117"]));
    assert!(!matches(&m, &[], &["K-1001"]));
    let m = msg(
        "b@x",
        "a@example.org",
        "Subject: Re: K-1001\n\nover (001042) en ho200117.\n",
    );
    assert!(matches(&m, &[], &[KN]));
    assert!(matches(&m, &[], &["HO200117"]));
    assert!(matches(&m, &[], &["K-1001"]));
}

// ----------------------------------------------------------- three forms

fn sample() -> Vec<String> {
    vec![
        msg("m1@x", &format!("Zoë <{ME}>"), "Subject: Een\n\nFrom now on I use this address.\n>From the old one too.\n"),
        msg("m2@x", "ks@woonstichting.example.org", &format!("Cc: {ME}\nSubject: Twee\n\nhallo\n")),
        msg("m3@x", "gemeente@example.net", "Subject: Drie\nContent-Transfer-Encoding: base64\n\nSGV0IGJldHJlZnQga2xhbnRudW1tZXIgMDAxMDQyLgo=\n"),
        msg("m4@x", "ander@example.net", "Subject: Vier\n\nniets 0010421\n"),
        forward(&format!("Message-ID: <in@x>\nFrom: {ME}\nTo: x@example.com\nSubject: In\n\ntekst\n"), true),
    ]
}

#[test]
fn the_same_messages_as_mbox_maildir_and_eml_give_the_same_result() {
    let dir = tempfile::tempdir().unwrap();
    let messages = sample();
    let mbox_path = dir.path().join("a.mbox");
    std::fs::write(&mbox_path, mbox(&messages)).unwrap();
    let maildir = dir.path().join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    let eml = dir.path().join("eml");
    std::fs::create_dir_all(&eml).unwrap();
    for (i, m) in messages.iter().enumerate() {
        let sub = if i % 2 == 0 { "cur" } else { "new" };
        std::fs::write(
            maildir.join(sub).join(format!("17000000{i}.M1P1.host:2,S")),
            m,
        )
        .unwrap();
        std::fs::write(eml.join(format!("{i}.eml")), m).unwrap();
    }
    // a half-written message in tmp/ is not read
    std::fs::write(
        maildir.join("tmp/x"),
        msg("tmp@x", ME, "Subject: tmp\n\nx\n"),
    )
    .unwrap();
    let want = ["fwd@x", "m1@x", "m2@x", "m3@x"];
    for source in [
        Source::detect(&mbox_path),
        Source::detect(&maildir),
        Source::detect(&eml),
    ] {
        let found = run(std::slice::from_ref(&source), &[ME], &[KN], CHUNK);
        assert_eq!(ids(&found), want, "{source:?}");
        let m1 = found
            .hits
            .iter()
            .find(|h| h.analysis.message_id.as_deref() == Some("m1@x"))
            .unwrap();
        assert!(
            m1.analysis.text.contains("\nFrom now on")
                || m1.analysis.text.starts_with("From now on")
        );
        assert!(
            m1.analysis.text.contains("\n>From the old one"),
            "{}",
            m1.analysis.text
        );
    }
    assert!(matches!(Source::detect(&maildir), Source::Maildir(_)));
    assert!(matches!(Source::detect(&eml), Source::Eml(_)));
}

#[test]
fn small_chunks_find_the_same_messages_as_one_chunk() {
    let dir = tempfile::tempdir().unwrap();
    let mut messages = Vec::new();
    for i in 0..50 {
        messages.extend(
            sample()
                .into_iter()
                .map(|m| m.replace("@x>", &format!(".{i}@x>"))),
        );
    }
    let path = dir.path().join("a.mbox");
    std::fs::write(&path, mbox(&messages)).unwrap();
    let whole = run(&[Source::Mbox(path.clone())], &[ME], &[KN], CHUNK);
    assert_eq!(whole.hits.len(), 200);
    for chunk in [1, 7, 100, 1000, 4096] {
        let parts = run(&[Source::Mbox(path.clone())], &[ME], &[KN], chunk);
        assert_eq!(ids(&parts), ids(&whole), "chunk {chunk}");
        assert_eq!(parts.messages, 250, "chunk {chunk}");
    }
}

// -------------------------------------------------------------- bad input

fn fetch(paths: Vec<PathBuf>, ids: &[(IdentifierKind, &str)]) -> FetchOutcome {
    let config: MailConfig = toml::from_str(&format!(
        r#"
id = "mail"
label = "Mail"
paths = {:?}
[[dataset]]
name = "Bericht"
purposes = ["communicatie"]
retention = "contact_2j"
key = "message_id"
match = {{ email = "adressen", klantnummer = "onderwerp_tekst", contractnummer = "onderwerp_tekst" }}
fields = {{ message_id = "c", datum = "c", van = "c", aan = "c", cc = "c", onderwerp = "c", tekst = "c", bijlagen = "c", gevonden_via = "c", opmerking = "c" }}
"#,
        paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>()
    ))
    .unwrap();
    assert!(config.validate().is_empty(), "{:?}", config.validate());
    let connector = MailConnector::new(config);
    let request = FetchRequest {
        identifiers: ids
            .iter()
            .map(|(k, v)| Identifier::new(*k, v).unwrap())
            .collect(),
        fetched_at: Utc::now(),
    };
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(connector.fetch(&request))
        .unwrap()
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

fn opmerking(r: &inzage_core::Record) -> String {
    r.get("opmerking")
        .and_then(|v| v.as_text())
        .unwrap_or_default()
}

/// The notes on a mail record, as the closed list the report words.
fn notes(r: &inzage_core::Record) -> Vec<inzage_core::ReadingNote> {
    match r.get("opmerking") {
        Some(inzage_core::Value::List(items)) => items
            .iter()
            .map(|v| match v {
                inzage_core::Value::Note(n) => *n,
                other => panic!("not a note: {other:?}"),
            })
            .collect(),
        Some(inzage_core::Value::Null) | None => Vec::new(),
        Some(other) => panic!("opmerking is not a list of notes: {other:?}"),
    }
}

#[test]
fn records_carry_the_fields_and_what_matched() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "a.mbox", mbox(&sample()).as_bytes());
    let out = fetch(
        vec![p],
        &[
            (IdentifierKind::Email, ME),
            (IdentifierKind::Klantnummer, KN),
        ],
    );
    assert_eq!(out.records.len(), 4);
    let r = out.records.iter().find(|r| r.key == "m3@x").unwrap();
    assert_eq!(
        r.matched_on,
        [Identifier::new(IdentifierKind::Klantnummer, KN).unwrap()]
    );
    assert!(
        r.location
            .ends_with(&format!(":{}", mbox(&sample()[..2]).len())),
        "{}",
        r.location
    );
    assert_eq!(
        r.get("gevonden_via").unwrap().as_text().unwrap(),
        "klantnummer 001042"
    );
    assert_eq!(
        r.get("datum").unwrap().as_text().unwrap(),
        "2024-09-02T10:00:00+02:00"
    );
    assert!(r.owner.is_none() && r.yields.is_empty());
    let names: Vec<&str> = r.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, FIELDS);
}

#[test]
fn an_empty_mbox_is_no_error_and_no_mail() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "leeg.mbox", b"");
    let out = fetch(vec![p], &[(IdentifierKind::Email, ME)]);
    assert!(out.records.is_empty() && out.review.is_empty());
}

#[test]
fn a_truncated_message_is_reported_and_the_rest_continues() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = mbox(&sample());
    let cut = msg("cut@x", ME, "Subject: Afgekapt\nContent-Type: multipart/mixed; boundary=\"zz\"\n\n--zz\nContent-Type: text/plain\n\nklantnummer 001042\n--zz\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK");
    text.push_str("From x Mon Sep  2 10:00:00 2024\n");
    text.push_str(&cut);
    let p = write(dir.path(), "a.mbox", text.as_bytes());
    let out = fetch(vec![p.clone()], &[(IdentifierKind::Email, ME)]);
    assert_eq!(out.records.len(), 4, "the truncated one matched too");
    let r = out.records.iter().find(|r| r.key == "cut@x").unwrap();
    assert_eq!(
        notes(r)[0],
        inzage_core::ReadingNote::Truncated,
        "{:?}",
        notes(r)
    );
    assert!(r.location.starts_with(&p.display().to_string()));
    let whole = out.records.iter().find(|r| r.key != "cut@x").unwrap();
    assert!(notes(whole).is_empty(), "{}", opmerking(whole));
}

#[test]
fn a_form_the_prefilter_does_not_follow_is_no_note_on_a_sound_message() {
    // An RFC 2231 boundary parameter: valid, the prefilter is unsure and the
    // full parse decides; the tenant must not read of damage there is not.
    let dir = tempfile::tempdir().unwrap();
    let unusual = msg("rfc2231@x", ME, "Subject: Gewoon\nContent-Type: multipart/mixed; boundary*=\"zz\"\n\n--zz\nContent-Type: text/plain\n\nHallo.\n--zz--\n");
    let doubt = super::scan::structure_problem(unusual.as_bytes());
    assert_eq!(
        doubt.map(|d| d.damage),
        Some(None),
        "the prefilter is unsure, without damage"
    );
    let p = write(dir.path(), "a.mbox", mbox(&[unusual]).as_bytes());
    let out = fetch(vec![p], &[(IdentifierKind::Email, ME)]);
    let r = out.records.iter().find(|r| r.key == "rfc2231@x").unwrap();
    assert_eq!(
        r.get("opmerking"),
        Some(&inzage_core::Value::Null),
        "{}",
        opmerking(r)
    );
}

#[test]
fn invalid_utf8_is_replaced_and_noted() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = msg("bad@x", ME, "Subject: Kapot\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nklantnummer 001042 ").into_bytes();
    bytes.extend_from_slice(b"\xff\xfe\xc3 en verder\n");
    let mut all = mbox(&sample()).into_bytes();
    all.extend_from_slice(b"From x Mon Sep  2 10:00:00 2024\n");
    all.extend_from_slice(&bytes);
    let p = write(dir.path(), "a.mbox", &all);
    let out = fetch(vec![p], &[(IdentifierKind::Klantnummer, KN)]);
    let r = out.records.iter().find(|r| r.key == "bad@x").unwrap();
    assert!(r
        .get("tekst")
        .unwrap()
        .as_text()
        .unwrap()
        .contains("en verder"));
    assert_eq!(notes(r), [inzage_core::ReadingNote::InvalidCharacters]);
    assert_eq!(out.records.len(), 2);
}

#[test]
fn a_broken_mime_boundary_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    // the boundary announced is not the one used
    let broken = msg("brk@x", "x@example.org", "Subject: Kapot\nContent-Type: multipart/mixed; boundary=\"aaa\"\n\n--bbb\nContent-Type: text/plain\n\nklantnummer 001042\n--bbb--\n");
    let mut messages = sample();
    messages.insert(1, broken);
    let p = write(dir.path(), "a.mbox", mbox(&messages).as_bytes());
    let out = fetch(
        vec![p],
        &[
            (IdentifierKind::Klantnummer, KN),
            (IdentifierKind::Email, ME),
        ],
    );
    assert_eq!(out.records.len(), 5);
    let r = out.records.iter().find(|r| r.key == "brk@x").unwrap();
    assert!(r
        .get("tekst")
        .unwrap()
        .as_text()
        .unwrap()
        .contains("001042"));
}

#[test]
fn a_message_without_headers_becomes_a_review_item() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = mbox(&sample());
    text.push_str("From x Mon Sep  2 10:00:00 2024\n\nGeen kopregels, wel klantnummer 001042.\n\n");
    let p = write(dir.path(), "a.mbox", text.as_bytes());
    let offset = mbox(&sample()).len();
    let out = fetch(vec![p.clone()], &[(IdentifierKind::Klantnummer, KN)]);
    assert_eq!(out.records.len(), 1);
    assert_eq!(out.review.len(), 1, "{:?}", out.review);
    let line = mbox(&sample()).lines().count() + 2;
    assert_eq!(
        out.review[0].location,
        format!("{}:{offset} (line {line})", p.display())
    );
    assert!(
        !out.review[0].reason.to_string().contains(KN),
        "no identifier in the reason"
    );
    // EML: the file name
    let e = write(
        dir.path(),
        "kaal.eml",
        b"Geen kopregels, wel klantnummer 001042.\n",
    );
    let out = fetch(vec![e.clone()], &[(IdentifierKind::Klantnummer, KN)]);
    assert_eq!(out.review.len(), 1);
    assert_eq!(out.review[0].location, e.display().to_string());
}

#[test]
fn a_50_mb_attachment_is_skipped_or_listed_and_the_rest_continues() {
    let dir = tempfile::tempdir().unwrap();
    let data: Vec<u8> = (0..50u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let big = msg("big@x", ME, &format!("Subject: Groot\nContent-Type: multipart/mixed; boundary=\"big\"\n\n--big\nContent-Type: text/plain\n\nZie bijlage.\n--big\nContent-Type: application/octet-stream; name=\"film.mov\"\nContent-Transfer-Encoding: base64\n\n{}\n--big--\n", b64(&data)));
    let mut messages = vec![big];
    messages.extend(sample());
    let p = write(dir.path(), "a.mbox", mbox(&messages).as_bytes());
    drop(messages);
    // not asked for: skipped without decoding
    let out = fetch(vec![p.clone()], &[(IdentifierKind::Klantnummer, KN)]);
    assert_eq!(out.records.len(), 1);
    // asked for: listed with size and sha256
    let out = fetch(vec![p], &[(IdentifierKind::Email, ME)]);
    let r = out.records.iter().find(|r| r.key == "big@x").unwrap();
    let listing = r.get("bijlagen").unwrap().as_text().unwrap();
    use sha2::{Digest, Sha256};
    let sha = hex::encode(Sha256::digest(&data));
    assert_eq!(
        listing,
        format!(
            "film.mov (application/octet-stream, {} bytes, sha256 {sha})",
            data.len()
        )
    );
    let attachments = read_attachments(&r.location, MboxFormat::Mboxrd).unwrap();
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0].1.len(), data.len());
    assert_eq!(attachments[0].0.sha256, sha);
    assert_eq!(out.records.len(), 4, "big@x and the three of the sample");
}

// ------------------------------------------------- the prefilter loses nothing

/// Every message of a generated estate (the committed fixture estate's
/// messages, plus a sample of the benchmark archive with attachments and
/// forwards), for every e-mail address and number of every person: when the
/// exact matcher matches, the prefilter did not reject.
#[test]
fn the_prefilter_never_rejects_a_message_that_matches() {
    use inzage_testkit::estate::{build, mail, EstateConfig};
    let estate = build(&EstateConfig::default());
    let mut archive = Vec::new();
    for m in &estate.messages {
        mail::write_mbox_entry(&mut archive, m).unwrap();
    }
    mail::write_bench_mbox(&mut archive, &estate.messages, 7, 4 << 20, "x@example.org").unwrap();
    let emails: Vec<String> = estate
        .people
        .iter()
        .flat_map(|p| p.emails.iter().map(|e| e.to_lowercase()))
        .collect();
    let mut tokens: Vec<String> = estate
        .people
        .iter()
        .map(|p| p.klantnummer.clone())
        .collect();
    tokens.extend(estate.contracts.iter().map(|c| c.contractnummer.clone()));
    let mut checked = 0;
    let mut matched = 0;
    let mut messages = Vec::new();
    let mut at = 0;
    while at < archive.len() {
        let start = memchr::memchr(b'\n', &archive[at..]).unwrap() + at + 1;
        let end = memchr::memmem::find(&archive[start..], b"\nFrom ")
            .map_or(archive.len(), |i| start + i);
        messages.push(&archive[start..end]);
        at = end + 1;
    }
    // Staff discussing a tenant: the address only in the text, plain,
    // quoted-printable (`=40`), base64, as an HTML entity, in a forward.
    let staff = body_address_messages(&emails[0]);
    messages.extend(staff.iter().map(|m| m.as_bytes()));
    assert!(messages.len() > 300, "{}", messages.len());
    let mut in_text_only = 0;
    for raw in messages {
        let text = archive::unescape(raw, MboxFormat::Mboxrd);
        let a = analyse(&text, &emails, &tokens).unwrap();
        // With addresses in the text too (`email = "adressen_tekst"`).
        let b = super::message::analyse_with(&text, &emails, &tokens, true).unwrap();
        for &i in &b.matched_emails {
            let v = prefilter(raw, &Needles::new([emails[i].as_str()], []).in_text(true));
            assert_ne!(
                v,
                Verdict::Reject,
                "in text: {} / {}",
                emails[i],
                String::from_utf8_lossy(raw)
            );
            in_text_only += usize::from(!a.matched_emails.contains(&i));
        }
        for &i in &a.matched_emails {
            let v = prefilter(raw, &Needles::new([emails[i].as_str()], []));
            assert_ne!(
                v,
                Verdict::Reject,
                "{} / {}",
                emails[i],
                String::from_utf8_lossy(&raw[..200])
            );
            matched += 1;
        }
        for &i in &a.matched_tokens {
            let v = prefilter(raw, &Needles::new([], [tokens[i].as_str()]));
            assert_ne!(
                v,
                Verdict::Reject,
                "{} / {}",
                tokens[i],
                String::from_utf8_lossy(&raw[..200])
            );
            matched += 1;
        }
        // and it is selective: a message is rarely a candidate for nobody
        let nobody = prefilter(raw, &Needles::new(["nobody@example.invalid"], ["999999"]));
        assert_eq!(
            nobody,
            Verdict::Reject,
            "{}",
            String::from_utf8_lossy(&raw[..300])
        );
        checked += 1;
    }
    assert!(checked > 300 && matched > 300, "{checked} {matched}");
    assert!(in_text_only >= staff.len(), "{in_text_only}");
}

/// Messages between staff that name `address` only in their text.
pub(crate) fn body_address_messages(address: &str) -> Vec<String> {
    let staff = "Wouter <wouter@woonstichting.example.org>";
    let qp = address.replace('@', "=40");
    let b64 = inzage_testkit::estate::mail::base64(
        format!("Kun jij {address} even terugmailen?\n").as_bytes(),
    );
    let entity = address.replace('@', "&#64;");
    vec![
        msg("s1@x", staff, &format!("Subject: huurder\n\nZie {address}, graag actie.\n")),
        msg("s2@x", staff, &format!("Subject: huurder\nContent-Transfer-Encoding: quoted-printable\n\nMail van {qp}.\n")),
        msg("s3@x", staff, &format!("Subject: huurder\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n{b64}\n")),
        msg("s4@x", staff, &format!("Subject: huurder\nContent-Type: text/html\n\n<p>Van <b>{entity}</b></p>\n")),
        msg("s5@x", staff, &format!("Subject: Fwd\nContent-Type: message/rfc822\n\nFrom: Ander <ander@example.net>\nSubject: vraag\n\nTekst met <{address}>.\n")),
        msg("s6@x", staff, &format!("Subject: =?utf-8?q?over_{qp}?=\n\nzie onderwerp\n")),
    ]
}

#[test]
fn addresses_in_the_text_match_only_with_adressen_tekst() {
    let me = [ME.to_string()];
    for m in body_address_messages(ME) {
        let without = analyse(m.as_bytes(), &me, &[]).unwrap();
        let with = super::message::analyse_with(m.as_bytes(), &me, &[], true).unwrap();
        let subject_only = m.contains("s6@x");
        assert!(without.matched_emails.is_empty(), "{m}");
        assert_eq!(with.matched_emails.is_empty(), subject_only, "{m}");
    }
    let words = |t: &str| {
        super::message::text_addresses(t)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(words("mail jan@example.org."), ["jan@example.org"]);
    assert_eq!(
        words("<Jan.Smit@Example.org>, xjan@example.org.uk"),
        ["Jan.Smit@Example.org", "xjan@example.org.uk"]
    );
    assert!(words("a @ b, @x, y@").is_empty());
}

/// Found in review: a file that is no mbox at all (a .gz picked up by a
/// glob) was read as one message and silently found nothing.
#[test]
fn a_file_that_is_no_mbox_fails_the_search() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("archive.mbox.gz");
    std::fs::write(
        &gz,
        b"\x1f\x8b\x08\x00binary compressed bytes, no separators",
    )
    .unwrap();
    let emails = vec!["zoe@example.net".to_string()];
    let Err(err) = search(
        &[Source::Mbox(gz.clone())],
        &Search {
            emails: &emails,
            tokens: &[],
            format: MboxFormat::Mboxrd,
            threads: 1,
            cancel: None,
            chunk_bytes: 1 << 20,
            limits: MailLimits::default(),
            body_emails: false,
        },
    ) else {
        panic!("a file that is no mbox must fail the search")
    };
    assert_eq!(err.path, gz);
    assert!(
        err.cause.to_string().contains("not an mbox file"),
        "{}",
        err.cause
    );
    // A damaged start with messages after it is still read.
    let damaged = dir.path().join("damaged.mbox");
    std::fs::write(
        &damaged,
        format!(
            "garbage\n{}",
            mbox(&[msg("a@x", "zoe@example.net", "Subject: hoi\n\ntekst\n")])
        ),
    )
    .unwrap();
    let found = run(&[Source::Mbox(damaged)], &["zoe@example.net"], &[], 1 << 20);
    assert_eq!(ids(&found), ["a@x"]);
}

/// Same damage, same answer: a boundary that never closes and a message
/// cut off inside base64 are both kept, with a note, wherever the text can
/// still be read; matched by address and by a number in the text alike.
#[test]
fn unclosed_and_cut_off_messages_are_kept_alike_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let unclosed = msg("open@x", "x@example.org", "Subject: Open grens\nContent-Type: multipart/mixed; boundary=\"zz\"\n\n--zz\nContent-Type: text/plain\n\nOver klantnummer 001042 en meer.\n");
    let cut_b64 = msg("b64@x", "y@example.org", "Subject: Afgekapt\nContent-Type: multipart/mixed; boundary=\"yy\"\n\n--yy\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nT3ZlciBrbGFudG51bW1lciAwMDEwNDIgZW4gbWVlci4K\n--yy\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK");
    let unclosed_to_me = msg("open2@x", ME, "Subject: Open grens\nContent-Type: multipart/mixed; boundary=\"qq\"\n\n--qq\nContent-Type: text/plain\n\nHallo.\n");
    for (name, text) in [
        ("a.mbox", &unclosed),
        ("b.mbox", &cut_b64),
        ("c.mbox", &unclosed_to_me),
    ] {
        write(
            dir.path(),
            name,
            mbox(std::slice::from_ref(text)).as_bytes(),
        );
    }
    let out = fetch(
        vec![
            dir.path().join("a.mbox"),
            dir.path().join("b.mbox"),
            dir.path().join("c.mbox"),
        ],
        &[
            (IdentifierKind::Klantnummer, KN),
            (IdentifierKind::Email, ME),
        ],
    );
    let mut keys: Vec<&str> = out.records.iter().map(|r| r.key.as_str()).collect();
    keys.sort();
    assert_eq!(
        keys,
        ["b64@x", "open2@x", "open@x"],
        "review: {:?}",
        out.review
    );
    for r in &out.records {
        assert!(
            notes(r).contains(&inzage_core::ReadingNote::Truncated),
            "{} is noted as cut off: {:?}",
            r.key,
            notes(r)
        );
    }
    assert!(out.review.is_empty(), "{:?}", out.review);
}
