//! Two containers of a pod with the same name.
use super::{containers, pod_spec, Context, Rule, Sink};
use crate::model::Object;

pub struct DuplicateContainerName;

impl Rule for DuplicateContainerName {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        let mut seen: Vec<(&str, &crate::yaml::Node)> = Vec::new();
        for container in containers(spec) {
            let Some(name) = container.get("name") else {
                continue;
            };
            let Some(text) = name.as_str() else { continue };
            if let Some((_, first)) = seen.iter().find(|(s, _)| *s == text) {
                sink.report(object, name.span.clone(), format!("container name `{text}` is used twice in this pod"))
                    .with_help_text("the API server rejects the pod: container names (init containers included) must be unique")
                    .add_related(object.file, first.span.clone(), "first used here");
            } else {
                seen.push((text, name));
            }
        }
    }
}
