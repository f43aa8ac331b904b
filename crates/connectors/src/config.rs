//! Loading and validating `connectors.toml`: the sources and the processing
//! register in one file.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use inzage_core::register::{
    Category, IdentifierRule, Organisation, Position, Purpose, Recipient, Register, Retention,
};
use inzage_core::{IdentifierKind, ProtectSettings};
use serde::Deserialize;

use crate::locate::Locator;
use crate::secrets;
use crate::ConnectorConfig;

/// Settings for the identity-expansion engine.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EngineSettings {
    /// Maximum rounds of identity expansion.
    #[serde(default = "default_max_rounds")]
    pub max_rounds: usize,
    /// Default timeout per connector call, in seconds.
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
}

fn default_max_rounds() -> usize {
    5
}

fn default_timeout() -> u64 {
    60
}

impl Default for EngineSettings {
    fn default() -> Self {
        EngineSettings {
            max_rounds: default_max_rounds(),
            timeout_secs: default_timeout(),
        }
    }
}

/// A fixture server the binary starts in-process for the demo estate:
/// `[[fixture_server]]` in connectors.toml. A real deployment has none.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureServer {
    /// Name, for messages.
    pub id: String,
    /// Which test server: `crm` (OData) or `woningnet` (REST).
    pub kind: String,
    /// Folder with the fixture JSON it serves, relative to connectors.toml.
    pub data: PathBuf,
    /// Variable that receives the server's base URL (`${NAME}` in a connector).
    pub url_variable: String,
    /// Variable that receives the token or API key the server demands.
    #[serde(default)]
    pub secret_variable: Option<String>,
}

#[derive(Deserialize)]
struct RawConfig {
    organisation: Organisation,
    #[serde(default)]
    engine: EngineSettings,
    #[serde(default)]
    identifiers: IndexMap<IdentifierKind, IdentifierRule>,
    #[serde(default)]
    purposes: IndexMap<String, Purpose>,
    #[serde(default)]
    recipients: IndexMap<String, Recipient>,
    #[serde(default)]
    retention: IndexMap<String, Retention>,
    #[serde(default)]
    categories: IndexMap<String, Category>,
    #[serde(default)]
    connector: Vec<ConnectorConfig>,
    #[serde(default)]
    fixture_server: Vec<FixtureServer>,
    #[serde(default)]
    protect: ProtectSettings,
}

/// The loaded configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// The processing register.
    pub register: Register,
    /// Engine settings.
    pub engine: EngineSettings,
    /// The sources.
    pub connectors: Vec<ConnectorConfig>,
    /// Fixture servers to start for the demo estate (none in production).
    pub fixture_servers: Vec<FixtureServer>,
    /// How other people's data in free text is recognised (`[protect]`).
    pub protect: ProtectSettings,
}

/// One problem in the configuration, with where it is and what to do.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigProblem {
    /// File.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Keys and values from the file are shown with control characters escaped.
        let clean = inzage_core::connector::escape_controls;
        let file = clean(&self.file.display().to_string());
        match self.line {
            Some(line) => write!(f, "{file}:{line}: {}", clean(&self.message))?,
            None => write!(f, "{file}: {}", clean(&self.message))?,
        }
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", clean(&self.hint))?;
        }
        Ok(())
    }
}

/// The configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read {path}: {cause} (pass --config PATH, or run inzage in the folder that holds connectors.toml)")]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        cause: std::io::Error,
    },
    /// The file is not valid, with every problem found.
    #[error("{}", render_problems(.0))]
    Invalid(Vec<ConfigProblem>),
}

fn render_problems(problems: &[ConfigProblem]) -> String {
    let mut out = String::new();
    for (i, p) in problems.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("error: {p}"));
    }
    out
}

/// The largest configuration file read (4 MiB; the fixture estate's is
/// about 20 KiB): a bigger one is a wrong file, not a configuration.
pub const MAX_CONFIG_BYTES: u64 = 4 << 20;

impl Config {
    /// Reads, parses and validates a configuration file (at most
    /// [`MAX_CONFIG_BYTES`], UTF-8).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        use std::io::Read;
        let read = |cause| ConfigError::Read {
            path: path.to_path_buf(),
            cause,
        };
        let problem = |line: Option<usize>, message: String, hint: &str| {
            ConfigError::Invalid(vec![ConfigProblem {
                file: path.to_path_buf(),
                line,
                message,
                hint: hint.to_string(),
            }])
        };
        let file = std::fs::File::open(path).map_err(read)?;
        let size = file.metadata().map_err(read)?.len();
        if size > MAX_CONFIG_BYTES {
            return Err(problem(
                None,
                format!("the file has {size} bytes, more than a configuration may have ({MAX_CONFIG_BYTES} bytes)"),
                "check that --config names connectors.toml and not another file",
            ));
        }
        let mut bytes = Vec::new();
        file.take(MAX_CONFIG_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(read)?;
        if bytes.len() as u64 > MAX_CONFIG_BYTES {
            return Err(problem(
                None,
                format!("the file grew beyond {MAX_CONFIG_BYTES} bytes while it was read"),
                "check that --config names connectors.toml and not another file",
            ));
        }
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
                return Err(problem(
                    Some(line),
                    format!("invalid UTF-8 at byte offset {at}; a TOML file is UTF-8"),
                    "save the file as UTF-8 (without a byte-order mark)",
                ));
            }
        };
        Config::parse(path, &text)
    }

    /// Parses and validates configuration text; `path` names it in messages
    /// and anchors relative file paths.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let problem = |line: Option<usize>, message: String, hint: &str| ConfigProblem {
            file: path.to_path_buf(),
            line,
            message,
            hint: hint.to_string(),
        };
        let mut problems: Vec<ConfigProblem> = secrets::find_literal_secrets(text)
            .into_iter()
            .map(|(line, key)| {
                problem(
                    Some(line),
                    format!("`{key}` holds a literal secret"),
                    "secrets never stand in connectors.toml: write \"${NAME}\" and set the environment variable NAME",
                )
            })
            .collect();
        let raw: RawConfig = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(err) => {
                let line = err.span().map(|span| Locator::line_of(text, span.start));
                // Short and free of control characters: the message can
                // quote the file.
                let message = crate::limits::excerpt(err.message().trim(), 300);
                problems.push(problem(
                    line,
                    message,
                    "see the README's connectors.toml reference for the expected keys",
                ));
                return Err(ConfigError::Invalid(problems));
            }
        };
        let mut register = Register {
            organisation: raw.organisation,
            purposes: raw.purposes,
            recipients: raw.recipients,
            retention: raw.retention,
            categories: raw.categories,
            identifiers: raw.identifiers,
        };
        // A kind that some dataset writes in its own form is compared in a
        // normal form: the declared one, else numbers without prefix and
        // leading zeros.
        for connector in &raw.connector {
            for dataset in connector.datasets() {
                for kind in dataset.forms.keys() {
                    let rule = register.identifiers.entry(*kind).or_default();
                    rule.form.get_or_insert_with(Default::default);
                }
            }
        }
        let locator = Locator::new(text);
        if let Err(message) = register.organisation.tz() {
            problems.push(problem(
                locator.line(&["organisation", "time_zone"]),
                message,
                "write an IANA name, for example time_zone = \"Europe/Amsterdam\"",
            ));
        }
        for (kind, rule) in &register.identifiers {
            let has_forms = rule.form.is_some() || !rule.forms.is_empty();
            if has_forms && !inzage_core::identifier::takes_forms(*kind) {
                problems.push(problem(
                    locator.line(&["identifiers", kind.as_str()]),
                    format!("[identifiers.{kind}] declares forms, but {kind} has its own normalisation"),
                    "forms apply to klantnummer, contractnummer and woningnet; remove `form` and `forms` here",
                ));
            }
            if let Err(err) = regex::Regex::new(&rule.pattern) {
                problems.push(problem(
                    locator.line(&["identifiers", kind.as_str(), "pattern"]),
                    format!(
                        "identifier pattern for {kind} is not a valid regular expression: {err}"
                    ),
                    "fix the pattern (Rust regex syntax)",
                ));
            }
        }
        let mut ids = HashSet::new();
        for (ci, connector) in raw.connector.iter().enumerate() {
            let index = ci.to_string();
            if !ids.insert(connector.id().to_string()) {
                problems.push(problem(
                    locator.line(&["connector", &index, "id"]),
                    format!("connector id `{}` is used twice", connector.id()),
                    "give every [[connector]] its own id",
                ));
            }
            if !is_safe_id(connector.id()) {
                problems.push(problem(
                    locator.line(&["connector", &index, "id"]),
                    format!(
                        "connector id `{}` may only hold a-z, 0-9, - and _",
                        connector.id()
                    ),
                    "the id names folders in the bundle; use for example `erp` or `kwh-2024`",
                ));
            }
            for (di, dataset) in connector.datasets().iter().enumerate() {
                let dindex = di.to_string();
                for issue in register.check_dataset(dataset) {
                    let mut at: Vec<&str> = vec!["connector", &index, "dataset", &dindex];
                    at.extend(issue.path.iter().map(String::as_str));
                    problems.push(problem(
                        locator.line(&at),
                        format!("connector `{}`: {}", connector.id(), issue.message),
                        &issue.hint,
                    ));
                }
            }
            for (di, dataset) in connector.datasets().iter().enumerate() {
                let allowed = match connector {
                    ConnectorConfig::Csv(_) => Some(Position::Line),
                    ConnectorConfig::Xlsx(_) => Some(Position::Row),
                    _ => None,
                };
                if let Some(position) = dataset.key_position().filter(|p| Some(*p) != allowed) {
                    let dindex = di.to_string();
                    problems.push(problem(
                        locator.line(&["connector", &index, "dataset", &dindex, "key"]),
                        format!(
                            "connector `{}`: dataset `{}`: key position `{}` does not exist in this kind of source",
                            connector.id(),
                            dataset.name,
                            match position { Position::Line => "line", Position::Row => "row" }
                        ),
                        match allowed {
                            Some(Position::Line) => "a CSV export is keyed by `{ position = \"line\" }`",
                            Some(Position::Row) => "a spreadsheet is keyed by `{ position = \"row\" }`",
                            None => "only csv and xlsx sources have positions; name the key column",
                        },
                    ));
                }
            }
            for (at, message, hint) in connector.validate() {
                let mut full: Vec<&str> = vec!["connector", &index];
                full.extend(at.iter().map(String::as_str));
                problems.push(problem(
                    locator.line(&full),
                    format!("connector `{}`: {message}", connector.id()),
                    &hint,
                ));
            }
        }
        if let Some(people) = &raw.protect.people {
            match raw.connector.iter().find(|c| c.id() == people.connector) {
                None => problems.push(problem(
                    locator.line(&["protect", "people", "connector"]),
                    format!(
                        "[protect.people] names connector `{}`, which is not configured",
                        people.connector
                    ),
                    "name the id of the sql connector that holds the relaties (for example `erp`)",
                )),
                Some(c) if !matches!(c, ConnectorConfig::Sql(_)) => problems.push(problem(
                    locator.line(&["protect", "people", "connector"]),
                    format!(
                        "[protect.people] names connector `{}`, which is not a sql connector",
                        people.connector
                    ),
                    "the people index is a query: name a sql connector",
                )),
                Some(_) => {}
            }
            if people.query.trim().is_empty() {
                problems.push(problem(
                    locator.line(&["protect", "people", "query"]),
                    "[protect.people] has an empty query".to_string(),
                    "write a query that returns klantnummer, voornamen, tussenvoegsel and achternaam for every relatie",
                ));
            }
        }
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line);
            return Err(ConfigError::Invalid(problems));
        }
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let connectors = raw
            .connector
            .into_iter()
            .map(|c| {
                let mut c = c.with_base_dir(&base);
                for dataset in c.datasets_mut() {
                    register.resolve_forms(dataset);
                }
                c
            })
            .collect();
        let fixture_servers = raw
            .fixture_server
            .into_iter()
            .map(|mut f| {
                f.data = base.join(&f.data);
                f
            })
            .collect();
        Ok(Config {
            path: path.to_path_buf(),
            register,
            engine: raw.engine,
            connectors,
            fixture_servers,
            protect: raw.protect,
        })
    }
}

/// Connector ids name folders in the bundle: keep them to a safe alphabet.
fn is_safe_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}
