//! The `inzage` command line: export a bundle for one tenant, check the
//! sources, validate the configuration.
//!
//! Exit codes: 0 complete; 2 usage or configuration error; 3 a source failed
//! (no bundle unless `--allow-partial`); 4 no source knows the subject (no
//! bundle unless `--allow-empty`); 1 anything else.

mod commands;
mod exit;
mod logging;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

/// Answers GDPR subject-access (art. 15) and portability (art. 20) requests
/// by asking every source system what it holds on one tenant.
#[derive(Parser, Debug)]
#[command(name = "inzage", version, about, long_about = None)]
pub struct Cli {
    /// The configuration: sources and processing register.
    #[arg(
        long,
        global = true,
        default_value = "connectors.toml",
        value_name = "PATH"
    )]
    pub config: PathBuf,
    /// More log output on stderr (-v: progress, -vv: debug). Identifiers are masked.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Export a bundle for one tenant.
    Export(ExportArgs),
    /// Ask every configured source whether it can be reached and read.
    Check,
    /// Build the mail index of every mail source with `index` set, or
    /// bring it up to date (only new and changed files are read).
    Index,
    /// Work with the configuration file.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Find the tenant a request is from, by name and birth date or by a
    /// customer or contract number (masked candidates).
    Find(commands::find::FindArgs),
    /// The request life cycle: open, verify, extend, list, close, letter.
    Request {
        #[command(subcommand)]
        command: commands::request::RequestCommand,
    },
    /// The audit trail of the requests.
    Audit {
        #[command(subcommand)]
        command: commands::request::AuditCommand,
    },
    /// Check a bundle (access or portability): every sha256 in its
    /// manifest, nothing missing or added, portability.json against schema.json.
    Verify(VerifyArgs),
    /// Send a portability bundle to the receiving landlord (art. 20(2)) and
    /// write FILE.zip.receipt.json beside it.
    Deliver(DeliverArgs),
    /// The web app for privacy staff: prints a login URL with a one-time token.
    Serve(commands::serve::ServeArgs),
    /// Staff accounts of the web app.
    Staff {
        #[command(subcommand)]
        command: commands::serve::StaffCommand,
    },
}

/// Arguments of `deliver`.
#[derive(Args, Debug)]
pub struct DeliverArgs {
    /// The portability bundle (.zip), as `export --kind portability` wrote it.
    #[arg(value_name = "FILE.zip")]
    pub bundle: PathBuf,
    /// The receiving landlord: an id from [receivers.*] in the configuration.
    #[arg(long, value_name = "RECEIVER")]
    pub to: String,
    /// Send again although a receipt exists (it is replaced on success).
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `verify`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The bundle (.zip). An encrypted one is opened with the passphrase in
    /// INZAGE_BUNDLE_PASSPHRASE.
    #[arg(value_name = "FILE.zip")]
    pub bundle: PathBuf,
}

/// Configuration subcommands.
#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Validate connectors.toml: references, completeness, secrets.
    Check,
}

/// Which bundle to write.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum KindArg {
    /// Art. 15: everything held, readable by a person.
    Access,
    /// Art. 20: what the tenant provided, machine-readable.
    Portability,
}

/// Report language.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    /// Dutch.
    Nl,
    /// English.
    En,
}

/// Arguments of `export`.
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("subject").required(true).args(["customer", "contract", "request"])))]
pub struct ExportArgs {
    /// The tenant's customer number (klantnummer).
    #[arg(long, value_name = "K")]
    pub customer: Option<String>,
    /// A contract number; it names a person only when the contract has one contractant.
    #[arg(long, value_name = "C")]
    pub contract: Option<String>,
    /// Which bundle.
    #[arg(long, value_enum, default_value = "access")]
    pub kind: KindArg,
    /// The bundle to write (a .zip); an existing file is never replaced without --force.
    #[arg(long, value_name = "FILE.zip")]
    pub out: PathBuf,
    /// Write the bundle even when a source failed; it is marked partial.
    #[arg(long)]
    pub allow_partial: bool,
    /// Language of the report (default: the organisation's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Replace an existing bundle at --out.
    #[arg(long)]
    pub force: bool,
    /// Creation time to record (RFC 3339), for reproducible bundles;
    /// SOURCE_DATE_EPOCH is used when set and this is not given.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// The date the request was received (YYYY-MM-DD); the report shows it
    /// with the answer's due date (one month later). Default: today.
    #[arg(long, value_name = "DATE")]
    pub received: Option<chrono::NaiveDate>,
    /// Encrypt the bundle (AES-256 zip entries). The passphrase comes from
    /// INZAGE_BUNDLE_PASSPHRASE, or is generated and printed once.
    #[arg(long)]
    pub encrypt: bool,
    /// The privacy officer's decisions on the review list of an earlier
    /// export (JSON; the review page explains its form): keep, redact,
    /// include, leave out.
    #[arg(long, value_name = "D.json")]
    pub decisions: Option<PathBuf>,
    /// Export for a request (V-0001): kind, subject, received and due dates
    /// come from it, and the bundle is recorded on it.
    #[arg(long, value_name = "ID", conflicts_with_all = ["kind", "received"])]
    pub request: Option<String>,
    /// With --kind portability: the receiving landlord (an id from
    /// [receivers.*] in the configuration), recorded in the bundle.
    #[arg(long, value_name = "RECEIVER")]
    pub to: Option<String>,
    /// Write the bundle even when no source knows the subject: the report
    /// then says that we hold no personal data about the person.
    #[arg(long)]
    pub allow_empty: bool,
    /// With --request: who runs the export (default: $INZAGE_USER).
    #[command(flatten)]
    pub by: commands::request::ByArg,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(commands::run(cli));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
