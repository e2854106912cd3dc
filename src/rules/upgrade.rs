//! What the upgrade rules share: which objects an upgrade updates in place, where findings
//! point in both versions, and the commands of the usual ways out.

use super::Sink;
use crate::compare::{self, Change};
use crate::diagnostic::Diagnostic;
use crate::workspace::Linked;
use crate::yaml::{Node, Value};
use std::ops::Range;

/// Whether an upgrade updates the object in place. Helm deletes and recreates hook resources
/// (`helm.sh/hook`) instead of updating them, so their fields are never "changed".
pub fn updated_in_place(object: &Linked) -> bool {
    annotation(object, "helm.sh/hook").is_none()
}

/// Whether Helm keeps the object when it leaves the chart (`helm.sh/resource-policy: keep`).
pub fn kept_when_removed(object: &Linked) -> bool {
    annotation(object, "helm.sh/resource-policy").is_some_and(|v| v.trim() == "keep")
}

fn annotation<'a>(object: &'a Linked, key: &str) -> Option<&'a str> {
    object
        .root
        .path(&["metadata", "annotations", key])
        .and_then(Node::as_str)
}

/// The `metadata.name` value of an object, else its root.
pub fn name_span(object: &Linked) -> Range<usize> {
    object
        .root
        .path(&["metadata", "name"])
        .map_or(object.root.span.clone(), |n| n.span.clone())
}

/// A node that stands for a default the API server fills in, placed where the field would be.
pub fn default_node(value: Value, at: Range<usize>) -> Node {
    Node { value, span: at }
}

/// The default `volumeMode` of two claim specs (`Filesystem`), placed in each: what
/// [`claim_spec_changes`] compares an absent `volumeMode` as.
pub fn filesystem_defaults(old_spec: &Node, new_spec: &Node) -> (Node, Node) {
    let filesystem = |at: &Node| default_node(Value::Str("Filesystem".into()), at.span.clone());
    (filesystem(old_spec), filesystem(new_spec))
}

/// How `key` differs between two claim specs (a PersistentVolumeClaim's or a claim
/// template's), as the API server compares them: an absent `volumeMode` is `defaults`
/// (`Filesystem`), and `storageClassName: ""` (no class) is not the same as no field (the
/// default class).
pub fn claim_spec_changes<'a>(
    old: &'a Node,
    new: &'a Node,
    key: &str,
    defaults: &'a (Node, Node),
) -> Vec<Change<'a>> {
    let (x, y) = match key {
        "volumeMode" => (
            old.get(key).or(Some(&defaults.0)),
            new.get(key).or(Some(&defaults.1)),
        ),
        _ => (old.get(key), new.get(key)),
    };
    let mut changes = compare::diff(
        x,
        y,
        &format!("spec.{key}"),
        old.span.clone(),
        new.span.clone(),
    );
    if key == "storageClassName"
        && changes.is_empty()
        && x.and_then(Node::as_str) != y.and_then(Node::as_str)
    {
        changes.push(Change {
            path: "spec.storageClassName".into(),
            old: x,
            new: y,
            old_at: x.map_or(old.span.clone(), |n| n.span.clone()),
            new_at: y.map_or(new.span.clone(), |n| n.span.clone()),
        });
    }
    changes
}

/// The names of a StatefulSet's claim templates (those that have one).
pub fn claim_template_names(statefulset: &Linked) -> Vec<String> {
    super::claim_templates(&statefulset.object())
        .into_iter()
        .filter(|t| t.node.path(&["metadata", "name"]).is_some())
        .map(|t| t.name)
        .collect()
}

/// Reports `message` at the new side of `change`, with the old side as a related location.
pub fn report_change<'s>(
    sink: &'s mut Sink<'_>,
    new: &Linked,
    old: &Linked,
    change: &Change<'_>,
    message: String,
) -> &'s mut Diagnostic {
    let was = match change.old {
        Some(_) => format!("previously `{}`", compare::show(change.old)),
        None => "previously not set".to_owned(),
    };
    let d = sink.report(&new.object(), change.new_at.clone(), message);
    d.add_related(old.file, change.old_at.clone(), was);
    d
}

/// `kubectl` arguments that name the object's namespace, when it has one.
pub fn namespace_flag(object: &Linked) -> String {
    object
        .namespace
        .as_deref()
        .map_or_else(String::new, |ns| format!(" -n {ns}"))
}

/// The usual way out of an immutable StatefulSet field: replace the StatefulSet object and
/// leave its pods and claims running, for the new one to adopt.
pub fn orphan_and_recreate(object: &Linked) -> String {
    format!(
        "`kubectl delete {} {}{} --cascade=orphan`, then deploy: the pods and their claims keep running and the new {} adopts them",
        object.kind.to_lowercase(),
        object.name,
        namespace_flag(object),
        object.kind
    )
}

/// The API server's answer to a StatefulSet spec change outside the fields it lets change.
pub fn statefulset_forbidden(object: &Linked, version: (u32, u32)) -> String {
    format!(
        "StatefulSet.apps \"{}\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than {} are forbidden",
        object.name,
        and_list(
            &statefulset_mutable_fields(version)
                .iter()
                .map(|f| format!("'{f}'"))
                .collect::<Vec<_>>()
        )
    )
}

/// `a, b and c`, as the API server's messages list fields.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The StatefulSet spec fields the API server lets an update change, by Kubernetes version
/// (`ValidateStatefulSetUpdate`): the three of apps/v1, then `minReadySeconds` (default on in
/// 1.23), `ordinals` and `persistentVolumeClaimRetentionPolicy` (beta, default on in 1.27).
pub fn statefulset_mutable_fields(version: (u32, u32)) -> Vec<&'static str> {
    let mut fields = vec!["replicas"];
    if version >= (1, 27) {
        fields.push("ordinals");
    }
    fields.extend(["template", "updateStrategy"]);
    if version >= (1, 27) {
        fields.push("persistentVolumeClaimRetentionPolicy");
    }
    if version >= (1, 23) {
        fields.push("minReadySeconds");
    }
    fields
}

/// The claim names a StatefulSet's pods use for `template`: `<template>-<statefulset>-<ordinal>`.
pub fn claim_names(statefulset: &Linked, template: &str, ordinals: Range<i64>) -> String {
    let names: Vec<String> = ordinals
        .clone()
        .take(3)
        .map(|i| format!("{template}-{}-{i}", statefulset.name))
        .collect();
    let more = if ordinals.end - ordinals.start > 3 {
        format!(" … {template}-{}-{}", statefulset.name, ordinals.end - 1)
    } else {
        String::new()
    };
    format!("`{}`{more}", names.join("`, `"))
}

/// A StatefulSet's replica count (default 1) and first ordinal (`ordinals.start`, default 0).
pub fn replicas_and_start(statefulset: &Linked) -> (i64, i64) {
    let spec = statefulset.root.get("spec");
    let replicas = spec
        .and_then(|s| s.get("replicas"))
        .map_or(Some(1), Node::as_i64)
        .unwrap_or(1);
    let start = spec
        .and_then(|s| s.path(&["ordinals", "start"]))
        .and_then(Node::as_i64)
        .unwrap_or(0);
    (replicas, start)
}
