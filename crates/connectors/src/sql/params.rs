//! Named query parameters (`:klantnummer`) turned into positional ones
//! (`$1`), so values are always bound, never formatted into SQL.

use inzage_core::IdentifierKind;

/// A query with its one named parameter replaced by `$1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreparedQuery {
    /// The SQL with `$1` in place of the parameter.
    pub sql: String,
    /// The identifier kind the parameter is bound from.
    pub parameter: IdentifierKind,
}

/// Rewrites `:name` outside string literals, quoted identifiers and
/// comments. The query must use exactly one name, an identifier kind
/// (`:klantnummer`, `:email`, ...), any number of times. `::` casts are kept.
pub fn prepare(query: &str) -> Result<PreparedQuery, String> {
    let chars: Vec<char> = query.chars().collect();
    let mut sql = String::with_capacity(query.len());
    let mut names: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' | '"' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|x| *x == c)
                    .map(|p| i + 1 + p)
                    .unwrap_or(chars.len() - 1);
                sql.extend(&chars[i..=end]);
                i = end + 1;
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                let end = chars[i..]
                    .iter()
                    .position(|x| *x == '\n')
                    .map(|p| i + p)
                    .unwrap_or(chars.len());
                sql.extend(&chars[i..end]);
                i = end;
            }
            '/' if chars.get(i + 1) == Some(&'*') => {
                let end = chars[i + 2..]
                    .windows(2)
                    .position(|w| w == ['*', '/'])
                    .map(|p| i + 2 + p + 2)
                    .unwrap_or(chars.len());
                sql.extend(&chars[i..end]);
                i = end;
            }
            ';' => {
                // One statement only: a second one would run unchecked.
                let rest: String = chars[i + 1..].iter().collect();
                if !only_comments(&rest) {
                    return Err("the query holds more than one statement (a `;` with more after it); write one SELECT per query".into());
                }
                sql.push(c);
                i += 1;
            }
            ':' if chars.get(i + 1) == Some(&':') => {
                sql.push_str("::");
                i += 2;
            }
            ':' if chars.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic()) => {
                let start = i + 1;
                let mut end = start;
                while end < chars.len() && (chars[end].is_ascii_alphanumeric() || chars[end] == '_')
                {
                    end += 1;
                }
                let name: String = chars[start..end].iter().collect();
                if !names.contains(&name) {
                    names.push(name);
                }
                sql.push_str("$1");
                i = end;
            }
            _ => {
                sql.push(c);
                i += 1;
            }
        }
    }
    match names.as_slice() {
        [one] => {
            let parameter = IdentifierKind::parse(one).ok_or_else(|| {
                format!("parameter `:{one}` is not an identifier kind (klantnummer, contractnummer, email, telefoon, woningnet)")
            })?;
            // `:persoon` is bound as its normalised text `name|yyyy-mm-dd|postcode`
            // (postcode empty for a search by name and birth date): the query
            // narrows by birth date (`WHERE :persoon LIKE '%|' || CAST(geboortedatum AS
            // TEXT) || '|%'`), `match.persoon` then compares every part.
            Ok(PreparedQuery { sql, parameter })
        }
        [] => Err("the query has no parameter: add `WHERE ... = :klantnummer` (or another identifier kind)".into()),
        many => Err(format!(
            "the query uses several parameters ({}); use one per dataset",
            many.iter().map(|n| format!(":{n}")).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// True when `text` holds nothing but white space and SQL comments.
fn only_comments(text: &str) -> bool {
    let mut rest = text.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("--") {
            rest = after
                .split_once('\n')
                .map(|(_, r)| r)
                .unwrap_or("")
                .trim_start();
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after
                .split_once("*/")
                .map(|(_, r)| r)
                .unwrap_or("")
                .trim_start();
        } else {
            return rest.is_empty();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_named_parameter_becomes_positional() {
        let q =
            prepare("SELECT * FROM relatie WHERE klantnummer = :klantnummer OR x = :klantnummer")
                .unwrap();
        assert_eq!(
            q.sql,
            "SELECT * FROM relatie WHERE klantnummer = $1 OR x = $1"
        );
        assert_eq!(q.parameter, IdentifierKind::Klantnummer);
    }

    #[test]
    fn literals_comments_and_casts_are_left_alone() {
        let q = prepare("SELECT ':nope', \"a:b\", d::text -- :neither\nFROM t WHERE e = :email")
            .unwrap();
        assert_eq!(
            q.sql,
            "SELECT ':nope', \"a:b\", d::text -- :neither\nFROM t WHERE e = $1"
        );
        assert_eq!(q.parameter, IdentifierKind::Email);
    }

    #[test]
    fn a_second_statement_is_refused_and_a_trailing_semicolon_is_not() {
        let err = prepare("SELECT * FROM t WHERE k = :klantnummer; DELETE FROM t").unwrap_err();
        assert!(err.contains("more than one statement"), "{err}");
        assert!(prepare("SELECT * FROM t WHERE k = :klantnummer; -- done\n/* end */ ").is_ok());
        assert!(prepare("SELECT ';' FROM t /* ; DELETE :x */ WHERE k = :klantnummer").is_ok());
    }

    #[test]
    fn zero_several_or_unknown_parameters_are_refused() {
        assert!(prepare("SELECT 1").unwrap_err().contains("no parameter"));
        assert!(prepare("SELECT 1 WHERE a = :klantnummer AND b = :email")
            .unwrap_err()
            .contains("several"));
        assert!(prepare("SELECT 1 WHERE a = :naam")
            .unwrap_err()
            .contains("not an identifier kind"));
    }
}
