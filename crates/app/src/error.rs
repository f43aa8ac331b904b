//! What can go wrong in a use case, by how a front end answers it.
//!
//! Bad input is a [`Problem`] from a closed list, so that each front end
//! words it in its own language: `Display` is the command line's English
//! (naming its flags), the web app words the same problem in Dutch or
//! English beside the form field. Only configuration problems and internal
//! failures carry free text: they are for whoever runs inzage, and name the
//! file, line and key to change.

use std::path::PathBuf;

use chrono::NaiveDate;
use inzage_core::register::InvalidIdentifier;
use inzage_core::IdentifierKind;
use inzage_requests::identity::Refusal;
use inzage_requests::{Outcome, Refused};

/// The input a bad-input error is about, so that a form can show the
/// message beside the field and the CLI can name its flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The customer number (klantnummer).
    Customer,
    /// The contract number.
    Contract,
    /// The day a request was received.
    Received,
    /// Who acts.
    By,
    /// How identity was checked.
    Method,
    /// A reason (extension, refusal).
    Reason,
    /// The number of months of an extension.
    Months,
    /// A full name.
    Name,
    /// A birth date.
    Born,
    /// A postcode.
    Postcode,
    /// The receiving landlord.
    To,
    /// A request id.
    Request,
}

impl Field {
    /// The command line's flag for this input.
    pub fn flag(self) -> &'static str {
        match self {
            Field::Customer => "--customer",
            Field::Contract => "--contract",
            Field::Received => "--received",
            Field::By => "--by",
            Field::Method => "--method",
            Field::Reason => "--reason",
            Field::Months => "--months",
            Field::Name => "--name",
            Field::Born => "--born",
            Field::Postcode => "--postcode",
            Field::To => "--to",
            Field::Request => "--request",
        }
    }
}

/// What is wrong with the input of a use case: a closed list that every
/// front end words in its own language.
#[derive(Clone, Debug)]
pub enum Problem {
    /// The request store refuses the action in the request's state.
    Request(Refused),
    /// No request with this id.
    RequestNotFound {
        /// The id asked for.
        id: String,
    },
    /// Nobody said who acts.
    ActorMissing,
    /// A text to record looks like a BSN or a document number.
    IdentityNumber(Refusal),
    /// The number is empty or not written as its kind.
    IdentifierUnreadable {
        /// The kind asked for.
        kind: IdentifierKind,
    },
    /// The number does not have the form the register declares.
    IdentifierForm(InvalidIdentifier),
    /// A contract number with more than one contractant names no one person.
    AmbiguousContract {
        /// The contract number.
        contract: String,
        /// The klantnummers of its contractants.
        owners: Vec<String>,
    },
    /// The day of receipt lies in the future.
    ReceivedInFuture {
        /// The day given.
        day: NaiveDate,
    },
    /// How identity was checked was not said.
    MethodMissing,
    /// The name to search for is empty.
    NameMissing,
    /// A staff password that is too short.
    PasswordTooShort {
        /// The shortest accepted.
        minimum: usize,
    },
    /// A receiving landlord named for an access bundle.
    ReceiverForAccess,
    /// A receiving landlord that is not configured.
    UnknownReceiver {
        /// The id given.
        id: String,
        /// The configuration file.
        file: PathBuf,
        /// The configured ids.
        known: Vec<String>,
    },
    /// An export for a request whose identity is not verified.
    NotVerified {
        /// The request.
        id: String,
    },
    /// An export for a closed request.
    ExportOfClosed {
        /// The request.
        id: String,
        /// The day it was closed.
        on: NaiveDate,
        /// How it was closed.
        outcome: Outcome,
    },
    /// A file to write exists and replacing it was not asked for.
    FileExists {
        /// The file.
        path: PathBuf,
    },
    /// The bundle was delivered before (its receipt exists).
    DeliveredBefore {
        /// The receipt.
        receipt: PathBuf,
        /// The bundle.
        bundle: String,
    },
    /// The bundle does not verify, so it is not sent.
    BundleDoesNotVerify {
        /// The bundle.
        bundle: String,
        /// What the check found.
        problems: Vec<String>,
    },
    /// Only a portability bundle goes to another landlord.
    NotPortability {
        /// The bundle.
        bundle: String,
        /// The kind it is.
        kind: String,
    },
    /// The bundle was made for another receiver.
    OtherReceiver {
        /// The bundle.
        bundle: String,
        /// The receiver it was made for.
        made_for: String,
        /// The receiver asked for now.
        asked: String,
    },
    /// The configuration, the command line or the environment cannot be
    /// used; the text (English, for whoever runs inzage) names the file,
    /// line or flag and what to write.
    Config(String),
}

impl Problem {
    /// The command line's wording; `field` names the flag where the
    /// problem is about one.
    pub fn cli(&self, field: &Option<Field>) -> String {
        let flag = field.map(Field::flag).unwrap_or("the value");
        match self {
            Problem::Request(refused) => refused.to_string(),
            Problem::RequestNotFound { id } => {
                format!("request {id} not found; `inzage request list` shows the requests")
            }
            Problem::ActorMissing => "say who you are: pass --by NAME or set INZAGE_USER; the audit trail records who did what".into(),
            Problem::IdentityNumber(refusal) => refusal.message(flag),
            Problem::IdentifierUnreadable { kind } => format!(
                "{flag} is empty or not written as a {kind} (see [identifiers.{kind}] in connectors.toml)"
            ),
            Problem::IdentifierForm(e) => format!("{flag}: {e}"),
            Problem::AmbiguousContract { contract, owners } => format!(
                "contractnummer {contract} belongs to {} people ({}); a contract number names a person only when it has one contractant: run again with --customer and one of these numbers",
                owners.len(),
                owners.join(", ")
            ),
            Problem::ReceivedInFuture { day } => format!(
                "--received {day} lies in the future; give the day the request came in"
            ),
            Problem::MethodMissing => "--method is empty: say how identity was checked, for example \"ID-kaart getoond aan de balie\"".into(),
            Problem::NameMissing => "--name is empty: give the full name as the requester wrote it".into(),
            Problem::PasswordTooShort { minimum } => format!(
                "the password is shorter than {minimum} characters; choose a longer one"
            ),
            Problem::ReceiverForAccess => "--to names a receiving landlord, which only a portability bundle has; add --kind portability or leave out --to".into(),
            Problem::UnknownReceiver { id, file, known } => format!(
                "--to `{id}`: no [receivers.{id}] in {}; configured: {}",
                file.display(),
                if known.is_empty() {
                    "none (add a [receivers.<id>] table)".to_string()
                } else {
                    known.join(", ")
                }
            ),
            Problem::NotVerified { id } => format!(
                "{id}: identity is not verified; no bundle leaves before it is. Check the original ID at the counter and run `inzage request verify {id} --by NAME --method \"ID-kaart getoond aan de balie\"`"
            ),
            Problem::ExportOfClosed { id, on, outcome } => format!(
                "{id} was closed on {on} ({}); nothing to export",
                outcome.as_str()
            ),
            Problem::FileExists { path } => format!(
                "{} already exists; choose another --out or pass --force to replace it",
                path.display()
            ),
            Problem::DeliveredBefore { receipt, bundle } => format!(
                "{} exists: {bundle} was delivered before. Pass --force to send it again",
                receipt.display()
            ),
            Problem::BundleDoesNotVerify { bundle, problems } => format!(
                "{bundle} does not verify, so it is not sent:\n{}\nexport it again",
                problems
                    .iter()
                    .map(|p| format!("  {p}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            Problem::NotPortability { bundle, kind } => format!(
                "{bundle} is an {kind} bundle; only a portability bundle (export --kind portability) goes to another landlord"
            ),
            Problem::OtherReceiver {
                bundle,
                made_for,
                asked,
            } => format!(
                "{bundle} was made for receiver `{made_for}`, not `{asked}`; export it again with --to {asked}"
            ),
            Problem::Config(text) => text.clone(),
        }
    }
}

/// A use case that did not succeed; every message says what, where and
/// what to do.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Bad input or configuration (CLI exit 2); `field` names the input when
    /// the problem is one form field.
    #[error("{}", .problem.cli(.field))]
    Invalid {
        /// The input it is about, when there is one.
        field: Option<Field>,
        /// What is wrong.
        problem: Problem,
    },
    /// One or more sources failed (CLI exit 3).
    #[error("no bundle written: {failed} source(s) failed (see above). Fix them and run again, or pass --allow-partial to write a bundle marked partial.")]
    SourcesFailed {
        /// How many.
        failed: usize,
    },
    /// The people index failed, so other people's names could not be
    /// found in free text (CLI exit 3).
    #[error("no bundle written: the people index ({connector}) failed: {reason}. Without it other people's names cannot be found in free text; fix the source or the [protect.people] query and run again.")]
    PeopleIndexFailed {
        /// The connector [protect.people] names.
        connector: String,
        /// The source's error (technical, English).
        reason: String,
    },
    /// No source knows the subject (CLI exit 4).
    #[error("no bundle written: no source knows {kind} {masked}. Check the number (a typo is not \"we hold nothing about you\"); when it is right, pass --allow-empty to write the answer that we hold no personal data about the person.")]
    NoData {
        /// The kind of number.
        kind: IdentifierKind,
        /// The number, masked.
        masked: String,
    },
    /// A bundle could not be delivered to the receiving landlord (CLI
    /// exit 1); no receipt was written.
    #[error("{bundle} was NOT delivered to `{to}` ({origin}) after {attempts} attempt(s): {cause}. No receipt was written; fix the cause and run `inzage deliver` again")]
    NotDelivered {
        /// The bundle.
        bundle: String,
        /// The receiver's id.
        to: String,
        /// The receiver's origin (scheme, host, port).
        origin: String,
        /// How many times it was tried.
        attempts: u32,
        /// What went wrong (technical, English).
        cause: String,
    },
    /// Anything else (CLI exit 1): the text is for whoever runs inzage.
    #[error("{0}")]
    Failed(String),
}

impl AppError {
    /// A configuration, command-line or environment problem (the text
    /// names what to change).
    pub fn config(message: impl Into<String>) -> AppError {
        AppError::Invalid {
            field: None,
            problem: Problem::Config(message.into()),
        }
    }

    /// Bad input not tied to one field.
    pub fn invalid(problem: Problem) -> AppError {
        AppError::Invalid {
            field: None,
            problem,
        }
    }

    /// Bad input in one field.
    pub fn field(field: Field, problem: Problem) -> AppError {
        AppError::Invalid {
            field: Some(field),
            problem,
        }
    }

    /// A failure that is not the user's input.
    pub fn failed(message: impl Into<String>) -> AppError {
        AppError::Failed(message.into())
    }

    /// The field a bad-input error is about.
    pub fn field_of(&self) -> Option<Field> {
        match self {
            AppError::Invalid { field, .. } => *field,
            _ => None,
        }
    }

    /// The problem of a bad-input error.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            AppError::Invalid { problem, .. } => Some(problem),
            _ => None,
        }
    }
}

/// An error with its causes, `outer: inner: innermost`.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
