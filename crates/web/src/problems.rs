//! What went wrong, worded for the pages in the staff member's language:
//! the app layer's closed list of problems ([`Problem`]) and the kinds of
//! [`AppError`], without the command line's flags and commands. Technical
//! details (a configuration file's line, a source's error) are for the
//! administrator and stay as inzage wrote them, behind a sentence that
//! says so.

use inzage_app::{AppError, Problem};
use inzage_bundle::report::texts::identifier_kind;
use inzage_core::dates::long_date;
use inzage_core::Lang;
use inzage_requests::identity::Refusal;
use inzage_requests::{Outcome, Refused};

use crate::words::outcome;

/// An app error as the page says it.
pub fn words(e: &AppError, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    match e {
        AppError::Invalid { problem, .. } => problem_words(problem, lang),
        AppError::SourcesFailed { failed } => {
            if nl {
                format!("Geen bundel gemaakt: {} gaf geen antwoord (zie hierboven). Los het op en probeer het opnieuw, of vink hieronder aan dat u een ONVOLLEDIGE bundel accepteert.", count(*failed, "systeem", "systemen"))
            } else {
                format!("No bundle written: {} did not answer (see above). Fix it and try again, or tick below that you accept a PARTIAL bundle.", count(*failed, "system", "systems"))
            }
        }
        AppError::PeopleIndexFailed { connector, reason } => {
            if nl {
                format!("Geen bundel gemaakt: de lijst met namen van andere personen (uit {connector}) kon niet worden gelezen. Zonder die lijst kunnen namen van anderen niet uit vrije tekst worden gehaald. Geef deze technische melding door aan de beheerder: {reason}")
            } else {
                format!("No bundle written: the list of other people's names (from {connector}) could not be read. Without it other people's names cannot be taken out of free text. Pass this technical message to the administrator: {reason}")
            }
        }
        AppError::NoData { kind, masked } => {
            if nl {
                format!("Geen bundel gemaakt: geen enkel systeem kent {} {masked}. Controleer het nummer: een tikfout is niet \"wij hebben niets over u\". Klopt het nummer, vink dan hieronder aan dat u het antwoord wilt maken dat wij geen persoonsgegevens over deze persoon hebben.", identifier_kind(*kind, lang))
            } else {
                format!("No bundle written: no system knows {} {masked}. Check the number: a typo is not \"we hold nothing about you\". When the number is right, tick below that you want the answer that we hold no personal data about the person.", identifier_kind(*kind, lang))
            }
        }
        AppError::NotDelivered {
            to,
            origin,
            attempts,
            cause,
            ..
        } => {
            if nl {
                format!("De bundel is NIET afgeleverd bij ontvanger `{to}` ({origin}), na {}. Er is geen ontvangstbewijs gemaakt. Los de oorzaak op en probeer het opnieuw; deze technische melding helpt daarbij: {cause}", count(*attempts as usize, "poging", "pogingen"))
            } else {
                format!("The bundle was NOT delivered to receiver `{to}` ({origin}), after {}. No receipt was written. Fix the cause and try again; this technical message helps: {cause}", count(*attempts as usize, "attempt", "attempts"))
            }
        }
        AppError::Failed(detail) => {
            if nl {
                format!("Dat lukte niet door een storing in inzage of in zijn opslag. Geef deze technische melding door aan de beheerder: {detail}")
            } else {
                format!("That did not work because of a fault in inzage or its storage. Pass this technical message to the administrator: {detail}")
            }
        }
    }
}

/// A bad-input problem as the page says it, beside its field.
pub fn problem_words(problem: &Problem, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    match problem {
        Problem::Request(refused) => refused_words(refused, lang),
        Problem::RequestNotFound { id } => {
            if nl {
                format!("Verzoek {id} bestaat niet; de lijst Verzoeken toont alle verzoeken.")
            } else {
                format!("Request {id} does not exist; the Requests list shows every request.")
            }
        }
        Problem::ActorMissing => {
            if nl {
                "Zeg wie u bent: het audit trail legt vast wie wat deed.".into()
            } else {
                "Say who you are: the audit trail records who did what.".into()
            }
        }
        Problem::IdentityNumber(refusal) => {
            let what = match (refusal, nl) {
                (Refusal::Bsn, true) => "een BSN (negen cijfers die de elfproef doorstaan)",
                (Refusal::DocumentNumber, true) => "een documentnummer (negen letters en cijfers, zoals op een identiteitskaart, paspoort of rijbewijs)",
                (Refusal::Bsn, false) => "a BSN (nine digits that pass the elfproef)",
                (Refusal::DocumentNumber, false) => "a document number (nine letters and digits, as on an identity card, passport or driving licence)",
            };
            if nl {
                format!("Dit lijkt {what} te bevatten. Leg alleen vast dát en hoe de identiteit is gecontroleerd, nooit een nummer of een kopie van het document, bijvoorbeeld \"ID-kaart getoond aan de balie\".")
            } else {
                format!("This looks like it holds {what}. Record only that and how identity was checked, never a number or a copy of the document, for example \"ID-kaart getoond aan de balie\".")
            }
        }
        Problem::IdentifierUnreadable { kind } => {
            if nl {
                format!(
                    "Dit is leeg of niet geschreven als {}.",
                    identifier_kind(*kind, lang)
                )
            } else {
                format!(
                    "This is empty or not written as a {}.",
                    identifier_kind(*kind, lang)
                )
            }
        }
        Problem::IdentifierForm(e) => {
            let kind = identifier_kind(e.kind, lang);
            match (&e.example, nl) {
                (Some(example), true) => format!(
                    "`{}` heeft niet de vorm van een {kind}, zoals {example}.",
                    e.value
                ),
                (Some(example), false) => format!(
                    "`{}` is not written as a {kind}, such as {example}.",
                    e.value
                ),
                (None, true) => format!(
                    "`{}` heeft niet de vorm van een {kind} (het patroon is {}).",
                    e.value, e.pattern
                ),
                (None, false) => format!(
                    "`{}` is not written as a {kind} (the pattern is {}).",
                    e.value, e.pattern
                ),
            }
        }
        Problem::AmbiguousContract { owners, .. } => {
            if nl {
                format!("Dit contractnummer hoort bij {} personen (de contractanten); een contractnummer wijst alleen één persoon aan als het één contractant heeft. Open het verzoek op het klantnummer van wie het vraagt.", owners.len())
            } else {
                format!("This contract number belongs to {} people (the contractants); a contract number names one person only when it has one contractant. Open the request by the customer number of the one who asks.", owners.len())
            }
        }
        Problem::ReceivedInFuture { day } => {
            if nl {
                format!(
                    "{} ligt in de toekomst; geef de dag waarop het verzoek binnenkwam.",
                    long_date(*day, lang)
                )
            } else {
                format!(
                    "{} lies in the future; give the day the request came in.",
                    long_date(*day, lang)
                )
            }
        }
        Problem::MethodMissing => {
            if nl {
                "Schrijf op hoe de identiteit is gecontroleerd, bijvoorbeeld \"ID-kaart getoond aan de balie\".".into()
            } else {
                "Write down how identity was checked, for example \"ID-kaart getoond aan de balie\".".into()
            }
        }
        Problem::NameMissing => {
            if nl {
                "Geef de volledige naam zoals de aanvrager die schreef.".into()
            } else {
                "Give the full name as the requester wrote it.".into()
            }
        }
        Problem::PasswordTooShort { minimum } => {
            if nl {
                format!(
                    "Het wachtwoord is korter dan {minimum} tekens; kies een langer wachtwoord."
                )
            } else {
                format!("The password is shorter than {minimum} characters; choose a longer one.")
            }
        }
        Problem::ReceiverForAccess => {
            if nl {
                "Alleen een bundel voor overdraagbaarheid gaat naar een andere verhuurder; dit is een inzageverzoek.".into()
            } else {
                "Only a portability bundle goes to another landlord; this is an access request."
                    .into()
            }
        }
        Problem::UnknownReceiver { id, known, .. } => {
            let known = if known.is_empty() {
                (if nl { "geen" } else { "none" }).to_string()
            } else {
                known.join(", ")
            };
            if nl {
                format!("Ontvanger `{id}` is niet ingesteld. Ingesteld zijn: {known}.")
            } else {
                format!("Receiver `{id}` is not configured. Configured: {known}.")
            }
        }
        Problem::NotVerified { id } => {
            if nl {
                format!("De identiteit bij {id} is nog niet gecontroleerd, en geen bundel gaat de deur uit voordat dat is gebeurd. Controleer het originele identiteitsbewijs en leg dat vast op de pagina van het verzoek.")
            } else {
                format!("Identity for {id} is not verified yet, and no bundle leaves before it is. Check the original identity document and record that on the request's page.")
            }
        }
        Problem::ExportOfClosed { id, on, outcome: o } => {
            if nl {
                format!(
                    "{id} is op {} gesloten ({}); er valt niets meer te exporteren.",
                    long_date(*on, lang),
                    outcome(*o, lang)
                )
            } else {
                format!(
                    "{id} was closed on {} ({}); there is nothing to export.",
                    long_date(*on, lang),
                    outcome(*o, lang)
                )
            }
        }
        Problem::FileExists { path } => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if nl {
                format!("Het bestand {name} bestaat al.")
            } else {
                format!("The file {name} exists already.")
            }
        }
        Problem::DeliveredBefore { .. } => {
            if nl {
                "Deze bundel is al eerder afgeleverd: het ontvangstbewijs is er al.".into()
            } else {
                "This bundle was delivered before: its receipt exists.".into()
            }
        }
        Problem::BundleDoesNotVerify { problems, .. } => {
            if nl {
                format!("De bundel klopt niet bij de controle en is daarom niet verstuurd; maak de export opnieuw. Technische melding: {}", problems.join("; "))
            } else {
                format!("The bundle does not pass its check, so it was not sent; run the export again. Technical message: {}", problems.join("; "))
            }
        }
        Problem::NotPortability { .. } => {
            if nl {
                "Dit is geen bundel voor overdraagbaarheid; alleen zo'n bundel gaat naar een andere verhuurder.".into()
            } else {
                "This is not a portability bundle; only such a bundle goes to another landlord."
                    .into()
            }
        }
        Problem::OtherReceiver {
            made_for, asked, ..
        } => {
            if nl {
                format!("Deze bundel is gemaakt voor ontvanger `{made_for}`, niet voor `{asked}`; maak de export opnieuw met de juiste ontvanger.")
            } else {
                format!("This bundle was made for receiver `{made_for}`, not `{asked}`; run the export again with the right receiver.")
            }
        }
        Problem::Config(detail) => {
            if nl {
                format!("De instellingen van inzage kloppen niet. Geef deze technische melding door aan de beheerder: {detail}")
            } else {
                format!("inzage's settings are not right. Pass this technical message to the administrator: {detail}")
            }
        }
    }
}

/// A refusal of the request store, as the page says it.
fn refused_words(refused: &Refused, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    match refused {
        Refused::NotARequestId { text } => {
            if nl {
                format!("`{text}` is geen verzoeknummer; een verzoeknummer ziet eruit als V-0001.")
            } else {
                format!("`{text}` is not a request id; ids look like V-0001.")
            }
        }
        Refused::Closed { id, on, outcome: o } => {
            if nl {
                format!("{id} is op {} gesloten ({}); open een nieuw verzoek als de huurder opnieuw vraagt.", long_date(*on, lang), outcome(*o, lang))
            } else {
                format!(
                    "{id} was closed on {} ({}); open a new request if the tenant asks again.",
                    long_date(*on, lang),
                    outcome(*o, lang)
                )
            }
        }
        Refused::AlreadyVerified { id, on, by } => {
            if nl {
                format!("De identiteit bij {id} is al op {} gecontroleerd door {by}; er hoeft niets meer te gebeuren.", long_date(*on, lang))
            } else {
                format!(
                    "Identity for {id} was verified on {} by {by} already; nothing to do.",
                    long_date(*on, lang)
                )
            }
        }
        Refused::ExtensionWithoutReason => {
            if nl {
                "Geef een reden: de huurder moet horen waarom het antwoord later komt (art. 12 lid 3 AVG).".into()
            } else {
                "Give a reason: the tenant must be told why the answer takes longer (GDPR art. 12(3)).".into()
            }
        }
        Refused::ClockNotStarted { id } => {
            if nl {
                format!("De termijn van {id} loopt nog niet: die begint bij de controle van de identiteit. Controleer eerst de identiteit.")
            } else {
                format!("The clock of {id} has not started: it starts when identity is verified. Verify identity first.")
            }
        }
        Refused::ExtensionTooLate {
            first_term_ended,
            answer_due,
            ..
        } => {
            if nl {
                format!("Verlengen kan alleen binnen de eerste termijn, en die eindigde op {}; het antwoord moest er uiterlijk {} zijn.", long_date(*first_term_ended, lang), long_date(*answer_due, lang))
            } else {
                format!("An extension must be announced within the first term, which ended on {}; the answer was due on {}.", long_date(*first_term_ended, lang), long_date(*answer_due, lang))
            }
        }
        Refused::ExtensionTooLong {
            maximum,
            granted,
            asked,
            ..
        } => {
            if nl {
                format!("De termijn mag in totaal met ten hoogste {} worden verlengd; al verleend: {granted}, nu gevraagd: {asked}.", count(*maximum as usize, "maand", "maanden"))
            } else {
                format!("The deadline may be extended by at most {} in total; granted already: {granted}, asked now: {asked}.", count(*maximum as usize, "month", "months"))
            }
        }
        Refused::ExtensionMaximumNotInMonths => {
            if nl {
                "De instelling extension_maximum in [requests] is niet in maanden (schrijf bijvoorbeeld `2m`). Geef dit door aan de beheerder.".into()
            } else {
                "The setting extension_maximum in [requests] is not in months (write, for example, `2m`). Pass this to the administrator.".into()
            }
        }
        Refused::RefusalWithoutReason { .. } => {
            if nl {
                "Een weigering heeft een reden nodig: de huurder moet horen waarom (art. 12 lid 4 AVG).".into()
            } else {
                "A refusal needs a reason: the tenant must be told why (GDPR art. 12(4)).".into()
            }
        }
        Refused::NothingExported { id } => {
            if nl {
                format!("Voor {id} is nog geen bundel gemaakt. Maak eerst de export, of kies een andere uitkomst.")
            } else {
                format!("No bundle was made for {id} yet. Run the export first, or choose another outcome.")
            }
        }
        Refused::NotExtended { id } => {
            if nl {
                format!("De termijn van {id} is niet verlengd; verleng eerst de termijn, met een reden.")
            } else {
                format!("The deadline of {id} was not extended; extend it first, with a reason.")
            }
        }
        Refused::NotRefused { id } => {
            if nl {
                format!("{id} is niet geweigerd; sluit het verzoek eerst met de uitkomst \"{}\" en een reden.", outcome(Outcome::Refused, lang))
            } else {
                format!(
                    "{id} was not refused; close it first with the outcome \"{}\" and a reason.",
                    outcome(Outcome::Refused, lang)
                )
            }
        }
        Refused::NoDataUnshown { .. } => {
            if nl {
                format!("Niets laat zien dat wij geen gegevens hebben: sluit het verzoek met de uitkomst \"{}\", of maak eerst een export die niets vond.", outcome(Outcome::NoData, lang))
            } else {
                format!("Nothing shows that we hold no data: close the request with the outcome \"{}\", or first run an export that found nothing.", outcome(Outcome::NoData, lang))
            }
        }
    }
}

/// `1 systeem`, `2 systemen`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use chrono::NaiveDate;
    use inzage_core::register::InvalidIdentifier;
    use inzage_core::IdentifierKind;

    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()
    }

    /// Every problem and refusal there is (a new variant that is not
    /// worded fails to compile in `problem_words`; this list makes the
    /// test below see it).
    fn every_problem() -> Vec<Problem> {
        let id = || "V-0007".to_string();
        let refusals = [
            Refused::NotARequestId { text: "x".into() },
            Refused::Closed {
                id: id(),
                on: day(),
                outcome: Outcome::Delivered,
            },
            Refused::AlreadyVerified {
                id: id(),
                on: day(),
                by: "P. de Vries".into(),
            },
            Refused::ExtensionWithoutReason,
            Refused::ClockNotStarted { id: id() },
            Refused::ExtensionTooLate {
                id: id(),
                first_term_ended: day(),
                answer_due: day(),
            },
            Refused::ExtensionTooLong {
                id: id(),
                maximum: 2,
                granted: 2,
                asked: 1,
            },
            Refused::ExtensionMaximumNotInMonths,
            Refused::RefusalWithoutReason { id: id() },
            Refused::NothingExported { id: id() },
            Refused::NotExtended { id: id() },
            Refused::NotRefused { id: id() },
            Refused::NoDataUnshown { id: id() },
        ];
        let mut all: Vec<Problem> = refusals.into_iter().map(Problem::Request).collect();
        all.extend([
            Problem::RequestNotFound { id: id() },
            Problem::ActorMissing,
            Problem::IdentityNumber(Refusal::Bsn),
            Problem::IdentityNumber(Refusal::DocumentNumber),
            Problem::IdentifierUnreadable {
                kind: IdentifierKind::Klantnummer,
            },
            Problem::IdentifierForm(InvalidIdentifier {
                kind: IdentifierKind::Klantnummer,
                value: "12".into(),
                pattern: "[0-9]{6}".into(),
                example: Some("001234".into()),
            }),
            Problem::IdentifierForm(InvalidIdentifier {
                kind: IdentifierKind::Contractnummer,
                value: "12".into(),
                pattern: "C-[0-9]{4}".into(),
                example: None,
            }),
            Problem::ReceivedInFuture { day: day() },
            Problem::AmbiguousContract {
                contract: "HO000001".into(),
                owners: vec!["001001".into(), "001002".into()],
            },
            Problem::MethodMissing,
            Problem::NameMissing,
            Problem::PasswordTooShort { minimum: 12 },
            Problem::ReceiverForAccess,
            Problem::UnknownReceiver {
                id: "x".into(),
                file: PathBuf::from("c.toml"),
                known: vec![],
            },
            Problem::NotVerified { id: id() },
            Problem::ExportOfClosed {
                id: id(),
                on: day(),
                outcome: Outcome::NoData,
            },
            Problem::FileExists {
                path: PathBuf::from("/srv/inzage/V-0007-inzage.zip"),
            },
            Problem::DeliveredBefore {
                receipt: PathBuf::from("r.json"),
                bundle: "b.zip".into(),
            },
            Problem::BundleDoesNotVerify {
                bundle: "b.zip".into(),
                problems: vec!["hash".into()],
            },
            Problem::NotPortability {
                bundle: "b.zip".into(),
                kind: "access".into(),
            },
            Problem::OtherReceiver {
                bundle: "b.zip".into(),
                made_for: "a".into(),
                asked: "b".into(),
            },
            Problem::Config("c.toml:3: unknown key".into()),
        ]);
        all
    }

    #[test]
    fn every_problem_is_worded_for_the_page_in_both_languages_without_the_clis_flags() {
        for problem in every_problem() {
            let nl = problem_words(&problem, Lang::Nl);
            let en = problem_words(&problem, Lang::En);
            let cli = problem.cli(&Some(inzage_app::Field::Reason));
            assert_ne!(nl, en, "{problem:?}");
            for page in [&nl, &en] {
                assert!(!page.contains("--"), "a page names no flag: {page}");
                assert!(
                    !page.contains("`inzage "),
                    "a page names no command: {page}"
                );
                let lower = page.to_lowercase();
                assert!(
                    page.ends_with(['.', ')'])
                        || lower.contains("technische melding")
                        || lower.contains("technical message"),
                    "a sentence, or a technical detail said to be one: {page}"
                );
            }
            // The page's English is its own wording, not the command line's.
            if !matches!(problem, Problem::Config(_)) {
                assert_ne!(en, cli, "{problem:?}");
            }
        }
    }

    #[test]
    fn dutch_pages_say_what_is_wrong_in_dutch() {
        let nl = problem_words(&Problem::ReceivedInFuture { day: day() }, Lang::Nl);
        assert_eq!(
            nl,
            "2 november 2026 ligt in de toekomst; geef de dag waarop het verzoek binnenkwam."
        );
        let nl = problem_words(
            &Problem::Request(Refused::Closed {
                id: "V-0001".into(),
                on: day(),
                outcome: Outcome::Withdrawn,
            }),
            Lang::Nl,
        );
        assert!(nl.contains("ingetrokken"), "{nl}");
        let nl = words(&AppError::SourcesFailed { failed: 1 }, Lang::Nl);
        assert!(nl.contains("1 systeem gaf"), "{nl}");
        let nl = words(
            &AppError::NoData {
                kind: IdentifierKind::Klantnummer,
                masked: "00****".into(),
            },
            Lang::Nl,
        );
        assert!(
            nl.contains("geen enkel systeem kent klantnummer 00****"),
            "{nl}"
        );
        // A path on the server is not shown, only the file's name.
        let nl = problem_words(
            &Problem::FileExists {
                path: PathBuf::from("/srv/inzage/V-0007-inzage.zip"),
            },
            Lang::Nl,
        );
        assert_eq!(nl, "Het bestand V-0007-inzage.zip bestaat al.");
    }
}
