//! A named Service `targetPort` that no container port of the selected pods carries.
use super::{pod_labels, pod_spec, selects, containers, Context, Rule, Sink};
use crate::workspace::Workspace;

pub struct Check;

impl Rule for Check {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for service in ws.of_kind("Service") {
            let svc = service.object();
            let Some(selector) = svc.get(&["spec", "selector"]).filter(|s| !s.entries().is_empty()) else { continue };
            let selected: Vec<_> = ws
                .workload_candidates(selector)
                .into_iter()
                .filter(|o| ws.same_namespace(o.namespace.as_deref(), service.namespace.as_deref()))
                .filter(|o| selects(selector, pod_labels(&o.object())))
                .collect();
            if selected.is_empty() {
                continue;
            }
            let port_names: Vec<String> = selected
                .iter()
                .filter_map(|o| pod_spec(&o.object()))
                .flat_map(|spec| containers(spec).flat_map(|c| c.get("ports").map(|p| p.items()).unwrap_or_default()))
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
