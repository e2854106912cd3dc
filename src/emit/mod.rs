//! Renderers: one module per output format, all views of the same [`Report`].

pub mod compact;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::Report;
use crate::source::Position;

/// Start and end of a diagnostic's span, 1-based.
pub fn range(report: &Report, file: usize, span: &std::ops::Range<usize>) -> (Position, Position) {
    let source = &report.files[file];
    (source.position(span.start), source.position(span.end))
}

pub fn count(report: &Report, severity: Severity) -> usize {
    report
        .diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .count()
}

/// Where CI annotations put a finding: the source template or base file for rendered objects,
/// else the linted file. Returns the path and 1-based start and end (line, column).
pub fn located(report: &Report, d: &Diagnostic) -> (String, Position, Position) {
    if let Some(source) = &d.source {
        let at = Position {
            line: source.line,
            column: source.column,
            column_utf16: source.column,
        };
        return (source.path.clone(), at, at);
    }
    let file = &report.files[d.file];
    let (start, end) = range(report, d.file, &d.span);
    (file.name.clone(), start, end)
}

/// "StatefulSet default/web (template python-app/templates/statefulset.yaml)".
pub fn object_line(d: &Diagnostic) -> Option<String> {
    let object = d.object.as_ref()?;
    Some(match &d.helm_source {
        Some(template) => format!("{object} (from {template})"),
        None => object.to_string(),
    })
}
