//! `clusterIP: None` on a NodePort or LoadBalancer Service.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct ServiceHeadlessTypeConflict;

impl Rule for ServiceHeadlessTypeConflict {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !object.is("Service") {
            return;
        }
        let Some(spec) = object.get(&["spec"]) else {
            return;
        };
        let Some(kind) = spec.get("type").and_then(|t| t.as_str()) else {
            return;
        };
        if kind != "NodePort" && kind != "LoadBalancer" {
            return;
        }
        let headless = spec
            .get("clusterIP")
            .filter(|ip| ip.as_str() == Some("None"))
            .or_else(|| {
                spec.get("clusterIPs")
                    .and_then(|ips| ips.items().first())
                    .filter(|ip| ip.as_str() == Some("None"))
            });
        let Some(ip) = headless else { return };
        sink.report(object, ip.span.clone(), format!("`clusterIP: None` (headless) on a `type: {kind}` Service"))
            .with_help_text(format!("the API server rejects it (\"spec.clusterIPs[0]: Invalid value: \\\"None\\\": may not be set to 'None' for {kind} services\"); a headless Service has no virtual IP to expose: drop `clusterIP: None` here and give the StatefulSet its own headless Service (type ClusterIP) as `serviceName`"));
    }
}
