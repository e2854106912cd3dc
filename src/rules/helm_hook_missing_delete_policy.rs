//! A Helm hook without `helm.sh/hook-delete-policy`.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct Check;

impl Rule for Check {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(annotations) = object.get(&["metadata", "annotations"]) else { return };
        let Some(hook) = annotations.entry("helm.sh/hook") else { return };
        if annotations.get("helm.sh/hook-delete-policy").is_some() {
            return;
        }
        let hooks = hook.value.display();
        sink.report(object, hook.key.span.clone(), format!("Helm hook {} `{}` ({hooks}) has no `helm.sh/hook-delete-policy`", object.kind, object.name))
            .with_help_text("without it the hook's resource stays in the namespace after it completes, and the next install or upgrade fails because it already exists; add `\"helm.sh/hook-delete-policy\": before-hook-creation,hook-succeeded`");
    }
}
