//! `inzage check`: can every source be reached and read?

use std::path::Path;

use crate::exit::Failure;

/// Checks every connector concurrently; prints one line each.
pub async fn run(path: &Path) -> Result<(), Failure> {
    let checked = inzage_app::check::check(path).await?;
    let width = checked.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let mut failed = 0;
    for c in &checked {
        match &c.result {
            Ok(summary) => println!(
                "{:width$}  ok      {} ({}): {summary}",
                c.id, c.label, c.kind
            ),
            Err(reason) => {
                failed += 1;
                println!(
                    "{:width$}  FAILED  {} ({}): {reason}",
                    c.id, c.label, c.kind
                );
            }
        }
    }
    if failed > 0 {
        return Err(Failure::SourcesFailed(format!(
            "{failed} of {} sources failed the check",
            checked.len()
        )));
    }
    Ok(())
}
