//! `{"version": 1, "findings": [...], "summary": {...}}`: the stable machine contract.

use super::{count, range};
use crate::diagnostic::Severity;
use crate::lint::Report;
use serde_json::{json, Value};

pub fn findings(report: &Report) -> Vec<Value> {
    report
        .diagnostics
        .iter()
        .map(|d| {
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
        })
        .collect()
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

pub fn render(report: &Report) -> String {
    let value = json!({
        "version": 1,
        "findings": findings(report),
        "summary": summary(report),
    });
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}
