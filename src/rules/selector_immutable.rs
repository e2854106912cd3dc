//! `spec.selector` of a Deployment, DaemonSet, ReplicaSet or StatefulSet changed: apps/v1
//! makes it immutable, and the way out leaves the old pods behind.
use super::upgrade::{namespace_flag, report_change, statefulset_forbidden, updated_in_place};
use super::{Context, Rule, Sink};
use crate::compare;
use crate::workspace::Workspace;

pub struct SelectorImmutable;

const KINDS: &[&str] = &["StatefulSet", "Deployment", "DaemonSet", "ReplicaSet"];

impl Rule for SelectorImmutable {
    fn check_links(&self, ws: &Workspace, ctx: &Context, sink: &mut Sink<'_>) {
        for (new, old) in ws.updated().filter(|(n, _)| {
            KINDS.contains(&n.kind.as_str())
                && n.api_version.starts_with("apps/")
                && updated_in_place(n)
        }) {
            let (Some(new_spec), Some(old_spec)) = (new.root.get("spec"), old.root.get("spec"))
            else {
                continue;
            };
            let changes = compare::diff(
                old_spec.get("selector"),
                new_spec.get("selector"),
                "spec.selector",
                old_spec.span.clone(),
                new_spec.span.clone(),
            );
            let Some(change) = changes.first() else {
                continue;
            };
            let answer = if new.kind == "StatefulSet" {
                statefulset_forbidden(new, ctx.kubernetes_version)
            } else {
                format!("{}.apps \"{}\" is invalid: spec.selector: Invalid value: ...: field is immutable", new.kind, new.name)
            };
            let what = if change.old.is_some_and(|n| !n.is_map())
                && change.new.is_some_and(|n| !n.is_map())
            {
                format!(
                    "`{}` changed from `{}` to `{}`",
                    change.path,
                    compare::show(change.old),
                    compare::show(change.new)
                )
            } else {
                format!("`spec.selector` changed (at `{}`)", change.path)
            };
            report_change(sink, new, old, change, format!("{what}: the selector of {} `{}` cannot change once it exists", new.kind, new.name))
                .with_help_text(format!(
                    "`kubectl apply` and `helm upgrade` fail with `{answer}`. Keep the previous selector (new labels can go on the pod template alone: a selector may select a subset of them), or replace the object: `kubectl delete {} {}{} --cascade=orphan`, deploy, then delete the old pods one by one: the new selector does not select them",
                    new.kind.to_lowercase(),
                    new.name,
                    namespace_flag(new)
                ));
        }
    }
}
