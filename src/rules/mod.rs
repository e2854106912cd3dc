//! The rule registry: one ordered list. Each rule is a code file here and a data file in
//! `rules/<id>.toml` (its documentation and executable examples), embedded in the binary.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Object;
use crate::workspace::Workspace;
use serde::Deserialize;
use std::ops::Range;
use std::sync::OnceLock;

mod field_table;
mod fields;
mod helpers;
pub use helpers::*;
mod upgrade;

/// Collects one rule's findings; the engine sets severities from the catalogue and config.
pub struct Sink<'a> {
    pub rule: &'static str,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

impl Sink<'_> {
    /// Reports a finding on `object` at `span` and returns it for `help` and related locations.
    pub fn report(
        &mut self,
        object: &Object<'_>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics.push(object.diag(self.rule, span, message));
        self.diagnostics.last_mut().expect("just pushed")
    }
}

pub trait Rule: Sync {
    /// Checks one object on its own.
    fn check_object(&self, _object: &Object<'_>, _ctx: &Context, _sink: &mut Sink<'_>) {}
    /// Checks links between objects, after every file is read.
    fn check_links(&self, _workspace: &Workspace, _ctx: &Context, _sink: &mut Sink<'_>) {}
    /// Reads this rule's options: the keys of its `[rules.<id>]` table besides `enabled` and
    /// `severity`. A rule with options declares them as a typed struct in its own file and
    /// parses them with [`typed_options`]; the others take none.
    fn configure(&self, options: &toml::Table) -> Result<Option<Options>, OptionError> {
        match options.keys().next() {
            None => Ok(None),
            Some(key) => Err(OptionError {
                key: Some(key.clone()),
                message: format!("this rule takes no option `{key}`"),
            }),
        }
    }
    /// The JSON schema of the options, for `stslint.schema.json`.
    fn options_schema(
        &self,
        _generator: &mut schemars::SchemaGenerator,
    ) -> Option<schemars::Schema> {
        None
    }
}

/// A rule's parsed options, as its [`Rule::configure`] made them.
pub type Options = std::sync::Arc<dyn std::any::Any + Send + Sync>;

/// An option a rule cannot use, with the key at fault when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError {
    pub key: Option<String>,
    pub message: String,
}

/// Deserializes a rule's typed options (unknown keys are errors) and checks them.
pub fn typed_options<T>(
    table: &toml::Table,
    check: impl FnOnce(&T) -> Result<(), OptionError>,
) -> Result<Option<Options>, OptionError>
where
    T: serde::de::DeserializeOwned + Send + Sync + 'static,
{
    let options: T =
        toml::Value::Table(table.clone())
            .try_into()
            .map_err(|e: toml::de::Error| {
                let message = e.message().trim().to_string();
                // serde names the key in "unknown field `x`" and "invalid type ... for key `x`".
                let key = table
                    .keys()
                    .find(|k| message.contains(&format!("`{k}`")))
                    .cloned();
                OptionError { key, message }
            })?;
    check(&options)?;
    Ok(Some(std::sync::Arc::new(options)))
}

/// Run-wide settings a rule may read.
#[derive(Clone)]
pub struct Context {
    /// The Kubernetes version removed-API checks are made against.
    pub kubernetes_version: (u32, u32),
    /// Per-rule options from the configuration file, by rule id.
    pub options: std::collections::BTreeMap<String, Options>,
    /// The run compares with a previous version of the objects (`--previous`).
    pub compare: bool,
}

impl Context {
    /// The options of `rule`, when the configuration gives it some.
    pub fn options<T: 'static>(&self, rule: &str) -> Option<&T> {
        self.options.get(rule)?.downcast_ref::<T>()
    }
}

/// A rule's documentation, from `rules/<id>.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    pub id: String,
    pub severity: String,
    pub category: String,
    pub enabled: bool,
    /// What a finding says about the cluster, checked by the judge (`conformance/`): one of
    /// [`CLAIMS`]; `none` for policy and advice.
    pub claim: String,
    /// Other claims some of its findings make instead (each finding says which).
    #[serde(default)]
    pub also_claims: Vec<String>,
    pub summary: String,
    pub why: String,
    pub fix: String,
    /// A manifest that raises exactly this rule, at the `expect`ed `line:column`s.
    pub invalid: Option<String>,
    #[serde(default)]
    pub expect: Vec<String>,
    pub valid: Option<String>,
    #[serde(default)]
    pub references: Vec<String>,
    /// For an upgrade rule: the previous version the `invalid` and `valid` examples are
    /// compared with (`--previous`).
    pub previous: Option<String>,
    /// Options the examples are run with (`[rules.<id>]` in `.stslint.toml`).
    pub options: Option<toml::Table>,
    pub since: String,
}

/// The claims a rule's findings can make about the cluster, each one the judge can check (or
/// will, once its part of the control plane is in the box): `apply-rejected` (the API server
/// refuses the object), `update-rejected` (it refuses the change from the previous version),
/// `no-endpoints`, `no-pod-dns`, `evictions-blocked`, `hook-kept` (Helm keeps a hook resource
/// after it ran), `hook-skipped` (Helm neither runs nor installs it), `field-dropped` (the API
/// server removes a field on create, without an error),
/// `probe-fails` (the kubelet's probe cannot succeed), `claims-deleted` and `claims-orphaned`
/// (what the StatefulSet controller does with the claims), `input-unreadable` (no object: the
/// file cannot be read as one), and `none` (policy or advice, said so in the message).
pub const CLAIMS: &[&str] = &[
    "apply-rejected",
    "update-rejected",
    "no-endpoints",
    "no-pod-dns",
    "evictions-blocked",
    "pods-rejected",
    "hook-kept",
    "hook-skipped",
    "field-dropped",
    "probe-fails",
    "pods-stuck",
    "claims-deleted",
    "claims-orphaned",
    "input-unreadable",
    "none",
];

pub struct RuleEntry {
    pub id: &'static str,
    pub rule: &'static dyn Rule,
    pub doc: RuleDoc,
    pub severity: Severity,
}

/// A rule with no object check of its own: its findings come from reading files (syntax,
/// encoding, schema), in `lint.rs`.
pub struct Emitted;
impl Rule for Emitted {}

// The rules' modules, written out rather than made by the macro below: rustfmt formats only
// the files it reaches through `mod` items it can see (oxc's `rules.rs` says the same).
pub mod affinity_selects_no_pods;
pub mod alias_expansion_too_large;
pub mod claim_template_immutable;
pub mod claim_template_missing_access_modes;
pub mod claim_template_missing_name;
pub mod claim_template_missing_storage;
pub mod claim_template_no_storage_class;
pub mod claim_template_not_mounted;
pub mod claim_template_shared_access_mode;
pub mod claim_template_volume_name_conflict;
pub mod config_key_not_found;
pub mod custom_resource_invalid;
pub mod duplicate_container_name;
pub mod duplicate_key;
pub mod duplicate_mount_path;
pub mod duplicate_volume_name;
pub mod governing_service_not_headless;
pub mod governing_service_selector_mismatch;
pub mod helm_hook_missing_delete_policy;
pub mod image_tag_latest;
pub mod immutable_config_changed;
pub mod invalid_access_mode;
pub mod invalid_container_port;
pub mod invalid_container_port_name;
pub mod invalid_field_type;
pub mod invalid_field_value;
pub mod invalid_helm_hook_annotation;
pub mod invalid_label;
pub mod invalid_label_selector;
pub mod invalid_name_format;
pub mod invalid_pod_management_policy;
pub mod invalid_pvc_retention_policy;
pub mod invalid_restart_policy;
pub mod invalid_rolling_update;
pub mod invalid_storage_quantity;
pub mod invalid_update_strategy;
pub mod invalid_yaml;
pub mod job_spec_immutable;
pub mod missing_api_version;
pub mod missing_kind;
pub mod missing_name;
pub mod missing_readiness_probe;
pub mod missing_required_field;
pub mod missing_resource_requests;
pub mod negative_replicas;
pub mod no_pod_anti_affinity;
pub mod not_text;
pub mod partition_exceeds_replicas;
pub mod pdb_blocks_all_evictions;
pub mod pdb_invalid_budget;
pub mod pdb_selects_no_pods;
pub mod pdb_unhealthy_pod_eviction_policy;
pub mod persistent_storage_removed;
pub mod pod_management_policy_not_set;
pub mod policy_expression_invalid;
pub mod probe_port_not_found;
pub mod probe_protocol_mismatch;
pub mod pvc_data_source_dropped;
pub mod pvc_expansion_unsupported;
pub mod pvc_spec_immutable;
pub mod read_write_once_pod_not_alone;
pub mod removed_api_version;
pub mod resource_requests_exceed_limits;
pub mod scale_down_deletes_claims;
pub mod selector_immutable;
pub mod service_cluster_ip_immutable;
pub mod service_exposed;
pub mod service_headless_type_conflict;
pub mod service_port_invalid;
pub mod service_selects_no_pods;
pub mod service_target_port_not_exposed;
pub mod service_target_port_not_found;
pub mod service_type_not_allowed;
pub mod statefulset_missing_service_name;
pub mod statefulset_name_too_long;
pub mod statefulset_no_pdb;
pub mod statefulset_no_volume_claim_templates;
pub mod statefulset_service_not_found;
pub mod statefulset_spec_immutable;
pub mod storage_class_not_allowed;
pub mod storage_decimal_suffix;
pub mod storage_request_out_of_bounds;
pub mod suppression_missing_reason;
pub mod unknown_api_version;
pub mod unknown_field;
pub mod unknown_kind;
pub mod unreadable_file;
pub mod unrendered_template;
pub mod unused_suppression;
pub mod volume_mount_not_found;
pub mod workload_selector_mismatch;

macro_rules! registry {
    ($($module:ident => $id:literal => $rule:ident,)*) => {
        pub mod ids {
            $(#[allow(non_upper_case_globals)] pub const $module: &str = $id;)*
        }

        const ENTRIES: &[(&str, &str, &dyn Rule)] = &[
            $(($id, include_str!(concat!("../../rules/", $id, ".toml")), &$module::$rule),)*
        ];
    };
}

registry! {
    unreadable_file => "unreadable-file" => UnreadableFile,
    not_text => "not-text" => NotText,
    unrendered_template => "unrendered-template" => UnrenderedTemplate,
    invalid_yaml => "invalid-yaml" => InvalidYaml,
    alias_expansion_too_large => "alias-expansion-too-large" => AliasExpansionTooLarge,
    duplicate_key => "duplicate-key" => DuplicateKey,
    missing_api_version => "missing-api-version" => MissingApiVersion,
    missing_kind => "missing-kind" => MissingKind,
    missing_name => "missing-name" => MissingName,
    unknown_field => "unknown-field" => UnknownField,
    invalid_field_type => "invalid-field-type" => InvalidFieldType,
    custom_resource_invalid => "custom-resource-invalid" => CustomResourceInvalid,
    policy_expression_invalid => "policy-expression-invalid" => PolicyExpressionInvalid,
    missing_required_field => "missing-required-field" => MissingRequiredField,
    suppression_missing_reason => "suppression-missing-reason" => SuppressionMissingReason,
    unused_suppression => "unused-suppression" => UnusedSuppression,
    statefulset_no_volume_claim_templates => "statefulset-no-volume-claim-templates" => StatefulsetNoVolumeClaimTemplates,
    claim_template_missing_storage => "claim-template-missing-storage" => ClaimTemplateMissingStorage,
    invalid_storage_quantity => "invalid-storage-quantity" => InvalidStorageQuantity,
    storage_decimal_suffix => "storage-decimal-suffix" => StorageDecimalSuffix,
    claim_template_missing_name => "claim-template-missing-name" => ClaimTemplateMissingName,
    claim_template_missing_access_modes => "claim-template-missing-access-modes" => ClaimTemplateMissingAccessModes,
    invalid_access_mode => "invalid-access-mode" => InvalidAccessMode,
    read_write_once_pod_not_alone => "read-write-once-pod-not-alone" => ReadWriteOncePodNotAlone,
    claim_template_shared_access_mode => "claim-template-shared-access-mode" => ClaimTemplateSharedAccessMode,
    claim_template_no_storage_class => "claim-template-no-storage-class" => ClaimTemplateNoStorageClass,
    volume_mount_not_found => "volume-mount-not-found" => VolumeMountNotFound,
    claim_template_not_mounted => "claim-template-not-mounted" => ClaimTemplateNotMounted,
    claim_template_volume_name_conflict => "claim-template-volume-name-conflict" => ClaimTemplateVolumeNameConflict,
    statefulset_missing_service_name => "statefulset-missing-service-name" => StatefulsetMissingServiceName,
    statefulset_service_not_found => "statefulset-service-not-found" => StatefulsetServiceNotFound,
    config_key_not_found => "config-key-not-found" => ConfigKeyNotFound,
    governing_service_not_headless => "governing-service-not-headless" => GoverningServiceNotHeadless,
    governing_service_selector_mismatch => "governing-service-selector-mismatch" => GoverningServiceSelectorMismatch,
    service_selects_no_pods => "service-selects-no-pods" => ServiceSelectsNoPods,
    service_target_port_not_found => "service-target-port-not-found" => ServiceTargetPortNotFound,
    service_port_invalid => "service-port-invalid" => ServicePortInvalid,
    service_headless_type_conflict => "service-headless-type-conflict" => ServiceHeadlessTypeConflict,
    pod_management_policy_not_set => "pod-management-policy-not-set" => PodManagementPolicyNotSet,
    invalid_pod_management_policy => "invalid-pod-management-policy" => InvalidPodManagementPolicy,
    workload_selector_mismatch => "workload-selector-mismatch" => WorkloadSelectorMismatch,
    invalid_update_strategy => "invalid-update-strategy" => InvalidUpdateStrategy,
    invalid_rolling_update => "invalid-rolling-update" => InvalidRollingUpdate,
    partition_exceeds_replicas => "partition-exceeds-replicas" => PartitionExceedsReplicas,
    negative_replicas => "negative-replicas" => NegativeReplicas,
    invalid_pvc_retention_policy => "invalid-pvc-retention-policy" => InvalidPvcRetentionPolicy,
    invalid_restart_policy => "invalid-restart-policy" => InvalidRestartPolicy,
    removed_api_version => "removed-api-version" => RemovedApiVersion,
    unknown_kind => "unknown-kind" => UnknownKind,
    unknown_api_version => "unknown-api-version" => UnknownApiVersion,
    statefulset_name_too_long => "statefulset-name-too-long" => StatefulsetNameTooLong,
    invalid_field_value => "invalid-field-value" => InvalidFieldValue,
    invalid_name_format => "invalid-name-format" => InvalidNameFormat,
    invalid_label => "invalid-label" => InvalidLabel,
    invalid_label_selector => "invalid-label-selector" => InvalidLabelSelector,
    resource_requests_exceed_limits => "resource-requests-exceed-limits" => ResourceRequestsExceedLimits,
    invalid_container_port => "invalid-container-port" => InvalidContainerPort,
    duplicate_container_name => "duplicate-container-name" => DuplicateContainerName,
    duplicate_volume_name => "duplicate-volume-name" => DuplicateVolumeName,
    duplicate_mount_path => "duplicate-mount-path" => DuplicateMountPath,
    invalid_container_port_name => "invalid-container-port-name" => InvalidContainerPortName,
    probe_port_not_found => "probe-port-not-found" => ProbePortNotFound,
    probe_protocol_mismatch => "probe-protocol-mismatch" => ProbeProtocolMismatch,
    pdb_invalid_budget => "pdb-invalid-budget" => PdbInvalidBudget,
    pdb_selects_no_pods => "pdb-selects-no-pods" => PdbSelectsNoPods,
    pdb_blocks_all_evictions => "pdb-blocks-all-evictions" => PdbBlocksAllEvictions,
    affinity_selects_no_pods => "affinity-selects-no-pods" => AffinitySelectsNoPods,
    helm_hook_missing_delete_policy => "helm-hook-missing-delete-policy" => HelmHookMissingDeletePolicy,
    invalid_helm_hook_annotation => "invalid-helm-hook-annotation" => InvalidHelmHookAnnotation,
    pvc_data_source_dropped => "pvc-data-source-dropped" => PvcDataSourceDropped,
    storage_request_out_of_bounds => "storage-request-out-of-bounds" => StorageRequestOutOfBounds,
    storage_class_not_allowed => "storage-class-not-allowed" => StorageClassNotAllowed,
    service_type_not_allowed => "service-type-not-allowed" => ServiceTypeNotAllowed,
    service_target_port_not_exposed => "service-target-port-not-exposed" => ServiceTargetPortNotExposed,
    statefulset_no_pdb => "statefulset-no-pdb" => StatefulsetNoPdb,
    pdb_unhealthy_pod_eviction_policy => "pdb-unhealthy-pod-eviction-policy" => PdbUnhealthyPodEvictionPolicy,
    no_pod_anti_affinity => "no-pod-anti-affinity" => NoPodAntiAffinity,
    missing_readiness_probe => "missing-readiness-probe" => MissingReadinessProbe,
    missing_resource_requests => "missing-resource-requests" => MissingResourceRequests,
    image_tag_latest => "image-tag-latest" => ImageTagLatest,
    service_exposed => "service-exposed" => ServiceExposed,
    statefulset_spec_immutable => "statefulset-spec-immutable" => StatefulsetSpecImmutable,
    claim_template_immutable => "claim-template-immutable" => ClaimTemplateImmutable,
    selector_immutable => "selector-immutable" => SelectorImmutable,
    job_spec_immutable => "job-spec-immutable" => JobSpecImmutable,
    service_cluster_ip_immutable => "service-cluster-ip-immutable" => ServiceClusterIpImmutable,
    pvc_spec_immutable => "pvc-spec-immutable" => PvcSpecImmutable,
    pvc_expansion_unsupported => "pvc-expansion-unsupported" => PvcExpansionUnsupported,
    immutable_config_changed => "immutable-config-changed" => ImmutableConfigChanged,
    persistent_storage_removed => "persistent-storage-removed" => PersistentStorageRemoved,
    scale_down_deletes_claims => "scale-down-deletes-claims" => ScaleDownDeletesClaims,
}

/// Every rule, in catalogue order.
pub fn registry() -> &'static [RuleEntry] {
    static REGISTRY: OnceLock<Vec<RuleEntry>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        ENTRIES
            .iter()
            .map(|&(id, text, rule)| {
                // The data files are part of the binary and checked by tests: a bad one is a
                // build defect, not a user error.
                let doc: RuleDoc =
                    toml::from_str(text).unwrap_or_else(|e| panic!("rules/{id}.toml: {e}"));
                let severity = Severity::parse(&doc.severity)
                    .unwrap_or_else(|| panic!("rules/{id}.toml: bad severity"));
                RuleEntry {
                    id,
                    rule,
                    doc,
                    severity,
                }
            })
            .collect()
    })
}

/// Whether `name` is a rule id, a category or `all`: what `--select`, the configuration and
/// suppressions accept.
pub fn is_known_name(name: &str) -> bool {
    name == "all"
        || name.starts_with("policy:")
        || registry()
            .iter()
            .any(|r| r.id == name || r.doc.category == name)
}

/// "; did you mean `x`?" for the rule id or category closest to `name`, else nothing.
pub fn did_you_mean(name: &str) -> String {
    let names = registry()
        .iter()
        .flat_map(|r| [r.id, r.doc.category.as_str()]);
    crate::kube::closest(name, names).map_or_else(String::new, |c| format!("; did you mean `{c}`?"))
}

pub fn find(id: &str) -> Option<&'static RuleEntry> {
    registry().iter().find(|r| r.id == id)
}
