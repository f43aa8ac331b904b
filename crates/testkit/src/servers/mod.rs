//! Fixture test servers on 127.0.0.1: the CRM (OData v4 subset) and the
//! WoningNet REST API, serving the fixture JSON with knobs for the failures
//! a real system shows (latency, 5xx, 429 with Retry-After, a hang,
//! truncated or malformed JSON, a server that dies mid-export).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use inzage_testkit::servers::{start_crm, Knobs};
//! let crm = start_crm("fixtures/crm".as_ref(), Knobs::default()).await?;
//! // crm.url = "http://127.0.0.1:PORT/odata", crm.secret = the bearer token
//! # Ok(()) }
//! ```
//!
//! Every server stops when its [`RunningServer`] is dropped.

mod crm;
mod filter;
mod lookup;
mod receiver;
mod woningnet;

use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use tokio::sync::watch;
use tokio::task::JoinSet;

pub use crm::start_crm;
pub use filter::{parse_filter, Condition, FilterError};
pub use receiver::{start_receiver, Behaviour, Delivery, RunningReceiver};
pub use woningnet::start_woningnet;

/// Failure knobs of a test server. `Knobs::default()` is a healthy server.
#[derive(Clone, Debug)]
pub struct Knobs {
    /// Delay before every answer.
    pub latency: Duration,
    /// The first N requests get `500 Internal Server Error`.
    pub fail_first: u32,
    /// The first N requests (after the 500s) get `429 Too Many Requests`.
    pub throttle_first: u32,
    /// The `Retry-After` seconds sent with a 429.
    pub retry_after_secs: u64,
    /// Never answer (the connection stays open until the server stops).
    pub hang: bool,
    /// Answer data requests with JSON cut off halfway.
    pub truncate_json: bool,
    /// Answer data requests with JSON that has a syntax error halfway.
    pub malformed_json: bool,
    /// Answer N requests, then die: the listener closes, open connections
    /// are dropped without an answer (request N+1 never gets one).
    pub die_after: Option<u32>,
    /// Records per page: the OData server's page size (lowered further by
    /// `Prefer: odata.maxpagesize`), the REST server's default and largest
    /// `limit`.
    pub page_size: usize,
    /// The token / API key to demand; a fresh random one when `None`.
    pub secret: Option<String>,
    /// A fault in the body of every successful data answer.
    pub body_fault: Option<BodyFault>,
}

/// How a server can damage or disguise a successful JSON answer: the
/// fault matrix of the HTTP connectors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyFault {
    /// The JSON gzip-compressed, with `Content-Encoding: gzip`.
    Gzip,
    /// The JSON gzip-compressed, without saying so.
    GzipUnlabelled,
    /// A small gzip body (labelled) that inflates to this many bytes.
    GzipBomb(usize),
    /// A gzip body cut off halfway.
    GzipTruncated,
    /// An invalid UTF-8 byte (0xFF) inside the JSON halfway.
    InvalidUtf8,
    /// `text/html` instead of JSON (a login page).
    Html,
    /// `302 Found` to this URL instead of the answer.
    Redirect(String),
    /// The JSON padded with whitespace to this many bytes, sent without a
    /// Content-Length (chunked), so only counting can stop it.
    Oversized(usize),
    /// `[[[...]]]` nested this deep.
    DeepNesting(usize),
    /// Every string value gets a NUL, an ESC sequence and a C1 control.
    ControlCharacters,
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs {
            latency: Duration::ZERO,
            fail_first: 0,
            throttle_first: 0,
            retry_after_secs: 1,
            hang: false,
            truncate_json: false,
            malformed_json: false,
            die_after: None,
            page_size: 50,
            secret: None,
            body_fault: None,
        }
    }
}

/// A running test server; it stops when dropped.
pub struct RunningServer {
    /// Base URL of the service (`http://127.0.0.1:PORT/odata` for the CRM,
    /// `http://127.0.0.1:PORT/api/v1` for WoningNet).
    pub url: String,
    /// The bearer token (CRM) or API key (WoningNet) the server demands.
    pub secret: String,
    /// The address it listens on.
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningServer {
    /// Requests received so far (including refused ones).
    pub fn requests(&self) -> u32 {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Path and query of every request received, in order.
    pub fn request_log(&self) -> Vec<String> {
        self.shared.log.lock().expect("log lock").clone()
    }

    /// Stops the server now (dropping does the same).
    pub fn stop(&self) {
        let _ = self.shared.stop.send(true);
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.shared.stop.send(true);
        self.task.abort();
    }
}

/// How a server checks credentials.
#[derive(Clone, Copy, Debug)]
enum AuthStyle {
    /// `Authorization: Bearer <secret>`.
    Bearer,
    /// `X-Api-Key: <secret>`.
    ApiKey,
}

/// State shared by the middleware and the handlers.
struct Shared {
    knobs: Knobs,
    secret: String,
    auth: AuthStyle,
    base_url: String,
    requests: AtomicU32,
    fail_left: AtomicU32,
    throttle_left: AtomicU32,
    log: Mutex<Vec<String>>,
    stop: watch::Sender<bool>,
    /// Entity sets / collections: name -> records, in file order.
    data: BTreeMap<String, Vec<Map<String, Value>>>,
    /// Property names and value indexes of `data`.
    lookup: lookup::Lookup,
}

/// Reads every `*.json` array of objects in `dir`, by file stem.
fn load_data(dir: &Path) -> io::Result<BTreeMap<String, Vec<Map<String, Value>>>> {
    let mut data = BTreeMap::new();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let bytes = std::fs::read(&path)?;
        let rows: Vec<Map<String, Value>> = serde_json::from_slice(&bytes).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        })?;
        data.insert(stem.to_string(), rows);
    }
    if data.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{}: no *.json files to serve", dir.display()),
        ));
    }
    Ok(data)
}

/// A random secret: 32 hex digits.
fn random_secret() -> String {
    (0..32)
        .map(|_| char::from_digit(fastrand::u32(0..16), 16).expect("hex digit"))
        .collect()
}

/// Binds 127.0.0.1:0 and serves `app` until stopped or dead.
async fn spawn(
    data_dir: &Path,
    knobs: Knobs,
    auth: AuthStyle,
    base_path: &str,
    router: impl FnOnce(Arc<Shared>) -> axum::Router,
) -> io::Result<RunningServer> {
    let data = load_data(data_dir)?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let url = format!("http://{addr}{base_path}");
    let secret = knobs.secret.clone().unwrap_or_else(random_secret);
    let (stop, mut stopped) = watch::channel(false);
    let shared = Arc::new(Shared {
        fail_left: AtomicU32::new(knobs.fail_first),
        throttle_left: AtomicU32::new(knobs.throttle_first),
        knobs,
        secret: secret.clone(),
        auth,
        base_url: url.clone(),
        requests: AtomicU32::new(0),
        log: Mutex::new(Vec::new()),
        stop,
        lookup: lookup::Lookup::new(&data),
        data,
    });
    let app = router(shared.clone()).layer(axum::middleware::from_fn_with_state(
        shared.clone(),
        knobs_layer,
    ));
    let service = hyper_util::service::TowerToHyperService::new(app);
    let task = tokio::spawn(async move {
        // Connections live in this set: when the loop ends (stop or death)
        // the set is dropped and every open connection is cut.
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                _ = stopped.wait_for(|s| *s) => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let service = service.clone();
                    connections.spawn(async move {
                        let io = hyper_util::rt::TokioIo::new(stream);
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(io, service)
                            .await;
                    });
                }
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
    });
    Ok(RunningServer {
        url,
        secret,
        addr,
        shared,
        task,
    })
}

/// Applies the knobs, then authentication, around every handler.
async fn knobs_layer(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let n = s.requests.fetch_add(1, Ordering::SeqCst) + 1;
    let target = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    s.log.lock().expect("log lock").push(target);
    if let Some(max) = s.knobs.die_after {
        if n > max {
            let _ = s.stop.send(true);
            std::future::pending::<()>().await;
        }
    }
    if !s.knobs.latency.is_zero() {
        tokio::time::sleep(s.knobs.latency).await;
    }
    if s.knobs.hang {
        std::future::pending::<()>().await;
    }
    let take = |counter: &AtomicU32| {
        counter
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| v.checked_sub(1))
            .is_ok()
    };
    if take(&s.fail_left) {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error (test server knob)",
        )
            .into_response();
    }
    if take(&s.throttle_left) {
        let mut resp = (
            StatusCode::TOO_MANY_REQUESTS,
            "slow down (test server knob)",
        )
            .into_response();
        resp.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(s.knobs.retry_after_secs),
        );
        return resp;
    }
    if !authorised(&s, &req) {
        let (challenge, body) = match s.auth {
            AuthStyle::Bearer => (
                "Bearer",
                serde_json::json!({"error": {"code": "401", "message": "missing or invalid bearer token"}}),
            ),
            AuthStyle::ApiKey => (
                "ApiKey",
                serde_json::json!({"error": "missing or invalid X-Api-Key"}),
            ),
        };
        let mut resp = (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
        resp.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(challenge),
        );
        return resp;
    }
    let resp = next.run(req).await;
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    if is_json && resp.status().is_success() && (s.knobs.truncate_json || s.knobs.malformed_json) {
        let (mut parts, body) = resp.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let mangled = if s.knobs.truncate_json {
            bytes[..bytes.len() / 2].to_vec()
        } else {
            malform(&bytes)
        };
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::from(mangled));
    }
    match (&s.knobs.body_fault, is_json && resp.status().is_success()) {
        (Some(fault), true) => {
            let (parts, body) = resp.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            body_fault(fault, parts, &bytes)
        }
        _ => resp,
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("gzip in memory");
    enc.finish().expect("gzip in memory")
}

/// Applies a [`BodyFault`] to a successful JSON answer.
fn body_fault(fault: &BodyFault, mut parts: axum::http::response::Parts, bytes: &[u8]) -> Response {
    parts.headers.remove(header::CONTENT_LENGTH);
    let gzip_header = |parts: &mut axum::http::response::Parts| {
        parts
            .headers
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    };
    let body: Body = match fault {
        BodyFault::Gzip => {
            gzip_header(&mut parts);
            Body::from(gzip(bytes))
        }
        BodyFault::GzipUnlabelled => Body::from(gzip(bytes)),
        BodyFault::GzipBomb(size) => {
            gzip_header(&mut parts);
            let mut big = vec![b' '; *size];
            big[..bytes.len().min(*size)].copy_from_slice(&bytes[..bytes.len().min(*size)]);
            Body::from(gzip(&big))
        }
        BodyFault::GzipTruncated => {
            gzip_header(&mut parts);
            let g = gzip(bytes);
            Body::from(g[..g.len() / 2].to_vec())
        }
        BodyFault::InvalidUtf8 => {
            let mut out = bytes.to_vec();
            let at = out.len() / 2;
            out.insert(at, 0xff);
            Body::from(out)
        }
        BodyFault::Html => {
            parts.headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            Body::from("<html><body>Log in</body></html>")
        }
        BodyFault::Redirect(to) => {
            parts.status = StatusCode::FOUND;
            if let Ok(v) = HeaderValue::from_str(to) {
                parts.headers.insert(header::LOCATION, v);
            }
            Body::empty()
        }
        BodyFault::Oversized(size) => {
            let mut out = bytes.to_vec();
            out.resize((*size).max(bytes.len()), b' ');
            let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
                out.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
            Body::from_stream(futures_stream(chunks))
        }
        BodyFault::DeepNesting(depth) => {
            let mut out = "[".repeat(*depth);
            out.push_str(&"]".repeat(*depth));
            Body::from(out)
        }
        BodyFault::ControlCharacters => {
            let mut value: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
            poison(&mut value);
            Body::from(serde_json::to_vec(&value).unwrap_or_default())
        }
    };
    Response::from_parts(parts, body)
}

/// A stream of ready chunks (so the body goes out chunked).
fn futures_stream(
    chunks: Vec<Result<Vec<u8>, std::io::Error>>,
) -> impl futures::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures::stream::iter(chunks)
}

/// Puts control characters in every free-text string (one with a space)
/// of a JSON value; identifiers stay as they are, so records still match.
fn poison(value: &mut Value) {
    match value {
        Value::String(s) if s.contains(' ') => s.push_str("\u{0}\u{1b}[31m\u{85}"),
        Value::Array(items) => items.iter_mut().for_each(poison),
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if !k.starts_with('@') {
                    poison(v);
                }
            }
        }
        _ => {}
    }
}

/// Replaces the first `,"` after the middle by `;"`: a syntax error inside
/// the data.
fn malform(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let start = out.len() / 2;
    if let Some(i) = out[start..].windows(2).position(|w| w == b",\"") {
        out[start + i] = b';';
    } else {
        out.extend_from_slice(b"}}}");
    }
    out
}

fn authorised(s: &Shared, req: &Request) -> bool {
    let headers = req.headers();
    match s.auth {
        AuthStyle::Bearer => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|t| t == s.secret),
        AuthStyle::ApiKey => headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t == s.secret),
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A JSON error response.
fn error(status: StatusCode, message: impl Into<String>) -> Response {
    let body = serde_json::json!({"error": {"code": status.as_u16().to_string(), "message": message.into()}});
    (status, axum::Json(body)).into_response()
}

/// The text a record value is compared by: strings as they are, numbers and
/// booleans as JSON text; `None` for null, objects and arrays.
fn comparable(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Property names of a record set, in first-seen order.
fn properties(rows: &[Map<String, Value>]) -> Vec<String> {
    let mut seen = Vec::<String>::new();
    for row in rows {
        for key in row.keys() {
            if !seen.contains(key) {
                seen.push(key.clone());
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests;
