//! A container port the API server rejects: `containerPort` or `hostPort` outside 1–65535, or
//! a protocol other than TCP, UDP and SCTP.
use super::{containers, pod_spec, Context, Rule, Sink};
use crate::model::Object;

pub struct InvalidContainerPort;

impl Rule for InvalidContainerPort {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        for container in containers(spec) {
            for port in container
                .get("ports")
                .map(|p| p.items())
                .unwrap_or_default()
            {
                for key in ["containerPort", "hostPort"] {
                    let Some(value) = port.get(key) else { continue };
                    let Some(n) = value.as_i64() else { continue };
                    // hostPort 0 means "none" (`validateContainerPorts`).
                    if (1..=65535).contains(&n) || (key == "hostPort" && n == 0) {
                        continue;
                    }
                    sink.report(object, value.span.clone(), format!("`{key}: {n}` is out of range"))
                        .with_help_text(format!("{} (\"must be between 1 and 65535, inclusive\"); use the port the process listens on", crate::kube::rejection(object.kind)));
                }
                // `protocol: ""` is defaulted to TCP, as if absent.
                if let Some(protocol) = port.get("protocol").filter(|p| p.as_str() != Some("")) {
                    let text = protocol.display();
                    if !["TCP", "UDP", "SCTP"].contains(&text.as_str()) {
                        let mean = ["TCP", "UDP", "SCTP"]
                            .iter()
                            .find(|p| p.eq_ignore_ascii_case(&text))
                            .map_or_else(String::new, |p| {
                                format!("; did you mean `{p}`? protocols are upper case")
                            });
                        sink.report(
                            object,
                            protocol.span.clone(),
                            format!("`protocol: {text}` is not a port protocol{mean}"),
                        )
                        .with_help_text(format!(
                            "{} (\"Unsupported value\"); use TCP (the default), UDP or SCTP",
                            crate::kube::rejection(object.kind)
                        ));
                    }
                }
            }
        }
    }
}
