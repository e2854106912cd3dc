//! Shared views of Kubernetes objects that several rules need.

use crate::model::Object;
use crate::yaml::Node;

/// Kinds whose `spec.template` is a pod template.
pub const POD_TEMPLATE_KINDS: &[&str] = &["StatefulSet", "Deployment", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"];

/// The pod spec of a Pod or of any workload's pod template.
pub fn pod_spec<'a>(object: &Object<'a>) -> Option<&'a Node> {
    match object.kind {
        "Pod" => object.get(&["spec"]),
        "CronJob" => object.get(&["spec", "jobTemplate", "spec", "template", "spec"]),
        k if POD_TEMPLATE_KINDS.contains(&k) => object.get(&["spec", "template", "spec"]),
        _ => None,
    }
}

/// The labels pods of this object carry.
pub fn pod_labels<'a>(object: &Object<'a>) -> Option<&'a Node> {
    match object.kind {
        "Pod" => object.get(&["metadata", "labels"]),
        "CronJob" => object.get(&["spec", "jobTemplate", "spec", "template", "metadata", "labels"]),
        k if POD_TEMPLATE_KINDS.contains(&k) => object.get(&["spec", "template", "metadata", "labels"]),
        _ => None,
    }
}

/// All containers of a pod spec: init containers first, then the main ones.
pub fn containers(pod_spec: &Node) -> impl Iterator<Item = &Node> {
    let init = pod_spec.get("initContainers").map(Node::items).unwrap_or_default();
    let main = pod_spec.get("containers").map(Node::items).unwrap_or_default();
    init.iter().chain(main.iter())
}

/// Whether every `key: value` of `selector` is among `labels` (an empty selector selects
/// nothing here: Services without one are skipped by the rules that use this).
pub fn selects(selector: &Node, labels: Option<&Node>) -> bool {
    let Some(labels) = labels else { return false };
    selector.entries().iter().all(|s| {
        labels.entries().iter().any(|l| l.key.key_text() == s.key.key_text() && l.value.display() == s.value.display())
    })
}

/// The span of a key when present, else the value's.
pub fn key_span(parent: &Node, key: &str) -> Option<std::ops::Range<usize>> {
    parent.entry(key).map(|e| e.key.span.clone())
}
