//! A claim template whose storage class is not among the allowed ones.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;

pub struct Check;

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, ctx: &Context, sink: &mut Sink<'_>) {
        let Some(allowed) = ctx.options("storage-class-not-allowed").and_then(|o| o.allowed.as_ref()) else { return };
        for template in claim_templates(object) {
            let Some(spec) = template.node.get("spec") else { continue };
            let (span, class) = match spec.get("storageClassName") {
                Some(c) => (c.span.clone(), c.display()),
                None => (super::first_key_span(spec), "(the cluster default)".to_string()),
            };
            if allowed.contains(&class) {
                continue;
            }
            sink.report(object, span, format!("claim template `{}` uses storage class {class}, which is not allowed here", template.name))
                .with_help_text(format!("use one of: {}", allowed.join(", ")));
        }
    }
}
