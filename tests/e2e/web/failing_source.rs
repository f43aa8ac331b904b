//! A source that cannot be reached, in the browser: the export page shows
//! the failure with its reason and what to do, "try again" runs the export
//! again, a partial bundle needs the explicit tick, and once the source is
//! back the retry makes a complete bundle.
//!
//! WoningNet stands behind a [`Gate`] in front of a real WoningNet test
//! server: closed, it drops each connection unanswered and counts it (so
//! that a retry is seen to reach the source); open, it passes them on.

use super::gate::{serve_behind_gate, without_fixture_server, Behind, Mode};
use super::*;

/// The fixture configuration with WoningNet reached through the
/// environment (its [[fixture_server]] block removed), asked once per run.
fn config_without_woningnet_server(dir: &Path) -> PathBuf {
    config_with(dir, |text| {
        let text = without_fixture_server(&text, "woningnet");
        let retries = "check_path = \"/status\"\nrequest_timeout_secs = 10\nretries = 3";
        assert!(text.contains(retries));
        text.replace(
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
    let (woningnet, gate, _server, login) =
        serve_behind_gate(&runtime, Behind::Woningnet, Mode::Closed, &config, &work);
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
        let first = gate.dropped();
        assert!(first >= 1, "the source was asked");
        screenshot(&c, "09-export-failed").await;
        inert(&c, "export failed").await;
        // Try again without the tick: the export runs again (the source is
        // asked again) and still writes nothing.
        let retry = text_of(&c, "form[action$='/export'] button").await;
        assert_eq!(retry, "Opnieuw proberen");
        browser_export(&c, &base, &id, &[]).await;
        assert!(gate.dropped() > first, "asked again");
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
        gate.set(Mode::Open);
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
