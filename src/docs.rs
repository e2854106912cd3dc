//! Documentation generated from the catalogue (the README's rules table).

use crate::rules::registry;

/// A Markdown table of every rule: id, category, default severity, on by default, summary.
pub fn rules_table() -> String {
    let mut out = String::from(
        "| rule | category | severity | default | what it catches |\n|---|---|---|---|---|\n",
    );
    for rule in registry() {
        let d = &rule.doc;
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            rule.id,
            d.category,
            d.severity,
            if d.enabled { "on" } else { "opt-in" },
            d.summary.replace('|', "\\|")
        ));
    }
    out
}

/// One row of the Kubernetes validation coverage table (`rules/coverage/kubernetes.toml`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageRow {
    pub kind: String,
    pub field: String,
    pub check: String,
    pub source: String,
    /// The rule that catches it, or empty with `why_not`.
    pub rule: String,
    pub why_not: Option<String>,
    /// A manifest that breaks the check, and where the rule reports it.
    pub example: Option<String>,
    pub expect: Option<String>,
}

#[derive(serde::Deserialize)]
struct Coverage {
    row: Vec<CoverageRow>,
}

/// The coverage table's rows, embedded like the rule catalogue.
pub fn coverage() -> Vec<CoverageRow> {
    let text = include_str!("../rules/coverage/kubernetes.toml");
    // Part of the binary and checked by tests: a bad file is a build defect.
    toml::from_str::<Coverage>(text)
        .unwrap_or_else(|e| panic!("rules/coverage/kubernetes.toml: {e}"))
        .row
}

/// A Markdown table: each API server check, and the rule that catches it or why none does.
pub fn coverage_table() -> String {
    let mut out = String::from(
        "| object | field | the API server requires | source | stslint |\n|---|---|---|---|---|\n",
    );
    for row in coverage() {
        let covered = if row.rule.is_empty() {
            format!("— {}", row.why_not.as_deref().unwrap_or_default())
        } else {
            format!("`{}`", row.rule)
        };
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            row.kind,
            row.field,
            row.check.replace('|', "\\|"),
            row.source,
            covered.replace('|', "\\|")
        ));
    }
    out
}
