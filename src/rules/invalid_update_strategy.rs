//! `updateStrategy.type` other than `RollingUpdate` / `OnDelete`.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct Check;

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if !object.is("StatefulSet") {
            return;
        }
        let Some(value) = object.get(&["spec", "updateStrategy", "type"]) else { return };
        let text = value.display();
        if text == "RollingUpdate" || text == "OnDelete" {
            return;
        }
        let hint = if text == "Recreate" { " (`Recreate` is a Deployment strategy)" } else { "" };
        sink.report(object, value.span.clone(), format!("`updateStrategy.type: {text}` is not a StatefulSet strategy{hint}"))
            .with_help_text("the API server rejects it; use `RollingUpdate` (the default) or `OnDelete`");
    }
}
