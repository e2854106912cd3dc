//! A claim's `dataSource` the API server drops on create (`EnforceDataSourceBackwardsCompatibility`
//! in `pkg/api/persistentvolumeclaim/util.go`): only a core PersistentVolumeClaim or a
//! `snapshot.storage.k8s.io` VolumeSnapshot is kept when `dataSourceRef` is not set.
use super::{claim_templates, Context, Rule, Sink};
use crate::model::Object;
use crate::yaml::Node;

pub struct PvcDataSourceDropped;

impl Rule for PvcDataSourceDropped {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        for template in claim_templates(object) {
            if let Some(spec) = template.node.get("spec") {
                check(
                    object,
                    spec,
                    &format!("claim template `{}`", template.name),
                    sink,
                );
            }
        }
        if object.is("PersistentVolumeClaim") && object.api_version == "v1" {
            if let Some(spec) = object.get(&["spec"]) {
                check(
                    object,
                    spec,
                    &format!("PersistentVolumeClaim `{}`", object.name),
                    sink,
                );
            }
        }
    }
}

fn check(object: &Object<'_>, spec: &Node, what: &str, sink: &mut Sink<'_>) {
    let Some(source) = spec.get("dataSource").filter(|s| s.is_map()) else {
        return;
    };
    if spec.get("dataSourceRef").is_some() {
        return;
    }
    let kind = source
        .get("kind")
        .and_then(Node::as_str)
        .unwrap_or_default();
    let group = source
        .get("apiGroup")
        .and_then(Node::as_str)
        .unwrap_or_default();
    let kept = matches!(
        (group, kind),
        ("", "PersistentVolumeClaim") | ("snapshot.storage.k8s.io", "VolumeSnapshot")
    );
    if kept {
        return;
    }
    // Shown where the mismatch is: a VolumeSnapshot in another group is the group's fault.
    let at = match (group, kind) {
        (_, "VolumeSnapshot") => source.get("apiGroup").unwrap_or(source),
        _ => source.get("kind").unwrap_or(source),
    };
    let named = if group.is_empty() {
        format!("`{kind}`")
    } else {
        format!("`{group}` `{kind}`")
    };
    let instead = match (group, kind) {
        (_, "VolumeSnapshot") => "write `apiGroup: snapshot.storage.k8s.io` (a group, no version)",
        ("", k) if k.eq_ignore_ascii_case("PersistentVolumeClaim") => {
            "write `kind: PersistentVolumeClaim`"
        }
        ("", _) => "name a PersistentVolumeClaim or a VolumeSnapshot",
        _ => "for a volume populator's resource, move it to `dataSourceRef`",
    };
    sink.report(
        object,
        at.span.clone(),
        format!("{what} takes its data from {named}, which the API server drops from `dataSource`: the volume is created empty"),
    )
    .with_help_text(format!(
        "without `dataSourceRef`, only a PersistentVolumeClaim (core group) or a `snapshot.storage.k8s.io` VolumeSnapshot is kept in `dataSource`; anything else is removed without an error and the claim is provisioned empty; {instead}"
    ));
}
