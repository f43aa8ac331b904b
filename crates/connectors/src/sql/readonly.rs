//! `check`'s proof that a dataset query only reads: the database plans it
//! without running it (`EXPLAIN`), and inzage refuses a plan that would
//! write. On PostgreSQL the plan is made inside a READ ONLY transaction
//! that is rolled back; on SQLite on the read-only connection. No row is
//! read or changed either way.
//!
//! This is a check before any export runs; at run time the read-only
//! connection (SQLite) and the READ ONLY transaction (PostgreSQL) refuse a
//! write again.

use sqlx::Row;

use super::{Backend, QueryPlace, SqlConnector};
use inzage_core::SourceError;

/// SQLite bytecode that writes to a database file: a write cursor, a
/// change of the schema or its cookie, a vacuum. (`Insert` and `Delete`
/// also serve temporary tables for sorting, so they prove nothing.)
const SQLITE_WRITE_OPCODES: &[&str] = &[
    "OpenWrite",
    "CreateBtree",
    "Destroy",
    "Clear",
    "DropTable",
    "DropIndex",
    "DropTrigger",
    "ParseSchema",
    "SetCookie",
    "Vacuum",
    "IncrVacuum",
    "VUpdate",
    "VCreate",
    "VDestroy",
    "JournalMode",
];

/// PostgreSQL plan nodes that write or lock rows.
const POSTGRES_WRITE_NODES: &[&str] = &[
    "Insert on ",
    "Update on ",
    "Delete on ",
    "Merge on ",
    "LockRows",
];

impl SqlConnector {
    /// Plans `sql` without running it and fails when the plan writes.
    pub(super) async fn prove_read_only(
        &self,
        sql: &str,
        place: &QueryPlace<'_>,
    ) -> Result<(), SourceError> {
        let explain = format!("EXPLAIN {}", sql.trim().trim_end_matches(';'));
        let writes: Option<String> = match &self.backend {
            Backend::Sqlite(pool, _) => {
                let rows = sqlx::query(&explain)
                    .bind("")
                    .fetch_all(pool)
                    .await
                    .map_err(|e| self.db_error("the query cannot be planned", place, e))?;
                rows.iter().find_map(|row| {
                    let opcode: String = row.try_get("opcode").unwrap_or_default();
                    let p2: i64 = row.try_get("p2").unwrap_or_default();
                    let writes = SQLITE_WRITE_OPCODES.contains(&opcode.as_str())
                        || (opcode == "Transaction" && p2 != 0);
                    writes.then_some(opcode)
                })
            }
            Backend::Postgres(pool, _) => {
                let mut tx = self.read_only_transaction(pool, place).await?;
                let rows = sqlx::query(&explain)
                    .bind("")
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(|e| {
                        self.db_error(
                            "the query cannot be planned (only a SELECT, or WITH ... SELECT, can)",
                            place,
                            e,
                        )
                    })?;
                tx.rollback()
                    .await
                    .map_err(|e| self.db_error("rollback failed", place, e))?;
                rows.iter().find_map(|row| {
                    let line: String = row.try_get(0).unwrap_or_default();
                    let node = line.trim_start().trim_start_matches("->").trim_start();
                    POSTGRES_WRITE_NODES
                        .iter()
                        .find(|n| node.starts_with(**n))
                        .map(|n| n.trim().to_string())
                })
            }
        };
        match writes {
            None => Ok(()),
            Some(step) => Err(SourceError::Config(format!(
                "{}: the query would write to the database (its plan holds `{step}`); inzage only reads: make it one SELECT (a WITH may hold only SELECTs) in connectors.toml",
                place.shown(self)
            ))),
        }
    }
}
