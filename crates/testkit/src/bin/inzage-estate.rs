//! Generates the synthetic fixture estate.
//!
//! `inzage-estate --seed 7 --tenants 40 --out fixtures`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use inzage_testkit::estate::mail::write_bench_mbox;
use inzage_testkit::estate::{build, generate, EstateConfig, MIN_TENANTS};
use inzage_testkit::size::parse_size;

/// Generate the synthetic fixture estate (deterministic per seed: the same
/// seed and tenants give byte-identical files).
///
/// Writes erp/erp.sql, crm/*.json, woningnet/*.json, mail/archive.mbox,
/// signalering/signaleringen.csv, kwh/kwh-export.xlsx, stories.json and
/// README.md.
#[derive(Parser)]
#[command(name = "inzage-estate")]
struct Args {
    /// PRNG seed.
    #[arg(long, default_value_t = EstateConfig::default().seed)]
    seed: u64,
    /// Number of households/contracts.
    #[arg(long, default_value_t = EstateConfig::default().tenants, value_parser = tenants)]
    tenants: usize,
    /// Output directory.
    #[arg(long, value_name = "DIR", default_value = "fixtures")]
    out: PathBuf,
    /// Write only a benchmark mail archive of at least N bytes (suffix K, M
    /// or G) to DIR/mail/archive.mbox: the estate's messages repeated with
    /// fresh Message-IDs, binary attachments and forwards, ~30 KB per
    /// message; prints the address to look up and how many messages carry it.
    #[arg(long, value_name = "N", value_parser = parse_size, conflicts_with = "estate2")]
    mail_bytes: Option<u64>,
    /// Write the second estate (Woonstichting De Lek, another house style)
    /// instead: erp/lek.sql(+.sqlite), enquete/klanttevredenheid.csv,
    /// reparaties/reparaties.xlsx, portaal/berichten.json,
    /// mail/archief.mbox, stories.json, README.md (its connectors.toml is
    /// written by hand).
    #[arg(long)]
    estate2: bool,
}

fn tenants(text: &str) -> Result<usize, String> {
    let n: usize = text
        .parse()
        .map_err(|_| format!("not a number: `{text}`"))?;
    if n < MIN_TENANTS {
        return Err(format!("at least {MIN_TENANTS}"));
    }
    Ok(n)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let config = EstateConfig {
        seed: args.seed,
        tenants: args.tenants,
    };
    let out = &args.out;
    let done = if args.estate2 {
        inzage_testkit::estate2::generate(config.seed, out).map(|files| {
            for f in &files {
                println!("{}", f.display());
            }
        })
    } else if let Some(bytes) = args.mail_bytes {
        write_mail(&config, out, bytes)
    } else {
        generate(&config, out).map(|summary| {
            for f in &summary.files {
                let size = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
                println!("{size:>12}  {}", f.display());
            }
            for s in &summary.stories.stories {
                println!("story {:<20} klantnummer {}", s.story, s.klantnummer);
            }
        })
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("inzage-estate: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the benchmark mail archive only.
fn write_mail(config: &EstateConfig, out: &std::path::Path, bytes: u64) -> std::io::Result<()> {
    let estate = build(config);
    let person = estate
        .stories
        .iter()
        .map(|s| &estate.people[s.person])
        .find(|p| p.emails.len() > 1)
        .or_else(|| estate.people.iter().find(|p| !p.emails.is_empty()));
    let address = person.map(|p| p.emails[0].clone()).unwrap_or_default();
    // the person whose klantnummer stands only inside a base64 body
    let klantnummer = estate
        .stories
        .iter()
        .find(|s| s.story == "mover")
        .or(estate.stories.first())
        .map(|s| estate.people[s.person].klantnummer.clone())
        .unwrap_or_default();
    let dir = out.join("mail");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("archive.mbox");
    let tmp = dir.join("archive.mbox.tmp");
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
    let summary = write_bench_mbox(&mut w, &estate.messages, config.seed, bytes, &address)?;
    drop(w);
    std::fs::rename(&tmp, &path)?;
    println!("{:>12}  {}", summary.bytes, path.display());
    println!("messages {}", summary.messages);
    println!("address {address}");
    println!("klantnummer {klantnummer}");
    println!("in_headers {}", summary.in_headers);
    println!("in_forwards {}", summary.in_forwards);
    Ok(())
}
