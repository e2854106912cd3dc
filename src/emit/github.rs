//! GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

use crate::diagnostic::Severity;
use crate::session::Report;
use std::fmt::Write;

/// Message text: `%`, CR and LF are escaped.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Property values: also `:` and `,`, which separate properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let (path, start, end) = super::located(report, d);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = super::visible(&d.message, true).into_owned();
        if let Some(help) = &d.help {
            message.push_str(&format!("\n{}", super::visible(help, true)));
        }
        for related in super::related_lines(report, d) {
            message.push_str(&format!("\nsee {}", super::visible(&related, true)));
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&super::visible(path.trim_start_matches("./"), true)),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&format!("stslint {}", d.rule)),
            escape_data(&message)
        );
    }
    out
}
