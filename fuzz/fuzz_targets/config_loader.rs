//! The connectors.toml loader on arbitrary text: TOML parsing, the
//! register, every connector kind's options and the validation with
//! file:line. Must never panic; messages are free of raw control
//! characters (other than line breaks between problems).
#![no_main]

use std::path::Path;

use inzage_connectors::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = Config::parse(Path::new("connectors.toml"), text) {
        let message = e.to_string();
        assert!(
            !message.chars().any(|c| c.is_control() && c != '\n'),
            "{message:?}"
        );
    }
});
