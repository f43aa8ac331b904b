//! `inzage export`: find everything about one tenant and write a bundle
//! (the pipeline is `inzage_app::export`; this prints its progress and
//! result).

use std::path::Path;
use std::sync::Arc;

use inzage_app::export::{
    creation_time, export, ExportEvent, ExportInput, ExportSubject, Exported, Passphrase,
    Protection,
};
use inzage_app::requests::SubjectRef;
use inzage_app::verify::PASSPHRASE_VARIABLE;
use inzage_bundle::BundleKind;
use inzage_core::Lang;
use inzage_engine::{SourceReport, SourceStatus};

use crate::exit::Failure;
use crate::{ExportArgs, KindArg, LangArg};

/// Runs an export.
pub async fn run(config_path: &Path, args: ExportArgs) -> Result<(), Failure> {
    let subject = match (&args.request, &args.customer, &args.contract) {
        (Some(id), _, _) => ExportSubject::Request {
            id: id.clone(),
            by: args.by.by.clone(),
        },
        (None, Some(k), _) => ExportSubject::Tenant(SubjectRef::Customer(k.clone())),
        (None, None, Some(c)) => ExportSubject::Tenant(SubjectRef::Contract(c.clone())),
        (None, None, None) => {
            return Err(Failure::Usage(anyhow::anyhow!(
                "name the tenant with --customer or --contract"
            )))
        }
    };
    let input = ExportInput {
        subject,
        kind: match args.kind {
            KindArg::Access => BundleKind::Access,
            KindArg::Portability => BundleKind::Portability,
        },
        out: args.out.clone(),
        allow_partial: args.allow_partial,
        allow_empty: args.allow_empty,
        force: args.force,
        lang: args.lang.map(|l| match l {
            LangArg::Nl => Lang::Nl,
            LangArg::En => Lang::En,
        }),
        now: creation_time(args.now.as_deref())?,
        received: args.received,
        passphrase: if args.encrypt {
            Some(Passphrase::from_env_or_generate()?)
        } else {
            None
        },
        decisions: args.decisions.clone(),
        to: args.to.clone(),
    };
    let exported = export(config_path, input, Arc::new(on_progress)).await?;
    print_result(&exported);
    Ok(())
}

/// Progress on stderr: one line per source once all are done, then what
/// third-party protection did (counts only).
fn on_progress(event: ExportEvent) {
    match event {
        ExportEvent::Source(_) => {}
        ExportEvent::Searched(sources) => print_sources(&sources),
        ExportEvent::Protected(p) => print_protection(&p),
    }
}

fn print_result(exported: &Exported) {
    if let Some(r) = &exported.receiver {
        println!(
            "for {} ({}): send it with `inzage deliver {} --to {}`",
            r.label,
            r.id,
            exported.path.display(),
            r.id
        );
    }
    let partial = if exported.complete {
        ""
    } else {
        " (PARTIAL: a source failed)"
    };
    match exported.kind {
        BundleKind::Access => println!(
            "bundle written: {}{partial}; {} records in {} files",
            exported.path.display(),
            exported.records,
            exported.files
        ),
        BundleKind::Portability => println!(
            "portability bundle written: {}{partial}; {} files (what is in and out, and why: manifest.json \"scope\", LEESMIJ.txt)",
            exported.path.display(),
            exported.files
        ),
    }
    match &exported.passphrase {
        Some(p) if p.generated => println!(
            "passphrase (shown once; send it to the tenant by another channel than the bundle): {}",
            p.text
        ),
        Some(_) => println!("encrypted with the passphrase from {PASSPHRASE_VARIABLE}"),
        None => {}
    }
    if let Some((id, sha256)) = &exported.recorded {
        println!("recorded on request {id}: sha256 {sha256}");
    }
    println!(
        "for the privacy officer (not for the tenant): {} and .csv ({} items, {} waiting for a decision)",
        exported.review_path.display(),
        exported.review_items,
        exported.pending
    );
}

fn print_protection(p: &Protection) {
    eprintln!(
        "other people's data: {} value(s) replaced in {} record(s); {} item(s) wait for a decision",
        p.redacted, p.records, p.pending
    );
    for problem in &p.unapplied {
        eprintln!("decisions: {problem}");
    }
}

/// One line per source on stderr: status and record counts.
fn print_sources(sources: &[SourceReport]) {
    let width = sources.iter().map(|s| s.id.len()).max().unwrap_or(0);
    for s in sources {
        let total: usize = s.records.values().sum();
        let per_dataset: Vec<String> = s
            .records
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(d, n)| format!("{d} {n}"))
            .collect();
        let detail = match &s.status {
            SourceStatus::Ok if per_dataset.is_empty() => format!("ok       {total} records"),
            SourceStatus::Ok => format!("ok       {total} records ({})", per_dataset.join(", ")),
            SourceStatus::Failed { reason } => format!("FAILED   {reason}"),
            SourceStatus::Skipped { reason } => format!("skipped  {reason}"),
        };
        eprintln!("{:width$}  {detail}", s.id);
    }
}
