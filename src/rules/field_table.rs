//! The rows of the API server's field validation that stslint checks (see `fields.rs`), area by
//! area, each after its check in `pkg/apis/core/validation/validation.go` (pod specs, Services,
//! claims), `pkg/apis/apps`, `batch` and `policy` validation, at Kubernetes 1.35.

use super::fields::{Base, Check, Check::*, Row, Table};
use crate::yaml::Node;

const INT32_MAX: i64 = 2_147_483_647;
const PROBE_HANDLERS: &[&str] = &["exec", "httpGet", "tcpSocket", "grpc"];
const LIFECYCLE_HANDLERS: &[&str] = &["exec", "httpGet", "tcpSocket", "sleep"];
const PROFILE_TYPES: &[&str] = &["Localhost", "RuntimeDefault", "Unconfined"];
const PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];
/// Every volume source (`validateVolumeSource`: at most one).
const VOLUME_SOURCES: &[&str] = &[
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
];

macro_rules! probe_rows {
    ($probe:literal, $must_succeed_once:expr) => {
        &[
            Row {
                path: concat!("@.", $probe),
                check: OneOf {
                    keys: PROBE_HANDLERS,
                    required: true,
                    what: "handler type",
                },
            },
            Row {
                path: concat!("@.", $probe, ".initialDelaySeconds"),
                check: Range(0, INT32_MAX),
            },
            Row {
                path: concat!("@.", $probe, ".timeoutSeconds"),
                check: Range(0, INT32_MAX),
            },
            Row {
                path: concat!("@.", $probe, ".periodSeconds"),
                check: Range(0, INT32_MAX),
            },
            Row {
                path: concat!("@.", $probe, ".failureThreshold"),
                check: Range(0, INT32_MAX),
            },
            Row {
                path: concat!("@.", $probe, ".successThreshold"),
                check: if $must_succeed_once {
                    Custom(success_threshold_one)
                } else {
                    Range(0, INT32_MAX)
                },
            },
            Row {
                path: concat!("@.", $probe, ".terminationGracePeriodSeconds"),
                check: Range(1, i64::MAX),
            },
            Row {
                path: concat!("@.", $probe, ".exec"),
                check: Required("command"),
            },
            Row {
                path: concat!("@.", $probe, ".httpGet"),
                check: Required("port"),
            },
            Row {
                path: concat!("@.", $probe, ".httpGet.port"),
                check: Custom(port_number_or_name),
            },
            Row {
                path: concat!("@.", $probe, ".httpGet.scheme"),
                check: Enum(&["HTTP", "HTTPS"]),
            },
            Row {
                path: concat!("@.", $probe, ".tcpSocket"),
                check: Required("port"),
            },
            Row {
                path: concat!("@.", $probe, ".tcpSocket.port"),
                check: Custom(port_number_or_name),
            },
            Row {
                path: concat!("@.", $probe, ".grpc.port"),
                check: Range(1, 65535),
            },
        ]
    };
}

const CONTAINERS: &[Row] = &[
    Row {
        path: "@",
        check: Required("image"),
    },
    Row {
        path: "@.imagePullPolicy",
        check: Enum(&["Always", "IfNotPresent", "Never"]),
    },
    Row {
        path: "@.terminationMessagePolicy",
        check: Enum(&["File", "FallbackToLogsOnError"]),
    },
    // env and envFrom
    Row {
        path: "@.env[*]",
        check: Required("name"),
    },
    Row {
        path: "@.env[*]",
        check: Custom(value_and_value_from),
    },
    Row {
        path: "@.env[*].valueFrom",
        check: OneOf {
            keys: &[
                "fieldRef",
                "resourceFieldRef",
                "configMapKeyRef",
                "secretKeyRef",
                "fileKeyRef",
            ],
            required: true,
            what: "source (`valueFrom`)",
        },
    },
    Row {
        path: "@.env[*].valueFrom.fieldRef",
        check: Required("fieldPath"),
    },
    Row {
        path: "@.env[*].valueFrom.fieldRef.fieldPath",
        check: Custom(pod_field_path),
    },
    Row {
        path: "@.env[*].valueFrom.fieldRef.apiVersion",
        check: Enum(&["v1"]),
    },
    Row {
        path: "@.env[*].valueFrom.resourceFieldRef",
        check: Required("resource"),
    },
    Row {
        path: "@.env[*].valueFrom.resourceFieldRef.resource",
        check: Custom(container_resource),
    },
    Row {
        path: "@.env[*].valueFrom.configMapKeyRef",
        check: Required("key"),
    },
    Row {
        path: "@.env[*].valueFrom.secretKeyRef",
        check: Required("key"),
    },
    Row {
        path: "@.env[*].valueFrom.configMapKeyRef",
        check: Required("name"),
    },
    Row {
        path: "@.env[*].valueFrom.secretKeyRef",
        check: Required("name"),
    },
    Row {
        path: "@.env[*].valueFrom.configMapKeyRef.key",
        check: Custom(config_map_key),
    },
    Row {
        path: "@.env[*].valueFrom.secretKeyRef.key",
        check: Custom(config_map_key),
    },
    Row {
        path: "@.env[*].valueFrom.configMapKeyRef.name",
        check: Custom(object_name),
    },
    Row {
        path: "@.env[*].valueFrom.secretKeyRef.name",
        check: Custom(object_name),
    },
    Row {
        path: "@.envFrom[*]",
        check: OneOf {
            keys: &["configMapRef", "secretRef"],
            required: true,
            what: "source (`envFrom`)",
        },
    },
    Row {
        path: "@.envFrom[*].configMapRef",
        check: Required("name"),
    },
    Row {
        path: "@.envFrom[*].secretRef",
        check: Required("name"),
    },
    // resources
    Row {
        path: "@.resources.limits{}",
        check: Custom(resource_quantity),
    },
    Row {
        path: "@.resources.requests{}",
        check: Custom(resource_quantity),
    },
    // lifecycle handlers
    Row {
        path: "@.lifecycle.postStart",
        check: OneOf {
            keys: LIFECYCLE_HANDLERS,
            required: true,
            what: "handler type",
        },
    },
    Row {
        path: "@.lifecycle.preStop",
        check: OneOf {
            keys: LIFECYCLE_HANDLERS,
            required: true,
            what: "handler type",
        },
    },
    Row {
        path: "@.lifecycle.postStart.exec",
        check: Required("command"),
    },
    Row {
        path: "@.lifecycle.preStop.exec",
        check: Required("command"),
    },
    // mounts
    Row {
        path: "@.volumeMounts[*].mountPropagation",
        check: StrictEnum(&["None", "HostToContainer", "Bidirectional"]),
    },
    // security context
    Row {
        path: "@.securityContext.seccompProfile",
        check: Required("type"),
    },
    Row {
        path: "@.securityContext.seccompProfile.type",
        check: Enum(PROFILE_TYPES),
    },
    Row {
        path: "@.securityContext.appArmorProfile.type",
        check: StrictEnum(PROFILE_TYPES),
    },
    Row {
        path: "@.securityContext.runAsUser",
        check: Range(0, INT32_MAX),
    },
    Row {
        path: "@.securityContext.runAsGroup",
        check: Range(0, INT32_MAX),
    },
    Row {
        path: "@.securityContext.procMount",
        check: StrictEnum(&["Default", "Unmasked"]),
    },
    Row {
        path: "@.securityContext",
        check: Custom(escalation_denied_yet_privileged),
    },
];

const POD: &[Row] = &[
    Row { path: "dnsPolicy", check: Enum(&["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]) },
    Row { path: "preemptionPolicy", check: StrictEnum(&["PreemptLowerPriority", "Never"]) },
    Row { path: "activeDeadlineSeconds", check: Range(1, INT32_MAX) },
    Row { path: "securityContext.seccompProfile", check: Required("type") },
    Row { path: "securityContext.seccompProfile.type", check: Enum(PROFILE_TYPES) },
    Row { path: "serviceAccountName", check: Custom(nonempty_subdomain) },
    Row { path: "restartPolicy", check: Enum(&["Always", "OnFailure", "Never"]) },
    Row { path: "serviceAccount", check: Custom(nonempty_subdomain) },
    Row { path: "securityContext.appArmorProfile.type", check: StrictEnum(PROFILE_TYPES) },
    Row { path: "securityContext.runAsUser", check: Range(0, INT32_MAX) },
    Row { path: "securityContext.runAsGroup", check: Range(0, INT32_MAX) },
    Row { path: "securityContext.fsGroup", check: Range(0, INT32_MAX) },
    Row { path: "securityContext.supplementalGroups[*]", check: Range(0, INT32_MAX) },
    Row { path: "securityContext.fsGroupChangePolicy", check: StrictEnum(&["OnRootMismatch", "Always"]) },
    // scheduling
    Row { path: "tolerations[*].operator", check: Enum(&["Exists", "Equal", ""]) },
    Row { path: "tolerations[*].effect", check: Enum(&["NoSchedule", "PreferNoSchedule", "NoExecute", ""]) },
    Row { path: "tolerations[*]", check: Custom(exists_without_value) },
    Row { path: "affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[*].weight", check: Range(1, 100) },
    Row { path: "affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[*].weight", check: Range(1, 100) },
    Row { path: "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[*].weight", check: Range(1, 100) },
    // An int32, not a pointer: absent or null is 0, out of range.
    Row { path: "affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[*]", check: Custom(weight_given) },
    Row { path: "affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[*]", check: Custom(weight_given) },
    Row { path: "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[*]", check: Custom(weight_given) },
    Row { path: "affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[*]", check: Required("topologyKey") },
    Row { path: "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[*]", check: Required("topologyKey") },
    // `podAffinityTerm` is a struct, not a pointer: absent, its `topologyKey` is still empty.
    Row { path: "affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[*]", check: Custom(affinity_term_given) },
    Row { path: "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[*]", check: Custom(affinity_term_given) },
    Row { path: "affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[*].podAffinityTerm", check: Required("topologyKey") },
    Row { path: "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[*].podAffinityTerm", check: Required("topologyKey") },
    // Topology keys are label keys (`ValidateLabelName`).
    Row { path: "affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[*].topologyKey", check: Custom(label_key) },
    Row { path: "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[*].topologyKey", check: Custom(label_key) },
    Row { path: "affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[*].podAffinityTerm.topologyKey", check: Custom(label_key) },
    Row { path: "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[*].podAffinityTerm.topologyKey", check: Custom(label_key) },
    Row { path: "topologySpreadConstraints[*].maxSkew", check: Range(1, INT32_MAX) },
    Row { path: "topologySpreadConstraints[*]", check: Required("topologyKey") },
    Row { path: "topologySpreadConstraints[*].topologyKey", check: Custom(label_key) },
    Row { path: "topologySpreadConstraints[*].whenUnsatisfiable", check: StrictEnum(&["DoNotSchedule", "ScheduleAnyway"]) },
    Row { path: "topologySpreadConstraints[*].nodeAffinityPolicy", check: StrictEnum(&["Honor", "Ignore"]) },
    Row { path: "topologySpreadConstraints[*].nodeTaintsPolicy", check: StrictEnum(&["Honor", "Ignore"]) },
    // volumes
    Row { path: "volumes[*]", check: OneOf { keys: VOLUME_SOURCES, required: false, what: "volume type" } },
    Row { path: "volumes[*].secret", check: Required("secretName") },
    Row { path: "volumes[*].secret.defaultMode", check: Range(0, 0o777) },
    Row { path: "volumes[*].secret.items[*]", check: Required("key") },
    Row { path: "volumes[*].secret.items[*]", check: Required("path") },
    Row { path: "volumes[*].secret.items[*].mode", check: Range(0, 0o777) },
    Row { path: "volumes[*].configMap", check: Required("name") },
    Row { path: "volumes[*].configMap.defaultMode", check: Range(0, 0o777) },
    Row { path: "volumes[*].configMap.items[*]", check: Required("key") },
    Row { path: "volumes[*].configMap.items[*]", check: Required("path") },
    Row { path: "volumes[*].configMap.items[*].mode", check: Range(0, 0o777) },
    Row { path: "volumes[*].downwardAPI.defaultMode", check: Range(0, 0o777) },
    Row { path: "volumes[*].projected.defaultMode", check: Range(0, 0o777) },
    Row { path: "volumes[*].projected.sources[*].secret", check: Required("name") },
    Row { path: "volumes[*].projected.sources[*].secret.items[*]", check: Required("key") },
    Row { path: "volumes[*].projected.sources[*].secret.items[*]", check: Required("path") },
    Row { path: "volumes[*].projected.sources[*].configMap", check: Required("name") },
    Row { path: "volumes[*].projected.sources[*].configMap.items[*]", check: Required("key") },
    Row { path: "volumes[*].projected.sources[*].configMap.items[*]", check: Required("path") },
    Row { path: "volumes[*].projected.sources[*].serviceAccountToken", check: Required("path") },
    // Absent is defaulted to 3600.
    Row { path: "volumes[*].projected.sources[*].serviceAccountToken.expirationSeconds", check: Range(600, 1 << 32) },
    Row { path: "volumes[*].projected.sources[*]", check: OneOf { keys: &["secret", "configMap", "downwardAPI", "serviceAccountToken", "clusterTrustBundle", "podCertificate"], required: false, what: "volume type" } },
    Row { path: "volumes[*].persistentVolumeClaim", check: Required("claimName") },
    Row { path: "volumes[*].hostPath", check: Required("path") },
    Row { path: "volumes[*].hostPath.type", check: Enum(&["", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"]) },
    Row { path: "volumes[*].nfs", check: Required("server") },
    Row { path: "volumes[*].nfs", check: Required("path") },
    Row { path: "volumes[*].csi", check: Required("driver") },
];

const SERVICE: &[Row] = &[
    Row {
        path: "spec.clusterIP",
        check: Custom(cluster_ip),
    },
    Row {
        path: "spec.clusterIPs[*]",
        check: Custom(cluster_ip),
    },
    Row {
        path: "spec.type",
        check: Enum(&["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]),
    },
    Row {
        path: "spec.sessionAffinity",
        check: Enum(&["ClientIP", "None"]),
    },
    Row {
        path: "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
        check: Range(1, 86400),
    },
    Row {
        path: "spec.externalTrafficPolicy",
        check: Enum(&["Cluster", "Local"]),
    },
    Row {
        path: "spec.internalTrafficPolicy",
        check: StrictEnum(&["Cluster", "Local"]),
    },
    Row {
        path: "spec.ipFamilyPolicy",
        check: StrictEnum(&["SingleStack", "PreferDualStack", "RequireDualStack"]),
    },
    Row {
        path: "spec.ipFamilies[*]",
        check: StrictEnum(&["IPv4", "IPv6"]),
    },
    Row {
        path: "spec.ports[*].protocol",
        check: Enum(PROTOCOLS),
    },
    Row {
        path: "spec.ports[*].appProtocol",
        check: Custom(app_protocol),
    },
];

const CLAIM: &[Row] = &[Row {
    path: "spec.volumeMode",
    check: StrictEnum(&["Filesystem", "Block"]),
}];

const STATEFULSET: &[Row] = &[
    // New StatefulSets only (`AllowInvalidServiceName: false` on create).
    Row {
        path: "spec.serviceName",
        check: Custom(nonempty_label),
    },
    Row {
        path: "spec.volumeClaimTemplates[*].spec.volumeMode",
        check: StrictEnum(&["Filesystem", "Block"]),
    },
    Row {
        path: "spec.minReadySeconds",
        check: Range(0, INT32_MAX),
    },
    Row {
        path: "spec.revisionHistoryLimit",
        check: Range(0, INT32_MAX),
    },
    Row {
        path: "spec.ordinals.start",
        check: Range(0, INT32_MAX),
    },
];

const DEPLOYMENT: &[Row] = &[
    Row {
        path: "spec.minReadySeconds",
        check: Range(0, INT32_MAX),
    },
    Row {
        path: "spec.revisionHistoryLimit",
        check: Range(0, INT32_MAX),
    },
    Row {
        path: "spec.progressDeadlineSeconds",
        check: Range(0, INT32_MAX),
    },
];

const BUDGET: &[Row] = &[Row {
    path: "spec.unhealthyPodEvictionPolicy",
    check: Enum(&["IfHealthyBudget", "AlwaysAllow"]),
}];

const JOB: &[Row] = &[
    Row {
        path: "spec.completionMode",
        check: StrictEnum(&["NonIndexed", "Indexed"]),
    },
    Row {
        path: "spec.podReplacementPolicy",
        check: Enum(&["TerminatingOrFailed", "Failed"]),
    },
    Row {
        path: "spec.backoffLimit",
        check: Range(0, INT32_MAX),
    },
    Row {
        path: "spec.parallelism",
        check: Range(0, INT32_MAX),
    },
    Row {
        path: "spec.completions",
        check: Range(0, INT32_MAX),
    },
    Row {
        path: "spec.activeDeadlineSeconds",
        check: Range(1, i64::MAX),
    },
    Row {
        path: "spec.ttlSecondsAfterFinished",
        check: Range(0, INT32_MAX),
    },
];

const CRONJOB: &[Row] = &[
    Row {
        path: "spec.concurrencyPolicy",
        check: Enum(&["Allow", "Forbid", "Replace"]),
    },
    Row {
        path: "spec.startingDeadlineSeconds",
        check: Range(0, i64::MAX),
    },
    Row {
        path: "spec.successfulJobsHistoryLimit",
        check: Range(0, INT32_MAX),
    },
    Row {
        path: "spec.failedJobsHistoryLimit",
        check: Range(0, INT32_MAX),
    },
];

/// `pkg/apis/admissionregistration/validation`: what a binding must say.
const POLICY_BINDING: &[Row] = &[
    Row {
        path: "spec",
        check: Required("policyName"),
    },
    Row {
        path: "spec.paramRef",
        check: Required("parameterNotFoundAction"),
    },
    Row {
        path: "spec.paramRef.parameterNotFoundAction",
        check: Enum(&["Allow", "Deny"]),
    },
];

const POLICY: &[Row] = &[
    Row {
        path: "spec",
        check: Required("matchConstraints"),
    },
    Row {
        path: "spec.failurePolicy",
        check: Enum(&["Fail", "Ignore"]),
    },
];

pub const TABLES: &[Table] = &[
    Table {
        base: Base::Kinds(&["ValidatingAdmissionPolicyBinding"]),
        rows: POLICY_BINDING,
    },
    Table {
        base: Base::Kinds(&["ValidatingAdmissionPolicy"]),
        rows: POLICY,
    },
    Table {
        base: Base::PodSpec,
        rows: CONTAINERS,
    },
    Table {
        base: Base::PodSpec,
        rows: probe_rows!("livenessProbe", true),
    },
    Table {
        base: Base::PodSpec,
        rows: probe_rows!("readinessProbe", false),
    },
    Table {
        base: Base::PodSpec,
        rows: probe_rows!("startupProbe", true),
    },
    Table {
        base: Base::PodSpec,
        rows: POD,
    },
    Table {
        base: Base::Kinds(&["Service"]),
        rows: SERVICE,
    },
    Table {
        base: Base::Kinds(&["PersistentVolumeClaim"]),
        rows: CLAIM,
    },
    Table {
        base: Base::Kinds(&["StatefulSet"]),
        rows: STATEFULSET,
    },
    Table {
        base: Base::Kinds(&["Deployment"]),
        rows: DEPLOYMENT,
    },
    Table {
        base: Base::Kinds(&["PodDisruptionBudget"]),
        rows: BUDGET,
    },
    Table {
        base: Base::Kinds(&["Job"]),
        rows: JOB,
    },
    Table {
        base: Base::Kinds(&["CronJob"]),
        rows: CRONJOB,
    },
];

pub fn is_required(check: &Check) -> bool {
    matches!(check, Check::Required(_))
}

/// Liveness and startup probes: `successThreshold` must be 1.
fn success_threshold_one(node: &Node) -> Option<String> {
    let value = node.as_i64()?;
    // 0 is defaulted to 1.
    (value != 1 && value != 0).then(|| format!("Invalid value: {value}: must be 1"))
}

/// A probe's port: a number in 1..=65535 or an IANA service name (`ValidatePortNumOrName`).
fn port_number_or_name(node: &Node) -> Option<String> {
    if let Some(number) = node.as_i64() {
        return (!(1..=65535).contains(&number))
            .then(|| format!("Invalid value: {number}: must be between 1 and 65535, inclusive"));
    }
    let name = node.as_str()?;
    crate::kube::port_name_problem(name)
        .map(|problem| format!("Invalid value: \"{name}\": {problem}"))
}

/// `value` and `valueFrom` together, with `value` not empty (`validateEnvVarValueFrom`).
fn value_and_value_from(node: &Node) -> Option<String> {
    let value = node.get("value")?;
    node.get("valueFrom")?;
    (value.as_str() != Some("")).then(|| {
        "valueFrom: Invalid value: \"\": may not be specified when `value` is not empty".to_string()
    })
}

/// The pod fields `fieldRef` can read (`validEnvDownwardAPIFieldPathExpressions`).
fn pod_field_path(node: &Node) -> Option<String> {
    const FIELDS: &[&str] = &[
        "metadata.name",
        "metadata.namespace",
        "metadata.uid",
        "metadata.labels",
        "metadata.annotations",
        "spec.nodeName",
        "spec.serviceAccountName",
        "status.hostIP",
        "status.hostIPs",
        "status.podIP",
        "status.podIPs",
    ];
    let path = node.as_str()?;
    let subscript = ["metadata.labels['", "metadata.annotations['"]
        .iter()
        .any(|p| {
            path.strip_prefix(p)
                .is_some_and(|rest| rest.len() > 2 && rest.ends_with("']"))
        });
    if FIELDS.contains(&path) || subscript {
        return None;
    }
    Some(format!(
        "Unsupported value: \"{path}\": supported values: {}",
        FIELDS
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// The container resources `resourceFieldRef` can read (`validContainerResourceFieldPathExpressions`).
fn container_resource(node: &Node) -> Option<String> {
    const RESOURCES: &[&str] = &[
        "limits.cpu",
        "limits.memory",
        "limits.ephemeral-storage",
        "requests.cpu",
        "requests.memory",
        "requests.ephemeral-storage",
    ];
    let resource = node.as_str()?;
    let huge_pages = ["limits.hugepages-", "requests.hugepages-"]
        .iter()
        .any(|p| resource.starts_with(p));
    if RESOURCES.contains(&resource) || huge_pages {
        return None;
    }
    Some(format!(
        "Unsupported value: \"{resource}\": supported values: {}",
        RESOURCES
            .iter()
            .map(|r| format!("\"{r}\""))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// A resource amount: decoded as the API server decodes it (`ParseQuantity`), and not negative
/// (`ValidateResourceQuantityValue`).
fn resource_quantity(node: &Node) -> Option<String> {
    let text = match &node.value {
        crate::yaml::Value::Str(s) => s.to_string(),
        crate::yaml::Value::Int(i) => i.to_string(),
        crate::yaml::Value::Float(f) => f.to_string(),
        _ => return None,
    };
    if let Some(why) = crate::quantity::refusal(&text) {
        return Some(format!(
            "Invalid value: \"{text}\": the API server cannot decode it ({why})"
        ));
    }
    match crate::quantity::parse(&text) {
        Some(q) if q.as_f64() < 0.0 => Some(format!(
            "Invalid value: \"{text}\": must be greater than or equal to 0"
        )),
        _ => None,
    }
}

/// An object's name where one must be given (`ValidateNameFunc`: a key selector's Secret or
/// ConfigMap): a non-empty RFC 1123 subdomain.
fn object_name(node: &Node) -> Option<String> {
    let name = node.as_str()?;
    let why = crate::kube::dns_subdomain_problem(name)?;
    Some(format!(
        "Invalid value: \"{name}\": a lowercase RFC 1123 subdomain {why}"
    ))
}

/// A name that may be left empty, else an RFC 1123 subdomain (`serviceAccountName`).
fn nonempty_subdomain(node: &Node) -> Option<String> {
    node.as_str()
        .filter(|n| !n.is_empty())
        .and_then(|_| object_name(node))
}

/// A name that may be left empty, else an RFC 1123 label (a StatefulSet's `serviceName`).
fn nonempty_label(node: &Node) -> Option<String> {
    let name = node.as_str().filter(|n| !n.is_empty())?;
    let why = crate::kube::dns_label_problem(name)?;
    Some(format!(
        "Invalid value: \"{name}\": a lowercase RFC 1123 label {why}"
    ))
}

/// A Service's cluster IP: empty (allocated), `None` (headless) or an IP address
/// (`validateClusterIPFlags`). An IPv4 address with leading zeros is left alone: the API server
/// still reads such legacy addresses.
fn cluster_ip(node: &Node) -> Option<String> {
    let ip = node.as_str()?;
    if ip.is_empty() || ip == "None" || ip.parse::<std::net::IpAddr>().is_ok() {
        return None;
    }
    let legacy_v4 = ip.split('.').count() == 4
        && ip.split('.').all(|part| {
            !part.is_empty() && part.len() <= 3 && part.bytes().all(|b| b.is_ascii_digit())
        });
    (!legacy_v4).then(|| {
        format!("Invalid value: \"{ip}\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), or `None` for a headless Service")
    })
}

/// `operator: Exists` with a `value` (`validateTolerations`).
fn exists_without_value(node: &Node) -> Option<String> {
    let exists = node.get("operator").and_then(Node::as_str) == Some("Exists");
    let value = node.get("value").and_then(Node::as_str).unwrap_or_default();
    (exists && !value.is_empty()).then(|| {
        format!(
            "value: Invalid value: \"{value}\": value must be empty when `operator` is 'Exists'"
        )
    })
}

/// A preferred scheduling term's `weight`: given, since absent is 0 and must be in 1..=100.
fn weight_given(node: &Node) -> Option<String> {
    node.get("weight")
        .is_none()
        .then(|| "weight: Invalid value: 0: must be in the range 1-100".to_string())
}

/// A weighted pod affinity term without `podAffinityTerm`: its topology key is empty.
fn affinity_term_given(node: &Node) -> Option<String> {
    node.get("podAffinityTerm")
        .is_none()
        .then(|| "podAffinityTerm.topologyKey: Required value: can not be empty".to_string())
}

/// A label key (`ValidateLabelName`): a topology key. Empty is told by `Required`.
fn label_key(node: &Node) -> Option<String> {
    let key = node.as_str().filter(|k| !k.is_empty())?;
    let why = crate::kube::label_key_problem(key)?;
    Some(format!("Invalid value: \"{key}\": it {why}"))
}

/// A port's `appProtocol`, when given: a qualified name, so not empty
/// (`ValidateQualifiedName`).
fn app_protocol(node: &Node) -> Option<String> {
    let name = node.as_str()?;
    if name.is_empty() {
        return Some("Invalid value: \"\": name part must be non-empty".to_string());
    }
    let why = crate::kube::label_key_problem(name)?;
    Some(format!("Invalid value: \"{name}\": it {why}"))
}

/// `allowPrivilegeEscalation: false` with what escalates anyway: `privileged` or the
/// `CAP_SYS_ADMIN` capability (`ValidateSecurityContext`).
fn escalation_denied_yet_privileged(node: &Node) -> Option<String> {
    let flag = |key: &str| match node.get(key).map(|n| &n.value) {
        Some(crate::yaml::Value::Bool(b)) => Some(*b),
        _ => None,
    };
    if flag("allowPrivilegeEscalation") != Some(false) {
        return None;
    }
    if flag("privileged") == Some(true) {
        return Some(
            "Invalid value: cannot set `allowPrivilegeEscalation` to false and `privileged` to true"
                .to_string(),
        );
    }
    let sys_admin = node
        .path(&["capabilities", "add"])
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .any(|c| c.as_str() == Some("CAP_SYS_ADMIN"));
    sys_admin.then(|| {
        "Invalid value: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"
            .to_string()
    })
}

/// A key of a ConfigMap or Secret (`IsConfigMapKey`): up to 253 letters, digits, '-', '_' and
/// '.', not `.` or `..`. Empty is told by `Required`.
fn config_map_key(node: &Node) -> Option<String> {
    let key = node.as_str().filter(|k| !k.is_empty())?;
    let why = if key.len() > 253 {
        format!("must be no more than 253 characters (it has {})", key.len())
    } else if !key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'".to_string()
    } else if key == "." || key == ".." {
        format!("must not be '{key}'")
    } else if key.starts_with("..") {
        "must not start with '..'".to_string()
    } else {
        return None;
    };
    Some(format!("Invalid value: \"{key}\": {why}"))
}
