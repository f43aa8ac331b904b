//! The subcommands: argument parsing and output over `inzage-app`.

mod check;
mod config_check;
mod deliver;
mod export;
pub mod find;
mod index;
pub mod request;
pub mod serve;
mod verify;

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
        Command::Serve(args) => serve::run(&cli.config, args).await,
        Command::Staff { command } => serve::staff(&cli.config, command).await,
    }
}
