//! A numeric Service `targetPort` that no container of the selected pods declares.
use super::{containers, pod_labels, pod_spec, selects, Context, Rule, Sink};
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
            let numbers: Vec<i64> = selected
                .iter()
                .filter_map(|o| pod_spec(&o.object()))
                .flat_map(|spec| containers(spec).flat_map(|c| c.get("ports").map(|p| p.items()).unwrap_or_default()))
                .filter_map(|p| p.get("containerPort").and_then(|n| n.as_i64()))
                .collect();
            for port in svc.get(&["spec", "ports"]).map(|p| p.items()).unwrap_or_default() {
                let target = port.get("targetPort").or(port.get("port"));
                let Some(target) = target else { continue };
                let Some(number) = target.as_i64() else { continue };
                if numbers.contains(&number) {
                    continue;
                }
                sink.report(&svc, target.span.clone(), format!("port {number} is not declared by any container of the selected pods ({} `{}`)", selected[0].kind, selected[0].name))
                    .with_help_text("declaring ports is informational, but an undeclared target often means a wrong number; declare it in `containerPort` or fix the target");
            }
        }
    }
}
