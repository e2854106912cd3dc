//! Container port names that are not IANA service names (at most 15 characters, lower case,
//! at least one letter), or used twice in a pod.
use super::{pod_spec, Context, Rule, Sink};
use crate::model::Object;

pub struct Check;

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        let mut seen: Vec<(&str, &crate::yaml::Node)> = Vec::new();
        for container in super::containers(spec) {
            for port in container.get("ports").map(|p| p.items()).unwrap_or_default() {
                let Some(name) = port.get("name") else { continue };
                let Some(text) = name.as_str() else { continue };
                if let Some(problem) = crate::kube::port_name_problem(text) {
                    let instead = crate::kube::as_dns_label(text).chars().take(15).collect::<String>();
                    let example = if crate::kube::port_name_problem(&instead).is_none() { format!(", e.g. `{instead}`") } else { String::new() };
                    sink.report(object, name.span.clone(), format!("port name `{text}` is not an IANA service name: it {problem}"))
                        .with_help_text(format!("{}; use up to 15 lower-case letters, digits and single hyphens, with at least one letter{example}", crate::kube::pod_rejection(object.kind)));
                }
                if let Some((_, first)) = seen.iter().find(|(s, _)| *s == text) {
                    sink.report(object, name.span.clone(), format!("port name `{text}` is used twice in this pod"))
                        .with_help_text("a Service's `targetPort: {name}` then resolves to whichever container the endpoints controller finds first; give each port its own name")
                        .add_related(object.file, first.span.clone(), "first used here");
                } else {
                    seen.push((text, name));
                }
            }
        }
    }
}
