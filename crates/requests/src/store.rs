//! The request store: an embedded SQLite database (WAL, busy timeout) that
//! holds every request, its verification, extension, closing and exports.
//!
//! Every change runs in one `BEGIN IMMEDIATE` transaction that also appends
//! the audit entry: the database's write lock serialises writers across
//! processes, so two commands at once never corrupt the store nor
//! interleave the audit trail. The audit entry is written before the
//! transaction commits, so no change goes unaudited.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use inzage_core::{Identifier, IdentifierKind};
use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions, SqliteRow};
use sqlx::{Row, Sqlite, Transaction};

use crate::audit::{AuditTrail, Event};
use crate::config::{RequestsConfig, Terms};
use crate::deadline::Deadlines;
use crate::{Refused, RequestsError};

mod staff;

/// Which right the request invokes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestKind {
    /// Art. 15, access.
    Access,
    /// Art. 20, portability.
    Portability,
}

/// How the request came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// At the counter.
    Balie,
    /// By e-mail.
    Mail,
    /// By letter.
    Post,
    /// Through the website.
    Web,
    /// By WhatsApp.
    Whatsapp,
    /// By phone.
    Telefoon,
}

/// How a request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The answer (the bundle) was delivered.
    Delivered,
    /// The request was refused, with reasons.
    Refused,
    /// The tenant withdrew it.
    Withdrawn,
    /// We hold no personal data about the person.
    NoData,
}

macro_rules! names {
    ($t:ty { $($v:ident = $s:literal),* $(,)? }) => {
        impl $t {
            /// The name used on the command line and in the store.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
        }
        impl FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s { $($s => Ok(Self::$v),)* other => Err(format!("unknown value `{other}`")) }
            }
        }
    };
}

names!(RequestKind { Access = "access", Portability = "portability" });
names!(Channel { Balie = "balie", Mail = "mail", Post = "post", Web = "web", Whatsapp = "whatsapp", Telefoon = "telefoon" });
names!(Outcome { Delivered = "delivered", Refused = "refused", Withdrawn = "withdrawn", NoData = "no-data" });

/// Who checked identity, how and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verified {
    /// When.
    pub at: DateTime<Utc>,
    /// By whom.
    pub by: String,
    /// How (`ID-kaart getoond aan de balie`).
    pub method: String,
}

/// The extension of the answer's deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Extension {
    /// Months in total.
    pub months: u32,
    /// Why (for the notice to the tenant).
    pub reason: String,
    /// When it was last granted.
    pub at: DateTime<Utc>,
    /// By whom.
    pub by: String,
}

/// How and when the request was closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Closed {
    /// When.
    pub at: DateTime<Utc>,
    /// By whom.
    pub by: String,
    /// The outcome.
    pub outcome: Outcome,
    /// Why (required for a refusal).
    pub reason: Option<String>,
}

/// A bundle exported for a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExportRecord {
    /// When.
    pub at: DateTime<Utc>,
    /// Who ran it.
    pub by: String,
    /// The bundle's file name (without folder).
    pub file_name: String,
    /// SHA-256 of the bundle.
    pub sha256: String,
    /// Whether every source answered.
    pub complete: bool,
    /// Per source id, its status (`ok`, `failed`, `skipped`).
    pub sources: Vec<(String, String)>,
    /// Records in the bundle.
    pub records: usize,
}

/// A request as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Request {
    /// The id staff use: `V-0001`.
    pub id: String,
    /// Which right.
    pub kind: RequestKind,
    /// The tenant, by klantnummer or contract number.
    pub subject: Identifier,
    /// How it came in.
    pub channel: Channel,
    /// The day it was received.
    pub received: NaiveDate,
    /// When it was opened in inzage.
    pub opened_at: DateTime<Utc>,
    /// By whom.
    pub opened_by: String,
    /// The terms that applied when it was opened.
    pub terms: Terms,
    /// Identity check.
    pub verified: Option<Verified>,
    /// Extension.
    pub extension: Option<Extension>,
    /// Closing.
    pub closed: Option<Closed>,
    /// Bundles exported, oldest first.
    pub exports: Vec<ExportRecord>,
}

impl Request {
    /// The deadlines.
    pub fn deadlines(&self) -> Deadlines {
        Deadlines::compute(
            &self.terms,
            self.received,
            self.verified.as_ref().map(|v| v.at.date_naive()),
            self.extension.as_ref().map_or(0, |e| e.months),
        )
    }

    /// A short status: `identity not verified`, `verified`, `extended`,
    /// `closed: delivered`.
    pub fn status(&self) -> String {
        match (&self.closed, &self.extension, &self.verified) {
            (Some(c), _, _) => format!("closed: {}", c.outcome.as_str()),
            (None, Some(_), Some(_)) => "verified, extended".into(),
            (None, Some(_), None) => "extended, identity not verified".into(),
            (None, None, Some(_)) => "verified".into(),
            (None, None, None) => "identity not verified".into(),
        }
    }

    /// The subject's identifier, masked for the audit trail.
    pub fn masked_subject(&self) -> String {
        self.subject.masked()
    }
}

/// The id staff use for a stored row: `V-0001`.
pub fn request_id(seq: i64) -> String {
    format!("V-{seq:04}")
}

/// Parses `V-0001`, `v-1` or `1`.
pub fn parse_request_id(text: &str) -> Result<i64, RequestsError> {
    let t = text.trim();
    let digits = t
        .strip_prefix("V-")
        .or_else(|| t.strip_prefix("v-"))
        .unwrap_or(t);
    digits
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            RequestsError::Refused(Refused::NotARequestId {
                text: text.to_string(),
            })
        })
}

/// What `open` records.
#[derive(Clone, Debug)]
pub struct NewRequest {
    /// Which right.
    pub kind: RequestKind,
    /// The tenant.
    pub subject: Identifier,
    /// How it came in.
    pub channel: Channel,
    /// The day it was received.
    pub received: NaiveDate,
}

/// The request store with its audit trail.
pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
    audit: AuditTrail,
    terms: Terms,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS request (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    channel TEXT NOT NULL,
    received TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    terms TEXT NOT NULL,
    verified_at TEXT, verified_by TEXT, verified_method TEXT,
    extension_months INTEGER NOT NULL DEFAULT 0, extension_reason TEXT, extended_at TEXT, extended_by TEXT,
    closed_at TEXT, closed_by TEXT, outcome TEXT, close_reason TEXT
);
CREATE TABLE IF NOT EXISTS export (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_seq INTEGER NOT NULL REFERENCES request(seq),
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    complete INTEGER NOT NULL,
    sources TEXT NOT NULL,
    records INTEGER NOT NULL
);
";

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Store {
    /// Opens (creating when missing) the store and audit trail that the
    /// configuration names.
    pub async fn open(config: &RequestsConfig) -> Result<Store, RequestsError> {
        let path = config.store.clone();
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| RequestsError::Store {
                path: path.clone(),
                message: format!("cannot create its folder: {e}"),
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(options)
            .await
            .map_err(|e| store_error(&path, "cannot open", e))?;
        let store = Store {
            pool,
            path,
            audit: AuditTrail::new(&config.audit),
            terms: config.terms,
        };
        store.wal().await?;
        let mut tx = store.begin().await?;
        sqlx::raw_sql(SCHEMA)
            .execute(&mut *tx)
            .await
            .map_err(|e| store.error("cannot create the tables", e))?;
        tx.commit()
            .await
            .map_err(|e| store.error("cannot create the tables", e))?;
        Ok(store)
    }

    /// Switching to WAL needs a lock that the busy timeout does not wait
    /// for: retry for a while when another process holds it.
    async fn wal(&self) -> Result<(), RequestsError> {
        let mut last = None;
        for _ in 0..100 {
            match sqlx::query_scalar::<_, String>("PRAGMA journal_mode = WAL")
                .fetch_one(&self.pool)
                .await
            {
                Ok(mode) if mode.eq_ignore_ascii_case("wal") => return Ok(()),
                Ok(mode) => {
                    return Err(RequestsError::Store {
                        path: self.path.clone(),
                        message: format!("journal mode is `{mode}`, WAL was asked for; is the store on a network drive? keep it on a local disk"),
                    })
                }
                Err(e) => last = Some(e),
            }
            tokio_sleep(Duration::from_millis(50)).await;
        }
        Err(self.error(
            "cannot switch to WAL",
            last.unwrap_or(sqlx::Error::PoolTimedOut),
        ))
    }

    /// Where the store is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The audit trail.
    pub fn audit(&self) -> &AuditTrail {
        &self.audit
    }

    fn error(&self, what: &str, e: sqlx::Error) -> RequestsError {
        store_error(&self.path, what, e)
    }

    async fn begin(&self) -> Result<Transaction<'_, Sqlite>, RequestsError> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|e| self.error("cannot start a write", e))
    }

    async fn commit(&self, tx: Transaction<'_, Sqlite>) -> Result<(), RequestsError> {
        tx.commit()
            .await
            .map_err(|e| self.error("cannot save the change", e))
    }

    fn event(
        &self,
        request: &Request,
        action: &str,
        by: &str,
        details: Map<String, Value>,
    ) -> Event {
        Event {
            by: by.to_string(),
            action: action.to_string(),
            request: request.id.clone(),
            subject: request.masked_subject(),
            details,
        }
    }

    /// Opens a request and records it in the audit trail.
    pub async fn open_request(
        &self,
        new: NewRequest,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Request, RequestsError> {
        let mut tx = self.begin().await?;
        let terms = serde_json::to_string(&self.terms).unwrap_or_default();
        let result = sqlx::query(
            "INSERT INTO request (kind, subject_kind, subject, channel, received, opened_at, opened_by, terms)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(new.kind.as_str())
        .bind(new.subject.kind.as_str())
        .bind(&new.subject.value)
        .bind(new.channel.as_str())
        .bind(new.received.to_string())
        .bind(time(now))
        .bind(by)
        .bind(terms)
        .execute(&mut *tx)
        .await
        .map_err(|e| self.error("cannot record the request", e))?;
        let request = self.load(&mut tx, result.last_insert_rowid()).await?;
        let d = request.deadlines();
        let mut details = Map::new();
        details.insert("kind".into(), new.kind.as_str().into());
        details.insert("channel".into(), new.channel.as_str().into());
        details.insert("received".into(), new.received.to_string().into());
        details.insert("clock_starts".into(), d.clock.as_str().into());
        if let Some(a) = d.answer {
            details.insert("answer_due".into(), a.to_string().into());
        }
        self.audit
            .append(self.event(&request, "request.open", by, details), now)?;
        self.commit(tx).await?;
        Ok(request)
    }

    /// Records that identity was checked.
    pub async fn verify(
        &self,
        id: &str,
        by: &str,
        method: &str,
        now: DateTime<Utc>,
    ) -> Result<Request, RequestsError> {
        let seq = parse_request_id(id)?;
        let mut tx = self.begin().await?;
        let request = self.load(&mut tx, seq).await?;
        require_open(&request)?;
        if let Some(v) = &request.verified {
            return Err(RequestsError::Refused(Refused::AlreadyVerified {
                id: request.id.clone(),
                on: v.at.date_naive(),
                by: v.by.clone(),
            }));
        }
        sqlx::query("UPDATE request SET verified_at = ?, verified_by = ?, verified_method = ? WHERE seq = ?")
            .bind(time(now))
            .bind(by)
            .bind(method)
            .bind(seq)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.error("cannot record the verification", e))?;
        let request = self.load(&mut tx, seq).await?;
        let mut details = Map::new();
        if let Some(a) = request.deadlines().answer {
            details.insert("answer_due".into(), a.to_string().into());
        }
        self.audit
            .append(self.event(&request, "request.verify", by, details), now)?;
        self.commit(tx).await?;
        Ok(request)
    }

    /// Extends the answer's deadline by `months` (added to an earlier
    /// extension; `None`: as many as the maximum still allows), only while
    /// the first term runs and up to the maximum.
    pub async fn extend(
        &self,
        id: &str,
        by: &str,
        months: Option<u32>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Request, RequestsError> {
        let seq = parse_request_id(id)?;
        if reason.trim().is_empty() {
            return Err(RequestsError::Refused(Refused::ExtensionWithoutReason));
        }
        let mut tx = self.begin().await?;
        let request = self.load(&mut tx, seq).await?;
        require_open(&request)?;
        let deadlines = request.deadlines();
        let today = now.date_naive();
        let Some(legal) = deadlines.legal else {
            return Err(RequestsError::Refused(Refused::ClockNotStarted {
                id: request.id.clone(),
            }));
        };
        if !deadlines.extension_open(today) {
            return Err(RequestsError::Refused(Refused::ExtensionTooLate {
                id: request.id.clone(),
                first_term_ended: legal,
                answer_due: deadlines.answer.unwrap_or(legal),
            }));
        }
        let crate::config::Term::Months(max) = request.terms.extension_maximum else {
            return Err(RequestsError::Refused(Refused::ExtensionMaximumNotInMonths));
        };
        let already = request.extension.as_ref().map_or(0, |e| e.months);
        let months = months.unwrap_or(max.saturating_sub(already));
        let total = already + months;
        if months == 0 || total > max {
            return Err(RequestsError::Refused(Refused::ExtensionTooLong {
                id: request.id.clone(),
                maximum: max,
                granted: already,
                asked: months,
            }));
        }
        sqlx::query("UPDATE request SET extension_months = ?, extension_reason = ?, extended_at = ?, extended_by = ? WHERE seq = ?")
            .bind(i64::from(total))
            .bind(reason)
            .bind(time(now))
            .bind(by)
            .bind(seq)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.error("cannot record the extension", e))?;
        let request = self.load(&mut tx, seq).await?;
        let mut details = Map::new();
        details.insert("months".into(), total.into());
        if let Some(a) = request.deadlines().answer {
            details.insert("answer_due".into(), a.to_string().into());
        }
        self.audit
            .append(self.event(&request, "request.extend", by, details), now)?;
        self.commit(tx).await?;
        Ok(request)
    }

    /// Closes a request. `delivered` needs an exported bundle, `refused` a reason.
    pub async fn close(
        &self,
        id: &str,
        by: &str,
        outcome: Outcome,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Request, RequestsError> {
        let seq = parse_request_id(id)?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let mut tx = self.begin().await?;
        let request = self.load(&mut tx, seq).await?;
        require_open(&request)?;
        if outcome == Outcome::Refused && reason.is_none() {
            return Err(RequestsError::Refused(Refused::RefusalWithoutReason {
                id: request.id.clone(),
            }));
        }
        if outcome == Outcome::Delivered && request.exports.is_empty() {
            return Err(RequestsError::Refused(Refused::NothingExported {
                id: request.id.clone(),
            }));
        }
        sqlx::query("UPDATE request SET closed_at = ?, closed_by = ?, outcome = ?, close_reason = ? WHERE seq = ?")
            .bind(time(now))
            .bind(by)
            .bind(outcome.as_str())
            .bind(reason)
            .bind(seq)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.error("cannot record the closing", e))?;
        let request = self.load(&mut tx, seq).await?;
        let mut details = Map::new();
        details.insert("outcome".into(), outcome.as_str().into());
        self.audit
            .append(self.event(&request, "request.close", by, details), now)?;
        self.commit(tx).await?;
        Ok(request)
    }

    /// Records an exported bundle on its request.
    pub async fn record_export(
        &self,
        id: &str,
        export: ExportRecord,
    ) -> Result<Request, RequestsError> {
        let seq = parse_request_id(id)?;
        let mut tx = self.begin().await?;
        let request = self.load(&mut tx, seq).await?;
        let sources = serde_json::to_string(&export.sources).unwrap_or_default();
        sqlx::query("INSERT INTO export (request_seq, at, by, file_name, sha256, complete, sources, records) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(seq)
            .bind(time(export.at))
            .bind(&export.by)
            .bind(&export.file_name)
            .bind(&export.sha256)
            .bind(export.complete)
            .bind(sources)
            .bind(export.records as i64)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.error("cannot record the export", e))?;
        let mut details = Map::new();
        details.insert("sha256".into(), export.sha256.clone().into());
        details.insert("complete".into(), export.complete.into());
        details.insert("records".into(), export.records.into());
        let statuses: Map<String, Value> = export
            .sources
            .iter()
            .map(|(s, st)| (s.clone(), Value::from(st.clone())))
            .collect();
        details.insert("sources".into(), Value::Object(statuses));
        self.audit.append(
            self.event(&request, "export", &export.by, details),
            export.at,
        )?;
        let request = self.load(&mut tx, seq).await?;
        self.commit(tx).await?;
        Ok(request)
    }

    /// Records a letter written for a request (kind, language, SHA-256).
    pub async fn record_letter(
        &self,
        request: &Request,
        kind: &str,
        lang: &str,
        sha256: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), RequestsError> {
        let tx = self.begin().await?;
        let mut details = Map::new();
        details.insert("kind".into(), kind.into());
        details.insert("lang".into(), lang.into());
        details.insert("sha256".into(), sha256.into());
        self.audit
            .append(self.event(request, "letter", by, details), now)?;
        self.commit(tx).await
    }

    /// One request.
    pub async fn get(&self, id: &str) -> Result<Request, RequestsError> {
        let seq = parse_request_id(id)?;
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(|e| self.error("cannot read", e))?;
        self.load_from(&mut conn, seq).await
    }

    /// Every request, oldest first.
    pub async fn list(&self) -> Result<Vec<Request>, RequestsError> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(|e| self.error("cannot read", e))?;
        let seqs: Vec<i64> = sqlx::query_scalar("SELECT seq FROM request ORDER BY seq")
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| self.error("cannot read the requests", e))?;
        let mut out = Vec::with_capacity(seqs.len());
        for seq in seqs {
            out.push(self.load_from(&mut conn, seq).await?);
        }
        Ok(out)
    }

    async fn load(
        &self,
        tx: &mut Transaction<'_, Sqlite>,
        seq: i64,
    ) -> Result<Request, RequestsError> {
        self.load_from(&mut *tx, seq).await
    }

    async fn load_from(
        &self,
        conn: &mut sqlx::SqliteConnection,
        seq: i64,
    ) -> Result<Request, RequestsError> {
        let row = sqlx::query("SELECT * FROM request WHERE seq = ?")
            .bind(seq)
            .fetch_optional(&mut *conn)
            .await
            .map_err(|e| self.error("cannot read the request", e))?
            .ok_or_else(|| RequestsError::NotFound(request_id(seq)))?;
        let exports = sqlx::query("SELECT * FROM export WHERE request_seq = ? ORDER BY id")
            .bind(seq)
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| self.error("cannot read the exports", e))?;
        self.decode(&row, &exports)
    }

    fn decode(&self, row: &SqliteRow, exports: &[SqliteRow]) -> Result<Request, RequestsError> {
        let bad = |what: &str| RequestsError::Store {
            path: self.path.clone(),
            message: format!(
                "request {}: {what} cannot be read; the store was changed outside inzage",
                row.get::<i64, _>("seq")
            ),
        };
        let text = |col: &str| -> Result<String, RequestsError> {
            row.try_get::<String, _>(col).map_err(|_| bad(col))
        };
        let opt =
            |col: &str| -> Option<String> { row.try_get::<Option<String>, _>(col).ok().flatten() };
        let at = |s: &str| -> Result<DateTime<Utc>, RequestsError> {
            DateTime::parse_from_rfc3339(s)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| bad("a time"))
        };
        let seq: i64 = row.get("seq");
        let subject_kind =
            IdentifierKind::parse(&text("subject_kind")?).ok_or_else(|| bad("subject_kind"))?;
        let subject =
            Identifier::new(subject_kind, &text("subject")?).ok_or_else(|| bad("subject"))?;
        let verified = match (
            opt("verified_at"),
            opt("verified_by"),
            opt("verified_method"),
        ) {
            (Some(t), Some(by), Some(method)) => Some(Verified {
                at: at(&t)?,
                by,
                method,
            }),
            _ => None,
        };
        let months: i64 = row.try_get("extension_months").unwrap_or(0);
        let extension = match (
            months,
            opt("extension_reason"),
            opt("extended_at"),
            opt("extended_by"),
        ) {
            (m, Some(reason), Some(t), Some(by)) if m > 0 => Some(Extension {
                months: u32::try_from(m).map_err(|_| bad("extension_months"))?,
                reason,
                at: at(&t)?,
                by,
            }),
            _ => None,
        };
        let closed = match (opt("closed_at"), opt("closed_by"), opt("outcome")) {
            (Some(t), Some(by), Some(o)) => Some(Closed {
                at: at(&t)?,
                by,
                outcome: o.parse().map_err(|_| bad("outcome"))?,
                reason: opt("close_reason"),
            }),
            _ => None,
        };
        let exports = exports
            .iter()
            .map(|e| {
                Ok(ExportRecord {
                    at: at(&e
                        .try_get::<String, _>("at")
                        .map_err(|_| bad("export time"))?)?,
                    by: e.try_get("by").map_err(|_| bad("export by"))?,
                    file_name: e.try_get("file_name").map_err(|_| bad("export file"))?,
                    sha256: e.try_get("sha256").map_err(|_| bad("export sha256"))?,
                    complete: e.try_get("complete").map_err(|_| bad("export complete"))?,
                    sources: serde_json::from_str(
                        &e.try_get::<String, _>("sources")
                            .map_err(|_| bad("export sources"))?,
                    )
                    .map_err(|_| bad("export sources"))?,
                    records: usize::try_from(
                        e.try_get::<i64, _>("records")
                            .map_err(|_| bad("export records"))?,
                    )
                    .unwrap_or(0),
                })
            })
            .collect::<Result<Vec<_>, RequestsError>>()?;
        Ok(Request {
            id: request_id(seq),
            kind: text("kind")?.parse().map_err(|_| bad("kind"))?,
            subject,
            channel: text("channel")?.parse().map_err(|_| bad("channel"))?,
            received: NaiveDate::from_str(&text("received")?).map_err(|_| bad("received"))?,
            opened_at: at(&text("opened_at")?)?,
            opened_by: text("opened_by")?,
            terms: serde_json::from_str(&text("terms")?).map_err(|_| bad("terms"))?,
            verified,
            extension,
            closed,
            exports,
        })
    }
}

fn require_open(request: &Request) -> Result<(), RequestsError> {
    match &request.closed {
        Some(c) => Err(RequestsError::Refused(Refused::Closed {
            id: request.id.clone(),
            on: c.at.date_naive(),
            outcome: c.outcome,
        })),
        None => Ok(()),
    }
}

fn store_error(path: &Path, what: &str, e: sqlx::Error) -> RequestsError {
    RequestsError::Store {
        path: path.to_path_buf(),
        message: format!("{what}: {e}; check that the file is a request store on a local disk and that you may write to it (`[requests] store` in connectors.toml)"),
    }
}

async fn tokio_sleep(d: Duration) {
    tokio::time::sleep(d).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ClockStart;

    fn config(dir: &Path, clock: ClockStart) -> RequestsConfig {
        RequestsConfig {
            store: dir.join("requests.sqlite"),
            audit: dir.join("requests.audit.jsonl"),
            terms: Terms {
                clock_starts: clock,
                ..Terms::default()
            },
        }
    }

    fn new(received: NaiveDate) -> NewRequest {
        NewRequest {
            kind: RequestKind::Access,
            subject: Identifier::new(IdentifierKind::Klantnummer, "001007").unwrap(),
            channel: Channel::Balie,
            received,
        }
    }

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
            .and_utc()
    }

    #[tokio::test]
    async fn the_life_cycle_is_stored_and_audited() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&config(dir.path(), ClockStart::Receipt))
            .await
            .unwrap();
        let received = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        let r = store
            .open_request(new(received), "a", at(2026, 2, 1))
            .await
            .unwrap();
        assert_eq!(r.id, "V-0001");
        assert_eq!(r.deadlines().answer, NaiveDate::from_ymd_opt(2026, 2, 28));
        assert_eq!(r.status(), "identity not verified");
        let r = store
            .verify("v-1", "b", "ID-kaart getoond", at(2026, 2, 2))
            .await
            .unwrap();
        assert_eq!(r.verified.as_ref().unwrap().by, "b");
        assert!(matches!(
            store.verify("V-0001", "b", "again", at(2026, 2, 2)).await,
            Err(RequestsError::Refused(_))
        ));
        // Delivered needs an export.
        assert!(matches!(
            store
                .close("V-0001", "b", Outcome::Delivered, None, at(2026, 2, 3))
                .await,
            Err(RequestsError::Refused(_))
        ));
        let r = store
            .extend("V-0001", "b", Some(1), "veel systemen", at(2026, 2, 27))
            .await
            .unwrap();
        assert_eq!(r.deadlines().answer, NaiveDate::from_ymd_opt(2026, 3, 28));
        assert!(store
            .extend("V-0001", "b", Some(2), "meer", at(2026, 2, 27))
            .await
            .is_err());
        store
            .record_export(
                "V-0001",
                ExportRecord {
                    at: at(2026, 3, 1),
                    by: "c".into(),
                    file_name: "V-0001.zip".into(),
                    sha256: "ab".repeat(32),
                    complete: true,
                    sources: vec![("erp".into(), "ok".into())],
                    records: 30,
                },
            )
            .await
            .unwrap();
        let r = store
            .close("V-0001", "b", Outcome::Delivered, None, at(2026, 3, 2))
            .await
            .unwrap();
        assert_eq!(r.status(), "closed: delivered");
        assert_eq!(r.exports[0].sources, vec![("erp".into(), "ok".into())]);
        assert_eq!(store.list().await.unwrap(), vec![r]);
        assert!(matches!(
            store.get("V-0002").await,
            Err(RequestsError::NotFound(_))
        ));
        let v = crate::audit::verify(store.audit().path()).unwrap();
        assert_eq!((v.entries, v.broken), (5, None));
    }

    #[tokio::test]
    async fn under_the_verification_rule_the_clock_waits() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&config(dir.path(), ClockStart::Verification))
            .await
            .unwrap();
        let received = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let r = store
            .open_request(new(received), "a", at(2026, 3, 1))
            .await
            .unwrap();
        assert_eq!(r.deadlines().answer, None);
        assert!(matches!(
            store.extend(&r.id, "a", None, "x", at(2026, 3, 2)).await,
            Err(RequestsError::Refused(_))
        ));
        let r = store
            .verify(&r.id, "b", "Paspoort getoond", at(2026, 3, 10))
            .await
            .unwrap();
        assert_eq!(r.deadlines().start, NaiveDate::from_ymd_opt(2026, 3, 10));
        assert_eq!(r.deadlines().answer, NaiveDate::from_ymd_opt(2026, 4, 7));
        // The terms stay those of the opening, whatever the config says later.
        let later = Store::open(&config(dir.path(), ClockStart::Receipt))
            .await
            .unwrap();
        let r = later.get(&r.id).await.unwrap();
        assert_eq!(r.terms.clock_starts, ClockStart::Verification);
        assert!(parse_request_id("X-1").is_err());
    }
}
