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
use rayon::prelude::*;
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
    }
}

/// The texts of the inputs that contain one of `needles`, by file index.
fn texts_with(inputs: &[Input], needles: &[&[u8]], skip: &[FileId]) -> Vec<(FileId, String)> {
    let finders: Vec<memchr::memmem::Finder<'_>> =
        needles.iter().map(memchr::memmem::Finder::new).collect();
    inputs
        .par_iter()
        .enumerate()
        .filter(|(file, _)| !skip.contains(file))
        .filter_map(|(file, input)| {
            let bytes = bytes_of(input)?;
            if !finders.iter().any(|f| f.find(&bytes).is_some()) {
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
pub fn gather(inputs: &[Input], settings: &Settings) -> Option<Arc<PolicySet>> {
    let texts = texts_with(
        inputs,
        &[b"ValidatingAdmissionPolicy", b"CustomResourceDefinition"],
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
    let mut read_digest = 0;
    if !set.bindings.is_empty() {
        let mut needles: Vec<Vec<u8>> = vec![b"Namespace".to_vec()];
        for policy in &set.policies {
            if let Some((_, kind)) = &policy.param_kind {
                needles.push(kind.as_bytes().to_vec());
            }
        }
        let needles: Vec<&[u8]> = needles.iter().map(Vec::as_slice).collect();
        let param_kinds: Vec<(String, String)> = set
            .policies
            .iter()
            .filter_map(|p| p.param_kind.clone())
            .collect();
        let read = texts_with(inputs, &needles, &[]);
        read_digest = digest(&read);
        for (file, text) in read {
            objects_of(file, &text, |object| {
                if object.kind == "Namespace" && object.api_version == "v1" {
                    set.namespaces
                        .insert(object.name.to_string(), object.root.clone());
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
    set.digest = digest(&texts) ^ read_digest.rotate_left(1);
    Some(Arc::new(set))
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
