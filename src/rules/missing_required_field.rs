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

/// Where each kind keeps its pod spec: absent, the API server still requires the containers
/// there.
fn pod_spec_keys(object: &Object<'_>) -> Option<&'static [&'static str]> {
    // Kubernetes' own groups only: a custom resource may reuse the name (Volcano's `Job`).
    let group = object.api_version.rsplit_once('/').map_or("", |(g, _)| g);
    if !matches!(group, "" | "apps" | "batch") {
        return None;
    }
    match object.kind {
        "Pod" => Some(&["spec"]),
        "CronJob" => Some(&["spec", "jobTemplate", "spec", "template", "spec"]),
        k if crate::model::POD_TEMPLATE_KINDS.contains(&k) => Some(&["spec", "template", "spec"]),
        _ => None,
    }
}

/// The key of the deepest mapping present along `keys` (the object's first key when even the
/// first is missing): where a missing subtree is shown.
fn deepest_key(root: &Node, keys: &[&str]) -> std::ops::Range<usize> {
    let mut node = root;
    let mut at = super::first_key_span(root);
    for key in keys {
        let Some(entry) = node.entry(key) else { break };
        at = entry.key.span.clone();
        if !entry.value.is_map() {
            break;
        }
        node = &entry.value;
    }
    at
}

impl Rule for MissingRequiredField {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        // A missing or `null` `spec`, or a template without its `spec` (absent or `null`): the
        // API server requires the containers there. A StatefulSet without a template at all is
        // told by the selector and template rules instead.
        let cut = |keys: &[&str]| {
            let (last, parent) = keys.split_last().unwrap_or((&"", &[]));
            object.get(&["spec"]).is_none()
                || !parent.is_empty()
                    && object
                        .get(parent)
                        .filter(|p| p.is_map())
                        .is_some_and(|p| p.entry(last).is_none_or(|e| e.value.is_null()))
        };
        if let Some(keys) =
            pod_spec_keys(object).filter(|keys| pod_spec(object).is_none() && cut(keys))
        {
            let path = keys.join(".");
            report(
                object,
                sink,
                deepest_key(object.root, keys),
                &format!("`{path}.containers`"),
                &format!("write the pod spec at `{path}`, with at least one container"),
            );
        }
        // A claim with no spec at all (its rules below look inside the spec).
        if object.is("PersistentVolumeClaim")
            && object.api_version == "v1"
            && object.get(&["spec"]).is_none()
        {
            report(
                object,
                sink,
                deepest_key(object.root, &["spec"]),
                "`spec` (`accessModes` and `resources.requests.storage`)",
                "add `spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}`",
            );
        }
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
            // An ExternalName Service is the name it points at ("spec.externalName: Required").
            let external = object
                .get(&["spec", "type"])
                .filter(|t| t.as_str() == Some("ExternalName"));
            let name = object.get(&["spec", "externalName"]).and_then(Node::as_str);
            if let (Some(kind), None | Some("")) = (external, name) {
                report(
                    object,
                    sink,
                    kind.span.clone(),
                    "`spec.externalName` of an ExternalName Service",
                    "name the DNS name the Service points at (`externalName: db.example.com`), or choose another `type`",
                );
            }
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
    // A `null` item decodes as an empty one: every required field is missing.
    if item.is_null() {
        let missing = fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>();
        report(
            object,
            sink,
            item.span.clone(),
            &format!("{what} {}", missing.join(" and ")),
            &format!("this {what} is `null`: write it out, or remove the item"),
        );
        return;
    }
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
