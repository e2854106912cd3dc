//! A storage request below or above the bounds set in the configuration.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;
use crate::quantity;

pub struct Check;

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, ctx: &Context, sink: &mut Sink<'_>) {
        let Some(options) = ctx.options("storage-request-out-of-bounds") else { return };
        for template in claim_templates(object) {
            let Some(storage) = template.node.path(&["spec", "resources", "requests", "storage"]) else { continue };
            let text = storage.display();
            let Some(q) = quantity::parse(&text) else { continue };
            let bytes = q.as_f64();
            let problem = match (&options.min_storage, &options.max_storage) {
                (Some((min, m)), _) if bytes < *m => format!("below the configured minimum {min}"),
                (_, Some((max, m))) if bytes > *m => format!("above the configured maximum {max}"),
                _ => continue,
            };
            sink.report(object, storage.span.clone(), format!("claim template `{}` requests {text}, {problem}", template.name))
                .with_help_text("size the volume within the team's bounds (`[rules.storage-request-out-of-bounds]` in .stslint.toml), or ignore this finding with a reason");
        }
    }
}
