//! The subcommands.

mod check;
mod config_check;
mod deliver;
mod export;
pub mod find;
mod index;
mod receivers;
pub mod request;
mod verify;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::anyhow;
use inzage_connectors::secrets::Variables;
use inzage_connectors::Config;
use inzage_core::Connector;

use crate::exit::Failure;
use crate::{Cli, Command, ConfigCommand};

/// Runs the command the user asked for.
pub async fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Export(args) => export::run(&cli.config, args).await,
        Command::Check => check::run(&cli.config).await,
        Command::Index => index::run(&cli.config).await,
        Command::Config {
            command: ConfigCommand::Check,
        } => config_check::run(&cli.config),
        Command::Find(args) => find::run(&cli.config, args).await,
        Command::Request { command } => request::run(&cli.config, command).await,
        Command::Audit { command } => request::audit(&cli.config, command).await,
        Command::Verify(args) => verify::run(args),
        Command::Deliver(args) => deliver::run(&cli.config, args).await,
    }
}

/// Loads the configuration; every problem is a usage error (exit 2).
fn load_config(path: &Path) -> Result<Config, Failure> {
    Config::load(path).map_err(|e| Failure::Usage(anyhow!(e)))
}

/// A configured connector, built, with its timeout.
struct Built {
    connector: Arc<dyn Connector>,
    timeout: Duration,
}

/// Builds every connector; a connector that cannot be built is a
/// configuration error naming it.
fn build_connectors(config: &Config, vars: &Variables) -> Result<Vec<Built>, Failure> {
    config
        .connectors
        .iter()
        .map(|c| {
            let connector = c
                .build(vars)
                .map_err(|e| Failure::Usage(anyhow!("connector `{}`: {e}", c.id())))?;
            Ok(Built {
                connector,
                timeout: c
                    .timeout()
                    .unwrap_or(Duration::from_secs(config.engine.timeout_secs)),
            })
        })
        .collect()
}
