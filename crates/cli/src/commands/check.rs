//! `inzage check`: can every source be reached and read?

use std::path::Path;

use futures::future::join_all;

use crate::exit::Failure;

/// Checks every connector concurrently; prints one line each.
pub async fn run(path: &Path) -> Result<(), Failure> {
    let config = super::load_config(path)?;
    let (vars, _servers) = crate::fixture_servers::start(&config).await?;
    let built = super::build_connectors(&config, &vars)?;
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
    let width = built
        .iter()
        .map(|b| b.connector.id().len())
        .max()
        .unwrap_or(0);
    let mut failed = 0;
    for (b, result) in built.iter().zip(results) {
        let c = &b.connector;
        match result {
            Ok(summary) => println!(
                "{:width$}  ok      {} ({}): {summary}",
                c.id(),
                c.label(),
                c.kind()
            ),
            Err(reason) => {
                failed += 1;
                println!(
                    "{:width$}  FAILED  {} ({}): {reason}",
                    c.id(),
                    c.label(),
                    c.kind()
                );
            }
        }
    }
    if failed > 0 {
        return Err(Failure::SourcesFailed(format!(
            "{failed} of {} sources failed the check",
            built.len()
        )));
    }
    Ok(())
}
