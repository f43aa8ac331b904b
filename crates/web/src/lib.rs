//! `inzage serve`: the web app for privacy staff. Find the tenant, open and
//! track the request, run the export with live progress per source, review
//! the third-party items, preview, download or deliver the bundle. Every
//! action goes through `inzage-app`, the same code the CLI runs, and lands
//! in the same request store and audit trail, with the staff member's name.
//!
//! Security: server-rendered HTML from auto-escaping templates, a strict
//! Content-Security-Policy (one static script, for live progress only; the
//! pages work without it), a CSRF token on every form, `SameSite=Strict`
//! `HttpOnly` session cookies, no request or response bodies in the logs.
//! On 127.0.0.1 a one-time token printed at start logs in (as Jupyter
//! does); any other address needs a TLS certificate and staff accounts.

mod bridge;
mod jobs;
mod pages;
mod problems;
mod security;
mod session;
mod state;
mod texts;
mod tls;
mod view;
mod words;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub use state::Shared;

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The configuration (connectors.toml).
    pub config: PathBuf,
    /// Where to listen.
    pub bind: SocketAddr,
    /// TLS certificate chain (PEM), required off loopback.
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    pub tls_key: Option<PathBuf>,
    /// Where bundles, decisions and letters made in the app are kept.
    pub work_dir: PathBuf,
}

/// The server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Refused as configured (with what to do).
    #[error("{0}")]
    Refused(String),
    /// The configuration cannot be used.
    #[error("{0}")]
    Config(String),
    /// The address or the TLS files cannot be used.
    #[error("{0}")]
    Io(String),
}

/// A server that is listening.
pub struct Started {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// The login URL with the one-time token (loopback only).
    pub login_url: Option<String>,
    /// The server; completes when it stops.
    pub task: tokio::task::JoinHandle<()>,
}

/// Checks the options, binds, and starts serving in the background.
pub async fn start(options: ServeOptions) -> Result<Started, WebError> {
    let config =
        inzage_app::load_config(&options.config).map_err(|e| WebError::Config(e.to_string()))?;
    let loopback = options.bind.ip().is_loopback();
    let tls = match (&options.tls_cert, &options.tls_key) {
        (Some(cert), Some(key)) => Some(tls::acceptor(cert, key)?),
        (None, None) => None,
        _ => {
            return Err(WebError::Refused(
                "give both --tls-cert and --tls-key, or neither".into(),
            ))
        }
    };
    if !loopback {
        if tls.is_none() {
            return Err(WebError::Refused(format!(
                "refusing to serve on {} without TLS: off 127.0.0.1 the app needs --tls-cert and --tls-key (PEM), and staff accounts (`inzage staff add NAME`)",
                options.bind
            )));
        }
        let staff = inzage_app::staff::count(&options.config)
            .await
            .map_err(|e| WebError::Config(e.to_string()))?;
        if staff == 0 {
            return Err(WebError::Refused(format!(
                "refusing to serve on {}: there are no staff accounts, and the one-time token works on 127.0.0.1 only; add one with `inzage staff add NAME`",
                options.bind
            )));
        }
    }
    std::fs::create_dir_all(&options.work_dir).map_err(|e| {
        WebError::Io(format!(
            "cannot create the work folder {}: {e}",
            options.work_dir.display()
        ))
    })?;
    let token = if loopback {
        Some(session::random_token())
    } else {
        None
    };
    let shared = Arc::new(Shared::new(
        options.config.clone(),
        options.work_dir.clone(),
        &config.register.organisation,
        token.clone(),
        tls.is_some(),
    ));
    let app = pages::router(shared);
    let listener = tokio::net::TcpListener::bind(options.bind)
        .await
        .map_err(|e| WebError::Io(format!("cannot listen on {}: {e}", options.bind)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| WebError::Io(e.to_string()))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let login_url = token.map(|t| format!("{scheme}://{addr}/login?token={t}"));
    let task = match tls {
        None => tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "server stopped");
            }
        }),
        Some(acceptor) => tokio::spawn(async move {
            if let Err(e) = axum::serve(tls::TlsListener::new(listener, acceptor), app).await {
                tracing::error!(error = %e, "server stopped");
            }
        }),
    };
    tracing::info!(%addr, "web app listening");
    Ok(Started {
        addr,
        login_url,
        task,
    })
}
