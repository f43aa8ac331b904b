//! The `$filter` subset the test CRM understands, parsed honestly:
//! `field eq 'literal'` (a quote inside a literal is written `''`), joined
//! by `or`. Anything else is refused, so injected text is never read as
//! OData: it is either inside a literal or a syntax error.

/// One `field eq 'value'` condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// The property.
    pub field: String,
    /// The literal, unescaped.
    pub value: String,
}

/// A `$filter` outside the supported subset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError(pub String);

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unsupported $filter: {}", self.0)
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn spaces(&mut self) -> usize {
        let n = self.rest().len() - self.rest().trim_start_matches(' ').len();
        self.pos += n;
        n
    }

    fn keyword(&mut self, word: &str) -> Result<(), FilterError> {
        if self.spaces() == 0 {
            return Err(self.error(&format!("expected a space before `{word}`")));
        }
        if !self.rest().starts_with(word) {
            return Err(self.error(&format!("expected `{word}`")));
        }
        self.pos += word.len();
        if self.spaces() == 0 {
            return Err(self.error(&format!("expected a space after `{word}`")));
        }
        Ok(())
    }

    fn identifier(&mut self) -> Result<String, FilterError> {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|(i, c)| {
                !(c.is_ascii_alphabetic() || *c == '_' || (*i > 0 && c.is_ascii_digit()))
            })
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        if len == 0 {
            return Err(self.error("expected a property name"));
        }
        let ident = rest[..len].to_string();
        self.pos += len;
        Ok(ident)
    }

    fn literal(&mut self) -> Result<String, FilterError> {
        if !self.rest().starts_with('\'') {
            return Err(self.error("expected a string literal in single quotes"));
        }
        self.pos += 1;
        let mut value = String::new();
        loop {
            let Some(c) = self.rest().chars().next() else {
                return Err(self.error("unterminated string literal"));
            };
            self.pos += c.len_utf8();
            if c == '\'' {
                if self.rest().starts_with('\'') {
                    self.pos += 1;
                    value.push('\'');
                } else {
                    return Ok(value);
                }
            } else {
                value.push(c);
            }
        }
    }

    fn error(&self, what: &str) -> FilterError {
        FilterError(format!("{what} at position {}", self.pos))
    }
}

/// Parses `a eq 'x' or b eq 'y''z'`.
pub fn parse_filter(text: &str) -> Result<Vec<Condition>, FilterError> {
    let mut p = Parser { text, pos: 0 };
    p.spaces();
    let mut conditions = Vec::new();
    loop {
        let field = p.identifier()?;
        p.keyword("eq")?;
        let value = p.literal()?;
        conditions.push(Condition { field, value });
        let before = p.pos;
        p.spaces();
        if p.rest().is_empty() {
            return Ok(conditions);
        }
        p.pos = before;
        p.keyword("or")?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equality_joined_by_or_with_doubled_quotes() {
        let c = parse_filter("klantnummer eq '001011' or emailadres eq 'o''brien@example.org'")
            .unwrap();
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].field, "emailadres");
        assert_eq!(c[1].value, "o'brien@example.org");
    }

    #[test]
    fn injected_text_is_a_literal_or_an_error() {
        // Escaped as the connector does it: one literal.
        let c = parse_filter("klantnummer eq 'x'' or 1 eq 1'").unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].value, "x' or 1 eq 1");
        // Pasted in unescaped: not OData we accept.
        for bad in [
            "klantnummer eq 'x' or 1 eq 1",
            "klantnummer eq '') or true",
            "klantnummer eq 'x' or true",
            "klantnummer ne 'x'",
            "klantnummer eq 'x' and emailadres eq 'y'",
            "(klantnummer eq 'x')",
            "klantnummer eq 'x",
            "klantnummer eq 5",
            "",
        ] {
            assert!(parse_filter(bad).is_err(), "{bad}");
        }
    }
}
