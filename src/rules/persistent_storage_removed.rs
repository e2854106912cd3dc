//! A StatefulSet with claim templates, or a PersistentVolumeClaim, is gone from the new
//! version (removed or renamed): its data is orphaned, or deleted.
use super::upgrade::{
    claim_names, claim_template_names, kept_when_removed, name_span, replicas_and_start,
    updated_in_place,
};
use super::{Context, Rule, Sink};
use crate::workspace::{Linked, Workspace};
use crate::yaml::Node;

pub struct PersistentStorageRemoved;

fn when_deleted(object: &Linked) -> &str {
    object
        .root
        .path(&[
            "spec",
            "persistentVolumeClaimRetentionPolicy",
            "whenDeleted",
        ])
        .and_then(Node::as_str)
        .unwrap_or("Retain")
}

impl Rule for PersistentStorageRemoved {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for old in &ws.previous {
            let stateful = match old.kind.as_str() {
                "StatefulSet" => !claim_template_names(old).is_empty(),
                "PersistentVolumeClaim" => true,
                _ => false,
            };
            if !stateful
                || !updated_in_place(old)
                || kept_when_removed(old)
                || ws.current_of(old).is_some()
            {
                continue;
            }
            // A new object of the same kind in the same namespace with the same claim
            // templates (or a claim of the same spec) is taken for the renamed one.
            let renamed = ws.objects.iter().find(|n| {
                n.kind == old.kind
                    && ws.previous_of(n).is_none()
                    && n.namespace == old.namespace
                    && if old.kind == "StatefulSet" {
                        claim_template_names(n) == claim_template_names(old)
                    } else {
                        crate::compare::same(n.root.get("spec"), old.root.get("spec"))
                    }
            });
            let (ordinals, templates) = if old.kind == "StatefulSet" {
                let (replicas, start) = replicas_and_start(old);
                (start..start + replicas, claim_template_names(old))
            } else {
                (0..0, Vec::new())
            };
            let old_claims = if old.kind == "StatefulSet" {
                templates
                    .iter()
                    .map(|t| claim_names(old, t, ordinals.clone()))
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                format!("`{}`", old.name)
            };
            let fate = if old.kind == "StatefulSet" {
                if when_deleted(old) == "Delete" {
                    format!("its claims {old_claims} are deleted with it (`persistentVolumeClaimRetentionPolicy.whenDeleted: Delete`), and their volumes with them under the usual `reclaimPolicy: Delete`")
                } else {
                    format!(
                        "its claims {old_claims} stay, holding the data, but nothing mounts them"
                    )
                }
            } else {
                "Helm deletes it on upgrade (as does `kubectl apply --prune`), and its volume and data with it under the usual `reclaimPolicy: Delete`".to_owned()
            };
            match renamed {
                Some(new) => {
                    let new_claims = if new.kind == "StatefulSet" {
                        let (replicas, start) = replicas_and_start(new);
                        let names: Vec<String> = templates
                            .iter()
                            .map(|t| claim_names(new, t, start..start + replicas))
                            .collect();
                        format!(
                            "the pods of `{}` get new, empty claims ({}); ",
                            new.name,
                            names.join(", ")
                        )
                    } else {
                        String::new()
                    };
                    let d = sink.report(
                        &new.object(),
                        name_span(new),
                        format!(
                            "{} `{}` looks renamed from `{}`: the old one is deleted and {fate}",
                            new.kind, new.name, old.name
                        ),
                    );
                    if old.kind != "StatefulSet" || when_deleted(old) == "Delete" {
                        d.claiming("claims-deleted");
                    }
                    d
                        .with_help_text(format!("{new_claims}keep the old name; to rename anyway, copy the data first (or create the new claims, bound to the old volumes, before deploying), and set `helm.sh/resource-policy: keep` on anything Helm must not delete"))
                        .add_related(old.file, name_span(old), format!("the previous name, `{}`", old.name));
                }
                None => {
                    let d = sink.report(
                        &old.object(),
                        name_span(old),
                        format!("{} `{}` was removed: {fate}", old.kind, old.name),
                    );
                    // Kept but unmounted (the default), or deleted with it: two consequences.
                    if old.kind != "StatefulSet" || when_deleted(old) == "Delete" {
                        d.claiming("claims-deleted");
                    }
                    d.with_help_text(format!(
                        "if the data must stay, keep the object, or annotate it `helm.sh/resource-policy: keep` in the release that removes it; otherwise delete the claims ({old_claims}) on purpose once the data is saved"
                    ));
                }
            }
        }
    }
}
