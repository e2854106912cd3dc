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
    BASE.get_or_init(|| Context::default().with_all())
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
