//! A PodDisruptionBudget that leaves `unhealthyPodEvictionPolicy` at its default
//! (`IfHealthyBudget`): a crash-looping pod can block node drains.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct PdbUnhealthyPodEvictionPolicy;

impl Rule for PdbUnhealthyPodEvictionPolicy {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !object.is("PodDisruptionBudget") || !object.api_version.starts_with("policy/v1") {
            return;
        }
        let Some(spec) = object.get(&["spec"]) else {
            return;
        };
        if spec.get("unhealthyPodEvictionPolicy").is_some() {
            return;
        }
        sink.report(object, super::spec_key_span(object), format!("PodDisruptionBudget `{}` does not set `unhealthyPodEvictionPolicy`", object.name))
            .with_help_text("with the default `IfHealthyBudget`, pods that are running but not ready may be evicted only while the budget is met, so one stuck pod can hold a node drain; `unhealthyPodEvictionPolicy: AlwaysAllow` lets unhealthy pods go");
    }
}
