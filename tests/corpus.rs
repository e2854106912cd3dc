//! Every file of the shared corpus of real rendered charts (`../shared/corpus`): no panic, no
//! syntax error, positions that point at the text they name, and a reviewed snapshot of the
//! default rules' findings (count per rule per file). Skips with a message when the corpus is
//! absent.

use std::collections::BTreeMap;
use std::path::PathBuf;
use stslint::discover::Discovery;
use stslint::session::{check as lint, Report};
use stslint::settings::Settings;

fn corpus() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if path.is_dir() {
        Some(path)
    } else {
        // CI lays the shared corpus beside the clone: missing there, the test fails.
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing on CI",
            path.display()
        );
        eprintln!("skipped: {} is absent", path.display());
        None
    }
}

fn lint_corpus(settings: &Settings) -> Option<Report> {
    let root = corpus()?;
    let discovery = Discovery::new(&[], None).unwrap();
    let inputs = discovery
        .inputs(&[root.to_string_lossy().into_owned()], false)
        .unwrap();
    assert!(
        inputs.len() >= 37,
        "the corpus has at least 37 manifest files"
    );
    Some(lint(inputs, settings))
}

fn relative(report: &Report, file: usize) -> String {
    let name = &report.files[file].name;
    name[name.find("corpus/").map_or(0, |i| i + 7)..].to_string()
}

#[test]
fn default_rules_on_the_corpus_match_the_reviewed_findings() {
    let Some(report) = lint_corpus(&Settings::default()) else {
        return;
    };
    assert!(report.diagnostics.iter().all(|d| d.rule != "invalid-yaml"
        && d.rule != "unknown-field"
        && d.rule != "invalid-field-type"));
    assert_eq!(report.stats.objects, 295);
    let mut counts: BTreeMap<String, BTreeMap<&str, usize>> = BTreeMap::new();
    for d in &report.diagnostics {
        *counts
            .entry(relative(&report, d.file))
            .or_default()
            .entry(d.rule)
            .or_default() += 1;
    }
    let mut text = String::new();
    for (file, rules) in &counts {
        for (rule, n) in rules {
            text.push_str(&format!("{file}  {rule}  {n}\n"));
        }
    }
    insta::assert_snapshot!("corpus-default-findings", text);
}

#[test]
fn every_rule_runs_on_the_corpus_without_schema_or_syntax_errors() {
    let settings = Settings {
        select: vec!["all".into()],
        ..Settings::default()
    };
    let Some(report) = lint_corpus(&settings) else {
        return;
    };
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == stslint::diagnostic::Severity::Error)
        .map(|d| format!("{} {} {}", relative(&report, d.file), d.rule, d.message))
        .collect();
    // The lab chart's two broken hook annotations are its only errors.
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert!(errors
        .iter()
        .all(|e| e.contains("invalid-helm-hook-annotation")));
}

/// Line and column are checked against the file's own lines, independently of the line index:
/// the text at (line, column) must begin with the first line of the finding's span.
#[test]
fn positions_point_at_the_text_they_name() {
    let settings = Settings {
        select: vec!["all".into()],
        ..Settings::default()
    };
    let Some(report) = lint_corpus(&settings) else {
        return;
    };
    let mut checked = 0;
    for d in &report.diagnostics {
        let source = &report.files[d.file];
        let pos = source.position(d.span.start);
        // Files on disk keep only the lines findings point at: the whole text is read again.
        let text = source.full_text();
        let expected = text[d.span.clone()].lines().next().unwrap_or("");
        let line = text.split('\n').nth(pos.line as usize - 1).unwrap();
        let at: String = line.chars().skip(pos.column as usize - 1).collect();
        assert!(
            at.starts_with(expected),
            "{}:{}:{} shows {at:?}, span is {expected:?}",
            source.name,
            pos.line,
            pos.column
        );
        checked += 1;
    }
    assert!(checked > 50, "only {checked} positions checked");
}
