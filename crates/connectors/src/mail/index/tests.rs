//! The index against a full scan: the same answer for every key it holds;
//! appends indexed incrementally; a rewritten file detected.

use std::path::{Path, PathBuf};

use sqlx::Row;

use super::*;
use crate::mail::archive::{search, search_at, Found, Search};
use crate::mail::{MailConfig, CHUNK};

fn config(dir: &Path) -> MailConfig {
    config_matching(dir, "adressen")
}

/// A mail source over `dir/*.mbox` with its index in `dir`, matching
/// addresses as `email` says (`adressen` or `adressen_tekst`).
fn config_matching(dir: &Path, email: &str) -> MailConfig {
    let mut c: MailConfig = toml::from_str(&format!(
        r#"
id = "mail"
label = "Mail"
paths = [{:?}]
index = {:?}
[[dataset]]
name = "Bericht"
purposes = ["communicatie"]
retention = "contact_2j"
key = "message_id"
match = {{ email = "{email}", klantnummer = "onderwerp_tekst", contractnummer = "onderwerp_tekst" }}
"#,
        dir.join("*.mbox").display().to_string(),
        dir.join("mail-index.sqlite").display().to_string()
    ))
    .unwrap();
    c.base = dir.to_path_buf();
    c
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn how<'a>(c: &MailConfig, emails: &'a [String], tokens: &'a [String]) -> Search<'a> {
    Search {
        emails,
        tokens,
        format: c.mbox_format,
        threads: 2,
        cancel: None,
        chunk_bytes: CHUNK,
        limits: c.limits,
        body_emails: c.body_emails(),
    }
}

fn summary(f: &Found) -> Vec<String> {
    let mut out: Vec<String> = f
        .hits
        .iter()
        .map(|h| {
            format!(
                "{} {:?} {:?} {:?}",
                h.location, h.analysis.matched_emails, h.analysis.matched_tokens, h.analysis.notes
            )
        })
        .collect();
    out.extend(f.problems.iter().map(|p| format!("{p:?}")));
    out
}

/// Full scan and index lookup for one search; panics when they differ.
fn same_answer(c: &MailConfig, emails: &[String], tokens: &[String]) -> usize {
    let sources = c.sources().unwrap();
    let full = search(&sources, &how(c, emails, tokens)).unwrap();
    let Lookup::Candidates(candidates) = rt().block_on(lookup(c, emails, tokens)).unwrap() else {
        panic!("the index is fresh")
    };
    let indexed = search_at(&candidates, &how(c, emails, tokens)).unwrap();
    assert_eq!(summary(&indexed), summary(&full), "{emails:?} {tokens:?}");
    full.hits.len()
}

fn fixture_copy(dir: &Path) -> PathBuf {
    let to = dir.join("archive.mbox");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/mail/archive.mbox"),
        &to,
    )
    .unwrap();
    to
}

fn all_keys(c: &MailConfig) -> Vec<String> {
    rt().block_on(async {
        let pool = open(Path::new(c.index.as_deref().unwrap()), false)
            .await
            .unwrap();
        sqlx::query("SELECT DISTINCT key FROM keys ORDER BY key")
            .fetch_all(&pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect()
    })
}

#[test]
fn the_index_gives_the_full_scans_answer_for_every_address_and_number_of_the_estate() {
    let dir = tempfile::tempdir().unwrap();
    fixture_copy(dir.path());
    every_key_gives_the_scans_answer(&config(dir.path()));
}

/// With `email = "adressen_tekst"`, staff mail naming a tenant's address
/// only in the text included: the index keys those addresses too.
#[test]
fn with_addresses_in_the_text_the_index_still_gives_the_scans_answer() {
    let dir = tempfile::tempdir().unwrap();
    fixture_copy(dir.path());
    let staff = crate::mail::tests::body_address_messages("m.nusken@example.org");
    std::fs::write(
        dir.path().join("staff.mbox"),
        crate::mail::tests::mbox(&staff),
    )
    .unwrap();
    let c = config_matching(dir.path(), "adressen_tekst");
    assert!(c.body_emails());
    every_key_gives_the_scans_answer(&c);
    let found = same_answer(&c, &["m.nusken@example.org".into()], &[]);
    let plain = config(dir.path());
    rt().block_on(update(&plain, 2)).unwrap();
    let headers_only = same_answer(&plain, &["m.nusken@example.org".into()], &[]);
    assert_eq!(
        found,
        headers_only + staff.len() - 1,
        "all but the subject-only one"
    );
}

/// Every key the exact matcher can find a message by, from a full parse
/// of every message of the archive (attachments decoded and all): the
/// oracle the index is held to, independent of how the index keys.
fn matcher_keys(c: &MailConfig) -> Vec<String> {
    let mut keys = std::collections::BTreeSet::new();
    for source in c.sources().unwrap() {
        let crate::mail::Source::Mbox(path) = source else {
            continue;
        };
        let data = std::fs::read(&path).unwrap();
        for (_, raw, _) in crate::mail::archive::mbox_messages(&data, 0) {
            let text = crate::mail::archive::unescape(raw, c.mbox_format);
            let Some(r) = crate::mail::message::read(&text) else {
                continue;
            };
            keys.extend(r.addresses.iter().map(|a| email_key(a)));
            for s in r.subjects.iter().chain([&r.analysis.text]) {
                keys.extend(crate::mail::message::index_words(s).map(|w| token_key(&w)));
            }
            if c.body_emails() {
                keys.extend(crate::mail::message::text_addresses(&r.analysis.text).map(email_key));
            }
        }
    }
    keys.into_iter().collect()
}

/// The keys to ask: what the index holds and what the matcher can find.
fn keys_to_ask(c: &MailConfig) -> Vec<String> {
    let mut keys = all_keys(c);
    keys.extend(matcher_keys(c));
    keys.sort();
    keys.dedup();
    keys
}

fn ask(key: &str) -> (Vec<String>, Vec<String>) {
    match key.split_once(':').unwrap() {
        ("e", a) => (vec![a.to_string()], vec![]),
        (_, t) => (vec![], vec![t.to_string()]),
    }
}

/// On a large archive (the benchmark's, `INZAGE_INDEX_ARCHIVE=path.mbox`,
/// run by bench/index.sh): the index gives the full scan's answer for a
/// spread of 100 keys the matcher can find messages by. Without the
/// variable there is nothing to compare, and the test says so.
#[test]
fn on_a_large_archive_the_index_gives_the_scans_answer() {
    let Some(archive) = std::env::var_os("INZAGE_INDEX_ARCHIVE") else {
        eprintln!("INZAGE_INDEX_ARCHIVE is not set: run bench/index.sh to compare on its archive");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut c = config(dir.path());
    c.paths = vec![PathBuf::from(&archive).display().to_string()];
    rt().block_on(update(&c, 2)).unwrap();
    let keys = matcher_keys(&c);
    let step = (keys.len() / 100).max(1);
    let mut hits = 0;
    for key in keys.iter().step_by(step) {
        let (emails, tokens) = ask(key);
        hits += same_answer(&c, &emails, &tokens);
    }
    assert!(hits >= keys.len() / step, "every key finds a message");
    eprintln!(
        "{} keys of {} compared, {hits} messages found alike",
        keys.len().div_ceil(step),
        keys.len()
    );
}

fn every_key_gives_the_scans_answer(c: &MailConfig) {
    let c = c.clone();
    let stats = rt().block_on(update(&c, 2)).unwrap();
    assert!(stats.messages > 50, "{stats:?}");
    let keys = keys_to_ask(&c);
    assert!(keys.len() > 100, "{}", keys.len());
    let mut hits = 0;
    for key in &keys {
        let (emails, tokens) = ask(key);
        hits += same_answer(&c, &emails, &tokens);
    }
    assert!(hits >= keys.len(), "every key finds its message");
    // Absent identifiers, and a search for several at once.
    assert_eq!(
        same_answer(&c, &["nobody@example.org".into()], &["999999".into()]),
        0
    );
    let some: Vec<String> = keys
        .iter()
        .filter(|k| k.starts_with("e:"))
        .take(5)
        .map(|k| k[2..].to_string())
        .collect();
    same_answer(&c, &some, &["001001".into(), "HO200002".into()]);
}

const EXTRA: &str = "From a@example.org Mon Sep  2 10:00:00 2024\nMessage-ID: <extra-1@example.org>\nFrom: Nieuw <nieuw.adres@example.org>\nTo: ks@woonstichting.example.org\nSubject: klantnummer 007007\n\nTekst.\n\n";

#[test]
fn an_append_is_indexed_without_reading_the_rest_and_a_rewrite_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let mbox = fixture_copy(dir.path());
    let c = config(dir.path());
    let size = std::fs::metadata(&mbox).unwrap().len();
    rt().block_on(update(&c, 2)).unwrap();
    assert!(matches!(
        rt().block_on(freshness(&c)).unwrap(),
        Freshness::Fresh { .. }
    ));
    // Append: stale until updated, then only the tail is read.
    use std::io::Write;
    std::fs::OpenOptions::new()
        .append(true)
        .open(&mbox)
        .unwrap()
        .write_all(EXTRA.as_bytes())
        .unwrap();
    let Freshness::Stale(why) = rt().block_on(freshness(&c)).unwrap() else {
        panic!("an appended mbox is not fresh")
    };
    assert!(why.contains("inzage index"), "{why}");
    let Lookup::Stale(_) = rt()
        .block_on(lookup(&c, &["nieuw.adres@example.org".into()], &[]))
        .unwrap()
    else {
        panic!("a stale index is not used")
    };
    let stats = rt().block_on(update(&c, 2)).unwrap();
    assert_eq!(
        (stats.files_read, stats.files_rewritten, stats.rebuilt),
        (1, 0, false)
    );
    assert!(stats.bytes < EXTRA.len() as u64 + size / 10, "{stats:?}");
    assert_eq!(
        same_answer(&c, &["nieuw.adres@example.org".into()], &["007007".into()]),
        1
    );
    for key in all_keys(&c).iter().step_by(7) {
        let (emails, tokens) = match key.split_once(':').unwrap() {
            ("e", a) => (vec![a.to_string()], vec![]),
            (_, t) => (vec![], vec![t.to_string()]),
        };
        same_answer(&c, &emails, &tokens);
    }
    // Rewrite: the same bytes but the new message moved to the front.
    let all = std::fs::read(&mbox).unwrap();
    let mut rewritten = EXTRA.as_bytes().to_vec();
    rewritten.extend_from_slice(&all[..all.len() - EXTRA.len()]);
    std::fs::write(&mbox, &rewritten).unwrap();
    let stats = rt().block_on(update(&c, 2)).unwrap();
    assert_eq!(
        (stats.files_read, stats.files_rewritten),
        (1, 1),
        "{stats:?}"
    );
    assert_eq!(
        same_answer(&c, &["nieuw.adres@example.org".into()], &["007007".into()]),
        1
    );
}

/// The connector says in its answer (for the manifest) whether the index
/// was used, and finds the same records either way.
#[test]
fn the_connector_uses_a_fresh_index_and_scans_past_a_stale_one() {
    use inzage_core::{Connector, FetchRequest, Identifier, IdentifierKind};
    let dir = tempfile::tempdir().unwrap();
    let mbox = fixture_copy(dir.path());
    let c = config(dir.path());
    let connector = crate::mail::MailConnector::new(c.clone());
    let request = FetchRequest {
        identifiers: vec![
            Identifier::new(IdentifierKind::Email, "m.nusken@example.org").unwrap(),
            Identifier::new(IdentifierKind::Klantnummer, "001001").unwrap(),
        ],
        fetched_at: chrono::Utc::now(),
    };
    let keys =
        |o: &inzage_core::FetchOutcome| o.records.iter().map(|r| r.key.clone()).collect::<Vec<_>>();
    let unbuilt = rt().block_on(connector.fetch(&request)).unwrap();
    assert!(
        unbuilt.notes[0].contains("not used (the index has not been built"),
        "{:?}",
        unbuilt.notes
    );
    rt().block_on(update(&c, 2)).unwrap();
    let fresh = rt().block_on(connector.fetch(&request)).unwrap();
    assert!(
        fresh.notes[0].starts_with("mail index used"),
        "{:?}",
        fresh.notes
    );
    assert_eq!(keys(&fresh), keys(&unbuilt));
    assert!(!keys(&fresh).is_empty());
    let t = std::fs::File::options().write(true).open(&mbox).unwrap();
    t.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    let stale = rt().block_on(connector.fetch(&request)).unwrap();
    assert!(
        stale.notes[0].contains("whole archive was scanned"),
        "{:?}",
        stale.notes
    );
    assert_eq!(keys(&stale), keys(&fresh));
}

/// Messages whose attachments stand before, between and after the parts the
/// matcher reads: the index leaves attachment bodies out when it keys a
/// message, and still finds every key the matcher can.
#[test]
fn attachments_before_between_and_after_the_text_leave_no_key_out() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K\n";
    let head = |id: &str, from: &str, subject: &str, ct: &str| {
        format!("Message-ID: <{id}>\nDate: Mon, 2 Sep 2024 10:00:00 +0200\nFrom: {from}\nTo: ks@woonstichting.example.org\nSubject: {subject}\nMIME-Version: 1.0\nContent-Type: {ct}\n")
    };
    let messages = vec![
        // the attachment first, the text after it
        format!("{}\n--b1\nContent-Type: application/pdf; name=\"a.pdf\"\nContent-Disposition: attachment; filename=\"a.pdf\"\nContent-Transfer-Encoding: base64\n\n{pdf}--b1\nContent-Type: text/plain; charset=utf-8\n\nOver klantnummer 004242, mail naar na.bijlage@example.org.\n--b1--\n",
            head("eerst-bijlage@x", "Eerst Bijlage <eerst@example.org>", "Bijlage vooraf", "multipart/mixed; boundary=\"b1\"")),
        // text, an image, a forwarded message, another attachment
        format!("{}\n--b2\nContent-Type: text/plain\n\nZie bijlagen.\n--b2\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk\n--b2\nContent-Type: message/rfc822\n\nFrom: Doorgestuurd <doorgestuurd@example.org>\nSubject: contract HO777001\nContent-Type: text/plain\n\nHuurcontract HO777001 en klantnummer 006161.\n--b2\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n{pdf}--b2--\n",
            head("tussen@x", "Tussen <tussen@example.org>", "Doorgestuurd met bijlagen", "multipart/mixed; boundary=\"b2\"")),
        // only an attachment: the headers are all there is to find
        format!("{}Content-Transfer-Encoding: base64\n\n{pdf}",
            head("alleen-pdf@x", "Alleen Pdf <alleen.pdf@example.org>", "Scan 005555", "application/pdf")),
        // an alternative inside mixed, an attachment between
        format!("{}\n--b3\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n{pdf}--b3\nContent-Type: multipart/alternative; boundary=\"b4\"\n\n--b4\nContent-Type: text/plain\n\nNummer 007373.\n--b4\nContent-Type: text/html\n\n<p>Nummer <b>007373</b> en HO888002.</p>\n--b4--\n--b3--\n",
            head("alternatief@x", "Alternatief <alternatief@example.org>", "Alternatief", "multipart/mixed; boundary=\"b3\"")),
    ];
    std::fs::write(
        dir.path().join("bijlagen.mbox"),
        crate::mail::tests::mbox(&messages),
    )
    .unwrap();
    let c = config(dir.path());
    rt().block_on(update(&c, 2)).unwrap();
    let held = all_keys(&c);
    for key in [
        "t:004242",
        "t:HO777001",
        "t:006161",
        "t:005555",
        "t:007373",
        "e:eerst@example.org",
        "e:doorgestuurd@example.org",
        "e:alleen.pdf@example.org",
    ] {
        assert!(held.iter().any(|k| k == key), "{key} in {held:?}");
    }
    let keys = keys_to_ask(&c);
    for key in &keys {
        let (emails, tokens) = ask(key);
        assert!(same_answer(&c, &emails, &tokens) > 0, "{key}");
    }
}
