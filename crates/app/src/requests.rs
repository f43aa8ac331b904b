//! The request life cycle over the request store of `inzage-requests`:
//! open, verify, extend, list, close, letters, the audit trail, and what an
//! export needs from its request.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use inzage_core::{Identifier, IdentifierKind, Lang, Register};
use inzage_requests::letter::{self, LetterKind};
use inzage_requests::{
    Channel, NewRequest, Outcome, Refused, Request, RequestKind, RequestsConfig, RequestsError,
    Store, Term,
};

use crate::error::{chain, AppError, Field, Problem};
use crate::estate::load_config;

/// Maps a store error to how a front end answers it.
pub fn store_error(e: RequestsError) -> AppError {
    match e {
        RequestsError::Store { .. } | RequestsError::Audit { .. } | RequestsError::Letter(_) => {
            AppError::failed(chain(&e))
        }
        RequestsError::Refused(refused) => AppError::Invalid {
            field: refused_field(&refused),
            problem: Problem::Request(refused),
        },
        RequestsError::NotFound(id) => {
            AppError::field(Field::Request, Problem::RequestNotFound { id })
        }
        RequestsError::Config { .. } => AppError::config(chain(&e)),
    }
}

/// The input a refusal is about, so that a form shows it beside that field.
fn refused_field(refused: &Refused) -> Option<Field> {
    match refused {
        Refused::ExtensionWithoutReason | Refused::RefusalWithoutReason { .. } => {
            Some(Field::Reason)
        }
        Refused::ExtensionTooLong { .. } => Some(Field::Months),
        Refused::NotARequestId { .. } => Some(Field::Request),
        _ => None,
    }
}

/// Opens the store that `[requests]` in the configuration names.
pub async fn open_store(config_path: &Path) -> Result<Store, AppError> {
    let config = RequestsConfig::load(config_path).map_err(|e| AppError::config(chain(&e)))?;
    Store::open(&config).await.map_err(store_error)
}

/// Who acts, checked: never empty, never something that looks like a BSN
/// or document number.
pub fn actor(by: Option<&str>) -> Result<String, AppError> {
    let name = by
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .ok_or_else(|| AppError::field(Field::By, Problem::ActorMissing))?;
    refuse_numbers(name, Field::By)?;
    Ok(name.to_string())
}

/// Refuses text that looks like a BSN or a document number.
pub fn refuse_numbers(text: &str, field: Field) -> Result<(), AppError> {
    match inzage_requests::identity::refuse_identity_numbers(text) {
        Some(refusal) => Err(AppError::field(field, Problem::IdentityNumber(refusal))),
        None => Ok(()),
    }
}

/// How a request names its subject.
#[derive(Clone, Debug)]
pub enum SubjectRef {
    /// A customer number (klantnummer).
    Customer(String),
    /// A contract number.
    Contract(String),
}

/// The identifier a subject reference names, checked against the
/// register's pattern.
pub fn subject_identifier(
    subject: &SubjectRef,
    register: &Register,
) -> Result<Identifier, AppError> {
    let (kind, raw, field) = match subject {
        SubjectRef::Customer(k) => (IdentifierKind::Klantnummer, k, Field::Customer),
        SubjectRef::Contract(c) => (IdentifierKind::Contractnummer, c, Field::Contract),
    };
    let id = register
        .identifier(kind, raw)
        .ok_or_else(|| AppError::field(field, Problem::IdentifierUnreadable { kind }))?;
    register
        .validate_identifier(kind, &id.value)
        .map_err(|e| AppError::field(field, Problem::IdentifierForm(e)))?;
    Ok(id)
}

/// A request that came in.
#[derive(Clone, Debug)]
pub struct OpenInput {
    /// Whom it is from.
    pub subject: SubjectRef,
    /// Which right.
    pub kind: RequestKind,
    /// The day it was received.
    pub received: NaiveDate,
    /// How it came in.
    pub channel: Channel,
}

/// Records a request that came in.
pub async fn open(
    config_path: &Path,
    input: OpenInput,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Request, AppError> {
    let register = load_config(config_path)?.register;
    let subject = subject_identifier(&input.subject, &register)?;
    if input.received > now.date_naive() {
        return Err(AppError::field(
            Field::Received,
            Problem::ReceivedInFuture {
                day: input.received,
            },
        ));
    }
    let store = open_store(config_path).await?;
    store
        .open_request(
            NewRequest {
                kind: input.kind,
                subject,
                channel: input.channel,
                received: input.received,
            },
            by,
            now,
        )
        .await
        .map_err(store_error)
}

/// Records that (and how) identity was checked; never a document number.
pub async fn verify(
    config_path: &Path,
    id: &str,
    method: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Request, AppError> {
    refuse_numbers(method, Field::Method)?;
    if method.trim().is_empty() {
        return Err(AppError::field(Field::Method, Problem::MethodMissing));
    }
    let store = open_store(config_path).await?;
    store
        .verify(id, by, method.trim(), now)
        .await
        .map_err(store_error)
}

/// Extends the answer's deadline with the reason for the tenant.
pub async fn extend(
    config_path: &Path,
    id: &str,
    months: Option<u32>,
    reason: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Request, AppError> {
    let store = open_store(config_path).await?;
    store
        .extend(id, by, months, reason, now)
        .await
        .map_err(store_error)
}

/// Closes a request with its outcome.
pub async fn close(
    config_path: &Path,
    id: &str,
    outcome: Outcome,
    reason: Option<&str>,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Request, AppError> {
    let store = open_store(config_path).await?;
    store
        .close(id, by, outcome, reason, now)
        .await
        .map_err(store_error)
}

/// Which requests to list.
#[derive(Clone, Copy, Debug, Default)]
pub struct ListFilter {
    /// Only requests that are not closed.
    pub open_only: bool,
    /// Only open requests due on or before this day (overdue included).
    pub due_by: Option<NaiveDate>,
    /// Only requests of this kind.
    pub kind: Option<RequestKind>,
}

/// The last day of a term (`7d`, `2w`) from today.
pub fn due_within(term: &str, today: NaiveDate) -> Result<NaiveDate, AppError> {
    let parsed = term
        .parse::<Term>()
        .map_err(|e| AppError::config(format!("--due-within: {e}")))?;
    parsed
        .after(today)
        .ok_or_else(|| AppError::config(format!("--due-within {term} is out of range")))
}

/// The requests, open ones first and soonest due first; those waiting for
/// the clock (identity not verified) after them.
pub async fn list(config_path: &Path, filter: ListFilter) -> Result<Vec<Request>, AppError> {
    let store = open_store(config_path).await?;
    let mut requests = store.list().await.map_err(store_error)?;
    requests.retain(|r| !filter.open_only || r.closed.is_none());
    if let Some(kind) = filter.kind {
        requests.retain(|r| r.kind == kind);
    }
    if let Some(limit) = filter.due_by {
        requests.retain(|r| r.closed.is_none() && r.deadlines().answer.is_some_and(|a| a <= limit));
    }
    requests.sort_by_key(|r| {
        (
            r.closed.is_some(),
            r.deadlines().answer.unwrap_or(NaiveDate::MAX),
            r.id.clone(),
        )
    });
    Ok(requests)
}

/// One request.
pub async fn get(config_path: &Path, id: &str) -> Result<Request, AppError> {
    let store = open_store(config_path).await?;
    store.get(id).await.map_err(store_error)
}

/// The letter a front end asks for.
#[derive(Clone, Debug)]
pub struct LetterInput {
    /// The request id.
    pub id: String,
    /// Which letter.
    pub kind: LetterKind,
    /// Language (default: the organisation's).
    pub lang: Option<Lang>,
    /// The HTML file to write.
    pub out: PathBuf,
    /// Replace an existing file at `out`.
    pub force: bool,
}

/// Writes a letter to the tenant as printable HTML and records it (with
/// its SHA-256) on the request.
pub async fn letter(
    config_path: &Path,
    input: LetterInput,
    by: &str,
    now: DateTime<Utc>,
) -> Result<Request, AppError> {
    let register = load_config(config_path)?.register;
    let lang = input.lang.unwrap_or(register.organisation.language);
    if input.out.exists() && !input.force {
        return Err(AppError::invalid(Problem::FileExists {
            path: input.out.clone(),
        }));
    }
    let store = open_store(config_path).await?;
    let request = store.get(&input.id).await.map_err(store_error)?;
    let html = letter::render(
        input.kind,
        &request,
        &register.organisation,
        lang,
        now.date_naive(),
    )
    .map_err(store_error)?;
    std::fs::write(&input.out, html.as_bytes())
        .map_err(|e| AppError::failed(format!("cannot write {}: {e}", input.out.display())))?;
    let sha = inzage_requests::sha256_file(&input.out)
        .map_err(|e| AppError::failed(format!("cannot read back {}: {e}", input.out.display())))?;
    store
        .record_letter(
            &request,
            input.kind.as_str(),
            match lang {
                Lang::Nl => "nl",
                Lang::En => "en",
            },
            &sha,
            by,
            now,
        )
        .await
        .map_err(store_error)?;
    Ok(request)
}

/// The result of checking the audit trail's hash chain.
pub struct AuditCheck {
    /// The trail's file.
    pub path: PathBuf,
    /// What the check found.
    pub result: inzage_requests::audit::Verification,
}

/// Checks the hash chain of the audit trail.
pub async fn verify_audit(config_path: &Path) -> Result<AuditCheck, AppError> {
    let config = RequestsConfig::load(config_path).map_err(|e| AppError::config(chain(&e)))?;
    let result = inzage_requests::audit::verify(&config.audit).map_err(store_error)?;
    Ok(AuditCheck {
        path: config.audit,
        result,
    })
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

/// Loads the request an export runs for (access or portability, as the
/// request's kind says): refused while identity is not verified, and when
/// the request is closed.
pub async fn for_export(
    config_path: &Path,
    id: &str,
    by: Option<&str>,
) -> Result<ExportFor, AppError> {
    let by = actor(by)?;
    let store = open_store(config_path).await?;
    let request = store.get(id).await.map_err(store_error)?;
    if let Some(c) = &request.closed {
        return Err(AppError::invalid(Problem::ExportOfClosed {
            id: request.id.clone(),
            on: c.at.date_naive(),
            outcome: c.outcome,
        }));
    }
    if request.verified.is_none() {
        return Err(AppError::invalid(Problem::NotVerified {
            id: request.id.clone(),
        }));
    }
    Ok(ExportFor { store, request, by })
}

/// Records a written bundle on its request: file name, SHA-256, source
/// statuses, who ran it. Returns the SHA-256.
pub async fn record_export(
    linked: &ExportFor,
    bundle: &Path,
    findings: &inzage_engine::Findings,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let sha256 = inzage_requests::sha256_file(bundle)
        .map_err(|e| AppError::failed(format!("cannot read back {}: {e}", bundle.display())))?;
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
        .map_err(store_error)?;
    Ok(sha256)
}

/// The audit-trail entries of one request, oldest first.
pub async fn history(
    config_path: &Path,
    id: &str,
) -> Result<Vec<inzage_requests::audit::Entry>, AppError> {
    let config = RequestsConfig::load(config_path).map_err(|e| AppError::config(chain(&e)))?;
    let text = match std::fs::read_to_string(&config.audit) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(AppError::failed(format!(
                "audit trail {}: cannot read it: {e}",
                config.audit.display()
            )))
        }
    };
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str::<inzage_requests::audit::Entry>(l).ok())
        .filter(|e| e.event.request == id)
        .collect())
}

/// Records a staff member's action in the audit trail (a download, a
/// review decision, a login); `details` carry no personal data.
pub async fn record_action(
    config_path: &Path,
    request: Option<&str>,
    action: &str,
    by: &str,
    details: serde_json::Map<String, serde_json::Value>,
) -> Result<(), AppError> {
    let store = open_store(config_path).await?;
    store
        .record_action(request, action, by, details, Utc::now())
        .await
        .map_err(store_error)
}
