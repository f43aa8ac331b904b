//! Export jobs: one running export per request at most; exports of
//! different requests run at the same time. A job keeps each source's
//! progress for the page and the event stream, and the result.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use inzage_app::export::{export, ExportEvent, ExportInput, Exported};
use inzage_engine::{SourceEvent, SourceStatus};
use serde::Serialize;
use tokio::sync::watch;

use crate::state::Shared;

/// Where one source stands.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SourceState {
    /// Being asked.
    Asked,
    /// Answered.
    Answered,
    /// Failed.
    Failed,
    /// Not asked (no usable identifier).
    Skipped,
}

/// One source's line on the export page.
#[derive(Clone, Debug, Serialize)]
pub struct SourceLine {
    /// Connector id.
    pub id: String,
    /// Where it stands.
    pub state: SourceState,
    /// Records answered so far.
    pub records: usize,
    /// Why it failed: the source's technical message, for the
    /// administrator (the page words what to do; a skipped source's
    /// reason is worded by the page too).
    pub failure: Option<String>,
}

/// How a job ended.
#[derive(Clone, Debug)]
pub enum Ended {
    /// A bundle was written.
    Written(Box<Exported>),
    /// No bundle, and why: the page words it in the viewer's language, and
    /// offers a partial bundle when sources failed, the answer that we
    /// hold no data when no source knows the tenant.
    Refused(Arc<inzage_app::AppError>),
}

/// One export run.
pub struct Job {
    /// Per source, by id.
    pub lines: Mutex<BTreeMap<String, SourceLine>>,
    /// The end, once there.
    pub ended: Mutex<Option<Ended>>,
    /// What was asked (a re-run after the review starts from it).
    pub input: ExportInput,
    /// The bundle was made with the review's decisions.
    pub with_decisions: bool,
    /// Staff have seen the generated passphrase (it is shown once).
    pub passphrase_shown: Mutex<bool>,
    /// Bumped on every change, for the event stream.
    pub changed: watch::Sender<u64>,
}

impl Job {
    fn bump(&self) {
        self.changed.send_modify(|n| *n += 1);
    }

    fn apply(&self, event: ExportEvent) {
        let mut lines = self.lines.lock().expect("lines");
        match event {
            ExportEvent::Source(SourceEvent::Asked { source, .. }) => {
                let line = lines.entry(source.clone()).or_insert(SourceLine {
                    id: source,
                    state: SourceState::Asked,
                    records: 0,
                    failure: None,
                });
                if line.state != SourceState::Failed {
                    line.state = SourceState::Asked;
                }
            }
            ExportEvent::Source(SourceEvent::Answered {
                source, records, ..
            }) => {
                if let Some(line) = lines.get_mut(&source) {
                    line.state = SourceState::Answered;
                    line.records += records;
                }
            }
            ExportEvent::Source(SourceEvent::Failed { source, reason }) => {
                if let Some(line) = lines.get_mut(&source) {
                    line.state = SourceState::Failed;
                    line.failure = Some(reason);
                }
            }
            ExportEvent::Searched(reports) => {
                for r in reports {
                    let (state, failure) = match r.status {
                        SourceStatus::Ok => (SourceState::Answered, None),
                        SourceStatus::Failed { reason } => (SourceState::Failed, Some(reason)),
                        SourceStatus::Skipped { .. } => (SourceState::Skipped, None),
                    };
                    lines.insert(
                        r.id.clone(),
                        SourceLine {
                            id: r.id,
                            state,
                            records: r.records.values().sum(),
                            failure,
                        },
                    );
                }
            }
            ExportEvent::Protected(_) => {}
        }
        drop(lines);
        self.bump();
    }

    /// Whether the job still runs.
    pub fn running(&self) -> bool {
        self.ended.lock().expect("ended").is_none()
    }
}

/// Another export of the same request runs.
#[derive(Debug)]
pub struct Busy;

/// Starts an export for request `id` unless one runs for it already.
pub fn start(
    shared: &Arc<Shared>,
    id: &str,
    input: ExportInput,
    with_decisions: bool,
) -> Result<Arc<Job>, Busy> {
    let mut jobs = shared.jobs.lock().expect("jobs");
    if jobs.get(id).is_some_and(|j| j.running()) {
        return Err(Busy);
    }
    let (changed, _) = watch::channel(0);
    let job = Arc::new(Job {
        lines: Mutex::new(BTreeMap::new()),
        ended: Mutex::new(None),
        input: input.clone(),
        with_decisions,
        passphrase_shown: Mutex::new(false),
        changed,
    });
    jobs.insert(id.to_string(), job.clone());
    drop(jobs);
    let config = shared.config_path.clone();
    let running = job.clone();
    tokio::spawn(async move {
        let observer = running.clone();
        let result = crate::bridge::call(move || async move {
            export(&config, input, Arc::new(move |e| observer.apply(e))).await
        })
        .await;
        let ended = match result {
            Ok(exported) => Ended::Written(Box::new(exported)),
            Err(e) => Ended::Refused(Arc::new(e)),
        };
        *running.ended.lock().expect("ended") = Some(ended);
        running.bump();
    });
    Ok(job)
}

/// The latest job of a request when it wrote a bundle, with what it wrote.
pub fn written(shared: &Shared, id: &str) -> Option<(Arc<Job>, Box<Exported>)> {
    let job = latest(shared, id)?;
    let ended = job.ended.lock().expect("ended").clone();
    match ended {
        Some(Ended::Written(exported)) => Some((job, exported)),
        _ => None,
    }
}

/// The latest job of a request.
pub fn latest(shared: &Shared, id: &str) -> Option<Arc<Job>> {
    shared.jobs.lock().expect("jobs").get(id).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use inzage_app::export::ExportSubject;
    use inzage_app::requests::SubjectRef;
    use inzage_bundle::BundleKind;

    fn shared(dir: &std::path::Path) -> Arc<Shared> {
        let organisation: inzage_core::register::Organisation = toml::from_str(
            "name = \"Test\"\nprivacy_contact = \"p@example.org\"\nsupervisory_authority = \"AP\"\nautomated_decision_making = \"Geen.\"",
        )
        .unwrap();
        Arc::new(Shared::new(
            dir.join("missing.toml"),
            dir.to_path_buf(),
            &organisation,
            None,
            false,
        ))
    }

    fn input(dir: &std::path::Path) -> ExportInput {
        ExportInput {
            subject: ExportSubject::Tenant(SubjectRef::Customer("001001".into())),
            kind: BundleKind::Access,
            out: dir.join("b.zip"),
            allow_partial: false,
            allow_empty: false,
            force: true,
            lang: None,
            now: chrono::Utc::now(),
            received: None,
            passphrase: None,
            decisions: None,
            to: None,
        }
    }

    /// A job that has not ended, as a running export is.
    fn running_job(dir: &std::path::Path) -> Arc<Job> {
        Arc::new(Job {
            lines: Mutex::new(BTreeMap::new()),
            ended: Mutex::new(None),
            input: input(dir),
            with_decisions: false,
            passphrase_shown: Mutex::new(false),
            changed: watch::channel(0).0,
        })
    }

    #[tokio::test]
    async fn a_second_export_of_the_same_request_is_refused_while_one_runs() {
        let dir = tempfile::tempdir().unwrap();
        let shared = shared(dir.path());
        shared
            .jobs
            .lock()
            .unwrap()
            .insert("V-0001".into(), running_job(dir.path()));
        assert!(start(&shared, "V-0001", input(dir.path()), false).is_err());
        // Another request's export starts beside it.
        let other = start(&shared, "V-0002", input(dir.path()), false).expect("not busy");
        assert!(latest(&shared, "V-0001").unwrap().running());
        // Once that one has ended (here: the configuration is missing), it
        // can run again, and says why it stopped.
        let mut rx = other.changed.subscribe();
        while other.running() {
            rx.changed().await.unwrap();
        }
        match other.ended.lock().unwrap().clone() {
            Some(Ended::Refused(e)) => {
                let message = crate::problems::words(&e, inzage_core::Lang::Nl);
                assert!(
                    message.starts_with("De instellingen van inzage kloppen niet"),
                    "{message}"
                );
                assert!(message.contains("missing.toml"), "{message}")
            }
            _ => panic!("a missing configuration ends the job with its message"),
        }
        assert!(start(&shared, "V-0002", input(dir.path()), false).is_ok());
    }
}
