//! Domain model of inzage: identifiers, records with provenance, the
//! processing register and the [`Connector`] trait.
//!
//! Everything here is free of I/O; connectors, the engine and the bundle
//! writers build on it.

pub mod connector;
pub mod dates;
pub mod identifier;
pub mod note;
pub mod person;
pub mod protect;
pub mod record;
pub mod register;
pub mod review_reason;

pub use connector::{
    AttachedFile, CheckReport, Connector, FetchOutcome, FetchRequest, HeldRecord, ReviewItem,
    SourceError,
};
pub use identifier::{FormPair, Identifier, IdentifierForm, IdentifierKind, PersonKey};
pub use note::ReadingNote;
pub use protect::{PersonName, ProtectSettings};
pub use record::{Field, Record, Value};
pub use register::{DatasetSpec, Lang, Register, Text};
pub use review_reason::ReviewReason;
