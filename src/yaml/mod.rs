//! The only module that touches the YAML parser: a file's text → documents of [`Node`]s with
//! byte spans, comments, duplicate keys, and recoverable errors.

mod de;
mod node;
mod resolve;

pub use de::{DeError, NodeDe, UnknownField};
pub use node::{Entry, Node, Value};
pub use resolve::resolve_plain;

use granit_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;
use std::ops::Range;

/// Alias expansion beyond this many nodes in one document stops it: an alias bomb
/// ("billion laughs") must cost bounded time and memory. The API server takes requests of
/// at most 3 MiB, which cannot hold this many nodes: no object it accepts is cut short.
pub const ALIAS_EXPANSION_BUDGET: usize = 250_000;

#[derive(Debug, Default)]
pub struct ParsedFile {
    pub documents: Vec<Document>,
    pub errors: Vec<YamlError>,
    pub comments: Vec<Comment>,
}

#[derive(Debug)]
pub struct Document {
    pub root: Node,
    /// Byte range of the whole document, including a leading `---`.
    pub span: Range<usize>,
    pub duplicate_keys: Vec<DuplicateKey>,
}

#[derive(Debug, Clone)]
pub struct Comment {
    /// Text after `#`.
    pub text: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct DuplicateKey {
    pub key: String,
    pub span: Range<usize>,
    pub first: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlErrorKind {
    Syntax,
    AliasExpansion,
}

#[derive(Debug, Clone)]
pub struct YamlError {
    pub kind: YamlErrorKind,
    pub message: String,
    pub offset: usize,
}

/// An open collection. Its children wait on the builder's scratch stacks from `from` on: each
/// collection is then allocated once, at its final size, instead of growing by doubling.
enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        from: usize,
    },
    Map {
        start: usize,
        anchor: usize,
        from: usize,
        key: Option<Node>,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    items: Vec<Node>,
    entries: Vec<Entry>,
    anchors: HashMap<usize, Node>,
    /// Nodes copied for anchors in this document, and anchors not copied past the budget:
    /// nested anchors (`&a [&b [&c ...]]`) would otherwise copy each subtree once per level.
    anchor_copies: usize,
    too_large: std::collections::HashSet<usize>,
    root: Option<Node>,
    doc_start: usize,
    duplicates: Vec<DuplicateKey>,
}

impl Builder {
    fn reset(&mut self) {
        // The scratch stacks keep their capacity from one document to the next.
        let (mut items, mut entries) = (
            std::mem::take(&mut self.items),
            std::mem::take(&mut self.entries),
        );
        items.clear();
        entries.clear();
        *self = Builder {
            items,
            entries,
            ..Builder::default()
        };
    }

    fn push(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            let size = node.size();
            if self.anchor_copies + size <= ALIAS_EXPANSION_BUDGET {
                self.anchor_copies += size;
                self.anchors.insert(anchor, node.clone());
            } else {
                // Only an alias to it is an error: a file that never uses it is fine.
                self.too_large.insert(anchor);
            }
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { .. }) => self.items.push(node),
            Some(Frame::Map { key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => self.entries.push(Entry {
                    key: k,
                    value: node,
                }),
            },
        }
    }

    fn finish_map(&mut self, start: usize, end: usize, mut entries: Vec<Entry>) -> Node {
        apply_merge_keys(&mut entries);
        self.find_duplicates(&entries);
        Node {
            value: Value::Map(entries),
            span: start..end,
        }
    }

    fn find_duplicates(&mut self, entries: &[Entry]) {
        if entries.len() < 2 {
            return;
        }
        // Most mappings are small: comparing each key with the ones before it is cheaper than
        // building a hash map for them.
        if entries.len() <= 16 {
            for (i, entry) in entries.iter().enumerate() {
                let Some(key) = entry.key.key_text() else {
                    continue;
                };
                if let Some(first) = entries[..i]
                    .iter()
                    .find(|e| e.key.key_text().as_deref() == Some(&*key))
                {
                    self.duplicates.push(DuplicateKey {
                        key: key.to_string(),
                        span: entry.key.span.clone(),
                        first: first.key.span.clone(),
                    });
                }
            }
            return;
        }
        let mut seen: HashMap<std::borrow::Cow<'_, str>, &Entry> = HashMap::new();
        for entry in entries {
            let Some(key) = entry.key.key_text() else {
                continue;
            };
            if let Some(first) = seen.get(&key) {
                self.duplicates.push(DuplicateKey {
                    key: key.to_string(),
                    span: entry.key.span.clone(),
                    first: first.key.span.clone(),
                });
            } else {
                seen.insert(key, entry);
            }
        }
    }
}

/// go-yaml v2 honours `<<` merge keys: entries of the merged mapping(s) are added unless the
/// mapping already has them.
fn apply_merge_keys(entries: &mut Vec<Entry>) {
    let is_merge = |e: &Entry| e.key.as_str() == Some("<<");
    if !entries.iter().any(is_merge) {
        return;
    }
    let (merges, mut own): (Vec<Entry>, Vec<Entry>) =
        std::mem::take(entries).into_iter().partition(is_merge);
    // Keys already present, looked up in a set: a merge of 80,000 keys stays linear.
    let mut present: std::collections::HashSet<String> = own
        .iter()
        .filter_map(|o| o.key.key_text().map(|k| k.into_owned()))
        .collect();
    for merge in merges {
        let sources: Vec<&Node> = match &merge.value.value {
            Value::Map(_) => vec![&merge.value],
            Value::Seq(items) => items.iter().collect(),
            _ => {
                own.push(merge);
                continue;
            }
        };
        for source in sources {
            for e in source.entries() {
                let fresh = match e.key.key_text() {
                    Some(k) => present.insert(k.into_owned()),
                    // Keys with no text form (a mapping as a key) are compared one by one.
                    None => !own.iter().any(|o| o.key.value == e.key.value),
                };
                if fresh {
                    own.push(e.clone());
                }
            }
        }
    }
    *entries = own;
}

pub fn parse(text: &str) -> ParsedFile {
    parse_at(text, 0)
}

/// The parse-only floor the benchmark compares with: the same parser over the same pieces,
/// events read and dropped, no tree. Returns the number of documents.
pub fn parse_only(text: &str) -> usize {
    use rayon::prelude::*;
    let count = |piece: &str| {
        let mut parser = Parser::new_from_str(piece);
        let mut documents = 0;
        loop {
            match parser.next_event() {
                None => break,
                Some(Ok((Event::DocumentEnd, _))) => documents += 1,
                Some(Ok(_)) => {}
                Some(Err(_)) => match parser.proceed_next_document() {
                    Ok(true) => continue,
                    _ => break,
                },
            }
        }
        documents
    };
    cut_points(text, PARALLEL_PARSE_BYTES)
        .par_windows(2)
        .map(|w| count(&text[w[0]..w[1]]))
        .sum()
}

/// Files larger than this are cut at `---` lines and the pieces parsed in parallel.
const PARALLEL_PARSE_BYTES: usize = 4 * 1024 * 1024;

/// Parses a large multi-document stream on all cores. A `---` at the start of a line always
/// begins a new document (YAML forbids it inside scalars), so cutting there changes nothing;
/// streams with directives (`%YAML`) are parsed in one piece.
pub fn parse_parallel(text: &str) -> ParsedFile {
    parse_in_pieces(text, PARALLEL_PARSE_BYTES)
}

fn parse_in_pieces(text: &str, min_bytes: usize) -> ParsedFile {
    use rayon::prelude::*;
    let cuts = cut_points(text, min_bytes);
    if cuts.len() == 2 {
        return parse(text);
    }
    let parts: Vec<ParsedFile> = cuts
        .par_windows(2)
        .map(|w| parse_at(&text[w[0]..w[1]], w[0]))
        .collect();
    let mut out = ParsedFile::default();
    for part in parts {
        out.documents.extend(part.documents);
        out.errors.extend(part.errors);
        out.comments.extend(part.comments);
    }
    out
}

/// Parses `text` and maps each document with `lint` as soon as it is read, on all cores for a
/// large stream (pieces cut at `---`, as [`parse_parallel`]); each document's tree is dropped
/// once mapped, so memory follows the largest document, not the file. `lint` gets the document,
/// the comments of its piece read so far, and where the previous document ended. Returns the
/// results in document order, the errors and every comment.
///
/// `text` starts at byte `base` of its file (a batch of a file read batch by batch, cut where
/// [`stream_cut`] says): spans are file offsets.
pub fn parse_each<R: Send>(
    text: &str,
    base: usize,
    lint: impl Fn(&Document, &[Comment], usize) -> R + Sync,
) -> (Vec<R>, Vec<YamlError>, Vec<Comment>) {
    use rayon::prelude::*;
    // Smaller pieces than for parsing alone: each piece is also linted.
    let cuts = cut_points(text, PARALLEL_PARSE_BYTES / 4);
    let parts: Vec<(Vec<R>, ParsedFile)> = cuts
        .par_windows(2)
        .map(|w| {
            let mut results = Vec::new();
            let at = base + w[0];
            // Documents wait in small batches: parsing several, then checking them, keeps the
            // parser's working set in cache instead of evicting it with the rules' after every
            // document. Each is checked with the comments read up to it, as if at once.
            let mut batch: Vec<(Document, usize, usize)> = Vec::with_capacity(BATCH);
            let mut flush = |batch: &mut Vec<(Document, usize, usize)>, comments: &[Comment]| {
                for (doc, seen, previous) in batch.drain(..) {
                    results.push(lint(&doc, &comments[..seen], previous));
                }
            };
            let parsed = parse_at_each(&text[w[0]..w[1]], at, &mut |doc, comments, previous| {
                batch.push((doc, comments.len(), previous));
                if batch.len() == BATCH {
                    flush(&mut batch, comments);
                }
            });
            flush(&mut batch, &parsed.comments);
            (results, parsed)
        })
        .collect();
    let (mut results, mut errors, mut comments) = (Vec::new(), Vec::new(), Vec::new());
    for (part, parsed) in parts {
        results.extend(part);
        errors.extend(parsed.errors);
        comments.extend(parsed.comments);
    }
    (results, errors, comments)
}

/// Documents parsed before they are checked (see [`parse_each`]).
const BATCH: usize = 16;

/// Where a stream is cut for the cores: `[0, .., len]`; `[0, len]` for a small file or one
/// with directives.
fn cut_points(text: &str, min_bytes: usize) -> Vec<usize> {
    if text.len() < min_bytes || has_directives(text) {
        return vec![0, text.len()];
    }
    // A fixed number of pieces, not one per core: where a stream is cut must not depend on
    // the machine (a `---` line inside a quoted scalar is an error either way, but reported
    // at the cut).
    const PIECES: usize = 64;
    let target = (text.len() / PIECES).max(min_bytes / 4);
    let helm = is_helm_output(text);
    let mut cuts = vec![0];
    let mut from = target;
    while from < text.len() {
        match text[from..].find("\n---").map(|i| from + i + 1) {
            Some(at) if is_cut(text.as_bytes(), at, true, helm) => {
                cuts.push(at);
                from = at + target;
            }
            Some(at) => from = at + 4,
            None => break,
        }
    }
    cuts.push(text.len());
    cuts
}

/// Where the start of a stream read batch by batch can end: the start of its last `---` line
/// that can be cut at (as for the cores), if any. The rest of the stream follows.
pub fn stream_cut(text: &str) -> Option<usize> {
    let helm = is_helm_output(text);
    let mut end = text.len();
    while let Some(i) = text[..end].rfind("\n---") {
        if is_cut(text.as_bytes(), i + 1, false, helm) {
            return Some(i + 1);
        }
        end = i;
    }
    None
}

/// Directives (`%YAML`) apply to the documents after them: such a stream is never cut.
pub fn has_directives(text: &str) -> bool {
    text.starts_with('%') || text.contains("\n%")
}

fn is_helm_output(text: &str) -> bool {
    text.contains("# Source:")
}

/// Whether a `---` at `at` (after a line end) starts a document that can be parsed on its own:
/// it is a whole line marker, and in Helm output it heads a template (the documents after the
/// first one of a template take its `# Source:` header, which must be in the same piece).
fn is_cut(bytes: &[u8], at: usize, at_end_too: bool, helm: bool) -> bool {
    let rest = &bytes[at + 3..];
    let marker = match rest.first() {
        None => at_end_too,
        Some(b'\n' | b'\r' | b' ' | b'\t') => true,
        Some(_) => false,
    };
    if !marker || !helm {
        return marker;
    }
    let next_line = rest
        .iter()
        .position(|&b| b == b'\n')
        .map_or(&[][..], |i| &rest[i + 1..]);
    next_line.starts_with(b"# Source:")
}

/// Parses `text`, which starts at byte `base` of its file: every span is a file offset.
fn parse_at(text: &str, base: usize) -> ParsedFile {
    let mut documents = Vec::new();
    let mut out = parse_at_each(text, base, &mut |document, _, _| documents.push(document));
    out.documents = documents;
    out
}

/// Parses `text` (at byte `base` of its file), handing each document to `on_document` with the
/// comments read so far and where the previous document ended, then dropping it: only one
/// document's tree is alive at a time. The returned file has no documents.
fn parse_at_each(
    text: &str,
    base: usize,
    on_document: &mut dyn FnMut(Document, &[Comment], usize),
) -> ParsedFile {
    let mut out = ParsedFile::default();
    let mut previous_end = base;
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder::default();
    let mut budget = ALIAS_EXPANSION_BUDGET;
    loop {
        let event = match parser.next_event() {
            None => break,
            Some(Ok(event)) => event,
            Some(Err(error)) => {
                let marker = error.marker();
                let offset = base
                    + marker
                        .byte_offset()
                        .unwrap_or_else(|| char_to_byte(text, marker.index()));
                out.errors.push(YamlError {
                    kind: YamlErrorKind::Syntax,
                    message: describe(&error),
                    offset,
                });
                builder.reset();
                match parser.proceed_next_document() {
                    Ok(true) => continue,
                    _ => break,
                }
            }
        };
        let (event, span) = event;
        let range = span
            .byte_range()
            .map_or(base..base, |r| r.start + base..r.end + base);
        match event {
            Event::StreamStart | Event::StreamEnd => {}
            Event::DocumentStart(..) => {
                builder.reset();
                builder.doc_start = range.start;
                // Per document, like anchors: the findings do not depend on how a large file
                // is cut into pieces for the cores.
                budget = ALIAS_EXPANSION_BUDGET;
            }
            Event::DocumentEnd => {
                let root = builder.root.take().unwrap_or(Node {
                    value: Value::Null,
                    span: range.clone(),
                });
                let document = Document {
                    root,
                    span: builder.doc_start..range.end.max(builder.doc_start),
                    duplicate_keys: std::mem::take(&mut builder.duplicates),
                };
                let end = document.span.end;
                on_document(document, &out.comments, previous_end);
                previous_end = end;
                builder.reset();
            }
            Event::Comment(body, _) => out.comments.push(Comment {
                text: body.into_owned(),
                span: range,
            }),
            Event::Scalar(value, style, anchor, tag) => {
                let resolved = if style == ScalarStyle::Plain && tag.is_none() {
                    resolve_plain(&value)
                } else {
                    tagged_scalar(&value, tag.as_deref())
                };
                // A block scalar's event runs on to the next token: the node ends with its
                // last content line, so a fix replacing it leaves the next line alone.
                let span = if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    let local = block_scalar_span(text, range.start - base..range.end - base);
                    local.start + base..local.end + base
                } else {
                    range
                };
                builder.push(
                    Node {
                        value: resolved,
                        span,
                    },
                    anchor,
                );
            }
            Event::SequenceStart(_, anchor, _) => builder.stack.push(Frame::Seq {
                start: range.start,
                anchor,
                from: builder.items.len(),
            }),
            Event::MappingStart(_, anchor, _) => builder.stack.push(Frame::Map {
                start: range.start,
                anchor,
                from: builder.entries.len(),
                key: None,
            }),
            Event::SequenceEnd => {
                if let Some(Frame::Seq {
                    start,
                    anchor,
                    from,
                }) = builder.stack.pop()
                {
                    let items = builder.items.split_off(from);
                    let node = Node {
                        value: Value::Seq(items),
                        span: start..range.end.max(start),
                    };
                    builder.push(node, anchor);
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map {
                    start,
                    anchor,
                    from,
                    key,
                }) = builder.stack.pop()
                {
                    if let Some(key) = key {
                        // A key with no value event cannot happen in valid YAML; keep it as null.
                        let span = key.span.end..key.span.end;
                        builder.entries.push(Entry {
                            key,
                            value: Node {
                                value: Value::Null,
                                span,
                            },
                        });
                    }
                    let entries = builder.entries.split_off(from);
                    let node = builder.finish_map(start, range.end.max(start), entries);
                    builder.push(node, anchor);
                }
            }
            Event::Alias(id) => {
                let target = builder.anchors.get(&id);
                let size = target.map_or(0, Node::size);
                if builder.too_large.contains(&id) || size > budget {
                    out.errors.push(YamlError {
                        kind: YamlErrorKind::AliasExpansion,
                        message: format!(
                            "alias expansion exceeds {ALIAS_EXPANSION_BUDGET} nodes in this document (an alias bomb?)"
                        ),
                        offset: range.start,
                    });
                    builder.reset();
                    match parser.proceed_next_document() {
                        Ok(true) => continue,
                        _ => break,
                    }
                }
                let Some(target) = target else { continue };
                budget -= size;
                let mut node = target.clone();
                // The alias token is where the value is written: findings point there.
                node.span = range;
                builder.push(node, 0);
            }
            _ => {}
        }
    }
    out
}

/// A block scalar's span, from its indicator (`|`, `>-`, `|2`) to the end of its content.
/// The parser's event starts at the content and runs on over the blank lines after it, so a
/// fix replacing the node would keep the indicator and eat the next line's break. `range` is
/// the event's, in `text`; it is returned as is where no indicator is found.
fn block_scalar_span(text: &str, range: Range<usize>) -> Range<usize> {
    let content = text[range.clone()].trim_end_matches([' ', '\t', '\r', '\n']);
    let content_end = range.start + content.len();
    // The header is on the nearest line above the content's that is not blank.
    let mut line_end = text[..range.start].rfind('\n');
    while let Some(end) = line_end {
        let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[start..end];
        if line.trim().is_empty() {
            line_end = start.checked_sub(1);
            continue;
        }
        return match block_indicator(line) {
            Some(indicator) if content.is_empty() => start + indicator.start..start + indicator.end,
            Some(indicator) => start + indicator.start..content_end,
            None => range,
        };
    }
    range
}

/// Where a block scalar's header (`|`, `>`, with chomping and indentation indicators) sits in
/// its line: after a space or at the start, followed only by spaces and a comment.
fn block_indicator(line: &str) -> Option<Range<usize>> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    line.char_indices().find_map(|(at, c)| {
        if !matches!(c, '|' | '>') || !(at == 0 || line[..at].ends_with([' ', '\t'])) {
            return None;
        }
        let rest = &line[at + 1..];
        let flags = rest.len()
            - rest
                .trim_start_matches(|c: char| c == '-' || c == '+' || c.is_ascii_digit())
                .len();
        let after = rest[flags..].trim_start_matches([' ', '\t']);
        let ends = after.is_empty() || (after.len() < rest.len() - flags && after.starts_with('#'));
        ends.then_some(at..at + 1 + flags)
    })
}

/// Scalars with an explicit core tag (`!!str 1`, `!!int "3"`); other tags leave the text as is.
fn tagged_scalar(value: &str, tag: Option<&granit_parser::Tag>) -> Value {
    match tag.and_then(|t| t.core_suffix()) {
        Some("int" | "float" | "bool" | "null") => resolve_plain(value),
        _ => Value::Str(value.into()),
    }
}

fn char_to_byte(text: &str, index: usize) -> usize {
    text.char_indices()
        .nth(index)
        .map_or(text.len(), |(i, _)| i)
}

/// The parser's message, with its resource limits said in the user's terms.
fn describe(error: &granit_parser::ScanError) -> String {
    let info = error.info().to_string();
    if info.contains("recursion limit") || info.contains("nesting limit") {
        format!("nesting is deeper than 255 levels ({info}); no manifest needs that many")
    } else {
        info
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_keys_and_values() {
        let text = "a:\n  b: yes\n";
        let parsed = parse(text);
        let doc = &parsed.documents[0];
        let entry = doc.root.get("a").unwrap().entry("b").unwrap();
        assert_eq!(&text[entry.key.span.clone()], "b");
        assert_eq!(&text[entry.value.span.clone()], "yes");
        assert_eq!(entry.value.value, Value::Bool(true));
    }

    #[test]
    fn a_block_scalar_ends_with_its_last_content_line() {
        for (text, value) in [
            ("a:\n  - >-\n    rwo\nb: 1\n", ">-\n    rwo"),
            (
                "a: |-\n  parallel\n\n  two\nb: 1\n",
                "|-\n  parallel\n\n  two",
            ),
            ("a:\n  b: >\n    x\n  c: 1\n", ">\n    x"),
            ("a: |\r\n  x\r\n# note\r\nb: 1\r\n", "|\r\n  x"),
            ("a: >+ # keep\n  x\n\n\nb: 1\n", ">+ # keep\n  x"),
            ("a: |\nb: 1\n", "|"),
            ("a: >-\n\n  x\n  y\n\n# c\nb: 1\n", ">-\n\n  x\n  y"),
            ("- |2\n    x\n", "|2\n    x"),
            ("a: | # a | b\n  x\n", "| # a | b\n  x"),
        ] {
            let parsed = parse(text);
            let mut node = &parsed.documents[0].root;
            while let Some(inner) = node
                .items()
                .first()
                .or(node.entries().first().map(|e| &e.value))
            {
                node = inner;
            }
            assert_eq!(&text[node.span.clone()], value, "{text:?}");
        }
    }

    #[test]
    fn a_broken_document_does_not_hide_the_next() {
        let parsed = parse("a: [\n---\nkind: Pod\n");
        assert_eq!(parsed.errors.len(), 1);
        assert!(parsed
            .documents
            .iter()
            .any(|d| d.root.get("kind").is_some()));
    }

    #[test]
    fn parallel_parse_gives_the_same_documents_and_spans() {
        let doc = "---\n# Source: x\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: |\n    ---not a marker\n";
        let text = doc.repeat(500);
        let (one, many) = (parse(&text), parse_in_pieces(&text, 4096));
        assert_eq!(one.documents.len(), many.documents.len());
        assert!(one
            .documents
            .iter()
            .zip(&many.documents)
            .all(|(a, b)| a.root == b.root && a.span == b.span));
        assert_eq!(one.comments.len(), many.comments.len());
        assert!(one.errors.is_empty() && many.errors.is_empty());
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut text = String::from("a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 1..12 {
            let refs = vec![format!("*a{}", i - 1); 10].join(",");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let parsed = parse(&text);
        assert_eq!(parsed.errors[0].kind, YamlErrorKind::AliasExpansion);
    }

    #[test]
    fn merge_keys_and_duplicates() {
        let parsed = parse("base: &b {x: 1}\nm:\n  <<: *b\n  port: 2\n  port: 3\n");
        let doc = &parsed.documents[0];
        assert_eq!(doc.root.path(&["m", "x"]).unwrap().as_i64(), Some(1));
        assert_eq!(doc.duplicate_keys.len(), 1);
        assert_eq!(doc.duplicate_keys[0].key, "port");
    }
}
