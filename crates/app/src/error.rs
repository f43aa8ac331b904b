//! What can go wrong in a use case, by how a front end answers it.

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

/// A use case that did not succeed; every message says what, where and
/// what to do.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Bad input or configuration (CLI exit 2); `field` names the input when
    /// the problem is one form field.
    #[error("{message}")]
    Invalid {
        /// The input it is about, when there is one.
        field: Option<Field>,
        /// What is wrong and what to do.
        message: String,
    },
    /// One or more sources failed (CLI exit 3).
    #[error("{0}")]
    SourcesFailed(String),
    /// No source knows the subject (CLI exit 4).
    #[error("{0}")]
    NoData(String),
    /// Anything else (CLI exit 1).
    #[error("{0}")]
    Failed(String),
}

impl AppError {
    /// Bad input not tied to one field.
    pub fn invalid(message: impl Into<String>) -> AppError {
        AppError::Invalid {
            field: None,
            message: message.into(),
        }
    }

    /// Bad input in one field.
    pub fn field(field: Field, message: impl Into<String>) -> AppError {
        AppError::Invalid {
            field: Some(field),
            message: message.into(),
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
