//! `.stslint.toml`: found in the working directory or a parent, or named with `--config`.
//!
//! TOML rather than YAML: a configuration for a YAML linter should not have YAML's own traps
//! (`on`, `no`, `0644`), and TOML is what Rust tooling users already write (`ruff.toml`,
//! `clippy.toml`, `deny.toml`). Every error names the file, line and column.

use crate::diagnostic::Severity;
use crate::settings::{parse_kubernetes_version, Settings};
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
    /// Paths (globs) skipped when walking directories; a pattern with a `/` is relative to
    /// this file's directory.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub exclude: Vec<Spanned<String>>,
    /// Apply `exclude` to files named on the command line too (as pre-commit names them).
    #[serde(default)]
    pub force_exclude: bool,
    /// Leave out what `.gitignore` files ignore when walking directories (default true).
    pub respect_gitignore: Option<bool>,
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
    /// Files or directories of ValidatingAdmissionPolicies (with bindings and params) and
    /// CustomResourceDefinitions that every run checks objects against, relative to this
    /// file's directory (as `--policy`).
    #[serde(default)]
    pub policies: Vec<String>,
    /// The project's own policies: `[[policy]]` with `name`, `match` (`kinds`, `namespaces`,
    /// `labels`), `action` (`deny`, `warn` or `audit`) and `validations` (CEL `expression`,
    /// `message`, `messageExpression`), as a ValidatingAdmissionPolicy's are written.
    #[serde(default, rename = "policy")]
    #[schemars(rename = "policy")]
    pub project_policies: Vec<crate::settings::ProjectPolicy>,
    /// Objects that exist in the cluster but not in the linted files (a Service created by
    /// another chart), so reference rules do not report them as missing.
    #[serde(default)]
    pub known_objects: Vec<KnownObject>,
}

/// `[rules.<id or category>]`: on/off and severity for any rule or category; the other keys
/// are the rule's own options, declared and checked in its file (`Rule::configure`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct RuleConfig {
    /// Run the rule (or the category's rules), even when opt-in; `false` turns it off.
    pub enabled: Option<bool>,
    /// Report its findings at this severity.
    pub severity: Option<SeverityName>,
    /// The rule's options (see its documentation).
    #[serde(flatten)]
    #[schemars(skip)]
    pub options: toml::Table,
}

pub use crate::workspace::KnownObject;

/// A configuration problem, with the file position when there is one; `also`, the file's
/// other problems (all are said at once, not one per run).
#[derive(Debug)]
pub struct ConfigError {
    pub file: PathBuf,
    pub position: Option<(usize, usize)>,
    pub message: String,
    pub also: Vec<ConfigError>,
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
        }?;
        for other in &self.also {
            write!(f, "\nerror: {other}")?;
        }
        Ok(())
    }
}

/// Also read, as ruff reads `ruff.toml` beside `.ruff.toml`.
pub const OTHER_FILE_NAME: &str = "stslint.toml";

/// `.stslint.toml` (or `stslint.toml`) in `start` or its nearest parent that has one.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    start.ancestors().find_map(|dir| {
        [FILE_NAME, OTHER_FILE_NAME]
            .iter()
            .map(|name| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// A configuration file stslint does not read (another name or format), nearest first: worth a
/// warning, since its settings are silently not applied otherwise.
pub fn misnamed(start: &Path) -> Option<PathBuf> {
    const NAMES: &[&str] = &[
        ".stslint.yaml",
        ".stslint.yml",
        ".stslint.json",
        "stslint.yaml",
        "stslint.yml",
        ".stslintrc",
        ".stslint",
    ];
    let start = start.canonicalize().ok()?;
    start.ancestors().find_map(|dir| {
        NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|p| p.is_file())
    })
}

pub struct Loaded {
    pub config: Config,
    pub options: BTreeMap<String, crate::rules::Options>,
}

/// Which configuration file the language server reads.
#[derive(Debug, Clone)]
pub enum Source {
    /// The one nearest the directory (`.stslint.toml` there or in a parent).
    Nearest,
    /// This file (`stslint server --config PATH`).
    File(PathBuf),
    /// None: the defaults (`--isolated`).
    Isolated,
}

/// Settings and exclusions from the configuration file `path`, or the defaults without one
/// (for the language server), or the configuration's errors (each at its line: the server
/// shows them there).
pub fn settings_for(
    path: Option<&Path>,
) -> Result<(Settings, crate::discover::Discovery), ConfigError> {
    let mut settings = Settings::default();
    let mut exclude = Vec::new();
    let mut respect_gitignore = true;
    let file = path.map(Path::to_path_buf).unwrap_or_default();
    if let Some(path) = path {
        let loaded = load(path)?;
        respect_gitignore = loaded.config.respect_gitignore.unwrap_or(true);
        exclude = loaded
            .apply(&mut settings)
            .1
            .iter()
            .map(|p| crate::discover::anchor_pattern(p, path.parent()))
            .collect();
    }
    let mut discovery =
        crate::discover::Discovery::new(&exclude, None).map_err(|e| ConfigError {
            file,
            position: None,
            message: e.to_string(),
            also: Vec::new(),
        })?;
    discovery.respect_gitignore = respect_gitignore;
    Ok((settings, discovery))
}

impl Loaded {
    /// Applies the configuration to `settings` (command-line flags go over it afterwards):
    /// its `fail-on`, and its exclusion patterns as written.
    pub fn apply(self, settings: &mut Settings) -> (Option<FailOn>, Vec<String>) {
        let c = self.config;
        if let Some(v) = c
            .kubernetes_version
            .as_ref()
            .and_then(|v| parse_kubernetes_version(v.get_ref()).ok())
        {
            settings.kubernetes_version = v;
        }
        settings.namespace = c.namespace;
        let exclude: Vec<String> = c.exclude.iter().map(|p| p.get_ref().clone()).collect();
        settings.select = c
            .select
            .into_iter()
            .flatten()
            .map(Spanned::into_inner)
            .collect();
        settings.extend_select = c
            .extend_select
            .into_iter()
            .map(Spanned::into_inner)
            .collect();
        settings.ignore = c.ignore.into_iter().map(Spanned::into_inner).collect();
        settings.enable_opt_in = c.enable_opt_in;
        settings.known_objects = c.known_objects;
        settings.project_policies = c.project_policies;
        for (name, rule) in c.rules {
            let name = name.into_inner();
            let has_options = !rule.options.is_empty();
            // Configuring a rule's options turns it on unless `enabled = false` says otherwise.
            if let Some(on) = rule.enabled.or(has_options.then_some(true)) {
                settings.enabled.insert(name.clone(), on);
            }
            if let Some(sev) = rule.severity {
                settings.severity.insert(name, sev.into());
            }
        }
        settings.options = self.options;
        (c.fail_on, exclude)
    }
}

pub fn load(path: &Path) -> Result<Loaded, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: path.to_owned(),
        position: None,
        message: format!("cannot read the configuration: {e}"),
        also: Vec::new(),
    })?;
    parse(path, &text)
}

/// A configuration's text, as read from `path` (named in errors).
pub fn parse(path: &Path, text: &str) -> Result<Loaded, ConfigError> {
    let error_at = |span: Option<std::ops::Range<usize>>, message: String| ConfigError {
        file: path.to_owned(),
        position: span.map(|s| line_column(text, s.start)),
        message,
        also: Vec::new(),
    };
    // Past decoding (which stops at its first error), every problem is collected.
    let mut errors = Vec::new();
    let config: Config = match toml::from_str(text) {
        Ok(config) => config,
        Err(e) => return Err(all_decoding_errors(text, e, error_at)),
    };

    if let Some(v) = &config.kubernetes_version {
        if let Err(why) = parse_kubernetes_version(v.get_ref()) {
            errors.push(error_at(Some(v.span()), why));
        }
    }
    for pattern in &config.exclude {
        if let Err(e) = globset::Glob::new(pattern.get_ref()) {
            errors.push(error_at(
                Some(pattern.span()),
                format!("`exclude`: `{}` is not a glob: {e}", pattern.get_ref()),
            ));
        }
    }
    let known = crate::rules::is_known_name;
    for name in config
        .select
        .iter()
        .flatten()
        .chain(&config.extend_select)
        .chain(&config.ignore)
    {
        if !known(name.get_ref()) {
            errors.push(error_at(
                Some(name.span()),
                format!(
                    "unknown rule or category `{}`{}; `stslint rules` lists them",
                    name.get_ref(),
                    crate::rules::did_you_mean(name.get_ref())
                ),
            ));
        }
    }
    for policy in &config.project_policies {
        let at = text
            .find(&format!("\"{}\"", policy.name))
            .map(|start| start..start + 1);
        let valid_name = !policy.name.is_empty()
            && policy
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
        if !valid_name {
            errors.push(error_at(
                at.clone(),
                format!(
                    "`[[policy]]` name `{}`: use letters, digits, `-`, `.` and `_`",
                    policy.name
                ),
            ));
        }
        for v in &policy.validations {
            for expression in std::iter::once(&v.expression).chain(&v.message_expression) {
                if let Err(why) = crate::policy::compiles(expression) {
                    errors.push(error_at(
                        at.clone(),
                        format!(
                            "`[[policy]]` `{}`: the expression `{expression}` does not compile: {why}",
                            policy.name
                        ),
                    ));
                }
            }
        }
    }
    let mut options = BTreeMap::new();
    for (name, rule) in &config.rules {
        if !known(name.get_ref()) || name.get_ref() == "all" {
            errors.push(error_at(
                Some(name.span()),
                format!(
                    "unknown rule or category `{}`{}; `stslint rules` lists them",
                    name.get_ref(),
                    crate::rules::did_you_mean(name.get_ref())
                ),
            ));
            continue;
        }
        let Some(entry) = crate::rules::find(name.get_ref()) else {
            // A category: only `enabled` and `severity`.
            if let Some(key) = rule.options.keys().next() {
                errors.push(error_at(
                    key_span(text, name.span().start, key),
                    format!(
                        "`{key}` is not a setting of category `{}`: options belong to rules",
                        name.get_ref()
                    ),
                ));
            }
            continue;
        };
        match entry.rule.configure(&rule.options) {
            Ok(Some(parsed)) => {
                options.insert(name.get_ref().clone(), parsed);
            }
            Ok(None) => {}
            Err(e) => {
                let span = e
                    .key
                    .as_deref()
                    .and_then(|key| key_span(text, name.span().start, key))
                    .or(Some(name.span()));
                let message = match &e.key {
                    Some(key) if !e.message.contains(key.as_str()) => {
                        format!("rule `{}`, option `{key}`: {}", name.get_ref(), e.message)
                    }
                    _ => format!("rule `{}`: {}", name.get_ref(), e.message),
                };
                errors.push(error_at(span, message));
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.position);
        let mut first = errors.remove(0);
        first.also = errors;
        return Err(first);
    }
    Ok(Loaded { config, options })
}

/// Every decoding problem of a configuration, not only the first serde meets: each top-level
/// key is decoded on its own (every field has a default), its problem placed at the key when
/// the key itself is unknown, else at the value. `first` alone when the text is not TOML.
fn all_decoding_errors(
    text: &str,
    first: toml::de::Error,
    error_at: impl Fn(Option<std::ops::Range<usize>>, String) -> ConfigError,
) -> ConfigError {
    let whole = error_at(first.span(), with_suggestion(first.message().trim()));
    let Ok(entries) = toml::from_str::<BTreeMap<Spanned<String>, Spanned<toml::Value>>>(text)
    else {
        return whole;
    };
    let mut errors = Vec::new();
    for (key, value) in &entries {
        let mut one = toml::Table::new();
        one.insert(key.get_ref().clone(), value.get_ref().clone());
        let Ok(alone) = toml::to_string(&one) else {
            continue;
        };
        if let Err(e) = toml::from_str::<Config>(&alone) {
            let message = e.message().trim();
            let at = if message.starts_with("unknown field") {
                key.span()
            } else {
                value.span()
            };
            errors.push(error_at(Some(at), with_suggestion(message)));
        }
    }
    if errors.is_empty() {
        return whole;
    }
    errors.sort_by_key(|e| e.position);
    let mut first = errors.remove(0);
    first.also = errors;
    first
}

/// serde's "unknown field `x`, expected one of `a`, `b`" (and "unknown variant"), with the
/// closest expected name: `fail_on` → did you mean `fail-on`?
fn with_suggestion(message: &str) -> String {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let (Some(given), Some(expected)) = (quoted.first(), quoted.get(1..)) else {
        return message.to_string();
    };
    let normalized = given.replace('_', "-").to_lowercase();
    let close = expected
        .iter()
        .find(|e| **e == normalized)
        .copied()
        .or_else(|| crate::kube::closest(given, expected.iter().copied()));
    match close {
        Some(c) if message.starts_with("unknown") => format!("{message}; did you mean `{c}`?"),
        _ => message.to_string(),
    }
}

/// Where `key = ...` is written after `from` (the rule's table): option errors point at it.
fn key_span(text: &str, from: usize, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = from.min(text.len());
    for line in text[offset..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let rest = trimmed
            .strip_prefix(key)
            .or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")));
        if rest.is_some_and(|r| r.trim_start().starts_with('=')) {
            let start = offset + line.len() - trimmed.len();
            return Some(start..start + key.len());
        }
        // `{ key = ... }` inline tables on the rule's own line.
        if let Some(at) = line
            .find(&format!("{key} ="))
            .or_else(|| line.find(&format!("{key}=")))
        {
            if line.contains('{') {
                return Some(offset + at..offset + at + key.len());
            }
        }
        offset += line.len();
    }
    None
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// The JSON schema of `.stslint.toml`, for editors (`stslint.schema.json` in the repository).
pub fn json_schema() -> String {
    let mut generator = schemars::SchemaGenerator::default();
    let schema = generator.root_schema_for::<Config>();
    let mut value = serde_json::to_value(&schema).unwrap_or_default();
    // Each rule with options gets its own entry under `rules`: the common keys plus the options
    // its file declares.
    let common = value
        .pointer("/$defs/RuleConfig/properties")
        .cloned()
        .unwrap_or_default();
    let mut per_rule = serde_json::Map::new();
    for entry in crate::rules::registry() {
        let Some(options) = entry.rule.options_schema(&mut generator) else {
            continue;
        };
        let options = serde_json::to_value(&options).unwrap_or_default();
        let mut properties = common.as_object().cloned().unwrap_or_default();
        if let Some(own) = options.get("properties").and_then(|p| p.as_object()) {
            properties.extend(own.clone());
        }
        let mut rule = serde_json::json!({
            "type": "object",
            "additionalProperties": false,
            "properties": properties,
        });
        if let Some(required) = options.get("required") {
            rule["required"] = required.clone();
        }
        if let Some(description) = options.get("description") {
            rule["description"] = description.clone();
        }
        per_rule.insert(entry.id.to_string(), rule);
    }
    if let Some(rules) = value.pointer_mut("/properties/rules") {
        rules["properties"] = serde_json::Value::Object(per_rule);
    }
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}
