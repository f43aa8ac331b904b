//! The receiving landlord's test server (GDPR art. 20(2), direct
//! transmission): accepts a portability bundle POSTed as
//! `application/zip` with `Authorization: Bearer <token>` and
//! `X-Inzage-Sha256: <hex>`, checks that the SHA-256 of what arrived is the
//! one announced, and answers `201 {"reference": "ONT-0001"}`. Its
//! behaviour is one of [`Behaviour`]: accept, fail with 500 first, answer
//! too slowly, reject with a 4xx, or redirect.

use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// How the receiver answers.
#[derive(Clone, Debug)]
pub enum Behaviour {
    /// Accepts every sound delivery.
    Accept,
    /// Answers `500` to the first N deliveries, then accepts.
    FailFirst(u32),
    /// Waits this long before answering (past the sender's time limit).
    Slow(Duration),
    /// Rejects every delivery with this 4xx status.
    Reject(u16),
    /// Answers `307 Temporary Redirect` to this location (a sender must not follow).
    Redirect(String),
}

/// One delivery the receiver got.
#[derive(Clone, Debug)]
pub struct Delivery {
    /// SHA-256 of the body as received.
    pub sha256: String,
    /// The SHA-256 the sender announced.
    pub announced: Option<String>,
    /// Bytes received.
    pub bytes: usize,
    /// The reference given (none when refused).
    pub reference: Option<String>,
}

struct Shared {
    behaviour: Behaviour,
    token: String,
    attempts: AtomicU32,
    accepted: AtomicU32,
    deliveries: Mutex<Vec<Delivery>>,
}

/// A running receiver; it stops when dropped.
pub struct RunningReceiver {
    /// Where to POST (`http://127.0.0.1:PORT/overdracht`).
    pub url: String,
    /// The bearer token it demands.
    pub token: String,
    /// The address it listens on.
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningReceiver {
    /// Requests received so far, refused ones included.
    pub fn attempts(&self) -> u32 {
        self.shared.attempts.load(Ordering::SeqCst)
    }

    /// Every delivery that reached the handler, in order.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.deliveries.lock().expect("lock").clone()
    }
}

impl Drop for RunningReceiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a receiver on 127.0.0.1 (a free port) that demands `token`.
pub async fn start_receiver(behaviour: Behaviour, token: &str) -> io::Result<RunningReceiver> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared {
        behaviour,
        token: token.to_string(),
        attempts: AtomicU32::new(0),
        accepted: AtomicU32::new(0),
        deliveries: Mutex::new(Vec::new()),
    });
    let app = axum::Router::new()
        .route("/overdracht", axum::routing::post(receive))
        .with_state(shared.clone());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(RunningReceiver {
        url: format!("http://{addr}/overdracht"),
        token: token.to_string(),
        addr,
        shared,
        task,
    })
}

fn answer(status: StatusCode, body: serde_json::Value) -> Response {
    (status, axum::Json(body)).into_response()
}

async fn receive(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let n = s.attempts.fetch_add(1, Ordering::SeqCst) + 1;
    match &s.behaviour {
        Behaviour::FailFirst(k) if n <= *k => {
            return answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                serde_json::json!({"error": "internal error (test receiver)"}),
            )
        }
        Behaviour::Slow(wait) => tokio::time::sleep(*wait).await,
        Behaviour::Redirect(to) => {
            return (
                StatusCode::TEMPORARY_REDIRECT,
                [(header::LOCATION, to.clone())],
                "moved (test receiver)",
            )
                .into_response()
        }
        Behaviour::Reject(code) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::FORBIDDEN);
            return answer(
                status,
                serde_json::json!({"error": "this landlord does not accept the bundle (test receiver)"}),
            );
        }
        _ => {}
    }
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if bearer != Some(s.token.as_str()) {
        return answer(
            StatusCode::UNAUTHORIZED,
            serde_json::json!({"error": "missing or invalid bearer token"}),
        );
    }
    let sha256 = hex::encode(Sha256::digest(&body));
    let announced = headers
        .get("x-inzage-sha256")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let sound = announced.as_deref() == Some(sha256.as_str());
    let reference = sound.then(|| {
        let k = s.accepted.fetch_add(1, Ordering::SeqCst) + 1;
        format!("ONT-{k:04}")
    });
    s.deliveries.lock().expect("lock").push(Delivery {
        sha256: sha256.clone(),
        announced,
        bytes: body.len(),
        reference: reference.clone(),
    });
    match reference {
        Some(r) => answer(
            StatusCode::CREATED,
            serde_json::json!({"reference": r, "sha256": sha256}),
        ),
        None => answer(
            StatusCode::UNPROCESSABLE_ENTITY,
            serde_json::json!({"error": "the sha256 of what arrived is not the one in X-Inzage-Sha256"}),
        ),
    }
}
