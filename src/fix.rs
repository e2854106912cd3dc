//! Applying fixes: the edits of the chosen findings, non-overlapping, in one pass over the
//! text; the command line repeats lint-and-fix until nothing changes (a few passes at most), as
//! ruff does, so fixes that touch each other land one after the other.

use crate::diagnostic::{Applicability, Diagnostic, Edit};

/// `text` with the fixes of `diagnostics` (of this file) at or below `level` applied; the
/// number of fixes applied. Edits overlapping an earlier one wait for the next pass.
pub fn apply(text: &str, diagnostics: &[&Diagnostic], level: Applicability) -> (String, usize) {
    let mut fixes: Vec<&crate::diagnostic::Fix> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| {
            f.applicability <= level
                && !f.edits.is_empty()
                && !f.edits.iter().any(|e| e.new_line_above)
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
    for edit in chosen {
        out.push_str(&text[at..edit.span.start]);
        out.push_str(&edit.replacement);
        at = edit.span.end;
    }
    out.push_str(&text[at..]);
    (out, applied)
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
    use crate::diagnostic::{Diagnostic, Fix};

    fn with_fix(span: std::ops::Range<usize>, text: &str, level: Applicability) -> Diagnostic {
        let mut d = Diagnostic::new("invalid-access-mode", 0, span.clone(), "m");
        d.with_fix(Fix::replace("t", span, text, level));
        d
    }

    #[test]
    fn safe_fixes_apply_unsafe_ones_wait_for_the_flag() {
        let text = "a: RWO\nb: 1G\n";
        let safe = with_fix(3..6, "ReadWriteOnce", Applicability::Safe);
        let unsafe_ = with_fix(10..12, "1Gi", Applicability::Unsafe);
        let all = [&safe, &unsafe_];
        assert_eq!(
            apply(text, &all, Applicability::Safe),
            ("a: ReadWriteOnce\nb: 1G\n".into(), 1)
        );
        assert_eq!(
            apply(text, &all, Applicability::Unsafe),
            ("a: ReadWriteOnce\nb: 1Gi\n".into(), 2)
        );
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let text = "abcdef";
        let a = with_fix(0..3, "X", Applicability::Safe);
        let b = with_fix(2..4, "Y", Applicability::Safe);
        assert_eq!(
            apply(text, &[&a, &b], Applicability::Safe),
            ("Xdef".into(), 1)
        );
    }

    #[test]
    fn the_diff_is_unified() {
        let diff = unified_diff("x.yaml", "a: 1\nb: RWO\n", "a: 1\nb: ReadWriteOnce\n");
        assert!(diff.contains("--- a/x.yaml\n+++ b/x.yaml\n"));
        assert!(diff.contains("-b: RWO\n+b: ReadWriteOnce\n"));
    }
}
