//! `replicas` lowered on a StatefulSet whose `persistentVolumeClaimRetentionPolicy` says
//! `whenScaled: Delete`: the controller deletes the claims of the removed replicas.
use super::upgrade::{
    claim_names, claim_template_names, replicas_and_start, report_change, updated_in_place,
};
use super::{Context, Rule, Sink};
use crate::compare::Change;
use crate::workspace::Workspace;
use crate::yaml::Node;

pub struct ScaleDownDeletesClaims;

impl Rule for ScaleDownDeletesClaims {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for (new, old) in ws
            .updated()
            .filter(|(n, _)| n.kind == "StatefulSet" && updated_in_place(n))
        {
            let policy = new
                .root
                .path(&["spec", "persistentVolumeClaimRetentionPolicy", "whenScaled"])
                .and_then(Node::as_str);
            if policy != Some("Delete") {
                continue;
            }
            let ((before, _), (after, start)) = (replicas_and_start(old), replicas_and_start(new));
            if after >= before {
                continue;
            }
            let templates = claim_template_names(new);
            if templates.is_empty() {
                continue;
            }
            let gone: Vec<String> = templates
                .iter()
                .map(|t| claim_names(new, t, start + after..start + before))
                .collect();
            let at = |s: &crate::workspace::Linked| {
                s.root
                    .path(&["spec", "replicas"])
                    .or(s.root.get("spec"))
                    .map_or(s.root.span.clone(), |n| n.span.clone())
            };
            let change = Change {
                path: "spec.replicas".into(),
                old: old.root.path(&["spec", "replicas"]),
                new: new.root.path(&["spec", "replicas"]),
                old_at: at(old),
                new_at: at(new),
            };
            report_change(sink, new, old, &change, format!("`replicas` of StatefulSet `{}` lowered from {before} to {after} under `whenScaled: Delete`: the claims {} are deleted, with their data", new.name, gone.join(", ")))
                .with_help_text("the StatefulSet controller deletes the claims of the replicas it removes when `persistentVolumeClaimRetentionPolicy.whenScaled` is `Delete`; set `whenScaled: Retain` to keep them for a later scale-up, or save the data first");
        }
    }
}
