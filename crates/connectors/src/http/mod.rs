//! The `http` connector kind: systems with a JSON API, in two dialects.
//!
//! - `odata`: OData v4 as Dynamics-style CRMs speak it. Per dataset (an
//!   entity set) and batch of identifiers, one request:
//!   `$filter=klantnummer eq '001011' or emailadres eq 'a@b.nl'` (literals
//!   validated and quotes doubled), `$select` of the declared fields,
//!   `$expand` when configured, following `@odata.nextLink`. `check` reads
//!   `$metadata` and verifies the entity sets and their properties.
//! - `rest`: JSON endpoints with a templated path or query
//!   (`/inschrijvingen/{woningnet}`, `/reacties?registratienummer={woningnet}`,
//!   values percent-encoded), page/limit, cursor or `Link`-header paging,
//!   and a `data_path` to the records. `check` GETs `check_path`, or
//!   probes each endpoint with an identifier that belongs to nobody.
//!
//! Both: a bearer token or an API-key header from `${NAME}`, a per-request
//! timeout, retries with backoff on connect errors, 5xx and 429, a cap on
//! the total time, a response size limit, https (plain http only to
//! loopback unless `allow_insecure_http = true`).
//!
//! ```toml
//! [[connector]]
//! id = "crm"
//! kind = "http"
//! dialect = "odata"
//! label = "CRM (Dynamics)"
//! url = "https://org.crm4.dynamics.com/api/data/v9.2"
//! bearer_token = "${CRM_TOKEN}"
//!
//! [[connector.dataset]]
//! name = "Contactmoment"
//! entity_set = "contactmomenten"
//! match = { klantnummer = "klantnummer", email = "emailadres" }
//! ```

pub mod client;
pub mod json;
mod odata;
mod rest;

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use indexmap::IndexMap;
use inzage_core::{
    CheckReport, Connector, DatasetSpec, FetchOutcome, FetchRequest, HeldRecord, IdentifierKind,
    ReviewReason, SourceError,
};
use regex::Regex;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use serde::Deserialize;
use serde_json::{Map, Value as Json};
use url::Url;

use crate::secrets::Variables;
use crate::tabular::{RowOutcome, TableMatcher};
use client::{Auth, Client, Limits};

/// Which API style the system speaks.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// OData v4 (`$filter`, `$select`, `@odata.nextLink`, `$metadata`).
    Odata,
    /// Plain JSON endpoints.
    Rest,
}

/// How a REST endpoint pages.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Paging {
    /// One response holds everything.
    #[default]
    None,
    /// `page` and `limit` parameters; stops at a page with fewer than `limit` records.
    Page,
    /// A cursor from the body (`cursor_path`) sent back as `cursor_param`.
    Cursor,
    /// The `Link: <...>; rel="next"` header.
    Link,
}

/// Configuration of an `http` source.
#[derive(Clone, Debug, Deserialize)]
pub struct HttpConfig {
    /// Connector id.
    pub id: String,
    /// Human label.
    pub label: String,
    /// `odata` or `rest`.
    pub dialect: Dialect,
    /// Base URL of the API (`https://crm.example.org/api/data/v9.2`);
    /// `${NAME}` reads the environment.
    pub url: String,
    /// Bearer token, always `"${NAME}"`: sent as `Authorization: Bearer ...`.
    #[serde(default)]
    pub bearer_token: Option<String>,
    /// API key, always `"${NAME}"`: sent in the `api_key_header` header.
    #[serde(default)]
    pub api_key: Option<String>,
    /// The header that carries `api_key` (default `X-Api-Key`).
    #[serde(default = "default_api_key_header")]
    pub api_key_header: String,
    /// Timeout for one whole fetch, in seconds (engine default when absent).
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    /// Timeout of one HTTP request, body included, in seconds (default 30).
    #[serde(default = "default_request_timeout")]
    pub request_timeout_secs: u64,
    /// Retries of a request after a connect error, timeout, 5xx or 429 (default 3).
    #[serde(default = "default_retries")]
    pub retries: u32,
    /// Cap on the time one request may take with its retries and waits, in
    /// seconds (default 60); a `Retry-After` beyond it fails at once.
    #[serde(default = "default_retry_max")]
    pub retry_max_secs: u64,
    /// Largest response accepted, in bytes (default 32 MiB).
    #[serde(default = "default_max_response")]
    pub max_response_bytes: u64,
    /// Allow plain http to a host that is not loopback (default false).
    #[serde(default)]
    pub allow_insecure_http: bool,
    /// OData: conditions per request (`a eq '1' or b eq '2'`), default 20.
    #[serde(default = "default_batch")]
    pub batch_size: usize,
    /// OData: records per page asked for with `Prefer: odata.maxpagesize`.
    #[serde(default)]
    pub page_size: Option<u32>,
    /// REST: path for `check`, a cheap GET without personal data (`/status`).
    /// Without it, `check` probes every dataset's endpoint with an
    /// identifier that belongs to nobody (see [`rest::check`]).
    #[serde(default)]
    pub check_path: Option<String>,
    /// REST without `check_path`: the value the probe asks for, when the API
    /// refuses the default (`inzage-check-nonexistent`, or
    /// `nobody@inzage-check.invalid` for an e-mail address) as malformed.
    /// It must be well-formed and belong to nobody.
    #[serde(default)]
    pub check_probe: Option<String>,
    /// The datasets: one entity set or endpoint each.
    #[serde(default)]
    pub dataset: Vec<HttpDataset>,
}

fn default_api_key_header() -> String {
    "X-Api-Key".into()
}
fn default_request_timeout() -> u64 {
    30
}
fn default_retries() -> u32 {
    3
}
fn default_retry_max() -> u64 {
    60
}
fn default_max_response() -> u64 {
    32 * 1024 * 1024
}
fn default_batch() -> usize {
    20
}
fn default_page_param() -> String {
    "page".into()
}
fn default_limit_param() -> String {
    "limit".into()
}
fn default_rest_page_size() -> u32 {
    100
}
fn default_first_page() -> u32 {
    1
}
fn default_cursor_param() -> String {
    "cursor".into()
}
fn default_cursor_path() -> String {
    "next_cursor".into()
}

/// One dataset of an `http` source.
#[derive(Clone, Debug, Deserialize)]
pub struct HttpDataset {
    /// OData: the entity set (`contactmomenten`, `incidents`).
    #[serde(default)]
    pub entity_set: Option<String>,
    /// OData: `$expand` as written (`customerid_contact($select=fullname)`).
    #[serde(default)]
    pub expand: Option<String>,
    /// REST: path and query below `url`, with one placeholder naming an
    /// identifier kind of `match`: `/inschrijvingen/{woningnet}`.
    #[serde(default)]
    pub path: Option<String>,
    /// REST: one path per identifier kind (`{ email = "/x?mail={email}" }`).
    #[serde(default)]
    pub paths: IndexMap<IdentifierKind, String>,
    /// REST: where the records are in the body (`data`, `result.items`);
    /// empty = the body itself (an array, or one object = one record).
    #[serde(default)]
    pub data_path: String,
    /// REST: `none` (default), `page`, `cursor` or `link`.
    #[serde(default)]
    pub paging: Paging,
    /// REST, `page` paging: the page parameter (default `page`).
    #[serde(default = "default_page_param")]
    pub page_param: String,
    /// REST, `page` paging: the page-size parameter (default `limit`).
    #[serde(default = "default_limit_param")]
    pub limit_param: String,
    /// REST, `page` paging: records per page (default 100; not above the
    /// server's maximum, or paging stops early).
    #[serde(default = "default_rest_page_size")]
    pub page_size: u32,
    /// REST, `page` paging: number of the first page (default 1).
    #[serde(default = "default_first_page")]
    pub first_page: u32,
    /// REST, `cursor` paging: the parameter that sends the cursor back.
    #[serde(default = "default_cursor_param")]
    pub cursor_param: String,
    /// REST, `cursor` paging: where the next cursor is in the body.
    #[serde(default = "default_cursor_path")]
    pub cursor_path: String,
    /// Register information and matching.
    #[serde(flatten)]
    pub spec: DatasetSpec,
}

/// Pages followed at most for one query (a loop guard).
const MAX_PAGES: usize = 10_000;

fn placeholder_re() -> Regex {
    Regex::new(r"\{([a-z_]+)\}").expect("valid regex")
}

fn env_reference(value: &str) -> Option<String> {
    let re = Regex::new(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$").expect("valid regex");
    re.captures(value.trim()).map(|c| c[1].to_string())
}

/// An OData property path: `klantnummer`, `zoekprofiel.huishoudgrootte`.
fn is_property_path(name: &str) -> bool {
    let re =
        Regex::new(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$").expect("valid regex");
    re.is_match(name)
}

impl HttpDataset {
    /// REST: (identifier kind, template) pairs.
    pub fn templates(&self) -> Result<Vec<(IdentifierKind, String)>, String> {
        let re = placeholder_re();
        let mut out = Vec::new();
        let one = |template: &str| -> Result<IdentifierKind, String> {
            let kinds: HashSet<&str> = re
                .captures_iter(template)
                .map(|c| c.get(1).expect("group").as_str())
                .collect();
            match kinds.len() {
                1 => {
                    let name = kinds.into_iter().next().expect("one");
                    IdentifierKind::parse(name)
                        .ok_or_else(|| format!("`{{{name}}}` in `{template}` is not an identifier kind"))
                }
                0 => Err(format!(
                    "`{template}` has no placeholder such as {{woningnet}}: every request must name the person"
                )),
                _ => Err(format!("`{template}` names more than one identifier kind")),
            }
        };
        if let Some(path) = &self.path {
            out.push((one(path)?, path.clone()));
        }
        for (kind, template) in &self.paths {
            let found = one(template)?;
            if found != *kind {
                return Err(format!(
                    "the path under `{kind}` uses {{{found}}} instead of {{{kind}}}"
                ));
            }
            out.push((*kind, template.clone()));
        }
        if out.is_empty() {
            return Err("no path: set `path` (or `paths`)".into());
        }
        Ok(out)
    }

    /// OData: the `$expand`ed navigation properties.
    fn expanded(&self) -> Vec<String> {
        let Some(expand) = &self.expand else {
            return Vec::new();
        };
        let mut names = Vec::new();
        let mut depth = 0;
        let mut current = String::new();
        for c in expand.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ',' if depth == 0 => {
                    names.push(current.trim().to_string());
                    current.clear();
                    continue;
                }
                _ => {}
            }
            if depth == 0 && c != ')' {
                current.push(c);
            }
        }
        names.push(current.trim().to_string());
        names.retain(|n| !n.is_empty());
        names
    }
}

impl HttpConfig {
    pub(crate) fn validate(&self) -> Vec<(Vec<String>, String, String)> {
        let mut problems = Vec::new();
        let mut problem = |at: Vec<String>, message: String, hint: &str| {
            problems.push((at, message, hint.to_string()))
        };
        if !self.url.contains("${") {
            match Url::parse(&self.url) {
                Err(e) => problem(
                    vec!["url".into()],
                    format!("url `{}` is not a URL: {e}", self.url),
                    "for example url = \"https://crm.example.org/api/data/v9.2\"",
                ),
                Ok(url) => {
                    if let Err(message) = client::check_scheme(&url, self.allow_insecure_http) {
                        problem(
                            vec!["url".into()],
                            message,
                            "use https:// for systems on the network",
                        );
                    }
                }
            }
        }
        for (key, value) in [
            ("bearer_token", &self.bearer_token),
            ("api_key", &self.api_key),
        ] {
            if let Some(v) = value {
                if env_reference(v).is_none() {
                    problem(
                        vec![key.into()],
                        format!("`{key}` must be a reference such as \"${{CRM_TOKEN}}\""),
                        "secrets never stand in connectors.toml: write \"${NAME}\" and set the environment variable NAME",
                    );
                }
            }
        }
        if self.bearer_token.is_some() && self.api_key.is_some() {
            problem(
                vec!["api_key".into()],
                "set bearer_token or api_key, not both".into(),
                "remove one",
            );
        }
        if HeaderName::from_bytes(self.api_key_header.as_bytes()).is_err() {
            problem(
                vec!["api_key_header".into()],
                format!("`{}` is not a valid header name", self.api_key_header),
                "for example api_key_header = \"X-Api-Key\"",
            );
        }
        if self.batch_size == 0 || self.request_timeout_secs == 0 || self.max_response_bytes == 0 {
            problem(
                vec![],
                "batch_size, request_timeout_secs and max_response_bytes must be above 0".into(),
                "remove them to use the defaults",
            );
        }
        for (i, d) in self.dataset.iter().enumerate() {
            let at = vec!["dataset".to_string(), i.to_string()];
            let name = &d.spec.name;
            if d.spec.matches.is_empty() {
                problem(
                    at.clone(),
                    format!(
                        "dataset `{name}` has no `match`: it could never be asked about a person"
                    ),
                    "add for example match = { klantnummer = \"klantnummer\" }",
                );
            }
            if d.spec.matches.contains_key(&IdentifierKind::Persoon) {
                problem(
                    at.clone(),
                    format!("dataset `{name}`: the http kind cannot match on persoon (name + birth date + postcode)"),
                    "match on a number or e-mail address the API can filter on",
                );
            }
            match self.dialect {
                Dialect::Odata => {
                    if d.entity_set.as_deref().unwrap_or("").is_empty() {
                        problem(
                            at.clone(),
                            format!("dataset `{name}` has no entity_set"),
                            "add entity_set = \"...\" as listed in the service's $metadata",
                        );
                    }
                    for column in d.spec.matches.values().flat_map(|c| c.columns()) {
                        if !is_property_path(column) {
                            problem(
                                at.clone(),
                                format!(
                                    "dataset `{name}`: `{column}` is not an OData property name"
                                ),
                                "use the property's name as $metadata lists it",
                            );
                        }
                    }
                }
                Dialect::Rest => match d.templates() {
                    Err(e) => problem(
                        at.clone(),
                        format!("dataset `{name}`: {e}"),
                        "see the http kind in the README",
                    ),
                    Ok(templates) => {
                        for (kind, _) in templates {
                            if !d.spec.matches.contains_key(&kind) {
                                problem(
                                    at.clone(),
                                    format!("dataset `{name}`: the path uses {{{kind}}} but `match` has no {kind} column"),
                                    &format!("add `{kind} = \"<field>\"` to [connector.dataset.match]"),
                                );
                            }
                        }
                    }
                },
            }
        }
        problems
    }

    pub(crate) fn rebase(&mut self, _base: &Path) {}
}

/// An `http` source.
pub struct HttpConnector {
    config: HttpConfig,
    client: Client,
    /// Per dataset (REST): its templates.
    templates: Vec<Vec<(IdentifierKind, String)>>,
}

impl HttpConnector {
    /// Builds the connector: resolves `${NAME}` in url and secrets, checks
    /// the scheme; no request is made.
    pub fn new(config: HttpConfig, vars: &Variables) -> Result<HttpConnector, SourceError> {
        if let Some((_, message, _)) = config.validate().into_iter().next() {
            return Err(SourceError::Config(message));
        }
        let expanded = vars
            .expand(&config.url)
            .map_err(|e| SourceError::Config(e.to_string()))?;
        // Only the template is shown: the expanded URL may hold a secret.
        let base = Url::parse(expanded.trim()).map_err(|e| {
            SourceError::Config(format!("url `{}` does not give a URL: {e}", config.url))
        })?;
        client::check_scheme(&base, config.allow_insecure_http).map_err(SourceError::Config)?;
        let secret = |raw: &str| -> Result<(String, Option<String>), SourceError> {
            let value = vars
                .expand(raw)
                .map_err(|e| SourceError::Config(e.to_string()))?;
            Ok((value, env_reference(raw)))
        };
        let auth = if let Some(raw) = &config.bearer_token {
            let (token, variable) = secret(raw)?;
            Some((AUTHORIZATION, format!("Bearer {}", token.trim()), variable))
        } else if let Some(raw) = &config.api_key {
            let (key, variable) = secret(raw)?;
            let header = HeaderName::from_bytes(config.api_key_header.as_bytes())
                .map_err(|_| SourceError::Config("api_key_header is not a header name".into()))?;
            Some((header, key.trim().to_string(), variable))
        } else {
            None
        };
        let auth = match auth {
            None => None,
            Some((header, value, variable)) => {
                let mut value = HeaderValue::from_str(&value).map_err(|_| {
                    SourceError::Config(format!(
                        "the secret in {} holds characters that cannot be sent in a header",
                        variable.as_deref().unwrap_or("the configuration")
                    ))
                })?;
                value.set_sensitive(true);
                Some(Auth {
                    header,
                    value,
                    variable,
                })
            }
        };
        let mut safe_params: Vec<String> = Vec::new();
        for d in &config.dataset {
            if d.paging == Paging::Page {
                safe_params.push(d.page_param.clone());
                safe_params.push(d.limit_param.clone());
            }
        }
        let client = Client::new(
            base,
            auth,
            Limits {
                request_timeout: Duration::from_secs(config.request_timeout_secs),
                retries: config.retries,
                max_total: Duration::from_secs(config.retry_max_secs),
                max_bytes: config.max_response_bytes,
            },
            safe_params,
        )?;
        let templates = match config.dialect {
            Dialect::Rest => config
                .dataset
                .iter()
                .map(|d| d.templates().map_err(SourceError::Config))
                .collect::<Result<_, _>>()?,
            Dialect::Odata => Vec::new(),
        };
        Ok(HttpConnector {
            config,
            client,
            templates,
        })
    }

    /// Matches the records a dataset's queries returned.
    fn evaluate(
        &self,
        dataset: &HttpDataset,
        source: &str,
        mut records: Vec<Map<String, Json>>,
        request: &FetchRequest,
        outcome: &mut FetchOutcome,
    ) -> Result<(), SourceError> {
        let mut seen = HashSet::new();
        records.retain(|r| seen.insert(Json::Object(r.clone()).to_string()));
        if records.is_empty() {
            return Ok(());
        }
        let (mut headers, mut rows) = json::table(&records);
        // A JSON API leaves out what is null: a declared field no record
        // carries is null, but a match column must be there.
        for column in dataset.spec.matches.values().flat_map(|c| c.columns()) {
            if !headers.iter().any(|h| h == column) {
                return Err(SourceError::MissingColumn {
                    location: format!("{} {source}", self.config.id),
                    dataset: dataset.spec.name.clone(),
                    column: column.to_string(),
                    present: crate::limits::name_list(headers.iter().map(String::as_str)),
                });
            }
        }
        for column in dataset.spec.referenced_columns() {
            if !headers.iter().any(|h| h == column) {
                headers.push(column.to_string());
                for row in &mut rows {
                    row.push(inzage_core::Value::Null);
                }
            }
        }
        let location = format!("{} {source}", self.config.id);
        let matcher = TableMatcher::new(&self.config.id, &dataset.spec, &headers, &location)?;
        let mut others = 0;
        for (n, row) in rows.iter().enumerate() {
            let at = format!("{location} #{}", n + 1);
            match matcher.evaluate(row, &at, request) {
                RowOutcome::Match(record) => outcome.records.push(*record),
                RowOutcome::Held(record) => outcome.held.push(HeldRecord {
                    record: *record,
                    reason: ReviewReason::PartialPersonMatch,
                }),
                RowOutcome::NoMatch => others += 1,
            }
        }
        if others > 0 {
            tracing::debug!(source = %self.config.id, dataset = %dataset.spec.name, others, "records the API returned that match no requested identifier were dropped");
        }
        Ok(())
    }
}

#[async_trait]
impl Connector for HttpConnector {
    fn id(&self) -> &str {
        &self.config.id
    }

    fn kind(&self) -> &'static str {
        "http"
    }

    fn label(&self) -> &str {
        &self.config.label
    }

    fn datasets(&self) -> Vec<&DatasetSpec> {
        self.config.dataset.iter().map(|d| &d.spec).collect()
    }

    async fn check(&self) -> Result<CheckReport, SourceError> {
        match self.config.dialect {
            Dialect::Odata => odata::check(&self.client, &self.config).await,
            Dialect::Rest => rest::check(&self.client, &self.config, &self.templates).await,
        }
    }

    async fn fetch(&self, request: &FetchRequest) -> Result<FetchOutcome, SourceError> {
        let mut outcome = FetchOutcome::default();
        for (i, dataset) in self.config.dataset.iter().enumerate() {
            match self.config.dialect {
                Dialect::Odata => {
                    let records =
                        odata::fetch(&self.client, &self.config, dataset, request).await?;
                    let source = dataset.entity_set.clone().unwrap_or_default();
                    self.evaluate(dataset, &source, records, request, &mut outcome)?;
                }
                Dialect::Rest => {
                    let mut records = Vec::new();
                    for (kind, template) in &self.templates[i] {
                        records.extend(
                            rest::fetch(&self.client, dataset, *kind, template, request).await?,
                        );
                    }
                    let source = self.templates[i]
                        .first()
                        .map(|(_, t)| t.clone())
                        .unwrap_or_default();
                    self.evaluate(dataset, &source, records, request, &mut outcome)?;
                }
            }
        }
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests;
