//! A StatefulSet without `volumeClaimTemplates`: no per-pod storage.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct StatefulsetNoVolumeClaimTemplates;

impl Rule for StatefulsetNoVolumeClaimTemplates {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = super::statefulset_spec(object) else {
            return;
        };
        if spec
            .get("volumeClaimTemplates")
            .is_some_and(|t| !t.items().is_empty())
        {
            return;
        }
        let span = super::spec_key_span(object);
        sink.report(object, span, format!("policy: StatefulSet `{}` has no `volumeClaimTemplates`, so its pods get no storage of their own", object.name))
            .with_help_text("stslint expects a StatefulSet to keep per-pod state: data in an emptyDir or the container filesystem is lost when a pod is rescheduled. Add `spec.volumeClaimTemplates` with a claim per pod, or use a Deployment; for members that are stateless by design (coordinating nodes, arbiters), opt the object out with the annotation `stslint.io/ignore: statefulset-no-volume-claim-templates` and a `stslint.io/ignore-reason`");
    }
}
