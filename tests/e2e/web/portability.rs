//! A portability request in the web app: the bundle is recorded on the
//! request (audit trail and store) exactly as `inzage export --request`
//! records it.

use super::*;

#[test]
fn a_portability_export_in_the_web_is_recorded_on_its_request() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |c| c);
    let work = dir.path().join("work");
    let (_server, login) = serve(&config, &work);
    let base = base(&login);
    let (staff, csrf) = login_http(&login, "M.+de+Wit");
    let id = open_verified(&base, &staff, &csrf, TENANT, "portability");
    let (status, page) = start_export(&base, &staff, &csrf, &id, "");
    assert_eq!(status, 303, "{page}");
    let page = export_ended(&base, &staff, &id);
    assert!(page.contains("id=\"written\""), "{page}");
    let bundle = work.join(&id).join(format!("{id}-overdraagbaarheid.zip"));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&bundle).unwrap()).unwrap();
    assert!(
        zip.by_name("portability.json").is_ok(),
        "a portability bundle"
    );
    // In the audit trail, by the staff member, with the bundle's SHA-256
    // and the source statuses, as the CLI's export --request writes it.
    let trail_path = dir.path().join("requests.audit.jsonl");
    let sha = sha256_of(&bundle);
    assert_eq!(exports_in_trail(&trail_path, &id), vec![sha.clone()]);
    let trail = std::fs::read_to_string(&trail_path).unwrap();
    let entry: serde_json::Value = trail
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|e| e["action"] == "export")
        .unwrap();
    assert_eq!(entry["by"], "M. de Wit");
    assert_eq!(entry["details"]["complete"], true);
    assert_eq!(entry["details"]["sources"]["erp"], "ok", "{entry}");
    // In the store: the request lists the export, in the CLI as on the page.
    let (_, _, page) = http("GET", &format!("{base}/requests/{id}"), Some(&staff), None);
    assert!(
        page.contains(&format!("{id}-overdraagbaarheid.zip")),
        "{page}"
    );
    let out = run(inzage()
        .arg("--config")
        .arg(&config)
        .args(["audit", "verify"]));
    let (code, stdout, stderr) = text(&out);
    assert_eq!(code, 0, "{stdout}{stderr}");
}
