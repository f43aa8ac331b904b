//! The `odata` dialect: `$filter` of escaped equality literals joined by
//! `or`, `$select`, `$expand`, `@odata.nextLink`; `check` reads `$metadata`.

use std::collections::{HashMap, HashSet};

use inzage_core::{CheckReport, FetchRequest, SourceError};
use regex::Regex;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::StatusCode;
use serde_json::{Map, Value as Json};

use super::client::{encode, expect_json, Client};
use super::{json, HttpConfig, HttpDataset, MAX_PAGES};

/// True when a value may be sent as an OData string literal: not empty,
/// not absurdly long, no control characters. Quotes are doubled on top.
pub fn valid_literal(value: &str) -> bool {
    !value.is_empty() && value.len() <= 256 && !value.chars().any(char::is_control)
}

/// `'it''s'`: an OData string literal.
pub fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// `klantnummer eq '001011'` for every requested identifier and match column.
pub fn conditions(dataset: &HttpDataset, request: &FetchRequest) -> (Vec<String>, Vec<String>) {
    let mut conditions = Vec::new();
    let mut values = Vec::new();
    for (kind, columns) in &dataset.spec.matches {
        for id in request.identifiers.iter().filter(|i| i.kind == *kind) {
            // Asked in the dataset's own form, or not at all.
            let Some(value) = dataset.spec.written(id) else {
                continue;
            };
            if !valid_literal(&value) {
                tracing::warn!(identifier = %id.masked(), "identifier not sent: it holds characters an OData literal cannot carry");
                continue;
            }
            for column in columns.columns() {
                conditions.push(format!(
                    "{} eq {}",
                    column.replace('.', "/"),
                    literal(&value)
                ));
            }
            values.push(value);
        }
    }
    (conditions, values)
}

/// The top-level properties to `$select`: every column the dataset refers
/// to, except those inside an `$expand`ed navigation property.
pub fn select(dataset: &HttpDataset) -> Vec<String> {
    let expanded = dataset.expanded();
    let mut out: Vec<String> = Vec::new();
    for column in dataset.spec.referenced_columns() {
        let top = column.split('.').next().unwrap_or(column).to_string();
        if !expanded.contains(&top) && !out.contains(&top) {
            out.push(top);
        }
    }
    out
}

fn headers(config: &HttpConfig) -> Vec<(HeaderName, HeaderValue)> {
    let mut h = vec![
        (
            HeaderName::from_static("odata-version"),
            HeaderValue::from_static("4.0"),
        ),
        (
            HeaderName::from_static("odata-maxversion"),
            HeaderValue::from_static("4.0"),
        ),
    ];
    if let Some(n) = config.page_size {
        if let Ok(v) = HeaderValue::from_str(&format!("odata.maxpagesize={n}")) {
            h.push((HeaderName::from_static("prefer"), v));
        }
    }
    h
}

/// Every record of the entity set that the server returns for the
/// requested identifiers: one query per batch of conditions, all pages.
pub async fn fetch(
    client: &Client,
    config: &HttpConfig,
    dataset: &HttpDataset,
    request: &FetchRequest,
) -> Result<Vec<Map<String, Json>>, SourceError> {
    let set = dataset.entity_set.as_deref().unwrap_or_default();
    let (conditions, values) = conditions(dataset, request);
    let hide: Vec<&str> = values.iter().map(String::as_str).collect();
    let select = select(dataset);
    let extra = headers(config);
    let mut records = Vec::new();
    for batch in conditions.chunks(config.batch_size.max(1)) {
        let mut relative = format!("{}?$filter={}", encode(set), encode(&batch.join(" or ")));
        if !select.is_empty() {
            relative.push_str(&format!("&$select={}", select.join(",")));
        }
        if let Some(expand) = &dataset.expand {
            relative.push_str(&format!("&$expand={}", encode(expand)));
        }
        let mut url = client.url(&relative)?;
        let mut visited = HashSet::new();
        loop {
            let shown = client.shown(&url, &hide);
            let answer = client.get(&url, "application/json", &extra, &hide).await?;
            if answer.status == StatusCode::NOT_FOUND {
                return Err(SourceError::Missing {
                    location: shown,
                    what: format!("entity set `{set}` (dataset `{}`)", dataset.spec.name),
                    present: "see `inzage check`, which reads $metadata".into(),
                });
            }
            expect_json(&answer, &shown)?;
            let mut body = json::parse(&answer.body, &shown)?;
            let next = match &mut body {
                Json::Object(map) => match map.remove("@odata.nextLink") {
                    Some(Json::String(s)) => Some(s),
                    Some(Json::Null) | None => None,
                    Some(_) => {
                        return Err(SourceError::Other(format!(
                            "{shown}: `@odata.nextLink` at JSON path `$.@odata.nextLink` is not a string"
                        )))
                    }
                },
                _ => None,
            };
            if !matches!(body, Json::Object(_)) {
                return Err(SourceError::Other(format!(
                    "{shown}: expected an OData response object with `value` at JSON path `$`"
                )));
            }
            records.extend(json::records_at(body, "value", &shown)?);
            let Some(link) = next else { break };
            visited.insert(url.clone());
            url = client.follow(&url, &link, &hide)?;
            if visited.contains(&url) || visited.len() >= MAX_PAGES {
                return Err(SourceError::Other(format!(
                    "{shown}: the next-page links go round in circles or past {MAX_PAGES} pages"
                )));
            }
        }
    }
    Ok(records)
}

/// Entity type name -> its properties and navigation properties.
pub type EntityTypes = HashMap<String, Vec<String>>;

/// Entity sets (name -> entity type, unqualified) and entity types
/// (name -> properties and navigation properties) of a CSDL document.
pub fn parse_metadata(xml: &str) -> (Vec<(String, String)>, EntityTypes) {
    let attr = Regex::new(r#"\b(Name|EntityType)\s*=\s*"([^"]*)""#).expect("valid regex");
    let set_tag = Regex::new(r"<EntitySet\b([^>]*)>").expect("valid regex");
    let type_block =
        Regex::new(r"(?s)<EntityType\b([^>]*[^/])>(.*?)</EntityType>").expect("valid regex");
    let property = Regex::new(r#"<(?:Property|NavigationProperty)\b[^>]*?\bName\s*=\s*"([^"]*)""#)
        .expect("valid regex");
    let mut sets = Vec::new();
    for tag in set_tag.captures_iter(xml) {
        let mut name = None;
        let mut ty = None;
        for a in attr.captures_iter(&tag[1]) {
            match &a[1] {
                "Name" => name = Some(a[2].to_string()),
                _ => ty = Some(a[2].rsplit('.').next().unwrap_or_default().to_string()),
            }
        }
        if let Some(name) = name {
            sets.push((name, ty.unwrap_or_default()));
        }
    }
    let mut types = HashMap::new();
    for block in type_block.captures_iter(xml) {
        let Some(name) = attr
            .captures_iter(&block[1])
            .find(|a| &a[1] == "Name")
            .map(|a| a[2].to_string())
        else {
            continue;
        };
        let props = property
            .captures_iter(&block[2])
            .map(|p| p[1].to_string())
            .collect();
        types.insert(name, props);
    }
    (sets, types)
}

/// Reads `$metadata`: every entity set exists, every column the datasets
/// name is a property, every property is declared or excluded.
pub async fn check(client: &Client, config: &HttpConfig) -> Result<CheckReport, SourceError> {
    let url = client.url("$metadata")?;
    let shown = client.shown(&url, &[]);
    let answer = client
        .get(&url, "application/xml", &headers(config), &[])
        .await?;
    if answer.status == StatusCode::NOT_FOUND {
        return Err(SourceError::Missing {
            location: shown,
            what: "the OData $metadata document".into(),
            present: "nothing; check that url is the service root".into(),
        });
    }
    let xml = String::from_utf8_lossy(&answer.body);
    if !xml.contains("EntityContainer") {
        return Err(SourceError::Other(format!(
            "{shown}: not an OData CSDL document (no EntityContainer); check that url is the service root"
        )));
    }
    let (sets, types) = parse_metadata(&xml);
    let present = crate::limits::name_list(sets.iter().map(|(n, _)| n.as_str()));
    let mut checked_properties = 0;
    for dataset in &config.dataset {
        let set = dataset.entity_set.as_deref().unwrap_or_default();
        let Some((_, ty)) = sets.iter().find(|(n, _)| n == set) else {
            return Err(SourceError::Missing {
                location: shown,
                what: format!("entity set `{set}` (dataset `{}`)", dataset.spec.name),
                present,
            });
        };
        let Some(properties) = types.get(ty) else {
            continue;
        };
        let expanded = dataset.expanded();
        for column in dataset.spec.referenced_columns() {
            let top = column.split('.').next().unwrap_or(column);
            if !properties.iter().any(|p| p == top) && !expanded.iter().any(|e| e == top) {
                return Err(SourceError::MissingColumn {
                    location: format!("{shown} entity set `{set}`"),
                    dataset: dataset.spec.name.clone(),
                    column: column.to_string(),
                    present: crate::limits::name_list(properties.iter().map(String::as_str)),
                });
            }
        }
        let covered = |p: &str| {
            let nested = format!("{p}.");
            dataset
                .spec
                .fields
                .keys()
                .chain(dataset.spec.exclude.iter())
                .any(|k| k == p || k.starts_with(&nested))
        };
        let undeclared: Vec<&str> = properties
            .iter()
            .map(String::as_str)
            .filter(|p| !covered(p))
            .collect();
        if !undeclared.is_empty() {
            return Err(SourceError::Config(format!(
                "dataset `{}`: entity set `{set}` has properties not declared in connectors.toml: {}; add them to fields with a category, or to `exclude`",
                dataset.spec.name,
                crate::limits::name_list(undeclared)
            )));
        }
        checked_properties += properties.len();
    }
    Ok(CheckReport {
        summary: format!(
            "{shown}: {} entity sets; {} datasets, {checked_properties} properties checked",
            sets.len(),
            config.dataset.len()
        ),
    })
}
