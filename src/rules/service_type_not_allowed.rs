//! A Service whose type is not among the allowed ones.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct Check;

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, ctx: &Context, sink: &mut Sink<'_>) {
        if !object.is("Service") {
            return;
        }
        let Some(allowed) = ctx.options("service-type-not-allowed").and_then(|o| o.allowed.as_ref()) else { return };
        let type_node = object.get(&["spec", "type"]);
        let kind = type_node.map_or_else(|| "ClusterIP".to_string(), |t| t.display());
        if allowed.contains(&kind) {
            return;
        }
        let span = type_node.map_or(object.kind_span(), |t| t.span.clone());
        sink.report(object, span, format!("Service `{}` has type {kind}, which is not allowed here", object.name))
            .with_help_text(format!("use one of: {}", allowed.join(", ")));
    }
}
