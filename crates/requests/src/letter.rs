//! Letters to the tenant as printable HTML: the acknowledgement, the
//! extension notice (with the reason, GDPR art. 12(3)), the refusal (with
//! the reason, the right to complain to the supervisory authority and to go
//! to court, art. 12(4)) and the no-data answer. Dutch or English; the
//! organisation's details come from the register.
//!
//! Rendered like the report: minijinja with auto-escaping for `.html`, and
//! a Content-Security-Policy that forbids scripts.

use chrono::NaiveDate;
use inzage_core::register::Organisation;
use inzage_core::Lang;
use minijinja::Environment;
use serde::Serialize;

use crate::config::ClockStart;
use crate::store::{Outcome, Request, RequestKind};
use crate::{Refused, RequestsError};

const TEMPLATE: &str = include_str!("../templates/letter.html");

/// Which letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LetterKind {
    /// The request was received; when the answer comes.
    Acknowledgement,
    /// The deadline was extended, and why.
    Extension,
    /// The request is refused, why, and the remedies.
    Refusal,
    /// We hold no personal data about the person.
    NoData,
}

impl LetterKind {
    /// The name used on the command line and in the audit trail.
    pub fn as_str(self) -> &'static str {
        match self {
            LetterKind::Acknowledgement => "acknowledgement",
            LetterKind::Extension => "extension",
            LetterKind::Refusal => "refusal",
            LetterKind::NoData => "no-data",
        }
    }
}

#[derive(Serialize)]
struct Texts {
    lang: &'static str,
    date: &'static str,
    reference: &'static str,
    your_number: &'static str,
    received: &'static str,
    salutation: &'static str,
    reason: &'static str,
    questions: &'static str,
    regards: &'static str,
    footer: &'static str,
}

const NL: Texts = Texts {
    lang: "nl",
    date: "Datum",
    reference: "Ons kenmerk",
    your_number: "Uw klant- of contractnummer",
    received: "Uw verzoek ontvangen op",
    salutation: "Geachte heer, mevrouw,",
    reason: "De reden:",
    questions: "Hebt u vragen over deze brief, dan kunt u contact met ons opnemen via",
    regards: "Met vriendelijke groet,",
    footer: "Vermeld bij contact over deze brief ons kenmerk.",
};

const EN: Texts = Texts {
    lang: "en",
    date: "Date",
    reference: "Our reference",
    your_number: "Your customer or contract number",
    received: "Your request received on",
    salutation: "Dear Sir or Madam,",
    reason: "The reason:",
    questions: "If you have questions about this letter, please contact us at",
    regards: "Kind regards,",
    footer: "Please quote our reference when you contact us about this letter.",
};

#[derive(Serialize)]
struct Model<'a> {
    t: &'static Texts,
    organisation: Org<'a>,
    today: String,
    request_id: &'a str,
    subject_identifier: &'a str,
    received: String,
    subject: String,
    paragraphs: Vec<String>,
    reason: Option<&'a str>,
    after_reason: Vec<String>,
}

#[derive(Serialize)]
struct Org<'a> {
    name: &'a str,
    address: Option<&'a str>,
    privacy_contact: &'a str,
    privacy_officer: Option<&'a str>,
}

/// `1 december 2026` / `1 December 2026` (see [`inzage_core::dates::long_date`]).
pub use inzage_core::dates::long_date;

/// Renders a letter for a request. Refuses a letter that does not fit the
/// request's state (an extension letter for a request that was not
/// extended, a refusal for one that was not refused with a reason).
pub fn render(
    kind: LetterKind,
    request: &Request,
    organisation: &Organisation,
    lang: Lang,
    today: NaiveDate,
) -> Result<String, RequestsError> {
    let date = |d: NaiveDate| long_date(d, lang);
    let nl = lang == Lang::Nl;
    let deadlines = request.deadlines();
    let right = match (request.kind, nl) {
        (RequestKind::Access, true) => {
            "uw verzoek om inzage in uw persoonsgegevens (artikel 15 AVG)"
        }
        (RequestKind::Access, false) => {
            "your request for access to your personal data (article 15 GDPR)"
        }
        (RequestKind::Portability, true) => {
            "uw verzoek om overdracht van uw persoonsgegevens (artikel 20 AVG)"
        }
        (RequestKind::Portability, false) => {
            "your request to receive your personal data for transfer (article 20 GDPR)"
        }
    };
    let received = if nl {
        format!(
            "Op {} hebben wij {right} ontvangen.",
            date(request.received)
        )
    } else {
        format!("On {} we received {right}.", date(request.received))
    };
    let outcome = request.closed.as_ref().map(|c| c.outcome);
    let closed_reason = request.closed.as_ref().and_then(|c| c.reason.as_deref());
    let complaint = if nl {
        format!(
            "Bent u het niet eens met dit antwoord, dan kunt u een klacht indienen bij de toezichthouder: {}. Ook kunt u zich tot de rechter wenden (artikel 12 lid 4, artikel 77 en artikel 79 AVG).",
            organisation.supervisory_authority.get(lang)
        )
    } else {
        format!(
            "If you disagree with this answer, you can lodge a complaint with the supervisory authority: {}. You can also go to court (articles 12(4), 77 and 79 GDPR).",
            organisation.supervisory_authority.get(lang)
        )
    };
    let (subject, paragraphs, reason, after_reason) = match kind {
        LetterKind::Acknowledgement => {
            let mut p = vec![received];
            match (&request.verified, nl) {
                (Some(v), true) => p.push(format!(
                    "Op {} hebt u zich bij ons geïdentificeerd. Wij hebben daarvan geen kopie gemaakt.",
                    date(v.at.date_naive())
                )),
                (Some(v), false) => p.push(format!(
                    "On {} you identified yourself to us. We made no copy of your identity document.",
                    date(v.at.date_naive())
                )),
                (None, true) => p.push("Om uw gegevens te beschermen vragen wij u zich eerst te identificeren: kom langs bij onze balie en toon uw originele identiteitskaart, rijbewijs of paspoort aan de baliemedewerker. Wij maken daarvan geen kopie.".into()),
                (None, false) => p.push("To protect your data, we first ask you to identify yourself: visit our counter and show your original identity card, driving licence or passport to our staff. We make no copy of it.".into()),
            }
            match (deadlines.answer, nl) {
                (Some(a), true) => p.push(format!("U ontvangt ons antwoord uiterlijk op {}.", date(a))),
                (Some(a), false) => p.push(format!("You will receive our answer no later than {}.", date(a))),
                (None, true) => p.push(format!(
                    "U ontvangt ons antwoord uiterlijk {} nadat u zich hebt geïdentificeerd.",
                    term_text(request, lang)
                )),
                (None, false) => p.push(format!(
                    "You will receive our answer no later than {} after you have identified yourself.",
                    term_text(request, lang)
                )),
            }
            let s = if nl {
                "Ontvangstbevestiging van uw verzoek"
            } else {
                "We have received your request"
            };
            (s, p, None, Vec::new())
        }
        LetterKind::Extension => {
            let Some(ext) = &request.extension else {
                return Err(RequestsError::Refused(Refused::NotExtended {
                    id: request.id.clone(),
                }));
            };
            let due = deadlines.answer.map(date).unwrap_or_default();
            let months = match (ext.months, nl) {
                (1, true) => "één maand".to_string(),
                (n, true) => format!("{n} maanden"),
                (1, false) => "one month".to_string(),
                (n, false) => format!("{n} months"),
            };
            let p = if nl {
                vec![
                    received,
                    format!("Wij hebben meer tijd nodig om uw verzoek zorgvuldig af te handelen. Wij verlengen de termijn daarom met {months}, zoals de wet toestaat (artikel 12 lid 3 AVG)."),
                ]
            } else {
                vec![
                    received,
                    format!("We need more time to handle your request with care. We therefore extend the period by {months}, as the law allows (article 12(3) GDPR)."),
                ]
            };
            let after = vec![if nl {
                format!("U ontvangt ons antwoord uiterlijk op {due}.")
            } else {
                format!("You will receive our answer no later than {due}.")
            }];
            let s = if nl {
                "Verlenging van de termijn voor uw verzoek"
            } else {
                "Extension of the period for your request"
            };
            (s, p, Some(ext.reason.as_str()), after)
        }
        LetterKind::Refusal => {
            let (Some(Outcome::Refused), Some(why)) = (outcome, closed_reason) else {
                return Err(RequestsError::Refused(Refused::NotRefused {
                    id: request.id.clone(),
                }));
            };
            let p = vec![
                received,
                if nl {
                    "Na zorgvuldige afweging kunnen wij uw verzoek niet inwilligen.".into()
                } else {
                    "After careful consideration we cannot grant your request.".into()
                },
            ];
            let s = if nl {
                "Besluit op uw verzoek"
            } else {
                "Decision on your request"
            };
            (s, p, Some(why), vec![complaint])
        }
        LetterKind::NoData => {
            let empty_export = request.exports.iter().any(|e| e.records == 0);
            if outcome != Some(Outcome::NoData) && !empty_export {
                return Err(RequestsError::Refused(Refused::NoDataUnshown {
                    id: request.id.clone(),
                }));
            }
            let p = if nl {
                vec![
                    received,
                    "Wij hebben al onze systemen doorzocht. Wij hebben geen persoonsgegevens over u.".into(),
                    complaint,
                ]
            } else {
                vec![
                    received,
                    "We searched all our systems. We hold no personal data about you.".into(),
                    complaint,
                ]
            };
            let s = if nl {
                "Antwoord op uw verzoek: wij hebben geen gegevens over u"
            } else {
                "Our answer: we hold no personal data about you"
            };
            (s, p, None, Vec::new())
        }
    };
    let model = Model {
        t: match lang {
            Lang::Nl => &NL,
            Lang::En => &EN,
        },
        organisation: Org {
            name: &organisation.name,
            address: organisation.address.as_deref(),
            privacy_contact: &organisation.privacy_contact,
            privacy_officer: organisation.privacy_officer.as_ref().map(|o| o.get(lang)),
        },
        today: date(today),
        request_id: &request.id,
        subject_identifier: &request.subject.value,
        received: date(request.received),
        subject: subject.to_string(),
        paragraphs,
        reason,
        after_reason,
    };
    let mut env = Environment::new();
    // Auto-escaping follows the template name: `.html` escapes for HTML.
    env.add_template("letter.html", TEMPLATE)
        .and_then(|_| env.get_template("letter.html")?.render(&model))
        .map_err(|e| RequestsError::Letter(e.to_string()))
}

fn term_text(request: &Request, lang: Lang) -> String {
    let t = request.terms.answer.min_with(request.terms.legal_maximum);
    match (t, lang) {
        (crate::config::Term::Weeks(n), Lang::Nl) => format!("{n} weken"),
        (crate::config::Term::Weeks(n), Lang::En) => format!("{n} weeks"),
        (crate::config::Term::Days(n), Lang::Nl) => format!("{n} dagen"),
        (crate::config::Term::Days(n), Lang::En) => format!("{n} days"),
        (crate::config::Term::Months(1), Lang::Nl) => "één maand".into(),
        (crate::config::Term::Months(n), Lang::Nl) => format!("{n} maanden"),
        (crate::config::Term::Months(1), Lang::En) => "one month".into(),
        (crate::config::Term::Months(n), Lang::En) => format!("{n} months"),
        (crate::config::Term::Hours(n), _) => format!("{n}h"),
    }
}

impl crate::config::Term {
    /// The shorter of two terms, judged from a date in a 28-day February
    /// (the shortest month).
    fn min_with(self, other: crate::config::Term) -> crate::config::Term {
        let start = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap_or_default();
        if self.after(start) <= other.after(start) {
            self
        } else {
            other
        }
    }
}

/// Which clock rule a request follows, in words for staff.
pub fn clock_text(clock: ClockStart) -> &'static str {
    match clock {
        ClockStart::Receipt => "the clock started at receipt",
        ClockStart::Verification => "the clock starts at verification of identity",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_out() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(long_date(d, Lang::Nl), "1 december 2026");
        assert_eq!(long_date(d, Lang::En), "1 December 2026");
    }
}
