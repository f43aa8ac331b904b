//! `LEESMIJ.txt` (Dutch) and `README.txt` (English): for the receiving
//! landlord, what each file holds, what the fields mean, how the scope was
//! decided and how to check the bundle.

use chrono::{DateTime, Utc};
use inzage_core::{Lang, Register};
use inzage_engine::Findings;

use super::scope::{self, FieldKind};
use super::{Plan, Receiver};

/// What the texts are made from.
pub struct Input<'a> {
    /// The register.
    pub register: &'a Register,
    /// Scope and entities.
    pub plan: &'a Plan,
    /// The (protected) findings.
    pub findings: &'a Findings,
    /// When the bundle was made.
    pub created_at: DateTime<Utc>,
    /// The receiver, when named.
    pub receiver: Option<&'a Receiver>,
}

/// The scope rules in one paragraph.
pub fn rules(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "Mee gaan gegevens over u die u zelf hebt verstrekt of die zijn ontstaan door uw gebruik van onze dienstverlening, en die wij verwerken voor ten minste één doel op grond van een overeenkomst of toestemming (AVG art. 20). Niet mee gaan: afgeleide gegevens, gegevens die wij van anderen kregen, bijzondere en strafrechtelijke gegevens, het BSN, gegevens die wij alleen verwerken op grond van een wettelijke verplichting of een gerechtvaardigd belang, en gegevens van andere mensen. Binnen een dataset gaan velden van een categorie die niet overdraagbaar is niet mee.",
        Lang::En => "Included: data about you that you provided or that arose from your use of our services, which we process for at least one purpose under a contract or consent (GDPR art. 20). Not included: derived data, data we received from others, special-category and criminal data, the BSN, data we process only under a legal obligation or a legitimate interest, and other people's data. Within a dataset, fields of a category that is not portable are left out.",
    }
}

/// How other people's data is kept out.
pub fn other_people(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "Gegevens van andere mensen (medehuurders, huisgenoten, buren) gaan niet mee: records van een ander worden nooit opgenomen, records die alleen via een gedeeld gegeven (zoals een gedeeld e-mailadres) zijn gevonden blijven buiten de bundel, en namen, e-mailadressen, telefoonnummers en dergelijke van anderen in vrije tekst zijn vervangen door een markering.",
        Lang::En => "Other people's data (co-tenants, household members, neighbours) is left out: another person's records are never included, records found only through something shared (such as a shared e-mail address) stay out of the bundle, and other people's names, e-mail addresses, phone numbers and the like in free text are replaced by a marker.",
    }
}

fn kind_words(kind: FieldKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (FieldKind::Text, Lang::Nl) => "tekst",
        (FieldKind::Date, Lang::Nl) => "datum JJJJ-MM-DD",
        (FieldKind::Integer, Lang::Nl) => "geheel getal",
        (FieldKind::Decimal, Lang::Nl) => {
            "bedrag of decimaal getal als tekst, punt als scheidingsteken"
        }
        (FieldKind::Text, Lang::En) => "text",
        (FieldKind::Date, Lang::En) => "date YYYY-MM-DD",
        (FieldKind::Integer, Lang::En) => "whole number",
        (FieldKind::Decimal, Lang::En) => "amount or decimal number as text, point as separator",
        (FieldKind::Datetime, Lang::Nl) => {
            "datum en tijd ISO 8601 (JJJJ-MM-DDTuu:mm:ss, met verschil met UTC waar de bron dat geeft)"
        }
        (FieldKind::Datetime, Lang::En) => {
            "date and time ISO 8601 (YYYY-MM-DDThh:mm:ss, with the offset from UTC where the source gives it)"
        }
        (FieldKind::Boolean, Lang::Nl) => "waar of onwaar (true/false)",
        (FieldKind::Boolean, Lang::En) => "true or false",
        (FieldKind::List, Lang::Nl) => "lijst van waarden",
        (FieldKind::List, Lang::En) => "list of values",
    }
}

/// The whole text in one language.
pub fn readme(input: &Input, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    let t = |n: &str, e: &str| if nl { n.to_string() } else { e.to_string() };
    let org = &input.register.organisation.name;
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push_str("\r\n");
    };
    line(t(
        "Persoonsgegevens voor overdracht (AVG artikel 20)",
        "Personal data for transfer (GDPR article 20)",
    ));
    line("=".repeat(50));
    line(String::new());
    line(format!(
        "{} {org}, {} {}.",
        t("Gemaakt door", "Made by"),
        t("op", "on"),
        input.created_at.format("%Y-%m-%d %H:%M UTC")
    ));
    if let Some(r) = input.receiver {
        line(format!(
            "{} {} ({}).",
            t("Bestemd voor", "Meant for"),
            r.label,
            r.id
        ));
    }
    if !input.findings.is_complete() {
        line(t(
            "LET OP: een bronsysteem kon niet worden gelezen; deze bundel is onvolledig (zie manifest.json, \"complete\").",
            "NOTE: a source system could not be read; this bundle is incomplete (see manifest.json, \"complete\").",
        ));
    }
    line(String::new());
    line(t("Bestanden", "Files"));
    line("-".repeat(9));
    line(t(
        "portability.json   alle gegevens in één document; de namen volgen VERA (de Aedes-datastandaarden) waar VERA een woord heeft",
        "portability.json   all data in one document; names follow VERA (the Dutch housing data standard, Aedes) where VERA has a word",
    ));
    line(t(
        "schema.json        JSON Schema (draft 2020-12) waaraan portability.json voldoet",
        "schema.json        JSON Schema (draft 2020-12) that portability.json validates against",
    ));
    line(t(
        "csv/<entiteit>.csv dezelfde gegevens als tabel per entiteit (UTF-8 met BOM, ';'; cellen die met = + - @ beginnen krijgen een ' ervoor)",
        "csv/<entity>.csv   the same data as one table per entity (UTF-8 with BOM, ';'; cells starting with = + - @ get a ' in front)",
    ));
    line(t(
        "manifest.json      wat er is gevraagd, hoe de reikwijdte is bepaald, en de sha256 van elk ander bestand",
        "manifest.json      what was asked, how the scope was decided, and the sha256 of every other file",
    ));
    line(t(
        "LEESMIJ.txt        deze tekst; README.txt is dezelfde tekst in het Engels",
        "README.txt         this text; LEESMIJ.txt is the same text in Dutch",
    ));
    line(String::new());
    line(t(
        "Elk record heeft \"bron\": het systeem, de dataset en de sleutel waaronder het bij ons staat.",
        "Every record has \"bron\" (source): the system, dataset and key under which we hold it.",
    ));
    line(String::new());
    line(t("Entiteiten en velden", "Entities and fields"));
    line("-".repeat(20));
    for entity in &input.plan.entities {
        let count: usize = entity
            .datasets
            .iter()
            .map(|&i| input.plan.records(input.findings, i).len())
            .sum();
        line(String::new());
        line(format!(
            "{} ({count} {})",
            entity.name,
            t("records", "records")
        ));
        if let Some(d) = &entity.description {
            line(format!("  {d}"));
        }
        for c in &entity.columns {
            let meaning = if c.description.is_empty() {
                String::new()
            } else {
                format!(": {}", c.description)
            };
            line(format!(
                "  - {}{meaning} [{}; {} {}]",
                c.name,
                kind_words(c.kind, lang),
                t("uit", "from"),
                c.from.join(", ")
            ));
        }
    }
    line(String::new());
    line(t(
        "Hoe de reikwijdte is bepaald",
        "How the scope was decided",
    ));
    line("-".repeat(28));
    line(rules(lang).to_string());
    line(String::new());
    line(t(
        "Niet meegegeven, met de reden:",
        "Not included, with the reason:",
    ));
    let mut any = false;
    for d in &input.plan.decisions {
        if d.included() {
            continue;
        }
        any = true;
        let reasons: Vec<String> = d
            .reasons
            .iter()
            .map(|r| scope::dataset_reason_words(input.register, r, lang))
            .collect();
        line(format!(
            "  - {} {}: {}",
            d.source,
            d.dataset,
            reasons.join("; ")
        ));
    }
    for d in &input.plan.decisions {
        for f in &d.excluded_fields {
            any = true;
            line(format!(
                "  - {} {}.{}: {}",
                d.source,
                d.dataset,
                f.field,
                scope::field_reason_words(input.register, &f.reason, lang)
            ));
        }
    }
    if !any {
        line(format!("  ({})", t("niets", "nothing")));
    }
    line(String::new());
    line(other_people(lang).to_string());
    line(format!(
        "{}: {}.",
        t(
            "Vervangen waarden in vrije tekst",
            "Values replaced in free text"
        ),
        input.plan.redacted_in_scope(input.findings)
    ));
    line(String::new());
    line(t("De bundel controleren", "Checking the bundle"));
    line("-".repeat(20));
    line(t(
        "Met inzage:   inzage verify <bundel>.zip   (controleert elke sha256, dat er niets ontbreekt of bij is gekomen, en portability.json tegen schema.json)",
        "With inzage:  inzage verify <bundle>.zip   (checks every sha256, that nothing is missing or added, and portability.json against schema.json)",
    ));
    line(t(
        "Zonder inzage: pak de zip uit, bereken de sha256 van elk bestand (sha256sum, certutil -hashfile <bestand> SHA256) en vergelijk met \"files\" in manifest.json; valideer portability.json tegen schema.json met een JSON Schema-validator (draft 2020-12).",
        "Without inzage: unzip, compute the sha256 of every file (sha256sum, certutil -hashfile <file> SHA256) and compare with \"files\" in manifest.json; validate portability.json against schema.json with a JSON Schema validator (draft 2020-12).",
    ));
    line(String::new());
    line(format!(
        "{}: {}",
        t("Vragen", "Questions"),
        input.register.organisation.privacy_contact
    ));
    out
}
