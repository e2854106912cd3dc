//! A StatefulSet spec field the API server does not let an update change (`serviceName`,
//! `podManagementPolicy`, `revisionHistoryLimit`, …), compared with the previous version.
//! The selector and the claim templates have rules of their own.
use super::upgrade::{
    default_node, orphan_and_recreate, report_change, statefulset_forbidden,
    statefulset_mutable_fields, updated_in_place,
};
use super::{Context, Rule, Sink};
use crate::compare;
use crate::workspace::Workspace;
use crate::yaml::Value;

pub struct StatefulsetSpecImmutable;

/// Fields with rules of their own.
const ELSEWHERE: &[&str] = &["selector", "volumeClaimTemplates"];

impl Rule for StatefulsetSpecImmutable {
    fn check_links(&self, ws: &Workspace, ctx: &Context, sink: &mut Sink<'_>) {
        let mutable = statefulset_mutable_fields(ctx.kubernetes_version);
        for (new, old) in ws
            .updated()
            .filter(|(n, _)| n.kind == "StatefulSet" && updated_in_place(n))
        {
            let (Some(new_spec), Some(old_spec)) = (new.root.get("spec"), old.root.get("spec"))
            else {
                continue;
            };
            let keys = compare::union_keys(Some(old_spec), Some(new_spec));
            for key in keys
                .into_iter()
                .filter(|k| !mutable.contains(&k.as_str()) && !ELSEWHERE.contains(&k.as_str()))
            {
                // Defaults the API server fills in: writing the default is no change.
                let default = match key.as_str() {
                    "podManagementPolicy" => Some(Value::Str("OrderedReady".into())),
                    "revisionHistoryLimit" => Some(Value::Int(10)),
                    _ => None,
                };
                let old_default = default
                    .clone()
                    .map(|v| default_node(v, old_spec.span.clone()));
                let new_default = default.map(|v| default_node(v, new_spec.span.clone()));
                let old_value = old_spec.get(&key).or(old_default.as_ref());
                let new_value = new_spec.get(&key).or(new_default.as_ref());
                let changes = compare::diff(
                    old_value,
                    new_value,
                    &format!("spec.{key}"),
                    old_spec.span.clone(),
                    new_spec.span.clone(),
                );
                let Some(change) = changes.first() else {
                    continue;
                };
                let what = if changes.len() == 1
                    && change.old.is_some_and(|n| !n.is_map())
                    && change.new.is_some_and(|n| !n.is_map())
                {
                    format!(
                        "`{}` changed from `{}` to `{}`",
                        change.path,
                        compare::show(change.old),
                        compare::show(change.new)
                    )
                } else {
                    format!("`spec.{key}` changed (at `{}`)", change.path)
                };
                let d = report_change(
                    sink,
                    new,
                    old,
                    change,
                    format!(
                        "{what}: the API server lets an update of StatefulSet `{}` change only {}",
                        new.name,
                        super::upgrade::and_list(
                            &mutable.iter().map(|f| f.to_string()).collect::<Vec<_>>()
                        )
                    ),
                );
                d.with_help_text(format!(
                    "`kubectl apply` and `helm upgrade` fail with `{}`. Keep the previous value, or replace the StatefulSet: {}",
                    statefulset_forbidden(new, ctx.kubernetes_version),
                    orphan_and_recreate(new)
                ));
            }
        }
    }
}
