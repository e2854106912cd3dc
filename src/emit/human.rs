//! The terminal view: a code frame per finding (miette), labels on the exact span, help and
//! rule id; colour only when asked for.

use super::{count, object_line};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::Report;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;

struct View<'a> {
    diagnostic: &'a Diagnostic,
    help: Option<String>,
    source: NamedSource<std::sync::Arc<String>>,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedView>,
}

/// A related location in another file, shown as its own frame under the finding.
#[derive(Debug)]
struct RelatedView {
    message: String,
    source: NamedSource<std::sync::Arc<String>>,
    span: SourceSpan,
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for View<'_> {}

impl miette::Diagnostic for View<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.rule))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

impl fmt::Display for RelatedView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for RelatedView {}
impl miette::Diagnostic for RelatedView {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.message.clone()),
            self.span,
        ))))
    }
}

fn span(range: &std::ops::Range<usize>) -> SourceSpan {
    (range.start, range.end - range.start).into()
}

pub fn render(report: &Report, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    // Each file's text made terminal-safe once (the same Arc when it has no control character).
    let mut texts: Vec<Option<std::sync::Arc<String>>> = vec![None; report.files.len()];
    let mut text_of = |file: usize| -> std::sync::Arc<String> {
        texts[file]
            .get_or_insert_with(|| {
                let text = &report.files[file].text;
                if text
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
                {
                    std::sync::Arc::new(super::visible_source(text))
                } else {
                    text.clone()
                }
            })
            .clone()
    };
    for original in &report.diagnostics {
        // Values and names from the inputs reach the terminal only as visible text.
        let mut clean = original.clone();
        clean.message = super::visible(&original.message, false).into_owned();
        let d = &clean;
        let file = &report.files[d.file];
        let mut labels = vec![LabeledSpan::new_primary_with_span(None, span(&d.span))];
        let mut related = Vec::new();
        for r in &d.related {
            if r.file == d.file {
                labels.push(LabeledSpan::new_with_span(
                    Some(super::visible(&r.message, true).into_owned()),
                    span(&r.span),
                ));
            } else {
                let other = &report.files[r.file];
                related.push(RelatedView {
                    message: super::visible(&r.message, false).into_owned(),
                    source: NamedSource::new(super::visible(&other.name, true), text_of(r.file)),
                    span: span(&r.span),
                });
            }
        }
        let help = match (&d.help, object_line(d)) {
            (Some(h), Some(o)) => Some(format!("{h}\nin {o}")),
            (Some(h), None) => Some(h.clone()),
            (None, o) => o.map(|o| format!("in {o}")),
        }
        .map(|h| super::visible(&h, false).into_owned());
        let view = View {
            diagnostic: d,
            help,
            source: NamedSource::new(super::visible(&file.name, true), text_of(d.file)),
            labels,
            related,
        };
        let _ = handler.render_report(&mut out, &view);
        out.push('\n');
    }
    out
}

pub fn summary(report: &Report, elapsed: std::time::Duration) -> String {
    let stats = &report.stats;
    let skipped = if stats.skipped_documents > 0 {
        format!(
            " ({} non-Kubernetes document{} skipped)",
            stats.skipped_documents,
            plural(stats.skipped_documents)
        )
    } else {
        String::new()
    };
    format!(
        "checked {} file{}, {} object{}{}: {} error{}, {} warning{}, {} info in {:.0?}\n",
        stats.files,
        plural(stats.files),
        stats.objects,
        plural(stats.objects),
        skipped,
        count(report, Severity::Error),
        plural(count(report, Severity::Error)),
        count(report, Severity::Warning),
        plural(count(report, Severity::Warning)),
        count(report, Severity::Info),
        elapsed
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
