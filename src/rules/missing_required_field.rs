//! Fields the API server requires that the typed schema cannot see missing (k8s-openapi fills
//! them with defaults): one table of (where, field), checked with the positions index.
use super::{containers, pod_spec, Context, Rule, Sink};
use crate::model::Object;
use crate::yaml::Node;

pub struct MissingRequiredField;

/// What must be present in each list item: (list, item field, the API server's path).
const CONTAINER: &[&str] = &["name"];
const VOLUME_MOUNT: &[&str] = &["name", "mountPath"];
const CONTAINER_PORT: &[&str] = &["containerPort"];
const VOLUME: &[&str] = &["name"];
const SERVICE_PORT: &[&str] = &["port"];

impl Rule for MissingRequiredField {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if let Some(spec) = pod_spec(object) {
            if spec.get("containers").is_none_or(|c| c.items().is_empty()) {
                let at = spec
                    .entry("containers")
                    .map_or_else(|| super::first_key_span(spec), |e| e.key.span.clone());
                report(object, sink, at, "spec.containers", "a pod needs at least one container: add `containers: [{name: app, image: IMAGE}]`");
            }
            for container in containers(spec) {
                require(object, sink, container, CONTAINER, "container");
                for mount in container
                    .get("volumeMounts")
                    .map(Node::items)
                    .unwrap_or_default()
                {
                    require(object, sink, mount, VOLUME_MOUNT, "volumeMount");
                }
                for port in container.get("ports").map(Node::items).unwrap_or_default() {
                    require(object, sink, port, CONTAINER_PORT, "container port");
                }
            }
            for volume in spec.get("volumes").map(Node::items).unwrap_or_default() {
                require(object, sink, volume, VOLUME, "volume");
            }
        }
        // The rest, as rows of the field table.
        super::fields::check(
            object,
            super::field_table::TABLES,
            super::field_table::is_required,
            sink,
        );
        if object.is("Service") {
            for port in object
                .get(&["spec", "ports"])
                .map(Node::items)
                .unwrap_or_default()
            {
                require(object, sink, port, SERVICE_PORT, "Service port");
            }
        }
    }
}

fn require(object: &Object<'_>, sink: &mut Sink<'_>, item: &Node, fields: &[&str], what: &str) {
    if !item.is_map() {
        return;
    }
    for field in fields {
        if item
            .get(field)
            .is_none_or(|v| v.is_null() || v.as_str() == Some(""))
        {
            let at = item
                .entry(field)
                .map_or_else(|| super::first_key_span(item), |e| e.key.span.clone());
            report(
                object,
                sink,
                at,
                &format!("{what} `{field}`"),
                &format!("add `{field}` to this {what}"),
            );
        }
    }
}

fn report(
    object: &Object<'_>,
    sink: &mut Sink<'_>,
    at: std::ops::Range<usize>,
    what: &str,
    fix: &str,
) {
    let consequence = crate::kube::rejection(object.kind);
    sink.report(object, at, format!("required {what} is missing"))
        .with_help_text(format!("{consequence} (\"Required value\"); {fix}"));
}
