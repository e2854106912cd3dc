//! A StatefulSet without `spec.serviceName`.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct StatefulsetMissingServiceName;

impl Rule for StatefulsetMissingServiceName {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(spec) = super::statefulset_spec(object) else {
            return;
        };
        if spec
            .get("serviceName")
            .and_then(|n| n.as_str())
            .is_some_and(|s| !s.is_empty())
        {
            return;
        }
        let span = super::spec_key_span(object);
        sink.report(object, span, format!("policy: StatefulSet `{}` has no `spec.serviceName`, so its pods get no stable DNS names", object.name))
            .with_help_text(format!("the API server accepts it (`serviceName` is optional), but peers cannot reach `{0}-0.<service>`, so clustering and replication that rely on pod DNS break. Add a headless Service (`clusterIP: None`) selecting these pods and name it in `serviceName: {0}-headless`; if the pods never address each other, opt the object out with `stslint.io/ignore: statefulset-missing-service-name` and a `stslint.io/ignore-reason`", object.name));
    }
}
