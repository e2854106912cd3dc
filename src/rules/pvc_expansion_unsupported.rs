//! A PersistentVolumeClaim's storage request grew: the API server allows it only when the
//! claim's StorageClass sets `allowVolumeExpansion: true`.
use super::upgrade::updated_in_place;
use super::{Context, Rule, Sink};
use crate::compare;
use crate::diagnostic::Severity;
use crate::workspace::Workspace;
use crate::yaml::{Node, Value};

pub struct PvcExpansionUnsupported;

impl Rule for PvcExpansionUnsupported {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        let storage = ["spec", "resources", "requests", "storage"];
        for (new, old) in ws
            .updated()
            .filter(|(n, _)| n.kind == "PersistentVolumeClaim" && updated_in_place(n))
        {
            let (Some(x), Some(y)) = (old.root.path(&storage), new.root.path(&storage)) else {
                continue;
            };
            let (Some(p), Some(q)) = (
                compare::quantity_of(&x.value),
                compare::quantity_of(&y.value),
            ) else {
                continue;
            };
            if q <= p {
                continue;
            }
            let class_name = new
                .root
                .path(&["spec", "storageClassName"])
                .and_then(Node::as_str);
            let class =
                class_name.and_then(|name| ws.of_kind("StorageClass").find(|c| c.name == name));
            let grown = format!(
                "storage of PersistentVolumeClaim `{}` grown from `{}` to `{}`",
                new.name,
                x.display(),
                y.display()
            );
            let answer = "spec: Forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize";
            match class {
                Some(class) => {
                    let allows = matches!(
                        class.root.get("allowVolumeExpansion").map(|n| &n.value),
                        Some(Value::Bool(true))
                    );
                    if allows {
                        continue;
                    }
                    let at = class
                        .root
                        .get("allowVolumeExpansion")
                        .map_or_else(|| super::upgrade::name_span(class), |n| n.span.clone());
                    sink.report(&new.object(), y.span.clone(), format!("{grown}, but StorageClass `{}` does not allow volume expansion", class.name))
                        .with_help_text(format!("`kubectl apply` and `helm upgrade` fail with `{answer}`; set `allowVolumeExpansion: true` on StorageClass `{}` (if its provisioner can expand volumes), or keep `{}`", class.name, x.display()))
                        .add_related(class.file, at, "the StorageClass, without `allowVolumeExpansion: true`")
                        .add_related(old.file, x.span.clone(), format!("previously `{}`", x.display()));
                }
                None => {
                    let which = class_name.map_or_else(
                        || "the cluster's default StorageClass".to_owned(),
                        |n| format!("StorageClass `{n}`"),
                    );
                    sink.report(&new.object(), y.span.clone(), format!("{grown}: this needs {which} to set `allowVolumeExpansion: true`"))
                        .at_most(Severity::Info)
                        .with_help_text(format!("otherwise `kubectl apply` and `helm upgrade` fail with `{answer}`; the file system grows when the volume does, for some drivers only after the pod restarts (check the claim's `FileSystemResizePending` condition)"))
                        .add_related(old.file, x.span.clone(), format!("previously `{}`", x.display()));
                }
            }
        }
    }
}
