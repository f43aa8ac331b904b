//! Several staff at once: two exports of different requests run at the
//! same time and both end with the right bundle; a second export of a
//! request while its first runs is refused with a clear message.
//!
//! The exports are held up deterministically: the CRM stands behind a
//! [`Gate`] that keeps every connection waiting until the test opens it,
//! so both exports are seen asking the CRM at once, and the refusal is
//! tried while the first surely runs.

use super::gate::{serve_behind_gate, without_fixture_server, Behind, Mode};
use super::*;

/// Whether the export page shows the CRM as asked and not yet answered.
fn waiting_for_crm(page: &str) -> bool {
    page.contains("id=\"running\"") && page.contains("id=\"source-crm\" class=\"status-asked\"")
}

#[test]
fn two_exports_run_at_once_and_a_second_of_the_same_request_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // The CRM through the environment, with a time limit far beyond the
    // hold, so that only opening the gate lets an export go on.
    let config = config_with(dir.path(), |text| {
        let text = without_fixture_server(&text, "crm");
        let limits = "url = \"${INZAGE_CRM_URL}\"\nbearer_token = \"${CRM_TOKEN}\"\nrequest_timeout_secs = 10";
        assert!(text.contains(limits));
        text.replace(
            limits,
            "url = \"${INZAGE_CRM_URL}\"\nbearer_token = \"${CRM_TOKEN}\"\nrequest_timeout_secs = 120",
        )
    });
    let work = dir.path().join("work");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (_crm, gate, _server, login) =
        serve_behind_gate(&runtime, Behind::Crm, Mode::Holding, &config, &work);
    let base = base(&login);
    let (staff, csrf) = login_http(&login, "M.+de+Wit");
    let mover = story("mover").klantnummer;
    let a = open_verified(&base, &staff, &csrf, TENANT, "access");
    let b = open_verified(&base, &staff, &csrf, &mover, "access");
    for id in [&a, &b] {
        let (status, page) = start_export(&base, &staff, &csrf, id, "");
        assert_eq!(status, 303, "{id} started: {page}");
    }
    // Both exports are at the CRM at the same time, held by the gate.
    let started = Instant::now();
    loop {
        let pages: Vec<String> = [&a, &b]
            .iter()
            .map(|id| {
                http(
                    "GET",
                    &format!("{base}/requests/{id}/export"),
                    Some(&staff),
                    None,
                )
                .2
            })
            .collect();
        if pages.iter().all(|p| waiting_for_crm(p)) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "both exports wait for the CRM at once:\n{}",
            pages.join("\n----\n")
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(gate.held() >= 2, "the CRM was asked by both");
    // A second export of A while A runs: refused, said beside the form.
    let (status, page) = start_export(&base, &staff, &csrf, &a, "");
    assert_eq!(status, 409, "{page}");
    assert!(
        page.contains("id=\"export-error\"")
            && page.contains("Voor dit verzoek loopt al een export. Wacht tot die klaar is."),
        "{page}"
    );
    // Let the CRM answer: both end, each with its own tenant's bundle.
    gate.set(Mode::Open);
    for (id, klantnummer) in [(&a, TENANT), (&b, mover.as_str())] {
        let page = export_ended(&base, &staff, id);
        assert!(page.contains("id=\"written\""), "{id}: {page}");
        let bundle = Bundle::open(&work.join(id).join(format!("{id}-inzage.zip")));
        assert_eq!(bundle.keys("erp", "Relatie"), [klantnummer], "{id}");
        assert_eq!(bundle.source("crm")["status"], "ok", "{id}");
        assert!(
            !bundle.keys("crm", "Contactmoment").is_empty(),
            "{id}: the CRM's records"
        );
        let trail = dir.path().join("requests.audit.jsonl");
        assert_eq!(
            exports_in_trail(&trail, id).len(),
            1,
            "{id}: one export recorded"
        );
    }
    // The other's data is in neither bundle.
    let a_bundle = Bundle::open(&work.join(&a).join(format!("{a}-inzage.zip")));
    let b_bundle = Bundle::open(&work.join(&b).join(format!("{b}-inzage.zip")));
    let a_crm = a_bundle.keys("crm", "Contactmoment");
    assert!(b_bundle
        .keys("crm", "Contactmoment")
        .iter()
        .all(|k| !a_crm.contains(k)));
}
