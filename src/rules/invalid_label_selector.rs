//! `matchExpressions` the API server rejects: an unknown operator, `In`/`NotIn` without values,
//! `Exists`/`DoesNotExist` with values, keys and values that are not label keys and values
//! (`ValidateLabelSelectorRequirement`).
use super::{Context, Rule, Sink};
use crate::model::Object;
use crate::yaml::Node;

pub struct InvalidLabelSelector;

const OPERATORS: &[&str] = &["In", "NotIn", "Exists", "DoesNotExist"];

impl Rule for InvalidLabelSelector {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        for selector in super::label_selectors(object) {
            for requirement in selector
                .get("matchExpressions")
                .map(Node::items)
                .unwrap_or_default()
            {
                // Keys are label keys; values label values (`ValidateLabelSelectorRequirement`).
                // An absent key is the empty string.
                let key = requirement.get("key");
                let text = key.map(Node::display).unwrap_or_default();
                if let Some(problem) = crate::kube::label_key_problem(&text) {
                    let at =
                        key.map_or_else(|| super::first_key_span(requirement), |k| k.span.clone());
                    {
                        sink.report(object, at, format!("label selector key `{text}` is not a valid label key: it {problem}"))
                            .with_help_text(format!("the API server rejects the {}; keys are `[prefix/]name` with a DNS-subdomain prefix and a name of up to 63 letters, digits, '-', '_' and '.'", object.kind));
                    }
                }
                for value in requirement
                    .get("values")
                    .map(Node::items)
                    .unwrap_or_default()
                {
                    let Some(text) = value.as_str() else { continue };
                    if let Some(problem) = crate::kube::label_value_problem(text) {
                        sink.report(object, value.span.clone(), format!("label selector value `{text}` is not a valid label value: it {problem}"))
                            .with_help_text(format!("the API server rejects the {}; label values are up to 63 letters, digits, '-', '_' and '.'", object.kind));
                    }
                }
                let Some(operator) = requirement.get("operator") else {
                    // Absent is the empty string, which is no operator.
                    sink.report(object, super::first_key_span(requirement), "a `matchExpressions` requirement without an `operator`")
                        .with_help_text(format!("the API server rejects the {} (\"operator: Unsupported value: \\\"\\\"\"); add `operator: In` (with values), NotIn, Exists or DoesNotExist", object.kind));
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
