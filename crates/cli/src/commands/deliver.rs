//! `inzage deliver FILE.zip --to <receiver>`: sends a portability bundle to
//! the receiving landlord (GDPR art. 20(2), direct transmission) and writes
//! `FILE.zip.receipt.json` beside it on success (see `inzage_app::deliver`).

use std::path::Path;

use inzage_app::deliver::{deliver, DeliverInput};

use crate::exit::Failure;
use crate::DeliverArgs;

/// Sends the bundle; exit 0 with a receipt, or a failure without one.
pub async fn run(config_path: &Path, args: DeliverArgs) -> Result<(), Failure> {
    let delivered = deliver(
        config_path,
        DeliverInput {
            bundle: args.bundle.clone(),
            to: args.to.clone(),
            force: args.force,
            passphrase: inzage_app::verify::passphrase_from_env(),
        },
    )
    .await?;
    println!(
        "delivered {} to {} ({}): HTTP {}, reference {}; receipt {}",
        args.bundle.display(),
        delivered.label,
        args.to,
        delivered.http_status,
        delivered.reference,
        delivered.receipt.display()
    );
    Ok(())
}
