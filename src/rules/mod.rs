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
/// after it ran), `hook-skipped` (Helm neither runs nor installs it),
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
    "probe-fails",
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

macro_rules! registry {
    ($($module:ident => $id:literal,)*) => {
        $(pub mod $module;)*

        pub mod ids {
            $(#[allow(non_upper_case_globals)] pub const $module: &str = $id;)*
        }

        const ENTRIES: &[(&str, &str, &dyn Rule)] = &[
            $(($id, include_str!(concat!("../../rules/", $id, ".toml")), &$module::Check),)*
        ];
    };
}

registry! {
    unreadable_file => "unreadable-file",
    not_text => "not-text",
    unrendered_template => "unrendered-template",
    invalid_yaml => "invalid-yaml",
    alias_expansion_too_large => "alias-expansion-too-large",
    duplicate_key => "duplicate-key",
    missing_api_version => "missing-api-version",
    missing_kind => "missing-kind",
    missing_name => "missing-name",
    unknown_field => "unknown-field",
    invalid_field_type => "invalid-field-type",
    missing_required_field => "missing-required-field",
    suppression_missing_reason => "suppression-missing-reason",
    unused_suppression => "unused-suppression",
    statefulset_no_volume_claim_templates => "statefulset-no-volume-claim-templates",
    claim_template_missing_storage => "claim-template-missing-storage",
    invalid_storage_quantity => "invalid-storage-quantity",
    storage_decimal_suffix => "storage-decimal-suffix",
    claim_template_missing_name => "claim-template-missing-name",
    claim_template_missing_access_modes => "claim-template-missing-access-modes",
    invalid_access_mode => "invalid-access-mode",
    read_write_once_pod_not_alone => "read-write-once-pod-not-alone",
    claim_template_shared_access_mode => "claim-template-shared-access-mode",
    claim_template_no_storage_class => "claim-template-no-storage-class",
    volume_mount_not_found => "volume-mount-not-found",
    claim_template_not_mounted => "claim-template-not-mounted",
    claim_template_volume_name_conflict => "claim-template-volume-name-conflict",
    statefulset_missing_service_name => "statefulset-missing-service-name",
    statefulset_service_not_found => "statefulset-service-not-found",
    governing_service_not_headless => "governing-service-not-headless",
    governing_service_selector_mismatch => "governing-service-selector-mismatch",
    service_selects_no_pods => "service-selects-no-pods",
    service_target_port_not_found => "service-target-port-not-found",
    service_port_invalid => "service-port-invalid",
    service_headless_type_conflict => "service-headless-type-conflict",
    pod_management_policy_not_set => "pod-management-policy-not-set",
    invalid_pod_management_policy => "invalid-pod-management-policy",
    workload_selector_mismatch => "workload-selector-mismatch",
    invalid_update_strategy => "invalid-update-strategy",
    invalid_rolling_update => "invalid-rolling-update",
    partition_exceeds_replicas => "partition-exceeds-replicas",
    negative_replicas => "negative-replicas",
    invalid_pvc_retention_policy => "invalid-pvc-retention-policy",
    invalid_restart_policy => "invalid-restart-policy",
    removed_api_version => "removed-api-version",
    unknown_kind => "unknown-kind",
    unknown_api_version => "unknown-api-version",
    statefulset_name_too_long => "statefulset-name-too-long",
    invalid_field_value => "invalid-field-value",
    invalid_name_format => "invalid-name-format",
    invalid_label => "invalid-label",
    invalid_label_selector => "invalid-label-selector",
    resource_requests_exceed_limits => "resource-requests-exceed-limits",
    invalid_container_port => "invalid-container-port",
    duplicate_container_name => "duplicate-container-name",
    duplicate_volume_name => "duplicate-volume-name",
    duplicate_mount_path => "duplicate-mount-path",
    invalid_container_port_name => "invalid-container-port-name",
    probe_port_not_found => "probe-port-not-found",
    probe_protocol_mismatch => "probe-protocol-mismatch",
    pdb_invalid_budget => "pdb-invalid-budget",
    pdb_selects_no_pods => "pdb-selects-no-pods",
    pdb_blocks_all_evictions => "pdb-blocks-all-evictions",
    affinity_selects_no_pods => "affinity-selects-no-pods",
    helm_hook_missing_delete_policy => "helm-hook-missing-delete-policy",
    invalid_helm_hook_annotation => "invalid-helm-hook-annotation",
    storage_request_out_of_bounds => "storage-request-out-of-bounds",
    storage_class_not_allowed => "storage-class-not-allowed",
    service_type_not_allowed => "service-type-not-allowed",
    service_target_port_not_exposed => "service-target-port-not-exposed",
    statefulset_no_pdb => "statefulset-no-pdb",
    pdb_unhealthy_pod_eviction_policy => "pdb-unhealthy-pod-eviction-policy",
    no_pod_anti_affinity => "no-pod-anti-affinity",
    missing_readiness_probe => "missing-readiness-probe",
    missing_resource_requests => "missing-resource-requests",
    image_tag_latest => "image-tag-latest",
    service_exposed => "service-exposed",
    statefulset_spec_immutable => "statefulset-spec-immutable",
    claim_template_immutable => "claim-template-immutable",
    selector_immutable => "selector-immutable",
    job_spec_immutable => "job-spec-immutable",
    service_cluster_ip_immutable => "service-cluster-ip-immutable",
    pvc_spec_immutable => "pvc-spec-immutable",
    pvc_expansion_unsupported => "pvc-expansion-unsupported",
    immutable_config_changed => "immutable-config-changed",
    persistent_storage_removed => "persistent-storage-removed",
    scale_down_deletes_claims => "scale-down-deletes-claims",
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
