//! Identifier forms end to end through the loader and real sources: an ERP
//! (SQLite) that writes `K-1001`, a CSV export that writes `0001001`, and a
//! CSV export whose bare numbers mean something else. Each source is asked
//! in its own form, and what it reveals is held in the normal form.

use std::path::Path;

use chrono::Utc;
use inzage_connectors::secrets::Variables;
use inzage_connectors::{Config, ConfigError};
use inzage_core::{FetchRequest, Identifier, IdentifierKind};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

const REGISTER: &str = r#"
[organisation]
name = "Woonstichting Test"
privacy_contact = "privacy@example.org"
supervisory_authority = "Autoriteit Persoonsgegevens"
automated_decision_making = "geen"

[identifiers.klantnummer]
pattern = "K-[0-9]{1,7}"
form = { prefix = "K-" }
forms.export = { width = 7 }

[purposes.verhuur]
label = "Verhuur"
legal_basis = "contract"

[retention.kort]
label = "2 jaar"

[categories.contact]
label = "Contact"
"#;

fn config(dir: &Path, extra: &str) -> Result<Config, ConfigError> {
    let text = format!(
        r#"{REGISTER}
[[connector]]
id = "erp"
kind = "sql"
label = "ERP"
url = "sqlite:erp.sqlite"

[[connector.dataset]]
name = "Relatie"
purposes = ["verhuur"]
retention = "kort"
origin = "subject"
key = "klantnr"
query = "SELECT klantnr, mail FROM klant WHERE klantnr = :klantnummer"
match = {{ klantnummer = "klantnr" }}
owner = {{ klantnummer = "klantnr" }}
fields = {{ klantnr = "contact", mail = "contact" }}

[[connector]]
id = "enquete"
kind = "csv"
label = "Enquête"
path = "enquete.csv"

[[connector.dataset]]
name = "Enquete"
purposes = ["verhuur"]
retention = "kort"
origin = "subject"
key = "Nr"
forms = {{ klantnummer = "export" }}
match = {{ klantnummer = "Klant" }}
yields = {{ klantnummer = "Klant" }}
fields = {{ Nr = "contact", Klant = {{ category = "contact", type = "text" }} }}
{extra}"#
    );
    let path = dir.join("connectors.toml");
    std::fs::write(&path, &text).unwrap();
    Config::parse(&path, &text)
}

async fn estate(dir: &Path) {
    let options = SqliteConnectOptions::new()
        .filename(dir.join("erp.sqlite"))
        .create_if_missing(true);
    let mut conn = SqliteConnection::connect_with(&options).await.unwrap();
    sqlx::raw_sql(
        "CREATE TABLE klant (klantnr TEXT PRIMARY KEY, mail TEXT);
         INSERT INTO klant VALUES ('K-1001', 'a@example.org'), ('K-1002', 'b@example.org');",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
    std::fs::write(
        dir.join("enquete.csv"),
        "Nr;Klant\n1;0001001\n2;0001002\n3;1001\n",
    )
    .unwrap();
}

fn ask(id: Identifier) -> FetchRequest {
    FetchRequest {
        identifiers: vec![id],
        fetched_at: Utc::now(),
    }
}

#[tokio::test]
async fn every_source_is_asked_in_its_own_form_and_answers_in_the_normal_form() {
    let dir = tempfile::tempdir().unwrap();
    estate(dir.path()).await;
    let config = config(dir.path(), "").unwrap();
    let subject = config
        .register
        .identifier(IdentifierKind::Klantnummer, "k-01001")
        .unwrap();
    assert_eq!(
        subject.value, "K-1001",
        "the request is read in the normal form"
    );
    let vars = Variables::from_env();
    let erp = config.connectors[0].build(&vars).unwrap();
    let survey = config.connectors[1].build(&vars).unwrap();

    let found = erp.fetch(&ask(subject.clone())).await.unwrap();
    assert_eq!(found.records.len(), 1);
    assert_eq!(found.records[0].owner.as_ref(), Some(&subject));

    let found = survey.fetch(&ask(subject.clone())).await.unwrap();
    let keys: Vec<&str> = found.records.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        ["1"],
        "0001001 is the subject; the bare 1001 is not in this form"
    );
    assert_eq!(found.records[0].yields, vec![subject.clone()]);
    assert_eq!(found.records[0].matched_on, vec![subject]);

    // A value that does not have the normal form is never sent anywhere.
    let bare = Identifier::new(IdentifierKind::Klantnummer, "1001").unwrap();
    assert!(erp
        .fetch(&ask(bare.clone()))
        .await
        .unwrap()
        .records
        .is_empty());
    assert!(survey.fetch(&ask(bare)).await.unwrap().records.is_empty());
}

#[test]
fn an_unknown_form_or_a_form_for_an_email_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let extra = r#"
[[connector]]
id = "oud"
kind = "csv"
label = "Oud"
path = "oud.csv"

[[connector.dataset]]
name = "Oud"
purposes = ["verhuur"]
retention = "kort"
origin = "subject"
forms = { klantnummer = "kaal", email = { prefix = "x" } }
match = { klantnummer = "Klant" }
fields = { Klant = "contact" }
"#;
    let Err(ConfigError::Invalid(problems)) = config(dir.path(), extra) else {
        panic!("the configuration must be refused")
    };
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter()
            .any(|t| t.contains("form `kaal`") && t.contains("export")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("email") && t.contains("own normalisation")),
        "{text:?}"
    );
    assert!(problems.iter().all(|p| p.line.is_some()), "{text:?}");
}

#[test]
fn a_position_key_must_fit_the_kind_of_source() {
    let dir = tempfile::tempdir().unwrap();
    let extra = r#"
[[connector]]
id = "lijst"
kind = "csv"
label = "Lijst"
path = "lijst.csv"

[[connector.dataset]]
name = "Lijst"
purposes = ["verhuur"]
retention = "kort"
origin = "subject"
key = { position = "row" }
match = { klantnummer = { position = "line" } }
fields = { Klant = "contact" }
"#;
    let Err(ConfigError::Invalid(problems)) = config(dir.path(), extra) else {
        panic!("the configuration must be refused")
    };
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter()
            .any(|t| t.contains("key position `row`") && t.contains(r#"{ position = "line" }"#)),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|t| t.contains("match.klantnummer names a position")),
        "{text:?}"
    );
}

#[test]
fn a_csv_without_id_column_is_keyed_by_its_physical_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("lijst.csv"),
        "Klant;Notitie\r\nK-1002;\"twee\r\nregels\"\r\nK-1001;een\r\n",
    )
    .unwrap();
    let extra = r#"
[[connector]]
id = "lijst"
kind = "csv"
label = "Lijst"
path = "lijst.csv"

[[connector.dataset]]
name = "Lijst"
purposes = ["verhuur"]
retention = "kort"
origin = "subject"
key = { position = "line" }
match = { klantnummer = "Klant" }
fields = { Klant = "contact", Notitie = "contact" }
"#;
    let config = config(dir.path(), extra).unwrap();
    let lijst = config.connectors[2].build(&Variables::from_env()).unwrap();
    let subject = config
        .register
        .identifier(IdentifierKind::Klantnummer, "K-1001")
        .unwrap();
    let found = block_on(lijst.fetch(&ask(subject)));
    let keys: Vec<&str> = found.records.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        ["4"],
        "line 4: the quoted value before it runs over two lines"
    );
}

fn block_on<T, E: std::fmt::Debug>(f: impl std::future::Future<Output = Result<T, E>>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
        .unwrap()
}
