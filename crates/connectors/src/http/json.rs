//! JSON answers: parsed with the JSON path of any error, the records found
//! at a configured path, and flattened into columns for the `TableMatcher`.

use inzage_core::{SourceError, Value};
use serde_json::{Map, Value as Json};

/// Parses a body; an error names the URL (as shown), the JSON path and
/// the line and column where the JSON broke.
pub fn parse(body: &[u8], shown: &str) -> Result<Json, SourceError> {
    if body.starts_with(&[0xff, 0xfe]) || body.starts_with(&[0xfe, 0xff]) {
        return Err(SourceError::Other(format!(
            "{shown}: the response is UTF-16 text (byte-order mark), but JSON over HTTP must be UTF-8; configure the system to answer in UTF-8"
        )));
    }
    if let Err(e) = std::str::from_utf8(body) {
        let at = e.valid_up_to();
        let line = body[..at].iter().filter(|b| **b == b'\n').count() + 1;
        return Err(SourceError::Other(format!(
            "{shown}: the response is not valid UTF-8 at byte offset {at} (line {line}); JSON must be UTF-8: check the system's export or a proxy that re-encodes"
        )));
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let parsed: Result<Json, _> = serde_path_to_error::deserialize(&mut de);
    let value = match parsed {
        Ok(v) => v,
        Err(e) => {
            // The path holds keys from the server: escaped and short.
            let path = crate::limits::excerpt(&json_path(&e.path().to_string()), 120);
            let inner = e.into_inner();
            let what = if inner.is_eof() {
                "the JSON ends early (the response was cut off)"
            } else if inner.to_string().contains("recursion limit") {
                "the JSON is nested deeper than 128 levels (nesting limit)"
            } else {
                "the response is not valid JSON"
            };
            return Err(SourceError::Other(format!(
                "{shown}: {what} at JSON path `{path}` (line {}, column {}); check the system or a proxy in between",
                inner.line(),
                inner.column()
            )));
        }
    };
    de.end().map_err(|e| {
        SourceError::Other(format!(
            "{shown}: unexpected text after the JSON document (line {}, column {})",
            e.line(),
            e.column()
        ))
    })?;
    Ok(value)
}

/// `value[3].notitie` as `$.value[3].notitie`; the root as `$`.
fn json_path(path: &str) -> String {
    match path {
        "" | "." => "$".to_string(),
        p if p.starts_with('[') => format!("${p}"),
        p => format!("$.{p}"),
    }
}

fn kind_of(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// The records at `data_path` (`value`, `data`, `result.items`; empty =
/// the body itself): an array of objects, or one object (one record).
pub fn records_at(
    body: Json,
    data_path: &str,
    shown: &str,
) -> Result<Vec<Map<String, Json>>, SourceError> {
    let mut here = body;
    let mut path = String::from("$");
    for segment in data_path.split('.').filter(|s| !s.is_empty()) {
        here = match here {
            Json::Object(mut map) => match map.remove(segment) {
                Some(v) => v,
                None => {
                    // Keys come from the server: short, escaped, and not all of them.
                    let mut present: Vec<String> =
                        map.keys().take(30).map(|k| crate::limits::excerpt(k, 60)).collect();
                    if map.len() > 30 {
                        present.push(format!("… {} more", map.len() - 30));
                    }
                    return Err(SourceError::Other(format!(
                        "{shown}: no `{}` at JSON path `{path}` (keys present: {}); check data_path in connectors.toml",
                        crate::limits::excerpt(segment, 60),
                        present.join(", ")
                    )));
                }
            },
            other => {
                return Err(SourceError::Other(format!(
                    "{shown}: expected an object at JSON path `{path}`, found {}; check data_path in connectors.toml",
                    kind_of(&other)
                )))
            }
        };
        path.push('.');
        path.push_str(segment);
    }
    match here {
        Json::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| match item {
                Json::Object(map) => Ok(map),
                other => Err(SourceError::Other(format!(
                    "{shown}: expected a record (object) at JSON path `{path}[{i}]`, found {}",
                    kind_of(&other)
                ))),
            })
            .collect(),
        Json::Object(map) => Ok(vec![map]),
        Json::Null => Ok(Vec::new()),
        other => Err(SourceError::Other(format!(
            "{shown}: expected records (an array or an object) at JSON path `{path}`, found {}; check data_path in connectors.toml",
            kind_of(&other)
        ))),
    }
}

/// One JSON value as a typed value.
fn scalar(v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::String(s) => Value::Text(s.clone()),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::Integer(i),
            (None, Some(f)) if n.is_f64() => Value::Float(f),
            _ => Value::Decimal(n.to_string()),
        },
        // A list of plain values is a list; one that holds objects or
        // lists stays its JSON text.
        Json::Array(items) if items.iter().all(|i| !i.is_array() && !i.is_object()) => {
            Value::List(items.iter().map(scalar).collect())
        }
        Json::Array(_) | Json::Object(_) => Value::Text(v.to_string()),
    }
}

fn walk(prefix: &str, value: &Json, out: &mut Vec<(String, Value)>) {
    match value {
        Json::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                walk(&format!("{prefix}.{k}"), v, out);
            }
        }
        Json::Object(_) => out.push((prefix.to_string(), Value::Null)),
        other => out.push((prefix.to_string(), scalar(other))),
    }
}

/// One record as (column, value): nested objects with dotted names
/// (`zoekprofiel.huishoudgrootte`), arrays of plain values as lists, other
/// arrays as their JSON text.
pub fn flatten(record: &Map<String, Json>) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (k, v) in record {
        walk(k, v, &mut out);
    }
    out
}

/// Records as a table: the columns are the union of the records' columns
/// in first-seen order; a column a record lacks is null.
pub fn table(records: &[Map<String, Json>]) -> (Vec<String>, Vec<Vec<Value>>) {
    let flat: Vec<Vec<(String, Value)>> = records.iter().map(flatten).collect();
    let mut headers: Vec<String> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for row in &flat {
        for (name, _) in row {
            if !index.contains_key(name) {
                index.insert(name.clone(), headers.len());
                headers.push(name.clone());
            }
        }
    }
    let rows = flat
        .into_iter()
        .map(|row| {
            let mut cells = vec![Value::Null; headers.len()];
            for (name, value) in row {
                cells[index[&name]] = value;
            }
            cells
        })
        .collect();
    (headers, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the `json_response` fuzz target: keys with control
    /// characters were listed raw in the message.
    #[test]
    fn keys_in_messages_are_escaped() {
        let body = parse(b"{\"a\\u0015b\": 1, \"c\\u007f\": 2}", "url").unwrap();
        let err = records_at(body, "value", "url").unwrap_err().to_string();
        assert!(
            err.contains("a\\u{15}b") && err.contains("c\\u{7f}"),
            "{err}"
        );
        assert!(!err.chars().any(char::is_control), "{err:?}");
        // And in the JSON path of a syntax error.
        let err = parse(b"{\"a\x7fb\": [1, }", "url").unwrap_err().to_string();
        assert!(err.contains("a\\u{7f}b"), "{err}");
    }

    #[test]
    fn nested_objects_flatten_with_dots_and_arrays_become_lists() {
        let body: Json = serde_json::from_str(
            r#"{"data": [{"nr": "1", "n": 2, "f": 1.5, "b": true, "x": null,
               "zoekprofiel": {"huishoudgrootte": 2, "wijken": ["A", "B"]}},
              {"nr": "2", "extra": "e"}]}"#,
        )
        .unwrap();
        let records = records_at(body, "data", "u").unwrap();
        let (headers, rows) = table(&records);
        assert_eq!(
            headers,
            [
                "nr",
                "n",
                "f",
                "b",
                "x",
                "zoekprofiel.huishoudgrootte",
                "zoekprofiel.wijken",
                "extra"
            ]
        );
        assert_eq!(rows[0][1], Value::Integer(2));
        assert_eq!(rows[0][2], Value::Float(1.5));
        assert_eq!(rows[0][3], Value::Bool(true));
        assert_eq!(
            rows[0][6],
            Value::List(vec![Value::Text("A".into()), Value::Text("B".into())])
        );
        assert_eq!(rows[1][7], Value::Text("e".into()));
        assert_eq!(rows[1][5], Value::Null);
    }

    #[test]
    fn one_object_is_one_record_and_shapes_are_named() {
        let one = records_at(serde_json::json!({"a": 1}), "", "u").unwrap();
        assert_eq!(one.len(), 1);
        let err = records_at(serde_json::json!({"items": []}), "data", "http://h/x")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("http://h/x") && err.contains("`data`") && err.contains("items"),
            "{err}"
        );
        let err = records_at(serde_json::json!({"value": [{"a": 1}, 3]}), "value", "u")
            .unwrap_err()
            .to_string();
        assert!(err.contains("$.value[1]"), "{err}");
    }

    #[test]
    fn broken_json_names_the_path() {
        let err = parse(br#"{"value": [{"a": 1}, {"b": "x"#, "http://h/set")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("http://h/set") && err.contains("$.value[1].b") && err.contains("cut off"),
            "{err}"
        );
        let err = parse(br#"{"value": [{"a": 1; "b": 2}]}"#, "u")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("not valid JSON") && err.contains("$.value[0]"),
            "{err}"
        );
    }
}
