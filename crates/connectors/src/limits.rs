//! Bounded work: cancellation of blocking parses and the helpers that keep
//! what a parse inflates, reads and allocates within configured limits.
//!
//! Every blocking parse runs on a worker thread with a [`Cancel`] flag. The
//! async side holds a [`CancelOnDrop`] guard: when the engine gives up on a
//! fetch (its timeout drops the future), the guard sets the flag and the
//! worker stops at its next check, so no thread keeps parsing a source that
//! was given up.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use inzage_core::SourceError;

/// A flag a blocking parse checks to learn that its work was given up.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A fresh flag and the guard that sets it when dropped.
    pub fn new() -> (Cancel, CancelOnDrop) {
        let flag = Arc::new(AtomicBool::new(false));
        (Cancel(flag.clone()), CancelOnDrop(flag))
    }

    /// A flag that is never set (for tools and tests).
    pub fn never() -> Cancel {
        Cancel::default()
    }

    /// True once the work was given up.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err` once the work was given up, naming where it stopped.
    pub fn check(&self, place: &str) -> Result<(), SourceError> {
        if self.is_cancelled() {
            Err(SourceError::Other(format!(
                "{place}: reading stopped because the fetch was given up (timeout); raise timeout_secs for this connector, or make the source smaller"
            )))
        } else {
            Ok(())
        }
    }
}

/// Sets its [`Cancel`] flag when dropped: a fetch that the engine abandons
/// (timeout) stops its worker.
#[derive(Debug)]
pub struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// The error for a limit that was reached: where, what, the option that
/// sets it and its value.
pub fn exceeded(place: &str, what: &str, option: &str, value: u64) -> SourceError {
    SourceError::Other(format!(
        "{place}: {what}, beyond the limit {option} = {value}; reading stopped so that a damaged or hostile file cannot exhaust memory or time. If the source is genuine, raise {option} for this connector"
    ))
}

/// Reads `reader` to its end into a sink, counting the bytes, checking the
/// cancel flag every 64 KiB, and failing once more than `max` bytes came
/// out. Returns the number of bytes read.
pub fn drain_bounded(
    reader: &mut dyn Read,
    max: u64,
    cancel: &Cancel,
    place: &str,
) -> Result<u64, DrainError> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        cancel.check(place).map_err(DrainError::Source)?;
        let n = match reader.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(DrainError::Io(e)),
        };
        total += n as u64;
        if total > max {
            return Err(DrainError::TooLarge(total));
        }
    }
}

/// Why [`drain_bounded`] stopped.
#[derive(Debug)]
pub enum DrainError {
    /// More than the limit came out (bytes read so far).
    TooLarge(u64),
    /// The reader failed (a damaged stream).
    Io(std::io::Error),
    /// The work was given up.
    Source(SourceError),
}

/// A short excerpt of source data that is safe in a message: at most
/// `max` characters, control characters shown as `\u{..}` escapes, and an
/// ellipsis when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i >= max {
            out.push('…');
            break;
        }
        if c.is_control() || c == '\u{FEFF}' || c == '\u{FFFD}' {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Names from a source (columns, sheets, keys, entity sets) for a
/// message: each escaped and shortened, at most 50, comma-separated.
pub fn name_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut more = 0;
    for name in names {
        if out.len() < 50 {
            out.push(excerpt(name, 60));
        } else {
            more += 1;
        }
    }
    if more > 0 {
        out.push(format!("… {more} more"));
    }
    out.join(", ")
}

/// `excerpt` of bytes that may not be text.
pub fn excerpt_bytes(bytes: &[u8], max: usize) -> String {
    excerpt(
        &String::from_utf8_lossy(&bytes[..bytes.len().min(max * 4)]),
        max,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guard_cancels_when_dropped() {
        let (cancel, guard) = Cancel::new();
        assert!(cancel.check("x").is_ok());
        drop(guard);
        let err = cancel.check("kwh.xlsx").unwrap_err().to_string();
        assert!(
            err.contains("kwh.xlsx") && err.contains("given up"),
            "{err}"
        );
    }

    #[test]
    fn excerpts_are_short_and_free_of_control_characters() {
        assert_eq!(excerpt("a\0b\u{1b}[31m", 20), "a\\u{0}b\\u{1b}[31m");
        assert_eq!(excerpt("abcdef", 3), "abc…");
        assert_eq!(
            excerpt_bytes(b"\xff\xfeN\0a\0", 10),
            "\\u{fffd}\\u{fffd}N\\u{0}a\\u{0}"
        );
    }

    #[test]
    fn draining_stops_at_the_limit() {
        let mut zeros = std::io::repeat(0).take(10 << 20);
        match drain_bounded(&mut zeros, 1 << 20, &Cancel::never(), "x") {
            Err(DrainError::TooLarge(n)) => assert!(n <= (1 << 20) + 65536),
            other => panic!("{other:?}"),
        }
    }
}
