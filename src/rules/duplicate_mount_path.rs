//! Two volume mounts of one container at one `mountPath`.
use super::{containers, pod_spec, Context, Rule, Sink};
use crate::model::Object;

pub struct DuplicateMountPath;

impl Rule for DuplicateMountPath {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        for container in containers(spec) {
            let mut seen: Vec<(String, &crate::yaml::Node)> = Vec::new();
            for mount in container
                .get("volumeMounts")
                .map(|m| m.items())
                .unwrap_or_default()
            {
                let Some(path) = mount.get("mountPath") else {
                    continue;
                };
                let Some(text) = path.as_str() else { continue };
                // The API server compares the paths as written (`validateVolumeMounts`).
                let key = text.to_string();
                match seen.iter().find(|(p, _)| *p == key) {
                    Some((_, first)) => {
                        let container_name = container
                            .get("name")
                            .map(|n| n.display())
                            .unwrap_or_default();
                        sink.report(object, path.span.clone(), format!("container `{container_name}` mounts two volumes at `{text}`"))
                            .with_help_text(format!("`mountPath` must be unique within a container; {}. Mount one of them elsewhere, or use `subPath` to mount single files", crate::kube::rejection(object.kind)))
                            .add_related(object.file, first.span.clone(), "first mounted here");
                    }
                    None => seen.push((key, path)),
                }
            }
        }
    }
}
