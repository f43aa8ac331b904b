//! Delivering a portability bundle from the web app to the receiving
//! landlord configured in `[receivers]`: a real receiver on 127.0.0.1
//! (`inzage_testkit::servers::start_receiver`) gets exactly the bundle's
//! bytes, and the page shows the receipt with the receiver's reference.

use inzage_testkit::servers::{start_receiver, Behaviour};

use super::*;

#[test]
fn a_portability_bundle_is_delivered_to_the_receiver_and_the_receipt_shown() {
    let Some((_driver, port)) = chromedriver() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |c| c);
    let work = dir.path().join("work");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let receiver = runtime
        .block_on(start_receiver(Behaviour::Accept, "ontvanger-token"))
        .unwrap();
    let (_server, login) = serve_with(
        &config,
        &work,
        &[
            ("INZAGE_RECEIVER_URL", &receiver.url),
            ("RECEIVER_TOKEN", "ontvanger-token"),
        ],
    );
    let base = base(&login);
    runtime.block_on(async {
        let c = browser(port, &dir.path().join("profile"), &dir.path().join("dl")).await;
        browser_login(&c, &login, "M. de Wit").await;
        let id = browser_open_verified(&c, &base, TENANT, "portability").await;
        c.goto(&format!("{base}/requests/{id}/export"))
            .await
            .unwrap();
        c.find(Locator::Css("#to"))
            .await
            .unwrap()
            .select_by_value("voorbeeld")
            .await
            .unwrap();
        browser_export(&c, &base, &id, &[]).await;
        // Final after the review; then the bundle page offers the delivery.
        browser_review(&c, &base, &id).await;
        c.goto(&format!("{base}/requests/{id}/bundle"))
            .await
            .unwrap();
        wait_for(&c, "form[action$='/deliver']", Duration::from_secs(10)).await;
        assert!(c.find(Locator::Css("#receipt")).await.is_err());
        screenshot(&c, "13-bundle-portability").await;
        assert_eq!(receiver.attempts(), 0, "nothing sent before the click");
        let before = c.find(Locator::Css("html")).await.unwrap();
        submit(&c, "/deliver").await;
        gone(&before).await;
        wait_for(&c, "#receipt", Duration::from_secs(60)).await;
        let receipt = text_of(&c, "#receipt").await;
        screenshot(&c, "14-bundle-delivered").await;
        inert(&c, "bundle delivered").await;
        assert!(
            c.find(Locator::Css("form[action$='/deliver']"))
                .await
                .is_err(),
            "delivered once: no second send from the page"
        );
        // The receiver got the bundle whole, and its reference is shown.
        let deliveries = receiver.deliveries();
        assert_eq!(deliveries.len(), 1, "one delivery");
        let got = &deliveries[0];
        let bundle = work.join(&id).join(format!("{id}-overdraagbaarheid.zip"));
        assert_eq!(got.sha256, sha256_of(&bundle), "exactly the bundle's bytes");
        assert_eq!(got.announced.as_deref(), Some(got.sha256.as_str()));
        let reference = got.reference.clone().expect("accepted with a reference");
        assert!(
            receipt.contains(&reference) && receipt.contains("Woonstichting Voorbeeld"),
            "{receipt}"
        );
        // The receipt stands beside the bundle, and the trail has the delivery.
        assert!(work
            .join(&id)
            .join(format!("{id}-overdraagbaarheid.zip.receipt.json"))
            .exists());
        let trail = std::fs::read_to_string(dir.path().join("requests.audit.jsonl")).unwrap();
        assert!(
            trail
                .lines()
                .any(|l| l.contains("\"action\":\"bundle.deliver\"")
                    && l.contains(&reference)
                    && l.contains("\"by\":\"M. de Wit\"")),
            "{trail}"
        );
        c.close().await.unwrap();
    });
}
