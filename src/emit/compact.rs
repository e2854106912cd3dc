//! `file:line:col: severity [rule-id] message`, one line per finding: for editors and grep.

use crate::session::Report;
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        // A rendered object's finding at the template or base file a human edits.
        let (path, start, _) = super::located(report, d);
        let see: String = super::related_lines(report, d)
            .iter()
            .map(|r| format!(" (see {})", super::visible(r, true)))
            .collect();
        let _ = writeln!(
            out,
            "{}:{}:{}: {} [{}] {}{see}",
            super::visible(&path, true),
            start.line,
            start.column,
            d.severity.as_str(),
            d.rule,
            super::visible(&d.message, true)
        );
    }
    out
}
