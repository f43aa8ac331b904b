//! `inzage find`: which tenant is this request from? Masked candidates from
//! the sources that can be searched by person.

use std::path::Path;

use chrono::NaiveDate;
use clap::Args;
use inzage_app::find::{find, PersonQuery};

use crate::exit::Failure;

/// Arguments of `find`.
#[derive(Args, Debug)]
pub struct FindArgs {
    /// The full name as the requester wrote it ("Fleur van den Berg").
    #[arg(long)]
    pub name: String,
    /// Date of birth (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub born: NaiveDate,
    /// Postcode ("3512 AB"); without it every address matches.
    #[arg(long)]
    pub postcode: Option<String>,
}

/// Runs `find`.
pub async fn run(config_path: &Path, args: FindArgs) -> Result<(), Failure> {
    let query = PersonQuery {
        name: args.name.clone(),
        born: args.born,
        postcode: args.postcode.clone(),
    };
    let outcome = find(config_path, &query).await?;
    println!(
        "searched by name and birth date: {}",
        outcome.searched.join(", ")
    );
    for (label, reason) in &outcome.failed {
        eprintln!("FAILED   {label}: {reason}");
    }
    let by = if args.postcode.is_some() {
        "name, birth date and postcode"
    } else {
        "name and birth date"
    };
    match outcome.candidates.len() {
        0 => println!(
            "no one found by {by}. Check the spelling of the name (case, diacritics and the tussenvoegsel do not matter) and the birth date{}. Without a customer number no bundle can be made.",
            if args.postcode.is_some() { ", or search without --postcode (the tenant may have moved)" } else { "" }
        ),
        1 => println!("one person found by {by}:"),
        n => println!(
            "{n} people found by {by}: do not guess. Ask the requester for another detail (postcode, address, customer number) and search again."
        ),
    }
    for c in &outcome.candidates {
        let areas: Vec<String> = c.postcode_areas.iter().map(|a| format!("{a} **")).collect();
        println!(
            "  klantnummer {}  {}  born {}  postcode {}  known in: {}",
            c.klantnummer,
            c.initials,
            c.birth_year.map_or("-".to_string(), |y| y.to_string()),
            if areas.is_empty() {
                "-".into()
            } else {
                areas.join(", ")
            },
            c.systems.iter().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    if outcome.candidates.len() == 1 {
        println!(
            "next: `inzage request open --customer {} --kind access --received DATE --channel CHANNEL`",
            outcome.candidates[0].klantnummer
        );
    }
    for (label, n) in &outcome.without_customer {
        println!(
            "  {label}: {n} record(s) with this name and birth date but without a customer number, at an address no candidate has: check by hand whether they are the same person"
        );
    }
    if !outcome.failed.is_empty() {
        return Err(Failure::SourcesFailed(format!(
            "{} source(s) could not be searched (see above); the answer may be incomplete",
            outcome.failed.len()
        )));
    }
    Ok(())
}
