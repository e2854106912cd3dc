//! A TCP or HTTP probe on a port its container declares as UDP (or SCTP).
use super::{containers, pod_spec, Context, Rule, Sink};
use crate::model::Object;

pub struct ProbeProtocolMismatch;

impl Rule for ProbeProtocolMismatch {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        for container in containers(spec) {
            let ports = container
                .get("ports")
                .map(|p| p.items())
                .unwrap_or_default();
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                let Some(p) = container.get(probe) else {
                    continue;
                };
                for action in ["httpGet", "tcpSocket", "grpc"] {
                    let Some(port) = p.path(&[action, "port"]) else {
                        continue;
                    };
                    // The same port number may be declared for TCP too (DNS on 53/TCP and 53/UDP).
                    let declared: Vec<String> = ports
                        .iter()
                        .filter(|d| match port.as_str() {
                            Some(name) => d.get("name").and_then(|n| n.as_str()) == Some(name),
                            None => {
                                d.get("containerPort").and_then(|n| n.as_i64()) == port.as_i64()
                                    && port.as_i64().is_some()
                            }
                        })
                        .map(|d| d.get("protocol").map_or("TCP".into(), |p| p.display()))
                        .collect();
                    if declared.is_empty() || declared.iter().any(|p| p == "TCP") {
                        continue;
                    }
                    let container_name = container
                        .get("name")
                        .map(|n| n.display())
                        .unwrap_or_default();
                    sink.report(object, port.span.clone(), format!("{probe} of container `{container_name}` connects over TCP to port `{}`, which the container declares as {}", port.display(), declared.join("/")))
                        .with_help_text(format!("the kubelet's {action} probe always uses TCP, so nothing answers and the probe fails: {}; probe a TCP port, or use an `exec` probe for a UDP service", if probe == "livenessProbe" { "the container is restarted again and again" } else if probe == "readinessProbe" { "the pod never becomes ready" } else { "the container never starts" }));
                }
            }
        }
    }
}
