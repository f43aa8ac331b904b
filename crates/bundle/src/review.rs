//! The review list beside the bundle, for the privacy officer, never inside
//! it: `F.zip.review.html` (a page with the same escaping and CSP rules as
//! the report), `F.zip.review.csv` (for a spreadsheet) and
//! `F.zip.review.json` (for tools). Every redaction and every item that
//! needs a human decision, with the record's own key and a decision id.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use inzage_core::Lang;
use inzage_core::ReviewReason;
use inzage_engine::protect::detect::Kind;
use inzage_engine::protect::review::{EntryReason, Outcome, ReviewEntry, Subject};
use inzage_engine::Findings;
use minijinja::Environment;
use serde::Serialize;

use crate::escape::spreadsheet_cell;
use crate::{serialise, BundleError};

const TEMPLATE: &str = include_str!("../templates/review.html");

/// The three files of the review list for a bundle at `out`.
pub fn review_paths(out: &Path) -> [PathBuf; 3] {
    ["review.html", "review.csv", "review.json"].map(|ext| {
        let mut name = out.file_name().unwrap_or_default().to_os_string();
        name.push(".");
        name.push(ext);
        out.with_file_name(name)
    })
}

#[derive(Serialize)]
struct Texts {
    title: &'static str,
    intro: &'static str,
    bundle: &'static str,
    made: &'static str,
    redacted: &'static str,
    pending: &'static str,
    people: &'static str,
    decisions: &'static str,
    decisions_applied: &'static str,
    decisions_none: &'static str,
    unapplied: &'static str,
    items: &'static str,
    nothing: &'static str,
    col_id: &'static str,
    col_source: &'static str,
    col_dataset: &'static str,
    col_key: &'static str,
    col_field: &'static str,
    col_kind: &'static str,
    col_value: &'static str,
    col_count: &'static str,
    col_outcome: &'static str,
    col_options: &'static str,
    col_reason: &'static str,
    how: &'static str,
    how_intro: &'static str,
    how_keep: &'static str,
    how_redact: &'static str,
    how_records: &'static str,
    how_run: &'static str,
}

const NL: Texts = Texts {
    title: "Controlelijst gegevens van anderen",
    intro: "Voor de privacymedewerker, niet voor de huurder. Elke vervanging van gegevens van andere personen in vrije teksten, en elk punt dat een menselijke beslissing vraagt, staat hieronder met de eigen sleutel van het record en een beslis-id. De bundel is pas definitief na deze controle.",
    bundle: "Bundel",
    made: "Gemaakt op",
    redacted: "Vervangen waarden",
    pending: "Wachten op een beslissing",
    people: "Personen in de personenindex",
    decisions: "Beslissingen",
    decisions_applied: "beslissingenbestand toegepast",
    decisions_none: "nog geen beslissingenbestand toegepast",
    unapplied: "Beslissingen die niets meer raakten of niet konden worden toegepast:",
    items: "Vervangingen en punten voor een beslissing",
    nothing: "Niets gevonden: geen gegevens van andere personen in vrije teksten, en niets dat een beslissing vraagt.",
    col_id: "Beslis-id",
    col_source: "Systeem",
    col_dataset: "Gegevensset",
    col_key: "Sleutel",
    col_field: "Veld",
    col_kind: "Soort",
    col_value: "Waarde (gemaskeerd)",
    col_count: "Aantal",
    col_outcome: "Uitkomst",
    col_options: "Mogelijke beslissingen",
    col_reason: "Waarom",
    how: "Hoe u beslist",
    how_intro: "Schrijf een JSON-bestand met uw beslissingen, per beslis-id uit de tabel, of voor een gemiste waarde of een record met systeem, gegevensset en sleutel:",
    how_keep: "de waarde was ten onrechte vervangen en blijft staan.",
    how_redact: "de waarde (een onbekende naam) wordt alsnog vervangen; zonder id, met source, dataset, key, field en text: een gemiste waarde wordt vervangen (kind: name, email, phone, address, iban of bsn).",
    how_records: "een achtergehouden record (alleen gevonden via een gedeeld gegeven, of naam en geboortedatum of postcode komen maar deels overeen) wordt toch opgenomen, of blijft bewust weg; leave_out met source, dataset en key haalt een record uit de bundel.",
    how_run: "Maak de bundel daarna opnieuw met de beslissingen. Een beslissing die niets meer raakt, wordt gemeld.",
};

const EN: Texts = Texts {
    title: "Review list: other people's data",
    intro: "For the privacy officer, not for the tenant. Every replacement of other people's data in free text, and every item that needs a human decision, is listed below with the record's own key and a decision id. The bundle is final only after this review.",
    bundle: "Bundle",
    made: "Made on",
    redacted: "Values replaced",
    pending: "Waiting for a decision",
    people: "People in the people index",
    decisions: "Decisions",
    decisions_applied: "decisions file applied",
    decisions_none: "no decisions file applied yet",
    unapplied: "Decisions that matched nothing or could not be applied:",
    items: "Replacements and items for a decision",
    nothing: "Nothing found: no other people's data in free text, and nothing that needs a decision.",
    col_id: "Decision id",
    col_source: "System",
    col_dataset: "Dataset",
    col_key: "Key",
    col_field: "Field",
    col_kind: "Kind",
    col_value: "Value (masked)",
    col_count: "Count",
    col_outcome: "Outcome",
    col_options: "Possible decisions",
    col_reason: "Why",
    how: "How to decide",
    how_intro: "Write a JSON file with your decisions, by the decision id from the table, or for a missed value or a record by system, dataset and key:",
    how_keep: "the value was replaced wrongly and stays as written.",
    how_redact: "the value (an unknown name) is replaced after all; without id, with source, dataset, key, field and text: a missed value is replaced (kind: name, email, phone, address, iban or bsn).",
    how_records: "a withheld record (found only through a shared identifier, or whose name and birth date or postcode match only partly) is included after all, or stays out deliberately; leave_out with source, dataset and key takes a record out of the bundle.",
    how_run: "Then make the bundle again with the decisions. A decision that no longer matches anything is reported.",
};

const EXAMPLE: &str = r#"{
  "reviewed_by": "M. de Wit",
  "decisions": [
    { "id": "D-3f2a9c81b0", "decision": "keep" },
    { "id": "D-7c01d2e4aa", "decision": "redact" },
    { "id": "D-19be0f3c55", "decision": "include" },
    { "decision": "redact", "source": "crm", "dataset": "Notitie",
      "key": "6f1c0a2e-...", "field": "tekst", "text": "Piet", "kind": "name" },
    { "decision": "leave_out", "source": "crm", "dataset": "Klacht", "key": "KLA0000123" }
  ]
}"#;

/// What a review entry is about, in words.
pub fn kind_text(subject: Subject, lang: Lang) -> &'static str {
    match (subject, lang) {
        (Subject::Value(k), lang) => value_kind(k, lang),
        (Subject::SharedIdentifierRecord, Lang::Nl) => "record (via een gedeeld gegeven)",
        (Subject::SharedIdentifierRecord, Lang::En) => "record (shared identifier)",
        (Subject::PartialMatchRecord, Lang::Nl) => "record (komt deels overeen)",
        (Subject::PartialMatchRecord, Lang::En) => "record (partial match)",
        (Subject::Other, Lang::Nl) => "punt",
        (Subject::Other, Lang::En) => "item",
    }
}

fn value_kind(kind: Kind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (Kind::Name, Lang::Nl) => "naam",
        (Kind::Email, Lang::Nl) => "e-mailadres",
        (Kind::Phone, Lang::Nl) => "telefoonnummer",
        (Kind::Address, Lang::Nl) => "adres",
        (Kind::Iban, Lang::Nl) => "bankrekening (IBAN)",
        (Kind::Bsn, Lang::Nl) => "BSN",
        (Kind::UnknownName, Lang::Nl) => "onbekende naam",
        (Kind::Name, Lang::En) => "name",
        (Kind::Email, Lang::En) => "e-mail address",
        (Kind::Phone, Lang::En) => "phone number",
        (Kind::Address, Lang::En) => "address",
        (Kind::Iban, Lang::En) => "bank account (IBAN)",
        (Kind::Bsn, Lang::En) => "BSN",
        (Kind::UnknownName, Lang::En) => "unknown name",
    }
}

/// Why an entry is on the list, in words for the privacy officer.
pub fn reason_text(reason: &EntryReason, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    let text = |n: &str, e: &str| (if nl { n } else { e }).to_string();
    match reason {
        EntryReason::OtherPersonsValue { kind } => match kind {
            Kind::Name => text("de naam van een andere persoon die in onze systemen bekend is", "the name of another person our systems know"),
            Kind::Email => text("een e-mailadres dat niet van de huurder is, en ook niet van de corporatie", "an e-mail address that is not the tenant's, nor the corporation's"),
            Kind::Phone => text("een telefoonnummer dat niet van de huurder is, en ook niet van de corporatie", "a phone number that is not the tenant's, nor the corporation's"),
            Kind::Iban => text("een bankrekening (IBAN) die niet van de huurder is", "a bank account (IBAN) that is not the tenant's"),
            Kind::Bsn => text("een burgerservicenummer (BSN) dat niet van de huurder is", "a citizen service number (BSN) that is not the tenant's"),
            Kind::Address => text("een postcode met huisnummer die niet een van de adressen van de huurder is", "a postcode with a house number that is not one of the tenant's addresses"),
            Kind::UnknownName => text("een naam die in onze systemen niet bekend is", "a name our systems do not know"),
        },
        EntryReason::UnknownNameAfterCue => text("een naam na een woord als buurvrouw of dhr. die bij niemand in onze systemen hoort: beslis of dit een andere persoon noemt", "a name after a word such as buurvrouw or dhr. that matches no one in our systems: decide whether it names another person"),
        EntryReason::RedactedByDecision => text("vervangen op uw beslissing", "replaced by your decision"),
        EntryReason::AttachmentUnscanned => text("een bijlage gaat mee zoals hij is; de inhoud is niet op gegevens van anderen doorzocht: open hem en controleer, of stel include_attachments = false in", "an attachment goes into the bundle as it is; its content is not scanned for other people's data: open it and check, or set include_attachments = false"),
        EntryReason::LeftOutByDecision => text("op uw beslissing niet in de bundel", "left out of the bundle by your decision"),
        EntryReason::Flagged { why, read_at } => {
            let why = flagged_text(why, lang);
            match read_at {
                Some(at) if nl => format!("{why} (gelezen in {at})"),
                Some(at) => format!("{why} (read at {at})"),
                None => why,
            }
        }
    }
}

fn flagged_text(why: &ReviewReason, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    match why {
        ReviewReason::Unreadable { detail } => if nl {
            format!("dit bericht kon niet helemaal worden gelezen; controleer het met de hand (technische melding: {detail})")
        } else {
            format!("this message could not be read completely; check it by hand (technical message: {detail})")
        },
        ReviewReason::DamagedText { detail } => if nl {
            format!("opgenomen met beschadigde tekst: onleesbare tekens zijn vervangen (technische melding: {detail})")
        } else {
            format!("included with damaged text: unreadable characters were replaced (technical message: {detail})")
        },
        ReviewReason::PartialPersonMatch => (if nl {
            "naam en geboortedatum of postcode komen maar gedeeltelijk overeen: controleer met de hand of dit dezelfde persoon is"
        } else {
            "name and birth date or postcode match only partly: check by hand whether this is the same person"
        }).into(),
        ReviewReason::AnotherPersonsRecord { shared } => {
            let kinds: Vec<&str> = shared.iter().map(|k| crate::report::texts::identifier_kind(*k, lang)).collect();
            if nl {
                format!("gevonden via een gedeeld gegeven ({}), maar van een andere persoon: niet in de bundel", kinds.join(", "))
            } else {
                format!("found through a shared identifier ({}), but another person's: not in the bundle", kinds.join(", "))
            }
        }
        ReviewReason::SharedIdentifierOnly => (if nl {
            "alleen gevonden via een gegeven dat de huurder met een andere persoon deelt: controleer met de hand van wie het is"
        } else {
            "found only through an identifier the tenant shares with another person: check by hand whose it is"
        }).into(),
    }
}

/// What happened to an entry, in words.
pub fn outcome_text(o: Outcome, lang: Lang) -> &'static str {
    match (o, lang) {
        (Outcome::Redacted, Lang::Nl) => "vervangen",
        (Outcome::RedactedByDecision, Lang::Nl) => "vervangen (beslissing)",
        (Outcome::KeptByDecision, Lang::Nl) => "blijft staan (beslissing)",
        (Outcome::NeedsDecision, Lang::Nl) => "beslissing nodig",
        (Outcome::LeftOut, Lang::Nl) => "niet in de bundel",
        (Outcome::LeftOutByDecision, Lang::Nl) => "niet in de bundel (beslissing)",
        (Outcome::IncludedByDecision, Lang::Nl) => "opgenomen (beslissing)",
        (Outcome::IncludedUnscanned, Lang::Nl) => "bijlage meegestuurd, niet gescand: controleren",
        (Outcome::Redacted, Lang::En) => "replaced",
        (Outcome::RedactedByDecision, Lang::En) => "replaced (decision)",
        (Outcome::KeptByDecision, Lang::En) => "kept (decision)",
        (Outcome::NeedsDecision, Lang::En) => "needs a decision",
        (Outcome::LeftOut, Lang::En) => "not in the bundle",
        (Outcome::LeftOutByDecision, Lang::En) => "not in the bundle (decision)",
        (Outcome::IncludedByDecision, Lang::En) => "included (decision)",
        (Outcome::IncludedUnscanned, Lang::En) => "attachment included, not scanned: check it",
    }
}

#[derive(Serialize)]
struct Row<'a> {
    decision_id: &'a str,
    source: &'a str,
    dataset: &'a str,
    key: &'a str,
    field: &'a str,
    kind: &'static str,
    masked: &'a str,
    count: usize,
    outcome: Outcome,
    outcome_text: &'static str,
    options: String,
    reason: String,
}

fn rows(findings: &Findings, lang: Lang) -> Vec<Row<'_>> {
    findings
        .protection
        .entries
        .iter()
        .map(|e| Row {
            decision_id: &e.decision_id,
            source: &e.source,
            dataset: &e.dataset,
            key: &e.key,
            field: e.field.as_deref().unwrap_or(""),
            kind: kind_text(e.subject, lang),
            masked: e.masked.as_deref().unwrap_or(""),
            count: e.count,
            outcome: e.outcome,
            outcome_text: outcome_text(e.outcome, lang),
            options: e.options.join(", "),
            reason: reason_text(&e.reason, lang),
        })
        .collect()
}

fn html(
    out: &Path,
    findings: &Findings,
    lang: Lang,
    made: DateTime<Utc>,
) -> Result<Vec<u8>, BundleError> {
    let mut env = Environment::new();
    env.add_template("review.html", TEMPLATE)
        .map_err(serialise)?;
    let p = &findings.protection;
    let page = minijinja::context! {
        lang => match lang { Lang::Nl => "nl", Lang::En => "en" },
        t => match lang { Lang::Nl => &NL, Lang::En => &EN },
        bundle => out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        made => made.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        redacted => p.redacted_total(),
        pending => p.pending(),
        people => p.people_indexed,
        reviewed => p.reviewed,
        reviewed_by => p.reviewed_by.clone(),
        unapplied => p.unapplied.clone(),
        entries => rows(findings, lang),
        example => EXAMPLE,
    };
    let text = env
        .get_template("review.html")
        .and_then(|t| t.render(page))
        .map_err(serialise)?;
    Ok(text.into_bytes())
}

fn csv(findings: &Findings, lang: Lang) -> Result<Vec<u8>, BundleError> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record([
        "decision_id",
        "source",
        "dataset",
        "key",
        "field",
        "kind",
        "masked",
        "count",
        "outcome",
        "options",
        "reason",
    ])
    .map_err(serialise)?;
    for r in rows(findings, lang) {
        let count = r.count.to_string();
        let cells = [
            r.decision_id,
            r.source,
            r.dataset,
            r.key,
            r.field,
            r.kind,
            r.masked,
            &count,
            r.outcome_text,
            &r.options,
            &r.reason,
        ];
        w.write_record(cells.iter().map(|c| spreadsheet_cell(c)))
            .map_err(serialise)?;
    }
    w.into_inner()
        .map_err(|e| BundleError::Serialise(e.to_string()))
}

#[derive(Serialize)]
struct JsonOut<'a> {
    bundle: String,
    redacted: usize,
    pending: usize,
    reviewed: bool,
    unapplied: &'a [String],
    entries: &'a [ReviewEntry],
}

fn json(out: &Path, findings: &Findings) -> Result<Vec<u8>, BundleError> {
    let p = &findings.protection;
    let mut bytes = serde_json::to_vec_pretty(&JsonOut {
        bundle: out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        redacted: p.redacted_total(),
        pending: p.pending(),
        reviewed: p.reviewed,
        unapplied: &p.unapplied,
        entries: &p.entries,
    })
    .map_err(serialise)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes the three review files beside `out`, each atomically.
pub fn write_review(
    out: &Path,
    findings: &Findings,
    lang: Lang,
    made: DateTime<Utc>,
) -> Result<PathBuf, BundleError> {
    let [html_path, csv_path, json_path] = review_paths(out);
    for (path, bytes) in [
        (&html_path, html(out, findings, lang, made)?),
        (&csv_path, csv(findings, lang)?),
        (&json_path, json(out, findings)?),
    ] {
        write_atomically(path, &bytes)?;
    }
    Ok(html_path)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), BundleError> {
    let io = |cause| BundleError::Write {
        path: path.to_path_buf(),
        cause,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".inzage-review-")
        .tempfile_in(dir)
        .map_err(io)?;
    std::io::Write::write_all(&mut temp, bytes).map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use inzage_core::IdentifierKind;

    use super::*;

    fn every_reason() -> Vec<EntryReason> {
        let mut all: Vec<EntryReason> = Kind::ALL
            .into_iter()
            .map(|kind| EntryReason::OtherPersonsValue { kind })
            .collect();
        all.extend([
            EntryReason::UnknownNameAfterCue,
            EntryReason::RedactedByDecision,
            EntryReason::AttachmentUnscanned,
            EntryReason::LeftOutByDecision,
        ]);
        for why in [
            ReviewReason::Unreadable {
                detail: "no header".into(),
            },
            ReviewReason::DamagedText {
                detail: "column 3".into(),
            },
            ReviewReason::PartialPersonMatch,
            ReviewReason::AnotherPersonsRecord {
                shared: vec![IdentifierKind::Email],
            },
            ReviewReason::SharedIdentifierOnly,
        ] {
            all.push(EntryReason::Flagged {
                why: why.clone(),
                read_at: None,
            });
            all.push(EntryReason::Flagged {
                why,
                read_at: Some("leden.csv:4".into()),
            });
        }
        all
    }

    #[test]
    fn every_reason_is_worded_in_both_languages_and_differs_from_the_terminals_english() {
        let mut dutch = std::collections::BTreeSet::new();
        for reason in every_reason() {
            let nl = reason_text(&reason, Lang::Nl);
            let en = reason_text(&reason, Lang::En);
            assert_ne!(nl, en, "{reason:?}");
            assert!(
                dutch.insert(nl.clone()),
                "one wording for two reasons: {nl}"
            );
            if let EntryReason::Flagged {
                read_at: Some(at), ..
            } = &reason
            {
                assert!(nl.ends_with(&format!("(gelezen in {at})")), "{nl}");
            }
            // The officer's English names the tenant, not "the subject".
            assert!(!en.contains("subject") && !en.contains("estate"), "{en}");
        }
        assert_eq!(
            reason_text(
                &EntryReason::Flagged {
                    why: ReviewReason::AnotherPersonsRecord {
                        shared: vec![IdentifierKind::Email, IdentifierKind::Telefoon]
                    },
                    read_at: None
                },
                Lang::Nl
            ),
            "gevonden via een gedeeld gegeven (e-mailadres, telefoonnummer), maar van een andere persoon: niet in de bundel"
        );
    }

    #[test]
    fn a_reason_is_a_stable_code_in_json() {
        let reason = EntryReason::Flagged {
            why: ReviewReason::PartialPersonMatch,
            read_at: Some("leden.csv:4".into()),
        };
        assert_eq!(
            serde_json::to_value(&reason).unwrap(),
            serde_json::json!({"code": "flagged", "why": {"code": "partial_person_match"}, "read_at": "leden.csv:4"})
        );
        assert_eq!(
            serde_json::to_value(EntryReason::OtherPersonsValue { kind: Kind::Phone }).unwrap(),
            serde_json::json!({"code": "other_persons_value", "kind": "phone"})
        );
    }
}
