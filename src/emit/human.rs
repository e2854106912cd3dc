//! The terminal view: a code frame per finding (miette), labels on the exact span, help and
//! rule id; colour only when asked for.

use super::{count, object_line};
use crate::diagnostic::{Diagnostic, Severity};
use crate::session::Report;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// A line longer than this is shown as a window around the finding: minified JSON or a
/// one-line flow mapping would otherwise be printed whole for each of its findings.
const LONG_LINE: usize = 400;
/// Bytes shown on each side of a finding on a long line.
const WINDOW: usize = 100;

/// A file's (terminal-safe) text for code frames, cut to a window on long lines.
#[derive(Debug)]
struct Frame {
    name: String,
    text: Arc<String>,
    lines: crate::source::LineIndex,
}

/// The part of a long line shown for `span`; `None` when its line is short.
fn window(
    text: &str,
    lines: &crate::source::LineIndex,
    span: &Range<usize>,
) -> Option<Range<usize>> {
    let start = span.start.min(text.len());
    let Range {
        start: line_start,
        end: line_end,
    } = lines.line_bounds(text, start);
    if line_end - line_start <= LONG_LINE {
        return None;
    }
    let mut from = start.saturating_sub(WINDOW).max(line_start);
    let end = span.end.clamp(start, start + WINDOW);
    let mut to = (end + WINDOW).min(line_end);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    while !text.is_char_boundary(to) {
        to += 1;
    }
    Some(from..to)
}

impl SourceCode for Frame {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let range = span.offset()..span.offset() + span.len();
        let Some(shown) = window(&self.text, &self.lines, &range) else {
            let inner = self.text.as_str().read_span(span, before, after)?;
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.clone(),
                inner.data(),
                *inner.span(),
                inner.line(),
                inner.column(),
                inner.line_count(),
            )));
        };
        // miette's header names the line and column of what it asked for.
        let at = self.lines.position(&self.text, range.start);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[shown.clone()],
            (shown.start, shown.len()).into(),
            at.line as usize - 1,
            at.column as usize - 1,
            1,
        )))
    }
}

struct View<'a> {
    diagnostic: &'a Diagnostic,
    help: Option<String>,
    source: Frame,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedView>,
}

/// A related location in another file, shown as its own frame under the finding.
#[derive(Debug)]
struct RelatedView {
    message: String,
    source: Frame,
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
        // Rule ids, annotation keys and flags are copied from help text: wrapped at spaces
        // only, never at their hyphens or slashes (`stslint.io/ignore-` on one line, `reason`
        // on the next).
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false)
        .with_links(false);
    let mut out = String::new();
    // Each file's text made terminal-safe once (the same Arc when it has no control character).
    let mut texts: Vec<Option<std::sync::Arc<String>>> = vec![None; report.files.len()];
    let mut text_of = |file: usize| -> std::sync::Arc<String> {
        texts[file]
            .get_or_insert_with(|| {
                let text = report.files[file].full_text();
                if text
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
                {
                    std::sync::Arc::new(super::visible_source(&text))
                } else {
                    text
                }
            })
            .clone()
    };
    for original in &report.diagnostics {
        // Values and names from the inputs reach the terminal only as visible text.
        let mut clean = original.clone();
        clean.message = super::visible(&original.message, false).into_owned();
        let d = &clean;
        let text = text_of(d.file);
        let shown = window(&text, &report.files[d.file].lines, &d.span);
        // On a long line only the window is shown: the primary span is cut to it.
        let primary = match &shown {
            Some(w) => d.span.start.max(w.start)..d.span.end.min(w.end).max(d.span.start),
            None => d.span.clone(),
        };
        let frame = |file: usize, text: Arc<String>| Frame {
            name: super::visible(&report.files[file].name, true).into_owned(),
            text,
            lines: report.files[file].lines.clone(),
        };
        // A rendered object's finding is shown in the template or base file a human edits,
        // when it can be read; every related place then gets a frame of its own (its own
        // template or base when it can be read), since none is in that file's text.
        let at_source = d.source.as_ref().and_then(source_frame);
        let mut labels = Vec::new();
        let mut related = Vec::new();
        for r in &d.related {
            let inside = shown
                .as_ref()
                .is_none_or(|w| w.start <= r.span.start && r.span.end <= w.end);
            if at_source.is_none() && r.file == d.file && inside {
                labels.push(LabeledSpan::new_with_span(
                    Some(super::visible(&r.message, true).into_owned()),
                    span(&r.span),
                ));
                continue;
            }
            let in_source = r
                .source
                .as_ref()
                .filter(|_| at_source.is_some() && r.file == d.file)
                .and_then(source_frame);
            let (source, cut) = in_source.unwrap_or_else(|| {
                let other = text_of(r.file);
                let cut = window(&other, &report.files[r.file].lines, &r.span)
                    .map_or(r.span.clone(), |w| {
                        r.span.start.max(w.start)..r.span.end.min(w.end).max(r.span.start)
                    });
                (frame(r.file, other), cut)
            });
            related.push(RelatedView {
                message: super::visible(&r.message, false).into_owned(),
                source,
                span: span(&cut),
            });
        }
        let (source, primary) = at_source.unwrap_or_else(|| (frame(d.file, text), primary));
        labels.insert(0, LabeledSpan::new_primary_with_span(None, span(&primary)));
        let help = match (&d.help, object_line(d)) {
            (Some(h), Some(o)) => Some(format!("{h}\nin {o}")),
            (Some(h), None) => Some(h.clone()),
            (None, o) => o.map(|o| format!("in {o}")),
        }
        .map(|h| super::visible(&h, false).into_owned());
        let view = View {
            diagnostic: d,
            help,
            source,
            labels,
            related,
        };
        let _ = handler.render_report(&mut out, &view);
        out.push('\n');
    }
    out
}

/// The closing line: what was checked and found, and (for the human view) how long it took.
pub fn summary(report: &Report, elapsed: Option<std::time::Duration>) -> String {
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
        "checked {} file{}, {} object{}{}: {} error{}, {} warning{}, {} info{}\n",
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
        elapsed.map_or_else(String::new, |e| format!(" in {e:.0?}"))
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The frame of a source file (a template or base) and the span of `at` in it: the token
/// that starts at its line and column. `None` when the file cannot be read there.
fn source_frame(at: &crate::diagnostic::SourceLocation) -> Option<(Frame, Range<usize>)> {
    let text = std::fs::read_to_string(&at.path).ok()?;
    let lines = crate::source::LineIndex::new(&text);
    let line_start = lines.start_of((at.line as usize).checked_sub(1)?)?;
    let line_end = lines.line_bounds(&text, line_start).end;
    let line = text.get(line_start..line_end)?;
    let column = line
        .char_indices()
        .nth((at.column as usize).saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let start = line_start + column;
    let token = text[start..line_end]
        .find(|c: char| c.is_whitespace() || c == ':')
        .unwrap_or(line_end - start);
    let text = if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        super::visible_source(&text)
    } else {
        text
    };
    let frame = Frame {
        name: super::visible(&at.path, true).into_owned(),
        text: Arc::new(text),
        lines,
    };
    Some((frame, start..start + token))
}
