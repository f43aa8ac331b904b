//! Find: a klantnummer or contract number, or name + birth date (+
//! postcode) → masked candidates, from the same use cases as `inzage find`.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use axum::Form;
use chrono::NaiveDate;
use inzage_app::find::PersonQuery;
use inzage_app::requests::SubjectRef;
use minijinja::context;
use serde::Deserialize;

use super::{show, Errors, PageError};
use crate::session::Staff;
use crate::state::Shared;
use crate::texts::text;

fn show_find(
    shared: &Shared,
    staff: &Staff,
    page: minijinja::Value,
) -> Result<Response, PageError> {
    show(shared, staff, "/find", "find.html", "title_find", page)
}

/// `GET /find`.
pub async fn page(State(shared): State<Arc<Shared>>, staff: Staff) -> Result<Response, PageError> {
    show_find(&shared, &staff, context! {})
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
                    let (field, message) = super::field_error(&e, "name", staff.lang);
                    errors.insert(field, message);
                    None
                }
            }
        }
        _ => None,
    };
    show_find(
        &shared,
        &staff,
        context! { values => values, errors => errors, outcome => outcome },
    )
}

#[derive(Deserialize)]
pub struct NumberForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    number_kind: String,
    #[serde(default)]
    number: String,
}

/// `POST /find/number`: a klantnummer or a contract number.
pub async fn search_number(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Form(form): Form<NumberForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&form.csrf)?;
    let mut errors = Errors::new();
    let number = form.number.trim().to_string();
    let subject = match form.number_kind.as_str() {
        "contract" => SubjectRef::Contract(number),
        _ => SubjectRef::Customer(number),
    };
    let outcome = match crate::bridge::find_by_number(shared.config_path.clone(), subject).await {
        Ok(outcome) => Some(outcome),
        Err(e) => {
            errors.insert("number", super::field_error(&e, "number", staff.lang).1);
            None
        }
    };
    let values = context! { number => &form.number, number_kind => &form.number_kind };
    show_find(
        &shared,
        &staff,
        context! { values => values, errors => errors, outcome => outcome, by_number => true },
    )
}
