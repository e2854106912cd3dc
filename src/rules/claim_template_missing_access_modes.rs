//! A claim template with no `accessModes`.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;

pub struct Check;

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        for template in claim_templates(object) {
            let Some(spec) = template.node.get("spec") else { continue };
            if spec.get("accessModes").is_some_and(|m| !m.items().is_empty()) {
                continue;
            }
            let span = spec.entry("accessModes").map_or_else(|| super::first_key_span(spec), |e| e.key.span.clone());
            sink.report(object, span, format!("claim template `{}` has no `accessModes`", template.name))
                .with_help_text(format!("a claim needs at least one access mode: {}; add `accessModes: [ReadWriteOnce]` for a per-pod volume", crate::kube::claim_rejection(object.kind)));
        }
    }
}
