//! A source that cannot be reached, in the browser: the export page shows
//! the failure with its reason and what to do, "try again" runs the export
//! again, a partial bundle needs the explicit tick, and once the source is
//! back the retry makes a complete bundle.
//!
//! WoningNet stands behind a gate on 127.0.0.1 that the test opens and
//! closes: closed, it takes each connection and drops it unanswered (and
//! counts it, so that a retry is seen to reach the source); open, it
//! passes the connection on to a real WoningNet test server.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;

use inzage_testkit::servers::{start_woningnet, Knobs};

use super::*;

/// A TCP gate in front of a server.
struct Gate {
    url: String,
    open: Arc<AtomicBool>,
    dropped: Arc<AtomicU32>,
}

/// A gate in front of the server at `target` (its URL); closed at first.
async fn gate(target: &str) -> Gate {
    let parsed = reqwest::Url::parse(target).unwrap();
    let to = (
        parsed.host_str().unwrap().to_string(),
        parsed.port().unwrap(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}{}", listener.local_addr().unwrap(), parsed.path());
    let open = Arc::new(AtomicBool::new(false));
    let dropped = Arc::new(AtomicU32::new(0));
    let (is_open, count) = (open.clone(), dropped.clone());
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            if !is_open.load(Ordering::SeqCst) {
                count.fetch_add(1, Ordering::SeqCst);
                drop(inbound);
                continue;
            }
            let to = to.clone();
            tokio::spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(to).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    Gate { url, open, dropped }
}

/// The fixture configuration with WoningNet reached through the
/// environment (its [[fixture_server]] block removed), asked once per run.
fn config_without_woningnet_server(dir: &Path) -> PathBuf {
    config_with(dir, |text| {
        let start = text
            .find("[[fixture_server]]\nid = \"woningnet\"")
            .expect("the woningnet fixture server block");
        let end = start + text[start..].find("secret_variable").unwrap();
        let end = end + text[end..].find('\n').unwrap() + 1;
        let block = text[start..end].to_string();
        let retries = "check_path = \"/status\"\nrequest_timeout_secs = 10\nretries = 3";
        assert!(text.contains(retries));
        text.replace(&block, "").replace(
            retries,
            "check_path = \"/status\"\nrequest_timeout_secs = 10\nretries = 0",
        )
    })
}

fn manifest(bundle: &Path) -> serde_json::Value {
    serde_json::from_str(&zip_text(bundle, "manifest.json")).unwrap()
}

fn woningnet_status(manifest: &serde_json::Value) -> String {
    manifest["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "woningnet")
        .map(|s| s["status"].as_str().unwrap().to_string())
        .unwrap()
}

#[test]
fn a_failed_source_shows_why_can_be_retried_and_partial_needs_the_tick() {
    let Some((_driver, port)) = chromedriver() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = config_without_woningnet_server(dir.path());
    let work = dir.path().join("work");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let knobs = Knobs {
        secret: Some("wn-test-key".into()),
        ..Knobs::default()
    };
    let woningnet = runtime
        .block_on(start_woningnet(&root().join("fixtures/woningnet"), knobs))
        .unwrap();
    let gate = runtime.block_on(gate(&woningnet.url));
    let (_server, login) = serve_with(
        &config,
        &work,
        &[
            ("INZAGE_WONINGNET_URL", &gate.url),
            ("WONINGNET_API_KEY", "wn-test-key"),
        ],
    );
    let base = base(&login);
    runtime.block_on(async {
        let c = browser(port, &dir.path().join("profile"), &dir.path().join("dl")).await;
        browser_login(&c, &login, "M. de Wit").await;
        let id = browser_open_verified(&c, &base, TENANT, "access").await;
        let bundle = work.join(&id).join(format!("{id}-inzage.zip"));
        // The source is down: no bundle, the failure with reason and fix.
        browser_export(&c, &base, &id, &[]).await;
        let line = text_of(&c, "#source-woningnet.status-failed .reason").await;
        assert!(line.contains("connection"), "the reason: {line}");
        let page = c.source().await.unwrap();
        assert!(
            page.contains("id=\"refused\"") && !page.contains("--allow-partial"),
            "the refusal, in the app's words: {page}"
        );
        let fix = text_of(&c, "#source-woningnet .fix").await;
        assert!(!fix.is_empty());
        assert!(!bundle.exists(), "no bundle while a source fails");
        let first = gate.dropped.load(Ordering::SeqCst);
        assert!(first >= 1, "the source was asked");
        screenshot(&c, "09-export-failed").await;
        inert(&c, "export failed").await;
        // Try again without the tick: the export runs again (the source is
        // asked again) and still writes nothing.
        let retry = text_of(&c, "form[action$='/export'] button").await;
        assert_eq!(retry, "Opnieuw proberen");
        browser_export(&c, &base, &id, &[]).await;
        assert!(gate.dropped.load(Ordering::SeqCst) > first, "asked again");
        assert!(c.find(Locator::Css("#refused")).await.is_ok());
        assert!(!bundle.exists(), "no partial bundle without the tick");
        // With the explicit tick: a bundle marked partial.
        browser_export(&c, &base, &id, &["allow_partial"]).await;
        let written = text_of(&c, "#written").await;
        assert!(written.contains("ONVOLLEDIG"), "{written}");
        screenshot(&c, "10-export-partial").await;
        let m = manifest(&bundle);
        assert_eq!(m["complete"], false);
        assert_eq!(woningnet_status(&m), "failed");
        // The source is back: the retry makes a complete bundle.
        gate.open.store(true, Ordering::SeqCst);
        browser_export(&c, &base, &id, &[]).await;
        let written = text_of(&c, "#written").await;
        assert!(!written.contains("ONVOLLEDIG"), "{written}");
        let m = manifest(&bundle);
        assert_eq!(m["complete"], true);
        assert_eq!(woningnet_status(&m), "ok");
        assert!(
            woningnet.requests() > 0,
            "WoningNet answered through the gate"
        );
        c.close().await.unwrap();
    });
}
