//! A probe port given by name that no port of its container carries.
use super::{containers, pod_spec, Context, Rule, Sink};
use crate::model::Object;

pub struct ProbePortNotFound;

impl Rule for ProbePortNotFound {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        for container in containers(spec) {
            let names: Vec<&str> = container
                .get("ports")
                .map(|p| p.items())
                .unwrap_or_default()
                .iter()
                .filter_map(|p| p.get("name").and_then(|n| n.as_str()))
                .collect();
            for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
                let Some(p) = container.get(probe) else {
                    continue;
                };
                for action in ["httpGet", "tcpSocket", "grpc"] {
                    let Some(port) = p.path(&[action, "port"]) else {
                        continue;
                    };
                    let Some(name) = port.as_str() else { continue };
                    if !names.contains(&name) {
                        let container_name = container
                            .get("name")
                            .map(|n| n.display())
                            .unwrap_or_default();
                        let mean = crate::kube::closest(name, names.iter().copied())
                            .map_or_else(String::new, |c| format!("; did you mean `{c}`?"));
                        let effect = match probe {
                            "livenessProbe" => "the probe fails every time and the kubelet restarts the container again and again",
                            "readinessProbe" => "the probe fails every time and the pod never becomes ready",
                            _ => "the probe fails every time and the container is killed before it starts",
                        };
                        sink.report(object, port.span.clone(), format!("{probe} of container `{container_name}` uses port `{name}`, which the container does not declare{mean}"))
                            .with_help_text(format!("the API server accepts it, but the kubelet cannot resolve the name to a number: {effect}. Name one of the container's ports `{name}` or use the port number"));
                    }
                }
            }
        }
    }
}
