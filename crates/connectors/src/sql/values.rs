//! Turning database rows into typed values: dates as dates, decimals as
//! exact text, NULL as null, blobs as size + SHA-256.

use chrono::{NaiveDate, NaiveDateTime};
use inzage_core::Value;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Column, Row, TypeInfo, ValueRef};

/// Column names of a row.
pub fn headers<R: Row>(row: &R) -> Vec<String> {
    row.columns().iter().map(|c| c.name().to_string()).collect()
}

/// A SQLite row. SQLite stores few types; the declared column type says
/// whether text is a date.
pub fn sqlite_row(row: &SqliteRow) -> Result<Vec<Value>, String> {
    (0..row.len())
        .map(|i| {
            let raw = row.try_get_raw(i).map_err(|e| e.to_string())?;
            if raw.is_null() {
                return Ok(Value::Null);
            }
            let storage = raw.type_info().name().to_ascii_uppercase();
            let declared = row.columns()[i].type_info().name().to_ascii_uppercase();
            let err = |e: sqlx::Error| format!("column `{}`: {e}", row.columns()[i].name());
            Ok(match storage.as_str() {
                "INTEGER" => {
                    let n: i64 = row.try_get_unchecked(i).map_err(err)?;
                    if declared == "BOOLEAN" {
                        Value::Bool(n != 0)
                    } else {
                        Value::Integer(n)
                    }
                }
                "REAL" => {
                    let f: f64 = row.try_get_unchecked(i).map_err(err)?;
                    if declared == "NUMERIC" {
                        Value::Decimal(format!("{f}"))
                    } else {
                        Value::Float(f)
                    }
                }
                "BLOB" => {
                    let bytes: Vec<u8> = row.try_get_unchecked(i).map_err(err)?;
                    Value::blob(&bytes)
                }
                _ => {
                    let text: String = row.try_get_unchecked(i).map_err(err)?;
                    typed_text(text, &declared)
                }
            })
        })
        .collect()
}

/// Text from a column declared as a date or timestamp becomes one.
fn typed_text(text: String, declared: &str) -> Value {
    match declared {
        "DATE" => NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(Value::Date)
            .unwrap_or(Value::Text(text)),
        "DATETIME" | "TIMESTAMP" => [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M:%S%.f",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&text, f).ok())
        .map(Value::DateTime)
        .unwrap_or(Value::Text(text)),
        _ => Value::Text(text),
    }
}

/// A PostgreSQL row, by column type.
pub fn pg_row(row: &PgRow) -> Result<Vec<Value>, String> {
    (0..row.len())
        .map(|i| {
            let column = &row.columns()[i];
            let raw = row.try_get_raw(i).map_err(|e| e.to_string())?;
            if raw.is_null() {
                return Ok(Value::Null);
            }
            let err = |e: sqlx::Error| format!("column `{}`: {e}", column.name());
            let type_name = column.type_info().name().to_ascii_uppercase();
            Ok(match type_name.as_str() {
                "INT2" => Value::Integer(i64::from(row.try_get::<i16, _>(i).map_err(err)?)),
                "INT4" => Value::Integer(i64::from(row.try_get::<i32, _>(i).map_err(err)?)),
                "INT8" => Value::Integer(row.try_get::<i64, _>(i).map_err(err)?),
                "FLOAT4" => Value::Float(f64::from(row.try_get::<f32, _>(i).map_err(err)?)),
                "FLOAT8" => Value::Float(row.try_get::<f64, _>(i).map_err(err)?),
                "NUMERIC" => Value::Decimal(
                    row.try_get::<rust_decimal::Decimal, _>(i)
                        .map_err(err)?
                        .to_string(),
                ),
                "BOOL" => Value::Bool(row.try_get(i).map_err(err)?),
                "DATE" => Value::Date(row.try_get(i).map_err(err)?),
                "TIMESTAMP" => Value::DateTime(row.try_get(i).map_err(err)?),
                "TIMESTAMPTZ" => Value::Instant(
                    row.try_get::<chrono::DateTime<chrono::Utc>, _>(i)
                        .map_err(err)?
                        .fixed_offset(),
                ),
                "BYTEA" => Value::blob(&row.try_get::<Vec<u8>, _>(i).map_err(err)?),
                "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" | "CHAR" => {
                    Value::Text(row.try_get(i).map_err(err)?)
                }
                other => {
                    return Err(format!(
                        "column `{}` has type {other}, which inzage does not read; cast it in the query (`{}::text`)",
                        column.name(),
                        column.name()
                    ))
                }
            })
        })
        .collect()
}
