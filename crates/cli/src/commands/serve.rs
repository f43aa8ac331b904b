//! `inzage serve` (the web app) and `inzage staff add NAME`.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use clap::{Args, Subcommand};

use crate::exit::Failure;

/// Arguments of `serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Where to listen. Off 127.0.0.1 the app needs --tls-cert, --tls-key
    /// and staff accounts.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub bind: SocketAddr,
    /// TLS certificate chain (PEM).
    #[arg(long, value_name = "PEM")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    #[arg(long, value_name = "PEM")]
    pub tls_key: Option<PathBuf>,
    /// Where the bundles, decisions and letters made in the app are kept.
    #[arg(long, default_value = "inzage-web", value_name = "DIR")]
    pub work_dir: PathBuf,
}

/// Staff subcommands.
#[derive(Subcommand, Debug)]
pub enum StaffCommand {
    /// Add a staff member (or set a new password). The password is read
    /// from INZAGE_STAFF_PASSWORD, else from the first line of stdin.
    Add(StaffAddArgs),
}

/// Arguments of `staff add`.
#[derive(Args, Debug)]
pub struct StaffAddArgs {
    /// The name, as the audit trail shows it.
    pub name: String,
    #[command(flatten)]
    pub by: super::request::ByArg,
}

/// Runs the web app until interrupted.
pub async fn run(config_path: &Path, args: ServeArgs) -> Result<(), Failure> {
    let started = inzage_web::start(inzage_web::ServeOptions {
        config: config_path.to_path_buf(),
        bind: args.bind,
        tls_cert: args.tls_cert,
        tls_key: args.tls_key,
        work_dir: args.work_dir,
    })
    .await
    .map_err(|e| match e {
        inzage_web::WebError::Io(_) => Failure::Other(anyhow!(e)),
        other => Failure::Usage(anyhow!(other)),
    })?;
    match &started.login_url {
        Some(url) => println!(
            "inzage serves on {}; log in (once) at:\n  {url}",
            started.addr
        ),
        None => println!(
            "inzage serves on https://{}; log in with a staff account",
            started.addr
        ),
    }
    // Runs until the process is interrupted (Ctrl-C).
    let _ = started.task.await;
    Err(Failure::Other(anyhow!("the web server stopped")))
}

/// Runs a staff subcommand.
pub async fn staff(config_path: &Path, command: StaffCommand) -> Result<(), Failure> {
    let StaffCommand::Add(args) = command;
    let by = inzage_app::requests::actor(args.by.by.as_deref().or(Some(args.name.as_str())))?;
    let password = match std::env::var("INZAGE_STAFF_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| Failure::Other(anyhow!("cannot read the password from stdin: {e}")))?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    inzage_app::staff::add(config_path, &args.name, &password, &by, chrono::Utc::now()).await?;
    println!(
        "staff member {} can log in to `inzage serve`",
        args.name.trim()
    );
    Ok(())
}
