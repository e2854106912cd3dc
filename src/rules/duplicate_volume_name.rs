//! Two pod volumes with one name.
use super::{pod_spec, pod_volumes, Context, Rule, Sink};
use crate::model::Object;

pub struct DuplicateVolumeName;

impl Rule for DuplicateVolumeName {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        let mut seen: Vec<(&str, &crate::yaml::Node)> = Vec::new();
        for (name, node) in pod_volumes(spec) {
            match seen.iter().find(|(n, _)| *n == name) {
                Some((_, first)) => {
                    sink.report(object, node.span.clone(), format!("pod volume `{name}` is declared twice"))
                        .with_help_text(format!("`spec.volumes[].name` must be unique (\"Duplicate value\"); {}. Rename one and its mounts, or remove the copy", crate::kube::rejection(object.kind)))
                        .add_related(object.file, first.span.clone(), "first declared here");
                }
                None => seen.push((name, node)),
            }
        }
    }
}
