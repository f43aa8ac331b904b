//! The `rest` dialect: templated paths, page/limit, cursor or Link paging,
//! records at `data_path`; `check` GETs `check_path`.

use std::collections::HashSet;

use inzage_core::{CheckReport, FetchRequest, IdentifierKind, SourceError};
use reqwest::header::LINK;
use reqwest::StatusCode;
use serde_json::{Map, Value as Json};
use url::Url;

use super::client::{encode, expect_json, Answer, Client};
use super::{json, HttpConfig, HttpDataset, Paging, MAX_PAGES};

/// The template with the value percent-encoded into its placeholder.
pub fn render(template: &str, kind: IdentifierKind, value: &str) -> String {
    template.replace(&format!("{{{kind}}}"), &encode(value))
}

/// `url` with `name=value` added to its query.
fn with_param(url: &Url, name: &str, value: &str) -> Url {
    let mut next = url.clone();
    let query = match url.query() {
        Some(q) if !q.is_empty() => format!("{q}&{}={}", encode(name), encode(value)),
        _ => format!("{}={}", encode(name), encode(value)),
    };
    next.set_query(Some(&query));
    next
}

/// The `rel="next"` target of a `Link` header.
pub fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        let is_next = params.split(';').any(|p| {
            let p = p.trim();
            p.strip_prefix("rel=").is_some_and(|rel| {
                rel.trim_matches('"')
                    .split_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("next"))
            })
        });
        is_next.then(|| target.to_string())
    })
}

fn body(answer: &Answer, shown: &str) -> Result<Json, SourceError> {
    expect_json(answer, shown)?;
    json::parse(&answer.body, shown)
}

/// The value at a dotted path (`meta.next_cursor`) as text; `None` when it
/// is absent, null or empty.
fn text_at(body: &Json, path: &str) -> Option<String> {
    let mut here = body;
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        here = here.get(segment)?;
    }
    match here {
        Json::String(s) if !s.is_empty() => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Every record the endpoint returns for the identifiers of `kind`.
pub async fn fetch(
    client: &Client,
    dataset: &HttpDataset,
    kind: IdentifierKind,
    template: &str,
    request: &FetchRequest,
) -> Result<Vec<Map<String, Json>>, SourceError> {
    let placeholder = format!("{{{kind}}}");
    let in_path = template
        .split('?')
        .next()
        .is_some_and(|p| p.contains(&placeholder));
    let mut records = Vec::new();
    for id in request.identifiers.iter().filter(|i| i.kind == kind) {
        // Asked in the dataset's own form, or not at all.
        let Some(value) = dataset.spec.written(id) else {
            continue;
        };
        let hide = [value.as_str()];
        let base = client.url(&render(template, kind, &value))?;
        let mut url = match dataset.paging {
            Paging::Page => with_param(
                &with_param(&base, &dataset.page_param, &dataset.first_page.to_string()),
                &dataset.limit_param,
                &dataset.page_size.to_string(),
            ),
            _ => base.clone(),
        };
        let mut page = dataset.first_page;
        let mut pages = 0usize;
        let mut seen = HashSet::new();
        let mut previous: Option<String> = None;
        loop {
            let shown = client.shown(&url, &hide);
            let answer = client.get(&url, "application/json", &[], &hide).await?;
            if answer.status == StatusCode::NOT_FOUND {
                if in_path {
                    break; // `/inschrijvingen/{woningnet}`: there is none.
                }
                return Err(SourceError::Missing {
                    location: shown,
                    what: format!("endpoint of dataset `{}` (HTTP 404)", dataset.spec.name),
                    present: "nothing; check `path` in connectors.toml".into(),
                });
            }
            let body = body(&answer, &shown)?;
            let cursor = match dataset.paging {
                Paging::Cursor => text_at(&body, &dataset.cursor_path),
                _ => None,
            };
            let found = json::records_at(body, &dataset.data_path, &shown)?;
            let count = found.len();
            let fingerprint =
                Json::Array(found.iter().cloned().map(Json::Object).collect()).to_string();
            if count > 0 && previous.as_deref() == Some(fingerprint.as_str()) {
                return Err(SourceError::Other(format!(
                    "{shown}: the server returned the same page twice; check the paging settings in connectors.toml"
                )));
            }
            previous = Some(fingerprint);
            records.extend(found);
            pages += 1;
            if pages >= MAX_PAGES {
                return Err(SourceError::Other(format!(
                    "{shown}: more than {MAX_PAGES} pages; check the paging settings in connectors.toml"
                )));
            }
            let next = match dataset.paging {
                Paging::None => None,
                Paging::Page => {
                    // Only an empty page ends the list: a server that caps
                    // the page size below ours returns short pages that are
                    // not the last.
                    if count == 0 {
                        None
                    } else {
                        page += 1;
                        Some(with_param(
                            &with_param(&base, &dataset.page_param, &page.to_string()),
                            &dataset.limit_param,
                            &dataset.page_size.to_string(),
                        ))
                    }
                }
                Paging::Cursor => match cursor {
                    Some(c) if seen.insert(c.clone()) => {
                        Some(with_param(&base, &dataset.cursor_param, &c))
                    }
                    Some(_) => {
                        return Err(SourceError::Other(format!(
                            "{shown}: the server returned the same cursor twice"
                        )))
                    }
                    None => None,
                },
                Paging::Link => match answer
                    .headers
                    .get_all(LINK)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .find_map(next_link)
                {
                    Some(link) => {
                        let next = client.follow(&url, &link, &hide)?;
                        if !seen.insert(next.to_string()) {
                            return Err(SourceError::Other(format!(
                                "{shown}: the Link header goes round in circles"
                            )));
                        }
                        Some(next)
                    }
                    None => None,
                },
            };
            match next {
                Some(n) => url = n,
                None => break,
            }
        }
    }
    Ok(records)
}

/// `check`: a cheap GET of `check_path` (an endpoint without personal data)
/// when one is configured; otherwise a probe of every dataset's endpoint
/// with an identifier that belongs to nobody.
///
/// Healthy answers of the probe: HTTP 404 where the identifier stands in
/// the path (`/inschrijvingen/{woningnet}`: reachable, the credentials
/// accepted, no such record), or a 2xx answer without records where it
/// stands in the query. Unhealthy: 401/403 (the credentials are refused),
/// no connection or no answer (not reachable), 5xx after the retries, a
/// 404 where the identifier stands in the query (no such endpoint), an
/// answer that is not JSON, and records for an identifier that belongs to
/// nobody (the endpoint does not filter on it: a fetch would return other
/// people's data). The records of such an answer are discarded unread.
pub async fn check(
    client: &Client,
    config: &HttpConfig,
    templates: &[Vec<(IdentifierKind, String)>],
) -> Result<CheckReport, SourceError> {
    match config.check_path.as_deref() {
        Some(path) => check_path(client, config, path).await,
        None => probe(client, config, templates).await,
    }
}

async fn check_path(
    client: &Client,
    config: &HttpConfig,
    path: &str,
) -> Result<CheckReport, SourceError> {
    let url = client.url(path)?;
    let shown = client.shown(&url, &[]);
    let answer = client.get(&url, "application/json", &[], &[]).await?;
    if answer.status == StatusCode::NOT_FOUND {
        return Err(SourceError::Missing {
            location: shown,
            what: "check_path (HTTP 404)".into(),
            present: "nothing; check url and check_path in connectors.toml".into(),
        });
    }
    Ok(CheckReport {
        summary: format!(
            "GET {shown}: HTTP {}; {} datasets configured",
            answer.status.as_u16(),
            config.dataset.len()
        ),
    })
}

/// The value the probe asks for: well-formed for its kind, nobody's.
fn probe_value(config: &HttpConfig, kind: IdentifierKind) -> String {
    match (&config.check_probe, kind) {
        (Some(value), _) => value.clone(),
        (None, IdentifierKind::Email) => "nobody@inzage-check.invalid".into(),
        (None, _) => "inzage-check-nonexistent".into(),
    }
}

async fn probe(
    client: &Client,
    config: &HttpConfig,
    templates: &[Vec<(IdentifierKind, String)>],
) -> Result<CheckReport, SourceError> {
    let mut probed = 0;
    for (dataset, templates) in config.dataset.iter().zip(templates) {
        for (kind, template) in templates {
            let value = probe_value(config, *kind);
            let tried = format!(
                "probe of dataset `{}` with a {kind} that belongs to nobody (`{value}`, no check_path configured)",
                dataset.spec.name
            );
            let request = FetchRequest {
                identifiers: vec![inzage_core::Identifier {
                    kind: *kind,
                    value: value.clone(),
                }],
                fetched_at: chrono::Utc::now(),
            };
            let found = fetch(client, dataset, *kind, template, &request)
                .await
                .map_err(|e| {
                    SourceError::Other(format!(
                        "{tried}: {}{}",
                        e,
                        if e.to_string().contains("HTTP 400") {
                            "; if the API refuses the probe value as malformed, set check_probe to a well-formed identifier that belongs to nobody, or set check_path to an endpoint without personal data"
                        } else {
                            ""
                        }
                    ))
                })?;
            if !found.is_empty() {
                return Err(SourceError::Other(format!(
                    "{tried}: the endpoint answered with {} record(s), so it does not filter on {kind}: an export would receive other people's data; check `path` in connectors.toml",
                    found.len()
                )));
            }
            probed += 1;
        }
    }
    Ok(CheckReport {
        summary: format!(
            "no check_path: {probed} endpoint(s) probed with identifiers that belong to nobody: reachable, credentials accepted, no records returned"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers_and_templates() {
        assert_eq!(
            next_link(r#"<https://h/x?page=2>; rel="next", <https://h/x?page=9>; rel="last""#)
                .as_deref(),
            Some("https://h/x?page=2")
        );
        assert_eq!(next_link(r#"<https://h/x?page=1>; rel="prev""#), None);
        assert_eq!(
            render("/x/{email}?a={email}", IdentifierKind::Email, "a b/c@d.nl"),
            "/x/a%20b%2Fc%40d.nl?a=a%20b%2Fc%40d.nl"
        );
        let u = Url::parse("http://h/x?a=1").unwrap();
        assert_eq!(
            with_param(&u, "page", "2").as_str(),
            "http://h/x?a=1&page=2"
        );
    }
}
