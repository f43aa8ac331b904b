//! A deterministic, seeded generator of a synthetic fixture estate: the six
//! sources inzage reads (ERP SQL, CRM JSON, WoningNet JSON, mbox, signalering
//! CSV, KWH xlsx), plus `stories.json`, the test oracle, and a README.
//!
//! ```no_run
//! use inzage_testkit::estate::{generate, EstateConfig};
//! let summary = generate(&EstateConfig { seed: 7, tenants: 40 }, "fixtures".as_ref()).unwrap();
//! println!("{} files", summary.files.len());
//! ```

mod build;
pub mod corporation;
pub mod mail;
pub mod model;
mod planted;
pub mod rng;
pub mod sqlite;
mod stories;
pub mod vocab;
mod write;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub use build::MIN_TENANTS;
pub use model::Estate;
pub use stories::{
    compute_stories, mentions, normalise_name, readme, record_texts, strip_diacritics, tokens,
    OtherPerson, PlantedLists, ReviewItem, StoriesFile, Story,
};
pub use write::{write_erp, write_kwh, write_signaleringen, write_sources, ESTATE_FILES};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EstateConfig {
    /// PRNG seed: same seed (and tenants) ⇒ byte-identical files.
    pub seed: u64,
    /// Number of households (contracts); at least [`MIN_TENANTS`].
    pub tenants: usize,
}

impl Default for EstateConfig {
    /// The committed small estate: seed 7, 40 tenants.
    fn default() -> Self {
        EstateConfig {
            seed: 7,
            tenants: 40,
        }
    }
}

/// The result of [`generate`].
#[derive(Debug, Clone)]
pub struct EstateSummary {
    /// Every file written, in [`ESTATE_FILES`] order.
    pub files: Vec<PathBuf>,
    /// The oracle, as written to `stories.json`.
    pub stories: StoriesFile,
}

/// Builds the in-memory ground truth (no I/O).
pub fn build(config: &EstateConfig) -> Estate {
    build::build(config.seed, config.tenants)
}

/// Builds the estate and writes all files under `out` (created if needed).
pub fn generate(config: &EstateConfig, out: &Path) -> io::Result<EstateSummary> {
    let estate = build(config);
    write_estate(&estate, out)
}

/// Writes the files of an already-built estate under `out`.
pub fn write_estate(estate: &Estate, out: &Path) -> io::Result<EstateSummary> {
    std::fs::create_dir_all(out)?;
    let mut files = write_sources(estate, out)?;
    let stories = compute_stories(estate);
    let path = out.join("stories.json");
    let mut w = io::BufWriter::new(std::fs::File::create(&path)?);
    serde_json::to_writer_pretty(&mut w, &stories).map_err(|e| io::Error::other(e.to_string()))?;
    w.write_all(b"\n")?;
    w.flush()?;
    files.push(path);
    let path = out.join("README.md");
    std::fs::write(&path, readme(&stories))?;
    files.push(path);
    Ok(EstateSummary { files, stories })
}

/// Reads a `stories.json` written by [`generate`].
pub fn load_stories(path: &Path) -> io::Result<StoriesFile> {
    let text = std::fs::read_to_string(path)?;
    serde_json::from_str(&text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}
