//! The Find page by number: a klantnummer or a contract number gives the
//! masked candidates of `inzage_app::find::find_by_number`; bad input gets
//! a message beside the field.

use super::*;

/// Posts the number form and returns the page.
fn find_number(base: &str, staff: &str, csrf: &str, kind: &str, number: &str) -> String {
    let (status, _, page) = http(
        "POST",
        &format!("{base}/find/number"),
        Some(staff),
        Some(&format!("csrf={csrf}&number_kind={kind}&number={number}")),
    );
    assert_eq!(status, 200, "{page}");
    page
}

/// The klantnummers in the candidates table, in order.
fn candidates(page: &str) -> Vec<String> {
    page.split("/requests/new?customer=")
        .skip(1)
        .map(|rest| rest.chars().take_while(|c| c.is_ascii_digit()).collect())
        .collect()
}

#[test]
fn the_find_page_finds_by_customer_and_by_contract_number_masked() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |c| c);
    let (_server, login) = serve(&config, &dir.path().join("work"));
    let base = base(&login);
    let (staff, csrf) = login_http(&login, "M.+de+Wit");
    let tenant = story("co-tenant");
    // By klantnummer: one masked candidate, known in the ERP and the CRM.
    let page = find_number(&base, &staff, &csrf, "customer", TENANT);
    assert_eq!(candidates(&page), vec![TENANT.to_string()], "{page}");
    assert!(
        page.contains("<td>M.</td>") && page.contains("<td>1989</td>"),
        "initials and birth year: {page}"
    );
    for full in ["Nüsken", "Marloes", "1989-05-05", "05-05-1989"] {
        assert!(!page.contains(full), "{full} is not shown: {page}");
    }
    let row = page.split("<tbody>").nth(1).unwrap();
    assert!(row.contains("ERP") || row.contains("erp"), "{row}");
    // By contract number: the co-tenant contract names both contractants.
    let contract = &tenant.contractnummers[0];
    let page = find_number(&base, &staff, &csrf, "contract", contract);
    let found = candidates(&page);
    assert_eq!(found.len(), 2, "both contractants of {contract}: {page}");
    assert!(found.contains(&TENANT.to_string()), "{found:?}");
    assert!(
        page.contains("id=\"several\"") && page.contains("de contractanten van het contract"),
        "several: open by the klantnummer of the one who asks: {page}"
    );
    // Bad input: a message beside the field, the value kept, no search.
    for (kind, bad) in [
        ("customer", "12"),
        ("contract", "HO12"),
        ("contract", TENANT),
    ] {
        let page = find_number(&base, &staff, &csrf, kind, bad);
        assert!(
            page.contains("id=\"number-err\"")
                && page.contains(&format!("value=\"{bad}\""))
                && page.contains("aria-invalid=\"true\""),
            "{kind} {bad}: {page}"
        );
        assert!(candidates(&page).is_empty() && !page.contains("id=\"found\""));
    }
    // A well-formed number that no source knows: said plainly.
    let page = find_number(&base, &staff, &csrf, "customer", "999999");
    assert!(
        page.contains("id=\"no-one\"") && candidates(&page).is_empty(),
        "{page}"
    );
    // Without the CSRF token: refused.
    let (status, _, _) = http(
        "POST",
        &format!("{base}/find/number"),
        Some(&staff),
        Some(&format!("number_kind=customer&number={TENANT}")),
    );
    assert_eq!(status, 403);
}
