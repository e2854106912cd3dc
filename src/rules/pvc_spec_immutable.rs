//! A PersistentVolumeClaim's spec changed where the API server allows no change (storage
//! class, access modes, volume, volume mode, selector, data source), or its storage request
//! shrank.
use super::upgrade::{
    claim_spec_changes, filesystem_defaults, namespace_flag, report_change, updated_in_place,
};
use super::{Context, Rule, Sink};
use crate::compare;
use crate::workspace::Workspace;

pub struct PvcSpecImmutable;

/// `ValidatePersistentVolumeClaimUpdate` lets these change: the storage request (expansion,
/// see `pvc-expansion-unsupported`) and the volume attributes class.
const MUTABLE: &[&str] = &["volumeAttributesClassName"];

impl Rule for PvcSpecImmutable {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        for (new, old) in ws
            .updated()
            .filter(|(n, _)| n.kind == "PersistentVolumeClaim" && updated_in_place(n))
        {
            let (Some(a), Some(b)) = (old.root.get("spec"), new.root.get("spec")) else {
                continue;
            };
            let recreate = format!("a claim's spec is fixed at creation: keep the previous value, or copy the data to a new claim (a new name) and point the pods at it; deleting `{}`{} deletes its data under the usual `reclaimPolicy: Delete`", new.name, namespace_flag(new));
            let answer = format!("PersistentVolumeClaim \"{}\" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims", new.name);
            let storage = ["spec", "resources", "requests", "storage"];
            if let (Some(x), Some(y)) = (old.root.path(&storage), new.root.path(&storage)) {
                if let (Some(p), Some(q)) = (
                    compare::quantity_of(&x.value),
                    compare::quantity_of(&y.value),
                ) {
                    if q < p {
                        sink.report(&new.object(), y.span.clone(), format!("storage of PersistentVolumeClaim `{}` shrunk from `{}` to `{}`: a claim cannot shrink below its volume's capacity", new.name, x.display(), y.display()))
                            .with_help_text(format!("`kubectl apply` and `helm upgrade` fail with `spec.resources.requests.storage: Forbidden: field can not be less than status.capacity` (before Kubernetes 1.34: `less than previous value`); keep `{}`", x.display()))
                            .add_related(old.file, x.span.clone(), format!("previously `{}`", x.display()));
                    }
                }
            }
            let filesystem = filesystem_defaults(a, b);
            for key in compare::union_keys(Some(a), Some(b)) {
                if MUTABLE.contains(&key.as_str()) {
                    continue;
                }
                let mut changes = claim_spec_changes(a, b, &key, &filesystem);
                changes.retain(|c| !c.path.starts_with("spec.resources.requests."));
                let Some(change) = changes.first() else {
                    continue;
                };
                // Fields the cluster fills in at creation: naming them now is fine if it matches.
                let filled_in = change.old.is_none()
                    && matches!(key.as_str(), "storageClassName" | "volumeName");
                let what = if change.old.is_some_and(|n| !n.is_map())
                    || change.new.is_some_and(|n| !n.is_map())
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
                let d = report_change(sink, new, old, change, format!("{what} on PersistentVolumeClaim `{}`: a claim's spec cannot change once it exists", new.name));
                if filled_in {
                    d.at_most(crate::diagnostic::Severity::Warning).with_help_text(format!(
                        "the cluster set `{key}` when the claim was made (the default StorageClass, the bound volume): the update succeeds only if `{}` is that value; otherwise it fails with `{answer}`",
                        compare::show(change.new)
                    ));
                } else {
                    d.with_help_text(format!(
                        "`kubectl apply` and `helm upgrade` fail with `{answer}`; {recreate}"
                    ));
                }
            }
        }
    }
}
