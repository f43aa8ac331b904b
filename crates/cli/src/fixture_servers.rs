//! The demo estate's fixture servers (`[[fixture_server]]` in
//! connectors.toml), started in-process on 127.0.0.1 for one command, so
//! that the README's main command needs no server started by hand. A real
//! deployment's configuration has none, and nothing is started.

use anyhow::anyhow;
use inzage_connectors::secrets::Variables;
use inzage_connectors::Config;
use inzage_testkit::servers::{start_crm, start_woningnet, Knobs, RunningServer};

use crate::exit::Failure;

/// Running fixture servers; they stop when this is dropped.
pub struct Servers {
    _running: Vec<RunningServer>,
}

/// Starts the configured fixture servers (random free ports on 127.0.0.1,
/// a fresh random secret each) and returns the variables that carry their
/// URLs and secrets, ahead of the environment.
pub async fn start(config: &Config) -> Result<(Variables, Servers), Failure> {
    let mut vars = Variables::from_env();
    let mut running = Vec::new();
    for server in &config.fixture_servers {
        let started = match server.kind.as_str() {
            "crm" => start_crm(&server.data, Knobs::default()).await,
            "woningnet" => start_woningnet(&server.data, Knobs::default()).await,
            other => {
                return Err(Failure::Usage(anyhow!(
                    "fixture_server `{}`: kind `{other}` is not known; use `crm` or `woningnet`",
                    server.id
                )))
            }
        }
        .map_err(|e| {
            Failure::Usage(anyhow!(
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
