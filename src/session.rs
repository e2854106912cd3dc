//! The library's session over the engine: what the command line and the language server do
//! with a set of documents beyond one lint. For now the fix loop (lint, fix, lint again until
//! stable); it sits above `lint` and `fix`, which know nothing of each other's loops.

use crate::diagnostic::{Applicability, Diagnostic};

/// One input of a fix run: its name, its bytes as linted (or why it could not be read), and
/// whether it is only context (never fixed).
pub struct Original {
    pub name: String,
    pub content: Result<Vec<u8>, String>,
    pub context_only: bool,
}

/// A file a fix changed: its index among the inputs, the text linted and the fixed text.
pub struct Change {
    pub index: usize,
    /// The fixes applied to it.
    pub fixes: usize,
    pub old: String,
    pub new: String,
}

pub struct Outcome {
    /// The report of the fixed texts.
    pub report: crate::lint::Report,
    pub changes: Vec<Change>,
    /// Fixes applied (in the files changed).
    pub fixed: usize,
    /// `# Source:` templates of fixed rendered objects: where the change really belongs.
    pub templates: Vec<String>,
    /// Files whose fixes failed their verification, with why: left as they were.
    pub reverted: Vec<(String, String)>,
}

/// Lint, fix, lint again until no fix applies (at most ten passes): fixes that touch the same
/// bytes land one after the other, and the final report is of the fixed texts. A pass whose
/// result fails `verify` reverts that file to its original text (an internal error: a rule
/// made a bad edit), and the other files go on.
pub fn fix_until_stable(
    originals: &[Original],
    settings: &crate::settings::Settings,
    level: Applicability,
    report: crate::lint::Report,
) -> Outcome {
    fix_until_stable_with(originals, level, report, |inputs| {
        crate::lint::lint(inputs, settings)
    })
}

/// [`fix_until_stable`], linting each pass with `lint`: the language server lints through its
/// session, which re-reads only the files a pass changed.
pub fn fix_until_stable_with(
    originals: &[Original],
    level: Applicability,
    mut report: crate::lint::Report,
    mut lint: impl FnMut(Vec<crate::lint::Input>) -> crate::lint::Report,
) -> Outcome {
    let original_text = |o: &Original| {
        o.content
            .as_ref()
            .ok()
            .and_then(|b| String::from_utf8(b.clone()).ok())
    };
    let mut texts: Vec<Option<String>> = originals.iter().map(original_text).collect();
    let mut counts = vec![0; originals.len()];
    let mut reverted = Vec::new();
    let mut templates = std::collections::BTreeSet::new();
    for _ in 0..10 {
        let mut any = false;
        for (file, original) in originals.iter().enumerate() {
            let Some(text) = &texts[file] else { continue };
            if original.context_only || reverted.iter().any(|(n, _)| n == &original.name) {
                continue;
            }
            // The report's files are the inputs, in order; offsets are into the text as
            // linted (a BOM included).
            if report.files[file].text.as_ref() != text.as_str() {
                continue;
            }
            let diagnostics: Vec<&Diagnostic> = report
                .diagnostics
                .iter()
                .filter(|d| d.file == file)
                .collect();
            let (new, count, edits) = crate::fix::apply(text, &diagnostics, level);
            if count == 0 {
                continue;
            }
            any = true;
            if let Err(why) = crate::fix::verify(text, &new, &edits) {
                reverted.push((original.name.clone(), why));
                texts[file] = original_text(original);
                counts[file] = 0;
                continue;
            }
            for d in diagnostics
                .iter()
                .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability <= level))
            {
                templates.extend(d.helm_source.clone());
            }
            counts[file] += count;
            texts[file] = Some(new);
        }
        if !any {
            break;
        }
        let inputs = originals
            .iter()
            .zip(&texts)
            .map(|(original, text)| crate::lint::Input {
                name: original.name.clone(),
                content: match (text, &original.content) {
                    (Some(text), _) => crate::lint::Content::Bytes(text.clone().into_bytes()),
                    (None, Ok(bytes)) => crate::lint::Content::Bytes(bytes.clone()),
                    (None, Err(reason)) => crate::lint::Content::Unreadable(reason.clone()),
                },
                context_only: original.context_only,
            })
            .collect();
        report = lint(inputs);
    }
    let changes: Vec<Change> = originals
        .iter()
        .zip(&texts)
        .enumerate()
        .filter_map(|(index, (original, text))| {
            let old = original_text(original)?;
            let new = text.clone()?;
            (old != new).then_some(Change {
                index,
                fixes: counts[index],
                old,
                new,
            })
        })
        .collect();
    Outcome {
        report,
        fixed: changes.iter().map(|c| c.fixes).sum(),
        changes,
        templates: templates.into_iter().collect(),
        reverted,
    }
}
