//! The fixed wording of the report in Dutch and English. Everything about
//! the processing itself (purposes, recipients, categories, retention, the
//! organisation) comes from the register in connectors.toml instead.

use inzage_core::register::{LegalBasis, Origin, Position, RecipientKind};
use inzage_core::{IdentifierKind, Lang, ReadingNote};
use serde::Serialize;

/// Headings and sentences of the report.
#[derive(Serialize)]
pub struct Texts {
    pub lang: &'static str,
    pub title: &'static str,
    pub subtitle: &'static str,
    pub request_for: &'static str,
    pub your_request: &'static str,
    pub received: &'static str,
    pub made: &'static str,
    pub answer_due: &'static str,
    pub partial_warning: &'static str,
    pub contents: &'static str,
    pub summary: &'static str,
    pub summary_intro: &'static str,
    pub system: &'static str,
    pub status: &'static str,
    pub records: &'static str,
    pub status_ok: &'static str,
    pub status_failed: &'static str,
    pub status_skipped: &'static str,
    pub found_per_category: &'static str,
    pub category: &'static str,
    pub special_category: &'static str,
    pub systems_col: &'static str,
    pub nothing_found: &'static str,
    pub person: &'static str,
    pub person_intro: &'static str,
    pub attribute: &'static str,
    pub value: &'static str,
    pub found_in: &'static str,
    pub differs: &'static str,
    pub purposes: &'static str,
    pub purposes_intro: &'static str,
    pub purpose: &'static str,
    pub legal_basis: &'static str,
    pub purposes_with_basis: &'static str,
    pub data_in: &'static str,
    pub data: &'static str,
    pub data_intro: &'static str,
    pub dataset_purposes: &'static str,
    pub dataset_categories: &'static str,
    pub dataset_recipients: &'static str,
    pub dataset_retention: &'static str,
    pub dataset_origin: &'static str,
    pub no_recipients: &'static str,
    pub outside_eu: &'static str,
    pub safeguard: &'static str,
    pub transfers: &'static str,
    pub transfers_intro: &'static str,
    pub show_all: &'static str,
    pub rights: &'static str,
    pub rights_intro: &'static str,
    pub right_rectification: &'static str,
    pub right_erasure: &'static str,
    pub right_restriction: &'static str,
    pub right_objection: &'static str,
    pub right_portability: &'static str,
    pub right_withdraw: &'static str,
    pub complaint: &'static str,
    pub complaint_text: &'static str,
    pub automated: &'static str,
    pub contact: &'static str,
    pub contact_text: &'static str,
    pub privacy_officer: &'static str,
    pub footer: &'static str,
    pub others: &'static str,
}

const NL: Texts = Texts {
    lang: "nl",
    title: "Uw persoonsgegevens",
    subtitle: "Antwoord op uw verzoek om inzage (artikel 15 AVG)",
    request_for: "Verzoek voor",
    your_request: "uw verzoek",
    received: "Verzoek ontvangen op",
    made: "Overzicht gemaakt op",
    answer_due: "Uiterste antwoorddatum",
    partial_warning: "Let op: niet alle systemen konden worden doorzocht. Dit overzicht is daarom onvolledig; de systemen die ontbreken staan hieronder, met de reden.",
    contents: "Inhoud",
    summary: "Samenvatting",
    summary_intro: "Wij hebben de volgende systemen doorzocht op gegevens over u.",
    system: "Systeem",
    status: "Resultaat",
    records: "Gevonden",
    status_ok: "doorzocht",
    status_failed: "niet gelukt",
    status_skipped: "niet doorzocht",
    found_per_category: "Wat wij over u hebben, per soort gegevens",
    category: "Soort gegevens",
    special_category: "bijzonder of strafrechtelijk gegeven",
    systems_col: "In systemen",
    nothing_found: "Wij hebben geen persoonsgegevens over u.",
    person: "Uw gegevens in één overzicht",
    person_intro: "Naam, adres, contactgegevens en dergelijke zoals onze systemen ze kennen. Staat er iets niet goed, of verschillen systemen van elkaar, dan kunt u ons vragen dit te verbeteren.",
    attribute: "Gegeven",
    value: "Waarde",
    found_in: "Staat in",
    differs: "verschilt tussen systemen",
    purposes: "Waarvoor wij uw gegevens gebruiken",
    purposes_intro: "Per doel: de grondslag in de wet en de gegevens die wij daarvoor gebruiken.",
    purpose: "Doel",
    legal_basis: "Grondslag",
    purposes_with_basis: "Doelen (grondslag)",
    data_in: "Gegevens",
    data: "De gegevens zelf, per systeem",
    data_intro: "Per systeem en per soort registratie: de gegevens, waarvoor wij ze gebruiken, aan wie wij ze verstrekken, hoe lang wij ze bewaren en waar ze vandaan komen.",
    dataset_purposes: "Doelen",
    dataset_categories: "Soorten gegevens",
    dataset_recipients: "Ontvangers",
    dataset_retention: "Bewaartermijn",
    dataset_origin: "Herkomst",
    no_recipients: "Wij verstrekken deze gegevens aan niemand buiten onze organisatie.",
    outside_eu: "buiten de EU",
    safeguard: "waarborg",
    transfers: "Gegevens buiten de Europese Unie",
    transfers_intro: "Deze ontvangers verwerken gegevens buiten de Europese Unie, met deze waarborgen:",
    show_all: "toon alles",
    rights: "Uw rechten",
    rights_intro: "U kunt ons vragen:",
    right_rectification: "uw gegevens te verbeteren of aan te vullen als ze niet kloppen (rectificatie);",
    right_erasure: "uw gegevens te wissen, tenzij wij ze moeten of mogen bewaren (bijvoorbeeld voor de huurovereenkomst of een wettelijke plicht);",
    right_restriction: "het gebruik van uw gegevens (tijdelijk) te beperken;",
    right_objection: "te stoppen met een verwerking die op gerechtvaardigd belang berust (bezwaar);",
    right_portability: "de gegevens die u zelf aan ons gaf aan u of aan een nieuwe verhuurder over te dragen (overdraagbaarheid);",
    right_withdraw: "een toestemming die u gaf in te trekken; dat geldt vanaf dat moment.",
    complaint: "Klacht",
    complaint_text: "Bent u het niet eens met hoe wij met uw gegevens omgaan, dan kunt u een klacht indienen bij ons en bij de toezichthouder:",
    automated: "Geautomatiseerde besluiten",
    contact: "Vragen",
    contact_text: "Vragen over dit overzicht of over uw rechten stelt u aan",
    privacy_officer: "Functionaris voor de gegevensbescherming",
    footer: "Dit overzicht bevat alleen gegevens over u.",
    others: "Gegevens over andere personen",
};

const EN: Texts = Texts {
    lang: "en",
    title: "Your personal data",
    subtitle: "Our answer to your request for access (article 15 GDPR)",
    request_for: "Request for",
    your_request: "your request",
    received: "Request received on",
    made: "Overview made on",
    answer_due: "Answer due by",
    partial_warning: "Note: not every system could be searched. This overview is therefore incomplete; the missing systems are listed below, with the reason.",
    contents: "Contents",
    summary: "Summary",
    summary_intro: "We searched the following systems for data about you.",
    system: "System",
    status: "Result",
    records: "Found",
    status_ok: "searched",
    status_failed: "failed",
    status_skipped: "not searched",
    found_per_category: "What we hold about you, per kind of data",
    category: "Kind of data",
    special_category: "special-category or criminal data",
    systems_col: "In systems",
    nothing_found: "We hold no personal data about you.",
    person: "Your details at a glance",
    person_intro: "Name, address, contact details and the like as our systems know them. If something is wrong, or systems differ, you can ask us to correct it.",
    attribute: "Detail",
    value: "Value",
    found_in: "Held in",
    differs: "differs between systems",
    purposes: "What we use your data for",
    purposes_intro: "Per purpose: the legal basis and the data we use for it.",
    purpose: "Purpose",
    legal_basis: "Legal basis",
    purposes_with_basis: "Purposes (legal basis)",
    data_in: "Data",
    data: "The data itself, per system",
    data_intro: "Per system and per kind of record: the data, what we use it for, whom we give it to, how long we keep it and where it came from.",
    dataset_purposes: "Purposes",
    dataset_categories: "Kinds of data",
    dataset_recipients: "Recipients",
    dataset_retention: "Retention",
    dataset_origin: "Source",
    no_recipients: "We do not give this data to anyone outside our organisation.",
    outside_eu: "outside the EU",
    safeguard: "safeguard",
    transfers: "Data outside the European Union",
    transfers_intro: "These recipients process data outside the European Union, with these safeguards:",
    show_all: "show all",
    rights: "Your rights",
    rights_intro: "You can ask us:",
    right_rectification: "to correct or complete your data if it is wrong (rectification);",
    right_erasure: "to erase your data, unless we must or may keep it (for example for the tenancy or a legal obligation);",
    right_restriction: "to restrict (for a time) the use of your data;",
    right_objection: "to stop processing that rests on legitimate interest (objection);",
    right_portability: "to hand the data you gave us to you or to a new landlord (portability);",
    right_withdraw: "to withdraw a consent you gave; this applies from then on.",
    complaint: "Complaints",
    complaint_text: "If you disagree with how we handle your data, you can complain to us and to the supervisory authority:",
    automated: "Automated decisions",
    contact: "Questions",
    contact_text: "Send questions about this overview or your rights to",
    privacy_officer: "Data protection officer",
    footer: "This overview holds only data about you.",
    others: "Data about other people",
};

/// The texts for a language.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// Human name of a legal basis, with its article.
pub fn legal_basis(basis: LegalBasis, lang: Lang) -> &'static str {
    match (basis, lang) {
        (LegalBasis::Consent, Lang::Nl) => "Toestemming (art. 6 lid 1 sub a AVG)",
        (LegalBasis::Contract, Lang::Nl) => {
            "Uitvoering van de overeenkomst (art. 6 lid 1 sub b AVG)"
        }
        (LegalBasis::LegalObligation, Lang::Nl) => {
            "Wettelijke verplichting (art. 6 lid 1 sub c AVG)"
        }
        (LegalBasis::PublicTask, Lang::Nl) => "Taak van algemeen belang (art. 6 lid 1 sub e AVG)",
        (LegalBasis::LegitimateInterest, Lang::Nl) => {
            "Gerechtvaardigd belang (art. 6 lid 1 sub f AVG)"
        }
        (LegalBasis::Consent, Lang::En) => "Consent (art. 6(1)(a) GDPR)",
        (LegalBasis::Contract, Lang::En) => "Performance of the contract (art. 6(1)(b) GDPR)",
        (LegalBasis::LegalObligation, Lang::En) => "Legal obligation (art. 6(1)(c) GDPR)",
        (LegalBasis::PublicTask, Lang::En) => "Task in the public interest (art. 6(1)(e) GDPR)",
        (LegalBasis::LegitimateInterest, Lang::En) => "Legitimate interest (art. 6(1)(f) GDPR)",
    }
}

/// Human name of where data came from; `party` names the third party.
pub fn origin(origin: Origin, party: Option<&str>, lang: Lang) -> String {
    match (origin, lang) {
        (Origin::Subject, Lang::Nl) => "Van uzelf".into(),
        (Origin::Observed, Lang::Nl) => {
            "Vastgelegd bij uw contact met ons en uw gebruik van onze diensten".into()
        }
        (Origin::Derived, Lang::Nl) => "Door ons afgeleid uit andere gegevens".into(),
        (Origin::ThirdParty, Lang::Nl) => {
            format!("Ontvangen van {}", party.unwrap_or("een andere partij"))
        }
        (Origin::Subject, Lang::En) => "Provided by you".into(),
        (Origin::Observed, Lang::En) => {
            "Recorded through your contact with us and your use of our services".into()
        }
        (Origin::Derived, Lang::En) => "Derived by us from other data".into(),
        (Origin::ThirdParty, Lang::En) => {
            format!("Received from {}", party.unwrap_or("another party"))
        }
    }
}

/// Human name of a recipient's role.
pub fn recipient_kind(kind: RecipientKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (RecipientKind::Processor, Lang::Nl) => "verwerker in onze opdracht",
        (RecipientKind::ThirdParty, Lang::Nl) => "eigen verantwoordelijke",
        (RecipientKind::PublicAuthority, Lang::Nl) => "overheidsinstantie",
        (RecipientKind::Processor, Lang::En) => "processor on our behalf",
        (RecipientKind::ThirdParty, Lang::En) => "independent controller",
        (RecipientKind::PublicAuthority, Lang::En) => "public authority",
    }
}

/// Why a source has no answer in this bundle, in the report's language (the
/// technical cause, in English for staff, stays in the manifest and on the
/// terminal). `searched_by` are the identifier kinds the source is asked by.
pub fn source_reason(
    status: &inzage_engine::SourceStatus,
    searched_by: &[IdentifierKind],
    lang: Lang,
) -> Option<String> {
    use inzage_engine::SourceStatus;
    match status {
        SourceStatus::Ok => None,
        SourceStatus::Failed { .. } => Some(match lang {
            Lang::Nl => "dit systeem kon bij het maken van dit overzicht niet worden gelezen (een technische storing); wat het over u bevat, ontbreekt hierin".to_string(),
            Lang::En => "this system could not be read when this overview was made (a technical fault); what it holds about you is missing here".to_string(),
        }),
        SourceStatus::Skipped { .. } => {
            let kinds: Vec<String> = searched_by
                .iter()
                .map(|k| match k.as_str() {
                    "persoon" => match lang {
                        Lang::Nl => "naam, geboortedatum en postcode".to_string(),
                        Lang::En => "name, date of birth and postcode".to_string(),
                    },
                    other => lowercase_first(&attribute(other, lang)),
                })
                .collect();
            let list = join_words(&kinds, lang);
            Some(match lang {
                Lang::Nl => format!("dit systeem zoeken wij op {list}; daarvan was voor u geen gegeven bekend dat alleen bij u hoort"),
                Lang::En => format!("this system is searched by {list}; none of those was known for you that belongs to you alone"),
            })
        }
    }
}

/// `a, b en c` / `a, b or c`.
fn join_words(words: &[String], lang: Lang) -> String {
    let last_joiner = match lang {
        Lang::Nl => " of ",
        Lang::En => " or ",
    };
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}{last_joiner}{last}", rest.join(", ")),
    }
}

/// `E-mailadres` → `e-mailadres`; a name with capitals inside
/// (`WoningNet-registratienummer`, `IBAN`) stays as it is.
fn lowercase_first(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) if !chars.clone().any(char::is_uppercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => label.to_string(),
    }
}

/// A kind of identifier in running text (`klantnummer`, `e-mailadres`).
pub fn identifier_kind(kind: IdentifierKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (IdentifierKind::Klantnummer, Lang::Nl) => "klantnummer",
        (IdentifierKind::Contractnummer, Lang::Nl) => "contractnummer",
        (IdentifierKind::Email, Lang::Nl) => "e-mailadres",
        (IdentifierKind::Telefoon, Lang::Nl) => "telefoonnummer",
        (IdentifierKind::Woningnet, Lang::Nl) => "WoningNet-inschrijfnummer",
        (IdentifierKind::Persoon, Lang::Nl) => "naam en geboortedatum",
        (IdentifierKind::Klantnummer, Lang::En) => "customer number",
        (IdentifierKind::Contractnummer, Lang::En) => "contract number",
        (IdentifierKind::Email, Lang::En) => "e-mail address",
        (IdentifierKind::Telefoon, Lang::En) => "phone number",
        (IdentifierKind::Woningnet, Lang::En) => "WoningNet registration number",
        (IdentifierKind::Persoon, Lang::En) => "name and birth date",
    }
}

/// Label of a person attribute in the merged view (`Klantnummer`).
pub fn attribute(id: &str, lang: Lang) -> String {
    let (nl, en) = match id {
        "voorletters" => ("Voorletters", "Initials"),
        "voornamen" => ("Voornamen", "First names"),
        "roepnaam" => ("Roepnaam", "Name used"),
        "tussenvoegsel" => ("Tussenvoegsel", "Surname prefix"),
        "achternaam" => ("Achternaam", "Surname"),
        "geboortedatum" => ("Geboortedatum", "Date of birth"),
        "geslacht" => ("Geslacht", "Gender"),
        "email" => ("E-mailadres", "E-mail address"),
        "telefoon" => ("Telefoonnummer", "Phone number"),
        "straat" => ("Straat", "Street"),
        "huisnummer" => ("Huisnummer", "House number"),
        "huisnummertoevoeging" => ("Huisnummertoevoeging", "House number suffix"),
        "postcode" => ("Postcode", "Postcode"),
        "woonplaats" => ("Woonplaats", "Town"),
        "iban" => ("Rekeningnummer", "Bank account"),
        "klantnummer" => ("Klantnummer", "Customer number"),
        "contractnummer" => ("Contractnummer", "Contract number"),
        "woningnet" => (
            "WoningNet-registratienummer",
            "WoningNet registration number",
        ),
        other => (other, other),
    };
    match lang {
        Lang::Nl => nl.to_string(),
        Lang::En => en.to_string(),
    }
}

/// A kind of redacted value with its count, in words (`2 telefoonnummers`).
fn counted(kind: inzage_engine::protect::detect::Kind, n: usize, lang: Lang) -> String {
    use inzage_engine::protect::detect::Kind;
    let (one, many) = match (kind, lang) {
        (Kind::Name | Kind::UnknownName, Lang::Nl) => ("naam", "namen"),
        (Kind::Email, Lang::Nl) => ("e-mailadres", "e-mailadressen"),
        (Kind::Phone, Lang::Nl) => ("telefoonnummer", "telefoonnummers"),
        (Kind::Address, Lang::Nl) => ("adres", "adressen"),
        (Kind::Iban, Lang::Nl) => ("rekeningnummer (IBAN)", "rekeningnummers (IBAN)"),
        (Kind::Bsn, Lang::Nl) => ("burgerservicenummer", "burgerservicenummers"),
        (Kind::Name | Kind::UnknownName, Lang::En) => ("name", "names"),
        (Kind::Email, Lang::En) => ("e-mail address", "e-mail addresses"),
        (Kind::Phone, Lang::En) => ("phone number", "phone numbers"),
        (Kind::Address, Lang::En) => ("address", "addresses"),
        (Kind::Iban, Lang::En) => ("bank account number (IBAN)", "bank account numbers (IBAN)"),
        (Kind::Bsn, Lang::En) => ("citizen service number", "citizen service numbers"),
    };
    format!("{n} {}", if n == 1 { one } else { many })
}

fn and_list(items: &[String], lang: Lang) -> String {
    let and = match lang {
        Lang::Nl => "en",
        Lang::En => "and",
    };
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

/// What the bundle did about other people's data, in sentences that are
/// true for this bundle: how many values of which kinds were replaced in
/// which systems, whether a privacy officer reviewed them, and how many
/// records that may concern someone else were left out.
pub fn others_statement(
    redacted: &[(String, Vec<(inzage_engine::protect::detect::Kind, usize)>)],
    reviewed: bool,
    left_out: usize,
    lang: Lang,
) -> Vec<String> {
    let mut out = Vec::new();
    if redacted.is_empty() {
        out.push(match lang {
            Lang::Nl => "In de vrije teksten (notities, berichten, omschrijvingen) van de systemen hierboven hebben wij geen gegevens over andere personen gevonden; er is niets onleesbaar gemaakt.".to_string(),
            Lang::En => "We found no data about other people in the free texts (notes, messages, descriptions) of the systems above; nothing has been blanked out.".to_string(),
        });
    } else {
        let per_system: Vec<String> = redacted
            .iter()
            .map(|(system, kinds)| {
                let kinds: Vec<String> = kinds.iter().map(|(k, n)| counted(*k, *n, lang)).collect();
                match lang {
                    Lang::Nl => format!("{} in {system}", and_list(&kinds, lang)),
                    Lang::En => format!("{} in {system}", and_list(&kinds, lang)),
                }
            })
            .collect();
        out.push(match lang {
            Lang::Nl => format!(
                "Om de privacy van anderen te beschermen (artikel 15 lid 4 AVG) hebben wij gegevens over andere personen in vrije teksten vervangen door een markering zoals [verwijderd: naam]: {}.",
                and_list(&per_system, lang)
            ),
            Lang::En => format!(
                "To protect the privacy of others (art. 15(4) GDPR) we have replaced data about other people in free texts by a marker such as [removed: name]: {}.",
                and_list(&per_system, lang)
            ),
        });
        out.push(match (reviewed, lang) {
            (true, Lang::Nl) => {
                "Een medewerker privacy heeft elke vervanging gecontroleerd.".to_string()
            }
            (false, Lang::Nl) => "Deze vervangingen zijn automatisch gedaan.".to_string(),
            (true, Lang::En) => {
                "A member of our privacy staff has checked every replacement.".to_string()
            }
            (false, Lang::En) => "These replacements were made automatically.".to_string(),
        });
    }
    if left_out > 0 {
        out.push(match lang {
            Lang::Nl => format!(
                "{left_out} {} die bij het zoeken naar voren {} maar mogelijk over iemand anders {} (bijvoorbeeld via een e-mailadres dat u met een ander deelt), {} niet opgenomen.",
                if left_out == 1 { "gegeven" } else { "gegevens" },
                if left_out == 1 { "kwam" } else { "kwamen" },
                if left_out == 1 { "gaat" } else { "gaan" },
                if left_out == 1 { "is" } else { "zijn" },
            ),
            Lang::En => format!(
                "{left_out} {} that came up in the search but may concern someone else (for example through an e-mail address you share with another person) {} not included.",
                if left_out == 1 { "record" } else { "records" },
                if left_out == 1 { "is" } else { "are" },
            ),
        });
    }
    out
}

/// The column that shows a record's place in its file, for an export
/// keyed by position (`key = { position = "line" }`).
pub fn position_label(position: Position, lang: Lang) -> &'static str {
    match (position, lang) {
        (Position::Line, Lang::Nl) => "Regel in het exportbestand",
        (Position::Line, Lang::En) => "Line in the export file",
        (Position::Row, Lang::Nl) => "Rij in het werkblad",
        (Position::Row, Lang::En) => "Row in the worksheet",
    }
}

/// A note about how a record was read (damage it was recovered from), as
/// the tenant reads it beside the record.
pub fn reading_note(note: ReadingNote, lang: Lang) -> String {
    use ReadingNote as N;
    match (note, lang) {
        (N::NoMessageId, Lang::Nl) => "het bericht heeft geen Message-ID".into(),
        (N::NoMessageId, Lang::En) => "the message has no Message-ID".into(),
        (N::InvalidCharacters, Lang::Nl) => {
            "de tekst bevat ongeldige tekens (vervangen door \u{FFFD})".into()
        }
        (N::InvalidCharacters, Lang::En) => {
            "the text holds invalid characters (replaced by \u{FFFD})".into()
        }
        (N::TextPartUndecodable { part }, Lang::Nl) => {
            format!("tekstdeel {part} kon niet worden gedecodeerd en staat er zoals het in het archief staat")
        }
        (N::TextPartUndecodable { part }, Lang::En) => {
            format!("text part {part} could not be decoded and is shown as it stands in the archive")
        }
        (N::AttachmentUndecodable { attachment }, Lang::Nl) => {
            format!("bijlage {attachment} kon niet worden gedecodeerd en is vermeld zoals hij in het archief staat")
        }
        (N::AttachmentUndecodable { attachment }, Lang::En) => {
            format!("attachment {attachment} could not be decoded and is listed as it stands in the archive")
        }
        (N::BoundaryUnused, Lang::Nl) => "de opbouw van het bericht is beschadigd (een aangekondigde scheiding ontbreekt); de tekst staat er zoals hij in het archief staat".into(),
        (N::BoundaryUnused, Lang::En) => "the message's structure is damaged (an announced boundary is missing); the text is shown as it stands in the archive".into(),
        (N::Truncated, Lang::Nl) => "het bericht lijkt afgebroken: een deel ervan wordt nooit afgesloten".into(),
        (N::Truncated, Lang::En) => "the message looks cut off: a part of it is never closed".into(),
        (N::StructureDamaged, Lang::Nl) => "de opbouw van het bericht is beschadigd".into(),
        (N::StructureDamaged, Lang::En) => "the message's structure is damaged".into(),
        (N::EncodingDamaged, Lang::Nl) => "een tekstdeel is beschadigd gecodeerd (base64 of quoted-printable)".into(),
        (N::EncodingDamaged, Lang::En) => "a text part is damaged in its encoding (base64 or quoted-printable)".into(),
        (N::ShownAsInArchive, Lang::Nl) => "de tekst staat er zoals hij in het archief staat, omdat de opbouw van het bericht beschadigd is".into(),
        (N::ShownAsInArchive, Lang::En) => "the text is shown as it stands in the archive, because the message's structure is damaged".into(),
        (N::MboxWithoutFromLine, Lang::Nl) => "het archiefbestand begint niet met een scheidingsregel; het begin ervan is als één bericht gelezen".into(),
        (N::MboxWithoutFromLine, Lang::En) => "the archive file does not start with a separator line; its beginning was read as one message".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every reading note is worded in both languages, differently, and
    /// never as its code or its English log text in the Dutch report.
    #[test]
    fn every_reading_note_is_worded_in_both_languages() {
        for note in ReadingNote::every_kind() {
            let nl = reading_note(note, Lang::Nl);
            let en = reading_note(note, Lang::En);
            assert!(!nl.is_empty() && !en.is_empty(), "{note:?}");
            assert_ne!(nl, en, "{note:?}");
            assert_ne!(nl, note.to_string(), "{note:?}");
            assert!(!nl.contains(note.code()), "{note:?}");
        }
    }

    /// Every attribute of the closed list has a label in both languages.
    #[test]
    fn every_person_attribute_has_a_label() {
        for id in inzage_core::person::PERSON_ATTRIBUTES {
            for lang in [Lang::Nl, Lang::En] {
                let label = attribute(id, lang);
                assert!(label != *id && !label.is_empty(), "{id} in {lang:?}");
            }
        }
    }
}
