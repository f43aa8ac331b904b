//! `schema.json`: a JSON Schema (draft 2020-12) generated from the
//! portability mapping, and validation against it (the `jsonschema` crate).

use inzage_core::{Lang, Register};
use serde_json::{json, Map, Value as Json};

use super::scope::FieldKind;
use super::{Plan, FORMAT};

/// The draft every generated schema declares.
pub const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

fn column_schema(kind: FieldKind, description: &str, from: &[String]) -> Json {
    let mut s = match kind {
        FieldKind::Text => json!({ "type": ["string", "null"] }),
        FieldKind::Date => json!({
            "type": ["string", "null"],
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}",
        }),
        FieldKind::Integer => json!({ "type": ["integer", "null"] }),
        FieldKind::Datetime => json!({
            "type": ["string", "null"],
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}",
        }),
        FieldKind::Boolean => json!({ "type": ["boolean", "null"] }),
        FieldKind::List => json!({ "type": ["array", "null"] }),
        FieldKind::Decimal => json!({
            "type": ["string", "null"],
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
        }),
    };
    let mut text = description.to_string();
    if !from.is_empty() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&format!("(bron: {})", from.join(", ")));
    }
    if !text.is_empty() {
        s["description"] = Json::String(text);
    }
    s
}

/// The schema for the bundle's `portability.json`.
pub fn schema(register: &Register, plan: &Plan, lang: Lang) -> Json {
    let mut entities = Map::new();
    for entity in &plan.entities {
        let mut properties = Map::new();
        properties.insert("bron".into(), json!({ "$ref": "#/$defs/bron" }));
        let mut required = vec![Json::String("bron".into())];
        for column in &entity.columns {
            properties.insert(
                column.name.clone(),
                column_schema(column.kind, &column.description, &column.from),
            );
            if column.always {
                required.push(Json::String(column.name.clone()));
            }
        }
        let mut item = json!({
            "type": "object",
            "properties": Json::Object(properties),
            "required": required,
            "additionalProperties": false,
        });
        if let Some(d) = &entity.description {
            item["description"] = Json::String(d.clone());
        }
        entities.insert(
            entity.name.clone(),
            json!({ "type": "array", "items": item }),
        );
    }
    let names: Vec<Json> = plan
        .entities
        .iter()
        .map(|e| Json::String(e.name.clone()))
        .collect();
    let title = match lang {
        Lang::Nl => format!(
            "Persoonsgegevens voor overdracht (AVG art. 20) van {}",
            register.organisation.name
        ),
        Lang::En => format!(
            "Personal data for portability (GDPR art. 20) from {}",
            register.organisation.name
        ),
    };
    json!({
        "$schema": DRAFT,
        "title": title,
        "type": "object",
        "properties": {
            "formaat": { "const": FORMAT },
            "aangemaakt": { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T" },
            "verstrekker": { "type": "string" },
            "betrokkene": {
                "type": "object",
                "properties": {
                    "soort": { "type": "string" },
                    "waarde": { "type": "string" },
                },
                "required": ["soort", "waarde"],
                "additionalProperties": false,
            },
            "gegevens": {
                "type": "object",
                "properties": Json::Object(entities),
                "required": names,
                "additionalProperties": false,
            },
        },
        "required": ["formaat", "aangemaakt", "verstrekker", "betrokkene", "gegevens"],
        "additionalProperties": false,
        "$defs": {
            "bron": {
                "description": "Waar het record vandaan komt: systeem, dataset en sleutel in dat systeem.",
                "type": "object",
                "properties": {
                    "systeem": { "type": "string" },
                    "dataset": { "type": "string" },
                    "sleutel": { "type": "string" },
                },
                "required": ["systeem", "dataset", "sleutel"],
                "additionalProperties": false,
            },
        },
    })
}

/// Validates a document against a schema (draft 2020-12). `Err` when the
/// schema itself is not valid; `Ok` with one line per problem otherwise
/// (`/gegevens/Huurovereenkomst/0/begindatum: ...`), values masked so that
/// no personal data lands in a message.
pub fn validate(schema: &Json, instance: &Json) -> Result<Vec<String>, String> {
    let validator = jsonschema::draft202012::new(schema).map_err(|e| e.masked().to_string())?;
    Ok(validator
        .iter_errors(instance)
        .map(|e| {
            let at = e.instance_path().to_string();
            let at = if at.is_empty() { "/".to_string() } else { at };
            format!("{at}: {}", e.masked())
        })
        .collect())
}
