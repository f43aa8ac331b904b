//! `inzage export`: find everything about one tenant and write a bundle.

use std::path::Path;

use anyhow::{anyhow, Context};
use chrono::{DateTime, TimeZone, Utc};
use inzage_bundle::{BundleError, BundleKind, BundleOptions, RecordFiles, SourceInfo};
use inzage_core::{Identifier, IdentifierKind, Lang};
use inzage_engine::protect::decisions::Decisions;
use inzage_engine::protect::names::PeopleIndex;
use inzage_engine::protect::{protect, FieldRoles, Protector};
use inzage_engine::{Engine, EngineOptions, Findings, Source, SourceStatus};

use crate::exit::Failure;
use crate::{ExportArgs, KindArg, LangArg};

/// Runs an export.
pub async fn run(config_path: &Path, args: ExportArgs) -> Result<(), Failure> {
    let config = super::load_config(config_path)?;
    let linked = match &args.request {
        Some(id) => Some(super::request::for_export(config_path, id, &args.by).await?),
        None => None,
    };
    let wanted = match &linked {
        Some(_) => KindArg::Access, // for_export refuses portability requests
        None => args.kind,
    };
    let kind = match wanted {
        KindArg::Access => BundleKind::Access,
        KindArg::Portability => BundleKind::Portability,
    };
    let receiver = match (&args.to, kind) {
        (None, _) => None,
        (Some(_), BundleKind::Access) => {
            return Err(Failure::Usage(anyhow!(
                "--to names a receiving landlord, which only a portability bundle has; add --kind portability or leave out --to"
            )))
        }
        (Some(id), BundleKind::Portability) => {
            let r = super::receivers::find(config_path, id)?;
            Some(inzage_bundle::portability::Receiver {
                id: id.clone(),
                label: r.label,
            })
        }
    };
    let start = match &linked {
        Some(l) => l.request.subject.clone(),
        None => requested_identifier(&args, &config.register)?,
    };
    if args.out.exists() && !args.force {
        return Err(Failure::Usage(anyhow!(BundleError::Exists(
            args.out.clone()
        ))));
    }
    let now = creation_time(args.now.as_deref())?;
    let lang = match args.lang {
        Some(LangArg::Nl) => Lang::Nl,
        Some(LangArg::En) => Lang::En,
        None => config.register.organisation.language,
    };
    let (vars, _servers) = crate::fixture_servers::start(&config).await?;
    let built = super::build_connectors(&config, &vars)?;
    let sources: Vec<SourceInfo> = built
        .iter()
        .map(|b| SourceInfo {
            id: b.connector.id().to_string(),
            label: b.connector.label().to_string(),
            kind: b.connector.kind().to_string(),
            datasets: b.connector.datasets().into_iter().cloned().collect(),
        })
        .collect();
    let connectors: Vec<_> = built.iter().map(|b| b.connector.clone()).collect();
    let decisions = match &args.decisions {
        Some(path) => Some(Decisions::load(path).map_err(|e| Failure::Usage(anyhow!(e)))?),
        None => None,
    };
    let engine = Engine::new(
        built
            .into_iter()
            .map(|b| Source {
                connector: b.connector,
                timeout: b.timeout,
            })
            .collect(),
        EngineOptions {
            max_rounds: config.engine.max_rounds,
            fetched_at: now,
        },
    );
    let (findings, people) = tokio::join!(
        engine.run(start.clone()),
        people_index(&config.protect, &connectors)
    );
    let mut findings = findings.map_err(|e| Failure::Usage(anyhow!(e)))?;
    let people = people?;
    print_sources(&findings);
    let roles = FieldRoles::from_datasets(
        sources
            .iter()
            .flat_map(|s| s.datasets.iter().map(move |d| (s.id.as_str(), d))),
    );
    let protector = Protector::new(&config.protect, people);
    protect(&mut findings, &roles, &protector, decisions.as_ref(), lang);
    print_protection(&findings);
    if !findings.is_complete() && !args.allow_partial {
        return Err(Failure::SourcesFailed(format!(
            "no bundle written: {} source(s) failed (see above). Fix them and run again, or pass --allow-partial to write a bundle marked partial.",
            findings.failed_sources().count()
        )));
    }
    if findings.records.is_empty() && !args.allow_empty {
        return Err(Failure::NoData(format!(
            "no bundle written: no source knows {} {}. Check the number (a typo is not \"we hold nothing about you\"); when it is right, pass --allow-empty to write the answer that we hold no personal data about the person.",
            start.kind,
            start.masked()
        )));
    }
    let (passphrase, generated) = match (args.encrypt, std::env::var(PASSPHRASE_VARIABLE)) {
        (false, _) => (None, false),
        (true, Ok(p)) if !p.is_empty() => (Some(p), false),
        (true, _) => (Some(generate_passphrase().map_err(Failure::Other)?), true),
    };
    let options = BundleOptions {
        kind,
        lang,
        created_at: now,
        overwrite: args.force,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        received: linked
            .as_ref()
            .map(|l| l.request.received)
            .or(args.received),
        due: linked.as_ref().and_then(|l| l.request.deadlines().answer),
        passphrase: passphrase.clone(),
    };
    // Both writers get the same findings, after third-party protection.
    let written = match kind {
        BundleKind::Access => {
            let attached = attachments(&connectors, &findings).await?;
            for record in &attached {
                let dataset = findings
                    .records
                    .iter()
                    .find(|r| r.source == record.source && r.key == record.key)
                    .map(|r| r.dataset.clone())
                    .unwrap_or_default();
                for file in &record.files {
                    findings.protection.note_unscanned_file(
                        &record.source,
                        &dataset,
                        &record.key,
                        &file.file_name,
                    );
                }
            }
            inzage_bundle::write_access_bundle(
                &args.out,
                &config.register,
                &sources,
                &findings,
                &attached,
                &options,
            )
        }
        BundleKind::Portability => inzage_bundle::portability::write_portability_bundle(
            &args.out,
            &config.register,
            &sources,
            &findings,
            &options,
            receiver.as_ref(),
        ),
    };
    let summary = written.map_err(|e| match e {
        BundleError::Exists(_) => Failure::Usage(anyhow!(e)),
        other => Failure::Other(anyhow!(other)),
    })?;
    if let Some(r) = &receiver {
        println!(
            "for {} ({}): send it with `inzage deliver {} --to {}`",
            r.label,
            r.id,
            summary.path.display(),
            r.id
        );
    }
    let partial = if findings.is_complete() {
        ""
    } else {
        " (PARTIAL: a source failed)"
    };
    match kind {
        BundleKind::Access => println!(
            "bundle written: {}{partial}; {} records in {} files",
            summary.path.display(),
            findings.records.len(),
            summary.files.len()
        ),
        BundleKind::Portability => println!(
            "portability bundle written: {}{partial}; {} files (what is in and out, and why: manifest.json \"scope\", LEESMIJ.txt)",
            summary.path.display(),
            summary.files.len()
        ),
    }
    if let (true, Some(p)) = (generated, &passphrase) {
        println!("passphrase (shown once; send it to the tenant by another channel than the bundle): {p}");
    } else if passphrase.is_some() {
        println!("encrypted with the passphrase from {PASSPHRASE_VARIABLE}");
    }
    if let Some(l) = &linked {
        super::request::record_export(l, &summary.path, &findings, Utc::now()).await?;
    }
    println!(
        "for the privacy officer (not for the tenant): {} and .csv ({} items, {} waiting for a decision)",
        summary.review_path.display(),
        findings.protection.entries.len(),
        findings.protection.pending()
    );
    Ok(())
}

/// The files that travel with the records (mail attachments where the
/// configuration asks for them). A file that cannot be read stops the
/// export: the bundle would otherwise silently lack it.
async fn attachments(
    connectors: &[std::sync::Arc<dyn inzage_core::Connector>],
    findings: &Findings,
) -> Result<Vec<RecordFiles>, Failure> {
    let mut out = Vec::new();
    for record in &findings.records {
        let Some(connector) = connectors.iter().find(|c| c.id() == record.source) else {
            continue;
        };
        let files = connector.attachments(record).await.map_err(|e| {
            Failure::Other(anyhow!(
                "{}: attachments of {} cannot be read: {e}",
                record.source,
                record.location
            ))
        })?;
        if !files.is_empty() {
            out.push(RecordFiles {
                source: record.source.clone(),
                key: record.key.clone(),
                files,
            });
        }
    }
    Ok(out)
}

/// Streams the people index named in `[protect.people]` (every relatie's
/// name), so that other people's names are found in free text. Without it
/// only pattern detectors run; a failing index stops the export, since the
/// bundle could then carry names it must not.
async fn people_index(
    settings: &inzage_core::ProtectSettings,
    connectors: &[std::sync::Arc<dyn inzage_core::Connector>],
) -> Result<PeopleIndex, Failure> {
    let mut index = PeopleIndex::new();
    let Some(spec) = &settings.people else {
        return Ok(index);
    };
    let Some(connector) = connectors.iter().find(|c| c.id() == spec.connector) else {
        return Err(Failure::Usage(anyhow!(
            "[protect.people] names connector `{}`, which is not configured",
            spec.connector
        )));
    };
    let started = std::time::Instant::now();
    let n = connector
        .people(&spec.query, &mut |p| index.add(&p))
        .await
        .map_err(|e| {
            Failure::SourcesFailed(format!(
                "no bundle written: the people index ({}) failed: {e}. Without it other people's names cannot be found in free text; fix the source or the [protect.people] query and run again.",
                spec.connector
            ))
        })?;
    tracing::info!(
        people = n,
        ms = started.elapsed().as_millis() as u64,
        "people index loaded"
    );
    Ok(index)
}

/// What third-party protection did, on stderr (counts only).
fn print_protection(findings: &Findings) {
    let p = &findings.protection;
    let redacted = p.redacted_total();
    let records = p.per_record().len();
    eprintln!(
        "other people's data: {redacted} value(s) replaced in {records} record(s); {} item(s) wait for a decision",
        p.pending()
    );
    for problem in &p.unapplied {
        eprintln!("decisions: {problem}");
    }
}

/// Where `--encrypt` reads the passphrase from.
const PASSPHRASE_VARIABLE: &str = "INZAGE_BUNDLE_PASSPHRASE";

/// A random passphrase from the operating system's generator: six groups of
/// five characters from an alphabet without look-alikes (about 148 bits).
fn generate_passphrase() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 60];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow!("no random numbers from the operating system: {e}"))?;
    let chars: Vec<char> = bytes
        .iter()
        .filter(|b| (**b as usize) < 248) // 248 = 8 * 31: no modulo bias
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .take(30)
        .collect();
    if chars.len() < 30 {
        return generate_passphrase();
    }
    Ok(chars
        .chunks(5)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// The identifier the request names, checked against the register's pattern.
fn requested_identifier(
    args: &ExportArgs,
    register: &inzage_core::Register,
) -> Result<Identifier, Failure> {
    let (kind, raw, flag) = match (&args.customer, &args.contract) {
        (Some(k), _) => (IdentifierKind::Klantnummer, k, "--customer"),
        (None, Some(c)) => (IdentifierKind::Contractnummer, c, "--contract"),
        (None, None) => {
            return Err(Failure::Usage(anyhow!(
                "name the tenant with --customer or --contract"
            )))
        }
    };
    let id = register.identifier(kind, raw).ok_or_else(|| {
        Failure::Usage(anyhow!(
            "{flag} is empty or not written as a {kind} (see [identifiers.{kind}] in connectors.toml)"
        ))
    })?;
    register
        .validate_identifier(kind, &id.value)
        .map_err(|e| Failure::Usage(anyhow!("{flag}: {e}")))?;
    Ok(id)
}

/// `--now`, else SOURCE_DATE_EPOCH, else the clock.
fn creation_time(now: Option<&str>) -> Result<DateTime<Utc>, Failure> {
    if let Some(text) = now {
        return DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .with_context(|| {
                format!("--now `{text}` is not an RFC 3339 time such as 2026-01-31T12:00:00Z")
            })
            .map_err(Failure::Usage);
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch
            .trim()
            .parse()
            .with_context(|| format!("SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds"))
            .map_err(Failure::Usage)?;
        return Utc
            .timestamp_opt(secs, 0)
            .single()
            .ok_or_else(|| Failure::Usage(anyhow!("SOURCE_DATE_EPOCH `{epoch}` is out of range")));
    }
    Ok(Utc::now())
}

/// One line per source on stderr: status and record counts.
fn print_sources(findings: &Findings) {
    let width = findings
        .sources
        .iter()
        .map(|s| s.id.len())
        .max()
        .unwrap_or(0);
    for s in &findings.sources {
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
