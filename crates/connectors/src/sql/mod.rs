//! The `sql` connector kind: the housing ERP, read-only, over SQLite (the
//! embedded default) or PostgreSQL.
//!
//! A dataset is a named query; its one named parameter (`:klantnummer`) is
//! bound from an identifier, never formatted into the SQL. SQLite is opened
//! read-only; PostgreSQL sessions are read-only with a statement timeout,
//! and every fetch runs in a READ ONLY transaction that is rolled back.
//!
//! ```toml
//! [[connector]]
//! id = "erp"
//! kind = "sql"
//! label = "Huurdersadministratie (ERP)"
//! url = "sqlite:fixtures/erp/erp.sqlite"   # or "postgres://inzage:${ERP_PASSWORD}@db/erp"
//!
//! [[connector.dataset]]
//! name = "Relatie"
//! query = "SELECT * FROM relatie WHERE klantnummer = :klantnummer"
//! ```

mod params;
mod readonly;
mod values;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use inzage_core::{
    CheckReport, Connector, DatasetSpec, FetchOutcome, FetchRequest, HeldRecord, PersonName,
    ReviewReason, SourceError, Value,
};
use serde::Deserialize;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{Column, Executor};

pub use params::{prepare, PreparedQuery};

use crate::secrets::Variables;
use crate::tabular::{RowOutcome, TableMatcher};

/// Configuration of a `sql` source.
#[derive(Clone, Debug, Deserialize)]
pub struct SqlConfig {
    /// Connector id.
    pub id: String,
    /// Human label.
    pub label: String,
    /// `sqlite:<path>` (relative to connectors.toml) or
    /// `postgres://user:${PASSWORD}@host:port/db`; `${NAME}` reads the environment.
    pub url: String,
    /// Timeout for one fetch, in seconds (engine default when absent).
    #[serde(default)]
    pub timeout_secs: Option<u64>,
    /// Statement timeout, in seconds (default 30): PostgreSQL cancels a
    /// query that runs longer; on SQLite inzage stops waiting for it.
    #[serde(default = "default_statement_timeout")]
    pub statement_timeout_secs: u64,
    /// Connections in the pool (default 2).
    #[serde(default = "default_connections")]
    pub max_connections: u32,
    /// How long to wait for a SQLite database that another program holds
    /// locked, in seconds (default 5).
    #[serde(default = "default_lock_timeout")]
    pub lock_timeout_secs: u64,
    /// The datasets: one query each.
    #[serde(default)]
    pub dataset: Vec<SqlDataset>,
}

fn default_statement_timeout() -> u64 {
    30
}

fn default_lock_timeout() -> u64 {
    5
}

fn default_connections() -> u32 {
    2
}

/// One dataset of a `sql` source: a query, or one query per identifier kind.
#[derive(Clone, Debug, Deserialize)]
pub struct SqlDataset {
    /// The query, with one named parameter such as `:klantnummer`.
    #[serde(default)]
    pub query: Option<String>,
    /// Several queries for one dataset, one per identifier kind it can be
    /// searched by (`{ klantnummer = "...", email = "..." }`); records found by
    /// more than one are one record.
    #[serde(default)]
    pub queries: indexmap::IndexMap<inzage_core::IdentifierKind, String>,
    /// Register information and matching.
    #[serde(flatten)]
    pub spec: DatasetSpec,
}

impl SqlConfig {
    pub(crate) fn validate(&self) -> Vec<(Vec<String>, String, String)> {
        let mut problems = Vec::new();
        if !(self.url.starts_with("sqlite:")
            || self.url.starts_with("postgres://")
            || self.url.starts_with("postgresql://"))
        {
            problems.push((
                vec!["url".into()],
                "url must start with sqlite: or postgres://".into(),
                "for example url = \"sqlite:fixtures/erp/erp.sqlite\"".into(),
            ));
        }
        for (i, d) in self.dataset.iter().enumerate() {
            let at = vec!["dataset".into(), i.to_string()];
            match d.prepared() {
                Err(e) => problems.push((
                    at,
                    format!("dataset `{}`: {e}", d.spec.name),
                    "see the sql kind in the README".into(),
                )),
                Ok(queries) => {
                    for q in queries
                        .iter()
                        .filter(|q| !d.spec.matches.contains_key(&q.parameter))
                    {
                        problems.push((
                            at.clone(),
                            format!("dataset `{}`: a query is searched by :{} but `match` has no {} column", d.spec.name, q.parameter, q.parameter),
                            format!("add `{} = \"<column>\"` to [connector.dataset.match] and select that column", q.parameter),
                        ));
                    }
                }
            }
        }
        problems
    }

    pub(crate) fn rebase(&mut self, base: &Path) {
        if let Some(path) = sqlite_path(&self.url) {
            if path.is_relative() {
                self.url = format!("sqlite:{}", base.join(path).display());
            }
        }
    }
}

impl SqlDataset {
    /// The dataset's queries with their parameters made positional.
    pub fn prepared(&self) -> Result<Vec<PreparedQuery>, String> {
        let mut out = Vec::new();
        if let Some(q) = &self.query {
            out.push(prepare(q)?);
        }
        for (kind, q) in &self.queries {
            let prepared = prepare(q)?;
            if prepared.parameter != *kind {
                return Err(format!(
                    "the query under `{kind}` uses :{} instead of :{kind}",
                    prepared.parameter
                ));
            }
            out.push(prepared);
        }
        if out.is_empty() {
            return Err("no query: set `query` (or `queries`)".into());
        }
        Ok(out)
    }
}

fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    Some(PathBuf::from(path))
}

enum Backend {
    Sqlite(SqlitePool, PathBuf),
    Postgres(PgPool, String),
}

/// A `sql` source.
pub struct SqlConnector {
    config: SqlConfig,
    backend: Backend,
    /// Per dataset, its prepared queries.
    queries: Vec<Vec<PreparedQuery>>,
}

impl SqlConnector {
    /// Builds the connector; the pool connects lazily, on first use.
    pub fn new(config: SqlConfig, vars: &Variables) -> Result<SqlConnector, SourceError> {
        let queries = config
            .dataset
            .iter()
            .map(|d| {
                d.prepared()
                    .map_err(|e| SourceError::Config(format!("dataset `{}`: {e}", d.spec.name)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let backend = if let Some(path) = sqlite_path(&config.url) {
            let options = SqliteConnectOptions::new()
                .filename(&path)
                .read_only(true)
                .create_if_missing(false)
                .busy_timeout(Duration::from_secs(config.lock_timeout_secs));
            let pool = SqlitePoolOptions::new()
                .max_connections(config.max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_lazy_with(options);
            Backend::Sqlite(pool, path)
        } else {
            let url = vars
                .expand(&config.url)
                .map_err(|e| SourceError::Config(e.to_string()))?;
            let options = PgConnectOptions::from_str(&url)
                .map_err(|e| {
                    SourceError::Config(format!(
                        "url is not a valid PostgreSQL URL: {}",
                        redact(&e.to_string(), &url)
                    ))
                })?
                .application_name("inzage")
                .options([
                    ("default_transaction_read_only", "on".to_string()),
                    (
                        "statement_timeout",
                        format!("{}s", config.statement_timeout_secs),
                    ),
                ]);
            let shown = format!(
                "{}:{}/{}",
                options.get_host(),
                options.get_port(),
                options.get_database().unwrap_or("")
            );
            let pool = PgPoolOptions::new()
                .max_connections(config.max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_lazy_with(options);
            Backend::Postgres(pool, shown)
        };
        Ok(SqlConnector {
            config,
            backend,
            queries,
        })
    }

    /// SQLite would report a missing file only as "unable to open": say it plainly.
    fn require_database_file(&self) -> Result<(), SourceError> {
        match &self.backend {
            Backend::Sqlite(_, path) if !path.is_file() => Err(SourceError::Other(format!(
                "{}: database file not found; check `url` in connectors.toml",
                path.display()
            ))),
            _ => Ok(()),
        }
    }

    fn location(&self) -> String {
        match &self.backend {
            Backend::Sqlite(_, path) => path.display().to_string(),
            Backend::Postgres(_, shown) => format!("postgres {shown}"),
        }
    }

    /// A database error in words: where (database, dataset and which query),
    /// the real cause, and the fix. Never the bound value.
    fn db_error(&self, what: &str, query: &QueryPlace<'_>, e: sqlx::Error) -> SourceError {
        let place = query.shown(self);
        let db_message = match &e {
            sqlx::Error::Database(db) => db.message().to_string(),
            _ => String::new(),
        };
        let code = match &e {
            sqlx::Error::Database(db) => db.code().map(|c| c.into_owned()),
            _ => None,
        };
        let lower = db_message.to_ascii_lowercase();
        let cause: Option<String> = match (&self.backend, code.as_deref()) {
            (Backend::Sqlite(..), Some("5" | "6" | "517" | "261" | "262")) => Some(format!(
                "the database is locked by another program (waited lock_timeout_secs = {} s); run the export again when the other program (a backup or batch job) is done, or raise lock_timeout_secs",
                self.config.lock_timeout_secs
            )),
            (Backend::Sqlite(..), Some("26")) => Some(
                "the file is not a SQLite database (or it is encrypted); check `url` in connectors.toml".into(),
            ),
            (Backend::Sqlite(..), Some("11" | "267" | "523")) => Some(
                "the database file is damaged or truncated (SQLite: database disk image is malformed); restore or copy it again".into(),
            ),
            (Backend::Sqlite(..), _) if lower.starts_with("no such table") => Some(format!(
                "table `{}` is missing; check the query in connectors.toml against the database (wrong file or version?)",
                crate::limits::excerpt(lower.trim_start_matches("no such table:").trim(), 60),
            )),
            (Backend::Sqlite(..), _) if lower.starts_with("no such column") => Some(format!(
                "column `{}` is missing; check the query in connectors.toml",
                crate::limits::excerpt(lower.trim_start_matches("no such column:").trim(), 60),
            )),
            (Backend::Postgres(..), Some("42P01")) => Some(format!(
                "a table is missing ({}); check the query in connectors.toml and the search_path",
                crate::limits::excerpt(&db_message, 120)
            )),
            (Backend::Postgres(..), Some("57014")) => Some(self.timed_out()),
            (Backend::Postgres(..), Some("42501" | "25006")) => Some(format!(
                "{}; the query asks for more than reading: inzage only reads, so make it one SELECT (a WITH may hold only SELECTs), and give the login in `url` SELECT rights only",
                crate::limits::excerpt(&db_message, 120)
            )),
            (Backend::Postgres(..), Some("28P01")) => Some(format!(
                "{}; the password was refused: check the environment variable named in url",
                crate::limits::excerpt(&db_message, 120)
            )),
            (Backend::Sqlite(..), _) if matches!(e, sqlx::Error::PoolTimedOut) => Some(
                "no connection to the SQLite file within 10 s (locked, or on a slow share)".into(),
            ),
            (Backend::Postgres(..), _) if matches!(e, sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut) => {
                Some(format!(
                    "{}; check that the database server is running and reachable",
                    crate::limits::excerpt(&e.to_string(), 200)
                ))
            }
            _ => None,
        };
        let cause = cause.unwrap_or_else(|| crate::limits::excerpt(&e.to_string(), 300));
        SourceError::Other(format!("{place}: {what}: {cause}"))
    }

    /// A value the query returned that cannot be read (`e` names the column).
    fn value_error(&self, place: &QueryPlace<'_>, e: String) -> SourceError {
        SourceError::Other(format!(
            "{}: a value cannot be read: {e}; cast the column to text or a plain type in the query",
            place.shown(self)
        ))
    }

    /// Why a query was stopped at the statement timeout, and the setting.
    fn timed_out(&self) -> String {
        format!(
            "the query ran longer than statement_timeout_secs = {} s and was stopped; raise statement_timeout_secs for this connector in connectors.toml, or add an index",
            self.config.statement_timeout_secs
        )
    }

    /// Runs one dataset query for one identifier: column names and rows.
    async fn query(
        &self,
        sql: &str,
        value: &str,
        place: &QueryPlace<'_>,
    ) -> Result<(Vec<String>, Vec<Vec<Value>>), SourceError> {
        match &self.backend {
            Backend::Sqlite(pool, _) => {
                // SQLite has no statement timeout of its own: the wait is
                // given up here (PostgreSQL cancels the query itself).
                let limit = Duration::from_secs(self.config.statement_timeout_secs);
                let rows =
                    tokio::time::timeout(limit, sqlx::query(sql).bind(value).fetch_all(pool))
                        .await
                        .map_err(|_| {
                            SourceError::Other(format!(
                                "{}: query failed: {}",
                                place.shown(self),
                                self.timed_out()
                            ))
                        })?
                        .map_err(|e| self.db_error("query failed", place, e))?;
                let headers = rows.first().map(values::headers).unwrap_or_default();
                let values = rows
                    .iter()
                    .map(values::sqlite_row)
                    .collect::<Result<_, _>>()
                    .map_err(|e| self.value_error(place, e))?;
                Ok((headers, values))
            }
            Backend::Postgres(pool, _) => {
                let mut tx = self.read_only_transaction(pool, place).await?;
                let rows = sqlx::query(sql)
                    .bind(value)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(|e| self.db_error("query failed", place, e))?;
                tx.rollback()
                    .await
                    .map_err(|e| self.db_error("rollback failed", place, e))?;
                let headers = rows.first().map(values::headers).unwrap_or_default();
                let values = rows
                    .iter()
                    .map(values::pg_row)
                    .collect::<Result<_, _>>()
                    .map_err(|e| self.value_error(place, e))?;
                Ok((headers, values))
            }
        }
    }

    /// A PostgreSQL transaction that may only read (rolled back by the caller).
    async fn read_only_transaction(
        &self,
        pool: &PgPool,
        place: &QueryPlace<'_>,
    ) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, SourceError> {
        let mut tx = pool
            .begin()
            .await
            .map_err(|e| self.db_error("cannot connect", place, e))?;
        tx.execute("SET TRANSACTION READ ONLY")
            .await
            .map_err(|e| self.db_error("cannot start a read-only transaction", place, e))?;
        Ok(tx)
    }

    /// Streams the rows of the people-index query into `sink`.
    async fn stream_people(
        &self,
        sql: &str,
        sink: &mut (dyn FnMut(PersonName) + Send),
    ) -> Result<usize, SourceError> {
        use futures::TryStreamExt;
        let context = "people index ([protect.people] query)";
        let mut n = 0;
        match &self.backend {
            Backend::Sqlite(pool, _) => {
                // SQLite hands rows one at a time across a worker thread,
                // which costs more than the query: ask for one row that
                // holds them all (unit and record separators between).
                let wrapped = format!(
                    "SELECT group_concat(coalesce(klantnummer, '') || char(31) || coalesce(voornamen, '') || char(31) || coalesce(tussenvoegsel, '') || char(31) || coalesce(achternaam, ''), char(30)) FROM ({})",
                    sql.trim().trim_end_matches(';')
                );
                let all: Option<String> = sqlx::query_scalar(&wrapped)
                    .fetch_one(pool)
                    .await
                    .map_err(|e| self.people_db_error(context, e))?;
                for row in all
                    .as_deref()
                    .unwrap_or("")
                    .split('\u{1e}')
                    .filter(|r| !r.is_empty())
                {
                    let mut parts = row.split('\u{1f}');
                    let mut next = || parts.next().unwrap_or("").to_string();
                    let (key, voornamen, tussenvoegsel, achternaam) =
                        (next(), next(), next(), next());
                    sink(PersonName {
                        key,
                        voornamen,
                        tussenvoegsel: Some(tussenvoegsel).filter(|t| !t.trim().is_empty()),
                        achternaam,
                    });
                    n += 1;
                }
            }
            Backend::Postgres(pool, _) => {
                let mut tx = pool
                    .begin()
                    .await
                    .map_err(|e| self.people_db_error("cannot connect", e))?;
                tx.execute("SET TRANSACTION READ ONLY")
                    .await
                    .map_err(|e| self.people_db_error("cannot start a read-only transaction", e))?;
                {
                    let mut rows = sqlx::query(sql).fetch(&mut *tx);
                    while let Some(row) = rows
                        .try_next()
                        .await
                        .map_err(|e| self.people_db_error(context, e))?
                    {
                        sink(people_row(&row).map_err(|e| self.people_error(e))?);
                        n += 1;
                    }
                }
                tx.rollback()
                    .await
                    .map_err(|e| self.people_db_error("rollback failed", e))?;
            }
        }
        Ok(n)
    }

    /// A database error of the people-index query, in words, never with data.
    fn people_db_error(&self, what: &str, e: sqlx::Error) -> SourceError {
        let cause = match &e {
            sqlx::Error::Database(db) => db.message().to_string(),
            other => other.to_string(),
        };
        SourceError::Other(format!(
            "{}: {what}: {}; check the [protect.people] query in connectors.toml (it must return klantnummer, voornamen, tussenvoegsel and achternaam)",
            self.location(),
            crate::limits::excerpt(&cause, 200)
        ))
    }

    fn people_error(&self, e: String) -> SourceError {
        SourceError::Config(format!(
            "{}: people index ([protect.people] query): {e}; the query must return klantnummer, voornamen, tussenvoegsel and achternaam as text",
            self.location()
        ))
    }

    /// The column names a query returns, without running it.
    async fn describe(
        &self,
        sql: &str,
        place: &QueryPlace<'_>,
    ) -> Result<Vec<String>, SourceError> {
        let columns: Vec<String> = match &self.backend {
            Backend::Sqlite(pool, _) => pool
                .describe(sql)
                .await
                .map_err(|e| self.db_error("query cannot be prepared", place, e))?
                .columns()
                .iter()
                .map(|c| c.name().to_string())
                .collect(),
            Backend::Postgres(pool, _) => pool
                .describe(sql)
                .await
                .map_err(|e| self.db_error("query cannot be prepared", place, e))?
                .columns()
                .iter()
                .map(|c| c.name().to_string())
                .collect(),
        };
        Ok(columns)
    }
}

/// Which query failed: its dataset and the identifier kind it is asked by.
struct QueryPlace<'a> {
    dataset: &'a str,
    parameter: inzage_core::IdentifierKind,
}

impl QueryPlace<'_> {
    /// `erp.sqlite: dataset `Relatie` (query by klantnummer)`.
    fn shown(&self, connector: &SqlConnector) -> String {
        format!(
            "{}: dataset `{}` (query by {})",
            connector.location(),
            self.dataset,
            self.parameter.as_str()
        )
    }
}

/// Hides a password that an error message might repeat.
fn redact(message: &str, url: &str) -> String {
    let password = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('@').next())
        .and_then(|credentials| credentials.split(':').nth(1));
    match password {
        Some(p) if !p.is_empty() => message.replace(p, "***"),
        _ => message.to_string(),
    }
}

/// One row of the people-index query.
fn people_row<R>(row: &R) -> Result<PersonName, String>
where
    R: sqlx::Row,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let text = |col: &str| -> Result<Option<String>, String> {
        row.try_get::<Option<String>, _>(col)
            .map_err(|e| format!("column `{col}`: {e}"))
    };
    Ok(PersonName {
        key: text("klantnummer")?.unwrap_or_default(),
        voornamen: text("voornamen")?.unwrap_or_default(),
        tussenvoegsel: text("tussenvoegsel")?.filter(|t| !t.trim().is_empty()),
        achternaam: text("achternaam")?.unwrap_or_default(),
    })
}

#[async_trait]
impl Connector for SqlConnector {
    fn id(&self) -> &str {
        &self.config.id
    }

    fn kind(&self) -> &'static str {
        "sql"
    }

    fn label(&self) -> &str {
        &self.config.label
    }

    fn datasets(&self) -> Vec<&DatasetSpec> {
        self.config.dataset.iter().map(|d| &d.spec).collect()
    }

    async fn check(&self) -> Result<CheckReport, SourceError> {
        self.require_database_file()?;
        let mut prepared = 0;
        for (dataset, queries) in self.config.dataset.iter().zip(&self.queries) {
            for query in queries {
                let place = QueryPlace {
                    dataset: &dataset.spec.name,
                    parameter: query.parameter,
                };
                let columns = self.describe(&query.sql, &place).await?;
                self.prove_read_only(&query.sql, &place).await?;
                // The place only: the matcher's messages name the dataset.
                let location = self.location();
                let matcher =
                    TableMatcher::new(&self.config.id, &dataset.spec, &columns, &location)?;
                matcher.require_declared(&location)?;
                prepared += 1;
            }
        }
        Ok(CheckReport {
            summary: format!(
                "{}: {prepared} queries prepared and planned read-only",
                self.location()
            ),
        })
    }

    async fn people(
        &self,
        query: &str,
        sink: &mut (dyn FnMut(PersonName) + Send),
    ) -> Result<usize, SourceError> {
        self.require_database_file()?;
        self.stream_people(query, sink).await
    }

    async fn fetch(&self, request: &FetchRequest) -> Result<FetchOutcome, SourceError> {
        self.require_database_file()?;
        let mut outcome = FetchOutcome::default();
        let mut asked: Vec<(&SqlDataset, &PreparedQuery)> = Vec::new();
        for (dataset, queries) in self.config.dataset.iter().zip(&self.queries) {
            asked.extend(queries.iter().map(|q| (dataset, q)));
        }
        for (dataset, query) in asked {
            for id in request
                .identifiers
                .iter()
                .filter(|i| i.kind == query.parameter)
            {
                let place = QueryPlace {
                    dataset: &dataset.spec.name,
                    parameter: query.parameter,
                };
                // Asked in the dataset's own form; a value that has no
                // such form cannot mean this person there.
                let Some(value) = dataset.spec.written(id) else {
                    continue;
                };
                let (headers, rows) = self.query(&query.sql, &value, &place).await?;
                if rows.is_empty() {
                    continue;
                }
                let location = self.location();
                let matcher =
                    TableMatcher::new(&self.config.id, &dataset.spec, &headers, &location)?;
                let single = FetchRequest {
                    identifiers: vec![id.clone()],
                    fetched_at: request.fetched_at,
                };
                for (n, row) in rows.iter().enumerate() {
                    let at = format!("{} {} row {}", self.config.id, dataset.spec.name, n + 1);
                    match matcher.evaluate(row, &at, &single) {
                        RowOutcome::Match(record) => outcome.records.push(*record),
                        RowOutcome::Held(record) => outcome.held.push(HeldRecord {
                            record: *record,
                            reason: ReviewReason::PartialPersonMatch,
                        }),
                        RowOutcome::NoMatch => {}
                    }
                }
            }
        }
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, Utc};
    use inzage_core::{Identifier, IdentifierKind};
    use sqlx::{Connection, SqliteConnection};

    /// A small SQLite database with the types the ERP uses, and a blob.
    async fn database(dir: &Path) -> PathBuf {
        let path = dir.join("erp.sqlite");
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true);
        let mut conn = SqliteConnection::connect_with(&options).await.unwrap();
        sqlx::raw_sql(
            "CREATE TABLE relatie (klantnummer TEXT PRIMARY KEY, email TEXT, geboren DATE, huur NUMERIC(10,2), scan BLOB, notitie TEXT NULL);
             INSERT INTO relatie VALUES ('001001', 'a@example.org', '1980-02-29', 712.5, x'00ff10', NULL);
             INSERT INTO relatie VALUES ('001002', 'b@example.org', '1990-01-01', 600, NULL, 'x');",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
        path
    }

    fn connector(path: &Path) -> SqlConnector {
        let toml_text = format!(
            "id = \"erp\"\nlabel = \"ERP\"\nurl = \"sqlite:{}\"\n[[dataset]]\nname = \"Relatie\"\nkey = \"klantnummer\"\nqueries.klantnummer = \"SELECT * FROM relatie WHERE klantnummer = :klantnummer\"\nqueries.email = \"SELECT * FROM relatie WHERE email = :email\"\nmatch = {{ klantnummer = \"klantnummer\", email = \"email\" }}\n[dataset.fields]\nklantnummer = \"x\"\nemail = \"x\"\ngeboren = \"x\"\nhuur = {{ category = \"x\", type = \"decimal\", scale = 2 }}\nscan = \"x\"\nnotitie = \"x\"\n",
            path.display()
        );
        SqlConnector::new(toml::from_str(&toml_text).unwrap(), &Variables::from_env()).unwrap()
    }

    fn ask(kind: IdentifierKind, value: &str) -> FetchRequest {
        FetchRequest {
            identifiers: vec![Identifier {
                kind,
                value: value.to_string(),
            }],
            fetched_at: Utc::now(),
        }
    }

    #[tokio::test]
    async fn values_keep_their_type_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let erp = connector(&database(dir.path()).await);
        let found = erp
            .fetch(&ask(IdentifierKind::Klantnummer, "001001"))
            .await
            .unwrap();
        assert_eq!(found.records.len(), 1);
        let r = &found.records[0];
        assert_eq!(
            r.get("geboren"),
            Some(&Value::Date(NaiveDate::from_ymd_opt(1980, 2, 29).unwrap()))
        );
        assert_eq!(r.get("huur"), Some(&Value::Decimal("712.50".into())));
        assert_eq!(r.get("notitie"), Some(&Value::Null));
        assert_eq!(r.get("scan"), Some(&Value::blob(&[0x00, 0xff, 0x10])));
        assert!(erp.check().await.is_ok());
    }

    #[tokio::test]
    async fn injection_attempts_are_values_not_sql() {
        let dir = tempfile::tempdir().unwrap();
        let erp = connector(&database(dir.path()).await);
        for attempt in [
            "001001' OR '1'='1",
            "x' OR 1=1 --",
            "001001'; DROP TABLE relatie; --",
        ] {
            let found = erp
                .fetch(&ask(IdentifierKind::Klantnummer, attempt))
                .await
                .unwrap();
            assert!(found.records.is_empty(), "{attempt}");
        }
        let found = erp
            .fetch(&ask(IdentifierKind::Email, "a@example.org' OR ''='"))
            .await
            .unwrap();
        assert!(found.records.is_empty());
        // The table is still there and whole.
        let all = erp
            .fetch(&ask(IdentifierKind::Klantnummer, "001002"))
            .await
            .unwrap();
        assert_eq!(all.records.len(), 1);
    }

    #[tokio::test]
    async fn a_missing_database_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let erp = connector(&dir.path().join("weg.sqlite"));
        let err = erp.check().await.unwrap_err().to_string();
        assert!(
            err.contains("weg.sqlite") && err.contains("not found"),
            "{err}"
        );
    }

    /// Each part of a check failure is said once: the place, then the
    /// dataset, then the cause (never "dataset `X`: dataset `X`: ...").
    #[tokio::test]
    async fn check_failures_name_the_dataset_once() {
        let dir = tempfile::tempdir().unwrap();
        let good = database(dir.path()).await;
        let with = |extra: &str| {
            let config: SqlConfig = toml::from_str(&format!(
                "id = \"erp\"\nlabel = \"ERP\"\nurl = \"sqlite:{}\"\n[[dataset]]\nname = \"Relatie\"\nquery = \"SELECT * FROM relatie WHERE klantnummer = :klantnummer\"\n{extra}",
                good.display()
            ))
            .unwrap();
            SqlConnector::new(config, &Variables::from_env()).unwrap()
        };
        let missing_column =
            with("match = { klantnummer = \"klantnr\" }\nfields = { klantnummer = \"x\" }\n");
        let undeclared =
            with("match = { klantnummer = \"klantnummer\" }\nfields = { klantnummer = \"x\" }\n");
        let missing_table = {
            let config: SqlConfig = toml::from_str(&format!(
                "id = \"erp\"\nlabel = \"ERP\"\nurl = \"sqlite:{}\"\n[[dataset]]\nname = \"Relatie\"\nquery = \"SELECT * FROM relaties WHERE klantnummer = :klantnummer\"\nmatch = {{ klantnummer = \"klantnummer\" }}\nfields = {{ klantnummer = \"x\" }}\n",
                good.display()
            ))
            .unwrap();
            SqlConnector::new(config, &Variables::from_env()).unwrap()
        };
        for (erp, expected) in [
            (missing_column, "column `klantnr` not found"),
            (undeclared, "columns not declared in connectors.toml: email"),
            (missing_table, "table `relaties` is missing"),
        ] {
            let m = erp.check().await.unwrap_err().to_string();
            assert!(m.contains(expected), "{m}");
            assert_eq!(m.matches("dataset `Relatie`").count(), 1, "{m}");
            assert_eq!(m.matches("erp.sqlite").count(), 1, "{m}");
        }
    }

    /// `check` plans every query without running it and refuses one that
    /// would write; sorting and DISTINCT (temporary tables) are reading.
    #[tokio::test]
    async fn check_proves_each_query_read_only_on_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let path = database(dir.path()).await;
        let before = std::fs::read(&path).unwrap();
        let with_query = |query: &str| {
            let config: SqlConfig = toml::from_str(&format!(
                "id = \"erp\"\nlabel = \"ERP\"\nurl = \"sqlite:{}\"\n[[dataset]]\nname = \"Relatie\"\nquery = \"{query}\"\nmatch = {{ klantnummer = \"klantnummer\" }}\nfields = {{ klantnummer = \"x\" }}\n",
                path.display()
            ))
            .unwrap();
            SqlConnector::new(config, &Variables::from_env()).unwrap()
        };
        let reading = with_query(
            "SELECT DISTINCT klantnummer FROM relatie WHERE klantnummer IN (:klantnummer, 'x') ORDER BY email",
        );
        assert!(reading.check().await.is_ok());
        for writing in [
            "WITH w AS (SELECT klantnummer FROM relatie WHERE klantnummer = :klantnummer) DELETE FROM relatie WHERE klantnummer IN (SELECT klantnummer FROM w) RETURNING klantnummer",
            "UPDATE relatie SET notitie = 'y' WHERE klantnummer = :klantnummer RETURNING klantnummer",
            "INSERT INTO relatie (klantnummer) VALUES (:klantnummer) RETURNING klantnummer",
        ] {
            let m = with_query(writing).check().await.unwrap_err().to_string();
            assert!(
                m.contains("dataset `Relatie` (query by klantnummer)") && m.contains("would write"),
                "{writing}: {m}"
            );
        }
        assert!(
            std::fs::read(&path).unwrap() == before,
            "the file is untouched"
        );
    }

    /// SQLite has no statement timeout: inzage stops waiting, and says
    /// which dataset and which setting.
    #[tokio::test]
    async fn a_slow_sqlite_query_stops_at_the_statement_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let path = database(dir.path()).await;
        let config: SqlConfig = toml::from_str(&format!(
            "id = \"erp\"\nlabel = \"ERP\"\nurl = \"sqlite:{}\"\nstatement_timeout_secs = 1\n[[dataset]]\nname = \"Relatie\"\nquery = \"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT klantnummer FROM relatie WHERE klantnummer = :klantnummer AND (SELECT count(*) FROM c) > 0\"\nmatch = {{ klantnummer = \"klantnummer\" }}\nfields = {{ klantnummer = \"x\" }}\n",
            path.display()
        ))
        .unwrap();
        let slow = SqlConnector::new(config, &Variables::from_env()).unwrap();
        let started = std::time::Instant::now();
        let m = slow
            .fetch(&ask(IdentifierKind::Klantnummer, "001001"))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            m.contains("dataset `Relatie`") && m.contains("raise statement_timeout_secs"),
            "{m}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
    }

    /// The database fault matrix: each broken database fails with its own
    /// cause, its dataset and query, and never the bound value.
    #[tokio::test]
    async fn broken_databases_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let good = database(dir.path()).await;
        let ask = || ask(IdentifierKind::Klantnummer, "001001");
        let message = |e: SourceError| {
            let m = e.to_string();
            assert!(!m.contains("001001"), "no bound value: {m}");
            assert!(!m.chars().any(char::is_control), "{m:?}");
            m
        };

        let not_db = dir.path().join("geen.sqlite");
        std::fs::write(&not_db, b"Klantnummer;Naam\n001001;Zo\xEB\n".repeat(300)).unwrap();
        let m = message(connector(&not_db).fetch(&ask()).await.unwrap_err());
        assert!(
            m.contains("geen.sqlite")
                && m.contains("not a SQLite database")
                && m.contains("dataset `Relatie`"),
            "{m}"
        );

        let bytes = std::fs::read(&good).unwrap();
        let cut = dir.path().join("half.sqlite");
        std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
        let m = message(connector(&cut).fetch(&ask()).await.unwrap_err());
        assert!(
            m.contains("half.sqlite")
                && (m.contains("damaged or truncated") || m.contains("not a SQLite")),
            "{m}"
        );

        let empty_db = dir.path().join("leeg.sqlite");
        {
            let options = SqliteConnectOptions::new()
                .filename(&empty_db)
                .create_if_missing(true);
            let mut conn = SqliteConnection::connect_with(&options).await.unwrap();
            sqlx::raw_sql("CREATE TABLE iets (a TEXT);")
                .execute(&mut conn)
                .await
                .unwrap();
            conn.close().await.unwrap();
        }
        let m = message(connector(&empty_db).check().await.unwrap_err());
        assert!(
            m.contains("dataset `Relatie` (query by klantnummer): query cannot be prepared: table `relatie` is missing"),
            "{m}"
        );

        // Another program holds the database locked.
        let options = SqliteConnectOptions::new().filename(&good);
        let mut holder = SqliteConnection::connect_with(&options).await.unwrap();
        sqlx::raw_sql("BEGIN EXCLUSIVE; UPDATE relatie SET notitie = 'y';")
            .execute(&mut holder)
            .await
            .unwrap();
        let mut config: SqlConfig = toml::from_str(&format!(
            "id = \"erp\"\nlabel = \"ERP\"\nurl = \"sqlite:{}\"\nlock_timeout_secs = 1\n[[dataset]]\nname = \"Relatie\"\nquery = \"SELECT * FROM relatie WHERE klantnummer = :klantnummer\"\nmatch = {{ klantnummer = \"klantnummer\" }}\nfields = {{ klantnummer = \"x\" }}\nexclude = [\"email\", \"geboren\", \"huur\", \"scan\", \"notitie\"]\n",
            good.display()
        ))
        .unwrap();
        config.max_connections = 1;
        let locked = SqlConnector::new(config, &Variables::from_env()).unwrap();
        let started = std::time::Instant::now();
        let m = message(locked.fetch(&ask()).await.unwrap_err());
        assert!(
            m.contains("locked by another program") && m.contains("lock_timeout_secs = 1 s"),
            "{m}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "{:?}",
            started.elapsed()
        );
        drop(holder);
    }
}
