//! A named Service `targetPort` that no container port of the selected pods carries.
use super::{container_ports, pod_spec, Context, Rule, Sink};
use crate::workspace::Workspace;

pub struct Check;

impl Rule for Check {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for (service, selected) in ws.services_with_pods() {
            let svc = service.object();
            let port_names: Vec<String> = selected
                .iter()
                .filter_map(|o| pod_spec(&o.object()))
                .flat_map(container_ports)
                .filter_map(|p| p.get("name").and_then(|n| n.as_str()).map(str::to_owned))
                .collect();
            for port in svc.get(&["spec", "ports"]).map(|p| p.items()).unwrap_or_default() {
                let Some(target) = port.get("targetPort") else { continue };
                let Some(name) = target.as_str() else { continue };
                if port_names.iter().any(|n| n == name) {
                    continue;
                }
                let mut unique = port_names.clone();
                unique.sort();
                unique.dedup();
                let mean = crate::kube::closest(name, unique.iter().map(String::as_str)).map_or_else(String::new, |c| format!("; did you mean `{c}`?"));
                // A short list however many pods are selected.
                let available = match unique.len() {
                    0 => "none".to_string(),
                    n if n > 8 => format!("{} and {} more", unique[..8].join(", "), n - 8),
                    _ => unique.join(", "),
                };
                sink.report(&svc, target.span.clone(), format!("`targetPort: {name}` names no container port of the selected pods ({} `{}`){mean}", selected[0].kind, selected[0].name))
                    .with_help_text(format!("the endpoints get no port for it, so traffic to this Service port goes nowhere; the named ports there are: {available}. Use one of them or the container port number"));
            }
        }
    }
}
