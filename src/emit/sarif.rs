//! SARIF 2.1.0 for code-scanning services (GitHub, GitLab, Azure DevOps). Columns are UTF-16
//! code units, as `run.columnKind` says; fingerprints survive lines moving.

use crate::diagnostic::Severity;
use crate::fingerprint::fingerprint;
use crate::rules::registry;
use crate::session::Report;
use crate::source::Position;
use serde_json::{json, Value};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path stays relative to `%SRCROOT%` (the working directory); an absolute one
/// becomes a `file://` URI.
fn artifact(name: &str) -> Value {
    let encoded: String = name
        .trim_start_matches("./")
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '%' => "%25".to_string(),
            '#' => "%23".to_string(),
            '?' => "%3F".to_string(),
            // `HEAD~1:deploy/db.yaml` (a previous version) must not read as a URI scheme.
            ':' => "%3A".to_string(),
            c => c.to_string(),
        })
        .collect();
    if name.starts_with('/') {
        json!({ "uri": format!("file://{encoded}") })
    } else {
        json!({ "uri": encoded, "uriBaseId": "%SRCROOT%" })
    }
}

fn region(start: Position, end: Position) -> Value {
    json!({
        "startLine": start.line,
        "startColumn": start.column_utf16,
        "endLine": end.line,
        "endColumn": end.column_utf16,
    })
}

pub fn render(report: &Report) -> String {
    let mut rules: Vec<Value> = registry()
        .iter()
        .map(|r| {
            let mut rule = json!({
                "id": r.id,
                "name": r.id.split('-').map(|w| w[..1].to_uppercase() + &w[1..]).collect::<String>(),
                "shortDescription": { "text": r.doc.summary },
                "fullDescription": { "text": r.doc.why },
                "help": { "text": r.doc.fix, "markdown": format!("{}\n\n**Fix:** {}", r.doc.why, r.doc.fix) },
                "defaultConfiguration": { "level": level(r.severity), "enabled": r.doc.enabled },
                "properties": { "tags": [r.doc.category.clone()] },
            });
            rule["helpUri"] = json!(crate::docs::rule_url(r.id));
            rule
        })
        .collect();
    // The run's policies (`policy:<name>`) are rules too, after the catalogue's.
    let mut policies: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.rule)
        .filter(|id| id.starts_with("policy:"))
        .collect();
    policies.sort_unstable();
    policies.dedup();
    rules.extend(policies.iter().map(|id| {
        json!({
            "id": id,
            "name": id,
            "shortDescription": { "text": format!("ValidatingAdmissionPolicy `{}`", &id["policy:".len()..]) },
            "properties": { "tags": ["policy"] },
        })
    }));
    let index_of = |id: &str| {
        registry().iter().position(|r| r.id == id).or_else(|| {
            policies
                .iter()
                .position(|p| *p == id)
                .map(|i| registry().len() + i)
        })
    };
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let file = &report.files[d.file];
            let (path, start, end) = super::located(report, d);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str(&format!("\n{help}"));
            }
            let related: Vec<Value> = d
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let other = &report.files[r.file];
                    let physical = match &r.source {
                        // In a previous render: the template or base file at that revision.
                        Some(source) => json!({
                            "artifactLocation": artifact(&source.path),
                            "region": {"startLine": source.line, "startColumn": source.column},
                        }),
                        None => json!({
                            "artifactLocation": artifact(&other.name),
                            "region": region(other.position(r.span.start), other.position(r.span.end)),
                        }),
                    };
                    json!({
                        "id": i + 1,
                        "message": { "text": r.message },
                        "physicalLocation": physical,
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": d.rule,
                "ruleIndex": index_of(d.rule),
                "level": level(d.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact(&path),
                        "region": region(start, end),
                    },
                }],
                "partialFingerprints": { "stslint/v1": fingerprint(d, &file.name) },
            });
            if let Some(object) = &d.object {
                let name = match &d.path {
                    Some(path) => format!("{object} {path}"),
                    None => object.to_string(),
                };
                result["locations"][0]["logicalLocations"] = json!([{ "fullyQualifiedName": name, "kind": "object" }]);
            }
            // Fixes apply to the linted file (for a rendered chart, the rendered text).
            if let Some(fix) = d.fix.as_ref().filter(|_| d.source.is_none()) {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| json!({
                        "deletedRegion": region(file.position(e.span.start), file.position(e.span.end)),
                        "insertedContent": { "text": e.replacement },
                    }))
                    .collect();
                result["fixes"] = json!([{
                    "description": { "text": format!("{} ({})", fix.title, fix.applicability.as_str()) },
                    "artifactChanges": [{ "artifactLocation": artifact(&file.name), "replacements": replacements }],
                }]);
            }
            if !related.is_empty() {
                result["relatedLocations"] = json!(related);
            }
            result
        })
        .collect();
    let root = std::env::current_dir()
        .map(|d| format!("file://{}/", d.display()))
        .unwrap_or_default();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "stslint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/",
                "rules": rules,
            }},
            "originalUriBaseIds": { "%SRCROOT%": { "uri": root } },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&sarif).unwrap_or_default() + "\n"
}
