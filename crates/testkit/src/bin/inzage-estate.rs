//! Generates the synthetic fixture estate.
//!
//! `inzage-estate --seed 7 --tenants 40 --out fixtures`

use std::path::PathBuf;
use std::process::ExitCode;

use inzage_testkit::estate::mail::write_bench_mbox;
use inzage_testkit::estate::{build, generate, EstateConfig, MIN_TENANTS};

const HELP: &str = "inzage-estate: generate the synthetic fixture estate (deterministic per seed)

USAGE:
    inzage-estate [--seed N] [--tenants N] [--out DIR] [--mail-bytes N]
    inzage-estate --estate2 [--seed N] --out fixtures/estate2

OPTIONS:
    --seed N       PRNG seed (default 7); same seed and tenants => byte-identical files
    --tenants N    number of households/contracts (default 40, minimum 8)
    --out DIR      output directory (default fixtures)
    --mail-bytes N write only a benchmark mail archive of at least N bytes
                   (suffix K, M or G) to DIR/mail/archive.mbox: the estate's
                   messages repeated with fresh Message-IDs, binary
                   attachments and forwards, ~30 KB per message; prints the
                   address to look up and how many messages carry it
    --estate2      write the second estate (Woonstichting De Lek, another
                   house style) instead: erp/lek.sql(+.sqlite),
                   enquete/klanttevredenheid.csv, reparaties/reparaties.xlsx,
                   portaal/berichten.json, mail/archief.mbox, stories.json,
                   README.md (its connectors.toml is written by hand)
    -h, --help     print this help

Writes erp/erp.sql, crm/*.json, woningnet/*.json, mail/archive.mbox,
signalering/signaleringen.csv, kwh/kwh-export.xlsx, stories.json and README.md.";

fn parse_bytes(v: &str) -> Option<u64> {
    let v = v.trim();
    let (num, mult) = match v.char_indices().last()?.1.to_ascii_uppercase() {
        'K' => (&v[..v.len() - 1], 1u64 << 10),
        'M' => (&v[..v.len() - 1], 1 << 20),
        'G' => (&v[..v.len() - 1], 1 << 30),
        _ => (v, 1),
    };
    num.parse::<u64>().ok().map(|n| n * mult)
}

type Parsed = (EstateConfig, PathBuf, Option<u64>, bool);

fn parse() -> Result<Option<Parsed>, String> {
    let mut config = EstateConfig::default();
    let mut mail_bytes = None;
    let mut second = false;
    let mut out = PathBuf::from("fixtures");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "-h" | "--help" => return Ok(None),
            "--seed" => {
                let v = value("--seed")?;
                config.seed = v
                    .parse()
                    .map_err(|_| format!("--seed: not a number: {v}"))?;
            }
            "--tenants" => {
                let v = value("--tenants")?;
                config.tenants = v
                    .parse()
                    .map_err(|_| format!("--tenants: not a number: {v}"))?;
                if config.tenants < MIN_TENANTS {
                    return Err(format!("--tenants must be at least {MIN_TENANTS}"));
                }
            }
            "--out" => out = PathBuf::from(value("--out")?),
            "--estate2" => second = true,
            "--mail-bytes" => {
                let v = value("--mail-bytes")?;
                mail_bytes =
                    Some(parse_bytes(&v).ok_or_else(|| format!("--mail-bytes: not a size: {v}"))?);
            }
            other => return Err(format!("unknown argument: {other} (try --help)")),
        }
    }
    Ok(Some((config, out, mail_bytes, second)))
}

fn main() -> ExitCode {
    match parse() {
        Ok(None) => {
            println!("{HELP}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("inzage-estate: {e}");
            ExitCode::from(2)
        }
        Ok(Some((config, out, _, true))) => {
            match inzage_testkit::estate2::generate(config.seed, &out) {
                Ok(files) => {
                    for f in &files {
                        println!("{}", f.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("inzage-estate: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Ok(Some((config, out, Some(bytes), false))) => match write_mail(&config, &out, bytes) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("inzage-estate: {e}");
                ExitCode::FAILURE
            }
        },
        Ok(Some((config, out, None, false))) => match generate(&config, &out) {
            Ok(summary) => {
                for f in &summary.files {
                    let size = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
                    println!("{size:>12}  {}", f.display());
                }
                for s in &summary.stories.stories {
                    println!("story {:<20} klantnummer {}", s.story, s.klantnummer);
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("inzage-estate: {e}");
                ExitCode::FAILURE
            }
        },
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
