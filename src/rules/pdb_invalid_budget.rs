//! A PodDisruptionBudget with both `minAvailable` and `maxUnavailable` (rejected), or with
//! neither (it protects nothing).
use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::model::Object;

pub struct Check;

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !object.is("PodDisruptionBudget") {
            return;
        }
        let Some(spec) = object.get(&["spec"]) else { return };
        let min = spec.entry("minAvailable");
        let max = spec.entry("maxUnavailable");
        match (min, max) {
            (Some(_), Some(max)) => {
                sink.report(object, max.key.span.clone(), format!("PodDisruptionBudget `{}` sets both `minAvailable` and `maxUnavailable`", object.name))
                    .with_help_text("the API server rejects it (\"minAvailable and maxUnavailable cannot be both set\"); keep one: `maxUnavailable: 1` suits most quorum-based stateful apps");
            }
            (None, None) => {
                sink.report(object, super::spec_key_span(object), format!("PodDisruptionBudget `{}` sets neither `minAvailable` nor `maxUnavailable`", object.name))
                    .with_help_text("the disruption controller then requires no healthy pod (desiredHealthy 0), so every eviction is allowed and the budget protects nothing; add `maxUnavailable: 1`")
                    .at_most(Severity::Warning);
            }
            _ => {}
        }
    }
}
