//! A PodDisruptionBudget the API server rejects: both `minAvailable` and `maxUnavailable`, a
//! negative or malformed budget, an unknown eviction policy.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct PdbInvalidBudget;

impl Rule for PdbInvalidBudget {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !object.is("PodDisruptionBudget") {
            return;
        }
        let Some(spec) = object.get(&["spec"]) else {
            return;
        };
        let min = spec.entry("minAvailable");
        let max = spec.entry("maxUnavailable");
        for entry in [min, max].into_iter().flatten() {
            let key = entry.key.display();
            let value = &entry.value;
            match crate::kube::IntOrPercent::from_node(value) {
                Some(crate::kube::IntOrPercent::Int(n)) if n < 0 => {
                    sink.report(object, value.span.clone(), format!("`{key}: {n}` is negative"))
                        .with_help_text("the API server rejects the PodDisruptionBudget (\"must be greater than or equal to 0\"); `maxUnavailable: 1` suits most stateful apps");
                }
                Some(crate::kube::IntOrPercent::Percent(p)) if p > 100 => {
                    sink.report(object, value.span.clone(), format!("`{key}: {p}%` is more than 100%"))
                        .with_help_text("the API server rejects the PodDisruptionBudget (\"must not be greater than 100%\")");
                }
                None if value.as_str().is_some() => {
                    sink.report(object, value.span.clone(), format!("`{key}: {}` is neither a number nor a percentage", value.display()))
                        .with_help_text("the API server rejects the PodDisruptionBudget (\"a valid percent string must be a numeric string followed by an ending '%'\"); write `1` or `50%`");
                }
                _ => {}
            }
        }
        if let Some(policy) = spec.get("unhealthyPodEvictionPolicy") {
            let text = policy.display();
            if text != "IfHealthyBudget" && text != "AlwaysAllow" {
                sink.report(object, policy.span.clone(), format!("`unhealthyPodEvictionPolicy: {text}` is not a policy"))
                    .with_help_text("the API server rejects the PodDisruptionBudget (\"Unsupported value\"); use `IfHealthyBudget` (the default) or `AlwaysAllow`");
            }
        }
        if let (Some(_), Some(max)) = (min, max) {
            sink.report(object, max.key.span.clone(), format!("PodDisruptionBudget `{}` sets both `minAvailable` and `maxUnavailable`", object.name))
                .with_help_text("the API server rejects it (\"minAvailable and maxUnavailable cannot be both set\"); keep one: `maxUnavailable: 1` suits most quorum-based stateful apps");
        }
    }
}
