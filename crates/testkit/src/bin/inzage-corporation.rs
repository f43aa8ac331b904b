//! Generates a corporation-size estate for benchmarks (`bench/scale.sh`).
//!
//! `inzage-corporation --out bench/out/corporation --mail 1G --mail 10G`

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use inzage_testkit::estate::corporation::{build_corporation, CorporationConfig};
use inzage_testkit::estate::mail::write_bench_mbox;
use inzage_testkit::estate::{write_sources, Estate};
use inzage_testkit::size::parse_size;

/// Generate a corporation-size estate (deterministic per seed).
///
/// Writes the sources as inzage-estate does (erp/erp.sql, erp/erp.sqlite,
/// crm/*.json, woningnet/*.json, signalering/signaleringen.csv,
/// kwh/kwh-export.xlsx) and DIR/corporation.txt with the sizes written.
#[derive(Parser)]
#[command(name = "inzage-corporation")]
struct Args {
    /// Output directory.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// PRNG seed.
    #[arg(long, default_value_t = CorporationConfig::default().seed)]
    seed: u64,
    /// Relaties in the ERP (a minimum).
    #[arg(long, default_value_t = CorporationConfig::default().relaties)]
    relaties: usize,
    /// CRM contactmomenten.
    #[arg(long, default_value_t = CorporationConfig::default().contactmomenten)]
    contactmomenten: usize,
    /// WoningNet inschrijvingen.
    #[arg(long, default_value_t = CorporationConfig::default().inschrijvingen)]
    inschrijvingen: usize,
    /// Rows of the signalering CSV.
    #[arg(long, default_value_t = CorporationConfig::default().signaleringen)]
    signaleringen: usize,
    /// Rows of the KWH workbook.
    #[arg(long, default_value_t = CorporationConfig::default().kwh)]
    kwh: usize,
    /// Also write DIR/mail-SIZE.mbox of at least SIZE bytes (suffix K, M or
    /// G; repeatable): the estate's messages repeated with fresh
    /// Message-IDs, attachments and forwards, streamed to disk.
    #[arg(long, value_name = "SIZE", value_parser = size_arg)]
    mail: Vec<(String, u64)>,
}

fn size_arg(text: &str) -> Result<(String, u64), String> {
    parse_size(text).map(|bytes| (text.to_string(), bytes))
}

impl Args {
    fn config(&self) -> CorporationConfig {
        CorporationConfig {
            seed: self.seed,
            relaties: self.relaties,
            contactmomenten: self.contactmomenten,
            inschrijvingen: self.inschrijvingen,
            signaleringen: self.signaleringen,
            kwh: self.kwh,
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("inzage-corporation: {}: {e}", args.out.display());
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> std::io::Result<()> {
    let start = Instant::now();
    let config = args.config();
    let estate = build_corporation(&config);
    eprintln!("built in {:.1} s", start.elapsed().as_secs_f64());
    std::fs::create_dir_all(&args.out)?;
    write_sources(&estate, &args.out)?;
    inzage_testkit::estate::sqlite::add_to_erp(
        &args.out.join("erp/erp.sql"),
        &args.out.join("erp/erp.sqlite"),
        inzage_testkit::estate::sqlite::CORPORATION_INDEXES,
    )?;
    eprintln!("sources written in {:.1} s", start.elapsed().as_secs_f64());
    let mut summary = format!(
        "seed {}\nrelaties {}\ncontracten {}\ncontactmomenten {}\nklachten {}\nnotities {}\n\
         inschrijvingen {}\nreacties {}\nsignaleringen {}\nkwh {}\nberichten {}\n",
        config.seed,
        estate.people.len(),
        estate.contracts.len(),
        estate.contactmomenten.len(),
        estate.klachten.len(),
        estate.notities.len(),
        estate.inschrijvingen.len(),
        estate.reacties.len(),
        estate.signaleringen.len(),
        estate.kwh.len(),
        estate.messages.len(),
    );
    for (name, bytes) in &args.mail {
        let t = Instant::now();
        let written = write_mail(&estate, &args.out, name, *bytes, config.seed)?;
        let secs = t.elapsed().as_secs_f64();
        eprintln!(
            "mail-{name}.mbox: {written} bytes in {secs:.1} s ({:.0} MB/s)",
            written as f64 / 1e6 / secs
        );
        summary.push_str(&format!("mail-{name} {written}\n"));
    }
    std::fs::write(args.out.join("corporation.txt"), &summary)?;
    print!("{summary}");
    Ok(())
}

/// Streams `DIR/mail-NAME.mbox` (through a temporary file, renamed at the end).
fn write_mail(
    estate: &Estate,
    out: &Path,
    name: &str,
    bytes: u64,
    seed: u64,
) -> std::io::Result<u64> {
    let path = out.join(format!("mail-{name}.mbox"));
    let tmp = out.join(format!("mail-{name}.mbox.tmp"));
    let address = estate
        .people
        .iter()
        .find_map(|p| p.emails.first().cloned())
        .unwrap_or_default();
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
    let summary = write_bench_mbox(&mut w, &estate.messages, seed, bytes, &address)?;
    w.flush()?;
    drop(w);
    std::fs::rename(&tmp, &path)?;
    Ok(summary.bytes)
}
