//! Runs the mail connector's search alone over an archive, for the benchmark.
//!
//! ```sh
//! cargo run --release -p inzage-connectors --example mail_scan -- \
//!     bench/out/mail-1g/mail/archive.mbox --email jan@example.org [--klantnummer 001042] [--threads 2] [--in-text]
//! ```
//!
//! Prints the number of matching messages (and, on stderr, messages seen,
//! messages parsed fully, seconds and MB/s). `--in-text`: addresses count in
//! the decoded text too (`email = "adressen_tekst"`). Every path is an mbox file, a
//! Maildir folder or a folder of .eml files.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use inzage_connectors::mail::{search, MboxFormat, Search, Source, CHUNK};

fn main() -> ExitCode {
    let mut paths = Vec::new();
    let mut emails = Vec::new();
    let mut tokens = Vec::new();
    let mut threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut list = false;
    let mut in_text = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--email" => emails.extend(args.next().map(|e| e.to_lowercase())),
            "--klantnummer" | "--contractnummer" => {
                tokens.extend(args.next().map(|t| t.to_uppercase()))
            }
            "--threads" => threads = args.next().and_then(|t| t.parse().ok()).unwrap_or(threads),
            "--list" => list = true,
            "--in-text" => in_text = true,
            "-h" | "--help" => {
                eprintln!(
                    "mail_scan PATH... --email ADDRESS [--klantnummer N] [--threads N] [--list] [--in-text]"
                );
                return ExitCode::SUCCESS;
            }
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    if paths.is_empty() || (emails.is_empty() && tokens.is_empty()) {
        eprintln!("mail_scan PATH... --email ADDRESS [--klantnummer N] [--threads N] [--list] [--in-text]");
        return ExitCode::from(2);
    }
    let sources: Vec<Source> = paths.iter().map(|p| Source::detect(p)).collect();
    let start = Instant::now();
    let found = match search(
        &sources,
        &Search {
            emails: &emails,
            tokens: &tokens,
            format: MboxFormat::Mboxrd,
            threads,
            cancel: None,
            chunk_bytes: CHUNK,
            limits: inzage_connectors::mail::MailLimits::default(),
            body_emails: in_text,
        },
    ) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("mail_scan: {}: {}", e.path.display(), e.cause);
            return ExitCode::FAILURE;
        }
    };
    let secs = start.elapsed().as_secs_f64();
    if list {
        for h in &found.hits {
            println!(
                "{}\t{}\t{}",
                h.location,
                h.analysis.message_id.as_deref().unwrap_or("-"),
                h.analysis.subject
            );
        }
        for p in &found.problems {
            println!("{}\tPROBLEM\t{}", p.location, p.reason);
        }
    }
    println!("{}", found.hits.len());
    eprintln!(
        "messages {} parsed {} problems {} bytes {} seconds {:.3} MB/s {:.0} rss_anon_kb {}",
        found.messages,
        found.parsed,
        found.problems.len(),
        found.bytes,
        secs,
        found.bytes as f64 / 1e6 / secs,
        rss_anon_kb()
    );
    ExitCode::SUCCESS
}

/// The process's anonymous memory now (Linux), in KB; 0 elsewhere.
fn rss_anon_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("RssAnon:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
