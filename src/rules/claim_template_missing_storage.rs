//! A claim template without `spec.resources.requests.storage`.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;

pub struct ClaimTemplateMissingStorage;

impl Rule for ClaimTemplateMissingStorage {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        for template in claim_templates(object) {
            let Some(spec) = template.node.get("spec") else {
                sink.report(object, template.anchor.clone(), format!("claim template `{}` has no `spec`: no storage request, no access modes", template.name))
                    .with_help_text("add `spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}`");
                continue;
            };
            missing_storage(
                object,
                spec,
                &format!("claim template `{}`", template.name),
                sink,
            );
        }
        if object.is("PersistentVolumeClaim") {
            if let Some(spec) = object.get(&["spec"]) {
                missing_storage(
                    object,
                    spec,
                    &format!("PersistentVolumeClaim `{}`", object.name),
                    sink,
                );
            }
        }
    }
}

fn missing_storage(object: &Object<'_>, spec: &crate::yaml::Node, what: &str, sink: &mut Sink<'_>) {
    if spec.path(&["resources", "requests", "storage"]).is_some() {
        return;
    }
    let holder = spec
        .path(&["resources", "requests"])
        .or(spec.get("resources"))
        .unwrap_or(spec);
    let span = super::first_key_span(holder);
    sink.report(
        object,
        span,
        format!("{what} requests no storage (`spec.resources.requests.storage` is missing)"),
    )
    .with_help_text(format!(
        "{}; add `resources: {{requests: {{storage: 1Gi}}}}` with the size the pod needs",
        crate::kube::claim_rejection(object.kind)
    ));
}
