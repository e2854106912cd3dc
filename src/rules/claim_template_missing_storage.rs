//! A claim template without `spec.resources.requests.storage`.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;

pub struct Check;

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        for template in claim_templates(object) {
            let Some(spec) = template.node.get("spec") else {
                sink.report(object, template.anchor.clone(), format!("claim template `{}` has no `spec`: no storage request, no access modes", template.name))
                    .with_help_text("add `spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}`");
                continue;
            };
            if spec.path(&["resources", "requests", "storage"]).is_some() {
                continue;
            }
            let holder = spec.path(&["resources", "requests"]).or(spec.get("resources")).unwrap_or(spec);
            let span = super::first_key_span(holder);
            sink.report(object, span, format!("claim template `{}` requests no storage (`spec.resources.requests.storage` is missing)", template.name))
                .with_help_text(format!("{}; add `resources: {{requests: {{storage: 1Gi}}}}` with the size the pod needs", crate::kube::claim_rejection(object.kind)));
        }
    }
}
