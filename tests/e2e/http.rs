//! The http sources (CRM over OData, WoningNet over REST) end to end: the
//! binary against test servers this test starts itself, with failure knobs,
//! reached through the environment as in a real deployment.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use inzage_testkit::servers::{start_crm, start_woningnet, Knobs, RunningServer};

use crate::support::*;

/// Two running servers and the runtime that drives them.
struct Estate {
    crm: RunningServer,
    woningnet: RunningServer,
    _runtime: tokio::runtime::Runtime,
}

fn estate(crm: Knobs, woningnet: Knobs) -> Estate {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let fixtures = root().join("fixtures");
    let (crm, woningnet) = runtime.block_on(async {
        (
            start_crm(&fixtures.join("crm"), crm).await.unwrap(),
            start_woningnet(&fixtures.join("woningnet"), woningnet)
                .await
                .unwrap(),
        )
    });
    Estate {
        crm,
        woningnet,
        _runtime: runtime,
    }
}

/// The fixture configuration without its [[fixture_server]] blocks (the
/// sources are then reached through the environment), with the CRM's
/// request settings replaced by `crm_settings`.
fn deployment_config(dir: &Path, crm_settings: &str) -> PathBuf {
    let crm_settings = crm_settings.to_string();
    config_with(dir, move |text| {
        let start = text
            .find("[[fixture_server]]")
            .expect("fixture_server block");
        let end = text.find("# The CRM (Dynamics-style").expect("crm comment");
        let text = format!("{}{}", &text[..start], &text[end..]);
        let old = "request_timeout_secs = 10\nretries = 3\nretry_max_secs = 30\npage_size = 100";
        assert!(text.contains(old));
        text.replace(old, &crm_settings)
    })
}

/// The binary with the servers' URLs and secrets in its environment.
fn inzage_with(estate: &Estate) -> Command {
    let mut cmd = inzage();
    cmd.env("INZAGE_CRM_URL", &estate.crm.url)
        .env("CRM_TOKEN", &estate.crm.secret)
        .env("INZAGE_WONINGNET_URL", &estate.woningnet.url)
        .env("WONINGNET_API_KEY", &estate.woningnet.secret);
    cmd
}

fn export_with(
    cmd: &mut Command,
    config: &Path,
    customer: &str,
    out: &Path,
    extra: &[&str],
) -> (i32, String) {
    let (code, stdout, stderr) = text(&run(cmd
        .arg("--config")
        .arg(config)
        .args(["export", "--customer", customer, "--out"])
        .arg(out)
        .args(extra)));
    (code, stdout + &stderr)
}

const QUICK: &str = "request_timeout_secs = 1\nretries = 1\nretry_max_secs = 5\npage_size = 2";

#[test]
fn the_demo_command_includes_crm_and_woningnet_with_nothing_started_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bundle.zip");
    let (code, stdout, stderr) = text(&run(inzage()
        .env_remove("INZAGE_CRM_URL")
        .env_remove("CRM_TOKEN")
        .args(["export", "--customer", "001011", "--out"])
        .arg(&out)));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let bundle = Bundle::open(&out);
    assert_eq!(bundle.source("crm")["status"], "ok");
    assert_eq!(bundle.source("woningnet")["status"], "ok");
    let story = story("two-emails");
    assert_eq!(
        bundle.keys("crm", "Klacht"),
        story.expected["crm"]["Klacht"]
    );
    assert!(!bundle.keys("crm", "Klacht").is_empty());
    assert_eq!(bundle.keys("woningnet", "Inschrijving"), ["415163959"]);
}

#[test]
fn servers_reached_through_the_environment_page_and_retry() {
    let estate = estate(
        Knobs {
            page_size: 2,
            fail_first: 1,
            throttle_first: 1,
            retry_after_secs: 1,
            ..Knobs::default()
        },
        Knobs {
            fail_first: 1,
            ..Knobs::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let config = deployment_config(
        dir.path(),
        "request_timeout_secs = 5\nretries = 3\nretry_max_secs = 10\npage_size = 2",
    );
    let out = dir.path().join("b.zip");
    let started = Instant::now();
    let (code, output) = export_with(&mut inzage_with(&estate), &config, "001011", &out, &[]);
    assert_eq!(code, 0, "{output}");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    let bundle = Bundle::open(&out);
    let story = story("two-emails");
    let mut want = story.expected["crm"]["Contactmoment"].clone();
    want.sort();
    assert_eq!(bundle.keys("crm", "Contactmoment"), want);
    assert_eq!(bundle.keys("woningnet", "Reactie"), ["RCT1000069"]);
    let pages = estate
        .crm
        .request_log()
        .iter()
        .filter(|l| l.contains("/contactmomenten?"))
        .count();
    assert!(
        pages >= 3 + 2,
        "five contactmomenten in pages of two, after a 500 and a 429: {pages}"
    );
}

#[test]
fn a_hanging_crm_fails_alone_and_the_export_exits_3() {
    let estate = estate(
        Knobs {
            hang: true,
            ..Knobs::default()
        },
        Knobs::default(),
    );
    let dir = tempfile::tempdir().unwrap();
    let config = deployment_config(dir.path(), QUICK);
    let out = dir.path().join("b.zip");
    let started = Instant::now();
    let (code, output) = export_with(&mut inzage_with(&estate), &config, "001011", &out, &[]);
    assert_eq!(code, 3, "{output}");
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(!out.exists(), "no bundle without --allow-partial");
    let crm_line = output.lines().find(|l| l.starts_with("crm")).unwrap();
    assert!(
        crm_line.contains("FAILED") && crm_line.contains("no answer within 1 s"),
        "{output}"
    );
    assert!(!crm_line.contains("001011"), "no personal data: {crm_line}");
    let woningnet_line = output.lines().find(|l| l.starts_with("woningnet")).unwrap();
    assert!(woningnet_line.contains("ok"), "{output}");
}

#[test]
fn a_crm_that_dies_mid_export_is_failed_in_the_manifest() {
    let estate = estate(
        Knobs {
            die_after: Some(2),
            ..Knobs::default()
        },
        Knobs::default(),
    );
    let dir = tempfile::tempdir().unwrap();
    let config = deployment_config(dir.path(), QUICK);
    let out = dir.path().join("b.zip");
    let (code, output) = export_with(&mut inzage_with(&estate), &config, "001011", &out, &[]);
    assert_eq!(code, 3, "{output}");
    assert!(!out.exists());
    let (code, output) = export_with(
        &mut inzage_with(&estate),
        &config,
        "001011",
        &out,
        &["--allow-partial"],
    );
    assert_eq!(code, 0, "{output}");
    let bundle = Bundle::open(&out);
    assert_eq!(bundle.manifest["complete"], false);
    let crm = bundle.source("crm");
    assert_eq!(crm["status"], "failed", "{crm}");
    let reason = crm["reason"].as_str().unwrap();
    assert!(
        reason.contains(&estate.crm.url) && reason.contains("attempts"),
        "{reason}"
    );
    assert_eq!(bundle.source("woningnet")["status"], "ok");
    assert_eq!(bundle.source("erp")["status"], "ok");
    assert_eq!(bundle.keys("woningnet", "Inschrijving"), ["415163959"]);
}

#[test]
fn a_refused_token_names_the_environment_variable() {
    let estate = estate(Knobs::default(), Knobs::default());
    let dir = tempfile::tempdir().unwrap();
    let config = deployment_config(dir.path(), QUICK);
    let out = dir.path().join("b.zip");
    let (code, output) = export_with(
        inzage_with(&estate).env("CRM_TOKEN", "expired-token-xyz"),
        &config,
        "001011",
        &out,
        &[],
    );
    assert_eq!(code, 3, "{output}");
    assert!(
        output.contains("HTTP 401") && output.contains("CRM_TOKEN"),
        "{output}"
    );
    assert!(!output.contains("expired-token-xyz"), "{output}");
}

#[test]
fn check_covers_both_dialects() {
    let estate = estate(Knobs::default(), Knobs::default());
    let dir = tempfile::tempdir().unwrap();
    let config = deployment_config(dir.path(), QUICK);
    let (code, stdout, stderr) = text(&run(inzage_with(&estate)
        .arg("--config")
        .arg(&config)
        .arg("check")));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let crm = stdout.lines().find(|l| l.starts_with("crm")).unwrap();
    assert!(crm.contains("ok") && crm.contains("$metadata"), "{stdout}");
    let woningnet = stdout.lines().find(|l| l.starts_with("woningnet")).unwrap();
    assert!(
        woningnet.contains("ok") && woningnet.contains("/status"),
        "{stdout}"
    );

    let (code, stdout, _) = text(&run(inzage_with(&estate)
        .env("WONINGNET_API_KEY", "wrong")
        .arg("--config")
        .arg(&config)
        .arg("check")));
    assert_eq!(code, 3);
    let woningnet = stdout.lines().find(|l| l.starts_with("woningnet")).unwrap();
    assert!(
        woningnet.contains("FAILED") && woningnet.contains("WONINGNET_API_KEY"),
        "{stdout}"
    );

    let broken = config_with(dir.path(), |text| {
        text.replace("entity_set = \"klachten\"", "entity_set = \"incidents\"")
    });
    let (code, stdout, _) = text(&run(inzage().arg("--config").arg(&broken).arg("check")));
    assert_eq!(code, 3);
    let crm = stdout.lines().find(|l| l.starts_with("crm")).unwrap();
    assert!(
        crm.contains("FAILED") && crm.contains("`incidents`"),
        "{stdout}"
    );
}

#[test]
fn plain_http_to_a_host_on_the_network_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |text| {
        text.replace(
            "url = \"${INZAGE_CRM_URL}\"",
            "url = \"http://crm.example.org/odata\"",
        )
    });
    let (code, stdout, stderr) = text(&run(inzage()
        .arg("--config")
        .arg(&config)
        .args(["config", "check"])));
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(
        stderr.contains("http://crm.example.org") && stderr.contains("allow_insecure_http"),
        "{stderr}"
    );

    // Through a variable it is caught when the connector is built.
    let config = deployment_config(dir.path(), QUICK);
    let (code, output) = export_with(
        inzage()
            .env("INZAGE_CRM_URL", "http://10.20.30.40/odata")
            .env("CRM_TOKEN", "t")
            .env("INZAGE_WONINGNET_URL", "http://127.0.0.1:9/api")
            .env("WONINGNET_API_KEY", "k"),
        &config,
        "001011",
        &dir.path().join("b.zip"),
        &[],
    );
    assert_eq!(code, 2, "{output}");
    assert!(
        output.contains("http://10.20.30.40") && output.contains("allow_insecure_http"),
        "{output}"
    );
}
