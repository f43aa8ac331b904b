//! The review list beside the bundle, for the privacy officer, never inside
//! it: `F.zip.review.html` (a page with the same escaping and CSP rules as
//! the report), `F.zip.review.csv` (for a spreadsheet) and
//! `F.zip.review.json` (for tools). Every redaction and every item that
//! needs a human decision, with the record's own key and a decision id.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use inzage_core::Lang;
use inzage_engine::protect::review::{Outcome, ReviewEntry, Subject};
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
    how_records: "een achtergehouden record (alleen gevonden via een gedeeld gegeven) wordt toch opgenomen, of blijft bewust weg; leave_out met source, dataset en key haalt een record uit de bundel.",
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
    how_records: "a withheld record (found only through a shared identifier) is included after all, or stays out deliberately; leave_out with source, dataset and key takes a record out of the bundle.",
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

fn kind_text(e: &ReviewEntry) -> String {
    match e.subject {
        Subject::Value(k) => k.as_str().to_string(),
        Subject::SharedIdentifierRecord => "record (shared identifier)".into(),
        Subject::Other => "item".into(),
    }
}

fn outcome_text(o: Outcome, lang: Lang) -> &'static str {
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
    kind: String,
    masked: &'a str,
    count: usize,
    outcome: Outcome,
    outcome_text: &'static str,
    options: String,
    reason: &'a str,
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
            kind: kind_text(e),
            masked: e.masked.as_deref().unwrap_or(""),
            count: e.count,
            outcome: e.outcome,
            outcome_text: outcome_text(e.outcome, lang),
            options: e.options.join(", "),
            reason: &e.reason,
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
            &r.kind,
            r.masked,
            &count,
            r.outcome_text,
            &r.options,
            r.reason,
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
