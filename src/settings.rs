//! Which rules run and how they are reported: built from flags (and later a config file).

use crate::diagnostic::Severity;
use crate::rules::Options;
use crate::rules::RuleEntry;
use crate::workspace::KnownObject;
use std::collections::BTreeMap;

#[derive(Clone)]
pub struct Settings {
    /// Rule ids or categories to run instead of the defaults (`all` for every rule).
    pub select: Vec<String>,
    /// Rule ids or categories to run in addition to the selected ones (opt-in rules included).
    pub extend_select: Vec<String>,
    /// Rule ids or categories never to run.
    pub ignore: Vec<String>,
    /// Also run the opt-in rules.
    pub enable_opt_in: bool,
    /// Severity overrides by rule id or category.
    pub severity: BTreeMap<String, Severity>,
    /// Namespace of objects without `metadata.namespace` (`--namespace`).
    pub namespace: Option<String>,
    pub kubernetes_version: (u32, u32),
    /// Rules (by id or category) turned on or off by the configuration file.
    pub enabled: BTreeMap<String, bool>,
    /// Per-rule options from the configuration file.
    pub options: BTreeMap<String, Options>,
    /// Objects that exist outside the linted files.
    pub known_objects: Vec<KnownObject>,
    /// Report everything, suppressed or not (`--no-suppressions`, for audits).
    pub no_suppressions: bool,
    /// The project's own policies (`[[policy]]` in the configuration).
    pub project_policies: Vec<ProjectPolicy>,
}

/// A `[[policy]]` of the configuration: a small rule of the project's, written as a
/// ValidatingAdmissionPolicy's validations are, without writing one. Its findings are
/// `policy:<name>` and claim nothing about the cluster: the project enforces it, not the API
/// server.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProjectPolicy {
    /// Its name: findings are `policy:<name>`.
    pub name: String,
    /// The objects it applies to; every object when empty.
    #[serde(default, rename = "match")]
    pub matches: PolicyMatch,
    /// `deny` (an error, the default), `warn` (a warning) or `audit` (info).
    #[serde(default)]
    pub action: PolicyAction,
    /// CEL expressions over `object` (and `namespaceObject`; `objects["Kind"][namespace][name]`
    /// looks up another linted object, namespace empty for cluster-scoped kinds), each true
    /// for a compliant object.
    pub validations: Vec<PolicyValidation>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PolicyMatch {
    /// Kinds (`StatefulSet`); any when empty.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Namespaces (objects without one are in `--namespace`, else `default`); any when empty.
    #[serde(default)]
    pub namespaces: Vec<String>,
    /// Labels the object must carry, each with this value.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PolicyAction {
    #[default]
    Deny,
    Warn,
    Audit,
}

#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PolicyValidation {
    pub expression: String,
    pub message: Option<String>,
    /// A CEL expression giving the message (a string).
    pub message_expression: Option<String>,
    /// Where the finding points (`spec.serviceName`, `spec.containers[0].image`); else at
    /// the field the expression reads first.
    pub field_path: Option<String>,
}

pub use crate::kube::DEFAULT_KUBERNETES_VERSION;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            select: Vec::new(),
            extend_select: Vec::new(),
            ignore: Vec::new(),
            enable_opt_in: false,
            severity: BTreeMap::new(),
            namespace: None,
            kubernetes_version: DEFAULT_KUBERNETES_VERSION,
            enabled: BTreeMap::new(),
            options: BTreeMap::new(),
            known_objects: Vec::new(),
            no_suppressions: false,
            project_policies: Vec::new(),
        }
    }
}

impl Settings {
    pub fn is_enabled(&self, rule: &RuleEntry) -> bool {
        let names = |list: &[String]| {
            list.iter()
                .any(|s| s == rule.id || *s == rule.doc.category || s == "all")
        };
        if names(&self.ignore) {
            return false;
        }
        // Input problems are always shown unless ignored by name: a file nobody could read
        // must not pass silently because of a narrow --select.
        if rule.doc.category == "input" {
            return true;
        }
        if names(&self.extend_select) {
            return true;
        }
        if let Some(&on) = self
            .enabled
            .get(rule.id)
            .or_else(|| self.enabled.get(&rule.doc.category))
        {
            return on;
        }
        if !self.select.is_empty() {
            return names(&self.select);
        }
        rule.doc.enabled || self.enable_opt_in
    }

    /// Whether the findings of a policy (`policy:<name>`, of category `policy`) are reported:
    /// by default they are, as the cluster enforces them.
    pub fn is_policy_enabled(&self, id: &str) -> bool {
        let names = |list: &[String]| list.iter().any(|s| s == id || s == "policy" || s == "all");
        if names(&self.ignore) {
            return false;
        }
        if names(&self.extend_select) {
            return true;
        }
        if let Some(&on) = self.enabled.get(id).or_else(|| self.enabled.get("policy")) {
            return on;
        }
        if !self.select.is_empty() {
            return names(&self.select);
        }
        true
    }

    /// The severity a policy's finding is reported at: its binding's action's, unless the
    /// configuration names the policy or the `policy` category.
    pub fn policy_severity(&self, id: &str, action: Severity) -> Severity {
        self.severity
            .get(id)
            .or_else(|| self.severity.get("policy"))
            .copied()
            .unwrap_or(action)
    }

    pub fn severity_of(&self, rule: &RuleEntry) -> Severity {
        self.severity
            .get(rule.id)
            .or_else(|| self.severity.get(&rule.doc.category))
            .copied()
            .unwrap_or(rule.severity)
    }
}

/// The oldest Kubernetes version whose API removals and immutable fields stslint knows.
pub const OLDEST_KUBERNETES_VERSION: (u32, u32) = (1, 16);

/// `MAJOR.MINOR` (a `v` and a patch number allowed), within the versions stslint knows:
/// [`OLDEST_KUBERNETES_VERSION`] to [`DEFAULT_KUBERNETES_VERSION`]. `Err` says why not, for
/// the flag and the configuration file alike.
pub fn parse_kubernetes_version(text: &str) -> Result<(u32, u32), String> {
    let (oldest, newest) = (OLDEST_KUBERNETES_VERSION, DEFAULT_KUBERNETES_VERSION);
    let known = format!(
        "stslint knows {}.{} to {}.{}",
        oldest.0, oldest.1, newest.0, newest.1
    );
    let trimmed = text.strip_prefix('v').unwrap_or(text);
    let mut parts = trimmed.split('.');
    let number = |part: Option<&str>| part.and_then(|p| p.parse::<u32>().ok());
    let (Some(major), Some(minor)) = (number(parts.next()), number(parts.next())) else {
        return Err(format!(
            "`{text}` is not a Kubernetes version: write MAJOR.MINOR, e.g. \"{}.{}\"",
            newest.0, newest.1
        ));
    };
    if parts
        .next()
        .is_some_and(|patch| patch.parse::<u32>().is_err())
        || parts.next().is_some()
    {
        return Err(format!(
            "`{text}` is not a Kubernetes version: write MAJOR.MINOR, e.g. \"{}.{}\"",
            newest.0, newest.1
        ));
    }
    if (major, minor) < oldest || (major, minor) > newest {
        return Err(format!(
            "Kubernetes {major}.{minor} is not a version stslint can check: {known}"
        ));
    }
    Ok((major, minor))
}
