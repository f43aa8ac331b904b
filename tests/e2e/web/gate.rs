//! A TCP gate on 127.0.0.1 in front of a test server, that a test opens
//! and closes: closed, it takes each connection and drops it unanswered
//! (and counts it); holding, it keeps each connection waiting until the
//! gate opens (so an export is slow exactly as long as the test wants, no
//! sleeping and hoping); open, it passes connections on to the server.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use inzage_testkit::servers::{start_crm, start_woningnet, Knobs, RunningServer};
use tokio::sync::watch;

use super::{serve_with, Running};
use crate::support::root;

/// What the gate does with a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Drop it unanswered.
    Closed,
    /// Keep it waiting until the gate opens.
    Holding,
    /// Pass it on.
    Open,
}

/// A gate in front of a server.
pub struct Gate {
    /// The server's URL through the gate.
    pub url: String,
    mode: watch::Sender<Mode>,
    dropped: Arc<AtomicU32>,
    held: Arc<AtomicU32>,
}

impl Gate {
    /// Starts a gate in `mode` in front of the server at `target` (its URL).
    pub async fn start(target: &str, mode: Mode) -> Gate {
        let parsed = reqwest::Url::parse(target).unwrap();
        let to = (
            parsed.host_str().unwrap().to_string(),
            parsed.port().unwrap(),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}{}", listener.local_addr().unwrap(), parsed.path());
        let (sender, modes) = watch::channel(mode);
        let dropped = Arc::new(AtomicU32::new(0));
        let held = Arc::new(AtomicU32::new(0));
        let (drops, holds) = (dropped.clone(), held.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let mut modes = modes.clone();
                let now = *modes.borrow();
                match now {
                    Mode::Closed => {
                        drops.fetch_add(1, Ordering::SeqCst);
                        drop(inbound);
                        continue;
                    }
                    Mode::Holding => {
                        holds.fetch_add(1, Ordering::SeqCst);
                    }
                    Mode::Open => {}
                }
                let to = to.clone();
                tokio::spawn(async move {
                    if modes.wait_for(|m| *m == Mode::Open).await.is_err() {
                        return;
                    }
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(to).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Gate {
            url,
            mode: sender,
            dropped,
            held,
        }
    }

    /// Changes what the gate does (opening it lets held connections through).
    pub fn set(&self, mode: Mode) {
        self.mode.send_replace(mode);
    }

    /// Connections dropped so far.
    pub fn dropped(&self) -> u32 {
        self.dropped.load(Ordering::SeqCst)
    }

    /// Connections held so far.
    pub fn held(&self) -> u32 {
        self.held.load(Ordering::SeqCst)
    }
}

/// The configuration text without the `[[fixture_server]]` block of `id`:
/// that source is then reached through the environment, as in a deployment.
pub fn without_fixture_server(text: &str, id: &str) -> String {
    let start = text
        .find(&format!("[[fixture_server]]\nid = \"{id}\""))
        .unwrap_or_else(|| panic!("the {id} fixture server block"));
    let end = start + text[start..].find("secret_variable").unwrap();
    let end = end + text[end..].find('\n').unwrap() + 1;
    format!("{}{}", &text[..start], &text[end..])
}

/// Which fixture test server stands behind the gate.
#[derive(Clone, Copy, Debug)]
pub enum Behind {
    /// The CRM (OData), reached through INZAGE_CRM_URL and CRM_TOKEN.
    Crm,
    /// WoningNet (REST), through INZAGE_WONINGNET_URL and WONINGNET_API_KEY.
    Woningnet,
}

/// A test server behind a gate in `mode`, and `inzage serve` on `config`
/// reaching it through the environment: the server, the gate, the app and
/// its login URL.
pub fn serve_behind_gate(
    runtime: &tokio::runtime::Runtime,
    behind: Behind,
    mode: Mode,
    config: &std::path::Path,
    work: &std::path::Path,
) -> (RunningServer, Gate, Running, String) {
    const SECRET: &str = "gated-test-secret";
    let knobs = Knobs {
        secret: Some(SECRET.into()),
        ..Knobs::default()
    };
    let fixtures = root().join("fixtures");
    let (server, url_var, secret_var) = match behind {
        Behind::Crm => (
            runtime.block_on(start_crm(&fixtures.join("crm"), knobs)),
            "INZAGE_CRM_URL",
            "CRM_TOKEN",
        ),
        Behind::Woningnet => (
            runtime.block_on(start_woningnet(&fixtures.join("woningnet"), knobs)),
            "INZAGE_WONINGNET_URL",
            "WONINGNET_API_KEY",
        ),
    };
    let server = server.unwrap();
    let gate = runtime.block_on(Gate::start(&server.url, mode));
    let (app, login) = serve_with(config, work, &[(url_var, &gate.url), (secret_var, SECRET)]);
    (server, gate, app, login)
}
