//! The inzage engine: identity expansion over the configured sources
//! without round barriers ([`expand`]), concurrency and timeouts, and the
//! rules that keep other people's data out of a bundle.
//!
//! Identity rules:
//! - every identifier records the source and record that revealed it;
//! - a record whose owner (say, its klantnummer) is another person is never
//!   kept, and the identifier that found it is marked ambiguous and no longer
//!   followed;
//! - at the end only records tied to the subject by owner or by a trusted,
//!   unambiguous identifier remain ([`trust::withdraw_untrusted`]).

pub mod expand;
pub mod findings;
pub mod progress;
pub mod protect;
mod run;
pub mod trust;

pub use expand::{Engine, EngineOptions, RequestError, Source};
pub use findings::{
    Findings, Identity, IdentityStatus, Learned, SourceReport, SourceStatus, Withheld,
};
pub use progress::{Observer, SourceEvent};
