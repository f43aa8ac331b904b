//! Export: find everything about one tenant and write a bundle (access or
//! portability), reporting live progress per source.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use inzage_bundle::portability::Receiver;
use inzage_bundle::{BundleError, BundleKind, BundleOptions, RecordFiles, SourceInfo};
use inzage_core::Lang;
use inzage_engine::protect::decisions::Decisions;
use inzage_engine::protect::names::PeopleIndex;
use inzage_engine::protect::review::ReviewEntry;
use inzage_engine::protect::{protect, FieldRoles, Protector};
use inzage_engine::{Engine, EngineOptions, Findings, Source, SourceEvent, SourceReport};
use inzage_requests::RequestKind;

use crate::error::{chain, AppError, Field, Problem};
use crate::estate::{build_connectors, load_config, start_fixture_servers};
use crate::requests::{self, SubjectRef};

/// Whom the export is for.
#[derive(Clone, Debug)]
pub enum ExportSubject {
    /// A tenant named directly.
    Tenant(SubjectRef),
    /// A request (V-0001): kind, subject, received and due dates come from
    /// it, and the bundle is recorded on it; `by` runs the export.
    Request {
        /// The request id.
        id: String,
        /// Who runs the export.
        by: Option<String>,
    },
}

/// The passphrase of an encrypted bundle.
#[derive(Clone, Debug)]
pub struct Passphrase {
    /// The passphrase.
    pub text: String,
    /// Generated here (shown once), rather than given.
    pub generated: bool,
}

impl Passphrase {
    /// The passphrase in `INZAGE_BUNDLE_PASSPHRASE`, else a generated one.
    pub fn from_env_or_generate() -> Result<Passphrase, AppError> {
        match crate::verify::passphrase_from_env() {
            Some(text) => Ok(Passphrase {
                text,
                generated: false,
            }),
            None => Ok(Passphrase {
                text: generate_passphrase()?,
                generated: true,
            }),
        }
    }

    /// A freshly generated passphrase.
    pub fn generate() -> Result<Passphrase, AppError> {
        Ok(Passphrase {
            text: generate_passphrase()?,
            generated: true,
        })
    }
}

/// What to export.
#[derive(Clone, Debug)]
pub struct ExportInput {
    /// Whom for.
    pub subject: ExportSubject,
    /// Which bundle (an export for a request makes the request's kind).
    pub kind: BundleKind,
    /// The bundle to write (a .zip).
    pub out: PathBuf,
    /// Write the bundle even when a source failed; it is marked partial.
    pub allow_partial: bool,
    /// Write the bundle even when no source knows the subject.
    pub allow_empty: bool,
    /// Replace an existing bundle at `out`.
    pub force: bool,
    /// Language of the report (default: the organisation's).
    pub lang: Option<Lang>,
    /// Creation time recorded in the bundle.
    pub now: DateTime<Utc>,
    /// The day the request was received (without a request).
    pub received: Option<NaiveDate>,
    /// Encrypt with this passphrase.
    pub passphrase: Option<Passphrase>,
    /// The privacy officer's decisions on the review list (a JSON file).
    pub decisions: Option<PathBuf>,
    /// With portability: the receiving landlord's id.
    pub to: Option<String>,
}

/// What third-party protection did (counts only).
#[derive(Clone, Debug, Default)]
pub struct Protection {
    /// Values replaced.
    pub redacted: usize,
    /// Records with a replaced value.
    pub records: usize,
    /// Review items waiting for a decision.
    pub pending: usize,
    /// Decisions that could not be applied, and why.
    pub unapplied: Vec<String>,
}

/// Progress of an export, as it happens.
#[derive(Clone, Debug)]
pub enum ExportEvent {
    /// A source was asked, answered or failed (live, from the engine).
    Source(SourceEvent),
    /// All sources are done: the status of each (skipped ones with why).
    Searched(Vec<SourceReport>),
    /// Third-party protection ran.
    Protected(Protection),
}

/// Receives [`ExportEvent`]s; cheap and non-blocking.
pub type Progress = Arc<dyn Fn(ExportEvent) + Send + Sync>;

/// A written bundle.
#[derive(Clone, Debug)]
pub struct Exported {
    /// Which bundle.
    pub kind: BundleKind,
    /// Where it is.
    pub path: PathBuf,
    /// Files inside it.
    pub files: usize,
    /// The review page beside it (for staff).
    pub review_path: PathBuf,
    /// Records in it.
    pub records: usize,
    /// No source failed.
    pub complete: bool,
    /// The receiving landlord (portability).
    pub receiver: Option<Receiver>,
    /// The passphrase, when encrypted.
    pub passphrase: Option<Passphrase>,
    /// The request it was recorded on, and the bundle's SHA-256.
    pub recorded: Option<(String, String)>,
    /// Items on the review list.
    pub review_items: usize,
    /// Items waiting for a decision.
    pub pending: usize,
    /// The review list itself (for staff, never in the bundle).
    pub review: Vec<ReviewEntry>,
}

/// Runs an export; `progress` hears about every source as it goes.
pub async fn export(
    config_path: &Path,
    input: ExportInput,
    progress: Progress,
) -> Result<Exported, AppError> {
    let config = load_config(config_path)?;
    let linked = match &input.subject {
        ExportSubject::Request { id, by } => {
            Some(requests::for_export(config_path, id, by.as_deref()).await?)
        }
        ExportSubject::Tenant(_) => None,
    };
    // A request's own kind decides its bundle.
    let kind = match &linked {
        Some(l) => match l.request.kind {
            RequestKind::Access => BundleKind::Access,
            RequestKind::Portability => BundleKind::Portability,
        },
        None => input.kind,
    };
    let receiver = match (&input.to, kind) {
        (None, _) => None,
        (Some(_), BundleKind::Access) => {
            return Err(AppError::field(Field::To, Problem::ReceiverForAccess))
        }
        (Some(id), BundleKind::Portability) => {
            let r = crate::receivers::find(config_path, id)?;
            Some(Receiver {
                id: id.clone(),
                label: r.label,
            })
        }
    };
    let start = match (&linked, &input.subject) {
        (Some(l), _) => l.request.subject.clone(),
        (None, ExportSubject::Tenant(subject)) => {
            requests::subject_identifier(subject, &config.register)?
        }
        (None, ExportSubject::Request { .. }) => unreachable!("a request export is linked"),
    };
    if input.out.exists() && !input.force {
        return Err(AppError::invalid(Problem::FileExists {
            path: input.out.clone(),
        }));
    }
    let now = input.now;
    let lang = input.lang.unwrap_or(config.register.organisation.language);
    let (vars, _servers) = start_fixture_servers(&config).await?;
    let built = build_connectors(&config, &vars)?;
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
    let decisions = match &input.decisions {
        Some(path) => Some(Decisions::load(path).map_err(|e| AppError::config(chain(&e)))?),
        None => None,
    };
    let observer = progress.clone();
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
    )
    .with_observer(Arc::new(move |event| observer(ExportEvent::Source(event))));
    let (findings, people) = tokio::join!(
        engine.run(start.clone()),
        people_index(&config.protect, &connectors)
    );
    let mut findings = findings.map_err(|e| match e {
        inzage_engine::RequestError::AmbiguousContract { identifier, owners } => AppError::field(
            Field::Contract,
            Problem::AmbiguousContract {
                contract: identifier.value,
                owners,
            },
        ),
    })?;
    let people = people?;
    progress(ExportEvent::Searched(findings.sources.clone()));
    let roles = FieldRoles::from_datasets(
        sources
            .iter()
            .flat_map(|s| s.datasets.iter().map(move |d| (s.id.as_str(), d))),
    );
    let protector = Protector::new(&config.protect, people);
    protect(&mut findings, &roles, &protector, decisions.as_ref(), lang);
    progress(ExportEvent::Protected(protection(&findings)));
    if !findings.is_complete() && !input.allow_partial {
        return Err(AppError::SourcesFailed {
            failed: findings.failed_sources().count(),
        });
    }
    if findings.records.is_empty() && !input.allow_empty {
        return Err(AppError::NoData {
            kind: start.kind,
            masked: start.masked(),
        });
    }
    let options = BundleOptions {
        kind,
        lang,
        created_at: now,
        overwrite: input.force,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        received: linked
            .as_ref()
            .map(|l| l.request.received)
            .or(input.received),
        due: linked.as_ref().and_then(|l| l.request.deadlines().answer),
        passphrase: input.passphrase.as_ref().map(|p| p.text.clone()),
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
                &input.out,
                &config.register,
                &sources,
                &findings,
                &attached,
                &options,
            )
        }
        BundleKind::Portability => inzage_bundle::portability::write_portability_bundle(
            &input.out,
            &config.register,
            &sources,
            &findings,
            &options,
            receiver.as_ref(),
        ),
    };
    let summary = written.map_err(|e| match e {
        BundleError::Exists(path) => AppError::invalid(Problem::FileExists { path }),
        other => AppError::failed(chain(&other)),
    })?;
    let recorded = match &linked {
        Some(l) => {
            let sha = requests::record_export(l, &summary.path, &findings, Utc::now()).await?;
            Some((l.request.id.clone(), sha))
        }
        None => None,
    };
    Ok(Exported {
        kind,
        path: summary.path,
        files: summary.files.len(),
        review_path: summary.review_path,
        records: findings.records.len(),
        complete: findings.is_complete(),
        receiver,
        passphrase: input.passphrase,
        recorded,
        review_items: findings.protection.entries.len(),
        pending: findings.protection.pending(),
        review: findings.protection.entries,
    })
}

fn protection(findings: &Findings) -> Protection {
    let p = &findings.protection;
    Protection {
        redacted: p.redacted_total(),
        records: p.per_record().len(),
        pending: p.pending(),
        unapplied: p.unapplied.clone(),
    }
}

/// The files that travel with the records (mail attachments where the
/// configuration asks for them). A file that cannot be read stops the
/// export: the bundle would otherwise silently lack it.
async fn attachments(
    connectors: &[Arc<dyn inzage_core::Connector>],
    findings: &Findings,
) -> Result<Vec<RecordFiles>, AppError> {
    let mut out = Vec::new();
    for record in &findings.records {
        let Some(connector) = connectors.iter().find(|c| c.id() == record.source) else {
            continue;
        };
        let files = connector.attachments(record).await.map_err(|e| {
            AppError::failed(format!(
                "{}: attachments of {} cannot be read: {e}",
                record.source, record.location
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
    connectors: &[Arc<dyn inzage_core::Connector>],
) -> Result<PeopleIndex, AppError> {
    let mut index = PeopleIndex::new();
    let Some(spec) = &settings.people else {
        return Ok(index);
    };
    let Some(connector) = connectors.iter().find(|c| c.id() == spec.connector) else {
        return Err(AppError::config(format!(
            "[protect.people] names connector `{}`, which is not configured",
            spec.connector
        )));
    };
    let started = std::time::Instant::now();
    let n = connector
        .people(&spec.query, &mut |p| index.add(&p))
        .await
        .map_err(|e| AppError::PeopleIndexFailed {
            connector: spec.connector.clone(),
            reason: e.to_string(),
        })?;
    tracing::info!(
        people = n,
        ms = started.elapsed().as_millis() as u64,
        "people index loaded"
    );
    Ok(index)
}

/// A random passphrase from the operating system's generator: six groups of
/// five characters from an alphabet without look-alikes (about 148 bits).
fn generate_passphrase() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 60];
    getrandom::fill(&mut bytes).map_err(|e| {
        AppError::failed(format!("no random numbers from the operating system: {e}"))
    })?;
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

/// The creation time to record: `now` (RFC 3339) when given, else
/// SOURCE_DATE_EPOCH, else the clock.
pub fn creation_time(now: Option<&str>) -> Result<DateTime<Utc>, AppError> {
    if let Some(text) = now {
        return DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| {
                AppError::config(format!(
                    "--now `{text}` is not an RFC 3339 time such as 2026-01-31T12:00:00Z: {e}"
                ))
            });
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch.trim().parse().map_err(|e| {
            AppError::config(format!(
                "SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds: {e}"
            ))
        })?;
        return Utc.timestamp_opt(secs, 0).single().ok_or_else(|| {
            AppError::config(format!("SOURCE_DATE_EPOCH `{epoch}` is out of range"))
        });
    }
    Ok(Utc::now())
}
