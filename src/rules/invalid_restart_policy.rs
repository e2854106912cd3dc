//! A pod template `restartPolicy` other than `Always` in a long-running workload.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct InvalidRestartPolicy;

impl Rule for InvalidRestartPolicy {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !matches!(
            object.kind,
            "StatefulSet" | "Deployment" | "DaemonSet" | "ReplicaSet"
        ) {
            return;
        }
        let Some(value) = object.get(&["spec", "template", "spec", "restartPolicy"]) else {
            return;
        };
        let text = value.display();
        // A value that is no policy at all is `invalid-field-value`'s (any pod spec).
        if text != "Always" && matches!(text.as_str(), "OnFailure" | "Never") {
            sink.report(object, value.span.clone(), format!("`restartPolicy: {text}` is not allowed in a {} pod template", object.kind))
                .with_help_text("the API server rejects it: only `Always` is supported here; use a Job for run-to-completion pods");
        }
    }
}
