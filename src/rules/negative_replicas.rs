//! Negative `replicas`.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct Check;

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !matches!(object.kind, "StatefulSet" | "Deployment" | "ReplicaSet" | "ReplicationController") {
            return;
        }
        let Some(value) = object.get(&["spec", "replicas"]) else { return };
        if let Some(n) = value.as_i64().filter(|n| *n < 0) {
            sink.report(object, value.span.clone(), format!("`replicas: {n}` is negative"))
                .with_help_text("the API server rejects it; use 0 to scale down, or a positive count");
        }
    }
}
