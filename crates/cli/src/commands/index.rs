//! `inzage index`: builds or updates the mail index of every mail source
//! that names one (`index = "..."` in connectors.toml).

use std::path::Path;

use anyhow::anyhow;
use inzage_connectors::ConnectorConfig;

use crate::exit::Failure;

/// Updates every configured mail index; prints one line each.
pub async fn run(path: &Path) -> Result<(), Failure> {
    let config = inzage_app::load_config(path)?;
    let mut any = false;
    for c in &config.connectors {
        let ConnectorConfig::Mail(mail) = c else {
            continue;
        };
        if mail.index.is_none() {
            continue;
        }
        any = true;
        let threads = mail.threads.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
        });
        let stats = inzage_connectors::mail::index::update(mail, threads)
            .await
            .map_err(|e| Failure::Other(anyhow!("mail source `{}`: {e}", mail.id)))?;
        println!(
            "{}  {}: {} of {} file(s) read ({} rewritten), {} messages, {:.1} MB in {:.2} s ({:.0} MB/s)",
            mail.id,
            if stats.rebuilt { "built" } else { "updated" },
            stats.files_read,
            stats.files,
            stats.files_rewritten,
            stats.messages,
            stats.bytes as f64 / 1e6,
            stats.seconds,
            stats.bytes as f64 / 1e6 / stats.seconds.max(1e-9)
        );
    }
    if !any {
        return Err(Failure::Usage(anyhow!(
            "no mail source has an `index` path; add `index = \"mail-index.sqlite\"` to a `kind = \"mail\"` connector in {}",
            path.display()
        )));
    }
    Ok(())
}
