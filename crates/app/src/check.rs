//! Can every source be reached and read?

use std::path::Path;

use futures::future::join_all;

use crate::error::AppError;
use crate::estate::{build_connectors, load_config, start_fixture_servers};

/// The check of one source.
#[derive(Clone, Debug)]
pub struct Checked {
    /// Connector id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its kind.
    pub kind: String,
    /// The summary when it can be read, else why not and what to do.
    pub result: Result<String, String>,
}

/// Checks every connector concurrently, each within its timeout.
pub async fn check(config_path: &Path) -> Result<Vec<Checked>, AppError> {
    let config = load_config(config_path)?;
    let (vars, _servers) = start_fixture_servers(&config).await?;
    let built = build_connectors(&config, &vars)?;
    let results = join_all(built.iter().map(|b| async move {
        match tokio::time::timeout(b.timeout, b.connector.check()).await {
            Ok(Ok(report)) => Ok(report.summary),
            Ok(Err(e)) => Err(e.clean_message()),
            Err(_) => Err(format!(
                "no answer within {} s; check that the system is up, or raise timeout_secs",
                b.timeout.as_secs()
            )),
        }
    }))
    .await;
    Ok(built
        .iter()
        .zip(results)
        .map(|(b, result)| Checked {
            id: b.connector.id().to_string(),
            label: b.connector.label().to_string(),
            kind: b.connector.kind().to_string(),
            result,
        })
        .collect())
}
