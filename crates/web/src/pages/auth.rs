//! Logging in (the one-time token on loopback, or a staff account), out,
//! and the language switch.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use inzage_core::Lang;
use minijinja::context;
use serde::Deserialize;

use super::{Errors, PageError};
use crate::session::{random_token, same_secret, with_cookie, Staff, Visitor};
use crate::state::{Session, Shared};
use crate::texts::text;
use crate::view::{render, title, Viewer};

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

fn login_form(
    shared: &Shared,
    visitor: &Visitor,
    token: Option<&str>,
    name: &str,
    errors: Errors,
) -> Result<Response, PageError> {
    let lang = visitor.session.lang;
    let viewer = Viewer {
        staff: None,
        csrf: &visitor.session.csrf,
        lang,
        path: "/login",
    };
    let page = render(
        shared,
        &viewer,
        "login.html",
        title(lang, "title_login"),
        context! { token => token, values => context! { name => name }, errors => errors },
    )
    .map_err(|e| super::fault(format!("template login.html: {e}"), lang))?;
    Ok(with_cookie(shared, &visitor.id, page))
}

/// `GET /login[?token=…]`.
pub async fn login_page(
    State(shared): State<Arc<Shared>>,
    visitor: Visitor,
    Query(q): Query<TokenQuery>,
) -> Result<Response, PageError> {
    login_form(&shared, &visitor, q.token.as_deref(), "", Errors::new())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: Option<String>,
}

/// `POST /login`: a new session for the staff member.
pub async fn login(
    State(shared): State<Arc<Shared>>,
    visitor: Visitor,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let lang = visitor.session.lang;
    if visitor.new || !same_secret(&form.csrf, &visitor.session.csrf) {
        return Err(PageError::Forbidden);
    }
    let mut errors = Errors::new();
    let name = match inzage_app::staff::check_name(&form.name) {
        Ok(n) => n,
        Err(e) => {
            errors.insert("name", super::field_error(&e, "name", lang).1);
            String::new()
        }
    };
    let token = form.token.as_deref().filter(|t| !t.is_empty());
    if errors.is_empty() {
        let accepted = match token {
            Some(t) => {
                let mut slot = shared.login_token.lock().expect("token");
                let ok = slot.as_deref().is_some_and(|s| same_secret(s, t));
                if ok {
                    *slot = None; // one time only
                } else {
                    errors.insert("name", text(lang, "token_used").to_string());
                }
                ok
            }
            None => {
                let password = form.password.as_deref().unwrap_or("");
                let ok = crate::bridge::staff_check(
                    shared.config_path.clone(),
                    name.clone(),
                    password.to_string(),
                )
                .await
                .map_err(|e| super::failed(e, lang))?;
                if !ok {
                    errors.insert("password", text(lang, "bad_login").to_string());
                }
                ok
            }
        };
        if accepted {
            let id = random_token();
            {
                let mut sessions = shared.sessions.lock().expect("sessions");
                sessions.remove(&visitor.id);
                sessions.insert(
                    id.clone(),
                    Session {
                        staff: Some(name.clone()),
                        csrf: random_token(),
                        lang,
                    },
                );
            }
            let mut details = serde_json::Map::new();
            details.insert(
                "with".into(),
                if token.is_some() { "token" } else { "password" }.into(),
            );
            crate::bridge::record_action(
                shared.config_path.clone(),
                None,
                "web.login",
                name.clone(),
                details,
            )
            .await
            .map_err(|e| super::failed(e, lang))?;
            return Ok(with_cookie(&shared, &id, Redirect::to("/requests")));
        }
    }
    login_form(&shared, &visitor, token, &form.name, errors)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /logout`.
pub async fn logout(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&form.csrf)?;
    shared
        .sessions
        .lock()
        .expect("sessions")
        .remove(&staff.session);
    Ok(Redirect::to("/login").into_response())
}

#[derive(Deserialize)]
pub struct LangForm {
    #[serde(default)]
    csrf: String,
    lang: String,
    #[serde(default)]
    back: String,
}

/// `POST /lang`: Dutch or English pages for this session.
pub async fn switch_language(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Form(form): Form<LangForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&form.csrf)?;
    let lang = if form.lang == "en" {
        Lang::En
    } else {
        Lang::Nl
    };
    if let Some(s) = shared
        .sessions
        .lock()
        .expect("sessions")
        .get_mut(&staff.session)
    {
        s.lang = lang;
    }
    // Only a path on this server, never another site.
    let back = if form.back.starts_with('/') && !form.back.starts_with("//") {
        form.back
    } else {
        "/requests".to_string()
    };
    Ok(Redirect::to(&back).into_response())
}
