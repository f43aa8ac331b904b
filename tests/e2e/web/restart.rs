//! The server keeps its export jobs while it runs. A page that needs a
//! bundle the server does not hold says why, truly: none was made yet, or
//! the server was started again since the last one (with when and by whom).

use super::*;

#[test]
fn after_a_restart_the_bundle_pages_say_so_and_lead_to_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |c| c);
    let work = dir.path().join("work");
    let (server, login) = serve(&config, &work);
    let base = base(&login);
    let (staff, csrf) = login_http(&login, "M. de Wit");
    let done = open_verified(&base, &staff, &csrf, TENANT, "access");
    let (_, _, page) = http(
        "GET",
        &format!("{base}/requests/{done}/bundle"),
        Some(&staff),
        None,
    );
    assert!(
        page.contains("Er is nog geen bundel voor dit verzoek."),
        "before the export: {page}"
    );
    start_export(&base, &staff, &csrf, &done, "");
    assert!(export_ended(&base, &staff, &done).contains("id=\"written\""));
    drop(server);

    let (_server, login) = serve(&config, &work);
    let base = super::base(&login);
    let (staff, _) = login_http(&login, "J. Jansen");
    for page in ["bundle", "review"] {
        let (status, _, html) = http(
            "GET",
            &format!("{base}/requests/{done}/{page}"),
            Some(&staff),
            None,
        );
        assert_eq!(status, 200, "{page}");
        assert!(
            html.contains("Deze server is opnieuw gestart sinds de laatste bundel van dit verzoek")
                && html.contains("M. de Wit")
                && html.contains(&format!("{done}-inzage.zip"))
                && html.replace("&#x2f;", "/").contains(&format!(
                    "href=\"/requests/{done}/export\">Naar de export</a>"
                )),
            "{page}: {html}"
        );
    }
    // The download is not offered from a bundle this server did not make.
    let (status, _, _) = http(
        "GET",
        &format!("{base}/requests/{done}/download"),
        Some(&staff),
        None,
    );
    assert_eq!(status, 404);
}
