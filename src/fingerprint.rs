//! Identities of findings that survive edits elsewhere in a file: the field path of a span
//! inside its object, and a fingerprint (rule + object + path) for baselines and SARIF.

use crate::diagnostic::Diagnostic;
use crate::yaml::{Node, Value};
use std::ops::Range;

/// `spec.template.spec.containers[web].ports[0].name`: list items are named by their `name`
/// (or `metadata.name`) when they have one, so reordering a list keeps the path.
pub fn field_path(root: &Node, span: &Range<usize>) -> Option<String> {
    let mut path = String::new();
    let mut node = root;
    loop {
        match &node.value {
            Value::Map(entries) => {
                let entry = entries
                    .iter()
                    .find(|e| e.key.span == *span || contains(&e.value.span, span))?;
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&entry.key.key_text()?);
                if entry.key.span == *span || entry.value.span == *span {
                    return Some(path);
                }
                node = &entry.value;
            }
            Value::Seq(items) => {
                let (index, item) = items
                    .iter()
                    .enumerate()
                    .find(|(_, item)| contains(&item.span, span))?;
                let label = item
                    .get("name")
                    .or_else(|| item.path(&["metadata", "name"]))
                    .and_then(Node::as_str)
                    .map_or_else(|| index.to_string(), str::to_owned);
                path.push_str(&format!("[{label}]"));
                if item.span == *span {
                    return Some(path);
                }
                node = item;
            }
            _ => return Some(path),
        }
    }
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end && outer.start < outer.end
}

/// A stable 64-bit FNV-1a hash, as 16 hex digits: no dependency, same on every platform.
pub fn fingerprint(d: &Diagnostic, file_name: &str) -> String {
    let mut text = String::from(d.rule);
    text.push('\u{1f}');
    match &d.object {
        Some(o) => text.push_str(&format!(
            "{}/{}/{}/{}",
            o.api_version,
            o.kind,
            o.namespace.as_deref().unwrap_or(""),
            o.name
        )),
        None => text.push_str(file_name),
    }
    text.push('\u{1f}');
    match &d.path {
        Some(path) => text.push_str(path),
        None => text.push_str(&d.message),
    }
    format!("{:016x}", stable_hash(text.as_bytes()))
}

/// 64-bit FNV-1a: the same on every platform and run (result ids, fingerprints).
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_list_items_by_name() {
        let text =
            "spec:\n  containers:\n    - name: web\n      ports:\n        - containerPort: 80\n";
        let doc = &crate::yaml::parse(text).documents[0];
        let port = doc.root.path(&["spec", "containers"]).unwrap().items()[0]
            .get("ports")
            .unwrap()
            .items()[0]
            .get("containerPort")
            .unwrap();
        assert_eq!(
            field_path(&doc.root, &port.span).as_deref(),
            Some("spec.containers[web].ports[0].containerPort")
        );
        let key = doc.root.entry("spec").unwrap().key.span.clone();
        assert_eq!(field_path(&doc.root, &key).as_deref(), Some("spec"));
    }
}
