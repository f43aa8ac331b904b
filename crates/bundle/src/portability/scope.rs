//! Which datasets and fields go into a portability bundle (GDPR art. 20),
//! decided from the register alone: origin, legal basis of the purposes,
//! special categories and portable categories. Nothing here names a dataset.

use inzage_core::register::{FieldType, LegalBasis, Origin};
use inzage_core::{DatasetSpec, Lang, Register};
use serde::Serialize;

/// Why a dataset stays out of the portability bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum DatasetReason {
    /// The register gives no origin, so it cannot be shown to be provided
    /// or observed.
    NoOrigin,
    /// Derived or inferred by the organisation (scores, flags, segments).
    Derived,
    /// Received from another party, who can be asked directly.
    ThirdParty {
        /// The party (recipient id), when named.
        party: Option<String>,
        /// Its label.
        party_label: Option<String>,
    },
    /// Holds special-category or criminal data (art. 9/10).
    SpecialCategory {
        /// The special categories (ids).
        categories: Vec<String>,
    },
    /// No purpose rests on contract or consent (only legal obligation,
    /// legitimate interest or public task).
    NoContractOrConsent {
        /// `purpose id: legal basis` of every purpose.
        purposes: Vec<String>,
    },
}

/// Why a field of an included dataset stays out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum FieldReason {
    /// A national identification number (the BSN).
    NationalId {
        /// Category id.
        category: String,
    },
    /// Its category is not portable in the register.
    NotPortable {
        /// Category id.
        category: String,
    },
    /// The register gives it no (known) category.
    NoCategory,
}

/// A field that goes into the bundle, and its name and type there.
#[derive(Clone, Debug, Serialize)]
pub struct IncludedField {
    /// Name in the source.
    pub field: String,
    /// Name in the entity.
    pub name: String,
    /// Type in `portability.json` (text when not declared).
    #[serde(rename = "type")]
    pub field_type: FieldKind,
    /// Meaning, for the receiver (mapping description, field label or
    /// category label, in the bundle's language).
    #[serde(skip)]
    pub description: String,
}

/// The JSON type a field has in `portability.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// A string.
    Text,
    /// A string `YYYY-MM-DD`.
    Date,
    /// A whole number.
    Integer,
    /// An exact decimal as a string (`712.50`).
    Decimal,
    /// A string `YYYY-MM-DDThh:mm:ss`, with its offset when known.
    Datetime,
    /// `true` or `false`.
    Boolean,
    /// An array of values.
    List,
}

impl From<FieldType> for FieldKind {
    fn from(t: FieldType) -> Self {
        match t {
            FieldType::Text => FieldKind::Text,
            FieldType::Date => FieldKind::Date,
            FieldType::Integer => FieldKind::Integer,
            FieldType::Decimal => FieldKind::Decimal,
            FieldType::Datetime => FieldKind::Datetime,
            FieldType::Boolean => FieldKind::Boolean,
            FieldType::List => FieldKind::List,
        }
    }
}

/// A field left out, with its reason.
#[derive(Clone, Debug, Serialize)]
pub struct ExcludedField {
    /// Name in the source.
    pub field: String,
    /// Why.
    #[serde(flatten)]
    pub reason: FieldReason,
}

/// The decision for one dataset of one source.
#[derive(Clone, Debug, Serialize)]
pub struct DatasetDecision {
    /// Connector id.
    pub source: String,
    /// Dataset name.
    pub dataset: String,
    /// The entity it becomes, when included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// Why it is out; empty when it is in.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<DatasetReason>,
    /// Fields that go in, in mapping order (empty when out).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<IncludedField>,
    /// Fields left out of an included dataset.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub excluded_fields: Vec<ExcludedField>,
}

impl DatasetDecision {
    /// True when the dataset goes into the bundle.
    pub fn included(&self) -> bool {
        self.reasons.is_empty()
    }
}

/// Decides the scope of one dataset.
pub fn decide(
    register: &Register,
    source: &str,
    spec: &DatasetSpec,
    lang: Lang,
) -> DatasetDecision {
    let mut reasons = Vec::new();
    match spec.origin {
        None => reasons.push(DatasetReason::NoOrigin),
        Some(Origin::Derived) => reasons.push(DatasetReason::Derived),
        Some(Origin::ThirdParty) => reasons.push(DatasetReason::ThirdParty {
            party: spec.origin_party.clone(),
            party_label: spec
                .origin_party
                .as_ref()
                .and_then(|p| register.recipients.get(p))
                .map(|r| r.label.get(lang).to_string()),
        }),
        Some(Origin::Subject | Origin::Observed) => {}
    }
    let mut special: Vec<String> = Vec::new();
    for field in fields_in_bundles(spec) {
        if let Some((id, c)) = field_category(register, spec, field) {
            if c.special && !c.national_id && !special.iter().any(|s| s == id) {
                special.push(id.to_string());
            }
        }
    }
    if !special.is_empty() {
        reasons.push(DatasetReason::SpecialCategory {
            categories: special,
        });
    }
    let bases: Vec<(&str, LegalBasis)> = spec
        .purposes
        .iter()
        .filter_map(|id| register.purposes.get_key_value(id))
        .map(|(id, p)| (id.as_str(), p.legal_basis))
        .collect();
    if !bases.iter().any(|(_, b)| b.allows_portability()) {
        reasons.push(DatasetReason::NoContractOrConsent {
            purposes: bases
                .iter()
                .map(|(id, b)| format!("{id}: {}", basis_name(*b)))
                .collect(),
        });
    }
    let mut decision = DatasetDecision {
        source: source.to_string(),
        dataset: spec.name.clone(),
        entity: None,
        reasons,
        fields: Vec::new(),
        excluded_fields: Vec::new(),
    };
    if !decision.included() {
        return decision;
    }
    decision.entity = Some(
        spec.portability
            .as_ref()
            .map(|m| m.entity.clone())
            .unwrap_or_else(|| spec.name.clone()),
    );
    for field in fields_in_bundles(spec) {
        let reason = match field_category(register, spec, field) {
            None => Some(FieldReason::NoCategory),
            Some((id, c)) if c.national_id => Some(FieldReason::NationalId {
                category: id.to_string(),
            }),
            Some((id, c)) if !c.portable => Some(FieldReason::NotPortable {
                category: id.to_string(),
            }),
            Some(_) => None,
        };
        if let Some(reason) = reason {
            decision.excluded_fields.push(ExcludedField {
                field: field.to_string(),
                reason,
            });
            continue;
        }
        let details = spec
            .fields
            .get(field)
            .map(|f| f.details())
            .unwrap_or_default();
        let mapped = spec.portability.as_ref().and_then(|m| m.fields.get(field));
        let name = mapped
            .map(|m| m.name().to_string())
            .unwrap_or_else(|| field.to_string());
        let field_type = mapped
            .and_then(|m| m.field_type())
            .or(details.field_type)
            .map(FieldKind::from)
            .unwrap_or(FieldKind::Text);
        let description = mapped
            .and_then(|m| m.description())
            .or(details.label.as_ref())
            .map(|t| t.get(lang).to_string())
            .or_else(|| {
                details
                    .category
                    .as_ref()
                    .and_then(|c| register.categories.get(c))
                    .map(|c| c.label.get(lang).to_string())
            })
            .unwrap_or_default();
        decision.fields.push(IncludedField {
            field: field.to_string(),
            name,
            field_type,
            description,
        });
    }
    decision
}

/// The declared fields that any bundle carries (not `exclude`d).
fn fields_in_bundles(spec: &DatasetSpec) -> impl Iterator<Item = &str> {
    spec.fields
        .keys()
        .map(String::as_str)
        .filter(|f| !spec.exclude.iter().any(|e| e == f))
}

fn field_category<'a>(
    register: &'a Register,
    spec: &DatasetSpec,
    field: &str,
) -> Option<(&'a str, &'a inzage_core::register::Category)> {
    spec.fields
        .get(field)
        .and_then(|f| f.category())
        .and_then(|c| register.categories.get_key_value(c))
        .map(|(id, c)| (id.as_str(), c))
}

/// The snake_case name of a legal basis, as in connectors.toml.
pub fn basis_name(basis: LegalBasis) -> &'static str {
    match basis {
        LegalBasis::Consent => "consent",
        LegalBasis::Contract => "contract",
        LegalBasis::LegalObligation => "legal_obligation",
        LegalBasis::PublicTask => "public_task",
        LegalBasis::LegitimateInterest => "legitimate_interest",
    }
}

/// A legal basis in plain words.
pub fn basis_words(basis: LegalBasis, lang: Lang) -> &'static str {
    match (basis, lang) {
        (LegalBasis::Consent, Lang::Nl) => "toestemming",
        (LegalBasis::Contract, Lang::Nl) => "overeenkomst",
        (LegalBasis::LegalObligation, Lang::Nl) => "wettelijke verplichting",
        (LegalBasis::PublicTask, Lang::Nl) => "taak van algemeen belang",
        (LegalBasis::LegitimateInterest, Lang::Nl) => "gerechtvaardigd belang",
        (LegalBasis::Consent, Lang::En) => "consent",
        (LegalBasis::Contract, Lang::En) => "contract",
        (LegalBasis::LegalObligation, Lang::En) => "legal obligation",
        (LegalBasis::PublicTask, Lang::En) => "public task",
        (LegalBasis::LegitimateInterest, Lang::En) => "legitimate interest",
    }
}

/// A dataset reason in plain words.
pub fn dataset_reason_words(register: &Register, reason: &DatasetReason, lang: Lang) -> String {
    let category_labels = |ids: &[String]| {
        ids.iter()
            .map(|id| {
                register
                    .categories
                    .get(id)
                    .map(|c| c.label.get(lang).to_string())
                    .unwrap_or_else(|| id.clone())
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let purposes_words = |ids: &[String]| {
        ids.iter()
            .filter_map(|p| p.split(':').next())
            .filter_map(|id| register.purposes.get(id))
            .map(|p| {
                format!(
                    "{} ({})",
                    p.label.get(lang),
                    basis_words(p.legal_basis, lang)
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    match (reason, lang) {
        (DatasetReason::NoOrigin, Lang::Nl) => {
            "het register zegt niet waar deze gegevens vandaan komen".into()
        }
        (DatasetReason::NoOrigin, Lang::En) => {
            "the register does not say where this data came from".into()
        }
        (DatasetReason::Derived, Lang::Nl) => {
            "afgeleide gegevens: door ons berekend of ingeschat, niet door u verstrekt".into()
        }
        (DatasetReason::Derived, Lang::En) => {
            "derived data: worked out or inferred by us, not provided by you".into()
        }
        (DatasetReason::ThirdParty { party_label, .. }, Lang::Nl) => format!(
            "ontvangen van een andere partij ({}), niet van u; vraag die partij er zelf om",
            party_label.as_deref().unwrap_or("onbekend")
        ),
        (DatasetReason::ThirdParty { party_label, .. }, Lang::En) => format!(
            "received from another party ({}), not from you; ask that party for it",
            party_label.as_deref().unwrap_or("unknown")
        ),
        (DatasetReason::SpecialCategory { categories }, Lang::Nl) => format!(
            "bijzondere of strafrechtelijke persoonsgegevens (AVG art. 9/10): {}",
            category_labels(categories)
        ),
        (DatasetReason::SpecialCategory { categories }, Lang::En) => format!(
            "special-category or criminal data (GDPR art. 9/10): {}",
            category_labels(categories)
        ),
        (DatasetReason::NoContractOrConsent { purposes }, Lang::Nl) => format!(
            "niet verwerkt op grond van een overeenkomst of toestemming, alleen voor: {}",
            purposes_words(purposes)
        ),
        (DatasetReason::NoContractOrConsent { purposes }, Lang::En) => format!(
            "not processed under a contract or consent, only for: {}",
            purposes_words(purposes)
        ),
    }
}

/// A field reason in plain words.
pub fn field_reason_words(register: &Register, reason: &FieldReason, lang: Lang) -> String {
    let label = |id: &str| {
        register
            .categories
            .get(id)
            .map(|c| c.label.get(lang).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    match (reason, lang) {
        (FieldReason::NationalId { .. }, Lang::Nl) => {
            "het BSN gaat nooit mee: het mag alleen gebruikt worden waar de wet dat voorschrijft"
                .into()
        }
        (FieldReason::NationalId { .. }, Lang::En) => {
            "the BSN never goes along: it may only be used where the law prescribes it".into()
        }
        (FieldReason::NotPortable { category }, Lang::Nl) => format!(
            "de categorie \"{}\" valt niet onder het recht op overdraagbaarheid",
            label(category)
        ),
        (FieldReason::NotPortable { category }, Lang::En) => format!(
            "the category \"{}\" is not covered by the right to data portability",
            label(category)
        ),
        (FieldReason::NoCategory, Lang::Nl) => "het register geeft dit veld geen categorie".into(),
        (FieldReason::NoCategory, Lang::En) => "the register gives this field no category".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn register() -> Register {
        serde_json::from_value(json!({
            "organisation": {
                "name": "Woonstichting Test",
                "privacy_contact": "privacy@example.org",
                "supervisory_authority": "AP",
                "automated_decision_making": "geen"
            },
            "purposes": {
                "verhuur": { "label": "Verhuur", "legal_basis": "contract" },
                "nieuwsbrief": { "label": "Nieuwsbrief", "legal_basis": "consent" },
                "toets": { "label": "Inkomenstoets", "legal_basis": "legal_obligation" },
                "overlast": { "label": "Overlast", "legal_basis": "legitimate_interest" }
            },
            "recipients": {
                "fiscus": { "label": "Belastingdienst", "kind": "public_authority" }
            },
            "categories": {
                "naw": { "label": "Naam en adres", "portable": true },
                "bsn": { "label": "BSN", "special": true, "national_id": true },
                "inkomen": { "label": "Inkomen" },
                "overlast": { "label": "Overlast", "special": true }
            }
        }))
        .unwrap()
    }

    fn dataset(extra: serde_json::Value) -> DatasetSpec {
        let mut base = json!({
            "name": "Relatie",
            "purposes": ["verhuur"],
            "origin": "subject",
            "fields": { "naam": "naw", "bsn": "bsn", "inkomen": "inkomen" }
        });
        for (k, v) in extra.as_object().unwrap() {
            base[k] = v.clone();
        }
        serde_json::from_value(base).unwrap()
    }

    fn reasons(d: &DatasetDecision) -> Vec<&'static str> {
        d.reasons
            .iter()
            .map(|r| match r {
                DatasetReason::NoOrigin => "no_origin",
                DatasetReason::Derived => "derived",
                DatasetReason::ThirdParty { .. } => "third_party",
                DatasetReason::SpecialCategory { .. } => "special",
                DatasetReason::NoContractOrConsent { .. } => "basis",
            })
            .collect()
    }

    #[test]
    fn provided_data_under_contract_goes_in_without_bsn_and_non_portable_fields() {
        let r = register();
        let d = decide(
            &r,
            "erp",
            &dataset(json!({
                "portability": { "entity": "NatuurlijkPersoon", "fields": { "naam": "achternaam" } }
            })),
            Lang::Nl,
        );
        assert!(d.included(), "{:?}", d.reasons);
        assert_eq!(d.entity.as_deref(), Some("NatuurlijkPersoon"));
        assert_eq!(d.fields.len(), 1);
        assert_eq!(d.fields[0].name, "achternaam");
        assert_eq!(
            d.excluded_fields
                .iter()
                .map(|f| &f.reason)
                .collect::<Vec<_>>(),
            [
                &FieldReason::NationalId {
                    category: "bsn".into()
                },
                &FieldReason::NotPortable {
                    category: "inkomen".into()
                }
            ]
        );
        let words = field_reason_words(&r, &d.excluded_fields[1].reason, Lang::En);
        assert!(words.contains("\"Inkomen\""), "{words}");
    }

    #[test]
    fn consent_is_enough_and_observed_data_counts() {
        let d = decide(
            &register(),
            "crm",
            &dataset(json!({ "purposes": ["nieuwsbrief", "overlast"], "origin": "observed" })),
            Lang::Nl,
        );
        assert!(d.included());
        assert_eq!(d.entity.as_deref(), Some("Relatie"), "no mapping: own name");
    }

    #[test]
    fn derived_third_party_special_and_other_bases_stay_out_with_every_reason() {
        let r = register();
        let derived = decide(&r, "x", &dataset(json!({ "origin": "derived" })), Lang::Nl);
        assert_eq!(reasons(&derived), ["derived"]);
        let received = decide(
            &r,
            "x",
            &dataset(
                json!({ "origin": "third_party", "origin_party": "fiscus", "purposes": ["toets"] }),
            ),
            Lang::Nl,
        );
        assert_eq!(reasons(&received), ["third_party", "basis"]);
        let words = dataset_reason_words(&r, &received.reasons[0], Lang::Nl);
        assert!(words.contains("Belastingdienst"), "{words}");
        let words = dataset_reason_words(&r, &received.reasons[1], Lang::Nl);
        assert!(
            words.contains("Inkomenstoets (wettelijke verplichting)"),
            "{words}"
        );
        let special = decide(
            &r,
            "x",
            &dataset(json!({ "fields": { "naam": "naw", "melding": "overlast" } })),
            Lang::Nl,
        );
        assert_eq!(reasons(&special), ["special"]);
        assert!(special.fields.is_empty() && special.entity.is_none());
        let interest = decide(
            &r,
            "x",
            &dataset(json!({ "purposes": ["overlast"] })),
            Lang::Nl,
        );
        assert_eq!(reasons(&interest), ["basis"]);
        let unknown = decide(&r, "x", &dataset(json!({ "origin": null })), Lang::Nl);
        assert_eq!(reasons(&unknown), ["no_origin"]);
    }

    #[test]
    fn the_register_checks_the_mapping() {
        let r = register();
        let spec = dataset(json!({
            "portability": {
                "entity": "Natuurlijk Persoon",
                "fields": { "bsn": "bsn", "nergens": "x", "inkomen": "naam" }
            }
        }));
        let messages: Vec<String> = r
            .check_dataset(&spec)
            .into_iter()
            .map(|i| i.message)
            .collect();
        let all = messages.join("\n");
        assert!(
            all.contains("entity `Natuurlijk Persoon` is not a plain name"),
            "{all}"
        );
        assert!(all.contains("category `bsn` is not portable"), "{all}");
        assert!(all.contains("category `inkomen` is not portable"), "{all}");
        assert!(all.contains("names field `nergens`"), "{all}");
        assert!(
            all.contains("field `naam` of dataset `Relatie` is portable but has no name"),
            "{all}"
        );
    }
}
