//! Where a field of a plan sits in its TOML text: spans by dotted path, the
//! path at a byte offset, and 1-based line/column (columns in characters).

use std::ops::Range;

use toml_edit::{Document, Item, Table, Value};

/// Every key and value of a document with its span, by dotted path
/// (`environments.test.servers[1].ipv6`).
#[derive(Debug, Default)]
pub struct SpanIndex {
    values: Vec<(String, Range<usize>)>,
    keys: Vec<(String, Range<usize>)>,
    /// The first span of each path, for lookups in constant time.
    by_path: std::collections::HashMap<String, Range<usize>>,
}

impl SpanIndex {
    /// Index the text; an unparsable text gives an empty index.
    pub fn new(text: &str) -> Self {
        let mut idx = SpanIndex::default();
        if let Ok(doc) = Document::parse(text) {
            idx.item(doc.as_item(), String::new());
        }
        for (k, s) in &idx.values {
            idx.by_path.entry(k.clone()).or_insert_with(|| s.clone());
        }
        idx
    }

    fn item(&mut self, item: &Item, path: String) {
        match item {
            Item::None => {}
            Item::Value(v) => self.value(v, path),
            Item::Table(t) => self.table(t, path),
            Item::ArrayOfTables(a) => {
                if let Some(s) = a.span() {
                    self.values.push((path.clone(), s));
                }
                for (i, t) in a.iter().enumerate() {
                    self.table(t, format!("{path}[{i}]"));
                }
            }
        }
    }

    fn table(&mut self, t: &Table, path: String) {
        // The root table has an empty span at 0: it would swallow offset 0.
        if let Some(s) = t.span().filter(|_| !path.is_empty()) {
            self.values.push((path.clone(), s));
        }
        for (k, child) in t.iter() {
            let p = join(&path, k);
            if let Some(s) = t.key(k).and_then(|k| k.span()) {
                self.keys.push((p.clone(), s));
            }
            self.item(child, p);
        }
    }

    fn value(&mut self, v: &Value, path: String) {
        if let Some(s) = v.span() {
            self.values.push((path.clone(), s));
        }
        match v {
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    self.value(x, format!("{path}[{i}]"));
                }
            }
            Value::InlineTable(t) => {
                for (k, x) in t.iter() {
                    let p = join(&path, k);
                    if let Some(s) = t.key(k).and_then(|k| k.span()) {
                        self.keys.push((p.clone(), s));
                    }
                    self.value(x, p);
                }
            }
            _ => {}
        }
    }

    /// Span of the value at `path`; else of its nearest parent that has one.
    pub fn span_of(&self, path: &str) -> Option<Range<usize>> {
        let mut p = path;
        loop {
            if let Some(s) = self.by_path.get(p) {
                return Some(s.clone());
            }
            p = parent(p)?;
        }
    }

    /// The path of the smallest key or value whose span holds `offset`.
    pub fn path_at(&self, offset: usize) -> Option<String> {
        self.values
            .iter()
            .chain(self.keys.iter())
            .filter(|(_, s)| s.start <= offset && offset < s.end.max(s.start + 1))
            .min_by_key(|(_, s)| s.end - s.start)
            .map(|(p, _)| p.clone())
    }
}

fn join(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_string()
    } else {
        format!("{base}.{key}")
    }
}

/// `a.b[2].c` -> `a.b[2]` -> `a.b` -> `a` -> None.
fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    if path.ends_with(']') {
        return path.rfind('[').map(|i| &path[..i]);
    }
    Some(path.rfind('.').map_or("", |i| &path[..i]))
}

/// 1-based line and column of a byte offset; the column counts characters.
/// An offset past the end or inside a character is clamped.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut off = offset.min(text.len());
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    let before = &text[..off];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// Line starts of a text, for many [`line_col`] lookups in log time.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// Same as [`line_col`].
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut off = offset.min(self.text.len());
        while !self.text.is_char_boundary(off) {
            off -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= off);
        let start = self.starts[line - 1];
        (line, self.text[start..off].chars().count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let t = "a = 1\nété = \"x\"\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 6), (2, 1));
        // 'é' is 2 bytes: "été = " is 8 bytes, 6 characters.
        assert_eq!(line_col(t, 14), (2, 7));
        assert_eq!(line_col(t, 7), (2, 1)); // inside 'é': clamped back
        assert_eq!(line_col(t, 999), (3, 1));
    }

    #[test]
    fn spans_by_path_and_back() {
        let t = "[d]\nx = 1\n\n[[e.s]]\nn = \"a\"\n[[e.s]]\nn = \"b\"\nv = [1, { k = 2 }]\n";
        let idx = SpanIndex::new(t);
        let s = idx.span_of("e.s[1].n").unwrap();
        assert_eq!(&t[s.clone()], "\"b\"");
        assert_eq!(idx.path_at(s.start).as_deref(), Some("e.s[1].n"));
        let k = idx.span_of("e.s[1].v[1].k").unwrap();
        assert_eq!(&t[k], "2");
        // Missing field: falls back to its table.
        let f = idx.span_of("e.s[0].missing").unwrap();
        assert_eq!(line_col(t, f.start).0, 4);
        assert_eq!(idx.span_of("nothing.here"), None);
        assert_eq!(idx.path_at(t.find("x =").unwrap()).as_deref(), Some("d.x"));
    }
}
