//! The mail path on one arbitrary message: the prefilter and the full
//! parser. Besides "never panics", the oracle that makes the prefilter safe:
//! when the exact matcher finds an address or number, the prefilter did
//! not reject the message.
#![no_main]

use inzage_connectors::mail::message::analyse;
use inzage_connectors::mail::scan::{prefilter, Needles, Verdict};
use libfuzzer_sys::fuzz_target;

const EMAIL: &str = "zoe.dekker@example.org";
const TOKEN: &str = "001042";

fuzz_target!(|data: &[u8]| {
    let verdict_email = prefilter(data, &Needles::new([EMAIL], []));
    let verdict_token = prefilter(data, &Needles::new([], [TOKEN]));
    if let Some(a) = analyse(data, &[EMAIL.to_string()], &[TOKEN.to_string()]) {
        if !a.matched_emails.is_empty() {
            assert_ne!(
                verdict_email,
                Verdict::Reject,
                "prefilter lost an address match"
            );
        }
        if !a.matched_tokens.is_empty() {
            assert_ne!(
                verdict_token,
                Verdict::Reject,
                "prefilter lost a number match"
            );
        }
    }
});
