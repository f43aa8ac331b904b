//! Find: name + birth date (+ postcode) → masked candidates, as `inzage find`.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use axum::Form;
use chrono::NaiveDate;
use inzage_app::find::PersonQuery;
use minijinja::context;
use serde::Deserialize;

use super::{show, Errors, PageError};
use crate::session::Staff;
use crate::state::Shared;
use crate::texts::text;

/// `GET /find`.
pub async fn page(State(shared): State<Arc<Shared>>, staff: Staff) -> Result<Response, PageError> {
    show(
        &shared,
        &staff,
        "/find",
        "find.html",
        "title_find",
        context! {},
    )
}

#[derive(Deserialize)]
pub struct FindForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    born: String,
    #[serde(default)]
    postcode: String,
}

/// `POST /find` (a POST, so that names never stand in a URL or a log).
pub async fn search(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Form(form): Form<FindForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&form.csrf)?;
    let mut errors = Errors::new();
    if form.name.trim().is_empty() {
        errors.insert("name", text(staff.lang, "err_required").into());
    }
    let born = NaiveDate::parse_from_str(form.born.trim(), "%Y-%m-%d").ok();
    if born.is_none() {
        errors.insert("born", text(staff.lang, "err_date").into());
    }
    let values = context! { name => &form.name, born => &form.born, postcode => &form.postcode };
    let outcome = match (born, errors.is_empty()) {
        (Some(born), true) => {
            let query = PersonQuery {
                name: form.name.clone(),
                born,
                postcode: Some(form.postcode.trim().to_string()).filter(|p| !p.is_empty()),
            };
            match crate::bridge::find(shared.config_path.clone(), query).await {
                Ok(outcome) => Some(outcome),
                Err(e) => {
                    let (field, message) = super::field_error(&e, "name");
                    errors.insert(field, message);
                    None
                }
            }
        }
        _ => None,
    };
    show(
        &shared,
        &staff,
        "/find",
        "find.html",
        "title_find",
        context! { values => values, errors => errors, outcome => outcome },
    )
}
