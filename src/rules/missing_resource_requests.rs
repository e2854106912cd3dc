//! A container without CPU and memory requests.
use super::{containers, pod_spec, Context, Rule, Sink};
use crate::model::Object;

pub struct MissingResourceRequests;

impl Rule for MissingResourceRequests {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        for container in containers(spec) {
            let requests = container.path(&["resources", "requests"]);
            let missing: Vec<&str> = ["cpu", "memory"]
                .into_iter()
                .filter(|r| requests.and_then(|q| q.get(r)).is_none())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let name = container
                .get("name")
                .map(|n| n.display())
                .unwrap_or_default();
            let span = container
                .entry("resources")
                .or(container.entry("name"))
                .map_or(container.span.clone(), |e| e.key.span.clone());
            sink.report(object, span, format!("container `{name}` requests no {}", missing.join(" or ")))
                .with_help_text("the scheduler cannot place the pod by its needs and it is evicted first under pressure; add `resources.requests` for cpu and memory");
        }
    }
}
