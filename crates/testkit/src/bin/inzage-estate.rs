//! Generates the synthetic fixture estate.
//!
//! `inzage-estate --seed 7 --tenants 40 --out fixtures`

use std::path::PathBuf;
use std::process::ExitCode;

use inzage_testkit::estate::{generate, EstateConfig, MIN_TENANTS};

const HELP: &str = "inzage-estate: generate the synthetic fixture estate (deterministic per seed)

USAGE:
    inzage-estate [--seed N] [--tenants N] [--out DIR]

OPTIONS:
    --seed N       PRNG seed (default 7); same seed and tenants => byte-identical files
    --tenants N    number of households/contracts (default 40, minimum 8)
    --out DIR      output directory (default fixtures)
    -h, --help     print this help

Writes erp/erp.sql, crm/*.json, woningnet/*.json, mail/archive.mbox,
signalering/signaleringen.csv, kwh/kwh-export.xlsx, stories.json and README.md.";

fn parse() -> Result<Option<(EstateConfig, PathBuf)>, String> {
    let mut config = EstateConfig::default();
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
            other => return Err(format!("unknown argument: {other} (try --help)")),
        }
    }
    Ok(Some((config, out)))
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
        Ok(Some((config, out))) => match generate(&config, &out) {
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
