//! CEL as the API server runs it: Kubernetes' own libraries (`kube-cel`) over the `cel`
//! crate. Each expression is compiled once per run; objects are turned into CEL values as the
//! API server decodes them (`null` is absent).

use crate::yaml::{Node, Value as Yaml};
use kube_cel::cel::objects::{Key, Map};
use kube_cel::cel::{Context, Program, Value};
use kube_cel::KubeCelExt;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// Every Kubernetes CEL function, registered once and shared by every thread; evaluations
/// add their variables in a scope of their own.
pub fn functions() -> &'static Context<'static> {
    static BASE: OnceLock<Context<'static>> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut context = Context::default().with_all();
        context.add_function("lists.range", bounded_range);
        context
    })
}

/// The most items `lists.range` makes: the API server's per-expression cost limit
/// (`PerCallLimit`, 1,000,000) is spent before a longer list could be walked, and an unbounded
/// one would take the run's memory. A longer range is an evaluation error, as the API server's
/// cost check makes it.
const RANGE_LIMIT: i64 = 1_000_000;

fn bounded_range(n: i64) -> kube_cel::cel::ResolveResult {
    use kube_cel::cel::ExecutionError;
    if n < 0 {
        return Err(ExecutionError::function_error(
            "lists.range",
            "range argument must be non-negative",
        ));
    }
    if n > RANGE_LIMIT {
        return Err(ExecutionError::function_error(
            "lists.range",
            format!("operation cancelled: actual cost limit exceeded ({n} items, at most {RANGE_LIMIT})"),
        ));
    }
    Ok(Value::List(Arc::new((0..n).map(Value::Int).collect())))
}

/// One expression of a policy, compiled; `span` is its value in the policy's file.
pub struct Expression {
    pub text: String,
    pub span: Range<usize>,
    pub program: Result<Program, CompileError>,
}

/// Why an expression does not compile, and where in the policy's file.
#[derive(Debug, Clone)]
pub struct CompileError {
    pub message: String,
    pub span: Range<usize>,
}

impl Expression {
    /// Compiles the string at `node` of a file whose text is `text`.
    pub fn compile(node: &Node, text: &str) -> Option<Expression> {
        let source = node.as_str()?;
        let program = Program::compile(source).map_err(|errors| {
            let first = errors.errors.first();
            let (line, column) = first.map_or((1, 1), |e| (e.pos.0.max(1), e.pos.1.max(1)));
            let message = first.map_or_else(|| errors.to_string(), |e| e.msg.clone());
            CompileError {
                message,
                span: position_in(node, text, source, line as usize, column as usize),
            }
        });
        Some(Expression {
            text: source.to_string(),
            span: node.span.clone(),
            program,
        })
    }

    /// Compiles an expression written outside the linted files (the configuration's
    /// `[[policy]]`): it has no place in them.
    /// `objects.Service` is compiled as `objects["Service"]`: the same value, but the
    /// interpreter copies a map it selects a field of, and indexes it without a copy.
    pub fn from_text(source: &str) -> Expression {
        Expression {
            text: source.to_string(),
            span: 0..0,
            program: Program::compile(&indexed(source)).map_err(|errors| CompileError {
                message: errors
                    .errors
                    .first()
                    .map_or_else(|| errors.to_string(), |e| e.msg.clone()),
                span: 0..0,
            }),
        }
    }

    /// Runs the expression; an error says why it could not be evaluated. A bug in the
    /// interpreter is an evaluation error, not a crash of the run.
    pub fn run(&self, scope: &Context<'_>) -> Result<Value, String> {
        let program = self.program.as_ref().map_err(|e| e.message.clone())?;
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| program.execute(scope)))
            .map_err(|_| "the CEL interpreter failed on this expression".to_string())?
            .map_err(|e| e.to_string())
    }
}

/// Byte range of `line`:`column` (1-based, as CEL reports them) of `source`, the value of the
/// scalar `node`, in the file's `text`: found line by line, since a block scalar's lines are
/// indented in the file. The whole scalar when the line cannot be found.
fn position_in(node: &Node, text: &str, source: &str, line: usize, column: usize) -> Range<usize> {
    let Some(raw) = text.get(node.span.clone()) else {
        return node.span.clone();
    };
    let mut from = 0;
    for (n, wanted) in source.split('\n').enumerate() {
        let Some(found) = raw[from..].find(wanted) else {
            break;
        };
        let at = from + found;
        if n + 1 == line {
            let offset = node.span.start + at + column.saturating_sub(1).min(wanted.len());
            return offset..(offset + 1).min(node.span.end).max(offset);
        }
        from = at + wanted.len();
    }
    node.span.clone()
}

/// CEL's reserved words: a field named so is read as `__word__` too (the API server accepts
/// both spellings since it recognises keywords as field names).
const RESERVED: &[&str] = &[
    "as",
    "break",
    "const",
    "continue",
    "else",
    "false",
    "for",
    "function",
    "if",
    "import",
    "in",
    "let",
    "loop",
    "namespace",
    "null",
    "package",
    "return",
    "true",
    "var",
    "void",
    "while",
];

/// The CEL value of a decoded object: entries whose value is `null` are absent, as the API
/// server reads them.
pub fn value_of(node: &Node) -> Value {
    match &node.value {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(*b),
        Yaml::Int(i) => Value::Int(*i),
        Yaml::Float(f) => Value::Float(*f),
        Yaml::Str(s) => Value::String(Arc::new(s.to_string())),
        Yaml::Seq(items) => Value::List(Arc::new(items.iter().map(value_of).collect())),
        Yaml::Map(entries) => {
            // A struct (it has a name, or a nested value), not a map of labels: its reserved
            // field names get their escaped spelling too.
            let is_struct = entries.iter().any(|e| {
                matches!(e.value.value, Yaml::Map(_) | Yaml::Seq(_))
                    || e.key.as_str() == Some("name")
            });
            let mut map = HashMap::with_capacity(entries.len());
            for e in entries.iter().filter(|e| !e.value.is_null()) {
                let Some(key) = e.key.key_text() else {
                    continue;
                };
                let value = value_of(&e.value);
                if is_struct && RESERVED.contains(&key.as_ref()) {
                    map.insert(key_of(&format!("__{key}__")), value.clone());
                }
                map.insert(key_of(&key), value);
            }
            Value::Map(Map { map: Arc::new(map) })
        }
    }
}

pub fn key_of(text: &str) -> Key {
    Key::String(Arc::new(text.to_string()))
}

pub fn string(text: &str) -> Value {
    Value::String(Arc::new(text.to_string()))
}

/// A CEL map of string keys.
pub fn map_of(entries: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    let map: HashMap<Key, Value> = entries.into_iter().map(|(k, v)| (key_of(k), v)).collect();
    Value::Map(Map { map: Arc::new(map) })
}

/// The parts of `object` that a set of expressions can read: `None` for all of it. Built
/// from their text: each `object.a.b.c` keeps the subtree at `a.b.c` (up to a call or an
/// index, which read the subtree whole); a bare `object` keeps everything. A list read by
/// `all`, `exists`, `exists_one` or `map` keeps, of each item, what the macro's body reads of
/// its variable. A superset of what they read, whatever CEL does with it: the value the
/// expressions see is the same, and the interpreter (which copies every value it selects a
/// field of) does not copy a whole StatefulSet for every expression.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Reads {
    /// Fields read below here (`[]`: each item of a list); empty: the whole subtree.
    below: HashMap<String, Reads>,
}

/// Whether `text` names the variable `name` (not a field or a longer name containing it).
pub fn names(text: &str, name: &str) -> bool {
    occurrences(text, name).next().is_some()
}

/// The occurrences of the variable `name` in `text`: the byte offset just after each.
fn occurrences<'a>(text: &'a str, name: &'a str) -> impl Iterator<Item = usize> + 'a {
    text.match_indices(name).filter_map(move |(at, _)| {
        let before = text[..at].chars().next_back();
        let end = at + name.len();
        let after = text[end..].chars().next();
        let other = before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            || after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        (!other).then_some(end)
    })
}

/// The kind `text` (just after `objects`) looks up, `.Service` or `["Service"]`, with the
/// length of the lookup.
fn kind_looked_up(text: &str) -> Option<(&str, usize)> {
    let identifier = |t: &str| {
        let end = t
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(t.len());
        (end > 0).then_some(end)
    };
    if let Some(rest) = text.strip_prefix('.') {
        let end = identifier(rest)?;
        return Some((&rest[..end], end + 1));
    }
    let rest = text.strip_prefix('[')?;
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = &rest[1..];
    let end = identifier(inner)?;
    inner[end..]
        .strip_prefix(quote)?
        .starts_with(']')
        .then_some((&inner[..end], end + 4))
}

/// The kinds a project policy's expressions look up in `objects`: `None` when one is not
/// named (`objects[k]`, or `objects` whole), so every kind is needed.
pub fn kinds_looked_up<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<Vec<String>> {
    let mut kinds = Vec::new();
    for text in texts {
        for end in occurrences(text, "objects") {
            let (kind, _) = kind_looked_up(&text[end..])?;
            if !kinds.iter().any(|k| k == kind) {
                kinds.push(kind.to_string());
            }
        }
    }
    Some(kinds)
}

/// `text` with each `objects.Kind` written `objects["Kind"]` (but in `has(objects.Kind)`,
/// whose argument must be a field selection).
fn indexed(text: &str) -> std::borrow::Cow<'_, str> {
    let mut out = String::new();
    let mut copied = 0;
    for end in occurrences(text, "objects") {
        let rest = &text[end..];
        let Some(field) = rest.strip_prefix('.') else {
            continue;
        };
        let Some((kind, length)) = kind_looked_up(rest) else {
            continue;
        };
        let tested = text[..end - "objects".len()].trim_end().ends_with("has(")
            && field[kind.len()..].trim_start().starts_with(')');
        if tested {
            continue;
        }
        out.push_str(&text[copied..end]);
        out.push_str(&format!("[\"{kind}\"]"));
        copied = end + length;
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

/// The key of a list's items in [`Reads`].
const ITEMS: &str = "[]";

/// The macros whose result depends only on what their body reads of each item (`filter`
/// returns the items themselves, which anything may read further).
const ITEM_MACROS: &[&str] = &["all", "exists", "exists_one", "map"];

impl Reads {
    /// What the expressions `texts` read of `object`; `None` when one may read all of it.
    pub fn of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<Reads> {
        let mut reads = Reads::default();
        let mut tested = Vec::new();
        for text in texts {
            if !reads.read_by(text, "object", &mut tested) {
                return None;
            }
        }
        reads.add_tested(tested);
        Some(reads)
    }

    /// Adds what `text` reads of the variable `name`; false when it reads it whole. The
    /// paths only tested by `has()` go to `tested`.
    fn read_by(&mut self, text: &str, name: &str, tested: &mut Vec<Vec<String>>) -> bool {
        let mut rest = text;
        while let Some(at) = rest.find(name) {
            let in_has = rest[..at]
                .trim_end()
                .strip_suffix('(')
                .is_some_and(|r| r.trim_end().ends_with("has"));
            let before = rest[..at].chars().next_back();
            let after = &rest[at + name.len()..];
            rest = after;
            // `oldObject`, `namespaceObject`, `myobject`: another name.
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            if after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let mut path = Vec::new();
            let mut cursor = after;
            let mut items = None;
            while let Some(next) = cursor.strip_prefix('.') {
                let end = next
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(next.len());
                if end == 0 {
                    break;
                }
                if next[end..].starts_with('(') {
                    if ITEM_MACROS.contains(&&next[..end]) {
                        items = macro_body(&next[end + 1..]);
                    }
                    break;
                }
                let field = &next[..end];
                // `__namespace__` is `namespace`.
                let field = field
                    .strip_prefix("__")
                    .and_then(|n| n.strip_suffix("__"))
                    .unwrap_or(field);
                path.push(field.to_string());
                cursor = &next[end..];
            }
            if path.is_empty() {
                return false;
            }
            if in_has && items.is_none() && cursor.trim_start().starts_with(')') {
                tested.push(path);
                continue;
            }
            let mut each = Reads::default();
            let mut each_tested = Vec::new();
            match items {
                Some((variable, body))
                    if each.read_by(body, variable, &mut each_tested)
                        && (each.add_tested(each_tested) || !each.below.is_empty()) =>
                {
                    path.push(ITEMS.to_string());
                    self.merge_at(&path, each);
                }
                _ => self.merge_at(&path, Reads::default()),
            }
        }
        true
    }

    /// Adds the paths `has()` tests: a field whose key is kept, whatever is kept of its
    /// value, tests the same; one nothing else reads is kept whole. True when one was added.
    fn add_tested(&mut self, tested: Vec<Vec<String>>) -> bool {
        let mut added = false;
        for path in tested {
            if !self.keeps(&path) {
                self.merge_at(&path, Reads::default());
                added = true;
            }
        }
        added
    }

    /// Whether the key at `path` is kept.
    fn keeps(&self, path: &[String]) -> bool {
        let Some((first, rest)) = path.split_first() else {
            return true;
        };
        match self.below.get(first) {
            Some(below) => below.below.is_empty() || below.keeps(rest),
            None => false,
        }
    }

    /// Adds `reads` (empty: the whole subtree) at `path`.
    fn merge_at(&mut self, path: &[String], reads: Reads) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        match self.below.get_mut(first) {
            // A subtree already read whole stays whole.
            Some(existing) if existing.below.is_empty() => {}
            Some(existing) if rest.is_empty() => existing.merge(reads),
            Some(existing) => existing.merge_at(rest, reads),
            None => {
                let mut child = Reads::default();
                if rest.is_empty() {
                    child = reads;
                } else {
                    child.merge_at(rest, reads);
                }
                self.below.insert(first.clone(), child);
            }
        }
    }

    /// The union of two reads of the same subtree (neither of them whole-by-default).
    fn merge(&mut self, other: Reads) {
        if other.below.is_empty() {
            self.below.clear();
            return;
        }
        for (key, reads) in other.below {
            self.merge_at(&[key], reads);
        }
    }

    /// `value` (an object's, as [`value_read`] makes it) with only what these reads name:
    /// subtrees read whole are shared, not copied.
    pub fn restrict(&self, value: &Value) -> Value {
        if self.below.is_empty() {
            return value.clone();
        }
        match value {
            Value::List(items) => match self.below.get(ITEMS) {
                Some(each) => {
                    Value::List(Arc::new(items.iter().map(|i| each.restrict(i)).collect()))
                }
                None => value.clone(),
            },
            // A map iterated by a macro is read by its keys: whole.
            Value::Map(_) if self.below.contains_key(ITEMS) => value.clone(),
            Value::Map(map) => {
                let mut kept = HashMap::with_capacity(self.below.len());
                for (key, item) in map.map.iter() {
                    let Key::String(name) = key else {
                        continue;
                    };
                    // `__namespace__` is `namespace`, as in `Reads::of`.
                    let plain = name
                        .strip_prefix("__")
                        .and_then(|n| n.strip_suffix("__"))
                        .unwrap_or(name);
                    if let Some(below) = self.below.get(plain) {
                        kept.insert(key.clone(), below.restrict(item));
                    }
                }
                Value::Map(Map {
                    map: Arc::new(kept),
                })
            }
            _ => value.clone(),
        }
    }
}

/// The variable and body of a macro call, `text` starting after its `(`: `c` and
/// `c.image != ""` of `c, c.image != "")`. None when it is not so shaped.
fn macro_body(text: &str) -> Option<(&str, &str)> {
    let (variable, body) = text.split_once(',')?;
    let variable = variable.trim();
    if variable.is_empty()
        || !variable
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    // The body ends at the parenthesis that closes the call, outside string literals.
    let mut depth = 0usize;
    let mut quote = None;
    let mut escaped = false;
    for (at, c) in body.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => return Some((variable, &body[..at])),
                ')' | ']' | '}' => depth -= 1,
                _ => {}
            },
        }
    }
    None
}

/// A copy of `node` with only what `reads` names, whole lists kept whole.
pub fn prune(node: &Node, reads: &Reads) -> Node {
    if reads.below.is_empty() {
        return node.clone();
    }
    // Lists stay whole here: defaults are filled in before the items are narrowed.
    let Yaml::Map(entries) = &node.value else {
        return node.clone();
    };
    if reads.below.contains_key(ITEMS) {
        return node.clone();
    }
    let kept = entries
        .iter()
        .filter_map(|e| {
            let below = reads.below.get(e.key.key_text()?.as_ref())?;
            Some(crate::yaml::Entry {
                key: e.key.clone(),
                value: prune(&e.value, below),
            })
        })
        .collect();
    Node {
        value: Yaml::Map(kept),
        span: node.span.clone(),
    }
}

/// [`value_of`] keeping only what `reads` names (all of it for `None`).
pub fn value_read(node: &Node, reads: Option<&Reads>) -> Value {
    let Some(reads) = reads.filter(|r| !r.below.is_empty()) else {
        return value_of(node);
    };
    if let (Yaml::Seq(items), Some(each)) = (&node.value, reads.below.get(ITEMS)) {
        return Value::List(Arc::new(
            items.iter().map(|i| value_read(i, Some(each))).collect(),
        ));
    }
    let Yaml::Map(entries) = &node.value else {
        return value_of(node);
    };
    if reads.below.contains_key(ITEMS) {
        return value_of(node);
    }
    let mut map = HashMap::with_capacity(reads.below.len());
    for e in entries.iter().filter(|e| !e.value.is_null()) {
        let Some(key) = e.key.key_text() else {
            continue;
        };
        let Some(below) = reads.below.get(key.as_ref()) else {
            continue;
        };
        let value = value_read(&e.value, Some(below));
        if RESERVED.contains(&key.as_ref()) {
            map.insert(key_of(&format!("__{key}__")), value.clone());
        }
        map.insert(key_of(&key), value);
    }
    Value::Map(Map { map: Arc::new(map) })
}

/// The JSON of a decoded object, `null` entries left out: what the CRD validator reads.
pub fn json_of(node: &Node) -> serde_json::Value {
    match &node.value {
        Yaml::Null => serde_json::Value::Null,
        Yaml::Bool(b) => serde_json::Value::Bool(*b),
        Yaml::Int(i) => serde_json::Value::from(*i),
        Yaml::Float(f) => serde_json::Number::from_f64(*f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Yaml::Str(s) => serde_json::Value::String(s.to_string()),
        Yaml::Seq(items) => serde_json::Value::Array(items.iter().map(json_of).collect()),
        Yaml::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .filter(|e| !e.value.is_null())
                .filter_map(|e| Some((e.key.key_text()?.into_owned(), json_of(&e.value))))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reads of `texts` as sorted dotted paths (`[]` for a list's items).
    fn paths(texts: &[&str]) -> Option<Vec<String>> {
        fn walk(reads: &Reads, prefix: &str, out: &mut Vec<String>) {
            if reads.below.is_empty() {
                out.push(prefix.to_string());
            }
            for (key, below) in &reads.below {
                walk(below, &format!("{prefix}.{key}"), out);
            }
        }
        let reads = Reads::of(texts.iter().copied())?;
        let mut out = Vec::new();
        walk(&reads, "object", &mut out);
        out.sort();
        Some(out)
    }

    #[test]
    fn reads_follow_fields_and_the_items_macros_read() {
        assert_eq!(
            paths(&["object.spec.replicas >= 3"]).unwrap(),
            ["object.spec.replicas"]
        );
        assert_eq!(
            paths(&["object.spec.template.spec.containers.all(c, c.image.contains(\"@\") && has(c.resources.requests))"]).unwrap(),
            [
                "object.spec.template.spec.containers.[].image",
                "object.spec.template.spec.containers.[].resources.requests"
            ]
        );
        // Nested macros narrow the inner list's items too.
        assert_eq!(
            paths(&["object.spec.containers.exists(c, c.ports.all(p, p.containerPort > 0))"])
                .unwrap(),
            ["object.spec.containers.[].ports.[].containerPort"]
        );
        // A bare object, or a variable read whole, keeps everything under it.
        assert_eq!(paths(&["object == oldObject"]), None);
        assert_eq!(
            paths(&["object.metadata.labels.all(k, k.startsWith(\"app\"))"]).unwrap(),
            ["object.metadata.labels"]
        );
        // `filter` returns the items themselves: whatever follows may read any field.
        assert_eq!(
            paths(&["object.spec.containers.filter(c, c.name == \"a\").all(x, x.image == \"y\")"])
                .unwrap(),
            ["object.spec.containers"]
        );
        // A whole read of a list wins over a narrower one, in either order.
        let narrow = "object.spec.containers.all(c, c.image != \"\")";
        let whole = "size(object.spec.containers) > 0 && object.spec.containers[0].name == \"a\"";
        assert_eq!(paths(&[narrow, whole]).unwrap(), ["object.spec.containers"]);
        assert_eq!(paths(&[whole, narrow]).unwrap(), ["object.spec.containers"]);
        // What `has()` tests needs only the key: a narrower read of it is enough.
        assert_eq!(
            paths(&["!has(object.spec.volumeClaimTemplates) || object.spec.volumeClaimTemplates.all(t, has(t.spec.storageClassName) && t.spec.storageClassName != \"\")"]).unwrap(),
            ["object.spec.volumeClaimTemplates.[].spec.storageClassName"]
        );
        assert_eq!(
            paths(&["has(object.spec.minReadySeconds) && has( object.spec.template.spec ) && object.spec.template.spec.hostNetwork"]).unwrap(),
            ["object.spec.minReadySeconds", "object.spec.template.spec.hostNetwork"]
        );
        // Parentheses and quotes inside the body do not end it early.
        assert_eq!(
            paths(&["object.spec.ports.all(p, (p.name + \")\").size() > 0) && object.kind == 'X'"])
                .unwrap(),
            ["object.kind", "object.spec.ports.[].name"]
        );
    }

    #[test]
    fn a_restricted_value_keeps_what_is_read_of_each_item() {
        let yaml = "spec:\n  containers:\n  - name: a\n    image: x\n    env: [{name: E}]\n  - name: b\n    image: y\nmetadata:\n  labels: {app: a, tier: db}\n";
        let root = crate::yaml::parse(yaml).documents.remove(0).root;
        let reads = Reads::of([
            "object.spec.containers.all(c, c.image != \"\")",
            "object.metadata.labels.exists(k, k == \"app\")",
        ])
        .unwrap();
        let value = reads.restrict(&value_of(&root));
        let expected = crate::yaml::parse(
            "spec:\n  containers: [{image: x}, {image: y}]\nmetadata:\n  labels: {app: a, tier: db}\n",
        )
        .documents
        .remove(0)
        .root;
        assert_eq!(value, value_of(&expected));
        assert_eq!(value_read(&root, Some(&reads)), value_of(&expected));
    }
}
