//! A key a pod reads from a ConfigMap or Secret (a volume's `items`, a projected source's, an
//! env `configMapKeyRef` or `secretKeyRef`) that the linted object of that name lacks. The API
//! server accepts the pod; the kubelet cannot set it up: a volume's items fail `MountVolume`
//! ("configmap references non-existent config key") and the pod waits in ContainerCreating; an
//! env key fails the container's config ("couldn't find key ... in ConfigMap",
//! CreateContainerConfigError). Silent when no object of that name is linted (it may exist in
//! the cluster) and for references marked `optional: true`.
use super::{containers, pod_spec, Context, Rule, Sink};
use crate::workspace::{Linked, Workspace};
use crate::yaml::{Node, Value};
use std::collections::HashMap;

pub struct ConfigKeyNotFound;

/// One key a pod reads: the kind and name of the object, the key's node, and what fails.
struct KeyRef<'a> {
    kind: &'static str,
    name: &'a str,
    key: &'a Node,
    /// "volume `config`" or "container `app`".
    user: String,
    volume: bool,
}

/// A ConfigMap or Secret, with its keys.
type Source<'a> = (&'a Linked, Vec<String>);

impl Rule for ConfigKeyNotFound {
    fn check_links(&self, ws: &Workspace, _: &Context, sink: &mut Sink<'_>) {
        // Each ConfigMap and Secret with its keys, read once for all the pods naming it.
        let mut sources: HashMap<(&str, &str), Vec<Source<'_>>> = HashMap::new();
        for object in ws
            .objects
            .iter()
            .filter(|o| o.kind == "ConfigMap" || o.kind == "Secret")
        {
            sources
                .entry((object.kind.as_str(), object.name.as_str()))
                .or_default()
                .push((object, keys(object)));
        }
        if sources.is_empty() {
            return;
        }
        for workload in ws.workload_subjects() {
            let object = workload.object();
            let Some(spec) = pod_spec(&object) else {
                continue;
            };
            for reference in key_refs(spec) {
                let Some(key) = reference.key.as_str() else {
                    continue;
                };
                let candidates: Vec<&Source<'_>> = sources
                    .get(&(reference.kind, reference.name))
                    .into_iter()
                    .flatten()
                    .filter(|(s, _)| {
                        ws.same_namespace(s.namespace.as_deref(), workload.namespace.as_deref())
                    })
                    .collect();
                let Some(&(first, known)) = candidates.first() else {
                    continue;
                };
                if candidates
                    .iter()
                    .any(|(_, keys)| keys.iter().any(|k| k == key))
                {
                    continue;
                }
                let near = crate::kube::closest(key, known.iter().map(String::as_str));
                let listed = if known.is_empty() {
                    "it has none".to_string()
                } else {
                    format!("its keys: {}", known.join(", "))
                };
                let mean = near.map_or_else(String::new, |n| format!("; did you mean `{n}`?"));
                let (kind, name) = (reference.kind, reference.name);
                let what = if reference.volume {
                    format!("the kubelet cannot set up {} (\"references non-existent key\"), so the pods of {} `{}` stay in ContainerCreating", reference.user, workload.kind, workload.name)
                } else {
                    format!("the kubelet cannot start {} (\"couldn't find key {key} in {kind}\": CreateContainerConfigError), so the pods of {} `{}` never run", reference.user, workload.kind, workload.name)
                };
                sink.report(
                    &object,
                    reference.key.span.clone(),
                    format!("key `{key}` is not in {kind} `{name}` ({listed}){mean}"),
                )
                .with_help_text(format!("{what}; add the key to the {kind}, name one it has, or mark the reference `optional: true` if the pods can do without it"))
                .add_related(first.file, super::upgrade::name_span(first), format!("the {kind}"));
            }
        }
    }
}

/// The keys of a ConfigMap (`data`, `binaryData`) or Secret (`data`, `stringData`).
fn keys(object: &Linked) -> Vec<String> {
    ["data", "binaryData", "stringData"]
        .iter()
        .filter_map(|field| object.root.entry(field))
        .flat_map(|e| e.value.entries())
        .filter_map(|e| e.key.key_text().map(|k| k.into_owned()))
        .collect()
}

/// Every key a pod spec reads by name from a ConfigMap or Secret, unless marked optional.
fn key_refs(spec: &Node) -> Vec<KeyRef<'_>> {
    let optional =
        |n: &Node| matches!(n.get("optional").map(|o| &o.value), Some(Value::Bool(true)));
    let mut out = Vec::new();
    for volume in spec.get("volumes").map(Node::items).unwrap_or_default() {
        let volume_name = volume.get("name").and_then(Node::as_str).unwrap_or("?");
        let mut sources: Vec<(&'static str, &Node, &str)> = Vec::new();
        if let Some(c) = volume.get("configMap") {
            sources.push(("ConfigMap", c, "name"));
        }
        if let Some(s) = volume.get("secret") {
            sources.push(("Secret", s, "secretName"));
        }
        for source in volume
            .get("projected")
            .and_then(|p| p.get("sources"))
            .map(Node::items)
            .unwrap_or_default()
        {
            if let Some(c) = source.get("configMap") {
                sources.push(("ConfigMap", c, "name"));
            }
            if let Some(s) = source.get("secret") {
                sources.push(("Secret", s, "name"));
            }
        }
        for (kind, source, name_field) in sources {
            let Some(name) = source.get(name_field).and_then(Node::as_str) else {
                continue;
            };
            if optional(source) {
                continue;
            }
            for item in source.get("items").map(Node::items).unwrap_or_default() {
                if let Some(key) = item.get("key") {
                    out.push(KeyRef {
                        kind,
                        name,
                        key,
                        user: format!("volume `{volume_name}`"),
                        volume: true,
                    });
                }
            }
        }
    }
    for container in containers(spec) {
        let container_name = container.get("name").and_then(Node::as_str).unwrap_or("?");
        for env in container.get("env").map(Node::items).unwrap_or_default() {
            let Some(from) = env.get("valueFrom") else {
                continue;
            };
            for (field, kind) in [("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")] {
                let Some(reference) = from.get(field) else {
                    continue;
                };
                let (Some(name), Some(key)) = (
                    reference.get("name").and_then(Node::as_str),
                    reference.get("key"),
                ) else {
                    continue;
                };
                if !optional(reference) {
                    out.push(KeyRef {
                        kind,
                        name,
                        key,
                        user: format!("container `{container_name}`"),
                        volume: false,
                    });
                }
            }
        }
    }
    out
}
