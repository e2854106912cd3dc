//! `spec.selector` missing, or not matching `spec.template.metadata.labels`.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct WorkloadSelectorMismatch;

const KINDS: &[&str] = &["StatefulSet", "Deployment", "DaemonSet", "ReplicaSet"];

impl Rule for WorkloadSelectorMismatch {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !KINDS.contains(&object.kind) || !object.api_version.starts_with("apps/") {
            return;
        }
        let Some(spec) = object.get(&["spec"]) else {
            return;
        };
        let labels = spec.path(&["template", "metadata", "labels"]);
        let Some(selector) = spec.get("selector") else {
            let span = super::spec_key_span(object);
            sink.report(object, span, format!("{} `{}` has no `spec.selector`", object.kind, object.name))
                .with_help_text("apps/v1 requires a selector matching the pod template labels: add `selector: {matchLabels: {...}}` with those labels");
            return;
        };
        let parsed = crate::kube::LabelSelector::from_node(selector);
        if parsed.is_empty() {
            sink.report(object, selector.span.clone(), format!("{} `{}` has an empty `spec.selector`", object.kind, object.name))
                .with_help_text(format!("the API server rejects it (\"empty selector is invalid for {}\"); select the pod template's labels with `matchLabels`", object.kind.to_lowercase()));
            return;
        }
        // `matchExpressions` too: the template must satisfy the whole selector.
        // Looked up once: thousands of selector labels against as many template labels stay linear.
        let looked_up = crate::kube::Labels::of(labels);
        let expressions = selector
            .get("matchExpressions")
            .map(|e| e.items())
            .unwrap_or_default();
        for (node, requirement) in expressions.iter().zip(&parsed.expressions) {
            if !requirement.matches_in(&looked_up) {
                let single = crate::kube::LabelSelector {
                    match_labels: Vec::new(),
                    expressions: vec![requirement.clone()],
                };
                sink.report(object, node.span.clone(), format!("selector requirement `{}` does not match the pod template labels", single.display()))
                    .with_help_text("apps/v1 rejects a selector that does not select its own template (\"`selector` does not match template `labels`\"); change the requirement or the template labels");
            }
        }
        let Some(match_labels) = selector.get("matchLabels") else {
            return;
        };
        for entry in match_labels.entries() {
            let key = entry.key.display();
            let wanted = entry.value.display();
            let found = looked_up.get(&key);
            if found.as_deref() == Some(wanted.as_str()) {
                continue;
            }
            let detail = match &found {
                Some(v) => format!("the pod template has `{key}: {v}`"),
                None => format!("the pod template has no label `{key}`"),
            };
            let d = sink.report(
                object,
                entry.key.span.clone(),
                format!(
                    "selector `{key}: {wanted}` does not match the pod template labels: {detail}"
                ),
            );
            d.with_help_text("apps/v1 rejects a selector that does not select its own template; make `spec.template.metadata.labels` include every `matchLabels` entry");
            if let Some(l) = labels {
                d.add_related(object.file, l.span.clone(), "pod template labels");
            }
        }
    }
}
