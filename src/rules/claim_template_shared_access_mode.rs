//! `ReadWriteMany` / `ReadOnlyMany` on a per-pod claim template.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;

pub struct ClaimTemplateSharedAccessMode;

impl Rule for ClaimTemplateSharedAccessMode {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        for template in claim_templates(object) {
            for mode in template
                .node
                .path(&["spec", "accessModes"])
                .map(|m| m.items())
                .unwrap_or_default()
            {
                if let Some(text @ ("ReadWriteMany" | "ReadOnlyMany")) = mode.as_str() {
                    sink.report(object, mode.span.clone(), format!("claim template `{}` asks for `{text}`, but each pod gets its own claim", template.name))
                        .with_help_text("a per-pod claim is used by one pod: `ReadWriteOnce` binds on every storage class, while many classes cannot provision shared modes (the pods then stay Pending)");
                }
            }
        }
    }
}
