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
    pub fn from_text(source: &str) -> Expression {
        Expression {
            text: source.to_string(),
            span: 0..0,
            program: Program::compile(source).map_err(|errors| CompileError {
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
/// from their text: each `object.a.b.c` keeps the subtree at `a.b.c` (up to a call, an index
/// or a macro, which read the subtree whole); a bare `object` keeps everything. A superset of
/// what they read, whatever CEL does with it: the value the expressions see is the same, and
/// the interpreter does not copy a whole StatefulSet for every expression.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Reads {
    /// Fields read below here; empty: the whole subtree.
    below: HashMap<String, Reads>,
}

impl Reads {
    /// What the expressions `texts` read of `object`; `None` when one may read all of it.
    pub fn of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<Reads> {
        let mut reads = Reads::default();
        for text in texts {
            let mut rest = text;
            while let Some(at) = rest.find("object") {
                let before = rest[..at].chars().next_back();
                let after = &rest[at + "object".len()..];
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
                while let Some(next) = cursor.strip_prefix('.') {
                    let end = next
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(next.len());
                    if end == 0 || next[end..].starts_with('(') {
                        break;
                    }
                    let name = &next[..end];
                    // `__namespace__` is `namespace`.
                    let name = name
                        .strip_prefix("__")
                        .and_then(|n| n.strip_suffix("__"))
                        .unwrap_or(name);
                    path.push(name.to_string());
                    cursor = &next[end..];
                }
                if path.is_empty() {
                    return None;
                }
                reads.add(&path);
            }
        }
        Some(reads)
    }

    fn add(&mut self, path: &[String]) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        // A subtree already read whole stays whole.
        if let Some(existing) = self.below.get(first) {
            if existing.below.is_empty() {
                return;
            }
        }
        let child = self.below.entry(first.clone()).or_default();
        if rest.is_empty() {
            child.below.clear();
        } else {
            child.add(rest);
        }
    }
}

/// A copy of `node` with only what `reads` names.
pub fn prune(node: &Node, reads: &Reads) -> Node {
    if reads.below.is_empty() {
        return node.clone();
    }
    let Yaml::Map(entries) = &node.value else {
        return node.clone();
    };
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
    let Yaml::Map(entries) = &node.value else {
        return value_of(node);
    };
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
