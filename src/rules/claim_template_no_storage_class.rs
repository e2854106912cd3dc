//! A claim template without `storageClassName`.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;

pub struct ClaimTemplateNoStorageClass;

impl Rule for ClaimTemplateNoStorageClass {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        for template in claim_templates(object) {
            let Some(spec) = template.node.get("spec") else {
                continue;
            };
            if spec.get("storageClassName").is_none() {
                sink.report(object, super::first_key_span(spec), format!("claim template `{}` has no `storageClassName`: the cluster's default class decides its disk", template.name))
                    .with_help_text("name the storage class the data needs (speed, replication, reclaim policy), e.g. `storageClassName: ssd`");
            }
        }
    }
}
