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
}

impl From<FieldType> for FieldKind {
    fn from(t: FieldType) -> Self {
        match t {
            FieldType::Text => FieldKind::Text,
            FieldType::Date => FieldKind::Date,
            FieldType::Integer => FieldKind::Integer,
            FieldType::Decimal => FieldKind::Decimal,
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
