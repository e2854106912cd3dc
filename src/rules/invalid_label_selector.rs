//! `matchExpressions` the API server rejects: an unknown operator, `In`/`NotIn` without values,
//! `Exists`/`DoesNotExist` with values (`ValidateLabelSelectorRequirement`).
use super::{pod_spec, Context, Rule, Sink};
use crate::model::Object;
use crate::yaml::Node;

pub struct InvalidLabelSelector;

const OPERATORS: &[&str] = &["In", "NotIn", "Exists", "DoesNotExist"];

impl Rule for InvalidLabelSelector {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let mut selectors: Vec<&Node> = Vec::new();
        selectors.extend(
            object
                .get(&["spec", "selector"])
                .filter(|_| !object.is("Service") && !object.is("ReplicationController")),
        );
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
        for selector in selectors {
            for requirement in selector
                .get("matchExpressions")
                .map(Node::items)
                .unwrap_or_default()
            {
                let Some(operator) = requirement.get("operator") else {
                    continue;
                };
                let op = operator.display();
                let values = requirement.get("values");
                let count = values.map_or(0, |v| v.items().len());
                let at = |n: Option<&Node>| n.map_or(operator.span.clone(), |n| n.span.clone());
                match op.as_str() {
                    "In" | "NotIn" if count == 0 => {
                        sink.report(object, at(values), format!("`operator: {op}` needs at least one value"))
                            .with_help_text(format!("the API server rejects the {} (\"values: Required value: must be specified when `operator` is 'In' or 'NotIn'\"); list the values, or use `Exists`", object.kind));
                    }
                    "Exists" | "DoesNotExist" if count > 0 => {
                        sink.report(object, at(values), format!("`operator: {op}` takes no values"))
                            .with_help_text(format!("the API server rejects the {} (\"values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'\"); remove `values`, or use `In`", object.kind));
                    }
                    o if !OPERATORS.contains(&o) => {
                        let mean = OPERATORS
                            .iter()
                            .find(|k| k.eq_ignore_ascii_case(o))
                            .map_or_else(String::new, |k| {
                                format!("; did you mean `{k}`? operators are case-sensitive")
                            });
                        sink.report(object, operator.span.clone(), format!("`{o}` is not a label selector operator{mean}"))
                            .with_help_text(format!("the API server rejects the {} (\"Unsupported value\"); use In, NotIn, Exists or DoesNotExist", object.kind));
                    }
                    _ => {}
                }
            }
        }
    }
}
