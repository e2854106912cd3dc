//! Documents → Kubernetes objects: header fields, List expansion, Helm `# Source:` headers.

use crate::diagnostic::{Diagnostic, FileId, ObjectRef};
use crate::yaml::{Comment, Document, Node, Value};
use std::ops::Range;

/// One Kubernetes object inside a parsed document (or inside a `List`'s `items`).
#[derive(Debug, Clone, Copy)]
pub struct Object<'a> {
    pub file: FileId,
    pub root: &'a Node,
    pub api_version: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub namespace: Option<&'a str>,
    pub helm_source: Option<&'a str>,
}

impl<'a> Object<'a> {
    pub fn id(&self) -> ObjectRef {
        ObjectRef {
            api_version: self.api_version.into(),
            kind: self.kind.into(),
            namespace: self.namespace.map(Into::into),
            name: self.name.into(),
        }
    }

    pub fn get(&self, path: &[&str]) -> Option<&'a Node> {
        self.root.path(path)
    }

    /// Where a finding about a missing top-level part points: the `kind` value.
    pub fn kind_span(&self) -> Range<usize> {
        self.root
            .get("kind")
            .map_or(self.root.span.clone(), |n| n.span.clone())
    }

    /// A diagnostic about this object.
    pub fn diag(
        &self,
        rule: &'static str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut d = Diagnostic::new(rule, self.file, span, message);
        d.object = Some(self.id());
        d.helm_source = self.helm_source.map(str::to_owned);
        d
    }

    pub fn is(&self, kind: &str) -> bool {
        self.kind == kind
    }
}

/// What a document held.
#[derive(Debug, Default)]
pub struct Extracted<'a> {
    pub objects: Vec<Object<'a>>,
    /// Documents that are not Kubernetes objects (no `apiVersion` and no `kind`): a Helm
    /// values file, a CI workflow, a config file.
    pub skipped: usize,
    pub problems: Vec<HeaderProblem<'a>>,
}

/// An object header Kubernetes cannot decode: `apiVersion` or `kind` missing or not a string,
/// or no `metadata.name`. A fact; the `missing-*` rules word it.
#[derive(Debug)]
pub struct HeaderProblem<'a> {
    /// `apiVersion`, `kind` or `metadata.name`.
    pub field: &'static str,
    pub span: Range<usize>,
    /// What stands there instead (its type and value), when something does.
    pub found: Option<(&'static str, String)>,
    /// For a missing name: the object's kind, identity and Helm template.
    pub object: Option<(&'a str, ObjectRef, Option<&'a str>)>,
}

pub fn extract<'a>(
    file: FileId,
    doc: &'a Document,
    helm_source: Option<&'a str>,
    out: &mut Extracted<'a>,
) {
    match &doc.root.value {
        Value::Null => {}
        Value::Map(_) => object_from(file, &doc.root, helm_source, true, out),
        _ => out.skipped += 1,
    }
}

fn object_from<'a>(
    file: FileId,
    node: &'a Node,
    helm_source: Option<&'a str>,
    top: bool,
    out: &mut Extracted<'a>,
) {
    let api_version = node.get("apiVersion");
    let kind = node.get("kind");
    let (api_version, kind) = match (api_version, kind) {
        (None, None) if top => {
            out.skipped += 1;
            return;
        }
        // Helm's Chart.yaml has an `apiVersion` (v1 or v2) but is chart metadata, not an object.
        (Some(_), None) if top && node.get("name").is_some() && node.get("version").is_some() => {
            out.skipped += 1;
            return;
        }
        // Tool configuration with `apiVersion` and `kind` that is never sent to a cluster:
        // kustomize, skaffold, kind, kubeconfig, kubeadm and kubelet configs.
        (Some(a), Some(k))
            if top
                && a.as_str()
                    .zip(k.as_str())
                    .is_some_and(|(a, k)| is_tool_config(a, k)) =>
        {
            out.skipped += 1;
            return;
        }
        (Some(a), Some(k))
            if a.as_str().is_some_and(|a| !a.is_empty())
                && k.as_str().is_some_and(|k| !k.is_empty()) =>
        {
            (
                a.as_str().unwrap_or_default(),
                k.as_str().unwrap_or_default(),
            )
        }
        (a, k) => {
            // A field that is missing (`None`), not a string (the node found) or empty (to the
            // API server and kubectl the same as missing: "apiVersion not set").
            for (field, present) in [("apiVersion", a), ("kind", k)] {
                let found = match present.map(|n| (n, n.as_str())) {
                    None => None,
                    Some((_, Some(""))) => Some(("empty", String::new())),
                    Some((_, Some(_))) => continue,
                    Some((n, None)) => Some((n.type_name(), n.display())),
                };
                out.problems.push(HeaderProblem {
                    field,
                    span: present.map_or_else(|| map_anchor(node), |n| n.span.clone()),
                    found,
                    object: None,
                });
            }
            return;
        }
    };
    if let Some(items) = node.get("items").filter(|_| kind.ends_with("List")) {
        for item in items.items() {
            if item.is_map() {
                object_from(file, item, helm_source, false, out);
            }
        }
        return;
    }
    let metadata = node.get("metadata");
    // An empty name is none: "name or generateName is required".
    let name = metadata
        .and_then(|m| m.get("name"))
        .and_then(Node::as_str)
        .filter(|n| !n.is_empty());
    let generate_name = metadata
        .and_then(|m| m.get("generateName"))
        .and_then(Node::as_str)
        .filter(|n| !n.is_empty());
    let namespace = metadata
        .and_then(|m| m.get("namespace"))
        .and_then(Node::as_str);
    // kustomize's `buildMetadata: [originAnnotations]` says which base file an object came from.
    let origin = metadata
        .and_then(|m| m.path(&["annotations", "config.kubernetes.io/origin"]))
        .and_then(Node::as_str)
        .and_then(|o| o.lines().find_map(|l| l.trim().strip_prefix("path:")))
        .map(str::trim);
    let helm_source = helm_source.or(origin);
    let object = Object {
        file,
        root: node,
        api_version,
        kind,
        name: name.or(generate_name).unwrap_or(""),
        namespace,
        helm_source,
    };
    if name.is_none() && generate_name.is_none() {
        let (field, span, found) = match metadata {
            Some(m) if m.get("name").is_some_and(|n| n.as_str() == Some("")) => (
                "metadata.name",
                m.get("name").map_or(m.span.clone(), |n| n.span.clone()),
                Some(("an empty string", String::new())),
            ),
            Some(m) if m.is_map() => (
                "metadata.name",
                node.entry("metadata")
                    .map_or(m.span.clone(), |e| e.key.span.clone()),
                None,
            ),
            Some(m) => (
                "metadata",
                m.span.clone(),
                Some((m.type_name(), m.display())),
            ),
            None => ("metadata", map_anchor(node), None),
        };
        out.problems.push(HeaderProblem {
            field,
            span,
            found,
            object: Some((kind, object.id(), helm_source)),
        });
    }
    out.objects.push(object);
}

/// Files that look like objects but configure a tool (`kustomization.yaml`, `skaffold.yaml`,
/// a kind or kubeadm cluster config, a kubeconfig).
pub fn is_tool_config(api_version: &str, kind: &str) -> bool {
    let group = api_version.split_once('/').map_or("", |(g, _)| g);
    const TOOL_GROUPS: &[&str] = &[
        "kustomize.config.k8s.io",
        "kind.x-k8s.io",
        "kubeadm.k8s.io",
        "kubelet.config.k8s.io",
        "kubeproxy.config.k8s.io",
        "k3d.io",
        "skaffold",
        "ctlptl.dev",
    ];
    TOOL_GROUPS.contains(&group)
        || api_version == "builtin"
        || (api_version == "v1" && kind == "Config")
}

/// A missing field points at the mapping that should hold it: its first key.
fn map_anchor(node: &Node) -> Range<usize> {
    node.entries()
        .first()
        .map_or(node.span.clone(), |e| e.key.span.clone())
}

/// The Helm template a document came from: the `# Source: chart/templates/x.yaml` comment
/// `helm template` writes after each `---`. The document's comments are those from `from` (the
/// end of the previous document) to `to`; its content starts at `content`.
pub fn helm_source(comments: &[Comment], from: usize, content: usize, to: usize) -> Option<&str> {
    let first = comments.partition_point(|c| c.span.start < from);
    fn source(c: &Comment) -> Option<&str> {
        c.text.trim_start().strip_prefix("Source:")
    }
    let window = || comments[first..].iter().take_while(|c| c.span.start < to);
    // The last header before the content: a template that rendered only comments is an empty
    // document whose own `# Source:` lands in this window too, before this one's.
    window()
        .take_while(|c| c.span.start < content)
        .filter_map(source)
        .last()
        .or_else(|| window().find_map(source))
        // Helm heads each template with one `# Source:`: the documents after the first one of
        // a template belong to the last header before them.
        .or_else(|| comments[..first].iter().rev().find_map(source))
        .map(str::trim)
}

/// Kinds whose `spec.template` is a pod template.
pub const POD_TEMPLATE_KINDS: &[&str] = &[
    "StatefulSet",
    "Deployment",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "ReplicationController",
];

/// The pod spec of a Pod or of any workload's pod template.
pub fn pod_spec<'a>(object: &Object<'a>) -> Option<&'a Node> {
    match object.kind {
        "Pod" => object.get(&["spec"]),
        "CronJob" => object.get(&["spec", "jobTemplate", "spec", "template", "spec"]),
        k if POD_TEMPLATE_KINDS.contains(&k) => object.get(&["spec", "template", "spec"]),
        _ => None,
    }
}

/// The labels pods of this object carry.
pub fn pod_labels<'a>(object: &Object<'a>) -> Option<&'a Node> {
    match object.kind {
        "Pod" => object.get(&["metadata", "labels"]),
        "CronJob" => object.get(&[
            "spec",
            "jobTemplate",
            "spec",
            "template",
            "metadata",
            "labels",
        ]),
        k if POD_TEMPLATE_KINDS.contains(&k) => {
            object.get(&["spec", "template", "metadata", "labels"])
        }
        _ => None,
    }
}

/// All containers of a pod spec: init containers first, then the main ones.
pub fn containers(pod_spec: &Node) -> impl Iterator<Item = &Node> {
    let init = pod_spec
        .get("initContainers")
        .map(Node::items)
        .unwrap_or_default();
    let main = pod_spec
        .get("containers")
        .map(Node::items)
        .unwrap_or_default();
    init.iter().chain(main.iter())
}

/// Whether every `key: value` of a Service's map `selector` is among `labels` (an empty
/// selector selects nothing here: Services without one are skipped by the rules that use this).
pub fn selects(selector: &Node, labels: Option<&Node>) -> bool {
    let Some(labels) = labels else { return false };
    let labels = crate::kube::Labels::of(Some(labels));
    selector.entries().iter().all(|s| {
        s.key
            .key_text()
            .is_some_and(|k| labels.get(&k).as_deref() == Some(s.value.display().as_str()))
    })
}
