//! Review: every redaction and every ambiguous or partial match of the
//! third-party review, with the decision (keep, redact, include, leave
//! out) taken in the page; the decisions are applied by making the bundle
//! again with them, and the bundle is final only after this review.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use inzage_bundle::review;
use inzage_engine::protect::decisions::Decisions;
use inzage_engine::protect::review::{Outcome, ReviewEntry};
use minijinja::{context, Value};

use super::{request_id, show_titled, PageError};
use crate::jobs;
use crate::session::Staff;
use crate::state::Shared;
use crate::texts::text;

/// The decision an entry already carries, if any.
fn current(entry: &ReviewEntry) -> &'static str {
    match entry.outcome {
        Outcome::KeptByDecision => "keep",
        Outcome::RedactedByDecision => "redact",
        Outcome::IncludedByDecision => "include",
        Outcome::LeftOutByDecision => "leave_out",
        _ => "",
    }
}

fn entries(shared: &Shared, id: &str) -> Option<Vec<ReviewEntry>> {
    jobs::written(shared, id).map(|(_, exported)| exported.review)
}

/// `GET /requests/{id}/review`.
pub async fn page(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = request_id(&id)?;
    let Some(list) = entries(&shared, id) else {
        return super::no_bundle(&shared, &staff, id).await;
    };
    let rows: Vec<Value> = list
        .iter()
        .map(|e| {
            Value::from_serialize(context! {
                decision_id => &e.decision_id, source => &e.source, dataset => &e.dataset, key => &e.key,
                field => e.field.as_deref().unwrap_or(""), masked => e.masked.as_deref().unwrap_or(""),
                kind => review::kind_text(e.subject, staff.lang),
                outcome => review::outcome_text(e.outcome, staff.lang),
                reason => review::reason_text(&e.reason, staff.lang),
                options => &e.options, current => current(e)
            })
        })
        .collect();
    let title = format!("{} {}", text(staff.lang, "title_review"), id);
    show_titled(
        &shared,
        &staff,
        &format!("/requests/{id}/review"),
        "review.html",
        &title,
        context! { id => id, entries => rows },
    )
}

/// `POST /requests/{id}/review`: writes the decisions file and makes the
/// bundle again with it.
pub async fn decide(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csrf = form
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    staff.check_csrf(csrf)?;
    let id = request_id(&id)?;
    let Some(list) = entries(&shared, id) else {
        return super::no_bundle(&shared, &staff, id).await;
    };
    let job = jobs::latest(&shared, id).ok_or(PageError::NotFound)?;
    let mut decisions = Vec::new();
    for (key, value) in &form {
        let Some(decision_id) = key.strip_prefix("d-") else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        // Only an entry of this review, and only a decision it offers.
        let Some(entry) = list.iter().find(|e| e.decision_id == decision_id) else {
            continue;
        };
        if !entry.options.contains(&value.as_str()) {
            continue;
        }
        decisions.push(serde_json::json!({ "id": entry.decision_id, "decision": value }));
    }
    let doc = serde_json::json!({ "reviewed_by": staff.name, "decisions": decisions });
    // Checked as the CLI would read it.
    let text_doc = serde_json::to_string_pretty(&doc).unwrap_or_default();
    let path = shared.request_dir(id).join("decisions.json");
    Decisions::parse(&path.display().to_string(), &text_doc)
        .map_err(|e| super::fault(e.to_string(), staff.lang))?;
    std::fs::write(&path, text_doc.as_bytes())
        .map_err(|e| super::fault(format!("cannot write {}: {e}", path.display()), staff.lang))?;
    let mut details = serde_json::Map::new();
    details.insert("decisions".into(), decisions.len().into());
    super::record(&shared, &staff, id, "review.decide", details).await?;
    let mut input = job.input.clone();
    input.decisions = Some(path);
    input.now = chrono::Utc::now();
    if let Some(p) = &mut input.passphrase {
        p.generated = false; // shown once, at the first export
    }
    super::export::launch(&shared, &staff, id, input, true).await
}
