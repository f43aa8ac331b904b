//! The state of one run: what each source was asked and still has to be
//! asked, the identities learned, the records taken in, and at the end the
//! findings in the order rounds of expansion would have given them.
//!
//! Answers arrive in any order, so everything that rounds would have made
//! depend on the order of arrival is settled at the end instead:
//! - an identifier's **round** is its distance from the request: 0 for the
//!   request, 1 + the smallest round of the identifiers a record matched on
//!   for what that record yields (the owner a contract resolves to: 1);
//! - its **provenance** is the first record in round order (round, source
//!   in configuration order, order of arrival) that yields it in its round;
//! - identities, records and review items are ordered the same way.

use std::collections::{BTreeSet, HashMap, HashSet};

use indexmap::IndexMap;
use inzage_core::{
    FetchOutcome, HeldRecord, Identifier, IdentifierKind, Record, ReviewItem, ReviewReason,
};

use crate::expand::{anchors_itself, Source};
use crate::findings::{
    Findings, Identity, IdentityStatus, Learned, SourceReport, SourceStatus, Withheld,
};
use crate::trust::withdraw_untrusted;

/// Which sources a scheduling step may ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Every source (rounds, while the owner is unknown).
    Round,
    /// Sources that look identifiers up.
    Keyed,
    /// Sources that read everything they hold on every fetch.
    Scanners,
}

/// One fetch to make.
#[derive(Clone, Debug)]
pub(crate) struct Call {
    /// Index of the source.
    pub source: usize,
    /// What it is asked with.
    pub identifiers: Vec<Identifier>,
    /// The round rounds would have asked it in: 1 + the smallest round of
    /// its identifiers.
    pub round: usize,
}

/// Where something came in: the order rounds would have taken it in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Arrival {
    round: usize,
    source: usize,
    seq: u64,
}

struct Failure {
    reason: String,
    /// The smallest round of a call that failed.
    round: usize,
}

struct SourceState {
    accepts: Vec<IdentifierKind>,
    scanner: bool,
    /// Identifiers it was asked with; once it failed, also those it would
    /// have been asked with (filtered by round at the end).
    asked: BTreeSet<Identifier>,
    /// Learned, accepted, not yet asked (or held back by `max_rounds`).
    pending: Vec<Identifier>,
    calls: usize,
    in_flight: usize,
    failed: Option<Failure>,
    notes: Vec<String>,
}

/// The state of one run.
pub(crate) struct Run {
    start: Identifier,
    max_rounds: usize,
    /// Owners (klantnummers) that are the subject.
    anchors: HashSet<Identifier>,
    /// Owners seen while no anchor was known.
    candidate_owners: BTreeSet<Identifier>,
    /// The owner a contract resolved to, when no record had yielded it.
    resolved_owner: Option<Identifier>,
    identities: IndexMap<Identifier, Identity>,
    /// Each identity's round as far as known now (final in `finish`).
    round_of: HashMap<Identifier, usize>,
    states: Vec<SourceState>,
    records: Vec<Record>,
    arrivals: Vec<Arrival>,
    /// Index of each record by (source, dataset, key): a record found again
    /// through another identifier is one record with two matches.
    seen: HashMap<(String, String, String), usize>,
    review: Vec<(Arrival, ReviewItem)>,
    /// Records a source held back (near misses), for staff to include.
    held: Vec<(Arrival, HeldRecord)>,
    /// Where the reason an identifier is ambiguous came from.
    ambiguous_at: HashMap<Identifier, Arrival>,
    seq: u64,
}

impl Run {
    pub(crate) fn new(start: Identifier, sources: &[Source], max_rounds: usize) -> Run {
        let mut identities = IndexMap::new();
        identities.insert(
            start.clone(),
            Identity {
                identifier: start.clone(),
                learned: Learned::Request,
                round: 0,
                status: IdentityStatus::Followed,
            },
        );
        let anchors = if anchors_itself(&start) {
            HashSet::from([start.clone()])
        } else {
            HashSet::new()
        };
        let mut run = Run {
            start: start.clone(),
            max_rounds,
            anchors,
            candidate_owners: BTreeSet::new(),
            resolved_owner: None,
            identities,
            round_of: HashMap::from([(start.clone(), 0)]),
            states: sources
                .iter()
                .map(|s| SourceState {
                    accepts: s.connector.accepts(),
                    scanner: s.connector.scans_everything(),
                    asked: BTreeSet::new(),
                    pending: Vec::new(),
                    calls: 0,
                    in_flight: 0,
                    failed: None,
                    notes: Vec::new(),
                })
                .collect(),
            records: Vec::new(),
            arrivals: Vec::new(),
            seen: HashMap::new(),
            review: Vec::new(),
            held: Vec::new(),
            ambiguous_at: HashMap::new(),
            seq: 0,
        };
        run.enqueue(&start);
        run
    }

    /// True once the subject's owner number is known.
    pub(crate) fn anchored(&self) -> bool {
        !self.anchors.is_empty()
    }

    /// Keyed calls not yet answered.
    pub(crate) fn keyed_in_flight(&self) -> usize {
        self.states
            .iter()
            .filter(|s| !s.scanner)
            .map(|s| s.in_flight)
            .sum()
    }

    /// A newly learned identifier becomes pending for every source that
    /// accepts it: it will be asked whatever is learned about it meanwhile,
    /// as rounds would have asked it in the next round.
    fn enqueue(&mut self, id: &Identifier) {
        for state in &mut self.states {
            if !state.accepts.contains(&id.kind)
                || state.asked.contains(id)
                || state.pending.contains(id)
            {
                continue;
            }
            if state.failed.is_some() {
                state.asked.insert(id.clone());
            } else {
                state.pending.push(id.clone());
            }
        }
    }

    fn round(&self, id: &Identifier) -> usize {
        self.round_of.get(id).copied().unwrap_or(usize::MAX)
    }

    /// The calls to make now: per source of the phase, its pending
    /// identifiers within `max_rounds`.
    pub(crate) fn take_calls(&mut self, phase: Phase) -> Vec<Call> {
        let mut calls = Vec::new();
        for index in 0..self.states.len() {
            let state = &self.states[index];
            let in_phase = match phase {
                Phase::Round => true,
                Phase::Keyed => !state.scanner,
                Phase::Scanners => state.scanner,
            };
            if !in_phase || state.failed.is_some() || state.pending.is_empty() {
                continue;
            }
            let pending = std::mem::take(&mut self.states[index].pending);
            let (ready, held): (Vec<Identifier>, Vec<Identifier>) = pending
                .into_iter()
                .partition(|id| self.round(id) < self.max_rounds);
            let state = &mut self.states[index];
            state.pending = held;
            if ready.is_empty() {
                continue;
            }
            let round = 1 + ready.iter().map(|id| self.round(id)).min().unwrap_or(0);
            let state = &mut self.states[index];
            state.asked.extend(ready.iter().cloned());
            state.calls += 1;
            state.in_flight += 1;
            calls.push(Call {
                source: index,
                identifiers: ready,
                round,
            });
        }
        calls
    }

    fn next_arrival(&mut self, round: usize, source: usize) -> Arrival {
        self.seq += 1;
        Arrival {
            round,
            source,
            seq: self.seq,
        }
    }

    /// The round of a record: 1 + the smallest round of what it matched on.
    fn record_round(
        matched_on: &[Identifier],
        rounds: &HashMap<Identifier, usize>,
    ) -> Option<usize> {
        matched_on
            .iter()
            .filter_map(|m| rounds.get(m))
            .min()
            .map(|r| r + 1)
    }

    /// Takes in a source's answer: drops other people's records, marks the
    /// identifiers that led to them ambiguous, and learns new identifiers.
    pub(crate) fn absorb(&mut self, call: Call, outcome: FetchOutcome) {
        let state = &mut self.states[call.source];
        state.in_flight -= 1;
        if state.failed.as_ref().is_some_and(|f| f.round <= call.round) {
            // Rounds would not have asked this after the failure.
            return;
        }
        for note in outcome.notes {
            if !state.notes.contains(&note) {
                state.notes.push(note);
            }
        }
        for item in outcome.review {
            let at = self.next_arrival(call.round, call.source);
            self.review.push((at, item));
        }
        for held in outcome.held {
            let at = self.next_arrival(call.round, call.source);
            self.held.push((at, held));
        }
        for record in outcome.records {
            let round =
                Self::record_round(&record.matched_on, &self.round_of).unwrap_or(call.round);
            let at = self.next_arrival(round, call.source);
            if let Some(owner) = &record.owner {
                if self.anchors.is_empty() {
                    self.candidate_owners.insert(owner.clone());
                } else if !self.anchors.contains(owner) {
                    self.foreign(&record, at);
                    continue;
                }
            }
            for learned in &record.yields {
                if let Some(known) = self.round_of.get_mut(learned) {
                    *known = (*known).min(round);
                    continue;
                }
                self.identities.insert(
                    learned.clone(),
                    Identity {
                        identifier: learned.clone(),
                        learned: Learned::Record {
                            source: record.source.clone(),
                            dataset: record.dataset.clone(),
                            key: record.key.clone(),
                        },
                        round,
                        status: IdentityStatus::Followed,
                    },
                );
                self.round_of.insert(learned.clone(), round);
                self.enqueue(learned);
            }
            let slot = (
                record.source.clone(),
                record.dataset.clone(),
                record.key.clone(),
            );
            match self.seen.get(&slot) {
                Some(&i) => {
                    let mut record = record;
                    if at.round < self.arrivals[i].round {
                        // Rounds would have found it here first: this copy
                        // (its location) is the one kept.
                        std::mem::swap(&mut self.records[i], &mut record);
                        self.arrivals[i] = at;
                    }
                    let known = &mut self.records[i];
                    for m in record.matched_on {
                        if !known.matched_on.contains(&m) {
                            known.matched_on.push(m);
                        }
                    }
                }
                None => {
                    self.seen.insert(slot, self.records.len());
                    self.records.push(record);
                    self.arrivals.push(at);
                }
            }
        }
    }

    /// A call failed: the source is not asked again, and what it would
    /// have been asked is remembered for the manifest.
    pub(crate) fn fail(&mut self, call: Call, reason: String) {
        let state = &mut self.states[call.source];
        state.in_flight -= 1;
        if state.failed.as_ref().is_none_or(|f| call.round < f.round) {
            state.failed = Some(Failure {
                reason,
                round: call.round,
            });
        }
        let pending = std::mem::take(&mut state.pending);
        state.asked.extend(pending);
    }

    /// The records sources held back (near misses), once each, in arrival
    /// order: withheld for staff to include, unless the row is in the
    /// bundle after all (found in full through another identifier). One
    /// whose owner number names another person is not offered: it stays a
    /// review item only.
    fn hold_back(&mut self, withheld: &mut Vec<Withheld>) {
        let mut held = std::mem::take(&mut self.held);
        held.sort_by_key(|(at, _)| *at);
        let mut seen = HashSet::new();
        for (at, h) in held {
            let r = &h.record;
            let slot = (r.source.clone(), r.dataset.clone(), r.key.clone());
            if self.seen.contains_key(&slot) || !seen.insert(slot) {
                continue;
            }
            let foreign = r
                .owner
                .as_ref()
                .is_some_and(|o| !self.anchors.is_empty() && !self.anchors.contains(o));
            if foreign {
                self.review.push((
                    at,
                    ReviewItem {
                        source: r.source.clone(),
                        dataset: r.dataset.clone(),
                        key: r.key.clone(),
                        location: r.location.clone(),
                        reason: h.reason,
                        may_be_other_person: true,
                    },
                ));
                continue;
            }
            withheld.push(Withheld {
                record: h.record,
                reason: h.reason,
            });
        }
        self.review.sort_by_key(|(at, _)| *at);
    }

    /// A record of another person: never in the bundle; the identifiers it
    /// matched on are shared, so they are not followed any further.
    fn foreign(&mut self, record: &Record, at: Arrival) {
        for id in &record.matched_on {
            if let Some(identity) = self.identities.get_mut(id) {
                if identity.learned == Learned::Request && id.kind == IdentifierKind::Klantnummer {
                    continue;
                }
                // The reason rounds would show: the last such record in
                // round order.
                let last = self.ambiguous_at.entry(id.clone()).or_insert(at);
                if *last > at {
                    continue;
                }
                *last = at;
                identity.status = IdentityStatus::Ambiguous {
                    reason: format!(
                        "also found on a record of another person in {} / {}; not followed",
                        record.source, record.dataset
                    ),
                };
            }
        }
        self.review.push((
            at,
            ReviewItem {
                source: record.source.clone(),
                dataset: record.dataset.clone(),
                key: record.key.clone(),
                location: record.location.clone(),
                reason: ReviewReason::AnotherPersonsRecord {
                    shared: record.matched_on.iter().map(|i| i.kind).collect(),
                },
                may_be_other_person: true,
            },
        ));
    }

    /// When the request did not name an owner: settles whose it is.
    /// Returns the owners when there is more than one.
    pub(crate) fn resolve_contract(&mut self) -> Option<Vec<String>> {
        if !self.anchors.is_empty() || self.candidate_owners.is_empty() {
            return None;
        }
        if self.candidate_owners.len() > 1 {
            return Some(
                self.candidate_owners
                    .iter()
                    .map(|o| o.value.clone())
                    .collect(),
            );
        }
        let owner = self.candidate_owners.pop_first()?;
        if !self.identities.contains_key(&owner) {
            let via = self
                .records
                .iter()
                .find(|r| r.owner.as_ref() == Some(&owner))
                .map(|r| Learned::Record {
                    source: r.source.clone(),
                    dataset: r.dataset.clone(),
                    key: r.key.clone(),
                })
                .unwrap_or(Learned::Request);
            self.identities.insert(
                owner.clone(),
                Identity {
                    identifier: owner.clone(),
                    learned: via,
                    round: 1,
                    status: IdentityStatus::Followed,
                },
            );
            self.round_of.insert(owner.clone(), 1);
            self.resolved_owner = Some(owner.clone());
            self.enqueue(&owner);
        }
        self.anchors.insert(owner);
        None
    }

    /// Every identifier's final round: its distance from the request over
    /// the records taken in.
    fn final_rounds(&self) -> HashMap<Identifier, usize> {
        let mut rounds = HashMap::from([(self.start.clone(), 0)]);
        if let Some(owner) = &self.resolved_owner {
            rounds.insert(owner.clone(), 1);
        }
        loop {
            let mut changed = false;
            for (record, at) in self.records.iter().zip(&self.arrivals) {
                let round = Self::record_round(&record.matched_on, &rounds).unwrap_or(at.round);
                for y in &record.yields {
                    if rounds.get(y).is_none_or(|r| round < *r) {
                        rounds.insert(y.clone(), round);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        for (id, round) in &self.round_of {
            rounds.entry(id.clone()).or_insert(*round);
        }
        rounds
    }

    /// Rounds, provenance and order settled as rounds would have them.
    fn settle(&mut self) -> HashMap<Identifier, usize> {
        let rounds = self.final_rounds();
        for (record, at) in self.records.iter_mut().zip(self.arrivals.iter_mut()) {
            at.round = Self::record_round(&record.matched_on, &rounds).unwrap_or(at.round);
            // What it matched on, in the order rounds would have found it.
            record
                .matched_on
                .sort_by_key(|m| rounds.get(m).copied().unwrap_or(usize::MAX));
        }
        // Records in arrival order (what withheld records keep).
        let mut order: Vec<usize> = (0..self.records.len()).collect();
        order.sort_by_key(|&i| self.arrivals[i]);
        let mut records: Vec<Option<Record>> = std::mem::take(&mut self.records)
            .into_iter()
            .map(Some)
            .collect();
        self.records = order.iter().map(|&i| records[i].take().unwrap()).collect();
        self.arrivals = order.iter().map(|&i| self.arrivals[i]).collect();
        // Provenance: the first record, in that order, that yields an
        // identifier in its round.
        let mut first: HashMap<&Identifier, (usize, usize)> = HashMap::new();
        for (i, (record, at)) in self.records.iter().zip(&self.arrivals).enumerate() {
            for (pos, y) in record.yields.iter().enumerate() {
                if rounds.get(y) == Some(&at.round) {
                    first.entry(y).or_insert((i, pos));
                }
            }
        }
        let mut keyed: Vec<((usize, Arrival, usize), Identity)> = self
            .identities
            .values()
            .cloned()
            .map(|mut identity| {
                let id = &identity.identifier;
                identity.round = rounds.get(id).copied().unwrap_or(identity.round);
                let key = if *id == self.start {
                    (
                        0,
                        Arrival {
                            round: 0,
                            source: 0,
                            seq: 0,
                        },
                        0,
                    )
                } else if self.resolved_owner.as_ref() == Some(id) {
                    let last = Arrival {
                        round: 1,
                        source: usize::MAX,
                        seq: u64::MAX,
                    };
                    (1, last, 0)
                } else if let Some(&(i, pos)) = first.get(id) {
                    let r = &self.records[i];
                    identity.learned = Learned::Record {
                        source: r.source.clone(),
                        dataset: r.dataset.clone(),
                        key: r.key.clone(),
                    };
                    (identity.round, self.arrivals[i], pos)
                } else {
                    let last = Arrival {
                        round: identity.round,
                        source: usize::MAX,
                        seq: u64::MAX,
                    };
                    (identity.round, last, 0)
                };
                (key, identity)
            })
            .collect();
        keyed.sort_by_key(|(key, _)| *key);
        self.identities = keyed
            .into_iter()
            .map(|(_, identity)| (identity.identifier.clone(), identity))
            .collect();
        self.review.sort_by_key(|(at, _)| *at);
        rounds
    }

    pub(crate) fn finish(mut self, sources: &[Source]) -> Findings {
        let rounds_of = self.settle();
        let round_of = |id: &Identifier| rounds_of.get(id).copied().unwrap_or(usize::MAX);
        // What each source counts as asked: rounds would not have asked a
        // source again after the round in which it failed.
        let asked: Vec<Vec<Identifier>> = self
            .states
            .iter()
            .map(|s| {
                let limit = s.failed.as_ref().map_or(usize::MAX, |f| f.round);
                s.asked
                    .iter()
                    .filter(|id| round_of(id).saturating_add(1) <= limit)
                    .cloned()
                    .collect()
            })
            .collect();
        let rounds = asked
            .iter()
            .flatten()
            .map(|id| round_of(id) + 1)
            .max()
            .unwrap_or(0);
        let max_rounds_reached = self
            .states
            .iter()
            .any(|s| s.failed.is_none() && !s.pending.is_empty());
        let mut withheld = Vec::new();
        withdraw_untrusted(
            &self.start,
            &self.anchors,
            &mut self.identities,
            &mut self.records,
            &mut withheld,
        );
        self.hold_back(&mut withheld);
        // A failed source contributes nothing: its answers may be incomplete.
        let failed: HashSet<&str> = sources
            .iter()
            .zip(&self.states)
            .filter(|(_, s)| s.failed.is_some())
            .map(|(src, _)| src.connector.id())
            .collect();
        self.records.retain(|r| !failed.contains(r.source.as_str()));
        withheld.retain(|w: &Withheld| !failed.contains(w.record.source.as_str()));
        self.records
            .sort_by(|a, b| (&a.source, &a.dataset, &a.key).cmp(&(&b.source, &b.dataset, &b.key)));
        let mut counts: HashMap<(&str, &str), usize> = HashMap::new();
        for r in &self.records {
            *counts.entry((&r.source, &r.dataset)).or_default() += 1;
        }
        let reports = sources
            .iter()
            .zip(&self.states)
            .zip(asked)
            .map(|((source, state), asked_with)| {
                let c = &source.connector;
                let status = match (&state.failed, asked_with.is_empty()) {
                    (Some(failure), _) => SourceStatus::Failed {
                        reason: failure.reason.clone(),
                    },
                    (None, true) => SourceStatus::Skipped {
                        reason: format!(
                            "no usable identifier: it is searched by {}, and none was known or unambiguous",
                            c.accepts()
                                .iter()
                                .map(|k| k.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    },
                    (None, false) => SourceStatus::Ok,
                };
                SourceReport {
                    id: c.id().to_string(),
                    label: c.label().to_string(),
                    kind: c.kind().to_string(),
                    status,
                    asked_with,
                    calls: state.calls,
                    notes: state.notes.clone(),
                    records: c
                        .datasets()
                        .iter()
                        .map(|d| {
                            let n = counts.get(&(c.id(), d.name.as_str())).copied().unwrap_or(0);
                            (d.name.clone(), n)
                        })
                        .collect(),
                }
            })
            .collect();
        Findings {
            request: self.start,
            identities: self.identities.into_values().collect(),
            sources: reports,
            records: self.records,
            review: self.review.into_iter().map(|(_, item)| item).collect(),
            withheld,
            protection: Default::default(),
            rounds,
            max_rounds_reached,
        }
    }
}
