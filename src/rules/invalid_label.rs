//! Label keys and values, selector labels and annotation keys the API server rejects
//! (`ValidateLabels`, `ValidateAnnotations`): a `+` in a chart version, a space, 64 characters.
use super::{Context, Rule, Sink};
use crate::kube::{label_key_problem, label_value_problem};
use crate::model::Object;

pub struct InvalidLabel;

impl Rule for InvalidLabel {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let template = if object.is("CronJob") {
            object.get(&["spec", "jobTemplate", "spec", "template", "metadata"])
        } else {
            object.get(&["spec", "template", "metadata"])
        };
        let plain_selector = object.is("Service") || object.is("ReplicationController");
        let candidates = [
            (object.get(&["metadata", "labels"]), true),
            (object.get(&["metadata", "annotations"]), false),
            (super::pod_labels(object), true),
            (template.and_then(|t| t.get("annotations")), false),
            (object.get(&["spec", "selector", "matchLabels"]), true),
            (
                object.get(&["spec", "selector"]).filter(|_| plain_selector),
                true,
            ),
        ];
        // The `matchLabels` of the pod template's affinity terms and spread constraints (the
        // object's own `spec.selector` is above).
        let selectors = super::label_selectors(object)
            .into_iter()
            .skip_while(|s| {
                object
                    .get(&["spec", "selector"])
                    .is_some_and(|own| std::ptr::eq(*s, own))
            })
            .map(|s| (s.get("matchLabels"), true));
        let maps = candidates
            .into_iter()
            .chain(selectors)
            .filter_map(|(node, values)| Some((node.filter(|n| n.is_map())?, values)));
        for (map, values) in maps {
            for entry in map.entries() {
                let Some(key) = entry.key.key_text() else {
                    continue;
                };
                let what = if values { "label" } else { "annotation" };
                if let Some(problem) = label_key_problem(&key) {
                    sink.report(object, entry.key.span.clone(), format!("{what} key `{key}` is not a valid key: it {problem}"))
                        .with_help_text(format!("the API server rejects the {}; keys are `[prefix/]name` with a DNS-subdomain prefix and a name of up to 63 letters, digits, '-', '_' and '.'", object.kind));
                }
                if !values {
                    continue;
                }
                // A label value must be a string; YAML 1.1 scalars are reported by the schema check.
                let Some(value) = entry.value.as_str() else {
                    continue;
                };
                if let Some(problem) = label_value_problem(value) {
                    let cleaned: String = value
                        .chars()
                        .map(|c| {
                            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                                c
                            } else {
                                '_'
                            }
                        })
                        .take(63)
                        .collect();
                    let cleaned = cleaned.trim_matches(|c: char| !c.is_ascii_alphanumeric());
                    sink.report(object, entry.value.span.clone(), format!("label `{key}: {value}` has an invalid value: it {problem}"))
                        .with_help_text(format!("the API server rejects the {}; use up to 63 letters, digits, '-', '_' and '.', e.g. `{cleaned}` (Helm charts: `replace \"+\" \"_\"` on the chart version)", object.kind));
                }
            }
        }
    }
}
