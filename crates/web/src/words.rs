//! The request register's values (kinds, channels, outcomes, letters,
//! audit-trail actions) in the staff member's language. The store keeps
//! stable codes (`no-data`, `request.verify`); the pages never show them.

use inzage_core::Lang;
use inzage_requests::letter::LetterKind;
use inzage_requests::{Channel, Outcome, Request, RequestKind};

/// Every outcome a request can be closed with, in the form's order.
pub const OUTCOMES: [Outcome; 4] = [
    Outcome::Delivered,
    Outcome::Refused,
    Outcome::Withdrawn,
    Outcome::NoData,
];

/// Every channel a request can come in by, in the form's order.
pub const CHANNELS: [Channel; 6] = [
    Channel::Balie,
    Channel::Mail,
    Channel::Post,
    Channel::Web,
    Channel::Whatsapp,
    Channel::Telefoon,
];

/// Every letter, in the form's order.
pub const LETTERS: [LetterKind; 4] = [
    LetterKind::Acknowledgement,
    LetterKind::Extension,
    LetterKind::Refusal,
    LetterKind::NoData,
];

/// How a request ended.
pub fn outcome(o: Outcome, lang: Lang) -> &'static str {
    match (o, lang) {
        (Outcome::Delivered, Lang::Nl) => "antwoord geleverd",
        (Outcome::Refused, Lang::Nl) => "geweigerd",
        (Outcome::Withdrawn, Lang::Nl) => "ingetrokken",
        (Outcome::NoData, Lang::Nl) => "geen gegevens",
        (Outcome::Delivered, Lang::En) => "answer delivered",
        (Outcome::Refused, Lang::En) => "refused",
        (Outcome::Withdrawn, Lang::En) => "withdrawn",
        (Outcome::NoData, Lang::En) => "no data",
    }
}

/// How a request came in.
pub fn channel(c: Channel, lang: Lang) -> &'static str {
    match (c, lang) {
        (Channel::Balie, Lang::Nl) => "balie",
        (Channel::Mail, Lang::Nl) => "e-mail",
        (Channel::Post, Lang::Nl) => "post",
        (Channel::Web, Lang::Nl) => "website",
        (Channel::Whatsapp, Lang::Nl) => "WhatsApp",
        (Channel::Telefoon, Lang::Nl) => "telefoon",
        (Channel::Balie, Lang::En) => "counter",
        (Channel::Mail, Lang::En) => "e-mail",
        (Channel::Post, Lang::En) => "post",
        (Channel::Web, Lang::En) => "website",
        (Channel::Whatsapp, Lang::En) => "WhatsApp",
        (Channel::Telefoon, Lang::En) => "telephone",
    }
}

/// Which letter.
pub fn letter(k: LetterKind, lang: Lang) -> &'static str {
    match (k, lang) {
        (LetterKind::Acknowledgement, Lang::Nl) => "ontvangstbevestiging",
        (LetterKind::Extension, Lang::Nl) => "verlenging van de termijn",
        (LetterKind::Refusal, Lang::Nl) => "weigering",
        (LetterKind::NoData, Lang::Nl) => "geen gegevens",
        (LetterKind::Acknowledgement, Lang::En) => "acknowledgement",
        (LetterKind::Extension, Lang::En) => "extension of the deadline",
        (LetterKind::Refusal, Lang::En) => "refusal",
        (LetterKind::NoData, Lang::En) => "no data",
    }
}

/// Which right.
pub fn request_kind(k: RequestKind, lang: Lang) -> &'static str {
    match (k, lang) {
        (RequestKind::Access, Lang::Nl) => "inzage (art. 15)",
        (RequestKind::Portability, Lang::Nl) => "overdraagbaarheid (art. 20)",
        (RequestKind::Access, Lang::En) => "access (art. 15)",
        (RequestKind::Portability, Lang::En) => "portability (art. 20)",
    }
}

/// Where a request stands.
pub fn status(r: &Request, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    match (&r.closed, &r.extension, &r.verified) {
        (Some(c), _, _) => format!(
            "{}: {}",
            if nl { "gesloten" } else { "closed" },
            outcome(c.outcome, lang)
        ),
        (None, Some(_), Some(_)) => (if nl {
            "identiteit gecontroleerd, termijn verlengd"
        } else {
            "identity verified, deadline extended"
        })
        .into(),
        (None, Some(_), None) => (if nl {
            "termijn verlengd, identiteit niet gecontroleerd"
        } else {
            "deadline extended, identity not verified"
        })
        .into(),
        (None, None, Some(_)) => (if nl {
            "identiteit gecontroleerd"
        } else {
            "identity verified"
        })
        .into(),
        (None, None, None) => (if nl {
            "identiteit niet gecontroleerd"
        } else {
            "identity not verified"
        })
        .into(),
    }
}

/// An audit-trail action (`request.verify`); an action this version does
/// not know is shown as its code.
pub fn action(code: &str, lang: Lang) -> String {
    let nl = lang == Lang::Nl;
    let known = match code {
        "request.open" => Some(("verzoek geopend", "request opened")),
        "request.verify" => Some(("identiteit gecontroleerd", "identity verified")),
        "request.extend" => Some(("termijn verlengd", "deadline extended")),
        "request.close" => Some(("verzoek gesloten", "request closed")),
        "export" => Some(("bundel gemaakt", "bundle written")),
        "letter" => Some(("brief gemaakt", "letter written")),
        "bundle.download" => Some(("bundel gedownload", "bundle downloaded")),
        "bundle.deliver" => Some(("bundel afgeleverd", "bundle delivered")),
        "review.decide" => Some((
            "beslissingen van de controle vastgelegd",
            "review decisions recorded",
        )),
        "web.login" => Some(("ingelogd", "logged in")),
        "staff.add" => Some(("personeelsaccount ingesteld", "staff account set")),
        _ => None,
    };
    match known {
        Some((n, e)) => (if nl { n } else { e }).to_string(),
        None => code.to_string(),
    }
}

/// `(code, words)` pairs for a form's options.
pub fn options<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    words: impl Fn(T, Lang) -> &'static str,
    lang: Lang,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|v| (code(*v), words(*v, lang))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_has_its_own_words_in_each_language() {
        for lang in [Lang::Nl, Lang::En] {
            let outcomes = options(&OUTCOMES, Outcome::as_str, outcome, lang);
            let channels = options(&CHANNELS, Channel::as_str, channel, lang);
            let letters = options(&LETTERS, LetterKind::as_str, letter, lang);
            for list in [outcomes, channels, letters] {
                let mut words: Vec<_> = list.iter().map(|(_, w)| *w).collect();
                words.sort();
                words.dedup();
                assert_eq!(words.len(), list.len(), "{list:?}");
            }
        }
        // Dutch pages do not show the stored codes.
        assert_eq!(outcome(Outcome::NoData, Lang::Nl), "geen gegevens");
        assert_eq!(
            letter(LetterKind::Acknowledgement, Lang::Nl),
            "ontvangstbevestiging"
        );
        assert_eq!(
            action("request.verify", Lang::Nl),
            "identiteit gecontroleerd"
        );
        assert_eq!(action("something.new", Lang::Nl), "something.new");
    }
}
