//! The http kind against the fixture test servers on 127.0.0.1 (real HTTP,
//! no mocks).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::Utc;
use inzage_core::{Connector, FetchRequest, Identifier, IdentifierKind};
use inzage_testkit::servers::{start_crm, start_woningnet, Knobs, RunningServer};

use super::*;

fn fixtures(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name)
}

const CRM_DATASETS: &str = r#"
[[dataset]]
name = "Contactmoment"
entity_set = "contactmomenten"
key = "contactmomentid"
owner = { klantnummer = "klantnummer" }
match = { klantnummer = "klantnummer", email = "emailadres" }
[dataset.fields]
contactmomentid = "x"
klantnummer = "x"
emailadres = "x"
datum = "x"
kanaal = "x"
richting = "x"
onderwerp = "x"
notitie = "x"

[[dataset]]
name = "Klacht"
entity_set = "klachten"
key = "klachtid"
owner = { klantnummer = "klantnummer" }
match = { klantnummer = "klantnummer", email = "emailadres" }
[dataset.fields]
klachtid = "x"
klantnummer = "x"
emailadres = "x"
datum = "x"
omschrijving = "x"
status = "x"
"#;

const WONINGNET_DATASETS: &str = r#"
[[dataset]]
name = "Inschrijving"
path = "/inschrijvingen/{woningnet}"
key = "registratienummer"
match = { woningnet = "registratienummer" }
[dataset.fields]
registratienummer = "x"
voornamen = "x"
achternaam = "x"
"zoekprofiel.huishoudgrootte" = "x"

[[dataset]]
name = "Reactie"
path = "/reacties?registratienummer={woningnet}"
data_path = "data"
paging = "page"
page_size = 1
key = "reactieid"
match = { woningnet = "registratienummer" }
[dataset.fields]
reactieid = "x"
registratienummer = "x"
status = "x"
"#;

/// Default settings, without those `extra` sets itself.
fn settings(defaults: &str, extra: &str) -> String {
    let set: Vec<&str> = extra
        .lines()
        .filter_map(|l| l.split('=').next())
        .map(str::trim)
        .collect();
    defaults
        .lines()
        .filter(|l| !set.contains(&l.split('=').next().unwrap_or("").trim()))
        .chain(extra.lines())
        .collect::<Vec<_>>()
        .join("\n")
}

fn crm_config(extra: &str) -> HttpConfig {
    let head = settings(
        "id = \"crm\"\nlabel = \"CRM\"\ndialect = \"odata\"\nurl = \"${T_CRM_URL}\"\nbearer_token = \"${T_CRM_TOKEN}\"\nrequest_timeout_secs = 2\nretries = 3\nretry_max_secs = 10",
        extra,
    );
    toml::from_str(&format!("{head}\n{CRM_DATASETS}")).unwrap()
}

fn woningnet_config(extra: &str) -> HttpConfig {
    let head = settings(
        "id = \"woningnet\"\nlabel = \"WoningNet\"\ndialect = \"rest\"\nurl = \"${T_WN_URL}\"\napi_key = \"${T_WN_KEY}\"\ncheck_path = \"/status\"\nrequest_timeout_secs = 2",
        extra,
    );
    toml::from_str(&format!("{head}\n{WONINGNET_DATASETS}")).unwrap()
}

fn crm(server: &RunningServer, extra: &str) -> HttpConnector {
    let mut vars = Variables::default();
    vars.set("T_CRM_URL", server.url.clone());
    vars.set("T_CRM_TOKEN", server.secret.clone());
    HttpConnector::new(crm_config(extra), &vars).unwrap()
}

fn woningnet(server: &RunningServer, extra: &str) -> HttpConnector {
    let mut vars = Variables::default();
    vars.set("T_WN_URL", server.url.clone());
    vars.set("T_WN_KEY", server.secret.clone());
    HttpConnector::new(woningnet_config(extra), &vars).unwrap()
}

fn ask(ids: &[(IdentifierKind, &str)]) -> FetchRequest {
    FetchRequest {
        identifiers: ids
            .iter()
            .map(|(k, v)| Identifier::new(*k, v).unwrap())
            .collect(),
        fetched_at: Utc::now(),
    }
}

fn keys(outcome: &FetchOutcome, dataset: &str) -> Vec<String> {
    let mut keys: Vec<String> = outcome
        .records
        .iter()
        .filter(|r| r.dataset == dataset)
        .map(|r| r.key.clone())
        .collect();
    keys.sort();
    keys
}

fn two_emails() -> FetchRequest {
    ask(&[
        (IdentifierKind::Klantnummer, "001011"),
        (IdentifierKind::Email, "anaisgulcan@example.org"),
        (IdentifierKind::Email, "anais.gulcan@example.net"),
    ])
}

#[tokio::test]
async fn odata_filters_by_every_identifier_in_one_request_and_follows_next_links() {
    let server = start_crm(
        &fixtures("crm"),
        Knobs {
            page_size: 2,
            ..Knobs::default()
        },
    )
    .await
    .unwrap();
    let outcome = crm(&server, "").fetch(&two_emails()).await.unwrap();
    assert_eq!(
        keys(&outcome, "Contactmoment"),
        [
            "152095d7-6972-4b04-b65d-a71086820451",
            "2d42f06f-970f-4254-ad6d-8fa75aee741f",
            "36c76d66-dd9e-43be-b8a5-5db5aa4935f6",
            "734dd17b-7fcd-443a-a971-da290b178ee0",
            "97082533-957c-421d-97dc-62a095f96a13"
        ]
    );
    assert_eq!(
        keys(&outcome, "Klacht"),
        ["KLA0000004", "KLA0000006", "KLA5000043"]
    );
    let log = server.request_log();
    let contact: Vec<&String> = log
        .iter()
        .filter(|l| l.contains("/contactmomenten"))
        .collect();
    assert_eq!(contact.len(), 3, "one query, three pages: {log:?}");
    assert!(contact[0].contains("%20or%20"), "{}", contact[0]);
    assert!(
        contact[0].contains("$select=contactmomentid,klantnummer,emailadres"),
        "{}",
        contact[0]
    );
    let record = &outcome.records[0];
    assert_eq!(record.source, "crm");
    assert!(
        !record.location.contains("127.0.0.1"),
        "locations are stable: {}",
        record.location
    );
}

#[tokio::test]
async fn odata_injection_attempts_match_only_exact_values() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("contactmomenten.json"),
        r#"[{"contactmomentid": "1", "klantnummer": "A'B", "emailadres": "o'brien@example.org", "datum": null, "kanaal": "", "richting": "", "onderwerp": "", "notitie": ""},
            {"contactmomentid": "2", "klantnummer": "X", "emailadres": "x@example.org", "datum": null, "kanaal": "", "richting": "", "onderwerp": "", "notitie": ""},
            {"contactmomentid": "3", "klantnummer": "1", "emailadres": null, "datum": null, "kanaal": "", "richting": "", "onderwerp": "", "notitie": ""}]"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("klachten.json"),
        r#"[{"klachtid": "K1", "klantnummer": "X", "emailadres": null, "datum": null, "omschrijving": "", "status": ""}]"#,
    )
    .unwrap();
    let server = start_crm(dir.path(), Knobs::default()).await.unwrap();
    let connector = crm(&server, "");
    for attack in [
        "x' or 1 eq 1",
        "') or true",
        "X' or klantnummer ne '",
        "x'' or ''1'' eq ''1",
    ] {
        let outcome = connector
            .fetch(&ask(&[(IdentifierKind::Klantnummer, attack)]))
            .await
            .unwrap();
        assert!(
            outcome.records.is_empty(),
            "{attack}: {:?}",
            outcome.records
        );
    }
    let outcome = connector
        .fetch(&ask(&[
            (IdentifierKind::Klantnummer, "a'b"),
            (IdentifierKind::Email, "O'Brien@example.org"),
        ]))
        .await
        .unwrap();
    assert_eq!(keys(&outcome, "Contactmoment"), ["1"]);
    // The server parsed every filter (no 400): the quotes were doubled.
    assert!(server.requests() >= 10);
}

#[tokio::test]
async fn throttling_is_waited_out_as_the_server_asks() {
    let server = start_crm(
        &fixtures("crm"),
        Knobs {
            throttle_first: 1,
            retry_after_secs: 1,
            ..Knobs::default()
        },
    )
    .await
    .unwrap();
    let started = Instant::now();
    let outcome = crm(&server, "").fetch(&two_emails()).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(keys(&outcome, "Klacht").len(), 3);
}

#[tokio::test]
async fn server_errors_are_retried_and_a_long_retry_after_fails_at_once() {
    let server = start_crm(
        &fixtures("crm"),
        Knobs {
            fail_first: 2,
            ..Knobs::default()
        },
    )
    .await
    .unwrap();
    let outcome = crm(&server, "").fetch(&two_emails()).await.unwrap();
    assert_eq!(keys(&outcome, "Klacht").len(), 3);

    let server = start_crm(
        &fixtures("crm"),
        Knobs {
            throttle_first: 5,
            retry_after_secs: 120,
            ..Knobs::default()
        },
    )
    .await
    .unwrap();
    let started = Instant::now();
    let err = crm(&server, "")
        .fetch(&two_emails())
        .await
        .unwrap_err()
        .to_string();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        err.contains("HTTP 429") && err.contains("wait 120 s") && err.contains("retry_max_secs"),
        "{err}"
    );
    assert!(
        !err.contains("001011") && !err.contains("gulcan"),
        "no personal data: {err}"
    );
}

#[tokio::test]
async fn a_hanging_server_times_out() {
    let server = start_crm(
        &fixtures("crm"),
        Knobs {
            hang: true,
            ..Knobs::default()
        },
    )
    .await
    .unwrap();
    let started = Instant::now();
    let err = crm(&server, "request_timeout_secs = 1\nretries = 1")
        .fetch(&two_emails())
        .await
        .unwrap_err()
        .to_string();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        err.contains("no answer within 1 s") && err.contains("2 attempts"),
        "{err}"
    );
    assert!(
        err.contains(&server.url) && err.contains("$filter=***"),
        "{err}"
    );
}

#[tokio::test]
async fn refused_credentials_name_the_variable_never_the_token() {
    let server = start_crm(&fixtures("crm"), Knobs::default()).await.unwrap();
    let mut vars = Variables::default();
    vars.set("T_CRM_URL", server.url.clone());
    vars.set("T_CRM_TOKEN", "wrong-token-123".into());
    let connector = HttpConnector::new(crm_config(""), &vars).unwrap();
    let err = connector
        .fetch(&two_emails())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("HTTP 401") && err.contains("T_CRM_TOKEN"),
        "{err}"
    );
    assert!(
        !err.contains("wrong-token-123") && !err.contains("001011"),
        "{err}"
    );
    let err = connector.check().await.unwrap_err().to_string();
    assert!(err.contains("T_CRM_TOKEN"), "{err}");
}

#[tokio::test]
async fn truncated_and_malformed_json_name_url_and_json_path() {
    for (knobs, expected) in [
        (
            Knobs {
                truncate_json: true,
                ..Knobs::default()
            },
            "cut off",
        ),
        (
            Knobs {
                malformed_json: true,
                ..Knobs::default()
            },
            "not valid JSON",
        ),
    ] {
        let server = start_crm(&fixtures("crm"), knobs).await.unwrap();
        let err = crm(&server, "")
            .fetch(&ask(&[(IdentifierKind::Klantnummer, "001011")]))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{err}");
        assert!(
            err.contains(&format!("{}/contactmomenten?", server.url)),
            "{err}"
        );
        assert!(err.contains("JSON path `$.value["), "{err}");
        assert!(!err.contains("001011"), "{err}");
    }
}

#[tokio::test]
async fn a_server_that_dies_fails_the_fetch() {
    let server = start_crm(
        &fixtures("crm"),
        Knobs {
            die_after: Some(1),
            ..Knobs::default()
        },
    )
    .await
    .unwrap();
    let err = crm(&server, "retries = 2\nrequest_timeout_secs = 1")
        .fetch(&two_emails())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("klachten") && err.contains("gave up after 3 attempts"),
        "{err}"
    );
}

#[tokio::test]
async fn responses_past_the_size_limit_are_refused() {
    let server = start_crm(&fixtures("crm"), Knobs::default()).await.unwrap();
    let err = crm(&server, "max_response_bytes = 200")
        .fetch(&two_emails())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("max_response_bytes = 200"), "{err}");
}

#[tokio::test]
async fn odata_check_reads_metadata() {
    let server = start_crm(&fixtures("crm"), Knobs::default()).await.unwrap();
    let report = crm(&server, "").check().await.unwrap();
    assert!(
        report.summary.contains("3 entity sets"),
        "{}",
        report.summary
    );

    let mut vars = Variables::default();
    vars.set("T_CRM_URL", server.url.clone());
    vars.set("T_CRM_TOKEN", server.secret.clone());
    let mut missing = crm_config("");
    missing.dataset[1].entity_set = Some("incidents".into());
    let err = HttpConnector::new(missing, &vars)
        .unwrap()
        .check()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("entity set `incidents`") && err.contains("klachten"),
        "{err}"
    );

    let mut undeclared = crm_config("");
    undeclared.dataset[1].spec.fields.shift_remove("status");
    let err = HttpConnector::new(undeclared, &vars)
        .unwrap()
        .check()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("not declared") && err.contains("status"),
        "{err}"
    );

    let mut typo = crm_config("");
    typo.dataset[0].spec.fields.insert(
        "kanal".into(),
        inzage_core::register::FieldSpec::Category("x".into()),
    );
    let err = HttpConnector::new(typo, &vars)
        .unwrap()
        .check()
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("`kanal` not found"), "{err}");
}

#[tokio::test]
async fn rest_reads_one_object_by_path_and_pages_by_page_and_limit() {
    let server = start_woningnet(&fixtures("woningnet"), Knobs::default())
        .await
        .unwrap();
    let connector = woningnet(&server, "");
    let outcome = connector
        .fetch(&ask(&[
            (IdentifierKind::Woningnet, "444232518"),
            (IdentifierKind::Woningnet, "000000000"),
        ]))
        .await
        .unwrap();
    assert_eq!(keys(&outcome, "Inschrijving"), ["444232518"]);
    assert_eq!(
        keys(&outcome, "Reactie"),
        ["RCT1000038", "RCT1000047", "RCT1000056", "RCT1000063"]
    );
    let inschrijving = outcome
        .records
        .iter()
        .find(|r| r.dataset == "Inschrijving")
        .unwrap();
    assert_eq!(
        inschrijving.get("zoekprofiel.huishoudgrootte"),
        Some(&inzage_core::Value::Integer(1))
    );
    let log = server.request_log();
    let pages = log
        .iter()
        .filter(|l| l.contains("/reacties?registratienummer=444232518"))
        .count();
    assert_eq!(
        pages, 5,
        "four full pages of one, then an empty one: {log:?}"
    );
    assert!(connector
        .check()
        .await
        .unwrap()
        .summary
        .contains("HTTP 200"));
}

#[tokio::test]
async fn rest_follows_cursors_and_link_headers() {
    let server = start_woningnet(
        &fixtures("woningnet"),
        Knobs {
            page_size: 1,
            ..Knobs::default()
        },
    )
    .await
    .unwrap();
    for paging in ["cursor", "link"] {
        let mut config = woningnet_config("");
        config.dataset[1].paging = if paging == "cursor" {
            Paging::Cursor
        } else {
            Paging::Link
        };
        let mut vars = Variables::default();
        vars.set("T_WN_URL", server.url.clone());
        vars.set("T_WN_KEY", server.secret.clone());
        let before = server.requests();
        let outcome = HttpConnector::new(config, &vars)
            .unwrap()
            .fetch(&ask(&[(IdentifierKind::Woningnet, "444232518")]))
            .await
            .unwrap();
        assert_eq!(keys(&outcome, "Reactie").len(), 4, "{paging}");
        assert_eq!(
            server.requests() - before,
            5,
            "{paging}: one object + four pages"
        );
    }
}

#[tokio::test]
async fn rest_check_names_the_api_key_variable() {
    let server = start_woningnet(&fixtures("woningnet"), Knobs::default())
        .await
        .unwrap();
    let mut vars = Variables::default();
    vars.set("T_WN_URL", server.url.clone());
    vars.set("T_WN_KEY", "nope".into());
    let err = HttpConnector::new(woningnet_config(""), &vars)
        .unwrap()
        .check()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("HTTP 401") && err.contains("T_WN_KEY"),
        "{err}"
    );
}

#[test]
fn plain_http_to_another_host_is_refused_with_the_url() {
    let mut config = crm_config("");
    config.url = "http://crm.example.org/odata".into();
    let problems = config.validate();
    assert!(
        problems[0].1.contains("http://crm.example.org"),
        "{problems:?}"
    );
    let mut vars = Variables::default();
    vars.set("T_CRM_TOKEN", "t".into());
    let mut config = crm_config("");
    vars.set("T_CRM_URL", "http://10.1.2.3:8080/odata".into());
    let err = HttpConnector::new(config.clone(), &vars)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("http://10.1.2.3:8080") && err.contains("allow_insecure_http"),
        "{err}"
    );
    config.allow_insecure_http = true;
    assert!(HttpConnector::new(config, &vars).is_ok());
}

#[test]
fn configuration_mistakes_are_named() {
    let mut config = woningnet_config("");
    config.api_key = Some("literal".into());
    config.dataset[0].path = Some("/inschrijvingen/{email}".into());
    config.dataset[1].path = Some("/reacties".into());
    let problems: Vec<String> = config.validate().into_iter().map(|p| p.1).collect();
    assert!(
        problems.iter().any(|p| p.contains("api_key")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("{email}") && p.contains("match")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("no placeholder")),
        "{problems:?}"
    );
}

#[test]
fn odata_literals_double_quotes_and_select_skips_expanded() {
    assert_eq!(odata::literal("x' or 1 eq 1"), "'x'' or 1 eq 1'");
    assert!(!odata::valid_literal("a\nb"));
    let mut d = crm_config("").dataset.remove(0);
    d.expand = Some("owner($select=name,mail),regarding".into());
    d.spec.fields.insert(
        "owner.name".into(),
        inzage_core::register::FieldSpec::Category("x".into()),
    );
    assert_eq!(d.expanded(), ["owner", "regarding"]);
    assert!(!odata::select(&d).contains(&"owner".to_string()));
}

/// Found in review: a server that caps the page size below ours sends short
/// pages that are not the last; paging goes on until an empty page.
#[tokio::test]
async fn rest_paging_goes_on_past_pages_shorter_than_asked() {
    let knobs = Knobs {
        page_size: 1,
        ..Knobs::default()
    };
    let server = start_woningnet(&fixtures("woningnet"), knobs)
        .await
        .unwrap();
    let head = settings(
        "id = \"woningnet\"\nlabel = \"WoningNet\"\ndialect = \"rest\"\nurl = \"${T_WN_URL}\"\napi_key = \"${T_WN_KEY}\"\ncheck_path = \"/status\"\nrequest_timeout_secs = 2",
        "",
    );
    let datasets = WONINGNET_DATASETS.replace("page_size = 1", "page_size = 50");
    let config: HttpConfig = toml::from_str(&format!("{head}\n{datasets}")).unwrap();
    let mut vars = Variables::default();
    vars.set("T_WN_URL", server.url.clone());
    vars.set("T_WN_KEY", server.secret.clone());
    let connector = HttpConnector::new(config, &vars).unwrap();
    let outcome = connector
        .fetch(&ask(&[(IdentifierKind::Woningnet, "444232518")]))
        .await
        .unwrap();
    assert_eq!(
        keys(&outcome, "Reactie"),
        ["RCT1000038", "RCT1000047", "RCT1000056", "RCT1000063"]
    );
}

/// Found in review: retry_max_secs caps the whole exchange, including the
/// attempt in flight, not just the waits between attempts.
#[tokio::test]
async fn retry_max_secs_caps_attempts_in_flight_too() {
    let knobs = Knobs {
        hang: true,
        ..Knobs::default()
    };
    let server = start_crm(&fixtures("crm"), knobs).await.unwrap();
    let connector = crm(
        &server,
        "request_timeout_secs = 2\nretries = 5\nretry_max_secs = 3",
    );
    let started = std::time::Instant::now();
    let err = connector
        .fetch(&ask(&[(IdentifierKind::Klantnummer, "001011")]))
        .await
        .unwrap_err()
        .to_string();
    let spent = started.elapsed();
    assert!(
        spent < std::time::Duration::from_millis(3800),
        "{spent:?}: {err}"
    );
    assert!(err.contains("retry_max_secs"), "{err}");
}

/// The fault matrix of the HTTP kind: every way a server can damage or
/// disguise a successful answer, each with the outcome and the message it
/// must give (place and cause, no control characters).
#[tokio::test]
async fn damaged_and_disguised_answers_fail_precisely_or_are_read() {
    use inzage_testkit::servers::BodyFault;
    let healthy = {
        let server = start_crm(&fixtures("crm"), Knobs::default()).await.unwrap();
        keys(
            &crm(&server, "").fetch(&two_emails()).await.unwrap(),
            "Contactmoment",
        )
    };
    // (fault, Ok or the parts the error must name)
    let cases: Vec<(BodyFault, Option<&[&str]>)> = vec![
        (BodyFault::Gzip, None),
        (BodyFault::GzipUnlabelled, None),
        (BodyFault::ControlCharacters, None),
        (
            BodyFault::GzipBomb(3 << 20),
            Some(&[
                "/contactmomenten",
                "decompression limit",
                "max_response_bytes = 1048576",
            ]),
        ),
        (
            BodyFault::GzipTruncated,
            Some(&[
                "/contactmomenten",
                "compressed with gzip",
                "damaged or cut off",
            ]),
        ),
        (
            BodyFault::InvalidUtf8,
            Some(&["/contactmomenten", "not valid UTF-8 at byte offset"]),
        ),
        (
            BodyFault::Html,
            Some(&["/contactmomenten", "expected JSON, got `text/html"]),
        ),
        (
            BodyFault::Redirect("http://elders.example:8081/login?klant=001011".into()),
            Some(&[
                "HTTP 302",
                "redirects to http://elders.example:8081",
                "not followed",
            ]),
        ),
        (
            BodyFault::Oversized(4 << 20),
            Some(&[
                "/contactmomenten",
                "larger than max_response_bytes = 1048576",
            ]),
        ),
        (
            BodyFault::DeepNesting(50_000),
            Some(&["/contactmomenten", "nested deeper than 128 levels"]),
        ),
    ];
    for (fault, expected) in cases {
        let server = start_crm(
            &fixtures("crm"),
            Knobs {
                body_fault: Some(fault.clone()),
                ..Knobs::default()
            },
        )
        .await
        .unwrap();
        let started = Instant::now();
        let result = crm(
            &server,
            "max_response_bytes = 1048576\nretries = 0\nrequest_timeout_secs = 15",
        )
        .fetch(&two_emails())
        .await;
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{fault:?} took {:?}",
            started.elapsed()
        );
        match (result, expected) {
            (Ok(outcome), None) => {
                assert_eq!(keys(&outcome, "Contactmoment"), healthy, "{fault:?}");
                if fault == BodyFault::ControlCharacters {
                    assert!(outcome
                        .records
                        .iter()
                        .flat_map(|r| &r.fields)
                        .any(|f| f.value.as_text().is_some_and(|t| t.contains('\0'))));
                }
            }
            (Err(e), Some(parts)) => {
                let message = e.to_string();
                for part in parts {
                    assert!(message.contains(part), "{fault:?}: {part:?} in {message}");
                }
                assert!(
                    !message.chars().any(char::is_control),
                    "{fault:?}: {message:?}"
                );
                assert!(
                    !message.contains("001011") && !message.contains(&server.secret),
                    "{fault:?}: no identifier or token in {message}"
                );
            }
            (other, _) => panic!("{fault:?}: unexpected {:?}", other.map(|o| o.records.len())),
        }
    }
}

/// A REST API without an endpoint free of personal data: without
/// `check_path`, `check` probes every endpoint with an identifier that
/// belongs to nobody, and tells "reachable, credentials accepted" (404 by
/// path, no records by query) from "credentials refused" (401) and "not
/// reachable", each saying what was tried.
#[tokio::test]
async fn rest_check_without_check_path_probes_with_an_identifier_of_nobody() {
    let server = start_woningnet(&fixtures("woningnet"), Knobs::default())
        .await
        .unwrap();
    let connect = |mut config: HttpConfig, url: &str, key: &str| {
        config.check_path = None;
        let mut vars = Variables::default();
        vars.set("T_WN_URL", url.to_string());
        vars.set("T_WN_KEY", key.to_string());
        HttpConnector::new(config, &vars).unwrap()
    };
    let probing = |url: &str, key: &str, extra: &str| connect(woningnet_config(extra), url, key);
    assert!(woningnet_config("").validate().is_empty());
    let mut without = woningnet_config("");
    without.check_path = None;
    assert!(without.validate().is_empty(), "check_path is optional");

    let healthy = probing(&server.url, &server.secret, "")
        .check()
        .await
        .unwrap();
    assert!(
        healthy.summary.contains("2 endpoint(s) probed")
            && healthy.summary.contains("credentials accepted"),
        "{}",
        healthy.summary
    );

    let refused = probing(&server.url, "nope", "")
        .check()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("probe of dataset `Inschrijving`")
            && refused.contains("HTTP 401")
            && refused.contains("credentials were refused")
            && refused.contains("T_WN_KEY"),
        "{refused}"
    );

    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/api/v1", listener.local_addr().unwrap());
        drop(listener);
        url
    };
    let unreachable = probing(&closed, &server.secret, "retries = 0")
        .check()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        unreachable.contains("probe of dataset") && unreachable.contains("cannot connect"),
        "{unreachable}"
    );

    // An endpoint that ignores the probe value answers with records: that
    // is a fault (a fetch would receive other people's data), never health.
    let mut unfiltered = woningnet_config("check_probe = \"100\"");
    unfiltered.dataset.remove(0);
    unfiltered.dataset[0].path = Some("/reacties?limit={woningnet}".into());
    unfiltered.dataset[0].paging = Paging::None;
    let leaky = connect(unfiltered, &server.url, &server.secret)
        .check()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        leaky.contains("does not filter on woningnet") && leaky.contains("record(s)"),
        "{leaky}"
    );
}
