//! Container port names longer than 15 characters, or used twice in a pod.
use super::{pod_spec, Context, Rule, Sink};
use crate::model::Object;

pub struct Check;

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        let mut seen: Vec<(&str, &crate::yaml::Node)> = Vec::new();
        let main = spec.get("containers").map(|c| c.items()).unwrap_or_default();
        for container in main {
            for port in container.get("ports").map(|p| p.items()).unwrap_or_default() {
                let Some(name) = port.get("name") else { continue };
                let Some(text) = name.as_str() else { continue };
                if text.chars().count() > 15 {
                    sink.report(object, name.span.clone(), format!("port name `{text}` is {} characters long; the limit is 15", text.chars().count()))
                        .with_help_text("the API server rejects it (an IANA service name): shorten it, e.g. `http-metrics`");
                }
                if let Some((_, first)) = seen.iter().find(|(s, _)| *s == text) {
                    sink.report(object, name.span.clone(), format!("port name `{text}` is used twice in this pod"))
                        .with_help_text("port names must be unique across the pod's containers, or `targetPort: {name}` would be ambiguous")
                        .add_related(object.file, first.span.clone(), "first used here");
                } else {
                    seen.push((text, name));
                }
            }
        }
    }
}
