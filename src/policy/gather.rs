//! Finding the policies of a run before its objects are linted: only files that mention a
//! policy's or definition's kind are parsed here (a fast byte search over the rest), then the
//! namespaces and params those policies read.

use super::admission::{Binding, Policy, GROUP_VERSION};
use super::crd::Definition;
use super::{expression, rule_id, Param, PolicySet};
use crate::diagnostic::FileId;
use crate::input::{Content, Input};
use crate::model::{self, Extracted};
use crate::settings::Settings;
use kube_cel::cel::objects::Map;
use kube_cel::cel::Value;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// The bytes of an input, read now if it is a file; `None` if it cannot be read (linting it
/// says why).
fn bytes_of(input: &Input) -> Option<std::borrow::Cow<'_, [u8]>> {
    match &input.content {
        Content::Bytes(bytes) => Some(std::borrow::Cow::Borrowed(bytes)),
        Content::File(path) => crate::input::read_file(path)
            .ok()
            .map(std::borrow::Cow::Owned),
        Content::Unreadable(_) => None,
        Content::Shared(text) => Some(std::borrow::Cow::Borrowed(text.as_bytes())),
    }
}

/// Whether `bytes` declare an object of `kind`: the word after a `kind:` key (YAML or JSON,
/// quoted or not), not merely the word anywhere (`Namespace` is in `namespaceSelector`'s
/// neighbours, `ConfigMap` in every chart).
fn declares_kind(bytes: &[u8], finder: &memchr::memmem::Finder<'_>) -> bool {
    let kind = finder.needle();
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'"' | b'\'');
    finder.find_iter(bytes).any(|at| {
        let ends_word = bytes
            .get(at + kind.len())
            .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'.'));
        // Backwards from the word: quotes and spaces, a colon, quotes and spaces, `kind`.
        let mut before = bytes[..at].iter().rev().skip_while(|b| is_space(b));
        let colon = before.next() == Some(&b':');
        let key: Vec<u8> = before
            .skip_while(|b| is_space(b))
            .take(5)
            .copied()
            .collect();
        ends_word
            && colon
            && key.starts_with(b"dnik")
            && key.get(4).is_none_or(|b| !b.is_ascii_alphanumeric())
    })
}

/// The texts of the inputs that declare an object of one of `kinds` (and, when `also` is not
/// empty, contain one of its words too), by file index.
fn texts_with(
    inputs: &[Input],
    kinds: &[&[u8]],
    also: &[Vec<u8>],
    skip: &[FileId],
) -> Vec<(FileId, String)> {
    let finders: Vec<memchr::memmem::Finder<'_>> =
        kinds.iter().map(memchr::memmem::Finder::new).collect();
    let words: Vec<memchr::memmem::Finder<'_>> =
        also.iter().map(memchr::memmem::Finder::new).collect();
    inputs
        .par_iter()
        .enumerate()
        .filter(|(file, _)| !skip.contains(file))
        .filter_map(|(file, input)| {
            let bytes = bytes_of(input)?;
            if !finders.iter().any(|f| declares_kind(&bytes, f)) {
                return None;
            }
            if !words.is_empty() && !words.iter().any(|w| w.find(&bytes).is_some()) {
                return None;
            }
            let text = String::from_utf8(bytes.into_owned()).ok()?;
            Some((file, text))
        })
        .collect()
}

/// Calls `each` with every object of `text` (file `file`).
fn objects_of(file: FileId, text: &str, mut each: impl FnMut(&model::Object<'_>)) {
    let parsed = crate::yaml::parse(text);
    for doc in &parsed.documents {
        let mut extracted = Extracted::default();
        model::extract(file, doc, None, &mut extracted);
        for object in &extracted.objects {
            each(object);
        }
    }
}

/// The policies of `inputs`, `None` when there are none (the usual run costs one byte search
/// per file).
/// `previous`: the previous version of the inputs (`--previous`): an object found there again
/// is an update, judged with its old version.
pub fn gather(
    inputs: &[Input],
    previous: Option<&[Input]>,
    settings: &Settings,
) -> Option<Arc<PolicySet>> {
    let texts = texts_with(
        inputs,
        &[
            b"ValidatingAdmissionPolicy",
            b"ValidatingAdmissionPolicyBinding",
            b"CustomResourceDefinition",
        ],
        &[],
        &[],
    );
    if texts.is_empty() && settings.project_policies.is_empty() {
        return None;
    }
    let mut set = PolicySet {
        default_namespace: settings
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into()),
        ..PolicySet::default()
    };
    let mut bindings = Vec::new();
    for (file, text) in &texts {
        objects_of(*file, text, |object| {
            // Only the versions the API server serves by default: a v1beta1 policy is not
            // installed, so it enforces nothing.
            match (object.api_version, object.kind) {
                (GROUP_VERSION, "ValidatingAdmissionPolicy") => {
                    set.policies
                        .push(Policy::read(*file, object.root, object.name, text));
                }
                (GROUP_VERSION, "ValidatingAdmissionPolicyBinding") => {
                    bindings.push(Binding::read(*file, object.root, object.name));
                }
                ("apiextensions.k8s.io/v1", "CustomResourceDefinition") => {
                    if let Some(d) = Definition::read(*file, object.root, text) {
                        set.definitions.insert((d.group.clone(), d.kind.clone()), d);
                    }
                }
                _ => {}
            }
        });
    }
    // Bindings in policy order, each with its policy (a binding of no policy binds nothing).
    // What the API server refuses to create enforces nothing: a policy with an expression
    // that does not compile, a binding whose paramRef says not what to do without params.
    let installed: Vec<bool> = set
        .policies
        .iter()
        .map(|p| p.expressions().all(|e| e.program.is_ok()))
        .collect();
    for binding in bindings {
        if binding
            .param_ref
            .as_ref()
            .is_some_and(|r| r.not_found_action.is_none())
        {
            continue;
        }
        if let Some(i) = set.policies.iter().position(|p| p.name == binding.policy) {
            if installed[i] {
                set.bindings.push((i, binding));
            }
        }
    }
    set.bindings.sort_by_key(|(i, _)| *i);
    set.enabled = set
        .policies
        .iter()
        .map(|p| settings.is_policy_enabled(rule_id(&p.name)))
        .collect();
    problems(&mut set);
    set.project = settings
        .project_policies
        .iter()
        .map(|p| super::Project::new(p, settings))
        .collect();
    // What the bound policies read of other objects: namespaces and params.
    let mut read_digest = looked_up(&mut set, inputs);
    if !set.bindings.is_empty() {
        // Namespaces, and params of the kinds policies take, where a binding's paramRef could
        // name them (by name, or by a label its selector asks for).
        let mut kinds: Vec<&[u8]> = vec![b"Namespace"];
        let mut words: Vec<Vec<u8>> = Vec::new();
        for policy in &set.policies {
            if let Some((_, kind)) = &policy.param_kind {
                kinds.push(kind.as_bytes());
            }
        }
        let param_kinds: Vec<(String, String)> = set
            .policies
            .iter()
            .filter_map(|p| p.param_kind.clone())
            .collect();
        let namespaces = texts_with(inputs, &[b"Namespace"], &[], &[]);
        for (_, binding) in &set.bindings {
            if let Some(r) = &binding.param_ref {
                if let Some(name) = &r.name {
                    words.push(name.as_bytes().to_vec());
                }
                for (key, _) in r.selector.iter().flat_map(|s| s.match_labels.iter()) {
                    words.push(key.as_bytes().to_vec());
                }
                for e in r.selector.iter().flat_map(|s| s.expressions.iter()) {
                    words.push(e.key.as_bytes().to_vec());
                }
            }
        }
        let param_kinds_bytes: Vec<&[u8]> = kinds[1..].to_vec();
        let mut read = namespaces;
        if !param_kinds_bytes.is_empty() && !words.is_empty() {
            let seen: Vec<FileId> = read.iter().map(|(f, _)| *f).collect();
            read.extend(texts_with(inputs, &param_kinds_bytes, &words, &seen));
        }
        read_digest ^= digest(&read);
        for (file, text) in read {
            objects_of(file, &text, |object| {
                if object.kind == "Namespace" && object.api_version == "v1" {
                    set.namespaces.insert(
                        object.name.to_string(),
                        super::completed_namespace(Some(object.root), object.name),
                    );
                }
                if param_kinds
                    .iter()
                    .any(|(v, k)| v == object.api_version && k == object.kind)
                {
                    set.params.push(Param {
                        api_version: object.api_version.to_string(),
                        kind: object.kind.to_string(),
                        namespace: object.namespace.map(str::to_string),
                        name: object.name.to_string(),
                        labels: object.root.path(&["metadata", "labels"]).cloned(),
                        value: expression::value_of(object.root),
                    });
                }
            });
        }
    }
    if set.is_empty() && set.problems.is_empty() {
        return None;
    }
    // The previous versions, by identity: policies then see an UPDATE with `oldObject`, and
    // definitions' transition rules their `oldSelf`.
    for (file, input) in previous.unwrap_or_default().iter().enumerate() {
        let Some(text) = bytes_of(input).and_then(|b| String::from_utf8(b.into_owned()).ok())
        else {
            continue;
        };
        objects_of(file, &text, |object| {
            let (group, _) = super::split_api_version(object.api_version);
            let namespace = object
                .namespace
                .unwrap_or(&set.default_namespace)
                .to_string();
            set.previous.insert(
                (
                    group.to_string(),
                    object.kind.to_string(),
                    namespace,
                    object.name.to_string(),
                ),
                object.root.clone(),
            );
        });
    }
    let expressions: Vec<String> = set
        .policies
        .iter()
        .chain(set.project.iter().map(|p| &p.policy))
        .flat_map(|p| p.expressions())
        .map(|e| e.text.clone())
        .collect();
    set.reads = expression::Reads::of(expressions.iter().map(String::as_str));
    set.request_reads = super::admission::RequestReads::of(expressions.iter().map(String::as_str));
    // Policies that read the same share one `object` per checked object.
    let mut groups: Vec<Option<expression::Reads>> = Vec::new();
    for policy in set
        .policies
        .iter_mut()
        .chain(set.project.iter_mut().map(|p| &mut p.policy))
    {
        policy.read_group = match groups.iter().position(|g| *g == policy.reads) {
            Some(at) => at,
            None => {
                groups.push(policy.reads.clone());
                groups.len() - 1
            }
        };
    }
    set.read_groups = groups.len();
    set.digest = digest(&texts) ^ read_digest.rotate_left(1);
    Some(Arc::new(set))
}

/// The objects the project policies look up in `objects` (`objects["Service"][namespace]
/// [name]`), read once and indexed by kind, namespace (empty for cluster-scoped kinds) and
/// name: an expression looks one up without a scan. Only the kinds they name are read. The
/// digest of what was read.
fn looked_up(set: &mut PolicySet, inputs: &[Input]) -> u64 {
    let texts: Vec<&str> = set
        .project
        .iter()
        .flat_map(|p| p.policy.expressions())
        .map(|e| e.text.as_str())
        .filter(|t| expression::names(t, "objects"))
        .collect();
    if texts.is_empty() {
        return 0;
    }
    let mut index: HashMap<String, HashMap<String, HashMap<String, Value>>> = HashMap::new();
    let read = match expression::kinds_looked_up(texts) {
        Some(kinds) => {
            // A kind named but absent is empty, not missing: `name in objects.Service[ns]`
            // still reads.
            for kind in &kinds {
                index.entry(kind.clone()).or_default();
            }
            let kinds: Vec<&[u8]> = kinds.iter().map(|k| k.as_bytes()).collect();
            texts_with(inputs, &kinds, &[], &[])
        }
        None => inputs
            .par_iter()
            .enumerate()
            .filter_map(|(file, input)| {
                let text = String::from_utf8(bytes_of(input)?.into_owned()).ok()?;
                Some((file, text))
            })
            .collect(),
    };
    for (file, text) in &read {
        objects_of(*file, text, |object| {
            let (_, namespaced) = set.resource_of(object.api_version, object.kind);
            let namespace = match (namespaced, object.namespace) {
                (false, _) => "",
                (true, Some(namespace)) => namespace,
                (true, None) => &set.default_namespace,
            };
            index
                .entry(object.kind.to_string())
                .or_default()
                .entry(namespace.to_string())
                .or_default()
                .entry(object.name.to_string())
                .or_insert_with(|| expression::value_of(object.root));
        });
    }
    let map = |entries: HashMap<String, Value>| {
        Value::Map(Map {
            map: Arc::new(
                entries
                    .into_iter()
                    .map(|(k, v)| (expression::key_of(&k), v))
                    .collect(),
            ),
        })
    };
    let objects = map(index
        .into_iter()
        .map(|(kind, namespaces)| {
            let namespaces = namespaces.into_iter().map(|(n, names)| (n, map(names)));
            (kind, map(namespaces.collect()))
        })
        .collect());
    let mut scope = expression::functions().new_inner_scope();
    scope.add_variable_from_value("objects", objects);
    set.objects = Some(scope);
    digest(&read)
}

/// The expressions that do not compile: the API server refuses the policy or definition
/// that holds them.
fn problems(set: &mut PolicySet) {
    let mut found = Vec::new();
    for policy in &set.policies {
        for expression in policy.expressions() {
            if let (Err(e), Some(file)) = (&expression.program, policy.file) {
                found.push(crate::rules::policy_expression_invalid::diagnostic(
                    file,
                    e.span.clone(),
                    "ValidatingAdmissionPolicy",
                    &policy.name,
                    &expression.text,
                    &e.message,
                ));
            }
        }
    }
    for definition in set.definitions.values() {
        for expression in &definition.broken_rules {
            if let Err(e) = &expression.program {
                found.push(crate::rules::policy_expression_invalid::diagnostic(
                    definition.file,
                    e.span.clone(),
                    "CustomResourceDefinition",
                    &definition.name,
                    &expression.text,
                    &e.message,
                ));
            }
        }
    }
    set.problems = found;
}

fn digest(texts: &[(FileId, String)]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    texts.hash(&mut hasher);
    hasher.finish()
}
