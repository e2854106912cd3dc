//! A kind that the built-in API group-version named by `apiVersion` does not have.
use super::{Context, Rule, Sink};
use crate::diagnostic::{Applicability, Fix};
use crate::model::Object;

pub struct UnknownKind;

/// The kinds each generally available built-in group-version serves (Kubernetes 1.35, read
/// from the API server's discovery), subresources left out.
const SERVED: &[(&str, &[&str])] = &[
    (
        "v1",
        &[
            "Binding",
            "ComponentStatus",
            "ConfigMap",
            "Endpoints",
            "Event",
            "LimitRange",
            "Namespace",
            "Node",
            "PersistentVolume",
            "PersistentVolumeClaim",
            "Pod",
            "PodTemplate",
            "ReplicationController",
            "ResourceQuota",
            "Secret",
            "Service",
            "ServiceAccount",
        ],
    ),
    (
        "admissionregistration.k8s.io/v1",
        &[
            "MutatingWebhookConfiguration",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
            "ValidatingWebhookConfiguration",
        ],
    ),
    ("apiextensions.k8s.io/v1", &["CustomResourceDefinition"]),
    ("apiregistration.k8s.io/v1", &["APIService"]),
    (
        "apps/v1",
        &[
            "ControllerRevision",
            "DaemonSet",
            "Deployment",
            "ReplicaSet",
            "StatefulSet",
        ],
    ),
    (
        "authentication.k8s.io/v1",
        &["SelfSubjectReview", "TokenReview"],
    ),
    (
        "authorization.k8s.io/v1",
        &[
            "LocalSubjectAccessReview",
            "SelfSubjectAccessReview",
            "SelfSubjectRulesReview",
            "SubjectAccessReview",
        ],
    ),
    ("autoscaling/v1", &["HorizontalPodAutoscaler"]),
    ("autoscaling/v2", &["HorizontalPodAutoscaler"]),
    ("batch/v1", &["CronJob", "Job"]),
    ("certificates.k8s.io/v1", &["CertificateSigningRequest"]),
    ("coordination.k8s.io/v1", &["Lease"]),
    ("discovery.k8s.io/v1", &["EndpointSlice"]),
    ("events.k8s.io/v1", &["Event"]),
    (
        "flowcontrol.apiserver.k8s.io/v1",
        &["FlowSchema", "PriorityLevelConfiguration"],
    ),
    (
        "networking.k8s.io/v1",
        &[
            "IPAddress",
            "Ingress",
            "IngressClass",
            "NetworkPolicy",
            "ServiceCIDR",
        ],
    ),
    ("node.k8s.io/v1", &["RuntimeClass"]),
    ("policy/v1", &["PodDisruptionBudget"]),
    (
        "rbac.authorization.k8s.io/v1",
        &["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
    ),
    (
        "resource.k8s.io/v1",
        &[
            "DeviceClass",
            "ResourceClaim",
            "ResourceClaimTemplate",
            "ResourceSlice",
        ],
    ),
    ("scheduling.k8s.io/v1", &["PriorityClass"]),
    (
        "storage.k8s.io/v1",
        &[
            "CSIDriver",
            "CSINode",
            "CSIStorageCapacity",
            "StorageClass",
            "VolumeAttachment",
            "VolumeAttributesClass",
        ],
    ),
];

impl Rule for UnknownKind {
    fn check_object(&self, object: &Object<'_>, _: &Context, sink: &mut Sink<'_>) {
        let Some(&(version, kinds)) = SERVED.iter().find(|(v, _)| *v == object.api_version) else {
            return;
        };
        let kind = object.kind;
        // A list of a served kind is unrolled by the client (kubectl apply, Helm).
        if kinds.contains(&kind)
            || kind == "List"
            || kind
                .strip_suffix("List")
                .is_some_and(|k| kinds.contains(&k))
        {
            return;
        }
        let Some(node) = object.root.get("kind") else {
            return;
        };
        let same_but_case = kinds.iter().find(|k| k.eq_ignore_ascii_case(kind));
        let near = same_but_case
            .copied()
            .or_else(|| crate::schema::suggest(kind, kinds));
        let message = match near {
            Some(k) => format!("`{version}` has no kind `{kind}`; did you mean `{k}`?"),
            None => format!("`{version}` has no kind `{kind}`"),
        };
        let diagnostic = sink.report(object, node.span.clone(), message).with_help_text(format!(
            "the API server serves no such resource (`no matches for kind \"{kind}\" in version \"{version}\"`) and nothing is applied; kinds are case-sensitive, `{version}` serves {}",
            kinds.join(", ")
        ));
        if let Some(k) = same_but_case {
            diagnostic.with_fix(Fix::replace(
                format!("Replace `{kind}` with `{k}`"),
                node.span.clone(),
                *k,
                Applicability::Safe,
            ));
        }
    }
}
