//! `inzage find`: which tenant is this request from? Masked candidates from
//! the sources that can be searched by person, or the people a klantnummer
//! or contract number names.

use std::path::Path;

use chrono::NaiveDate;
use clap::Args;
use inzage_app::find::{find, find_by_number, FindOutcome, PersonQuery};
use inzage_app::requests::SubjectRef;

use crate::exit::Failure;

/// Arguments of `find`.
#[derive(Args, Debug)]
pub struct FindArgs {
    /// The full name as the requester wrote it ("Fleur van den Berg").
    #[arg(long, required_unless_present_any = ["customer", "contract"], requires = "born", conflicts_with_all = ["customer", "contract"])]
    pub name: Option<String>,
    /// Date of birth (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", requires = "name")]
    pub born: Option<NaiveDate>,
    /// Postcode ("3512 AB"); without it every address matches.
    #[arg(long, requires = "name")]
    pub postcode: Option<String>,
    /// A customer number (klantnummer): whom does it name?
    #[arg(long, value_name = "K", conflicts_with = "contract")]
    pub customer: Option<String>,
    /// A contract number: its contractant(s).
    #[arg(long, value_name = "C")]
    pub contract: Option<String>,
}

/// Runs `find`.
pub async fn run(config_path: &Path, args: FindArgs) -> Result<(), Failure> {
    let subject = match (&args.customer, &args.contract) {
        (Some(k), _) => Some(SubjectRef::Customer(k.clone())),
        (None, Some(c)) => Some(SubjectRef::Contract(c.clone())),
        (None, None) => None,
    };
    if let Some(subject) = subject {
        let outcome = find_by_number(config_path, &subject).await?;
        println!("searched by number: {}", outcome.searched.join(", "));
        if outcome.candidates.is_empty() {
            println!("no one found by this number. Check it: a typo is not \"we hold nothing about you\".");
        } else if outcome.candidates.len() > 1 {
            println!(
                "{} people found (the contract's contractants): open the request for the one who asks, by klantnummer.",
                outcome.candidates.len()
            );
        }
        return print_candidates(&outcome);
    }
    let (Some(name), Some(born)) = (args.name.clone(), args.born) else {
        unreachable!("clap requires --name and --born without --customer or --contract")
    };
    let query = PersonQuery {
        name,
        born,
        postcode: args.postcode.clone(),
    };
    let outcome = find(config_path, &query).await?;
    println!(
        "searched by name and birth date: {}",
        outcome.searched.join(", ")
    );
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
    print_candidates(&outcome)
}

/// The masked candidates, the next step, the records without a
/// klantnummer; a source that could not be searched is exit 3.
fn print_candidates(outcome: &FindOutcome) -> Result<(), Failure> {
    for (label, reason) in &outcome.failed {
        eprintln!("FAILED   {label}: {reason}");
    }
    for c in &outcome.candidates {
        let areas: Vec<String> = c.postcode_areas.iter().map(|a| format!("{a} **")).collect();
        println!(
            "  klantnummer {}  {}  born {}  postcode {}  known in: {}",
            c.klantnummer,
            if c.initials.is_empty() {
                "-"
            } else {
                &c.initials
            },
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
