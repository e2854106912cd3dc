//! A numeric Service `targetPort` that no container of the selected pods declares.
use super::{container_ports, pod_spec, Context, Rule, Sink};
use crate::workspace::Workspace;

pub struct ServiceTargetPortNotExposed;

impl Rule for ServiceTargetPortNotExposed {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for (service, selected) in ws.services_with_pods() {
            let svc = service.object();
            let numbers: Vec<i64> = selected
                .iter()
                .filter_map(|o| pod_spec(&o.object()))
                .flat_map(container_ports)
                .filter_map(|p| p.get("containerPort").and_then(|n| n.as_i64()))
                .collect();
            for port in svc
                .get(&["spec", "ports"])
                .map(|p| p.items())
                .unwrap_or_default()
            {
                // `targetPort: 0` and `targetPort: ""` are defaulted to `port`, as if absent.
                let target = port
                    .get("targetPort")
                    .filter(|t| t.as_str() != Some("") && t.as_i64() != Some(0))
                    .or(port.get("port"));
                let Some(target) = target else { continue };
                let Some(number) = target.as_i64() else {
                    continue;
                };
                if numbers.contains(&number) {
                    continue;
                }
                sink.report(&svc, target.span.clone(), format!("port {number} is not declared by any container of the selected pods ({} `{}`)", selected[0].kind, selected[0].name))
                    .with_help_text("declaring ports is informational, but an undeclared target often means a wrong number; declare it in `containerPort` or fix the target");
            }
        }
    }
}
