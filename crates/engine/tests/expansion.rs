//! Engine behaviour over in-memory sources: expansion, ambiguity, failures,
//! scheduling without round barriers.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use async_trait::async_trait;
use chrono::Utc;
use inzage_core::{
    CheckReport, Connector, DatasetSpec, FetchOutcome, FetchRequest, HeldRecord, Identifier,
    IdentifierKind, Record, ReviewReason, SourceError,
};
use inzage_engine::{
    Engine, EngineOptions, IdentityStatus, Learned, RequestError, Source, SourceReport,
    SourceStatus,
};

fn id(kind: IdentifierKind, v: &str) -> Identifier {
    Identifier::new(kind, v).unwrap()
}

/// A row of an in-memory table: what it matches on, its owner and what it yields.
#[derive(Clone)]
struct Row {
    key: &'static str,
    matches: Vec<Identifier>,
    owner: Option<Identifier>,
    yields: Vec<Identifier>,
}

/// An in-memory source with one dataset, behaving like a table scan.
struct TableSource {
    id: &'static str,
    spec: DatasetSpec,
    rows: Vec<Row>,
    delay: Duration,
    /// Reads everything on every fetch (a mail archive, an export).
    scanner: bool,
    /// Answers only once this is notified.
    waits_for: Option<Arc<Notify>>,
    /// Notified when it is asked.
    signals: Option<Arc<Notify>>,
    /// Rows it holds back (near misses) when they match.
    held: Vec<Row>,
}

impl TableSource {
    fn new(id: &'static str, accepts: &[&str], rows: Vec<Row>) -> TableSource {
        let matches: String = accepts.iter().map(|k| format!("{k} = \"c\"\n")).collect();
        let spec: DatasetSpec =
            toml::from_str(&format!("name = \"D\"\n[match]\n{matches}")).unwrap();
        TableSource {
            id,
            spec,
            rows,
            delay: Duration::ZERO,
            scanner: false,
            waits_for: None,
            signals: None,
            held: Vec::new(),
        }
    }

    /// The records of `rows` that match what is asked.
    fn matching(&self, rows: &[Row], request: &FetchRequest) -> Vec<Record> {
        rows.iter()
            .filter_map(|row| {
                let matched: Vec<Identifier> = row
                    .matches
                    .iter()
                    .filter(|m| request.identifiers.contains(m))
                    .cloned()
                    .collect();
                (!matched.is_empty()).then(|| Record {
                    source: self.id.into(),
                    dataset: "D".into(),
                    key: row.key.into(),
                    location: format!("row {}", row.key),
                    matched_on: matched,
                    owner: row.owner.clone(),
                    fetched_at: request.fetched_at,
                    fields: vec![],
                    yields: row.yields.clone(),
                })
            })
            .collect()
    }
}

#[async_trait]
impl Connector for TableSource {
    fn id(&self) -> &str {
        self.id
    }
    fn kind(&self) -> &'static str {
        "memory"
    }
    fn label(&self) -> &str {
        self.id
    }
    fn datasets(&self) -> Vec<&DatasetSpec> {
        vec![&self.spec]
    }
    fn scans_everything(&self) -> bool {
        self.scanner
    }
    async fn check(&self) -> Result<CheckReport, SourceError> {
        Ok(CheckReport {
            summary: "ok".into(),
        })
    }
    async fn fetch(&self, request: &FetchRequest) -> Result<FetchOutcome, SourceError> {
        if let Some(signal) = &self.signals {
            signal.notify_one();
        }
        if let Some(gate) = &self.waits_for {
            gate.notified().await;
        }
        tokio::time::sleep(self.delay).await;
        Ok(FetchOutcome {
            records: self.matching(&self.rows, request),
            held: self
                .matching(&self.held, request)
                .into_iter()
                .map(|record| HeldRecord {
                    record,
                    reason: ReviewReason::PartialPersonMatch,
                })
                .collect(),
            ..Default::default()
        })
    }
}

fn engine(sources: Vec<TableSource>) -> Engine {
    let sources = sources
        .into_iter()
        .map(|s| Source {
            connector: Arc::new(s) as Arc<dyn Connector>,
            timeout: Duration::from_millis(500),
        })
        .collect();
    Engine::new(
        sources,
        EngineOptions {
            max_rounds: 5,
            fetched_at: Utc::now(),
        },
    )
}

fn keys(findings: &inzage_engine::Findings) -> Vec<String> {
    findings
        .records
        .iter()
        .map(|r| format!("{}:{}", r.source, r.key))
        .collect()
}

const K1: &str = "001001";
const K2: &str = "001002";

#[tokio::test]
async fn identifiers_learned_in_one_source_are_followed_in_the_next() {
    let k1 = id(IdentifierKind::Klantnummer, K1);
    let mail = id(IdentifierKind::Email, "a@example.org");
    let erp = TableSource::new(
        "erp",
        &["klantnummer"],
        vec![Row {
            key: "r1",
            matches: vec![k1.clone()],
            owner: Some(k1.clone()),
            yields: vec![mail.clone()],
        }],
    );
    let crm = TableSource::new(
        "crm",
        &["email"],
        vec![
            Row {
                key: "c1",
                matches: vec![mail.clone()],
                owner: None,
                yields: vec![],
            },
            Row {
                key: "c2",
                matches: vec![id(IdentifierKind::Email, "other@example.org")],
                owner: None,
                yields: vec![],
            },
        ],
    );
    let findings = engine(vec![erp, crm]).run(k1).await.unwrap();
    assert_eq!(keys(&findings), ["crm:c1", "erp:r1"]);
    assert_eq!(findings.rounds, 2);
    let learned = findings
        .identities
        .iter()
        .find(|i| i.identifier == mail)
        .unwrap();
    assert_eq!(
        learned.learned,
        Learned::Record {
            source: "erp".into(),
            dataset: "D".into(),
            key: "r1".into()
        }
    );
    assert!(findings.is_complete());
}

#[tokio::test]
async fn a_shared_address_is_not_followed_and_other_peoples_records_stay_out() {
    let k1 = id(IdentifierKind::Klantnummer, K1);
    let k2 = id(IdentifierKind::Klantnummer, K2);
    let family = id(IdentifierKind::Email, "familie@example.org");
    let phone_of_k2 = id(IdentifierKind::Telefoon, "0612345678");
    let erp = TableSource::new(
        "erp",
        &["klantnummer"],
        vec![Row {
            key: "r1",
            matches: vec![k1.clone()],
            owner: Some(k1.clone()),
            yields: vec![family.clone()],
        }],
    );
    // The CRM knows the family address on both people.
    let crm = TableSource::new(
        "crm",
        &["email"],
        vec![
            Row {
                key: "mine",
                matches: vec![family.clone()],
                owner: Some(k1.clone()),
                yields: vec![],
            },
            Row {
                key: "theirs",
                matches: vec![family.clone()],
                owner: Some(k2.clone()),
                yields: vec![phone_of_k2.clone()],
            },
        ],
    );
    // The mail archive cannot tell whose a message to the family address is.
    let mail = TableSource::new(
        "mail",
        &["email"],
        vec![Row {
            key: "m1",
            matches: vec![family.clone()],
            owner: None,
            yields: vec![],
        }],
    );
    let findings = engine(vec![erp, crm, mail]).run(k1).await.unwrap();
    assert_eq!(keys(&findings), ["crm:mine", "erp:r1"]);
    let status = &findings
        .identities
        .iter()
        .find(|i| i.identifier == family)
        .unwrap()
        .status;
    assert!(
        matches!(status, IdentityStatus::Ambiguous { .. }),
        "{status:?}"
    );
    assert!(findings
        .identities
        .iter()
        .all(|i| i.identifier != phone_of_k2));
    assert_eq!(findings.review.len(), 1, "{:?}", findings.review);
    assert_eq!(
        findings
            .withheld
            .iter()
            .map(|w| w.record.key.as_str())
            .collect::<Vec<_>>(),
        ["m1"],
        "the mail found only through the shared address is withheld for a decision"
    );
    assert!(findings
        .review
        .iter()
        .all(|r| !r.reason.to_string().contains(K2)));
}

#[tokio::test]
async fn a_source_that_hangs_fails_and_the_others_complete() {
    let k1 = id(IdentifierKind::Klantnummer, K1);
    let ok = TableSource::new(
        "kwh",
        &["klantnummer"],
        vec![Row {
            key: "s1",
            matches: vec![k1.clone()],
            owner: None,
            yields: vec![],
        }],
    );
    let mut slow = TableSource::new("slow", &["klantnummer"], vec![]);
    slow.delay = Duration::from_secs(30);
    let findings = engine(vec![ok, slow]).run(k1).await.unwrap();
    assert_eq!(keys(&findings), ["kwh:s1"]);
    assert!(!findings.is_complete());
    let SourceStatus::Failed { reason } = &findings.sources[1].status else {
        panic!("slow should fail")
    };
    assert!(reason.contains("no answer within"), "{reason}");
}

#[tokio::test]
async fn a_source_without_a_usable_identifier_is_skipped() {
    let k1 = id(IdentifierKind::Klantnummer, K1);
    let kwh = TableSource::new("kwh", &["klantnummer"], vec![]);
    let signalering = TableSource::new("signalering", &["persoon"], vec![]);
    let findings = engine(vec![kwh, signalering]).run(k1).await.unwrap();
    assert_eq!(findings.sources[0].status, SourceStatus::Ok);
    let SourceStatus::Skipped { reason } = &findings.sources[1].status else {
        panic!()
    };
    assert!(reason.contains("persoon"), "{reason}");
}

#[tokio::test]
async fn a_contract_with_two_contractants_is_refused() {
    let contract = id(IdentifierKind::Contractnummer, "HO200117");
    let k1 = id(IdentifierKind::Klantnummer, K1);
    let k2 = id(IdentifierKind::Klantnummer, K2);
    let kwh = TableSource::new(
        "kwh",
        &["contractnummer"],
        vec![
            Row {
                key: "s1",
                matches: vec![contract.clone()],
                owner: Some(k1.clone()),
                yields: vec![],
            },
            Row {
                key: "s2",
                matches: vec![contract.clone()],
                owner: Some(k2.clone()),
                yields: vec![],
            },
        ],
    );
    let err = engine(vec![kwh]).run(contract).await.unwrap_err();
    let RequestError::AmbiguousContract { owners, .. } = &err;
    assert_eq!(owners, &[K1.to_string(), K2.to_string()]);
}

#[tokio::test]
async fn a_contract_with_one_contractant_resolves_to_that_person() {
    let contract = id(IdentifierKind::Contractnummer, "HO200118");
    let k1 = id(IdentifierKind::Klantnummer, K1);
    let kwh = TableSource::new(
        "kwh",
        &["contractnummer", "klantnummer"],
        vec![
            Row {
                key: "s1",
                matches: vec![contract.clone()],
                owner: Some(k1.clone()),
                yields: vec![],
            },
            Row {
                key: "s2",
                matches: vec![k1.clone()],
                owner: Some(k1.clone()),
                yields: vec![],
            },
        ],
    );
    let findings = engine(vec![kwh]).run(contract).await.unwrap();
    assert_eq!(keys(&findings), ["kwh:s1", "kwh:s2"]);
}

#[tokio::test]
async fn expansion_stops_at_max_rounds() {
    let k1 = id(IdentifierKind::Klantnummer, K1);
    let rows: Vec<Row> = (0..10)
        .map(|i| {
            let this = if i == 0 {
                k1.clone()
            } else {
                id(IdentifierKind::Telefoon, &format!("06100000{i:02}"))
            };
            Row {
                key: ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"][i],
                matches: vec![this],
                owner: None,
                yields: vec![id(
                    IdentifierKind::Telefoon,
                    &format!("06100000{:02}", i + 1),
                )],
            }
        })
        .collect();
    let chain = TableSource::new("chain", &["klantnummer", "telefoon"], rows);
    let findings = engine(vec![chain]).run(k1).await.unwrap();
    assert_eq!(findings.rounds, 5);
    assert!(findings.max_rounds_reached);
}

fn row(key: &'static str, matches: &Identifier, yields: &[&Identifier]) -> Row {
    Row {
        key,
        matches: vec![matches.clone()],
        owner: None,
        yields: yields.iter().map(|y| (*y).clone()).collect(),
    }
}

fn report<'a>(findings: &'a inzage_engine::Findings, source: &str) -> &'a SourceReport {
    findings.sources.iter().find(|s| s.id == source).unwrap()
}

/// A chain erp → slow → contracts where `slow` answers only after
/// `woningnet`, two steps down another chain (erp → phones → woningnet),
/// has been asked. With a barrier per round, `woningnet` would wait for
/// `slow` and `slow` would time out; without one, both chains finish.
#[tokio::test]
async fn a_slow_source_does_not_delay_an_independent_chain() {
    let k1 = id(IdentifierKind::Klantnummer, K1);
    let email = id(IdentifierKind::Email, "a@example.org");
    let phone = id(IdentifierKind::Telefoon, "0612345678");
    let contract = id(IdentifierKind::Contractnummer, "HO200001");
    let registration = id(IdentifierKind::Woningnet, "123456789");
    let gate = Arc::new(Notify::new());
    let erp = TableSource::new(
        "erp",
        &["klantnummer"],
        vec![row("r1", &k1, &[&email, &phone])],
    );
    let mut slow = TableSource::new("slow", &["email"], vec![row("s1", &email, &[&contract])]);
    slow.waits_for = Some(gate.clone());
    let contracts = TableSource::new(
        "contracts",
        &["contractnummer"],
        vec![row("c1", &contract, &[])],
    );
    let phones = TableSource::new(
        "phones",
        &["telefoon"],
        vec![row("p1", &phone, &[&registration])],
    );
    let mut woningnet = TableSource::new(
        "woningnet",
        &["woningnet"],
        vec![row("w1", &registration, &[])],
    );
    woningnet.signals = Some(gate);
    let findings = engine(vec![erp, slow, contracts, phones, woningnet])
        .run(k1)
        .await
        .unwrap();
    assert!(findings.is_complete(), "{:?}", findings.sources);
    assert_eq!(
        keys(&findings),
        [
            "contracts:c1",
            "erp:r1",
            "phones:p1",
            "slow:s1",
            "woningnet:w1"
        ]
    );
    // Rounds are distances from the request, as rounds would count them.
    assert_eq!(findings.rounds, 3);
    let round = |i: &Identifier| {
        findings
            .identities
            .iter()
            .find(|x| x.identifier == *i)
            .unwrap()
            .round
    };
    assert_eq!(
        (round(&email), round(&contract), round(&registration)),
        (1, 2, 2)
    );
    assert!(findings.sources.iter().all(|s| s.calls == 1));
}

/// The mail archive (a scanner) is asked once, after the keyed sources
/// reached a fixpoint, with every identifier it accepts.
#[tokio::test]
async fn a_scanner_is_asked_once_with_the_final_identifiers() {
    let k1 = id(IdentifierKind::Klantnummer, K1);
    let email = id(IdentifierKind::Email, "a@example.org");
    let phone = id(IdentifierKind::Telefoon, "0612345678");
    let erp = TableSource::new("erp", &["klantnummer"], vec![row("r1", &k1, &[&email])]);
    let crm = TableSource::new("crm", &["email"], vec![row("c1", &email, &[&phone])]);
    let mut mail = TableSource::new(
        "mail",
        &["klantnummer", "email", "telefoon"],
        vec![
            row("m1", &k1, &[]),
            row("m2", &email, &[]),
            row("m3", &phone, &[]),
        ],
    );
    mail.scanner = true;
    let findings = engine(vec![mail, erp, crm]).run(k1.clone()).await.unwrap();
    let mail = report(&findings, "mail");
    assert_eq!(mail.calls, 1);
    assert_eq!(mail.asked_with, [k1, email, phone]);
    assert_eq!(
        keys(&findings),
        ["crm:c1", "erp:r1", "mail:m1", "mail:m2", "mail:m3"]
    );
    assert_eq!(findings.rounds, 3);
}

/// A scanner that yields something new is asked again, with only what
/// the keyed sources learned from it.
#[tokio::test]
async fn a_scanner_is_asked_again_only_for_what_it_led_to() {
    let k1 = id(IdentifierKind::Klantnummer, K1);
    let registration = id(IdentifierKind::Woningnet, "123456789");
    let email = id(IdentifierKind::Email, "a@example.org");
    let mut export = TableSource::new(
        "export",
        &["klantnummer", "email"],
        vec![row("x1", &k1, &[&registration]), row("x2", &email, &[])],
    );
    export.scanner = true;
    let woningnet = TableSource::new(
        "woningnet",
        &["woningnet"],
        vec![row("w1", &registration, &[&email])],
    );
    let findings = engine(vec![export, woningnet])
        .run(k1.clone())
        .await
        .unwrap();
    let export = report(&findings, "export");
    assert_eq!(export.calls, 2);
    assert_eq!(export.asked_with, [k1, email]);
    assert_eq!(report(&findings, "woningnet").calls, 1);
    assert_eq!(keys(&findings), ["export:x1", "export:x2", "woningnet:w1"]);
}

#[tokio::test]
async fn a_held_record_is_withheld_once_unless_found_in_full_or_owned_by_another() {
    let k1 = id(IdentifierKind::Klantnummer, K1);
    let k2 = id(IdentifierKind::Klantnummer, K2);
    let row = |key: &'static str, owner: Option<Identifier>| Row {
        key,
        matches: vec![k1.clone()],
        owner,
        yields: vec![id(IdentifierKind::Email, "never@example.org")],
    };
    let found = Row {
        yields: vec![],
        ..row("r1", Some(k1.clone()))
    };
    let mut erp = TableSource::new("erp", &["klantnummer"], vec![found]);
    erp.held = vec![
        row("h1", None),
        row("h1", None),
        row("r1", Some(k1.clone())),
        row("h2", Some(k2.clone())),
    ];
    let findings = engine(vec![erp]).run(k1.clone()).await.unwrap();
    assert_eq!(keys(&findings), ["erp:r1"], "a held record is not data");
    let withheld: Vec<(&str, &ReviewReason)> = findings
        .withheld
        .iter()
        .map(|w| (w.record.key.as_str(), &w.reason))
        .collect();
    assert_eq!(
        withheld,
        [("h1", &ReviewReason::PartialPersonMatch)],
        "once; not the row found in full; not another person's"
    );
    let review: Vec<&str> = findings.review.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(review, ["h2"], "another person's near miss is listed only");
    assert!(findings.review[0].may_be_other_person);
    // What a held record yields is never followed.
    assert!(!findings
        .identities
        .iter()
        .any(|i| i.identifier.kind == IdentifierKind::Email));
}
