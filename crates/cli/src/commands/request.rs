//! `inzage request open|verify|extend|list|close|letter` and `inzage audit
//! verify`: thin front ends over the request store of `inzage-requests`.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context};
use chrono::{NaiveDate, Utc};
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use inzage_core::{IdentifierKind, Lang};
use inzage_requests::letter::{self, LetterKind};
use inzage_requests::{
    Channel, NewRequest, Outcome, Request, RequestKind, RequestsConfig, RequestsError, Store, Term,
};

use crate::exit::Failure;
use crate::LangArg;

/// Request subcommands.
#[derive(Subcommand, Debug)]
pub enum RequestCommand {
    /// Record a request that came in; prints its id and deadlines.
    Open(OpenArgs),
    /// Record that (and how) identity was checked; never a document number or copy.
    Verify(VerifyArgs),
    /// Extend the answer's deadline, with the reason for the tenant.
    Extend(ExtendArgs),
    /// Requests with status and days left, soonest first.
    List(ListArgs),
    /// Close a request with its outcome.
    Close(CloseArgs),
    /// Write a letter to the tenant as printable HTML.
    Letter(LetterArgs),
}

/// Audit-trail subcommands.
#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the hash chain; names the first edited, removed, inserted or reordered entry.
    Verify,
}

/// Who acts: `--by NAME` or the `INZAGE_USER` environment variable.
#[derive(Args, Debug, Clone)]
pub struct ByArg {
    /// Who does this (recorded in the audit trail); default: $INZAGE_USER.
    #[arg(long, env = "INZAGE_USER", value_name = "NAME")]
    pub by: Option<String>,
}

/// Which right a request invokes.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RequestKindArg {
    /// Art. 15, access.
    Access,
    /// Art. 20, portability.
    Portability,
}

/// How the request came in.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ChannelArg {
    /// At the counter.
    Balie,
    /// By e-mail.
    Mail,
    /// By letter.
    Post,
    /// Through the website.
    Web,
    /// By WhatsApp.
    Whatsapp,
    /// By phone.
    Telefoon,
}

/// How a request ended.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum OutcomeArg {
    /// The answer was delivered (a bundle was exported).
    Delivered,
    /// Refused, with --reason.
    Refused,
    /// The tenant withdrew it.
    Withdrawn,
    /// We hold no personal data about the person.
    NoData,
}

/// Which letter.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LetterKindArg {
    /// Acknowledgement of receipt, with the answer's deadline.
    Acknowledgement,
    /// Notice of extension, with the reason.
    Extension,
    /// Refusal, with the reason and the remedies.
    Refusal,
    /// We hold no personal data about you.
    NoData,
}

/// Arguments of `request open`.
#[derive(Args, Debug)]
#[command(group(ArgGroup::new("subject").required(true).args(["customer", "contract"])))]
pub struct OpenArgs {
    /// The tenant's customer number (see `inzage find`).
    #[arg(long, value_name = "K")]
    pub customer: Option<String>,
    /// A contract number.
    #[arg(long, value_name = "C")]
    pub contract: Option<String>,
    /// Which right.
    #[arg(long, value_enum)]
    pub kind: RequestKindArg,
    /// The day the request was received (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub received: NaiveDate,
    /// How it came in.
    #[arg(long, value_enum)]
    pub channel: ChannelArg,
    #[command(flatten)]
    pub by: ByArg,
}

/// Arguments of `request verify`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The request id (V-0001).
    pub id: String,
    /// How identity was checked ("ID-kaart getoond aan de balie"); never a number.
    #[arg(long)]
    pub method: String,
    #[command(flatten)]
    pub by: ByArg,
}

/// Arguments of `request extend`.
#[derive(Args, Debug)]
pub struct ExtendArgs {
    /// The request id.
    pub id: String,
    /// Why the answer takes longer; the notice to the tenant quotes it.
    #[arg(long)]
    pub reason: String,
    /// Months to add (default: as many as the maximum allows).
    #[arg(long)]
    pub months: Option<u32>,
    #[command(flatten)]
    pub by: ByArg,
}

/// Arguments of `request list`.
#[derive(Args, Debug)]
pub struct ListArgs {
    /// Only requests that are not closed.
    #[arg(long)]
    pub open: bool,
    /// Only requests due within this term (`7d`, `2w`), overdue ones included.
    #[arg(long, value_name = "TERM")]
    pub due_within: Option<String>,
}

/// Arguments of `request close`.
#[derive(Args, Debug)]
pub struct CloseArgs {
    /// The request id.
    pub id: String,
    /// How it ended.
    #[arg(long, value_enum)]
    pub outcome: OutcomeArg,
    /// Why (required for a refusal; the refusal letter quotes it).
    #[arg(long)]
    pub reason: Option<String>,
    #[command(flatten)]
    pub by: ByArg,
}

/// Arguments of `request letter`.
#[derive(Args, Debug)]
pub struct LetterArgs {
    /// The request id.
    pub id: String,
    /// Which letter.
    #[arg(long, value_enum)]
    pub kind: LetterKindArg,
    /// Language (default: the organisation's).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// The HTML file to write; an existing file is kept unless --force.
    #[arg(long, value_name = "FILE.html")]
    pub out: PathBuf,
    /// Replace an existing file at --out.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub by: ByArg,
}

fn usage(e: RequestsError) -> Failure {
    match e {
        RequestsError::Store { .. } | RequestsError::Audit { .. } | RequestsError::Letter(_) => {
            Failure::Other(anyhow!(e))
        }
        other => Failure::Usage(anyhow!(other)),
    }
}

/// Opens the store that `[requests]` in the configuration names.
pub async fn open_store(config_path: &Path) -> Result<Store, Failure> {
    let config = RequestsConfig::load(config_path).map_err(|e| Failure::Usage(anyhow!(e)))?;
    Store::open(&config).await.map_err(usage)
}

/// Who acts, checked: never empty, never something that looks like a BSN
/// or document number.
pub fn who(by: &ByArg) -> Result<String, Failure> {
    let name = by
        .by
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .ok_or_else(|| {
            Failure::Usage(anyhow!(
                "say who you are: pass --by NAME or set INZAGE_USER; the audit trail records who did what"
            ))
        })?;
    refuse_numbers(name, "--by")?;
    Ok(name.to_string())
}

fn refuse_numbers(text: &str, flag: &str) -> Result<(), Failure> {
    match inzage_requests::identity::refuse_identity_numbers(text) {
        Some(refusal) => Err(Failure::Usage(anyhow!(refusal.message(flag)))),
        None => Ok(()),
    }
}

/// Runs a request subcommand.
pub async fn run(config_path: &Path, command: RequestCommand) -> Result<(), Failure> {
    let now = Utc::now();
    match command {
        RequestCommand::Open(args) => {
            let by = who(&args.by)?;
            let register = super::load_config(config_path)?.register;
            let (kind, raw, flag) = match (&args.customer, &args.contract) {
                (Some(k), _) => (IdentifierKind::Klantnummer, k, "--customer"),
                (None, Some(c)) => (IdentifierKind::Contractnummer, c, "--contract"),
                (None, None) => {
                    return Err(Failure::Usage(anyhow!(
                        "name the tenant with --customer or --contract (`inzage find` finds the customer number)"
                    )))
                }
            };
            let subject = register.identifier(kind, raw).ok_or_else(|| {
                Failure::Usage(anyhow!(
                    "{flag} is empty or not written as a {kind} (see [identifiers.{kind}] in connectors.toml)"
                ))
            })?;
            register
                .validate_identifier(kind, &subject.value)
                .map_err(|e| Failure::Usage(anyhow!("{flag}: {e}")))?;
            if args.received > now.date_naive() {
                return Err(Failure::Usage(anyhow!(
                    "--received {} lies in the future; give the day the request came in",
                    args.received
                )));
            }
            let store = open_store(config_path).await?;
            let request = store
                .open_request(
                    NewRequest {
                        kind: match args.kind {
                            RequestKindArg::Access => RequestKind::Access,
                            RequestKindArg::Portability => RequestKind::Portability,
                        },
                        subject,
                        channel: match args.channel {
                            ChannelArg::Balie => Channel::Balie,
                            ChannelArg::Mail => Channel::Mail,
                            ChannelArg::Post => Channel::Post,
                            ChannelArg::Web => Channel::Web,
                            ChannelArg::Whatsapp => Channel::Whatsapp,
                            ChannelArg::Telefoon => Channel::Telefoon,
                        },
                        received: args.received,
                    },
                    &by,
                    now,
                )
                .await
                .map_err(usage)?;
            println!("request {} opened", request.id);
            print_deadlines(&request);
            if request.verified.is_none() {
                println!(
                    "next: check identity at the counter, then `inzage request verify {} --by NAME --method \"ID-kaart getoond aan de balie\"`",
                    request.id
                );
            }
            Ok(())
        }
        RequestCommand::Verify(args) => {
            let by = who(&args.by)?;
            refuse_numbers(&args.method, "--method")?;
            if args.method.trim().is_empty() {
                return Err(Failure::Usage(anyhow!(
                    "--method is empty: say how identity was checked, for example \"ID-kaart getoond aan de balie\""
                )));
            }
            let store = open_store(config_path).await?;
            let request = store
                .verify(&args.id, &by, args.method.trim(), now)
                .await
                .map_err(usage)?;
            println!(
                "request {}: identity verified by {by} ({})",
                request.id,
                args.method.trim()
            );
            print_deadlines(&request);
            Ok(())
        }
        RequestCommand::Extend(args) => {
            let by = who(&args.by)?;
            let store = open_store(config_path).await?;
            let request = store
                .extend(&args.id, &by, args.months, &args.reason, now)
                .await
                .map_err(usage)?;
            println!(
                "request {}: extended by {} month(s) in total",
                request.id,
                request.extension.as_ref().map_or(0, |e| e.months)
            );
            print_deadlines(&request);
            println!(
                "next: send the notice within the first term: `inzage request letter {} --kind extension --out FILE.html`",
                request.id
            );
            Ok(())
        }
        RequestCommand::List(args) => list(config_path, args, now.date_naive()).await,
        RequestCommand::Close(args) => {
            let by = who(&args.by)?;
            let store = open_store(config_path).await?;
            let outcome = match args.outcome {
                OutcomeArg::Delivered => Outcome::Delivered,
                OutcomeArg::Refused => Outcome::Refused,
                OutcomeArg::Withdrawn => Outcome::Withdrawn,
                OutcomeArg::NoData => Outcome::NoData,
            };
            let request = store
                .close(&args.id, &by, outcome, args.reason.as_deref(), now)
                .await
                .map_err(usage)?;
            println!("request {} closed: {}", request.id, outcome.as_str());
            Ok(())
        }
        RequestCommand::Letter(args) => {
            let by = who(&args.by)?;
            let register = super::load_config(config_path)?.register;
            let lang = match args.lang {
                Some(LangArg::Nl) => Lang::Nl,
                Some(LangArg::En) => Lang::En,
                None => register.organisation.language,
            };
            if args.out.exists() && !args.force {
                return Err(Failure::Usage(anyhow!(
                    "{} already exists; choose another --out or pass --force to replace it",
                    args.out.display()
                )));
            }
            let store = open_store(config_path).await?;
            let request = store.get(&args.id).await.map_err(usage)?;
            let kind = match args.kind {
                LetterKindArg::Acknowledgement => LetterKind::Acknowledgement,
                LetterKindArg::Extension => LetterKind::Extension,
                LetterKindArg::Refusal => LetterKind::Refusal,
                LetterKindArg::NoData => LetterKind::NoData,
            };
            let html = letter::render(
                kind,
                &request,
                &register.organisation,
                lang,
                now.date_naive(),
            )
            .map_err(usage)?;
            std::fs::write(&args.out, html.as_bytes())
                .with_context(|| format!("cannot write {}", args.out.display()))?;
            let sha = inzage_requests::sha256_file(&args.out)
                .with_context(|| format!("cannot read back {}", args.out.display()))?;
            store
                .record_letter(
                    &request,
                    kind.as_str(),
                    match lang {
                        Lang::Nl => "nl",
                        Lang::En => "en",
                    },
                    &sha,
                    &by,
                    now,
                )
                .await
                .map_err(usage)?;
            println!(
                "letter written: {} ({} for request {})",
                args.out.display(),
                kind.as_str(),
                request.id
            );
            Ok(())
        }
    }
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "-".into())
}

fn print_deadlines(request: &Request) {
    let d = request.deadlines();
    let clock = match (d.clock, d.start) {
        (inzage_requests::ClockStart::Receipt, _) => {
            format!("clock started at receipt ({})", request.received)
        }
        (inzage_requests::ClockStart::Verification, Some(s)) => {
            format!("clock started at verification of identity ({s})")
        }
        (inzage_requests::ClockStart::Verification, None) => {
            "clock starts at verification of identity (not yet verified)".to_string()
        }
    };
    println!("  {clock}");
    println!(
        "  acknowledgement due: {} ({} promised)",
        date(d.acknowledgement),
        request.terms.acknowledgement
    );
    let answer_rule = if d.extension_months > 0 {
        format!(
            "extended by {} month(s) after the legal deadline {}",
            d.extension_months,
            date(d.legal)
        )
    } else {
        format!(
            "earlier of {} promised and {} by law",
            request.terms.answer, request.terms.legal_maximum
        )
    };
    println!("  answer due:          {} ({answer_rule})", date(d.answer));
}

async fn list(config_path: &Path, args: ListArgs, today: NaiveDate) -> Result<(), Failure> {
    let within = args
        .due_within
        .as_deref()
        .map(|t| {
            t.parse::<Term>()
                .map_err(|e| Failure::Usage(anyhow!("--due-within: {e}")))
                .and_then(|term| {
                    term.after(today)
                        .ok_or_else(|| Failure::Usage(anyhow!("--due-within {t} is out of range")))
                })
        })
        .transpose()?;
    let store = open_store(config_path).await?;
    let mut requests = store.list().await.map_err(usage)?;
    requests.retain(|r| !args.open || r.closed.is_none());
    if let Some(limit) = within {
        requests.retain(|r| r.closed.is_none() && r.deadlines().answer.is_some_and(|a| a <= limit));
    }
    // Open requests first, soonest due first; those waiting for the clock after.
    requests.sort_by_key(|r| {
        (
            r.closed.is_some(),
            r.deadlines().answer.unwrap_or(NaiveDate::MAX),
            r.id.clone(),
        )
    });
    if requests.is_empty() {
        println!("no requests");
        return Ok(());
    }
    println!(
        "{:<7}  {:<11}  {:<30}  {:<10}  {:<10}  {:<10}  DAYS LEFT",
        "ID", "KIND", "STATUS", "SUBJECT", "RECEIVED", "DUE"
    );
    for r in &requests {
        let d = r.deadlines();
        let left = match (&r.closed, d.days_left(today)) {
            (Some(_), _) => "-".to_string(),
            (None, Some(n)) if n < 0 => format!("OVERDUE by {}", -n),
            (None, Some(n)) => n.to_string(),
            (None, None) => "clock not started".to_string(),
        };
        println!(
            "{:<7}  {:<11}  {:<30}  {:<10}  {:<10}  {:<10}  {left}",
            r.id,
            r.kind.as_str(),
            r.status(),
            r.masked_subject(),
            r.received.to_string(),
            date(d.answer),
        );
    }
    Ok(())
}

/// Runs an audit subcommand.
pub async fn audit(config_path: &Path, command: AuditCommand) -> Result<(), Failure> {
    let AuditCommand::Verify = command;
    let config = RequestsConfig::load(config_path).map_err(|e| Failure::Usage(anyhow!(e)))?;
    let result = inzage_requests::audit::verify(&config.audit).map_err(usage)?;
    match result.broken {
        None => {
            println!(
                "audit trail {}: {} entries, chain intact; head {}",
                config.audit.display(),
                result.entries,
                result.head
            );
            Ok(())
        }
        Some(b) => Err(Failure::Other(anyhow!(
            "audit trail {}: {b}. The trail was changed outside inzage: restore it from a backup and find out who changed it",
            config.audit.display()
        ))),
    }
}

/// A request an export runs for: what the export needs from it.
pub struct ExportFor {
    /// The open store, to record the export on.
    pub store: Store,
    /// The request.
    pub request: Request,
    /// Who runs the export.
    pub by: String,
}

/// Loads the request for `export --request ID`: refused while identity is
/// not verified, and when the request is closed.
pub async fn for_export(config_path: &Path, id: &str, by: &ByArg) -> Result<ExportFor, Failure> {
    let by = who(by)?;
    let store = open_store(config_path).await?;
    let request = store.get(id).await.map_err(usage)?;
    if let Some(c) = &request.closed {
        return Err(Failure::Usage(anyhow!(
            "{} was closed on {} ({}); nothing to export",
            request.id,
            c.at.date_naive(),
            c.outcome.as_str()
        )));
    }
    if request.kind == RequestKind::Portability {
        return Err(Failure::Usage(anyhow!(
            "{} is a portability request (art. 20); export --request writes access bundles only: write it with `inzage export --kind portability --customer K --out FILE.zip` and close the request by hand",
            request.id
        )));
    }
    if request.verified.is_none() {
        return Err(Failure::Usage(anyhow!(
            "{}: identity is not verified; no bundle leaves before it is. Check the original ID at the counter and run `inzage request verify {} --by NAME --method \"ID-kaart getoond aan de balie\"`",
            request.id,
            request.id
        )));
    }
    Ok(ExportFor { store, request, by })
}

/// Records a written bundle on its request: file name, SHA-256, source
/// statuses, who ran it.
pub async fn record_export(
    linked: &ExportFor,
    bundle: &Path,
    findings: &inzage_engine::Findings,
    now: chrono::DateTime<Utc>,
) -> Result<(), Failure> {
    let sha256 = inzage_requests::sha256_file(bundle)
        .with_context(|| format!("cannot read back {}", bundle.display()))?;
    let sources = findings
        .sources
        .iter()
        .map(|s| {
            let status = match &s.status {
                inzage_engine::SourceStatus::Ok => "ok",
                inzage_engine::SourceStatus::Failed { .. } => "failed",
                inzage_engine::SourceStatus::Skipped { .. } => "skipped",
            };
            (s.id.clone(), status.to_string())
        })
        .collect();
    let record = inzage_requests::ExportRecord {
        at: now,
        by: linked.by.clone(),
        file_name: bundle
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256: sha256.clone(),
        complete: findings.is_complete(),
        sources,
        records: findings.records.len(),
    };
    linked
        .store
        .record_export(&linked.request.id, record)
        .await
        .map_err(usage)?;
    println!("recorded on request {}: sha256 {sha256}", linked.request.id);
    Ok(())
}
