//! The register of requests, opening one, and one request's page: verify,
//! extend, close, letters, exports, history.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{NaiveDate, Utc};
use inzage_app::requests::{LetterInput, ListFilter, OpenInput, SubjectRef};
use inzage_app::AppError;
use inzage_core::Lang;
use inzage_requests::letter::LetterKind;
use inzage_requests::{Request, RequestKind};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use super::{field_error, request_id, show, show_titled, Errors, PageError};
use crate::session::Staff;
use crate::state::Shared;
use crate::texts::text;
use crate::words;
use inzage_bundle::report::format::Formatter;

/// A request as the pages show it.
#[derive(Serialize)]
pub struct RequestView {
    id: String,
    kind: &'static str,
    status: String,
    subject: String,
    channel: &'static str,
    received: String,
    ack_due: String,
    due: String,
    left: String,
    urgency: &'static str,
    verified: String,
    is_verified: bool,
    closed: bool,
    exports: Vec<Value>,
}

/// The view of a request today, its dates and times as `fmt` writes them.
pub fn view(r: &Request, fmt: &Formatter, today: NaiveDate) -> RequestView {
    let lang = fmt.lang;
    let date = |d: Option<NaiveDate>| d.map(|d| fmt.date(d)).unwrap_or_else(|| "-".into());
    let d = r.deadlines();
    let left_days = d.days_left(today);
    let (left, urgency) = match (&r.closed, left_days) {
        (Some(_), _) => ("-".to_string(), ""),
        (None, Some(n)) if n < 0 => (format!("{} {}", text(lang, "overdue_by"), -n), "overdue"),
        (None, Some(n)) if n <= 7 => (n.to_string(), "soon"),
        (None, Some(n)) => (n.to_string(), ""),
        (None, None) => (text(lang, "clock_not_started").to_string(), ""),
    };
    RequestView {
        id: r.id.clone(),
        kind: words::request_kind(r.kind, lang),
        status: words::status(r, lang),
        subject: r.masked_subject(),
        channel: words::channel(r.channel, lang),
        received: fmt.date(r.received),
        ack_due: date(d.acknowledgement),
        due: date(d.answer),
        left,
        urgency,
        verified: match &r.verified {
            Some(v) => format!("{} ({})", v.method, v.by),
            None => text(lang, "not_verified").to_string(),
        },
        is_verified: r.verified.is_some(),
        closed: r.closed.is_some(),
        exports: r
            .exports
            .iter()
            .map(|e| {
                Value::from_serialize(context! {
                    at => fmt.instant(&e.at),
                    by => &e.by, file_name => &e.file_name, records => e.records, complete => e.complete
                })
            })
            .collect(),
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    kind: Option<String>,
}

/// `GET /requests`: the register, soonest deadline first.
pub async fn list(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let status = q.status.unwrap_or_else(|| "open".into());
    let kind = q.kind.unwrap_or_else(|| "all".into());
    let mut all = crate::bridge::list(
        shared.config_path.clone(),
        ListFilter {
            open_only: status == "open",
            due_by: None,
            kind: kind.parse::<RequestKind>().ok(),
        },
    )
    .await
    .map_err(|e| super::failed(e, staff.lang))?;
    if status == "closed" {
        all.retain(|r| r.closed.is_some());
    }
    let today = Utc::now().date_naive();
    let fmt = shared.formatter(staff.lang);
    let rows: Vec<RequestView> = all.iter().map(|r| view(r, &fmt, today)).collect();
    show(
        &shared,
        &staff,
        "/requests",
        "requests.html",
        "title_requests",
        context! { rows => rows, filter => context! { status => status, kind => kind } },
    )
}

#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    customer: String,
}

/// `GET /requests/new[?customer=K]`.
pub async fn new_page(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    let values = context! {
        customer => q.customer, kind => "access", channel => "balie",
        received => Utc::now().date_naive().to_string()
    };
    show(
        &shared,
        &staff,
        "/requests/new",
        "request_new.html",
        "title_new",
        context! { values => values, channels => channel_options(staff.lang) },
    )
}

#[derive(Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    customer: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    received: String,
    #[serde(default)]
    channel: String,
}

/// `POST /requests`: opens a request.
pub async fn open(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Form(form): Form<OpenForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&form.csrf)?;
    let mut errors = Errors::new();
    let received = NaiveDate::parse_from_str(form.received.trim(), "%Y-%m-%d").ok();
    if received.is_none() {
        errors.insert("received", text(staff.lang, "err_date").into());
    }
    if form.customer.trim().is_empty() {
        errors.insert("customer", text(staff.lang, "err_required").into());
    }
    let kind = form
        .kind
        .parse::<RequestKind>()
        .unwrap_or(RequestKind::Access);
    let channel = form
        .channel
        .parse()
        .unwrap_or(inzage_requests::Channel::Balie);
    if let (Some(received), true) = (received, errors.is_empty()) {
        let input = OpenInput {
            subject: SubjectRef::Customer(form.customer.trim().to_string()),
            kind,
            received,
            channel,
        };
        match crate::bridge::open(shared.config_path.clone(), input, staff.name.clone()).await {
            Ok(r) => return Ok(Redirect::to(&format!("/requests/{}", r.id)).into_response()),
            Err(e) => {
                let (field, message) = field_error(&e, "customer", staff.lang);
                errors.insert(field, message);
            }
        }
    }
    let values = context! {
        customer => form.customer, kind => form.kind, channel => form.channel, received => form.received
    };
    show(
        &shared,
        &staff,
        "/requests/new",
        "request_new.html",
        "title_new",
        context! { values => values, errors => errors, channels => channel_options(staff.lang) },
    )
}

fn channel_options(lang: Lang) -> Vec<(&'static str, &'static str)> {
    words::options(
        &words::CHANNELS,
        inzage_requests::Channel::as_str,
        words::channel,
        lang,
    )
}

/// A letter written for a request: its file and what it is, in words.
#[derive(Serialize)]
struct LetterView {
    file: String,
    words: String,
}

fn letter_view(file: String, lang: Lang) -> LetterView {
    let stem = file.strip_suffix(".html").unwrap_or(&file);
    let (kind, letter_lang) = stem.rsplit_once('-').unwrap_or((stem, ""));
    let language = match letter_lang {
        "nl" => Some(if lang == Lang::Nl {
            "Nederlands"
        } else {
            "Dutch"
        }),
        "en" => Some(if lang == Lang::Nl {
            "Engels"
        } else {
            "English"
        }),
        _ => None,
    };
    let words = match (letter_kind(kind), language) {
        (Some(k), Some(l)) => format!("{} ({l})", words::letter(k, lang)),
        _ => file.clone(),
    };
    LetterView { file, words }
}

fn letters(shared: &Shared, id: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(shared.request_dir(id).join("letters"))
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| letter_name_ok(n))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn letter_kind(name: &str) -> Option<LetterKind> {
    words::LETTERS.into_iter().find(|k| k.as_str() == name)
}

fn letter_name_ok(name: &str) -> bool {
    name.strip_suffix(".html").is_some_and(|stem| {
        !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
    })
}

/// Renders a request's page, with the messages and values of a form that
/// needs correcting.
async fn detail_page(
    shared: &Shared,
    staff: &Staff,
    id: &str,
    values: Value,
    errors: Errors,
    flash: Option<String>,
) -> Result<Response, PageError> {
    let r = match crate::bridge::get(shared.config_path.clone(), id.to_string()).await {
        Ok(r) => r,
        Err(_) => return Err(PageError::NotFound),
    };
    let fmt = shared.formatter(staff.lang);
    // The trail's times are RFC 3339 in UTC; shown in the organisation's zone.
    let when = |at: &str| {
        chrono::DateTime::parse_from_rfc3339(at)
            .map(|t| fmt.instant(&t))
            .unwrap_or_else(|_| at.to_string())
    };
    let history: Vec<Value> = crate::bridge::history(shared.config_path.clone(), id.to_string())
        .await
        .map_err(|e| super::failed(e, staff.lang))?
        .into_iter()
        .map(|h| {
            Value::from_serialize(context! {
                seq => h.seq, at => when(&h.at), by => h.event.by,
                action => words::action(&h.event.action, staff.lang)
            })
        })
        .collect();
    let path = format!("/requests/{id}");
    let title = format!("{} {}", text(staff.lang, "title_request"), r.id);
    show_titled(
        shared,
        staff,
        &path,
        "request.html",
        &title,
        context! {
            r => view(&r, &fmt, Utc::now().date_naive()),
            history => history,
            letters => letters(shared, id)
                .into_iter()
                .map(|f| letter_view(f, staff.lang))
                .collect::<Vec<_>>(),
            outcomes => words::options(&words::OUTCOMES, inzage_requests::Outcome::as_str, words::outcome, staff.lang),
            letter_kinds => words::options(&words::LETTERS, LetterKind::as_str, words::letter, staff.lang),
            values => values,
            errors => errors,
            flash => flash,
        },
    )
}

/// Where a form on a request's page leads: to `done` when the action was
/// taken, else back to the page with the message beside `field` (the
/// extension form's months when the message is about them) and the values
/// as they were typed, so that nothing is lost.
async fn answer<T>(
    shared: &Shared,
    staff: &Staff,
    id: &str,
    result: Result<T, AppError>,
    done: String,
    field: &'static str,
    values: Value,
) -> Result<Response, PageError> {
    let e = match result {
        Ok(_) => return Ok(Redirect::to(&done).into_response()),
        Err(e) => e,
    };
    let (named, message) = field_error(&e, field, staff.lang);
    let field = if named == "months" { named } else { field };
    detail_page(
        shared,
        staff,
        id,
        values,
        Errors::from([(field, message)]),
        None,
    )
    .await
}

/// `GET /requests/{id}`.
pub async fn detail(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = request_id(&id)?;
    detail_page(&shared, &staff, id, context! {}, Errors::new(), None).await
}

#[derive(Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    method: String,
}

/// `POST /requests/{id}/verify`.
pub async fn verify(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<VerifyForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&form.csrf)?;
    let id = request_id(&id)?;
    let result = crate::bridge::verify(
        shared.config_path.clone(),
        id.to_string(),
        form.method.clone(),
        staff.name.clone(),
    )
    .await;
    let values = context! { method => form.method };
    answer(
        &shared,
        &staff,
        id,
        result,
        format!("/requests/{id}"),
        "method",
        values,
    )
    .await
}

#[derive(Deserialize)]
pub struct ExtendForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    months: String,
}

/// `POST /requests/{id}/extend`.
pub async fn extend(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<ExtendForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&form.csrf)?;
    let id = request_id(&id)?;
    let values = context! { reason => &form.reason, months => &form.months };
    let months = match form.months.trim() {
        "" => None,
        m => match m.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                let errors = Errors::from([("months", text(staff.lang, "err_months").to_string())]);
                return detail_page(&shared, &staff, id, values, errors, None).await;
            }
        },
    };
    let result = crate::bridge::extend(
        shared.config_path.clone(),
        id.to_string(),
        months,
        form.reason.clone(),
        staff.name.clone(),
    )
    .await;
    answer(
        &shared,
        &staff,
        id,
        result,
        format!("/requests/{id}"),
        "reason",
        values,
    )
    .await
}

#[derive(Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    reason: String,
}

/// `POST /requests/{id}/close`.
pub async fn close(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<CloseForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&form.csrf)?;
    let id = request_id(&id)?;
    let values = context! { outcome => &form.outcome, close_reason => &form.reason };
    let Ok(outcome) = form.outcome.parse::<inzage_requests::Outcome>() else {
        let errors = Errors::from([("close", text(staff.lang, "err_required").to_string())]);
        return detail_page(&shared, &staff, id, values, errors, None).await;
    };
    let reason = Some(form.reason.trim()).filter(|r| !r.is_empty());
    let result = crate::bridge::close(
        shared.config_path.clone(),
        id.to_string(),
        outcome,
        reason.map(str::to_string),
        staff.name.clone(),
    )
    .await;
    answer(
        &shared,
        &staff,
        id,
        result,
        format!("/requests/{id}"),
        "close",
        values,
    )
    .await
}

#[derive(Deserialize)]
pub struct LetterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    lang: String,
}

/// `POST /requests/{id}/letter`: writes the letter and shows it.
pub async fn letter(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<LetterForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&form.csrf)?;
    let id = request_id(&id)?;
    let values = context! { letter_kind => &form.kind, letter_lang => &form.lang };
    let Some(kind) = letter_kind(&form.kind) else {
        let errors = Errors::from([("letter", text(staff.lang, "err_required").to_string())]);
        return detail_page(&shared, &staff, id, values, errors, None).await;
    };
    let lang = if form.lang == "en" {
        Lang::En
    } else {
        Lang::Nl
    };
    let dir = shared.request_dir(id).join("letters");
    std::fs::create_dir_all(&dir)
        .map_err(|e| super::fault(format!("cannot create {}: {e}", dir.display()), staff.lang))?;
    let file = format!("{}-{}.html", kind.as_str(), crate::texts::code(lang));
    let input = LetterInput {
        id: id.to_string(),
        kind,
        lang: Some(lang),
        out: dir.join(&file),
        force: true,
    };
    let result = crate::bridge::letter(shared.config_path.clone(), input, staff.name.clone()).await;
    let done = format!("/requests/{id}/letters/{file}");
    answer(&shared, &staff, id, result, done, "letter", values).await
}

/// `GET /requests/{id}/letters/{file}`: a letter as written (its own
/// styles, no scripts).
pub async fn letter_file(
    State(shared): State<Arc<Shared>>,
    _staff: Staff,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = request_id(&id)?;
    if !letter_name_ok(&file) {
        return Err(PageError::NotFound);
    }
    let body = std::fs::read(shared.request_dir(id).join("letters").join(&file))
        .map_err(|_| PageError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'",
            ),
        ],
        body,
    )
        .into_response())
}
