//! Generates a corporation-size estate for benchmarks (`bench/scale.sh`).
//!
//! `inzage-corporation --out bench/out/corporation --mail 1G --mail 10G`

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use inzage_testkit::estate::corporation::{build_corporation, CorporationConfig};
use inzage_testkit::estate::mail::write_bench_mbox;
use inzage_testkit::estate::{write_sources, Estate};

const HELP: &str = "inzage-corporation: generate a corporation-size estate (deterministic per seed)

USAGE:
    inzage-corporation --out DIR [--seed N] [--relaties N] [--contactmomenten N]
                       [--inschrijvingen N] [--signaleringen N] [--kwh N] [--mail SIZE]...

OPTIONS:
    --out DIR             output directory (required)
    --seed N              PRNG seed (default 7)
    --relaties N          relaties in the ERP (default 100000; a minimum)
    --contactmomenten N   CRM contactmomenten (default 1000000)
    --inschrijvingen N    WoningNet inschrijvingen (default 200000)
    --signaleringen N     rows of the signalering CSV (default 100000)
    --kwh N               rows of the KWH workbook (default 50000)
    --mail SIZE           also write DIR/mail-SIZE.mbox of at least SIZE bytes
                          (suffix K, M or G; repeatable): the estate's messages
                          repeated with fresh Message-IDs, attachments and
                          forwards, streamed to disk
    -h, --help            print this help

Writes the sources as inzage-estate does (erp/erp.sql, erp/erp.sqlite,
crm/*.json, woningnet/*.json, signalering/signaleringen.csv,
kwh/kwh-export.xlsx) and DIR/corporation.txt with the sizes written.";

struct Args {
    config: CorporationConfig,
    out: PathBuf,
    mail: Vec<(String, u64)>,
}

fn parse_bytes(v: &str) -> Option<u64> {
    let (num, mult) = match v.chars().last()?.to_ascii_uppercase() {
        'K' => (&v[..v.len() - 1], 1u64 << 10),
        'M' => (&v[..v.len() - 1], 1 << 20),
        'G' => (&v[..v.len() - 1], 1 << 30),
        _ => (v, 1),
    };
    num.parse::<u64>().ok().map(|n| n * mult)
}

fn parse() -> Result<Option<Args>, String> {
    let mut config = CorporationConfig::default();
    let mut out = None;
    let mut mail = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(None);
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{arg} needs a value (try --help)"))?;
        let number = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{arg}: not a number: {value}"))
        };
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(&value)),
            "--seed" => config.seed = number()? as u64,
            "--relaties" => config.relaties = number()?,
            "--contactmomenten" => config.contactmomenten = number()?,
            "--inschrijvingen" => config.inschrijvingen = number()?,
            "--signaleringen" => config.signaleringen = number()?,
            "--kwh" => config.kwh = number()?,
            "--mail" => {
                let bytes =
                    parse_bytes(&value).ok_or_else(|| format!("--mail: not a size: {value}"))?;
                mail.push((value.clone(), bytes));
            }
            other => return Err(format!("unknown argument: {other} (try --help)")),
        }
    }
    let out = out.ok_or("--out DIR is required (try --help)")?;
    Ok(Some(Args { config, out, mail }))
}

fn main() -> ExitCode {
    match parse() {
        Ok(None) => {
            println!("{HELP}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("inzage-corporation: {e}");
            ExitCode::from(2)
        }
        Ok(Some(args)) => match run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("inzage-corporation: {}: {e}", args.out.display());
                ExitCode::FAILURE
            }
        },
    }
}

fn run(args: &Args) -> std::io::Result<()> {
    let start = Instant::now();
    let estate = build_corporation(&args.config);
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
        args.config.seed,
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
        let written = write_mail(&estate, &args.out, name, *bytes, args.config.seed)?;
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
