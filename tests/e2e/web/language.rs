//! A Dutch page says everything in Dutch, an English page in English: the
//! messages beside the fields (bad input, a request's state that does not
//! allow the action), the export's refusals, and the register's values
//! (kinds, channels, outcomes, letters, the history), never the command
//! line's flags or the store's codes.

use super::*;

/// The texts of every message beside a field, and of the export's refusal.
fn messages(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    for open in [
        "<span class=\"field-error\"",
        "<p class=\"warning\" role=\"alert\"",
    ] {
        let mut rest = page;
        while let Some(at) = rest.find(open) {
            let from = at + rest[at..].find('>').unwrap() + 1;
            let to = from + rest[from..].find("</").unwrap();
            out.push(rest[from..to].to_string());
            rest = &rest[to..];
        }
    }
    out
}

/// The one message on `page`, checked for what no page may show.
fn message(page: &str) -> String {
    let all = messages(page);
    assert_eq!(all.len(), 1, "one message: {all:?}\n{page}");
    let m = all[0].clone();
    for cli in ["--", "`inzage", "inzage request", "pass ", "run `"] {
        assert!(!m.contains(cli), "the command line's words on a page: {m}");
    }
    m
}

fn post(base: &str, staff: &str, path: &str, form: &str) -> (u16, String) {
    let (status, _, page) = http("POST", &format!("{base}{path}"), Some(staff), Some(form));
    (status, page)
}

#[test]
fn dutch_pages_say_what_is_wrong_in_dutch_and_english_pages_in_english() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_with(dir.path(), |c| c);
    let (_server, login) = serve(&config, &dir.path().join("work"));
    let base = base(&login);
    let (staff, csrf) = login_http(&login, "M. de Wit");
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Duration::days(1);
    let open_tomorrow = || {
        post(
            &base,
            &staff,
            "/requests",
            &format!("csrf={csrf}&customer={TENANT}&kind=access&received={tomorrow}&channel=balie"),
        )
    };

    // Bad input beside its field.
    let (_, page) = open_tomorrow();
    assert_eq!(
        message(&page),
        format!(
            "{} ligt in de toekomst; geef de dag waarop het verzoek binnenkwam.",
            inzage_core::dates::long_date(tomorrow, inzage_core::Lang::Nl)
        )
    );
    assert!(page.contains("id=\"received-err\""), "beside the field");
    let (_, page) = post(
        &base,
        &staff,
        "/requests",
        &format!("csrf={csrf}&customer=12&kind=access&received=2026-11-02&channel=balie"),
    );
    assert_eq!(
        message(&page),
        "`12` heeft niet de vorm van een klantnummer, zoals 001042."
    );
    // The channels of the form, in words.
    assert!(page.contains(">e-mail</option>") && page.contains(">website</option>"));

    // A request's state, in the app's words.
    let id = open_request(&base, &staff, &csrf, TENANT, "access", "mail");
    let (_, page) = post(
        &base,
        &staff,
        &format!("/requests/{id}/letter"),
        &format!("csrf={csrf}&kind=extension&lang=nl"),
    );
    assert_eq!(
        message(&page),
        format!("De termijn van {id} is niet verlengd; verleng eerst de termijn, met een reden.")
    );
    let (_, page) = post(
        &base,
        &staff,
        &format!("/requests/{id}/extend"),
        &format!("csrf={csrf}&reason=Veel+systemen&months=5"),
    );
    assert_eq!(
        message(&page),
        "De termijn mag in totaal met ten hoogste 2 maanden worden verlengd; al verleend: 0, nu gevraagd: 5."
    );
    assert!(page.contains("id=\"months-err\""), "beside the months");
    assert!(
        page.contains("value=\"Veel systemen\""),
        "the reason as typed"
    );
    let (_, page) = post(
        &base,
        &staff,
        &format!("/requests/{id}/verify"),
        &format!("csrf={csrf}&method=BSN+111222333"),
    );
    assert!(
        message(&page).starts_with(
            "Dit lijkt een BSN (negen cijfers die de elfproef doorstaan) te bevatten."
        ),
        "{page}"
    );
    let (_, page) = post(
        &base,
        &staff,
        &format!("/requests/{id}/close"),
        &format!("csrf={csrf}&outcome=refused&reason="),
    );
    assert_eq!(
        message(&page),
        "Een weigering heeft een reden nodig: de huurder moet horen waarom (art. 12 lid 4 AVG)."
    );
    // The register's values in words, not codes.
    for words in [
        "inzage (art. 15)",
        "identiteit niet gecontroleerd",
        "<dd>e-mail</dd>",
        ">geweigerd</option>",
        ">geen gegevens</option>",
        ">ontvangstbevestiging</option>",
        "<td>verzoek geopend</td>",
    ] {
        assert!(
            page.contains(words),
            "{words} on the request's page:\n{page}"
        );
    }
    for code in [
        ">no-data<",
        ">refused<",
        ">acknowledgement<",
        ">request.open<",
        ">access<",
    ] {
        assert!(!page.contains(code), "the code {code} on a Dutch page");
    }

    // The export of a request whose identity is not checked.
    let (status, page) = start_export(&base, &staff, &csrf, &id, "");
    assert_eq!(status, 303, "{page}");
    let page = export_ended(&base, &staff, &id);
    assert_eq!(
        message(&page),
        format!("De identiteit bij {id} is nog niet gecontroleerd, en geen bundel gaat de deur uit voordat dat is gebeurd. Controleer het originele identiteitsbewijs en leg dat vast op de pagina van het verzoek.")
    );

    // A number no system knows: said so, and the answer that we hold no
    // data is offered (and made, once ticked).
    let unknown = open_verified(&base, &staff, &csrf, "009999", "access");
    start_export(&base, &staff, &csrf, &unknown, "");
    let page = export_ended(&base, &staff, &unknown);
    assert!(
        message(&page).starts_with("Geen bundel gemaakt: geen enkel systeem kent klantnummer 00"),
        "{page}"
    );
    assert!(
        page.contains("name=\"allow_empty\""),
        "the empty answer is offered"
    );
    start_export(&base, &staff, &csrf, &unknown, "&allow_empty=1");
    let page = export_ended(&base, &staff, &unknown);
    assert!(
        page.contains("id=\"written\""),
        "the empty answer is written: {page}"
    );
    assert!(dir
        .path()
        .join("work")
        .join(&unknown)
        .join(format!("{unknown}-inzage.zip"))
        .exists());

    // A partial match on name, birth date and postcode: held back, worded,
    // and included from the review page.
    let story = crate::support::story("signalering");
    let near = &story.review[0];
    let held = open_verified(&base, &staff, &csrf, &story.klantnummer, "access");
    start_export(&base, &staff, &csrf, &held, "");
    export_ended(&base, &staff, &held);
    let bundle = dir
        .path()
        .join("work")
        .join(&held)
        .join(format!("{held}-inzage.zip"));
    let signaleringen = || zip_text(&bundle, "data/signalering/Signalering.json");
    assert!(!signaleringen().contains(near.key.as_str()), "held back");
    let (_, _, page) = http(
        "GET",
        &format!("{base}/requests/{held}/review"),
        Some(&staff),
        None,
    );
    let row = page
        .split("<tr>")
        .find(|r| r.contains(&format!("<td>{}</td>", near.key)))
        .expect("the near miss on the review page");
    for words in [
        "record (komt deels overeen)",
        "naam en geboortedatum of postcode komen maar gedeeltelijk overeen",
        ">opnemen</option>",
        ">weglaten</option>",
    ] {
        assert!(row.contains(words), "{words} in {row}");
    }
    let select = row
        .split("name=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let (status, _) = post(
        &base,
        &staff,
        &format!("/requests/{held}/review"),
        &format!("csrf={csrf}&{select}=include"),
    );
    assert_eq!(status, 303);
    export_ended(&base, &staff, &held);
    assert!(signaleringen().contains(near.key.as_str()), "included");

    // The same in English, once switched.
    let (status, _) = post(
        &base,
        &staff,
        "/lang",
        &format!("csrf={csrf}&lang=en&back=/requests"),
    );
    assert_eq!(status, 303);
    let (_, page) = open_tomorrow();
    assert_eq!(
        message(&page),
        format!(
            "{} lies in the future; give the day the request came in.",
            inzage_core::dates::long_date(tomorrow, inzage_core::Lang::En)
        )
    );
    let (_, page) = post(
        &base,
        &staff,
        &format!("/requests/{id}/close"),
        &format!("csrf={csrf}&outcome=delivered&reason="),
    );
    assert_eq!(
        message(&page),
        format!(
            "No bundle was made for {id} yet. Run the export first, or choose another outcome."
        )
    );
    assert!(page.contains(">no data</option>") && page.contains("<td>request opened</td>"));
}
