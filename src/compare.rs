//! Two versions of one object's fields, compared as the API server compares them
//! (`apiequality.Semantic.DeepEqual` after defaulting): an empty map, list or string is the
//! same as an absent field, quantities compare by value, mappings ignore key order.

use crate::yaml::{Node, Value};
use std::ops::Range;

/// One field that differs between the previous and the new version.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// Dotted path from where the comparison started (`spec.serviceName`, `metadata.labels.app`).
    pub path: String,
    pub old: Option<&'a Node>,
    pub new: Option<&'a Node>,
    /// Where a finding points in each version: the value when there is one, else the mapping
    /// that should hold it.
    pub old_at: Range<usize>,
    pub new_at: Range<usize>,
}

/// Whether a field holds nothing: absent, `null`, `{}`, `[]` or `""` (Go's zero values, which
/// the API server cannot tell from an absent field).
pub fn is_empty(node: Option<&Node>) -> bool {
    match node.map(|n| &n.value) {
        None | Some(Value::Null) => true,
        Some(Value::Map(entries)) => entries.is_empty(),
        Some(Value::Seq(items)) => items.is_empty(),
        Some(Value::Str(s)) => s.is_empty(),
        _ => false,
    }
}

/// Whether two versions of a field are the same to the API server.
pub fn same(old: Option<&Node>, new: Option<&Node>) -> bool {
    let mut changes = Vec::new();
    diff_into(old, new, "", 0..0, 0..0, &mut changes, 1);
    changes.is_empty()
}

/// The fields that differ between `old` and `new`, as leaf paths under `path`; `old_parent` and
/// `new_parent` are where an absent field is pointed at. Lists of different lengths are one
/// change.
pub fn diff<'a>(
    old: Option<&'a Node>,
    new: Option<&'a Node>,
    path: &str,
    old_parent: Range<usize>,
    new_parent: Range<usize>,
) -> Vec<Change<'a>> {
    let mut changes = Vec::new();
    diff_into(
        old,
        new,
        path,
        old_parent,
        new_parent,
        &mut changes,
        usize::MAX,
    );
    changes
}

fn diff_into<'a>(
    old: Option<&'a Node>,
    new: Option<&'a Node>,
    path: &str,
    old_parent: Range<usize>,
    new_parent: Range<usize>,
    out: &mut Vec<Change<'a>>,
    limit: usize,
) {
    if out.len() >= limit {
        return;
    }
    let (old, new) = (
        old.filter(|n| !is_empty(Some(n))),
        new.filter(|n| !is_empty(Some(n))),
    );
    let old_at = old.map_or(old_parent.clone(), |n| n.span.clone());
    let new_at = new.map_or(new_parent.clone(), |n| n.span.clone());
    match (old.map(|n| &n.value), new.map(|n| &n.value)) {
        (None, None) => {}
        (Some(Value::Map(_)), Some(Value::Map(_))) => {
            let (old, new) = (old.expect("matched"), new.expect("matched"));
            for key in union_keys(Some(old), Some(new)) {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                diff_into(
                    old.get(&key),
                    new.get(&key),
                    &child,
                    old.span.clone(),
                    new.span.clone(),
                    out,
                    limit,
                );
            }
        }
        // A list of scalars (`accessModes`) is one value: `[ReadWriteOnce]` to `[ReadWriteMany]`.
        (Some(Value::Seq(a)), Some(Value::Seq(b)))
            if a.len() == b.len() && !(is_scalar_list(a) && is_scalar_list(b)) =>
        {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff_into(
                    Some(x),
                    Some(y),
                    &format!("{path}[{i}]"),
                    old_at.clone(),
                    new_at.clone(),
                    out,
                    limit,
                );
            }
        }
        (Some(Value::Seq(a)), Some(Value::Seq(b)))
            if a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(x, y)| scalar_equal(&x.value, &y.value, path)) => {}
        (Some(a), Some(b)) if scalar_equal(a, b, path) => {}
        _ => out.push(Change {
            path: path.to_owned(),
            old,
            new,
            old_at,
            new_at,
        }),
    }
}

fn is_scalar_list(items: &[Node]) -> bool {
    items
        .iter()
        .all(|i| !matches!(i.value, Value::Seq(_) | Value::Map(_)))
}

/// Scalars as the API server compares them: numbers by value, quantities (`1Gi` and
/// `1024Mi`) by value under `resources`.
fn scalar_equal(a: &Value, b: &Value, path: &str) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => *x as f64 == *y,
        _ if a == b => true,
        _ if is_quantity_path(path) => match (quantity_of(a), quantity_of(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
        _ => false,
    }
}

fn is_quantity_path(path: &str) -> bool {
    path.contains("resources.requests.") || path.contains("resources.limits.")
}

/// A quantity's value in base units, for comparisons.
pub fn quantity_of(value: &Value) -> Option<f64> {
    match value {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        Value::Str(s) => crate::quantity::parse(s).map(|q| q.as_f64()),
        _ => None,
    }
}

/// A value for a message: a scalar as written, a short list inline, else its kind.
pub fn show(node: Option<&Node>) -> String {
    match node.map(|n| &n.value) {
        None => "(not set)".into(),
        Some(Value::Seq(items)) if items.len() <= 4 && is_scalar_list(items) => {
            format!(
                "[{}]",
                items
                    .iter()
                    .map(Node::display)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        Some(_) => node.map(Node::display).unwrap_or_default(),
    }
}

/// The keys of two mappings, each once, in the order they first appear (old first).
pub fn union_keys(old: Option<&Node>, new: Option<&Node>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let entries = old.map(Node::entries).unwrap_or_default().iter();
    entries
        .chain(new.map(Node::entries).unwrap_or_default())
        .filter_map(|e| e.key.key_text())
        .filter(|key| seen.insert(key.clone()))
        .map(|key| key.into_owned())
        .collect()
}
