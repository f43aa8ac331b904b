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
        // In pieces of whole statements: one raw_sql over a script of a
        // hundred megabytes slows down with its length (a corporation-size
        // estate took minutes per ten megabytes).
        for piece in statement_pieces(&script, 1 << 20) {
            sqlx::raw_sql(piece)
                .execute(&mut conn)
                .await
                .map_err(io::Error::other)?;
        }
        sqlx::raw_sql("VACUUM")
            .execute(&mut conn)
            .await
            .map_err(io::Error::other)?;
        conn.close().await.map_err(io::Error::other)
    })
}

/// The secondary indexes a corporation's ERP has on the columns its
/// queries select by (foreign keys, the e-mail address as matched): the
/// fixture estate is small enough without them; at corporation size a
/// query without them scans a table of a hundred thousand rows or more.
pub const CORPORATION_INDEXES: &str = "\
CREATE INDEX contactgegeven_klantnummer ON contactgegeven (klantnummer);
CREATE INDEX contactgegeven_waarde ON contactgegeven (lower(waarde));
CREATE INDEX relatie_adres_klantnummer ON relatie_adres (klantnummer);
CREATE INDEX relatierol_klantnummer ON relatierol (klantnummer);
CREATE INDEX relatierol_contractnummer ON relatierol (contractnummer);
CREATE INDEX huurbetaling_contractnummer ON huurbetaling (contractnummer);
CREATE INDEX inkomenstoets_klantnummer ON inkomenstoets (klantnummer);
CREATE INDEX onderhoudsverzoek_klantnummer ON onderhoudsverzoek (klantnummer);
";

/// Adds `ddl` to the SQL script at `sql` (so that PostgreSQL loads it too)
/// and runs it on the SQLite database at `db`.
pub fn add_to_erp(sql: &Path, db: &Path, ddl: &str) -> io::Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .append(true)
        .open(sql)?
        .write_all(format!("\n{ddl}").as_bytes())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let options = SqliteConnectOptions::new().filename(db);
        let mut conn = SqliteConnection::connect_with(&options)
            .await
            .map_err(io::Error::other)?;
        sqlx::raw_sql(ddl)
            .execute(&mut conn)
            .await
            .map_err(io::Error::other)?;
        conn.close().await.map_err(io::Error::other)
    })
}

/// Splits a SQL script into pieces of about `size` bytes that end where a
/// statement ends: after a `;` at the end of a line, outside any quoted
/// string (an even number of `'` before it; `''` inside a string keeps the
/// count even).
fn statement_pieces(script: &str, size: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut quotes = 0usize;
    let mut at = 0;
    for line in script.split_inclusive('\n') {
        quotes += line.bytes().filter(|b| *b == b'\'').count();
        at += line.len();
        if at - start >= size && quotes % 2 == 0 && line.trim_end().ends_with(';') {
            pieces.push(&script[start..at]);
            start = at;
        }
    }
    if start < script.len() {
        pieces.push(&script[start..]);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_end_with_statements_and_never_inside_a_string() {
        let script = "BEGIN;\nINSERT INTO t VALUES ('a;\nb', 'it''s');\nINSERT INTO t VALUES ('c');\nCOMMIT;\n";
        let pieces = statement_pieces(script, 1);
        assert_eq!(pieces.concat(), script);
        assert_eq!(
            pieces,
            [
                "BEGIN;\n",
                "INSERT INTO t VALUES ('a;\nb', 'it''s');\n",
                "INSERT INTO t VALUES ('c');\n",
                "COMMIT;\n"
            ]
        );
        assert_eq!(statement_pieces(script, 1 << 20), [script]);
    }
}
