//! A change to a StatefulSet's `volumeClaimTemplates`: the API server refuses every one of
//! them, and the usual way out depends on what changed (a bigger disk is expanded claim by
//! claim, not in the template).
use super::upgrade::{
    claim_names, claim_spec_changes, filesystem_defaults, orphan_and_recreate, replicas_and_start,
    statefulset_forbidden, updated_in_place,
};
use super::{Context, Rule, Sink};
use crate::compare::{self, Change};
use crate::workspace::{Linked, Workspace};
use crate::yaml::Node;

pub struct ClaimTemplateImmutable;

/// Parts of an embedded claim the API server does not keep (`apiVersion`, `kind`) or sets
/// itself (`status`): not part of the comparison.
const IGNORED: &[&str] = &["apiVersion", "kind", "status"];

fn templates(object: &Linked) -> Vec<(String, &Node)> {
    object
        .root
        .path(&["spec", "volumeClaimTemplates"])
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .map(|t| {
            (
                t.path(&["metadata", "name"])
                    .map_or_else(String::new, Node::display),
                t,
            )
        })
        .collect()
}

impl Rule for ClaimTemplateImmutable {
    fn check_links(&self, ws: &Workspace, ctx: &Context, sink: &mut Sink<'_>) {
        for (new, old) in ws
            .updated()
            .filter(|(n, _)| n.kind == "StatefulSet" && updated_in_place(n))
        {
            let (new_templates, old_templates) = (templates(new), templates(old));
            let forbidden = statefulset_forbidden(new, ctx.kubernetes_version);
            let (replicas, start) = replicas_and_start(new);
            let recreate = orphan_and_recreate(new);
            let new_list = new.root.path(&["spec", "volumeClaimTemplates"]);
            let new_anchor = new
                .root
                .get("spec")
                .and_then(|s| {
                    s.entry("volumeClaimTemplates")
                        .map(|e| e.key.span.clone())
                        .or(Some(s.span.clone()))
                })
                .unwrap_or(new.root.span.clone());
            let old_anchor = old
                .root
                .path(&["spec", "volumeClaimTemplates"])
                .map_or(old.root.span.clone(), |n| n.span.clone());
            for (name, template) in &new_templates {
                let Some((_, before)) = old_templates.iter().find(|(n, _)| n == name) else {
                    let at = template
                        .path(&["metadata", "name"])
                        .map_or(template.span.clone(), |n| n.span.clone());
                    sink.report(&new.object(), at, format!("claim template `{name}` is new: the API server refuses any change to the `volumeClaimTemplates` of StatefulSet `{}`", new.name))
                        .with_help_text(format!("`kubectl apply` and `helm upgrade` fail with `{forbidden}`. To add it: {recreate}; pods recreated by the rollout then get their `{name}` claims"))
                        .add_related(old.file, old_anchor.clone(), "the previous claim templates");
                    continue;
                };
                check_pair(
                    sink,
                    new,
                    old,
                    name,
                    before,
                    template,
                    &forbidden,
                    &recreate,
                    (replicas, start),
                );
            }
            for (name, template) in &old_templates {
                if new_templates.iter().any(|(n, _)| n == name) {
                    continue;
                }
                let old_at = template
                    .path(&["metadata", "name"])
                    .map_or(template.span.clone(), |n| n.span.clone());
                sink.report(&new.object(), new_list.map_or(new_anchor.clone(), |l| l.span.clone()), format!("claim template `{name}` was removed: the API server refuses any change to the `volumeClaimTemplates` of StatefulSet `{}`", new.name))
                    .with_help_text(format!("`kubectl apply` and `helm upgrade` fail with `{forbidden}`. To drop it: {recreate}; the claims {} stay until you delete them", claim_names(new, name, start..start + replicas)))
                    .add_related(old.file, old_at, format!("claim template `{name}` in the previous version"));
            }
            // A name listed more (or fewer) times than before: still a different list.
            for (i, (name, template)) in new_templates.iter().enumerate() {
                let count =
                    |list: &[(String, &Node)]| list.iter().filter(|(n, _)| n == name).count();
                let (now, before) = (count(&new_templates), count(&old_templates));
                let first = new_templates.iter().position(|(n, _)| n == name) == Some(i);
                if before == 0 || now == before || !first {
                    continue;
                }
                let at = new_templates
                    .iter()
                    .filter(|(n, _)| n == name)
                    .nth(1)
                    .map_or(template, |(_, t)| t);
                let at = at
                    .path(&["metadata", "name"])
                    .map_or(at.span.clone(), |n| n.span.clone());
                sink.report(&new.object(), at, format!("claim template `{name}` is listed {now} times, {before} before: the API server refuses any change to the `volumeClaimTemplates` of StatefulSet `{}`", new.name))
                    .with_help_text(format!("`kubectl apply` and `helm upgrade` fail with `{forbidden}`; list it once, as before"))
                    .add_related(old.file, old_anchor.clone(), "the previous claim templates");
            }
            // Same templates in another order: still a different list to the API server.
            let same_names = new_templates.len() == old_templates.len()
                && new_templates
                    .iter()
                    .all(|(n, _)| old_templates.iter().any(|(o, _)| o == n));
            let order_differs = new_templates
                .iter()
                .zip(&old_templates)
                .any(|((a, _), (b, _))| a != b);
            if same_names && order_differs {
                sink.report(&new.object(), new_list.map_or(new_anchor.clone(), |l| l.span.clone()), format!("the claim templates of StatefulSet `{}` are in another order: the API server compares the list as a whole and refuses the update", new.name))
                    .with_help_text(format!("`kubectl apply` and `helm upgrade` fail with `{forbidden}`; keep the previous order"))
                    .add_related(old.file, old_anchor.clone(), "the previous order");
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn check_pair<'a>(
    sink: &mut Sink<'_>,
    new: &Linked,
    old: &Linked,
    name: &str,
    before: &'a Node,
    after: &'a Node,
    forbidden: &str,
    recreate: &str,
    (replicas, start): (i64, i64),
) {
    let claims = claim_names(new, name, start..start + replicas);
    let storage = |t: &Node| {
        t.path(&["spec", "resources", "requests", "storage"])
            .cloned()
    };
    let spec = |t: &'a Node| t.get("spec").unwrap_or(t);
    let filesystem = filesystem_defaults(spec(before), spec(after));
    let mut changes: Vec<Change<'_>> = Vec::new();
    // Storage first, with its own message; then the rest, field by field.
    let (old_size, new_size) = (storage(before), storage(after));
    let sizes = (
        old_size
            .as_ref()
            .and_then(|n| compare::quantity_of(&n.value)),
        new_size
            .as_ref()
            .and_then(|n| compare::quantity_of(&n.value)),
    );
    if let (Some(a), Some(b), Some(old_node), Some(new_node)) = (
        sizes.0,
        sizes.1,
        before.path(&["spec", "resources", "requests", "storage"]),
        after.path(&["spec", "resources", "requests", "storage"]),
    ) {
        if a != b {
            let (from, to) = (old_node.display(), new_node.display());
            let (verb, help) = if b > a {
                ("grown", format!("expand each existing claim instead (its StorageClass must set `allowVolumeExpansion: true`): `kubectl patch pvc <claim>{} -p '{{\"spec\":{{\"resources\":{{\"requests\":{{\"storage\":\"{to}\"}}}}}}}}'` for {claims}; then, so that new replicas get {to} too, {recreate}", super::upgrade::namespace_flag(new)))
            } else {
                ("shrunk", format!("a volume cannot shrink: keep `{from}`; for a smaller disk, copy the data to new claims"))
            };
            sink.report(&new.object(), new_node.span.clone(), format!("storage of claim template `{name}` {verb} from `{from}` to `{to}`: the API server refuses any change to the `volumeClaimTemplates` of StatefulSet `{}`", new.name))
                .with_help_text(format!("`kubectl apply` and `helm upgrade` fail with `{forbidden}`. To {}: {help}", if b > a { "grow the disks" } else { "keep the data" }))
                .add_related(old.file, old_node.span.clone(), format!("previously `{from}`"));
        }
    }
    for key in compare::union_keys(Some(before), Some(after)) {
        if IGNORED.contains(&key.as_str()) {
            continue;
        }
        if key == "spec" {
            let (Some(a), Some(b)) = (before.get("spec"), after.get("spec")) else {
                changes.extend(compare::diff(
                    before.get("spec"),
                    after.get("spec"),
                    "spec",
                    before.span.clone(),
                    after.span.clone(),
                ));
                continue;
            };
            for k in compare::union_keys(Some(a), Some(b)) {
                // Storage has its own message above when both sizes read as quantities.
                let found = claim_spec_changes(a, b, &k, &filesystem);
                changes.extend(found.into_iter().filter(|c| {
                    c.path != "spec.resources.requests.storage"
                        || sizes.0.is_none()
                        || sizes.1.is_none()
                }));
            }
        } else {
            changes.extend(compare::diff(
                before.get(&key),
                after.get(&key),
                &key,
                before.span.clone(),
                after.span.clone(),
            ));
        }
    }
    for change in changes {
        let field = change.path.as_str();
        let why = match field {
            "spec.storageClassName" => format!("existing claims keep their class; to move the data to another class, create claims of the new class named {claims} after copying the data, then {recreate}"),
            "spec.accessModes" => format!("existing claims keep their access modes; to change them, recreate the claims {claims} (the data must be copied), then {recreate}"),
            _ => format!("keep the previous value, or {recreate}"),
        };
        let what =
            if change.old.is_some_and(|n| !n.is_map()) || change.new.is_some_and(|n| !n.is_map()) {
                format!(
                    "`{field}` of claim template `{name}` changed from `{}` to `{}`",
                    compare::show(change.old),
                    compare::show(change.new)
                )
            } else {
                format!("`{field}` of claim template `{name}` changed")
            };
        super::upgrade::report_change(sink, new, old, &change, format!("{what}: the API server refuses any change to the `volumeClaimTemplates` of StatefulSet `{}`", new.name))
            .with_help_text(format!("`kubectl apply` and `helm upgrade` fail with `{forbidden}`. {}{}", why[..1].to_uppercase(), &why[1..]));
    }
}
