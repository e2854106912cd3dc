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
}

/// The Kubernetes version k8s-openapi is built for (feature `v1_35`).
pub const DEFAULT_KUBERNETES_VERSION: (u32, u32) = (1, 35);

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
