//! What the fuzz targets in `fuzz/` run, kept in the library so that `cargo test` replays the
//! inputs they found on the stable toolchain (`tests/fuzz_regressions.rs`).

use crate::diagnostic::Applicability;
use crate::session::{check as lint, check_against as lint_against, Input};
use crate::settings::Settings;

/// Where an input splits into a new version and a previous one (for the upgrade rules).
pub const PREVIOUS_MARKER: &[u8] = b"\n#previous\n";

/// Bytes → every rule → every output format → every fix. Panics on any internal error: a
/// panic the engine caught is still a bug.
pub fn pipeline(data: &[u8]) {
    let settings = Settings {
        select: vec!["all".into()],
        enable_opt_in: true,
        ..Settings::default()
    };
    let input = |name: &str, bytes: &[u8]| Input {
        name: name.into(),
        content: crate::session::Content::Bytes(bytes.to_vec()),
        context_only: false,
    };
    let report = match find(data, PREVIOUS_MARKER) {
        Some(at) => lint_against(
            vec![input("new.yaml", &data[..at])],
            vec![input("previous.yaml", &data[at + PREVIOUS_MARKER.len()..])],
            &settings,
        ),
        None => lint(vec![input("input.yaml", data)], &settings),
    };
    assert!(
        report.internal_errors.is_empty(),
        "{:?}",
        report.internal_errors
    );
    for render in [
        crate::emit::compact::render,
        crate::emit::github::render,
        crate::emit::gitlab::render,
        crate::emit::json::render,
        crate::emit::junit::render,
        crate::emit::sarif::render,
    ] {
        let _ = render(&report);
    }
    let _ = crate::emit::human::render(&report, false);
    for (file, source) in report.files.iter().enumerate() {
        let found: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| d.file == file)
            .collect();
        // Every fix alone, then all at once, must pass the verification `--fix` applies.
        let singles = found
            .iter()
            .filter(|d| d.fix.is_some())
            .map(std::slice::from_ref);
        for chosen in singles.chain([&found[..]]) {
            let (fixed, count, edits) =
                crate::fix::apply(&source.text, chosen, Applicability::Unsafe);
            if count > 0 {
                if let Err(why) = crate::fix::verify(&source.text, &fixed, &edits) {
                    panic!(
                        "a fix fails its verification: {why}\n--- before\n{}\n--- after\n{fixed}",
                        source.text
                    );
                }
            }
            let _ = crate::fix::unified_diff(&source.name, &source.text, &fixed);
        }
    }
}

/// Bytes as a manifest, fixed as `--fix --unsafe-fixes` fixes it (every rule on, lint and fix
/// until stable): no file may be reverted by the verification, and the fixed text must parse
/// wherever the original did. Panics otherwise.
pub fn fix(data: &[u8]) {
    let settings = Settings {
        select: vec!["all".into()],
        enable_opt_in: true,
        ..Settings::default()
    };
    let originals = [crate::session::Original {
        name: "input.yaml".into(),
        content: Ok(data.to_vec()),
        context_only: false,
    }];
    let input = Input {
        name: "input.yaml".into(),
        content: crate::session::Content::Bytes(data.to_vec()),
        context_only: false,
    };
    let report = lint(vec![input], &settings);
    let outcome =
        crate::session::fix_until_stable(&originals, &settings, Applicability::Unsafe, report);
    if let Some((_, why)) = outcome.reverted.first() {
        panic!("a fix fails its verification: {why}");
    }
    for change in &outcome.changes {
        let (before, after) = (
            crate::yaml::parse(&change.old),
            crate::yaml::parse(&change.new),
        );
        assert!(
            after.errors.len() <= before.errors.len(),
            "the fixed text has new syntax errors:\n{}",
            change.new
        );
    }
}

/// Valid YAML as a file on disk, linted batch by batch (1 to 64 bytes at a time, by the first
/// byte) and whole: the same findings, objects, suppressions and lines. Panics when they differ.
pub fn stream(data: &[u8]) {
    // Invalid YAML may be reported differently once cut (a quoted scalar running over a `---`
    // line ends at the cut instead): it is reported either way, and its objects are not linted.
    let valid =
        std::str::from_utf8(data).is_ok_and(|text| crate::yaml::parse(text).errors.is_empty());
    if !valid {
        return;
    }
    let batch = 1 + usize::from(data.first().copied().unwrap_or(0) % 64);
    let path = std::env::temp_dir().join(format!(
        "stslint-fuzz-stream-{}-{:?}.yaml",
        std::process::id(),
        std::thread::current().id()
    ));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let outcome = crate::lint::streamed_matches_whole(&path, batch);
    let _ = std::fs::remove_file(&path);
    if let Err(diff) = outcome {
        panic!("batch {batch}: the streamed file differs from the whole text\n{diff}");
    }
}

/// A configuration file's text, parsed and checked.
pub fn config(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = crate::config::parse(std::path::Path::new("fuzz.toml"), text);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
