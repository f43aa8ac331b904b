//! Third-party protection (GDPR art. 15(4)): other people's data in free
//! text is found and replaced by a marker, once, on the findings, before
//! any writer sees them; every redaction and every item that needs a human
//! decision goes on the review list with a stable decision id, and the
//! officer's decisions file is applied on the next export.
//!
//! What is found: e-mail addresses, phone numbers, IBANs, BSNs and a
//! postcode with a house number ([`detect`]), and the names of the people
//! the estate knows ([`names::PeopleIndex`]). The subject's own values, the
//! corporation's staff and its own domains are not third parties. A
//! capitalised name after `buurvrouw`, `dhr.` and the like that matches no
//! known person is a review item, never redacted by guesswork.

pub mod decisions;
pub mod detect;
pub mod fold;
pub mod names;
pub mod review;

use std::collections::{BTreeMap, HashMap, HashSet};

use inzage_core::{
    DatasetSpec, IdentifierKind, Lang, ProtectSettings, Record, ReviewReason, Value,
};
use serde::Serialize;

use crate::findings::{Findings, IdentityStatus};
use decisions::{Action, Decision, Decisions};
use detect::{detect, resolve_overlaps, Hit, Kind};
use fold::{fold, tokens};
use names::{titled_names, KnownWords, PeopleIndex};
use review::{decision_id, mask, EntryReason, Outcome, ReviewEntry, Subject};

/// The marker that replaces a value, in the bundle's language.
pub fn marker(kind: Kind, lang: Lang) -> String {
    let (nl, en) = match kind {
        Kind::Email => ("e-mailadres", "e-mail address"),
        Kind::Phone => ("telefoonnummer", "phone number"),
        Kind::Iban => ("IBAN", "IBAN"),
        Kind::Bsn => ("BSN", "BSN"),
        Kind::Address => ("adres", "address"),
        Kind::Name | Kind::UnknownName => ("naam", "name"),
    };
    match lang {
        Lang::Nl => format!("[verwijderd: {nl}]"),
        Lang::En => format!("[removed: {en}]"),
    }
}

/// Which fields of which datasets are free text, and which structured
/// fields hold the subject's name and address.
#[derive(Clone, Debug, Default)]
pub struct FieldRoles {
    free_text: HashSet<(String, String, String)>,
    name: HashSet<(String, String, String)>,
    postcode: HashSet<(String, String, String)>,
    house_number: HashSet<(String, String, String)>,
}

impl FieldRoles {
    /// Reads the roles from the datasets' field declarations
    /// (`free_text = true`, `person = "achternaam"`, ...).
    pub fn from_datasets<'a>(
        datasets: impl IntoIterator<Item = (&'a str, &'a DatasetSpec)>,
    ) -> Self {
        let mut roles = FieldRoles::default();
        for (source, spec) in datasets {
            for (field, fs) in &spec.fields {
                let slot = (source.to_string(), spec.name.clone(), field.clone());
                let person = fs.details().person.unwrap_or_default();
                let lower = field.to_lowercase();
                if fs.is_free_text() {
                    roles.free_text.insert(slot.clone());
                }
                if matches!(
                    person.as_str(),
                    "voornamen" | "roepnaam" | "tussenvoegsel" | "achternaam"
                ) {
                    roles.name.insert(slot.clone());
                }
                if person == "postcode" || lower == "postcode" {
                    roles.postcode.insert(slot.clone());
                }
                if person == "huisnummer" || lower == "huisnummer" {
                    roles.house_number.insert(slot);
                }
            }
        }
        roles
    }

    fn has(set: &HashSet<(String, String, String)>, r: &Record, field: &str) -> bool {
        set.contains(&(r.source.clone(), r.dataset.clone(), field.to_string()))
    }

    /// True when the field of this record is declared free text.
    pub fn is_free_text(&self, r: &Record, field: &str) -> bool {
        self.is_free_text_of(&r.source, &r.dataset, field)
    }

    /// True when the field of that source's dataset is declared free text.
    pub fn is_free_text_of(&self, source: &str, dataset: &str, field: &str) -> bool {
        self.free_text
            .contains(&(source.to_string(), dataset.to_string(), field.to_string()))
    }
}

/// What belongs to the subject (or is otherwise no third party's): never redacted.
#[derive(Clone, Debug, Default)]
pub struct OwnValues {
    values: HashSet<(Kind, String)>,
    keys: HashSet<String>,
    words: KnownWords,
}

impl OwnValues {
    /// Nothing known yet.
    pub fn new() -> OwnValues {
        OwnValues::default()
    }

    /// A value in its normalised form (see [`detect::Hit::normalised`]).
    pub fn add_value(&mut self, kind: Kind, normalised: &str) {
        self.values.insert((kind, normalised.to_string()));
    }

    /// Every detectable value in a text (a structured field of the subject's).
    pub fn add_values_in(&mut self, text: &str) {
        for h in detect(text) {
            self.values.insert((h.kind, h.normalised));
        }
    }

    /// A people-index key (klantnummer) that is the subject.
    pub fn add_key(&mut self, key: &str) {
        self.keys.insert(key.to_string());
    }

    /// A name of the subject's (every word counts as theirs).
    pub fn add_name(&mut self, name: &str) {
        self.words.add(name);
    }

    /// What the findings say is the subject's: their identifiers, every
    /// value in a structured field of a record in the bundle, their names.
    pub fn from_findings(
        findings: &Findings,
        roles: &FieldRoles,
        people: &PeopleIndex,
    ) -> OwnValues {
        let mut own = OwnValues::new();
        for identity in &findings.identities {
            if matches!(identity.status, IdentityStatus::Withdrawn { .. }) {
                continue;
            }
            let id = &identity.identifier;
            match id.kind {
                IdentifierKind::Klantnummer => own.add_key(&id.value),
                IdentifierKind::Email => own.add_value(Kind::Email, &id.value.to_lowercase()),
                IdentifierKind::Telefoon => {
                    if let Some(n) = detect::normalise(Kind::Phone, &id.value) {
                        own.add_value(Kind::Phone, &n);
                    }
                }
                _ => {}
            }
        }
        for record in &findings.records {
            let mut postcode = None;
            let mut number = None;
            for field in &record.fields {
                if roles.is_free_text(record, &field.name) {
                    continue;
                }
                let Some(text) = field.value.as_text() else {
                    continue;
                };
                own.add_values_in(&text);
                if FieldRoles::has(&roles.name, record, &field.name) {
                    own.add_name(&text);
                }
                if FieldRoles::has(&roles.postcode, record, &field.name) {
                    postcode = Some(text.replace(' ', "").to_uppercase());
                }
                if FieldRoles::has(&roles.house_number, record, &field.name) {
                    number = Some(text.trim().trim_start_matches('0').to_string());
                }
            }
            if let (Some(p), Some(n)) = (postcode, number) {
                let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
                own.add_value(Kind::Address, &format!("{p} {digits}"));
            }
        }
        for name in people.names_of(&own.keys) {
            own.add_name(&name);
        }
        own
    }
}

/// The detectors with the settings and the people index of one export.
#[derive(Clone, Debug, Default)]
pub struct Protector {
    own_domains: Vec<String>,
    partner_domains: Vec<String>,
    own_values: HashSet<(Kind, String)>,
    staff: KnownWords,
    people: PeopleIndex,
}

/// What one scan of a text found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scan {
    /// Other people's data, to redact.
    pub redact: Vec<Hit>,
    /// Names the estate does not know after a title word: for review.
    pub review: Vec<Hit>,
}

fn at_domain(email: &str, domains: &[String]) -> bool {
    let Some((_, domain)) = email.rsplit_once('@') else {
        return false;
    };
    domains
        .iter()
        .any(|d| domain == d || domain.ends_with(&format!(".{d}")))
}

impl Protector {
    /// Builds the detectors from `[protect]` and the people index.
    pub fn new(settings: &ProtectSettings, people: PeopleIndex) -> Protector {
        let mut own_values = HashSet::new();
        for v in &settings.own_values {
            for h in detect(v) {
                own_values.insert((h.kind, h.normalised));
            }
        }
        let mut staff = KnownWords::default();
        for n in &settings.staff_names {
            staff.add(n);
        }
        let lower = |v: &[String]| v.iter().map(|d| d.trim().to_lowercase()).collect();
        Protector {
            own_domains: lower(&settings.own_domains),
            partner_domains: lower(&settings.partner_domains),
            own_values,
            staff,
            people,
        }
    }

    /// The people index.
    pub fn people(&self) -> &PeopleIndex {
        &self.people
    }

    fn is_third_party(&self, h: &Hit, own: &OwnValues) -> bool {
        let key = (h.kind, h.normalised.clone());
        if own.values.contains(&key) || self.own_values.contains(&key) {
            return false;
        }
        !(h.kind == Kind::Email
            && (at_domain(&h.normalised, &self.own_domains)
                || at_domain(&h.normalised, &self.partner_domains)))
    }

    /// Scans one text for other people's data.
    pub fn scan(&self, text: &str, own: &OwnValues) -> Scan {
        let patterns = detect(text);
        let toks = tokens(text);
        let names = self.people.find(text, &toks);
        let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
        let subject_spans: Vec<(usize, usize)> = names
            .iter()
            .filter(|n| own.keys.contains(&n.key))
            .map(|n| (n.start, n.end))
            .collect();
        let mut redact: Vec<Hit> = Vec::new();
        let mut kept: Vec<(usize, usize)> = subject_spans.clone();
        for h in patterns {
            if self.is_third_party(&h, own) {
                redact.push(h);
            } else {
                kept.push((h.start, h.end));
            }
        }
        for n in names {
            if own.keys.contains(&n.key)
                || subject_spans.iter().any(|s| overlaps(*s, (n.start, n.end)))
            {
                continue;
            }
            let written = &text[n.start..n.end];
            if own.words.covers(written) || self.staff.covers(written) {
                kept.push((n.start, n.end));
                continue;
            }
            redact.push(Hit {
                kind: Kind::Name,
                start: n.start,
                end: n.end,
                normalised: n.key,
            });
        }
        let redact = resolve_overlaps(redact);
        let mut review = Vec::new();
        for (start, end) in titled_names(text, &toks) {
            let span = (start, end);
            if redact.iter().any(|h| overlaps((h.start, h.end), span))
                || kept.iter().any(|k| overlaps(*k, span))
            {
                continue;
            }
            let written = &text[start..end];
            if own.words.covers(written) || self.staff.covers(written) {
                continue;
            }
            review.push(Hit {
                kind: Kind::UnknownName,
                start,
                end,
                normalised: fold(written),
            });
        }
        Scan { redact, review }
    }
}

/// Per record, the fields that were redacted and how many values (never the values).
#[derive(Clone, Debug, Serialize)]
pub struct RecordRedactions {
    /// Connector id.
    pub source: String,
    /// Dataset.
    pub dataset: String,
    /// Record key.
    pub key: String,
    /// Field → number of values replaced.
    pub fields: BTreeMap<String, usize>,
}

/// What the protection pass did, for the writers.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Protection {
    /// Every redaction and every item for a decision.
    pub entries: Vec<ReviewEntry>,
    /// Decisions that matched nothing, or could not be applied, with why.
    pub unapplied: Vec<String>,
    /// True when a decisions file was applied.
    pub reviewed: bool,
    /// Who reviewed, from the decisions file (for staff only).
    pub reviewed_by: Option<String>,
    /// People in the people index.
    pub people_indexed: usize,
}

impl Protection {
    /// Values replaced, per source and kind.
    pub fn redacted_by_source(&self) -> BTreeMap<String, BTreeMap<Kind, usize>> {
        let mut out: BTreeMap<String, BTreeMap<Kind, usize>> = BTreeMap::new();
        for e in &self.entries {
            if let (Subject::Value(kind), true) = (e.subject, e.outcome.is_redacted()) {
                let kind = if kind == Kind::UnknownName {
                    Kind::Name
                } else {
                    kind
                };
                *out.entry(e.source.clone())
                    .or_default()
                    .entry(kind)
                    .or_default() += e.count;
            }
        }
        out
    }

    /// Total values replaced.
    pub fn redacted_total(&self) -> usize {
        self.redacted_by_source()
            .values()
            .flat_map(|m| m.values())
            .sum()
    }

    /// Per record, the redacted fields and counts.
    pub fn per_record(&self) -> Vec<RecordRedactions> {
        let mut map: BTreeMap<(String, String, String), BTreeMap<String, usize>> = BTreeMap::new();
        for e in &self.entries {
            if let (Subject::Value(_), true, Some(f)) =
                (e.subject, e.outcome.is_redacted(), &e.field)
            {
                *map.entry((e.source.clone(), e.dataset.clone(), e.key.clone()))
                    .or_default()
                    .entry(f.clone())
                    .or_default() += e.count;
            }
        }
        map.into_iter()
            .map(|((source, dataset, key), fields)| RecordRedactions {
                source,
                dataset,
                key,
                fields,
            })
            .collect()
    }

    /// Items that still wait for a human decision or look.
    pub fn pending(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| {
                matches!(
                    e.outcome,
                    Outcome::NeedsDecision | Outcome::IncludedUnscanned
                )
            })
            .count()
    }

    /// True when a privacy officer's decisions file was applied and no item
    /// still waits for a decision: only then may the report say that the
    /// replacements were checked.
    pub fn fully_reviewed(&self) -> bool {
        self.reviewed
            && !self
                .entries
                .iter()
                .any(|e| e.outcome == Outcome::NeedsDecision)
    }

    /// Lists a file that travels with a record unscanned (a mail
    /// attachment), so that the officer opens it before the bundle goes out.
    pub fn note_unscanned_file(&mut self, source: &str, dataset: &str, key: &str, file_name: &str) {
        self.entries.push(ReviewEntry {
            decision_id: decision_id(&[source, dataset, key, file_name, "file"]),
            source: source.to_string(),
            dataset: dataset.to_string(),
            key: key.to_string(),
            field: Some(file_name.to_string()),
            subject: Subject::Other,
            masked: None,
            count: 1,
            outcome: Outcome::IncludedUnscanned,
            reason: EntryReason::AttachmentUnscanned,
            options: vec![],
        });
    }
}

/// The decisions of one file, with which of them were used.
struct Ledger<'a> {
    by_id: HashMap<&'a str, usize>,
    list: &'a [Decision],
    used: Vec<bool>,
    problems: Vec<String>,
}

impl<'a> Ledger<'a> {
    fn new(decisions: Option<&'a Decisions>) -> Ledger<'a> {
        let list: &[Decision] = decisions.map(|d| d.decisions.as_slice()).unwrap_or(&[]);
        let by_id = list
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.id.as_deref().map(|id| (id, i)))
            .collect();
        Ledger {
            by_id,
            list,
            used: vec![false; list.len()],
            problems: Vec::new(),
        }
    }

    /// The action decided for an id, if any; marks it used when it is one
    /// of `allowed`, else records why it cannot apply.
    fn take(&mut self, id: &str, allowed: &[Action], what: &str) -> Option<Action> {
        let &i = self.by_id.get(id)?;
        let d = &self.list[i];
        self.used[i] = true;
        if allowed.contains(&d.decision) {
            Some(d.decision)
        } else {
            self.problems.push(format!(
                "decision {} does not apply to {what}; use {}",
                d.describe(),
                allowed
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ));
            None
        }
    }

    fn by_place(&self, action: Action) -> impl Iterator<Item = (usize, &'a Decision)> + '_ {
        let list = self.list;
        list.iter()
            .enumerate()
            .filter(move |(_, d)| d.id.is_none() && d.decision == action)
    }
}

/// The place and value of a redaction: one review entry per distinct value in a field.
type Slot = (Kind, String);

/// Runs the protection pass on the findings, in place: applies the record
/// decisions, redacts free text, and records every entry for review in
/// `findings.protection`.
pub fn protect(
    findings: &mut Findings,
    roles: &FieldRoles,
    protector: &Protector,
    decisions: Option<&Decisions>,
    lang: Lang,
) {
    let mut ledger = Ledger::new(decisions);
    let mut entries = Vec::new();
    apply_record_decisions(findings, &mut ledger, &mut entries);
    let own = OwnValues::from_findings(findings, roles, protector.people());
    for record in &mut findings.records {
        for field in &mut record.fields {
            if !roles.is_free_text_of(&record.source, &record.dataset, &field.name) {
                continue;
            }
            let Value::Text(text) = &field.value else {
                continue;
            };
            let (new_text, found) = protect_text(
                text,
                (&record.source, &record.dataset, &record.key, &field.name),
                protector,
                &own,
                &mut ledger,
                lang,
            );
            entries.extend(found);
            if let Some(t) = new_text {
                field.value = Value::Text(t);
            }
        }
    }
    // `redact` decisions by place for a record or field that was not found.
    let stale: Vec<String> = ledger
        .list
        .iter()
        .enumerate()
        .filter(|(i, _)| !ledger.used[*i])
        .map(|(_, d)| format!("decision {} matched nothing in this export (the data may have changed); review it again", d.describe()))
        .collect();
    ledger.problems.extend(stale);
    for item in &findings.review {
        // Named by the record's own key; where it was read follows the reason.
        let reason = EntryReason::Flagged {
            why: item.reason.clone(),
            read_at: (item.location != item.key).then(|| item.location.clone()),
        };
        entries.push(ReviewEntry {
            decision_id: decision_id(&[&item.source, &item.dataset, &item.key, "item"]),
            source: item.source.clone(),
            dataset: item.dataset.clone(),
            key: item.key.clone(),
            field: None,
            subject: Subject::Other,
            masked: None,
            count: 1,
            outcome: Outcome::LeftOut,
            reason,
            options: vec![],
        });
    }
    entries.sort_by(|a, b| {
        (&a.source, &a.dataset, &a.key, &a.field, &a.decision_id).cmp(&(
            &b.source,
            &b.dataset,
            &b.key,
            &b.field,
            &b.decision_id,
        ))
    });
    recount(findings);
    findings.protection = Protection {
        entries,
        unapplied: ledger.problems,
        reviewed: decisions.is_some(),
        reviewed_by: decisions.and_then(|d| d.reviewed_by.clone()),
        people_indexed: protector.people().len(),
    };
}

/// `include` and `leave_out`: records move between the bundle and the withheld list.
fn apply_record_decisions(
    findings: &mut Findings,
    ledger: &mut Ledger,
    entries: &mut Vec<ReviewEntry>,
) {
    let withheld = std::mem::take(&mut findings.withheld);
    for w in withheld {
        let r = &w.record;
        let id = decision_id(&[&r.source, &r.dataset, &r.key, "record"]);
        let decided = ledger.take(
            &id,
            &[Action::Include, Action::LeaveOut],
            "a withheld record",
        );
        let outcome = match decided {
            Some(Action::Include) => Outcome::IncludedByDecision,
            Some(_) => Outcome::LeftOutByDecision,
            None => Outcome::LeftOut,
        };
        entries.push(ReviewEntry {
            decision_id: id,
            source: r.source.clone(),
            dataset: r.dataset.clone(),
            key: r.key.clone(),
            field: None,
            subject: match w.reason {
                ReviewReason::PartialPersonMatch => Subject::PartialMatchRecord,
                _ => Subject::SharedIdentifierRecord,
            },
            masked: None,
            count: 1,
            outcome,
            reason: EntryReason::Flagged {
                why: w.reason.clone(),
                read_at: None,
            },
            options: vec!["include", "leave_out"],
        });
        if outcome == Outcome::IncludedByDecision {
            findings.records.push(w.record);
        } else {
            findings.withheld.push(w);
        }
    }
    let leave_out: Vec<(usize, Decision)> = ledger
        .by_place(Action::LeaveOut)
        .map(|(i, d)| (i, d.clone()))
        .collect();
    for (i, d) in leave_out {
        let before = findings.records.len();
        let is_it = |r: &Record| {
            Some(r.source.as_str()) == d.source.as_deref()
                && Some(r.dataset.as_str()) == d.dataset.as_deref()
                && Some(r.key.as_str()) == d.key.as_deref()
        };
        if let Some(r) = findings.records.iter().find(|r| is_it(r)) {
            entries.push(ReviewEntry {
                decision_id: decision_id(&[&r.source, &r.dataset, &r.key, "record"]),
                source: r.source.clone(),
                dataset: r.dataset.clone(),
                key: r.key.clone(),
                field: None,
                subject: Subject::Other,
                masked: None,
                count: 1,
                outcome: Outcome::LeftOutByDecision,
                reason: EntryReason::LeftOutByDecision,
                options: vec![],
            });
        }
        findings.records.retain(|r| !is_it(r));
        if findings.records.len() < before {
            ledger.used[i] = true;
        }
    }
    findings
        .records
        .sort_by(|a, b| (&a.source, &a.dataset, &a.key).cmp(&(&b.source, &b.dataset, &b.key)));
}

/// Record counts per source and dataset after decisions moved records.
fn recount(findings: &mut Findings) {
    for source in &mut findings.sources {
        for (dataset, n) in source.records.iter_mut() {
            *n = findings
                .records
                .iter()
                .filter(|r| r.source == source.id && &r.dataset == dataset)
                .count();
        }
    }
}

/// Finds `needle` in `text` without regard to case, at character boundaries.
fn find_all_ignore_case(text: &str, needle: &str) -> Vec<(usize, usize)> {
    let want = needle.to_lowercase();
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if let Some(end) = (i + needle.len()..=text.len().min(i + needle.len() + 8))
            .find(|&e| text.is_char_boundary(e) && text[i..e].to_lowercase() == want)
        {
            let boundary_before = text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let boundary_after = text[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if boundary_before && boundary_after {
                out.push((i, end));
                i = end;
                continue;
            }
        }
        i += text[i..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Redacts one field's text; returns the new text (when anything changed)
/// and the review entries.
fn protect_text(
    text: &str,
    (source, dataset, key, field): (&str, &str, &str, &str),
    protector: &Protector,
    own: &OwnValues,
    ledger: &mut Ledger,
    lang: Lang,
) -> (Option<String>, Vec<ReviewEntry>) {
    let scan = protector.scan(text, own);
    let mut spans: Vec<Hit> = Vec::new();
    let mut groups: BTreeMap<Slot, (String, usize, Outcome, Vec<&'static str>, EntryReason)> =
        BTreeMap::new();
    let id_of = |kind: Kind, normalised: &str| {
        decision_id(&[source, dataset, key, field, kind.as_str(), normalised])
    };
    let mut note = |h: &Hit, outcome: Outcome, options: Vec<&'static str>, reason: EntryReason| {
        let slot = (h.kind, h.normalised.clone());
        let g = groups.entry(slot).or_insert_with(|| {
            (
                mask(h.kind, &text[h.start..h.end]),
                0,
                outcome,
                options,
                reason,
            )
        });
        g.1 += 1;
    };
    for h in &scan.redact {
        let id = id_of(h.kind, &h.normalised);
        match ledger.take(&id, &[Action::Keep, Action::Redact], "a redacted value") {
            Some(Action::Keep) => note(
                h,
                Outcome::KeptByDecision,
                vec!["keep", "redact"],
                EntryReason::OtherPersonsValue { kind: h.kind },
            ),
            _ => {
                note(
                    h,
                    Outcome::Redacted,
                    vec!["keep", "redact"],
                    EntryReason::OtherPersonsValue { kind: h.kind },
                );
                spans.push(h.clone());
            }
        }
    }
    for h in &scan.review {
        let id = id_of(h.kind, &h.normalised);
        let reason = EntryReason::UnknownNameAfterCue;
        match ledger.take(&id, &[Action::Keep, Action::Redact], "a name for review") {
            Some(Action::Redact) => {
                note(
                    h,
                    Outcome::RedactedByDecision,
                    vec!["keep", "redact"],
                    reason,
                );
                spans.push(h.clone());
            }
            Some(_) => note(h, Outcome::KeptByDecision, vec!["keep", "redact"], reason),
            None => note(h, Outcome::NeedsDecision, vec!["keep", "redact"], reason),
        }
    }
    // Values the officer found that the detectors missed.
    let by_place: Vec<(usize, Decision)> = ledger
        .by_place(Action::Redact)
        .filter(|(_, d)| {
            d.source.as_deref() == Some(source)
                && d.dataset.as_deref() == Some(dataset)
                && d.key.as_deref() == Some(key)
                && d.field.as_deref().is_none_or(|f| f == field)
        })
        .map(|(i, d)| (i, d.clone()))
        .collect();
    for (i, d) in by_place {
        let needle = d.text.clone().unwrap_or_default();
        let kind = d
            .kind
            .as_deref()
            .and_then(Kind::parse)
            .unwrap_or(Kind::Name);
        for (start, end) in find_all_ignore_case(text, &needle) {
            if spans.iter().any(|s| s.start < end && start < s.end) {
                continue;
            }
            let h = Hit {
                kind,
                start,
                end,
                normalised: fold(&needle),
            };
            note(
                &h,
                Outcome::RedactedByDecision,
                vec![],
                EntryReason::RedactedByDecision,
            );
            spans.push(h);
            ledger.used[i] = true;
        }
    }
    let entries = groups
        .into_iter()
        .map(
            |((kind, normalised), (masked, count, outcome, options, reason))| ReviewEntry {
                decision_id: id_of(kind, &normalised),
                source: source.to_string(),
                dataset: dataset.to_string(),
                key: key.to_string(),
                field: Some(field.to_string()),
                subject: Subject::Value(kind),
                masked: Some(masked),
                count,
                outcome,
                reason,
                options,
            },
        )
        .collect();
    if spans.is_empty() {
        return (None, entries);
    }
    spans.sort_by_key(|h| std::cmp::Reverse(h.start));
    let mut out = text.to_string();
    for h in spans {
        out.replace_range(h.start..h.end, &marker(h.kind, lang));
    }
    (Some(out), entries)
}

#[cfg(test)]
mod tests;
