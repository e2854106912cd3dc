//! Renderers: one module per output format, all views of the same [`Report`].

pub mod compact;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::diagnostic::{Diagnostic, Severity};
use crate::session::Report;
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

/// Text from the inputs (values, file names) made safe for a terminal: control characters
/// (ESC, BEL, CR, C1 controls such as the OSC that writes the clipboard) become visible
/// `\u{1b}` escapes, so a manifest cannot drive the terminal that shows its findings. With
/// `single_line`, newlines are escaped too (a file name must not split a compact line).
pub fn visible(text: &str, single_line: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && !(c == '\t' || (c == '\n' && !single_line)))
            || matches!(c, '\u{2028}' | '\u{2029}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A source text for a code frame with every control character replaced by one of the same
/// UTF-8 length (`?` or `¿`), so spans still line up and nothing reaches the terminal raw.
pub fn visible_source(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' | '\r' => c,
            c if c.is_control() && c.len_utf8() == 1 => '?',
            c if c.is_control() => '\u{bf}',
            c => c,
        })
        .collect()
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

/// A finding's related locations as `file:line:column: message` (a previous version shows as
/// `REV:path:line:column`), for formats that have no place of their own for them.
pub fn related_lines(report: &Report, d: &Diagnostic) -> Vec<String> {
    d.related
        .iter()
        .map(|r| match &r.source {
            Some(source) => format!(
                "{}:{}:{}: {}",
                source.path, source.line, source.column, r.message
            ),
            None => {
                let (start, _) = range(report, r.file, &r.span);
                format!(
                    "{}:{}:{}: {}",
                    report.files[r.file].name, start.line, start.column, r.message
                )
            }
        })
        .collect()
}
