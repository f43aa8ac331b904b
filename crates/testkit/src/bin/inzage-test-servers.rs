//! Runs the test CRM (OData) and WoningNet (REST) servers as their own
//! process, for benchmarks: the export then reaches them as it reaches real
//! systems (through `INZAGE_CRM_URL`, `CRM_TOKEN`, `INZAGE_WONINGNET_URL`,
//! `WONINGNET_API_KEY`), and their memory is not counted as the export's.
//!
//! `inzage-test-servers --crm DIR --woningnet DIR --env FILE [--latency-ms N]`

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use inzage_testkit::servers::{start_crm, start_woningnet, Knobs, RunningServer};

/// Serve a fixture CRM and WoningNet on 127.0.0.1, until killed.
#[derive(Parser)]
#[command(name = "inzage-test-servers")]
struct Args {
    /// The CRM's *.json record sets (as inzage-estate writes them).
    #[arg(long, value_name = "DIR")]
    crm: PathBuf,
    /// WoningNet's *.json collections.
    #[arg(long, value_name = "DIR")]
    woningnet: PathBuf,
    /// Written once both listen: `export NAME=value` lines for
    /// INZAGE_CRM_URL, CRM_TOKEN, INZAGE_WONINGNET_URL and
    /// WONINGNET_API_KEY (fresh random secrets).
    #[arg(long, value_name = "FILE")]
    env: PathBuf,
    /// Rewritten every 50 ms: `crm N` and `woningnet N`, the requests each
    /// server received so far.
    #[arg(long, value_name = "FILE")]
    stats: Option<PathBuf>,
    /// Delay before every answer, in milliseconds.
    #[arg(long, value_name = "N", default_value_t = 0)]
    latency_ms: u64,
    /// Records per page.
    #[arg(long, value_name = "N", default_value_t = Knobs::default().page_size)]
    page_size: usize,
}

impl Args {
    fn knobs(&self) -> Knobs {
        Knobs {
            latency: Duration::from_millis(self.latency_ms),
            page_size: self.page_size.max(1),
            ..Knobs::default()
        }
    }
}

/// Writes `text` to `path` through a temporary file, so a reader never sees half of it.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

async fn serve(args: Args) -> Result<(), String> {
    let knobs = args.knobs();
    let crm: RunningServer = start_crm(&args.crm, knobs.clone())
        .await
        .map_err(|e| format!("CRM: {e}"))?;
    let woningnet = start_woningnet(&args.woningnet, knobs)
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
    let args = Args::parse();
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
