//! The pages and their routes.

mod auth;
mod bundle;
mod export;
mod find;
mod requests;
mod review;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use inzage_app::{AppError, Field};
use inzage_core::Lang;
use minijinja::Value;

use crate::session::Staff;
use crate::state::Shared;
use crate::texts::text;
use crate::view::{render, title, Viewer};

/// Every route.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { axum::response::Redirect::to("/requests") }),
        )
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang", post(auth::switch_language))
        .route("/find", get(find::page).post(find::search))
        .route("/find/number", post(find::search_number))
        .route("/requests", get(requests::list).post(requests::open))
        .route("/requests/new", get(requests::new_page))
        .route("/requests/{id}", get(requests::detail))
        .route("/requests/{id}/verify", post(requests::verify))
        .route("/requests/{id}/extend", post(requests::extend))
        .route("/requests/{id}/close", post(requests::close))
        .route("/requests/{id}/letter", post(requests::letter))
        .route("/requests/{id}/letters/{file}", get(requests::letter_file))
        .route(
            "/requests/{id}/export",
            get(export::page).post(export::start),
        )
        .route("/requests/{id}/export/events", get(export::events))
        .route(
            "/requests/{id}/review",
            get(review::page).post(review::decide),
        )
        .route("/requests/{id}/bundle", get(bundle::page))
        .route("/requests/{id}/report", get(bundle::report))
        .route("/requests/{id}/download", get(bundle::download))
        .route("/requests/{id}/deliver", post(bundle::deliver))
        .route("/static/app.css", get(stylesheet))
        .route("/static/progress.js", get(script))
        .layer(axum::middleware::from_fn(crate::security::headers))
        .with_state(shared)
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        include_str!("../../static/progress.js"),
    )
        .into_response()
}

/// A page that cannot be shown as asked.
#[derive(Debug)]
pub enum PageError {
    /// A form without this session's CSRF token.
    Forbidden,
    /// No such thing.
    NotFound,
    /// Something went wrong (the message is for staff, without personal data in logs).
    Failed(String, Lang),
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            // Without a session's language: Dutch, then English.
            PageError::Forbidden => plain_page(StatusCode::FORBIDDEN, "csrf_refused"),
            PageError::NotFound => plain_page(StatusCode::NOT_FOUND, "not_found"),
            PageError::Failed(message, lang) => {
                tracing::warn!("a page failed");
                let body = format!(
                    "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>inzage</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head><body><main><h1>{}</h1><p>{}</p><p><a href=\"/requests\">{}</a></p></main></body></html>",
                    crate::texts::code(lang),
                    text(lang, "title_error"),
                    escape(&message),
                    text(lang, "requests")
                );
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    body,
                )
                    .into_response()
            }
        }
    }
}

/// A page with one message, in Dutch and in English.
fn plain_page(status: StatusCode, key: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>inzage</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head><body><main><h1>{}</h1><p>{}</p><p lang=\"en\">{}</p><p><a href=\"/requests\">{}</a></p></main></body></html>",
        status.as_u16(),
        escape(text(Lang::Nl, key)),
        escape(text(Lang::En, key)),
        text(Lang::Nl, "requests")
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// HTML-escapes text for the pages not rendered from a template.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Renders a page for a logged-in staff member.
pub fn show(
    shared: &Shared,
    staff: &Staff,
    path: &str,
    template: &str,
    title_key: &str,
    page: Value,
) -> Result<Response, PageError> {
    show_titled(
        shared,
        staff,
        path,
        template,
        title(staff.lang, title_key),
        page,
    )
}

/// Renders a page with a title of its own.
pub fn show_titled(
    shared: &Shared,
    staff: &Staff,
    path: &str,
    template: &str,
    title: &str,
    page: Value,
) -> Result<Response, PageError> {
    let viewer = Viewer {
        staff: Some(&staff.name),
        csrf: &staff.csrf,
        lang: staff.lang,
        path,
    };
    render(shared, &viewer, template, title, page)
        .map(IntoResponse::into_response)
        .map_err(|e| fault(format!("template {template}: {e}"), staff.lang))
}

/// Messages beside the fields of a form, by field name.
pub type Errors = BTreeMap<&'static str, String>;

/// The form field an app error is about, and its message in the staff
/// member's language.
pub fn field_error(e: &AppError, fallback: &'static str, lang: Lang) -> (&'static str, String) {
    let name = match e.field_of() {
        Some(Field::Customer) | Some(Field::Contract) => "customer",
        Some(Field::Received) => "received",
        Some(Field::By) => "name",
        Some(Field::Method) => "method",
        Some(Field::Reason) => "reason",
        Some(Field::Months) => "months",
        Some(Field::Name) => "name",
        Some(Field::Born) => "born",
        Some(Field::Postcode) => "postcode",
        Some(Field::To) => "to",
        Some(Field::Request) | None => fallback,
    };
    (name, crate::problems::words(e, lang))
}

/// Whether a path segment is a request id (`V-0001`), so that it can name a folder.
pub fn request_id(id: &str) -> Result<&str, PageError> {
    let ok = id
        .strip_prefix("V-")
        .is_some_and(|n| !n.is_empty() && n.len() <= 12 && n.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(id)
    } else {
        Err(PageError::NotFound)
    }
}

/// Records a staff member's action on a request in the audit trail
/// (`details` carry no personal data); a trail that cannot be written stops
/// the action with the message.
pub async fn record(
    shared: &Shared,
    staff: &Staff,
    request: &str,
    action: &'static str,
    details: serde_json::Map<String, serde_json::Value>,
) -> Result<(), PageError> {
    crate::bridge::record_action(
        shared.config_path.clone(),
        Some(request.to_string()),
        action,
        staff.name.clone(),
        details,
    )
    .await
    .map_err(|e| failed(e, staff.lang))
}

/// The page for a request whose bundle this server does not hold: its
/// export still runs or wrote none, none was made yet, or the server was
/// started again since the last one (it keeps its jobs while it runs);
/// each said as it is, with the way to the export.
pub async fn no_bundle(shared: &Shared, staff: &Staff, id: &str) -> Result<Response, PageError> {
    let request = crate::bridge::get(shared.config_path.clone(), id.to_string())
        .await
        .map_err(|_| PageError::NotFound)?;
    let job = crate::jobs::latest(shared, id);
    let message = match (&job, request.exports.last()) {
        (Some(job), _) if job.running() => text(staff.lang, "export_running").to_string(),
        (Some(_), _) => text(staff.lang, "latest_wrote_none").to_string(),
        (None, None) => text(staff.lang, "no_export").to_string(),
        (None, Some(last)) => format!(
            "{} {} ({}, {}). {}",
            text(staff.lang, "restarted_since"),
            shared.formatter(staff.lang).instant(&last.at),
            last.by,
            last.file_name,
            text(staff.lang, "restarted_what")
        ),
    };
    show(
        shared,
        staff,
        &format!("/requests/{id}"),
        "error.html",
        "title_bundle",
        Value::from_serialize(minijinja::context! {
            message => message,
            next => format!("/requests/{id}/export"),
            next_words => text(staff.lang, "to_export"),
        }),
    )
}

/// A fault of inzage itself (a template, a folder, a file), worded for
/// the page with the technical detail for the administrator.
pub fn fault(detail: String, lang: Lang) -> PageError {
    failed(AppError::Failed(detail), lang)
}

/// A failure not tied to one field.
pub fn failed(e: AppError, lang: Lang) -> PageError {
    PageError::Failed(crate::problems::words(&e, lang), lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_request_ids_name_folders() {
        assert!(request_id("V-0001").is_ok());
        for bad in ["../etc", "V-", "V-1/2", "V-..", "W-0001", ""] {
            assert!(request_id(bad).is_err(), "{bad}");
        }
    }
}
