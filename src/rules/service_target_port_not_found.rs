//! A named Service `targetPort` that no container port of the selected pods carries.
use super::{container_ports, pod_spec, Context, Rule, Sink};
use crate::workspace::Workspace;
use std::collections::HashMap;

pub struct ServiceTargetPortNotFound;

/// What the pods of one selector offer: their named ports, and the first workload (for the
/// message).
struct Selected {
    port_names: Vec<String>,
    first: (String, String),
}

impl Rule for ServiceTargetPortNotFound {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        // Services sharing a selector in one file and namespace select the same pods: their
        // ports are gathered once (5,000 Services over one selector stay linear).
        let mut cache: HashMap<(usize, Option<String>, String), Option<Selected>> = HashMap::new();
        // The nearest port name, per selector and target: one search for all its Services.
        let mut nearest: HashMap<(usize, Option<String>, String, String), String> = HashMap::new();
        for service in ws.subjects_of_kind("Service") {
            let Some(selector) = service
                .root
                .path(&["spec", "selector"])
                .filter(|s| !s.entries().is_empty())
            else {
                continue;
            };
            let mut pairs: Vec<String> = selector
                .entries()
                .iter()
                .map(|e| format!("{}={}", e.key.display(), e.value.display()))
                .collect();
            pairs.sort();
            let key = (
                service.file,
                service.namespace.as_deref().map(str::to_owned),
                pairs.join(","),
            );
            let Some(selected) = cache
                .entry(key.clone())
                .or_insert_with(|| {
                    let selected = ws.selected_workloads(service, selector);
                    let first = selected.first()?;
                    let mut port_names: Vec<String> = selected
                        .iter()
                        .filter_map(|o| pod_spec(&o.object()))
                        .flat_map(container_ports)
                        .filter_map(|p| p.get("name").and_then(|n| n.as_str()).map(str::to_owned))
                        .collect();
                    port_names.sort();
                    port_names.dedup();
                    Some(Selected {
                        port_names,
                        first: (first.kind.to_string(), first.name.to_string()),
                    })
                })
                .as_ref()
            else {
                continue;
            };
            let svc = service.object();
            let port_names = &selected.port_names;
            for port in svc
                .get(&["spec", "ports"])
                .map(|p| p.items())
                .unwrap_or_default()
            {
                let Some(target) = port.get("targetPort") else {
                    continue;
                };
                // `targetPort: ""` is defaulted to `port`, as if absent.
                let Some(name) = target.as_str().filter(|n| !n.is_empty()) else {
                    continue;
                };
                if port_names.iter().any(|n| n == name) {
                    continue;
                }
                let unique = port_names;
                let mean = nearest
                    .entry((key.0, key.1.clone(), key.2.clone(), name.to_owned()))
                    .or_insert_with(|| {
                        crate::kube::closest(name, unique.iter().map(String::as_str))
                            .map_or_else(String::new, |c| format!("; did you mean `{c}`?"))
                    })
                    .clone();
                // A short list however many pods are selected.
                let available = match unique.len() {
                    0 => "none".to_string(),
                    n if n > 8 => format!("{} and {} more", unique[..8].join(", "), n - 8),
                    _ => unique.join(", "),
                };
                sink.report(&svc, target.span.clone(), format!("`targetPort: {name}` names no container port of the selected pods ({} `{}`){mean}", selected.first.0, selected.first.1))
                    .with_help_text(format!("the endpoints get no port for it, so traffic to this Service port goes nowhere; the named ports there are: {available}. Use one of them or the container port number"));
            }
        }
    }
}
