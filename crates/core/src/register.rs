//! The processing register: purposes, legal bases, recipients, retention,
//! categories of data and the organisation, as declared in `connectors.toml`.
//!
//! It gives every record its meaning in a bundle (GDPR art. 15(1)(a)-(h)).

use indexmap::IndexMap;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::identifier::{FormPair, Identifier, IdentifierForm, IdentifierKind};

/// A label in Dutch and, optionally, English.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Text {
    /// One text for every language.
    Plain(String),
    /// Per language.
    Localised {
        /// Dutch.
        nl: String,
        /// English; Dutch is used when absent.
        #[serde(default)]
        en: Option<String>,
    },
}

/// Report language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Dutch (default).
    #[default]
    Nl,
    /// English.
    En,
}

impl Text {
    /// The text in the given language, falling back to Dutch.
    pub fn get(&self, lang: Lang) -> &str {
        match (self, lang) {
            (Text::Plain(s), _) => s,
            (Text::Localised { en: Some(en), .. }, Lang::En) => en,
            (Text::Localised { nl, .. }, _) => nl,
        }
    }
}

/// Legal basis of a purpose (GDPR art. 6(1)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// 6(1)(a) consent.
    Consent,
    /// 6(1)(b) performance of a contract.
    Contract,
    /// 6(1)(c) legal obligation.
    LegalObligation,
    /// 6(1)(e) public task.
    PublicTask,
    /// 6(1)(f) legitimate interest.
    LegitimateInterest,
}

impl LegalBasis {
    /// True where art. 20 (portability) can apply: consent or contract.
    pub fn allows_portability(self) -> bool {
        matches!(self, LegalBasis::Consent | LegalBasis::Contract)
    }
}

/// The organisation answering the request.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Organisation {
    /// Legal name.
    pub name: String,
    /// Postal address.
    #[serde(default)]
    pub address: Option<String>,
    /// Where the person sends privacy questions (e-mail).
    pub privacy_contact: String,
    /// Data protection officer or privacy officer.
    #[serde(default)]
    pub privacy_officer: Option<Text>,
    /// Supervisory authority the person may complain to.
    pub supervisory_authority: Text,
    /// Statement on automated decision-making and profiling (art. 15(1)(h)).
    pub automated_decision_making: Text,
    /// Default report language.
    #[serde(default)]
    pub language: Lang,
    /// The time zone in which reports show timestamps (IANA name);
    /// `Europe/Amsterdam` when absent.
    #[serde(default)]
    pub time_zone: Option<String>,
}

impl Organisation {
    /// The organisation's time zone (`Europe/Amsterdam` by default).
    pub fn tz(&self) -> Result<chrono_tz::Tz, String> {
        let name = self.time_zone.as_deref().unwrap_or("Europe/Amsterdam");
        name.parse::<chrono_tz::Tz>().map_err(|_| {
            format!("[organisation] time_zone `{name}` is not an IANA time zone such as Europe/Amsterdam")
        })
    }
}

/// A purpose of processing.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Purpose {
    /// Human label.
    pub label: Text,
    /// Legal basis.
    pub legal_basis: LegalBasis,
    /// Longer explanation.
    #[serde(default)]
    pub description: Option<Text>,
}

/// What kind of recipient a party is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    /// Processes on our behalf (art. 28).
    Processor,
    /// An independent controller.
    ThirdParty,
    /// A public authority (municipality, tax authority, police).
    PublicAuthority,
}

/// A named recipient (CJEU C-154/21: recipients by name).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Recipient {
    /// Name of the party.
    pub label: Text,
    /// Its role.
    pub kind: RecipientKind,
    /// ISO country code where it processes; `NL` when absent.
    #[serde(default = "default_country")]
    pub country: String,
    /// Safeguard for transfers outside the EU/EEA (art. 15(2)).
    #[serde(default)]
    pub safeguard: Option<Text>,
}

fn default_country() -> String {
    "NL".to_string()
}

/// A retention period or the criterion that sets it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Retention {
    /// Human description of the period or criterion.
    pub label: Text,
    /// Machine-readable period (`2y`, `7y`, `3y`), when there is one.
    #[serde(default)]
    pub period: Option<String>,
}

/// A category of personal data.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Category {
    /// Human label.
    pub label: Text,
    /// Special-category or criminal data (art. 9/10).
    #[serde(default)]
    pub special: bool,
    /// May go into a portability bundle (art. 20).
    #[serde(default)]
    pub portable: bool,
    /// A national identification number (the BSN, GDPR art. 87, UAVG
    /// art. 46): never in a portability bundle, and, unlike other special
    /// categories, it keeps only its own field out, not its whole dataset.
    #[serde(default)]
    pub national_id: bool,
}

/// A rule for an identifier kind: the pattern a requested value has, and
/// the forms in which systems write it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentifierRule {
    /// Regular expression the normalised requested value must match
    /// entirely (checked on the request only, never on source data); empty
    /// for no check.
    #[serde(default)]
    pub pattern: String,
    /// Example shown in error messages.
    #[serde(default)]
    pub example: Option<String>,
    /// The normal form: how inzage holds, compares and shows this kind
    /// (also how a request is typed). Absent, and no dataset declares a
    /// form for the kind: values are compared as written (trimmed, upper
    /// case). Absent while a dataset declares one: numbers without prefix
    /// and leading zeros.
    #[serde(default)]
    pub form: Option<IdentifierForm>,
    /// Named forms that datasets refer to (`forms = { klantnummer = "kaal" }`).
    #[serde(default)]
    pub forms: IndexMap<String, IdentifierForm>,
}

/// A dataset's form for an identifier kind: a name from
/// `[identifiers.<kind>.forms]`, or the form itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FormRef {
    /// A named form.
    Named(String),
    /// A form declared in place.
    Inline(IdentifierForm),
}

/// The processing register.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Register {
    /// The organisation.
    pub organisation: Organisation,
    /// Purposes by id.
    #[serde(default)]
    pub purposes: IndexMap<String, Purpose>,
    /// Recipients by id.
    #[serde(default)]
    pub recipients: IndexMap<String, Recipient>,
    /// Retention periods by id.
    #[serde(default)]
    pub retention: IndexMap<String, Retention>,
    /// Categories by id.
    #[serde(default)]
    pub categories: IndexMap<String, Category>,
    /// Patterns per identifier kind.
    #[serde(default)]
    pub identifiers: IndexMap<IdentifierKind, IdentifierRule>,
}

/// An identifier value that does not have the declared form.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{kind} `{value}` does not have the expected form (pattern {pattern}{})", .example.as_ref().map(|e| format!(", e.g. {e}")).unwrap_or_default())]
pub struct InvalidIdentifier {
    /// Kind.
    pub kind: IdentifierKind,
    /// The value given.
    pub value: String,
    /// The pattern it failed.
    pub pattern: String,
    /// The register's example of the form (`001234`), when it gives one.
    pub example: Option<String>,
}

impl Register {
    /// A requested value (`--customer`) as an identifier in normal form:
    /// read in the normal form when the kind has one (`K-1001`, also typed
    /// `k-01001`), else normalised as written. `None` when nothing usable
    /// is left or the value does not have the normal form.
    pub fn identifier(&self, kind: IdentifierKind, raw: &str) -> Option<Identifier> {
        match self.identifiers.get(&kind).and_then(|r| r.form.as_ref()) {
            Some(normal) => normal.read(raw).map(|core| Identifier {
                kind,
                value: normal.write(&core),
            }),
            None => Identifier::new(kind, raw),
        }
    }

    /// The form a dataset's `forms` entry stands for; `Err` with the known
    /// names when it names a form that `[identifiers.<kind>.forms]` lacks.
    pub fn form(&self, kind: IdentifierKind, form: &FormRef) -> Result<IdentifierForm, String> {
        match form {
            FormRef::Inline(f) => Ok(f.clone()),
            FormRef::Named(name) => self
                .identifiers
                .get(&kind)
                .and_then(|r| r.forms.get(name))
                .cloned()
                .ok_or_else(|| {
                    known(
                        self.identifiers
                            .get(&kind)
                            .map(|r| r.forms.keys())
                            .into_iter()
                            .flatten(),
                    )
                }),
        }
    }

    /// Gives a dataset the forms it reads and writes identifiers in: its
    /// own (`forms`) or else the normal form, for every kind that has a
    /// normal form. Forms that cannot be resolved are skipped here;
    /// `config check` reports them ([`Register::check_dataset`]).
    pub fn resolve_forms(&self, dataset: &mut DatasetSpec) {
        dataset.resolved_forms.clear();
        for (kind, rule) in &self.identifiers {
            let Some(normal) = &rule.form else { continue };
            let source = match dataset.forms.get(kind) {
                Some(f) => match self.form(*kind, f) {
                    Ok(f) => f,
                    Err(_) => continue,
                },
                None => normal.clone(),
            };
            dataset.resolved_forms.insert(
                *kind,
                FormPair {
                    source,
                    normal: normal.clone(),
                },
            );
        }
    }

    /// Checks a value against the pattern declared for its kind, if any.
    pub fn validate_identifier(
        &self,
        kind: IdentifierKind,
        value: &str,
    ) -> Result<(), InvalidIdentifier> {
        let Some(rule) = self
            .identifiers
            .get(&kind)
            .filter(|r| !r.pattern.is_empty())
        else {
            return Ok(());
        };
        let anchored = format!("^(?:{})$", rule.pattern);
        let matches = Regex::new(&anchored)
            .map(|re| re.is_match(value))
            .unwrap_or(true);
        if matches {
            return Ok(());
        }
        Err(InvalidIdentifier {
            kind,
            value: value.to_string(),
            pattern: rule.pattern.clone(),
            example: rule.example.clone(),
        })
    }
}

/// Where the data of a dataset came from (art. 15(1)(g)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Provided by the person.
    Subject,
    /// Observed through the person's use of the service.
    Observed,
    /// Derived or inferred by us.
    Derived,
    /// Received from another party (named by `origin_party`).
    ThirdParty,
}

/// How a field is typed and categorised.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldSpec {
    /// Just the category id.
    Category(String),
    /// Category with details.
    Detailed(FieldDetails),
}

/// Details of a field.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FieldDetails {
    /// Category id (required; `config check` reports it when missing).
    #[serde(default)]
    pub category: Option<String>,
    /// Human label for reports.
    #[serde(default)]
    pub label: Option<Text>,
    /// How to read the value.
    #[serde(default, rename = "type")]
    pub field_type: Option<FieldType>,
    /// Date format (chrono `strftime`), for text dates such as `%d-%m-%Y`.
    #[serde(default)]
    pub format: Option<String>,
    /// Decimal places of a `decimal` field (`2` for money), so that a value a
    /// source stores as a float is shown exactly as written: `712.50`.
    #[serde(default)]
    pub scale: Option<u32>,
    /// For a `datetime` field: the IANA time zone (`Europe/Amsterdam`) in
    /// which the source writes times without an offset; they are then kept
    /// with the offset that applied.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// For a `list` field written as text: the separator between items
    /// (default `,`); items are trimmed.
    #[serde(default)]
    pub separator: Option<String>,
    /// Which attribute of the person this field holds, for the report's
    /// merged view of the person: one of [`crate::person::PERSON_ATTRIBUTES`]
    /// (`config check` rejects any other).
    #[serde(default)]
    pub person: Option<String>,
    /// The field holds free text (a note, a mail body, a complaint) that may
    /// name other people: it is scanned, and other people's data in it is
    /// replaced by a marker before any writer sees it.
    #[serde(default)]
    pub free_text: bool,
}

impl FieldSpec {
    /// The category id, if declared.
    pub fn category(&self) -> Option<&str> {
        match self {
            FieldSpec::Category(c) => Some(c),
            FieldSpec::Detailed(d) => d.category.as_deref(),
        }
    }

    /// True when the field is declared `free_text = true`.
    pub fn is_free_text(&self) -> bool {
        matches!(self, FieldSpec::Detailed(d) if d.free_text)
    }

    /// The details (empty for the short form).
    pub fn details(&self) -> FieldDetails {
        match self {
            FieldSpec::Category(c) => FieldDetails {
                category: Some(c.clone()),
                ..FieldDetails::default()
            },
            FieldSpec::Detailed(d) => d.clone(),
        }
    }
}

/// How to read a text value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// Keep as text (identifiers, names).
    Text,
    /// A date (`format` gives its form; ISO by default).
    Date,
    /// A whole number.
    Integer,
    /// An exact decimal (money).
    Decimal,
    /// A date and time: ISO 8601 (`2021-05-21T06:18:00+02:00`, `2021-05-21
    /// 06:18`, `Z`) or the Dutch forms (`21-05-2021 06:18`, `21/05/2021
    /// 06:18:00`, `21 mei 2021 06:18`); with an offset it is kept with its
    /// offset, without one it is a local time (in `time_zone` when declared).
    Datetime,
    /// True or false: `ja`/`nee`, `j`/`n`, `true`/`false`, `waar`/`onwaar`,
    /// `yes`/`no`, `1`/`0`.
    Boolean,
    /// A list: a JSON array, or text split at `separator` (default `,`).
    List,
}

/// Columns (or JSON fields) that hold an identifier.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ColumnRef {
    /// One column.
    One(String),
    /// Several columns (e-mail 1, e-mail 2).
    Many(Vec<String>),
    /// A record's place in its file, as the key of an export without an id
    /// column: `key = { position = "line" }` (CSV) or `"row"` (XLSX).
    Position(PositionKey),
    /// The parts of a person identifier.
    Person(PersonColumns),
}

/// `{ position = "line" | "row" }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PositionKey {
    /// Which position.
    pub position: Position,
}

/// A record's place in its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Position {
    /// The physical line of a CSV file where the record starts (1-based,
    /// the header is line 1; a quoted value over several lines counts them).
    Line,
    /// The row number of a spreadsheet, as Excel shows it.
    Row,
}

impl ColumnRef {
    /// Every column name referred to (none for a position).
    pub fn columns(&self) -> Vec<&str> {
        match self {
            ColumnRef::One(c) => vec![c.as_str()],
            ColumnRef::Many(cs) => cs.iter().map(String::as_str).collect(),
            ColumnRef::Position(_) => Vec::new(),
            ColumnRef::Person(p) => p.columns(),
        }
    }
}

/// Columns that together make a person identifier.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PersonColumns {
    /// First names.
    pub voornamen: String,
    /// Tussenvoegsel; absent when the source has none.
    #[serde(default)]
    pub tussenvoegsel: Option<String>,
    /// Surname.
    pub achternaam: String,
    /// Birth date.
    pub geboortedatum: String,
    /// Postcode.
    pub postcode: String,
}

impl PersonColumns {
    /// Every column name referred to.
    pub fn columns(&self) -> Vec<&str> {
        let mut cols = vec![self.voornamen.as_str()];
        cols.extend(self.tussenvoegsel.as_deref());
        cols.extend([
            self.achternaam.as_str(),
            self.geboortedatum.as_str(),
            self.postcode.as_str(),
        ]);
        cols
    }
}

/// The register part of a dataset: what it means, and how its records are
/// matched to a person. Every connector kind's dataset embeds it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DatasetSpec {
    /// Dataset name, a VERA word (`Huurovereenkomst`).
    pub name: String,
    /// Human label for reports.
    #[serde(default)]
    pub label: Option<Text>,
    /// Purpose ids.
    #[serde(default)]
    pub purposes: Vec<String>,
    /// Recipient ids.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Retention id.
    #[serde(default)]
    pub retention: Option<String>,
    /// Where the data came from.
    #[serde(default)]
    pub origin: Option<Origin>,
    /// The party it came from, when `origin = "third_party"` (a recipient id).
    #[serde(default)]
    pub origin_party: Option<String>,
    /// Column(s) forming the record key; the row number when absent.
    #[serde(default)]
    pub key: Option<ColumnRef>,
    /// Identifier kinds the dataset can be searched by, and their columns.
    #[serde(default, rename = "match")]
    pub matches: IndexMap<IdentifierKind, ColumnRef>,
    /// Identifiers a matching record reveals, followed to other sources.
    #[serde(default)]
    pub yields: IndexMap<IdentifierKind, ColumnRef>,
    /// The column that says whose record it is (`klantnummer`): records of
    /// another person are never put in the bundle.
    #[serde(default)]
    pub owner: Option<IndexMap<IdentifierKind, String>>,
    /// Fields and their categories, in report order.
    #[serde(default)]
    pub fields: IndexMap<String, FieldSpec>,
    /// Columns deliberately left out of every bundle (for example another
    /// person's data); say why in a comment beside the list.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// How the dataset's columns write identifiers, per kind (`klantnummer
    /// = "kaal"` or `{ prefix = "K-" }`); without an entry, in the normal
    /// form (`[identifiers.<kind>] form`).
    #[serde(default)]
    pub forms: IndexMap<IdentifierKind, FormRef>,
    /// The forms resolved against the register at load time
    /// ([`Register::resolve_forms`]): what the dataset reads and is asked in.
    #[serde(skip)]
    pub resolved_forms: IndexMap<IdentifierKind, FormPair>,
    /// How the dataset appears in a portability bundle (art. 20), when the
    /// scope rules let it in: the entity (a VERA word) and the name of every
    /// portable field. Without it the dataset's own name and field names
    /// are used.
    #[serde(default)]
    pub portability: Option<PortabilityMapping>,
}

/// `portability = { entity = "NatuurlijkPersoon", fields = { ... } }` on a
/// dataset: its records become `entity` records in `portability.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortabilityMapping {
    /// The entity, a VERA word where VERA has one (`Huurovereenkomst`).
    pub entity: String,
    /// What the entity is, for the receiver's LEESMIJ/README and the schema.
    #[serde(default)]
    pub description: Option<Text>,
    /// Source field → name in the entity. Every portable field of the
    /// dataset is named here; fields of a non-portable category are not.
    #[serde(default)]
    pub fields: IndexMap<String, PortableField>,
}

/// The name (and optionally the type) a field has in a portability entity.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PortableField {
    /// Just the name.
    Name(String),
    /// Name with a type and a description.
    Detailed {
        /// Name in the entity.
        name: String,
        /// JSON type in `portability.json`; the field's `type`, else text.
        #[serde(default, rename = "type")]
        field_type: Option<FieldType>,
        /// Meaning, for the receiver.
        #[serde(default)]
        description: Option<Text>,
    },
}

impl PortableField {
    /// The name in the entity.
    pub fn name(&self) -> &str {
        match self {
            PortableField::Name(n) | PortableField::Detailed { name: n, .. } => n,
        }
    }

    /// The declared type, if any.
    pub fn field_type(&self) -> Option<FieldType> {
        match self {
            PortableField::Name(_) => None,
            PortableField::Detailed { field_type, .. } => *field_type,
        }
    }

    /// The declared description, if any.
    pub fn description(&self) -> Option<&Text> {
        match self {
            PortableField::Name(_) => None,
            PortableField::Detailed { description, .. } => description.as_ref(),
        }
    }
}

/// True for a name usable as an entity or field name in `portability.json`
/// and as a CSV file name: ASCII letters, digits and `_`, a letter first.
pub fn is_portable_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl DatasetSpec {
    /// A value from one of the dataset's columns as an identifier in normal
    /// form; `None` when it is empty or does not have the dataset's form
    /// for the kind (a bare `1001` where the dataset writes `K-1001`).
    pub fn identifier(&self, kind: IdentifierKind, raw: &str) -> Option<Identifier> {
        match self.resolved_forms.get(&kind) {
            Some(pair) => pair.to_normal(kind, raw),
            None => Identifier::new(kind, raw),
        }
    }

    /// An identifier as this dataset writes it, the value the source is
    /// asked with; `None` when it cannot be written in the dataset's form.
    pub fn written(&self, id: &Identifier) -> Option<String> {
        match self.resolved_forms.get(&id.kind) {
            Some(pair) => pair.to_source(id),
            None => Some(id.value.clone()),
        }
    }

    /// The position that keys the records (`key = { position = "line" }`).
    pub fn key_position(&self) -> Option<Position> {
        match &self.key {
            Some(ColumnRef::Position(p)) => Some(p.position),
            _ => None,
        }
    }

    /// The single owner column, if declared.
    pub fn owner_column(&self) -> Option<(IdentifierKind, &str)> {
        self.owner
            .as_ref()
            .and_then(|o| o.iter().next())
            .map(|(k, c)| (*k, c.as_str()))
    }

    /// Every column this dataset refers to (key, match, yields, owner, fields).
    pub fn referenced_columns(&self) -> Vec<&str> {
        let mut cols: Vec<&str> = Vec::new();
        if let Some(key) = &self.key {
            cols.extend(key.columns());
        }
        for col in self.matches.values().chain(self.yields.values()) {
            cols.extend(col.columns());
        }
        if let Some((_, c)) = self.owner_column() {
            cols.push(c);
        }
        cols.extend(self.fields.keys().map(String::as_str));
        let mut seen = std::collections::HashSet::new();
        cols.retain(|c| seen.insert(*c));
        cols
    }
}

/// A problem in a dataset's register references.
#[derive(Clone, Debug, PartialEq)]
pub struct RegisterIssue {
    /// Path below the dataset (`["purposes", "1"]`), for locating the line.
    pub path: Vec<String>,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl Register {
    /// Checks that a dataset's references exist and that it is complete.
    pub fn check_dataset(&self, dataset: &DatasetSpec) -> Vec<RegisterIssue> {
        let mut issues = Vec::new();
        if dataset.purposes.is_empty() {
            issues.push(RegisterIssue {
                path: vec![],
                message: format!("dataset `{}` has no purposes", dataset.name),
                hint: format!(
                    "add `purposes = [...]` with ids from [purposes.*] ({})",
                    known(self.purposes.keys())
                ),
            });
        }
        for (i, id) in dataset.purposes.iter().enumerate() {
            if !self.purposes.contains_key(id) {
                issues.push(unknown("purposes", i, id, "purpose", self.purposes.keys()));
            }
        }
        for (i, id) in dataset.recipients.iter().enumerate() {
            if !self.recipients.contains_key(id) {
                issues.push(unknown(
                    "recipients",
                    i,
                    id,
                    "recipient",
                    self.recipients.keys(),
                ));
            }
        }
        match &dataset.retention {
            None => issues.push(RegisterIssue {
                path: vec![],
                message: format!("dataset `{}` has no retention", dataset.name),
                hint: format!(
                    "add `retention = \"...\"` with an id from [retention.*] ({})",
                    known(self.retention.keys())
                ),
            }),
            Some(id) if !self.retention.contains_key(id) => issues.push(RegisterIssue {
                path: vec!["retention".into()],
                message: format!("unknown retention `{id}`"),
                hint: format!(
                    "define [retention.{id}] or use one of: {}",
                    known(self.retention.keys())
                ),
            }),
            Some(_) => {}
        }
        if dataset.origin.is_none() {
            issues.push(RegisterIssue {
                path: vec![],
                message: format!("dataset `{}` has no origin", dataset.name),
                hint: "add `origin = \"subject\" | \"observed\" | \"derived\" | \"third_party\"`"
                    .into(),
            });
        }
        if dataset.origin == Some(Origin::ThirdParty) {
            match &dataset.origin_party {
                None => issues.push(RegisterIssue {
                    path: vec!["origin".into()],
                    message: "origin is third_party but no origin_party is named".into(),
                    hint: "add `origin_party = \"<recipient id>\"` naming where the data came from"
                        .into(),
                }),
                Some(p) if !self.recipients.contains_key(p) => issues.push(RegisterIssue {
                    path: vec!["origin_party".into()],
                    message: format!("unknown origin_party `{p}`"),
                    hint: format!(
                        "define [recipients.{p}] or use one of: {}",
                        known(self.recipients.keys())
                    ),
                }),
                Some(_) => {}
            }
        }
        if dataset.fields.is_empty() {
            issues.push(RegisterIssue {
                path: vec![],
                message: format!("dataset `{}` declares no fields", dataset.name),
                hint: "add a [connector.dataset.fields] table: column = \"category\"".into(),
            });
        }
        for (name, spec) in &dataset.fields {
            let details = spec.details();
            if let Some(zone) = &details.time_zone {
                if zone.parse::<chrono_tz::Tz>().is_err() {
                    issues.push(RegisterIssue {
                        path: vec!["fields".into(), name.clone()],
                        message: format!(
                            "field `{name}`: time_zone `{zone}` is not an IANA time zone"
                        ),
                        hint: "write for example time_zone = \"Europe/Amsterdam\"".into(),
                    });
                }
            }
            match spec.category() {
                None => issues.push(RegisterIssue {
                    path: vec!["fields".into(), name.clone()],
                    message: format!("field `{name}` has no category"),
                    hint: format!(
                        "add `category = \"...\"` with an id from [categories.*] ({})",
                        known(self.categories.keys())
                    ),
                }),
                Some(c) if !self.categories.contains_key(c) => issues.push(RegisterIssue {
                    path: vec!["fields".into(), name.clone()],
                    message: format!("field `{name}`: unknown category `{c}`"),
                    hint: format!(
                        "define [categories.{c}] or use one of: {}",
                        known(self.categories.keys())
                    ),
                }),
                Some(_) => {}
            }
            if let FieldSpec::Detailed(FieldDetails {
                person: Some(attribute),
                ..
            }) = spec
            {
                if !crate::person::PERSON_ATTRIBUTES.contains(&attribute.as_str()) {
                    issues.push(RegisterIssue {
                        path: vec!["fields".into(), name.clone()],
                        message: format!(
                            "field `{name}`: unknown person attribute `{attribute}`"
                        ),
                        hint: format!(
                            "use one of: {} (or leave `person` out: the field is then shown with its dataset only)",
                            crate::person::PERSON_ATTRIBUTES.join(", ")
                        ),
                    });
                }
            }
        }
        for (section, refs) in [("match", &dataset.matches), ("yields", &dataset.yields)] {
            for (kind, cols) in refs {
                if matches!(cols, ColumnRef::Position(_)) {
                    issues.push(RegisterIssue {
                        path: vec![section.into(), kind.as_str().into()],
                        message: format!("{section}.{kind} names a position, not a column"),
                        hint: "a position can only be the record key (`key = { position = \"line\" }`); name the column that holds the identifier".into(),
                    });
                }
            }
        }
        for (kind, form) in &dataset.forms {
            if !crate::identifier::takes_forms(*kind) {
                issues.push(RegisterIssue {
                    path: vec!["forms".into(), kind.as_str().into()],
                    message: format!("a form is declared for {kind}, which has its own normalisation"),
                    hint: "forms apply to klantnummer, contractnummer and woningnet; remove this entry".into(),
                });
            } else if let Err(names) = self.form(*kind, form) {
                issues.push(RegisterIssue {
                    path: vec!["forms".into(), kind.as_str().into()],
                    message: format!(
                        "dataset `{}` names {kind} form `{}`, which [identifiers.{kind}.forms] does not define",
                        dataset.name,
                        match form { FormRef::Named(n) => n.as_str(), FormRef::Inline(_) => "" }
                    ),
                    hint: format!("define [identifiers.{kind}.forms.<name>] or use one of: {names}"),
                });
            }
        }
        if let Some(mapping) = &dataset.portability {
            issues.extend(self.check_portability(dataset, mapping));
        }
        issues
    }

    /// Checks a dataset's `portability` mapping: a usable entity name, only
    /// declared fields, every portable field named once, no field of a
    /// non-portable category.
    fn check_portability(
        &self,
        dataset: &DatasetSpec,
        mapping: &PortabilityMapping,
    ) -> Vec<RegisterIssue> {
        let mut issues = Vec::new();
        let at = |rest: &[&str]| {
            let mut path = vec!["portability".to_string()];
            path.extend(rest.iter().map(|s| s.to_string()));
            path
        };
        if !is_portable_name(&mapping.entity) {
            issues.push(RegisterIssue {
                path: at(&["entity"]),
                message: format!(
                    "portability entity `{}` is not a plain name",
                    mapping.entity
                ),
                hint: "use a VERA word of letters and digits, such as `Huurovereenkomst`".into(),
            });
        }
        let mut names = std::collections::HashSet::new();
        for (field, target) in &mapping.fields {
            let Some(spec) = dataset.fields.get(field) else {
                issues.push(RegisterIssue {
                    path: at(&["fields", field]),
                    message: format!(
                        "portability names field `{field}`, which dataset `{}` does not declare",
                        dataset.name
                    ),
                    hint: format!(
                        "use a field of [connector.dataset.fields] ({})",
                        known(dataset.fields.keys())
                    ),
                });
                continue;
            };
            if !is_portable_name(target.name()) {
                issues.push(RegisterIssue {
                    path: at(&["fields", field]),
                    message: format!(
                        "portability name `{}` of field `{field}` is not a plain name",
                        target.name()
                    ),
                    hint: "use letters, digits and _, a letter first (`begindatum`)".into(),
                });
            }
            if !names.insert(target.name()) {
                issues.push(RegisterIssue {
                    path: at(&["fields", field]),
                    message: format!(
                        "portability name `{}` is used for two fields of dataset `{}`",
                        target.name(),
                        dataset.name
                    ),
                    hint: "give every field its own name in the entity".into(),
                });
            }
            let category = spec
                .category()
                .and_then(|c| self.categories.get_key_value(c));
            if let Some((id, c)) = category {
                if !c.portable || c.national_id {
                    issues.push(RegisterIssue {
                        path: at(&["fields", field]),
                        message: format!(
                            "field `{field}` is mapped for portability, but its category `{id}` is not portable"
                        ),
                        hint: "remove it from the mapping (it is left out of the portability bundle, with its reason), or set `portable = true` on the category if the law allows".into(),
                    });
                }
            }
        }
        for (field, spec) in &dataset.fields {
            if dataset.exclude.iter().any(|e| e == field) || mapping.fields.contains_key(field) {
                continue;
            }
            let portable = spec
                .category()
                .and_then(|c| self.categories.get(c))
                .is_some_and(|c| c.portable && !c.national_id);
            if portable {
                issues.push(RegisterIssue {
                    path: at(&["fields"]),
                    message: format!(
                        "field `{field}` of dataset `{}` is portable but has no name in the portability mapping",
                        dataset.name
                    ),
                    hint: format!(
                        "add `{field} = \"<name>\"` to portability.fields, so that no portable field is dropped silently"
                    ),
                });
            }
        }
        issues
    }
}

fn unknown<'a>(
    list: &str,
    index: usize,
    id: &str,
    what: &str,
    known_ids: impl Iterator<Item = &'a String>,
) -> RegisterIssue {
    let plural = if list == "purposes" {
        "purposes"
    } else {
        "recipients"
    };
    RegisterIssue {
        path: vec![list.to_string(), index.to_string()],
        message: format!("unknown {what} `{id}`"),
        hint: format!("define [{plural}.{id}] or use one of: {}", known(known_ids)),
    }
}

fn known<'a>(ids: impl Iterator<Item = &'a String>) -> String {
    let list: Vec<&str> = ids.map(String::as_str).collect();
    if list.is_empty() {
        "none defined yet".to_string()
    } else {
        list.join(", ")
    }
}
