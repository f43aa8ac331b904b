//! Build or update the mail index of every mail source that names one.

use std::path::Path;

use inzage_connectors::mail::index::{update, UpdateStats};
use inzage_connectors::ConnectorConfig;

use crate::error::AppError;
use crate::estate::load_config;

/// One mail source's index brought up to date.
#[derive(Clone, Debug)]
pub struct Indexed {
    /// Connector id.
    pub id: String,
    /// What the update did.
    pub stats: UpdateStats,
}

/// Updates the index of every mail source with `index` set, in
/// configuration order. An error when none has one.
pub async fn index(config_path: &Path) -> Result<Vec<Indexed>, AppError> {
    let config = load_config(config_path)?;
    let mut done = Vec::new();
    for c in &config.connectors {
        let ConnectorConfig::Mail(mail) = c else {
            continue;
        };
        if mail.index.is_none() {
            continue;
        }
        let threads = mail.threads.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        });
        let stats = update(mail, threads)
            .await
            .map_err(|e| AppError::Failed(format!("mail source `{}`: {e}", mail.id)))?;
        done.push(Indexed {
            id: mail.id.clone(),
            stats,
        });
    }
    if done.is_empty() {
        return Err(AppError::config(format!(
            "no mail source has an `index` path; add `index = \"mail-index.sqlite\"` to a `kind = \"mail\"` connector in {}",
            config_path.display()
        )));
    }
    Ok(done)
}
