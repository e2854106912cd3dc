//! The governing Service is not headless.
use super::{Context, Rule, Sink};
use crate::workspace::Workspace;

pub struct GoverningServiceNotHeadless;

impl Rule for GoverningServiceNotHeadless {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for (sts, name_node, name) in ws.statefulsets_with_service_name() {
            // Findings are on the Service: none to make when no Service of that name is kept.
            if !ws.services_named(name).any(|s| ws.reports_on(s)) {
                continue;
            }
            let candidates = ws.governing_services(sts, name);
            let headless = |s: &&crate::workspace::Linked| {
                s.root.path(&["spec", "clusterIP"]).and_then(|n| n.as_str()) == Some("None")
            };
            if candidates.is_empty() || candidates.iter().any(headless) {
                continue;
            }
            let service = candidates[0];
            let svc = service.object();
            let Some(spec) = svc.get(&["spec"]) else {
                continue;
            };
            let kind = spec
                .get("type")
                .and_then(|n| n.as_str())
                .unwrap_or("ClusterIP");
            let span = spec
                .entry("clusterIP")
                .or(spec.entry("type"))
                .map_or_else(|| super::first_key_span(spec), |e| e.value.span.clone());
            let others = if candidates.len() > 1 {
                format!(
                    " (nor is any of the {} other Services of that name linted)",
                    candidates.len() - 1
                )
            } else {
                String::new()
            };
            let d = sink.report(&svc, span, format!("Service `{name}` governs StatefulSet `{}` but is not headless (type {kind}, no `clusterIP: None`){others}", sts.name));
            d.with_help_text(format!(
                "the pods get no stable per-pod DNS names (`{0}-0.{name}`): those records exist only for a headless Service. Add a separate Service `{name}-headless` with `clusterIP: None` for `serviceName`, and keep this one for clients",
                sts.name
            ))
            .add_related(sts.file, name_node.span.clone(), "named as serviceName here");
            // Unsafe: clusterIP cannot change on a live Service (delete and recreate it), and
            // clients of the virtual IP lose it.
            let title = "Make the Service headless: `clusterIP: None`";
            let fix = match spec.get("clusterIP") {
                Some(ip) if ip.as_str().is_some() => Some(crate::diagnostic::Fix::replace(
                    title,
                    ip.span.clone(),
                    "None",
                    crate::diagnostic::Applicability::Unsafe,
                )),
                Some(_) => None,
                None if kind == "ClusterIP" => {
                    crate::diagnostic::Edit::first_entry(spec, "clusterIP", "None").map(|edit| {
                        crate::diagnostic::Fix::new(
                            title,
                            edit,
                            crate::diagnostic::Applicability::Unsafe,
                        )
                    })
                }
                None => None,
            };
            if let Some(fix) = fix {
                d.with_fix(fix);
            }
        }
    }
}
