//! The governing Service is not headless.
use super::{Context, Rule, Sink};
use crate::workspace::Workspace;

pub struct Check;

impl Rule for Check {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for (sts, name_node, name) in ws.statefulsets_with_service_name() {
            let Some(service) = ws.governing_service(sts, name) else { continue };
            let svc = service.object();
            let Some(spec) = svc.get(&["spec"]) else { continue };
            let cluster_ip = spec.get("clusterIP").and_then(|n| n.as_str());
            if cluster_ip == Some("None") {
                continue;
            }
            let kind = spec.get("type").and_then(|n| n.as_str()).unwrap_or("ClusterIP");
            let span = spec.entry("clusterIP").or(spec.entry("type")).map_or_else(|| super::first_key_span(spec), |e| e.value.span.clone());
            let d = sink.report(&svc, span, format!("Service `{name}` governs StatefulSet `{}` but is not headless (type {kind}, no `clusterIP: None`)", sts.name));
            d.with_help_text(format!(
                "per-pod DNS records (`{0}-0.{name}`) are only created for a headless Service: add a separate Service `{name}-headless` with `clusterIP: None` for `serviceName`, and keep this one for clients",
                sts.name
            ))
            .add_related(sts.file, name_node.span.clone(), "named as serviceName here");
        }
    }
}
