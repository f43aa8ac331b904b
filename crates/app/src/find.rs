//! Which tenant is a request from? Masked candidates from the sources that
//! can be searched by person, or from a klantnummer or contract number.

use std::path::Path;

use chrono::Utc;
use inzage_core::IdentifierKind;
pub use inzage_requests::find::{Candidate, FindOutcome, PersonQuery};

use crate::error::{AppError, Field, Problem};
use crate::estate::{build_connectors, load_config, start_fixture_servers};
use crate::requests::{subject_identifier, SubjectRef};

/// Searches every source that has a `match.persoon` dataset by name, birth
/// date and (when given) postcode.
pub async fn find(config_path: &Path, query: &PersonQuery) -> Result<FindOutcome, AppError> {
    if inzage_core::identifier::normalise_name(&query.name).is_empty() {
        return Err(AppError::field(Field::Name, Problem::NameMissing));
    }
    let config = load_config(config_path)?;
    let searchable: Vec<_> = config
        .connectors
        .iter()
        .filter(|c| {
            c.datasets()
                .iter()
                .any(|d| d.matches.contains_key(&IdentifierKind::Persoon))
        })
        .cloned()
        .collect();
    if searchable.is_empty() {
        return Err(AppError::config(format!(
            "{}: no source can be searched by person; give a dataset a `match.persoon` (see the README: inzage find)",
            config_path.display()
        )));
    }
    let (vars, _servers) = start_fixture_servers(&config).await?;
    let mut connectors = Vec::new();
    for c in &searchable {
        connectors.push(
            c.build(&vars)
                .map_err(|e| AppError::config(format!("connector `{}`: {e}", c.id())))?,
        );
    }
    Ok(inzage_requests::find::find(&connectors, query, Utc::now()).await)
}

/// Finds the people a klantnummer or contract number names (a contract
/// names each of its contractants), as masked candidates: the number is
/// checked against the register's pattern first.
pub async fn find_by_number(
    config_path: &Path,
    subject: &SubjectRef,
) -> Result<FindOutcome, AppError> {
    let config = load_config(config_path)?;
    let id = subject_identifier(subject, &config.register)?;
    let (vars, _servers) = start_fixture_servers(&config).await?;
    let connectors: Vec<_> = build_connectors(&config, &vars)?
        .into_iter()
        .map(|b| b.connector)
        .collect();
    Ok(inzage_requests::lookup::find_by_number(&connectors, &id, Utc::now()).await)
}
