//! The configured estate: the configuration, the demo's fixture servers
//! and the built connectors.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use inzage_connectors::secrets::Variables;
use inzage_connectors::Config;
use inzage_core::Connector;
use inzage_testkit::servers::{start_crm, start_woningnet, Knobs, RunningServer};

use crate::error::{chain, AppError};

/// Loads the configuration; every problem is bad input.
pub fn load_config(path: &Path) -> Result<Config, AppError> {
    Config::load(path).map_err(|e| AppError::config(chain(&e)))
}

/// Running fixture servers; they stop when this is dropped.
pub struct Servers {
    _running: Vec<RunningServer>,
}

/// Starts the demo estate's fixture servers (`[[fixture_server]]` in
/// connectors.toml) in-process on 127.0.0.1 (random free ports, a fresh
/// random secret each) and returns the variables that carry their URLs and
/// secrets, ahead of the environment. A real deployment's configuration has
/// none, and nothing is started.
pub async fn start_fixture_servers(config: &Config) -> Result<(Variables, Servers), AppError> {
    let mut vars = Variables::from_env();
    let mut running = Vec::new();
    for server in &config.fixture_servers {
        let started = match server.kind.as_str() {
            "crm" => start_crm(&server.data, Knobs::default()).await,
            "woningnet" => start_woningnet(&server.data, Knobs::default()).await,
            other => {
                return Err(AppError::config(format!(
                    "fixture_server `{}`: kind `{other}` is not known; use `crm` or `woningnet`",
                    server.id
                )))
            }
        }
        .map_err(|e| {
            AppError::config(format!(
                "fixture_server `{}`: cannot start it: {e} (check `data`, or remove the [[fixture_server]] block for a real deployment)",
                server.id
            ))
        })?;
        tracing::info!(server = %server.id, url = %started.url, "fixture server started");
        vars.set(&server.url_variable, started.url.clone());
        if let Some(secret) = &server.secret_variable {
            vars.set(secret, started.secret.clone());
        }
        running.push(started);
    }
    Ok((vars, Servers { _running: running }))
}

/// A configured connector, built, with its timeout.
pub struct Built {
    /// The connector.
    pub connector: Arc<dyn Connector>,
    /// Time allowed for one fetch.
    pub timeout: Duration,
}

/// Builds every connector; a connector that cannot be built is a
/// configuration error naming it.
pub fn build_connectors(config: &Config, vars: &Variables) -> Result<Vec<Built>, AppError> {
    config
        .connectors
        .iter()
        .map(|c| {
            let connector = c
                .build(vars)
                .map_err(|e| AppError::config(format!("connector `{}`: {e}", c.id())))?;
            Ok(Built {
                connector,
                timeout: c
                    .timeout()
                    .unwrap_or(Duration::from_secs(config.engine.timeout_secs)),
            })
        })
        .collect()
}
