//! What the server holds while it runs: sessions, the one-time token, the
//! export jobs.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use inzage_bundle::report::format::Formatter;
use inzage_core::Lang;

use crate::jobs::Job;

/// One browser's session.
#[derive(Clone, Debug)]
pub struct Session {
    /// The staff member, once logged in.
    pub staff: Option<String>,
    /// The CSRF token every form of this session carries.
    pub csrf: String,
    /// The language of the pages.
    pub lang: Lang,
}

/// The server's shared state.
pub struct Shared {
    /// connectors.toml.
    pub config_path: PathBuf,
    /// Where bundles, decisions and letters are kept.
    pub work_dir: PathBuf,
    /// The corporation's name (from the register).
    pub organisation: String,
    /// The organisation's language, the default of the pages.
    pub default_lang: Lang,
    /// The organisation's time zone: times are shown in it.
    pub tz: chrono_tz::Tz,
    /// Served over TLS (the session cookie is then `Secure`).
    pub secure: bool,
    /// The one-time login token (loopback only), until used.
    pub login_token: Mutex<Option<String>>,
    /// Sessions by id.
    pub sessions: Mutex<HashMap<String, Session>>,
    /// The latest export job of each request.
    pub jobs: Mutex<HashMap<String, Arc<Job>>>,
}

impl Shared {
    /// The state for a server over this configuration.
    pub fn new(
        config_path: PathBuf,
        work_dir: PathBuf,
        organisation: &inzage_core::register::Organisation,
        login_token: Option<String>,
        secure: bool,
    ) -> Shared {
        Shared {
            config_path,
            work_dir,
            organisation: organisation.name.clone(),
            default_lang: organisation.language,
            tz: organisation.tz().unwrap_or(chrono_tz::Europe::Amsterdam),
            secure,
            login_token: Mutex::new(login_token),
            sessions: Mutex::new(HashMap::new()),
            jobs: Mutex::new(HashMap::new()),
        }
    }

    /// How dates and times read on a page in `lang`: as in the report
    /// (`29-12-2026`, `1 december 2026 18:59` in the organisation's zone).
    pub fn formatter(&self, lang: Lang) -> Formatter {
        Formatter::new(lang, self.tz)
    }

    /// The folder of one request's files.
    pub fn request_dir(&self, id: &str) -> PathBuf {
        self.work_dir.join(id)
    }
}
