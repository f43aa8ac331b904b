//! `inzage request open|verify|extend|list|close|letter` and `inzage audit
//! verify`: thin front ends over `inzage_app::requests`.

use std::path::{Path, PathBuf};

use anyhow::anyhow;
use chrono::{NaiveDate, Utc};
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use inzage_app::requests::{self, LetterInput, ListFilter, OpenInput, SubjectRef};
use inzage_core::Lang;
use inzage_requests::letter::LetterKind;
use inzage_requests::{Channel, Outcome, Request, RequestKind};

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

/// Who acts: `--by NAME` or `INZAGE_USER`, checked.
fn who(by: &ByArg) -> Result<String, Failure> {
    Ok(requests::actor(by.by.as_deref())?)
}

/// Runs a request subcommand.
pub async fn run(config_path: &Path, command: RequestCommand) -> Result<(), Failure> {
    let now = Utc::now();
    match command {
        RequestCommand::Open(args) => {
            let by = who(&args.by)?;
            let subject = match (&args.customer, &args.contract) {
                (Some(k), _) => SubjectRef::Customer(k.clone()),
                (None, Some(c)) => SubjectRef::Contract(c.clone()),
                (None, None) => {
                    return Err(Failure::Usage(anyhow!(
                        "name the tenant with --customer or --contract (`inzage find` finds the customer number)"
                    )))
                }
            };
            let request = requests::open(
                config_path,
                OpenInput {
                    subject,
                    kind: match args.kind {
                        RequestKindArg::Access => RequestKind::Access,
                        RequestKindArg::Portability => RequestKind::Portability,
                    },
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
            .await?;
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
            let request = requests::verify(config_path, &args.id, &args.method, &by, now).await?;
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
            let request =
                requests::extend(config_path, &args.id, args.months, &args.reason, &by, now)
                    .await?;
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
            let outcome = match args.outcome {
                OutcomeArg::Delivered => Outcome::Delivered,
                OutcomeArg::Refused => Outcome::Refused,
                OutcomeArg::Withdrawn => Outcome::Withdrawn,
                OutcomeArg::NoData => Outcome::NoData,
            };
            let request = requests::close(
                config_path,
                &args.id,
                outcome,
                args.reason.as_deref(),
                &by,
                now,
            )
            .await?;
            println!("request {} closed: {}", request.id, outcome.as_str());
            Ok(())
        }
        RequestCommand::Letter(args) => {
            let by = who(&args.by)?;
            let kind = match args.kind {
                LetterKindArg::Acknowledgement => LetterKind::Acknowledgement,
                LetterKindArg::Extension => LetterKind::Extension,
                LetterKindArg::Refusal => LetterKind::Refusal,
                LetterKindArg::NoData => LetterKind::NoData,
            };
            let request = requests::letter(
                config_path,
                LetterInput {
                    id: args.id.clone(),
                    kind,
                    lang: args.lang.map(|l| match l {
                        LangArg::Nl => Lang::Nl,
                        LangArg::En => Lang::En,
                    }),
                    out: args.out.clone(),
                    force: args.force,
                },
                &by,
                now,
            )
            .await?;
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
    let due_by = args
        .due_within
        .as_deref()
        .map(|t| requests::due_within(t, today))
        .transpose()?;
    let requests = requests::list(
        config_path,
        ListFilter {
            open_only: args.open,
            due_by,
            kind: None,
        },
    )
    .await?;
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
    let check = requests::verify_audit(config_path).await?;
    match check.result.broken {
        None => {
            println!(
                "audit trail {}: {} entries, chain intact; head {}",
                check.path.display(),
                check.result.entries,
                check.result.head
            );
            Ok(())
        }
        Some(b) => Err(Failure::Other(anyhow!(
            "audit trail {}: {b}. The trail was changed outside inzage: restore it from a backup and find out who changed it",
            check.path.display()
        ))),
    }
}
