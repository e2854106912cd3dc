//! Names in the formats the API server requires: object names (DNS subdomains; DNS labels for
//! StatefulSets and Namespaces, RFC 1035 labels for Services, with room for the generated
//! suffix on CronJobs), namespaces, container, volume, claim template and Service port
//! names.
use super::{claim_templates, containers, pod_spec, pod_volumes, Context, Rule, Sink};
use crate::kube::{as_dns_label, dns_label_problem, rejection};
use crate::model::Object;
use crate::yaml::Node;

pub struct InvalidNameFormat;

impl Rule for InvalidNameFormat {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        if let Some(name) = object
            .get(&["metadata", "name"])
            .filter(|n| n.as_str().is_some())
        {
            if object.is("StatefulSet") {
                statefulset_name(object, name, sink);
            } else {
                object_name(object, name, sink);
            }
        }
        // A namespace that is not a DNS label can never exist: the object's create is refused
        // (`namespaces "..." not found`, or the namespace's own validation).
        if let Some(namespace) = object
            .get(&["metadata", "namespace"])
            .filter(|n| n.as_str().is_some_and(|t| !t.is_empty()))
        {
            label(
                object,
                namespace,
                "namespace",
                &format!(
                    "no namespace of that name can exist, so the API server refuses the {}",
                    object.kind
                ),
                sink,
            );
        }
        if let Some(spec) = pod_spec(object) {
            for container in containers(spec) {
                if let Some(name) = container.get("name") {
                    label(
                        object,
                        name,
                        "container name",
                        &rejection(object.kind),
                        sink,
                    );
                }
            }
            for (_, name) in pod_volumes(spec) {
                label(object, name, "volume name", &rejection(object.kind), sink);
            }
        }
        for template in claim_templates(object) {
            if let Some(name) = template.node.path(&["metadata", "name"]) {
                label(
                    object,
                    name,
                    "claim template name",
                    crate::kube::claim_rejection(object.kind),
                    sink,
                );
            }
        }
        if object.is("Service") {
            for port in object
                .get(&["spec", "ports"])
                .map(Node::items)
                .unwrap_or_default()
            {
                // An empty name is no name (required only among several ports: service-port-invalid).
                if let Some(name) = port.get("name").filter(|n| n.as_str() != Some("")) {
                    label(
                        object,
                        name,
                        "Service port name",
                        "the API server rejects the Service",
                        sink,
                    );
                }
            }
        }
    }
}

fn label(object: &Object<'_>, name: &Node, what: &str, consequence: &str, sink: &mut Sink<'_>) {
    let Some(text) = name.as_str() else { return };
    let Some(problem) = dns_label_problem(text) else {
        return;
    };
    let suggestion = as_dns_label(text);
    let instead = if suggestion.is_empty() || dns_label_problem(&suggestion).is_some() {
        String::new()
    } else {
        format!(", e.g. `{suggestion}`")
    };
    sink.report(object, name.span.clone(), format!("{what} `{text}` is not a DNS label: it {problem}"))
        .with_help_text(format!("{consequence}; use lower-case letters, digits and '-'{instead} (and rename every reference to it)"));
}

/// Kinds whose names are DNS subdomains (`NameIsDNSSubdomain` in their validation). Kinds not
/// listed (RBAC roles, custom resources) have other rules and are not judged; a
/// PodDisruptionBudget's validation checks no name format at all (only the generic path-segment
/// rule: no `/` or `%`, not `.` or `..`), as the judge confirmed.
const SUBDOMAIN_KINDS: &[&str] = &[
    "Pod",
    "Deployment",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "ConfigMap",
    "Secret",
    "ServiceAccount",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "Ingress",
    "StorageClass",
    "HorizontalPodAutoscaler",
];

fn object_name(object: &Object<'_>, name: &Node, sink: &mut Sink<'_>) {
    let text = name.as_str().unwrap_or_default();
    let (problem, format) = match object.kind {
        "Service" => (crate::kube::dns1035_label_problem(text), "an RFC 1035 label (lower-case letters, digits and '-', starting with a letter, at most 63 characters)"),
        "Namespace" => (dns_label_problem(text), "a DNS label (lower-case letters, digits and '-', at most 63 characters)"),
        kind if SUBDOMAIN_KINDS.contains(&kind) => (crate::kube::dns_subdomain_problem(text), "a DNS subdomain (lower-case letters, digits, '-' and '.', at most 253 characters)"),
        _ => return,
    };
    if let Some(problem) = problem {
        let suggestion = as_dns_label(text);
        let instead = if suggestion.is_empty() {
            String::new()
        } else {
            format!(", e.g. `{suggestion}`")
        };
        sink.report(
            object,
            name.span.clone(),
            format!(
                "{} name `{text}` is not {format}: it {problem}",
                object.kind
            ),
        )
        .with_help_text(format!(
            "the API server rejects the {}; rename it{instead}, and every reference to it",
            object.kind
        ));
    } else if object.is("CronJob") && text.len() > 52 {
        // Jobs are named `<cronjob>-<11-digit schedule time>`: 63 - 11 = 52 (`validateCronJobSpec`).
        sink.report(object, name.span.clone(), format!("CronJob name `{text}` has {} characters; the limit is 52", text.len()))
            .with_help_text("the API server rejects it, since each Job it creates is named `<name>-<scheduled time>`; shorten the name");
    }
}

fn statefulset_name(object: &Object<'_>, name: &Node, sink: &mut Sink<'_>) {
    let text = name.as_str().unwrap_or_default();
    if let Some(problem) = dns_label_problem(text) {
        let why = if text.contains('.') {
            " (each pod's hostname is `<name>-<ordinal>`, a DNS label, so dots are not allowed)"
        } else {
            ""
        };
        sink.report(object, name.span.clone(), format!("StatefulSet name `{text}` is not a DNS label: it {problem}{why}"))
            .with_help_text(format!("the API server rejects the StatefulSet; use lower-case letters, digits and '-', e.g. `{}`", as_dns_label(text)));
    }
}
