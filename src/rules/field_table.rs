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
                path: concat!("@.", $probe, ".httpGet.httpHeaders[*].name"),
                check: Custom(http_header_name),
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
        path: "@.image",
        check: Custom(image_without_spaces),
    },
    Row {
        path: "@.env[*].name",
        check: Custom(env_var_name),
    },
    Row {
        path: "@.resources.limits",
        check: Fields(container_resource_names),
    },
    Row {
        path: "@.resources.requests",
        check: Fields(container_resource_names),
    },
    Row {
        path: "@.volumeMounts[*].subPath",
        check: Custom(relative_descending_path),
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
    // Init containers that are not sidecars (`restartPolicy: Always`) run to completion: no
    // probes, no lifecycle hooks.
    Row { path: "initContainers[*]", check: Fields(init_container_fields) },
    Row { path: "", check: Fields(dns_config_given) },
    Row { path: "", check: Fields(unique_host_ports) },
    Row { path: "", check: Fields(admission_computed_fields) },
    Row { path: "hostname", check: Custom(nonempty_label) },
    Row { path: "subdomain", check: Custom(nonempty_label) },
    Row { path: "hostAliases[*].ip", check: Custom(ip_address) },
    Row { path: "nodeSelector", check: Fields(label_map) },
    Row { path: "tolerations[*].key", check: Custom(nonempty_label_key) },
    Row { path: "securityContext.sysctls[*].name", check: Custom(sysctl_name) },
    Row { path: "volumes[*].emptyDir.sizeLimit", check: Custom(resource_quantity) },
    Row { path: "volumes[*].configMap.items[*].path", check: Custom(relative_descending_path) },
    Row { path: "volumes[*].secret.items[*].path", check: Custom(relative_descending_path) },
    Row { path: "volumes[*].downwardAPI.items[*].path", check: Custom(relative_descending_path) },
    Row { path: "volumes[*].projected.sources[*].configMap.items[*].path", check: Custom(relative_descending_path) },
    Row { path: "volumes[*].projected.sources[*].secret.items[*].path", check: Custom(relative_descending_path) },
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
    Row {
        path: "spec",
        check: Fields(service_type_fields),
    },
    Row {
        path: "spec.externalIPs[*]",
        check: Custom(ip_address),
    },
    Row {
        path: "spec.ipFamilies",
        check: Custom(ip_families),
    },
    Row {
        path: "spec.loadBalancerSourceRanges[*]",
        check: Custom(cidr),
    },
];

const CLAIM: &[Row] = &[
    Row {
        path: "spec.volumeMode",
        check: StrictEnum(&["Filesystem", "Block"]),
    },
    Row {
        path: "spec.storageClassName",
        check: Custom(nonempty_subdomain),
    },
    Row {
        path: "spec.volumeAttributesClassName",
        check: Custom(nonempty_subdomain),
    },
    Row {
        path: "spec.dataSource",
        check: Required("kind"),
    },
    Row {
        path: "spec.dataSource",
        check: Required("name"),
    },
    Row {
        path: "spec.dataSourceRef",
        check: Required("kind"),
    },
    Row {
        path: "spec.dataSourceRef",
        check: Required("name"),
    },
];

const STATEFULSET: &[Row] = &[
    // New StatefulSets only (`AllowInvalidServiceName: false` on create).
    Row {
        path: "spec.serviceName",
        check: Custom(nonempty_label),
    },
    Row {
        path: "spec.volumeClaimTemplates[*].spec.storageClassName",
        check: Custom(nonempty_subdomain),
    },
    Row {
        path: "spec.volumeClaimTemplates[*].spec.volumeAttributesClassName",
        check: Custom(nonempty_subdomain),
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
    Row {
        path: "spec",
        check: Fields(progress_after_min_ready),
    },
    Row {
        path: "spec.strategy.rollingUpdate.maxSurge",
        check: Custom(int_or_percent),
    },
    Row {
        path: "spec.strategy.rollingUpdate.maxUnavailable",
        check: Custom(int_or_percent),
    },
];

const DAEMONSET: &[Row] = &[
    Row {
        path: "spec.updateStrategy.rollingUpdate.maxSurge",
        check: Custom(int_or_percent),
    },
    Row {
        path: "spec.updateStrategy.rollingUpdate.maxUnavailable",
        check: Custom(int_or_percent),
    },
];

/// A Job's pods run to completion: `Always` (the pod default) is refused.
const JOB_RESTART: &[&str] = &["OnFailure", "Never"];

const CONFIG_MAP: &[Row] = &[
    Row {
        path: "data",
        check: Fields(config_keys),
    },
    Row {
        path: "binaryData",
        check: Fields(config_keys),
    },
];

const SECRET: &[Row] = &[
    Row {
        path: "data",
        check: Fields(config_keys),
    },
    Row {
        path: "stringData",
        check: Fields(config_keys),
    },
    Row {
        path: "",
        check: Fields(secret_type_keys),
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
        path: "spec.template.spec.restartPolicy",
        check: StrictEnum(JOB_RESTART),
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
        path: "spec.jobTemplate.spec.template.spec.restartPolicy",
        check: StrictEnum(JOB_RESTART),
    },
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
        base: Base::Kinds(&["DaemonSet"]),
        rows: DAEMONSET,
    },
    Table {
        base: Base::Kinds(&["ConfigMap"]),
        rows: CONFIG_MAP,
    },
    Table {
        base: Base::Kinds(&["Secret"]),
        rows: SECRET,
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

/// An image name with spaces around it (`validateContainers`).
fn image_without_spaces(node: &Node) -> Option<String> {
    let image = node.as_str()?;
    (image.trim() != image).then(|| {
        format!("Invalid value: \"{image}\": must not have leading or trailing whitespace")
    })
}

/// An environment variable's name: printable ASCII but `=` (`validateEnvVarName`).
fn env_var_name(node: &Node) -> Option<String> {
    let name = node.as_str().filter(|n| !n.is_empty())?;
    let printable = name.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'=');
    (!printable).then(|| {
        format!("Invalid value: \"{name}\": a valid environment variable name must consist only of printable ASCII characters other than '='")
    })
}

/// A container's resource names (`validateContainerResourceName`): a standard one (`cpu`,
/// `memory`, `ephemeral-storage`, `hugepages-*`), else an extended one with a domain.
fn container_resource_names(node: &Node) -> Option<(String, String)> {
    node.entries().iter().find_map(|e| {
        let name = e.key.key_text()?;
        let standard = matches!(name.as_ref(), "cpu" | "memory" | "ephemeral-storage")
            || name.starts_with("hugepages-");
        if name.contains('/') || standard {
            return None;
        }
        Some((
            format!("[{name}]"),
            format!("Invalid value: \"{name}\": must be a standard resource for containers"),
        ))
    })
}

/// A path inside a volume (`subPath`, an item's `path`): relative, without `..` elements
/// (`validateLocalDescendingPath`).
fn relative_descending_path(node: &Node) -> Option<String> {
    let path = node.as_str().filter(|p| !p.is_empty())?;
    if path.starts_with('/') {
        return Some(format!(
            "Invalid value: \"{path}\": must be a relative path"
        ));
    }
    path.split('/')
        .any(|part| part == "..")
        .then(|| format!("Invalid value: \"{path}\": must not contain '..'"))
}

/// What an init container that is not a sidecar may not have.
fn init_container_fields(node: &Node) -> Option<(String, String)> {
    if node.get("restartPolicy").and_then(Node::as_str) == Some("Always") {
        return None;
    }
    [
        "lifecycle",
        "livenessProbe",
        "readinessProbe",
        "startupProbe",
    ]
    .iter()
    .find(|k| node.get(k).is_some())
    .map(|k| {
        (
            k.to_string(),
            "Forbidden: may not be set for init containers without restartPolicy=Always"
                .to_string(),
        )
    })
}

/// `dnsPolicy: None` takes its configuration from `dnsConfig` (`validateDNSPolicy`).
fn dns_config_given(spec: &Node) -> Option<(String, String)> {
    let none = spec.get("dnsPolicy").and_then(Node::as_str) == Some("None");
    (none && spec.get("dnsConfig").is_none()).then(|| {
        (
            "dnsConfig".to_string(),
            "Required value: must provide `dnsConfig` when `dnsPolicy` is None".to_string(),
        )
    })
}

/// Host ports are unique across a pod's containers, by port, protocol and host IP
/// (`AccumulateUniqueHostPorts`).
fn unique_host_ports(spec: &Node) -> Option<(String, String)> {
    let mut seen = std::collections::HashSet::new();
    let containers = spec.get("containers").map(Node::items).unwrap_or_default();
    for (c, container) in containers.iter().enumerate() {
        let ports = container.get("ports").map(Node::items).unwrap_or_default();
        for (p, port) in ports.iter().enumerate() {
            let Some(host_port) = port
                .get("hostPort")
                .and_then(Node::as_i64)
                .filter(|n| *n != 0)
            else {
                continue;
            };
            let protocol = port
                .get("protocol")
                .and_then(Node::as_str)
                .filter(|p| !p.is_empty())
                .unwrap_or("TCP")
                .to_string();
            let ip = port
                .get("hostIP")
                .and_then(Node::as_str)
                .unwrap_or("")
                .to_string();
            if !seen.insert((host_port, protocol.clone(), ip)) {
                return Some((
                    format!("containers[{c}].ports[{p}].hostPort"),
                    format!("Duplicate value: \"{host_port}/{protocol}\""),
                ));
            }
        }
    }
    None
}

/// Fields the admission plugins compute themselves and refuse when a pod sets them
/// otherwise: `priority` without a class (the Priority plugin computes 0), `overhead`
/// without a runtime class (the RuntimeClass plugin sets it from the class).
fn admission_computed_fields(spec: &Node) -> Option<(String, String)> {
    let priority = spec.get("priority").and_then(Node::as_i64);
    if let Some(value) = priority.filter(|p| *p != 0) {
        if spec
            .get("priorityClassName")
            .and_then(Node::as_str)
            .is_none_or(str::is_empty)
        {
            return Some((
                "priority".to_string(),
                format!("the integer value of priority ({value}) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name"),
            ));
        }
    }
    let runtime_class = spec
        .get("runtimeClassName")
        .and_then(Node::as_str)
        .is_some_and(|r| !r.is_empty());
    (spec.get("overhead").is_some() && !runtime_class).then(|| {
        (
            "overhead".to_string(),
            "pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead"
                .to_string(),
        )
    })
}

/// An IP address (a host alias, an external IP).
fn ip_address(node: &Node) -> Option<String> {
    let ip = node.as_str()?;
    ip.parse::<std::net::IpAddr>()
        .is_err()
        .then(|| format!("Invalid value: \"{ip}\": must be a valid IP address"))
}

/// A CIDR (`loadBalancerSourceRanges`).
fn cidr(node: &Node) -> Option<String> {
    let text = node.as_str()?;
    let valid = text.trim().split_once('/').is_some_and(|(ip, bits)| {
        let max = match ip.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(_)) => 32,
            Ok(std::net::IpAddr::V6(_)) => 128,
            Err(_) => return false,
        };
        bits.parse::<u8>().is_ok_and(|b| b <= max)
    });
    (!valid).then(|| format!("Invalid value: \"{text}\": must be a CIDR (e.g. 10.0.0.0/8)"))
}

/// A map of labels (a node selector): keys and values as labels.
fn label_map(node: &Node) -> Option<(String, String)> {
    node.entries().iter().find_map(|e| {
        let key = e.key.key_text()?;
        if let Some(why) = crate::kube::label_key_problem(&key) {
            return Some((
                format!("[{key}]"),
                format!("Invalid value: \"{key}\": it {why}"),
            ));
        }
        let value = e.value.as_str()?;
        crate::kube::label_value_problem(value).map(|why| {
            (
                format!("[{key}]"),
                format!("Invalid value: \"{value}\": it {why}"),
            )
        })
    })
}

/// A label key that may be empty (a toleration's key with `operator: Exists`).
fn nonempty_label_key(node: &Node) -> Option<String> {
    let key = node.as_str().filter(|k| !k.is_empty())?;
    let why = crate::kube::label_key_problem(key)?;
    Some(format!("Invalid value: \"{key}\": it {why}"))
}

/// A sysctl's name (`IsValidSysctlName`).
fn sysctl_name(node: &Node) -> Option<String> {
    static SYSCTL: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let name = node.as_str()?;
    let pattern = SYSCTL.get_or_init(|| {
        regex::Regex::new(r"^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$")
            .expect("a valid pattern")
    });
    (name.len() > 253 || !pattern.is_match(name)).then(|| {
        format!(
            "Invalid value: \"{name}\": must have at most 253 characters and match regex {}",
            pattern.as_str()
        )
    })
}

/// An HTTP header's name (`IsHTTPHeaderName`): letters, digits and `-`.
fn http_header_name(node: &Node) -> Option<String> {
    let name = node.as_str()?;
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    (!valid).then(|| {
        format!("Invalid value: \"{name}\": a valid HTTP header must consist of alphanumeric characters or '-'")
    })
}

/// Service fields that depend on its type (`validateServiceExternalTrafficPolicy`,
/// ExternalName's name).
fn service_type_fields(spec: &Node) -> Option<(String, String)> {
    let kind = spec
        .get("type")
        .and_then(Node::as_str)
        .filter(|t| !t.is_empty())
        .unwrap_or("ClusterIP");
    let has_external_ips = spec
        .get("externalIPs")
        .is_some_and(|ips| !ips.items().is_empty());
    let externally_accessible =
        matches!(kind, "LoadBalancer" | "NodePort") || kind == "ClusterIP" && has_external_ips;
    let policy = spec
        .get("externalTrafficPolicy")
        .and_then(Node::as_str)
        .unwrap_or("");
    if !policy.is_empty() && !externally_accessible && kind != "ExternalName" {
        return Some((
            "externalTrafficPolicy".to_string(),
            format!(
                "Invalid value: \"{policy}\": may only be set for externally-accessible services"
            ),
        ));
    }
    let health_check = spec
        .get("healthCheckNodePort")
        .and_then(Node::as_i64)
        .unwrap_or(0);
    if health_check != 0 && !(kind == "LoadBalancer" && policy == "Local") {
        return Some((
            "healthCheckNodePort".to_string(),
            "Invalid value: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'".to_string(),
        ));
    }
    if kind == "ExternalName" {
        let name = spec
            .get("externalName")
            .and_then(Node::as_str)
            .unwrap_or("");
        let name = name.strip_suffix('.').unwrap_or(name);
        if !name.is_empty() {
            if let Some(why) = crate::kube::dns_subdomain_problem(name) {
                return Some((
                    "externalName".to_string(),
                    format!("Invalid value: \"{name}\": a lowercase RFC 1123 subdomain {why}"),
                ));
            }
        }
    }
    None
}

/// A Deployment's progress deadline comes after its pods are ready
/// (`ValidateDeploymentSpec`).
fn progress_after_min_ready(spec: &Node) -> Option<(String, String)> {
    let deadline = spec.get("progressDeadlineSeconds").and_then(Node::as_i64)?;
    let min_ready = spec
        .get("minReadySeconds")
        .and_then(Node::as_i64)
        .unwrap_or(0);
    (deadline <= min_ready).then(|| {
        (
            "progressDeadlineSeconds".to_string(),
            format!("Invalid value: {deadline}: must be greater than minReadySeconds"),
        )
    })
}

/// An int-or-percent (`maxSurge`, `maxUnavailable`): a string is a percentage
/// (`ValidatePositiveIntOrPercent`).
fn int_or_percent(node: &Node) -> Option<String> {
    let text = node.as_str()?;
    let valid = text
        .strip_suffix('%')
        .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
    (!valid).then(|| {
        format!("Invalid value: \"{text}\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")
    })
}

/// The keys of a ConfigMap's or a Secret's data (`IsConfigMapKey`).
fn config_keys(node: &Node) -> Option<(String, String)> {
    node.entries().iter().find_map(|e| {
        let key = e.key.key_text()?;
        let problem = config_map_key(&Node {
            value: crate::yaml::Value::Str(key.as_ref().into()),
            span: e.key.span.clone(),
        })?;
        Some((format!("[{key}]"), problem))
    })
}

/// The keys a Secret's type requires (`ValidateSecret`), in `data` or `stringData`.
fn secret_type_keys(secret: &Node) -> Option<(String, String)> {
    let kind = secret.get("type").and_then(Node::as_str)?;
    let has = |key: &str| {
        ["data", "stringData"]
            .iter()
            .any(|map| secret.get(map).is_some_and(|m| m.get(key).is_some()))
    };
    let missing = |keys: &[&str]| keys.iter().find(|k| !has(k)).map(|k| k.to_string());
    let key = match kind {
        "kubernetes.io/tls" => missing(&["tls.crt", "tls.key"]),
        "kubernetes.io/dockerconfigjson" => missing(&[".dockerconfigjson"]),
        "kubernetes.io/dockercfg" => missing(&[".dockercfg"]),
        "kubernetes.io/ssh-auth" => missing(&["ssh-privatekey"]),
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            return Some((
                "type".to_string(),
                "data[username]: Required value: a Secret of type kubernetes.io/basic-auth needs `username` or `password`".to_string(),
            ))
        }
        _ => None,
    }?;
    // Said at the type, which asks for the key (the API server names `data[KEY]`).
    Some((
        "type".to_string(),
        format!("data[{key}]: Required value: a Secret of type {kind} needs `{key}` in `data` or `stringData`"),
    ))
}

/// A Service's IP families: at most two, each once (`validateIPFamilies`).
fn ip_families(node: &Node) -> Option<String> {
    let families = node.items();
    if families.len() > 2 {
        return Some("Invalid value: may specify no more than one IP for each IP family".into());
    }
    let first = families.first()?.as_str()?;
    let second = families.get(1)?.as_str()?;
    (first == second).then(|| format!("Duplicate value: \"{second}\""))
}
