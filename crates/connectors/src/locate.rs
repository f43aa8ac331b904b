//! Finds the line of a key in `connectors.toml`, so that every configuration
//! problem can be reported as `file:line`.

use std::ops::Range;

use toml_edit::{Document, Item, Table, Value};

/// Maps key paths (`connector.2.dataset.0.purposes`) to line numbers.
pub struct Locator<'a> {
    text: &'a str,
    doc: Option<Document<&'a str>>,
}

enum Node<'d> {
    Item(&'d Item),
    Table(&'d Table),
    Value(&'d Value),
}

impl<'a> Locator<'a> {
    /// Parses the text once; an unparsable text yields no lines.
    pub fn new(text: &'a str) -> Locator<'a> {
        Locator {
            text,
            doc: Document::parse(text).ok(),
        }
    }

    /// 1-based line of a byte offset.
    pub fn line_of(text: &str, offset: usize) -> usize {
        let end = offset.min(text.len());
        text.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    /// The line of the deepest part of `path` that exists.
    pub fn line(&self, path: &[&str]) -> Option<usize> {
        self.span(path)
            .map(|s| Locator::line_of(self.text, s.start))
    }

    fn span(&self, path: &[&str]) -> Option<Range<usize>> {
        let doc = self.doc.as_ref()?;
        let mut node = Node::Table(doc.as_table());
        let mut best: Option<Range<usize>> = None;
        for seg in path {
            let (next, span) = match node {
                Node::Item(Item::Table(t)) | Node::Table(t) => {
                    let key_span = t.key(seg).and_then(|k| k.span());
                    let Some(item) = t.get(seg) else { break };
                    (Node::Item(item), key_span.or_else(|| item.span()))
                }
                Node::Item(Item::ArrayOfTables(a)) => {
                    let Some(t) = seg.parse().ok().and_then(|i: usize| a.get(i)) else {
                        break;
                    };
                    (Node::Table(t), t.span())
                }
                Node::Item(Item::Value(v)) | Node::Value(v) => match v {
                    Value::Array(arr) => {
                        let Some(v) = seg.parse().ok().and_then(|i: usize| arr.get(i)) else {
                            break;
                        };
                        (Node::Value(v), v.span())
                    }
                    Value::InlineTable(t) => {
                        let key_span = t.key(seg).and_then(|k| k.span());
                        let Some(v) = t.get(seg) else { break };
                        (Node::Value(v), key_span.or_else(|| v.span()))
                    }
                    _ => break,
                },
                Node::Item(Item::None) => break,
            };
            if span.is_some() {
                best = span;
            }
            node = next;
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[organisation]\nname = \"x\"\n\n[[connector]]\nid = \"a\"\n\n[[connector.dataset]]\nname = \"D\"\npurposes = [\n  \"one\",\n  \"two\",\n]\n";

    #[test]
    fn finds_nested_keys_and_array_items() {
        let loc = Locator::new(TEXT);
        assert_eq!(loc.line(&["organisation", "name"]), Some(2));
        assert_eq!(loc.line(&["connector", "0", "id"]), Some(5));
        assert_eq!(
            loc.line(&["connector", "0", "dataset", "0", "purposes"]),
            Some(9)
        );
        assert_eq!(
            loc.line(&["connector", "0", "dataset", "0", "purposes", "1"]),
            Some(11)
        );
    }

    #[test]
    fn missing_keys_fall_back_to_the_deepest_known_part() {
        let loc = Locator::new(TEXT);
        assert_eq!(
            loc.line(&["connector", "0", "dataset", "0", "retention"]),
            Some(7)
        );
    }
}
