//! `[receivers.<id>]` in connectors.toml: the landlords a portability
//! bundle can be sent to (GDPR art. 20(2)), picked by id, never by URL.
//!
//! ```toml
//! [receivers.voorbeeld]
//! label = "Woonstichting Voorbeeld"
//! url = "${INZAGE_RECEIVER_URL}"   # https; plain http only to loopback
//! token = "${RECEIVER_TOKEN}"      # bearer token, from the environment
//! timeout_secs = 30                # time limit for the whole delivery
//! retries = 3                      # on 5xx, 429 and timeouts
//! ```

use std::path::Path;

use indexmap::IndexMap;
use inzage_connectors::locate::Locator;
use serde::Deserialize;

use crate::error::{AppError, Field, Problem};

/// One receiving landlord.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiverConfig {
    /// Its name, shown to staff and recorded in the bundle.
    pub label: String,
    /// Where the bundle is POSTed (`${NAME}` is read from the environment).
    pub url: String,
    /// Bearer token, always `${NAME}`.
    #[serde(default)]
    pub token: Option<String>,
    /// Time limit for the delivery, retries included, in seconds.
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    /// Retries after a 5xx, 429 or timeout.
    #[serde(default = "default_retries")]
    pub retries: u32,
}

fn default_timeout() -> u64 {
    30
}

fn default_retries() -> u32 {
    3
}

#[derive(Deserialize)]
struct Raw {
    #[serde(default)]
    receivers: IndexMap<String, ReceiverConfig>,
}

/// Reads `[receivers.*]` from the configuration file, with `file:line`
/// problems: unknown keys, a URL that is neither https nor `${NAME}`, a
/// token that is not `${NAME}`.
pub fn load(path: &Path) -> Result<IndexMap<String, ReceiverConfig>, AppError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| AppError::config(format!("cannot read {}: {e}", path.display())))?;
    let raw: Raw = toml::from_str(&text).map_err(|e| {
        let line = e
            .span()
            .map(|s| format!(":{}", Locator::line_of(&text, s.start)))
            .unwrap_or_default();
        AppError::config(format!(
            "{}{line}: {}\n  hint: a [receivers.<id>] table has label, url, token, timeout_secs and retries",
            path.display(),
            e.message()
        ))
    })?;
    let locator = Locator::new(&text);
    let mut problems = Vec::new();
    for (id, r) in &raw.receivers {
        let at = |key: &str| {
            locator
                .line(&["receivers", id, key])
                .map(|l| format!("{}:{l}", path.display()))
                .unwrap_or_else(|| path.display().to_string())
        };
        let url = r.url.trim();
        if !(url.starts_with("${") || url.starts_with("https://") || url.starts_with("http://")) {
            problems.push(format!(
                "{}: receiver `{id}`: url `{url}` is not an https URL\n  hint: write url = \"https://...\" or url = \"${{NAME}}\"",
                at("url")
            ));
        }
        if let Some(token) = &r.token {
            if !(token.starts_with("${") && token.ends_with('}')) {
                problems.push(format!(
                    "{}: receiver `{id}`: the token is written literally\n  hint: secrets never stand in connectors.toml: write token = \"${{NAME}}\" and set NAME in the environment",
                    at("token")
                ));
            }
        }
        if r.timeout_secs == 0 {
            problems.push(format!(
                "{}: receiver `{id}`: timeout_secs is 0\n  hint: give a time limit in seconds, such as 30",
                at("timeout_secs")
            ));
        }
    }
    if !problems.is_empty() {
        return Err(AppError::config(problems.join("\nerror: ")));
    }
    Ok(raw.receivers)
}

/// The receiver with this id, or bad input listing the configured ones.
pub fn find(path: &Path, id: &str) -> Result<ReceiverConfig, AppError> {
    let all = load(path)?;
    all.get(id).cloned().ok_or_else(|| {
        AppError::field(
            Field::To,
            Problem::UnknownReceiver {
                id: id.to_string(),
                file: path.to_path_buf(),
                known: all.keys().cloned().collect(),
            },
        )
    })
}
