//! Container port names that are not IANA service names (at most 15 characters, lower case,
//! at least one letter), or used twice in a pod.
use super::{pod_spec, Context, Rule, Sink};
use crate::model::Object;

pub struct InvalidContainerPortName;

impl Rule for InvalidContainerPortName {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        let mut seen: Vec<(&str, &crate::yaml::Node, usize)> = Vec::new();
        for (index, container) in super::containers(spec).enumerate() {
            for port in container
                .get("ports")
                .map(|p| p.items())
                .unwrap_or_default()
            {
                // An empty name is no name: ports need not be named.
                let Some(name) = port.get("name").filter(|n| n.as_str() != Some("")) else {
                    continue;
                };
                let Some(text) = name.as_str() else { continue };
                if let Some(problem) = crate::kube::port_name_problem(text) {
                    let instead = crate::kube::as_dns_label(text)
                        .chars()
                        .take(15)
                        .collect::<String>();
                    let example = if crate::kube::port_name_problem(&instead).is_none() {
                        format!(", e.g. `{instead}`")
                    } else {
                        String::new()
                    };
                    sink.report(object, name.span.clone(), format!("port name `{text}` is not an IANA service name: it {problem}"))
                        .with_help_text(format!("{}; use up to 15 lower-case letters, digits and single hyphens, with at least one letter{example}", crate::kube::rejection(object.kind)));
                }
                match seen.iter().find(|(s, _, _)| *s == text) {
                    Some((_, first, at)) if *at == index => {
                        sink.report(
                            object,
                            name.span.clone(),
                            format!("port name `{text}` is used twice in this container"),
                        )
                        .with_help_text(format!(
                            "{} (\"Duplicate value\"); give each port its own name",
                            crate::kube::rejection(object.kind)
                        ))
                        .add_related(
                            object.file,
                            first.span.clone(),
                            "first used here",
                        );
                    }
                    // Across containers the API server accepts it, but a named targetPort then
                    // resolves to whichever container comes first (`podutil.FindPort`).
                    Some((_, first, _)) => {
                        sink.report(object, name.span.clone(), format!("port name `{text}` is used by two containers of this pod"))
                            .with_help_text("a Service's `targetPort` of that name resolves to the first container's port only; give each port its own name")
                            .add_related(object.file, first.span.clone(), "first used here")
                            .at_most(crate::diagnostic::Severity::Warning);
                    }
                    None => seen.push((text, name, index)),
                }
            }
        }
    }
}
