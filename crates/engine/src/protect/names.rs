//! The people index: every relatie the estate knows, by name, so that their
//! names are found in free text also when written with initials, without
//! the tussenvoegsel, in other case or without diacritics.
//!
//! The index is a hash map from the last folded token of a surname to the
//! people who carry it; a text is scanned once, token by token, and only a
//! token that ends a known surname is looked at more closely. Building it
//! for 100,000 relaties is a few hundred thousand small inserts, and
//! scanning costs one lookup per word, whatever the size of the estate.

use std::collections::{HashMap, HashSet};

use inzage_core::PersonName;

use super::fold::{fold, tokens, Token};

/// Tussenvoegsels, folded: they may stand before a surname in any case.
const TUSSENVOEGSELS: &[&str] = &[
    "van", "de", "der", "den", "het", "t", "ter", "ten", "te", "in", "op", "vd", "v", "la", "le",
    "du", "da", "di", "del", "dos", "el", "al", "uit", "aan", "bij", "onder", "voor",
];

/// Words after which a capitalised word is taken to be a person's name.
const TITLE_WORDS: &[&str] = &[
    "buurman",
    "buurvrouw",
    "buurjongen",
    "buurmeisje",
    "buren",
    "bovenbuurman",
    "bovenbuurvrouw",
    "benedenbuurman",
    "benedenbuurvrouw",
    "mevrouw",
    "meneer",
    "mevr",
    "mw",
    "mvr",
    "dhr",
    "heer",
    "mr",
    "mrs",
    "ms",
    "medehuurder",
    "medebewoner",
    "huisgenoot",
    "onderhuurder",
];

/// Title words written abbreviated, followed by a dot (`dhr. Ahmed`).
const ABBREVIATED_TITLES: &[&str] = &["mevr", "mw", "mvr", "dhr", "mr", "mrs", "ms"];

/// One person, compactly: the folded words of first names, tussenvoegsel
/// and surname in one string (two allocations per person, so that an
/// index of 100,000 relaties stays small).
#[derive(Clone, Debug)]
struct Entry {
    key: Box<str>,
    words: Box<str>,
    given: u8,
    tussenvoegsel: u8,
}

/// An entry's words, split.
struct Parts<'a> {
    given: Vec<&'a str>,
    tussenvoegsel: Vec<&'a str>,
    surname: Vec<&'a str>,
}

impl Entry {
    fn parts(&self) -> Parts<'_> {
        let words: Vec<&str> = self.words.split(' ').collect();
        let g = self.given as usize;
        let t = g + self.tussenvoegsel as usize;
        Parts {
            given: words[..g].to_vec(),
            tussenvoegsel: words[g..t].to_vec(),
            surname: words[t..].to_vec(),
        }
    }
}

/// A name of a known person found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameHit {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset past the last character.
    pub end: usize,
    /// The person's key (klantnummer).
    pub key: String,
}

/// Every known person by name.
#[derive(Clone, Debug, Default)]
pub struct PeopleIndex {
    people: Vec<Entry>,
    by_last_token: HashMap<String, Vec<u32>>,
}

impl PeopleIndex {
    /// An empty index.
    pub fn new() -> PeopleIndex {
        PeopleIndex::default()
    }

    /// Adds one person; names without a surname or first name are skipped
    /// (they could not be told apart from ordinary words).
    pub fn add(&mut self, person: &PersonName) {
        let given = fold(&person.voornamen);
        let tussenvoegsel = fold(person.tussenvoegsel.as_deref().unwrap_or(""));
        let surname = fold(&person.achternaam);
        // "de Vries" written into the achternaam column: its leading
        // tussenvoegsels count as such.
        let mut rest = surname.as_str();
        let mut moved = 0;
        while let Some((first, tail)) = rest.split_once(' ') {
            if !TUSSENVOEGSELS.contains(&first) {
                break;
            }
            rest = tail;
            moved += 1;
        }
        let Some(last) = rest.rsplit(' ').next().filter(|l| !l.is_empty()) else {
            return;
        };
        if given.is_empty() {
            return;
        }
        let count = |s: &str| {
            if s.is_empty() {
                0
            } else {
                s.split(' ').count()
            }
        };
        let (g, t) = (count(&given), count(&tussenvoegsel) + moved);
        if g > 255 || t > 255 {
            return;
        }
        let mut words =
            String::with_capacity(given.len() + tussenvoegsel.len() + surname.len() + 2);
        words.push_str(&given);
        if !tussenvoegsel.is_empty() {
            words.push(' ');
            words.push_str(&tussenvoegsel);
        }
        words.push(' ');
        words.push_str(&surname);
        let index = self.people.len() as u32;
        match self.by_last_token.get_mut(last) {
            Some(list) => list.push(index),
            None => {
                self.by_last_token.insert(last.to_string(), vec![index]);
            }
        }
        self.people.push(Entry {
            key: person.key.as_str().into(),
            words: words.into_boxed_str(),
            given: g as u8,
            tussenvoegsel: t as u8,
        });
    }

    /// The names (first names, tussenvoegsel, surname, folded) of the people with these keys.
    pub fn names_of(&self, keys: &HashSet<String>) -> Vec<String> {
        self.people
            .iter()
            .filter(|e| keys.contains(&*e.key))
            .map(|e| e.words.to_string())
            .collect()
    }

    /// Number of people indexed.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// True when no one is indexed.
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// Every full name of a known person in the text: first name(s) or
    /// initials, optionally the tussenvoegsel, and the surname. The
    /// longest match at a place wins; the same span can name several
    /// people (they share a name), each is returned.
    pub fn find(&self, text: &str, toks: &[Token]) -> Vec<NameHit> {
        let mut out = Vec::new();
        for (i, tok) in toks.iter().enumerate() {
            let Some(candidates) = self.by_last_token.get(&tok.folded) else {
                continue;
            };
            for &c in candidates {
                let entry = &self.people[c as usize];
                if let Some(start) = match_before(text, toks, i, &entry.parts()) {
                    out.push(NameHit {
                        start: toks[start].start,
                        end: tok.end,
                        key: entry.key.to_string(),
                    });
                }
            }
        }
        out
    }
}

/// Whether two adjacent tokens are joined the way the parts of a name are:
/// by spaces, a dot, a hyphen or an apostrophe, on one line.
fn joined(text: &str, a: &Token, b: &Token) -> bool {
    let between = &text[a.end..b.start];
    between.len() <= 4
        && !between.contains('\n')
        && between
            .chars()
            .all(|c| c == ' ' || c == '.' || c == '-' || c == '\'' || c == '\u{2019}' || c == '\t')
}

fn starts_upper(text: &str, t: &Token) -> bool {
    text[t.start..]
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
}

/// The start token of the longest full name of `entry` that ends at token
/// `last`, if there is one.
fn match_before(text: &str, toks: &[Token], last: usize, entry: &Parts) -> Option<usize> {
    let n = entry.surname.len();
    if last + 1 < n {
        return None;
    }
    let surname_start = last + 1 - n;
    for (k, word) in entry.surname.iter().enumerate() {
        let t = surname_start + k;
        if toks[t].folded != **word || (k > 0 && !joined(text, &toks[t - 1], &toks[t])) {
            return None;
        }
    }
    // With and without the tussenvoegsel.
    let mut before = vec![surname_start];
    let tv = entry.tussenvoegsel.len();
    if tv > 0 && surname_start >= tv {
        let s = surname_start - tv;
        let ok = (0..tv).all(|k| {
            toks[s + k].folded == entry.tussenvoegsel[k]
                && joined(text, &toks[s + k], &toks[s + k + 1])
        });
        if ok {
            before.insert(0, s);
        }
    }
    for name_start in before {
        if let Some(start) = given_part(text, toks, name_start, entry) {
            return Some(start);
        }
    }
    None
}

/// The given-name part just before token `at`: all first names, the first
/// one, or the initials (`J.`, `J.W.`, `JW`, written in capitals).
fn given_part(text: &str, toks: &[Token], at: usize, entry: &Parts) -> Option<usize> {
    if at == 0 || !joined(text, &toks[at - 1], &toks[at]) {
        return None;
    }
    let g = entry.given.len();
    // All first names.
    if at >= g {
        let s = at - g;
        let all = (0..g).all(|k| toks[s + k].folded == entry.given[k])
            && (s..at - 1).all(|k| joined(text, &toks[k], &toks[k + 1]));
        if all {
            return Some(s);
        }
    }
    let prev = &toks[at - 1];
    if prev.folded == entry.given[0] {
        return Some(at - 1);
    }
    let initials: Vec<char> = entry
        .given
        .iter()
        .filter_map(|w| w.chars().next())
        .collect();
    // `JW`: the initials as one capitalised token.
    if prev.folded.chars().count() >= 2
        && prev.folded.chars().eq(initials.iter().copied())
        && text[prev.start..prev.end].chars().all(char::is_uppercase)
    {
        return Some(at - 1);
    }
    // `J.` or `J.W.`: single capital letters, the first initials in order.
    let mut k = 0;
    let mut start = at;
    while start > 0 && k < initials.len() {
        let t = &toks[start - 1];
        let single = t.folded.chars().count() == 1 && starts_upper(text, t);
        if !single || !joined(text, t, &toks[start]) {
            break;
        }
        start -= 1;
        k += 1;
    }
    if k == 0 {
        return None;
    }
    let written: Vec<char> = toks[start..at]
        .iter()
        .filter_map(|t| t.folded.chars().next())
        .collect();
    (written[..] == initials[..k]).then_some(start)
}

/// A capitalised name after a title word (`buurvrouw Anna`, `dhr. De
/// Groot`), as a byte span: a candidate for review when it is no known
/// person's name.
pub fn titled_names(text: &str, toks: &[Token]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if !TITLE_WORDS.contains(&toks[i].folded.as_str()) {
            i += 1;
            continue;
        }
        let abbreviation = ABBREVIATED_TITLES.contains(&toks[i].folded.as_str());
        let first_joint = toks.get(i + 1).is_some_and(|next| {
            let between = &text[toks[i].end..next.start];
            joined(text, &toks[i], next) && (abbreviation || !between.contains('.'))
        });
        if !first_joint {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut last_name = None;
        let mut names = 0;
        while j < toks.len() && (j == i + 1 || joined(text, &toks[j - 1], &toks[j])) && names < 4 {
            let t = &toks[j];
            if starts_upper(text, t) && !TUSSENVOEGSELS.contains(&t.folded.as_str()) {
                last_name = Some(j);
                names += 1;
            } else if TUSSENVOEGSELS.contains(&t.folded.as_str()) {
                // tussenvoegsels, in any case, may stand between the parts
            } else {
                break;
            }
            j += 1;
        }
        if let Some(end) = last_name {
            out.push((toks[i + 1].start, toks[end].end));
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// Folded words of names that are never a third party's (the subject's
/// own, the corporation's staff).
#[derive(Clone, Debug, Default)]
pub struct KnownWords(HashSet<String>);

impl KnownWords {
    /// Adds every word of a name.
    pub fn add(&mut self, name: &str) {
        for w in fold(name).split(' ').filter(|w| !w.is_empty()) {
            self.0.insert(w.to_string());
        }
    }

    /// True when every capitalised word of the span is a known word.
    pub fn covers(&self, text: &str) -> bool {
        let toks = tokens(text);
        let names: Vec<&Token> = toks
            .iter()
            .filter(|t| !TUSSENVOEGSELS.contains(&t.folded.as_str()))
            .collect();
        !names.is_empty() && names.iter().all(|t| self.0.contains(&t.folded))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(key: &str, v: &str, tv: Option<&str>, a: &str) -> PersonName {
        PersonName {
            key: key.into(),
            voornamen: v.into(),
            tussenvoegsel: tv.map(str::to_string),
            achternaam: a.into(),
        }
    }

    fn spans(index: &PeopleIndex, text: &str) -> Vec<(String, String)> {
        let toks = tokens(text);
        index
            .find(text, &toks)
            .into_iter()
            .map(|h| (text[h.start..h.end].to_string(), h.key))
            .collect()
    }

    #[test]
    fn names_in_every_written_form() {
        let mut index = PeopleIndex::new();
        index.add(&person("001", "Zoë Anne", Some("van den"), "Berg"));
        index.add(&person("002", "Jan", None, "Bakker"));
        let want = |s: &str| vec![(s.to_string(), "001".to_string())];
        assert_eq!(
            spans(&index, "buurvrouw Zoë van den Berg belde"),
            want("Zoë van den Berg")
        );
        assert_eq!(
            spans(&index, "ZOE VAN DEN BERG belde"),
            want("ZOE VAN DEN BERG")
        );
        assert_eq!(spans(&index, "met zoe berg gesproken"), want("zoe berg"));
        assert_eq!(spans(&index, "Z. van den Berg"), want("Z. van den Berg"));
        assert_eq!(
            spans(&index, "Z.A. van den Berg"),
            want("Z.A. van den Berg")
        );
        assert_eq!(spans(&index, "ZA van den Berg"), want("ZA van den Berg"));
        assert_eq!(
            spans(&index, "Zoë Anne van den Berg"),
            want("Zoë Anne van den Berg")
        );
        assert_eq!(
            spans(&index, "gesprek met J. Bakker"),
            vec![("J. Bakker".into(), "002".into())]
        );
    }

    #[test]
    fn surnames_alone_and_lowercase_initials_are_not_names() {
        let mut index = PeopleIndex::new();
        index.add(&person("002", "Jan", None, "Bakker"));
        index.add(&person("003", "Anna", Some("de"), "Groot"));
        for text in [
            "de bakker op de hoek",
            "een groot probleem",
            "de Groot familie",
            "kan u Bakker bellen",
            "Piet Bakker",
            "Jan\nBakker",
        ] {
            assert!(spans(&index, text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn titled_names_are_found_for_review() {
        let text = "De buurvrouw mevrouw De Groot klaagt; dhr. Ahmed en de heer K. Visser ook. Geachte heer, mevrouw, de buren. Morgen";
        let toks = tokens(text);
        let found: Vec<&str> = titled_names(text, &toks)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(found, ["De Groot", "Ahmed", "K. Visser"]);
    }
}
