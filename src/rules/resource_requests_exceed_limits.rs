//! A container resource request above its limit.
use super::{containers, pod_spec, Context, Rule, Sink};
use crate::model::Object;
use crate::quantity;

pub struct ResourceRequestsExceedLimits;

impl Rule for ResourceRequestsExceedLimits {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        for container in containers(spec) {
            let Some(resources) = container.get("resources") else {
                continue;
            };
            let Some(requests) = resources.get("requests") else {
                continue;
            };
            let Some(limits) = resources.get("limits") else {
                continue;
            };
            for entry in requests.entries() {
                let Some(name) = entry.key.key_text() else {
                    continue;
                };
                // A `null` limit is no absent one: the entry decodes as a zero quantity.
                let Some(limit) = limits.entry(&name).map(|e| &e.value) else {
                    continue;
                };
                let limit_text = if limit.is_null() {
                    "null (read as 0)".to_string()
                } else {
                    limit.display()
                };
                let (Some(request_q), Some(limit_q)) = (
                    quantity::parse(&entry.value.display()),
                    quantity::parse(if limit.is_null() { "0" } else { &limit_text }),
                ) else {
                    continue;
                };
                if request_q.as_f64() <= limit_q.as_f64() {
                    continue;
                }
                let container_name = container
                    .get("name")
                    .map(|n| n.display())
                    .unwrap_or_default();
                sink.report(object, entry.value.span.clone(), format!("container `{container_name}` requests {} `{name}` but its limit is {limit_text}", entry.value.display()))
                    .with_help_text(format!("the API server rejects it (\"must be less than or equal to {name} limit\"): {}; raise the limit or lower the request", crate::kube::rejection(object.kind)))
                    .add_related(object.file, limit.span.clone(), "the limit");
            }
        }
    }
}
