//! Rounds of identity expansion: ask every source with what is known, learn
//! new identifiers from the answers, repeat until nothing new is learned.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures::future::join_all;
use indexmap::IndexMap;
use inzage_core::{
    Connector, FetchOutcome, FetchRequest, Identifier, IdentifierKind, Record, ReviewItem,
    SourceError,
};
use tracing::{debug, info, warn};

use crate::findings::{
    Findings, Identity, IdentityStatus, Learned, SourceReport, SourceStatus, Withheld,
};
use crate::progress::{Observer, SourceEvent};
use crate::trust::withdraw_untrusted;

/// A source as the engine uses it.
pub struct Source {
    /// The connector.
    pub connector: Arc<dyn Connector>,
    /// Time allowed for one fetch.
    pub timeout: Duration,
}

/// Engine settings.
#[derive(Clone, Debug)]
pub struct EngineOptions {
    /// Maximum rounds of expansion.
    pub max_rounds: usize,
    /// Timestamp stamped on records.
    pub fetched_at: DateTime<Utc>,
}

/// The request cannot be answered as asked.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// A contract number that belongs to more than one person.
    #[error("{identifier} belongs to {} people ({}); a contract number names a person only when it has one contractant: run again with --customer and one of these numbers", .owners.len(), .owners.join(", "))]
    AmbiguousContract {
        /// The contract.
        identifier: Identifier,
        /// The klantnummers of its contractants.
        owners: Vec<String>,
    },
}

/// Runs the expansion for one subject.
pub struct Engine {
    sources: Vec<Source>,
    options: EngineOptions,
    observer: Option<Observer>,
}

struct SourceState {
    asked: BTreeSet<Identifier>,
    failed: Option<String>,
}

impl Engine {
    /// An engine over the given sources.
    pub fn new(sources: Vec<Source>, options: EngineOptions) -> Engine {
        Engine {
            sources,
            options,
            observer: None,
        }
    }

    /// The same engine, reporting every source's progress to `observer`.
    pub fn with_observer(mut self, observer: Observer) -> Engine {
        self.observer = Some(observer);
        self
    }

    fn notify(&self, event: SourceEvent) {
        if let Some(observer) = &self.observer {
            observer(event);
        }
    }

    /// Finds everything about the person the request names.
    pub async fn run(&self, start: Identifier) -> Result<Findings, RequestError> {
        let mut run = Run::new(start.clone(), self.sources.len());
        let mut rounds = 0;
        let mut max_rounds_reached = false;
        loop {
            let plan = run.plan(&self.sources);
            if plan.is_empty() {
                break;
            }
            if rounds == self.options.max_rounds {
                max_rounds_reached = true;
                warn!(
                    rounds,
                    "stopped at max_rounds with identifiers left to follow"
                );
                break;
            }
            rounds += 1;
            info!(round = rounds, sources = plan.len(), "asking sources");
            let answers = join_all(plan.into_iter().map(|(index, identifiers)| {
                let source = &self.sources[index];
                let request = FetchRequest {
                    identifiers,
                    fetched_at: self.options.fetched_at,
                };
                self.notify(SourceEvent::Asked {
                    source: source.connector.id().to_string(),
                    round: rounds,
                    identifiers: request.identifiers.len(),
                });
                async move {
                    let started = Instant::now();
                    let result =
                        match tokio::time::timeout(source.timeout, source.connector.fetch(&request))
                            .await
                        {
                            Ok(result) => result,
                            Err(_) => Err(SourceError::Other(format!(
                                "no answer within {} s; raise timeout_secs for this connector or check the system",
                                source.timeout.as_secs()
                            ))),
                        };
                    (index, result, started.elapsed())
                }
            }))
            .await;
            for (index, result, elapsed) in answers {
                let id = self.sources[index].connector.id().to_string();
                match result {
                    Ok(outcome) => {
                        info!(source = %id, records = outcome.records.len(), ms = elapsed.as_millis() as u64, "source answered");
                        self.notify(SourceEvent::Answered {
                            source: id.clone(),
                            round: rounds,
                            records: outcome.records.len(),
                        });
                        run.absorb(outcome, rounds);
                    }
                    Err(err) => {
                        warn!(source = %id, "source failed");
                        debug!(source = %id, error = %err, "failure detail");
                        let reason = err.clean_message();
                        self.notify(SourceEvent::Failed {
                            source: id.clone(),
                            reason: reason.clone(),
                        });
                        run.states[index].failed = Some(reason);
                    }
                }
            }
            if let Some(owners) = run.resolve_contract() {
                return Err(RequestError::AmbiguousContract {
                    identifier: start,
                    owners,
                });
            }
        }
        Ok(run.finish(&self.sources, rounds, max_rounds_reached))
    }
}

/// The state of one run.
struct Run {
    start: Identifier,
    /// Owners (klantnummers) that are the subject.
    anchors: HashSet<Identifier>,
    /// Owners seen while the request was a contract and no anchor was known.
    candidate_owners: BTreeSet<Identifier>,
    identities: IndexMap<Identifier, Identity>,
    states: Vec<SourceState>,
    records: Vec<Record>,
    /// Index of each record by (source, dataset, key): a record found again
    /// through another identifier is one record with two matches.
    seen: HashMap<(String, String, String), usize>,
    review: Vec<ReviewItem>,
    withheld: Vec<Withheld>,
}

impl Run {
    fn new(start: Identifier, sources: usize) -> Run {
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
        let anchors = if start.kind == IdentifierKind::Klantnummer {
            HashSet::from([start.clone()])
        } else {
            HashSet::new()
        };
        Run {
            start,
            anchors,
            candidate_owners: BTreeSet::new(),
            identities,
            states: (0..sources)
                .map(|_| SourceState {
                    asked: BTreeSet::new(),
                    failed: None,
                })
                .collect(),
            records: Vec::new(),
            seen: HashMap::new(),
            review: Vec::new(),
            withheld: Vec::new(),
        }
    }

    /// Per source, the followable identifiers it accepts and was not yet asked.
    fn plan(&mut self, sources: &[Source]) -> Vec<(usize, Vec<Identifier>)> {
        let mut plan = Vec::new();
        for (index, source) in sources.iter().enumerate() {
            let state = &mut self.states[index];
            if state.failed.is_some() {
                continue;
            }
            let accepts = source.connector.accepts();
            let new: Vec<Identifier> = self
                .identities
                .values()
                .filter(|i| i.status == IdentityStatus::Followed)
                .map(|i| &i.identifier)
                .filter(|i| accepts.contains(&i.kind) && !state.asked.contains(*i))
                .cloned()
                .collect();
            if new.is_empty() {
                continue;
            }
            state.asked.extend(new.iter().cloned());
            debug!(
                source = source.connector.id(),
                identifiers = ?new.iter().map(Identifier::masked).collect::<Vec<_>>(),
                "planned"
            );
            plan.push((index, new));
        }
        plan
    }

    /// Takes in a source's answer: drops other people's records, marks the
    /// identifiers that led to them ambiguous, and learns new identifiers.
    fn absorb(&mut self, outcome: FetchOutcome, round: usize) {
        self.review.extend(outcome.review);
        for record in outcome.records {
            if let Some(owner) = &record.owner {
                if self.anchors.is_empty() {
                    self.candidate_owners.insert(owner.clone());
                } else if !self.anchors.contains(owner) {
                    self.foreign(&record);
                    continue;
                }
            }
            for learned in &record.yields {
                if self.identities.contains_key(learned) {
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
            }
            let slot = (
                record.source.clone(),
                record.dataset.clone(),
                record.key.clone(),
            );
            match self.seen.get(&slot) {
                Some(&i) => {
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
                }
            }
        }
    }

    /// A record of another person: never in the bundle; the identifiers it
    /// matched on are shared, so they are not followed any further.
    fn foreign(&mut self, record: &Record) {
        for id in &record.matched_on {
            if let Some(identity) = self.identities.get_mut(id) {
                if identity.learned == Learned::Request && id.kind == IdentifierKind::Klantnummer {
                    continue;
                }
                identity.status = IdentityStatus::Ambiguous {
                    reason: format!(
                        "also found on a record of another person in {} / {}; not followed",
                        record.source, record.dataset
                    ),
                };
            }
        }
        self.review.push(ReviewItem {
            source: record.source.clone(),
            dataset: record.dataset.clone(),
            key: record.key.clone(),
            location: record.location.clone(),
            reason: format!(
                "matched a shared identifier ({}) but belongs to another person; left out",
                record
                    .matched_on
                    .iter()
                    .map(|i| i.kind.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            may_be_other_person: true,
        });
    }

    /// When the request was a contract: settles whose it is. Returns the
    /// owners when there is more than one.
    fn resolve_contract(&mut self) -> Option<Vec<String>> {
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
        }
        self.anchors.insert(owner);
        None
    }

    fn finish(mut self, sources: &[Source], rounds: usize, max_rounds_reached: bool) -> Findings {
        withdraw_untrusted(
            &self.start,
            &self.anchors,
            &mut self.identities,
            &mut self.records,
            &mut self.withheld,
        );
        // A failed source contributes nothing: its answers may be incomplete.
        let failed: HashSet<&str> = sources
            .iter()
            .zip(&self.states)
            .filter(|(_, s)| s.failed.is_some())
            .map(|(src, _)| src.connector.id())
            .collect();
        self.records.retain(|r| !failed.contains(r.source.as_str()));
        self.withheld
            .retain(|w| !failed.contains(w.record.source.as_str()));
        self.records
            .sort_by(|a, b| (&a.source, &a.dataset, &a.key).cmp(&(&b.source, &b.dataset, &b.key)));
        let mut counts: HashMap<(&str, &str), usize> = HashMap::new();
        for r in &self.records {
            *counts.entry((&r.source, &r.dataset)).or_default() += 1;
        }
        let reports = sources
            .iter()
            .zip(&self.states)
            .map(|(source, state)| {
                let c = &source.connector;
                let status = match (&state.failed, state.asked.is_empty()) {
                    (Some(reason), _) => SourceStatus::Failed {
                        reason: reason.clone(),
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
                    asked_with: state.asked.iter().cloned().collect(),
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
            review: self.review,
            withheld: self.withheld,
            protection: Default::default(),
            rounds,
            max_rounds_reached,
        }
    }
}
