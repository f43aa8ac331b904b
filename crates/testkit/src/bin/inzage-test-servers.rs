//! Runs the test CRM (OData) and WoningNet (REST) servers as their own
//! process, for benchmarks: the export then reaches them as it reaches real
//! systems (through `INZAGE_CRM_URL`, `CRM_TOKEN`, `INZAGE_WONINGNET_URL`,
//! `WONINGNET_API_KEY`), and their memory is not counted as the export's.
//!
//! `inzage-test-servers --crm DIR --woningnet DIR --env FILE [--latency-ms N]`

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use inzage_testkit::servers::{start_crm, start_woningnet, Knobs, RunningServer};

const HELP: &str = "inzage-test-servers: serve a fixture CRM and WoningNet on 127.0.0.1

USAGE:
    inzage-test-servers --crm DIR --woningnet DIR --env FILE [--stats FILE]
                        [--latency-ms N] [--page-size N]

OPTIONS:
    --crm DIR          the CRM's *.json record sets (as inzage-estate writes them)
    --woningnet DIR    WoningNet's *.json collections
    --env FILE         written once both listen: `export NAME=value` lines for
                       INZAGE_CRM_URL, CRM_TOKEN, INZAGE_WONINGNET_URL and
                       WONINGNET_API_KEY (fresh random secrets)
    --stats FILE       rewritten every 50 ms: `crm N` and `woningnet N`, the
                       requests each server received so far
    --latency-ms N     delay before every answer (default 0)
    --page-size N      records per page (default 50)
    -h, --help         print this help

Runs until killed.";

struct Args {
    crm: PathBuf,
    woningnet: PathBuf,
    env: PathBuf,
    stats: Option<PathBuf>,
    knobs: Knobs,
}

fn parse() -> Result<Option<Args>, String> {
    let (mut crm, mut woningnet, mut env, mut stats) = (None, None, None, None);
    let mut knobs = Knobs::default();
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
                .parse::<u64>()
                .map_err(|_| format!("{arg}: not a number: {value}"))
        };
        match arg.as_str() {
            "--crm" => crm = Some(PathBuf::from(&value)),
            "--woningnet" => woningnet = Some(PathBuf::from(&value)),
            "--env" => env = Some(PathBuf::from(&value)),
            "--stats" => stats = Some(PathBuf::from(&value)),
            "--latency-ms" => knobs.latency = Duration::from_millis(number()?),
            "--page-size" => knobs.page_size = number()?.max(1) as usize,
            other => return Err(format!("unknown argument: {other} (try --help)")),
        }
    }
    let need = |v: Option<PathBuf>, name: &str| v.ok_or(format!("{name} is required (try --help)"));
    Ok(Some(Args {
        crm: need(crm, "--crm DIR")?,
        woningnet: need(woningnet, "--woningnet DIR")?,
        env: need(env, "--env FILE")?,
        stats,
        knobs,
    }))
}

/// Writes `text` to `path` through a temporary file, so a reader never sees half of it.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

async fn serve(args: Args) -> Result<(), String> {
    let crm: RunningServer = start_crm(&args.crm, args.knobs.clone())
        .await
        .map_err(|e| format!("CRM: {e}"))?;
    let woningnet = start_woningnet(&args.woningnet, args.knobs.clone())
        .await
        .map_err(|e| format!("WoningNet: {e}"))?;
    let env = format!(
        "export INZAGE_CRM_URL={}\nexport CRM_TOKEN={}\nexport INZAGE_WONINGNET_URL={}\nexport WONINGNET_API_KEY={}\n",
        crm.url, crm.secret, woningnet.url, woningnet.secret
    );
    write_atomically(&args.env, &env).map_err(|e| format!("{}: {e}", args.env.display()))?;
    let mut last = None;
    loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if let Some(stats) = &args.stats {
            let now = (crm.requests(), woningnet.requests());
            if last != Some(now) {
                write_atomically(stats, &format!("crm {}\nwoningnet {}\n", now.0, now.1))
                    .map_err(|e| format!("{}: {e}", stats.display()))?;
                last = Some(now);
            }
        }
    }
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("inzage-test-servers: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("inzage-test-servers: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("inzage-test-servers: {e}");
            ExitCode::FAILURE
        }
    }
}
