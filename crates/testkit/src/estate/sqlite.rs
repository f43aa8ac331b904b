//! The ERP as a SQLite file, loaded from the portable `erp.sql`.

use std::io;
use std::path::Path;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

/// Creates (or replaces) a SQLite database at `db` from the SQL script at `sql`.
pub fn load_sql_into_sqlite(sql: &Path, db: &Path) -> io::Result<()> {
    let script = std::fs::read_to_string(sql)?;
    match std::fs::remove_file(db) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let options = SqliteConnectOptions::new()
            .filename(db)
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Delete);
        let mut conn = SqliteConnection::connect_with(&options)
            .await
            .map_err(io::Error::other)?;
        sqlx::raw_sql(&script)
            .execute(&mut conn)
            .await
            .map_err(io::Error::other)?;
        sqlx::raw_sql("VACUUM")
            .execute(&mut conn)
            .await
            .map_err(io::Error::other)?;
        conn.close().await.map_err(io::Error::other)
    })
}
