//! An encrypted bundle from the web app: the generated passphrase is shown
//! once (not after a reload, not after the review's new run), and the
//! downloaded bundle opens with it in 7-Zip, as the CLI's encrypted
//! bundles do (tests/e2e/archive.rs).

use super::*;

#[test]
fn the_passphrase_is_shown_once_and_opens_the_downloaded_bundle() {
    let Some((_driver, port)) = chromedriver() else {
        return;
    };
    assert!(
        Command::new("7z").arg("i").output().is_ok(),
        "7z is needed (bash .ci/run installs p7zip-full)"
    );
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |c| c);
    let (_server, login) = serve(&config, &dir.path().join("work"));
    let base = base(&login);
    let downloads = dir.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (passphrase, bundle) = runtime.block_on(async {
        let c = browser(port, &dir.path().join("profile"), &downloads).await;
        browser_login(&c, &login, "M. de Wit").await;
        let id = browser_open_verified(&c, &base, TENANT, "access").await;
        browser_export(&c, &base, &id, &["encrypt"]).await;
        let passphrase = text_of(&c, "#passphrase").await;
        assert_eq!(passphrase.len(), 35, "six groups of five: {passphrase}");
        screenshot(&c, "11-export-passphrase").await;
        // Shown once: a reload no longer has it.
        c.refresh().await.unwrap();
        wait_for(&c, "#written", Duration::from_secs(10)).await;
        let page = c.source().await.unwrap();
        assert!(
            !page.contains(&passphrase) && !page.contains("id=\"passphrase\""),
            "the passphrase shows only once"
        );
        screenshot(&c, "12-export-passphrase-gone").await;
        // The review makes the bundle again, with the same passphrase,
        // which is not shown again either.
        browser_review(&c, &base, &id).await;
        assert!(!c.source().await.unwrap().contains(&passphrase));
        c.goto(&format!("{base}/requests/{id}/bundle"))
            .await
            .unwrap();
        wait_for(&c, "#download", Duration::from_secs(10)).await;
        assert!(!c.source().await.unwrap().contains(&passphrase));
        click(&c, "#download").await;
        let bundle = downloaded_zip(&downloads);
        c.close().await.unwrap();
        (passphrase, bundle)
    });
    // A wrong passphrase fails; the shown one opens every file.
    let wrong = Command::new("7z")
        .args(["t", "-pverkeerd"])
        .arg(&bundle)
        .output();
    assert!(!wrong.unwrap().status.success());
    let out = dir.path().join("x");
    seven_zip_extract(&bundle, &passphrase, &out);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["format"], "inzage-bundle/0");
    assert!(out.join("index.html").exists());
    // And the bundle verifies as a whole with it.
    let verified = run(inzage()
        .env("INZAGE_BUNDLE_PASSPHRASE", &passphrase)
        .arg("verify")
        .arg(&bundle));
    let (code, stdout, stderr) = text(&verified);
    assert_eq!(code, 0, "{stdout}{stderr}");
}
