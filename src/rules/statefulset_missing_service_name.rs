//! A StatefulSet without `spec.serviceName`.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct Check;

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = super::statefulset_spec(object) else { return };
        if spec.get("serviceName").and_then(|n| n.as_str()).is_some_and(|s| !s.is_empty()) {
            return;
        }
        let span = super::spec_key_span(object);
        sink.report(object, span, format!("StatefulSet `{}` has no `spec.serviceName`: its pods get no stable DNS names", object.name))
            .with_help_text(format!("peers cannot reach `{0}-0.<service>`, so clustering and replication break; add a headless Service (`clusterIP: None`) selecting these pods and name it in `serviceName: {0}-headless`", object.name));
    }
}
