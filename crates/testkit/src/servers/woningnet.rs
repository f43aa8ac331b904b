//! The test WoningNet REST API (`X-Api-Key` header):
//!
//! - `GET /api/v1/status`: `{"status": "ok"}`;
//! - `GET /api/v1/<collection>/<id>`: one record by its first field
//!   (`/inschrijvingen/469095494`), 404 when there is none;
//! - `GET /api/v1/<collection>?<field>=<value>&page=1&limit=20`:
//!   `{"data": [...], "page", "limit", "total", "next_cursor"}` and a
//!   `Link: <...>; rel="next"` header while there are more; `cursor=<c>`
//!   instead of `page` continues from a `next_cursor`. `limit` defaults to
//!   the page-size knob and is capped at 100. Unknown fields are 400.

use std::io;
use std::path::Path;
use std::sync::Arc;

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{Map, Value};

use super::{comparable, encode, error, AuthStyle, Knobs, RunningServer, Shared};

/// Starts WoningNet on 127.0.0.1 (random port) serving `data_dir/*.json`.
/// Its URL ends in `/api/v1`; its secret is the API key.
pub async fn start_woningnet(data_dir: &Path, knobs: Knobs) -> io::Result<RunningServer> {
    super::spawn(data_dir, knobs, AuthStyle::ApiKey, "/api/v1", |shared| {
        Router::new()
            .route("/api/v1/status", get(status))
            .route("/api/v1/{collection}", get(list))
            .route("/api/v1/{collection}/{id}", get(one))
            .with_state(shared)
    })
    .await
}

async fn status() -> Response {
    axum::Json(serde_json::json!({"status": "ok", "service": "woningnet-test"})).into_response()
}

async fn one(
    State(s): State<Arc<Shared>>,
    UrlPath((collection, id)): UrlPath<(String, String)>,
) -> Response {
    let Some(rows) = s.data.get(&collection) else {
        return error(StatusCode::NOT_FOUND, format!("no collection {collection}"));
    };
    let Some(key) = s.lookup.properties(&collection).first() else {
        return error(StatusCode::NOT_FOUND, "not found");
    };
    let candidates = s
        .lookup
        .candidates(&s.data, &collection, key, &id)
        .unwrap_or_default();
    match candidates
        .iter()
        .map(|&i| &rows[i as usize])
        .find(|r| r.get(key).and_then(comparable).as_deref() == Some(id.as_str()))
    {
        Some(row) => axum::Json(Value::Object(row.clone())).into_response(),
        None => error(StatusCode::NOT_FOUND, "not found"),
    }
}

async fn list(
    State(s): State<Arc<Shared>>,
    UrlPath(collection): UrlPath<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let Some(rows) = s.data.get(&collection) else {
        return error(StatusCode::NOT_FOUND, format!("no collection {collection}"));
    };
    let props = s.lookup.properties(&collection);
    let mut page = 1usize;
    let mut limit = s.knobs.page_size.max(1);
    let mut cursor: Option<usize> = None;
    let mut filters: Vec<(String, String)> = Vec::new();
    for (key, value) in &query {
        let number = || value.parse::<usize>().ok().filter(|n| *n > 0);
        match key.as_str() {
            "page" => match number() {
                Some(n) => page = n,
                None => return error(StatusCode::BAD_REQUEST, "page must be 1 or more"),
            },
            "limit" => match number() {
                Some(n) => limit = n.min(100),
                None => return error(StatusCode::BAD_REQUEST, "limit must be 1 or more"),
            },
            "cursor" => match value.strip_prefix('o').and_then(|n| n.parse().ok()) {
                Some(n) => cursor = Some(n),
                None => return error(StatusCode::BAD_REQUEST, "invalid cursor"),
            },
            field if props.iter().any(|p| p == field) => filters.push((key.clone(), value.clone())),
            other => {
                return error(
                    StatusCode::BAD_REQUEST,
                    format!("unknown query parameter {other}"),
                )
            }
        }
    }
    // the index narrows the rows to those with the first filter's value;
    // the comparison below decides, as it does without the index
    let narrowed = filters.first().and_then(|(field, value)| {
        s.lookup
            .candidates(&s.data, &collection, field, value)
            .map(<[u32]>::to_vec)
    });
    let candidates: Box<dyn Iterator<Item = &Map<String, Value>>> = match &narrowed {
        Some(numbers) => Box::new(numbers.iter().map(|&i| &rows[i as usize])),
        None => Box::new(rows.iter()),
    };
    let matching: Vec<&Map<String, Value>> = candidates
        .filter(|row| {
            filters.iter().all(|(field, value)| {
                row.get(field).and_then(comparable).as_deref() == Some(value.as_str())
            })
        })
        .collect();
    let start = cursor.unwrap_or((page - 1) * limit).min(matching.len());
    let end = (start + limit).min(matching.len());
    let data: Vec<Value> = matching[start..end]
        .iter()
        .map(|r| Value::Object((*r).clone()))
        .collect();
    let more = end < matching.len();
    let body = serde_json::json!({
        "data": data,
        "page": page,
        "limit": limit,
        "total": matching.len(),
        "next_cursor": if more { Value::String(format!("o{end}")) } else { Value::Null },
    });
    let mut resp = axum::Json(body).into_response();
    if more {
        let mut next = format!("{}/{collection}?", s.base_url);
        for (field, value) in &filters {
            next.push_str(&format!("{}={}&", encode(field), encode(value)));
        }
        next.push_str(&format!("page={}&limit={limit}", page + 1));
        if cursor.is_none() {
            if let Ok(v) = HeaderValue::from_str(&format!("<{next}>; rel=\"next\"")) {
                resp.headers_mut().insert(header::LINK, v);
            }
        }
    }
    resp
}
