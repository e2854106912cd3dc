//! A Helm hook without `helm.sh/hook-delete-policy`: Helm 3 deletes it only before the hook
//! runs again (`before-hook-creation`), so the finished resource lingers until then.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct HelmHookMissingDeletePolicy;

impl Rule for HelmHookMissingDeletePolicy {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        // Helm never deletes a CustomResourceDefinition hook (that would delete every custom
        // resource of it), so no policy applies.
        if object.is("CustomResourceDefinition") {
            return;
        }
        let Some(annotations) = object.get(&["metadata", "annotations"]) else {
            return;
        };
        let Some(hook) = annotations.entry("helm.sh/hook") else {
            return;
        };
        if annotations.get("helm.sh/hook-delete-policy").is_some() {
            return;
        }
        let hooks = hook.value.display();
        sink.report(object, hook.key.span.clone(), format!("Helm hook {} `{}` ({hooks}) has no `helm.sh/hook-delete-policy`: it stays in the namespace after it ran", object.kind, object.name))
            .with_help_text("Helm 3 applies `before-hook-creation` when no policy is set, so the finished resource is deleted only when the hook runs next; add `\"helm.sh/hook-delete-policy\": before-hook-creation,hook-succeeded` to remove it as soon as it succeeds (keep it for tests whose logs you read)");
    }
}
