//! Renderers: one module per output format, all views of the same [`Report`].

pub mod compact;
pub mod github;
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

/// "StatefulSet default/web (template python-app/templates/statefulset.yaml)".
pub fn object_line(d: &Diagnostic) -> Option<String> {
    let object = d.object.as_ref()?;
    Some(match &d.helm_source {
        Some(template) => format!("{object} (from {template})"),
        None => object.to_string(),
    })
}
