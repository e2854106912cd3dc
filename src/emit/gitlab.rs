//! GitLab Code Quality report: the findings appear in the merge request's Code Quality widget
//! and in the diff (`artifacts: reports: codequality: stslint.json`).

use crate::diagnostic::Severity;
use crate::session::Report;
use serde_json::json;

pub fn render(report: &Report) -> String {
    let issues: Vec<serde_json::Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let file = &report.files[d.file];
            let (path, start, end) = super::located(report, d);
            let mut description = d.message.clone();
            if let Some(help) = &d.help {
                description.push_str(&format!(" — {help}"));
            }
            for related in super::related_lines(report, d) {
                description.push_str(&format!(" — see {related}"));
            }
            json!({
                "type": "issue",
                "check_name": d.rule,
                "description": description,
                "categories": ["Bug Risk"],
                // GitLab's scale: info, minor, major, critical, blocker.
                "severity": match d.severity {
                    Severity::Error => "critical",
                    Severity::Warning => "major",
                    Severity::Info => "info",
                },
                // GitLab deduplicates issues across pipelines by fingerprint.
                "fingerprint": crate::fingerprint::fingerprint(d, &file.name),
                "location": {
                    "path": path.trim_start_matches("./"),
                    "positions": {
                        "begin": {"line": start.line, "column": start.column},
                        "end": {"line": end.line, "column": end.column},
                    },
                },
            })
        })
        .collect();
    serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into()) + "\n"
}
