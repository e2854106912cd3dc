//! A container `volumeMount` naming neither a pod volume nor a claim template.
use super::{claim_templates, containers, pod_spec, pod_volumes, Context, Rule, Sink};
use crate::model::Object;

pub struct VolumeMountNotFound;

impl Rule for VolumeMountNotFound {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        let mut known: Vec<String> = pod_volumes(spec).map(|(n, _)| n.to_string()).collect();
        known.extend(claim_templates(object).into_iter().map(|t| t.name));
        for container in containers(spec) {
            for mount in container
                .get("volumeMounts")
                .map(|m| m.items())
                .unwrap_or_default()
            {
                let Some(name) = mount.get("name") else {
                    continue;
                };
                let Some(text) = name.as_str() else { continue };
                if known.iter().any(|k| k == text) {
                    continue;
                }
                let container_name = container
                    .get("name")
                    .map(|n| n.display())
                    .unwrap_or_default();
                let help = if known.is_empty() {
                    "add a volume of that name under `volumes` (or a claim template for a StatefulSet)".to_string()
                } else {
                    format!(
                        "the volumes here are: {}; fix the name or add the volume",
                        known.join(", ")
                    )
                };
                let mean = crate::kube::closest(text, known.iter().map(String::as_str))
                    .map_or_else(String::new, |c| format!("; did you mean `{c}`?"));
                sink.report(object, name.span.clone(), format!("container `{container_name}` mounts volume `{text}`, which the pod does not have{mean}"))
                    .with_help_text(format!("{} (\"volumeMounts[].name: Not found\"); {help}", crate::kube::rejection(object.kind)));
            }
        }
    }
}
