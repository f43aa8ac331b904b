//! `inzage verify`: checks a bundle as its receiver would.

use anyhow::anyhow;

use crate::exit::Failure;
use crate::VerifyArgs;

/// Verifies the bundle; exit 0 when sound, 1 with the list of problems.
pub fn run(args: VerifyArgs) -> Result<(), Failure> {
    let passphrase = inzage_app::verify::passphrase_from_env();
    let report = inzage_app::verify::verify(&args.bundle, passphrase.as_deref())?;
    let kind = report.kind.as_deref().unwrap_or("unknown");
    if report.ok() {
        println!(
            "{}: ok ({kind} bundle; {} files match manifest.json{})",
            args.bundle.display(),
            report.files_checked,
            if kind == "portability" {
                "; portability.json validates against schema.json"
            } else {
                ""
            }
        );
        return Ok(());
    }
    for p in &report.problems {
        println!("{}: {p}", args.bundle.display());
    }
    Err(Failure::Other(anyhow!(
        "{}: {} problem(s) found (listed above): the bundle is not as it was made; ask the sender for a new copy",
        args.bundle.display(),
        report.problems.len()
    )))
}
