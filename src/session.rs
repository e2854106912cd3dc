//! The one door into the engine: a [`Session`] holds the settings and each file's results, and
//! is what the command line and the language server call to check documents, fix them and
//! explain a rule. It sits above `lint` (one run over a set of inputs) and `fix` (one pass of
//! edits), which know nothing of each other's loops; nothing above it reaches them directly.

use crate::diagnostic::{Applicability, Diagnostic};
pub use crate::input::{Content, Input};
pub use crate::lint::Report;
use crate::settings::Settings;

/// Checks `inputs` once with `settings` (a session for one run).
pub fn check(inputs: Vec<Input>, settings: &Settings) -> Report {
    crate::lint::lint(inputs, settings)
}

/// As [`check`], comparing with the `previous` version of the objects.
pub fn check_against(inputs: Vec<Input>, previous: Vec<Input>, settings: &Settings) -> Report {
    crate::lint::lint_against(inputs, previous, settings)
}

/// Settings and remembered results: what a caller checks documents with.
#[derive(Default)]
pub struct Session {
    settings: Settings,
    /// Each file's own results by content, for [`Session::check`].
    cache: crate::lint::Cache,
}

impl Session {
    pub fn new(settings: Settings) -> Session {
        Session {
            settings,
            cache: crate::lint::Cache::default(),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Checks `inputs`, remembering each file's results: checking again after one file
    /// changed re-reads only that file and recomputes the cross-object findings (the editor).
    pub fn check(&mut self, inputs: Vec<Input>) -> Report {
        self.cache.lint(inputs, &self.settings)
    }

    /// Checks `inputs` once, remembering nothing (the command line: a 100 MB run keeps no
    /// copy of its results).
    pub fn check_once(&self, inputs: Vec<Input>) -> Report {
        check(inputs, &self.settings)
    }

    /// As [`Session::check_once`], comparing the objects with their `previous` version: the
    /// upgrade rules report what the API server refuses and what loses data.
    pub fn check_against(&self, inputs: Vec<Input>, previous: Vec<Input>) -> Report {
        check_against(inputs, previous, &self.settings)
    }

    /// Every fix at or below `level`, until stable (see [`fix_until_stable`]), the passes
    /// checked through this session's remembered results.
    pub fn fix_all(&mut self, originals: &[Original], level: Applicability) -> Outcome {
        let inputs = originals.iter().map(Original::input).collect();
        let report = self.check(inputs);
        let (cache, settings) = (&mut self.cache, &self.settings);
        fix_until_stable_with(originals, level, report, |inputs| {
            cache.lint(inputs, settings)
        })
    }

    /// Forgets every file's results.
    pub fn clear(&mut self) {
        self.cache.clear();
    }

    /// A rule's documentation and examples, by id.
    pub fn explain(id: &str) -> Option<&'static crate::rules::RuleEntry> {
        crate::rules::find(id)
    }
}

/// One input of a fix run: its name, its bytes as linted (or why it could not be read), and
/// whether it is only context (never fixed).
pub struct Original {
    pub name: String,
    pub content: Result<Vec<u8>, String>,
    pub context_only: bool,
}

impl Original {
    /// The input it is linted as.
    fn input(&self) -> Input {
        Input {
            name: self.name.clone(),
            content: match &self.content {
                Ok(bytes) => Content::Bytes(bytes.clone()),
                Err(reason) => Content::Unreadable(reason.clone()),
            },
            context_only: self.context_only,
        }
    }
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
    fix_until_stable_with(originals, level, report, |inputs| check(inputs, settings))
}

/// [`fix_until_stable`], linting each pass with `lint`: [`Session::fix_all`] lints through its
/// remembered results, re-reading only the files a pass changed.
fn fix_until_stable_with(
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
