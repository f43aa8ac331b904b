//! Failures and the exit codes they map to.

use std::process::ExitCode;

/// A failed command: what to print and which exit code to use.
#[derive(Debug)]
pub enum Failure {
    /// Usage or configuration error (exit 2).
    Usage(anyhow::Error),
    /// One or more sources failed (exit 3); the message lists them.
    SourcesFailed(String),
    /// No source knows the subject (exit 4); no bundle without `--allow-empty`.
    NoData(String),
    /// Anything else (exit 1).
    Other(anyhow::Error),
}

impl Failure {
    /// Prints the failure on stderr and returns its exit code.
    pub fn report(self) -> ExitCode {
        match self {
            Failure::Usage(e) => {
                eprintln!("{}", render(&e));
                ExitCode::from(2)
            }
            Failure::SourcesFailed(message) => {
                eprintln!("{message}");
                ExitCode::from(3)
            }
            Failure::NoData(message) => {
                eprintln!("{message}");
                ExitCode::from(4)
            }
            Failure::Other(e) => {
                eprintln!("{}", render(&e));
                ExitCode::from(1)
            }
        }
    }
}

fn render(e: &anyhow::Error) -> String {
    let text = format!("{e:#}");
    if text.starts_with("error") {
        text
    } else {
        format!("error: {text}")
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::Other(e)
    }
}

impl From<inzage_app::AppError> for Failure {
    fn from(e: inzage_app::AppError) -> Failure {
        use inzage_app::AppError;
        let message = e.to_string();
        match e {
            AppError::Invalid { .. } => Failure::Usage(anyhow::anyhow!(message)),
            AppError::SourcesFailed { .. } | AppError::PeopleIndexFailed { .. } => {
                Failure::SourcesFailed(message)
            }
            AppError::NoData { .. } => Failure::NoData(message),
            AppError::NotDelivered { .. } | AppError::Failed(_) => {
                Failure::Other(anyhow::anyhow!(message))
            }
        }
    }
}
