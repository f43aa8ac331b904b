//! Deliver a portability bundle to
//! the receiving landlord (GDPR art. 20(2), direct transmission) and writes
//! `FILE.zip.receipt.json` beside it on success.
//!
//! The bundle is verified first and sent only when sound, only to the
//! receiver it was made for (`--to` at export). It is POSTed as
//! `application/zip` with `Authorization: Bearer <token>`,
//! `X-Inzage-Sha256` (the SHA-256 of the exact bytes sent) and an
//! `Idempotency-Key` of the same value, over https (plain http only to
//! loopback), without following redirects; 5xx, 429 and timeouts are retried
//! with backoff within the receiver's time limit.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Utc;
use inzage_connectors::http::client::{check_scheme, is_loopback};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::error::{AppError, Problem};

/// What to deliver, and to whom.
#[derive(Clone, Debug)]
pub struct DeliverInput {
    /// The portability bundle (.zip).
    pub bundle: PathBuf,
    /// The receiving landlord: an id from `[receivers.*]`.
    pub to: String,
    /// Send again although a receipt exists.
    pub force: bool,
    /// The passphrase of an encrypted bundle.
    pub passphrase: Option<String>,
}

/// A delivered bundle.
#[derive(Clone, Debug)]
pub struct Delivered {
    /// The receiver's label.
    pub label: String,
    /// The receiver's HTTP status.
    pub http_status: u16,
    /// The receiver's reference for the bundle.
    pub reference: String,
    /// The receipt written beside the bundle.
    pub receipt: PathBuf,
}

/// Where the receipt of a bundle is written.
pub fn receipt_path(bundle: &Path) -> PathBuf {
    let mut name = bundle.as_os_str().to_owned();
    name.push(".receipt.json");
    PathBuf::from(name)
}

/// Sends the bundle and writes the receipt, or fails without one.
pub async fn deliver(config_path: &Path, args: DeliverInput) -> Result<Delivered, AppError> {
    let receiver = crate::receivers::find(config_path, &args.to)?;
    let shown = args.bundle.display().to_string();
    let receipt = receipt_path(&args.bundle);
    if receipt.exists() && !args.force {
        return Err(AppError::invalid(Problem::DeliveredBefore {
            receipt,
            bundle: shown,
        }));
    }
    let report = inzage_bundle::verify::verify(&args.bundle, args.passphrase.as_deref())
        .map_err(|e| AppError::config(crate::error::chain(&e)))?;
    if !report.ok() {
        return Err(AppError::invalid(Problem::BundleDoesNotVerify {
            bundle: shown,
            problems: report.problems.iter().map(|p| p.to_string()).collect(),
        }));
    }
    if report.kind.as_deref() != Some("portability") {
        return Err(AppError::invalid(Problem::NotPortability {
            bundle: shown,
            kind: report.kind.clone().unwrap_or_else(|| "unknown".into()),
        }));
    }
    if let Some(id) = &report.receiver {
        if id != &args.to {
            return Err(AppError::invalid(Problem::OtherReceiver {
                bundle: shown,
                made_for: id.clone(),
                asked: args.to.clone(),
            }));
        }
    }
    let url_text = inzage_connectors::secrets::expand_env(&receiver.url)
        .map_err(|e| AppError::config(format!("receiver `{}`: url: {e}", args.to)))?;
    let url = url::Url::parse(&url_text).map_err(|e| {
        AppError::config(format!(
            "receiver `{}`: url is not a URL ({e}); fix [receivers.{}] url",
            args.to, args.to
        ))
    })?;
    check_scheme(&url, false)
        .map_err(|e| AppError::config(format!("receiver `{}`: {e}", args.to)))?;
    let token = match &receiver.token {
        Some(t) => Some(
            inzage_connectors::secrets::expand_env(t)
                .map_err(|e| AppError::config(format!("receiver `{}`: token: {e}", args.to)))?,
        ),
        None => None,
    };
    let body = std::fs::read(&args.bundle)
        .map_err(|e| AppError::failed(format!("cannot read {shown}: {e}")))?;
    let sha256 = hex::encode(Sha256::digest(&body));
    let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    if is_loopback(&url) {
        builder = builder.no_proxy();
    }
    let client = builder
        .build()
        .map_err(|e| AppError::failed(format!("cannot set up the HTTP client: {e}")))?;
    let origin = url.origin().ascii_serialization();
    let limit = Duration::from_secs(receiver.timeout_secs);
    let started = Instant::now();
    let mut attempts = 0u32;
    let mut last = String::new();
    let (status, answer) = loop {
        let left = limit.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(failed(
                &args,
                &origin,
                attempts,
                format!(
                    "the time limit of {}s was reached ({last})",
                    receiver.timeout_secs
                ),
            ));
        }
        attempts += 1;
        let mut request = client
            .post(url.clone())
            .timeout(left)
            .header("Content-Type", "application/zip")
            .header("X-Inzage-Sha256", &sha256)
            .header("Idempotency-Key", &sha256)
            .body(body.clone());
        if let Some(t) = &token {
            request = request.bearer_auth(t);
        }
        let retry_after = match request.send().await {
            Ok(resp) => {
                let status = resp.status();
                let wait = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                let text = resp.text().await.unwrap_or_default();
                if status.is_success() {
                    break (status, text);
                }
                let retryable = status.is_server_error() || status.as_u16() == 429;
                last = format!("HTTP {}{}", status.as_u16(), short(&text));
                if status.is_redirection() {
                    return Err(failed(&args, &origin, attempts, format!(
                        "{last}: the receiver redirects, and a bundle is never sent on to another address; ask the receiver for its delivery URL and fix [receivers.{}] url",
                        args.to
                    )));
                }
                if !retryable {
                    let hint = if matches!(status.as_u16(), 401 | 403) {
                        format!(
                            "check the token in the variable named by [receivers.{}] token",
                            args.to
                        )
                    } else {
                        "ask the receiver why it refused the bundle".to_string()
                    };
                    return Err(failed(&args, &origin, attempts, format!("{last}; {hint}")));
                }
                wait
            }
            Err(e) if e.is_timeout() => {
                last = "no answer in time".to_string();
                None
            }
            Err(e) if e.is_connect() => {
                last = format!("cannot connect: {}", e.without_url());
                None
            }
            Err(e) => {
                return Err(failed(
                    &args,
                    &origin,
                    attempts,
                    e.without_url().to_string(),
                ));
            }
        };
        if attempts > receiver.retries {
            return Err(failed(
                &args,
                &origin,
                attempts,
                format!("{last}, also after {} retries", receiver.retries),
            ));
        }
        let backoff = retry_after
            .unwrap_or(Duration::from_millis(250 * 2u64.pow(attempts.min(6))))
            .min(limit.saturating_sub(started.elapsed()));
        tracing::info!(
            attempt = attempts,
            wait_ms = backoff.as_millis() as u64,
            "delivery retried"
        );
        tokio::time::sleep(backoff).await;
    };
    let parsed: serde_json::Value =
        serde_json::from_str(&answer).unwrap_or(serde_json::Value::Null);
    let reference = ["reference", "referentie", "id"]
        .iter()
        .find_map(|k| parsed[*k].as_str().map(str::to_string));
    let Some(reference) = reference else {
        return Err(failed(&args, &origin, attempts, format!(
            "HTTP {} but no reference in the answer (expected JSON with \"reference\"); ask the receiver whether it has the bundle before sending it again",
            status.as_u16()
        )));
    };
    let doc = json!({
        "bundle": args.bundle.file_name().map(|n| n.to_string_lossy().into_owned()),
        "receiver": { "id": args.to, "label": receiver.label, "url": origin },
        "delivered_at": Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "http_status": status.as_u16(),
        "sha256": sha256,
        "bytes": body.len(),
        "attempts": attempts,
        "reference": reference,
    });
    write_atomically(&receipt, &doc)?;
    Ok(Delivered {
        label: receiver.label,
        http_status: status.as_u16(),
        reference,
        receipt,
    })
}

fn short(text: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        String::new()
    } else {
        format!(": {}", t.chars().take(200).collect::<String>())
    }
}

fn failed(args: &DeliverInput, origin: &str, attempts: u32, what: String) -> AppError {
    AppError::NotDelivered {
        bundle: args.bundle.display().to_string(),
        to: args.to.clone(),
        origin: origin.to_string(),
        attempts,
        cause: what,
    }
}

fn write_atomically(path: &Path, doc: &serde_json::Value) -> Result<(), AppError> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |e: std::io::Error| {
        AppError::failed(format!(
            "the bundle WAS delivered, but the receipt {} cannot be written: {e}; note the reference from the line above",
            path.display()
        ))
    };
    let mut bytes = serde_json::to_vec_pretty(doc).map_err(|e| io(std::io::Error::other(e)))?;
    bytes.push(b'\n');
    let temp = tempfile::Builder::new()
        .prefix(".inzage-receipt-")
        .tempfile_in(&dir)
        .map_err(io)?;
    std::fs::write(temp.path(), &bytes).map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
