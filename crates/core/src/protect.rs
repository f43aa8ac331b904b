//! Settings for protecting other people's data in free text: the
//! `[protect]` table of `connectors.toml`. Data only; the detectors live in
//! the engine.

use serde::{Deserialize, Serialize};

/// A person the estate knows, by name: one row of the people index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    /// The person's key (klantnummer): the subject's own entry is told
    /// apart from everyone else's by it.
    pub key: String,
    /// First names.
    pub voornamen: String,
    /// Tussenvoegsel, when any.
    pub tussenvoegsel: Option<String>,
    /// Surname.
    pub achternaam: String,
}

/// Where the people index comes from: a query on one connector that
/// returns the columns `klantnummer`, `voornamen`, `tussenvoegsel` and
/// `achternaam` (use `AS` to name them), for every relatie.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeopleIndexSpec {
    /// The connector id (a `sql` connector).
    pub connector: String,
    /// The query; it takes no parameters.
    pub query: String,
}

/// `[protect]`: what is not a third party's data, and where the names of
/// the people the estate knows come from.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtectSettings {
    /// Mail domains of the corporation itself (`mitros.nl`): addresses at
    /// these domains, and their subdomains, are staff, not third parties.
    #[serde(default)]
    pub own_domains: Vec<String>,
    /// Mail domains of organisations the corporation works with
    /// (contractors, the municipality): their functional addresses are not
    /// a private person's data.
    #[serde(default)]
    pub partner_domains: Vec<String>,
    /// The corporation's own phone numbers, IBANs and the like, in any
    /// written form: never redacted.
    #[serde(default)]
    pub own_values: Vec<String>,
    /// Names of the corporation's staff as they sign mail and notes:
    /// never redacted, never a review item.
    #[serde(default)]
    pub staff_names: Vec<String>,
    /// The people index.
    #[serde(default)]
    pub people: Option<PeopleIndexSpec>,
}
