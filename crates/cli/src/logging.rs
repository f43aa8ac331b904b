//! Logging to stderr. Nothing at info or above carries personal data:
//! identifiers are logged masked (`00***`), records never.

use tracing_subscriber::EnvFilter;

/// Installs the subscriber: warnings by default, `-v` info, `-vv` debug;
/// `RUST_LOG` overrides.
pub fn init(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new(format!(
            "warn,inzage={level},inzage_engine={level},inzage_connectors={level},inzage_bundle={level}"
        ))
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only on a terminal: a log file or CI output gets
        // plain text, without escape sequences.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .init();
}
