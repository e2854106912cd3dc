//! The schema walk (what the typed decode of a kind accepts, learnt from k8s-openapi) skips the
//! decode for well-formed objects. It must never accept an object the decode rejects, or an
//! unknown field or a wrong type would go unreported: checked on every object of the fixtures,
//! the examples and the shared corpus, and on each of them with one node changed.

use std::path::{Path, PathBuf};
use stslint::model::{extract, Extracted, Object};
use stslint::schema::walk_and_decode;
use stslint::yaml::{Entry, Node, Value};

fn yaml_files(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        {
            out.push(path);
        }
    }
}

/// Every typed object of `files`, as (apiVersion, kind, root).
fn objects(files: &[PathBuf]) -> Vec<(String, String, Node)> {
    let mut out = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for doc in stslint::yaml::parse(&text).documents {
            let mut extracted = Extracted::default();
            extract(0, &doc, None, &mut extracted);
            for object in &extracted.objects {
                if walk_and_decode(object).is_some() {
                    out.push((
                        object.api_version.to_string(),
                        object.kind.to_string(),
                        object.root.clone(),
                    ));
                }
            }
        }
    }
    out
}

fn verdict(api_version: &str, kind: &str, root: &Node) -> (bool, bool) {
    let object = Object {
        file: 0,
        root,
        api_version,
        kind,
        name: "",
        namespace: None,
        helm_source: None,
    };
    walk_and_decode(&object).expect("a typed kind")
}

fn ours() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    yaml_files(&root.join("tests/fixtures"), &mut files);
    yaml_files(&root.join("examples"), &mut files);
    files.sort();
    files
}

fn corpus() -> Option<Vec<PathBuf>> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !corpus.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "../shared/corpus is missing on CI"
        );
        eprintln!("skipped: ../shared/corpus is absent");
        return None;
    }
    let mut files = Vec::new();
    yaml_files(&corpus, &mut files);
    files.sort();
    Some(files)
}

#[test]
fn the_walk_never_accepts_what_the_decode_rejects() {
    let mut files = ours();
    files.extend(corpus().unwrap_or_default());
    let objects = objects(&files);
    let (mut accepted, mut clean) = (0, 0);
    for (api_version, kind, root) in &objects {
        let (walk, decode) = verdict(api_version, kind, root);
        assert!(
            !walk || decode,
            "the walk accepted a {kind} the decode rejects: {root:?}"
        );
        accepted += usize::from(walk);
        clean += usize::from(decode);
    }
    eprintln!(
        "{} typed objects: {clean} clean, {accepted} accepted by the walk",
        objects.len()
    );
    // The walk is what makes the schema check cheap: it must answer for the objects that are
    // well-formed, not send them all to the decode.
    assert!(clean > 100, "too few objects: {clean}");
    assert!(
        accepted * 100 >= clean * 95,
        "the walk accepted {accepted} of {clean} well-formed objects"
    );
}

/// Each node of each object in turn replaced by each of these.
fn replacements() -> Vec<Value> {
    let key = |k: &str| Node {
        value: Value::Str(k.into()),
        span: 0..0,
    };
    vec![
        Value::Null,
        Value::Bool(true),
        Value::Int(3),
        Value::Int(1 << 40),
        Value::Float(0.5),
        Value::Float(2.0),
        Value::Str("x".into()),
        Value::Str("2024-01-01T00:00:00Z".into()),
        Value::Seq(vec![]),
        Value::Seq(vec![key("x")]),
        Value::Map(vec![]),
        Value::Map(vec![Entry {
            key: key("notAField"),
            value: key("x"),
        }]),
    ]
}

/// Replaces the `index`th node of `node` (preorder, keys included) by `value`; false when
/// there are fewer nodes.
fn replace_nth(node: &mut Node, index: &mut usize, value: &Value) -> bool {
    if *index == 0 {
        node.value = value.clone();
        return true;
    }
    *index -= 1;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().any(|n| replace_nth(n, index, value)),
        Value::Map(entries) => entries.iter_mut().any(|e| {
            replace_nth(&mut e.key, index, value) || replace_nth(&mut e.value, index, value)
        }),
        _ => false,
    }
}

fn size(node: &Node) -> usize {
    1 + match &node.value {
        Value::Seq(items) => items.iter().map(size).sum(),
        Value::Map(entries) => entries.iter().map(|e| size(&e.key) + size(&e.value)).sum(),
        _ => 0,
    }
}

#[test]
fn the_walk_never_accepts_a_changed_object_the_decode_rejects() {
    let objects = objects(&ours());
    let mut checked = 0;
    for (api_version, kind, root) in &objects {
        for at in 1..size(root) {
            for value in replacements() {
                let mut changed = root.clone();
                if !replace_nth(&mut changed, &mut at.clone(), &value) {
                    continue;
                }
                let (walk, decode) = verdict(api_version, kind, &changed);
                assert!(
                    !walk || decode,
                    "the walk accepted a {kind} the decode rejects: {changed:?}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000, "only {checked} variants");
}
