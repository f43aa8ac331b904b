//! Identity expansion without round barriers: a source is asked as soon as
//! an identifier it accepts is learned, and the answers are taken in as they
//! arrive, so the time of a run is its critical path (the longest chain of
//! calls where one needs what another learned), not the sum of each round's
//! slowest source.
//!
//! Scheduling:
//! - **Keyed sources** (SQL, HTTP: they look identifiers up) are asked at
//!   once with every new identifier they accept, several calls to one source
//!   in flight when identifiers arrive at different times.
//! - **Scanners** ([`Connector::scans_everything`]: a mail archive, a CSV or
//!   XLSX export, read whole on every fetch) wait until no keyed call is in
//!   flight (a fixpoint of the keyed sources) and are then asked once with
//!   every identifier they accept. They are asked again only when a scanner
//!   yielded an identifier that led to new ones.
//! - While the subject's owner number is unknown (a request by contract
//!   number), the engine runs in rounds, exactly as before, until the
//!   contract is resolved to one person.
//!
//! The answer is the one rounds would give: every identifier is asked of
//! every source that accepts it once, whatever became of it later; an
//! identifier's round is its distance from the request (the round in which
//! rounds would have learned it); provenance, identity order and review
//! order follow from those rounds ([`crate::run`]). The manifest says how
//! many calls each source got.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures::stream::{FuturesUnordered, StreamExt};
use inzage_core::{Connector, FetchOutcome, FetchRequest, Identifier, IdentifierKind, SourceError};
use tracing::{debug, info, warn};

use crate::findings::Findings;
use crate::progress::{Observer, SourceEvent};
use crate::run::{Call, Phase, Run};

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
    /// Maximum rounds of expansion: an identifier further than this from the
    /// request is learned but not followed.
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

/// One finished call.
struct Answer {
    call: Call,
    result: Result<FetchOutcome, SourceError>,
    elapsed: Duration,
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
        let mut run = Run::new(start.clone(), &self.sources, self.options.max_rounds);
        let mut in_flight = FuturesUnordered::new();
        // Rounds while the subject's owner number is unknown: whose a
        // contract is must be settled on everything the first round found.
        while !run.anchored() {
            for call in run.take_calls(Phase::Round) {
                in_flight.push(self.ask(call));
            }
            if in_flight.is_empty() {
                break;
            }
            while let Some(answer) = in_flight.next().await {
                self.take_in(&mut run, answer);
            }
            if let Some(owners) = run.resolve_contract() {
                return Err(RequestError::AmbiguousContract {
                    identifier: start,
                    owners,
                });
            }
        }
        if run.anchored() {
            loop {
                for call in run.take_calls(Phase::Keyed) {
                    in_flight.push(self.ask(call));
                }
                if run.keyed_in_flight() == 0 {
                    for call in run.take_calls(Phase::Scanners) {
                        in_flight.push(self.ask(call));
                    }
                }
                match in_flight.next().await {
                    Some(answer) => self.take_in(&mut run, answer),
                    None => break,
                }
            }
        }
        Ok(run.finish(&self.sources))
    }

    /// One call to one source, with its timeout.
    fn ask(&self, call: Call) -> impl std::future::Future<Output = Answer> + '_ {
        let source = &self.sources[call.source];
        let request = FetchRequest {
            identifiers: call.identifiers.clone(),
            fetched_at: self.options.fetched_at,
        };
        info!(
            source = source.connector.id(),
            identifiers = request.identifiers.len(),
            round = call.round,
            "asking sources"
        );
        debug!(
            source = source.connector.id(),
            identifiers = ?request.identifiers.iter().map(Identifier::masked).collect::<Vec<_>>(),
            "asked with"
        );
        self.notify(SourceEvent::Asked {
            source: source.connector.id().to_string(),
            round: call.round,
            identifiers: request.identifiers.len(),
        });
        async move {
            let started = Instant::now();
            let result =
                match tokio::time::timeout(source.timeout, source.connector.fetch(&request)).await {
                    Ok(result) => result,
                    Err(_) => Err(SourceError::Other(format!(
                        "no answer within {} s; raise timeout_secs for this connector or check the system",
                        source.timeout.as_secs()
                    ))),
                };
            Answer {
                call,
                result,
                elapsed: started.elapsed(),
            }
        }
    }

    fn take_in(&self, run: &mut Run, answer: Answer) {
        let id = self.sources[answer.call.source].connector.id();
        match answer.result {
            Ok(outcome) => {
                info!(source = %id, records = outcome.records.len(), ms = answer.elapsed.as_millis() as u64, "source answered");
                self.notify(SourceEvent::Answered {
                    source: id.to_string(),
                    round: answer.call.round,
                    records: outcome.records.len(),
                });
                run.absorb(answer.call, outcome);
            }
            Err(err) => {
                warn!(source = %id, "source failed");
                debug!(source = %id, error = %err, "failure detail");
                let reason = err.clean_message();
                self.notify(SourceEvent::Failed {
                    source: id.to_string(),
                    reason: reason.clone(),
                });
                run.fail(answer.call, reason);
            }
        }
    }
}

/// True for the kinds a request may name without an owner number.
pub(crate) fn anchors_itself(start: &Identifier) -> bool {
    start.kind == IdentifierKind::Klantnummer
}
