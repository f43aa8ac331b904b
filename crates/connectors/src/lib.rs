//! Connector kinds of inzage and the `connectors.toml` loader.
//!
//! Every kind lives in its own module with its configuration struct, its
//! [`Connector`] implementation and its tests. [`ConnectorConfig`] is the
//! closed list of kinds, tagged by `kind` in `connectors.toml`; its
//! [`ConnectorConfig::build`] is the registry. A new source of an existing
//! kind is configuration only.

pub mod config;
pub mod csv;
pub mod http;
pub mod limits;
pub mod locate;
pub mod mail;
pub mod secrets;
pub mod sql;
pub mod tabular;
pub mod timestamps;
pub mod xlsx;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use inzage_core::{Connector, DatasetSpec};
use serde::Deserialize;

pub use config::{Config, ConfigError, ConfigProblem, EngineSettings};

/// The configuration of one source, by kind.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ConnectorConfig {
    /// Delimited text export.
    Csv(csv::CsvConfig),
    /// Mail archive: mbox files, Maildir folders, .eml files.
    Mail(mail::MailConfig),
    /// Spreadsheet export.
    Xlsx(xlsx::XlsxConfig),
    /// SQL database (SQLite or PostgreSQL), read-only.
    Sql(sql::SqlConfig),
    /// JSON API over HTTP: OData v4 or REST.
    Http(http::HttpConfig),
}

impl ConnectorConfig {
    /// The connector id.
    pub fn id(&self) -> &str {
        match self {
            ConnectorConfig::Csv(c) => &c.id,
            ConnectorConfig::Mail(c) => &c.id,
            ConnectorConfig::Xlsx(c) => &c.id,
            ConnectorConfig::Sql(c) => &c.id,
            ConnectorConfig::Http(c) => &c.id,
        }
    }

    /// The datasets' register information.
    pub fn datasets(&self) -> Vec<&DatasetSpec> {
        match self {
            ConnectorConfig::Csv(c) => c.dataset.iter().map(|d| &d.spec).collect(),
            ConnectorConfig::Mail(c) => c.dataset.iter().map(|d| &d.spec).collect(),
            ConnectorConfig::Xlsx(c) => c.dataset.iter().map(|d| &d.spec).collect(),
            ConnectorConfig::Sql(c) => c.dataset.iter().map(|d| &d.spec).collect(),
            ConnectorConfig::Http(c) => c.dataset.iter().map(|d| &d.spec).collect(),
        }
    }

    /// The datasets' register information, to be completed at load time.
    pub(crate) fn datasets_mut(&mut self) -> Vec<&mut DatasetSpec> {
        match self {
            ConnectorConfig::Csv(c) => c.dataset.iter_mut().map(|d| &mut d.spec).collect(),
            ConnectorConfig::Mail(c) => c.dataset.iter_mut().map(|d| &mut d.spec).collect(),
            ConnectorConfig::Xlsx(c) => c.dataset.iter_mut().map(|d| &mut d.spec).collect(),
            ConnectorConfig::Sql(c) => c.dataset.iter_mut().map(|d| &mut d.spec).collect(),
            ConnectorConfig::Http(c) => c.dataset.iter_mut().map(|d| &mut d.spec).collect(),
        }
    }

    /// The per-connector timeout, when set.
    pub fn timeout(&self) -> Option<Duration> {
        let secs = match self {
            ConnectorConfig::Csv(c) => c.timeout_secs,
            ConnectorConfig::Mail(c) => c.timeout_secs,
            ConnectorConfig::Xlsx(c) => c.timeout_secs,
            ConnectorConfig::Sql(c) => c.timeout_secs,
            ConnectorConfig::Http(c) => c.timeout_secs,
        };
        secs.map(Duration::from_secs)
    }

    /// Kind-specific checks: `(path below the connector, message, hint)`.
    pub(crate) fn validate(&self) -> Vec<(Vec<String>, String, String)> {
        match self {
            ConnectorConfig::Csv(c) => c.validate(),
            ConnectorConfig::Mail(c) => c.validate(),
            ConnectorConfig::Xlsx(c) => c.validate(),
            ConnectorConfig::Sql(c) => c.validate(),
            ConnectorConfig::Http(c) => c.validate(),
        }
    }

    /// Anchors relative paths at the folder of connectors.toml.
    pub(crate) fn with_base_dir(mut self, base: &Path) -> ConnectorConfig {
        match &mut self {
            ConnectorConfig::Csv(c) => c.rebase(base),
            ConnectorConfig::Mail(c) => c.rebase(base),
            ConnectorConfig::Xlsx(c) => c.rebase(base),
            ConnectorConfig::Sql(c) => c.rebase(base),
            ConnectorConfig::Http(c) => c.rebase(base),
        }
        self
    }

    /// Builds the connector: the registry of kinds. `${NAME}` references in
    /// its options are resolved from `vars`.
    pub fn build(
        &self,
        vars: &secrets::Variables,
    ) -> Result<Arc<dyn Connector>, inzage_core::SourceError> {
        Ok(match self {
            ConnectorConfig::Csv(c) => Arc::new(csv::CsvConnector::new(c.clone())),
            ConnectorConfig::Mail(c) => Arc::new(mail::MailConnector::new(c.clone())),
            ConnectorConfig::Xlsx(c) => Arc::new(xlsx::XlsxConnector::new(c.clone())),
            ConnectorConfig::Sql(c) => Arc::new(sql::SqlConnector::new(c.clone(), vars)?),
            ConnectorConfig::Http(c) => Arc::new(http::HttpConnector::new(c.clone(), vars)?),
        })
    }
}
