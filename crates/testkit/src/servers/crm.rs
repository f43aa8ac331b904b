//! The test CRM: an OData v4 subset as Dynamics-style CRMs speak it.
//!
//! - `GET /odata/$metadata`: CSDL XML with one entity set per fixture file;
//! - `GET /odata/<set>?$filter=..&$select=..&$top=..`: `{"value": [...]}`
//!   with `@odata.nextLink` (`$skiptoken`) when there are more pages;
//!   the page size is the knob, lowered by `Prefer: odata.maxpagesize=N`;
//! - bearer token; an unknown query option, property or `$filter` form is 400.
//!
//! String equality ignores case, as Dynamics' default collation does.

use std::io;
use std::path::Path;
use std::sync::Arc;

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{Map, Value};

use super::{comparable, encode, error, parse_filter, AuthStyle, Knobs, RunningServer, Shared};

/// Starts the CRM on 127.0.0.1 (random port) serving `data_dir/*.json`.
/// Its URL ends in `/odata`; its secret is the bearer token.
pub async fn start_crm(data_dir: &Path, knobs: Knobs) -> io::Result<RunningServer> {
    super::spawn(data_dir, knobs, AuthStyle::Bearer, "/odata", |shared| {
        Router::new()
            .route("/odata", get(service_document))
            .route("/odata/", get(service_document))
            .route("/odata/{name}", get(entity_set))
            .with_state(shared)
    })
    .await
}

async fn service_document(State(s): State<Arc<Shared>>) -> Response {
    let sets: Vec<Value> = s
        .data
        .keys()
        .map(|name| serde_json::json!({"name": name, "kind": "EntitySet", "url": name}))
        .collect();
    axum::Json(serde_json::json!({
        "@odata.context": format!("{}/$metadata", s.base_url),
        "value": sets,
    }))
    .into_response()
}

async fn entity_set(
    State(s): State<Arc<Shared>>,
    UrlPath(name): UrlPath<String>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    if name == "$metadata" {
        return metadata(&s);
    }
    let Some(rows) = s.data.get(&name) else {
        return error(
            StatusCode::NOT_FOUND,
            format!("Resource not found for the segment '{name}'"),
        );
    };
    let props = s.lookup.properties(&name);
    let mut filter = None;
    let mut select: Option<Vec<String>> = None;
    let mut top: Option<usize> = None;
    let mut skip = 0usize;
    for (key, value) in &query {
        match key.as_str() {
            "$filter" => match parse_filter(value) {
                Ok(c) => filter = Some(c),
                Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
            },
            "$select" => {
                let fields: Vec<String> = value.split(',').map(|f| f.trim().to_string()).collect();
                if let Some(bad) = fields.iter().find(|f| !props.contains(f)) {
                    return error(
                        StatusCode::BAD_REQUEST,
                        format!("Could not find a property named '{bad}' on type '{name}'"),
                    );
                }
                select = Some(fields);
            }
            "$top" => match value.parse() {
                Ok(n) => top = Some(n),
                Err(_) => return error(StatusCode::BAD_REQUEST, "$top must be a whole number"),
            },
            "$skiptoken" => match value.parse() {
                Ok(n) => skip = n,
                Err(_) => return error(StatusCode::BAD_REQUEST, "invalid $skiptoken"),
            },
            other => {
                return error(
                    StatusCode::BAD_REQUEST,
                    format!("the query option '{other}' is not supported"),
                )
            }
        }
    }
    if let Some(conditions) = &filter {
        if let Some(bad) = conditions.iter().find(|c| !props.contains(&c.field)) {
            return error(
                StatusCode::BAD_REQUEST,
                format!(
                    "Could not find a property named '{}' on type '{name}'",
                    bad.field
                ),
            );
        }
    }
    // the index narrows the rows to those with one of the values; the
    // comparison below decides, as it does without the index
    let narrowed = filter.as_ref().and_then(|conditions| {
        s.lookup.any_of(
            &s.data,
            &name,
            conditions
                .iter()
                .map(|c| (c.field.as_str(), c.value.as_str())),
        )
    });
    let candidates: Box<dyn Iterator<Item = &Map<String, Value>>> = match &narrowed {
        Some(numbers) => Box::new(numbers.iter().map(|&i| &rows[i as usize])),
        None => Box::new(rows.iter()),
    };
    let matching: Vec<&Map<String, Value>> = candidates
        .filter(|row| match &filter {
            None => true,
            Some(conditions) => conditions.iter().any(|c| {
                row.get(&c.field)
                    .and_then(comparable)
                    .is_some_and(|v| v.to_lowercase() == c.value.to_lowercase())
            }),
        })
        .collect();
    let total = top.map_or(matching.len(), |t| t.min(matching.len()));
    let max_page = headers
        .get("prefer")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .find_map(|p| p.trim().strip_prefix("odata.maxpagesize="))
                .and_then(|n| n.trim().parse::<usize>().ok())
        });
    let page_size = max_page
        .map_or(s.knobs.page_size, |m| m.min(s.knobs.page_size))
        .max(1);
    let end = (skip + page_size).min(total);
    let page: Vec<Value> = matching
        .get(skip.min(total)..end)
        .unwrap_or_default()
        .iter()
        .map(|row| match &select {
            None => Value::Object((*row).clone()),
            Some(fields) => Value::Object(
                row.iter()
                    .filter(|(k, _)| fields.contains(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
        })
        .collect();
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        Value::String(format!("{}/$metadata#{name}", s.base_url)),
    );
    body.insert("value".into(), Value::Array(page));
    if end < total {
        let mut next = format!("{}/{name}?", s.base_url);
        for (key, value) in &query {
            if key != "$skiptoken" {
                next.push_str(&format!("{}={}&", encode(key), encode(value)));
            }
        }
        next.push_str(&format!("%24skiptoken={end}"));
        body.insert("@odata.nextLink".into(), Value::String(next));
    }
    let mut resp = axum::Json(Value::Object(body)).into_response();
    resp.headers_mut()
        .insert("OData-Version", HeaderValue::from_static("4.0"));
    if let Some(m) = max_page {
        if let Ok(v) = HeaderValue::from_str(&format!("odata.maxpagesize={m}")) {
            resp.headers_mut().insert("Preference-Applied", v);
        }
    }
    resp
}

/// A small CSDL document: one entity type and set per fixture file, every
/// property a nullable `Edm.String` (numbers `Edm.Decimal`), the first
/// property the key.
fn metadata(s: &Shared) -> Response {
    let mut types = String::new();
    let mut sets = String::new();
    for (name, rows) in &s.data {
        let props = s.lookup.properties(name);
        types.push_str(&format!("      <EntityType Name=\"{name}_type\">\n"));
        if let Some(key) = props.first() {
            types.push_str(&format!(
                "        <Key><PropertyRef Name=\"{key}\"/></Key>\n"
            ));
        }
        for p in props {
            let numeric = rows.iter().any(|r| r.get(p).is_some_and(Value::is_number));
            let ty = if numeric { "Edm.Decimal" } else { "Edm.String" };
            types.push_str(&format!("        <Property Name=\"{p}\" Type=\"{ty}\"/>\n"));
        }
        types.push_str("      </EntityType>\n");
        sets.push_str(&format!(
            "        <EntitySet Name=\"{name}\" EntityType=\"Inzage.Crm.{name}_type\"/>\n"
        ));
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n\
  <edmx:DataServices>\n\
    <Schema Namespace=\"Inzage.Crm\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n\
{types}      <EntityContainer Name=\"Crm\">\n\
{sets}      </EntityContainer>\n\
    </Schema>\n\
  </edmx:DataServices>\n\
</edmx:Edmx>\n"
    );
    let mut resp = (StatusCode::OK, xml).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    resp
}
