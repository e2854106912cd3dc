//! Per-rule fixtures, `tests/fixtures/<rule-id>/*.yaml`, linted with the default rules plus
//! that rule. Expected findings are marked in the file itself, clippy-UI style: a comment line
//! `#   ^ rule-id` puts a caret under the column of a finding on the line above it (marker
//! lines do not count); `# expect: rule-id@LINE:COL` names a position outright (for column 1).
//! The findings must be exactly the marked ones; objects named `dont-fire*` carry no marker.

use std::path::Path;
use stslint::session::{check as lint, Input};
use stslint::settings::Settings;

fn expected(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut last_content_line = 0;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("# expect: ") {
            let (rule, pos) = rest.trim().split_once('@').expect("expect: rule@line:col");
            out.push(format!("{rule}@{pos}"));
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('#') {
            let caret_rest = rest.trim_start();
            if caret_rest.starts_with('^') {
                let column = line.chars().position(|c| c == '^').unwrap() + 1;
                let rule = caret_rest.trim_start_matches('^').trim();
                out.push(format!("{rule}@{last_content_line}:{column}"));
                continue;
            }
        }
        last_content_line = i + 1;
    }
    out.sort();
    out
}

#[test]
fn fixtures_raise_exactly_the_marked_findings() {
    let mut checked = 0;
    for dir in std::fs::read_dir("tests/fixtures").unwrap() {
        let dir = dir.unwrap().path();
        let rule = dir.file_name().unwrap().to_string_lossy().into_owned();
        if stslint::rules::find(&rule).is_none() {
            continue;
        }
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            check_file(&rule, &file);
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} fixture files");
}

fn check_file(rule: &str, file: &Path) {
    let text = std::fs::read_to_string(file).unwrap();
    let settings = Settings {
        extend_select: vec![rule.to_string()],
        ..Settings::default()
    };
    let input = Input {
        name: file.display().to_string(),
        content: stslint::session::Content::Bytes(text.clone().into_bytes()),
        context_only: false,
    };
    let report = lint(vec![input], &settings);
    let mut found: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| {
            let p = report.files[d.file].position(d.span.start);
            format!("{}@{}:{}", d.rule, p.line, p.column)
        })
        .collect();
    found.sort();
    assert_eq!(found, expected(&text), "{}", file.display());
}
