//! Preview and download: the report as the tenant will see it, the
//! download (final only after the review), and delivery of a portability
//! bundle to the configured receiver, with the receipt.

use std::io::Read;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Form;
use inzage_app::deliver::DeliverInput;
use inzage_app::export::Exported;
use inzage_bundle::BundleKind;
use minijinja::context;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{request_id, show_titled, Errors, PageError};
use crate::jobs::{self, Job};
use crate::session::Staff;
use crate::state::Shared;
use crate::texts::text;

/// Final: made with the review's decisions (or nothing to review), and no
/// item waits for a decision.
fn is_final(job: &Job, exported: &Exported) -> bool {
    (job.with_decisions || exported.review.is_empty()) && exported.pending == 0
}

fn file_name(exported: &Exported) -> String {
    exported
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

async fn render(
    shared: &Shared,
    staff: &Staff,
    id: &str,
    errors: Errors,
) -> Result<Response, PageError> {
    let Some((job, exported)) = jobs::written(shared, id) else {
        return super::no_bundle(shared, staff, id).await;
    };
    let receipt_path = inzage_app::deliver::receipt_path(&exported.path);
    let receipt: Option<serde_json::Value> = std::fs::read(&receipt_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let receipt = receipt.map(|r| {
        context! {
            label => r["receiver"]["label"].as_str().unwrap_or("").to_string(),
            http_status => r["http_status"].as_u64().unwrap_or(0),
            reference => r["reference"].as_str().unwrap_or("").to_string(),
        }
    });
    let title = format!("{} {}", text(staff.lang, "title_bundle"), id);
    show_titled(
        shared,
        staff,
        &format!("/requests/{id}/bundle"),
        "bundle.html",
        &title,
        context! {
            id => id,
            final => is_final(&job, &exported),
            file => file_name(&exported),
            portability => matches!(exported.kind, BundleKind::Portability),
            receiver => exported.receiver.as_ref().map(|r| format!("{} ({})", r.label, r.id)),
            receipt => receipt,
            preview => true,
            errors => errors,
        },
    )
}

/// `GET /requests/{id}/bundle`.
pub async fn page(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = request_id(&id)?;
    render(&shared, &staff, id, Errors::new()).await
}

/// `GET /requests/{id}/report`: the report inside the bundle (or, for a
/// portability bundle, its LEESMIJ.txt), with the report's own policy: its
/// styles, no scripts, shown only in this app's frame.
pub async fn report(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = request_id(&id)?;
    let (job, exported) = jobs::written(&shared, id).ok_or(PageError::NotFound)?;
    let (entry, content_type) = match exported.kind {
        BundleKind::Access => ("index.html", "text/html; charset=utf-8"),
        BundleKind::Portability => ("LEESMIJ.txt", "text/plain; charset=utf-8"),
    };
    let passphrase = job.input.passphrase.as_ref().map(|p| p.text.clone());
    let path = exported.path.clone();
    let body = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, String> {
        let file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
        let mut zip = zip::ZipArchive::new(file).map_err(|e| e.to_string())?;
        let mut f = match &passphrase {
            Some(p) => zip.by_name_decrypt(entry, p.as_bytes()),
            None => zip.by_name(entry),
        }
        .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        f.read_to_end(&mut out).map_err(|e| e.to_string())?;
        Ok(out)
    })
    .await
    .map_err(|e| super::fault(e.to_string(), staff.lang))?
    .map_err(|e| super::fault(format!("the bundle cannot be read: {e}"), staff.lang))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'",
            ),
            (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
        ],
        body,
    )
        .into_response())
}

/// `GET /requests/{id}/download`: the bundle, once final; in the audit trail.
pub async fn download(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = request_id(&id)?;
    let (job, exported) = jobs::written(&shared, id).ok_or(PageError::NotFound)?;
    if !is_final(&job, &exported) {
        return render(&shared, &staff, id, Errors::new()).await;
    }
    let bytes = tokio::fs::read(&exported.path)
        .await
        .map_err(|e| super::fault(format!("the bundle cannot be read: {e}"), staff.lang))?;
    let mut details = serde_json::Map::new();
    details.insert("sha256".into(), hex::encode(Sha256::digest(&bytes)).into());
    details.insert("file".into(), file_name(&exported).into());
    super::record(&shared, &staff, id, "bundle.download", details).await?;
    let disposition = format!("attachment; filename=\"{}\"", file_name(&exported));
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct DeliverForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /requests/{id}/deliver`: sends a final portability bundle to the
/// receiver it was made for.
pub async fn deliver(
    State(shared): State<Arc<Shared>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<DeliverForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&form.csrf)?;
    let id = request_id(&id)?;
    let (job, exported) = jobs::written(&shared, id).ok_or(PageError::NotFound)?;
    let Some(receiver) = exported
        .receiver
        .clone()
        .filter(|_| is_final(&job, &exported))
    else {
        return render(&shared, &staff, id, Errors::new()).await;
    };
    let input = DeliverInput {
        bundle: exported.path.clone(),
        to: receiver.id.clone(),
        force: false,
        passphrase: job.input.passphrase.as_ref().map(|p| p.text.clone()),
    };
    let mut errors = Errors::new();
    match crate::bridge::deliver(shared.config_path.clone(), input).await {
        Ok(delivered) => {
            let mut details = serde_json::Map::new();
            details.insert("receiver".into(), receiver.id.into());
            details.insert("reference".into(), delivered.reference.into());
            super::record(&shared, &staff, id, "bundle.deliver", details).await?;
        }
        Err(e) => {
            errors.insert("deliver", crate::problems::words(&e, staff.lang));
        }
    }
    render(&shared, &staff, id, errors).await
}
