//! Sessions, the login token and CSRF: a random session id in a
//! `SameSite=Strict; HttpOnly` cookie, a random CSRF token per session in
//! every form.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Redirect, Response};
use inzage_core::Lang;

use crate::state::{Session, Shared};

/// The session cookie's name.
pub const COOKIE_NAME: &str = "inzage_session";

/// 32 random bytes from the operating system, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator");
    hex::encode(bytes)
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn session_id(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.to_string())
}

/// The `Set-Cookie` value for a session id.
pub fn cookie(shared: &Shared, id: &str) -> HeaderValue {
    let secure = if shared.secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={id}; Path=/; HttpOnly; SameSite=Strict{secure}"
    ))
    .expect("a hex id is a valid header value")
}

/// Adds the session cookie to a response.
pub fn with_cookie(shared: &Shared, id: &str, response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    response
        .headers_mut()
        .append(SET_COOKIE, cookie(shared, id));
    response
}

/// A browser's session, logged in or not (created when missing).
#[derive(Clone, Debug)]
pub struct Visitor {
    /// The session id.
    pub id: String,
    /// The session.
    pub session: Session,
    /// Whether the session was created for this request (the cookie must be set).
    pub new: bool,
}

impl FromRequestParts<Arc<Shared>> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        shared: &Arc<Shared>,
    ) -> Result<Self, Self::Rejection> {
        let mut sessions = shared.sessions.lock().expect("sessions");
        if let Some(id) = session_id(parts) {
            if let Some(session) = sessions.get(&id) {
                return Ok(Visitor {
                    id,
                    session: session.clone(),
                    new: false,
                });
            }
        }
        let id = random_token();
        let session = Session {
            staff: None,
            csrf: random_token(),
            lang: shared.default_lang,
        };
        sessions.insert(id.clone(), session.clone());
        Ok(Visitor {
            id,
            session,
            new: true,
        })
    }
}

/// A logged-in staff member; without a session, the browser is sent to
/// the login page.
#[derive(Clone, Debug)]
pub struct Staff {
    /// The name recorded in the audit trail.
    pub name: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// The page language.
    pub lang: Lang,
    /// The session id.
    pub session: String,
}

impl FromRequestParts<Arc<Shared>> for Staff {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        shared: &Arc<Shared>,
    ) -> Result<Self, Self::Rejection> {
        let sessions = shared.sessions.lock().expect("sessions");
        session_id(parts)
            .and_then(|id| {
                let s = sessions.get(&id)?;
                Some(Staff {
                    name: s.staff.clone()?,
                    csrf: s.csrf.clone(),
                    lang: s.lang,
                    session: id,
                })
            })
            .ok_or_else(|| Redirect::to("/login").into_response())
    }
}

impl Staff {
    /// Refuses a form without this session's CSRF token.
    pub fn check_csrf(&self, token: &str) -> Result<(), crate::pages::PageError> {
        if same_secret(token, &self.csrf) {
            Ok(())
        } else {
            Err(crate::pages::PageError::Forbidden)
        }
    }
}
