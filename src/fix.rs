//! Applying fixes: the edits of the chosen findings, non-overlapping, in one pass over the
//! text; `session::fix_until_stable` repeats lint-and-fix until nothing changes (a few passes
//! at most), as ruff does, so fixes that touch each other land one after the other. Every
//! pass is verified (`verify`): a fix that would break a document, or change more than the
//! nodes it edits, is not written.

use crate::diagnostic::{Applicability, Diagnostic, Edit, EditKind};
use crate::yaml::{Node, Value};
use std::ops::Range;

/// `text` with the fixes of `diagnostics` (of this file) at or below `level` applied; the
/// number of fixes applied and the byte ranges (of `text`) they replaced. Edits overlapping an
/// earlier one wait for the next pass.
pub fn apply(
    text: &str,
    diagnostics: &[&Diagnostic],
    level: Applicability,
) -> (String, usize, Vec<Range<usize>>) {
    let mut fixes: Vec<&crate::diagnostic::Fix> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| {
            f.applicability <= level
                && !f.edits.is_empty()
                && f.edits.iter().all(|e| e.kind == EditKind::Text)
        })
        .collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.span.start).min());
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    let mut taken_until = 0;
    for fix in fixes {
        let mut edits: Vec<&Edit> = fix.edits.iter().collect();
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        let start = edits[0].span.start;
        // Two fixes inserting at the same point, or overlapping: the later one waits.
        if start < taken_until || (applied > 0 && start == taken_until && edits[0].span.is_empty())
        {
            continue;
        }
        if edits.iter().any(|e| {
            e.span.end > text.len()
                || !text.is_char_boundary(e.span.start)
                || !text.is_char_boundary(e.span.end)
        }) {
            continue;
        }
        taken_until = edits.iter().map(|e| e.span.end).max().unwrap_or(start);
        chosen.extend(edits);
        applied += 1;
    }
    chosen.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in &chosen {
        out.push_str(&text[at..edit.span.start]);
        out.push_str(&edit.replacement);
        at = edit.span.end;
    }
    out.push_str(&text[at..]);
    let ranges = chosen.iter().map(|e| e.span.clone()).collect();
    (out, applied, ranges)
}

/// Turns a rule's edit into source text in the file's own style, now that the text is at hand:
/// `line_at(offset)` gives the start of the line holding `offset` and that whole line (with
/// its line break). `None` when the edit cannot be written in this place.
pub fn resolve<'t>(edit: &Edit, line_at: impl Fn(usize) -> (usize, &'t str)) -> Option<Edit> {
    let after = |offset: usize| {
        let (start, line) = line_at(offset);
        line.get(offset.checked_sub(start)?..)
    };
    match &edit.kind {
        EditKind::Text => Some(edit.clone()),
        EditKind::Scalar => {
            let written = match after(edit.span.start)?.chars().next()? {
                '"' => double_quoted(&edit.replacement),
                '\'' => format!("'{}'", edit.replacement.replace('\'', "''")),
                _ => scalar(&edit.replacement),
            };
            Some(Edit::text(edit.span.clone(), written))
        }
        EditKind::Entry { mapping, value } => {
            let (start, line) = line_at(edit.span.start);
            let before = line.get(..edit.span.start.checked_sub(start)?)?;
            let eol = if line.ends_with("\r\n") { "\r\n" } else { "\n" };
            let key = &edit.replacement;
            if after(*mapping)?.starts_with('{') {
                // A flow mapping (JSON among them): an entry before the first, in JSON's
                // spelling; on a line of its own when the first key has one.
                let entry = format!("{}: {}", double_quoted(key), double_quoted(value));
                return Some(if before.trim().is_empty() {
                    Edit::text(edit.span.clone(), format!("{entry},{eol}{before}"))
                } else {
                    Edit::text(edit.span.clone(), format!("{entry}, "))
                });
            }
            let entry = format!("{}: {}", scalar(key), scalar(value));
            if before.chars().all(|c| c == ' ') {
                Some(Edit::text(start..start, format!("{before}{entry}{eol}")))
            } else if before.chars().all(|c| c == ' ' || c == '-') {
                // The first key of a sequence item (`- name: x`): the new entry takes the
                // dash's line, the old first key the next line at the same column.
                let column = " ".repeat(before.len());
                Some(Edit::text(
                    edit.span.clone(),
                    format!("{entry}{eol}{column}"),
                ))
            } else {
                None
            }
        }
    }
}

/// `value` as a plain scalar where YAML 1.1 reads it back as this string, else double-quoted.
fn scalar(value: &str) -> String {
    let plain = !value.is_empty()
        && value.starts_with(|c: char| c.is_ascii_alphanumeric())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'))
        && matches!(crate::yaml::resolve_plain(value), Value::Str(_));
    if plain {
        value.to_string()
    } else {
        double_quoted(value)
    }
}

/// A double-quoted scalar, escaped as JSON escapes it (JSON strings are YAML ones).
fn double_quoted(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| format!("\"{value}\""))
}

/// Checks a fixed text against the text it was made from, as ruff checks its fixes: every
/// document still parses, there are as many, and only the nodes the edits (byte ranges of
/// `old`) touched changed: a scalar rewritten, or one entry added to a mapping. `Err` says
/// what broke.
pub fn verify(old: &str, new: &str, edits: &[Range<usize>]) -> Result<(), String> {
    let (before, after) = (crate::yaml::parse(old), crate::yaml::parse(new));
    if after.errors.len() > before.errors.len() {
        let error = &after.errors[before.errors.len().min(after.errors.len() - 1)];
        return Err(format!("the fixed text does not parse: {}", error.message));
    }
    if before.documents.len() != after.documents.len() {
        return Err(format!(
            "the fixed text has {} documents instead of {}",
            after.documents.len(),
            before.documents.len()
        ));
    }
    for (old_doc, new_doc) in before.documents.iter().zip(&after.documents) {
        same_but_edited(old, &old_doc.root, &new_doc.root, edits, "")?;
    }
    Ok(())
}

/// Scalars compared as the text would be read again: `.nan` is the same NaN (found by the
/// `fix` fuzz target: a key `.nan` was reported as changed).
fn same_scalar(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => x == y || x.is_nan() && y.is_nan(),
        _ => a == b,
    }
}

/// Two nodes with the same content, wherever they are (a complex key `? [a]` moves with an
/// insertion above it; found by the `fix` fuzz target).
fn same_tree(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(p, q)| same_tree(&p.key, &q.key) && same_tree(&p.value, &q.value))
        }
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_tree(p, q))
        }
        (x, y) => same_scalar(x, y),
    }
}

fn touches(span: &Range<usize>, edits: &[Range<usize>]) -> bool {
    edits.iter().any(|e| {
        e.start < span.end && span.start < e.end
            || e.is_empty() && span.start <= e.start && e.start <= span.end
    })
}

fn same_but_edited(
    text: &str,
    old: &Node,
    new: &Node,
    edits: &[Range<usize>],
    at: &str,
) -> Result<(), String> {
    let place = || {
        if at.is_empty() {
            "the document".to_string()
        } else {
            format!("`{at}`")
        }
    };
    match (&old.value, &new.value) {
        (Value::Map(a), Value::Map(b)) => {
            // An insertion before a mapping's first key (at its line's start, or before a
            // sequence item's dash) adds one entry to that mapping.
            let inserted = b.len() == a.len() + 1
                && a.first().is_some_and(|first| {
                    edits.iter().any(|e| {
                        e.is_empty()
                            && text
                                .get(e.start..first.key.span.start)
                                .is_some_and(|gap| gap.chars().all(|c| c == ' ' || c == '-'))
                    })
                });
            let b = if inserted { &b[1..] } else { &b[..] };
            if a.len() != b.len() {
                return Err(format!("{} changed its number of entries", place()));
            }
            for (x, y) in a.iter().zip(b) {
                let key = x.key.key_text().unwrap_or_default();
                let path = if at.is_empty() {
                    key.to_string()
                } else {
                    format!("{at}.{key}")
                };
                if !same_tree(&x.key, &y.key) && !touches(&x.key.span, edits) {
                    return Err(format!("key `{path}` changed"));
                }
                same_but_edited(text, &x.value, &y.value, edits, &path)?;
            }
            Ok(())
        }
        (Value::Seq(a), Value::Seq(b)) => {
            if a.len() != b.len() {
                return Err(format!("{} changed its number of items", place()));
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                same_but_edited(text, x, y, edits, &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        (Value::Map(_) | Value::Seq(_), _) | (_, Value::Map(_) | Value::Seq(_)) => {
            Err(format!("{} changed its shape", place()))
        }
        (a, b) if same_scalar(a, b) || touches(&old.span, edits) => Ok(()),
        _ => Err(format!("{} changed, but no fix edited it", place())),
    }
}

/// A unified diff of `old` → `new` for `name`, three lines of context, as `ruff --diff` prints.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    diff.unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Edit;
    use crate::diagnostic::{Diagnostic, Fix};

    fn with_fix(span: std::ops::Range<usize>, text: &str, level: Applicability) -> Diagnostic {
        let mut d = Diagnostic::new("invalid-access-mode", 0, span.clone(), "m");
        d.with_fix(Fix::new("t", Edit::text(span, text), level));
        d
    }

    #[test]
    fn safe_fixes_apply_unsafe_ones_wait_for_the_flag() {
        let text = "a: RWO\nb: 1G\n";
        let safe = with_fix(3..6, "ReadWriteOnce", Applicability::Safe);
        let unsafe_ = with_fix(10..12, "1Gi", Applicability::Unsafe);
        let all = [&safe, &unsafe_];
        assert_eq!(
            apply(text, &all, Applicability::Safe).0,
            "a: ReadWriteOnce\nb: 1G\n"
        );
        assert_eq!(
            apply(text, &all, Applicability::Unsafe).0,
            "a: ReadWriteOnce\nb: 1Gi\n"
        );
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let text = "abcdef";
        let a = with_fix(0..3, "X", Applicability::Safe);
        let b = with_fix(2..4, "Y", Applicability::Safe);
        assert_eq!(apply(text, &[&a, &b], Applicability::Safe).0, "Xdef");
    }

    #[test]
    fn the_diff_is_unified() {
        let diff = unified_diff("x.yaml", "a: 1\nb: RWO\n", "a: 1\nb: ReadWriteOnce\n");
        assert!(diff.contains("--- a/x.yaml\n+++ b/x.yaml\n"));
        assert!(diff.contains("-b: RWO\n+b: ReadWriteOnce\n"));
    }
}
