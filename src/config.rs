//! `.stslint.toml`: found in the working directory or a parent, or named with `--config`.
//!
//! TOML rather than YAML: a configuration for a YAML linter should not have YAML's own traps
//! (`on`, `no`, `0644`), and TOML is what Rust tooling users already write (`ruff.toml`,
//! `clippy.toml`, `deny.toml`). Every error names the file, line and column.

use crate::diagnostic::Severity;
use crate::quantity;
use crate::settings::parse_kubernetes_version;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const FILE_NAME: &str = ".stslint.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    Error,
    Warning,
    Info,
}

impl From<SeverityName> for Severity {
    fn from(s: SeverityName) -> Severity {
        match s {
            SeverityName::Error => Severity::Error,
            SeverityName::Warning => Severity::Warning,
            SeverityName::Info => Severity::Info,
        }
    }
}

/// The configuration file.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "stslint configuration (.stslint.toml)")]
pub struct Config {
    /// Lowest severity that makes `stslint check` exit 1 (default `error`).
    pub fail_on: Option<FailOn>,
    /// Kubernetes version removed APIs are checked against, e.g. "1.29".
    #[schemars(with = "Option<String>")]
    pub kubernetes_version: Option<Spanned<String>>,
    /// Namespace that objects without `metadata.namespace` are applied to.
    pub namespace: Option<String>,
    /// Paths (globs) skipped when walking directories.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Run only these rules or categories (`all` for every rule).
    #[schemars(with = "Option<Vec<String>>")]
    pub select: Option<Vec<Spanned<String>>>,
    /// Run these rules or categories in addition (opt-in rules included).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub extend_select: Vec<Spanned<String>>,
    /// Never run these rules or categories.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub ignore: Vec<Spanned<String>>,
    /// Also run every opt-in rule.
    #[serde(default)]
    pub enable_opt_in: bool,
    /// Per rule (by id) or category: on/off, severity and the rule's options.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RuleConfig>")]
    pub rules: BTreeMap<Spanned<String>, RuleConfig>,
    /// Objects that exist in the cluster but not in the linted files (a Service created by
    /// another chart), so reference rules do not report them as missing.
    #[serde(default)]
    pub known_objects: Vec<KnownObject>,
}

#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleConfig {
    /// Run the rule (or the category's rules), even when opt-in; `false` turns it off.
    pub enabled: Option<bool>,
    /// Report its findings at this severity.
    pub severity: Option<SeverityName>,
    /// `storage-request-out-of-bounds`: the smallest storage request allowed, e.g. "1Gi".
    #[schemars(with = "Option<String>")]
    pub min: Option<Spanned<String>>,
    /// `storage-request-out-of-bounds`: the largest storage request allowed, e.g. "2Ti".
    #[schemars(with = "Option<String>")]
    pub max: Option<Spanned<String>>,
    /// `storage-class-not-allowed`: storage classes claim templates may use;
    /// `service-type-not-allowed`: Service types allowed.
    #[schemars(with = "Option<Vec<String>>")]
    pub allowed: Option<Spanned<Vec<String>>>,
}

/// Per-rule options after validation, as rules read them.
#[derive(Debug, Clone, Default)]
pub struct RuleOptions {
    pub min_storage: Option<(String, f64)>,
    pub max_storage: Option<(String, f64)>,
    pub allowed: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KnownObject {
    pub kind: String,
    pub name: String,
    /// Omit for an object that matches any namespace.
    pub namespace: Option<String>,
}

/// A configuration problem, with the file position when there is one.
#[derive(Debug)]
pub struct ConfigError {
    pub file: PathBuf,
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some((line, column)) => write!(
                f,
                "{}:{line}:{column}: {}",
                self.file.display(),
                self.message
            ),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// `.stslint.toml` in `start` or its nearest parent that has one.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Which rules take which options.
const OPTIONS: &[(&str, &[&str])] = &[
    ("storage-request-out-of-bounds", &["min", "max"]),
    ("storage-class-not-allowed", &["allowed"]),
    ("service-type-not-allowed", &["allowed"]),
];

pub struct Loaded {
    pub config: Config,
    pub options: BTreeMap<String, RuleOptions>,
}

pub fn load(path: &Path) -> Result<Loaded, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: path.to_owned(),
        position: None,
        message: format!("cannot read the configuration: {e}"),
    })?;
    let error_at = |span: Option<std::ops::Range<usize>>, message: String| ConfigError {
        file: path.to_owned(),
        position: span.map(|s| line_column(&text, s.start)),
        message,
    };
    let config: Config =
        toml::from_str(&text).map_err(|e| error_at(e.span(), e.message().trim().to_string()))?;

    if let Some(v) = &config.kubernetes_version {
        if parse_kubernetes_version(v.get_ref()).is_none() {
            return Err(error_at(
                Some(v.span()),
                format!(
                    "`{}` is not a Kubernetes version: write MAJOR.MINOR, e.g. \"1.29\"",
                    v.get_ref()
                ),
            ));
        }
    }
    let known = |name: &str| {
        name == "all"
            || crate::rules::registry()
                .iter()
                .any(|r| r.id == name || r.doc.category == name)
    };
    for name in config
        .select
        .iter()
        .flatten()
        .chain(&config.extend_select)
        .chain(&config.ignore)
    {
        if !known(name.get_ref()) {
            return Err(error_at(
                Some(name.span()),
                format!(
                    "unknown rule or category `{}`; `stslint rules` lists them",
                    name.get_ref()
                ),
            ));
        }
    }
    let mut options = BTreeMap::new();
    for (name, rule) in &config.rules {
        if !known(name.get_ref()) || name.get_ref() == "all" {
            return Err(error_at(
                Some(name.span()),
                format!(
                    "unknown rule or category `{}`; `stslint rules` lists them",
                    name.get_ref()
                ),
            ));
        }
        let accepted = OPTIONS
            .iter()
            .find(|(id, _)| id == name.get_ref())
            .map_or(&[][..], |(_, o)| o);
        let given: [(&str, Option<std::ops::Range<usize>>); 3] = [
            ("min", rule.min.as_ref().map(Spanned::span)),
            ("max", rule.max.as_ref().map(Spanned::span)),
            ("allowed", rule.allowed.as_ref().map(Spanned::span)),
        ];
        for (option, span) in given {
            if span.is_some() && !accepted.contains(&option) {
                return Err(error_at(
                    span,
                    format!("rule `{}` takes no option `{option}`", name.get_ref()),
                ));
            }
        }
        let parsed = rule_options(rule).map_err(|(span, message)| error_at(span, message))?;
        options.insert(name.get_ref().clone(), parsed);
    }
    Ok(Loaded { config, options })
}

/// A rule's options, checked: storage bounds must be quantities.
pub fn rule_options(
    rule: &RuleConfig,
) -> Result<RuleOptions, (Option<std::ops::Range<usize>>, String)> {
    let bound = |value: &Option<Spanned<String>>| match value {
        None => Ok(None),
        Some(v) => match quantity::parse(v.get_ref()) {
            Some(q) if !q.negative => Ok(Some((v.get_ref().clone(), q.as_f64()))),
            _ => Err((
                Some(v.span()),
                format!("`{}` is not a storage quantity, e.g. \"10Gi\"", v.get_ref()),
            )),
        },
    };
    Ok(RuleOptions {
        min_storage: bound(&rule.min)?,
        max_storage: bound(&rule.max)?,
        allowed: rule.allowed.as_ref().map(|a| a.get_ref().clone()),
    })
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// The JSON schema of `.stslint.toml`, for editors (`stslint.schema.json` in the repository).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Config);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
