//! A policy's `fieldPath` (`spec.containers[0].image`, `metadata.labels['app']`), and the
//! place in the object it names.

use crate::yaml::Node;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// The steps of a path in the API server's syntax: dotted field names, `[n]` list indexes
/// and `['key']` map keys; a leading `.` allowed. `None` when it is not one.
pub fn parse(path: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    let mut rest = path.strip_prefix('.').unwrap_or(path);
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('[') {
            let close = if inner.starts_with('\'') || inner.starts_with('"') {
                let quote = inner.chars().next()?;
                let end = inner[1..].find(quote)? + 1;
                steps.push(Step::Key(inner[1..end].to_string()));
                end + 1
            } else {
                let end = inner.find(']')?;
                steps.push(Step::Index(inner[..end].trim().parse().ok()?));
                end
            };
            rest = inner[close..].strip_prefix(']')?;
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            if end == 0 {
                return None;
            }
            steps.push(Step::Key(rest[..end].to_string()));
            rest = &rest[end..];
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    Some(steps)
}

/// Where `path` points in `root`: a scalar value when it is there, the key that names a
/// mapping or list; else the key of the deepest field on the way that is there (a missing
/// field is reported where it would be written).
pub fn locate(root: &Node, steps: &[Step]) -> Option<Range<usize>> {
    let mut node = root;
    let mut key: Option<Range<usize>> = None;
    for step in steps {
        let next = match step {
            Step::Key(name) => node.entry(name).filter(|e| !e.value.is_null()).map(|e| {
                key = Some(e.key.span.clone());
                &e.value
            }),
            Step::Index(i) => node.items().get(*i).inspect(|item| {
                key = Some(item.span.clone());
            }),
        };
        match next {
            Some(next) => node = next,
            None => return key,
        }
    }
    match node.value {
        crate::yaml::Value::Map(_) | crate::yaml::Value::Seq(_) => key.or(Some(node.span.clone())),
        _ => Some(node.span.clone()),
    }
}

/// The path in the API server's syntax.
pub fn display(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(key) if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Key(key) => out.push_str(&format!("[{key:?}]")),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_in_the_api_servers_syntax() {
        assert_eq!(
            parse(".spec.containers[0].image"),
            Some(vec![
                Step::Key("spec".into()),
                Step::Key("containers".into()),
                Step::Index(0),
                Step::Key("image".into()),
            ])
        );
        assert_eq!(
            parse("metadata.labels['app.kubernetes.io/name']"),
            Some(vec![
                Step::Key("metadata".into()),
                Step::Key("labels".into()),
                Step::Key("app.kubernetes.io/name".into()),
            ])
        );
        assert_eq!(parse("spec..x"), None);
        assert_eq!(parse("spec[x]"), None);
    }
}
