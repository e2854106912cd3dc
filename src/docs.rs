//! Documentation generated from the catalogue: the README's rules table, and one page per
//! rule under `docs/rules/` that SARIF's `helpUri` and the language server's
//! `codeDescription` link to.

use crate::rules::{registry, RuleEntry};

/// Where a rule's page is published: in the project's repository (`repository` in
/// `Cargo.toml`, the one place that names the project's home).
pub fn rule_url(id: &str) -> String {
    format!(
        "{}/blob/main/docs/rules/{id}.md",
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// What a claim means, for a rule's page.
fn claim_meaning(claim: &str) -> &'static str {
    match claim {
        "apply-rejected" => {
            "the API server refuses the object (or the pods and claims its controller makes)"
        }
        "update-rejected" => "the API server refuses the change from the previous version",
        "no-endpoints" => "the Service gets no endpoints",
        "no-pod-dns" => "the pods get no DNS names",
        "evictions-blocked" => "voluntary evictions (drains, upgrades) are blocked",
        "hook-kept" => "Helm keeps the hook resource after it ran",
        "hook-skipped" => "Helm neither runs nor installs the hook",
        "field-dropped" => "the API server drops the field without an error",
        "probe-fails" => "the kubelet's probe cannot succeed",
        "claims-deleted" => "the StatefulSet controller deletes the claims (the data)",
        "claims-orphaned" => "the claims stay behind, bound to nothing",
        "input-unreadable" => "the file cannot be read as objects",
        _ => "nothing about the cluster: policy or advice, and the message says so",
    }
}

/// A rule's page (Markdown): what it checks, why, the claim the judge checks, examples, the
/// fix, options and references. Generated; `tests/docs.rs` keeps `docs/rules/` current.
pub fn rule_page(rule: &RuleEntry) -> String {
    let d = &rule.doc;
    let mut out = format!("# `{}`\n\n<!-- generated from rules/{}.toml by `UPDATE_DOCS=1 cargo test --test docs`: edit that file -->\n\n{}\n\n", rule.id, rule.id, d.summary);
    out.push_str(&format!(
        "| severity | category | default | claim | since |\n|---|---|---|---|---|\n| {} | {} | {} | `{}` | {} |\n\n",
        d.severity,
        d.category,
        if d.enabled { "on" } else { "opt-in" },
        d.claim,
        d.since
    ));
    out.push_str(&format!("## Why\n\n{}\n\n", d.why));
    out.push_str(&format!(
        "A finding claims: {}.{}\n\n",
        claim_meaning(&d.claim),
        if d.also_claims.is_empty() {
            String::new()
        } else {
            format!(
                " Some findings claim instead: {}.",
                d.also_claims
                    .iter()
                    .map(|c| format!("`{c}` ({})", claim_meaning(c)))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
    ));
    out.push_str(&format!("## Fix\n\n{}\n\n", d.fix));
    if let Some(previous) = &d.previous {
        out.push_str(&format!(
            "## Previous version\n\nThe examples are compared with this one (`--previous`):\n\n```yaml\n{}\n```\n\n",
            previous.trim_end()
        ));
    }
    if let Some(invalid) = &d.invalid {
        let at = if d.expect.is_empty() {
            String::new()
        } else {
            format!(" at line:column {}", d.expect.join(", "))
        };
        out.push_str(&format!(
            "## Example\n\nReported{at}:\n\n```yaml\n{}\n```\n\n",
            invalid.trim_end()
        ));
    }
    if let Some(valid) = &d.valid {
        out.push_str(&format!(
            "Not reported:\n\n```yaml\n{}\n```\n\n",
            valid.trim_end()
        ));
    }
    if let Some(options) = &d.options {
        let text = toml::to_string(options).unwrap_or_default();
        out.push_str(&format!(
            "## Options\n\nThe examples run with, in `.stslint.toml`:\n\n```toml\n[rules.{}]\n{}\n```\n\n",
            rule.id,
            text.trim_end()
        ));
    }
    out.push_str(&format!(
        "## Configuration\n\n```toml\n[rules.{}]\nenabled = {}\nseverity = \"{}\"\n```\n\nSuppress it on one object with the annotations `stslint.io/ignore: \"{}\"` and `stslint.io/ignore-reason`, or on a line with `# stslint: ignore[{}] REASON`.\n\n",
        rule.id, d.enabled, d.severity, rule.id, rule.id
    ));
    if !d.references.is_empty() {
        out.push_str("## References\n\n");
        for r in &d.references {
            out.push_str(&format!("- <{r}>\n"));
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The index of the rule pages (`docs/rules/README.md`): the rules table, each id a link.
pub fn rules_index() -> String {
    format!(
        "# Rules\n\n<!-- generated from rules/*.toml by `UPDATE_DOCS=1 cargo test --test docs` -->\n\n{}",
        table(|id| format!("[`{id}`]({id}.md)"))
    )
}

/// A Markdown table of every rule: id, category, default severity, on by default, summary.
pub fn rules_table() -> String {
    table(|id| format!("`{id}`"))
}

/// The rules table, each id written by `show`.
fn table(show: impl Fn(&str) -> String) -> String {
    let mut out = String::from(
        "| rule | category | severity | default | what it catches |\n|---|---|---|---|---|\n",
    );
    for rule in registry() {
        let d = &rule.doc;
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            show(rule.id),
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
