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
                let available = if port_names.is_empty() { "none".to_string() } else { port_names.join(", ") };
                sink.report(&svc, target.span.clone(), format!("`targetPort: {name}` names no container port of the selected pods ({} `{}`)", selected[0].kind, selected[0].name))
                    .with_help_text(format!("traffic to this port is refused; the named ports there are: {available}. Use one of them or the container port number"));
            }
        }
    }
}
