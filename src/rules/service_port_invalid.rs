//! Service ports the API server rejects: an unnamed port among several, duplicates, out of range.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct ServicePortInvalid;

impl Rule for ServicePortInvalid {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !object.is("Service") {
            return;
        }
        let ports = object
            .get(&["spec", "ports"])
            .map(|p| p.items())
            .unwrap_or_default();
        let spec = object.get(&["spec"]);
        let headless = spec
            .and_then(|s| s.get("clusterIP"))
            .and_then(|c| c.as_str())
            == Some("None");
        let external =
            spec.and_then(|s| s.get("type")).and_then(|t| t.as_str()) == Some("ExternalName");
        if ports.is_empty() && !headless && !external {
            let span = spec.map_or(object.kind_span(), |s| {
                s.entry("ports")
                    .map_or_else(|| super::spec_key_span(object), |e| e.key.span.clone())
            });
            sink.report(object, span, format!("Service `{}` has no ports", object.name))
                .with_help_text("the API server rejects it (\"spec.ports: Required value\"); only headless and ExternalName Services may omit ports: add e.g. `ports: [{name: http, port: 80, targetPort: http}]`");
        }
        let mut seen_names: Vec<(&str, &crate::yaml::Node)> = Vec::new();
        let mut seen_ports: Vec<(i64, String, &crate::yaml::Node)> = Vec::new();
        for port in ports {
            match port.get("name") {
                None if ports.len() > 1 => {
                    sink.report(object, super::first_key_span(port), "this Service has several ports, so each needs a `name`")
                        .with_help_text("the API server rejects unnamed ports in a multi-port Service; add e.g. `name: http`");
                }
                // `name: ""` is no name to the API server ("spec.ports[1].name: Required value").
                Some(n) if n.as_str() == Some("") && ports.len() > 1 => {
                    sink.report(object, n.span.clone(), "this Service has several ports, so each needs a `name`: `\"\"` is none")
                        .with_help_text("the API server rejects unnamed ports in a multi-port Service; add e.g. `name: http`");
                }
                Some(n) => {
                    if let Some(text) = n.as_str() {
                        if let Some((_, first)) = seen_names.iter().find(|(s, _)| *s == text) {
                            sink.report(
                                object,
                                n.span.clone(),
                                format!("port name `{text}` is used twice in this Service"),
                            )
                            .with_help_text("port names must be unique within a Service")
                            .add_related(
                                object.file,
                                first.span.clone(),
                                "first used here",
                            );
                        } else {
                            seen_names.push((text, n));
                        }
                    }
                }
                None => {}
            }
            for key in ["port", "nodePort"] {
                let Some(value) = port.get(key) else { continue };
                let Some(number) = value.as_i64() else {
                    continue;
                };
                let low = if key == "port" { 1 } else { 0 };
                if !(low..=65535).contains(&number) {
                    sink.report(
                        object,
                        value.span.clone(),
                        format!("`{key}: {number}` is out of range"),
                    )
                    .with_help_text("ports are 1–65535 (nodePort 30000–32767 by default)");
                }
            }
            // `targetPort: 0` and `targetPort: ""` are defaulted to `port`, as if absent.
            if let Some(target) = port
                .get("targetPort")
                .filter(|t| t.as_i64() != Some(0) && t.as_str() != Some(""))
            {
                match (target.as_i64(), target.as_str()) {
                    (Some(n), _) if !(1..=65535).contains(&n) => {
                        sink.report(object, target.span.clone(), format!("`targetPort: {n}` is out of range"))
                            .with_help_text("the API server rejects the Service (\"must be between 1 and 65535, inclusive\"); use the container's port number or name");
                    }
                    (_, Some(name)) => {
                        if let Some(problem) = crate::kube::port_name_problem(name) {
                            sink.report(object, target.span.clone(), format!("`targetPort: {name}` is neither a port number nor a valid port name: it {problem}"))
                                .with_help_text("the API server rejects the Service; a named targetPort is an IANA service name (up to 15 lower-case letters, digits and hyphens): use the container port's name or number");
                        }
                    }
                    _ => {}
                }
            }
            if let Some(value) = port.get("port") {
                if let Some(number) = value.as_i64() {
                    // Absent or empty is defaulted to TCP before validation.
                    let protocol = port
                        .get("protocol")
                        .map(|p| p.display())
                        .filter(|p| !p.is_empty())
                        .unwrap_or_else(|| "TCP".to_string());
                    if let Some((_, _, first)) = seen_ports
                        .iter()
                        .find(|(n, p, _)| *n == number && *p == protocol)
                    {
                        sink.report(object, value.span.clone(), format!("port {number}/{protocol} is declared twice in this Service"))
                            .with_help_text("the API server rejects duplicate port/protocol pairs; remove one or change its number")
                            .add_related(object.file, first.span.clone(), "first declared here");
                    } else {
                        seen_ports.push((number, protocol, value));
                    }
                }
            }
        }
    }
}
