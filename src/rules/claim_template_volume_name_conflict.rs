//! A claim template whose name is also a pod volume's.
use super::{claim_templates, pod_spec, pod_volumes, Context, Rule, Sink};
use crate::model::Object;

pub struct ClaimTemplateVolumeNameConflict;

impl Rule for ClaimTemplateVolumeNameConflict {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = pod_spec(object) else { return };
        for template in claim_templates(object) {
            if let Some((_, volume)) = pod_volumes(spec).find(|(n, _)| *n == template.name) {
                sink.report(object, template.anchor.clone(), format!("claim template `{}` has the same name as a pod volume, which the claim replaces in every pod", template.name))
                    .with_help_text("the StatefulSet controller swaps a same-named pod volume for the claim (`updateStorage`), so this volume's source never takes effect; charts do it on purpose to fall back to an emptyDir when persistence is off. Remove the volume, or rename one of them if both were meant to exist")
                    .add_related(object.file, volume.span.clone(), "pod volume of the same name");
            }
        }
    }
}
