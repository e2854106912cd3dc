//! Shared views of Kubernetes objects that several rules need.

use crate::model::Object;
use crate::yaml::Node;

pub use crate::model::{containers, pod_labels, pod_spec, selects, POD_TEMPLATE_KINDS};

/// The label selectors of `object` that the API server validates as label selectors
/// (`ValidateLabelSelector`): a workload's, budget's or claim's `spec.selector`, its claim
/// templates', and its pod template's affinity terms and topology spread constraints.
pub fn label_selectors<'a>(object: &Object<'a>) -> Vec<&'a Node> {
    let mut selectors: Vec<&Node> = Vec::new();
    selectors.extend(
        object
            .get(&["spec", "selector"])
            .filter(|_| !object.is("Service") && !object.is("ReplicationController")),
    );
    // A StatefulSet's claim templates' selectors are validated with it.
    for template in claim_templates(object) {
        selectors.extend(template.node.path(&["spec", "selector"]));
    }
    if let Some(spec) = pod_spec(object) {
        for kind in ["podAffinity", "podAntiAffinity"] {
            let Some(affinity) = spec.path(&["affinity", kind]) else {
                continue;
            };
            for term in affinity
                .get("requiredDuringSchedulingIgnoredDuringExecution")
                .map(Node::items)
                .unwrap_or_default()
            {
                selectors.extend(term.get("labelSelector"));
            }
            for weighted in affinity
                .get("preferredDuringSchedulingIgnoredDuringExecution")
                .map(Node::items)
                .unwrap_or_default()
            {
                selectors.extend(weighted.path(&["podAffinityTerm", "labelSelector"]));
            }
        }
        for constraint in spec
            .get("topologySpreadConstraints")
            .map(Node::items)
            .unwrap_or_default()
        {
            selectors.extend(constraint.get("labelSelector"));
        }
    }
    selectors
}

/// The span of a key when present, else the value's.
pub fn key_span(parent: &Node, key: &str) -> Option<std::ops::Range<usize>> {
    parent.entry(key).map(|e| e.key.span.clone())
}

/// One entry of `spec.volumeClaimTemplates`.
pub struct ClaimTemplate<'a> {
    pub name: String,
    pub node: &'a Node,
    /// Where a finding about the template as a whole points: its `name`, else its first key.
    pub anchor: std::ops::Range<usize>,
}

pub fn claim_templates<'a>(object: &Object<'a>) -> Vec<ClaimTemplate<'a>> {
    if !object.is("StatefulSet") {
        return Vec::new();
    }
    let Some(templates) = object.get(&["spec", "volumeClaimTemplates"]) else {
        return Vec::new();
    };
    templates
        .items()
        .iter()
        .map(|node| {
            let name_node = node.path(&["metadata", "name"]);
            ClaimTemplate {
                name: name_node.map_or_else(|| "(unnamed)".to_string(), Node::display),
                node,
                anchor: name_node.map_or_else(|| first_key_span(node), |n| n.span.clone()),
            }
        })
        .collect()
}

/// The first key of a mapping (where a finding about a missing child points), else the node.
pub fn first_key_span(node: &Node) -> std::ops::Range<usize> {
    node.entries()
        .first()
        .map_or(node.span.clone(), |e| e.key.span.clone())
}

/// Names of the pod's volumes (`spec.volumes[].name`) with their nodes.
pub fn pod_volumes(pod_spec: &Node) -> impl Iterator<Item = (&str, &Node)> {
    pod_spec
        .get("volumes")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|v| v.get("name").and_then(|n| n.as_str().map(|s| (s, n))))
}

/// Every `ports` entry of every container of a pod spec.
pub fn container_ports(pod_spec: &Node) -> impl Iterator<Item = &Node> {
    containers(pod_spec).flat_map(|c| c.get("ports").map(Node::items).unwrap_or_default())
}

/// Where a finding about something missing from `spec` points: the `spec` key (or `kind`).
pub fn spec_key_span(object: &Object<'_>) -> std::ops::Range<usize> {
    object
        .root
        .entry("spec")
        .map_or(object.kind_span(), |e| e.key.span.clone())
}

/// The `spec` of a StatefulSet; `None` for other kinds.
pub fn statefulset_spec<'a>(object: &Object<'a>) -> Option<&'a Node> {
    object
        .is("StatefulSet")
        .then(|| object.get(&["spec"]))
        .flatten()
}

/// A safe fix for a value written in the wrong case (`parallel` → `Parallel`): the meaning is
/// evident, only the spelling the API server wants differs.
pub fn case_fix(
    d: &mut crate::diagnostic::Diagnostic,
    text: &str,
    span: std::ops::Range<usize>,
    values: &[&str],
) {
    if let Some(right) = values.iter().find(|v| v.eq_ignore_ascii_case(text)) {
        d.with_fix(crate::diagnostic::Fix::replace(
            format!("Replace `{text}` with `{right}`"),
            span,
            *right,
            crate::diagnostic::Applicability::Safe,
        ));
    }
}
