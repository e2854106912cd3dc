//! A long-running container without a readiness probe.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct MissingReadinessProbe;

impl Rule for MissingReadinessProbe {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !matches!(object.kind, "StatefulSet" | "Deployment" | "DaemonSet") {
            return;
        }
        let Some(containers) = object.get(&["spec", "template", "spec", "containers"]) else {
            return;
        };
        for container in containers.items() {
            if container.get("readinessProbe").is_some() {
                continue;
            }
            let name = container
                .get("name")
                .map(|n| n.display())
                .unwrap_or_default();
            let span = container
                .entry("name")
                .map_or(container.span.clone(), |e| e.value.span.clone());
            sink.report(object, span, format!("container `{name}` has no readinessProbe"))
                .with_help_text("without one the pod counts as Ready as soon as it starts: Services send it traffic and an OrderedReady StatefulSet moves on before it can serve; add a `readinessProbe`");
        }
    }
}
