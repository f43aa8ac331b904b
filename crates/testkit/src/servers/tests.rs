//! The test servers, asked over real HTTP on 127.0.0.1.

use std::path::PathBuf;

use reqwest::StatusCode;
use serde_json::Value;

use super::*;

fn fixtures(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name)
}

async fn get(url: &str, auth: (&str, &str)) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let resp = reqwest::Client::new()
        .get(url)
        .header(auth.0, auth.1)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    (status, headers, resp.text().await.unwrap())
}

fn bearer(s: &RunningServer) -> (&'static str, String) {
    ("Authorization", format!("Bearer {}", s.secret))
}

#[tokio::test]
async fn crm_filters_selects_and_pages_with_next_links() {
    let crm = start_crm(
        &fixtures("crm"),
        Knobs {
            page_size: 2,
            ..Knobs::default()
        },
    )
    .await
    .unwrap();
    let (h, v) = bearer(&crm);
    let mut url = format!(
        "{}/contactmomenten?%24filter={}&%24select=contactmomentid,klantnummer",
        crm.url,
        encode("klantnummer eq '001011' or emailadres eq 'anais.gulcan@example.net'")
    );
    let mut ids = Vec::new();
    let mut pages = 0;
    loop {
        let (status, _, body) = get(&url, (h, &v)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let doc: Value = serde_json::from_str(&body).unwrap();
        for row in doc["value"].as_array().unwrap() {
            assert_eq!(row.as_object().unwrap().len(), 2, "$select applied");
            ids.push(row["contactmomentid"].as_str().unwrap().to_string());
        }
        pages += 1;
        match doc["@odata.nextLink"].as_str() {
            Some(next) => url = next.to_string(),
            None => break,
        }
    }
    assert_eq!(ids.len(), 5, "{ids:?}");
    assert_eq!(pages, 3);
}

#[tokio::test]
async fn crm_reads_injected_text_as_a_literal_or_refuses_it() {
    let crm = start_crm(&fixtures("crm"), Knobs::default()).await.unwrap();
    let (h, v) = bearer(&crm);
    let escaped = format!(
        "{}/contactmomenten?%24filter={}",
        crm.url,
        encode("klantnummer eq 'x'' or 1 eq 1'")
    );
    let (status, _, body) = get(&escaped, (h, &v)).await;
    assert_eq!(status, StatusCode::OK);
    let doc: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["value"].as_array().unwrap().len(), 0);
    let pasted = format!(
        "{}/contactmomenten?%24filter={}",
        crm.url,
        encode("klantnummer eq 'x' or 1 eq 1")
    );
    assert_eq!(get(&pasted, (h, &v)).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn crm_serves_metadata_and_demands_the_token() {
    let crm = start_crm(&fixtures("crm"), Knobs::default()).await.unwrap();
    let (h, v) = bearer(&crm);
    let (status, _, xml) = get(&format!("{}/$metadata", crm.url), (h, &v)).await;
    assert_eq!(status, StatusCode::OK);
    for set in ["contactmomenten", "klachten", "notities"] {
        assert!(xml.contains(&format!("<EntitySet Name=\"{set}\"")), "{xml}");
    }
    assert!(xml.contains("<Property Name=\"emailadres\""));
    let (status, headers, _) = get(
        &format!("{}/klachten", crm.url),
        ("Authorization", "Bearer wrong"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers.contains_key("www-authenticate"));
    assert_eq!(crm.secret.len(), 32);
}

#[tokio::test]
async fn woningnet_pages_by_page_limit_link_and_cursor() {
    let wn = start_woningnet(&fixtures("woningnet"), Knobs::default())
        .await
        .unwrap();
    let key = ("X-Api-Key", wn.secret.as_str());
    let (status, _, body) = get(&format!("{}/inschrijvingen/469095494", wn.url), key).await;
    assert_eq!(status, StatusCode::OK);
    let doc: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["zoekprofiel"]["huishoudgrootte"], 2);
    assert_eq!(
        get(&format!("{}/inschrijvingen/000", wn.url), key).await.0,
        StatusCode::NOT_FOUND
    );
    let mut got = Vec::new();
    for page in 1..=5 {
        let (_, headers, body) = get(
            &format!(
                "{}/reacties?registratienummer=444232518&page={page}&limit=1",
                wn.url
            ),
            key,
        )
        .await;
        let doc: Value = serde_json::from_str(&body).unwrap();
        for r in doc["data"].as_array().unwrap() {
            got.push(r["reactieid"].as_str().unwrap().to_string());
        }
        assert_eq!(headers.contains_key("link"), page < 4, "page {page}");
    }
    assert_eq!(got.len(), 4);
    let (_, _, body) = get(
        &format!(
            "{}/reacties?registratienummer=444232518&cursor=o3&limit=1",
            wn.url
        ),
        key,
    )
    .await;
    let doc: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["data"][0]["reactieid"].as_str().unwrap(), got[3]);
    assert!(doc["next_cursor"].is_null());
    assert_eq!(
        get(&format!("{}/reacties?bogus=1", wn.url), key).await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&format!("{}/status", wn.url), ("X-Api-Key", "nope"))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn knobs_fail_throttle_mangle_and_die() {
    let wn = start_woningnet(
        &fixtures("woningnet"),
        Knobs {
            fail_first: 1,
            throttle_first: 1,
            retry_after_secs: 7,
            die_after: Some(4),
            truncate_json: true,
            ..Knobs::default()
        },
    )
    .await
    .unwrap();
    let key = ("X-Api-Key", wn.secret.as_str());
    let url = format!("{}/reacties?registratienummer=444232518", wn.url);
    assert_eq!(get(&url, key).await.0, StatusCode::INTERNAL_SERVER_ERROR);
    let (status, headers, _) = get(&url, key).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers["retry-after"], "7");
    let (status, _, body) = get(&url, key).await;
    assert_eq!(status, StatusCode::OK);
    assert!(serde_json::from_str::<Value>(&body).unwrap_err().is_eof());
    get(&url, key).await;
    // The fifth request gets no answer, and the server is gone.
    let fifth = reqwest::Client::new()
        .get(&url)
        .header(key.0, key.1)
        .send()
        .await;
    assert!(fifth.is_err());
    let sixth = reqwest::Client::new()
        .get(&url)
        .header(key.0, key.1)
        .send()
        .await;
    assert!(sixth.unwrap_err().is_connect());
    assert_eq!(wn.requests(), 5);
}

#[tokio::test]
async fn malformed_json_has_a_syntax_error() {
    let crm = start_crm(
        &fixtures("crm"),
        Knobs {
            malformed_json: true,
            ..Knobs::default()
        },
    )
    .await
    .unwrap();
    let (h, v) = bearer(&crm);
    let (_, _, body) = get(&format!("{}/notities", crm.url), (h, &v)).await;
    assert!(serde_json::from_str::<Value>(&body)
        .unwrap_err()
        .is_syntax());
}
