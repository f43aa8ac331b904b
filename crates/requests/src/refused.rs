//! Why the request store refuses an action, as a closed list: each front
//! end words a refusal in its own language (the CLI in English, with the
//! commands to run; the web app in Dutch or English beside the form).

use chrono::NaiveDate;

use crate::store::Outcome;

/// An action the request's state (or its input) does not allow, with what
/// to do instead. `Display` is the command line's wording.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The text is not a request id.
    #[error("`{text}` is not a request id; ids look like V-0001 (see `inzage request list`)")]
    NotARequestId {
        /// What was given.
        text: String,
    },
    /// The request is closed; a new request is needed.
    #[error("{id} was closed on {on} ({}); open a new request if the tenant asks again", .outcome.as_str())]
    Closed {
        /// The request.
        id: String,
        /// The day it was closed.
        on: NaiveDate,
        /// How it was closed.
        outcome: Outcome,
    },
    /// Identity was verified before.
    #[error("{id}: identity was already verified on {on} by {by}; nothing to do")]
    AlreadyVerified {
        /// The request.
        id: String,
        /// The day it was verified.
        on: NaiveDate,
        /// Who verified it.
        by: String,
    },
    /// An extension without a reason for the tenant.
    #[error(
        "--reason is empty: the tenant must be told why the answer takes longer (GDPR art. 12(3))"
    )]
    ExtensionWithoutReason,
    /// An extension before the clock started.
    #[error("{id}: the clock has not started (it starts at verification of identity); verify first with `inzage request verify {id}`")]
    ClockNotStarted {
        /// The request.
        id: String,
    },
    /// An extension after the first term ended.
    #[error("{id}: an extension must be announced within the first term, which ended on {first_term_ended}; the answer was due on {answer_due}")]
    ExtensionTooLate {
        /// The request.
        id: String,
        /// The last day of the first term.
        first_term_ended: NaiveDate,
        /// The day the answer was due.
        answer_due: NaiveDate,
    },
    /// More months than the maximum allows (or none).
    #[error("{id}: the deadline may be extended by at most {maximum} months in total; {granted} already granted, {asked} more asked")]
    ExtensionTooLong {
        /// The request.
        id: String,
        /// The maximum in months.
        maximum: u32,
        /// Months granted before.
        granted: u32,
        /// Months asked now.
        asked: u32,
    },
    /// `[requests] extension_maximum` is not a number of months.
    #[error("extension_maximum in [requests] is not in months (write it as `2m`)")]
    ExtensionMaximumNotInMonths,
    /// A refusal without a reason for the tenant.
    #[error("{id}: a refusal needs --reason: the tenant must be told why (GDPR art. 12(4))")]
    RefusalWithoutReason {
        /// The request.
        id: String,
    },
    /// Closed as delivered, but no bundle was exported.
    #[error("{id}: no bundle was exported for this request; run `inzage export --request {id} --out FILE.zip` first")]
    NothingExported {
        /// The request.
        id: String,
    },
    /// The extension letter of a request that was not extended.
    #[error("{id} was not extended; run `inzage request extend {id} --reason TEXT` first")]
    NotExtended {
        /// The request.
        id: String,
    },
    /// The refusal letter of a request that was not refused.
    #[error("{id} was not refused; close it first with `inzage request close {id} --outcome refused --reason TEXT`")]
    NotRefused {
        /// The request.
        id: String,
    },
    /// The no-data letter without anything that shows we hold no data.
    #[error("{id}: nothing shows that we hold no data: close it with `--outcome no-data`, or export with --allow-empty first")]
    NoDataUnshown {
        /// The request.
        id: String,
    },
}
