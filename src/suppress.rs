//! Suppressions a reviewer can trust: each names its rules and gives a reason.
//!
//! - an inline comment `# stslint: ignore[rule-a,rule-b] reason` on the offending line, or on
//!   its own line just above it;
//! - a file comment `# stslint: ignore-file[rule] reason`;
//! - object annotations `stslint.io/ignore: "rule-a,rule-b"` with `stslint.io/ignore-reason`,
//!   on the object or on its pod template.
//!
//! A suppression without a reason, and one that matched nothing, are findings themselves.

use crate::diagnostic::{Diagnostic, FileId};
use crate::model::Object;
use crate::source::LineIndex;
use crate::yaml::{Comment, Node};
use std::ops::Range;

pub const IGNORE_ANNOTATION: &str = "stslint.io/ignore";
pub const REASON_ANNOTATION: &str = "stslint.io/ignore-reason";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// 1-based lines the suppression covers.
    Lines(u32, u32),
    File,
    /// Findings whose span lies inside this object's span.
    Object(Range<usize>),
}

#[derive(Debug, Clone)]
pub struct Suppression {
    pub file: FileId,
    /// Where the suppression is written (the comment, or the annotation value).
    pub span: Range<usize>,
    pub rules: Vec<String>,
    pub reason: Option<String>,
    pub scope: Scope,
    /// Set when the comment looks like a suppression but cannot be read as one.
    pub malformed: Option<String>,
}

impl Suppression {
    pub fn covers(&self, d: &Diagnostic, line: u32, category: &str) -> bool {
        if d.file != self.file
            || !self
                .rules
                .iter()
                .any(|r| r == d.rule || r == category || r == "all")
        {
            return false;
        }
        match &self.scope {
            Scope::Lines(a, b) => line == *a || line == *b,
            Scope::File => true,
            Scope::Object(span) => span.start <= d.span.start && d.span.end <= span.end,
        }
    }
}

/// Suppression comments of a file, or of the part of it from byte `base` on (`part`), whose
/// lines `lines` indexes.
pub fn from_comments(
    file: FileId,
    lines: &LineIndex,
    part: &str,
    base: usize,
    comments: &[Comment],
) -> Vec<Suppression> {
    let mut out = Vec::new();
    for comment in comments {
        let text = comment.text.trim();
        let Some(rest) = text.strip_prefix("stslint:") else {
            continue;
        };
        let rest = rest.trim_start();
        let (file_wide, rest) = if let Some(r) = rest.strip_prefix("ignore-file") {
            (true, r)
        } else if let Some(r) = rest.strip_prefix("ignore") {
            (false, r)
        } else {
            out.push(malformed(
                file,
                comment,
                "expected `stslint: ignore[rule] reason` or `stslint: ignore-file[rule] reason`",
            ));
            continue;
        };
        let Some((rules, reason)) = rest.strip_prefix('[').and_then(|r| r.split_once(']')) else {
            out.push(malformed(
                file,
                comment,
                "the rules go in brackets: `stslint: ignore[rule-a,rule-b] reason`",
            ));
            continue;
        };
        let line = lines.line(comment.span.start);
        let own_line = part
            .get(..comment.span.start - base)
            .and_then(|before| before.rsplit('\n').next())
            .is_some_and(|before| before.trim().is_empty());
        let scope = if file_wide {
            Scope::File
        } else if own_line {
            Scope::Lines(line, line + 1)
        } else {
            Scope::Lines(line, line)
        };
        out.push(Suppression {
            file,
            span: comment.span.clone(),
            rules: split_rules(rules),
            reason: clean_reason(reason),
            scope,
            malformed: None,
        });
    }
    out
}

fn malformed(file: FileId, comment: &Comment, why: &str) -> Suppression {
    Suppression {
        file,
        span: comment.span.clone(),
        rules: Vec::new(),
        reason: None,
        scope: Scope::Lines(0, 0),
        malformed: Some(why.to_string()),
    }
}

fn split_rules(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect()
}

fn clean_reason(text: &str) -> Option<String> {
    let reason = text.trim().trim_start_matches([':', '-', '—']).trim();
    (!reason.is_empty()).then(|| reason.to_string())
}

/// Annotation suppressions of an object, from its own metadata and its pod template's.
pub fn from_annotations(object: &Object<'_>) -> Vec<Suppression> {
    let mut out = Vec::new();
    let holders = [
        object.get(&["metadata", "annotations"]),
        object.get(&["spec", "template", "metadata", "annotations"]),
        object.get(&[
            "spec",
            "jobTemplate",
            "spec",
            "template",
            "metadata",
            "annotations",
        ]),
    ];
    for annotations in holders.into_iter().flatten() {
        let Some(ignore) = annotations.get(IGNORE_ANNOTATION) else {
            continue;
        };
        let reason = annotations
            .get(REASON_ANNOTATION)
            .and_then(Node::as_str)
            .and_then(clean_reason);
        out.push(Suppression {
            file: object.file,
            span: ignore.span.clone(),
            rules: split_rules(&ignore.display()),
            reason,
            scope: Scope::Object(object.root.span.clone()),
            malformed: None,
        });
    }
    out
}
