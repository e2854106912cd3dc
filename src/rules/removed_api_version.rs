//! Objects on API versions the target Kubernetes version no longer serves.
use super::{Context, Rule, Sink};
use crate::model::Object;

pub struct RemovedApiVersion;

/// (apiVersion, kind or "*", removed in 1.x, replacement).
const REMOVED: &[(&str, &str, u32, &str)] = &[
    ("extensions/v1beta1", "Deployment", 16, "apps/v1"),
    ("extensions/v1beta1", "DaemonSet", 16, "apps/v1"),
    ("extensions/v1beta1", "ReplicaSet", 16, "apps/v1"),
    (
        "extensions/v1beta1",
        "NetworkPolicy",
        16,
        "networking.k8s.io/v1",
    ),
    (
        "extensions/v1beta1",
        "PodSecurityPolicy",
        16,
        "(removed; use Pod Security admission)",
    ),
    ("extensions/v1beta1", "Ingress", 22, "networking.k8s.io/v1"),
    ("apps/v1beta1", "*", 16, "apps/v1"),
    ("apps/v1beta2", "*", 16, "apps/v1"),
    (
        "networking.k8s.io/v1beta1",
        "Ingress",
        22,
        "networking.k8s.io/v1",
    ),
    (
        "networking.k8s.io/v1beta1",
        "IngressClass",
        22,
        "networking.k8s.io/v1",
    ),
    (
        "rbac.authorization.k8s.io/v1beta1",
        "*",
        22,
        "rbac.authorization.k8s.io/v1",
    ),
    // Only the webhook configurations: this version came back in 1.28 for admission
    // policies (a beta the API server does not serve by default).
    (
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
        22,
        "admissionregistration.k8s.io/v1",
    ),
    (
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
        22,
        "admissionregistration.k8s.io/v1",
    ),
    (
        "apiextensions.k8s.io/v1beta1",
        "CustomResourceDefinition",
        22,
        "apiextensions.k8s.io/v1",
    ),
    (
        "scheduling.k8s.io/v1beta1",
        "PriorityClass",
        22,
        "scheduling.k8s.io/v1",
    ),
    (
        "storage.k8s.io/v1beta1",
        "CSIDriver",
        22,
        "storage.k8s.io/v1",
    ),
    (
        "storage.k8s.io/v1beta1",
        "StorageClass",
        22,
        "storage.k8s.io/v1",
    ),
    (
        "certificates.k8s.io/v1beta1",
        "CertificateSigningRequest",
        22,
        "certificates.k8s.io/v1",
    ),
    (
        "coordination.k8s.io/v1beta1",
        "Lease",
        22,
        "coordination.k8s.io/v1",
    ),
    ("batch/v1beta1", "CronJob", 25, "batch/v1"),
    ("policy/v1beta1", "PodDisruptionBudget", 25, "policy/v1"),
    (
        "policy/v1beta1",
        "PodSecurityPolicy",
        25,
        "(removed; use Pod Security admission)",
    ),
    (
        "discovery.k8s.io/v1beta1",
        "EndpointSlice",
        25,
        "discovery.k8s.io/v1",
    ),
    ("events.k8s.io/v1beta1", "Event", 25, "events.k8s.io/v1"),
    (
        "autoscaling/v2beta1",
        "HorizontalPodAutoscaler",
        25,
        "autoscaling/v2",
    ),
    (
        "autoscaling/v2beta2",
        "HorizontalPodAutoscaler",
        26,
        "autoscaling/v2",
    ),
    (
        "storage.k8s.io/v1beta1",
        "CSIStorageCapacity",
        27,
        "storage.k8s.io/v1",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "*",
        26,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "*",
        29,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    (
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "*",
        32,
        "flowcontrol.apiserver.k8s.io/v1",
    ),
];

/// Whether `removed-api-version` reports `(apiVersion, kind)` at `version`.
pub fn is_removed(api_version: &str, kind: &str, version: (u32, u32)) -> bool {
    REMOVED.iter().any(|(v, k, removed, _)| {
        *v == api_version && (*k == "*" || *k == kind) && (version.0 > 1 || version.1 >= *removed)
    })
}

impl Rule for RemovedApiVersion {
    fn check_object(&self, object: &Object<'_>, ctx: &Context, sink: &mut Sink<'_>) {
        let (major, minor) = ctx.kubernetes_version;
        let Some(&(version, _, removed, replacement)) = REMOVED
            .iter()
            .find(|(v, k, _, _)| *v == object.api_version && (*k == "*" || *k == object.kind))
        else {
            return;
        };
        if major > 1 || minor >= removed {
            let span = object
                .root
                .get("apiVersion")
                .map_or(object.kind_span(), |n| n.span.clone());
            sink.report(object, span, format!("`{version}` {} was removed in Kubernetes 1.{removed} (checking against {major}.{minor})", object.kind))
                .with_help_text(format!("the API server no longer accepts it: use `apiVersion: {replacement}` (review the schema changes of that version)"));
        }
    }
}
