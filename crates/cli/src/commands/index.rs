//! `inzage index`: builds or updates the mail index of every mail source
//! that names one (`index = "..."` in connectors.toml).

use std::path::Path;

use crate::exit::Failure;

/// Updates every configured mail index; prints one line each.
pub async fn run(path: &Path) -> Result<(), Failure> {
    for done in inzage_app::index::index(path).await? {
        let s = &done.stats;
        println!(
            "{}  {}: {} of {} file(s) read ({} rewritten), {} messages, {:.1} MB in {:.2} s ({:.0} MB/s)",
            done.id,
            if s.rebuilt { "built" } else { "updated" },
            s.files_read,
            s.files,
            s.files_rewritten,
            s.messages,
            s.bytes as f64 / 1e6,
            s.seconds,
            s.bytes as f64 / 1e6 / s.seconds.max(1e-9)
        );
    }
    Ok(())
}
