//! Export: runs the export for a request, with live progress per source
//! (server-sent events; without JavaScript the page refreshes itself); a
//! failed source can be retried, or the bundle accepted as partial with an
//! explicit confirmation.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use futures::stream::Stream;
use inzage_app::export::{ExportInput, ExportSubject, Passphrase};
use inzage_bundle::BundleKind;
use inzage_core::Lang;
use inzage_requests::RequestKind;
use minijinja::context;
use serde::{Deserialize, Serialize};

use inzage_app::AppError;

use super::{request_id, show_titled, Errors, PageError};
use crate::jobs::{self, Ended, Job, SourceLine, SourceState};
use crate::session::Staff;
use crate::state::Shared;
use crate::texts::text;

/// The bundle's file in the request's folder.
pub fn bundle_path(shared: &Shared, id: &str, kind: BundleKind) -> std::path::PathBuf {
    let name = match kind {
        BundleKind::Access => format!("{id}-inzage.zip"),
        BundleKind::Portability => format!("{id}-overdraagbaarheid.zip"),
    };
    shared.request_dir(id).join(name)
}

/// One source's line as the page (and the event stream) shows it, in the
/// viewer's language.
#[derive(Serialize)]
struct LineView {
    id: String,
    state: SourceState,
    state_words: &'static str,
    records: Option<String>,
    failure: Option<String>,
    fix: Option<&'static str>,
    skipped: Option<&'static str>,
}

impl LineView {
    fn of(line: &SourceLine, lang: Lang) -> LineView {
        let key = match line.state {
            SourceState::Asked => "state_asked",
            SourceState::Answered => "state_answered",
            SourceState::Failed => "state_failed",
            SourceState::Skipped => "state_skipped",
        };
        let failed = line.state == SourceState::Failed;
        LineView {
            id: line.id.clone(),
            state: line.state.clone(),
            state_words: text(lang, key),
            records: (line.state == SourceState::Answered)
                .then(|| format!("{} {}", line.records, text(lang, "records"))),
            failure: line
                .failure
                .as_ref()
                .filter(|_| failed)
                .map(|f| format!("({}: {f})", text(lang, "technical"))),
            fix: failed.then(|| text(lang, "fix_failed_source")),
            skipped: (line.state == SourceState::Skipped).then(|| text(lang, "skipped_why")),
        }
    }

    /// The line as one text, as the template writes it.
    fn text(&self) -> String {
        let mut out = self.state_words.to_string();
        for part in [
            self.records.as_deref(),
            self.failure.as_deref(),
            self.fix,
            self.skipped,
        ]
        .into_iter()
        .flatten()
        {
            out.push(' ');
            out.push_str(part);
        }
        out
    }
}

fn lines(job: &Job, lang: Lang) -> Vec<LineView> {
    job.lines
        .lock()
        .expect("lines")
        .values()
        .map(|l| LineView::of(l, lang))
        .collect()
}

async fn render_page(
    shared: &Shared,
    staff: &Staff,
    id: &str,
    errors: Errors,
) -> Result<Response, PageError> {
    let request = crate::bridge::get(shared.config_path.clone(), id.to_string())
        .await
        .map_err(|_| PageError::NotFound)?;
    let job = jobs::latest(shared, id);
    let portability = request.kind == RequestKind::Portability;
    let receivers: Vec<(String, String)> = if portability {
        inzage_app::receivers::load(&shared.config_path)
            .map(|all| all.into_iter().map(|(k, r)| (k, r.label)).collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let (running, refused, offer, written, passphrase) = match &job {
        None => (false, None, Offer::default(), None, None),
        Some(job) => match job.ended.lock().expect("ended").clone() {
            None => (true, None, Offer::default(), None, None),
            Some(Ended::Refused(e)) => (
                false,
                Some(crate::problems::words(&e, staff.lang)),
                Offer {
                    partial: matches!(*e, AppError::SourcesFailed { .. }),
                    empty: matches!(*e, AppError::NoData { .. }),
                },
                None,
                None,
            ),
            Some(Ended::Written(exported)) => {
                let mut shown = job.passphrase_shown.lock().expect("shown");
                let passphrase = match (&exported.passphrase, *shown) {
                    (Some(p), false) if p.generated => {
                        *shown = true;
                        Some(p.text.clone())
                    }
                    _ => None,
                };
                let summary = context! {
                    records => exported.records, files => exported.files, complete => exported.complete
                };
                let offer = Offer {
                    partial: !exported.complete,
                    empty: false,
                };
                (false, None, offer, Some(summary), passphrase)
            }
        },
    };
    let title = format!("{} {}", text(staff.lang, "title_export"), id);
    show_titled(
        shared,
        staff,
        &format!("/requests/{id}/export"),
        "export.html",
        &title,
        context! {
            id => id,
            lines => job.as_deref().map(|j| lines(j, staff.lang)).unwrap_or_default(),
            running => running,
            refresh => if running { Some(2) } else { None },
            script => running,
            refused => refused,
            sources_failed => offer.partial,
            no_data => offer.empty,
            written => written,
            passphrase => passphrase,
            portability => portability,
            receivers => receivers,
            errors => errors,
        },
    )
}

/// `GET /requests/{id}/export`.
pub async fn page(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = request_id(&id)?;
    render_page(&shared, &staff, id, Errors::new()).await
}

/// What the form offers after a refusal: a partial bundle when sources
/// failed, the answer that we hold no data when no source knows the tenant.
#[derive(Clone, Copy, Default)]
struct Offer {
    partial: bool,
    empty: bool,
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    encrypt: Option<String>,
    #[serde(default)]
    allow_partial: Option<String>,
    #[serde(default)]
    allow_empty: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

/// The export a request asks for.
async fn input_for(
    shared: &Shared,
    staff: &Staff,
    id: &str,
    encrypt: bool,
    allow: Offer,
    to: Option<String>,
) -> Result<ExportInput, PageError> {
    let request = crate::bridge::get(shared.config_path.clone(), id.to_string())
        .await
        .map_err(|_| PageError::NotFound)?;
    let passphrase = if encrypt {
        Some(Passphrase::generate().map_err(|e| super::failed(e, staff.lang))?)
    } else {
        None
    };
    // Both kinds export for the request, so that the bundle is recorded
    // on it (file, SHA-256, source statuses, who) as the CLI's
    // `export --request` records it.
    let (kind, to) = match request.kind {
        RequestKind::Access => (BundleKind::Access, None),
        RequestKind::Portability => (BundleKind::Portability, to.filter(|t| !t.is_empty())),
    };
    let subject = ExportSubject::Request {
        id: id.to_string(),
        by: Some(staff.name.clone()),
    };
    Ok(ExportInput {
        subject,
        kind,
        out: bundle_path(shared, id, kind),
        allow_partial: allow.partial,
        allow_empty: allow.empty,
        force: true,
        lang: None,
        now: chrono::Utc::now(),
        received: None,
        passphrase,
        decisions: None,
        to,
    })
}

/// Starts a job, or says that one runs.
pub async fn launch(
    shared: &Arc<Shared>,
    staff: &Staff,
    id: &str,
    input: ExportInput,
    with_decisions: bool,
) -> Result<Response, PageError> {
    std::fs::create_dir_all(shared.request_dir(id)).map_err(|e| {
        super::fault(
            format!("cannot create the request's folder: {e}"),
            staff.lang,
        )
    })?;
    match jobs::start(shared, id, input, with_decisions) {
        Ok(_) => Ok(Redirect::to(&format!("/requests/{id}/export")).into_response()),
        Err(jobs::Busy) => {
            let errors = Errors::from([("export", text(staff.lang, "export_busy").to_string())]);
            let mut response = render_page(shared, staff, id, errors).await?;
            *response.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(response)
        }
    }
}

/// `POST /requests/{id}/export`: starts (or retries) the export.
pub async fn start(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<StartForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&form.csrf)?;
    let id = request_id(&id)?;
    let input = input_for(
        &shared,
        &staff,
        id,
        form.encrypt.is_some(),
        Offer {
            partial: form.allow_partial.is_some(),
            empty: form.allow_empty.is_some(),
        },
        form.to,
    )
    .await?;
    launch(&shared, &staff, id, input, false).await
}

fn progress_event(job: &Job, lang: Lang) -> Event {
    let sources: Vec<serde_json::Value> = lines(job, lang)
        .iter()
        .map(|l| serde_json::json!({ "id": l.id, "state": l.state, "text": l.text() }))
        .collect();
    let data = serde_json::json!({ "sources": sources, "done": !job.running() });
    Event::default().event("progress").data(data.to_string())
}

/// `GET /requests/{id}/export/events`: the job's progress as server-sent
/// events, one per change, until it ends.
pub async fn events(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, PageError> {
    let id = request_id(&id)?;
    let job = jobs::latest(&shared, id).ok_or(PageError::NotFound)?;
    let rx = job.changed.subscribe();
    let lang = staff.lang;
    let stream = futures::stream::unfold(
        (job, rx, false),
        move |(job, mut rx, finished)| async move {
            if finished {
                return None;
            }
            let event = progress_event(&job, lang);
            let done = !job.running();
            if !done {
                let _ = tokio::time::timeout(Duration::from_secs(15), rx.changed()).await;
            }
            Some((Ok(event), (job, rx, done)))
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(state: SourceState, failure: Option<&str>) -> SourceLine {
        SourceLine {
            id: "woningnet".into(),
            state,
            records: 2,
            failure: failure.map(str::to_string),
        }
    }

    #[test]
    fn a_sources_line_says_where_it_stands_in_the_viewers_language() {
        let answered = LineView::of(&line(SourceState::Answered, None), Lang::Nl);
        assert_eq!(answered.text(), "geantwoord 2 records");
        let failed = LineView::of(
            &line(SourceState::Failed, Some("connection refused")),
            Lang::Nl,
        );
        assert!(
            failed
                .text()
                .starts_with("MISLUKT (technische melding: connection refused) Wat te doen:"),
            "{}",
            failed.text()
        );
        let skipped = LineView::of(&line(SourceState::Skipped, None), Lang::En);
        assert_eq!(skipped.records, None, "no count for a source not asked");
        assert!(
            skipped
                .text()
                .starts_with("skipped (nothing was known of this tenant"),
            "{}",
            skipped.text()
        );
    }
}
