//! The data of a ConfigMap or Secret marked `immutable: true` changed (or the mark was
//! dropped), or a Secret's `type` changed: the API server refuses both.
use super::upgrade::{namespace_flag, report_change, updated_in_place};
use super::{Context, Rule, Sink};
use crate::compare;
use crate::workspace::Workspace;
use crate::yaml::{Node, Value};

pub struct ImmutableConfigChanged;

fn is_immutable(node: &Node) -> bool {
    matches!(
        node.get("immutable").map(|n| &n.value),
        Some(Value::Bool(true))
    )
}

impl Rule for ImmutableConfigChanged {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for (new, old) in ws.updated().filter(|(n, _)| {
            matches!(n.kind.as_str(), "ConfigMap" | "Secret") && updated_in_place(n)
        }) {
            let (a, b) = (&old.root, &new.root);
            let way = format!("give the changed {} a new name (kustomize's generators add a content hash for this) and point the pods at it; or `kubectl delete {} {}{}` before deploying", new.kind, new.kind.to_lowercase(), new.name, namespace_flag(new));
            if new.kind == "Secret" {
                let opaque = |n: &Node| {
                    n.get("type")
                        .and_then(Node::as_str)
                        .unwrap_or("Opaque")
                        .to_owned()
                };
                if opaque(a) != opaque(b) {
                    let at = b.get("type").map_or(b.span.clone(), |n| n.span.clone());
                    let was = a.get("type").map_or(a.span.clone(), |n| n.span.clone());
                    sink.report(&new.object(), at, format!("`type` of Secret `{}` changed from `{}` to `{}`: a Secret's type cannot change", new.name, opaque(a), opaque(b)))
                        .with_help_text(format!("`kubectl apply` and `helm upgrade` fail with `Secret \"{}\" is invalid: type: Invalid value: ...: field is immutable`; {way}", new.name))
                        .add_related(old.file, was, format!("previously `{}`", opaque(a)));
                }
            }
            if !is_immutable(a) {
                continue;
            }
            if !is_immutable(b) {
                let at = b
                    .get("immutable")
                    .map_or(b.span.clone(), |n| n.span.clone());
                let was = a
                    .get("immutable")
                    .map_or(a.span.clone(), |n| n.span.clone());
                sink.report(&new.object(), at, format!("{} `{}` was `immutable: true`: that cannot be undone", new.kind, new.name))
                    .with_help_text(format!("`kubectl apply` and `helm upgrade` fail with `immutable: Forbidden: field is immutable when `immutable` is set`; {way}"))
                    .add_related(old.file, was, "previously `immutable: true`");
                continue;
            }
            for field in ["data", "binaryData", "stringData"] {
                let changes = compare::diff(
                    a.get(field),
                    b.get(field),
                    field,
                    a.span.clone(),
                    b.span.clone(),
                );
                let Some(change) = changes.first() else {
                    continue;
                };
                report_change(sink, new, old, change, format!("`{}` of {} `{}` changed, but it is `immutable: true`", change.path, new.kind, new.name))
                    .with_help_text(format!("`kubectl apply` and `helm upgrade` fail with `{field}: Forbidden: field is immutable when `immutable` is set`; {way}"));
            }
        }
    }
}
