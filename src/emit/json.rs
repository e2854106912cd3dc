//! `{"version": 1, "findings": [...], "summary": {...}}`: the stable machine contract.

use super::{count, range};
use crate::diagnostic::Severity;
use crate::session::Report;
use serde_json::{json, Value};

/// One finding as JSON.
fn finding(report: &Report, d: &crate::diagnostic::Diagnostic) -> Value {
    let (start, end) = range(report, d.file, &d.span);
    let related: Vec<Value> = d
        .related
        .iter()
        .map(|r| {
            let (s, e) = range(report, r.file, &r.span);
            let mut value = json!({
                "file": report.files[r.file].name,
                "line": s.line, "column": s.column,
                "end_line": e.line, "end_column": e.column,
                "message": r.message,
            });
            // In a previous render: the template or base file at that revision.
            if let Some(source) = &r.source {
                value["source"] = json!({
                    "path": source.path, "line": source.line, "column": source.column,
                });
            }
            value
        })
        .collect();
    json!({
        "rule": d.rule,
        "severity": d.severity.as_str(),
        "message": d.message,
        "file": report.files[d.file].name,
        "line": start.line,
        "column": start.column,
        "end_line": end.line,
        "end_column": end.column,
        "object": d.object.as_ref().map(|o| json!({
            "apiVersion": o.api_version, "kind": o.kind, "namespace": o.namespace, "name": o.name,
        })),
        "helm_source": d.helm_source,
        "source": d.source.as_ref().map(|s| json!({
            "path": s.path, "line": s.line, "column": s.column,
        })),
        "path": d.path,
        "claim": d.claim.or_else(|| crate::rules::find(d.rule).map(|r| r.doc.claim.as_str())),
        "fingerprint": crate::fingerprint::fingerprint(d, &report.files[d.file].name),
        "help": d.help,
        "related": related,
        "fix": d.fix.as_ref().map(|fix| {
            let file = &report.files[d.file];
            json!({
                "title": fix.title,
                "applicability": fix.applicability.as_str(),
                "edits": fix.edits.iter().map(|e| {
                    let (start, end) = (file.position(e.span.start), file.position(e.span.end));
                    json!({
                        "start": {"line": start.line, "column": start.column, "offset": e.span.start},
                        "end": {"line": end.line, "column": end.column, "offset": e.span.end},
                        "content": e.replacement,
                    })
                }).collect::<Vec<_>>(),
            })
        }),
    })
}

pub fn summary(report: &Report) -> Value {
    json!({
        "files": report.stats.files,
        "documents": report.stats.documents,
        "objects": report.stats.objects,
        "skipped_documents": report.stats.skipped_documents,
        "errors": count(report, Severity::Error),
        "warnings": count(report, Severity::Warning),
        "infos": count(report, Severity::Info),
    })
}

/// The same text as pretty-printing the whole document, written finding by finding: 80,000
/// findings never exist as one JSON tree.
pub fn render(report: &Report) -> String {
    let mut out = String::from("{\n  \"version\": 1,\n  \"findings\": [");
    for (i, d) in report.diagnostics.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        indented(&mut out, &finding(report, d), "    ", true);
    }
    if !report.diagnostics.is_empty() {
        out.push_str("\n  ");
    }
    out.push_str("],\n  \"summary\": ");
    indented(&mut out, &summary(report), "  ", false);
    out.push_str("\n}\n");
    out
}

/// `value` pretty-printed, each line after the first (or every line) indented by `indent`.
fn indented(out: &mut String, value: &Value, indent: &str, first_too: bool) {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if i > 0 || first_too {
            out.push_str(indent);
        }
        out.push_str(line);
    }
}
